"""The center's figures for a period: what the head reads and what the monthly report prints.

Every figure is defined once, in docs/statistics.md, and here as SQL predicates on the case row.
The same predicate that a figure counts is what ``condition(StatisticFilter)`` gives the case
list, so "click a number, see those cases" is exact by construction: a bucket's filter is the
figure's base predicate and the bucket's grouping value, nothing else.

Three populations, each decided by one date:

- 收案 (cases received): ``dispute_case.received_at`` in the period;
- 办结 (cases whose handling ended): the case's *last* ending transition (调解成功, 调解不成, 撤回,
  分流, 不予受理) whose ``case_event.at`` falls in the period;
- 回访 (cases visited): the case's last return visit in the period that recorded satisfaction,
  by ``return_visit.visited_on``.

Overdue cases (超期案件) are a snapshot on ``today``, whatever the period, and the desk (工作台)
counts them with the same predicate (:func:`overdue_condition`).

The aggregates are four GROUP BY queries over index ranges (see docs/statistics.md for the indexes
they rely on), so the dashboard costs the same few queries whatever the number of figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, case, false, func, select, text, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from .. import settings
from ..models import (
    CaseEvent,
    CaseState,
    DisputeCase,
    DisputeType,
    HotlineOrder,
    ReturnVisit,
    Role,
    Satisfaction,
    SourceChannel,
    Team,
    now,
    stat_ending_month,
    stat_received_month,
    stat_visit_month,
)
from ..models.case import OPEN_CLOCK_INDEX, still_open
from ..models.clock import StageCard
from ..readmodels.caselist import CaseFilter
from ..readmodels.levels import PEOPLE_BANDS
from ..readmodels.statistics import (
    DENOMINATOR,
    FORMULAS,
    NO_TEAM,
    NUMERATOR,
    ON_TIME_DAYS,
    TITLES,
    Amount,
    Breakdown,
    Bucket,
    Count,
    Figure,
    Figures,
    MonthlyReport,
    Outcome,
    Rate,
    StatisticFilter,
    TypeRow,
)
from . import audit, center, permissions
from .actor import Actor
from .errors import InvalidInput, PermissionDenied
from .workflow import OPEN_STATES

#: Who may read the center's figures.
_READERS = frozenset({Role.HEAD, Role.ADMIN})


_ENDING_ACTIONS = tuple(o.value for o in Outcome)
_MEDIATION_ENDINGS = (Outcome.SUCCEEDED.value, Outcome.FAILED.value, Outcome.WITHDRAWN.value)
_GOOD_SATISFACTION = (Satisfaction.SATISFIED, Satisfaction.FAIRLY)


# --------------------------------------------------------------------------- SQL building blocks


class _DayGap(FunctionElement[int]):
    """Calendar days from the date of ``earlier`` to the date of ``later`` (times ignored)."""

    type = Integer()
    inherit_cache = True
    name = "day_gap"


@compiles(_DayGap, "sqlite")
def _day_gap_sqlite(element: _DayGap, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (f"CAST(julianday(date({compiler.process(later, **kw)})) "
            f"- julianday(date({compiler.process(earlier, **kw)})) AS INTEGER)")


@compiles(_DayGap, "postgresql")
def _day_gap_postgresql(element: _DayGap, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"(CAST({compiler.process(later, **kw)} AS DATE) - CAST({compiler.process(earlier, **kw)} AS DATE))"


class _MonthKey(FunctionElement[str]):
    """"YYYY-MM" of a timestamp."""

    type = String()
    inherit_cache = True
    name = "month_key"


@compiles(_MonthKey, "sqlite")
def _month_key_sqlite(element: _MonthKey, compiler: Any, **kw: Any) -> str:
    # SQLAlchemy stores SQLite timestamps as "YYYY-MM-DD HH:MM:SS.ffffff".
    return f"substr({compiler.process(next(iter(element.clauses)), **kw)}, 1, 7)"


@compiles(_MonthKey, "postgresql")
def _month_key_postgresql(element: _MonthKey, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(next(iter(element.clauses)), **kw)}, 'YYYY-MM')"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def _received_in(start: date, end: date) -> ColumnElement[bool]:
    low, high = _bounds(start, end)
    return (DisputeCase.received_at >= low) & (DisputeCase.received_at < high)


def _last_endings(start: date, end: date) -> Select[Any]:
    """Ids of each case's last ending transition in the period (one per case)."""
    low, high = _bounds(start, end)
    return (
        select(func.max(CaseEvent.id))
        .where(CaseEvent.action.in_(_ENDING_ACTIONS), CaseEvent.at >= low, CaseEvent.at < high)
        .group_by(CaseEvent.case_id)
    )


