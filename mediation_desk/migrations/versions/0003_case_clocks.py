"""case clocks

Configurable time limits per stage and dispute type, extensions (延期), and the running clock of
each case kept on its row (stage, yellow-from and due dates) so overdue lists are index scans.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:18:43.219699
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('time_limit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('acceptance', 'mediation', 'hotline_consultation', 'hotline_request', 'judicial_confirmation', 'return_visit', name='clockstage', native_enum=False, length=32), nullable=False),
    sa.Column('dispute_type_id', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Boolean(), nullable=False),
    sa.Column('yellow_days', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dispute_type_id'], ['dispute_type.id'], name=op.f('fk_time_limit_dispute_type_id_dispute_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_limit')),
    sa.UniqueConstraint('stage', 'dispute_type_id', name='uq_time_limit_stage_type')
    )
    op.create_table('deadline_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('acceptance', 'mediation', 'hotline_consultation', 'hotline_request', 'judicial_confirmation', 'return_visit', name='clockstage', native_enum=False, length=32), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('new_due_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_deadline_extension_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['app_user.id'], name=op.f('fk_deadline_extension_granted_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extension'))
    )
    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extension_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        # Existing rows are requests, not consultations.
        batch_op.add_column(sa.Column('is_consultation', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('clock_stage', sa.Enum('acceptance', 'mediation', 'hotline_consultation', 'hotline_request', 'judicial_confirmation', 'return_visit', name='clockstage', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('clock_warn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('clock_due_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_dispute_case_clock', ['clock_warn_on', 'clock_due_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_clock')
        batch_op.drop_column('clock_due_on')
        batch_op.drop_column('clock_warn_on')
        batch_op.drop_column('clock_stage')
        batch_op.drop_column('is_consultation')

    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extension_case_id'))

    op.drop_table('deadline_extension')
    op.drop_table('time_limit')
