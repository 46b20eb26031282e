"""Cards, not reminders: 黄牌 / 红牌督办 given automatically when a case's stage passes yellow or red,
the departments' 延期申请 and the head's decision, and each department's monthly score.

A stage's limit is the most specific row of ``time_limit`` (``clocks.limit_for``: department +
dispute type > department > dispute type > every case > the built-in default); the case's
department is its lead mediator's (``clocks.case_department_id``). The running stage's yellow and
due days are stored on the case row (``clocks.refresh_clock``), so the check below is a range scan.

**When the check runs** (docs/cards.md): at every sign-in of a clerk, mediator or head, on each
refresh of the desk, and by ``mediation-desk cards check`` (a scheduled task). It is computed from
the day it is handed (the desk's and the command's clock), never from the machine's date inside
this module. A card is unique per (case, stage, colour): checks run twice, or from several desks
at once, give it once (``INSERT … ON CONFLICT DO NOTHING``; on PostgreSQL the second transaction
waits for the first and then inserts nothing, without an error).

A yellow card is given on the stage's ``warn_on`` day and after; a red one on the first day after
``due_on``. An approved extension moves ``due_on`` (and ``warn_on``) by its days, in the limit's own
kind (working or calendar days): a card already given stays in the record, a card not yet given
is given only if the moved dates are passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, insert, or_, select, union
from sqlalchemy import case as sql_case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from .. import changes
from ..changes import Changes
from ..models import (
    CaseEvent,
    ClockColour,
    ClockStage,
    DeadlineExtension,
    Department,
    DisputeCase,
    DisputeType,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    Mediator,
    Role,
    StageCard,
    Team,
    TimeLimit,
    User,
    now,
)
from ..models.case import LEAD_SPAN_INDEX, MEDIATED_INDEX
from . import audit, caselist, clocks, permissions, versions, visible_parts
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import InvalidInput, NotFound, PermissionDenied

#: The most working days one request may ask for.
MAX_EXTENSION_DAYS = 60
#: The cards of a case (``case_id``): a township's cards are read through it.
CARD_CASE_INDEX = "ix_stage_card_case_id"
CARD_LABELS = {ClockColour.YELLOW: "黄牌督办", ClockColour.RED: "红牌督办"}


def _day(at: date | datetime) -> date:
    return at.date() if isinstance(at, datetime) else at


# --------------------------------------------------------------------------- the cards


@dataclass(frozen=True)
class CardInfo:
    id: int
    case_id: int
    number: str
    title: str
    stage: ClockStage
    colour: ClockColour
    given_on: date
    due_on: date
    team: str
    department: str

    @property
    def label(self) -> str:
        return CARD_LABELS.get(self.colour, "")

    @property
    def addressed_to(self) -> str:
        return "、".join(n for n in (self.team, self.department) if n) or "受理窗口"


@dataclass(frozen=True)
class CheckResult:
    day: date
    #: The cards this check gave (none when another check had given them already).
    given: tuple[CardInfo, ...]


def may_check(actor: Actor) -> bool:
    """Whoever works on cases runs the check (at sign-in, on the desk); the administrator's
    connection reads no case on a server, and on a file the administrator has no desk of cases."""
    return permissions.is_system(actor) or actor.role in permissions.CASE_ROLES


def _visible(actor: Actor) -> ColumnElement[bool]:
    """The cases whose cards ``actor`` sees and gives: the head and the system every case, a
    mediator their teams' and the ones they lead, the clerk the ones not yet with a team."""
    if actor.role is Role.INTAKE and not permissions.is_system(actor):
        return and_(permissions.center_condition(actor), DisputeCase.team_id.is_(None))
    return permissions.visible_cases(actor)


def _due_condition(actor: Actor, day: date) -> list[ColumnElement[bool]]:
    """The cases ``actor``'s desk gives a card on ``day``: a running stage past its yellow day with
    no yellow card yet, or past its due day with no red card yet."""
    yellow_card = aliased(StageCard)
    red_card = aliased(StageCard)
    has_yellow = exists().where(yellow_card.case_id == DisputeCase.id, yellow_card.stage == DisputeCase.clock_stage,
                                yellow_card.colour == ClockColour.YELLOW)
    has_red = exists().where(red_card.case_id == DisputeCase.id, red_card.stage == DisputeCase.clock_stage,
                             red_card.colour == ClockColour.RED)
    # A range of ix_dispute_case_clock: no ORDER BY (SQLite would scan the table by id instead),
    # and the redundant IS NOT NULL starts the walk after the many cases with no clock (as
    # clocks.due_soon_or_overdue).
    return [DisputeCase.clock_warn_on.is_not(None), DisputeCase.clock_warn_on <= day,
            DisputeCase.clock_stage.is_not(None), _visible(actor),
            # A case's cards are given by its own center's desks (a head reads the centers
            # below but does not write their cases: migration 0022's md_case_writable).
            permissions.own_center(actor),
            or_(~has_yellow, and_(DisputeCase.clock_due_on < day, ~has_red))]


