"""the open cases per team and per lead mediator come from partial indexes of the open cases

The organisation screen (组织机构: every role opens it) shows each team's and each mediator's open
cases. Counted with ``state NOT IN (…)`` over ``dispute_case``, that was a walk of every case —
2.8 s at a million cases, each time the screen opened or an organisation record was saved.
``ix_dispute_case_open_team`` and ``ix_dispute_case_open_lead`` hold only the cases still open (the
states outside services.workflow.FINAL_STATES; ~22 % of the demo's million) and the count is read
from them alone (41 ms). Both databases use a partial index only for a query whose condition is the
index's own text, so services.organisation writes it out (models.case.OPEN_CASE_CONDITION).

On SQLite the new indexes are analysed whole (``analysis_limit = 0``): the planner knows an index
only once it is analysed (as 0021 and 0028 do).

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-05 21:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0043'
down_revision: str | None = '0042'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "state NOT IN ('closed', 'rejected')"
INDEXES = (("ix_dispute_case_open_team", "team_id"), ("ix_dispute_case_open_lead", "lead_mediator_id"))


def upgrade() -> None:
    for name, column in INDEXES:
        op.execute(f"CREATE INDEX {name} ON dispute_case ({column}) WHERE {OPEN}")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, _column in INDEXES:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")


def downgrade() -> None:
    for name, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
