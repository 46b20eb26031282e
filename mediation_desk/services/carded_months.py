"""The cases carded (黄牌/红牌) per center and month, kept exact in the writing transaction
(migration 0058), so that the risk briefing's 亮牌 number is a sum of a few rows, not the month's
cards read and sorted for ``count(DISTINCT case_id)`` (the 1M demo's ~202,000 cards of ~106,000
cases: 65-90 ms of CPU, the largest statement of the briefing's first page).

``stat_carded_month`` (center_id, month, cases): how many cases of the center (the case's center
now, as the number's filter ``center_id IN … AND id IN (the month's cards)`` reads it) were given at
least one card with ``given_on`` in the month. A case carded twice in a month counts once there;
a case carded in two months counts in each. No row names a case.

Triggers on SQLite and PostgreSQL keep it, whatever writes (the card check through the ORM or Core,
raw SQL, a deletion, a retention purge):

* a card inserted, deleted or moved (its case or day changed): each (case, month) it touches counts
  as it is now minus as it was — the case's cards of the month with their day
  (``ix_stage_card_case_given``), a few entries a case;
* a case moved to another center: its months leave the old center's rows and join the new one's;
* a case deleted: its months leave its center's rows before the row goes (its cards, deleted by
  the foreign key's cascade afterwards, no longer find their case and change nothing).

SQLite's row triggers run per card; PostgreSQL's statement triggers take the statement's rows from
its transition tables and upsert once, under the monthly counts' advisory lock
(``stat_months.LOCK``), as SECURITY DEFINER functions: every group's writes keep the table, which
only the heads read (their centers' rows, like ``stat_hotline_month``).

The batch import gives no cards and the demo's case generator gives none either (cards come from
the card check afterwards), so nothing sets these triggers aside. :func:`recount` is the
migration's fill and the repair; :func:`kept` and :func:`recounted` compare them in tests.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from .stat_months import LOCK, pg_statement_trigger

TABLE = "stat_carded_month"
CREATE_TABLE = (f"CREATE TABLE {TABLE} (center_id INTEGER NOT NULL, month VARCHAR(7) NOT NULL, "
                f"cases BIGINT NOT NULL, CONSTRAINT pk_{TABLE} PRIMARY KEY (center_id, month))")


def _upsert(rows: str, *, pg: bool) -> str:
    """Add ``rows`` (a query of center_id, month, cases; several rows may share a key) to the table."""
    target = " AS s" if pg else ""
    prefix = "s." if pg else f"{TABLE}."
    order = " ORDER BY 1, 2" if pg else ""
    return (f"INSERT INTO {TABLE}{target} (center_id, month, cases) "
            f"SELECT center_id, month, sum(cases) FROM ({rows}) x WHERE true GROUP BY center_id, month{order} "
            f"ON CONFLICT (center_id, month) DO UPDATE SET cases = {prefix}cases + excluded.cases")


# --------------------------------------------------------------------------- SQLite

def _sqlite_month(column: str) -> str:
    return f"substr({column}, 1, 7)"


def _sqlite_none_in_month(case_id: str, day: str, other_than: str | None = None) -> str:
    """No card of the case ``case_id`` in the month of ``day`` (but the card ``other_than``): its
    cards with their day (``ix_stage_card_case_given``), the month's range of them."""
    other = f" AND c.id <> {other_than}" if other_than else ""
    return (f"NOT EXISTS (SELECT 1 FROM stage_card c WHERE c.case_id = {case_id} "
            f"AND c.given_on >= {_sqlite_month(day)} || '-01' AND c.given_on <= {_sqlite_month(day)} || '-31'{other})")


def _sqlite_case_months(case_id: str, center: str, sign: str) -> str:
    """Each month in which the case ``case_id`` has a card, as ``sign`` for ``center``."""
    return (f"SELECT {center} AS center_id, m AS month, {sign} AS cases FROM "
            f"(SELECT DISTINCT {_sqlite_month('given_on')} AS m FROM stage_card WHERE case_id = {case_id})")


