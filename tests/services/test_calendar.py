"""Working days by the official calendar, 调休 included; the holiday table for unknown years."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import calendar
from mediation_desk.services.calendar import LIBRARY_YEARS, WorkingCalendar
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .helpers import make_user

CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2026 Spring Festival: 2/15 (Sun) – 2/23 (Mon) off; Sat 2/14 and Sat 2/28 are make-up days.
        (date(2026, 2, 12), 1, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),   # the make-up Saturday counts
        (date(2026, 2, 14), 1, date(2026, 2, 24)),   # nine days off, then Tuesday
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),   # the second make-up Saturday
        (date(2026, 2, 13), 7, date(2026, 3, 2)),
        # 2026 National Day: 10/1 – 10/7 off; Sun 9/20 and Sat 10/10 are make-up days.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        # "2·20": 20 working days from the day before the holiday.
        (date(2026, 9, 29), 20, date(2026, 11, 2)),
        (date(2026, 2, 24), -1, date(2026, 2, 14)),
        (date(2026, 5, 6), 0, date(2026, 5, 6)),
    ],
)
def test_deadlines_follow_the_official_2026_calendar(start: date, days: int, expected: date) -> None:
    assert CAL.add_working_days(start, days) == expected


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert CAL.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert CAL.working_days_between(date(2026, 10, 8), date(2026, 9, 30)) == -1
    assert CAL.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


dates_2025_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31))


@given(dates_2025_2026, st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day(start: date, days: int) -> None:
    result = CAL.add_working_days(start, days)
    assert CAL.is_workday(result)
    assert CAL.working_days_between(start, result) == days


@given(dates_2025_2026, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=40))
def test_adding_working_days_is_monotonic(start: date, a: int, b: int) -> None:
    first, second = sorted((a, b))
    assert CAL.add_working_days(start, first) <= CAL.add_working_days(start, second)


@given(dates_2025_2026, dates_2025_2026)
def test_later_start_never_gives_an_earlier_deadline(a: date, b: date) -> None:
    early, late = sorted((a, b))
    assert CAL.add_working_days(early, 10) <= CAL.add_working_days(late, 10)


def test_a_year_the_library_does_not_know_is_uncovered_until_entered(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    with db.read() as session:
        assert calendar.uncovered_years(session, date(2026, 11, 22)) == [2027]
    # The State Council's 2027 schedule (entered by the administrator): New Year's Day on Friday.
    with db.write() as session:
        calendar.set_entry(session, admin, date(2027, 1, 1), is_workday=False, name="元旦")
        calendar.set_entry(session, admin, date(2027, 1, 9), is_workday=True, name="元旦调休")
    with db.read() as session:
        assert calendar.uncovered_years(session, date(2026, 11, 22)) == []
        loaded = WorkingCalendar.load(session)
        assert loaded.coverage(2027).source == "table" and loaded.coverage(2026).source == "library"
        assert calendar.add_working_days(session, date(2026, 12, 31), 1) == date(2027, 1, 4)
        assert calendar.add_working_days(session, date(2027, 1, 8), 1) == date(2027, 1, 9)
        assert calendar.working_days_between(session, date(2026, 12, 30), date(2027, 1, 4)) == 2


def test_a_table_entry_overrides_the_library() -> None:
    extra = WorkingCalendar([(date(2026, 6, 1), False)])
    assert not extra.is_workday(date(2026, 6, 1)) and CAL.is_workday(date(2026, 6, 1))


def test_uncovered_years_fall_back_to_weekdays() -> None:
    assert not CAL.coverage(2030).covered
    assert CAL.add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)


def test_only_an_administrator_edits_the_table_and_entries_make_sense(db: Database) -> None:
    head = make_user(db, "head", Role.HEAD)
    admin = make_user(db, "admin", Role.ADMIN)
    with pytest.raises(PermissionDenied), db.write() as session:
        calendar.set_entry(session, head, date(2027, 1, 1), is_workday=False, name="元旦")
    with pytest.raises(InvalidInput, match="本来就是工作日"), db.write() as session:
        calendar.set_entry(session, admin, date(2027, 1, 5), is_workday=True, name="调休")
    with pytest.raises(InvalidInput, match="节日名称"), db.write() as session:
        calendar.set_entry(session, admin, date(2027, 1, 1), is_workday=False, name=" ")
    with db.write() as session:
        calendar.set_entry(session, admin, date(2027, 1, 1), is_workday=False, name="元旦")
        calendar.remove_entry(session, admin, date(2027, 1, 1))
        assert calendar.list_entries(session, 2027) == []


def test_far_spans_are_refused() -> None:
    with pytest.raises(InvalidInput):
        CAL.add_working_days(date(2026, 1, 1), 5000)
    # New Year 2026: 1/1–1/3 off, Sunday 1/4 a make-up day, so ten working days end on 1/15.
    assert CAL.add_working_days(date(2026, 1, 1), 10) == date(2026, 1, 1) + timedelta(days=14)


def test_the_calendar_answers_as_the_library_on_every_day_it_knows() -> None:
    """WorkingCalendar reads the library's tables itself (its is_workday checks the year against
    every holiday it knows at each call); the answers are the library's, day by day."""
    calendar = WorkingCalendar()
    day, last = date(LIBRARY_YEARS.start, 1, 1), date(LIBRARY_YEARS.stop - 1, 12, 31)
    while day <= last:
        assert calendar.is_workday(day) == bool(chinese_calendar.is_workday(day)), day
        day += timedelta(days=1)
