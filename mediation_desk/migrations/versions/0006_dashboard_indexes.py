"""dashboard indexes

Indexes that let the head's dashboard count a month of a county's cases from the indexes alone:
ending transitions by time, visits by day with their satisfaction, cases by received time with
every column the figures group by, and open cases by due day.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 05:50:42.031869
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_case_event_action_at', ['action', 'at', 'case_id'], unique=False)

    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_case_due_state', ['clock_due_on', 'state'], unique=False)
        batch_op.create_index('ix_dispute_case_received_figures', ['received_at', 'dispute_type_id', 'source_channel', 'team_id', 'state', 'is_group_dispute', 'amount_involved'], unique=False)

    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.create_index('ix_return_visit_visited', ['visited_on', 'case_id', 'satisfaction'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_return_visit_visited')

    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_received_figures')
        batch_op.drop_index('ix_dispute_case_due_state')

    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_case_event_action_at')

