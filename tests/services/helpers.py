"""Small builders shared by the service tests."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

import keyring
import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import (
    AttachmentKind,
    CaseState,
    DisputeType,
    Mediator,
    PartyRole,
    Role,
    Team,
    TeamMember,
    User,
    now,
)
from mediation_desk.services import agreements, attachments, auth, cases, dossier, records
from mediation_desk.services.actor import Actor

from ..conftest import MemoryKeyring, _story_instant, pg_clone

PASSWORD = "Passw0rd!"


def dispute_type_id(db: Database, name: str = "邻里") -> int:
    with db.read() as session:
        return session.scalars(select(DisputeType.id).where(DisputeType.name == name)).one()


def new_case_input(db: Database, *, title: str = "相邻通行纠纷", applicant: str = "张三",
                   respondent: str = "李四", received_at: datetime | None = None) -> cases.CaseInput:
    return cases.CaseInput(
        title=title,
        dispute_type_id=dispute_type_id(db),
        parties=[
            cases.PartyInput(role=PartyRole.APPLICANT, name=applicant),
            cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent),
        ],
        facts="两家因院前通道发生争执。",
        requests=["请求对方拆除堆放物", "恢复通行"],
        received_at=received_at,
    )


def make_team(db: Database, name: str = "城建物业调解团队", mediator_name: str = "李建国") -> tuple[int, int]:
    """A team with one mediator; returns (team id, mediator id)."""
    with db.write() as session:
        mediator = Mediator(name=mediator_name)
        session.add(mediator)
        session.flush()
        team = Team(name=name, lead_mediator_id=mediator.id)
        team.members = [TeamMember(mediator_id=mediator.id)]
        session.add(team)
        session.flush()
        return team.id, mediator.id


def actor_named(db: Database, username: str) -> Actor:
    """The signed-in person the account ``username`` is (a demo's ``head``, ``ljd_clerk`` …)."""
    with db.read() as session:
        return auth.actor_for(session, session.scalars(select(User).where(User.username == username)).one())


def make_user(db: Database, username: str, role: Role, mediator_id: int | None = None) -> Actor:
    with db.write() as session:
        auth.create_user(session, Actor.system("test"), username=username, display_name=username,
                         role=role, password=PASSWORD, mediator_id=mediator_id, must_change_password=False)
    return auth.login(db, username, PASSWORD)


def register(db: Database, actor: Actor, **kwargs: object) -> int:
    with db.write() as session:
        return cases.register_case(session, actor, new_case_input(db, **kwargs))  # type: ignore[arg-type]


def complete_paperwork(target: Database | Session, actor: Actor, case_id: int) -> None:
    """Give the case, through the services, every required item ``dossier.completeness`` says it
    lacks, so its closure can be approved: an identity scan per party, a mediation record with the
    notice given (saying whether agreement was reached), a signed agreement for a success.

    ``actor`` must be allowed to write records (the head, or a mediator of the case's team). Call
    it before the case is submitted for review: an agreement can only be made while the case is
    in mediation or has succeeded (signing one in mediation moves the case to 调解成功).
    """
    if isinstance(target, Database):
        with target.write() as session:
            complete_paperwork(session, actor, case_id)
        return
    session = target
    detail = cases.case_detail(session, actor, case_id)
    ended = dossier.outcome(detail)
    missing = {m.item for m in dossier.completeness(session, case_id)}
    if 3 in missing:
        covered = {a.party_id for a in attachments.list_attachments(session, actor, case_id)
                   if a.kind is AttachmentKind.IDENTITY}
        for party in detail.parties:
            if party.id not in covered:
                attachments.add_document(session, actor, case_id, kind=AttachmentKind.IDENTITY,
                                         filename=f"身份证-{party.name}.png", content=demo.identity_scan(),
                                         party_id=party.id)
    succeeded = ended is CaseState.SUCCEEDED
    if missing & {2, 7} or (8 in missing and not succeeded):
        held = now() - timedelta(minutes=5)
        records.add_mediation_record(session, actor, case_id, records.MediationRecordInput(
            held_at=held, place="中心第一调解室", subject=detail.title, mediators="李建国", recorder="王晓燕",
            participants="", parties_present="、".join(p.name for p in detail.parties), notice_given=True,
            statements="申请人、被申请人分别陈述了纠纷经过和各自的要求。",
            verification="调解员核对了双方提交的材料。",
            outcome="双方达成调解协议。" if succeeded else "双方未能达成协议，原因：双方分歧较大。已告知可依法起诉。",
            agreement_reached=succeeded))
    if 8 in missing and succeeded:
        if detail.state not in agreements.EDITABLE_STATES:
            raise AssertionError(f"案件当前为“{detail.state.label}”：协议只能在调解中或调解成功时签署，"
                                 "请在提交结案审核之前调用 complete_paperwork。")
        obligor = next(p.id for p in detail.parties if p.role is PartyRole.RESPONDENT)
        drafted = agreements.draft(session, actor, case_id)
        saved = agreements.save(session, actor, drafted.id, agreements.AgreementInput(
            kind=drafted.kind, facts=drafted.facts or "双方因纠纷发生争执。", disputed_matters="责任承担。",
            responsibilities="双方各负一定责任。", copies=len(detail.parties) + 1,
            terms=[agreements.TermInput(obligor, "支付补偿款", now().date() + timedelta(days=15),
                                        place="调解中心", method="银行转账")],
        ), expected_version=drafted.version)
        agreements.sign(session, actor, saved.id, signed_on=now().date())
    left = dossier.completeness(session, case_id)
    assert not left, left


@contextmanager
def statements_run(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) the database's reading engine runs inside the block,
    in order; the listener is gone after it (so a plan asked for after does not add to the list)."""
    statements: list[tuple[str, Any]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: object, *_: object) -> None:
        statements.append((statement, parameters))

    event.listen(db.reader, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.reader, "before_cursor_execute", seen)


def query_plan(session: Session, statement: str, parameters: Any) -> list[str]:
    """SQLite's plan of a statement seen by :func:`statements_run`: the detail of each step."""
    return [row[3] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


#: The backends of a module-scoped database (:func:`module_database`), as the ``db`` fixture's.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@contextmanager
def module_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                    name: str) -> Iterator[Database]:
    """A migrated database of its own for the tests of a module that only read or are refused
    (each checking that nothing changed), on the backend ``request.param`` names: made once
    instead of once a test."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp(name) / "cases.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
        try:
            yield db
        finally:
            db.dispose()
        return
    with pg_clone(request.getfixturevalue("pg_server"), f"md_{name}_{os.getpid()}",
                  request.getfixturevalue("pg_template")) as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def module_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str,
                cases: int, **options: Any) -> Iterator[Database]:
    """A demo center (``demo.seed(session, cases, **options)``) in a database of the module's
    (:func:`module_database`) for the tests that only read it: seeded once instead of once a test.
    The key of its audit chain goes to a keychain of its own, never a real one."""
    with module_database(request, tmp_path_factory, name) as db:
        previous = keyring.get_keyring()
        keyring.set_keyring(MemoryKeyring())
        try:
            with db.write() as session:
                demo.seed(session, cases, **options)
        finally:
            keyring.set_keyring(previous)
        yield db


#: The million-case demo's statistics of dispute_case's indexes (sqlite_stat1 after 0055, 2026-12-07).
MILLION = {
    "ix_dispute_case_accepted": "1000000 1 1",
    "ix_dispute_case_center_received": "1000000 1000000 1 1",
    "ix_dispute_case_clock": "1000020 2718 2268 933 924 924 188 43",
    "ix_dispute_case_closed": "1000000 2 1 1 1 1",
    "ix_dispute_case_criminal": "20182 20182 1682",
    "ix_dispute_case_due_center": "1000020 2725 953 943",
    "ix_dispute_case_due_soon": "1000020 2725 2268 905",
    "ix_dispute_case_first_visit": "22587 63 1 1 1 1 1 1",
    "ix_dispute_case_handling_center_id": "1000000 1000000",
    "ix_dispute_case_lead": "1000000 38462 38462 4879 1308 1 1 1",
    "ix_dispute_case_mediated": "1000000 1 1 1 1 1 1 1 1",
    "ix_dispute_case_number": "1000026 500013 1 1 1 1 1",
    "ix_dispute_case_open_clock": "221098 603 502 298 298 295 68",
    "ix_dispute_case_open_lead": "221082 8504",
    "ix_dispute_case_open_team": "221082 36847",
    "ix_dispute_case_place_key": "1000000 2 1",
    "ix_dispute_case_place_window": "1000000 1000000 1 1",
    "ix_dispute_case_received": "1000000 1 1",
    "ix_dispute_case_received_figures": "1000000 1 1 1 1 1 1 1",
    "ix_dispute_case_repeat_of_id": "1000000 1000000",
    "ix_dispute_case_retain_until": "1000000 1000000",
    "ix_dispute_case_state_received": "1000000 83334 1 1",
    "ix_dispute_case_team_received": "1000026 125004 1 1 1 1 1",
    "ix_dispute_case_type_received": "1000026 58826 1 1 1 1 1",
    "ix_dispute_case_updated": "1000026 2 1 1 1 1",
    "sqlite_autoindex_dispute_case_1": "1000000 1000000",
    "sqlite_autoindex_dispute_case_2": "1000000 1000000",
    "sqlite_autoindex_dispute_case_3": "1000000 1",
    "sqlite_autoindex_dispute_case_4": "1000000 1000000 500000 1",
}


def million_statistics(session: Session) -> None:
    """dispute_case's statistics as the 1M demo's: :data:`MILLION`, an index made since without any
    (SQLite's defaults; the small file's own would tell the planner the table is small: SQLite
    takes the table's size from the last of its indexes' statistics it loads)."""
    session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'dispute_case'"))
    for index, stat in MILLION.items():
        session.execute(text("INSERT INTO sqlite_stat1 VALUES ('dispute_case', :i, :s)"), {"i": index, "s": stat})


T = TypeVar("T")


@dataclass
class Seeded(Generic[T]):
    """A test's own copy of a database seeded once (:func:`seeded_copy`), and what its builder returned."""

    db: Database
    made: T


@dataclass
class _Seed:
    source: str  # the SQLite file, or the PostgreSQL database copies are made from
    made: Any
    keys: dict[tuple[str, str], str]  # what the seeding put in the keychain (the audit chain's key)
    ended: datetime


#: Databases seeded by :func:`seeded_copy`, once per worker: by name, backend and the tests' instant.
_SEEDED: dict[tuple[str, str, datetime], _Seed] = {}
_copies = itertools.count(1)


@contextmanager
def seeded_copy(request: pytest.FixtureRequest, tmp_path: Path, name: str,
                build: Callable[[Session], T], backend: str | None = None) -> Iterator[Seeded[T]]:
    """:func:`seeded_world` of what ``build(session)`` writes in one transaction."""

    def in_one_write(db: Database) -> T:
        with db.write() as session:
            return build(session)

    with seeded_world(request, tmp_path, name, in_one_write, backend) as seeded:
        yield seeded


@contextmanager
def seeded_world(request: pytest.FixtureRequest, tmp_path: Path, name: str,
                 build: Callable[[Database], T], backend: str | None = None) -> Iterator[Seeded[T]]:
    """A database of the test's own, on ``backend`` (else the one ``request.param`` names), holding what
    ``build(db)`` wrote into a migrated one (a demo, and what a module adds to it): built once
    per worker, backend and instant under ``name`` (every module asking for ``name`` must mean the
    same build), then copied for each test — a file copy on SQLite, ``CREATE DATABASE … TEMPLATE``
    on PostgreSQL — which costs a fraction of seeding again. The test may write to its copy.

    As :func:`tests.conftest.demo_sqlite_db` does, the keys the seeding kept in the keychain go to
    the test's keychain, and the test's clock moves on to the moment the seeding ended: the copy is
    what seeding in place would have left, nothing the test writes dated before its rows. What
    ``build`` returned (``Seeded.made``) is the same object for every copy: a builder's record of
    the database it wrote (a ``db`` field) is the caller's to point at the copy."""
    backend = backend or str(request.param)
    instant = _story_instant(request.node)
    key = (name, backend, instant)
    seed = _SEEDED.get(key)
    if seed is None:
        factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
        previous = keyring.get_keyring()
        ring = MemoryKeyring()
        keyring.set_keyring(ring)
        try:
            if backend == "sqlite":
                path = factory.mktemp("seeded") / "cases.sqlite3"
                shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
                source = Database(f"sqlite:///{path}")
                made = build(source)
                source.dispose()  # the last connection closed checkpoints the WAL into the file
                assert not path.with_name(path.name + "-wal").exists()
                origin = str(path)
            else:
                # Kept until the worker's throwaway server stops.
                server = request.getfixturevalue("pg_server")
                origin = f"md_seeded_{os.getpid()}_{len(_SEEDED)}"
                template = request.getfixturevalue("pg_template")
                admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{origin}" TEMPLATE "{template}"'))
                admin.dispose()
                source = Database(server.url_for(origin))
                made = build(source)
                source.dispose()  # a template database must have no connections
        finally:
            keyring.set_keyring(previous)
        seed = _SEEDED[key] = _Seed(origin, made, dict(ring.passwords), datetime.now())
    request.getfixturevalue("memory_keyring").passwords.update(seed.keys)
    clock = request.getfixturevalue("test_clock")
    if datetime.now() < seed.ended:
        clock.shift(seed.ended - datetime.now())
    if backend == "sqlite":
        target = tmp_path / "cases.sqlite3"
        shutil.copyfile(seed.source, target)
        db = Database(f"sqlite:///{target}")
        try:
            yield Seeded(db, seed.made)
        finally:
            db.dispose()
        return
    with pg_clone(request.getfixturevalue("pg_server"), f"md_copy_{os.getpid()}_{next(_copies)}",
                  seed.source) as url:
        db = Database(url)
        try:
            yield Seeded(db, seed.made)
        finally:
            db.dispose()


@contextmanager
def seeded_demo(request: pytest.FixtureRequest, tmp_path: Path, cases: int, *, backend: str | None = None,
                **options: Any) -> Iterator[Database]:
    """:func:`seeded_copy` of ``demo.seed(session, cases, **options)``: the test's own copy of a demo
    seeded once a worker, backend and instant for every test (of any module) asking for the same."""
    name = "demo " + " ".join([str(cases), *(f"{key}={value!r}" for key, value in sorted(options.items()))])

    def build(session: Session) -> None:
        demo.seed(session, cases, **options)

    with seeded_copy(request, tmp_path, name, build, backend) as seeded:
        yield seeded.db
