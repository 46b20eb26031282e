"""Retention of closed cases' files (保管期限) and the archive job for expired ones.

A case closed by the head (审核结案) is kept until its dossier's 保管期限 has run from the closing
day; the period is the center's setting the dossier cover prints (``settings.DOSSIER_RETENTION``):

- 永久 — kept for ever (``retain_until`` stays NULL);
- 长期 — 30 years, 短期 — 10 years (the periods of the current archive rules, 永久/定期30年/定期10年,
  which replaced the old 永久/长期/短期 scheme; a center that prints the old words gets the new spans);
- “N年” (e.g. 15年, 定期30年) — N years.

A reopened case (重新调解) loses its date; closing it again counts from the new closing day.

The archive job (:func:`archive_expired`) writes, for each case whose date has passed, its bound
dossier PDF, a JSON of every row the case owns and its attached files to an archive folder, and
then deletes the case's personal data: parties, records, agreements, attachments, timeline and
every other row of the case. The ``dispute_case`` row stays as a tombstone — number, year,
sequence, dispute type, dates and state, with the title, facts, address and requests blanked — so
the number is never issued again and statistics of past years keep their counts. Each archived
case is an entry in the audit log (with the archive files' SHA-256).

Rules of the job (issue 17; docs/permissions.md):

- **Only the head** (中心主任), signed in as a person, runs it, the dry run included. The
  administrator reads no case content (and the list names cases that are about to lose it), the
  login-less system actor is nobody: both are refused.
- **The real date only.** ``today`` may be earlier than the real date (``models.now()``), never
  later: nothing is purged before its ``retain_until``.
- **A dry run first.** A dry run is itself an audit entry (:data:`DRY_RUN_ACTION`: the cases it
  listed, by id and number, the day and the head). A real run is refused unless the *same* head
  made a dry run within :data:`DRY_RUN_VALID` (24 hours) whose list holds every case about to be
  purged: the person who deletes has seen, a moment before, what will be deleted (a second head's
  list would prove nothing about what this one saw).
- **Owner-only archive.** The archive folder, each folder created on the way to it and every folder
  under it are 0700, every file 0600 (``files.write_atomically``). An existing folder that its
  group or others may enter is refused, never narrowed — ``--to /tmp`` or a shared folder must
  not have its mode changed under other people — except the desk's own default archive folder
  (``narrow_existing``), which the program owns and narrows to 0700.
- **No trace left in the database.** On SQLite the purge runs with ``PRAGMA secure_delete`` (freed
  cells and pages are zeroed), the contentless FTS5 search tables are merged (``optimize``) so
  that no old segment keeps a deleted party's trigrams, and :func:`compact` (``VACUUM`` and a
  truncating WAL checkpoint) runs after the commit. On PostgreSQL the counters of
  ``search_gram_count`` fall with the blanked title and facts (migration 0010's triggers), and the
  grams no case holds any more are deleted, so a name's grams do not stay as keys with a count of 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..files import write_atomically
from ..models import AuditEntry, Base, CaseEvent, CaseState, DisputeCase, EventKind, Role, now
from ..settings import DOSSIER_RETENTION
from . import audit, center
from .actor import Actor
from .errors import InvalidInput, PermissionDenied, ServiceError

#: The timeline entry a tombstone carries (and that keeps it out of the next run).
ARCHIVED_ACTION = "retention_archived"
TOMBSTONE_TITLE = "（已按保管期限归档，个人信息已删除）"
YEARS = {"长期": 30, "短期": 10}
#: The audit action a dry run leaves, and how long its list allows a real run.
DRY_RUN_ACTION = "case.retention_dry_run"
DRY_RUN_VALID = timedelta(hours=24)
#: What a refused real run tells the head to do first.
DRY_RUN_FIRST = "请先运行 retention run --dry-run 核对清单"
FOLDER_MODE = 0o700
_YEARS_PATTERN = re.compile(r"^(?:定期)?\s*([0-9]{1,3})\s*年$")

#: Rows a case owns, children before parents (deleted in this order, exported all).
_CASE_TABLES = (
    "planned_visit", "judicial_confirmation", "attachment", "case_department", "case_event", "case_mediator",
    "deadline_extension", "diversion", "investigation_record", "mediation_record", "recusal_decision",
    "return_visit", "supervision_order", "termination", "transfer", "undisputed_facts", "kept_document",
)


def years_of(period: str) -> int | None:
    """The years a 保管期限 stands for; None for 永久. Raises InvalidInput for anything else."""
    text = period.strip()
    if text == "永久":
        return None
    if text in YEARS:
        return YEARS[text]
    match = _YEARS_PATTERN.match(text)
    if match and int(match.group(1)) > 0:
        return int(match.group(1))
    raise InvalidInput("retention", f"无法识别的保管期限“{period}”：请填写“永久”“长期”“短期”或“N年”（如 30年）。")


def period_setting(session: Session) -> str:
    return center.get(session, DOSSIER_RETENTION)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def retain_until(closed_on: date, period: str) -> date | None:
    years = years_of(period)
    return None if years is None else add_years(closed_on, years)


def stamp(session: Session, case: DisputeCase) -> None:
    """Set or clear ``case.retain_until`` for the case's state (called by the workflow on a
    closure and on a reopening)."""
    if case.state is CaseState.CLOSED and case.closed_at is not None:
        case.retain_until = retain_until(case.closed_at.date(), period_setting(session))
    else:
        case.retain_until = None


# --------------------------------------------------------------------------- the job


@dataclass(frozen=True)
class ExpiredCase:
    """An expired file: what the job list shows (no personal data, so the administrator may see it)."""

    id: int
    number: str
    closed_on: date | None
    retain_until: date


@dataclass(frozen=True)
class ArchivedCase:
    number: str
    folder: Path
    dossier_sha256: str
    data_sha256: str
    files: int


@dataclass(frozen=True)
class ArchiveReport:
    expired: tuple[ExpiredCase, ...]
    archived: tuple[ArchivedCase, ...]
    dry_run: bool


def _not_archived() -> Any:
    return ~exists().where(CaseEvent.case_id == DisputeCase.id, CaseEvent.action == ARCHIVED_ACTION)


def is_archived(session: Session, case_id: int) -> bool:
    """Whether the case is a tombstone: its file was archived and deleted by the retention job."""
    return session.scalar(select(CaseEvent.id).where(CaseEvent.case_id == case_id,
                                                     CaseEvent.action == ARCHIVED_ACTION).limit(1)) is not None


def expired(session: Session, today: date) -> list[ExpiredCase]:
    """Closed cases whose retention date is ``today`` or earlier and that are not archived yet."""
    rows = session.execute(
        select(DisputeCase.id, DisputeCase.number, DisputeCase.closed_at, DisputeCase.retain_until)
        .where(DisputeCase.state == CaseState.CLOSED, DisputeCase.retain_until.is_not(None),
               DisputeCase.retain_until <= today, _not_archived())
        .order_by(DisputeCase.retain_until, DisputeCase.id)
    ).all()
    return [ExpiredCase(r.id, r.number, r.closed_at.date() if r.closed_at else None, r.retain_until)
            for r in rows if r.retain_until is not None]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return None
    return value


def _rows(session: Session, table_name: str, column: str, ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    table = Base.metadata.tables[table_name]
    stmt = select(table).where(table.c[column].in_(ids)).order_by(*table.primary_key.columns)
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in session.execute(stmt)]


def case_data(session: Session, case_id: int) -> dict[str, Any]:
    """Every row the case owns, table by table (the archive's JSON)."""
    data: dict[str, Any] = {"dispute_case": _rows(session, "dispute_case", "id", [case_id])}
    data["party"] = _rows(session, "party", "case_id", [case_id])
    data["agreement"] = _rows(session, "agreement", "case_id", [case_id])
    data["agreement_term"] = _rows(session, "agreement_term", "agreement_id", [a["id"] for a in data["agreement"]])
    for name in _CASE_TABLES:
        data[name] = _rows(session, name, "case_id", [case_id])
    data["unmatched_page"] = _rows(session, "unmatched_page", "filed_case_id", [case_id])
    return data


class DryRunMissing(ServiceError):
    """A real run without the same head's recent dry run listing every case it would purge."""


class ArchiveFolderRefused(ServiceError):
    """The archive folder cannot be made owner-only (open to others, another owner, not a folder)."""


def _private_mode(path: Path) -> None:
    if os.name == "posix":
        os.chmod(path, FOLDER_MODE)


def _open_to_others(info: os.stat_result) -> bool:
    return os.name == "posix" and bool(info.st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def prepare_folder(folder: Path, *, narrow_existing: bool = False) -> Path:
    """Make ``folder`` ready for personal data: every missing folder on the way is created 0700;
    an existing one must be a folder of this user that nobody else may enter — refused otherwise
    (ArchiveFolderRefused, in Chinese), or narrowed to 0700 when ``narrow_existing`` (the desk's
    own default folder)."""
    shown = str(folder)
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    if folder.exists() or folder.is_symlink():
        try:
            info = folder.stat()
        except OSError as error:
            raise ArchiveFolderRefused(f"归档目录“{shown}”无法访问：{error.strerror or error}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise ArchiveFolderRefused(f"归档目录“{shown}”不是文件夹，请指定一个文件夹。")
        if os.name == "posix" and info.st_uid != os.getuid():
            raise ArchiveFolderRefused(f"归档目录“{shown}”属于其他账户，请指定您自己的目录（或一个新目录）。")
        if _open_to_others(info):
            if not narrow_existing:
                raise ArchiveFolderRefused(
                    f"归档目录“{shown}”其他人也能访问（权限 {stat.S_IMODE(info.st_mode):04o}）：归档含身份证号和"
                    "证件扫描件，请指定一个新目录（将以仅本人可访问的权限创建），或先执行 chmod 700 收紧该目录。")
            _private_mode(folder)
        return folder
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            pass
        except OSError as error:
            raise ArchiveFolderRefused(f"无法创建归档目录“{path}”：{error.strerror or error}") from None
        _private_mode(path)
    return prepare_folder(folder)


def _subfolder(path: Path) -> None:
    """A folder under the archive folder: created (or narrowed) 0700."""
    if not path.is_dir():
        _subfolder(path.parent)
        path.mkdir(mode=FOLDER_MODE, exist_ok=True)
    _private_mode(path)


def _write(path: Path, content: bytes) -> str:
    _subfolder(path.parent)
    write_atomically(path, content, what="归档文件")  # personal data: owner-only, whole or nothing
    return hashlib.sha256(content).hexdigest()


def _require_head(actor: Actor, doing: str) -> None:
    if actor.role is not Role.HEAD or actor.user_id is None:
        who = "未登录的系统身份" if actor.user_id is None else f"“{actor.role.label}”"
        raise PermissionDenied(f"{who}无权{doing}（只有中心主任本人可以：请用 --as 以中心主任的账户登录）。")


def _check_day(today: date) -> None:
    real = now().date()
    if today > real:
        raise InvalidInput("today", f"归档日期 {today:%Y-%m-%d} 晚于今天（{real:%Y-%m-%d}）：保管期限只按"
                                    "今天的日期计算，不能提前归档或删除任何案卷。")


def _dry_runs(session: Session, actor: Actor) -> list[set[int]]:
    """The case ids each of ``actor``'s dry runs of the last 24 hours listed (a malformed entry
    counts as none)."""
    # Within 24 hours on both clocks: the one that stamped the entry (the server's, on a server
    # that writes the audit) and this desk's, noted in the entry (a desk whose clock runs ahead
    # does not stretch the window, nor a server's).
    moment = audit.entry_clock(session)
    desk_now = now()
    details = session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == DRY_RUN_ACTION, AuditEntry.user_id == actor.user_id,
                                        AuditEntry.at >= moment - DRY_RUN_VALID, AuditEntry.at <= moment)
    ).all()
    lists: list[set[int]] = []
    for detail in details:
        noted = _desk_time(detail.get("desk_time") if isinstance(detail, dict) else None)
        if noted is not None and not desk_now - DRY_RUN_VALID <= noted <= desk_now:
            continue
        ids = detail.get("case_ids") if isinstance(detail, dict) else None
        if isinstance(ids, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            lists.append(set(ids))
    return lists


def _desk_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _require_dry_run(session: Session, actor: Actor, due: list[ExpiredCase]) -> None:
    wanted = {item.id for item in due}
    if any(wanted <= listed for listed in _dry_runs(session, actor)):
        return
    raise DryRunMissing(f"{DRY_RUN_FIRST}：删除案卷前，须由您本人在 24 小时内试运行一次，且试运行列出的清单包含"
                        f"这次要归档删除的全部 {len(due)} 件案卷（{'、'.join(i.number for i in due[:5])}"
                        f"{' 等' if len(due) > 5 else ''}）。")


def _purge(session: Session, case: DisputeCase) -> None:
    """Delete everything of the case but its tombstone row (children before parents)."""
    tables = Base.metadata.tables
    case_id = case.id
    agreement = tables["agreement"]
    agreement_ids = list(session.scalars(select(agreement.c.id).where(agreement.c.case_id == case_id)))
    for name in _CASE_TABLES:
        table = tables[name]
        session.execute(delete(table).where(table.c.case_id == case_id))
    if agreement_ids:
        term = tables["agreement_term"]
        session.execute(delete(term).where(term.c.agreement_id.in_(agreement_ids)))
    session.execute(delete(tables["agreement"]).where(tables["agreement"].c.case_id == case_id))
    session.execute(delete(tables["party"]).where(tables["party"].c.case_id == case_id))
    page = tables["unmatched_page"]
    session.execute(delete(page).where(page.c.filed_case_id == case_id))
    blob, attachment, kept = tables["file_blob"], tables["attachment"], tables["kept_document"]
    session.execute(delete(blob).where(~exists().where(attachment.c.sha256 == blob.c.sha256),
                                       ~exists().where(page.c.sha256 == blob.c.sha256),
                                       ~exists().where(kept.c.sha256 == blob.c.sha256)))
    session.expire(case)
    case.title = TOMBSTONE_TITLE
    case.facts = ""
    case.address = ""
    case.village = ""
    case.grid = ""
    case.requests = []
    case.amount_involved = None
    case.people_involved = 0
    case.origin = None
    case.source_ref = None
    case.clock_stage = None
    case.clock_warn_on = None
    case.clock_due_on = None


def _scrub_indexes(session: Session) -> None:
    """After a purge: leave no trace of the deleted text in the search indexes (module docstring)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # A contentless FTS5 delete only adds a tombstone to a new segment: the old segment keeps
        # the deleted trigrams (and their bytes) until segments are merged. 'optimize' merges all.
        for table in ("search_case_fts", "search_party_fts"):
            session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
    elif dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(8001, 1)"))  # migration 0010's LOCK
        session.execute(text("DELETE FROM search_gram_count WHERE cases <= 0"))


def _secure_delete(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        # Freed cells and pages are overwritten with zeros (this connection, from now on).
        session.execute(text("PRAGMA secure_delete = ON"))


def compact(engine: Any) -> str | None:
    """After a real run has committed, on SQLite: rebuild the file without its free space
    (``VACUUM``) and empty the write-ahead log, whose old frames still hold the deleted pages.
    ``engine`` is the SQLAlchemy engine that writes the file (``Database.writer``). Nothing to do
    on PostgreSQL (its own VACUUM reclaims dead rows; the server's files are not the desk's).

    The purge is committed already, so a failure here (another desk busy on the file, a full disk)
    is told, not raised: the Chinese note it returns says to run the job again, which compacts
    again whether or not anything is due."""
    if engine.dialect.name != "sqlite":
        return None
    # The engine's "begin" hook would open a transaction, in which VACUUM cannot run: the DB-API
    # connection itself runs in autocommit (the engine sets isolation_level None on connect).
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
    except (sqlite3.Error, SQLAlchemyError, OSError) as error:  # told: the purge itself is done
        return (f"个人信息已删除，但数据库文件整理（VACUUM）未完成（{error}）。已删除内容的残留字节可能仍在文件中，"
                "请在其他工作台退出后再次运行 retention run（会再次整理）。")
    return None


def archive_expired(session: Session, actor: Actor, today: date, folder: Path, *, dry_run: bool = False,
                    narrow_existing: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> ArchiveReport:
    """Archive and purge every expired case (see the module docstring for the rules). ``dry_run``
    only lists, and records the list it showed in the audit log (so it needs a write session).
    ``today`` is the real date or an earlier one; the caller runs :func:`compact` after the commit."""
    _require_head(actor, "归档和删除到期案卷")
    _check_day(today)
    due = expired(session, today)
    if dry_run:
        audit.record(session, actor, DRY_RUN_ACTION, "case", None, {
            "day": today.isoformat(), "desk_time": now().isoformat(sep=" ", timespec="seconds"),
            "case_ids": [item.id for item in due],
            "numbers": [item.number for item in due],
        })
        return ArchiveReport(tuple(due), (), True)
    if not due:
        return ArchiveReport((), (), False)
    _require_dry_run(session, actor, due)
    prepare_folder(folder, narrow_existing=narrow_existing)
    from . import dossier

    _secure_delete(session)
    # The job itself reads the files it archives: the head who ran it is the one in the audit log.
    reader = Actor.system("retention")
    done: list[ArchivedCase] = []
    for index, item in enumerate(due):
        case = session.get_one(DisputeCase, item.id)
        if case.state is not CaseState.CLOSED or case.retain_until is None or case.retain_until > today:
            raise InvalidInput("today", f"案卷 {case.number} 的保管期限尚未届满，未做任何改动。")
        target = folder / f"{case.year}-{case.seq:04d}"
        pdf = dossier.build_dossier(session, reader, case.id, filed_by=actor.display_name)
        data = case_data(session, case.id)
        attachment = Base.metadata.tables["attachment"]
        blob = Base.metadata.tables["file_blob"]
        files = session.execute(
            select(attachment.c.id, attachment.c.filename, blob.c.content)
            .join(blob, blob.c.sha256 == attachment.c.sha256).where(attachment.c.case_id == case.id)
        ).all()
        for file_id, filename, content in files:
            _write(target / "files" / f"{file_id}-{Path(filename).name}", bytes(content))
        data["archive"] = {"number": case.number, "archived_on": today.isoformat(), "by": actor.username,
                           "retain_until": _plain(case.retain_until), "period": period_setting(session)}
        dossier_sha = _write(target / "卷宗.pdf", pdf)
        data_sha = _write(target / "data.json",
                          json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
        _purge(session, case)
        session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE,
                              action=ARCHIVED_ACTION,
                              note=f"保管期限届满（{item.retain_until:%Y-%m-%d}），卷宗已归档，个人信息已删除。"))
        session.flush()
        changes.note(session, Changes.cases(case.id, list_changed=True))
        audit.record(session, actor, "case.retention_archive", "case", case.id, {
            "number": case.number, "retain_until": item.retain_until.isoformat(), "folder": str(target),
            "dossier_sha256": dossier_sha, "data_sha256": data_sha, "files": len(files),
        })
        done.append(ArchivedCase(case.number, target, dossier_sha, data_sha, len(files)))
        if progress is not None:
            progress(index + 1, len(due))
    _scrub_indexes(session)
    return ArchiveReport(tuple(due), tuple(done), False)


__all__ = [
    "ARCHIVED_ACTION", "DRY_RUN_ACTION", "DRY_RUN_FIRST", "DRY_RUN_VALID", "ArchiveFolderRefused", "ArchiveReport",
    "ArchivedCase", "DryRunMissing", "ExpiredCase", "archive_expired", "case_data", "compact", "expired",
    "period_setting", "prepare_folder", "retain_until", "stamp", "years_of",
]
