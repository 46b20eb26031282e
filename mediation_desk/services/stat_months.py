"""Monthly aggregates of the dashboard's figures, kept exact in the writing transaction.

A year of the dashboard counted from the rows reads every case received, every ending and every
return visit of the year (3.7 s on a million cases). The figures of whole months are instead
summed from three small tables that database triggers keep in step with every write — as
``search_gram_count`` is kept (migration 0010) — whatever writes: the services through the ORM,
Core statements, a batch import, the demo, a deletion or a retention purge. None holds a case id:

Every row is one center's (``center_id``, migration 0022), so each center's dashboard is exact and a
head's figures over the centers below theirs are sums over those centers.

* ``stat_received_month``: per center, month received, source channel, team (0: none) and dispute type,
  the cases, the sum of their amounts in cents, how many have an amount and how many are group
  disputes (not 不予受理); and (migration 0040, the table by level) how many fall in each band of
  people involved (:data:`PEOPLE_BANDS`) and how many are 重大;
* ``stat_ending_month``: each case's ending transitions, per month, action, source, type, "may
  turn criminal" and "ended within ON_TIME_DAYS days of acceptance"; and (migration 0040) the sum
  of the cases' people involved, how many are flagged 可能引发群体性上访 and their people;
* ``stat_visit_month``: each case's return visits with a satisfaction, per month and satisfaction.

A figure counts each case's *last* ending (last visit) in the period, by id, so one case ending in
two months of a quarter counts once. The tables keep, with each ending, the nearest months (``lo``
at or before its own, ``hi`` at or after) in which the same case has a *later* ending: the ending
is the case's last in a period of whole months [s, t] holding its month exactly when ``lo`` is
before s and ``hi`` after t ('' for none). An ending followed by a later one in its own month is
never last, and is not kept. So a period's figure is one grouped sum over its months, and the
tables stay exact after a re-opening, an edited date or a deleted event.

Every trigger subtracts the contributions of the cases a change touches as they were and adds them
as they are now: SQLite's row triggers run one row at a time (BEFORE subtracts, AFTER adds);
PostgreSQL's statement triggers rebuild "as they were" from the transition tables, so a
multi-row statement or COPY costs one grouped upsert, under migration 0010's kind of advisory lock
so that two desks' writes update the shared counters one after the other. PostgreSQL's trigger
functions are SECURITY DEFINER: every group's writes maintain the tables (which no group may write
directly); the head and the administrator may read them (no row names a case).

:func:`recount` is the migration's fill and the repair (after a bulk load with the triggers off:
:func:`suspend` / :func:`resume`); :func:`recounted` is what the tests compare the kept tables with.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: The actions of an ending transition (readmodels.statistics.Outcome's values).
ENDING_ACTIONS = ("succeed", "fail", "withdraw", "divert", "reject")
#: readmodels.statistics.ON_TIME_DAYS when the tables were made (a test holds them equal).
ON_TIME_DAYS = 30
#: The state whose group disputes are not counted (CaseState.REJECTED).
NOT_COUNTED_STATE = "rejected"
#: readmodels.levels.PEOPLE_BANDS when the columns were made (a test holds them equal): each
#: column of stat_received_month and the people involved it counts (least, most; None: no bound).
PEOPLE_BANDS = (("people_under_50", None, 49), ("people_50_100", 50, 100), ("people_100_500", 101, 500),
                ("people_over_500", 501, None))
#: pg_advisory_xact_lock(8001, 2): the counters' maintenance, one transaction at a time.
LOCK = "8001, 2"

TABLES = ("stat_received_month", "stat_ending_month", "stat_visit_month")

RECEIVED_KEY = ("center_id", "month", "source_channel", "team_id", "dispute_type_id")
RECEIVED_VALUES = ("cases", "amount_cents", "amount_cases", "group_cases", *(b[0] for b in PEOPLE_BANDS),
                   "major_cases")
ENDING_KEY = ("month", "lo", "hi", "center_id", "action", "source_channel", "dispute_type_id", "criminal",
              "on_time")
ENDING_VALUES = ("cases", "people", "petition_cases", "petition_people")
VISIT_KEY = ("month", "lo", "hi", "center_id", "satisfaction")

CREATE_TABLES = (
    "CREATE TABLE stat_received_month (center_id INTEGER NOT NULL, month VARCHAR(7) NOT NULL, "
    "source_channel VARCHAR(32) NOT NULL, "
    "team_id INTEGER NOT NULL, dispute_type_id INTEGER NOT NULL, cases BIGINT NOT NULL, amount_cents BIGINT NOT NULL, "
    "amount_cases BIGINT NOT NULL, group_cases BIGINT NOT NULL, "
    + "".join(f"{b[0]} BIGINT NOT NULL DEFAULT 0, " for b in PEOPLE_BANDS) + "major_cases BIGINT NOT NULL DEFAULT 0, "
    "PRIMARY KEY (center_id, month, source_channel, team_id, dispute_type_id))",
    "CREATE TABLE stat_ending_month (month VARCHAR(7) NOT NULL, lo VARCHAR(7) NOT NULL, hi VARCHAR(7) NOT NULL, "
    "center_id INTEGER NOT NULL, "
    "action VARCHAR(40) NOT NULL, source_channel VARCHAR(32) NOT NULL, dispute_type_id INTEGER NOT NULL, "
    "criminal INTEGER NOT NULL, on_time INTEGER NOT NULL, cases BIGINT NOT NULL, "
    "people BIGINT NOT NULL DEFAULT 0, petition_cases BIGINT NOT NULL DEFAULT 0, "
    "petition_people BIGINT NOT NULL DEFAULT 0, "
    "PRIMARY KEY (month, lo, hi, center_id, action, source_channel, dispute_type_id, criminal, on_time))",
    "CREATE TABLE stat_visit_month (month VARCHAR(7) NOT NULL, lo VARCHAR(7) NOT NULL, hi VARCHAR(7) NOT NULL, "
    "center_id INTEGER NOT NULL, satisfaction VARCHAR(32) NOT NULL, cases BIGINT NOT NULL, "
    "PRIMARY KEY (month, lo, hi, center_id, satisfaction))",
)

#: What migration 0040 adds to the tables of 0021/0022 (filled by a recount).
ADDED_COLUMNS = (("stat_received_month", (*(b[0] for b in PEOPLE_BANDS), "major_cases")),
                 ("stat_ending_month", ("people", "petition_cases", "petition_people")))

_ENDINGS = ", ".join(f"'{a}'" for a in ENDING_ACTIONS)


class _Dialect:
    def __init__(self, name: str) -> None:
        self.pg = name == "postgresql"

    def month(self, column: str) -> str:
        return f"to_char({column}, 'YYYY-MM')" if self.pg else f"substr({column}, 1, 7)"

    def flag(self, expression: str) -> str:
        return f"CASE WHEN {expression} THEN 1 ELSE 0 END"

    def on_time(self, at: str, accepted: str) -> str:
        if self.pg:
            gap = f"(CAST({at} AS DATE) - CAST({accepted} AS DATE))"
        else:
            gap = f"CAST(julianday(date({at})) - julianday(date({accepted})) AS INTEGER)"
        return self.flag(f"{gap} <= {ON_TIME_DAYS}")

    def cents(self, amount: str) -> str:
        return (f"coalesce(CAST(round({amount} * 100) AS BIGINT), 0)" if self.pg
                else f"coalesce(CAST(round({amount} * 100) AS INTEGER), 0)")

    def upsert(self, table: str, key: tuple[str, ...], values: tuple[str, ...]) -> tuple[str, str]:
        """The head and the tail of an upsert adding ``values`` to the rows of ``key``."""
        target = " AS s" if self.pg else ""
        prefix = "s." if self.pg else ""
        sets = ", ".join(f"{v} = {prefix}{v} + excluded.{v}" for v in values)
        return (f"INSERT INTO {table}{target} ({', '.join(key + values)})",
                f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}")


# --------------------------------------------------------------------------- contributions


def _received(d: _Dialect, rows: str, sign: str) -> str:
    """Upsert of the received counts of ``rows`` (a FROM item with the case columns as ``r``)."""
    head, tail = d.upsert("stat_received_month", RECEIVED_KEY, RECEIVED_VALUES)
    group = d.flag(f"r.is_group_dispute AND r.state <> '{NOT_COUNTED_STATE}'")
    bands = "".join(f", sum({sign} * {d.flag(_band(least, most))})" for _name, least, most in PEOPLE_BANDS)
    order = " ORDER BY 1, 2, 3, 4, 5" if d.pg else ""
    return (f"{head} SELECT r.center_id, {d.month('r.received_at')}, r.source_channel, coalesce(r.team_id, 0), "
            f"r.dispute_type_id, "
            f"sum({sign}), sum({sign} * {d.cents('r.amount_involved')}), "
            f"sum({sign} * CASE WHEN r.amount_involved IS NULL THEN 0 ELSE 1 END), sum({sign} * {group})"
            f"{bands}, sum({sign} * {d.flag('r.is_major')}) "
            f"FROM {rows} WHERE true GROUP BY 1, 2, 3, 4, 5{order} {tail}")


def _band(least: int | None, most: int | None) -> str:
    """The people band's condition (statistics.people_band's: a case without a number is in none)."""
    parts = [f"r.people_involved >= {least}" if least is not None else "r.people_involved IS NOT NULL"]
    if most is not None:
        parts.append(f"r.people_involved <= {most}")
    return " AND ".join(parts)


def _chained(d: _Dialect, events: str, key: tuple[str, ...], columns: str, carried: str = "",
             values: tuple[str, ...] = ("sum(sign)",)) -> str:
    """``events`` (a FROM item: sign, id, case_id, m, the grouping ``columns`` and the ``carried``
    ones that ``values`` sum) with each row's lo and hi: the nearest months at or before and at or
    after its own of the same case's later rows (same sign); the rows a later one of the same month
    supersedes are left out."""
    cols = ", ".join(f"x.{c}" for c in (columns + (", " + carried if carried else "")).split(", "))
    inner = (f"SELECT x.sign, x.m, coalesce(max(CASE WHEN y.m <= x.m THEN y.m END), '') AS lo, "
             f"coalesce(min(CASE WHEN y.m >= x.m THEN y.m END), '') AS hi, {cols} "
             f"FROM {events} x LEFT JOIN {events} y ON y.sign = x.sign AND y.case_id = x.case_id AND y.id > x.id "
             f"GROUP BY x.sign, x.id, x.m, {cols}")
    outer_cols = ", ".join(key[3:])
    order = f" ORDER BY {', '.join(str(i + 1) for i in range(len(key)))}" if d.pg else ""
    having = " OR ".join(f"{v} <> 0" for v in values)
    return (f"SELECT m, lo, hi, {outer_cols}, {', '.join(values)} FROM ({inner}) c WHERE lo <> m AND hi <> m "
            f"GROUP BY m, lo, hi, {outer_cols} HAVING {having}{order}")


def _ending_events(d: _Dialect, sign: str, source: str, where: str) -> str:
    """A FROM item of ending events: ``source`` gives e (events) and r (the case's columns)."""
    return (f"(SELECT {sign} AS sign, e.id, e.case_id, {d.month('e.at')} AS m, r.center_id, e.action, "
            f"r.source_channel, "
            f"r.dispute_type_id, {d.flag('r.may_turn_criminal')} AS criminal, "
            f"{d.on_time('e.at', 'r.accepted_at')} AS on_time, coalesce(r.people_involved, 0) AS people, "
            f"{d.flag('r.may_group_petition')} AS petition FROM {source} WHERE e.action IN ({_ENDINGS}) "
            f"AND {where})")


def _endings(d: _Dialect, events: str) -> str:
    head, tail = d.upsert("stat_ending_month", ENDING_KEY, ENDING_VALUES)
    columns = "center_id, action, source_channel, dispute_type_id, criminal, on_time"
    values = ("sum(sign)", "sum(sign * people)", "sum(sign * petition)", "sum(sign * petition * people)")
    return f"{head} {_chained(d, events, ENDING_KEY, columns, 'people, petition', values)} {tail}"


def _visits(d: _Dialect, events: str) -> str:
    head, tail = d.upsert("stat_visit_month", VISIT_KEY, ("cases",))
    return f"{head} {_chained(d, events, VISIT_KEY, 'center_id, satisfaction')} {tail}"


def _visit_events(d: _Dialect, sign: str, source: str, where: str) -> str:
    """A FROM item of rated visits: ``source`` gives v (visits) and r (the case's columns). A visit
    whose case is gone (deleted with it) is no longer joined: the case's deletion subtracted it."""
    return (f"(SELECT {sign} AS sign, v.id, v.case_id, {d.month('v.visited_on')} AS m, r.center_id, v.satisfaction "
            f"FROM {source} WHERE v.satisfaction IS NOT NULL AND {where})")


# --------------------------------------------------------------------------- SQLite triggers

_RECEIVED_COLUMNS = ("center_id", "received_at", "source_channel", "team_id", "dispute_type_id", "amount_involved",
                     "is_group_dispute", "state", "people_involved", "is_major")
_ENDING_COLUMNS = ("center_id", "source_channel", "dispute_type_id", "may_turn_criminal", "accepted_at",
                   "people_involved", "may_group_petition")
_VISIT_CASE_COLUMNS = ("center_id",)


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _row(alias: str) -> str:
    """A one-row FROM item of a trigger's OLD or NEW case row, as ``r``."""
    cols = ("id", *dict.fromkeys(_RECEIVED_COLUMNS + _ENDING_COLUMNS))
    return "(SELECT " + ", ".join(f"{alias}.{c} AS {c}" for c in cols) + ") r"


def sqlite_triggers() -> list[str]:
    d = _Dialect("sqlite")

    def case_endings(case_id: str, sign: str, row: str | None = None, extra: str = "") -> str:
        source = (f"case_event e, {row}" if row else "case_event e JOIN dispute_case r ON r.id = e.case_id")
        where = f"e.case_id = {case_id}" + (f" AND {extra}" if extra else "")
        return _endings(d, _ending_events(d, sign, source, where))

    def case_visits(case_id: str, sign: str, extra: str = "", row: str | None = None) -> str:
        source = (f"return_visit v, {row}" if row else "return_visit v JOIN dispute_case r ON r.id = v.case_id")
        where = f"v.case_id = {case_id}" + (f" AND {extra}" if extra else "")
        return _visits(d, _visit_events(d, sign, source, where))

    def trigger(name: str, when: str, event: str, table: str, condition: str, body: list[str]) -> str:
        cond = f" WHEN {condition}" if condition else ""
        return (f"CREATE TRIGGER IF NOT EXISTS {name} {when} {event} ON {table} FOR EACH ROW{cond} BEGIN "
                + " ".join(s + ";" for s in body) + " END")

    ending = f"NEW.action IN ({_ENDINGS})"
    old_ending = f"OLD.action IN ({_ENDINGS})"
    moved_event = f"({ending} OR {old_ending})"
    moved_case = "NEW.case_id <> OLD.case_id"
    rated = "NEW.satisfaction IS NOT NULL"
    old_rated = "OLD.satisfaction IS NOT NULL"
    return [
        trigger("stat_case_ai", "AFTER", "INSERT", "dispute_case", "", [_received(d, _row("NEW"), "1")]),
        trigger("stat_case_bd", "BEFORE", "DELETE", "dispute_case", "",
                [_received(d, _row("OLD"), "-1"), case_endings("OLD.id", "-1", _row("OLD")),
                 case_visits("OLD.id", "-1", row=_row("OLD"))]),
        trigger("stat_case_au", "AFTER", "UPDATE OF " + ", ".join(_RECEIVED_COLUMNS), "dispute_case",
                _changed(_RECEIVED_COLUMNS), [_received(d, _row("OLD"), "-1"), _received(d, _row("NEW"), "1")]),
        trigger("stat_case_au_endings", "AFTER", "UPDATE OF " + ", ".join(_ENDING_COLUMNS), "dispute_case",
                _changed(_ENDING_COLUMNS),
                [case_endings("OLD.id", "-1", _row("OLD")), case_endings("NEW.id", "1", _row("NEW"))]),
        trigger("stat_case_au_visits", "AFTER", "UPDATE OF " + ", ".join(_VISIT_CASE_COLUMNS), "dispute_case",
                _changed(_VISIT_CASE_COLUMNS),
                [case_visits("OLD.id", "-1", row=_row("OLD")), case_visits("NEW.id", "1", row=_row("NEW"))]),
        trigger("stat_event_bi", "BEFORE", "INSERT", "case_event", ending, [case_endings("NEW.case_id", "-1")]),
        trigger("stat_event_ai", "AFTER", "INSERT", "case_event", ending, [case_endings("NEW.case_id", "1")]),
        trigger("stat_event_bd", "BEFORE", "DELETE", "case_event", old_ending, [case_endings("OLD.case_id", "-1")]),
        trigger("stat_event_ad", "AFTER", "DELETE", "case_event", old_ending, [case_endings("OLD.case_id", "1")]),
        trigger("stat_event_bu", "BEFORE", "UPDATE OF case_id, at, action", "case_event", moved_event,
                [case_endings("OLD.case_id", "-1"), case_endings("NEW.case_id", "-1", extra=moved_case)]),
        trigger("stat_event_au", "AFTER", "UPDATE OF case_id, at, action", "case_event", moved_event,
                [case_endings("OLD.case_id", "1"), case_endings("NEW.case_id", "1", extra=moved_case)]),
        trigger("stat_visit_bi", "BEFORE", "INSERT", "return_visit", rated, [case_visits("NEW.case_id", "-1")]),
        trigger("stat_visit_ai", "AFTER", "INSERT", "return_visit", rated, [case_visits("NEW.case_id", "1")]),
        trigger("stat_visit_bd", "BEFORE", "DELETE", "return_visit", old_rated, [case_visits("OLD.case_id", "-1")]),
        trigger("stat_visit_ad", "AFTER", "DELETE", "return_visit", old_rated, [case_visits("OLD.case_id", "1")]),
        trigger("stat_visit_bu", "BEFORE", "UPDATE OF case_id, visited_on, satisfaction", "return_visit",
                f"({rated} OR {old_rated})",
                [case_visits("OLD.case_id", "-1"), case_visits("NEW.case_id", "-1", extra=moved_case)]),
        trigger("stat_visit_au", "AFTER", "UPDATE OF case_id, visited_on, satisfaction", "return_visit",
                f"({rated} OR {old_rated})",
                [case_visits("OLD.case_id", "1"), case_visits("NEW.case_id", "1", extra=moved_case)]),
    ]


SQLITE_TRIGGER_NAMES = ("stat_case_ai", "stat_case_bd", "stat_case_au", "stat_case_au_endings",
                        "stat_case_au_visits", "stat_event_bi",
                        "stat_event_ai", "stat_event_bd", "stat_event_ad", "stat_event_bu", "stat_event_au",
                        "stat_visit_bi", "stat_visit_ai", "stat_visit_bd", "stat_visit_ad", "stat_visit_bu",
                        "stat_visit_au")


# --------------------------------------------------------------------------- PostgreSQL triggers

_PG_HEADER = "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$\nBEGIN\n"
_PG_FOOTER = "\nRETURN NULL;\nEND $f$"


def _pg_function(name: str, statements: list[str], *, returns_old: bool = False) -> str:
    body = "\n".join(s + ";" for s in [f"PERFORM pg_advisory_xact_lock({LOCK})", *statements])
    footer = "\nRETURN OLD;\nEND $f$" if returns_old else _PG_FOOTER
    return f"CREATE FUNCTION {name}() {_PG_HEADER}{body}{footer}"


def pg_functions() -> list[str]:
    d = _Dialect("postgresql")
    changed_received = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in _RECEIVED_COLUMNS)
    changed_endings = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in _ENDING_COLUMNS)

    def events_of(sign: str, events: str, cases: str, where: str = "true") -> str:
        return _ending_events(d, sign, f"{events} e JOIN {cases} r ON r.id = e.case_id", where)

    # case_event: "as they were" = the table now without the statement's new rows, plus its old rows.
    touched_new = f"(SELECT DISTINCT case_id FROM new_rows WHERE action IN ({_ENDINGS}))"
    touched_old = f"(SELECT DISTINCT case_id FROM old_rows WHERE action IN ({_ENDINGS}))"

    def event_delta(touched: str, before: str) -> str:
        now_rows = f"(SELECT ev.* FROM case_event ev WHERE ev.case_id IN {touched})"
        events = (f"({events_of('1', now_rows, 'dispute_case')} UNION ALL "
                  f"{events_of('-1', before, 'dispute_case')})")
        return _endings(d, events)

    def visit_delta(touched: str, before: str) -> str:
        now_rows = f"(SELECT rv.* FROM return_visit rv WHERE rv.case_id IN {touched})"
        case = "JOIN dispute_case r ON r.id = v.case_id"
        events = (f"({_visit_events(d, '1', f'{now_rows} v {case}', 'true')} UNION ALL "
                  f"{_visit_events(d, '-1', f'{before} v {case}', 'true')})")
        return _visits(d, events)

    ev_cols = "id, case_id, at, action"
    rv_cols = "id, case_id, visited_on, satisfaction"
    touched_both = f"({touched_new[1:-1]} UNION {touched_old[1:-1]})"
    rated_new = "(SELECT DISTINCT case_id FROM new_rows WHERE satisfaction IS NOT NULL)"
    rated_old = "(SELECT DISTINCT case_id FROM old_rows WHERE satisfaction IS NOT NULL)"
    rated_both = f"({rated_new[1:-1]} UNION {rated_old[1:-1]})"
    received_changed = (f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed_received}) r",
                        f"(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed_received}) r")
    endings_changed = (f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed_endings})",
                       f"(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed_endings})")
    moved = "o.center_id IS DISTINCT FROM n.center_id"
    on_case = "r ON r.id = v.case_id"
    visits_moved = (f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {moved})",
                    f"(SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {moved})")
    return [
        _pg_function("stat_case_inserted", [_received(d, "new_rows r", "1")]),
        _pg_function("stat_case_deleting", [
            _received(d, "(SELECT OLD.*) r", "-1"),
            _endings(d, events_of("-1", "case_event", "(SELECT OLD.*)", "e.case_id = OLD.id")),
            _visits(d, _visit_events(d, "-1", "return_visit v JOIN (SELECT OLD.*) r ON r.id = v.case_id",
                                     "v.case_id = OLD.id")),
        ], returns_old=True),
        _pg_function("stat_case_updated", [
            _received(d, received_changed[0], "-1"), _received(d, received_changed[1], "1"),
            _endings(d, f"({events_of('-1', 'case_event', endings_changed[0])} UNION ALL "
                        f"{events_of('1', 'case_event', endings_changed[1])})"),
            _visits(d, f"({_visit_events(d, '-1', f'return_visit v JOIN {visits_moved[0]} {on_case}', 'true')}"
                       f" UNION ALL "
                       f"{_visit_events(d, '1', f'return_visit v JOIN {visits_moved[1]} {on_case}', 'true')})"),
        ]),
        _pg_function("stat_events_inserted", [event_delta(
            touched_new, f"(SELECT {ev_cols} FROM case_event WHERE case_id IN {touched_new} "
                         f"AND id NOT IN (SELECT id FROM new_rows))")]),
        _pg_function("stat_events_deleted", [event_delta(
            touched_old, f"(SELECT {ev_cols} FROM case_event WHERE case_id IN {touched_old} "
                         f"UNION ALL SELECT {ev_cols} FROM old_rows)")]),
        _pg_function("stat_events_updated", [event_delta(
            touched_both, f"(SELECT {ev_cols} FROM case_event WHERE case_id IN {touched_both} "
                          f"AND id NOT IN (SELECT id FROM new_rows) UNION ALL SELECT {ev_cols} FROM old_rows)")]),
        _pg_function("stat_visits_inserted", [visit_delta(
            rated_new, f"(SELECT {rv_cols} FROM return_visit WHERE case_id IN {rated_new} "
                       f"AND id NOT IN (SELECT id FROM new_rows))")]),
        _pg_function("stat_visits_deleted", [visit_delta(
            rated_old, f"(SELECT {rv_cols} FROM return_visit WHERE case_id IN {rated_old} "
                       f"UNION ALL SELECT {rv_cols} FROM old_rows)")]),
        _pg_function("stat_visits_updated", [visit_delta(
            rated_both, f"(SELECT {rv_cols} FROM return_visit WHERE case_id IN {rated_both} "
                        f"AND id NOT IN (SELECT id FROM new_rows) UNION ALL SELECT {rv_cols} FROM old_rows)")]),
    ]


