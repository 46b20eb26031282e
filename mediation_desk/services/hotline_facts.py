"""What the 三率 read of each 12345 order's case, kept on the order row in the writing transaction
(migration 0046), so that a quarter or a year is a few index ranges instead of every order's
endings and visits looked up (docs/performance-log.md "The 三率 from the orders' kept facts").

``hotline_order`` keeps, by triggers on SQLite and PostgreSQL:

* ``center_id``, ``state``, ``is_consultation``, ``dispute_type_id``: the case's, so that the
  figures read the orders' indexes alone, never the case rows;
* ``last_ending_at``, ``last_ending_action``: the case's last ending transition (the highest
  ``case_event`` id whose action is an ending: 调解成功, 调解不成, 撤回, 分流, 不予受理), whatever the
  case's state now. The 三率 and the return file count it as 办结 only while the case is not being
  handled again: that test reads the case's state when the figure is read.
* ``last_visit_on``, ``last_visit_rating``: the case's last return visit as the return file picks
  it (a rated one first, then the later day, then the higher id): its day and satisfaction.

None of these depends on today or on the working-day calendar: the 2·20 deadlines (working days,
an administrator's limits per dispute type) are worked out when the figure is read, for the days
of the period only (``services.hotline.rates``). Every trigger recomputes the kept columns of the
orders of the cases it touched from the rows (not a delta), so the columns are always what
:func:`recount` would write; :func:`kept` and :func:`recounted` compare them in tests.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from .stat_months import ENDING_ACTIONS, LOCK, pg_statement_trigger

#: The kept columns, added by migration 0046.
COLUMNS = (("center_id", "INTEGER"), ("state", "VARCHAR(32)"), ("is_consultation", "BOOLEAN"),
           ("dispute_type_id", "INTEGER"), ("last_ending_at", "TIMESTAMP"), ("last_ending_action", "VARCHAR(40)"),
           ("last_visit_on", "DATE"), ("last_visit_rating", "VARCHAR(32)"))
#: The indexes the 三率 read them through, alone (name, columns), by center first (a township head's
#: year is its own orders' ranges); the model declares the same.
INDEXES = (("ix_hotline_order_received", ("center_id", "received_at", "contacted_at", "last_ending_at", "state",
                                          "is_consultation", "dispute_type_id")),
           ("ix_hotline_order_ending", ("center_id", "last_ending_at", "state", "last_ending_action")),
           ("ix_hotline_order_visit", ("center_id", "last_visit_on", "last_visit_rating")))
#: The case's columns the order row mirrors.
CASE_COLUMNS = ("center_id", "state", "is_consultation", "dispute_type_id")

_ENDINGS = ", ".join(f"'{a}'" for a in ENDING_ACTIONS)
_LAST_ENDING = ("(SELECT e.{column} FROM case_event e WHERE e.case_id = hotline_order.case_id "
                f"AND e.action IN ({_ENDINGS}) ORDER BY e.id DESC LIMIT 1)")
_LAST_VISIT = ("(SELECT v.{column} FROM return_visit v WHERE v.case_id = hotline_order.case_id ORDER BY "
               "CASE WHEN v.satisfaction IS NULL THEN 0 ELSE 1 END DESC, v.visited_on DESC, v.id DESC LIMIT 1)")
ENDING_SET = (f"last_ending_at = {_LAST_ENDING.format(column='at')}, "
              f"last_ending_action = {_LAST_ENDING.format(column='action')}")
VISIT_SET = (f"last_visit_on = {_LAST_VISIT.format(column='visited_on')}, "
             f"last_visit_rating = {_LAST_VISIT.format(column='satisfaction')}")

# --------------------------------------------------------------------------- monthly counts

#: The orders closed and rated per center and month, kept from the order rows' kept columns by
#: triggers on ``hotline_order`` (an order's old contribution out, its new one in), so that the
#: 解决率 and 满意率 of whole months are sums of a few rows.
MONTH_TABLE = "stat_hotline_month"
CREATE_MONTH_TABLE = (f"CREATE TABLE {MONTH_TABLE} (center_id INTEGER NOT NULL, month VARCHAR(7) NOT NULL, "
                      "closed BIGINT NOT NULL, resolved BIGINT NOT NULL, rated BIGINT NOT NULL, good BIGINT NOT NULL, "
                      f"CONSTRAINT pk_{MONTH_TABLE} PRIMARY KEY (center_id, month))")
HANDLED_AGAIN = ("accepted", "assigned", "in_mediation", "registered")  # services.hotline._OPEN_HANDLING
GOOD = ("fairly", "satisfied")
_MONTH_VALUES = ("closed", "resolved", "rated", "good")


def _month(sqlite: bool, column: str) -> str:
    return f"substr({column}, 1, 7)" if sqlite else f"to_char({column}, 'YYYY-MM')"


def _contributions(sqlite: bool, rows: str, sign: str) -> str:
    """(center_id, month, closed, resolved, rated, good) of the order rows ``rows`` (alias r), times ``sign``."""
    again = ", ".join(f"'{s}'" for s in HANDLED_AGAIN)
    good = ", ".join(f"'{s}'" for s in GOOD)
    return (f"SELECT r.center_id AS center_id, {_month(sqlite, 'r.last_ending_at')} AS month, {sign} AS closed, "
            f"{sign} * (CASE WHEN r.last_ending_action = 'succeed' THEN 1 ELSE 0 END) AS resolved, 0 AS rated, "
            f"0 AS good FROM {rows} WHERE r.center_id IS NOT NULL AND r.last_ending_at IS NOT NULL "
            f"AND r.state NOT IN ({again}) "
            f"UNION ALL SELECT r.center_id, {_month(sqlite, 'r.last_visit_on')}, 0, 0, {sign}, "
            f"{sign} * (CASE WHEN r.last_visit_rating IN ({good}) THEN 1 ELSE 0 END) FROM {rows} "
            "WHERE r.center_id IS NOT NULL AND r.last_visit_on IS NOT NULL AND r.last_visit_rating IS NOT NULL")


def _upsert(sqlite: bool, contributions: str) -> str:
    sums = ", ".join(f"sum({v})" for v in _MONTH_VALUES)
    added = ", ".join(f"{v} = {MONTH_TABLE}.{v} + excluded.{v}" for v in _MONTH_VALUES)
    return (f"INSERT INTO {MONTH_TABLE} (center_id, month, {', '.join(_MONTH_VALUES)}) "
            f"SELECT center_id, month, {sums} FROM ({contributions}) x WHERE true GROUP BY center_id, month "
            f"ON CONFLICT (center_id, month) DO UPDATE SET {added}")


def _sqlite_row(alias: str) -> str:
    columns = ("center_id", "state", "last_ending_at", "last_ending_action", "last_visit_on", "last_visit_rating")
    return "(SELECT " + ", ".join(f"{alias}.{c} AS {c}" for c in columns) + ") r"


CASE_SET = ", ".join(f"{c} = (SELECT r.{c} FROM dispute_case r WHERE r.id = hotline_order.case_id)"
                     for c in CASE_COLUMNS)
ALL_SET = f"{CASE_SET}, {ENDING_SET}, {VISIT_SET}"


def _case_of(where: str) -> str:
    return f"UPDATE hotline_order SET {CASE_SET} WHERE {where}"


def _endings_of(where: str) -> str:
    return f"UPDATE hotline_order SET {ENDING_SET} WHERE {where}"


def _visits_of(where: str) -> str:
    return f"UPDATE hotline_order SET {VISIT_SET} WHERE {where}"


def _all_of(where: str) -> str:
    return f"UPDATE hotline_order SET {ALL_SET} WHERE {where}"


# --------------------------------------------------------------------------- SQLite


#: The order row's columns an order's monthly contribution depends on.
_COUNTED = ("center_id", "state", "last_ending_at", "last_ending_action", "last_visit_on", "last_visit_rating")


def sqlite_triggers() -> list[str]:
    def trigger(name: str, event: str, table: str, condition: str, body: str) -> str:
        cond = f" WHEN {condition}" if condition else ""
        return (f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} FOR EACH ROW{cond} "
                f"BEGIN {body}; END")

    ending, old_ending = f"NEW.action IN ({_ENDINGS})", f"OLD.action IN ({_ENDINGS})"
    case_changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CASE_COLUMNS)
    return [
        trigger("hotline_fact_case_au", "UPDATE OF " + ", ".join(CASE_COLUMNS), "dispute_case", case_changed,
                _case_of("case_id = NEW.id")),
        trigger("hotline_fact_order_ai", "INSERT", "hotline_order", "", _all_of("id = NEW.id")),
        trigger("hotline_fact_order_au", "UPDATE OF case_id", "hotline_order", "NEW.case_id <> OLD.case_id",
                _all_of("id = NEW.id")),
        trigger("hotline_fact_event_ai", "INSERT", "case_event", ending, _endings_of("case_id = NEW.case_id")),
        trigger("hotline_fact_event_ad", "DELETE", "case_event", old_ending, _endings_of("case_id = OLD.case_id")),
        trigger("hotline_fact_event_au", "UPDATE OF case_id, at, action", "case_event",
                f"({ending} OR {old_ending})", _endings_of("case_id IN (OLD.case_id, NEW.case_id)")),
        trigger("hotline_fact_visit_ai", "INSERT", "return_visit", "", _visits_of("case_id = NEW.case_id")),
        trigger("hotline_fact_visit_ad", "DELETE", "return_visit", "", _visits_of("case_id = OLD.case_id")),
        trigger("hotline_fact_visit_au", "UPDATE OF case_id, visited_on, satisfaction", "return_visit", "",
                _visits_of("case_id IN (OLD.case_id, NEW.case_id)")),
        trigger("hotline_month_ai", "INSERT", "hotline_order", "",
                _upsert(True, _contributions(True, _sqlite_row("NEW"), "1"))),
        trigger("hotline_month_ad", "DELETE", "hotline_order", "",
                _upsert(True, _contributions(True, _sqlite_row("OLD"), "-1"))),
        trigger("hotline_month_au", "UPDATE OF " + ", ".join(_COUNTED), "hotline_order", "",
                _upsert(True, f"{_contributions(True, _sqlite_row('OLD'), '-1')} UNION ALL "
                              f"{_contributions(True, _sqlite_row('NEW'), '1')}")),
    ]


SQLITE_TRIGGER_NAMES = ("hotline_fact_case_au",
                        "hotline_fact_order_ai", "hotline_fact_order_au", "hotline_fact_event_ai",
                        "hotline_fact_event_ad", "hotline_fact_event_au", "hotline_fact_visit_ai",
                        "hotline_fact_visit_ad", "hotline_fact_visit_au", "hotline_month_ai", "hotline_month_ad",
                        "hotline_month_au")


# --------------------------------------------------------------------------- PostgreSQL

# SECURITY DEFINER (owned by the tables' owner): every group's writes keep the columns, whatever
# the order rows their row-level security lets them see. The lock is the monthly counts' (the same
# statements take it already): a recount reads the case's rows after any concurrent writer of them
# has committed, so two transactions ending the same case cannot each keep what the other missed.
_PG_HEADER = "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$\nBEGIN\n"


def _pg_function(name: str, statement: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() {_PG_HEADER}PERFORM pg_advisory_xact_lock({LOCK});\n{statement};\n"
            "RETURN NULL;\nEND $f$")


def _among(column: str, rows: str) -> str:
    """``column`` among the values ``rows`` (a query of the transition tables) gives, as one array
    made once per statement and looked up through the order table's index. As ``column IN (rows)``
    the planner, which has no statistics of a transition table, chose a nested loop that scanned
    the statement's rows once per order row: a 100,000-row import's timeline inserts (20,000 rows a
    statement, none an ending) took minutes once the orders it had written were many (0051)."""
    return f"{column} = ANY (ARRAY({rows}))"


def pg_functions() -> list[str]:
    new_endings = f"SELECT case_id FROM new_rows WHERE action IN ({_ENDINGS})"
    old_endings = f"SELECT case_id FROM old_rows WHERE action IN ({_ENDINGS})"
    case_changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in CASE_COLUMNS)
    return [
        _pg_function("hotline_fact_cases_updated", _case_of(_among(
            "case_id", f"SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {case_changed}"))),
        _pg_function("hotline_fact_orders_inserted", _all_of(_among("id", "SELECT id FROM new_rows"))),
        _pg_function("hotline_fact_order_moved", _all_of("id = NEW.id")),
        _pg_function("hotline_fact_events_inserted", _endings_of(_among("case_id", new_endings))),
        _pg_function("hotline_fact_events_deleted", _endings_of(_among("case_id", old_endings))),
        _pg_function("hotline_fact_events_updated",
                     _endings_of(_among("case_id", f"{new_endings} UNION {old_endings}"))),
        _pg_function("hotline_fact_visits_inserted", _visits_of(_among("case_id", "SELECT case_id FROM new_rows"))),
        _pg_function("hotline_fact_visits_deleted", _visits_of(_among("case_id", "SELECT case_id FROM old_rows"))),
        _pg_function("hotline_fact_visits_updated", _visits_of(_among(
            "case_id", "SELECT case_id FROM new_rows UNION SELECT case_id FROM old_rows"))),
        _pg_function("hotline_month_inserted", _upsert(False, _contributions(False, "new_rows r", "1"))),
        _pg_function("hotline_month_deleted", _upsert(False, _contributions(False, "old_rows r", "-1"))),
        _pg_function("hotline_month_updated", _upsert(False, f"{_contributions(False, 'old_rows r', '-1')} UNION ALL "
                                                             f"{_contributions(False, 'new_rows r', '1')}")),
    ]


PG_FUNCTION_NAMES = ("hotline_fact_cases_updated",
                     "hotline_fact_orders_inserted", "hotline_fact_order_moved", "hotline_fact_events_inserted",
                     "hotline_fact_events_deleted", "hotline_fact_events_updated", "hotline_fact_visits_inserted",
                     "hotline_fact_visits_deleted", "hotline_fact_visits_updated", "hotline_month_inserted",
                     "hotline_month_deleted", "hotline_month_updated")


def pg_triggers() -> list[str]:
    statement = pg_statement_trigger
    return [
        statement("hotline_fact_case_au", "UPDATE", "dispute_case", "hotline_fact_cases_updated"),
        statement("hotline_fact_order_ai", "INSERT", "hotline_order", "hotline_fact_orders_inserted"),
        # Row-level with a column list: the functions' own updates of hotline_order never fire it.
        "CREATE TRIGGER hotline_fact_order_au AFTER UPDATE OF case_id ON hotline_order FOR EACH ROW "
        "WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id) EXECUTE FUNCTION hotline_fact_order_moved()",
        statement("hotline_fact_event_ai", "INSERT", "case_event", "hotline_fact_events_inserted"),
        statement("hotline_fact_event_ad", "DELETE", "case_event", "hotline_fact_events_deleted"),
        statement("hotline_fact_event_au", "UPDATE", "case_event", "hotline_fact_events_updated"),
        statement("hotline_fact_visit_ai", "INSERT", "return_visit", "hotline_fact_visits_inserted"),
        statement("hotline_fact_visit_ad", "DELETE", "return_visit", "hotline_fact_visits_deleted"),
        statement("hotline_fact_visit_au", "UPDATE", "return_visit", "hotline_fact_visits_updated"),
        statement("hotline_month_ai", "INSERT", "hotline_order", "hotline_month_inserted"),
        statement("hotline_month_ad", "DELETE", "hotline_order", "hotline_month_deleted"),
        statement("hotline_month_au", "UPDATE", "hotline_order", "hotline_month_updated"),
    ]


PG_TRIGGERS = (("hotline_fact_case_au", "dispute_case"),
               ("hotline_fact_order_ai", "hotline_order"), ("hotline_fact_order_au", "hotline_order"),
               ("hotline_fact_event_ai", "case_event"), ("hotline_fact_event_ad", "case_event"),
               ("hotline_fact_event_au", "case_event"), ("hotline_fact_visit_ai", "return_visit"),
               ("hotline_fact_visit_ad", "return_visit"), ("hotline_fact_visit_au", "return_visit"),
               ("hotline_month_ai", "hotline_order"), ("hotline_month_ad", "hotline_order"),
               ("hotline_month_au", "hotline_order"))
#: Who reads the monthly counts on a server: the heads, their centers' rows (migration 0046). Not
#: the administrator, who reads no case row there and so no 三率 (``hotline.rates`` gives None).
PG_MONTH_SECURITY = (
    f"ALTER TABLE {MONTH_TABLE} ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY md_center_counts ON {MONTH_TABLE} FOR SELECT TO md_head "
    "USING (center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[])))",
    f"GRANT SELECT ON {MONTH_TABLE} TO md_head",
)


# --------------------------------------------------------------------------- recount

RECOUNT = _all_of("true")
_KEPT = f"SELECT id, {', '.join(name for name, _type in COLUMNS)} FROM hotline_order"


def recount_months(sqlite: bool) -> list[str]:
    """The monthly counts again from the order rows' kept columns (with the triggers off or in
    one transaction: the statements replace the table)."""
    return [f"DELETE FROM {MONTH_TABLE}", _upsert(sqlite, _contributions(sqlite, "hotline_order r", "1"))]


def recount(session: Session) -> None:
    """Every order's kept columns and the monthly counts again from the rows (a repair; the
    migration's fill)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite:
        session.execute(text(f"SELECT pg_advisory_xact_lock({LOCK})"))
    session.execute(text(RECOUNT))
    for statement in recount_months(sqlite):
        session.execute(text(statement))


