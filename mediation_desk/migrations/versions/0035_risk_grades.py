"""风险研判: the head's grade of a case in a month's briefing

* ``risk_grade``: one row per case and month where the head set a grade different from the one the
  briefing's rules proposed, with both grades and the required reason (docs/briefing.md).

On PostgreSQL it is case content: read through the case, written where the case is writable
(``md_secure_case_table``).

Revision ID: 0035
Revises: 0032
Create Date: 2026-12-05 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0035'
down_revision: str | None = '0034'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"
GRADES = ('red', 'orange', 'yellow', 'blue')


def upgrade() -> None:
    op.create_table(
        'risk_grade',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('proposed', sa.Enum(*GRADES, name='risklevel', native_enum=False, length=32), nullable=False),
        sa.Column('grade', sa.Enum(*GRADES, name='risklevel', native_enum=False, length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_risk_grade_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id'], name=op.f('fk_risk_grade_set_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_grade')),
        sa.UniqueConstraint('case_id', 'month', name='uq_risk_grade_case_month'),
    )
    with op.batch_alter_table('risk_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_grade_case_id'), ['case_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON risk_grade TO {CASE_GROUPS}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE risk_grade_id_seq TO {CASE_GROUPS}")
        op.execute("ALTER TABLE risk_grade ENABLE ROW LEVEL SECURITY")
        op.execute("SELECT md_secure_case_table('risk_grade')")


def downgrade() -> None:
    with op.batch_alter_table('risk_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_grade_case_id'))
    op.drop_table('risk_grade')