@dataclass(frozen=True)
class DueCards:
    """What a read found due on ``day`` (:func:`due_cards`), for :func:`give` to write."""
    day: date
    #: The cases that were due a card when read, by id.
    case_ids: tuple[int, ...]
    #: Given in one write all the same: on a server, whose write transactions lock only the rows
    #: they write (the new cards), not the whole database as SQLite's does.
    one_write: bool = False

    def parts(self, size: int | None = None) -> list[DueCards]:
        """The cases in parts of ``size`` (:data:`GIVE_CASES`), each for a write transaction of its
        own: on SQLite, between them the write lock is free and other desks' saves go in."""
        size = len(self.case_ids) if self.one_write else size or GIVE_CASES
        return [DueCards(self.day, self.case_ids[first:first + size], self.one_write)
                for first in range(0, len(self.case_ids), max(size, 1))]


def cards_due(session: Session, actor: Actor, at: date | datetime) -> bool:
    """Whether :func:`check` would give a card on ``at``'s day: a read that stops at the first."""
    day = _day(at)
    if not may_check(actor) or permissions.case_rows_hidden(session, actor):
        return False
    return session.execute(select(DisputeCase.id).where(*_due_condition(actor, day)).limit(1)).first() is not None


def due_cards(session: Session, actor: Actor, at: date | datetime) -> DueCards:
    """The cases :func:`check` would give a card on ``at``'s day: the walk over the running clocks,
    made on a read so that the write (:func:`give`) is short.

    At a million cases the walk takes seconds (35 s on a day many clocks turned, at load 8): made
    inside the check's write transaction it held the database's write lock (SQLite's ``BEGIN
    IMMEDIATE``) that long, and every other desk's save waited. The desk reads this on its slow
    lane and takes the write lane only when a case is found."""
    day = _day(at)
    if not may_check(actor) or permissions.case_rows_hidden(session, actor):
        return DueCards(day, ())
    found = session.scalars(select(DisputeCase.id).where(*_due_condition(actor, day))).all()
    return DueCards(day, tuple(sorted(int(i) for i in found)), session.get_bind().dialect.name != "sqlite")


def check(session: Session, actor: Actor, at: date | datetime) -> CheckResult:
    """Give every card due on ``at``'s day to the cases ``actor`` sees; returns the cards given.

    The walk and the writes in one transaction: for a scheduled command or a test. A desk reads
    :func:`due_cards` on a read and hands it to :func:`give` on the write lane."""
    return give(session, actor, due_cards(session, actor, at))


def give(session: Session, actor: Actor, due: DueCards, *, note: bool = True) -> CheckResult:
    """Give the cards of ``due`` (found by a read before this write transaction) still due now.

    ``note`` False: the cases are not noted as changed (``changes.note``): a desk giving a day's
    cards in parts announces them all with its last part, so that its views read again once, not
    after each part.

    Only the cases found are read again, each by its key, with the whole condition: a case whose
    stage moved on, whose days an extension moved, or that left the actor's sight meanwhile gets
    nothing; a card another desk gave meanwhile is not given twice (the unique key and ``ON
    CONFLICT DO NOTHING``; on PostgreSQL the second transaction waits for the first, then inserts
    nothing). A case that became due after the read waits for the next check."""
    day = due.day
    if not due.case_ids or not may_check(actor) or permissions.case_rows_hidden(session, actor):
        return CheckResult(day, ())
    moment = now()
    condition = _due_condition(actor, day)
    infos: list[CardInfo] = []
    ids = sorted(set(due.case_ids))
    for first in range(0, len(ids), INSERT_ROWS):
        rows = session.execute(_still_due(condition, ids[first:first + INSERT_ROWS])).all()
        values: list[dict[str, object]] = []
        for case_id, stage, due_on, team_id, department_id, *_names in rows:
            assert due_on is not None  # a running clock has its due day
            colours = [ClockColour.YELLOW] + ([ClockColour.RED] if due_on < day else [])
            values += [{"case_id": case_id, "stage": stage, "colour": colour, "given_on": day, "due_on": due_on,
                        "team_id": team_id, "department_id": department_id, "created_at": moment}
                       for colour in colours]
        if not values:
            continue
        by_case = {row[0]: row for row in rows}
        for card_id, case_id, colour in _insert_new(session, values):
            _id, stage, due_on, _team, _department, number, title, team, department = by_case[case_id]
            assert stage is not None and due_on is not None
            infos.append(CardInfo(card_id, case_id, number, title, stage, colour, day, due_on, team or "",
                                  department or ""))
    if not infos:
        return CheckResult(day, ())
    infos.sort(key=lambda info: info.id)
    # The timeline of each case says so, in one statement for them all.
    session.execute(insert(CaseEvent), [
        {"case_id": info.case_id, "at": moment, "user_id": actor.user_id, "kind": EventKind.SUPERVISION,
         "action": f"card_{info.colour.value}", "from_state": None, "to_state": None,
         "note": (f"{info.label}：{info.stage.label}"
                  + ("已超过期限" if info.colour is ClockColour.RED else "已进入黄色预警")
                  + f"（期限 {info.due_on:%Y年%m月%d日}），督办{info.addressed_to}")}
        for info in infos])
    if len(infos) <= AUDIT_EACH:
        for info in infos:
            audit.record(session, actor, "card.give", "case", info.case_id,
                         {"number": info.number, "stage": str(info.stage), "colour": str(info.colour),
                          "day": day.isoformat(), "due": info.due_on.isoformat(), "card": info.id})
    else:
        # The first check on a database with many late cases (after the upgrade) gives thousands at
        # once: one entry names them all by their card ids (the rows are never changed), instead of
        # an entry each at a few milliseconds apiece.
        audit.record(session, actor, "card.give", "case", None,
                     {"day": day.isoformat(), "cards": len(infos),
                      "colour": {str(c): sum(1 for i in infos if i.colour is c) for c in CARD_LABELS},
                      "card_ids": _ranges([i.id for i in infos])})
    session.flush()
    if note:
        changes.note(session, Changes.cases(*{i.case_id for i in infos}))
    return CheckResult(day, tuple(infos))


