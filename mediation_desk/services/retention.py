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
case is an entry in the audit log (with the archive files' SHA-256). Only the head and the
administrator run it (docs/permissions.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..files import write_atomically
from ..models import Base, CaseEvent, CaseState, DisputeCase, EventKind, now
from ..settings import DOSSIER_RETENTION
from . import audit, center, permissions
from .actor import Actor
from .errors import InvalidInput

#: The timeline entry a tombstone carries (and that keeps it out of the next run).
ARCHIVED_ACTION = "retention_archived"
TOMBSTONE_TITLE = "（已按保管期限归档，个人信息已删除）"
YEARS = {"长期": 30, "短期": 10}
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


def _write(path: Path, content: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, content, what="归档文件")  # personal data: owner-only, whole or nothing
    return hashlib.sha256(content).hexdigest()


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


def archive_expired(session: Session, actor: Actor, today: date, folder: Path, *, dry_run: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> ArchiveReport:
    """Archive and purge every expired case (see the module docstring). ``dry_run`` only lists."""
    permissions.require_role(actor, permissions.OVERSIGHT_ROLES, "归档和删除到期案卷")
    due = expired(session, today)
    if dry_run or not due:
        return ArchiveReport(tuple(due), (), dry_run)
    from . import dossier

    # The job itself reads the files it archives (the administrator's own account reads no case
    # content): the actor who ran it is the one in the audit log.
    reader = Actor.system("retention")
    done: list[ArchivedCase] = []
    for index, item in enumerate(due):
        case = session.get_one(DisputeCase, item.id)
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
    return ArchiveReport(tuple(due), tuple(done), False)


__all__ = [
    "ARCHIVED_ACTION", "ArchiveReport", "ArchivedCase", "ExpiredCase", "archive_expired", "case_data", "expired",
    "period_setting", "retain_until", "stamp", "years_of",
]
