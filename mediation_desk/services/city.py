"""A city above its counties: the report tables, the county's publication, the city's subscriptions
and the city's figures (issue 21 item 5; docs/deployment.md, “市级汇总”).

Each county is its own PostgreSQL database whose case ids collide with the other counties'. In each
county, four small *report tables* (``models/city.py``) carry the county's code first in their
primary key and only what the city's statistics need — dates, state, outcome events, dispute type
name, source, people involved, the group-dispute and may-turn-criminal flags, amounts, return-visit
satisfaction; never a name, ID number, phone, address or free text:

* ``city_county``: the county's code and name (one row, set by :func:`publish`);
* ``city_case``: one row per case;
* ``city_ending``: each ending transition (调解成功、调解不成、撤回、分流、不予受理) of a case;
* ``city_visit``: each return visit's date and satisfaction.

Database triggers keep them exact in the writing transaction, whatever writes (as migration 0021's
``stat_*`` tables are kept): statement triggers with transition tables, SECURITY DEFINER, one
grouped upsert per statement; an update that changes nothing the city sees changes no row (and so
sends nothing). Migration 0023 makes them, fills them, and publishes them (``CREATE PUBLICATION
md_city``); the group role ``md_city`` may read them, and the city's replication role is a member.

The city's database has the same four tables (:func:`init_city`), read-only there: a trigger
refuses every write but the subscription's (logical replication applies its rows with
``session_replication_role = replica``, where ordinary triggers do not fire), and the city's
readers (``md_city_viewer``) are granted SELECT only. :func:`subscribe` creates one subscription per
county; :func:`figures` counts the city's dashboard over all counties with the same definitions
as ``services.statistics`` (docs/statistics.md), so a county's figures at the city are exactly its
own, and the city's the sum of its counties'.

On SQLite (a single desk) the report tables exist but stay empty: no triggers, nothing published.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from .. import settings
from ..models import Role
from ..readmodels.city import CityFigures, CityRow, CountyStatus
from ..readmodels.statistics import ON_TIME_DAYS, Outcome
from . import audit
from .actor import Actor
from .errors import InvalidInput, PermissionDenied
from .workflow import OPEN_STATES

#: The county's publication, and the city's subscriptions' prefix (``md_city_<code>``).
PUBLICATION = "md_city"
#: The county's group role that may read the report tables (the city's replication login joins it).
READER_ROLE = "md_city"
#: The city's group role of the people who read its figures (SELECT only).
VIEWER_ROLE = "md_city_viewer"
REPORT_TABLES = ("city_county", "city_case", "city_ending", "city_visit")
#: A county's code: the administrative division code (甘州区 620702), or letters, digits and _.
CODE_PATTERN = re.compile(r"^[0-9A-Za-z_]{2,20}$")
_ENDINGS = ", ".join(f"'{o.value}'" for o in Outcome)
_MEDIATION_ENDINGS = (Outcome.SUCCEEDED.value, Outcome.FAILED.value, Outcome.WITHDRAWN.value)


def _tables(timestamp: str) -> tuple[str, ...]:
    return (
        "CREATE TABLE city_county (county_code VARCHAR(20) NOT NULL, name VARCHAR(80) NOT NULL, "
        "PRIMARY KEY (county_code))",
        "CREATE TABLE city_case (county_code VARCHAR(20) NOT NULL, case_id INTEGER NOT NULL, "
        "center_code VARCHAR(40), number VARCHAR(60) NOT NULL, state VARCHAR(32) NOT NULL, "
        "dispute_type VARCHAR(40) NOT NULL, source_channel VARCHAR(32) NOT NULL, people_involved INTEGER NOT NULL, "
        "is_group_dispute BOOLEAN NOT NULL, may_turn_criminal BOOLEAN NOT NULL, amount_involved NUMERIC(14, 2), "
        f"received_at {timestamp} NOT NULL, accepted_at {timestamp}, closed_at {timestamp}, clock_due_on DATE, "
        "PRIMARY KEY (county_code, case_id))",
        "CREATE TABLE city_ending (county_code VARCHAR(20) NOT NULL, event_id INTEGER NOT NULL, "
        f"case_id INTEGER NOT NULL, at {timestamp} NOT NULL, action VARCHAR(40) NOT NULL, "
        "PRIMARY KEY (county_code, event_id))",
        "CREATE TABLE city_visit (county_code VARCHAR(20) NOT NULL, visit_id INTEGER NOT NULL, "
        "case_id INTEGER NOT NULL, visited_on DATE NOT NULL, satisfaction VARCHAR(32), "
        "PRIMARY KEY (county_code, visit_id))",
    )


def create_tables(dialect: str) -> tuple[str, ...]:
    """The four report tables' DDL on ``dialect`` (the county's migration and the city's init)."""
    return _tables("TIMESTAMP WITHOUT TIME ZONE" if dialect == "postgresql" else "DATETIME")


