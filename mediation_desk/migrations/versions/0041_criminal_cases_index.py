"""the cases flagged 可能民转刑 of the centers a head reads, from an index of their own

The risk briefing (services/briefing.py) lists the cases flagged 可能民转刑 received in the month or
still open. No index held the flag, so the query read the whole case table: 3.9 s for the county
head on the 1,000,000-case demo (a cold cache, load 10), 0.2 s with this partial index of the
flagged cases (20,186 of the demo's million) by center and state.

SQLite: analysed here (its planner knows an index only once analysed). PostgreSQL: the same
partial index; the case table's row-level security (migrations 0022, 0032) is unchanged.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-05 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0041'
down_revision: str | None = '0040'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The predicate as each dialect writes ``DisputeCase.may_turn_criminal.is_(True)`` (a partial index
#: is used only for a query whose condition states it).
SQLITE_WHERE = "may_turn_criminal IS 1"
POSTGRESQL_WHERE = "may_turn_criminal IS TRUE"


def upgrade() -> None:
    op.create_index('ix_dispute_case_criminal', 'dispute_case', ['center_id', 'state'], unique=False,
                    sqlite_where=sa.text(SQLITE_WHERE), postgresql_where=sa.text(POSTGRESQL_WHERE))
    if op.get_bind().dialect.name != 'postgresql':
        op.execute("ANALYZE ix_dispute_case_criminal")


def downgrade() -> None:
    op.drop_index('ix_dispute_case_criminal', table_name='dispute_case')