def _still_due(condition: list[ColumnElement[bool]], case_ids: list[int]) -> Select[
        int, ClockStage | None, date | None, int | None, int | None, str, str, str | None, str | None]:
    """Those of ``case_ids`` still due a card, each read by its key (``id IN``), not the walk:
    (id, stage, due day, team, department, number, title, team's name, department's name)."""
    return (select(DisputeCase.id, DisputeCase.clock_stage, DisputeCase.clock_due_on, DisputeCase.team_id,
                   Mediator.department_id, DisputeCase.number, DisputeCase.title, Team.name, Department.name)
            .outerjoin(Mediator, Mediator.id == DisputeCase.lead_mediator_id)
            .outerjoin(Team, Team.id == DisputeCase.team_id)
            .outerjoin(Department, Department.id == Mediator.department_id)
            .where(DisputeCase.id.in_(case_ids), *condition))


#: Cases read again (and their cards inserted) per statement: well under SQLite's limit of bound variables.
INSERT_ROWS = 500
#: Cases a desk (or the command) gives their cards in one write transaction (``DueCards.parts``).
#: On the 1M demo, a day of 8,222 (bench/card_lock.py, load 7–8): another desk's worst wait for the
#: write lock 7.6 s before (the walk and the writes in one transaction), 88–333 ms in parts of 250
#: (99th percentile 69–82 ms), 337–385 ms in parts of 500 (132–136 ms).
GIVE_CASES = 250
#: Seconds between two parts: another process waiting for SQLite's write lock sleeps up to 100 ms
#: between its tries (the busy handler's back-off), so a next part begun at once took the lock
#: again before it (its worst wait as long as with one transaction): this pause lets it in.
GIVE_PAUSE = 0.15
#: Up to this many cards in one give, each gets its own audit entry; more share one.
AUDIT_EACH = 50


def _ranges(ids: list[int]) -> list[list[int]]:
    """Sorted ids as runs ``[first, last]``."""
    runs: list[list[int]] = []
    for i in sorted(ids):
        if runs and runs[-1][1] == i - 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


def _insert_new(session: Session, values: list[dict[str, object]]) -> list[tuple[int, int, ClockColour]]:
    """Insert the cards no other check has given; (id, case, colour) of those this one did."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = StageCard.__table__
    # Many parameter sets of one compiled statement (SQLAlchemy's "insertmanyvalues" batches
    # them): a VALUES list of hundreds of rows compiled anew took ~1 s a batch.
    stmt = (module.insert(table)
            .on_conflict_do_nothing(index_elements=["case_id", "stage", "colour"])
            .returning(table.c.id, table.c.case_id, table.c.colour))
    return [(int(i), int(case_id), ClockColour(colour))
            for i, case_id, colour in session.connection().execute(stmt, values)]


def cards(session: Session, actor: Actor, *, card_ids: Iterable[int] | None = None, case_id: int | None = None,
          since: date | None = None, limit: int = 500) -> list[CardInfo]:
    """The cards ``actor`` sees, newest given first: the head every card, a mediator those of their teams'
    cases (and the ones they lead), the clerk those of cases not yet assigned."""
    if not may_check(actor) or permissions.case_rows_hidden(session, actor):
        return []
    few = caselist.few_visible_ids(session, actor) if card_ids is None and case_id is None else None
    # ``+ 0`` keeps SQLite from walking every case and looking its cards up: it walks the cards
    # (newest first, stopping at ``limit``) and finds each one's case by its key (127 → 1 ms). For a
    # township's people that walk went through every card of the county (~206,000 at a million
    # cases) to find their few: their cases' ids instead (``few``, each part from its index), then
    # their cards by ``ix_stage_card_case_id``, sorted.
    on_case = DisputeCase.id == (StageCard.case_id + 0 if few is None else StageCard.case_id)
    stmt = (select(StageCard, DisputeCase.number, DisputeCase.title, Team.name, Department.name)
            .select_from(StageCard)
            .join(DisputeCase, on_case)
            .outerjoin(Team, Team.id == StageCard.team_id)
            .outerjoin(Department, Department.id == StageCard.department_id)
            .where(_visible(actor))
            # Newest first by id (cards are given in the order of the days checked): the primary
            # key walked backwards stops at ``limit``, where sorting by day sorted every match.
            .order_by(StageCard.id.desc())
            .limit(limit))
    if few is not None:
        stmt = stmt.where(StageCard.case_id.in_(few)).with_hint(StageCard, f"INDEXED BY {CARD_CASE_INDEX}", "sqlite")
    if card_ids is not None:
        stmt = stmt.where(StageCard.id.in_(sorted(card_ids)))
    if case_id is not None:
        stmt = stmt.where(StageCard.case_id == case_id)
    if since is not None:
        stmt = stmt.where(StageCard.given_on >= since)
    return [CardInfo(c.id, c.case_id, number, title, c.stage, c.colour, c.given_on, c.due_on, team or "", dept or "")
            for c, number, title, team, dept in session.execute(stmt)]


# --------------------------------------------------------------------------- extension requests


@dataclass(frozen=True)
class RequestInfo:
    id: int
    case_id: int
    number: str
    title: str
    stage: ClockStage
    days: int
    working_days: bool
    reason: str
    team: str
    department: str
    requested_by: str
    requested_on: date
    due_on: date
    status: ExtensionStatus
    decided_by: str
    decided_on: date | None
    decision_note: str
    #: The stage's due date after the approval (None unless approved).
    new_due_on: date | None
    version: int

    @property
    def unit(self) -> str:
        return "个工作日" if self.working_days else "天"


def may_request(actor: Actor) -> bool:
    """A mediator of the case's team (a stationed department's mediator leading it) asks."""
    return actor.role is Role.MEDIATOR


def may_decide(actor: Actor) -> bool:
    return actor.role is Role.HEAD


def request_extension(session: Session, actor: Actor, case_id: int, *, days: int, reason: str,
                      at: date | datetime | None = None) -> RequestInfo:
    """延期申请: ``days`` more days (in the running stage's limit's kind) on the case's running stage."""
    if not may_request(actor):
        raise PermissionDenied("只有承办团队的调解员可以提出延期申请，中心主任直接审批。")
    case = permissions.case_for(session, actor, case_id, "提出延期申请", frozenset({Role.MEDIATOR}))
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "请填写延期理由。")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput("days", f"申请延期的天数应在 1 到 {MAX_EXTENSION_DAYS} 之间。")
    clock = clocks.compute_clock(session, case)
    if clock is None:
        raise InvalidInput("days", f"案件 {case.number} 当前（{case.state.label}）没有正在计时的期限，无需延期。")
    pending = session.scalar(select(ExtensionRequest.id).where(
        ExtensionRequest.case_id == case.id, ExtensionRequest.stage == clock.stage,
        ExtensionRequest.status == ExtensionStatus.PENDING))
    if pending is not None:
        raise InvalidInput("days", f"案件 {case.number} 的{clock.stage.label}已有一份延期申请待审批，"
                                   "请等候中心主任审批。")
    day = _day(at or now())
    row = ExtensionRequest(case_id=case.id, stage=clock.stage, days=days, reason=reason, team_id=case.team_id,
                           department_id=clocks.case_department_id(session, case), requested_by_id=actor.user_id,
                           requested_on=day, due_on=clock.due_on, status=ExtensionStatus.PENDING)
    session.add(row)
    unit = "个工作日" if clock.limit.working_days else "天"
    session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.SUPERVISION,
                          action="extension_request",
                          note=f"延期申请：{clock.stage.label}延长 {days} {unit}，理由：{reason}"))
    session.flush()
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "card.extension_request", "case", case.id,
                 {"number": case.number, "stage": str(clock.stage), "days": days, "reason": reason,
                  "request": row.id})
    return _request_info(session, row)


