"""PostgreSQL: a new case's write check, and the city report rows' keys, read once per statement

1. A new case's write check.

``md_case_insert`` on ``dispute_case`` (0022, for the clerks and heads) admitted a row where
``md_case_writable(id, center_id)`` holds: a SQL function (SECURITY DEFINER, never inlined) called
once per inserted row, which looks the case up twice by its id as the owner and calls
``md_current_center_id()`` (a look-up of the account) — for a 100,000-row import as the clerk
100,000 calls of each. For a row being inserted there is no stored case of its id to find (the
statement's snapshot does not hold it; a stored one of the same id would make the insert fail on
the primary key anyway), so the function's answer is its first branch, 0028's "``center_id`` is
the account's center, and not NULL": ``center_id = (SELECT md_current_center_id())`` says the
same with the account's center read once per statement. The same rows admitted and refused
(``tests/test_pg_centers.py``); update, delete and the mediators' ``md_case_team`` keep
``md_case_writable`` (an update may move a case between centers, which the stored row decides).

2. The city report rows' keys (0023, ``services/city.py``). The statement triggers that copy the
new cases, endings and visits into the city's report tables joined the rows with ``(SELECT
md_city_code() AS code, md_city_center_code() AS center) k``; the planner pulls that subquery up
into the statement and then calls both functions once per row (20,000 calls of each for one
chunk of an import). Each is now a scalar subquery of its own, evaluated once per statement; the
same rows written (``tests/test_pg_county_story.py``, ``tests/services/test_city*``). The
downgrade keeps the new bodies (the old ones wrote the same rows, only slower), as 0051 does.

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-06 15:40:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.services import city

revision: str = '0053'
down_revision: str | None = '0052'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSERT_POLICY = "CREATE POLICY md_case_insert ON dispute_case FOR INSERT TO md_intake, md_head WITH CHECK ({})"
#: md_case_writable(id, center_id) of a row not yet stored (0028): its center is the account's.
NEW_CASE_WRITABLE = "center_id = (SELECT md_current_center_id())"
OLD_WRITABLE = "md_case_writable(id, center_id)"


def _replace(check: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return  # no row-level security
    bind.exec_driver_sql("DROP POLICY md_case_insert ON dispute_case")
    bind.exec_driver_sql(INSERT_POLICY.format(check))


#: The city report tables' trigger functions that read the keys (services/city.py ``_KEYS``).
CITY_FUNCTIONS = ("city_cases_written", "city_endings_written", "city_visits_written")


def _city_functions() -> list[str]:
    wanted = tuple(f"CREATE FUNCTION {name}()" for name in CITY_FUNCTIONS)
    found = [statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
             for statement in city.county_statements() if statement.startswith(wanted)]
    assert len(found) == len(CITY_FUNCTIONS), found
    return found


def upgrade() -> None:
    _replace(NEW_CASE_WRITABLE)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    # Only where 0023 made them (a county's server; every PostgreSQL database since 0023).
    if bind.exec_driver_sql("SELECT to_regproc('city_cases_written') IS NOT NULL").scalar():
        for statement in _city_functions():
            bind.execution_options(no_parameters=True).exec_driver_sql(statement)


def downgrade() -> None:
    _replace(OLD_WRITABLE)
