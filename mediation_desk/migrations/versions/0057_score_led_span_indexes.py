"""the month's department scores count the led cases in index ranges, and look up carded ones

督办与考核 (``cards.department_scores``) counts, per department, the cases its mediators lead that
were open in the month, the cases carded for it and those it asked an extension on — each case
once. It read every led case open in the month through ``ix_dispute_case_closed`` (~220,000 at a
million cases; for an old month every case closed since), joined each to its mediator, and sorted
them with the month's cards in a UNION. Now |led ∪ carded ∪ asked| = |led| + |carded, not led| +
|asked, neither|:

* ``ix_dispute_case_lead_span`` (``lead_mediator_id``, ``closed_at``, ``accepted_at``,
  ``received_at``), new: per lead mediator, the still open cases accepted (or, never accepted,
  received) before the month's end are two ranges counted from the index alone; the closed ones
  a range from the month's start, their accepted or received day tested in the entry.
* ``ix_dispute_case_mediated`` (``id``, … ``handling_center_id``) gets ``accepted_at`` and
  ``closed_at``: each case carded (or asked on) in the month is looked up in it, not in the (large)
  case row, to tell whether it is already one of the department's led cases. Its leading columns are
  unchanged for the mediator's own list.

A case write keeps one index more. On SQLite the indexes are analysed whole (``analysis_limit = 0``),
as 0048 does.

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0057'
down_revision: str | None = '0056'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEAD_SPAN = "ix_dispute_case_lead_span"
LEAD_SPAN_COLUMNS = ("lead_mediator_id", "closed_at", "accepted_at", "received_at")
MEDIATED = "ix_dispute_case_mediated"
MEDIATED_BEFORE = ("id", "lead_mediator_id", "team_id", "state", "dispute_type_id", "received_at", "center_id",
                   "handling_center_id")
MEDIATED_AFTER = (*MEDIATED_BEFORE, "accepted_at", "closed_at")


def _analyse(names: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name in names:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")


def upgrade() -> None:
    op.create_index(LEAD_SPAN, "dispute_case", list(LEAD_SPAN_COLUMNS), unique=False, if_not_exists=True)
    op.drop_index(MEDIATED, table_name="dispute_case", if_exists=True)
    op.create_index(MEDIATED, "dispute_case", list(MEDIATED_AFTER), unique=False)
    _analyse([LEAD_SPAN, MEDIATED])


def downgrade() -> None:
    op.drop_index(LEAD_SPAN, table_name="dispute_case", if_exists=True)
    op.drop_index(MEDIATED, table_name="dispute_case", if_exists=True)
    op.create_index(MEDIATED, "dispute_case", list(MEDIATED_BEFORE), unique=False)
    _analyse([MEDIATED])