def decide(session: Session, actor: Actor, request_id: int, *, approve: bool, note: str = "",
           at: date | datetime | None = None, expected_version: int | None = None) -> RequestInfo:
    """The head approves (the stage's due date moves by the days asked) or refuses (with a reason)."""
    if not may_decide(actor):
        raise PermissionDenied("只有中心主任可以审批延期申请。")
    row = session.get(ExtensionRequest, request_id)
    if row is None:
        raise NotFound(f"延期申请（编号 {request_id}）不存在。")
    if expected_version is not None and row.version != expected_version:
        raise InvalidInput("request", "该延期申请刚由他人处理过，请刷新后再审批。")
    if row.status is not ExtensionStatus.PENDING:
        raise InvalidInput("request", f"该延期申请已处理（{row.status.label}），不能再次审批。")
    note = note.strip()
    if not approve and not note:
        raise InvalidInput("note", "请填写不予批准的理由。")
    case = session.get_one(DisputeCase, row.case_id)
    day = _day(at or now())
    moment = now()
    row.decided_by_id, row.decided_on, row.decision_note = actor.user_id, day, note
    if approve:
        calendar = WorkingCalendar.load(session)
        clock = clocks.compute_clock(session, case, calendar)
        if clock is None or clock.stage is not row.stage:
            raise InvalidInput("request", f"案件 {case.number} 的{row.stage.label}已不在计时，无需再批准延期；"
                                          "请以不予批准处理并说明。")
        new_due = clocks.shift(calendar, clock.due_on, row.days, clock.limit.working_days)
        extension = DeadlineExtension(case_id=case.id, stage=row.stage, days=row.days,
                                      reason=f"延期申请批准：{row.reason}", granted_by_id=actor.user_id,
                                      granted_at=moment, new_due_on=new_due)
        session.add(extension)
        session.flush()
        row.extension_id = extension.id
        row.status = ExtensionStatus.APPROVED
        clocks.refresh_clock(session, case, calendar)
        unit = "个工作日" if clock.limit.working_days else "天"
        text = f"批准延期申请：{row.stage.label}延长 {row.days} {unit}，期限改为 {new_due:%Y年%m月%d日}"
    else:
        row.status = ExtensionStatus.REFUSED
        text = f"不予批准延期申请：{note}"
    session.add(CaseEvent(case_id=case.id, at=moment, user_id=actor.user_id, kind=EventKind.SUPERVISION,
                          action="extension_decision", note=text + (f"（{note}）" if approve and note else "")))
    versions.flush(session, "该延期申请刚由他人审批，本次审批未保存。请刷新后查看。")
    changes.note(session, Changes.cases(case.id, list_changed=approve))
    audit.record(session, actor, "card.extension_approve" if approve else "card.extension_refuse", "case", case.id,
                 {"number": case.number, "stage": str(row.stage), "days": row.days, "request": row.id,
                  "note": note, "due": case.clock_due_on.isoformat() if approve and case.clock_due_on else None})
    return _request_info(session, row)


