"""The SQLite planner's statistics of a file that grows (issue 20, docs/performance-log.md "Planner
statistics of a growing file").

A center's file starts empty and grows case by case. SQLite plans each statement from
``sqlite_stat1`` (made by ``ANALYZE``); a file never analysed, or analysed when it was a tenth of
its size, gets plans made for another file (the desk's visits count walked every closed case).
SQLite's own advice (https://sqlite.org/lang_analyze.html) is ``PRAGMA optimize`` with an
``analysis_limit``; on this machine's two SQLite libraries that is not enough:

* SQLite 3.40 (Python's, every unencrypted file) runs ``PRAGMA optimize`` only on tables the
  connection used since it opened and that grew 25-fold; ``0x10002`` on open (3.46's advice) does
  nothing there.
* A sampled ``ANALYZE`` (any ``analysis_limit``, which 3.46's ``PRAGMA optimize`` sets by itself)
  counts the rows per value from the sample only: on the 1M demo ``analysis_limit = 1000`` wrote
  "1001 cases a state" for ``ix_dispute_case_state_received`` (83,336 read whole) and 335 a handling
  center (250,007): the planner then takes the state index for everything.

So :func:`refresh` decides itself what is stale — an index with no statistics, or whose table has
doubled or halved since it was analysed (:data:`GROWTH`: a file analysed at 1,000 cases is analysed
again at 2,000, 4,000 …, so the work over a file's life is about twice one whole analysis) — and
analyses each stale index on its own (``ANALYZE index``), one short write transaction each, with
``analysis_limit`` = :data:`ANALYSIS_LIMIT` rows: whole up to a million rows, a bounded sample
beyond (the parties and timeline entries of a million cases). It stops starting indexes once its
``budget`` of seconds is spent; what is left is done by the next run. On PostgreSQL it does
nothing (autovacuum analyses there).

The app runs it on a thread of its own after a sign-in's first rows, and every few hours (never on
the GUI thread, never inside a person's read); readers opened before it keep their old statistics
(SQLite loads them with the schema), so the reading pool is renewed once anything changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from ..db import Database

log = logging.getLogger(__name__)

#: Rows of an index ``ANALYZE`` reads at most (``PRAGMA analysis_limit``): every index of a
#: million-case center whole, a sample of its ~15 million parties and timeline entries.
ANALYSIS_LIMIT = 1_000_000
#: A table whose rows grew (or shrank) by this factor since its statistics is analysed again.
GROWTH = 2.0
#: Seconds a run may spend before it stops starting another index (one index always goes).
BUDGET_SECONDS = 5.0
#: Seconds between two indexes' write transactions: another desk waiting for SQLite's write lock
#: retries every <= 100 ms, and without a pause the next index took the lock first (its save
#: waited 5.6 s for a whole run on the 1M demo), as the card check's parts (``cards.GIVE_PAUSE``).
PAUSE_SECONDS = 0.15


@dataclass(frozen=True)
class StaleIndex:
    table: str
    index: str
    #: The table's rows now (its largest rowid: one look-up, not a count).
    rows: int
    #: The rows its statistics were made with; None: the index has none.
    analysed: int | None
    #: A partial index (its statistics count its own rows, not the table's).
    partial: bool = False


@dataclass
class Refreshed:
    """What one :func:`refresh` did."""

    analysed: list[str] = field(default_factory=list)
    #: Stale indexes left for the next run (the budget was spent, or the run was stopped).
    left: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows_now(connection: Connection, table: str) -> int:
    """The table's rows, from its largest rowid (a look-up at the end of the B-tree); a table
    without rowids is counted."""
    try:
        value = connection.exec_driver_sql(f"SELECT max(rowid) FROM {_quote(table)}").scalar()
    except Exception:  # WITHOUT ROWID
        value = connection.exec_driver_sql(f"SELECT count(*) FROM {_quote(table)}").scalar()
    return int(value or 0)


def _grown(rows: int, then: int) -> bool:
    return rows >= then * GROWTH or rows * GROWTH <= then


def _has_entries(connection: Connection, table: str, condition: str) -> bool:
    """Whether some row of ``table`` meets a partial index's ``condition`` (read through that index)."""
    return connection.exec_driver_sql(
        f"SELECT EXISTS (SELECT 1 FROM {_quote(table)} WHERE {condition})").scalar() == 1


