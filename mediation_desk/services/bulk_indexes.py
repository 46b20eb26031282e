"""A bulk load into SQLite: the tables' secondary indexes set aside while the rows go in, then
built again from their own definitions (issue 20 item 5, docs/performance-log.md "Batch import").

Each secondary index costs a B-tree insert per row, at a place in the tree the rows do not come
in order of (a name, a phone, a due day): when the rows loaded are many beside those the table
holds, building the index once from the whole table (one sort) costs less than keeping it row by
row. Only indexes made by ``CREATE INDEX`` that are not unique are set aside: a unique index or a
constraint's stays, since it checks the rows as they go in.

Everything happens inside the caller's write transaction (SQLite's DDL is transactional and the
transaction holds the only write lock, so no other connection sees the tables without their
indexes): a rollback, or a failure before :func:`restore`, brings the indexes back as they were.
:func:`restore` runs each index's own ``CREATE INDEX`` text as ``sqlite_master`` held it, in the
order they were made (``PRAGMA index_list`` lists them in the same order as before), and puts their
planner statistics (``sqlite_stat1``/``sqlite_stat4`` rows, which ``DROP INDEX`` deletes) back.

Triggers the loaded rows cannot fire are set aside the same way (:func:`set_triggers_aside`): a row
trigger whose ``WHEN`` is false for every row still costs SQLite a call of its program per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

#: The statistics tables ``ANALYZE`` may have made, and their columns.
_STAT_TABLES = {"sqlite_stat1": ("tbl", "idx", "stat"), "sqlite_stat4": ("tbl", "idx", "neq", "nlt", "ndlt", "sample")}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class SetAside:
    """The indexes :func:`set_aside` dropped: (name, its ``CREATE INDEX`` text) in the order they
    were made, and their rows of each statistics table."""

    indexes: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.indexes)


def secondary_indexes(connection: Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, ``CREATE INDEX`` text) of each non-unique index made by ``CREATE INDEX`` on ``tables``,
    in the order they were made."""
    made: set[str] = set()
    for table in tables:
        made.update(str(name) for _, name, unique, origin, *_ in connection.exec_driver_sql(
            f"PRAGMA index_list({_quote(table)})") if origin == "c" and not unique)
    listed = ", ".join("?" * len(tables))
    return [(str(name), str(sql)) for name, sql in connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({listed}) AND sql IS NOT NULL "
        "ORDER BY rowid", tables) if name in made]


def set_aside(connection: Connection, tables: tuple[str, ...]) -> SetAside:
    """Drop the secondary indexes of ``tables`` inside the caller's write transaction; what
    :func:`restore` needs to make them again."""
    if connection.dialect.name != "sqlite":
        raise ValueError("only SQLite's indexes are set aside")
    aside = SetAside(secondary_indexes(connection, tables))
    if not aside:
        return aside
    names = [name for name, _ in aside.indexes]
    listed = ", ".join("?" * len(names))
    for table, columns in _STAT_TABLES.items():
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                      (table,)).first() is None:
            continue
        aside.stats[table] = [tuple(row) for row in connection.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM {table} WHERE idx IN ({listed}) ORDER BY rowid", tuple(names))]
    for name in names:
        connection.exec_driver_sql(f"DROP INDEX {_quote(name)}")
    return aside


def restore(connection: Connection, aside: SetAside) -> None:
    """Make again, in the same transaction, the indexes :func:`set_aside` dropped, and put their
    statistics back."""
    for _, sql in aside.indexes:
        connection.exec_driver_sql(sql)
    for table, rows in aside.stats.items():
        if rows:
            columns = _STAT_TABLES[table]
            connection.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)


def set_triggers_aside(connection: Connection, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """Drop the triggers named ``names`` that exist, inside the caller's write transaction; (name,
    ``CREATE TRIGGER`` text) of each, in the order they were made, for :func:`restore_triggers`.
    Only for triggers the caller's writes cannot fire (a ``WHEN`` no loaded row meets): nothing
    does their work meanwhile."""
    if connection.dialect.name != "sqlite":
        raise ValueError("only SQLite's triggers are set aside")
    if not names:
        return []
    listed = ", ".join("?" * len(names))
    dropped = [(str(name), str(sql)) for name, sql in connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({listed}) ORDER BY rowid", names)]
    for name, _ in dropped:
        connection.exec_driver_sql(f"DROP TRIGGER {_quote(name)}")
    return dropped


def restore_triggers(connection: Connection, triggers: list[tuple[str, str]]) -> None:
    """Make again, in the same transaction and order, the triggers :func:`set_triggers_aside` dropped
    (SQLite fires a table's triggers in the order ``sqlite_master`` holds them)."""
    for _, sql in triggers:
        connection.exec_driver_sql(sql)