def requests(session: Session, actor: Actor, *, pending_only: bool = True, case_id: int | None = None,
             limit: int = 500) -> list[RequestInfo]:
    """The requests ``actor`` sees: the head every one, a mediator those on their teams' cases."""
    if actor.role not in (Role.HEAD, Role.MEDIATOR) and not permissions.is_system(actor):
        return []
    # ``+ 0``: the requests first, each case by its key (see :func:`cards`).
    stmt = (select(ExtensionRequest).join(DisputeCase, DisputeCase.id == ExtensionRequest.case_id + 0)
            .where(permissions.visible_cases(actor))
            .order_by(ExtensionRequest.requested_on.desc(), ExtensionRequest.id.desc()).limit(limit))
    if pending_only:
        stmt = stmt.where(ExtensionRequest.status == ExtensionStatus.PENDING)
    if case_id is not None:
        stmt = stmt.where(ExtensionRequest.case_id == case_id)
    return [_request_info(session, r) for r in session.scalars(stmt)]


def _team_name(session: Session, team_id: int | None) -> str:
    team = session.get(Team, team_id) if team_id is not None else None
    return team.name if team is not None else ""


def _department_name(session: Session, department_id: int | None) -> str:
    department = session.get(Department, department_id) if department_id is not None else None
    return department.name if department is not None else ""


def _user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else ""


def _request_info(session: Session, row: ExtensionRequest) -> RequestInfo:
    case = session.get_one(DisputeCase, row.case_id)
    extension = session.get(DeadlineExtension, row.extension_id) if row.extension_id is not None else None
    limit = clocks.limit_for(session, row.stage, case.dispute_type_id, row.department_id)
    return RequestInfo(row.id, case.id, case.number, case.title, row.stage, row.days, limit.working_days, row.reason,
                       _team_name(session, row.team_id), _department_name(session, row.department_id),
                       _user_name(session, row.requested_by_id), row.requested_on, row.due_on, row.status,
                       _user_name(session, row.decided_by_id), row.decided_on, row.decision_note,
                       extension.new_due_on if extension is not None else None, row.version)


# --------------------------------------------------------------------------- the head's limit table


@dataclass(frozen=True)
class LimitRule:
    """One row of the limit table; ``id`` None for a built-in default not yet overridden."""

    id: int | None
    stage: ClockStage
    department_id: int | None
    department: str
    dispute_type_id: int | None
    dispute_type: str
    days: int
    working_days: bool
    yellow_days: int

    @property
    def scope(self) -> str:
        return "、".join(n for n in (self.department, self.dispute_type) if n) or "全部案件（默认）"


def limit_rules(session: Session) -> list[LimitRule]:
    """Every stage's row for all cases (the built-in default when none is set), then the rules
    set for a department and/or a dispute type, by stage."""
    rows = session.execute(
        select(TimeLimit, Department.name, DisputeType.name)
        .outerjoin(Department, Department.id == TimeLimit.department_id)
        .outerjoin(DisputeType, DisputeType.id == TimeLimit.dispute_type_id)
    ).all()
    order = {stage: i for i, stage in enumerate(ClockStage)}
    result: list[LimitRule] = []
    general = {r.stage for r, _d, _t in rows if r.department_id is None and r.dispute_type_id is None}
    for stage in ClockStage:
        if stage not in general:
            default = clocks.DEFAULT_LIMITS[stage]
            result.append(LimitRule(None, stage, None, "", None, "", default.days, default.working_days,
                                    default.yellow_days))
    for r, department, dispute_type in rows:
        result.append(LimitRule(r.id, r.stage, r.department_id, department or "", r.dispute_type_id,
                                dispute_type or "", r.days, r.working_days, r.yellow_days))
    return sorted(result, key=lambda r: (order[r.stage], r.department_id is not None, r.department,
                                         r.dispute_type_id is not None, r.dispute_type))


def remove_limit(session: Session, actor: Actor, limit_id: int) -> int | None:
    """Remove a rule: its cases fall back on the next most specific one."""
    if actor.role not in (Role.ADMIN, Role.HEAD):
        raise PermissionDenied("只有中心主任或系统管理员可以设置办理期限。")
    row = session.get(TimeLimit, limit_id)
    if row is None:
        raise NotFound(f"期限规则（编号 {limit_id}）不存在。")
    stage = row.stage
    detail = {"stage": str(stage), "type": row.dispute_type_id, "department_id": row.department_id}
    session.delete(row)
    session.flush()
    changes.note(session, Changes(settings=True))
    audit.record(session, actor, "clock.remove_limit", "time_limit", limit_id, detail)
    return clocks.recompute_clocks_for(session, actor, stage=stage)


# --------------------------------------------------------------------------- the monthly score


class ScoreFigure:
    """The figures of a department's month, each a predicate on cases (the drill-down)."""

    CASES = "cases"
    ON_TIME = "on_time"
    YELLOW = "yellow"
    RED = "red"
    ASKED = "asked"
    APPROVED = "approved"


