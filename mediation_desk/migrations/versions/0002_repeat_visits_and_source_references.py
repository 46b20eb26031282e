"""repeat visits and source references

A case remembers the earlier open case of the same person (重复来访) and the ticket of the
system it was imported from, so a batch file imported twice creates nothing new.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:01:53.265171
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_ref', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('repeat_of_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dispute_case_repeat_of_id'), ['repeat_of_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_dispute_case_source_ref'), ['source_ref'])
        batch_op.create_foreign_key(batch_op.f('fk_dispute_case_repeat_of_id_dispute_case'), 'dispute_case', ['repeat_of_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dispute_case_repeat_of_id_dispute_case'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_dispute_case_source_ref'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_dispute_case_repeat_of_id'))
        batch_op.drop_column('repeat_of_id')
        batch_op.drop_column('source_ref')

