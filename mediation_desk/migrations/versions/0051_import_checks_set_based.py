"""PostgreSQL: the order facts' triggers find their orders by one array; case content's write check set-based

1. The 12345 order facts' statement triggers find their orders through one array.

0046's PostgreSQL statement triggers updated the orders ``WHERE case_id IN (SELECT … FROM
new_rows …)``. A transition table has no statistics: the planner chose a nested loop that scanned
the statement's rows once per order row, so a batch import's timeline inserts (20,000 rows a
statement, none of them an ending) grew with every order already written — minutes per chunk
after the first of a 100,000-row file. The same functions now take ``= ANY (ARRAY(…))``: the
statement's rows read once, the orders found through their unique index. Same results (the rows
updated are the same; ``tests/services/test_hotline_facts*`` compare with a recount).

2. Case content's write check without a function call per row. 0022's policies of a table of
case content (``md_secure_case_table``) let a row be written where ``EXISTS (SELECT 1 FROM
dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))``: a SQL function
with subqueries, never inlined, called once per row (two look-ups of the case by id as the
owner and one of the account): 433,000 calls, ~27 s of the server in a 100,000-row import as the
clerk. For a child row, ``md_case_writable(c.id, c.center_id)`` is (0028) "the case's handling
center, else its center, is this account's center": the function looks up the very case ``c``
again, so its ``center_id`` is ``c.center_id``. The policies now say that on ``c`` itself —
``coalesce(c.handling_center_id, c.center_id) = (SELECT md_current_center_id())``, the account's
center read once per statement — the same rows admitted and refused (``tests/test_pg_*``; the
import's equality test as the clerk). Only the tables whose four policies are still exactly
``md_secure_case_table``'s are redone (not ``case_crossing`` nor ``risk_grade``, whose policies
are their own); ``dispute_case``'s own policies keep ``md_case_writable`` (an update there may
move the case between centers, which the function's look-up of the stored row decides).

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-06 04:15:00
"""

from collections.abc import Sequence
from typing import Any

from alembic import op

from mediation_desk.services import hotline_facts

revision: str = '0051'
down_revision: str | None = '0050'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_WRITABLE = "EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))"
#: md_case_writable(c.id, c.center_id) of the case c itself (0028): its handling center, else its center.
WRITABLE = ("EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id "
            "AND coalesce(c.handling_center_id, c.center_id) = (SELECT md_current_center_id()))")
VISIBLE = "EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)"


def secure_case_table(writable: str) -> str:
    """``md_secure_case_table`` (0022) with ``writable`` as its write check."""
    return rf"""
CREATE OR REPLACE FUNCTION md_secure_case_table(p_table regclass) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $f$
DECLARE
  p text;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
  FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = p_table::text
                AND policyname IN ('md_case_rows', 'md_case_insert', 'md_case_update', 'md_case_delete') LOOP
    EXECUTE format('DROP POLICY %I ON %s', p, p_table);
  END LOOP;
  EXECUTE format('CREATE POLICY md_case_rows ON %s FOR SELECT TO md_intake, md_mediator, md_head USING (%s)',
                 p_table, '{VISIBLE}');
  EXECUTE format('CREATE POLICY md_case_insert ON %s FOR INSERT TO md_intake, md_mediator, md_head WITH CHECK (%s)',
                 p_table, '{writable}');
  EXECUTE format('CREATE POLICY md_case_update ON %s FOR UPDATE TO md_intake, md_mediator, md_head USING (%s) WITH CHECK (%s)',
                 p_table, '{VISIBLE}', '{writable}');
  EXECUTE format('CREATE POLICY md_case_delete ON %s FOR DELETE TO md_intake, md_mediator, md_head USING (%s)',
                 p_table, '{writable}');
END
$f$"""


#: md_secure_case_table's four policies as PostgreSQL prints them (blanks folded), by the write check.
_PRINTED_WRITABLE = {
    OLD_WRITABLE: "(EXISTS ( SELECT 1 FROM dispute_case c WHERE ((c.id = {t}.case_id) AND "
                  "md_case_writable(c.id, c.center_id))))",
    WRITABLE: "(EXISTS ( SELECT 1 FROM dispute_case c WHERE ((c.id = {t}.case_id) AND "
              "(COALESCE(c.handling_center_id, c.center_id) = ( SELECT md_current_center_id() AS md_current_center_id)))))",
}
_PRINTED_VISIBLE = "(EXISTS ( SELECT 1 FROM dispute_case c WHERE (c.id = {t}.case_id)))"


def _folded(printed: str | None) -> str | None:
    return None if printed is None else " ".join(printed.split())


def _secured_tables(bind: Any, writable: str) -> list[str]:
    """The tables whose four case-content policies are exactly md_secure_case_table's with the
    write check ``writable`` (not ``agreement_term``, ``case_crossing``, ``risk_grade`` … whose
    policies are their own)."""
    found: dict[str, dict[str, tuple[Any, ...]]] = {}
    for table, name, roles, qual, check in bind.exec_driver_sql(
            "SELECT tablename, policyname, roles, qual, with_check FROM pg_policies WHERE schemaname = 'public' "
            "AND policyname IN ('md_case_rows', 'md_case_insert', 'md_case_update', 'md_case_delete')"):
        found.setdefault(table, {})[name] = (tuple(sorted(roles)), _folded(qual), _folded(check))
    tables = []
    for table, policies in sorted(found.items()):
        visible, write = _PRINTED_VISIBLE.format(t=table), _PRINTED_WRITABLE[writable].format(t=table)
        groups = ("md_head", "md_intake", "md_mediator")
        if policies == {"md_case_rows": (groups, visible, None), "md_case_insert": (groups, None, write),
                        "md_case_update": (groups, visible, write), "md_case_delete": (groups, write, None)}:
            tables.append(table)
    return tables


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return  # SQLite's triggers are per row; no row-level security
    for statement in hotline_facts.pg_functions():  # CREATE OR REPLACE: the triggers stay
        _run(statement)
    tables = _secured_tables(bind, OLD_WRITABLE)
    _run(secure_case_table(WRITABLE))
    for table in tables:
        _run(f"SELECT md_secure_case_table('{table}')")


def downgrade() -> None:
    # The order facts' bodies before 0051 updated the same rows (only slower): kept.
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    tables = _secured_tables(bind, WRITABLE)
    _run(secure_case_table(OLD_WRITABLE))
    for table in tables:
        _run(f"SELECT md_secure_case_table('{table}')")