SCORE_TITLES = {
    ScoreFigure.CASES: "承办案件", ScoreFigure.ON_TIME: "按期办理", ScoreFigure.YELLOW: "黄牌",
    ScoreFigure.RED: "红牌", ScoreFigure.ASKED: "延期申请", ScoreFigure.APPROVED: "延期批准",
}
SCORE_FORMULAS = {
    ScoreFigure.CASES: "承办案件 = 本部门调解员承办（主办）、受理日（未受理的以登记日）不晚于月末、"
                       "且未在月初前结案的案件，加上本月给予本部门督办牌或本部门提出延期申请的案件，合计件数",
    ScoreFigure.ON_TIME: "按期办理 = 承办案件中本月未被给予红牌督办的案件数；按期率 = 按期办理 ÷ 承办案件 × 100%",
    ScoreFigure.YELLOW: "黄牌 = 本月给予本部门的黄牌督办所涉案件数",
    ScoreFigure.RED: "红牌 = 本月给予本部门的红牌督办所涉案件数",
    ScoreFigure.ASKED: "延期申请 = 本月本部门提出延期申请的案件数",
    ScoreFigure.APPROVED: "延期批准 = 本月本部门提出、已获中心主任批准的延期申请所涉案件数",
}


@dataclass(frozen=True)
class DepartmentScore:
    department_id: int
    department: str
    cases: int
    on_time: int
    yellow: int
    red: int
    asked: int
    approved: int

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.cases:.1f}%" if self.cases else "—"


def month_bounds(month: str) -> tuple[date, date]:
    """``2026-10`` → its first and last day; a bad month named in Chinese."""
    try:
        year, number = (int(part) for part in month.split("-"))
        start = date(year, number, 1)
    except (ValueError, TypeError):
        raise InvalidInput("month", f"月份“{month}”无法识别，应写作 2026-10。") from None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def score_condition(figure: str, department_id: int, month: str) -> ColumnElement[bool]:
    """The cases one figure of a department's month counts: the count and the drill-down list
    are the same predicate."""
    start, end = month_bounds(month)
    in_month = (StageCard.given_on >= start) & (StageCard.given_on <= end) & (StageCard.department_id == department_id)
    led = select(Mediator.id).where(Mediator.department_id == department_id)
    first = datetime.combine(start, datetime.min.time())
    after = datetime.combine(end + timedelta(days=1), datetime.min.time())
    red = DisputeCase.id.in_(select(StageCard.case_id).where(in_month, StageCard.colour == ClockColour.RED))
    asked = ((ExtensionRequest.requested_on >= start) & (ExtensionRequest.requested_on <= end)
             & (ExtensionRequest.department_id == department_id))
    # The department's cases of the month: those its mediators lead that were open in it, and
    # any case it was carded for or asked an extension on in it (a closed case's late return visit).
    cases = ((DisputeCase.lead_mediator_id.in_(led)
              & (func.coalesce(DisputeCase.accepted_at, DisputeCase.received_at) < after)
              & (DisputeCase.closed_at.is_(None) | (DisputeCase.closed_at >= first)))
             | DisputeCase.id.in_(select(StageCard.case_id).where(in_month))
             | DisputeCase.id.in_(select(ExtensionRequest.case_id).where(asked)))
    if figure == ScoreFigure.CASES:
        return cases
    if figure == ScoreFigure.ON_TIME:
        return cases & ~red
    if figure == ScoreFigure.YELLOW:
        return DisputeCase.id.in_(select(StageCard.case_id).where(in_month, StageCard.colour == ClockColour.YELLOW))
    if figure == ScoreFigure.RED:
        return red
    if figure == ScoreFigure.ASKED:
        return DisputeCase.id.in_(select(ExtensionRequest.case_id).where(asked))
    if figure == ScoreFigure.APPROVED:
        return DisputeCase.id.in_(select(ExtensionRequest.case_id).where(
            asked, ExtensionRequest.status == ExtensionStatus.APPROVED))
    raise InvalidInput("figure", f"没有“{figure}”这项考核指标。")


def scored_cases(session: Session, actor: Actor) -> Select[Any] | None:
    """The ids of the cases a head who reads only some centers (a township's) may see; None for
    whoever sees every case (the county head: nothing to narrow).

    A head's visibility is its centers' side alone (``permissions.visible_cases``: the cases of the
    centers they read, handled by one of them, crossed with their own), so the parts of
    ``visible_parts`` give exactly those cases, each part from its index — no case row read to
    test it again (that test doubled the cost of a township handling many cases). The scores and
    their drill-down count only these: a head's figures are of the cases they may open (on
    PostgreSQL the server's row security gives the same rows; on SQLite nothing else would)."""
    if actor.role is not Role.HEAD:
        return None
    parts = visible_parts.visible_parts(session, actor)
    if parts is None or parts.centers is None:
        return None
    found = union(*(part.selectable() for part in parts.centers)).subquery("found")
    return select(found.c.id)


def score_cases(session: Session, actor: Actor, figure: str, department_id: int, month: str,
                limit: int = 2000) -> list[tuple[int, str, str]]:
    """The drill-down: (id, number, title) of the cases behind one figure, of those the head may
    see (``scored_cases``)."""
    permissions.require_role(actor, permissions.HEAD_ONLY, "查看部门考核")
    stmt = (select(DisputeCase.id, DisputeCase.number, DisputeCase.title)
            .where(score_condition(figure, department_id, month)).order_by(DisputeCase.id).limit(limit))
    seen = scored_cases(session, actor)
    if seen is not None:
        stmt = stmt.where(DisputeCase.id.in_(seen))
    return [(int(i), n, t) for i, n, t in session.execute(stmt)]


