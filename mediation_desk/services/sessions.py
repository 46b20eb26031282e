"""Mediation rooms and sessions (调解室, 调解会): scheduling without double-booking, the calendar,
the notices, a mediator's iCalendar file and the record started from a session.

A session is refused when it would double-book its room, one of its mediators or one of its
parties — the same party record, or a person with the same ID number in another case — and the
refusal names the session it clashes with (case number, room, time). Two sessions clash when
their times overlap: one ending at 10:00 and the next starting at 10:00 do not, and a session
running past midnight clashes with the next morning's.

A session on a rest day by the working-day calendar (``services.calendar``), or one ending after
the case's deadline, is not refused but never silently accepted either: the call raises
``NeedsConfirmation`` with the warnings, and the person repeats it with ``confirmed=True``.

**The case's clock.** A session is part of the mediation stage: it may be scheduled while the
case is accepted, assigned or in mediation (the stages whose clock is people's mediation's one
month, ``services.clocks``), its time is not taken off that clock (the clock never pauses for a
session), and a session that would end after the stage's due day is warned about with the day —
the remedy is an extension (延期), not a later session. Each session scheduled, moved or cancelled
is on the case's timeline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, text
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from .. import changes, settings
from ..changes import Changes
from ..models import (
    CaseEvent,
    CaseState,
    Center,
    CenterSetting,
    ClockStage,
    DisputeCase,
    EventKind,
    MediationRoom,
    MediationSession,
    Mediator,
    Party,
    Role,
    SessionMediator,
    SessionParty,
    TeamMember,
    now,
)
from ..readmodels.center import Issuer
from ..readmodels.sessions import Clash, RoomInfo, SessionInfo, SessionPartyInfo, cn_day, span
from . import audit, center, clocks, permissions
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import Conflict, InvalidInput, NeedsConfirmation, NotFound, PermissionDenied
from .records import MediationRecordInput

#: The states in which a case's sessions are scheduled (the mediation stage's clock runs).
SCHEDULING_STATES = frozenset({CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION})
#: Who sets up the rooms.
ROOM_MANAGERS = frozenset({Role.HEAD, Role.ADMIN})
#: Who schedules: the clerk, the case's mediators, the head.
SCHEDULERS = permissions.CASE_ROLES
#: No session is longer than this (a typo of the day would otherwise book a room for a week).
MAX_HOURS = 12
#: The time zone of every desk of a center (China has one); the iCalendar file says so.
TIME_ZONE = "Asia/Shanghai"
#: What every party brings, before the session's own list.
ALWAYS_BRING = "本人居民身份证或其他有效身份证件（委托他人参加的，受托人须携带授权委托书及本人身份证件）"


# --------------------------------------------------------------------------- rooms


def _room_info(room: MediationRoom) -> RoomInfo:
    return RoomInfo(room.id, room.name, room.capacity, room.active, room.location, room.version, room.center_id)


def list_rooms(session: Session, *, active_only: bool = False, center_id: int | None = None) -> list[RoomInfo]:
    """The rooms of ``center_id`` (None: of every center), in the order they were set up."""
    stmt = select(MediationRoom).order_by(MediationRoom.id)
    if active_only:
        stmt = stmt.where(MediationRoom.active.is_(True))
    if center_id is not None:
        stmt = stmt.where(MediationRoom.center_id == center_id)
    return [_room_info(r) for r in session.scalars(stmt)]


def own_center(session: Session, actor: Actor) -> int:
    """The center whose rooms the actor sets up and sees in the calendar: their own; the
    maintenance actor's, the county center (the database's first center without a parent)."""
    if actor.center_id is not None:
        return actor.center_id
    root = session.scalar(select(func.min(Center.id)).where(Center.parent_id.is_(None)))
    return int(root) if root is not None else 0


def rooms_of(session: Session, actor: Actor, *, active_only: bool = False) -> list[RoomInfo]:
    """The rooms of the actor's own center (the room list under 组织机构 › 调解室)."""
    return list_rooms(session, active_only=active_only, center_id=own_center(session, actor))


@dataclass(frozen=True)
class RoomsPage:
    """The room list of 调解室…: the actor's center and its rooms."""

    center_name: str
    rooms: tuple[RoomInfo, ...]


def rooms_page(session: Session, actor: Actor) -> RoomsPage:
    mine = own_center(session, actor)
    return RoomsPage(center.center_issuer(session, mine).center_name, tuple(list_rooms(session, center_id=mine)))


