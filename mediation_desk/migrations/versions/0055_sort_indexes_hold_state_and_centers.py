"""the case list's sort indexes also hold the state and the centers

A list with a state (待审核结案, or a state chosen in 案件) sorted by team, type, number or last
change walked that sort's index and read each case's row to test its state and center: on the 1M
demo the head's 待审核结案 (50,154 cases, 5 % of the cases) sorted by team ascending first walked
the 106,541 cases without a team (0.4 s of CPU for its first rows, 11 s in a walk of the screens),
and a window in the middle of the list (a scroll bar dragged there) read 500,000 rows (type: 1.5 s
of CPU, 3.7 s wall at offset 25,000). With ``state``, ``center_id`` and ``handling_center_id``
after the sort's own columns, a window's cases are tested in the index, the rows not read (the
same window: 1.05 s → 0.04–0.1 s CPU, measured on the 1M demo); the leading columns and so the
order they serve are unchanged, as is the number of indexes a case write updates.

On SQLite the rebuilt indexes are analysed whole (``analysis_limit = 0``), as 0052 does.

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0055'
down_revision: str | None = '0054'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What a list's filter of state and a person's centers test, after each sort's own columns.
HELD = ("state", "center_id", "handling_center_id")

#: name, the sort's columns.
SORTS = (
    ("ix_dispute_case_number", ("year", "seq", "id")),
    ("ix_dispute_case_type_received", ("dispute_type_id", "received_at", "id")),
    ("ix_dispute_case_team_received", ("team_id", "received_at", "id")),
    ("ix_dispute_case_updated", ("updated_at", "id")),
)


def _rebuild(with_held: bool) -> None:
    for name, columns in SORTS:
        op.drop_index(name, table_name="dispute_case", if_exists=True)
        op.create_index(name, "dispute_case", [*columns, *(HELD if with_held else ())])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, _columns in SORTS:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
