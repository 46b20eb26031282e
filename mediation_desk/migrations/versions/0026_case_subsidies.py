"""case-based subsidies (以案定补)

* ``subsidy_rule_set``: the administrator's rules, one version per month they take effect
  (organisation data: every group reads them, the administrator writes them);
* ``subsidy_statement``: a month's statement as issued, its header and per-mediator totals (no
  case content: the administrator may print the summary);
* ``subsidy_statement_part``: each mediator's cases of an issued month, paid and refused, as
  printed. On a server the head reads every part and a mediator only their own.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"


def upgrade() -> None:
    op.create_table(
        'subsidy_rule_set',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('effective_month', sa.String(length=7), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'],
                                name=op.f('fk_subsidy_rule_set_updated_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_rule_set')),
        sa.UniqueConstraint('effective_month', name=op.f('uq_subsidy_rule_set_effective_month')),
    )
    op.create_table(
        'subsidy_statement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('rule_set_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('total_fen', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['issued_by_id'], ['app_user.id'],
                                name=op.f('fk_subsidy_statement_issued_by_id_app_user')),
        sa.ForeignKeyConstraint(['rule_set_id'], ['subsidy_rule_set.id'],
                                name=op.f('fk_subsidy_statement_rule_set_id_subsidy_rule_set')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_statement')),
        sa.ForeignKeyConstraint(['center_id'], ['center.id'], name=op.f('fk_subsidy_statement_center_id_center')),
        sa.UniqueConstraint('center_id', 'month', name='uq_subsidy_statement_center_month'),
    )
    op.create_table(
        'subsidy_statement_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('mediator_id', sa.Integer(), nullable=True),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('paid_fen', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'],
                                name=op.f('fk_subsidy_statement_part_mediator_id_mediator')),
        sa.ForeignKeyConstraint(['statement_id'], ['subsidy_statement.id'],
                                name=op.f('fk_subsidy_statement_part_statement_id_subsidy_statement'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_statement_part')),
    )
    with op.batch_alter_table('subsidy_statement_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subsidy_statement_part_statement_id'), ['statement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subsidy_statement_part_mediator_id'), ['mediator_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # The rules are organisation data (migration 0014's ORG_TABLES): read by all, written by
        # the administrator.
        op.execute(f"GRANT SELECT ON subsidy_rule_set TO {ALL_GROUPS}")
        op.execute("GRANT INSERT, UPDATE, DELETE ON subsidy_rule_set TO md_admin")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE subsidy_rule_set_id_seq TO md_admin")
        # The statement's header names no case: the head issues their own center's, everyone may read
        # the totals of the centers they read (migration 0022's centers).
        op.execute(f"GRANT SELECT ON subsidy_statement TO {ALL_GROUPS}")
        op.execute("ALTER TABLE subsidy_statement ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY md_subsidy_read ON subsidy_statement FOR SELECT TO {ALL_GROUPS} "
                   "USING (center_id = ANY (md_current_center_ids()))")
        op.execute("CREATE POLICY md_subsidy_issue ON subsidy_statement FOR INSERT TO md_head "
                   "WITH CHECK (center_id = md_current_center_id())")
        op.execute("GRANT INSERT ON subsidy_statement TO md_head")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE subsidy_statement_id_seq TO md_head")
        # Parts name cases: the head reads and writes all of them, a mediator reads their own.
        op.execute("GRANT SELECT, INSERT ON subsidy_statement_part TO md_head")
        op.execute("GRANT SELECT ON subsidy_statement_part TO md_mediator")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE subsidy_statement_part_id_seq TO md_head")
        op.execute("ALTER TABLE subsidy_statement_part ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY md_subsidy_head ON subsidy_statement_part FOR ALL TO md_head "
                   "USING (EXISTS (SELECT 1 FROM subsidy_statement s WHERE s.id = statement_id)) "
                   "WITH CHECK (EXISTS (SELECT 1 FROM subsidy_statement s WHERE s.id = statement_id "
                   "AND s.center_id = md_current_center_id()))")
        op.execute("CREATE POLICY md_subsidy_own ON subsidy_statement_part FOR SELECT TO md_mediator "
                   "USING (mediator_id = md_current_mediator_id())")


def downgrade() -> None:
    with op.batch_alter_table('subsidy_statement_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subsidy_statement_part_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_subsidy_statement_part_statement_id'))
    op.drop_table('subsidy_statement_part')
    op.drop_table('subsidy_statement')
    op.drop_table('subsidy_rule_set')
