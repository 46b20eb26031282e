"""a center's own committee name: ``center_feedback.committee`` (the center's profile)

A township's papers named the township (``services.center.issuer``) but printed the county's
address and phone, and its committee only as ``committee_of`` guesses it from the center's name.
``center_feedback`` (migration 0038) already keeps the address and phone of a center below the
county's — the public page's contacts, as the county's settings ``center_address`` /
``center_phone`` are both the county's papers' and its page's. It is now that center's profile:
its papers print its address and phone from it too, and the new column ``committee`` names
its people's mediation committee (blank: ``committee_of``'s name, as before). docs/centers.md,
"The papers a center issues".

The table's grants and row-level security (0038: everyone reads; a head or an administrator
inserts and updates their own center's row only) cover the new column.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0042'
down_revision: str | None = '0041'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('center_feedback') as batch:
        batch.add_column(sa.Column('committee', sa.String(length=80), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('center_feedback') as batch:
        batch.drop_column('committee')
