"""Each crafted file of ``import_files.CASES`` through the real ``import-cases`` command, on SQLite and
PostgreSQL: the documented exit status and Chinese message, never a traceback, exactly the good rows
imported, nothing of a refused row or file written, and every stored number ASCII."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk import cli, settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CaseNumberSequence, DisputeCase, Party, Role, User
from mediation_desk.services import case_import
from mediation_desk.services.actor import Actor

from ..services.helpers import BACKENDS, PASSWORD, make_user, module_database
from .import_files import CASES, KEPT_BYTES, Case

#: The crafted files' good rows were received on 20 November 2026 (import_files.WHEN).
pytestmark = pytest.mark.story_day("2026-11-30T10:00")

#: The files also run in a process of their own (the rest call the command's ``main`` in this one:
#: starting the command costs seconds on a busy machine, and an escaping exception fails either way).
IN_A_PROCESS = frozenset({"good_full_width", "count_power_superscript", "amount_5000_digits", "nul_in_cell",
                          "duplicate_header", "json_nested_100000_in_cell", "json_lone_surrogate", "year_1948"})


def _clerk(url: str) -> None:
    """The intake clerk who imports, made once per database."""
    database = Database(url)
    try:
        with database.read() as session:
            exists = session.scalar(select(User.id).where(User.username == "clerk"))
        if exists is None:
            make_user(database, "clerk", Role.INTAKE)
    finally:
        database.dispose()


def run_import(url: str, path: Path, capsys: pytest.CaptureFixture[str], *,
               in_a_process: bool = True) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``mediation-desk --database URL import-cases PATH``, signed
    in as an intake clerk (issue 17: the command needs a login)."""
    _clerk(url)
    args = ["--database", url, "import-cases", str(path), "--as", "clerk", "--password-stdin"]
    if not in_a_process:
        capsys.readouterr()
        stdin, sys.stdin = sys.stdin, io.StringIO(f"{PASSWORD}\n")
        try:
            status = cli.main(args)
        finally:
            sys.stdin = stdin
        out, err = capsys.readouterr()
        return status, out, err
    env = dict(os.environ)
    env[settings.HOME_ENV] = os.environ[settings.HOME_ENV]
    env["MEDIATION_DESK_TEST_CHEAP_HASHING"] = "1"
    result = subprocess.run([sys.executable, "-m", "mediation_desk", *args], capture_output=True, check=False,
                            text=True, env=env, timeout=300, encoding="utf-8", errors="replace",
                            input=f"{PASSWORD}\n")
    return result.returncode, result.stdout, result.stderr


#: The files refused whole or in every row: each writes nothing, so they share a database of the
#: module per backend (each test still checks that nothing of its own was written).
REFUSED = tuple(c for c in CASES if not c.imported)
IMPORTING = tuple(c for c in CASES if c.imported)


@pytest.fixture(scope="module", params=BACKENDS)
def refused_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with module_database(request, tmp_path_factory, "refused_imports") as db:
        yield db


@pytest.mark.parametrize("case", IMPORTING, ids=[c.name for c in IMPORTING])
def test_hostile_import_file(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    _imported_as_told(db, tmp_path, capsys, case)


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_refused_import_file(refused_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             case: Case) -> None:
    _imported_as_told(refused_db, tmp_path, capsys, case)


def _imported_as_told(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    """The file through the command: its status and messages, no traceback, no ID number or phone
    shown, exactly its good rows in the database (any other import would show there) and, when it
    imports nothing, not a party, case number or import's audit line written."""
    path = case.write(tmp_path)
    status, out, err = run_import(db.url.render_as_string(hide_password=False), path, capsys,
                                  in_a_process=case.name in IN_A_PROCESS)
    output = out + err
    assert "Traceback" not in output and "Error" not in output, output
    assert status == case.status, output
    for message in case.messages:
        assert message in output, output
    for secret in case.hidden:
        assert secret not in err, err
    with db.read() as session:
        refs = sorted(ref or "" for ref in session.scalars(select(DisputeCase.source_ref)))
        assert refs == sorted(f"12345:{ref}" for ref in case.imported)
        for id_number, phone in session.execute(select(Party.id_number, Party.phone)):
            assert id_number.isascii() and phone.isascii()
        if not case.imported:
            # Refused whole, or every row refused: not a case number reserved, not an audit line.
            assert session.scalar(select(func.count()).select_from(Party)) == 0
            assert set(session.scalars(select(CaseNumberSequence.last_value))) <= {0}
            assert session.scalar(select(func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action == "case.import")) == 0
    if case.status == 1:
        assert f"导入 {len(case.imported)} 件" in out


def test_full_width_digits_are_stored_as_ascii(db: Database, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    case = next(c for c in CASES if c.name == "good_full_width")
    assert run_import(db.url.render_as_string(hide_password=False), case.write(tmp_path), capsys,
                      in_a_process=False)[0] == 0
    with db.read() as session:
        stored = session.execute(
            select(DisputeCase.people_involved, DisputeCase.amount_involved, DisputeCase.received_at,
                   Party.id_number, Party.phone)
            .join(Party, Party.case_id == DisputeCase.id).where(DisputeCase.source_ref == "12345:OK-2")).one()
    assert (stored[0], str(stored[1]), f"{stored[2]:%Y-%m-%d}", stored[3], stored[4]) == (
        12, "12500.50", "2026-11-20", "11010519491231002X", "13800138000")


def test_the_kept_files_are_what_the_script_makes() -> None:
    """``tests/hostile/import/`` holds the small crafted files for trying by hand; they must not drift."""
    folder = Path(__file__).with_name("import")
    kept = {p.name for p in folder.iterdir() if p.name != "README.md"}
    small = {f"{c.name}{c.suffix}": c.content for c in CASES if len(c.content) <= KEPT_BYTES}
    assert kept == set(small)
    for name, content in small.items():
        assert (folder / name).read_bytes() == content


@pytest.mark.parametrize(("received", "reason"), [
    ("1948-12-31 23:59", "年份 1948 早于 1949 年"),
    ("1949-01-01", None),
    ("2026-12-04 15:00", None),
    ("2026-12-04 15:01", "登记时间晚于现在"),
    ("2027-06-01", "登记时间晚于现在"),
    ("2028-01-01", "年份 2028 晚于明年（2027 年）"),
    ("９９９９-01-01", "年份 9999 晚于明年（2027 年）"),
])
def test_registration_years_are_checked_against_the_given_today(db: Database, received: str,
                                                                reason: str | None) -> None:
    record = {"source_ref": "Y-1", "source_system": "１２３４５", "received_at": received, "dispute_type": "邻里",
              "title": "排水纠纷", "applicant_name": "王建军"}
    with db.write() as session:
        report = case_import.import_records(session, Actor.system("test"), [(2, record)],
                                            today=datetime(2026, 12, 4, 15, 0))
    assert [e.message for e in report.errors] == ([reason] if reason else [])
    assert report.imported == (0 if reason else 1)
    with db.read() as session:
        assert list(session.scalars(select(DisputeCase.source_ref))) == ([] if reason else ["12345:Y-1"])
