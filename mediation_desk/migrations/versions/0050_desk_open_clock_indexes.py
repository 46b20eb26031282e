"""the desk's due list and counts, and a mediator's supervision orders, from indexes of the open cases

A township head's desk lists the yellow and red cases its center works: on the million-case demo a
few among the county's ~100,000, found by walking ``ix_dispute_case_due_soon`` in due order and
reading each case's row for the center working it (475 ms). A mediator's desk counted their teams'
overdue and due-soon cases through ``ix_dispute_case_team_received``, one case row for each of the
team's ~180,000 cases (0.5-0.7 s each), and listed their teams' supervision orders by walking the
same cases to find the few with an open order (0.5 s with no order at all).

``ix_dispute_case_open_clock`` holds the open cases only (``models.case.OPEN_CASE_CONDITION``, the
text the desk's queries write out, as 0043's indexes) by due day with the warning day, state,
handling center, center and team: each of those reads is a range of it, from the index alone.
``ix_supervision_order_open`` holds the orders not yet answered. ``ix_dispute_case_first_visit``
(0021: the closed cases whose first return visit clock runs) is made again with the handling
center, center, team, state and stage after its due day and id: the desk's count of the visits due read each of
those ~20,000 cases' rows for its center (110 ms of the visits panel's 130-230 ms).

On SQLite the new indexes are analysed whole (``analysis_limit = 0``), as 0021 and 0043 do.

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0050'
down_revision: str | None = '0049'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "state NOT IN ('closed', 'rejected')"
INDEXES = (
    ("ix_dispute_case_open_clock", "dispute_case",
     "clock_due_on, clock_warn_on, state, handling_center_id, center_id, team_id", OPEN),
    ("ix_supervision_order_open", "supervision_order", "case_id", "resolved_at IS NULL"),
)

FIRST_VISIT = ("ix_dispute_case_first_visit", "state = 'closed' AND clock_stage = 'return_visit'")


def _first_visit(columns: str) -> None:
    name, where = FIRST_VISIT
    op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(f"CREATE INDEX {name} ON dispute_case ({columns}) WHERE {where}")


def upgrade() -> None:
    _first_visit("clock_due_on, id, handling_center_id, center_id, team_id, state, clock_stage")
    for name, table, columns, where in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns}) WHERE {where}")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name in (FIRST_VISIT[0], *(name for name, _table, _columns, _where in INDEXES)):
            op.execute(f"ANALYZE {name}")
    else:
        for table in {table for _name, table, _columns, _where in INDEXES}:
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for name, _table, _columns, _where in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    _first_visit("clock_due_on, id")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ANALYZE {FIRST_VISIT[0]}")
