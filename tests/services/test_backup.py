"""Backups with SQLite's backup API, the daily rotation, and restores that check before replacing."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mediation_desk import db as db_module
from mediation_desk.db import (
    Database,
    NotEnoughSpace,
    backup_sqlite,
    current_revision,
    head_revision,
    upgrade,
)
from mediation_desk.models import AuditEntry, DisputeCase, Role
from mediation_desk.services import audit, backup
from mediation_desk.services.actor import Actor

from .helpers import make_user, register


def case_titles(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(DisputeCase.title).order_by(DisputeCase.id)))


def test_backup_uses_the_backup_api_and_is_one_complete_file(sqlite_db: Database, tmp_path: Path) -> None:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="备份前登记的案件")
    # The committed case is still in the WAL (the writer connection is open): a file copy of the
    # main file alone would miss it; the backup API does not.
    wal = Path(str(sqlite_db.url.database) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    pages: list[tuple[int, int]] = []
    path = backup_sqlite(sqlite_db, label="manual", target_dir=tmp_path / "b",
                         progress=lambda d, t: pages.append((d, t)))
    assert pages and pages[-1][0] == pages[-1][1]
    assert not Path(str(path) + "-wal").exists() and not list(path.parent.glob(".*part"))
    assert path.stat().st_mode & 0o777 == 0o600  # every party's ID number is in it
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT title FROM dispute_case").fetchall() == [("备份前登记的案件",)]


def test_daily_backup_once_a_day_keeps_fourteen_and_never_rotates_other_kinds(sqlite_db: Database,
                                                                             tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    first = backup.daily_if_due(sqlite_db, folder)
    assert first is not None and first.name.endswith("-daily.sqlite3")
    assert backup.daily_if_due(sqlite_db, folder) is None  # today's exists
    # Twenty older daily backups and a pre-migration one, as earlier days would have left them.
    for days in range(1, 21):
        stamp = (datetime.now() - timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
        (folder / f"cases-{stamp}-daily.sqlite3").write_bytes(first.read_bytes())
    old_stamp = (datetime.now() - timedelta(days=90)).strftime("%Y%m%d-%H%M%S")
    migration = folder / f"cases-{old_stamp}-before-0005.sqlite3"
    migration.write_bytes(first.read_bytes())
    tomorrow = date.today() + timedelta(days=1)
    made = backup.daily_if_due(sqlite_db, folder, keep=14, today=tomorrow)
    assert made is not None
    listed = backup.list_backups(folder)
    daily = [b for b in listed if b.label == "daily"]
    assert len(daily) == 14 and daily[0].created >= daily[-1].created
    assert migration.exists() and any(b.kind == "升级前的备份" for b in listed)
    assert min(b.created for b in daily) > datetime.now() - timedelta(days=14)


def test_migration_makes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    from mediation_desk.db import migrate_to

    migrate_to(db, "0004")
    report = upgrade(db)
    assert report.backup is not None and report.backup.name.endswith(f"-before-{head_revision()}.sqlite3")
    check = backup.check_backup(report.backup)
    assert check.revision == "0004"
    db.dispose()


def test_backup_then_restore_round_trip(sqlite_db: Database, tmp_path: Path) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="甲案")
    saved = backup.backup_now(sqlite_db, admin, tmp_path / "b")
    register(sqlite_db, clerk, title="乙案（备份之后登记）")
    assert case_titles(sqlite_db) == ["甲案", "乙案（备份之后登记）"]
    # A reader is open in another thread during the restore (the app's read lane).
    with sqlite_db.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 2
    steps: list[int] = []
    result = backup.restore(sqlite_db, saved, admin, folder=tmp_path / "b", progress=lambda d, t: steps.append(d))
    assert steps
    assert result.check.cases == 1 and result.upgraded_from is None
    assert case_titles(sqlite_db) == ["甲案"]
    # The state before the restore is kept, and passes the same checks.
    assert result.safety_backup is not None and result.safety_backup.name.endswith("-before-restore.sqlite3")
    assert backup.check_backup(result.safety_backup).cases == 2
    with sqlite_db.read() as session:
        assert audit.verify_chain(session).intact
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert last.action == "restore" and last.detail["file"] == saved.name
    # The restored database takes writes as before.
    register(sqlite_db, clerk, title="丙案")
    assert case_titles(sqlite_db) == ["甲案", "丙案"]


def test_restore_of_an_older_backup_upgrades_it(sqlite_db: Database, tmp_path: Path) -> None:
    old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    from mediation_desk.db import migrate_to

    migrate_to(old, "0004")
    old_backup = backup_sqlite(old, label="manual", target_dir=tmp_path / "b")
    old.dispose()
    result = backup.restore(sqlite_db, old_backup, Actor.system("test"), folder=tmp_path / "b")
    assert result.upgraded_from == "0004" and current_revision(sqlite_db) == head_revision()


def test_a_corrupt_backup_is_refused_and_nothing_changes(sqlite_db: Database, tmp_path: Path) -> None:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="不能丢的案件")
    good = backup_sqlite(sqlite_db, target_dir=tmp_path / "b")
    # Damage pages in the middle of the file (the header stays valid).
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 12), 97):
        data[offset] = (data[offset] + 0x5A) % 256
    damaged.write_bytes(bytes(data))
    with pytest.raises(backup.BackupRefused, match=r"损坏|完整性检查"):
        backup.restore(sqlite_db, damaged, Actor.system("test"), folder=tmp_path / "b")
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: len(data) // 3])
    with pytest.raises(backup.BackupRefused, match=r"不完整"):
        backup.check_backup(truncated)
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(backup.BackupRefused, match="不是 SQLite 数据库文件"):
        backup.check_backup(text_file)
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(backup.BackupRefused, match="不是矛调工作台的数据库备份"):
        backup.check_backup(other)
    with pytest.raises(backup.BackupRefused, match="找不到备份文件"):
        backup.check_backup(tmp_path / "missing.sqlite3")
    assert case_titles(sqlite_db) == ["不能丢的案件"]
    assert not list((tmp_path / "b").glob("*before-restore*"))


def test_a_backup_from_a_newer_version_is_refused(sqlite_db: Database, tmp_path: Path) -> None:
    newer = backup_sqlite(sqlite_db, target_dir=tmp_path / "b")
    with contextlib.closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    seen: list[str] = []
    with pytest.raises(backup.BackupRefused, match=r"结构版本（0099）比本程序（\d+）新"):
        backup.restore(sqlite_db, newer, Actor.system("test"), folder=tmp_path / "b", stage=seen.append)
    assert backup.CHECKING not in seen  # refused without waiting for the integrity_check (minutes at 1M)
    assert current_revision(sqlite_db) == head_revision()


def test_backup_while_another_thread_writes(sqlite_db: Database, tmp_path: Path) -> None:
    """The backup API gives one committed state even while the writer keeps committing."""
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            register(sqlite_db, clerk)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        paths = [backup_sqlite(sqlite_db, target_dir=tmp_path / "b") for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    for path in paths:
        check = backup.check_backup(path)
        assert check.cases >= 0
        with contextlib.closing(sqlite3.connect(path)) as conn:
            # Every registered case has its audit entry: the copy is one transaction-consistent state.
            cases = conn.execute("SELECT count(*) FROM dispute_case").fetchone()[0]
            logged = conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'case.register'").fetchone()[0]
            assert cases == logged


@pytest.mark.postgresql
def test_server_export_and_load_into_an_empty_server(pg_database_url: str, empty_pg_database_url: str,
                                                      tmp_path: Path) -> None:
    source = Database(pg_database_url)
    target = Database(empty_pg_database_url)
    try:
        admin = make_user(source, "admin", Role.ADMIN)
        clerk = make_user(source, "clerk", Role.INTAKE)
        for title in ("甲案", "乙案"):
            register(source, clerk, title=title)
        exported = backup.backup_now(source, admin, tmp_path / "b")
        assert exported.name.endswith("-export.sqlite3")
        check = backup.check_backup(exported)
        assert (check.cases, check.users, check.revision) == (2, 2, head_revision())
        # The export opens as a one-desk SQLite database with every row, audit chain intact.
        as_sqlite = Database(f"sqlite:///{exported}", create=False)
        assert case_titles(as_sqlite) == ["甲案", "乙案"]
        with as_sqlite.read() as session:
            assert audit.verify_chain(session).intact
        as_sqlite.dispose()
        # Loading it into a server that has cases is refused; into a new, migrated one it works.
        with pytest.raises(backup.BackupRefused, match="已有案件或账户"):
            backup.restore(source, exported, admin)
        upgrade(target)
        backup.restore(target, exported, Actor.system("test"))
        assert case_titles(target) == ["甲案", "乙案"]
        with target.read() as session:
            assert audit.verify_chain(session).intact
        register(target, clerk, title="导入后新登记")  # the id sequences continue after the loaded rows
        assert case_titles(target)[-1] == "导入后新登记"
        with target.read() as session:
            assert session.execute(text("SELECT count(*) FROM app_user")).scalar_one() == 2
    finally:
        source.dispose()
        target.dispose()


def test_backup_folder_listing_skips_unfinished_files(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / ".cases-20260101-000000-manual.sqlite3.part").write_bytes(b"x")
    (folder / "cases-20260101-000000-manual.sqlite3").write_bytes(b"x" * 10)
    (folder / "copied-by-hand.sqlite3").write_bytes(b"y")
    os.utime(folder / "copied-by-hand.sqlite3", (0, 0))
    listed = backup.list_backups(folder)
    assert [b.path.name for b in listed] == ["cases-20260101-000000-manual.sqlite3", "copied-by-hand.sqlite3"]
    assert listed[0].created == datetime(2026, 1, 1) and listed[0].size == 10 and listed[0].kind == "手动备份"


def test_a_backup_in_steps_is_not_restarted_by_writes_between_them(sqlite_db: Database, tmp_path: Path) -> None:
    """The day's backup runs while the person works: a write committed between two steps (by the
    desk's own connections) must not make SQLite start the copy over, or a large file never
    finishes. The copy is the state when it began."""
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    for _ in range(3):
        register(sqlite_db, clerk)
    before = len(case_titles(sqlite_db))
    steps: list[tuple[int, int]] = []

    def write_between(done: int, total: int) -> None:
        steps.append((done, total))
        assert len(steps) <= total, "the copy started over"
        register(sqlite_db, clerk)  # committed on the database's writer between two steps

    path = backup_sqlite(sqlite_db, target_dir=tmp_path / "b", progress=write_between, pages_per_step=2)
    total = steps[0][1]
    assert total > 4 and len(steps) == (total + 1) // 2  # one pass of two pages per step
    assert [done for done, _ in steps] == sorted({done for done, _ in steps})
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM dispute_case").fetchone()[0] == before
    assert len(case_titles(sqlite_db)) == before + len(steps)


def test_a_daily_backup_stopped_half_way_leaves_the_older_ones_as_they_were(sqlite_db: Database,
                                                                            tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    older = backup.daily_if_due(sqlite_db, folder, today=date(2020, 1, 1))
    assert older is not None
    kept = older.rename(older.with_name("cases-20200101-080000-daily.sqlite3"))
    content = kept.read_bytes()

    class Closing(Exception):
        pass

    def stop(_done: int, _total: int) -> None:
        raise Closing

    with pytest.raises(Closing):
        backup.daily_if_due(sqlite_db, folder, today=date(2020, 1, 2), progress=stop, pages_per_step=2)
    assert [b.path for b in backup.list_backups(folder)] == [kept] and kept.read_bytes() == content
    assert not list(folder.glob(".*"))  # the partial copy is gone
    assert backup.daily_due(sqlite_db, folder, today=date(2020, 1, 2))


def test_a_truncated_backup_is_refused_before_it_is_copied(sqlite_db: Database, tmp_path: Path) -> None:
    good = backup_sqlite(sqlite_db, target_dir=tmp_path / "b")
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size - 4096])  # the last page is missing
    work = tmp_path / "work"
    with pytest.raises(backup.BackupRefused, match=r"不完整，已损坏：按文件头应有 .*实际只有") as refused:
        backup.check_backup(cut, work_dir=work)
    assert "cut.sqlite3" in str(refused.value)
    assert not work.exists()  # refused before the private copy was made
    assert backup.check_backup(good, work_dir=work).revision == head_revision()


def no_room(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Every copy is refused for want of room: the spare space kept free is the disk's whole size."""
    monkeypatch.setattr(db_module, "SPARE_BYTES", shutil.disk_usage(folder).total)


