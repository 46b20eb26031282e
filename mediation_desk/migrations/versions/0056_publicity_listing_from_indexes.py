"""the month's publicity list is listed from two indexes alone

公示 lists a month's cases accepted in it and those closed in it, each center its own
(``publicity.listing``). Both were read through their day's index (``ix_dispute_case_accepted``,
``ix_dispute_case_closed``) and each case's row looked up for its center (and, closed, its state):
on the 1M demo the head's November, 95,103 cases, took 0.9-2.4 s before the list's first rows
(0.73 + 0.26 s wall, read alone). With the center (and the state) in the indexes the same two
reads take 0.03 + 0.02 s.

* ``ix_dispute_case_accepted`` (``accepted_at``, ``id``) → also ``center_id``;
* ``ix_dispute_case_closed`` (``closed_at``, ``id``, ``lead_mediator_id``, ``accepted_at``,
  ``received_at``) → also ``state``, ``center_id``; the leading columns (and so every plan that
  used them) unchanged.

On SQLite the rebuilt indexes are analysed whole (``analysis_limit = 0``), as 0052 does.

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-07 01:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0056'
down_revision: str | None = '0055'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name, columns before, columns after.
INDEXES = (
    ("ix_dispute_case_accepted", ("accepted_at", "id"), ("center_id",)),
    ("ix_dispute_case_closed", ("closed_at", "id", "lead_mediator_id", "accepted_at", "received_at"),
     ("state", "center_id")),
)


def _rebuild(widened: bool) -> None:
    for name, columns, added in INDEXES:
        op.drop_index(name, table_name="dispute_case", if_exists=True)
        op.create_index(name, "dispute_case", [*columns, *(added if widened else ())])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, _columns, _added in INDEXES:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
