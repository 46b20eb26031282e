"""What each screen shows: one function per page, reading everything the screen paints in one go
on the read lane, with what the actor may do there already decided (``may_…`` flags), so that no
screen works out rights from a role or a team name of its own.

The screens call these from :class:`mediation_desk.ui.common.page.LoadedPage` subclasses (or
their own read tasks); the functions are plain services and are tested on the ``db`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..models import ClockStage, Role
from . import calendar, clocks, diversion, reference, supervision, visits
from .calendar import WorkingCalendar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .actor import Actor
    from .calendar import HolidayEntry
    from .clocks import DueCase, Limit
    from .diversion import DiversionInfo
    from .reference import Choice
    from .supervision import OrderInfo
    from .visits import DueVisit


# ---- desk, visits, calendar, sign-in
#
# The desk (工作台) and its return visits due, the calendar the clocks count on, and what the
# sign-in dialog says about the center. (A case's 回访 tab reads ``visits.visits_page``, which
# already decides ``may_record`` and ``may_reopen``.)


def shows_due(actor: Actor) -> bool:
    """The desk lists the cases due soon or overdue (the head: the center's; a mediator: their teams')."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def shows_orders(actor: Actor) -> bool:
    """The desk lists supervision orders (a mediator answers them; the head follows them)."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def shows_diversions(actor: Actor) -> bool:
    """The desk lists diversions awaiting feedback, and records the feedback when it comes."""
    return actor.role in (Role.HEAD, Role.INTAKE)


def shows_visits(actor: Actor) -> bool:
    """The desk lists the return visits due."""
    return actor.role in (Role.HEAD, Role.MEDIATOR)


def has_desk(actor: Actor) -> bool:
    """Whether this role has anything on a desk (the administrator has not)."""
    return shows_due(actor) or shows_orders(actor) or shows_diversions(actor)


def may_answer_orders(actor: Actor) -> bool:
    """A mediator answers the supervision orders on the desk (``supervision.answer`` checks the case)."""
    return actor.role is Role.MEDIATOR


def may_list_answered_orders(actor: Actor) -> bool:
    """The head, who issues orders, may list the answered ones beside the open ones."""
    return actor.role is Role.HEAD


@dataclass(frozen=True)
class DeskPage:
    """One read of everything the desk shows (a list is None: not shown to this role)."""

    today: date
    due: tuple[DueCase, ...] | None
    orders: tuple[OrderInfo, ...] | None
    awaiting: tuple[DiversionInfo, ...] | None
    #: The actor answers open supervision orders here.
    may_answer: bool = False
    #: The actor may list the answered orders too.
    may_list_answered: bool = False
    #: The actor records the feedback of diversions awaiting it.
    may_record_feedback: bool = False


def desk_page(session: Session, actor: Actor, today: date, *, answered_orders: bool = False) -> DeskPage:
    """The desk of ``actor`` on ``today``; ``answered_orders`` lists answered supervision orders
    beside the open ones (the head's choice)."""
    due = tuple(clocks.due_soon_or_overdue(session, actor, at=today)) if shows_due(actor) else None
    orders = (tuple(supervision.orders(session, actor, open_only=not answered_orders))
              if shows_orders(actor) else None)
    awaiting = tuple(diversion.awaiting_feedback(session)) if shows_diversions(actor) else None
    return DeskPage(today, due, orders, awaiting, may_answer=may_answer_orders(actor),
                    may_list_answered=may_list_answered_orders(actor),
                    may_record_feedback=shows_diversions(actor))


@dataclass(frozen=True)
class DueVisitsPage:
    """The return visits due within the week or overdue, as of ``today``."""

    today: date
    rows: tuple[DueVisit, ...]


def visits_due_page(session: Session, actor: Actor, today: date) -> DueVisitsPage:
    """The visits due that ``actor`` makes or follows (none for a role without them on the desk)."""
    rows = tuple(visits.visits_due(session, actor, today)) if shows_visits(actor) else ()
    return DueVisitsPage(today, rows)


def may_edit_holidays(actor: Actor) -> bool:
    """Only the administrator changes the holiday table."""
    return actor.role is Role.ADMIN


def may_edit_limits(actor: Actor) -> bool:
    """The administrator and the head change the time limits (as ``clocks.set_limit`` allows)."""
    return actor.role in (Role.ADMIN, Role.HEAD)


@dataclass(frozen=True)
class CalendarPage:
    """One year of the holiday table, and what the calendar screen warns about."""

    year: int
    entries: tuple[HolidayEntry, ...]
    #: "library", "table" or "none" for the year shown.
    source: str
    #: The current and next year when neither the library nor the table knows them.
    uncovered: tuple[int, ...]
    dispute_types: tuple[Choice, ...]
    may_edit_holidays: bool = False
    may_edit_limits: bool = False


def calendar_page(session: Session, actor: Actor, year: int, today: date) -> CalendarPage:
    """The holiday table of ``year`` as the clocks count it, and the years still uncovered on ``today``."""
    coverage = WorkingCalendar.load(session).coverage(year)
    return CalendarPage(year, tuple(calendar.list_entries(session, year)), coverage.source,
                        tuple(calendar.uncovered_years(session, today)), tuple(reference.dispute_types(session)),
                        may_edit_holidays=may_edit_holidays(actor), may_edit_limits=may_edit_limits(actor))


@dataclass(frozen=True)
class LimitRow:
    stage: ClockStage
    #: The limit in force for the chosen scope.
    limit: Limit
    #: The limit for all dispute types (what a type without an override uses).
    general: Limit
    #: True when the chosen scope is one dispute type.
    for_type: bool


@dataclass(frozen=True)
class LimitsPage:
    """The time limit of every clock stage, for all dispute types or for one."""

    dispute_type_id: int | None
    rows: tuple[LimitRow, ...]
    may_edit: bool = False


def limits_page(session: Session, actor: Actor, dispute_type_id: int | None) -> LimitsPage:
    """The limits in force for ``dispute_type_id`` (None: all types), beside the general ones."""
    rows = []
    for stage in ClockStage:
        general = clocks.limit_for(session, stage, None)
        limit = clocks.limit_for(session, stage, dispute_type_id) if dispute_type_id is not None else general
        rows.append(LimitRow(stage, limit, general, dispute_type_id is not None))
    return LimitsPage(dispute_type_id, tuple(rows), may_edit=may_edit_limits(actor))


@dataclass(frozen=True)
class CenterInfo:
    """What the sign-in dialog says about the center it opens."""

    name: str
    is_demo: bool
    #: (user name, role) of the demo accounts, and their shared password.
    demo_accounts: tuple[tuple[str, Role], ...] = ()
    demo_password: str = ""


def center_info(session: Session) -> CenterInfo:
    """The center's name and, for a demo center, the accounts to try (before anyone signed in)."""
    # Imported here: the sign-in dialog reads this first, and the demo package is only needed then.
    from .. import demo
    from .center import get_setting

    name = get_setting(session, "center_name")
    if get_setting(session, "is_demo") != "1":
        return CenterInfo(name, False)
    accounts = tuple((username, role) for username, _display, role in demo.DEMO_USERS)
    return CenterInfo(name, True, accounts, demo.DEMO_PASSWORD)


__all__ = [
    "CalendarPage", "CenterInfo", "DeskPage", "DueVisitsPage", "LimitRow", "LimitsPage", "calendar_page",
    "center_info", "desk_page", "has_desk", "limits_page", "may_answer_orders", "may_edit_holidays",
    "may_edit_limits", "may_list_answered_orders", "shows_diversions", "shows_due", "shows_orders",
    "shows_visits", "visits_due_page",
]