def sqlite_triggers() -> list[str]:
    def trigger(name: str, when: str, event: str, table: str, condition: str, body: list[str]) -> str:
        cond = f" WHEN {condition}" if condition else ""
        return (f"CREATE TRIGGER IF NOT EXISTS {name} {when} {event} ON {table} FOR EACH ROW{cond} BEGIN "
                + " ".join(s + ";" for s in body) + " END")

    def on_case(case_id: str, day: str, sign: str, condition: str) -> str:
        # The case's center now; a case already gone (its cards deleted by the cascade) counts nothing.
        return _upsert(f"SELECT r.center_id AS center_id, {_sqlite_month(day)} AS month, {sign} AS cases "
                       f"FROM dispute_case r WHERE r.id = {case_id} AND {condition}", pg=False)

    same_pair = f"NEW.case_id = OLD.case_id AND {_sqlite_month('NEW.given_on')} = {_sqlite_month('OLD.given_on')}"
    return [
        # The case's first card of the month.
        trigger("carded_card_ai", "AFTER", "INSERT", "stage_card", "",
                [on_case("NEW.case_id", "NEW.given_on", "1", _sqlite_none_in_month("NEW.case_id", "NEW.given_on",
                                                                                   "NEW.id"))]),
        # Its last card of the month.
        trigger("carded_card_ad", "AFTER", "DELETE", "stage_card", "",
                [on_case("OLD.case_id", "OLD.given_on", "-1", _sqlite_none_in_month("OLD.case_id", "OLD.given_on"))]),
        # Moved: out of its old (case, month) if no other card holds it there, into the new one if
        # no other card held it there already.
        trigger("carded_card_au", "AFTER", "UPDATE OF case_id, given_on", "stage_card",
                f"NOT ({same_pair})",
                [on_case("OLD.case_id", "OLD.given_on", "-1", _sqlite_none_in_month("OLD.case_id", "OLD.given_on")),
                 on_case("NEW.case_id", "NEW.given_on", "1", _sqlite_none_in_month("NEW.case_id", "NEW.given_on",
                                                                                   "NEW.id"))]),
        trigger("carded_case_au", "AFTER", "UPDATE OF center_id", "dispute_case", "OLD.center_id IS NOT NEW.center_id",
                [_upsert(f"{_sqlite_case_months('NEW.id', 'OLD.center_id', '-1')} UNION ALL "
                         f"{_sqlite_case_months('NEW.id', 'NEW.center_id', '1')}", pg=False)]),
        trigger("carded_case_bd", "BEFORE", "DELETE", "dispute_case", "",
                [_upsert(_sqlite_case_months("OLD.id", "OLD.center_id", "-1"), pg=False)]),
    ]


SQLITE_TRIGGER_NAMES = ("carded_card_ai", "carded_card_ad", "carded_card_au", "carded_case_au", "carded_case_bd")


# --------------------------------------------------------------------------- PostgreSQL

_PG_HEADER = "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$\nBEGIN\n"


def _pg_function(name: str, statement: str, *, returns: str = "NULL") -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() {_PG_HEADER}PERFORM pg_advisory_xact_lock({LOCK});\n"
            f"{statement};\nRETURN {returns};\nEND $f$")


def _pg_cards_changed(new: bool, old: bool) -> str:
    """The change of the (case, month) pairs the statement's cards touch: for each, whether the
    case has a card in the month now minus whether it had before (now, less the statement's new
    rows of the pair, plus its old ones), by the case's center."""
    touched = []
    if new:
        touched.append("SELECT case_id, CAST(date_trunc('month', given_on) AS date) AS m0, 1 AS nw, 0 AS od "
                       "FROM new_rows")
    if old:
        touched.append("SELECT case_id, CAST(date_trunc('month', given_on) AS date) AS m0, 0 AS nw, 1 AS od "
                       "FROM old_rows")
    pairs = (f"SELECT case_id, m0, sum(nw) AS nw, sum(od) AS od FROM ({' UNION ALL '.join(touched)}) t "
             "GROUP BY case_id, m0")
    now = ("(SELECT count(*) FROM stage_card c WHERE c.case_id = p.case_id AND c.given_on >= p.m0 "
           "AND c.given_on < CAST(p.m0 + interval '1 month' AS date))")
    counted = (f"SELECT p.case_id, p.m0, {now} AS n, p.nw, p.od FROM ({pairs}) p")
    delta = ("(CASE WHEN k.n > 0 THEN 1 ELSE 0 END) - (CASE WHEN k.n - k.nw + k.od > 0 THEN 1 ELSE 0 END)")
    return _upsert(f"SELECT r.center_id AS center_id, to_char(k.m0, 'YYYY-MM') AS month, {delta} AS cases "
                   f"FROM ({counted}) k JOIN dispute_case r ON r.id = k.case_id "
                   f"WHERE {delta} <> 0", pg=True)