def save_room(session: Session, actor: Actor, room_id: int | None, *, name: str, capacity: int, active: bool = True,
              location: str = "", expected_version: int | None = None) -> RoomInfo:
    """Add a room to the actor's center (``room_id`` None) or change one of its rooms: the
    center's head or administrator (another center's rooms are that center's to set up)."""
    permissions.require_role(actor, ROOM_MANAGERS, "设置调解室")
    center_id = own_center(session, actor)
    name = name.strip()
    if not name:
        raise InvalidInput("name", "请填写调解室名称。")
    if len(name) > 60:
        raise InvalidInput("name", f"调解室名称最多 60 个字（现有 {len(name)} 个）。")
    if not 1 <= capacity <= 500:
        raise InvalidInput("capacity", "容纳人数应在 1 到 500 之间。")
    if room_id is None:
        room = MediationRoom(name=name, center_id=center_id)
    else:
        found = session.get(MediationRoom, room_id)
        if found is None:
            raise NotFound(f"调解室（编号 {room_id}）不存在。")
        if found.center_id != center_id and not permissions.is_system(actor):
            owner = center.center_issuer(session, found.center_id).center_name
            raise PermissionDenied(f"调解室“{found.name}”属于{owner}，只能由该中心设置。")
        room = found
        center_id = room.center_id
        if expected_version is not None and room.version != expected_version:
            raise Conflict(f"调解室“{room.name}”已被他人修改，请刷新后再改。")
    same = session.scalar(select(MediationRoom.id).where(MediationRoom.name == name,
                                                         MediationRoom.center_id == center_id))
    if same is not None and same != room_id:
        raise InvalidInput("name", f"本中心已有名为“{name}”的调解室。")
    if room_id is None:
        session.add(room)
    room.name, room.capacity, room.active, room.location = name, capacity, active, location.strip()
    session.flush()
    changes.note(session, Changes(organisation=True))
    audit.record(session, actor, "room.save", "room", room.id,
                 {"name": name, "capacity": capacity, "active": active})
    return _room_info(room)


# --------------------------------------------------------------------------- reading sessions


def _info(row: MediationSession, case: DisputeCase, room: MediationRoom,
          mediators: dict[int, str], parties: dict[int, Party]) -> SessionInfo:
    party_rows = [parties[p.party_id] for p in row.parties if p.party_id in parties]
    party_rows.sort(key=lambda p: (p.seq, p.id))
    return SessionInfo(
        id=row.id, case_id=case.id, case_number=case.number, case_title=case.title, room_id=room.id,
        room_name=room.name, room_location=room.location, starts_at=row.starts_at, ends_at=row.ends_at,
        mediator_ids=tuple(m.mediator_id for m in row.mediators),
        mediator_names=tuple(mediators.get(m.mediator_id, "") for m in row.mediators),
        parties=tuple(SessionPartyInfo(p.id, p.name, p.role.label, p.address, p.phone) for p in party_rows),
        invited=tuple((str(n), str(r)) for n, r in (row.invited or [])),
        bring=row.bring, note=row.note, version=row.version, uid=row.uid or "",
    )


def _infos(session: Session, rows: Sequence[MediationSession]) -> list[SessionInfo]:
    if not rows:
        return []
    case_ids = {r.case_id for r in rows}
    cases = {c.id: c for c in session.scalars(select(DisputeCase).where(DisputeCase.id.in_(sorted(case_ids))))}
    room_ids = sorted({r.room_id for r in rows})
    rooms = {r.id: r for r in session.scalars(select(MediationRoom).where(MediationRoom.id.in_(room_ids)))}
    mediator_ids = {m.mediator_id for r in rows for m in r.mediators}
    named = select(Mediator.id, Mediator.name).where(Mediator.id.in_(sorted(mediator_ids)))
    mediators: dict[int, str] = {i: n for i, n in session.execute(named)}
    party_ids = {p.party_id for r in rows for p in r.parties}
    parties = ({p.id: p for p in session.scalars(select(Party).where(Party.id.in_(sorted(party_ids))))}
               if party_ids else {})
    return [_info(r, cases[r.case_id], rooms[r.room_id], mediators, parties) for r in rows if r.case_id in cases]


def _loaded() -> tuple[ExecutableOption, ...]:
    return (selectinload(MediationSession.mediators), selectinload(MediationSession.parties))


def session_info(session: Session, actor: Actor, session_id: int) -> SessionInfo:
    row = session.scalar(select(MediationSession).where(MediationSession.id == session_id).options(*_loaded()))
    if row is None:
        raise NotFound(f"调解会（编号 {session_id}）不存在。")
    permissions.check_case_id(session, actor, row.case_id, "查看该案件的调解会")
    return _infos(session, [row])[0]


def sessions_of_case(session: Session, actor: Actor, case_id: int) -> list[SessionInfo]:
    permissions.check_case_id(session, actor, case_id, "查看该案件的调解会")
    rows = session.scalars(select(MediationSession).where(MediationSession.case_id == case_id)
                           .order_by(MediationSession.starts_at, MediationSession.id).options(*_loaded())).all()
    return _infos(session, rows)


def sessions_between(session: Session, actor: Actor, start: datetime, end: datetime, *,
                     mediator_id: int | None = None) -> list[SessionInfo]:
    """The sessions overlapping [start, end) of the cases this actor may see, by start time
    (the desk's today and tomorrow, the calendar's week or day; one mediator's when given)."""
    permissions.require_role(actor, permissions.CASE_ROLES, "查看调解会安排")
    stmt = (select(MediationSession).join(DisputeCase, DisputeCase.id == MediationSession.case_id)
            .where(MediationSession.starts_at < end, MediationSession.ends_at > start,
                   permissions.visible_cases(actor))
            .order_by(MediationSession.starts_at, MediationSession.room_id, MediationSession.id)
            .options(*_loaded()))
    if mediator_id is not None:
        stmt = stmt.where(MediationSession.id.in_(
            select(SessionMediator.session_id).where(SessionMediator.mediator_id == mediator_id)))
    return _infos(session, session.scalars(stmt).all())


