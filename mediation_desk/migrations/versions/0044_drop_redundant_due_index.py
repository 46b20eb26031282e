"""drop ix_dispute_case_due_state, a prefix of ix_dispute_case_due_center

``ix_dispute_case_due_state (clock_due_on, state)`` (migration 0006) is the first two columns of
``ix_dispute_case_due_center (clock_due_on, state, center_id)`` (migration 0032), with no partial
``WHERE``: every lookup or range the first serves, the second serves with the same leading
columns (and reads ``center_id`` from the index too). Each case insert kept both B-trees; a batch
import of 100,000 cases wrote one index less (issue 20 item 5, docs/performance-log.md "Batch
import"). Checked before dropping it: of the 815 statements on the case, party, timeline and 12345
tables that the tests of the lists, search, desk, statistics, publicity, briefing, levels, visits,
cards, clocks, retention and the benches run, none used it on a copy of the million-case demo, and
with it dropped no plan changed (``tests/services/test_due_index_plans.py`` keeps the overdue and due-soon queries on
an index).

SQLite drops a table's index in place (its ``sqlite_stat1`` row goes with it); nothing to analyse.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-05 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0044'
down_revision: str | None = '0043'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = ("ix_dispute_case_due_state", "dispute_case", ["clock_due_on", "state"])


def upgrade() -> None:
    op.drop_index(INDEX[0], table_name=INDEX[1], if_exists=True)


def downgrade() -> None:
    op.create_index(INDEX[0], INDEX[1], INDEX[2], unique=False, if_not_exists=True)
    if op.get_bind().dialect.name != "postgresql":
        op.execute(f"ANALYZE {INDEX[0]}")
