"""the monthly counts keep what the table by level counts; on a server each head reads its centers' rows

The head's table by level (分级情况表, ``services/levels.py``) counted a month and the year to it
from the rows: every case received in the year by band of people involved and 重大, and each
case's last ending of the year joined to its case (2–3.5 s on a million cases). Migration 0021's
monthly counts (``services/stat_months.py``) get what it lacks, so that whole months are summed:

* ``stat_received_month``: ``people_under_50``, ``people_50_100``, ``people_100_500``,
  ``people_over_500`` (the cases per band of ``people_involved``, readmodels.levels.PEOPLE_BANDS)
  and ``major_cases`` (``is_major``);
* ``stat_ending_month``: ``people`` (the sum of the cases' ``people_involved``), ``petition_cases``
  (``may_group_petition``) and ``petition_people``.

The triggers are made again (they now also follow ``people_involved``, ``is_major`` and
``may_group_petition``) and the two tables recounted from the rows. On PostgreSQL the three tables
come under row-level security: the head and the administrator read the rows of the centers they
may read (``md_current_center_ids()``, through a scalar subquery as migration 0032 requires), so a
township head's sums hold its township alone by the server's rules, as its case rows do. The
triggers' functions are SECURITY DEFINER and owned by the tables' owner, so every write still
maintains them.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from mediation_desk.migrations import stat_months_0022
from mediation_desk.services import stat_months

revision: str = '0040'
down_revision: str | None = '0039'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICY = "md_center_counts"
CENTER_READ = "center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))"


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def _drop_triggers(bind: sa.Connection, module: ModuleType) -> None:
    if bind.dialect.name == "sqlite":
        for name in module.SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in module.PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in module.PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _make_triggers(bind: sa.Connection, module: ModuleType) -> None:
    if bind.dialect.name == "sqlite":
        for statement in module.sqlite_triggers():
            op.execute(statement)
    else:
        for statement in (*module.pg_functions(), *module.pg_triggers()):
            _run(statement)


def upgrade() -> None:
    bind = op.get_bind()
    _drop_triggers(bind, stat_months_0022)
    for table, columns in stat_months.ADDED_COLUMNS:
        for column in columns:
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} BIGINT NOT NULL DEFAULT 0")
    _make_triggers(bind, stat_months)
    if bind.dialect.name == "postgresql":
        for table in stat_months.TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {POLICY} ON {table} FOR SELECT TO md_head, md_admin USING ({CENTER_READ})")
    from sqlalchemy.orm import Session

    # Only the two tables with new columns: stat_visit_month is unchanged (and exact).
    stat_months.recount(Session(bind=bind), tables=tuple(table for table, _columns in stat_months.ADDED_COLUMNS))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in stat_months.TABLES:
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    _drop_triggers(bind, stat_months)
    for table, columns in stat_months.ADDED_COLUMNS:
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    # The columns of 0022 were kept exact all along: only its triggers come back.
    _make_triggers(bind, stat_months_0022)
