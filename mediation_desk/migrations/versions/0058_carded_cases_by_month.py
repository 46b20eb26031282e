"""the cases carded per center and month kept by triggers, so the briefing's 亮牌 is a sum of a few rows

The risk briefing's first page counted the month's carded cases as ``count(DISTINCT case_id)`` over
the month's range of the cards' index: on the 1M demo ~202,000 cards of ~106,000 cases, 65-90 ms
of CPU mostly sorting the cases, the page's largest statement. ``stat_carded_month`` (center_id,
month, cases) keeps, per center (the case's) and month (the card's day), the cases given at least
one card, exact in the writing transaction by triggers on SQLite and PostgreSQL
(``services/carded_months.py``): a card given, deleted or moved, a case moved to another center or
deleted. On a server the heads read their centers' rows (as ``stat_hotline_month``). Filled here
from the cards.

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.services import carded_months

revision: str = '0058'
down_revision: str | None = '0057'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(carded_months.CREATE_TABLE)
    for statement in carded_months.recount_statements(sqlite):
        op.execute(statement)
    if sqlite:
        for statement in carded_months.sqlite_triggers():
            op.execute(statement)
    else:
        for statement in (*carded_months.pg_functions(), *carded_months.pg_triggers(), *carded_months.PG_SECURITY):
            _run(statement)
    op.execute(f"ANALYZE {carded_months.TABLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in carded_months.SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in carded_months.PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in carded_months.PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute(f"DROP TABLE IF EXISTS {carded_months.TABLE}")