def _pg_case_months(cases: str, center: str, sign: str) -> str:
    """Each (case, month) in which a case of ``cases`` (alias r) has a card, as ``sign`` for the
    case's ``center`` column."""
    return (f"SELECT r.{center} AS center_id, m AS month, {sign} AS cases FROM "
            f"(SELECT DISTINCT r.id, r.{center}, to_char(c.given_on, 'YYYY-MM') AS m "
            f"FROM {cases} JOIN stage_card c ON c.case_id = r.id) r")


def pg_functions() -> list[str]:
    moved = ("(SELECT n.id, o.center_id AS old_center, n.center_id AS new_center FROM old_rows o "
             "JOIN new_rows n ON n.id = o.id WHERE o.center_id IS DISTINCT FROM n.center_id) r")
    return [
        _pg_function("carded_cards_inserted", _pg_cards_changed(new=True, old=False)),
        _pg_function("carded_cards_deleted", _pg_cards_changed(new=False, old=True)),
        _pg_function("carded_cards_updated", _pg_cards_changed(new=True, old=True)),
        _pg_function("carded_cases_moved", _upsert(
            f"{_pg_case_months(moved, 'old_center', '-1')} UNION ALL {_pg_case_months(moved, 'new_center', '1')}",
            pg=True)),
        _pg_function("carded_case_deleting", _upsert(
            _pg_case_months("(SELECT OLD.*) r", "center_id", "-1"), pg=True), returns="OLD"),
    ]


PG_FUNCTION_NAMES = ("carded_cards_inserted", "carded_cards_deleted", "carded_cards_updated", "carded_cases_moved",
                     "carded_case_deleting")


def pg_triggers() -> list[str]:
    statement = pg_statement_trigger
    return [
        statement("carded_card_ai", "INSERT", "stage_card", "carded_cards_inserted"),
        statement("carded_card_ad", "DELETE", "stage_card", "carded_cards_deleted"),
        statement("carded_card_au", "UPDATE", "stage_card", "carded_cards_updated"),
        statement("carded_case_au", "UPDATE", "dispute_case", "carded_cases_moved"),
        "CREATE TRIGGER carded_case_bd BEFORE DELETE ON dispute_case FOR EACH ROW "
        "EXECUTE FUNCTION carded_case_deleting()",
    ]


PG_TRIGGERS = (("carded_card_ai", "stage_card"), ("carded_card_ad", "stage_card"), ("carded_card_au", "stage_card"),
               ("carded_case_au", "dispute_case"), ("carded_case_bd", "dispute_case"))

#: Who reads the counts on a server: the heads, their centers' rows (as ``stat_hotline_month``).
PG_SECURITY = (
    f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY md_center_counts ON {TABLE} FOR SELECT TO md_head "
    "USING (center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[])))",
    f"GRANT SELECT ON {TABLE} TO md_head",
)


# --------------------------------------------------------------------------- recount

def recount_statements(sqlite: bool) -> list[str]:
    """The table again from the cards (with the triggers off or in one transaction)."""
    month = _sqlite_month("c.given_on") if sqlite else "to_char(c.given_on, 'YYYY-MM')"
    return [f"DELETE FROM {TABLE}",
            _upsert(f"SELECT r.center_id AS center_id, p.month AS month, count(*) AS cases FROM "
                    f"(SELECT DISTINCT c.case_id, {month} AS month FROM stage_card c) p "
                    f"JOIN dispute_case r ON r.id = p.case_id GROUP BY r.center_id, p.month", pg=not sqlite)]


def recount(session: Session) -> None:
    """Fill the table again from the cards (the migration's fill; a repair)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite:
        session.execute(text(f"SELECT pg_advisory_xact_lock({LOCK})"))
    for statement in recount_statements(sqlite):
        session.execute(text(statement))


def kept(session: Session) -> dict[tuple[Any, ...], int]:
    """The kept counts without the rows counting nothing (for comparing with :func:`recounted`)."""
    return {(int(center_id), month): int(cases) for center_id, month, cases
            in session.execute(text(f"SELECT center_id, month, cases FROM {TABLE}")) if int(cases)}


def recounted(session: Session) -> dict[tuple[Any, ...], int]:
    """What :func:`recount` would make, read inside a savepoint that is rolled back."""
    nested = session.begin_nested()
    try:
        recount(session)
        return kept(session)
    finally:
        nested.rollback()


__all__ = ["CREATE_TABLE", "PG_FUNCTION_NAMES", "PG_SECURITY", "PG_TRIGGERS", "SQLITE_TRIGGER_NAMES", "TABLE",
           "kept", "pg_functions", "pg_triggers", "recount", "recount_statements", "recounted", "sqlite_triggers"]