#: The triggers a batch import on SQLite drops for its transaction (:func:`pause_new_orders`).
_PAUSED = ("hotline_fact_order_ai", "hotline_month_ai", "hotline_month_au")


def pause_new_orders(session: Session) -> bool:
    """Before a batch import on SQLite: stop keeping each new order's columns and its month row by
    row (an UPDATE with five subqueries and two upserts per order: +3.5 s of a 100,000-row import)
    and keep them once at the end with :func:`keep_new_orders`, in the same transaction (SQLite's
    only write lock: no other write slips in unkept; a rollback brings the triggers back). Returns
    whether the caller must call it. PostgreSQL's triggers are per statement already."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    for name in _PAUSED:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    return True


def keep_new_orders(session: Session, first_case_id: int, last_case_id: int) -> None:
    """The orders of the cases ``first_case_id`` … ``last_case_id`` (an import's, consecutive on
    SQLite): their kept columns by one UPDATE, their monthly contribution by one grouped upsert;
    then the triggers dropped by :func:`pause_new_orders` come back."""
    if first_case_id <= last_case_id:
        bounds = {"lo": first_case_id, "hi": last_case_id}
        session.execute(text(_all_of("case_id BETWEEN :lo AND :hi")), bounds)
        session.execute(text(_upsert(True, _contributions(
            True, "(SELECT * FROM hotline_order WHERE case_id BETWEEN :lo AND :hi) r", "1"))), bounds)
    for statement in sqlite_triggers():  # IF NOT EXISTS: only the dropped ones come back
        session.execute(text(statement))


def kept(session: Session) -> dict[Any, tuple[Any, ...]]:
    """The kept columns by order id and the monthly counts without their empty rows (for
    comparing with :func:`recounted`)."""
    got: dict[Any, tuple[Any, ...]] = {row[0]: tuple(row[1:]) for row in session.execute(text(_KEPT))}
    for row in session.execute(text(f"SELECT center_id, month, {', '.join(_MONTH_VALUES)} FROM {MONTH_TABLE}")):
        if any(row[2:]):
            got[(row[0], row[1])] = tuple(int(v) for v in row[2:])
    return got


def recounted(session: Session) -> dict[Any, tuple[Any, ...]]:
    """What :func:`recount` would write, read inside a savepoint that is rolled back."""
    nested = session.begin_nested()
    try:
        recount(session)
        return kept(session)
    finally:
        nested.rollback()


__all__ = [
    "COLUMNS",
    "CREATE_MONTH_TABLE",
    "INDEXES",
    "MONTH_TABLE",
    "PG_FUNCTION_NAMES",
    "PG_MONTH_SECURITY",
    "PG_TRIGGERS",
    "SQLITE_TRIGGER_NAMES",
    "keep_new_orders",
    "kept",
    "pause_new_orders",
    "pg_functions",
    "pg_triggers",
    "recount",
    "recount_months",
    "recounted",
    "sqlite_triggers",
]
