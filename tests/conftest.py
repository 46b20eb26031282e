"""Fixtures: each test gets its own data folder, keyring, and database (SQLite file or a fresh
PostgreSQL database cloned from a migrated template)."""

from __future__ import annotations

import filecmp
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

# Qt must know before any QApplication exists that there is no screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New SQLite files are encrypted by default (SQLCipher, key in the keychain); the suite's default
# path — and every command line it starts — stays plain and fast, and never touches a real keychain.
# Tests of encryption ask for it (tests/test_sqlcipher*.py).
os.environ["MEDIATION_DESK_ENCRYPTION"] = "off"

import keyring
import keyring.backend
import pytest
import time_machine
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from mediation_desk import demo, settings
from mediation_desk.db import Database, upgrade
from mediation_desk.models import Role
from mediation_desk.services import auth, reference
from mediation_desk.services.actor import Actor

from . import clock, pgserver

#: Every test starts at this instant (``MEDIATION_DESK_TEST_TODAY``, else when the session began).
#: This process's own values of the libfaketime variables, before the suite set them for its children.
_OWN_CLOCK_ENVIRONMENT: dict[str, str | None] = {}
#: Refused before the switch below sets the libfaketime variables for the tests' children.
_UNDER_LIBFAKETIME = clock.under_libfaketime(os.environ)
if _UNDER_LIBFAKETIME is not None:
    raise pytest.UsageError(_UNDER_LIBFAKETIME)
#: This process is one a test started under the switch (a bench importing the suite's helpers, a
#: ``multiprocessing`` child importing a test module): its clock is already libfaketime's, from the
#: instant the test gave it; the switch must neither refuse it nor move its clock a second time.
_STARTED_BY_A_TEST = clock.started_by_a_test(os.environ)
try:
    _CHOSEN = None if _STARTED_BY_A_TEST else clock.chosen_instant()
    if _CHOSEN is not None:
        # The processes the tests start (the command line, the PostgreSQL server) share the instant.
        _FAKETIME = clock.faketime_environment(_CHOSEN)
        _OWN_CLOCK_ENVIRONMENT.update({name: os.environ.get(name) for name in _FAKETIME})
        os.environ.update(_FAKETIME)
except clock.ClockSwitchError as _error:
    raise pytest.UsageError(str(_error)) from None
# Without the switch, the moment the run began. pytest-xdist starts its workers from this process
# after it has imported this file, so they inherit the variable and all run from the same instant
# (the same day even if they start on either side of midnight).
SESSION_INSTANT = _CHOSEN or clock.parse_instant(
    os.environ.setdefault(clock.RUN_STARTED_ENV, datetime.now().isoformat(timespec="seconds")))
# Collection runs at the instant too: a test module that reads the date when it is imported
# (``TODAY = date.today()``) sees the same day as its tests.
if not _STARTED_BY_A_TEST:
    time_machine.travel(SESSION_INSTANT, tick=True).start()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config: pytest.Config, specs: object) -> None:
    """pytest-xdist is about to start its workers from this process: they must not inherit the
    libfaketime variables set above for the tests' children (a Python under libfaketime fails
    ``time.sleep``); each worker sets them again for its own children when it imports this file."""
    for name, value in _OWN_CLOCK_ENVIRONMENT.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--composition-all", action="store_true", default=False,
                     help="print and check every document of every demo case (tests/test_composition.py), "
                          "not a sample of each state")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The real keyring API over a dict: no OS keychain, no prompts, nothing left behind."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def _story_instant(node: pytest.Item | pytest.Collector) -> datetime:
    marker = node.get_closest_marker("story_day")
    return clock.parse_instant(marker.args[0]) if marker is not None else SESSION_INSTANT


@pytest.fixture(autouse=True, scope="module")
def module_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """A module's own fixtures (cases built once for many tests) are made at its tests' instant."""
    with time_machine.travel(_story_instant(request.node), tick=True):
        yield


@pytest.fixture(autouse=True)
def test_clock(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller]:
    """Each test runs from the session's instant, so none depends on the day or sees midnight pass.

    A test whose story is written with fixed dates (a case received on 2 March 2026, printed with
    those dates) says when it happens with ``@pytest.mark.story_day("2026-03-20T10:00")``: it then
    runs on that day whatever the instant of the suite."""
    instant = _story_instant(request.node)
    with time_machine.travel(instant, tick=True) as coordinates:
        if instant is SESSION_INSTANT or "FAKETIME" not in os.environ:
            yield coordinates
            return
        # The command lines such a test starts happen on its story's day too.
        previous = os.environ["FAKETIME"]
        os.environ.update(clock.faketime_environment(instant))
        try:
            yield coordinates
        finally:
            os.environ["FAKETIME"] = previous


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv(settings.HOME_ENV, str(home))
    return home


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    previous = auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    auth.use_hasher(previous)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# --------------------------------------------------------------------------- PostgreSQL


