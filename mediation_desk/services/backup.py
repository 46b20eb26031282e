"""Backups of the center's database, and restoring one.

SQLite: copies are made with SQLite's online backup API (:func:`mediation_desk.db.backup_sqlite`),
never by copying the file. The rotating folder (``<data>/backups``) holds

* ``…-daily.sqlite3``: one a day, made at start-up when the last one is not from today; the
  newest :data:`KEEP_DAILY` are kept;
* ``…-before-<revision>.sqlite3``: made before every schema migration; never rotated away;
* ``…-manual.sqlite3`` (the administrator's "back up now", ``mediation-desk backup``) and
  ``…-before-restore.sqlite3`` (the state replaced by a restore); never rotated away.

PostgreSQL: ``pg_dump`` is the tool for the server (``docs/backup.md``); the app's own export
copies every row of every table into a fresh SQLite file of the same schema revision, which
:func:`restore` loads back into an empty PostgreSQL database (or opens as a one-desk database).

A restore trusts nothing in the file. It copies it into a private temporary folder and checks the
copy: it opens as SQLite, ``PRAGMA integrity_check`` says ``ok``, it is a Mediation Desk database of
a schema revision this program knows (not newer), its schema is *exactly* the one the migrations
make for that revision (:mod:`mediation_desk.dbschema`: a planted trigger, a hidden table, an extra
view or index, a changed column are refused, each named), an older copy upgrades cleanly, and its
audit chain verifies. Only then is a safety backup of the current database kept and the checked
copy written into it; a refused backup leaves the live database byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Integer, Table, delete, func, insert, select, text

from mediation_desk import settings

from .. import dbcipher, dbschema
from ..db import (
    BACKUP_STEP_PAGES,
    Database,
    DatabaseError,
    backup_sqlite,
    current_revision,
    head_revision,
    is_known_revision,
    require_space,
    upgrade,
)
from ..files import private_empty_file
from ..models import Base
from ..readmodels.sizes import size_text
from . import audit, dbroles, permissions
from .actor import Actor
from .errors import PermissionDenied

KEEP_DAILY = 14
DAILY_LABEL = "daily"
#: Rows copied per batch by the PostgreSQL export and the load into PostgreSQL.
BATCH = 500
#: Tables that must exist in anything that calls itself a Mediation Desk database.
REQUIRED_TABLES = frozenset({"alembic_version", "dispute_case", "app_user", "audit_entry"})

_STAMP = re.compile(r"-(\d{8}-\d{6})-(.+)\.sqlite3$")
#: A label with the "-2", "-3" … that ``backup_sqlite`` adds when two backups share a second.
_COUNTED = re.compile(r"(daily|manual|export|before-restore|before-[^-]+)-\d+")
Progress = Callable[[int, int], None]
#: What a long check or restore is doing now, in Chinese, for the person watching; the progress
#: that follows (if any) is of that stage.
Stage = Callable[[str], None]
#: Asked between steps (and during ``integrity_check``): True stops the work (取消, the desk closing).
Stop = Callable[[], bool]
#: The page cache of the connection that runs ``integrity_check`` (KiB): with SQLite's default 2 MB
#: the check of the 1M demo's 7.8 GB read 82 GB from the file and took 314 s; with 256 MB, 18 GB and
#: 142 s (docs/performance-log.md, "Admin paths on the 1M demo"). Given back when the check ends.
CHECK_CACHE_KIB = 256 * 1024
#: SQLite virtual-machine steps between two questions to ``Stop`` during a long statement.
STOP_EVERY = 10_000

COPYING = "正在复制备份文件"
CHECKING = "正在做完整性检查（integrity_check，大文件需要几分钟）"
SCHEMA = "正在核对数据库结构"
AUDIT = "正在核验审计日志"
SAFETY = "正在保存当前数据库（恢复前的备份）"
WRITING = "正在写入备份的数据"
FINAL_CHECK = "正在检查恢复后的数据库"


class BackupRefused(DatabaseError):
    """A backup file that must not be restored; the message says why, in Chinese."""


class BackupCancelled(DatabaseError):
    """A backup, a check or a restore stopped at the person's 取消 (or the desk closing) before it
    changed anything: no backup file, no partial copy, the database as it was."""

    def __init__(self, message: str = "已取消，数据库和备份文件都没有改动。") -> None:
        super().__init__(message)


def _stopping(stop: Stop | None) -> bool:
    return stop is not None and stop()


@contextlib.contextmanager
def _interruptible(conn: Any, stop: Stop | None) -> Iterator[None]:
    """A long statement on ``conn`` (``integrity_check``, the audit chain's read) stops when
    ``stop()`` says so: :class:`BackupCancelled` instead of SQLite's "interrupted"."""
    if stop is None:
        yield
        return
    conn.set_progress_handler(lambda: 1 if stop() else 0, STOP_EVERY)
    try:
        yield
    except (sqlite3.OperationalError, sqlcipher3.OperationalError) as exc:
        if stop():
            raise BackupCancelled() from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _pages_step(progress: Progress | None, stop: Stop | None) -> Callable[[int, int, int], None]:
    """The backup API's progress callback: reports pages done and stops the copy on ``stop()``."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)
        if _stopping(stop):
            raise BackupCancelled()

    return step


def _reporting(progress: Progress | None, stop: Stop | None, cancelled: str | None = None) -> Progress:
    """``backup_sqlite``'s progress callback: reports and stops the copy on ``stop()``."""

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        if _stopping(stop):
            raise BackupCancelled(*(cancelled,) if cancelled else ())

    return step


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int
    #: "daily", "manual", "before-restore", "before-<revision>", "export" …
    label: str

    @property
    def kind(self) -> str:
        if self.label == DAILY_LABEL:
            return "每日自动备份"
        if self.label == "before-restore":
            return "恢复前的备份"
        if self.label.startswith("before-"):
            return "升级前的备份"
        if self.label == "export":
            return "服务器数据导出"
        return "手动备份"


def _info(path: Path) -> BackupInfo:
    stat = path.stat()
    match = _STAMP.search(path.name)
    if match:
        created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        label = match.group(2)
        counted = _COUNTED.fullmatch(label)
        if counted:
            label = counted.group(1)
    else:
        created = datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
        label = "manual"
    return BackupInfo(path, created, stat.st_size, label)


def list_backups(folder: Path | None = None) -> list[BackupInfo]:
    """The backups in the folder, newest first (files being written, ``.*.part``, are skipped)."""
    folder = folder or settings.backup_dir()
    if not folder.is_dir():
        return []
    found = [_info(p) for p in folder.glob("*.sqlite3") if p.is_file() and not p.name.startswith(".")]
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def rotate(folder: Path | None = None, *, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete daily backups beyond the newest ``keep``; other kinds are never deleted here."""
    daily = [b for b in list_backups(folder) if b.label == DAILY_LABEL]
    removed = []
    for old in daily[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def daily_due(db: Database, folder: Path | None = None, *, today: date | None = None) -> bool:
    """Whether :func:`daily_if_due` would copy: a SQLite database without a daily backup of ``today``."""
    if not db.is_sqlite:
        return False
    day = today or date.today()
    return not any(b.label == DAILY_LABEL and b.created.date() == day for b in list_backups(folder))


def daily_if_due(db: Database, folder: Path | None = None, *, keep: int = KEEP_DAILY,
                 today: date | None = None, progress: Progress | None = None,
                 pages_per_step: int = BACKUP_STEP_PAGES) -> Path | None:
    """Back up a SQLite database once a day (the desktop app does it after the first rows of the
    day's first sign-in are on screen, on a thread of its own: ``ui.shell.daily_backup``); returns
    the new backup, or None when today's exists or the database is a server (the server's own
    backups, ``pg_dump``, are the administrator's job). ``progress(pages done, pages in all)``
    between steps; an exception it raises stops the copy, and the older backups stay as they were
    (the new one is written under a temporary name and renamed when complete; the rotation runs
    only after it)."""
    if not daily_due(db, folder, today=today):
        return None
    folder = folder or settings.backup_dir()
    path = backup_sqlite(db, label=DAILY_LABEL, target_dir=folder, progress=progress,
                         pages_per_step=pages_per_step)
    rotate(folder, keep=keep)
    return path


#: On a center server the app's export and load need every row of every table: the database owner's
#: credential, which belongs to IT and never to a desk (docs/security.md, "Database roles").
SERVER_BACKUP_REFUSED = (
    "中心服务器上的数据库由信息技术人员用 pg_dump 以数据库所有者账户备份和恢复（见 docs/backup.md）。"
    "本机以登录人员自己的数据库账户连接服务器，系统管理员的账户不能读取案件内容，"
    "因此不能在程序中{doing}。"
)


def server_backup_refusal(db: Database, doing: str = "导出或恢复服务器数据") -> str | None:
    """Why this desk may not export or load the server's data (None on SQLite, and on the owner's
    connection, e.g. ``mediation-desk --database postgresql://所有者@… backup --as 管理员``)."""
    if db.is_sqlite:
        return None
    with db.read() as session:
        if dbroles.owns_schema(session):
            return None
    return SERVER_BACKUP_REFUSED.format(doing=doing)


def _refuse_on_server(db: Database, doing: str) -> None:
    refusal = server_backup_refusal(db, doing)
    if refusal is not None:
        raise PermissionDenied(refusal)


def backup_now(db: Database, actor: Actor, folder: Path | None = None, *,
               progress: Progress | None = None, stop: Stop | None = None) -> Path:
    """The administrator's backup: the SQLite file (backup API), or a server export. ``stop()``
    true between two steps ends it with :class:`BackupCancelled`, its partial file removed."""
    permissions.require_role(actor, permissions.ADMIN_ONLY, "备份数据库")
    _refuse_on_server(db, "导出服务器数据")
    folder = folder or settings.backup_dir()
    step = _reporting(progress, stop, "已取消备份，没有生成备份文件。")
    if db.is_sqlite:
        path = backup_sqlite(db, label="manual", target_dir=folder, progress=step)
    else:
        path = export_to_sqlite(db, folder, progress=step)
    with db.write() as session:
        audit.record(session, actor, "backup", "database", None,
                     {"file": path.name, "size": path.stat().st_size},
                     station=audit.workstation(), result="ok")
    return path


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    revision: str
    cases: int
    users: int
    audit_entries: int


def _known_revision(revision: str) -> bool:
    return is_known_revision(revision)


class BackupSchemaRefused(BackupRefused):
    """A backup whose schema is not exactly the one of its revision; ``differences`` lists all."""

    def __init__(self, message: str, differences: list[str]) -> None:
        super().__init__(message)
        self.differences = differences


def _refuse_schema(shown: str, revision: str, found: list[str]) -> BackupSchemaRefused:
    return BackupSchemaRefused(
        f"备份文件“{shown}”的数据库结构与其结构版本（{revision}）应有的结构不同，共 {len(found)} 处，"
        f"不能用于恢复：\n{dbschema.summary(found)}", found)


def _connect(path: Path, key: dbcipher.CipherKey | None, *, timeout: float = 5.0) -> contextlib.closing[Any]:
    """The stdlib's connection to a plain copy, SQLCipher's (keyed) to an encrypted one."""
    if key is None:
        return contextlib.closing(sqlite3.connect(path, timeout=timeout))
    return contextlib.closing(dbcipher.connect(path, key, timeout=timeout))


def _check_integrity(copy: Path, shown: str, key: dbcipher.CipherKey | None = None, *,
                     stage: Stage | None = None, stop: Stop | None = None) -> None:
    """``PRAGMA integrity_check`` of the copy: every page and every index entry (minutes for a
    large file, so it runs after the quick checks, whose refusals need not wait for it)."""
    try:
        with _connect(copy, key) as conn:
            # Nothing in a hostile schema runs while it is looked at.
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
            if stage is not None:
                stage(CHECKING)
            with _interruptible(conn, stop):
                rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except (sqlite3.DatabaseError, sqlcipher3.DatabaseError) as exc:
        raise BackupRefused(f"备份文件“{shown}”无法打开或已损坏（{exc}），不能用于恢复。") from exc
    if _stopping(stop):
        raise BackupCancelled()
    if rows != ["ok"]:
        shown_rows = "；".join(str(r) for r in rows[:3])
        raise BackupRefused(f"备份文件“{shown}”未通过完整性检查（integrity_check）：{shown_rows}。"
                            "该文件已损坏，不能用于恢复。")


def _damage(exc: BaseException) -> bool:
    """The refusal came from SQLite failing to read the file (a damaged page), not from what the
    file says: then the integrity_check's message names the damage instead."""
    seen: set[int] = set()
    current: BaseException | None = exc.__cause__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.DatabaseError | sqlcipher3.DatabaseError):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def _check_copy(copy: Path, shown: str, key: dbcipher.CipherKey | None = None, *,
                stage: Stage | None = None) -> BackupCheck:
    """The quick checks of a backup (what it is, its revision, its schema, its counts), run on this
    program's own copy of it (never on the file given, which could change between the check and
    the restore)."""
    try:
        with _connect(copy, key) as conn:
            # Nothing in a hostile schema runs while it is looked at.
            conn.execute("PRAGMA trusted_schema = OFF")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables >= REQUIRED_TABLES:
                missing = "、".join(sorted(REQUIRED_TABLES - tables))
                raise BackupRefused(f"“{shown}”不是矛调工作台的数据库备份（缺少表 {missing}）。")
            revisions = [str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version")]
            if len(revisions) != 1 or not revisions[0]:
                raise BackupRefused(f"备份文件“{shown}”没有唯一的数据库结构版本（alembic_version 中有 "
                                    f"{len(revisions)} 行），不能用于恢复。")
            revision = revisions[0]
            if stage is not None:
                stage(SCHEMA)
            if not _known_revision(revision):
                raise BackupRefused(f"备份文件“{shown}”的数据库结构版本（{revision}）比本程序（{head_revision()}）新。"
                                    "请先安装新版矛调工作台，再从这个备份恢复。")
            found = dbschema.compare(conn, revision, where="备份中")
            if found:
                raise _refuse_schema(shown, revision, found)
            counts = [int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                      for t in ("dispute_case", "app_user", "audit_entry")]
    except (sqlite3.DatabaseError, sqlcipher3.DatabaseError) as exc:
        raise BackupRefused(f"备份文件“{shown}”无法打开或已损坏（{exc}），不能用于恢复。") from exc
    return BackupCheck(copy, revision, counts[0], counts[1], counts[2])


def _upgrade_copy(copy: Path, shown: str, revision: str, key: dbcipher.CipherKey | None = None) -> None:
    """Bring the copy of an older backup to this program's schema (the live database is not
    touched), and check the result is exactly the schema of the newest revision."""
    staged = Database(f"sqlite:///{copy}", create=False)
    try:
        upgrade(staged, backup=False)
    except Exception as exc:
        raise BackupRefused(f"备份文件“{shown}”无法从结构版本 {revision} 升级到 {head_revision()}（{exc}），"
                            "不能用于恢复。") from exc
    finally:
        staged.dispose()
    with _connect(copy, key) as conn:
        found = dbschema.compare(conn, head_revision(), where="升级后的备份中")
    if found:
        raise _refuse_schema(shown, head_revision(), found)


def _verify_audit(copy: Path, shown: str, *, stop: Stop | None = None) -> None:
    """The backup's audit chain must verify (``audit.verify_chain``), else the first broken entry
    is named."""
    staged = Database(f"sqlite:///{copy}", create=False)
    try:
        with staged.read() as session:
            raw = session.connection().connection.driver_connection
            with _interruptible(raw, stop):
                chain = audit.verify_chain(session)
            if _stopping(stop):
                raise BackupCancelled()
    except BackupCancelled:
        raise
    except Exception as exc:
        raise BackupRefused(f"备份文件“{shown}”的审计日志无法核验（{exc}），不能用于恢复。") from exc
    finally:
        staged.dispose()
    if not chain.intact:
        raise BackupRefused(f"备份文件“{shown}”的审计日志未通过核验，不能用于恢复。{chain.message}")


@dataclass(frozen=True)
class _Staged:
    copy: Path
    check: BackupCheck
    upgraded_from: str | None
    #: The backup's SQLCipher key (its copy is encrypted with it), None for a plain backup.
    key: dbcipher.CipherKey | None = None


def _refuse_if_truncated(path: Path, header: bytes) -> None:
    """A plain SQLite file shorter than its header says (a copy cut off by a full disk or a broken
    transfer) is refused at once: the checks would otherwise copy it and run ``integrity_check``
    over all of it — minutes for a large file — before finding the pages missing."""
    if len(header) < 100:
        raise BackupRefused(f"备份文件“{path.name}”不完整（只有 {len(header)} 字节），不能用于恢复。")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid when its change counter matches "version-valid-for" (and
    # the page size is one SQLite can have: else the file is not SQLite's, which the copy says).
    valid_size = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    if valid_size and pages and header[24:28] == header[92:96]:
        expected, size = pages * page_size, path.stat().st_size
        if size < expected:
            raise BackupRefused(f"备份文件“{path.name}”不完整，已损坏：按文件头应有 {size_text(expected)}"
                                f"（{pages} 页），实际只有 {size_text(size)}，可能是复制时被中断或磁盘已满。"
                                "该文件不能用于恢复。")


@contextlib.contextmanager
def _staged(path: Path, work_dir: Path, *, progress: Progress | None = None, stage: Stage | None = None,
            stop: Stop | None = None) -> Iterator[_Staged]:
    """A private copy of the backup that passed every check, upgraded to this program's schema;
    deleted on leaving. Refusals raise :class:`BackupRefused` before anything else is done;
    ``stop()`` ends it with :class:`BackupCancelled` at the next step of the copy, in the
    ``integrity_check`` or in the audit chain's check."""
    staged = _stage(path, work_dir, progress=progress, stage=stage, stop=stop)
    try:
        yield staged
    finally:
        shutil.rmtree(staged.copy.parent, ignore_errors=True)


def _stage(path: Path, work_dir: Path, *, progress: Progress | None = None, stage: Stage | None = None,
           stop: Stop | None = None) -> _Staged:
    """:func:`_staged`'s copy, left for the caller to delete (its folder) when it passed."""
    if not path.is_file():
        raise BackupRefused(f"找不到备份文件“{path}”。")
    if path.stat().st_size == 0:
        raise BackupRefused(f"备份文件“{path.name}”是空文件（0 字节），不能用于恢复。")
    with path.open("rb") as handle:
        header = handle.read(100)
    key: dbcipher.CipherKey | None = None
    if header[:16] == dbcipher.SQLITE_HEADER:
        _refuse_if_truncated(path, header)
    if header[:16] != dbcipher.SQLITE_HEADER:
        if len(header) < 16:
            raise BackupRefused(f"“{path.name}”不是 SQLite 数据库文件，无法从它恢复。")
        # Not plain SQLite: an encrypted (SQLCipher) backup, whose key the keychain holds under the
        # file's salt, or no database at all (then no key is found for it).
        try:
            key = dbcipher.key_for(path)
        except dbcipher.DatabaseKeyMissing as exc:
            raise BackupRefused(f"“{path.name}”不是 SQLite 数据库文件，或是一个本机没有密钥的加密备份，"
                                f"无法从它恢复。{exc}") from exc
        except sqlcipher3.DatabaseError as exc:  # trying its page sizes found it unreadable
            raise BackupRefused(f"备份文件“{path.name}”无法打开或已损坏（{exc}），不能用于恢复。") from exc
    work_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_checks(work_dir)  # before the space is counted: a killed check's copy holds it
    require_space([(work_dir, path.stat().st_size)], "检查备份文件（须先复制一份）")
    folder = Path(tempfile.mkdtemp(prefix=CHECK_PREFIX, dir=work_dir))  # 0700
    try:
        copy = private_empty_file(folder / "backup.sqlite3")
        try:
            # The copy keeps the backup's encryption: nothing of an encrypted backup is written in clear.
            source_uri = f"{path.resolve().as_uri()}?mode=ro"
            source = (contextlib.closing(sqlite3.connect(source_uri, uri=True)) if key is None
                      else contextlib.closing(dbcipher.connect(source_uri, key, uri=True)))
            if stage is not None:
                stage(COPYING)
            with source as src, _connect(copy, key) as dst:
                src.backup(dst, pages=BACKUP_STEP_PAGES, progress=_pages_step(progress, stop))
                dst.execute("PRAGMA journal_mode = DELETE")
        except dbcipher.DatabaseKeyWrong as exc:
            raise BackupRefused(f"备份文件“{path.name}”无法解密，不能用于恢复。{exc}") from exc
        except (sqlite3.DatabaseError, sqlcipher3.DatabaseError) as exc:
            raise BackupRefused(f"备份文件“{path.name}”无法打开或已损坏（{exc}），不能用于恢复。") from exc
        # The quick checks first: a file that is not this program's, too new, of another schema or
        # whose audit chain this desk cannot verify (its key is on another computer) is refused
        # after the copy, not after minutes of integrity_check as well.
        try:
            check = _check_copy(copy, path.name, key, stage=stage)
            upgraded_from = None
            if check.revision != head_revision():
                _upgrade_copy(copy, path.name, check.revision, key)
                upgraded_from = check.revision
            if stage is not None:
                stage(AUDIT)
            _verify_audit(copy, path.name, stop=stop)
        except BackupRefused as refused:
            if _damage(refused):
                _check_integrity(copy, path.name, key, stop=stop)
            raise
        _check_integrity(copy, path.name, key, stage=stage, stop=stop)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _Staged(copy, BackupCheck(path, check.revision, check.cases, check.users, check.audit_entries),
                   upgraded_from, key)


#: The private folders a check copies a backup into (beside the database, or in the data folder).
CHECK_PREFIX = ".restore-check-"
#: A check's folder untouched for this long is a killed desk's: a check writes its copy within
#: minutes, and a restore finding its checked copy gone copies and checks the file again.
STALE_CHECK_SECONDS = 6 * 3600


def remove_stale_checks(folder: Path, *, now: float | None = None) -> list[Path]:
    """Delete the check folders in ``folder`` (:data:`CHECK_PREFIX`) that nothing touched for
    :data:`STALE_CHECK_SECONDS`: a desk killed or switched off during a check, or while its
    confirmation was open, left its copy there (the size of the backup: 7.8 GB for the 1M demo).
    A check or kept copy still in use is younger (a restore whose kept copy was removed meanwhile
    checks the file again). Returns the folders removed."""
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(CHECK_PREFIX) and p.is_dir()
                      and not p.is_symlink()]
    except OSError:
        return removed
    for candidate in candidates:
        try:
            touched = max([candidate.stat().st_mtime, *(p.stat().st_mtime for p in candidate.iterdir())])
        except OSError:
            continue
        if moment - touched >= STALE_CHECK_SECONDS:
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def remove_stale_checks_of(db: Database) -> list[Path]:
    """:func:`remove_stale_checks` where this desk's checks put their copies: beside a SQLite
    database's file, and in the data folder (a server's, and the command line's default)."""
    folders = {settings.data_dir()}
    if db.is_sqlite:
        folders.add(Path(str(db.url.database)).parent)
    return [removed for folder in sorted(folders) for removed in remove_stale_checks(folder)]


def check_backup(path: Path, *, work_dir: Path | None = None, progress: Progress | None = None,
                 stage: Stage | None = None, stop: Stop | None = None) -> BackupCheck:
    """Check that a backup can be restored; raise :class:`BackupRefused`, saying why, if not.

    The file is copied (SQLite's backup API, read-only) into a private temporary folder in
    ``work_dir`` (default: the data folder) and everything is checked on that copy: it opens as
    SQLite and ``PRAGMA integrity_check`` says ``ok``; it is a Mediation Desk database of a schema
    revision this program knows; its schema is exactly the one the migrations make for that
    revision (:mod:`mediation_desk.dbschema`: no table, column, index, trigger or view more, less
    or different); an older one upgrades cleanly; and its audit chain verifies.

    ``stage`` is told each stage as it begins (the copy with ``progress`` in pages, the
    ``integrity_check``, the schema, the audit chain); ``stop()`` true ends the check with
    :class:`BackupCancelled`, its copy removed."""
    with _staged(path, work_dir or settings.data_dir(), progress=progress, stage=stage, stop=stop) as staged:
        return staged.check


class CheckedBackup:
    """A backup that passed :func:`check_and_keep`, with the checked private copy kept for the
    restore the person then confirms: :func:`restore` given it writes that copy and skips copying
    and checking the file again (on the 1M demo's 7.8 GB: the copy and the ``integrity_check``,
    minutes). :meth:`close` deletes the copy (a declined confirmation); so does the restore, and,
    failing both, the end of the program."""

    def __init__(self, staged: _Staged) -> None:
        self._staged = staged
        self._delete = weakref.finalize(self, shutil.rmtree, staged.copy.parent, True)

    @property
    def check(self) -> BackupCheck:
        return self._staged.check

    @property
    def path(self) -> Path:
        return self._staged.check.path

    @property
    def open(self) -> bool:
        return self._delete.alive and self._staged.copy.is_file()

    def close(self) -> None:
        self._delete()

    @contextlib.contextmanager
    def taken(self) -> Iterator[_Staged]:
        """The checked copy, for the restore; deleted on leaving."""
        try:
            yield self._staged
        finally:
            self.close()


def check_and_keep(path: Path, db: Database | None = None, *, progress: Progress | None = None,
                   stage: Stage | None = None, stop: Stop | None = None) -> CheckedBackup:
    """:func:`check_backup`, keeping the checked copy for :func:`restore` (``checked=``) into
    ``db``: beside its file, where a restore stages its copy (a server's: in the data folder)."""
    work_dir = Path(str(db.url.database)).parent if db is not None and db.is_sqlite else settings.data_dir()
    return CheckedBackup(_stage(path, work_dir, progress=progress, stage=stage, stop=stop))


# --------------------------------------------------------------------------- restoring


@dataclass(frozen=True)
class RestoreResult:
    check: BackupCheck
    #: The copy of the database as it was before the restore (SQLite only).
    safety_backup: Path | None
    #: The schema was upgraded after the restore (the backup was made by an older version).
    upgraded_from: str | None


def restore(db: Database, path: Path, actor: Actor, *, folder: Path | None = None,
            progress: Progress | None = None, stage: Stage | None = None,
            stop: Stop | None = None, checked: CheckedBackup | None = None) -> RestoreResult:
    """Replace the database's content with the backup's, after checking the backup.

    SQLite: a safety backup of the current state first, then the backup API copies the backup
    *into* the live file (under SQLite's locks; other connections see the new content, nothing
    is renamed under an open database). PostgreSQL: the backup is loaded into the database only
    when it holds no cases and no accounts yet (a new, migrated, empty server database).

    ``stage`` and ``progress`` say what is being done (the check's stages, then the safety
    backup, the writing into the database and its final check; the copies' pages). ``stop()``
    true ends it with :class:`BackupCancelled` as long as the live database has not been touched:
    during the check or the safety backup, never once the backup is being written into it.

    ``checked``: the :func:`check_and_keep` of ``path`` the person confirmed; its checked copy is
    written (and then deleted) instead of copying and checking the file again. A checked copy of
    another file, or one already used or closed, is ignored.
    """
    permissions.require_role(actor, permissions.ADMIN_ONLY, "恢复数据库")
    _refuse_on_server(db, "把备份导入服务器")
    folder = folder or settings.backup_dir()
    kept = checked is not None and checked.open and checked.path == path
    if checked is not None and not kept:
        checked.close()
    if not db.is_sqlite:
        with checked.taken() if kept and checked is not None else _staged(path, settings.data_dir()) as staged:
            _load_into_empty_server(db, staged.copy, staged.check, progress=progress)
        _log_restore(db, actor, path, staged.check, None)
        return RestoreResult(staged.check, None, None)
    target = Path(str(db.url.database))
    # The checked copy beside the live file and the safety backup in the backup folder, both before
    # anything is copied: a disk that cannot hold them refuses now, not after minutes of checking.
    staging = 0 if kept else path.stat().st_size if path.is_file() else 0
    require_space([(target.parent, staging), (folder, _file_size(target))],
                  "从备份恢复（须先复制备份文件并保存当前数据库）")
    # Everything is checked — and an older backup upgraded — on a private copy beside the live
    # file; only a copy that passed is written into the live database, and nothing of the live
    # database changes before then.
    with (checked.taken() if kept and checked is not None
          else _staged(path, target.parent, progress=progress, stage=stage, stop=stop)) as staged:
        if current_revision(db) is not None:
            if stage is not None:
                stage(SAFETY)
            safety: Path | None = backup_sqlite(db, label="before-restore", target_dir=folder,
                                                progress=_reporting(progress, stop))
        else:
            safety = None
        source = staged.copy
        if not dbcipher.same_key(staged.key, db.cipher_key):
            # A backup of another key (or plain into encrypted, or encrypted into plain): the checked
            # copy is re-encrypted with the live database's key first, beside it in the private folder.
            source = staged.copy.with_name("converted.sqlite3")
            dbcipher.export(staged.copy, staged.key, source, db.cipher_key)
        # The app's pooled connections are closed so that no statement of theirs runs mid-restore;
        # they reconnect on their next use.
        db.dispose()
        if stage is not None:
            stage(WRITING)
        with _connect(source, db.cipher_key) as src, _connect(target, db.cipher_key, timeout=30) as dst:
            src.backup(dst, pages=1024, progress=_pages_step(progress, None))  # no way back from here
            dst.execute("PRAGMA journal_mode = WAL")
    if stage is not None:
        stage(FINAL_CHECK)
    # The content passed integrity_check on the staged copy and the backup API wrote its pages as
    # they were: the live file's b-trees are checked (quick_check: 18 s for 7.8 GB, where the
    # integrity_check took 142–314 s more) without cross-checking every index again.
    with _connect(target, db.cipher_key) as conn:
        if [r[0] for r in conn.execute("PRAGMA quick_check")] != ["ok"]:  # pragma: no cover
            raise DatabaseError(f"恢复后的数据库未通过完整性检查；恢复前的数据库已保存在 {safety}。")
    _log_restore(db, actor, path, staged.check, safety)
    return RestoreResult(staged.check, safety, staged.upgraded_from)


def _file_size(path: Path) -> int:
    """A SQLite file's size with its write-ahead log (what a backup of it may need at most)."""
    wal = path.with_name(path.name + "-wal")
    return sum(p.stat().st_size for p in (path, wal) if p.is_file())


def _log_restore(db: Database, actor: Actor, path: Path, check: BackupCheck, safety: Path | None) -> None:
    with db.write() as session:
        audit.record(session, actor, "restore", "database", None, {
            "file": path.name, "revision": check.revision, "cases": check.cases,
            "safety_backup": safety.name if safety else None,
        }, station=audit.workstation(), result="ok")


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _copy_rows(source_rows: Callable[[Table], Iterable[Any]], target: Any, tables: list[Table],
               total: int, progress: Progress | None) -> None:
    done = 0
    for table in tables:
        batch: list[dict[str, Any]] = []
        for row in source_rows(table):
            batch.append(dict(row._mapping))
            if len(batch) >= BATCH:
                target.execute(insert(table), batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            target.execute(insert(table), batch)
            done += len(batch)
            if progress:
                progress(done, total)


def export_to_sqlite(db: Database, folder: Path | None = None, *, progress: Progress | None = None) -> Path:
    """Every row of every table of a (server) database, in a new SQLite file of the same schema
    revision, in the backup folder (``…-export.sqlite3``)."""
    folder = folder or settings.backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    revision = current_revision(db)
    if revision != head_revision():
        raise DatabaseError(f"数据库结构版本（{revision}）与本程序（{head_revision()}）不一致，请先升级再导出。")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = db.url.database or "server"
    target = folder / f"{Path(name).stem}-{stamp}-export.sqlite3"
    part = private_empty_file(target.with_name(f".{target.name}.part"))
    out = Database(f"sqlite:///{part}")
    try:
        upgrade(out, backup=False)
        tables = _tables()
        # One snapshot of the source (repeatable read on the server; one read transaction on
        # SQLite), so the copy is consistent across tables.
        with db.reader.connect() as source, out.writer.connect() as sink:
            if not db.is_sqlite:
                source.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            total = sum(int(source.scalar(select(func.count()).select_from(t)) or 0) for t in tables)
            with sink.begin():
                for table in reversed(tables):
                    sink.execute(delete(table))  # what the migration seeded, if anything
                _copy_rows(lambda t: source.execute(select(t).order_by(*t.primary_key.columns))
                           .yield_per(BATCH), sink, tables, total, progress)
            source.rollback()
        # A server's audit chain is keyed by the server: the copy gets a key of its own (audit).
        with db.read() as server_session, out.write() as copy_session:
            audit.seal_export(server_session, copy_session)
        out.dispose()
        with contextlib.closing(sqlite3.connect(part)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
        os.replace(part, target)
    except BaseException:
        out.dispose()
        for leftover in (part, part.with_name(part.name + "-wal"), part.with_name(part.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def _load_into_empty_server(db: Database, path: Path, check: BackupCheck, *,
                            progress: Progress | None = None) -> None:
    revision = current_revision(db)
    if revision != head_revision():
        raise BackupRefused("服务器上的数据库尚未创建或不是最新结构，请先运行 mediation-desk db upgrade。")
    if check.revision != head_revision():
        raise BackupRefused(f"备份的数据库结构版本（{check.revision}）与本程序（{head_revision()}）不同；"
                            "请先用本程序打开这个备份文件（它会被升级），再导入服务器。")
    tables = _tables()
    source = Database(f"sqlite:///{path.resolve()}", create=False)
    try:
        with db.writer.connect() as sink, sink.begin():
            for name in ("dispute_case", "app_user"):
                table = Base.metadata.tables[name]
                if sink.scalar(select(func.count()).select_from(table)):
                    raise BackupRefused("服务器上的数据库已有案件或账户。为避免覆盖，只能恢复到一个新建的空数据库："
                                        "请新建数据库并运行 mediation-desk db upgrade，再恢复。")
            for table in reversed(tables):
                sink.execute(delete(table))
            with source.reader.connect() as reader:
                total = sum(int(reader.scalar(select(func.count()).select_from(t)) or 0) for t in tables)
                _copy_rows(lambda t: reader.execute(select(t).order_by(*t.primary_key.columns)),
                           sink, tables, total, progress)
            audit.adopt_loaded_history(sink)
            # Serial columns continue after the loaded ids.
            for table in tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, Integer):
                    sink.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                        f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"))
    finally:
        source.dispose()
