"""The exact SQLite schema a Mediation Desk database of a given revision must have, and the
differences of a real file from it.

A backup (or the live file) could carry objects nobody's migration made: a trigger that resets
``failed_logins`` (no lockout any more), one that copies every new party's name, ID number and
phone into a hidden table, an extra view or index, a column whose type was changed. Checking the
tables that must exist is not enough; the whole schema must be the one of its revision.

The reference is built by running the migrations up to that revision on an empty temporary
database (about a second; cached per revision for the life of the process). Both sides are read the
same way: every row of ``sqlite_master`` (type, name, table, and its SQL text normalised — case,
whitespace, identifier quoting and comments do not count), ``PRAGMA table_xinfo`` (columns: name,
type, nullability, default, primary key), ``PRAGMA foreign_key_list``, ``PRAGMA index_list`` and
``PRAGMA index_xinfo`` of each table, and ``PRAGMA user_version``/``application_id``. The FTS5
shadow tables (``search_*_fts_data`` …) are compared like any table: the migrations make them.
``sqlite_stat1``/``sqlite_stat4`` (made by ``ANALYZE``) may be present or absent, but only with
SQLite's own definition; every other ``sqlite_`` object must match the reference too.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from .db import Database, DatabaseError, is_known_revision, migrate_to

#: Objects ``ANALYZE`` creates: allowed or absent, but only with SQLite's own definition.
_STAT_TABLES = {
    "sqlite_stat1": "create table sqlite_stat1 ( tbl , idx , stat )",
    "sqlite_stat2": "create table sqlite_stat2 ( tbl , idx , sampleno , sample )",
    "sqlite_stat3": "create table sqlite_stat3 ( tbl , idx , neq , nlt , ndlt , sample )",
    "sqlite_stat4": "create table sqlite_stat4 ( tbl , idx , neq , nlt , ndlt , sample )",
}

_KIND = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}

#: Differences named one by one in a message; the rest are counted.
SHOWN_DIFFERENCES = 20

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|\Z)|\s+"""
    r"""|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*|\d+(?:\.\d*)?|.""",
    re.S,
)
_SIMPLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _token_text(token: str) -> str:
    if token[0] in "\"`[":
        inner = token[1:-1]
        if token[0] == '"':
            inner = inner.replace('""', '"')
        elif token[0] == "`":
            inner = inner.replace("``", "`")
        return inner.lower() if _SIMPLE_NAME.fullmatch(inner) else f'"{inner}"'
    return token if token[0] == "'" else token.lower()


def _tokens(sql: str) -> list[str]:
    return [_token_text(token) for token in _TOKEN.findall(sql)
            if not (token.isspace() or token.startswith(("--", "/*")))]


def normalise_sql(sql: str | None) -> str:
    """SQL text with case, whitespace, comments and identifier quoting made uniform; string
    literals are kept as written."""
    return " ".join(_tokens(sql)) if sql is not None else ""


_CONSTRAINT_START = frozenset({"constraint", "primary", "unique", "check", "foreign"})


def canonical_table_sql(sql: str | None) -> str:
    """A ``CREATE TABLE`` statement normalised, with its table constraints in sorted order.

    Alembic's batch mode rebuilds a table with its constraints in the order of a Python set, so
    the same migration writes them in a different order from one run to the next; the order of
    table constraints means nothing to SQLite (the columns' order does, and is kept)."""
    if sql is None:
        return ""
    tokens = _tokens(sql)
    if tokens[:2] != ["create", "table"] or "(" not in tokens:
        return " ".join(tokens)
    start = tokens.index("(")
    items: list[list[str]] = [[]]
    depth = 0
    end = len(tokens)
    for position in range(start + 1, len(tokens)):
        token = tokens[position]
        if token == "(":
            depth += 1
        elif token == ")":
            if depth == 0:
                end = position
                break
            depth -= 1
        elif token == "," and depth == 0:
            items.append([])
            continue
        items[-1].append(token)
    columns = [" ".join(i) for i in items if not i or i[0] not in _CONSTRAINT_START]
    constraints = sorted(" ".join(i) for i in items if i and i[0] in _CONSTRAINT_START)
    head = " ".join(tokens[:start])
    tail = " ".join(tokens[end + 1:])
    return f"{head} ( {' , '.join(columns + constraints)} ) {tail}".rstrip()


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    notnull: bool
    default: str
    pk: int
    hidden: int


@dataclass(frozen=True)
class Index:
    name: str
    unique: bool
    origin: str
    partial: bool
    #: (name or "<expr>"/"<rowid>", descending, collation, key column) per entry of index_xinfo.
    entries: tuple[tuple[str, bool, str, bool], ...]


@dataclass(frozen=True)
class TableShape:
    columns: tuple[Column, ...] = ()
    foreign_keys: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[Index, ...] = ()
    #: What SQLite said when the table could not be read (a virtual table of an unknown module …).
    error: str = ""


