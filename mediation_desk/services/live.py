"""Live refresh between desks on a center server (PostgreSQL LISTEN/NOTIFY). No Qt here.

Every write that announces :class:`~mediation_desk.services.changes.Changes` also queues a
``pg_notify('mediation_desk', payload)`` inside its own transaction (:func:`publish`), so the
notice goes out when, and only when, the write commits: a rolled-back write says nothing.

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

from .changes import Changes

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
    }
    query: Mapping[str, str | tuple[str, ...]] = url.query
    for key, value in query.items():
        kwargs[key] = value if isinstance(value, str) else value[-1]
    return {k: v for k, v in kwargs.items() if v is not None}


class Listener:
    """A thread that listens for other desks' notices and passes them to ``on_changes``.

    ``on_changes`` and ``on_resync`` run on the listener thread: the GUI bridges them to its own
    thread. ``on_resync`` is called after a reconnection, when notices may have been missed, so
    views can refresh what they show. ``url`` must already carry the password (read it from the
    keychain on the GUI thread: ``keyring`` must not be called from worker threads).
    """

    def __init__(self, url: URL, desk_id: str, on_changes: Callable[[Changes], None],
                 on_resync: Callable[[], None] | None = None, *,
                 connect: Callable[..., Any] | None = None) -> None:
        self._kwargs = connect_kwargs(url)
        self.desk_id = desk_id
        self._on_changes = on_changes
        self._on_resync = on_resync
        self._connect = connect
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None
        #: Notices received from other desks and from this one (for tests and the status bar).
        self.received = 0
        self.skipped_own = 0
        self.reconnects = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="mediation-desk-listen", daemon=True)
        self._thread.start()

    def wait_listening(self, timeout: float = 5.0) -> bool:
        """Block until ``LISTEN`` is in place (tests, and a desk that must not miss the first notice)."""
        return self._listening.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread; the wait is bounded by the poll interval and connect timeout."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("The notice listener did not stop within %.1f s", timeout)
        self._thread = None

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
                self._stop.wait(delay)
                continue
            self._connection = connection
            try:
                connection.execute(f"LISTEN {CHANNEL}")
                self._listening.set()
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


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes (for tests without Qt)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