# --------------------------------------------------------------------------- scheduling


@dataclass
class SessionInput:
    room_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    mediator_ids: list[int] = field(default_factory=list)
    party_ids: list[int] = field(default_factory=list)
    #: Invited participants as (name, role).
    invited: list[tuple[str, str]] = field(default_factory=list)
    bring: str = ""
    note: str = ""


def _clash_lines(clashes: list[Clash]) -> list[str]:
    """One line per session clashed with, naming everything of this one it already holds; the
    sessions of another center's cases together in one line that names only our own people and
    room as busy at the time asked (no case number, no room, no names of another center's case)."""
    by_session: dict[int, list[Clash]] = {}
    foreign = [c for c in clashes if c.session_id is None]
    for clash in clashes:
        if clash.session_id is not None:
            by_session.setdefault(clash.session_id, []).append(clash)
    lines = []
    if foreign:
        what = []
        for kind, label in (("room", "调解室"), ("mediator", "调解员"), ("party", "当事人")):
            names = list(dict.fromkeys(c.subject for c in foreign if c.kind == kind and c.subject))
            if names:
                what.append(f"{label}{'、'.join(names)}" if kind != "room" else f"调解室“{names[0]}”")
        lines.append(f"{'，'.join(what) or '参加人员'}在该时段（{span(foreign[0].starts_at, foreign[0].ends_at)}）"
                     "已有其他安排，请另选时间。")
    for found in by_session.values():
        first = found[0]
        what = []
        for kind, label in (("room", "调解室"), ("mediator", "调解员"), ("party", "当事人")):
            names = list(dict.fromkeys(c.subject for c in found if c.kind == kind))
            if names:
                what.append(f"{label}{'、'.join(names)}" if kind != "room" else f"调解室“{names[0]}”")
        lines.append(f"{'，'.join(what)}在该时段已有安排：案件 {first.case_number} 的调解会，"
                     f"{first.room_name}，{span(first.starts_at, first.ends_at)}。")
    return lines


class DoubleBooked(InvalidInput):
    """The session would double-book a room, a mediator or a party; ``clashes`` names the
    sessions it collides with, and ``field`` the input that collides first."""

    def __init__(self, clashes: list[Clash]) -> None:
        fields = {"room": "room_id", "mediator": "mediator_ids", "party": "party_ids"}
        super().__init__(fields[clashes[0].kind], "\n".join(["时间冲突，未保存。", *_clash_lines(clashes)]))
        self.clashes = clashes


def _validate(session: Session, case: DisputeCase, data: SessionInput) -> tuple[MediationRoom, datetime, datetime]:
    if data.room_id is None:
        raise InvalidInput("room_id", "请选择调解室。")
    room = session.get(MediationRoom, data.room_id)
    if room is None:
        raise InvalidInput("room_id", f"调解室（编号 {data.room_id}）不存在。")
    if data.starts_at is None:
        raise InvalidInput("starts_at", "请填写开始时间。")
    if data.ends_at is None:
        raise InvalidInput("ends_at", "请填写结束时间。")
    starts, ends = data.starts_at.replace(second=0, microsecond=0), data.ends_at.replace(second=0, microsecond=0)
    if ends <= starts:
        same_day = ends.date() == starts.date()
        end_text = f"{ends:%H:%M}" if same_day else f"{cn_day(ends)} {ends:%H:%M}"
        start_text = f"{starts:%H:%M}" if same_day else f"{cn_day(starts)} {starts:%H:%M}"
        raise InvalidInput("ends_at", f"结束时间（{end_text}）应晚于开始时间（{start_text}）。")
    if ends - starts > timedelta(hours=MAX_HOURS):
        raise InvalidInput("ends_at", f"一次调解会最长 {MAX_HOURS} 小时，请核对结束时间。")
    if not data.mediator_ids:
        raise InvalidInput("mediator_ids", "请至少选择一名调解员。")
    if not data.party_ids:
        raise InvalidInput("party_ids", "请至少选择一名参加的当事人。")
    case_parties = set(session.scalars(select(Party.id).where(Party.case_id == case.id)))
    strangers = [p for p in data.party_ids if p not in case_parties]
    if strangers:
        raise InvalidInput("party_ids", f"当事人（编号 {strangers[0]}）不是案件 {case.number} 的当事人。")
    known = set(session.scalars(select(Mediator.id).where(Mediator.id.in_(sorted(set(data.mediator_ids))))))
    missing = [m for m in data.mediator_ids if m not in known]
    if missing:
        raise InvalidInput("mediator_ids", f"调解员（编号 {missing[0]}）不存在。")
    for index, (name, role) in enumerate(data.invited, start=1):
        if not name.strip():
            raise InvalidInput("invited", f"第 {index} 位受邀参加人未填姓名。")
        if len(name.strip()) > 60 or len(role.strip()) > 40:
            raise InvalidInput("invited",
                               f"第 {index} 位受邀参加人的姓名或身份过长（姓名最多 60 字，身份最多 40 字）。")
    if len(data.bring) > 1000:
        raise InvalidInput("bring", "“需携带的材料”最多 1000 字。")
    return room, starts, ends