@dataclass(frozen=True)
class Entry:
    type: str
    name: str
    table: str
    sql: str


@dataclass
class Schema:
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    tables: dict[str, TableShape] = field(default_factory=dict)
    user_version: int = 0
    application_id: int = 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_shape(conn: sqlite3.Connection, name: str) -> TableShape:
    q = _quote(name)
    try:
        columns = tuple(
            Column(str(r[1]), " ".join(str(r[2] or "").upper().split()), bool(r[3]), normalise_sql(r[4]),
                   int(r[5]), int(r[6]))
            for r in conn.execute(f"PRAGMA table_xinfo({q})"))
        # One foreign key per id, its column pairs in order; the ids themselves follow the order
        # of the constraints in the table's SQL, which means nothing (see canonical_table_sql).
        grouped: dict[int, list[tuple[object, ...]]] = {}
        for r in conn.execute(f"PRAGMA foreign_key_list({q})"):
            grouped.setdefault(int(r[0]), []).append(tuple(r[1:]))
        fks = tuple(sorted(
            tuple(str(v) for v in (rows[0][1], *[f"{x[2]}->{x[3]}" for x in sorted(rows, key=lambda x: str(x[0]))],
                                   *rows[0][4:]))
            for rows in grouped.values()))
        indexes = []
        for row in conn.execute(f"PRAGMA index_list({q})").fetchall():
            index_name = str(row[1])
            entries = tuple(
                (str(x[2]) if x[2] is not None else ("<rowid>" if x[1] == -1 else "<expr>"), bool(x[3]),
                 str(x[4] or ""), bool(x[5]))
                for x in conn.execute(f"PRAGMA index_xinfo({_quote(index_name)})"))
            origin = str(row[3])
            # An index SQLite makes for a UNIQUE or PRIMARY KEY constraint is numbered in the order
            # of the constraints: it is known by what it covers, not by its name.
            shown = index_name if origin == "c" else ""
            indexes.append(Index(shown, bool(row[2]), origin, bool(row[4]), entries))
    except (sqlite3.Error, sqlcipher3.Error) as exc:
        return TableShape(error=str(exc))
    return TableShape(columns, fks, tuple(sorted(indexes, key=repr)))


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Everything the comparison looks at, read through ``conn`` (which this does not change)."""
    schema = Schema()
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        if kind == "index" and str(name).startswith("sqlite_autoindex_"):
            continue  # compared through PRAGMA index_list (Index.origin "u"/"pk")
        text = canonical_table_sql(sql) if kind == "table" else normalise_sql(sql)
        entry = Entry(str(kind), str(name), str(table), text)
        schema.entries[(entry.type, entry.name)] = entry
    for (kind, name) in list(schema.entries):
        if kind == "table" and name not in _STAT_TABLES:
            schema.tables[name] = _table_shape(conn, name)
    schema.user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    schema.application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    return schema


def _describe(entry: Entry) -> str:
    kind = _KIND.get(entry.type, entry.type)
    if entry.type in ("index", "trigger") or (entry.table and entry.table != entry.name):
        return f"{kind} {entry.name}（表 {entry.table}）"
    return f"{kind} {entry.name}"


def _column_text(column: Column) -> str:
    parts = [column.type or "无类型", "非空" if column.notnull else "可为空"]
    if column.default:
        parts.append(f"默认值 {column.default}")
    if column.pk:
        parts.append("主键")
    return "，".join(parts)


def _compare_table(name: str, actual: TableShape, expected: TableShape) -> list[str]:
    if actual.error or expected.error:
        if actual.error != expected.error:
            return [f"表 {name} 无法读取其结构（{actual.error or expected.error}）"]
        return []
    found: list[str] = []
    have = {c.name: c for c in actual.columns}
    want = {c.name: c for c in expected.columns}
    for column in expected.columns:
        if column.name not in have:
            found.append(f"表 {name} 缺少列 {column.name}")
        elif have[column.name] != want[column.name]:
            found.append(f"表 {name} 的列 {column.name} 不同：应为（{_column_text(column)}），"
                         f"实为（{_column_text(have[column.name])}）")
    for column in actual.columns:
        if column.name not in want:
            found.append(f"表 {name} 多出列 {column.name}（{_column_text(column)}）")
    if not found and [c.name for c in actual.columns] != [c.name for c in expected.columns]:
        found.append(f"表 {name} 的列顺序不同")
    if actual.foreign_keys != expected.foreign_keys:
        found.append(f"表 {name} 的外键约束不同")
    have_ix = {i.name: i for i in actual.indexes if i.name}
    for index in expected.indexes:
        other = have_ix.get(index.name)
        if index.name and other is not None and other != index:
            what = "唯一性" if other.unique != index.unique else "所含的列或排序"
            found.append(f"索引 {index.name}（表 {name}）的{what}不同")
    constraints = sorted(repr(i) for i in actual.indexes if not i.name)
    if constraints != sorted(repr(i) for i in expected.indexes if not i.name):
        found.append(f"表 {name} 的唯一约束或主键不同")
    return found


def differences(actual: Schema, expected: Schema, *, where: str = "数据库中") -> list[str]:
    """Each difference of ``actual`` from ``expected``, in Chinese, objects named."""
    found: list[str] = []
    for key, entry in sorted(actual.entries.items()):
        if key in expected.entries:
            continue
        if entry.type == "table" and entry.name in _STAT_TABLES and entry.sql == _STAT_TABLES[entry.name]:
            continue  # ANALYZE's statistics
        found.append(f"{where}多出{_describe(entry)}")
    missing_tables = {name for kind, name in expected.entries
                      if kind == "table" and (kind, name) not in actual.entries}
    order = {"table": 0, "view": 1, "trigger": 2, "index": 3}
    for key, entry in sorted(expected.entries.items(), key=lambda item: (order.get(item[0][0], 4), item[0])):
        if key in actual.entries:
            continue
        if entry.type != "table" and entry.table in missing_tables:
            continue  # said by "缺少表 …"
        found.append(f"{where}缺少{_describe(entry)}")
    for key, want in sorted(expected.entries.items()):
        have = actual.entries.get(key)
        if have is None:
            continue
        table_found: list[str] = []
        if want.type == "table" and want.name in expected.tables:
            table_found = _compare_table(want.name, actual.tables.get(want.name, TableShape(error="无")),
                                         expected.tables[want.name])
            found.extend(table_found)
        if have.table != want.table:
            found.append(f"{_describe(have)}应属于表 {want.table}")
        elif have.sql != want.sql and not table_found:
            found.append(f"{_describe(have)}的定义（SQL 语句）与本版本的不同")
    if actual.user_version != expected.user_version:
        found.append(f"PRAGMA user_version 为 {actual.user_version}，应为 {expected.user_version}")
    if actual.application_id != expected.application_id:
        found.append(f"PRAGMA application_id 为 {actual.application_id}，应为 {expected.application_id}")
    return found


def summary(found: list[str]) -> str:
    """The differences as lines of one message (the first :data:`SHOWN_DIFFERENCES`, then a count)."""
    lines = [f"· {line}" for line in found[:SHOWN_DIFFERENCES]]
    if len(found) > SHOWN_DIFFERENCES:
        lines.append(f"……另有 {len(found) - SHOWN_DIFFERENCES} 处不同")
    return "\n".join(lines)


class SchemaMismatch(DatabaseError):
    """A database whose schema is not the one of its revision; the message lists what differs."""

    def __init__(self, message: str, found: list[str]) -> None:
        super().__init__(message)
        self.differences = found


# --------------------------------------------------------------------------- the reference

_cache: dict[str, Schema] = {}
_lock = threading.Lock()


def reference_schema(revision: str) -> Schema:
    """The schema the migrations make up to ``revision`` on an empty database (cached)."""
    with _lock:
        cached = _cache.get(revision)
        if cached is not None:
            return cached
        folder = Path(tempfile.mkdtemp(prefix="mediation-desk-schema-"))
        try:
            path = folder / "reference.sqlite3"
            db = Database(f"sqlite:///{path}")
            try:
                migrate_to(db, revision)
            finally:
                db.dispose()
            with contextlib.closing(sqlite3.connect(path)) as conn:
                schema = read_schema(conn)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        _cache[revision] = schema
        return schema


def revision_of(conn: sqlite3.Connection) -> str | None:
    """The one revision in ``alembic_version`` (None when the table is missing or empty)."""
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except (sqlite3.Error, sqlcipher3.Error):
        return None
    if len(rows) != 1:
        return None
    return str(rows[0][0])


def compare(conn: sqlite3.Connection, revision: str, *, where: str = "数据库中") -> list[str]:
    """The differences of the database behind ``conn`` from the schema of ``revision``."""
    return differences(read_schema(conn), reference_schema(revision), where=where)


def check_database(db: Database) -> list[str]:
    """The differences of a live SQLite database from the schema of the revision it says it has
    (empty for a server, an empty file or a revision this program does not know — those are
    :func:`mediation_desk.db.check_schema`'s and ``ensure_current``'s to tell)."""
    if not db.is_sqlite:
        return []
    with db.reader.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection | sqlcipher3.Connection)
        revision = revision_of(raw)
        if revision is None or not _known(revision):
            return []
        return compare(raw, revision, where="数据库中")


def _known(revision: str) -> bool:
    return is_known_revision(revision)


def require_expected(db: Database) -> None:
    """Raise :class:`SchemaMismatch` naming every difference of a live SQLite database."""
    found = check_database(db)
    if found:
        raise SchemaMismatch(
            f"数据库结构与其结构版本应有的结构不同（可能被人改动过），共 {len(found)} 处：\n{summary(found)}\n"
            "请勿继续使用这个数据库文件；请从可信的备份恢复（mediation-desk restore），并检查谁改动了它。",
            found)
