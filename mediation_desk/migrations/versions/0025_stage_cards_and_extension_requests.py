"""stage limits per stationed department, yellow and red cards, extension requests

* ``time_limit.department_id``: a stage's limit may be set for one stationed department (the
  department of the case's lead mediator), alone or with a dispute type; the most specific row
  wins (``services/cards.py``). The unique constraint now spans (stage, department, type).
* ``stage_card``: 黄牌 / 红牌督办 given automatically when a case's stage passes yellow or red,
  unique per (case, stage, colour) so that any number of checks, from any number of desks at once,
  give one card.
* ``extension_request``: 延期申请 of a department and the head's decision.

On PostgreSQL both new tables are case content (migration 0014): the case groups read them
through their case (a mediator only those of their teams' cases), md_admin nothing.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAGE = sa.Enum('acceptance', 'mediation', 'hotline_consultation', 'hotline_request', 'judicial_confirmation',
                 'return_visit', name='clockstage', native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table('time_limit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_time_limit_stage_type', type_='unique')
        batch_op.create_foreign_key(batch_op.f('fk_time_limit_department_id_department'), 'department',
                                    ['department_id'], ['id'])
        batch_op.create_unique_constraint('uq_time_limit_stage_department_type',
                                          ['stage', 'department_id', 'dispute_type_id'])
    op.create_table(
        'stage_card',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('stage', _STAGE, nullable=False),
        sa.Column('colour', sa.Enum('green', 'yellow', 'red', name='clockcolour', native_enum=False, length=32),
                  nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_stage_card_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_stage_card_department_id_department')),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_stage_card_team_id_team')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_card')),
        sa.UniqueConstraint('case_id', 'stage', 'colour', name='uq_stage_card_case_stage_colour'),
    )
    with op.batch_alter_table('stage_card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_card_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_stage_card_given', ['given_on', 'department_id'], unique=False)
    op.create_table(
        'extension_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('stage', _STAGE, nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='extensionstatus', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.Column('extension_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'],
                                name=op.f('fk_extension_request_case_id_dispute_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['app_user.id'],
                                name=op.f('fk_extension_request_decided_by_id_app_user')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_extension_request_department_id_department')),
        sa.ForeignKeyConstraint(['extension_id'], ['deadline_extension.id'],
                                name=op.f('fk_extension_request_extension_id_deadline_extension'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'],
                                name=op.f('fk_extension_request_requested_by_id_app_user')),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_extension_request_team_id_team')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_request')),
    )
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_request_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_extension_request_requested', ['requested_on', 'department_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Case content (migration 0014): read through the case; a card is given by whoever's check
        # finds the stage late (every case group), never changed; a request is written by the
        # mediator who asks and the head who decides.
        op.execute("GRANT SELECT, INSERT ON stage_card TO md_intake, md_mediator, md_head")
        op.execute("GRANT SELECT ON extension_request TO md_intake, md_mediator, md_head")
        op.execute("GRANT INSERT, UPDATE ON extension_request TO md_mediator, md_head")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE stage_card_id_seq, extension_request_id_seq "
                   "TO md_intake, md_mediator, md_head")
        for table in ("stage_card", "extension_request"):
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            # Read through the case's visibility, written only where the case is writable
            # (migration 0022: a head reads the centers below but does not write their cases).
            op.execute(f"SELECT md_secure_case_table('{table}')")


def downgrade() -> None:
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.drop_index('ix_extension_request_requested')
        batch_op.drop_index(batch_op.f('ix_extension_request_case_id'))
    op.drop_table('extension_request')
    with op.batch_alter_table('stage_card', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_card_given')
        batch_op.drop_index(batch_op.f('ix_stage_card_case_id'))
    op.drop_table('stage_card')
    # Limits set for a department have no place in the older schema.
    op.execute("DELETE FROM time_limit WHERE department_id IS NOT NULL")
    with op.batch_alter_table('time_limit', schema=None) as batch_op:
        batch_op.drop_constraint('uq_time_limit_stage_department_type', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_time_limit_department_id_department'), type_='foreignkey')
        batch_op.drop_column('department_id')
        batch_op.create_unique_constraint('uq_time_limit_stage_type', ['stage', 'dispute_type_id'])