#: The city's indexes for its figures (the county reads its own tables, never these).
CITY_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_city_case_received ON city_case (received_at)",
    "CREATE INDEX IF NOT EXISTS ix_city_ending_at ON city_ending (at, county_code, case_id)",
    "CREATE INDEX IF NOT EXISTS ix_city_visit_on ON city_visit (visited_on)",
)


# --------------------------------------------------------------------------- the county's triggers

_CASE_COLUMNS = ("county_code", "case_id", "center_code", "number", "state", "dispute_type", "source_channel",
                 "people_involved", "is_group_dispute", "may_turn_criminal", "amount_involved", "received_at",
                 "accepted_at", "closed_at", "clock_due_on")
_HEADER = "RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$\nBEGIN\n"


#: The county's code and the center's, read once per statement (not once per row): each a scalar
#: subquery of its own, which the planner evaluates once even where it pulls this one up into the
#: statement (written as two plain calls, a 20,000-row insert made 20,000 calls of each, migration 0053).
_KEYS = "(SELECT (SELECT md_city_code()) AS code, (SELECT md_city_center_code()) AS center) k"


def _upsert(table: str, columns: tuple[str, ...], key: tuple[str, ...], select: str) -> str:
    """Insert ``select``'s rows, updating a row already there only when something differs."""
    rest = [c for c in columns if c not in key]
    sets = ", ".join(f"{c} = excluded.{c}" for c in rest)
    old = ", ".join(f"t.{c}" for c in rest)
    new = ", ".join(f"excluded.{c}" for c in rest)
    return (f"INSERT INTO {table} AS t ({', '.join(columns)}) {select} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets} WHERE ({old}) IS DISTINCT FROM ({new})")


def _cases_from(rows: str) -> str:
    return _upsert("city_case", _CASE_COLUMNS, ("county_code", "case_id"),
                   "SELECT k.code, n.id, k.center, n.number, n.state, t.name, n.source_channel, "
                   "n.people_involved, n.is_group_dispute, n.may_turn_criminal, n.amount_involved, n.received_at, "
                   f"n.accepted_at, n.closed_at, n.clock_due_on FROM {_KEYS}, {rows} n "
                   "JOIN dispute_type t ON t.id = n.dispute_type_id")


def _endings_from(rows: str) -> str:
    return _upsert("city_ending", ("county_code", "event_id", "case_id", "at", "action"), ("county_code", "event_id"),
                   f"SELECT k.code, n.id, n.case_id, n.at, n.action FROM {_KEYS}, {rows} n "
                   f"WHERE n.action IN ({_ENDINGS})")


def _visits_from(rows: str) -> str:
    return _upsert("city_visit", ("county_code", "visit_id", "case_id", "visited_on", "satisfaction"),
                   ("county_code", "visit_id"),
                   f"SELECT k.code, n.id, n.case_id, n.visited_on, n.satisfaction FROM {_KEYS}, {rows} n")


def _function(name: str, statements: Iterable[str]) -> str:
    body = "\n".join(s + ";" for s in statements)
    return f"CREATE FUNCTION {name}() {_HEADER}{body}\nRETURN NULL;\nEND $f$"