def find_clashes(session: Session, *, room_id: int, starts_at: datetime, ends_at: datetime,
                 mediator_ids: Iterable[int], party_ids: Iterable[int], exclude: int | None = None,
                 actor: Actor | None = None) -> list[Clash]:
    """Every session overlapping [starts_at, ends_at) that shares the room, a mediator, a party
    record or a party's ID number. On a server through ``md_session_clashes`` (migrations 0024,
    0037), which sees the sessions of every case whoever asks (a mediator's own rows are only their
    teams'), and answers only what a refusal names. A session of a case the asking center does not
    read (``actor``'s; on a server, the connected account's) comes back without its session id,
    case number and room, at the asked time, and a party clash names the asking case's party."""
    mediators = sorted(set(mediator_ids))
    parties = sorted(set(party_ids))
    id_numbers = sorted({n for n in session.scalars(select(Party.id_number).where(Party.id.in_(parties))) if n})
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT kind, subject, session_id, case_number, room_name, starts_at, ends_at "
                 "FROM md_session_clashes(:room, :starts, :ends, CAST(:mediators AS integer[]), "
                 "CAST(:parties AS integer[]), CAST(:numbers AS text[]), :exclude)"),
            {"room": room_id, "starts": starts_at, "ends": ends_at, "mediators": mediators, "parties": parties,
             "numbers": id_numbers, "exclude": exclude}).all()
        found = [Clash(str(k), str(s or ""), int(i) if i is not None else None, str(n), str(r), a, b)
                 for k, s, i, n, r, a, b in rows]
    else:
        overlap = and_(MediationSession.starts_at < ends_at, MediationSession.ends_at > starts_at,
                       MediationSession.id != (exclude if exclude is not None else -1))
        base = (select(MediationSession.id, DisputeCase.number, MediationRoom.name, MediationSession.starts_at,
                       MediationSession.ends_at)
                .join(DisputeCase, DisputeCase.id == MediationSession.case_id)
                .join(MediationRoom, MediationRoom.id == MediationSession.room_id))
        found = []
        for i, n, r, a, b in session.execute(base.where(overlap, MediationSession.room_id == room_id)):
            found.append(Clash("room", r, i, n, r, a, b))
        stmt = (base.add_columns(Mediator.name).join(SessionMediator, SessionMediator.session_id == MediationSession.id)
                .join(Mediator, Mediator.id == SessionMediator.mediator_id)
                .where(overlap, SessionMediator.mediator_id.in_(mediators)))
        for i, n, r, a, b, who in session.execute(stmt):
            found.append(Clash("mediator", who, i, n, r, a, b))
        same_person: ColumnElement[bool] = SessionParty.party_id.in_(parties)
        if id_numbers:
            same_person = or_(same_person, and_(Party.id_number != "", Party.id_number.in_(id_numbers)))
        stmt = (base.add_columns(Party.name).join(SessionParty, SessionParty.session_id == MediationSession.id)
                .join(Party, Party.id == SessionParty.party_id).where(overlap, same_person))
        for i, n, r, a, b, who in session.execute(stmt):
            found.append(Clash("party", who, i, n, r, a, b))
    found = _masked(session, actor, found, parties, starts_at, ends_at)
    order = {"room": 0, "mediator": 1, "party": 2}
    return sorted(found, key=lambda c: (order[c.kind], c.starts_at, c.session_id or 0, c.subject))


def _masked(session: Session, actor: Actor | None, found: list[Clash], parties: list[int], starts_at: datetime,
            ends_at: datetime) -> list[Clash]:
    """The clashes with the sessions of cases the actor's center does not read masked as the server's
    ``md_session_clashes`` masks them for a connection of a center (SQLite; the owner's connection
    of a server, which the server does not mask): no session id, case number or room, the asked
    time, and for a party the asking case's own party of that record or ID number."""
    ours = _reads_cases(session, actor)
    shown = sorted({c.session_id for c in found if c.session_id is not None})
    if not shown or actor is None or permissions.is_system(actor) or actor.center_id is None:
        return found
    cases_of = {int(sid): (int(cid), int(center_id), handling) for sid, cid, center_id, handling in session.execute(
        select(MediationSession.id, DisputeCase.id, DisputeCase.center_id, DisputeCase.handling_center_id)
        .join(DisputeCase, DisputeCase.id == MediationSession.case_id).where(MediationSession.id.in_(shown)))}
    foreign = {sid for sid, where in cases_of.items() if not ours(*where)}
    if not foreign:
        return found
    own = session.execute(select(Party.id, Party.name, Party.id_number).where(Party.id.in_(parties))
                          .order_by(Party.id)).all()
    theirs: dict[int, list[tuple[int, str]]] = {}
    for sid, pid, number in session.execute(
            select(SessionParty.session_id, Party.id, Party.id_number).join(Party, Party.id == SessionParty.party_id)
            .where(SessionParty.session_id.in_(sorted(foreign)))):
        theirs.setdefault(int(sid), []).append((int(pid), str(number or "")))
    masked = []
    for clash in found:
        if clash.session_id not in foreign:
            masked.append(clash)
            continue
        who = clash.subject
        if clash.kind == "party":
            who = next((name for pid, name, number in own for other, other_number in theirs.get(clash.session_id, [])
                        if pid == other or (number and number == other_number)), "")
        masked.append(Clash(clash.kind, who, None, "", "", starts_at, ends_at))
    return list(dict.fromkeys(masked))


