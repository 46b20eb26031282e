"""party: the back of a resident ID card (issuing authority and validity)

What the card reader (``scanning/idcard.py``) reads from the back of a 居民身份证, kept with the
party beside the number: ``id_issuer`` (签发机关) and ``id_validity`` (有效期限 as printed,
``2015.06.01-2035.06.01`` or ``2017.04.24-长期``). The party table's grants and row-level
security (migration 0014) cover the new columns; nothing to grant.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_issuer', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('id_validity', sa.String(length=30), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('id_validity')
        batch_op.drop_column('id_issuer')
