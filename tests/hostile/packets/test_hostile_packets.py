"""Every crafted packet through the real command, ``mediation-desk import-packet``, on
SQLite and on PostgreSQL: exit status 2, a Chinese message saying what is wrong, no traceback,
and nothing written (row counts, the SQLite file's size and the files beside it unchanged)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import Base, Role

from ... import cli_run
from ...conftest import pg_clone
from ...services.helpers import PASSWORD, make_user
from .craft import HOSTILE, file_name, good_packet

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-packets")
    (folder / "good.zip").write_bytes(good_packet())
    for name, (make, _message) in HOSTILE.items():
        (folder / file_name(name)).write_bytes(make())
    return folder


@contextmanager
def _desk(request: pytest.FixtureRequest, folder: Path, name: str) -> Iterator[str]:
    """A migrated database on the backend ``request.param`` names (a SQLite file alone in
    ``folder``), with the head who signs in to import (issue 17): its URL."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "cases.sqlite3")
        url = f"sqlite:///{folder / 'cases.sqlite3'}"
        yield _with_head(url)
        return
    with pg_clone(request.getfixturevalue("pg_server"), f"md_{name}_{os.getpid()}_{next(_desks)}",
                  request.getfixturevalue("pg_template")) as made:
        yield _with_head(made)


_desks = itertools.count(1)


def _with_head(url: str) -> str:
    db = Database(url)
    try:
        make_user(db, "head", Role.HEAD)
    finally:
        db.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own (the good packet is imported into it)."""
    folder = tmp_path / "desk"
    folder.mkdir()
    with _desk(request, folder, "packet") as url:
        yield url


@pytest.fixture(scope="module")
def refusing_pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """One PostgreSQL database of the module for the refusals: each writes nothing but its login's
    audit entry, and each test compares the row counts before and after its own import."""
    with pg_clone(request.getfixturevalue("pg_server"), f"md_refusals_{os.getpid()}",
                  request.getfixturevalue("pg_template")) as url:
        yield _with_head(url)


@pytest.fixture(params=BACKENDS)
def refusing_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a refusal is tried: on SQLite a file of the test's own (the files beside it are
    compared too, and the logins' audit entries of a shared file would grow it by a page now and
    then), on PostgreSQL :func:`refusing_pg_url`."""
    if request.param == "postgresql":
        yield request.getfixturevalue("refusing_pg_url")
        return
    folder = tmp_path / "desk"
    folder.mkdir()
    with _desk(request, folder, "packet") as url:
        yield url


def _signed_in(state: tuple[dict[str, int], list[tuple[str, int]], list[str]]
               ) -> tuple[dict[str, int], list[tuple[str, int]], list[str]]:
    """``state`` plus what the command's login itself writes: its one audit entry."""
    counts = dict(state[0])
    counts["audit_entry"] += 1
    return counts, state[1], state[2]


def _counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.read() as session:
            return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                    for t in Base.metadata.sorted_tables}
    finally:
        db.dispose()


def _sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _state(url: str, packets: Path) -> tuple[dict[str, int], list[tuple[str, int]], list[str]]:
    """Row counts; each file beside the SQLite database with its size; the files beside the packet."""
    counts = _counts(url)
    path = _sqlite_file(url)
    beside = sorted((p.name, p.stat().st_size) for p in path.parent.iterdir()) if path is not None else []
    return counts, beside, sorted(p.name for p in packets.iterdir())


def _import(url: str, packet: Path, *, in_a_process: bool = False) -> subprocess.CompletedProcess[str]:
    """``import-packet`` run from the packet's folder (a file written where it runs would be seen
    beside it): through the interpreter's entry point in this process (tests/cli_run.py), or as
    a new process."""
    args = ["--database", url, "import-packet", str(packet), "--as", "head", "--password-stdin"]
    if not in_a_process:
        return cli_run.in_process(args, stdin=f"{PASSWORD}\n", cwd=packet.parent)
    return cli_run.in_a_process(args, stdin=f"{PASSWORD}\n", cwd=packet.parent)


#: The attacks also run as a new process (the rest through the entry point in this process: a
#: process each was 2.5 s of imports, 92 of them).
IN_A_PROCESS = (next(iter(HOSTILE)), list(HOSTILE)[-1])


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_packet_is_refused_on_the_command_line(attack: str, crafted: Path, refusing_url: str) -> None:
    database_url = refusing_url
    packet = crafted / file_name(attack)
    before = _state(database_url, crafted)
    done = _import(database_url, packet, in_a_process=attack in IN_A_PROCESS)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert re.search(r"[\u4e00-\u9fff]", done.stderr), done.stderr
    assert HOSTILE[attack][1] in done.stderr, done.stderr
    assert _state(database_url, crafted) == _signed_in(before)


def test_the_untouched_packet_is_imported(crafted: Path, database_url: str) -> None:
    """The control: the packet every hostile one is made from goes in, so a refusal above is the
    attack's doing, and the checks of "nothing written" would see a write."""
    before = _state(database_url, crafted)
    done = _import(database_url, crafted / "good.zip")
    assert done.returncode == 0, done.stderr
    assert "已导入移送材料包" in done.stdout
    after = _state(database_url, crafted)
    assert after[0]["dispute_case"] == before[0]["dispute_case"] + 1
    assert after[0]["party"] == before[0]["party"] + 2
    assert after[0]["attachment"] == before[0]["attachment"] + 2


def test_no_id_number_or_phone_in_a_refusal(crafted: Path, refusing_url: str) -> None:
    for attack in ("ID number check digit wrong", "15-digit ID number", "phone of 10 digits"):
        done = _import(refusing_url, crafted / file_name(attack))
        assert done.returncode == 2
        assert not re.search(r"\d{7,}", done.stderr), done.stderr
