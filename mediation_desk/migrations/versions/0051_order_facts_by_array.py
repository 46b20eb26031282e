"""the 12345 order facts' statement triggers find their orders through one array (no nested loop)

0046's PostgreSQL statement triggers updated the orders ``WHERE case_id IN (SELECT … FROM
new_rows …)``. A transition table has no statistics: the planner chose a nested loop that scanned
the statement's rows once per order row, so a batch import's timeline inserts (20,000 rows a
statement, none of them an ending) grew with every order already written — minutes per chunk
after the first of a 100,000-row file. The same functions now take ``= ANY (ARRAY(…))``: the
statement's rows read once, the orders found through their unique index. Same results (the rows
updated are the same; ``tests/services/test_hotline_facts*`` compare with a recount).

Revision ID: 0051
Revises: 0047
Create Date: 2026-12-06 04:15:00
"""

from collections.abc import Sequence

from alembic import op

from mediation_desk.services import hotline_facts

revision: str = '0051'
down_revision: str | None = '0047'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return  # SQLite's triggers are per row
    for statement in hotline_facts.pg_functions():  # CREATE OR REPLACE: the triggers stay
        bind.execution_options(no_parameters=True).exec_driver_sql(statement)


def downgrade() -> None:
    # The bodies before 0051 updated the same rows (only slower): nothing to restore.
    pass