def test_a_backup_that_would_not_fit_is_refused_before_a_page_is_written(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    folder = tmp_path / "backups"
    no_room(monkeypatch, tmp_path)
    steps: list[int] = []
    with pytest.raises(NotEnoughSpace) as refused:
        backup.backup_now(sqlite_db, admin, folder, progress=lambda d, t: steps.append(d))
    message = str(refused.value)
    assert message.startswith("磁盘空间不足，无法备份数据库") and str(folder) in message
    assert "需要" in message and "可用" in message and "GB" in message
    assert not steps and list(folder.iterdir()) == []  # not a page copied, no partial file left
    with pytest.raises(NotEnoughSpace):
        backup.daily_if_due(sqlite_db, folder)
    with sqlite_db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "backup")) == 0


def test_a_restore_that_would_not_fit_is_refused_before_anything_is_copied(
        sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    saved = backup.backup_now(sqlite_db, admin, tmp_path / "b")
    register(sqlite_db, clerk, title="恢复被拒后仍在的案件")
    no_room(monkeypatch, tmp_path)
    with pytest.raises(NotEnoughSpace, match="磁盘空间不足，无法从备份恢复") as refused:
        backup.restore(sqlite_db, saved, admin, folder=tmp_path / "b")
    assert str(Path(str(sqlite_db.url.database)).parent) in str(refused.value)
    with pytest.raises(NotEnoughSpace, match="磁盘空间不足，无法检查备份文件"):
        backup.check_backup(saved, work_dir=tmp_path / "work")
    assert case_titles(sqlite_db) == ["恢复被拒后仍在的案件"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == [saved.name]
    assert not list(Path(str(sqlite_db.url.database)).parent.glob(".restore-check-*"))


def stage_is(seen: list[str], where: str) -> bool:
    return seen[-1] == where


def test_a_check_says_each_stage_and_stops_at_cancel_wherever_it_is(sqlite_db: Database, tmp_path: Path) -> None:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    for n in range(3):
        register(sqlite_db, clerk, title=f"案件{n}")
    saved = backup_sqlite(sqlite_db, target_dir=tmp_path / "b")
    work = tmp_path / "work"
    stages: list[str] = []
    pages: list[tuple[int, int]] = []
    check = backup.check_backup(saved, work_dir=work, stage=stages.append,
                                progress=lambda d, t: pages.append((d, t)), stop=lambda: False)
    assert check.cases == 3
    assert stages == [backup.COPYING, backup.SCHEMA, backup.AUDIT, backup.CHECKING]
    assert pages and pages[-1][0] == pages[-1][1]
    # 取消 in each stage: the check ends there, its private copy gone.
    for cancelled_in in (backup.COPYING, backup.CHECKING, backup.AUDIT):
        seen: list[str] = []
        with pytest.raises(backup.BackupCancelled):
            backup.check_backup(saved, work_dir=work, stage=seen.append,
                                stop=functools.partial(stage_is, seen, cancelled_in))
        assert seen[-1] == cancelled_in
        assert list(work.iterdir()) == []


def test_a_backup_or_restore_cancelled_changes_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="甲案")
    folder = tmp_path / "b"
    with pytest.raises(backup.BackupCancelled, match="已取消备份"):
        backup.backup_now(sqlite_db, admin, folder, stop=lambda: True)
    assert list(folder.iterdir()) == []
    saved = backup.backup_now(sqlite_db, admin, folder)
    register(sqlite_db, clerk, title="乙案")
    for cancelled_in in (backup.CHECKING, backup.SAFETY):
        seen: list[str] = []
        with pytest.raises(backup.BackupCancelled):
            backup.restore(sqlite_db, saved, admin, folder=folder, stage=seen.append,
                           stop=functools.partial(stage_is, seen, cancelled_in))
        assert seen[-1] == cancelled_in
        assert case_titles(sqlite_db) == ["甲案", "乙案"]
        assert [p.name for p in folder.iterdir()] == [saved.name]  # no safety backup, no partial file
    stages: list[str] = []
    result = backup.restore(sqlite_db, saved, admin, folder=folder, stage=stages.append, stop=lambda: False)
    assert stages == [backup.COPYING, backup.SCHEMA, backup.AUDIT, backup.CHECKING, backup.SAFETY,
                      backup.WRITING, backup.FINAL_CHECK]
    assert result.safety_backup is not None and case_titles(sqlite_db) == ["甲案"]


def staging_folders(db: Database) -> list[Path]:
    return list(Path(str(db.url.database)).parent.glob(".restore-check-*"))


def test_a_confirmed_restore_writes_the_checked_copy_without_checking_again(sqlite_db: Database,
                                                                            tmp_path: Path) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="甲案")
    folder = tmp_path / "b"
    saved = backup.backup_now(sqlite_db, admin, folder)
    register(sqlite_db, clerk, title="乙案")
    # Declined: the kept copy goes.
    declined = backup.check_and_keep(saved, sqlite_db)
    assert declined.check.cases == 1 and declined.open and len(staging_folders(sqlite_db)) == 1
    declined.close()
    assert not declined.open and staging_folders(sqlite_db) == []
    # Confirmed: the restore writes the checked copy; nothing is copied or checked again.
    checked = backup.check_and_keep(saved, sqlite_db)
    stages: list[str] = []
    result = backup.restore(sqlite_db, saved, admin, folder=folder, stage=stages.append, checked=checked)
    assert stages == [backup.SAFETY, backup.WRITING, backup.FINAL_CHECK]
    assert result.check.cases == 1 and case_titles(sqlite_db) == ["甲案"]
    assert not checked.open and staging_folders(sqlite_db) == []
    # A kept copy of another file, or one used already, is not written: that file is checked.
    other = backup.backup_now(sqlite_db, admin, folder)
    stale = backup.check_and_keep(saved, sqlite_db)
    for given in (stale, checked):
        stages.clear()
        backup.restore(sqlite_db, other, admin, folder=folder, stage=stages.append, checked=given)
        assert stages[:2] == [backup.COPYING, backup.SCHEMA]
    assert not stale.open and staging_folders(sqlite_db) == []