def _reads_cases(session: Session, actor: Actor | None) -> Callable[[int, int, int | None], bool]:
    """Whether a case (id, center, handling center) is one the actor's center reads — of its
    centers, handled by one, or crossed it (what ``md_session_clashes`` asks on a server)."""
    if actor is None or permissions.is_system(actor) or actor.center_id is None:
        return lambda _case, _center, _handling: True
    readable = actor.center_ids or frozenset({actor.center_id})

    def reads(case_id: int, center_id: int, handling: int | None) -> bool:
        return (center_id in readable or (handling is not None and handling in readable)
                or permissions.crossed(session, actor, case_id))
    return reads


def warnings_for(session: Session, case: DisputeCase, starts: datetime, ends: datetime) -> list[str]:
    """What deserves a second look: a rest day by the working-day calendar, a session ending
    after the mediation stage's due day."""
    warnings = []
    calendar = WorkingCalendar.load(session)
    day = starts.date()
    last = (ends - timedelta(microseconds=1)).date()
    rest = []
    while day <= last:
        if not calendar.is_workday(day):
            rest.append(day)
        day += timedelta(days=1)
    for rest_day in rest:
        why = "法定节假日" if rest_day.weekday() < 5 else "休息日"
        warnings.append(f"{cn_day(rest_day)}是{why}（按工作日历），中心通常不安排调解会。")
    for year in sorted({starts.year, ends.year}):
        if not calendar.coverage(year).covered:
            warnings.append(f"工作日历尚未录入 {year} 年的节假日安排，无法核对该日是否为工作日。")
    clock = clocks.compute_clock(session, case, calendar)
    if clock is not None and clock.stage is ClockStage.MEDIATION and ends.date() > clock.due_on:
        warnings.append(f"案件 {case.number} 的调解期限为 {cn_day(clock.due_on)}，"
                        f"调解会在期限之后结束，将计入超期；如需延后，请先申请延期。")
    return warnings


def _case_for_scheduling(session: Session, actor: Actor, case_id: int) -> DisputeCase:
    case = permissions.case_for(session, actor, case_id, "安排调解会", SCHEDULERS, write=True)
    if case.state not in SCHEDULING_STATES:
        raise InvalidInput("case", f"案件 {case.number} 当前为“{case.state.label}”，只有已受理、已分派或调解中的"
                                   "案件才能安排调解会。")
    return case


