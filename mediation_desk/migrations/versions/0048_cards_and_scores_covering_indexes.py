"""the desk's card check and the month's department scores read their indexes alone

Three indexes get the columns their reads test, so that those reads never go to
the case rows (large rows: addresses, texts), at a million cases an IO-bound walk:

* ``ix_dispute_case_clock`` (``clock_warn_on``, ``clock_due_on``) → also ``clock_stage``,
  ``center_id``, ``handling_center_id``, ``team_id``, ``lead_mediator_id``: the card check
  (``services.cards.due_cards``) walks every running clock past its yellow day and tests the stage,
  the actor's centers (own, handling) and, for a mediator or the clerk, the team and lead. It read
  120,691 case rows on the 1M demo (0.35 s CPU, 0.7-0.9 s wall).
* ``ix_dispute_case_closed`` (``closed_at``, ``id``) → also ``lead_mediator_id``, ``accepted_at``,
  ``received_at``: the department scores of a month (督办与考核, ``cards.department_scores``) take
  the led cases still open at the month's start (``closed_at IS NULL OR closed_at >= first``) and
  test their lead and their accepted/received day; ~150,000 case rows a month at a million.
* ``ix_stage_card_given`` (``given_on``, ``department_id``) → also ``colour``, ``case_id``: the
  same scores count each department's cards of the month by colour (206,258 cards in the demo's
  November).

Both keep their leading columns, so every read that used them (the publicity list's closed cases
of a month ordered by ``closed_at, id``, the clocks' ranges) still does; no index is added to what
each case write keeps. On SQLite the rebuilt indexes are analysed whole (``analysis_limit = 0``).

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0048'
down_revision: str | None = '0047'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name, table, columns before, columns after.
INDEXES = (
    ("ix_dispute_case_clock", "dispute_case", ("clock_warn_on", "clock_due_on"),
     ("clock_warn_on", "clock_due_on", "clock_stage", "center_id", "handling_center_id", "team_id",
      "lead_mediator_id")),
    ("ix_dispute_case_closed", "dispute_case", ("closed_at", "id"),
     ("closed_at", "id", "lead_mediator_id", "accepted_at", "received_at")),
    ("ix_stage_card_given", "stage_card", ("given_on", "department_id"),
     ("given_on", "department_id", "colour", "case_id")),
)


def _rebuild(which: int) -> None:
    for name, table, *columns in INDEXES:
        op.drop_index(name, table_name=table, if_exists=True)
        op.create_index(name, table, list(columns[which]), unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, *_rest in INDEXES:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")
        op.execute("ANALYZE stage_card")


def upgrade() -> None:
    _rebuild(1)


def downgrade() -> None:
    _rebuild(0)
