"""Live refresh between desks on a center server (PostgreSQL LISTEN/NOTIFY). No Qt here.

Every write on a center server queues a ``pg_notify('mediation_desk', payload)`` inside its own
transaction (:func:`publish_tracked`) with what its rows and its services' notes
(``changes.note``) say it changed, so the notice goes out when, and only when, the write
commits: a rolled-back write says nothing.

:class:`Listener` is a thread with its own psycopg connection that ``LISTEN``\\ s on the channel,
waits with a short timeout so it can be stopped, reconnects when the server goes away, and hands
each notice from another desk to a callback as ``Changes``. Notices from its own desk are dropped:
that desk already announced them through its runner.

The payload is a small JSON object: ``{"o": origin desk id, "c": [case ids], "l": 1 if the case
list changed, "u"/"g"/"s": 1 if users / organisation / settings changed}``. PostgreSQL limits a
payload to 8,000 bytes, so a write that touched thousands of cases sends several notices.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from .changes import Changes, note, noted

log = logging.getLogger(__name__)

CHANNEL = "mediation_desk"
#: PostgreSQL refuses payloads of 8,000 bytes or more; stay well below.
MAX_PAYLOAD = 7000
#: How long the listener waits for a notice before it looks at its stop flag.
POLL_SECONDS = 0.25
#: Waits between reconnection attempts (the last one repeats).
RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0)


def new_desk_id() -> str:
    """An id for one desk (one running app): notices carry it so a desk can skip its own."""
    return uuid.uuid4().hex[:16]


def payloads(changes: Changes, origin: str) -> list[str]:
    """The notice texts announcing ``changes``: one, unless thousands of cases changed at once."""
    flags: dict[str, Any] = {"o": origin}
    if changes.case_list:
        flags["l"] = 1
    if changes.users:
        flags["u"] = 1
    if changes.organisation:
        flags["g"] = 1
    if changes.settings:
        flags["s"] = 1
    ids = sorted(changes.case_ids)
    if not ids:
        return [json.dumps(flags, separators=(",", ":"))]
    out: list[str] = []
    chunk: list[int] = []
    for case_id in ids:
        chunk.append(case_id)
        if len(json.dumps({**flags, "c": chunk}, separators=(",", ":"))) > MAX_PAYLOAD:
            chunk.pop()
            out.append(json.dumps({**flags, "c": chunk}, separators=(",", ":")))
            chunk = [case_id]
    out.append(json.dumps({**flags, "c": chunk}, separators=(",", ":")))
    return out


def parse_payload(payload: str) -> tuple[str, Changes] | None:
    """The origin desk and the changes of a notice; None for a notice that is not ours."""
    try:
        data = json.loads(payload)
        origin = str(data["o"])
        case_ids = frozenset(int(i) for i in data.get("c", ()))
    except (ValueError, KeyError, TypeError):
        log.warning("Ignored a malformed notice on %s: %.200r", CHANNEL, payload)
        return None
    return origin, Changes(case_ids=case_ids, case_list=bool(data.get("l")), users=bool(data.get("u")),
                           organisation=bool(data.get("g")), settings=bool(data.get("s")))


def is_postgresql(session_or_engine: Session | Engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "postgresql"


def publish(session: Session, changes: Changes, origin: str) -> int:
    """Queue the notices of ``changes`` in the session's transaction; they are sent at commit.

    Does nothing on SQLite (one desk, nobody to tell). Returns the number of notices queued.
    """
    if changes.empty or not is_postgresql(session):
        return 0
    texts = payloads(changes, origin)
    for payload in texts:
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})
    return len(texts)


def publish_now(engine: Engine, changes: Changes, origin: str) -> int:
    """Send the notices of a write that managed its own transactions, in a transaction of their own."""
    if changes.empty or engine.dialect.name != "postgresql":
        return 0
    with Session(engine) as session, session.begin():
        return publish(session, changes, origin)


# --------------------------------------------------------------------------- what a write changed

#: Tables whose rows are not shown by any view that refreshes on a notice.
_SILENT_TABLES = frozenset({"audit_entry", "file_blob", "case_number_sequence", "publicity_snapshot",
                            "alembic_version"})
_USER_TABLES = frozenset({"app_user"})
_ORGANISATION_TABLES = frozenset({"department", "team", "mediator", "team_member", "dispute_type"})
_SETTINGS_TABLES = frozenset({"holiday", "center_setting", "time_limit"})
#: A write touching more cases than this announces a list change without naming them all.
MAX_CASE_IDS = 10_000
#: Where a write session collects what it changed (``session.info``).
TRACKED = "mediation_desk.changes"
_SATURATED = "mediation_desk.changes.saturated"


def _table_changes(table_name: str, case_ids: frozenset[int] = frozenset(), *, has_case_id: bool = False,
                   rows_came_or_went: bool = False) -> Changes:
    if table_name in _SILENT_TABLES:
        return Changes()
    if table_name in _USER_TABLES:
        return Changes(users=True)
    if table_name in _ORGANISATION_TABLES:
        return Changes(organisation=True)
    if table_name in _SETTINGS_TABLES:
        return Changes(settings=True)
    if table_name == "dispute_case":
        return Changes(case_ids=case_ids, case_list=True)
    if has_case_id:
        # Without the ids (a bulk statement) the lists refresh, as after a resync.
        return Changes(case_ids=case_ids, case_list=rows_came_or_went or not case_ids)
    return Changes()


def changes_of_row(obj: Any) -> Changes:
    """What one inserted, updated or deleted ORM object means for the open views."""
    table = getattr(obj, "__tablename__", "")
    if table == "center_setting" and str(getattr(obj, "key", "")).startswith("audit."):
        # The audit chain's id (services.audit) is bookkeeping that no view shows.
        return Changes()
    if table == "dispute_case":
        case_id = getattr(obj, "id", None)
        return _table_changes(table, frozenset({case_id}) if isinstance(case_id, int) else frozenset())
    case_id = getattr(obj, "case_id", None)
    if case_id is None:
        case_id = getattr(obj, "filed_case_id", None)
    if isinstance(case_id, int):
        return _table_changes(table, frozenset({case_id}), has_case_id=True)
    return _table_changes(table)


def changes_of_statement(statement: Any, parameters: Any) -> Changes:
    """What a bulk INSERT, UPDATE or DELETE (not through the unit of work) means for the views."""
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if not isinstance(name, str):
        return Changes()
    columns = getattr(table, "c", None)
    has_case_id = columns is not None and ("case_id" in columns or "filed_case_id" in columns)
    ids: set[int] = set()
    rows = parameters if isinstance(parameters, list) else [parameters] if isinstance(parameters, dict) else []
    for row in rows[: MAX_CASE_IDS + 1]:
        value = row.get("case_id") if isinstance(row, dict) else None
        if isinstance(value, int):
            ids.add(value)
    if len(ids) > MAX_CASE_IDS:
        ids.clear()
    if name == "dispute_case":
        return Changes(case_list=True)
    return _table_changes(name, frozenset(ids), has_case_id=has_case_id, rows_came_or_went=True)


def tracked(session: Session) -> Changes:
    """What the session's flushes and bulk statements changed so far, with what its services noted
    and its caller announced."""
    found: Changes = session.info.get(TRACKED) or Changes()
    # What the service functions noted (``changes.note``): the same words the desk's own views hear.
    total = found | noted(session)
    if len(total.case_ids) > MAX_CASE_IDS:
        total = Changes(case_list=True, users=total.users, organisation=total.organisation,
                        settings=total.settings)
    return total


def announce(session: Session, changes: Changes) -> None:
    """Add what a write changed beyond its rows (e.g. a list change) to the session's notice: a
    note like the services' own (``changes.note``), so the desk's own views hear it too."""
    note(session, changes)


def _add(session: Session, changes: Changes) -> None:
    if changes.empty:
        return
    previous: Changes | None = session.info.get(TRACKED)
    merged = changes if previous is None else previous | changes
    if session.info.get(_SATURATED) or len(merged.case_ids) > MAX_CASE_IDS:
        # A bulk load: the lists refresh as a whole. Collecting a million ids would cost more
        # than the write itself (each merge copies the set), so ids are no longer kept.
        session.info[_SATURATED] = True
        merged = Changes(case_list=True, users=merged.users, organisation=merged.organisation,
                         settings=merged.settings)
    session.info[TRACKED] = merged


def install_tracking(sessions: Any) -> None:
    """Make every session of ``sessions`` (a sessionmaker) record what it writes.

    Rows written through the unit of work are seen after each flush (with their ids: new rows have
    them by then); bulk statements through ``session.execute`` by the table they write.
    """
    from sqlalchemy import event

    @event.listens_for(sessions, "after_flush")
    def after_flush(session: Session, _context: Any) -> None:
        total = Changes()
        for obj in (*session.new, *session.dirty, *session.deleted):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            total = total | changes_of_row(obj)
        _add(session, total)

    @event.listens_for(sessions, "do_orm_execute")
    def on_execute(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            _add(state.session, changes_of_statement(state.statement, state.parameters))


def publish_tracked(session: Session, origin: str) -> int:
    """Flush the session and queue the notice of everything it changed (before its commit)."""
    session.flush()
    return publish(session, tracked(session), origin)


def connect_kwargs(url: URL) -> dict[str, Any]:
    """psycopg connection arguments for a SQLAlchemy URL that already carries its password."""
    kwargs: dict[str, Any] = {
        "host": url.host or "localhost",
        "port": url.port or 5432,
        "dbname": url.database or "postgres",
        "user": url.username,
        "password": url.password,
        "connect_timeout": 5,
        "application_name": "mediation-desk-listener",
        # A cable pulled or a server switched off sends nothing: TCP keepalives notice it in ~15 s.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
    }
    query: Mapping[str, str | tuple[str, ...]] = url.query
    for key, value in query.items():
        kwargs[key] = value if isinstance(value, str) else value[-1]
    return {k: v for k, v in kwargs.items() if v is not None}


class _Watcher:
    """A daemon thread that watches for other writers until stopped (``_run`` is the loop)."""

    #: The thread's name (seen in a debugger and in thread dumps).
    thread_name = "mediation-desk-watch"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread; the wait is bounded by the loop's poll interval."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("%s did not stop within %.1f s", self.thread_name, timeout)

    def _run(self) -> None:
        raise NotImplementedError


class Listener(_Watcher):
    """A thread that listens for other desks' notices and passes them to ``on_changes``.

    ``on_changes`` and ``on_resync`` run on the listener thread: the GUI bridges them to its own
    thread. ``on_resync`` is called after a reconnection, when notices may have been missed, so
    views can refresh what they show. ``url`` must already carry the password (read it from the
    keychain on the GUI thread: ``keyring`` must not be called from worker threads).
    """

    thread_name = "mediation-desk-listen"

    def __init__(self, url: URL, desk_id: str, on_changes: Callable[[Changes], None],
                 on_resync: Callable[[], None] | None = None, *,
                 connect: Callable[..., Any] | None = None,
                 on_state: Callable[[bool, BaseException | None], None] | None = None) -> None:
        self._kwargs = connect_kwargs(url)
        self.desk_id = desk_id
        self._on_changes = on_changes
        self._on_resync = on_resync
        #: Called with (False, the error) after each failed connection attempt and (True, None)
        #: once ``LISTEN`` is in place: the desk's outage banner follows it.
        self._on_state = on_state
        self._connect = connect
        super().__init__()
        self._listening = threading.Event()
        self._connection: Any = None
        #: Notices received from other desks and from this one (for tests and the status bar).
        self.received = 0
        self.skipped_own = 0
        self.reconnects = 0

    def wait_listening(self, timeout: float = 5.0) -> bool:
        """Block until ``LISTEN`` is in place (tests, and a desk that must not miss the first notice)."""
        return self._listening.wait(timeout)

    # ------------------------------------------------------------------ the thread

    def _open(self) -> Any:
        if self._connect is not None:
            return self._connect(**self._kwargs)
        import psycopg  # the driver of the PostgreSQL mode; SQLite desks never load it

        return psycopg.connect(autocommit=True, **self._kwargs)

    def _run(self) -> None:
        failures = 0
        first = True
        while not self._stop.is_set():
            try:
                connection = self._open()
            except Exception as exc:  # unreachable server, wrong password: try again later
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                log.warning("Notice listener cannot connect (%s); retrying in %.1f s", exc, delay)
                self._state(False, exc)
                self._stop.wait(delay)
                continue
            self._connection = connection
            try:
                connection.execute(f"LISTEN {CHANNEL}")
                self._listening.set()
                self._state(True, None)
                if not first:
                    self.reconnects += 1
                    if self._on_resync is not None:
                        self._on_resync()
                first = False
                failures = 0
                for payload in self._notices(connection):
                    self._handle(payload)
            except Exception as exc:
                if not self._stop.is_set():
                    log.warning("Notice listener lost its connection (%s); reconnecting", exc)
                    self._stop.wait(RECONNECT_DELAYS[0])
            finally:
                self._listening.clear()
                self._connection = None
                # Closing a broken connection may fail too; it is gone either way.
                with contextlib.suppress(Exception):
                    connection.close()

    def _state(self, reachable: bool, error: BaseException | None) -> None:
        if self._on_state is None or self._stop.is_set():
            return
        try:
            self._on_state(reachable, error)
        except Exception:
            log.exception("Error while passing on the state of the server connection")

    def _notices(self, connection: Any) -> Iterator[str]:
        while not self._stop.is_set():
            for notice in connection.notifies(timeout=POLL_SECONDS):
                yield str(notice.payload)
                if self._stop.is_set():
                    return

    def _handle(self, payload: str) -> None:
        parsed = parse_payload(payload)
        if parsed is None:
            return
        origin, changes = parsed
        if origin == self.desk_id:
            self.skipped_own += 1
            return
        self.received += 1
        if changes.empty:
            return
        try:
            self._on_changes(changes)
        except Exception:
            log.exception("Error while passing on a notice from another desk")


class DataVersionWatcher(_Watcher):
    """Other processes' commits to this desk's SQLite file (the command line, a second app).

    SQLite has no notices. ``PRAGMA data_version`` on a connection changes when another
    connection has committed to the file since it was last asked, and not for the connection's
    own commits; this process writes through one connection (``Database.writer``), so asking
    that connection every ``interval`` seconds sees exactly the writes of other processes. What
    they changed is unknown, so ``on_change`` is called with no argument and the desk refreshes
    everything it shows (as after a reconnection to a server).
    """

    thread_name = "mediation-desk-data-version"

    def __init__(self, engine: Engine, on_change: Callable[[], None], *, interval: float = 1.0) -> None:
        self._engine = engine
        self._on_change = on_change
        self._interval = interval
        super().__init__()
        self._last: tuple[int, int] | None = None
        #: Changes seen (for tests and logs).
        self.seen = 0
        self._polled = threading.Event()

    def wait_polled(self, timeout: float = 5.0) -> bool:
        """Block until the first reading is taken (a test's write after it is then seen)."""
        return self._polled.wait(timeout)

    def poll(self) -> bool:
        """Ask once; True if another process committed since the last time."""
        # The raw DBAPI connection: through SQLAlchemy the writer's "begin" hook would take the
        # write lock (BEGIN IMMEDIATE) just to read a pragma.
        raw = self._engine.raw_connection()
        try:
            connection = raw.driver_connection
            version = int(connection.execute("PRAGMA data_version").fetchone()[0])  # type: ignore[union-attr]
            key = (id(connection), version)
        finally:
            raw.close()
        previous, self._last = self._last, key
        self._polled.set()
        # A new writer connection starts a new count: that is not a change.
        return previous is not None and previous[0] == key[0] and previous[1] != key[1]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                changed = self.poll()
            except Exception as exc:  # the file busy or gone for a moment: ask again later
                log.warning("Could not read the database's data version (%s)", exc)
                changed = False
            if changed and not self._stop.is_set():
                self.seen += 1
                try:
                    self._on_change()
                except Exception:
                    log.exception("Error while passing on another process's write")
            self._stop.wait(self._interval)


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes (for tests without Qt)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