def _county_functions() -> list[str]:
    prefix = settings.CASE_NUMBER_PREFIX
    # The county's code through a scalar subquery and the ids as an array: both columns of the
    # primary key are then index conditions. Written ``county_code = md_city_code() AND … IN
    # (SELECT …)``, the planner walked every row of the county (a second and more per write at a
    # million cases: bench/county.py).
    gone = "county_code = (SELECT md_city_code()) AND {id} = ANY (ARRAY(SELECT id FROM old_rows))"
    return [
        "CREATE FUNCTION md_city_code() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
        "SET search_path = public, pg_temp AS $f$ "
        "SELECT coalesce((SELECT county_code FROM city_county LIMIT 1), '') $f$",
        "CREATE FUNCTION md_city_center_code() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
        "SET search_path = public, pg_temp AS $f$ SELECT coalesce((SELECT value FROM center_setting "
        f"WHERE key = '{prefix.key}'), '{prefix.default}') $f$",
        _function("city_cases_written", [_cases_from("new_rows")]),
        _function("city_cases_deleted", ["DELETE FROM city_case WHERE " + gone.format(id="case_id")]),
        _function("city_endings_written", [
            "DELETE FROM city_ending WHERE county_code = (SELECT md_city_code()) AND event_id = ANY (ARRAY("
            f"SELECT id FROM new_rows WHERE action NOT IN ({_ENDINGS})))",
            _endings_from("new_rows")]),
        _function("city_endings_deleted", ["DELETE FROM city_ending WHERE " + gone.format(id="event_id")]),
        _function("city_visits_written", [_visits_from("new_rows")]),
        _function("city_visits_deleted", ["DELETE FROM city_visit WHERE " + gone.format(id="visit_id")]),
        _function("city_types_renamed", [
            "UPDATE city_case c SET dispute_type = n.name FROM dispute_case d JOIN new_rows n "
            "ON n.id = d.dispute_type_id WHERE c.county_code = (SELECT md_city_code()) AND c.case_id = d.id "
            "AND c.dispute_type IS DISTINCT FROM n.name"]),
        # The county's code and name: the administrator's (services.city.publish); a new code
        # moves every row to it (the city sees the old key's rows go and the new key's come).
        """CREATE FUNCTION md_city_set_county(new_code text, new_name text) RETURNS bigint[] LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $f$
DECLARE old_code text := md_city_code();
BEGIN
  IF new_code IS NULL OR new_code !~ '^[0-9A-Za-z_]{2,20}$' THEN
    RAISE EXCEPTION 'county code must be 2 to 20 letters, digits or _' USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM city_county) THEN
    UPDATE city_county SET county_code = new_code, name = new_name;
  ELSE
    INSERT INTO city_county (county_code, name) VALUES (new_code, new_name);
  END IF;
  IF old_code <> new_code THEN
    UPDATE city_case SET county_code = new_code WHERE county_code = old_code;
    UPDATE city_ending SET county_code = new_code WHERE county_code = old_code;
    UPDATE city_visit SET county_code = new_code WHERE county_code = old_code;
  END IF;
  UPDATE city_case SET center_code = md_city_center_code() WHERE center_code IS DISTINCT FROM md_city_center_code();
  -- What is published now (counts only: the administrator reads no case row).
  RETURN ARRAY[(SELECT count(*) FROM city_case), (SELECT count(*) FROM city_ending), (SELECT count(*) FROM city_visit)];
END $f$""",
    ]


COUNTY_FUNCTION_NAMES = ("md_city_code()", "md_city_center_code()", "city_cases_written()", "city_cases_deleted()",
                         "city_endings_written()", "city_endings_deleted()", "city_visits_written()",
                         "city_visits_deleted()", "city_types_renamed()", "md_city_set_county(text, text)")

