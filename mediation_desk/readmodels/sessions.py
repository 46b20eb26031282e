"""Mediation rooms and sessions as the services return them and the notice prints them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


def cn_day(day: date | datetime) -> str:
    """``2026年12月1日`` (no leading zeros, as the documents print dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def span(starts: datetime, ends: datetime) -> str:
    """``2026年12月1日 09:00—11:00``; the end with its day when the span passes midnight."""
    end = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends.month}月{ends.day}日 {ends:%H:%M}"
    return f"{cn_day(starts)} {starts:%H:%M}—{end}"


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str
    capacity: int
    active: bool
    location: str
    version: int
    #: The center whose room it is (migration 0047).
    center_id: int = 0


@dataclass(frozen=True)
class SessionPartyInfo:
    party_id: int
    name: str
    role_label: str
    address: str
    phone: str


@dataclass(frozen=True)
class SessionInfo:
    id: int
    case_id: int
    case_number: str
    case_title: str
    room_id: int
    room_name: str
    room_location: str
    starts_at: datetime
    ends_at: datetime
    mediator_ids: tuple[int, ...]
    mediator_names: tuple[str, ...]
    parties: tuple[SessionPartyInfo, ...]
    #: Invited participants as (name, role).
    invited: tuple[tuple[str, str], ...]
    bring: str
    note: str
    version: int
    #: The session's identity across databases (``mediation_session.uid``, migration 0039).
    uid: str = ""

    def when(self) -> str:
        """"2026年12月7日 09:00—11:00", the end with its day when the session passes midnight."""
        return span(self.starts_at, self.ends_at)

    def participants_text(self) -> str:
        """The invited participants as a record's 参加人 line: "王福(村干部)、赵律师(律师)"."""
        return "、".join(f"{name}（{role}）" if role else name for name, role in self.invited)


@dataclass(frozen=True)
class Clash:
    """An existing session that a new one would double-book."""

    #: "room", "mediator" or "party".
    kind: str
    #: What is double-booked: the room's, the mediator's or the party's name.
    subject: str
    #: None for a session of a case the asking center does not read (another center's): it is not
    #: named — no case number, no room, no other case's names; only that the person is busy.
    session_id: int | None
    case_number: str
    room_name: str
    starts_at: datetime
    ends_at: datetime