def _serialise(session: Session) -> None:
    """Two desks scheduling at once must not both pass the clash check (a server; SQLite has one writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7240024)"))


def _write(session: Session, actor: Actor, case: DisputeCase, row: MediationSession | None, data: SessionInput,
           confirmed: bool) -> MediationSession:
    room, starts, ends = _validate(session, case, data)
    _serialise(session)
    if row is None and not room.active:
        raise InvalidInput("room_id", f"调解室“{room.name}”已停用，请选择其他调解室。")
    handler = permissions.handling_center(case)
    if room.center_id != handler and (row is None or row.room_id != room.id):
        # A case's sessions are held in the rooms of the center handling it (a session already
        # booked keeps its room when only its time or people change).
        raise InvalidInput("room_id", f"调解室“{room.name}”不是承办本案的"
                                      f"{center.center_issuer(session, handler).center_name}的调解室，"
                                      "请选择本中心的调解室。")
    # … and mediated by its people: a mediator added to the session is one of the handler's.
    kept = {m.mediator_id for m in row.mediators} if row is not None else set()
    added = sorted(set(data.mediator_ids) - kept)
    strangers = session.execute(select(Mediator.name).where(Mediator.id.in_(added), Mediator.center_id != handler)
                                .order_by(Mediator.name)).scalars().all() if added else []
    if strangers:
        raise InvalidInput("mediator_ids", f"调解员{'、'.join(strangers)}不是承办本案的"
                                           f"{center.center_issuer(session, handler).center_name}的调解员。")
    clashes = find_clashes(session, room_id=room.id, starts_at=starts, ends_at=ends, mediator_ids=data.mediator_ids,
                           party_ids=data.party_ids, exclude=row.id if row is not None else None, actor=actor)
    if clashes:
        raise DoubleBooked(clashes)
    people = len(set(data.mediator_ids)) + len(set(data.party_ids)) + len(data.invited)
    warnings = warnings_for(session, case, starts, ends)
    if people > room.capacity:
        warnings.append(f"参加人员共 {people} 人，超过调解室“{room.name}”的容纳人数（{room.capacity} 人）。")
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    if row is None:
        row = MediationSession(case_id=case.id, created_by_id=actor.user_id)
        session.add(row)
    row.room_id, row.starts_at, row.ends_at = room.id, starts, ends
    row.bring, row.note = data.bring.strip(), data.note.strip()
    row.invited = [[n.strip(), r.strip()] for n, r in data.invited]
    row.mediators = [SessionMediator(case_id=case.id, mediator_id=m) for m in dict.fromkeys(data.mediator_ids)]
    row.parties = [SessionParty(case_id=case.id, party_id=p) for p in dict.fromkeys(data.party_ids)]
    return row


def _timeline(session: Session, actor: Actor, case_id: int, action: str, note: str) -> None:
    session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE, action=action,
                          note=note))


def schedule(session: Session, actor: Actor, case_id: int, data: SessionInput, *,
             confirmed: bool = False) -> SessionInfo:
    """Schedule a session of a case. ``DoubleBooked`` names the clashing sessions;
    ``NeedsConfirmation`` lists the warnings unless ``confirmed``."""
    case = _case_for_scheduling(session, actor, case_id)
    row = _write(session, actor, case, None, data, confirmed)
    session.flush()
    info = _infos(session, [row])[0]
    _timeline(session, actor, case.id, "session.scheduled",
              f"安排调解会：{info.when()}，{info.room_name}，调解员{'、'.join(info.mediator_names)}")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "session.schedule", "case", case.id,
                 {"session": row.id, "room": info.room_name, "starts": info.starts_at.isoformat(),
                  "ends": info.ends_at.isoformat(), "confirmed": confirmed})
    return info


def update(session: Session, actor: Actor, session_id: int, data: SessionInput, *, expected_version: int,
           confirmed: bool = False) -> SessionInfo:
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFound(f"调解会（编号 {session_id}）不存在。")
    case = _case_for_scheduling(session, actor, row.case_id)
    if row.version != expected_version:
        raise Conflict("这次调解会的安排已被他人修改，本次修改未保存。请刷新后再改。")
    _write(session, actor, case, row, data, confirmed)
    session.flush()
    info = _infos(session, [row])[0]
    _timeline(session, actor, case.id, "session.changed", f"调解会改为：{info.when()}，{info.room_name}")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "session.update", "case", case.id,
                 {"session": row.id, "room": info.room_name, "starts": info.starts_at.isoformat(),
                  "ends": info.ends_at.isoformat(), "confirmed": confirmed})
    return info


def cancel(session: Session, actor: Actor, session_id: int, *, reason: str) -> None:
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFound(f"调解会（编号 {session_id}）不存在。")
    case = _case_for_scheduling(session, actor, row.case_id)
    if not reason.strip():
        raise InvalidInput("reason", "请填写取消调解会的原因。")
    info = _infos(session, [row])[0]
    session.execute(delete(MediationSession).where(MediationSession.id == row.id))
    session.expunge(row)
    _timeline(session, actor, case.id, "session.cancelled",
              f"取消调解会（{info.when()}，{info.room_name}）：{reason.strip()}")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "session.cancel", "case", case.id, {"session": session_id, "reason": reason.strip()})


# --------------------------------------------------------------------------- after the session


def record_draft(session: Session, actor: Actor, session_id: int) -> MediationRecordInput:
    """The 调解记录 of a session, started: its time, place, mediators, the parties summoned and
    the invited participants filled; what was said is for the mediator to write."""
    info = session_info(session, actor, session_id)
    permissions.check_case_id(session, actor, info.case_id, "填写调解记录", permissions.CASEWORK_ROLES)
    address = center.issuer(session, info.case_id).address  # the working center's, as its notice prints
    place = "".join(part for part in (address, info.room_location, info.room_name) if part)
    return MediationRecordInput(
        held_at=info.starts_at, place=place, subject=info.case_title, mediators="、".join(info.mediator_names),
        recorder=actor.display_name, participants=info.participants_text(),
        parties_present="、".join(p.name for p in info.parties), notice_given=True, statements="", verification="",
        outcome="", agreement_reached=False)


# --------------------------------------------------------------------------- iCalendar


#: The ``center_setting`` row migration 0047 wrote: the database's last session id before it. Those
#: sessions keep the event UID they were exported with (:func:`uid_of`); later ones take their
#: ``uid`` (:func:`event_uid`).
LEGACY_UIDS_KEY = "ics_legacy_uids_until"


def uid_of(session_id: int, center_name: str) -> str:
    """A session's UID as it was built before migration 0047, from the session's id in this
    database and the database's center name (the ``center_name`` setting, whichever center handles
    the session): stable for its life, so a calendar that imports the file again updates the event
    instead of adding a second one. The sessions of that time keep it."""
    digest = hashlib.sha256(center_name.encode()).hexdigest()[:12]
    return f"mediation-session-{session_id}@{digest}.mediation-desk"


def event_uid(info: SessionInfo, *, database_name: str, legacy_until: int) -> str:
    """The UID of a session's event: a session of before migration 0047 keeps :func:`uid_of`'s
    (the events already exported stay the same events); a later one is named by its ``uid``, a
    random UUID made once for it, unique whatever center or database it is in (the same session
    carried to another center by a packet keeps it, and is the same event)."""
    if info.id <= legacy_until or not info.uid:
        return uid_of(info.id, database_name)
    return f"mediation-session-{info.uid}@mediation-desk"


def legacy_uids_until(session: Session) -> int:
    value = session.scalar(select(CenterSetting.value).where(CenterSetting.key == LEGACY_UIDS_KEY))
    try:
        return int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0


def to_ics(sessions: Sequence[SessionInfo], *, center_name: str, address: str = "", calendar_name: str = "",
           stamp: datetime | None = None, issuers: Mapping[int, Issuer] | None = None,
           legacy_until: int = 0) -> bytes:
    """The sessions as an iCalendar file: one VEVENT each, in Asia/Shanghai time. ``center_name``
    is the database's (the UIDs of :func:`event_uid`); each event's place names the center handling
    its case (``issuers`` by case id; without one, ``center_name`` and ``address``)."""
    from icalendar import Calendar, Event  # the library is needed only when a file is written

    zone = ZoneInfo(TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Mediation Desk//矛调工作台//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if calendar_name:
        calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", TIME_ZONE)
    # DTSTAMP is in UTC (RFC 5545 §3.8.7.2); the events' times are the center's, with their zone.
    moment = (stamp or now()).replace(tzinfo=zone).astimezone(UTC)
    for info in sessions:
        issuer = (issuers or {}).get(info.case_id)
        where_name, where_address = (issuer.center_name, issuer.address) if issuer else (center_name, address)
        event = Event()
        event.add("uid", event_uid(info, database_name=center_name, legacy_until=legacy_until))
        event.add("dtstamp", moment)
        event.add("dtstart", info.starts_at.replace(tzinfo=zone))
        event.add("dtend", info.ends_at.replace(tzinfo=zone))
        event.add("summary", f"调解会：{info.case_title}（{info.case_number}）")
        event.add("location", "".join(p for p in (where_name, where_address, info.room_location, info.room_name) if p))
        lines = [f"案号：{info.case_number}", f"承办中心：{where_name}", f"调解员：{'、'.join(info.mediator_names)}",
                 f"当事人：{'、'.join(p.name for p in info.parties)}"]
        if info.invited:
            lines.append(f"受邀参加人：{info.participants_text()}")
        if info.note:
            lines.append(f"备注：{info.note}")
        event.add("description", "\n".join(lines))
        # A moved session is a newer version of the same event.
        event.add("sequence", info.version)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def mediator_ics(session: Session, actor: Actor, mediator_id: int, *, start: date, end: date,
                 stamp: datetime | None = None) -> bytes:
    """A mediator's sessions from ``start`` up to ``end`` (inclusive) as an iCalendar file: the
    mediator themselves, or the head (a mediator exports only their own). The calendar is named
    after the mediator's center; each event's place after the center handling its case."""
    mediator = session.get(Mediator, mediator_id)
    if mediator is None:
        raise NotFound(f"调解员（编号 {mediator_id}）不存在。")
    if actor.role is Role.MEDIATOR and actor.mediator_id != mediator_id:
        raise PermissionDenied("调解员只能导出本人的调解会日程。")
    if end < start:
        raise InvalidInput("end", f"结束日期（{end:%Y-%m-%d}）早于开始日期（{start:%Y-%m-%d}）。")
    rows = sessions_between(session, actor, datetime(start.year, start.month, start.day),
                            datetime(end.year, end.month, end.day) + timedelta(days=1), mediator_id=mediator_id)
    database = center.read(session, settings.CENTER_NAME, settings.CENTER_ADDRESS)
    own = center.center_issuer(session, mediator.center_id)
    issuers = {case_id: center.issuer(session, case_id) for case_id in sorted({r.case_id for r in rows})}
    data = to_ics(rows, center_name=database.get(settings.CENTER_NAME), address=database.get(settings.CENTER_ADDRESS),
                  calendar_name=f"{own.center_name}·{mediator.name}的调解会", stamp=stamp, issuers=issuers,
                  legacy_until=legacy_uids_until(session))
    audit.record(session, actor, "session.export_ics", "mediator", mediator_id,
                 {"sessions": len(rows), "first_day": start.isoformat(), "last_day": end.isoformat()})
    return data


def mediator_named(session: Session, name: str) -> int:
    """A mediator's id by name or id (the command line's ``--mediator``)."""
    name = name.strip()
    if name.isdigit():
        found = session.get(Mediator, int(name))
        if found is not None:
            return found.id
    ids = session.scalars(select(Mediator.id).where(Mediator.name == name)).all()
    if not ids:
        raise InvalidInput("mediator", f"没有名为“{name}”的调解员。")
    if len(ids) > 1:
        raise InvalidInput("mediator", f"有 {len(ids)} 名调解员都叫“{name}”，请改用编号：{'、'.join(map(str, ids))}。")
    return ids[0]


def count_sessions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(MediationSession)) or 0)


# --------------------------------------------------------------------------- what the screens show


@dataclass(frozen=True)
class Choice:
    id: int
    text: str


@dataclass(frozen=True)
class CaseSessionsPage:
    """A case's sessions tab: its sessions, and what the scheduling dialog offers."""

    case_id: int
    case_number: str
    sessions: tuple[SessionInfo, ...]
    rooms: tuple[RoomInfo, ...]
    #: The handling center's active mediators, the case's own team first.
    mediators: tuple[Choice, ...]
    #: The case's parties ("张三（申请人）").
    parties: tuple[Choice, ...]
    #: The case's lead mediator (ticked first in a new session), if any.
    lead_mediator_id: int | None
    may_schedule: bool
    #: Why not, when not ("案件已结案" …).
    read_only_reason: str
    may_write_records: bool