#: (trigger, table, event, function)
COUNTY_TRIGGERS = (
    ("city_case_ai", "dispute_case", "INSERT", "city_cases_written"),
    ("city_case_au", "dispute_case", "UPDATE", "city_cases_written"),
    ("city_case_ad", "dispute_case", "DELETE", "city_cases_deleted"),
    ("city_event_ai", "case_event", "INSERT", "city_endings_written"),
    ("city_event_au", "case_event", "UPDATE", "city_endings_written"),
    ("city_event_ad", "case_event", "DELETE", "city_endings_deleted"),
    ("city_visit_ai", "return_visit", "INSERT", "city_visits_written"),
    ("city_visit_au", "return_visit", "UPDATE", "city_visits_written"),
    ("city_visit_ad", "return_visit", "DELETE", "city_visits_deleted"),
    ("city_type_au", "dispute_type", "UPDATE", "city_types_renamed"),
)


def _county_triggers() -> list[str]:
    refs = {"INSERT": "REFERENCING NEW TABLE AS new_rows", "UPDATE": "REFERENCING NEW TABLE AS new_rows",
            "DELETE": "REFERENCING OLD TABLE AS old_rows"}
    return [f"CREATE TRIGGER {name} AFTER {event} ON {table} {refs[event]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}()" for name, table, event, function in COUNTY_TRIGGERS]


def county_statements() -> list[str]:
    """What migration 0023 runs on a county's server after :func:`create_tables`: the functions and
    triggers, the fill, the reader group and its row-level security, the publication. Run each with
    ``no_parameters`` (plpgsql bodies are no place for a driver's parameter markers)."""
    tables = ", ".join(REPORT_TABLES)
    statements = [*_county_functions(), *_county_triggers()]
    statements += [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in COUNTY_FUNCTION_NAMES]
    statements += [
        "GRANT EXECUTE ON FUNCTION md_city_set_county(text, text) TO md_admin",
        # The fill: every case, ending and visit already there.
        _cases_from("dispute_case"), _endings_from("case_event"), _visits_from("return_visit"),
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
    CREATE ROLE {READER_ROLE} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$""",
        f"DO $$ BEGIN EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database()) || ' TO {READER_ROLE}'; "
        "END $$",
        f"GRANT USAGE ON SCHEMA public TO {READER_ROLE}",
        f"GRANT SELECT ON {tables} TO {READER_ROLE}",
        # The admin's and head's figures come from the county's own tables; only the reader reads these.
        *(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY" for t in REPORT_TABLES),
        *(f"CREATE POLICY city_read ON {t} FOR SELECT TO {READER_ROLE} USING (true)" for t in REPORT_TABLES),
        f"CREATE PUBLICATION {PUBLICATION} FOR TABLE {tables}",
    ]
    return statements


def drop_county_statements() -> list[str]:
    """Migration 0023's downgrade on a server (the role stays: it is the cluster's)."""
    return [f"DROP PUBLICATION IF EXISTS {PUBLICATION}",
            *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _, _ in COUNTY_TRIGGERS),
            *(f"DROP FUNCTION IF EXISTS {f}" for f in COUNTY_FUNCTION_NAMES)]


# --------------------------------------------------------------------------- the county: its code


def check_code(code: str, *, field_name: str = "code") -> str:
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(field_name, f"区县代码“{code}”不对：应为 2 至 20 个字母、数字或下划线，"
                                       "如行政区划代码 620702。")
    return code


@dataclass(frozen=True)
class Published:
    code: str
    name: str
    cases: int
    endings: int
    visits: int


def publish(session: Session, actor: Actor, code: str, name: str) -> Published:
    """Set the county's code and name in its report tables (what the city keys its rows by), and
    how many cases, endings and visits they publish. The administrator's, on a center server."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以设置向市级汇总报送的区县代码。")
    if session.get_bind().dialect.name != "postgresql":
        raise InvalidInput("database", "向市级汇总报送需要中心服务器（PostgreSQL）：单机的 SQLite 数据库不能发布。")
    code = check_code(code)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("name", "区县名称不能为空，也不能超过 80 个字。")
    counts = session.execute(text("SELECT md_city_set_county(:code, :name)"), {"code": code, "name": name}).scalar()
    audit.record(session, actor, "city.publish", "city", None, {"code": code, "name": name},
                 station=audit.workstation(), result="ok")
    cases, endings, visits = (int(n) for n in counts or (0, 0, 0))
    return Published(code, name, cases, endings, visits)


