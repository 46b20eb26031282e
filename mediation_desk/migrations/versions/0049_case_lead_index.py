"""the cases a mediator leads, by an index of the lead mediator (and the team)

A mediator's case list (案件) shows their teams' cases and the cases they lead in other teams;
their own list (我承办的案件) the cases they lead or mediate with others. With no index on
``lead_mediator_id`` (only the open cases' partial one, 0043), either condition sent every count of
those lists to a walk of the table (0.5–1.9 s at a million cases). ``ix_dispute_case_lead``
(``lead_mediator_id``, ``team_id``) lets services.caselist count the led cases from their index, the
team checked in it (docs/performance-log.md, "Case list counts").

On SQLite the new index is analysed whole (``analysis_limit = 0``), as 0043 does.

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 04:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0049'
down_revision: str | None = '0048'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_dispute_case_lead ON dispute_case (lead_mediator_id, team_id)")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        op.execute("ANALYZE ix_dispute_case_lead")
    else:
        op.execute("ANALYZE dispute_case")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_dispute_case_lead")
