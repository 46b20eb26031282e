"""Each center's own feedback contacts for its public page: ``center_feedback``

The public page of a month's publicity list tells the public how to give feedback. Those contacts
were database-wide settings, so a township's page gave the county center's address and phone.
A center below the county now keeps its own (address, phone, mailbox); the county center keeps
its settings, which its intake receipt prints too (docs/publicity.md).

On PostgreSQL every account may read them (they are printed on a public page); a head or an
administrator writes those of their own center only.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0038'
down_revision: str | None = '0037'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"
#: Who is connected, asked once per query (a scalar subquery), as 0032 made every policy ask it:
#: tests/test_pg_county_scale.py refuses a bare call, which runs once per row.
OWN_CENTER = "center_id = (SELECT md_current_center_id())"


def upgrade() -> None:
    op.create_table(
        'center_feedback',
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['center.id'], name=op.f('fk_center_feedback_center_id_center'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('center_id', name=op.f('pk_center_feedback')),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT ON center_feedback TO {ALL_GROUPS}")
        op.execute("GRANT INSERT, UPDATE ON center_feedback TO md_head, md_admin")
        op.execute("ALTER TABLE center_feedback ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY md_feedback_read ON center_feedback FOR SELECT TO {ALL_GROUPS} USING (true)")
        op.execute(f"CREATE POLICY md_feedback_insert ON center_feedback FOR INSERT TO md_head, md_admin "
                   f"WITH CHECK ({OWN_CENTER})")
        op.execute(f"CREATE POLICY md_feedback_update ON center_feedback FOR UPDATE TO md_head, md_admin "
                   f"USING ({OWN_CENTER}) WITH CHECK ({OWN_CENTER})")


def downgrade() -> None:
    op.drop_table('center_feedback')
