"""case retention

The day until which a closed case's file is kept (its dossier's 保管期限), for the archive job.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 05:55:34.980854
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retain_until', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dispute_case_retain_until'), ['retain_until'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_case_retain_until'))
        batch_op.drop_column('retain_until')