def case_sessions_page(session: Session, actor: Actor, case_id: int) -> CaseSessionsPage:
    case = permissions.case_for(session, actor, case_id, "查看该案件的调解会")
    rows = sessions_of_case(session, actor, case_id)
    team_members: set[int] = set()
    if case.team_id is not None:
        team_members = set(session.scalars(select(TeamMember.mediator_id).where(
            TeamMember.team_id == case.team_id, TeamMember.left_on.is_(None))))
    # The handling center's own mediators (a township's case is mediated by the township's people).
    handler = permissions.handling_center(case)
    mediators = session.execute(select(Mediator.id, Mediator.name).where(
        Mediator.active.is_(True), Mediator.center_id == handler)).all()
    ordered = sorted(mediators, key=lambda m: (m[0] not in team_members, m[1], m[0]))
    parties = session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq, Party.id)).all()
    may = permissions.has_role(actor, SCHEDULERS) and case.state in SCHEDULING_STATES
    reason = "" if may else (f"案件当前为“{case.state.label}”，不能安排调解会。"
                             if permissions.has_role(actor, SCHEDULERS) else "您的角色不能安排调解会。")
    return CaseSessionsPage(
        case_id=case.id, case_number=case.number, sessions=tuple(rows),
        rooms=tuple(list_rooms(session, active_only=True, center_id=permissions.handling_center(case))),
        mediators=tuple(Choice(i, f"{n}（本案团队）" if i in team_members else n) for i, n in ordered),
        parties=tuple(Choice(p.id, f"{p.name}（{p.role.label}）") for p in parties),
        lead_mediator_id=case.lead_mediator_id, may_schedule=may, read_only_reason=reason,
        may_write_records=permissions.has_role(actor, permissions.CASEWORK_ROLES))


