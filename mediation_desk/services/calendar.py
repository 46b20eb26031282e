"""Working days by the official Chinese calendar, with its make-up working days (调休).

``chinese-calendar`` knows the State Council schedules it was released with (2004–2026 in
1.11.0) and raises for later years. The center's ``holiday`` table holds what it does not know
yet: an administrator enters next year's schedule as soon as the State Council publishes it,
and an entry there always wins. A year that neither source covers falls back to Monday–Friday,
and ``coverage`` says so, so the app can warn instead of silently counting wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from chinese_calendar import constants as _calendar_data
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import Holiday, Role
from . import audit
from .actor import Actor
from .errors import InvalidInput, PermissionDenied

LIBRARY_YEARS = range(
    min(d.year for d in _calendar_data.holidays), max(d.year for d in _calendar_data.holidays) + 1
)
#: No deadline of this app reaches further than this many days; a loop beyond it is a bug.
MAX_SPAN_DAYS = 3 * 366


@dataclass(frozen=True)
class YearCoverage:
    year: int
    source: str  # "library", "table" or "none"

    @property
    def covered(self) -> bool:
        return self.source != "none"


class WorkingCalendar:
    """Answers "is this a working day" from the table's entries first, then the library."""

    def __init__(self, entries: Iterable[tuple[date, bool]] = ()) -> None:
        self._entries = dict(entries)
        self._table_years = {d.year for d in self._entries}
        # Answers never change for one loaded calendar; imports ask about the same days a lot.
        self._known: dict[date, bool] = {}

    @classmethod
    def load(cls, session: Session) -> WorkingCalendar:
        return cls((day, workday) for day, workday in session.execute(select(Holiday.day, Holiday.is_workday)))

    def coverage(self, year: int) -> YearCoverage:
        if year in self._table_years:
            return YearCoverage(year, "table")
        if year in LIBRARY_YEARS:
            return YearCoverage(year, "library")
        return YearCoverage(year, "none")

    def is_workday(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: date) -> bool:
        entry = self._entries.get(day)
        if entry is not None:
            return entry
        if day.year in LIBRARY_YEARS:
            # chinese_calendar.is_workday's own rule, without its check of the year (which walks
            # every holiday it knows at each call: a year's deadlines asked it 2,000 times).
            return day in _calendar_data.workdays or (day.weekday() < 5 and day not in _calendar_data.holidays)
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The day ``days`` working days after ``start`` (before it when negative); 0 gives ``start``."""
        if abs(days) > MAX_SPAN_DAYS:
            raise InvalidInput("days", f"工作日数 {days} 超出范围（最多 {MAX_SPAN_DAYS} 天）。")
        step = timedelta(days=1 if days >= 0 else -1)
        remaining = abs(days)
        current = start
        while remaining:
            current += step
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        if abs((end - start).days) > MAX_SPAN_DAYS * 2:
            raise InvalidInput("end", "两个日期相隔过远。")
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def add_working_days(session: Session, start: date, days: int) -> date:
    return WorkingCalendar.load(session).add_working_days(start, days)


def working_days_between(session: Session, start: date, end: date) -> int:
    return WorkingCalendar.load(session).working_days_between(start, end)


def uncovered_years(session: Session, today: date) -> list[int]:
    """The current and next year when the calendar does not know them (the app warns)."""
    calendar = WorkingCalendar.load(session)
    return [y for y in (today.year, today.year + 1) if not calendar.coverage(y).covered]


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    is_workday: bool
    name: str
    #: From the built-in ``chinese-calendar`` schedule (not entered by the center).
    built_in: bool = False


#: The Chinese names of the library's holidays (it names them in English).
BUILT_IN_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def built_in_entries(year: int) -> list[HolidayEntry]:
    """The built-in schedule of ``year``: its days off and make-up working days (调休上班), in date
    order; empty for a year the library does not know."""
    if year not in LIBRARY_YEARS:
        return []
    days = [(day, False, name) for day, name in _calendar_data.holidays.items() if day.year == year]
    days += [(day, True, name) for day, name in _calendar_data.workdays.items() if day.year == year]
    return [HolidayEntry(day, workday, BUILT_IN_NAMES.get(str(name), str(name)), built_in=True)
            for day, workday, name in sorted(days)]


def list_entries(session: Session, year: int | None = None) -> list[HolidayEntry]:
    stmt = select(Holiday).order_by(Holiday.day)
    if year is not None:
        stmt = stmt.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return [HolidayEntry(h.day, h.is_workday, h.name) for h in session.scalars(stmt)]


def set_entry(session: Session, actor: Actor, day: date, *, is_workday: bool, name: str) -> HolidayEntry:
    """Enter one day of an official schedule: a holiday, or a make-up working day (调休上班)."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以维护节假日表。")
    name = name.strip()
    if not name:
        raise InvalidInput("name", "请填写节日名称，如“春节”。")
    if is_workday and day.weekday() < 5:
        raise InvalidInput("is_workday", f"{day:%Y年%m月%d日}本来就是工作日，无需登记为调休上班。")
    row = session.get(Holiday, day)
    if row is None:
        row = Holiday(day=day)
        session.add(row)
    row.is_workday = is_workday
    row.name = name
    session.flush()
    changes.note(session, Changes(settings=True))
    audit.record(session, actor, "calendar.set", "holiday", None,
                 {"day": day.isoformat(), "is_workday": is_workday, "name": name})
    return HolidayEntry(day, is_workday, name)


def remove_entry(session: Session, actor: Actor, day: date) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("只有系统管理员可以维护节假日表。")
    row = session.get(Holiday, day)
    if row is None:
        raise InvalidInput("day", f"节假日表中没有 {day:%Y年%m月%d日}。")
    session.delete(row)
    changes.note(session, Changes(settings=True))
    audit.record(session, actor, "calendar.remove", "holiday", None, {"day": day.isoformat()})