PG_FUNCTION_NAMES = ("stat_case_inserted", "stat_case_deleting", "stat_case_updated", "stat_events_inserted",
                     "stat_events_deleted", "stat_events_updated", "stat_visits_inserted", "stat_visits_deleted",
                     "stat_visits_updated")


def pg_statement_trigger(name: str, event: str, table: str, function: str) -> str:
    """A PostgreSQL trigger running ``function`` once per statement, with the statement's rows as
    the transition tables ``new_rows`` / ``old_rows``."""
    refs = {"INSERT": "REFERENCING NEW TABLE AS new_rows", "DELETE": "REFERENCING OLD TABLE AS old_rows",
            "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"


def pg_triggers() -> list[str]:
    statement = pg_statement_trigger
    return [
        statement("stat_case_ai", "INSERT", "dispute_case", "stat_case_inserted"),
        "CREATE TRIGGER stat_case_bd BEFORE DELETE ON dispute_case FOR EACH ROW EXECUTE FUNCTION stat_case_deleting()",
        statement("stat_case_au", "UPDATE", "dispute_case", "stat_case_updated"),
        statement("stat_event_ai", "INSERT", "case_event", "stat_events_inserted"),
        statement("stat_event_ad", "DELETE", "case_event", "stat_events_deleted"),
        statement("stat_event_au", "UPDATE", "case_event", "stat_events_updated"),
        statement("stat_visit_ai", "INSERT", "return_visit", "stat_visits_inserted"),
        statement("stat_visit_ad", "DELETE", "return_visit", "stat_visits_deleted"),
        statement("stat_visit_au", "UPDATE", "return_visit", "stat_visits_updated"),
    ]


PG_TRIGGERS = (("stat_case_ai", "dispute_case"), ("stat_case_bd", "dispute_case"), ("stat_case_au", "dispute_case"),
               ("stat_event_ai", "case_event"), ("stat_event_ad", "case_event"), ("stat_event_au", "case_event"),
               ("stat_visit_ai", "return_visit"), ("stat_visit_ad", "return_visit"),
               ("stat_visit_au", "return_visit"))

#: Who reads the tables on a server: the figures' readers. Nobody writes them but the triggers.
PG_GRANTS = ("GRANT SELECT ON stat_received_month, stat_ending_month, stat_visit_month TO md_head, md_admin",)


# --------------------------------------------------------------------------- recount


def _recount_statements(dialect: str) -> list[str]:
    d = _Dialect(dialect)
    events = _ending_events(d, "1", "case_event e JOIN dispute_case r ON r.id = e.case_id", "true")
    visits = _visit_events(d, "1", "return_visit v JOIN dispute_case r ON r.id = v.case_id", "true")
    return [_received(d, "dispute_case r", "1"), _endings(d, events), _visits(d, visits)]


def recount(session: Session, tables: tuple[str, ...] = TABLES) -> None:
    """Fill the ``tables`` (all three: the migrations' fill; a repair) again from the rows."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({LOCK})"))
    for table, statement in zip(TABLES, _recount_statements(dialect), strict=True):
        if table in tables:
            session.execute(text(f"DELETE FROM {table}"))
            session.execute(text(statement))


def suspend(session: Session) -> None:
    """Before a bulk load into SQLite in one transaction: stop counting row by row;
    :func:`resume` must follow in the same transaction."""
    if session.get_bind().dialect.name != "sqlite":
        return
    for name in SQLITE_TRIGGER_NAMES:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def resume(session: Session) -> None:
    """After :func:`suspend` and the bulk load: recount and count row by row again."""
    if session.get_bind().dialect.name != "sqlite":
        return
    recount(session)
    for statement in sqlite_triggers():
        session.execute(text(statement))


def pause_case_counting(session: Session) -> bool:
    """Before a batch import on SQLite: stop counting the new cases row by row (the insert trigger
    costs ~35 µs a row) and count them once at the end with :func:`count_new_cases`, in the same
    transaction (which holds SQLite's only write lock, so no other write slips in uncounted; a
    rollback brings the trigger back). Returns whether the caller must call it. PostgreSQL counts a
    multi-row insert in one statement-level upsert already."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    session.execute(text("DROP TRIGGER IF EXISTS stat_case_ai"))
    return True


def count_new_cases(session: Session, first_id: int, last_id: int) -> None:
    """Count the cases with ids ``first_id`` … ``last_id`` as received (one grouped upsert), then
    restore the insert trigger dropped by :func:`pause_case_counting`. The new cases' events and
    visits were counted by their own triggers as they went in."""
    d = _Dialect("sqlite")
    if first_id <= last_id:
        session.execute(text(_received(d, "(SELECT * FROM dispute_case WHERE id BETWEEN :lo AND :hi) r", "1")),
                        {"lo": first_id, "hi": last_id})
    for statement in sqlite_triggers():  # IF NOT EXISTS: only the dropped one comes back
        session.execute(text(statement))


def kept(session: Session) -> dict[str, dict[tuple[Any, ...], tuple[int, ...]]]:
    """The tables as kept, without the rows counting nothing (for comparing with :func:`recounted`)."""
    out: dict[str, dict[tuple[Any, ...], tuple[int, ...]]] = {}
    for table, key, values in (("stat_received_month", RECEIVED_KEY, RECEIVED_VALUES),
                               ("stat_ending_month", ENDING_KEY, ENDING_VALUES),
                               ("stat_visit_month", VISIT_KEY, ("cases",))):
        rows = session.execute(text(f"SELECT {', '.join(key + values)} FROM {table}")).all()
        out[table] = {tuple(r[:len(key)]): tuple(int(v) for v in r[len(key):]) for r in rows
                      if any(int(v) for v in r[len(key):])}
    return out


def recounted(session: Session) -> dict[str, dict[tuple[Any, ...], tuple[int, ...]]]:
    """What :func:`recount` would make, read inside a savepoint that is rolled back."""
    nested = session.begin_nested()
    try:
        recount(session)
        return kept(session)
    finally:
        nested.rollback()


__all__ = ["ADDED_COLUMNS", "CREATE_TABLES", "ENDING_ACTIONS", "ENDING_VALUES", "ON_TIME_DAYS", "PEOPLE_BANDS",
           "RECEIVED_VALUES", "TABLES", "count_new_cases", "kept",
           "pause_case_counting", "pg_functions", "pg_statement_trigger", "pg_triggers", "recount", "recounted",
           "resume", "sqlite_triggers", "suspend"]