# --------------------------------------------------------------------------- the city


def _read_only_statements() -> list[str]:
    function = ("CREATE OR REPLACE FUNCTION md_city_read_only() RETURNS trigger LANGUAGE plpgsql AS $f$\nBEGIN\n"
                "RAISE EXCEPTION 'the city''s report tables are written only by the counties'' replication'"
                " USING ERRCODE = '42501';\nEND $f$")
    statements = [function]
    for table in REPORT_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS city_read_only ON {table}",
            f"CREATE TRIGGER city_read_only BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION md_city_read_only()",
            f"DROP TRIGGER IF EXISTS city_read_only_truncate ON {table}",
            f"CREATE TRIGGER city_read_only_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION md_city_read_only()",
        ]
    return statements


def _require_server(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        raise InvalidInput("database", "市级汇总库必须是 PostgreSQL 数据库（--database postgresql://…）。")


def _superuser_or_refuse(connection: Connection, doing: str) -> None:
    user, superuser, version = connection.execute(text(
        "SELECT current_user, rolsuper, current_setting('server_version_num')::int FROM pg_roles "
        "WHERE rolname = current_user")).one()
    if superuser:
        return
    if version >= 160000 and connection.execute(
            text("SELECT pg_has_role(current_user, 'pg_create_subscription', 'MEMBER')")).scalar():
        return
    raise PermissionDenied(
        f"{doing}需要市级数据库的超级用户（PostgreSQL 16 起也可以是 pg_create_subscription 的成员），"
        f"当前连接的数据库用户“{user}”不是。请在市级服务器上以 postgres 运行，如 "
        "sudo -u postgres mediation-desk --database postgresql:///city city …")


def init_city(connection: Connection) -> list[str]:
    """Make the city's database ready for its counties' subscriptions: the report tables (if not
    there), their indexes, the read-only triggers and the viewers' group role. Returns the tables
    made. Idempotent. ``connection``: the city's superuser, in autocommit."""
    _require_server(connection)
    _superuser_or_refuse(connection, "建立市级汇总库")
    existing = set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    made = []
    for table, statement in zip(REPORT_TABLES, create_tables("postgresql"), strict=True):
        if table not in existing:
            connection.exec_driver_sql(statement)
            made.append(table)
    for statement in (*CITY_INDEXES, *_read_only_statements()):
        connection.execution_options(no_parameters=True).exec_driver_sql(statement)
    connection.execution_options(no_parameters=True).exec_driver_sql(f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{VIEWER_ROLE}') THEN
    CREATE ROLE {VIEWER_ROLE} NOLOGIN;
  END IF;
  EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database()) || ' TO {VIEWER_ROLE}';
END $$""")
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {VIEWER_ROLE}")
    connection.exec_driver_sql(f"REVOKE ALL ON {', '.join(REPORT_TABLES)} FROM PUBLIC")
    connection.exec_driver_sql(f"GRANT SELECT ON {', '.join(REPORT_TABLES)} TO {VIEWER_ROLE}")
    return made


def subscription_name(code: str) -> str:
    return f"{PUBLICATION}_{check_code(code, field_name='county').lower()}"


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def check_county(conninfo: str, code: str) -> str:
    """Connect to the county with ``conninfo`` (as the city's server will) and check that it
    publishes the report tables under ``code``; the county's name. InvalidInput otherwise."""
    import psycopg

    try:
        with psycopg.connect(conninfo, connect_timeout=10) as county:
            published = county.execute("SELECT count(*) FROM pg_publication WHERE pubname = %s",
                                        (PUBLICATION,)).fetchone()
            if not published or not published[0]:
                raise InvalidInput("conninfo", f"该数据库没有发布市级汇总表（{PUBLICATION}）：请先在区县服务器上把"
                                               "数据库升级到 0023 或更新的版本（mediation-desk db upgrade）。")
            rows = county.execute("SELECT county_code, name FROM city_county").fetchall()
    except psycopg.OperationalError as error:
        raise InvalidInput("conninfo", f"连接不上区县数据库：{_first_line(error)}") from None
    except psycopg.errors.InsufficientPrivilege:
        raise InvalidInput("conninfo", "连接区县数据库所用的账户不能读市级汇总表：它应是 md_city 组的成员"
                                       "（GRANT md_city TO 该账户），并有 REPLICATION 属性。") from None
    if not rows or not rows[0][0]:
        raise InvalidInput("county", "该区县还没有设置区县代码：请区县的系统管理员先运行 "
                                     f"mediation-desk city publish --code {code} --name 区县名称 --as 管理员。")
    if rows[0][0] != code:
        raise InvalidInput("county", f"该区县数据库发布的区县代码是“{rows[0][0]}”（{rows[0][1]}），"
                                     f"不是 --county 给出的“{code}”。")
    return str(rows[0][1])


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def subscribe(connection: Connection, code: str, conninfo: str, *, check: bool = True) -> str:
    """Subscribe the city to county ``code``'s publication over ``conninfo`` (a libpq connection
    string the city's server uses: host, dbname, user with REPLICATION in md_city, sslmode …).
    The first copy of the county's rows starts at once in the background. Returns the county's
    name. ``connection``: the city's superuser, in autocommit (CREATE SUBSCRIPTION may not run
    inside a transaction)."""
    _require_server(connection)
    code = check_code(code, field_name="county")
    _superuser_or_refuse(connection, "订阅区县")
    name = subscription_name(code)
    if connection.execute(text("SELECT 1 FROM pg_subscription WHERE subname = :n"), {"n": name}).scalar():
        raise InvalidInput("county", f"已经订阅了区县 {code}（订阅 {name}）。要换连接参数，先运行 "
                                     f"city unsubscribe --county {code}。")
    missing = set(REPORT_TABLES) - set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    if missing:
        raise InvalidInput("database", "市级汇总库还没有建立：请先运行 mediation-desk city init。")
    county_name = check_county(conninfo, code) if check else code
    connection.execution_options(no_parameters=True).exec_driver_sql(
        f"CREATE SUBSCRIPTION {name} CONNECTION {_quote_literal(conninfo)} PUBLICATION {PUBLICATION}")
    return county_name


def unsubscribe(connection: Connection, code: str, *, keep_rows: bool = False) -> int:
    """Drop county ``code``'s subscription (and its slot on the county) and, unless ``keep_rows``,
    its rows at the city. Returns the cases removed."""
    _require_server(connection)
    code = check_code(code, field_name="county")
    _superuser_or_refuse(connection, "取消订阅区县")
    name = subscription_name(code)
    if not connection.execute(text("SELECT 1 FROM pg_subscription WHERE subname = :n"), {"n": name}).scalar():
        raise InvalidInput("county", f"没有订阅区县 {code}。")
    try:
        connection.exec_driver_sql(f"DROP SUBSCRIPTION {name}")
    except DBAPIError:
        # The county cannot be reached, or its slot is gone (a county restored from a base backup
        # has no slots): drop the subscription here only. A slot left on the county is dropped
        # there: SELECT pg_drop_replication_slot('md_city_<code>').
        connection.exec_driver_sql(f"ALTER SUBSCRIPTION {name} DISABLE")
        connection.exec_driver_sql(f"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)")
        connection.exec_driver_sql(f"DROP SUBSCRIPTION {name}")
    if keep_rows:
        return 0
    # The read-only triggers do not fire for a replica session: the superuser removes the rows,
    # in one statement (the connection is in autocommit).
    connection.exec_driver_sql("SET session_replication_role = replica")
    try:
        removed = int(connection.execute(text(
            "WITH e AS (DELETE FROM city_ending WHERE county_code = :c), v AS (DELETE FROM city_visit "
            "WHERE county_code = :c), n AS (DELETE FROM city_county WHERE county_code = :c), "
            "k AS (DELETE FROM city_case WHERE county_code = :c RETURNING 1) SELECT count(*) FROM k"),
            {"c": code}).scalar() or 0)
    finally:
        connection.exec_driver_sql("RESET session_replication_role")
    return removed


def status(connection: Connection) -> list[CountyStatus]:
    """Each county the city holds rows of or subscribes to: its name, cases, and how its
    subscription stands (the last message from the county)."""
    subscriptions = {}
    if connection.execute(text("SELECT has_column_privilege('pg_subscription', 'subenabled', 'SELECT')")).scalar():
        for subname, enabled in connection.execute(text(
                "SELECT subname, subenabled FROM pg_subscription WHERE subdbid = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())")):
            subscriptions[subname] = bool(enabled)
    received: dict[str, datetime | None] = {str(s): t for s, t in connection.execute(text(
        "SELECT subname, max(last_msg_receipt_time) FROM pg_stat_subscription GROUP BY subname")).all()}
    counts: dict[str, int] = {str(c): int(n) for c, n in connection.execute(text(
        "SELECT county_code, count(*) FROM city_case GROUP BY county_code")).all()}
    names: dict[str, str] = {str(c): str(n) for c, n in connection.execute(
        text("SELECT county_code, name FROM city_county")).all()}
    codes = set(counts) | set(names) | {s[len(PUBLICATION) + 1:] for s in subscriptions}
    out = []
    for code in sorted(codes):
        sub = f"{PUBLICATION}_{code.lower()}"
        out.append(CountyStatus(code=code, name=str(names.get(code, "")), cases=int(counts.get(code, 0)),
                                subscription=sub if sub in subscriptions else "",
                                enabled=subscriptions.get(sub, False), last_message=received.get(sub)))
    return out


# --------------------------------------------------------------------------- the city's figures


@dataclass
class _Tally:
    received: int = 0
    amount: Decimal = Decimal(0)
    amount_cases: int = 0
    group_disputes: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    on_time: int = 0
    prevented: int = 0
    visited: int = 0
    satisfied: int = 0
    overdue: int = 0

    def row(self, key: str, label: str) -> CityRow:
        return CityRow(key=key, label=label, received=self.received, amount=self.amount,
                       amount_cases=self.amount_cases, group_disputes=self.group_disputes,
                       outcomes={Outcome(a): n for a, n in self.outcomes.items() if n}, on_time=self.on_time,
                       prevented=self.prevented, visited=self.visited, satisfied=self.satisfied,
                       overdue=self.overdue)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def _months(start: date, end: date) -> list[str]:
    keys, (year, month) = [], (start.year, start.month)
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


_GOOD = ("satisfied", "fairly")


def figures(session: Session, period_start: date, period_end: date, *, today: date) -> CityFigures:
    """The city's dashboard for ``period_start`` … ``period_end`` over every county's report rows:
    in total, by county, by dispute type (by name: the counties' type ids differ) and by month.
    Each figure is services.statistics' (docs/statistics.md): received by ``received_at``; a
    case's *last* ending in the period (in the month, for the month rows); its last return visit
    with a satisfaction in the period; overdue on ``today``."""
    if period_end < period_start:
        raise InvalidInput("period_end", "统计期的结束日期不能早于开始日期。")
    low, high = _bounds(period_start, period_end)
    params: dict[str, Any] = {"low": low, "high": high, "start": period_start, "end": period_end}
    total = _Tally()
    counties: dict[str, _Tally] = defaultdict(_Tally)
    types: dict[str, _Tally] = defaultdict(_Tally)
    months: dict[str, _Tally] = defaultdict(_Tally)

    for county, type_name, month, n, amount, n_amount, n_group in session.execute(text(
            "SELECT county_code, dispute_type, to_char(received_at, 'YYYY-MM'), count(*), "
            "coalesce(sum(amount_involved), 0), count(amount_involved), "
            "sum(CASE WHEN is_group_dispute AND state <> 'rejected' THEN 1 ELSE 0 END) "
            "FROM city_case WHERE received_at >= :low AND received_at < :high GROUP BY 1, 2, 3"), params):
        for tally in (total, counties[county], types[type_name], months[month]):
            tally.received += int(n)
            tally.amount += Decimal(amount)
            tally.amount_cases += int(n_amount)
            tally.group_disputes += int(n_group)

    def endings(per_month: bool) -> Any:
        month = ", to_char(at, 'YYYY-MM')" if per_month else ""
        return session.execute(text(
            "SELECT c.county_code, c.dispute_type, e.m, e.action, c.may_turn_criminal, count(*), "
            f"sum(CASE WHEN CAST(e.at AS DATE) - CAST(c.accepted_at AS DATE) <= {ON_TIME_DAYS} THEN 1 ELSE 0 END) "
            "FROM (SELECT DISTINCT ON (county_code, case_id" + month + ") county_code, case_id, action, at, "
            "to_char(at, 'YYYY-MM') AS m FROM city_ending WHERE at >= :low AND at < :high "
            "ORDER BY county_code, case_id" + month + ", event_id DESC) e "
            "JOIN city_case c ON c.county_code = e.county_code AND c.case_id = e.case_id "
            "GROUP BY 1, 2, 3, 4, 5"), params)

    def add_endings(tally: _Tally, action: str, criminal: bool, n: int, n_on_time: int) -> None:
        tally.outcomes[action] += n
        if action in _MEDIATION_ENDINGS:
            tally.on_time += n_on_time
        if action == Outcome.SUCCEEDED.value and criminal:
            tally.prevented += n

    for county, type_name, _, action, criminal, n, n_on_time in endings(per_month=False):
        for tally in (total, counties[county], types[type_name]):
            add_endings(tally, action, bool(criminal), int(n), int(n_on_time or 0))
    for _, _, month, action, criminal, n, n_on_time in endings(per_month=True):
        add_endings(months[month], action, bool(criminal), int(n), int(n_on_time or 0))

    for county, satisfaction, n in session.execute(text(
            "SELECT county_code, satisfaction, count(*) FROM (SELECT DISTINCT ON (county_code, case_id) "
            "county_code, satisfaction FROM city_visit WHERE visited_on >= :start AND visited_on <= :end "
            "AND satisfaction IS NOT NULL ORDER BY county_code, case_id, visit_id DESC) v GROUP BY 1, 2"), params):
        for tally in (total, counties[county]):
            tally.visited += int(n)
            if satisfaction in _GOOD:
                tally.satisfied += int(n)

    for county, n in session.execute(text(
            "SELECT county_code, count(*) FROM city_case WHERE clock_due_on < :today AND state = ANY(:open) "
            "GROUP BY 1"), {"today": today, "open": sorted(str(s.value) for s in OPEN_STATES)}):
        total.overdue += int(n)
        counties[county].overdue += int(n)

    names: dict[str, str] = {str(c): str(n) for c, n in session.execute(
        text("SELECT county_code, name FROM city_county")).all()}
    for code in names:  # a county with no case in the period still has its line
        counties.setdefault(code, _Tally())
    return CityFigures(
        period_start=period_start, period_end=period_end, today=today,
        total=total.row("", "全市"),
        by_county=tuple(counties[c].row(c, str(names.get(c, c))) for c in sorted(counties)),
        by_type=tuple(types[t].row(t, t) for t in sorted(types, key=lambda t: (-types[t].received, t))),
        by_month=tuple(months[m].row(m, f"{m[:4]}年{int(m[5:])}月") for m in _months(period_start, period_end)),
    )


__all__ = ["PUBLICATION", "READER_ROLE", "REPORT_TABLES", "VIEWER_ROLE", "check_code", "check_county",
           "county_statements", "create_tables", "drop_county_statements", "figures", "init_city", "publish",
           "status", "subscribe", "subscription_name", "unsubscribe"]