def _need_postgresql() -> None:
    if os.environ.get("MEDIATION_DESK_SKIP_POSTGRESQL") == "1":
        pytest.skip("PostgreSQL tests disabled by MEDIATION_DESK_SKIP_POSTGRESQL=1")
    if pgserver.find_bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; the test command should have installed it")
        pytest.skip("PostgreSQL server binaries not installed")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    _need_postgresql()
    server = pgserver.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pgserver.PgServer]:
    """A second throwaway cluster that speaks TLS (``ssl=on``) with a server certificate for
    ``localhost`` and ``127.0.0.1`` signed by a throwaway CA (``pg_tls_server.tls``: the CA file a
    desk is given, another CA's file, and the address ``pgserver.UNNAMED_ADDRESS`` it also listens
    on but its certificate does not name). The other tests' server stays without TLS."""
    _need_postgresql()
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is not installed; scripts/setup --test installs it")
        pytest.skip("the openssl command is not installed")
    server = pgserver.start(tls=pgserver.make_certificates(tmp_path_factory.mktemp("tls")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: pgserver.PgServer) -> str:
    """A migrated database that each test's database is cloned from (cloning is ~10x faster
    than migrating)."""
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE md_template"))
    admin.dispose()
    db = Database(pg_server.url_for("md_template"))
    upgrade(db)
    with db.write() as session:
        reference.ensure_dispute_types(session)
    db.dispose()
    return "md_template"


_pg_counter = itertools.count(1)


@contextmanager
def pg_clone(server: pgserver.PgServer, name: str, template: str | None = None) -> Iterator[str]:
    """A database ``name`` of its own on ``server`` for the block, copied from ``template``
    (``CREATE DATABASE … TEMPLATE``: a migrated one, a seeded one) or empty: its URL. Dropped after,
    even with connections still open (``WITH (FORCE)``)."""
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        try:
            yield server.url_for(name)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_database_url(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[str]:
    with pg_clone(pg_server, f"md_test_{os.getpid()}_{next(_pg_counter)}", pg_template) as url:
        yield url


@pytest.fixture
def empty_pg_database_url(pg_server: pgserver.PgServer) -> Iterator[str]:
    """A database with no schema at all, for migration tests."""
    with pg_clone(pg_server, f"md_empty_{os.getpid()}_{next(_pg_counter)}") as url:
        yield url


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the default dispute types; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.write() as session:
        reference.ensure_dispute_types(session)
    # Closing the last connection checkpoints the WAL into the file, so a copy of it is complete.
    db.dispose()
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _sqlite_copy(template: Path, target: Path) -> Database:
    shutil.copyfile(template, target)
    return Database(f"sqlite:///{target}")


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    db = _sqlite_copy(sqlite_template, tmp_path / "cases.sqlite3")
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database with the default dispute types, on each backend in turn."""
    if request.param == "sqlite":
        database = _sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path / "cases.sqlite3")
    else:
        database = Database(request.getfixturevalue("pg_database_url"))
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    with db.write() as session:
        auth.create_user(session, Actor.system("test"), username="root", display_name="管理员",
                         role=Role.ADMIN, password="Admin@2026", must_change_password=False)
        return auth.authenticate(session, "root", "Admin@2026")


#: The demo center of :func:`demo_sqlite_db`, seeded once per worker and instant: its file, the
#: moment its seeding ended, and what the seeding put in the keychain (the audit chain's key).
_SEEDED_DEMOS: dict[datetime, tuple[Path, datetime, dict[tuple[str, str], str]]] = {}


@pytest.fixture
def demo_sqlite_db(sqlite_db: Database, sqlite_template: Path, test_clock: time_machine.Traveller,
                   memory_keyring: MemoryKeyring, request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo center with 120 cases on SQLite.

    Seeding costs ~0.4 s of CPU and several hundred tests ask for it: the first test of a worker
    (and of each instant tests run at: the demo depends on the day) seeds it, and the others get a
    copy of that file and of the keys the seeding kept in the keychain — the same rows and keys as
    seeding in place, the clock moved on to the moment the seeding ended, as if the test had just
    seeded it (nothing it writes is dated before the demo's rows). A database something already
    wrote to, a keychain already holding something, or a test whose clock is elsewhere, seeds in
    place."""
    instant = _story_instant(request.node)
    path = Path(str(sqlite_db.url.database))
    now = datetime.now()
    on_its_instant = abs(now - instant.replace(tzinfo=None)) < timedelta(minutes=1)
    untouched = (not memory_keyring.passwords and not path.with_name(path.name + "-wal").exists()
                 and filecmp.cmp(path, sqlite_template, shallow=False))
    seeded = _SEEDED_DEMOS.get(instant)
    if seeded is not None and on_its_instant and untouched:
        sqlite_db.dispose()
        shutil.copyfile(seeded[0], path)
        memory_keyring.passwords.update(seeded[2])
        if datetime.now() < seeded[1]:
            test_clock.shift(seeded[1] - datetime.now())
        return sqlite_db
    with sqlite_db.write() as session:
        demo.seed(session, 120)
    if on_its_instant and untouched and seeded is None:
        ended = datetime.now()
        sqlite_db.dispose()  # the last connection closed checkpoints the WAL into the file
        if not path.with_name(path.name + "-wal").exists():
            kept = tmp_path_factory.mktemp("demo-center") / "demo.sqlite3"
            shutil.copyfile(path, kept)
            _SEEDED_DEMOS[instant] = (kept, ended, dict(memory_keyring.passwords))
    return sqlite_db


def login_as(db: Database, username: str, password: str = demo.DEMO_PASSWORD) -> Actor:
    return auth.login(db, username, password)
