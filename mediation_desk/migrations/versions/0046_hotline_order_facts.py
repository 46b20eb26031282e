"""each 12345 order keeps its case's last ending and last return visit, so a year's 三率 is read by index

The 三率 (``services.hotline.rates``) of a quarter or a year read every candidate order's last
ending and last visit through correlated subqueries (~90,000 orders on the million-case demo,
2.7 s for the county head's year). ``hotline_order`` gets four columns kept exact in the writing
transaction by triggers (``services/hotline_facts.py``): ``last_ending_at`` and
``last_ending_action`` (the case's last ending transition), ``last_visit_on`` and
``last_visit_rating`` (its last return visit, a rated one first); three indexes read them by
period; and ``stat_hotline_month`` counts per center and month the orders closed (and resolved)
and rated (and satisfied or fairly), from those columns, so whole months are a sum (on a server
each head reads its centers' rows, like the other monthly counts). Nothing kept depends on today
or on the working-day calendar: the 2·20 deadlines are worked out when the figure is read. The
columns and the counts are filled from the rows here.

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.services import hotline_facts

revision: str = '0046'
down_revision: str | None = '0045'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    for name, kind in hotline_facts.COLUMNS:
        column_type = "DATETIME" if sqlite and kind == "TIMESTAMP" else kind
        op.execute(f"ALTER TABLE hotline_order ADD COLUMN {name} {column_type}")
    op.execute(hotline_facts.RECOUNT)
    for name, columns in hotline_facts.INDEXES:
        op.create_index(name, "hotline_order", list(columns), unique=False)
    op.execute(hotline_facts.CREATE_MONTH_TABLE)
    for statement in hotline_facts.recount_months(sqlite):
        op.execute(statement)
    if sqlite:
        for statement in hotline_facts.sqlite_triggers():
            op.execute(statement)
    else:
        for statement in (*hotline_facts.pg_functions(), *hotline_facts.pg_triggers(),
                          *hotline_facts.PG_MONTH_SECURITY):
            _run(statement)
    op.execute("ANALYZE hotline_order")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in hotline_facts.SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in hotline_facts.PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in hotline_facts.PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute(f"DROP TABLE IF EXISTS {hotline_facts.MONTH_TABLE}")
    for name, _columns in hotline_facts.INDEXES:
        op.drop_index(name, table_name="hotline_order", if_exists=True)
    with op.batch_alter_table("hotline_order") as batch:
        for name, _kind in reversed(hotline_facts.COLUMNS):
            batch.drop_column(name)
