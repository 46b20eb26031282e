"""Issue 17 item 4 replayed: the administrator ran ``retention run --as admin --today 2200-01-01 --to DIR``
on cases closed minutes earlier; the dossiers, ``data.json`` with ID numbers and the ID scans were
written world-readable and the parties deleted. Each step of that misuse is refused now, with a
Chinese message and no traceback, and a real purge leaves no trace of the party in the database
file (search, the FTS5 vocabulary, the raw bytes after VACUUM) nor in PostgreSQL's gram counts."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select, text

from mediation_desk import cli, settings
from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, DisputeCase, Party, Role
from mediation_desk.services import center, retention, search
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..services.helpers import PASSWORD, make_user
from ..services.settled import Settled, close, settled_case

NAME = "欧阳锦绣"
ID_NUMBER = "62070219800512761X"
PHONE = "13987654321"
#: Trigrams of the name no other text of the database holds.
NAME_GRAMS = ("欧阳锦", "阳锦绣")


def _closed(db: Database) -> Settled:
    """A closed case whose applicant is 欧阳锦绣 (with an ID number and a phone); 短期 (10 years)."""
    settled = settled_case(db)
    with db.write() as session:
        center.put(session, settings.DOSSIER_RETENTION, "短期")
        party = session.scalars(select(Party).where(Party.case_id == settled.case_id).order_by(Party.id)).first()
        assert party is not None
        party.name, party.id_number, party.phone = NAME, ID_NUMBER, PHONE
        case = session.get_one(DisputeCase, settled.case_id)
        case.title = f"{NAME}与李四相邻通行纠纷"
    close(settled)
    return settled


def _due(db: Database, settled: Settled) -> date:
    with db.read() as session:
        day = session.get_one(DisputeCase, settled.case_id).retain_until
    assert day is not None
    return day


def _travel_to(clock: time_machine.Traveller, day: date) -> None:
    clock.move_to(datetime.combine(day, time(10, 0)).astimezone())


@pytest.fixture
def pg_db(pg_database_url: str) -> Iterator[Database]:
    database = Database(pg_database_url)
    yield database
    database.dispose()


def _cli(monkeypatch: pytest.MonkeyPatch, db: Database, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return cli.main(["--database", db.url.render_as_string(hide_password=False), *args])


def _parties(db: Database, settled: Settled) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Party).where(Party.case_id == settled.case_id)) or 0


def _refused(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    assert captured.err.startswith("错误：") or "error" in captured.err or "用法" in captured.err
    for word in words:
        assert word in captured.err
    return captured.err


def test_the_administrators_run_with_a_future_day_is_refused(db: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    settled = _closed(db)
    make_user(db, "admin", Role.ADMIN)
    folder = tmp_path / "DIR"
    # The command line, word for word: --today is no option any more.
    with pytest.raises(SystemExit) as exited:
        _cli(monkeypatch, db, "retention", "run", "--as", "admin", "--password-stdin", "--today", "2200-01-01",
             "--to", str(folder))
    assert exited.value.code == 2
    _refused(capsys, "无法识别的参数", "--today")
    # Without it: the administrator reads no case content, dry run or not; nor does the system.
    for extra in ((), ("--dry-run",)):
        assert _cli(monkeypatch, db, "retention", "run", "--as", "admin", "--password-stdin", "--to", str(folder),
                    *extra) == 2
        _refused(capsys, "系统管理员", "中心主任")
        assert _cli(monkeypatch, db, "retention", "run", "--to", str(folder), *extra) == 2
        _refused(capsys, "中心主任")
    # The service refuses a day after the real date, even for the head.
    with db.write() as session, pytest.raises(InvalidInput, match="晚于今天"):
        retention.archive_expired(session, settled.head, date(2200, 1, 1), folder, dry_run=True)
    with db.write() as session, pytest.raises(PermissionDenied, match="系统"):
        retention.archive_expired(session, Actor.system("cli"), date.today(), folder, dry_run=True)
    # The case closed minutes ago is not due: the head's run today lists and purges nothing.
    assert _cli(monkeypatch, db, "retention", "run", "--as", "head", "--password-stdin", "--dry-run",
                "--to", str(folder)) == 0
    assert "没有保管期限届满的案卷" in capsys.readouterr().out
    assert _cli(monkeypatch, db, "retention", "run", "--as", "head", "--password-stdin", "--to", str(folder)) == 0
    assert _parties(db, settled) == 2 and not folder.exists()


def test_a_real_run_needs_the_same_heads_recent_dry_run_listing_every_case(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        test_clock: time_machine.Traveller) -> None:
    settled = _closed(db)
    other_head = make_user(db, "head2", Role.HEAD)
    due = _due(db, settled)
    folder = tmp_path / "DIR"
    _travel_to(test_clock, due)
    run = ("retention", "run", "--as", "head", "--password-stdin", "--to", str(folder))

    # No dry run at all.
    assert _cli(monkeypatch, db, *run) == 2
    _refused(capsys, retention.DRY_RUN_FIRST)
    # A dry run on the eve of the due day listed nothing: it covers nothing.
    with db.write() as session:
        test_clock.move_to(datetime.combine(due - timedelta(days=1), time(16, 0)).astimezone())
        assert retention.archive_expired(session, settled.head, due - timedelta(days=1), folder,
                                         dry_run=True).expired == ()
    _travel_to(test_clock, due)
    assert _cli(monkeypatch, db, *run) == 2
    _refused(capsys, retention.DRY_RUN_FIRST)
    # Another head's dry run is not this head's check.
    with db.write() as session:
        assert len(retention.archive_expired(session, other_head, due, folder, dry_run=True).expired) == 1
    assert _cli(monkeypatch, db, *run) == 2
    _refused(capsys, retention.DRY_RUN_FIRST)
    # The head's own dry run, but more than 24 hours ago.
    assert _cli(monkeypatch, db, *run[:-2], "--dry-run") == 0
    assert "试运行" in capsys.readouterr().out
    test_clock.move_to(datetime.combine(due + timedelta(days=1), time(11, 0)).astimezone())
    assert _cli(monkeypatch, db, *run) == 2
    _refused(capsys, retention.DRY_RUN_FIRST)
    assert _parties(db, settled) == 2 and not folder.exists()
    with db.read() as session:
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == retention.DRY_RUN_ACTION)
                                 .order_by(AuditEntry.id)).all()
    assert [e.username for e in logged] == ["head", "head2", "head"]
    assert logged[-1].detail["case_ids"] == [settled.case_id] and logged[-1].detail["day"] == due.isoformat()
    # Dry run, then run: done.
    assert _cli(monkeypatch, db, *run[:-2], "--dry-run") == 0
    assert _cli(monkeypatch, db, *run) == 0
    assert "已归档 1 件" in capsys.readouterr().out
    assert _parties(db, settled) == 0


def _modes(root: Path) -> tuple[set[int], set[int]]:
    folders: set[int] = {stat.S_IMODE(root.stat().st_mode)}
    files: set[int] = set()
    for path in root.rglob("*"):
        (folders if path.is_dir() else files).add(stat.S_IMODE(path.stat().st_mode))
    return folders, files


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_archive_is_for_its_owner_only(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str],
                                          test_clock: time_machine.Traveller) -> None:
    settled = _closed(db)
    _travel_to(test_clock, _due(db, settled))
    previous = os.umask(0o022)
    try:
        # An existing world-readable --to folder is refused, never narrowed (it may be /tmp).
        shared = tmp_path / "shared"
        shared.mkdir(mode=0o755)
        shared.chmod(0o755)
        head = ("--as", "head", "--password-stdin")
        assert _cli(monkeypatch, db, "retention", "run", *head, "--dry-run") == 0
        assert _cli(monkeypatch, db, "retention", "run", *head, "--to", str(shared)) == 2
        _refused(capsys, str(shared), "chmod 700")
        assert stat.S_IMODE(shared.stat().st_mode) == 0o755 and not any(shared.iterdir())
        assert _parties(db, settled) == 2
        # A new folder two levels down: both levels, each case folder and files/ are 0700, files 0600.
        target = shared / "a" / "b"
        assert _cli(monkeypatch, db, "retention", "run", *head, "--to", str(target)) == 0
        assert stat.S_IMODE((shared / "a").stat().st_mode) == 0o700
        folders, files = _modes(target)
        assert folders == {0o700} and files == {0o600}
        assert len(files) and any(p.name == "data.json" for p in target.rglob("*"))
        assert any(p.parent.name == "files" for p in target.rglob("*"))
    finally:
        os.umask(previous)
    # The desk's own default folder, made 0755 by an older version, is narrowed.
    own = tmp_path / "own"
    own.mkdir()
    own.chmod(0o755)
    assert retention.prepare_folder(own, narrow_existing=True) == own
    assert stat.S_IMODE(own.stat().st_mode) == 0o700
    # A file where the folder should be is refused.
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(retention.ArchiveFolderRefused, match="不是文件夹"):
        retention.prepare_folder(tmp_path / "file")


def _scan(path: Path) -> list[str]:
    """The personal data still present in the bytes of the database file (and its WAL)."""
    found = []
    for file in (path, path.with_name(path.name + "-wal")):
        if not file.exists():
            continue
        content = file.read_bytes()
        found += [f"{file.name}: {value}" for value in (NAME, ID_NUMBER, PHONE, *NAME_GRAMS)
                  if value.encode("utf-8") in content]
    return found


def _purge(db: Database, settled: Settled, folder: Path, clock: time_machine.Traveller) -> None:
    _travel_to(clock, _due(db, settled))
    with db.write() as session:
        retention.archive_expired(session, settled.head, _due(db, settled), folder, dry_run=True)
    with db.write() as session:
        assert len(retention.archive_expired(session, settled.head, _due(db, settled), folder).archived) == 1
    retention.compact(db.writer)


def _found(db: Database, settled: Settled) -> list[int]:
    with db.read() as session:
        return [hit.case_id for query in (NAME, ID_NUMBER, PHONE, PHONE[-4:], ID_NUMBER[-6:], NAME[:2])
                for hit in search.search(session, settled.head, query)]


def test_a_purged_party_leaves_no_trace_in_the_sqlite_file(sqlite_db: Database, tmp_path: Path,
                                                           test_clock: time_machine.Traveller) -> None:
    db = sqlite_db
    settled = _closed(db)
    assert set(_found(db, settled)) == {settled.case_id}  # the index found it before
    path = Path(db.url.database or "")
    _purge(db, settled, tmp_path / "DIR", test_clock)
    assert _found(db, settled) == []
    retention.compact(db.writer)  # VACUUM again: idempotent
    with db.read() as session:
        for vocab in ("search_party_vocab", "search_case_vocab"):
            left = session.execute(text(f"SELECT term FROM {vocab} WHERE term IN ('欧阳锦', '阳锦绣', '锦绣\x1f', "
                                        f"'{PHONE[:3]}', '{ID_NUMBER[-3:]}')")).scalars().all()
            assert left == [], (vocab, left)
    assert _scan(path) == []


@pytest.mark.postgresql
def test_a_purged_party_leaves_the_postgresql_gram_counts(pg_db: Database, tmp_path: Path,
                                                          test_clock: time_machine.Traveller) -> None:
    db = pg_db
    settled = _closed(db)
    grams = ("欧阳", "阳锦", "锦绣", *NAME_GRAMS)
    with db.read() as session:
        rows = session.execute(text("SELECT gram, cases FROM search_gram_count WHERE gram = ANY(:g)"),
                               {"g": list(grams)}).all()
    before = {gram: cases for gram, cases in rows}
    assert before == dict.fromkeys(grams, 1)
    _purge(db, settled, tmp_path / "DIR", test_clock)
    assert _found(db, settled) == []
    with db.read() as session:
        left = session.execute(text("SELECT gram FROM search_gram_count WHERE gram = ANY(:g) OR cases <= 0"),
                               {"g": list(grams)}).scalars().all()
        assert left == []
        # Every count left is exact: the recount of migration 0010 gives the same table.
        counted = {gram: cases for gram, cases in session.execute(text(
            "SELECT g, count(*) FROM dispute_case, unnest(search_text_grams(title, facts)) AS g GROUP BY g"))}
        stored = {gram: cases for gram, cases in session.execute(text("SELECT gram, cases FROM search_gram_count"))}
    assert stored == counted