@dataclass(frozen=True)
class CalendarPage:
    """The sessions of [start, start + days) in every room (inactive rooms only where they hold one)."""

    start: date
    days: int
    rooms: tuple[RoomInfo, ...]
    sessions: tuple[SessionInfo, ...]
    #: The days of the range that are not working days by the working-day calendar.
    rest_days: frozenset[date] = frozenset()


def calendar_page(session: Session, actor: Actor, start: date, days: int) -> CalendarPage:
    if not 1 <= days <= 31:
        raise InvalidInput("days", "日历一次最多显示 31 天。")
    begin = datetime(start.year, start.month, start.day)
    rows = sessions_between(session, actor, begin, begin + timedelta(days=days))
    used = {s.room_id for s in rows}
    # The actor's own center's rooms, and any other room holding a session shown (a county head's
    # calendar shows the townships' sessions in the townships' rooms).
    # (Asked by center and by id: on a server a room of another center is read only through a
    # session the person reads, a check best left to the few rooms that hold one.)
    own = [r for r in list_rooms(session, center_id=own_center(session, actor)) if r.active or r.id in used]
    others = sorted(used - {r.id for r in own})
    held = [_room_info(r) for r in session.scalars(select(MediationRoom).where(MediationRoom.id.in_(others))
                                                     .order_by(MediationRoom.id))] if others else []
    rooms = (*own, *held)
    calendar = WorkingCalendar.load(session)
    rest = frozenset(d for d in (start + timedelta(days=i) for i in range(days)) if not calendar.is_workday(d))
    return CalendarPage(start, days, rooms, tuple(rows), rest)


def ics_mediators(session: Session, actor: Actor) -> list[Choice]:
    """Whose sessions this person may export: a mediator their own, the others every active mediator
    of the centers they read (a township's clerk its own; the county head's, those below too)."""
    permissions.require_role(actor, permissions.CASE_ROLES, "导出调解会日程")
    stmt = select(Mediator.id, Mediator.name).where(Mediator.active.is_(True)).order_by(Mediator.name, Mediator.id)
    if actor.center_id is not None and not permissions.is_system(actor):
        stmt = stmt.where(Mediator.center_id.in_(sorted(actor.center_ids or {actor.center_id})))
    if actor.role is Role.MEDIATOR:
        stmt = stmt.where(Mediator.id == (actor.mediator_id if actor.mediator_id is not None else -1))
    return [Choice(i, n) for i, n in session.execute(stmt)]
