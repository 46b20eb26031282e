"""assignment recusal and diversion

Co-mediators and joint-mediation departments of a case, recorded recusal decisions (回避), and
diversions (分流) to outside bodies tracked until their feedback comes back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:26:25.642122
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_department',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_case_department_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_case_department_department_id_department')),
    sa.PrimaryKeyConstraint('case_id', 'department_id', name=op.f('pk_case_department'))
    )
    op.create_table('case_mediator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead', 'co', name='mediatorrole', native_enum=False, length=32), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['app_user.id'], name=op.f('fk_case_mediator_assigned_by_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_case_mediator_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_case_mediator_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_mediator')),
    sa.UniqueConstraint('case_id', 'mediator_id', name=op.f('uq_case_mediator_case_id'))
    )
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_mediator_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_mediator_mediator_id'), ['mediator_id'], unique=False)

    op.create_table('diversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Enum('village_committee', 'court_pre_litigation', 'petition_office', 'department', name='diversionbody', native_enum=False, length=32), nullable=False),
    sa.Column('body_name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_diversion_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['app_user.id'], name=op.f('fk_diversion_sent_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diversion'))
    )
    with op.batch_alter_table('diversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diversion_case_id'), ['case_id'], unique=False)

    op.create_table('recusal_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=False),
    sa.Column('warning', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('proceed', 'recused', name='recusaloutcome', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_recusal_decision_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'], name=op.f('fk_recusal_decision_decided_by_id_app_user')),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_recusal_decision_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusal_decision'))
    )
    with op.batch_alter_table('recusal_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusal_decision_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recusal_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recusal_decision_case_id'))

    op.drop_table('recusal_decision')
    with op.batch_alter_table('diversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diversion_case_id'))

    op.drop_table('diversion')
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_mediator_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_case_mediator_case_id'))

    op.drop_table('case_mediator')
    op.drop_table('case_department')
