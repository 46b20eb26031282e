"""the risk briefing's cases above 蓝 by a rule of their own row, from a partial index

The graded list of the county head (1M demo: ~122,000 cases, ~96,000 of them 蓝 for being overdue
or carded alone) is shown first as its cases above 蓝 and its first 蓝 ones. Telling the two apart
read every overdue or carded case's row for its flags (~122,000 rows). The cases whose own row names
a rule above 蓝 (可能民转刑, 50 or more people, 可能引发群体性上访, 重大, 群体性: ~8 % of the cases)
are now a partial index's entries (the center alone): the rest of the sections' cases are 蓝, known
by id from the indexes.

Partial: an entry only for a flagged case. On SQLite the index is analysed whole (``analysis_limit =
0``), as 0048 does.

Revision ID: 0060
Revises: 0059
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0060'
down_revision: str | None = '0059'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN_RULE_SQLITE = ("may_turn_criminal IS 1 OR people_involved >= 50 OR may_group_petition IS 1 OR is_major IS 1 "
                   "OR is_group_dispute IS 1")
OWN_RULE_POSTGRESQL = ("may_turn_criminal IS TRUE OR people_involved >= 50 OR may_group_petition IS TRUE "
                       "OR is_major IS TRUE OR is_group_dispute IS TRUE")


def upgrade() -> None:
    op.create_index('ix_dispute_case_own_rule', 'dispute_case', ['center_id'], unique=False,
                    sqlite_where=sa.text(OWN_RULE_SQLITE), postgresql_where=sa.text(OWN_RULE_POSTGRESQL))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        op.execute("ANALYZE ix_dispute_case_own_rule")
    else:
        op.execute("ANALYZE dispute_case")


def downgrade() -> None:
    op.drop_index('ix_dispute_case_own_rule', table_name='dispute_case')