def _left_behind(folder: Path, name: str, age_seconds: float, now: float) -> Path:
    """A check's folder as a killed desk leaves it: its copy inside, last touched ``age_seconds`` ago."""
    left = folder / f"{backup.CHECK_PREFIX}{name}"
    left.mkdir(mode=0o700)
    copy = left / "backup.sqlite3"
    copy.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)
    for path in (copy, left):
        os.utime(path, (now - age_seconds, now - age_seconds))
    return left


def test_a_check_left_behind_by_a_killed_desk_is_removed_a_fresh_one_kept(sqlite_db: Database,
                                                                         tmp_path: Path) -> None:
    now = datetime(2026, 12, 7, 9, 0).timestamp()
    here = Path(str(sqlite_db.url.database)).parent
    old = _left_behind(here, "killed", backup.STALE_CHECK_SECONDS + 60, now)
    fresh = _left_behind(here, "in-use", 120, now)
    # A folder whose copy is still being written (the folder itself older) is in use.
    writing = _left_behind(here, "writing", backup.STALE_CHECK_SECONDS + 60, now)
    os.utime(writing / "backup.sqlite3", (now - 5, now - 5))
    other = here / "restore-check-not-ours"
    other.mkdir()
    os.utime(other, (now - 10 * backup.STALE_CHECK_SECONDS, now - 10 * backup.STALE_CHECK_SECONDS))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("kept")
    link = here / f"{backup.CHECK_PREFIX}link"
    link.symlink_to(outside, target_is_directory=True)
    assert backup.remove_stale_checks(here, now=now) == [old]
    assert not old.exists() and fresh.exists() and writing.exists() and other.exists()
    assert (outside / "keep.txt").read_text() == "kept" and link.is_symlink()
    assert backup.remove_stale_checks(tmp_path / "no such folder", now=now) == []


def test_a_new_check_clears_a_killed_desks_copy_first_and_a_restore_whose_copy_went_checks_again(
        sqlite_db: Database, tmp_path: Path) -> None:
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="甲案")
    saved = backup.backup_now(sqlite_db, admin, tmp_path / "b")
    register(sqlite_db, clerk, title="乙案")
    here = Path(str(sqlite_db.url.database)).parent
    killed = _left_behind(here, "killed", backup.STALE_CHECK_SECONDS + 1, datetime.now().timestamp())
    checked = backup.check_and_keep(saved, sqlite_db)
    assert not killed.exists() and staging_folders(sqlite_db) != []
    # The kept copy removed meanwhile (the confirmation left open past the hours): checked again.
    shutil.rmtree(staging_folders(sqlite_db)[0])
    stages: list[str] = []
    backup.restore(sqlite_db, saved, admin, folder=tmp_path / "b", stage=stages.append, checked=checked)
    assert stages[:2] == [backup.COPYING, backup.SCHEMA] and case_titles(sqlite_db) == ["甲案"]
    assert staging_folders(sqlite_db) == []