def last_endings(start: date, end: date) -> Select[Any]:
    """Ids of each case's last ending transition in ``start`` … ``end`` (the 办结 population)."""
    return _last_endings(start, end)


def _on_time() -> ColumnElement[bool]:
    return _DayGap(CaseEvent.at, DisputeCase.accepted_at) <= ON_TIME_DAYS


def _last_visits(start: date, end: date) -> Select[Any]:
    """Ids of each case's last return visit in the period that recorded satisfaction."""
    return (
        select(func.max(ReturnVisit.id))
        .where(ReturnVisit.visited_on >= start, ReturnVisit.visited_on <= end, ReturnVisit.satisfaction.is_not(None))
        .group_by(ReturnVisit.case_id)
    )


def _ended_cases(start: date, end: date, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """The case's last ending in the period satisfies ``conditions`` (on CaseEvent/DisputeCase)."""
    inner = DisputeCase.__table__.alias("ended_case")
    sub = (
        select(CaseEvent.case_id)
        .join(inner, inner.c.id == CaseEvent.case_id)
        .where(CaseEvent.id.in_(_last_endings(start, end)), *(_retarget(c, inner) for c in conditions))
    )
    return DisputeCase.id.in_(sub)


def _retarget(condition: ColumnElement[bool], inner: Any) -> ColumnElement[bool]:
    """Point a condition written on DisputeCase at the aliased case row of a subquery."""
    from sqlalchemy.sql.util import ClauseAdapter

    adapted: ColumnElement[bool] = ClauseAdapter(inner).traverse(condition)
    return adapted


def overdue_condition(today: date) -> ColumnElement[bool]:
    """超期案件 on ``today``, the one definition (docs/statistics.md) that the statistics, the desk
    (工作台) and the administrator's ``md_stat_overdue`` (migration 0018) all count: a case still
    being handled (any open state: not 结案, not 不予受理) whose running clock's due day is before
    ``today``. The due day is stored on the row by services.clocks, already counted in the stage's
    working or calendar days and moved by any extension, so every reader compares the same date.
    A closed case whose first return visit is late is not an overdue case: the desk lists it
    under its return visits due."""
    return (DisputeCase.clock_due_on < today) & DisputeCase.state.in_(sorted(OPEN_STATES))


def is_overdue_case(state: CaseState, due_on: date | None, today: date) -> bool:
    """:func:`overdue_condition` for one row already read."""
    return due_on is not None and due_on < today and state in OPEN_STATES


def count_overdue(session: Session, today: date, *, team_ids: frozenset[int] | None = None,
                  centers: Collection[int] | None = None) -> int:
    """How many cases :func:`overdue_condition` counts on ``today`` (only ``team_ids``' cases, and
    only the ``centers``' cases, if given)."""
    stmt = select(func.count()).select_from(DisputeCase).where(overdue_condition(today),
                                                               _in_centers(DisputeCase.center_id, centers))
    if team_ids is not None:
        # A mediator's desk: their teams' overdue cases from ix_dispute_case_open_clock alone
        # (migration 0050), not through the team's index and each of its cases' rows.
        stmt = (stmt.where(DisputeCase.team_id.in_(sorted(team_ids)), still_open())
                .with_hint(DisputeCase, f"INDEXED BY {OPEN_CLOCK_INDEX}", "sqlite"))
    return int(session.scalar(stmt) or 0)


def _in_centers(column: Any, centers: Collection[int] | None) -> ColumnElement[bool]:
    """Rows of the ``centers`` (docs/centers.md); every row for None (the maintenance actor)."""
    if centers is None:
        return true()
    ids = sorted(centers)
    if not ids:
        return false()
    condition: ColumnElement[bool] = column == ids[0] if len(ids) == 1 else column.in_(ids)
    return condition


def counted_centers(actor: Actor, center_id: int | None = None) -> frozenset[int] | None:
    """The centers a figure of ``actor`` counts: those they read (their own, and for a head the
    centers below it), or the one of them asked for. None: every center (the maintenance actor)."""
    if actor.center_id is None:
        return frozenset({center_id}) if center_id is not None else None
    readable = actor.center_ids or frozenset({actor.center_id})
    if center_id is not None:
        if center_id not in readable:
            raise PermissionDenied("所选中心不是您所在的中心或其下级中心，您无权查看它的统计数据。")
        return frozenset({center_id})
    return readable


def _month_range(key: str, start: date, end: date) -> tuple[date, date]:
    year, month = (int(part) for part in key.split("-"))
    first = date(year, month, 1)
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return max(first, start), min(last, end)


# --------------------------------------------------------------------------- results


def condition(statistic: StatisticFilter) -> ColumnElement[bool]:
    """The SQL predicate of exactly the cases one figure's bucket counted (what the case list shows)."""
    start, end, bucket = statistic.period_start, statistic.period_end, statistic.bucket
    match statistic.figure:
        case Figure.RECEIVED:
            return _received_in(start, end)
        case Figure.BY_TYPE:
            return _received_in(start, end) & (DisputeCase.dispute_type_id == int(bucket))
        case Figure.BY_SOURCE:
            return _received_in(start, end) & (DisputeCase.source_channel == SourceChannel(bucket))
        case Figure.BY_TEAM:
            team = DisputeCase.team_id.is_(None) if bucket == NO_TEAM else DisputeCase.team_id == int(bucket)
            return _received_in(start, end) & team
        case Figure.BY_MONTH:
            return _received_in(*_month_range(bucket, start, end))
        case Figure.BY_RESULT:
            if not bucket:  # every case whose handling ended in the period
                return _ended_cases(start, end)
            return _ended_cases(start, end, CaseEvent.action == Outcome(bucket).value)
        case Figure.SUCCESS_RATE:
            wanted = ((Outcome.SUCCEEDED.value,) if bucket == NUMERATOR
                      else (Outcome.SUCCEEDED.value, Outcome.FAILED.value))
            return _ended_cases(start, end, CaseEvent.action.in_(wanted))
        case Figure.ON_TIME_RATE:
            extra = (_on_time(),) if bucket == NUMERATOR else ()
            return _ended_cases(start, end, CaseEvent.action.in_(_MEDIATION_ENDINGS), *extra)
        case Figure.SATISFACTION_RATE:
            visits = select(ReturnVisit.case_id).where(ReturnVisit.id.in_(_last_visits(start, end)))
            if bucket == NUMERATOR:
                visits = visits.where(ReturnVisit.satisfaction.in_(_GOOD_SATISFACTION))
            return DisputeCase.id.in_(visits)
        case Figure.AMOUNT:
            return _received_in(start, end) & DisputeCase.amount_involved.is_not(None)
        case Figure.GROUP_DISPUTES:
            groups = (_received_in(start, end) & DisputeCase.is_group_dispute.is_(True)
                      & (DisputeCase.state != CaseState.REJECTED))
            return groups & people_band(bucket) if bucket else groups
        case Figure.ESCALATIONS_PREVENTED:
            return _ended_cases(start, end, CaseEvent.action == Outcome.SUCCEEDED.value,
                                DisputeCase.may_turn_criminal.is_(True))
        case Figure.OVERDUE:
            return overdue_condition(statistic.today or now().date())
        case Figure.PEOPLE_BAND:
            return _received_in(start, end) & people_band(bucket)
        case Figure.MAJOR_DISPUTES:
            return _received_in(start, end) & DisputeCase.is_major.is_(True)
        case Figure.PETITIONS_PREVENTED:
            return _ended_cases(start, end, CaseEvent.action == Outcome.SUCCEEDED.value,
                                DisputeCase.may_group_petition.is_(True))
        case Figure.CRIMINAL_WATCH:
            return criminal_watch(start, end)
        case Figure.CARDED:
            return DisputeCase.id.in_(carded_cases(start, end))
        case Figure.HOTLINE_ORDERS:
            low, high = _bounds(start, end)
            return DisputeCase.id.in_(select(HotlineOrder.case_id).where(HotlineOrder.received_at >= low,
                                                                         HotlineOrder.received_at < high))
    raise ValueError(f"unknown figure {statistic.figure!r}")  # pragma: no cover - exhaustive match


def criminal_watch(start: date, end: date) -> ColumnElement[bool]:
    """The cases flagged 可能民转刑 received in the period or still open (any open state)."""
    return DisputeCase.may_turn_criminal.is_(True) & (_received_in(start, end)
                                                      | DisputeCase.state.in_(sorted(OPEN_STATES)))


def carded_cases(start: date, end: date) -> Select[Any]:
    """The ids of the cases given a 黄牌 or 红牌 in the period (``ix_stage_card_given``; a case
    carded twice is in it twice)."""
    return select(StageCard.case_id).where(StageCard.given_on >= start, StageCard.given_on <= end)


def people_band(key: str) -> ColumnElement[bool]:
    """The cases whose people involved fall in the band ``key`` (readmodels.levels.PEOPLE_BANDS)."""
    for column, least, most in PEOPLE_BANDS:
        if column.value == key:
            condition: ColumnElement[bool] = true()
            if least is not None:
                condition = condition & (DisputeCase.people_involved >= least)
            if most is not None:
                condition = condition & (DisputeCase.people_involved <= most)
            return condition
    raise ValueError(f"unknown people band {key!r}")


def _filter(figure: Figure, start: date, end: date, bucket: str = "", today: date | None = None, *,
            center_id: int | None = None) -> CaseFilter:
    return CaseFilter(statistic=StatisticFilter(figure, start, end, bucket, today), center_id=center_id)


def _month_keys(start: date, end: date) -> list[str]:
    keys = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput("period_end", "统计期的结束日期不能早于开始日期。")
    if (end - start).days > 366 * 10:
        raise InvalidInput("period_end", "统计期不能超过十年。")


@dataclass
class _Counted:
    """The counts every figure is made of, whichever way they were read."""

    by_type: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    by_source: dict[SourceChannel, int] = field(default_factory=lambda: defaultdict(int))
    by_team: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    by_month: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    amount_by_type: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    amount_total: Decimal = Decimal(0)
    amount_cases: int = 0
    group_cases: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=lambda: defaultdict(int))
    type_outcomes: dict[int, dict[Outcome, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    source_outcomes: dict[SourceChannel, dict[Outcome, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    on_time: int = 0
    prevented: int = 0
    visited: int = 0
    satisfied: int = 0
    overdue: int = 0

    def add_received(self, channel: str, team_id: int | None, type_id: int, month_key: str, n: int,
                     amount: Decimal, n_amount: int, n_group: int) -> None:
        """``n`` cases received in one group (source, team, type, month) and what they involve."""
        self.by_type[type_id] += n
        self.by_source[SourceChannel(channel)] += n
        self.by_team[team_id] += n
        self.by_month[month_key] += n
        self.amount_by_type[type_id] += amount
        self.amount_total += amount
        self.amount_cases += n_amount
        self.group_cases += n_group

    def add_endings(self, action: str, channel: str, type_id: int, criminal: bool, n: int, n_on_time: int) -> None:
        """``n`` cases whose last ending in the period was ``action``, ``n_on_time`` of them in time."""
        outcome = Outcome(action)
        self.outcomes[outcome] += n
        self.type_outcomes[type_id][outcome] += n
        self.source_outcomes[SourceChannel(channel)][outcome] += n
        if action in _MEDIATION_ENDINGS:
            self.on_time += n_on_time
        if outcome is Outcome.SUCCEEDED and criminal:
            self.prevented += n


def _counts_from_rows(session: Session, start: date, end: date, day: date,
                      centers: Collection[int] | None = None) -> _Counted:
    counted = _Counted()
    in_centers = _in_centers(DisputeCase.center_id, centers)
    # 1. Cases received: one pass over the received_at index range. Source first in the grouping:
    # led by the type, SQLite prefers a skip-scan of the type index to the covering one.
    month_col = _MonthKey(DisputeCase.received_at)
    received_rows = session.execute(
        select(DisputeCase.source_channel, DisputeCase.team_id, DisputeCase.dispute_type_id, month_col,
               func.count(), func.sum(DisputeCase.amount_involved), func.count(DisputeCase.amount_involved),
               func.sum(case((DisputeCase.is_group_dispute.is_(True) & (DisputeCase.state != CaseState.REJECTED), 1),
                             else_=0)))
        .where(_received_in(start, end), in_centers)
        .group_by(DisputeCase.source_channel, DisputeCase.team_id, DisputeCase.dispute_type_id, month_col)
    ).all()
    for channel, team_id, type_id, month_key, n, amount, n_amount, n_group in received_rows:
        counted.add_received(channel, team_id, type_id, month_key, n, Decimal(amount or 0), n_amount,
                             int(n_group or 0))

    # 2. Each case's last ending in the period, with what decides the result figures.
    ending_rows = session.execute(
        select(CaseEvent.action, DisputeCase.source_channel, DisputeCase.dispute_type_id,
               DisputeCase.may_turn_criminal, func.count(), func.sum(case((_on_time(), 1), else_=0)))
        .join(DisputeCase, DisputeCase.id == CaseEvent.case_id)
        .where(CaseEvent.id.in_(_last_endings(start, end)), in_centers)
        .group_by(CaseEvent.action, DisputeCase.source_channel, DisputeCase.dispute_type_id,
                  DisputeCase.may_turn_criminal)
    ).all()
    for action, channel, type_id, criminal, n, n_on_time in ending_rows:
        counted.add_endings(action, channel, type_id, bool(criminal), n, int(n_on_time or 0))

    # 3. Return visits: each case's last visit in the period that recorded satisfaction.
    visit_rows = session.execute(
        select(ReturnVisit.satisfaction, func.count())
        .join(DisputeCase, DisputeCase.id == ReturnVisit.case_id)
        .where(ReturnVisit.id.in_(_last_visits(start, end)), in_centers)
        .group_by(ReturnVisit.satisfaction)
    ).all()
    counted.visited = sum(n for _, n in visit_rows)
    counted.satisfied = sum(n for s, n in visit_rows if s in _GOOD_SATISFACTION)

    # 4. Overdue now (the desk counts the same: count_overdue).
    counted.overdue = count_overdue(session, day, centers=centers)
    return counted


def whole_months(start: date, end: date) -> bool:
    """Whether ``start`` … ``end`` is a run of whole months (summed from the monthly counts)."""
    return start.day == 1 and (end + timedelta(days=1)).day == 1


def _counts_from_months(session: Session, start: date, end: date, day: date, *, hidden: bool,
                        centers: Collection[int] | None = None) -> _Counted:
    """The same counts for a run of whole months, summed from the monthly tables that the triggers
    of migration 0021 keep (services/stat_months.py): a case's ending (visit) is its last in the
    period when no later one of the same case falls in the period's months."""
    counted = _Counted()
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    received, endings, visits = stat_received_month.c, stat_ending_month.c, stat_visit_month.c
    for channel, team_id, type_id, month_key, summed, cents, n_amount, n_group in session.execute(
        select(received.source_channel, received.team_id, received.dispute_type_id, received.month,
               func.sum(received.cases), func.sum(received.amount_cents), func.sum(received.amount_cases),
               func.sum(received.group_cases))
        .where(received.month >= first, received.month <= last, _in_centers(received.center_id, centers))
        .group_by(received.source_channel, received.team_id, received.dispute_type_id, received.month)
    ):
        n = int(summed or 0)
        if n:
            counted.add_received(channel, int(team_id) or None, type_id, month_key, n,
                                 Decimal(int(cents or 0)) / 100, int(n_amount or 0), int(n_group or 0))

    def last_in_period(columns: Any) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = (
            (columns.month >= first) & (columns.month <= last) & ((columns.lo == "") | (columns.lo < first))
            & ((columns.hi == "") | (columns.hi > last)))
        return condition

    for action, channel, type_id, criminal, summed, n_on_time in session.execute(
        select(endings.action, endings.source_channel, endings.dispute_type_id, endings.criminal,
               func.sum(endings.cases), func.sum(endings.cases * endings.on_time))
        .where(last_in_period(endings), _in_centers(endings.center_id, centers))
        .group_by(endings.action, endings.source_channel, endings.dispute_type_id, endings.criminal)
    ):
        n = int(summed or 0)
        if n:
            counted.add_endings(action, channel, type_id, bool(criminal), n, int(n_on_time or 0))

    for satisfaction, n in session.execute(
        select(visits.satisfaction, func.sum(visits.cases))
        .where(last_in_period(visits), _in_centers(visits.center_id, centers))
        .group_by(visits.satisfaction)
    ):
        counted.visited += int(n or 0)
        if Satisfaction(satisfaction) in _GOOD_SATISFACTION:
            counted.satisfied += int(n or 0)

    if hidden:
        counted.overdue = int(session.scalar(text("SELECT md_stat_overdue(:today, :states, :centers)"), {
            "today": day, "states": sorted(str(s.value) for s in OPEN_STATES), "centers": sorted(centers or ())})
                              or 0)
    else:
        counted.overdue = count_overdue(session, day, centers=centers)
    return counted


def _counts_from_server(session: Session, start: date, end: date, day: date, centers: Collection[int] | None
                        ) -> _Counted:
    """The same counts through migration 0018's functions (each dimension summed on its own), for
    the ``centers`` (migration 0022: among those the administrator reads)."""
    counted = _Counted()
    among = sorted(centers or ())
    received = session.execute(
        text("SELECT dimension, bucket, cases, amount, amount_cases, group_cases"
             " FROM md_stat_received(:start, :end, :rejected, :centers)"),
        {"start": start, "end": end, "rejected": CaseState.REJECTED.value, "centers": among}).all()
    for dimension, bucket, cases, amount, n_amount, n_group in received:
        n = int(cases)
        if dimension == "type":
            counted.by_type[int(bucket)] += n
            value = Decimal(amount or 0)
            counted.amount_by_type[int(bucket)] += value
            counted.amount_total += value
            counted.amount_cases += int(n_amount or 0)
            counted.group_cases += int(n_group or 0)
        elif dimension == "source":
            counted.by_source[SourceChannel(bucket)] += n
        elif dimension == "team":
            counted.by_team[int(bucket) if bucket is not None else None] += n
        else:
            counted.by_month[bucket] += n

    endings = session.execute(
        text("SELECT action, dimension, bucket, cases, on_time"
             " FROM md_stat_endings(:start, :end, :actions, :days, :centers)"),
        {"start": start, "end": end, "actions": list(_ENDING_ACTIONS), "days": ON_TIME_DAYS, "centers": among}).all()
    for action, dimension, bucket, cases, n_on_time in endings:
        outcome, n = Outcome(action), int(cases)
        if dimension == "type":
            counted.outcomes[outcome] += n
            counted.type_outcomes[int(bucket)][outcome] += n
            if action in _MEDIATION_ENDINGS:
                counted.on_time += int(n_on_time or 0)
        elif dimension == "source":
            counted.source_outcomes[SourceChannel(bucket)][outcome] += n
        elif outcome is Outcome.SUCCEEDED and bucket == "true":
            counted.prevented += n

    visits = session.execute(text("SELECT satisfaction, cases FROM md_stat_visits(:start, :end, :centers)"),
                             {"start": start, "end": end, "centers": among}).all()
    counted.visited = sum(int(n) for _, n in visits)
    counted.satisfied = sum(int(n) for s, n in visits if Satisfaction(s) in _GOOD_SATISFACTION)

    counted.overdue = int(session.scalar(text("SELECT md_stat_overdue(:today, :states, :centers)"),
                                         {"today": day, "states": sorted(str(s.value) for s in OPEN_STATES),
                                          "centers": among}) or 0)
    return counted


def figures(session: Session, actor: Actor, period_start: date, period_end: date, *,
            today: date | None = None, center_id: int | None = None) -> Figures:
    """Every figure of the dashboard for the period ``period_start`` … ``period_end`` (both included):
    of the centers the actor reads (a head's: theirs and those below), or of ``center_id`` among them."""
    if actor.role not in _READERS:
        raise PermissionDenied(f"“{actor.role.label}”无权查看中心统计数据。")
    centers = counted_centers(actor, center_id)
    only = center_id
    check_period(period_start, period_end)
    start, end = period_start, period_end
    day = today or now().date()

    types = session.execute(select(DisputeType.id, DisputeType.name, DisputeType.active)
                            .order_by(DisputeType.sort_order, DisputeType.id)).all()
    teams = session.execute(select(Team.id, Team.name).where(_in_centers(Team.center_id, centers))
                            .order_by(Team.id)).all()

    hidden = permissions.case_rows_hidden(session, actor)
    if whole_months(start, end):
        counted = _counts_from_months(session, start, end, day, hidden=hidden, centers=centers)
    elif hidden:
        counted = _counts_from_server(session, start, end, day, centers)
    else:
        counted = _counts_from_rows(session, start, end, day, centers)
    by_type, by_source, by_team, by_month = counted.by_type, counted.by_source, counted.by_team, counted.by_month
    amount_by_type, outcomes, type_outcomes = counted.amount_by_type, counted.outcomes, counted.type_outcomes
    source_outcomes = counted.source_outcomes

    def breakdown(figure: Figure, items: list[tuple[str, str, int]]) -> Breakdown:
        return Breakdown(figure, TITLES[figure], FORMULAS[figure], tuple(
            Bucket(key, label, n, _filter(figure, start, end, key, center_id=only)) for key, label, n in items))

    def rate(figure: Figure, numerator: int, denominator: int) -> Rate:
        return Rate(figure, TITLES[figure], FORMULAS[figure], numerator, denominator,
                    _filter(figure, start, end, NUMERATOR, center_id=only),
                    _filter(figure, start, end, DENOMINATOR, center_id=only))

    def count(figure: Figure, n: int, today_: date | None = None) -> Count:
        return Count(figure, TITLES[figure], FORMULAS[figure], n,
                     _filter(figure, start, end, "", today_, center_id=only))

    type_names = {tid: name for tid, name, _ in types}
    shown_types = [(tid, name) for tid, name, active in types if active or by_type.get(tid)]
    team_items = [(str(tid), name, by_team.get(tid, 0)) for tid, name in teams]
    if by_team.get(None):
        team_items.append((NO_TEAM, "未分派", by_team[None]))
    mediation_ended = sum(outcomes[Outcome(a)] for a in _MEDIATION_ENDINGS)
    return Figures(
        period_start=start, period_end=end, today=day,
        received=count(Figure.RECEIVED, sum(by_type.values())),
        ended=count(Figure.BY_RESULT, sum(outcomes.values())),
        by_type=breakdown(Figure.BY_TYPE, [(str(tid), name, by_type.get(tid, 0)) for tid, name in shown_types]),
        by_source=breakdown(Figure.BY_SOURCE, [(c.value, c.label, by_source.get(c, 0)) for c in SourceChannel]),
        by_team=breakdown(Figure.BY_TEAM, team_items),
        by_month=breakdown(Figure.BY_MONTH, [(k, f"{k[:4]}年{int(k[5:])}月", by_month.get(k, 0))
                                             for k in _month_keys(start, end)]),
        by_result=breakdown(Figure.BY_RESULT, [(o.value, o.label, outcomes.get(o, 0)) for o in Outcome]),
        success_rate=rate(Figure.SUCCESS_RATE, outcomes[Outcome.SUCCEEDED],
                          outcomes[Outcome.SUCCEEDED] + outcomes[Outcome.FAILED]),
        on_time_rate=rate(Figure.ON_TIME_RATE, counted.on_time, mediation_ended),
        satisfaction_rate=rate(Figure.SATISFACTION_RATE, counted.satisfied, counted.visited),
        amount=Amount(Figure.AMOUNT, TITLES[Figure.AMOUNT], FORMULAS[Figure.AMOUNT], counted.amount_total,
                      counted.amount_cases,
                      _filter(Figure.AMOUNT, start, end, center_id=only)),
        group_disputes=count(Figure.GROUP_DISPUTES, counted.group_cases),
        escalations_prevented=count(Figure.ESCALATIONS_PREVENTED, counted.prevented),
        overdue=count(Figure.OVERDUE, counted.overdue, day),
        type_rows=tuple(
            TypeRow(tid, type_names[tid], by_type.get(tid, 0), amount_by_type.get(tid, Decimal(0)),
                    dict(type_outcomes.get(tid, {})))
            for tid, _ in shown_types
        ),
        source_outcomes={c: dict(v) for c, v in source_outcomes.items()},
    )


def month_period(text: str) -> tuple[date, date]:
    """The first and last day of a month written ``YYYY-MM``; InvalidInput("month") otherwise."""
    parts = text.strip().split("-")
    # Only ASCII digits: int("²") raises although "²".isdigit() (see services.digits).
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise InvalidInput("month", f"月份“{text}”格式不对，应写作 2026-10。")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or year < 1900:
        raise InvalidInput("month", f"月份“{text}”不存在，应写作 2026-10。")
    return _month_range(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, 12, 31))


def record_report_export(session: Session, actor: Actor, month: str, *, target: str) -> None:
    """Log one monthly report written to a file (``target``: its name, not its folder)."""
    audit.record(session, actor, "report.export", "report", None, {"month": month, "target": target},
                 station=audit.workstation(), result="ok")


def load_monthly_report(session: Session, actor: Actor, month: str, *, reporter: str = "", responsible: str = "",
                        submitted_on: date | None = None, today: date | None = None) -> MonthlyReport:
    """The figures of ``month`` ("2026-10") with the center's name; InvalidInput("month") if bad."""
    start, end = month_period(month)
    figs = figures(session, actor, start, end, today=today)
    try:
        anchor = audit.anchor(session, actor, f"{start:%Y-%m}")
        anchor_line = anchor.line if anchor is not None else ""
    except InvalidInput as exc:  # the anchors file cannot be written: say so on the report
        anchor_line = f"审计链锚点：未能记录（{exc}）"
    from . import hotline  # the 12345 orders' 三率 (docs/hotline.md)

    rates = hotline.rates(session, actor, start, end, today=today)
    if rates is not None and not any(r.denominator for r in rates.rates):
        rates = None  # a center without 12345 orders that month prints no empty block
    from . import ratings  # the counter's 好差评 (docs/ratings.md)

    rated = ratings.figures(session, actor, start, end)
    if rated is not None and not rated.total.rated:
        rated = None  # no rating that month: no empty block
    return MonthlyReport(figs, center.get(session, settings.CENTER_NAME), f"{start:%Y-%m}", reporter=reporter,
                         responsible=responsible or "", submitted_on=submitted_on, audit_anchor=anchor_line,
                         hotline=rates, ratings=rated)


__all__ = ["check_period", "count_overdue", "figures", "is_overdue_case", "load_monthly_report", "month_period",
           "overdue_condition", "whole_months"]