def department_scores(session: Session, actor: Actor, month: str) -> list[DepartmentScore]:
    """Each stationed department's score for ``month`` (``2026-10``); see :data:`SCORE_FORMULAS`.

    :func:`score_condition` is the same definition as SQL, for the drill-down, and the tests hold
    the two equal. A department's cases are its led cases open in the month (L), its carded cases
    (C) and those it asked an extension on (R), each once: |L ∪ C ∪ R| = |L| + |C not in L| +
    |R in neither|: L counted per lead mediator in ranges of an index, C and R looked up case by case
    (at a million cases, a UNION sorting ~220,000 led cases with the month's cards cost 0.15–0.4 s
    CPU a month). A head who reads only some centers (a township's) counts the cases they may see
    (:func:`scored_cases`), each part read from those few, not from the county's month."""
    permissions.require_role(actor, permissions.HEAD_ONLY, "查看部门考核")
    start, end = month_bounds(month)
    first = datetime.combine(start, datetime.min.time())
    after = datetime.combine(end + timedelta(days=1), datetime.min.time())
    sqlite_db = session.get_bind().dialect.name == "sqlite"
    # A township's head: only the cases they may see (L and C below start from them, R tests the
    # month's few requests against them), not the county's month.
    seen = scored_cases(session, actor)
    case = aliased(DisputeCase, name="scored_case")
    lead = aliased(Mediator, name="scored_lead")
    # L: per lead mediator (its department is the mediator's current one), in ranges of
    # ix_dispute_case_lead_span: the still open cases accepted before the month's end, those never
    # accepted received before it (two ranges counted whole), then the cases closed from the month's
    # start on, their day tested in the entry (an old month walks every case closed since).
    started = or_(DisputeCase.accepted_at < after,
                  DisputeCase.accepted_at.is_(None) & (DisputeCase.received_at < after))

    def led(*where: ColumnElement[bool]) -> ColumnElement[int]:
        stmt = select(func.count()).select_from(DisputeCase).where(DisputeCase.lead_mediator_id == Mediator.id, *where)
        if sqlite_db:
            stmt = stmt.with_hint(DisputeCase, f"INDEXED BY {LEAD_SPAN_INDEX}", "sqlite")
        return stmt.scalar_subquery()

    led_by_department = (
        select(Mediator.department_id,
               led(DisputeCase.closed_at.is_(None), DisputeCase.accepted_at < after)
               + led(DisputeCase.closed_at.is_(None), DisputeCase.accepted_at.is_(None),
                     DisputeCase.received_at < after)
               + led(DisputeCase.closed_at >= first, started))
        .where(Mediator.department_id.is_not(None)))
    if seen is not None:
        # Their cases looked up by id in ix_dispute_case_mediated, each counted for its lead's
        # department (the lead of a case assigned down may be a county mediator's).
        led_by_department = (
            select(lead.department_id, func.count()).select_from(case)
            .join(lead, lead.id == case.lead_mediator_id)
            .where(case.id.in_(seen), lead.department_id.is_not(None),
                   or_(case.accepted_at < after, case.accepted_at.is_(None) & (case.received_at < after)),
                   case.closed_at.is_(None) | (case.closed_at >= first))
            .group_by(lead.department_id))
        if sqlite_db:
            led_by_department = led_by_department.with_hint(case, f"INDEXED BY {MEDIATED_INDEX}", "sqlite")
    led_counts: dict[int, int] = {}
    for department_id, n in session.execute(led_by_department):
        led_counts[int(department_id or 0)] = led_counts.get(int(department_id or 0), 0) + int(n or 0)

    # Whether a case of a department's pair is one of its led cases open in the month: looked up in
    # ix_dispute_case_mediated (its lead, accepted, received and closed days).
    def is_led(department_id: ColumnElement[int]) -> ColumnElement[int]:
        return sql_case((and_(lead.department_id == department_id,
                              or_(case.accepted_at < after, case.accepted_at.is_(None) & (case.received_at < after)),
                              case.closed_at.is_(None) | (case.closed_at >= first)), 1), else_=0)

    def looked_up(stmt: Select[Any], pairs: Any) -> Select[Any]:
        stmt = stmt.select_from(pairs).outerjoin(case, case.id == pairs.c.case_id).outerjoin(
            lead, lead.id == case.lead_mediator_id)
        return stmt.with_hint(case, f"INDEXED BY {MEDIATED_INDEX}", "sqlite") if sqlite_db else stmt

    # C: each department's carded cases of the month with their colours, from the month's range of
    # ix_stage_card_given, sorted by case so that the look-ups walk ix_dispute_case_mediated in order
    # (the demo's busiest month: 128,000 cards, 67,000 cases; most months a few).
    carded = (select(StageCard.department_id, StageCard.case_id,
                     func.max(sql_case((StageCard.colour == ClockColour.YELLOW, 1), else_=0)).label("yellow"),
                     func.max(sql_case((StageCard.colour == ClockColour.RED, 1), else_=0)).label("red"))
              .where(StageCard.given_on >= start, StageCard.given_on <= end, StageCard.department_id.is_not(None))
              .group_by(StageCard.case_id, StageCard.department_id))
    if seen is not None:  # their cases' cards of the month, by case
        carded = carded.where(StageCard.case_id.in_(seen))
    if sqlite_db:
        carded = carded.with_hint(
            StageCard, f"INDEXED BY {'ix_stage_card_given' if seen is None else 'ix_stage_card_case_given'}", "sqlite")
    cards_of = carded.subquery("carded")
    card_counts = {int(d or 0): (int(n), int(yellow or 0), int(red or 0), int(in_led or 0))
                   for d, n, yellow, red, in_led in session.execute(looked_up(
                       select(cards_of.c.department_id, func.count(), func.sum(cards_of.c.yellow),
                              func.sum(cards_of.c.red), func.sum(is_led(cards_of.c.department_id))), cards_of)
                       .group_by(cards_of.c.department_id))}
    # R: the month's extension requests (a few), each pair tested against L and C.
    asked_in_month = (select(ExtensionRequest.department_id, ExtensionRequest.case_id,
                             func.max(sql_case((ExtensionRequest.status == ExtensionStatus.APPROVED, 1), else_=0))
                             .label("approved"))
                      .where(ExtensionRequest.requested_on >= start, ExtensionRequest.requested_on <= end,
                             ExtensionRequest.department_id.is_not(None))
                      .group_by(ExtensionRequest.department_id, ExtensionRequest.case_id))
    if seen is not None:  # the month's few requests, each tested against their cases
        asked_in_month = asked_in_month.where(ExtensionRequest.case_id.in_(seen))
        if sqlite_db:
            asked_in_month = asked_in_month.with_hint(ExtensionRequest, "INDEXED BY ix_extension_request_requested",
                                                      "sqlite")
    requested = asked_in_month.subquery("requested")
    also_carded = exists().where(StageCard.department_id == requested.c.department_id,
                                 StageCard.case_id == requested.c.case_id,
                                 StageCard.given_on >= start, StageCard.given_on <= end)
    new_case = sql_case((~also_carded, 1 - is_led(requested.c.department_id)), else_=0)
    request_counts = {int(d or 0): (int(n), int(approved or 0), int(extra or 0)) for d, n, approved, extra in
                      session.execute(looked_up(
                          select(requested.c.department_id, func.count(), func.sum(requested.c.approved),
                                 func.sum(new_case)), requested)
                          .group_by(requested.c.department_id))}
    result = []
    for department in session.scalars(select(Department).order_by(Department.id)):
        d = department.id
        carded_n, yellow, red, carded_led = card_counts.get(d, (0, 0, 0, 0))
        asked, approved, requested_new = request_counts.get(d, (0, 0, 0))
        cases = led_counts.get(d, 0) + carded_n - carded_led + requested_new
        # Every case carded red for the department is one of its cases: on time = cases − red.
        counts = (cases, cases - red, yellow, red, asked, approved)
        if not department.active and not any(counts):
            continue
        result.append(DepartmentScore(d, department.name, *counts))
    return result


