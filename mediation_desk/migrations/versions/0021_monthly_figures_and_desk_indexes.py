"""monthly figures kept by triggers; partial indexes for the head's desk and the publicity month

* ``stat_received_month``, ``stat_ending_month``, ``stat_visit_month``: the dashboard's counts per
  month, kept exact by triggers in the writing transaction (``services/stat_months.py`` explains
  what they hold and how a period's figure is summed from them), filled here from the rows. No row
  names a case: on a server the head and the administrator may read them, and the triggers'
  functions are SECURITY DEFINER so that every group's writes maintain them.
* Partial indexes for what the desk lists first: the diversions still awaiting feedback, the
  return visits planned and not made, the closed cases whose first visit clock runs, the cases
  due soon counted from the index alone; and the
  cases by the day they were accepted and closed (the publicity list of a month).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 09:30:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.migrations import stat_months_0021 as stat_months

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    "CREATE INDEX ix_diversion_awaiting ON diversion (sent_at, id) WHERE feedback_at IS NULL",
    "CREATE INDEX ix_planned_visit_open ON planned_visit (due_on, case_id) WHERE visit_id IS NULL",
    "CREATE INDEX ix_dispute_case_first_visit ON dispute_case (clock_due_on, id) "
    "WHERE state = 'closed' AND clock_stage = 'return_visit'",
    "CREATE INDEX ix_dispute_case_accepted ON dispute_case (accepted_at, id)",
    "CREATE INDEX ix_dispute_case_closed ON dispute_case (closed_at, id)",
    "CREATE INDEX ix_dispute_case_due_soon ON dispute_case (clock_due_on, clock_warn_on, state)",
)
#: Read whole by ANALYZE on SQLite (see upgrade).
ANALYZED = ("ix_dispute_case_state_received", "ix_dispute_case_due_state", "ix_diversion_awaiting",
            "ix_planned_visit_open", "ix_dispute_case_first_visit", "ix_dispute_case_accepted", "ix_dispute_case_closed",
            "ix_dispute_case_due_soon")
INDEX_NAMES = ("ix_diversion_awaiting", "ix_planned_visit_open", "ix_dispute_case_first_visit",
               "ix_dispute_case_accepted", "ix_dispute_case_closed", "ix_dispute_case_due_soon")


def upgrade() -> None:
    bind = op.get_bind()
    for statement in INDEXES:
        op.execute(statement)
    for statement in stat_months.CREATE_TABLES:
        op.execute(statement)
    if bind.dialect.name == "sqlite":
        for statement in stat_months.sqlite_triggers():
            op.execute(statement)
    else:
        for statement in (*stat_months.pg_functions(), *stat_months.pg_triggers(), *stat_months.PG_GRANTS):
            bind.execution_options(no_parameters=True).exec_driver_sql(statement)
    from sqlalchemy.orm import Session

    stat_months.recount(Session(bind=bind))
    # The planner's statistics of what the desk reads. A sampled ANALYZE (the demo's, 400 rows an
    # index) sees ~400 cases per state and sends every desk query through the state index — 2 s
    # instead of 50 ms at a million cases; these few are read whole (about a second there).
    if bind.dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name in ANALYZED:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case, diversion, planned_visit")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in stat_months.SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in stat_months.PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in stat_months.PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for table in stat_months.TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")
    for name in INDEX_NAMES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
