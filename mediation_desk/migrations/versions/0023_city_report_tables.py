"""report tables a county publishes to its city by logical replication

* ``city_county``, ``city_case``, ``city_ending``, ``city_visit`` (``models/city.py``): what the
  city's statistics need of each case, ending and return visit, keyed by the county's code first
  (so the city holds several counties' colliding case ids), with no name, ID number, phone,
  address or free text. On PostgreSQL kept exact by statement triggers in the writing transaction
  (``services/city.py``), filled here from the rows, readable only by the group ``md_city`` (row-level
  security; the city's replication login joins it) and published as ``md_city``. On SQLite the
  tables are made and stay empty: a single desk publishes nothing.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.services import city

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    for statement in city.create_tables(bind.dialect.name):
        op.execute(statement)
    if bind.dialect.name != "postgresql":
        return
    for statement in city.county_statements():
        bind.execution_options(no_parameters=True).exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in city.drop_county_statements():
            bind.exec_driver_sql(statement)
    for table in reversed(city.REPORT_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
