"""Notices between desks on a center server: sent with the write's commit, never without it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from mediation_desk import live
from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import cases

from .helpers import make_user, new_case_input


@pytest.fixture
def pg_db(pg_database_url: str) -> Iterator[Database]:
    database = Database(pg_database_url)
    yield database
    database.dispose()


@pytest.fixture
def listening(pg_db: Database) -> Iterator[psycopg.Connection[Any]]:
    """A plain psycopg connection listening on the channel, as another desk would."""
    connection = psycopg.connect(**live.connect_kwargs(pg_db.writer.url), autocommit=True)
    connection.execute(f"LISTEN {live.CHANNEL}")
    yield connection
    connection.close()


def received(connection: psycopg.Connection[Any], wait: float = 0.6) -> list[str]:
    return [n.payload for n in connection.notifies(timeout=wait) if n.channel == live.CHANNEL]


@pytest.mark.postgresql
def test_a_committed_write_sends_exactly_one_notice(pg_db: Database, listening: psycopg.Connection[Any]) -> None:
    clerk = make_user(pg_db, "clerk", Role.INTAKE)
    # Creating the account (and the login counting its attempt) told the users panels.
    notices = [live.parse_payload(p) for p in received(listening, 0.3)]
    assert notices and all(n == (pg_db.desk_id, Changes(users=True)) for n in notices)
    with pg_db.write() as session:
        # No one announces anything by hand: the write's rows say which case changed.
        case_id = cases.register_case(session, clerk, new_case_input(pg_db))
        session.flush()
        # Nothing leaves before the commit.
        assert received(listening, 0.2) == []
    payloads = received(listening)
    assert len(payloads) == 1
    assert json.loads(payloads[0]) == {"o": pg_db.desk_id, "l": 1, "c": [case_id]}
    parsed = live.parse_payload(payloads[0])
    assert parsed == (pg_db.desk_id, Changes.cases(case_id, list_changed=True))

    # What a caller knows beyond the rows joins the same notice.
    with pg_db.write() as session:
        cases.case_detail(session, clerk, case_id)
        live.announce(session, Changes(settings=True))
    assert [live.parse_payload(p) for p in received(listening)] == [(pg_db.desk_id, Changes(settings=True))]


@pytest.mark.postgresql
def test_a_rolled_back_write_sends_nothing(pg_db: Database, listening: psycopg.Connection[Any]) -> None:
    clerk = make_user(pg_db, "clerk", Role.INTAKE)
    received(listening, 0.3)  # the new account's notices
    with pytest.raises(RuntimeError), pg_db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(pg_db))
        live.publish(session, Changes.cases(case_id, list_changed=True), "desk-a")
        raise RuntimeError("the save fails after the notice was queued")
    assert received(listening) == []
    with pg_db.read() as session:
        assert session.execute(text("SELECT count(*) FROM dispute_case WHERE id = :i"), {"i": case_id}).scalar() == 0


def test_nothing_is_sent_on_sqlite(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        assert live.publish(session, Changes.cases(1, list_changed=True), "desk-a") == 0


def test_a_huge_change_is_split_into_notices_postgresql_accepts() -> None:
    ids = set(range(1, 5001))
    texts = live.payloads(Changes(case_ids=frozenset(ids), settings=True), "desk-a")
    assert len(texts) > 1
    assert all(len(t.encode()) < 8000 for t in texts)
    seen: set[int] = set()
    for payload in texts:
        parsed = live.parse_payload(payload)
        assert parsed is not None and parsed[0] == "desk-a" and parsed[1].settings
        seen |= parsed[1].case_ids
    assert seen == ids
    assert live.parse_payload("not json") is None
    assert live.parse_payload('{"c": [1]}') is None  # no origin: not one of ours


@pytest.mark.postgresql
def test_the_listener_passes_on_other_desks_skips_its_own_reconnects_and_stops(pg_db: Database) -> None:
    got: list[Changes] = []
    resyncs: list[int] = []
    arrived = threading.Event()

    def on_changes(changes: Changes) -> None:
        got.append(changes)
        arrived.set()

    listener = live.Listener(pg_db.writer.url, "desk-b", on_changes, lambda: resyncs.append(1))
    listener.start()
    try:
        assert listener.wait_listening(5)
        with pg_db.write() as session:
            live.publish(session, Changes.cases(7), "desk-b")  # its own: skipped
            live.publish(session, Changes.cases(8, list_changed=True), "desk-a")
        assert arrived.wait(2)
        assert live.wait_for(lambda: listener.skipped_own == 1, 1)
        assert got == [Changes.cases(8, list_changed=True)]

        # The server drops the listener's connection: it comes back, says it may have missed
        # notices, and hears the next one.
        with pg_db.write() as session:
            session.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE application_name = 'mediation-desk-listener'"))
        assert live.wait_for(lambda: listener.reconnects == 1 and listener.wait_listening(0), 5)
        assert resyncs == [1]
        arrived.clear()
        with pg_db.write() as session:
            live.publish(session, Changes(users=True), "desk-a")
        assert arrived.wait(2)
        assert got[-1] == Changes(users=True)
    finally:
        listener.stop()
    assert not listener.running
    assert not [t for t in threading.enumerate() if t.name == "mediation-desk-listen"]


def test_the_listener_keeps_trying_an_unreachable_server_and_still_stops() -> None:
    from sqlalchemy.engine import make_url

    attempts: list[dict[str, Any]] = []

    def refuse(**kwargs: Any) -> Any:
        attempts.append(kwargs)
        raise OSError("connection refused")

    url = make_url("postgresql+psycopg://app:secret@127.0.0.1:1/center?sslmode=require")
    listener = live.Listener(url, "desk-b", lambda _c: None, connect=refuse)
    listener.start()
    assert live.wait_for(lambda: len(attempts) >= 1, 2)
    listener.stop(timeout=2)
    assert not listener.running
    assert attempts[0]["sslmode"] == "require" and attempts[0]["password"] == "secret"
    assert attempts[0]["dbname"] == "center" and attempts[0]["port"] == 1