def stale_indexes(connection: Connection) -> list[StaleIndex]:
    """The indexes :func:`refresh` would analyse, those with no statistics first, then the small
    tables' before the large ones'."""
    indexes: dict[str, list[tuple[str, bool]]] = {}
    #: A partial index's condition (the text after its WHERE).
    conditions: dict[str, str] = {}
    for name, table, sql in connection.exec_driver_sql(
            "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%'"):
        text_ = str(sql or "")
        partial = " WHERE " in text_.upper()
        if partial:
            conditions[str(name)] = text_[text_.upper().rindex(" WHERE ") + len(" WHERE "):]
        indexes.setdefault(str(table), []).append((str(name), partial))
    known: dict[str, int] = {}
    has_stat1 = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").scalar() is not None
    if has_stat1:
        for index, stat in connection.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL"):
            words = str(stat or "").split()
            if words and words[0].isdigit():
                known[str(index)] = int(words[0])
    stale: list[StaleIndex] = []
    for table, members in indexes.items():
        rows = _rows_now(connection, table)
        if rows == 0:
            continue  # nothing to learn from an empty table
        # A whole index counts the table's rows: stale when they doubled or halved since. A partial
        # index counts its own: stale while any whole index of its table is (it is analysed first,
        # before the whole ones make the table look fresh).
        table_stale = any(name not in known or _grown(rows, known[name]) for name, partial in members if not partial)
        for name, partial in members:
            if name not in known:
                # ANALYZE writes no statistics for an index without entries: a partial index whose
                # condition no row meets yet (a new desk's group disputes) would be analysed again
                # at every look. As an empty table, there is nothing to learn from it yet.
                if partial and not _has_entries(connection, table, conditions[name]):
                    continue
                stale.append(StaleIndex(table, name, rows, None, partial))
            elif _grown(rows, known[name]) if not partial else table_stale:
                stale.append(StaleIndex(table, name, rows, known[name], partial))
    stale.sort(key=lambda s: (s.analysed is not None, s.rows, s.table, not s.partial, s.index))
    return stale


def refresh(db: Database, *, budget: float = BUDGET_SECONDS, stop: Callable[[], bool] | None = None,
            clock: Callable[[], float] = time.monotonic, limit: int = ANALYSIS_LIMIT,
            pause: float = PAUSE_SECONDS, sleep: Callable[[float], None] = time.sleep) -> Refreshed:
    """Analyse the stale indexes of a SQLite database (see the module's doc), one write
    transaction each, until ``budget`` seconds are spent or ``stop()`` says so; nothing on a
    server. Readers opened afterwards plan with the new statistics."""
    done = Refreshed()
    if not db.is_sqlite:
        return done
    start = clock()
    with db.read() as session:
        stale = stale_indexes(session.connection())
    for position, item in enumerate(stale):
        if position and (clock() - start >= budget or (stop is not None and stop())):
            done.left = [s.index for s in stale[position:]]
            break
        if position:
            sleep(pause)
        if not item.partial:
            # Its pages read first, on a reader: ANALYZE then holds the write lock for its CPU only,
            # not for the disk (a cold index of the 1M demo: 2.6 s of another desk's wait).
            with db.read() as session:
                session.execute(text(f"SELECT count(*) FROM {_quote(item.table)} INDEXED BY {_quote(item.index)}"))
        with db.write() as session:
            # A connection setting: set on each run (the demo leaves the writer at 400).
            session.execute(text(f"PRAGMA analysis_limit = {int(limit)}"))
            session.execute(text(f"ANALYZE {_quote(item.index)}"))
            if item.rows > limit and not item.partial:
                # Sampled, SQLite guesses the rows from the B-tree's depth (2.2 million parties
                # were 15.7 million): the rows counted above replace the guess, so that the planner
                # and the next look (grown or not) compare like with like.
                session.execute(text("UPDATE sqlite_stat1 SET stat = :rows || substr(stat, instr(stat || ' ', ' ')) "
                                     "WHERE idx = :index"), {"rows": item.rows, "index": item.index})
        done.analysed.append(item.index)
    done.seconds = clock() - start
    if done.analysed:
        with db.write() as session:
            session.execute(text("ANALYZE sqlite_schema"))  # the writer's own plans: the rows as written
        # The writer that ran ANALYZE plans with the new statistics already; pooled readers read
        # them with the schema when they connect (an open reader finishes its work first).
        db.reader.dispose()
        log.info("Planner statistics refreshed: %d indexes in %.2f s (%d left for the next run)",
                 len(done.analysed), done.seconds, len(done.left))
    return done