# --------------------------------------------------------------------------- what the screens show


#: How many days back the desk lists the cards given.
DESK_CARD_DAYS = 30


@dataclass(frozen=True)
class CardsPage:
    """The desk's cards (the last :data:`DESK_CARD_DAYS` days) and the extension requests waiting:
    the newest :data:`DESK_ROWS` of each; ``more_cards``/``more_requests``: more than those exist
    (the 1M demo's head: ~100,000 cards in 30 days), so their count is not the list's length."""

    today: date
    cards: tuple[CardInfo, ...]
    requests: tuple[RequestInfo, ...]
    may_decide: bool
    more_cards: bool = False
    more_requests: bool = False


#: The rows of each of the desk's two lists.
DESK_ROWS = 200


def desk_page(session: Session, actor: Actor, today: date) -> CardsPage:
    # One row more than shown says whether there are more.
    listed = cards(session, actor, since=today - timedelta(days=DESK_CARD_DAYS), limit=DESK_ROWS + 1)
    waiting = requests(session, actor, limit=DESK_ROWS + 1)
    return CardsPage(today, tuple(listed[:DESK_ROWS]), tuple(waiting[:DESK_ROWS]), may_decide(actor),
                     more_cards=len(listed) > DESK_ROWS, more_requests=len(waiting) > DESK_ROWS)


@dataclass(frozen=True)
class LimitsPage:
    rules: tuple[LimitRule, ...]
    departments: tuple[tuple[int, str], ...]
    dispute_types: tuple[tuple[int, str], ...]
    may_edit: bool


def limits_page(session: Session, actor: Actor) -> LimitsPage:
    departments = session.execute(select(Department.id, Department.name).where(Department.active)
                                  .order_by(Department.id)).all()
    types = session.execute(select(DisputeType.id, DisputeType.name).where(DisputeType.active)
                            .order_by(DisputeType.sort_order, DisputeType.id)).all()
    return LimitsPage(tuple(limit_rules(session)), tuple((int(i), n) for i, n in departments),
                      tuple((int(i), n) for i, n in types), actor.role in (Role.ADMIN, Role.HEAD))


@dataclass(frozen=True)
class ScoresPage:
    month: str
    scores: tuple[DepartmentScore, ...]
    #: Counted over the cases the head may see, not every case (a township's head: :func:`scored_cases`).
    narrowed: bool = False


def scores_page(session: Session, actor: Actor, month: str) -> ScoresPage:
    return ScoresPage(month, tuple(department_scores(session, actor, month)),
                      scored_cases(session, actor) is not None)
