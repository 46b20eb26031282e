"""The monthly risk briefing (风险研判) for the monthly meeting (docs/briefing.md).

For a month and the centers the head reads (the county head: the county and every center below;
a township head: its township and its villages):

- hot spots: the cases received (收案) in the month and in the month before, by center, by village,
  by grid (the case's ``village`` and ``grid`` fields) and by dispute type, with the change;
- repeat parties (the same ID number, else the same name and phone, in ≥ 2 cases received within
  the 90 days that end on the month's last day) and repeat places (the same address, likewise);
- group disputes received in the month by people-involved band (the bands of the table by level);
- cases flagged 可能民转刑 received in the month or still open;
- overdue cases (on ``today``, the definition of the statistics) and cases carded (黄牌/红牌)
  in the month;
- 12345 orders received in the month and the month before, with the 三率 of both;
- the graded case list: each case listed above, the grade its rules propose
  (readmodels.briefing.GRADE_RULES) and the head's grade where the head set another, with the
  reason (:func:`set_grade`; stored in ``risk_grade``, audited, printed beside the proposed one).

Every number carries the filter of exactly its cases. The queries read through the head's own
connection, so on a server row-level security keeps out what the head may not read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Generator, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    any_,
    bindparam,
    case,
    cast,
    delete,
    distinct,
    func,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from .. import settings
from ..models import (
    CaseState,
    Center,
    DisputeCase,
    DisputeType,
    HotlineOrder,
    Party,
    RiskGrade,
    RiskLevel,
    User,
    keys,
    now,
    stat_carded_month,
    stat_received_month,
)
from ..models.case import OPEN_CLOCK_INDEX, OWN_RULE_INDEX, OWN_RULE_POSTGRESQL, OWN_RULE_SQLITE, still_open
from ..models.clock import StageCard
from ..models.keys import split_party_key
from ..readmodels.briefing import (
    GRADE_ORDER,
    GRADE_RULES,
    ORANGE_PEOPLE,
    ORANGE_REPEATS,
    RED_PEOPLE,
    REPEAT_LEAST,
    WINDOW_DAYS,
    Briefing,
    BriefingGrades,
    BriefingOverview,
    BriefingPart,
    BriefingRepeats,
    BriefingSpots,
    Count,
    GradedCase,
    GradedCases,
    GradedRow,
    HotlineTrend,
    Reason,
    Repeat,
    Spot,
    SpotKind,
    proposed_grade,
)
from ..readmodels.caselist import CaseFilter
from ..readmodels.levels import HEADINGS, PEOPLE_BANDS
from ..readmodels.statistics import Figure as Stat
from ..readmodels.statistics import StatisticFilter
from . import audit, center, centers, hotline, permissions, statistics
from .actor import Actor
from .errors import InvalidInput, NotFound, PermissionDenied
from .workflow import FINAL_STATES, OPEN_STATES


def may_read(actor: Actor) -> bool:
    """Whether ``actor`` reads (and grades) the briefing: a head, or the maintenance actor. The
    app shows the 风险研判 tab to them alone."""
    return permissions.is_system(actor) or actor.role in permissions.HEAD_ONLY


def _check_reader(actor: Actor) -> None:
    if not may_read(actor):
        raise PermissionDenied(f"“{actor.role.label}”无权查看风险研判报告（由中心主任查看）。")


def previous_month(start: date) -> tuple[date, date]:
    last_end = start - timedelta(days=1)
    return last_end.replace(day=1), last_end


def window(end: date) -> tuple[date, date]:
    """The repeat window: the :data:`WINDOW_DAYS` days that end on ``end`` (both included)."""
    return end - timedelta(days=WINDOW_DAYS - 1), end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def _listed(ids: Collection[int]) -> Count:
    return Count(len(ids), CaseFilter(case_ids=frozenset(ids)))


def mask_id(number: str) -> str:
    """An ID number as the meeting's paper shows it: the first 3 and last 4 characters."""
    number = number.strip()
    return number if len(number) <= 7 else f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def place_key(address: str) -> str:
    """An address compared for repeat places: without blanks and punctuation, letters folded
    ("" for none). Kept with each case as ``dispute_case.place_key`` (models/keys.py)."""
    return keys.place_key(address) or ""


class _Month(NamedTuple):
    """The cases received in a month, grouped by the database by center, type, village and grid
    (one row a group: the 1M demo's county month of 81,000 cases is ~N groups, not 81,000 rows)."""

    received: int
    by_center: dict[int, int]
    by_type: dict[int, int]
    #: (center, village) and (center, village, grid), blanks stripped (blank: not counted) → ids
    #: (each case once: a case is in one group of the database's).
    villages: dict[tuple[int, str], frozenset[int]]
    grids: dict[tuple[int, str, str], frozenset[int]]
    #: The month's cases a rule of their own lists in the graded list (:func:`_ruled`), when asked for.
    ruled: frozenset[int]


#: The graded list's columns of a case: whether it was refused (不予受理), then the year and seq it
#: is ordered by (the case list's number order, :data:`_NUMBER_ORDER`; in the sort key, not in the
#: row kept). Plain values, so the 124,000 kept on the 1M demo leave the cyclic collector's sight (a
#: CaseState kept them in it).
_FACT_COLUMNS = (DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.center_id,
                 DisputeCase.people_involved, DisputeCase.may_turn_criminal, DisputeCase.may_group_petition,
                 DisputeCase.is_major, DisputeCase.is_group_dispute,
                 (DisputeCase.state == CaseState.REJECTED).label("refused"), DisputeCase.year, DisputeCase.seq)
_Facts = tuple[int, str, str, int, int | None, bool | None, bool | None, bool | None, bool | None, bool | None,
               int, int]
#: The case list's order of numbers (services.caselist's SortKey.NUMBER, index ix_dispute_case_number):
#: by year, then seq (the centers' numbers interleaved), then id — not the number's text, where
#: 第10000号 sorts before 第9999号 and a township's prefix apart from the county's.
_NUMBER_ORDER = (DisputeCase.year, DisputeCase.seq, DisputeCase.id)


def _visible_centers(session: Session, actor: Actor) -> tuple[frozenset[int], dict[int, str], str]:
    shown = centers.list_centers(session, actor if actor.center_id is not None else None)
    names = {c.id: c.name for c in shown}
    own = names.get(actor.center_id) if actor.center_id is not None else None
    return frozenset(names), names, own or center.get(session, settings.CENTER_NAME)


def _spots(this_month: _Month, last_month: _Month, names: dict[int, str], type_names: dict[int, str],
           periods: tuple[tuple[date, date], tuple[date, date]], ids: frozenset[int]) -> list[Spot]:
    (start, end), (last_start, last_end) = periods
    spots: list[Spot] = []
    # By center and by type: the dashboard's own figures, filtered to the center or the type.
    for k in set(this_month.by_center) | set(last_month.by_center):
        this = CaseFilter(statistic=StatisticFilter(Stat.RECEIVED, start, end), center_id=k)
        last = CaseFilter(statistic=StatisticFilter(Stat.RECEIVED, last_start, last_end), center_id=k)
        spots.append(Spot(SpotKind.CENTER, names.get(k, str(k)), Count(this_month.by_center.get(k, 0), this),
                          Count(last_month.by_center.get(k, 0), last)))
    for k in set(this_month.by_type) | set(last_month.by_type):
        this = CaseFilter(statistic=StatisticFilter(Stat.BY_TYPE, start, end, str(k)), center_ids=ids)
        last = CaseFilter(statistic=StatisticFilter(Stat.BY_TYPE, last_start, last_end, str(k)), center_ids=ids)
        spots.append(Spot(SpotKind.TYPE, type_names.get(k, str(k)), Count(this_month.by_type.get(k, 0), this),
                          Count(last_month.by_type.get(k, 0), last)))
    # By village and by grid: the case's own fields (blank: not counted), within its center.
    places: tuple[tuple[SpotKind, dict[Any, frozenset[int]], dict[Any, frozenset[int]]], ...] = (
        (SpotKind.VILLAGE, this_month.villages, last_month.villages),
        (SpotKind.GRID, this_month.grids, last_month.grids))
    for kind, now_, before in places:
        for key in set(now_) | set(before):
            center_name = names.get(key[0], "")
            place = "".join(key[1:])
            spots.append(Spot(kind, f"{place}（{center_name}）", _listed(now_.get(key, frozenset())),
                              _listed(before.get(key, frozenset()))))
    spots.sort(key=lambda s: (list(SpotKind).index(s.kind), -s.this.value, -s.last.value, s.name))
    return spots


def _ruled() -> ColumnElement[bool]:
    """The case (received in the month) is listed for a rule of its own: a group dispute not refused
    (不予受理), ≥ :data:`ORANGE_PEOPLE` people, flagged 可能民转刑, 可能引发群体性上访 or 重大."""
    return or_(DisputeCase.is_group_dispute.is_(True) & (DisputeCase.state != CaseState.REJECTED),
               DisputeCase.people_involved >= ORANGE_PEOPLE, DisputeCase.may_turn_criminal.is_(True),
               DisputeCase.may_group_petition.is_(True), DisputeCase.is_major.is_(True))


def _ids(texts: list[str]) -> frozenset[int]:
    """The ids of the groups' id texts ("3,17,40"), as one set."""
    return frozenset(map(int, ",".join(texts).split(",")))


def _month(session: Session, ids: frozenset[int], start: date, end: date, *, ruled: bool = False) -> _Month:
    """The month's received cases grouped by (center, type, village, grid) in the database, each
    group's ids as one text; merged here by the stripped village and grid. With ``ruled``, each
    group's cases a rule of their own lists (:func:`_ruled`) come with it, read from the same rows
    (the graded list's month cases: the month's rows are read once, for the hot spots)."""
    low, high = _bounds(start, end)
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"

    def listed(column: Any) -> ColumnElement[Any]:
        return func.group_concat(column) if sqlite else func.string_agg(cast(column, Text), ",")

    columns: list[Any] = [DisputeCase.center_id, DisputeCase.dispute_type_id, DisputeCase.village,
                          DisputeCase.grid, func.count(), listed(DisputeCase.id)]
    if ruled:  # NULL where not ruled: left out of the text (NULL where none of the group is)
        columns.append(listed(case((_ruled(), DisputeCase.id))))
    found = connection.execute(
        select(*columns)
        # The month's ids from the covering index (center_id, received_at, id), the rows by id: with
        # the condition on the rows, SQLite took a township's month through the index by type
        # (every center's cases of the month, 1M demo) for the GROUP BY.
        .where(DisputeCase.id.in_(select(DisputeCase.id).where(
            DisputeCase.received_at >= low, DisputeCase.received_at < high,
            DisputeCase.center_id.in_(sorted(ids))).scalar_subquery()))
        .group_by(DisputeCase.center_id, DisputeCase.dispute_type_id, DisputeCase.village, DisputeCase.grid))
    received = 0
    by_center: dict[int, int] = defaultdict(int)
    by_type: dict[int, int] = defaultdict(int)
    # Each place's groups' id texts, made ints once per place (not a list per group merged).
    villages: dict[tuple[int, str], list[str]] = defaultdict(list)
    grids: dict[tuple[int, str, str], list[str]] = defaultdict(list)
    ruled_texts: list[str] = []
    for center_id, type_id, raw_village, raw_grid, count, id_text, *ruled_text in found:
        received += count
        by_center[center_id] += count
        by_type[type_id] += count
        village, grid = (raw_village or "").strip(), (raw_grid or "").strip()
        if village:
            villages[(center_id, village)].append(id_text)
        if grid:
            grids[(center_id, village, grid)].append(id_text)
        if ruled_text and ruled_text[0]:
            ruled_texts.append(ruled_text[0])
    return _Month(received, dict(by_center), dict(by_type), {k: _ids(v) for k, v in villages.items()},
                  {k: _ids(v) for k, v in grids.items()}, _ids(ruled_texts) if ruled_texts else frozenset())


def _in_window(ids: frozenset[int], low: datetime, high: datetime) -> tuple[ColumnElement[bool], ...]:
    return (DisputeCase.received_at >= low, DisputeCase.received_at < high, DisputeCase.center_id.in_(sorted(ids)))


def _batches(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[first:first + size] for first in range(0, len(items), size)]


def repeat_parties(session: Session, ids: frozenset[int], end: date) -> tuple[list[Repeat], dict[int, int]]:
    """The parties in ≥ :data:`REPEAT_LEAST` cases received in the window ending on ``end``, and for
    each case the most cases any of its parties is in.

    The database groups the window's parties by their kept ``repeat_key`` (models/keys.py) from
    the indexes alone; only the repeats' parties are read (the 1M demo's window: 540,726 parties
    of 245,692 cases, ~6,000 repeats). A repeat is labelled with the name its first registered
    party in the window gives (the lowest party id)."""
    window_ = _in_window(ids, *_bounds(*window(end)))
    has_key = Party.repeat_key.is_not(None)
    connection = session.connection()
    # The keys of at least REPEAT_LEAST parties; those of fewer cases (a party named twice in one
    # case) are left out below, where each key's cases are read anyway: counting distinct cases in
    # the GROUP BY cost SQLite a set per key of the window (~30 % of the statement).
    repeated = sorted(k for k in connection.execute(
        select(Party.repeat_key).join(DisputeCase, DisputeCase.id == Party.case_id)
        .where(*window_, has_key).group_by(Party.repeat_key)
        .having(func.count() >= REPEAT_LEAST)).scalars() if k is not None)
    found: list[Any] = []
    for batch in _batches(repeated):
        found.extend(_raw_rows(connection, select(Party.repeat_key, Party.id, Party.name, DisputeCase.id,
                                                  DisputeCase.number, DisputeCase.year, DisputeCase.seq)
                               .join(DisputeCase, DisputeCase.id == Party.case_id)
                               .where(Party.repeat_key.in_(batch), *window_)))
    found.sort(key=lambda r: r[1])
    cases: dict[str, dict[int, str]] = defaultdict(dict)
    firsts: dict[str, str] = {}
    order: dict[int, tuple[int, int, int]] = {}
    for key, _party_id, name, case_id, number, year, seq in found:
        firsts.setdefault(key, (name or "").strip())
        cases[key][case_id] = number
        order[case_id] = (year, seq, case_id)
    repeats: list[Repeat] = []
    most: dict[int, int] = {}
    for key, numbers in cases.items():
        if len(numbers) < REPEAT_LEAST:
            continue
        split = split_party_key(key)
        label = f"{firsts[key]}（身份证号 {mask_id(split[1])}）" if split[0] == "id" \
            else f"{firsts[key]}（电话尾号 {split[2][-4:]}）"
        # The numbers in the case list's order (year, seq, id).
        repeats.append(Repeat(label, _listed(numbers),
                              tuple(numbers[i] for i in sorted(numbers, key=order.__getitem__))))
        for case_id in numbers:
            most[case_id] = max(most.get(case_id, 0), len(numbers))
    repeats.sort(key=lambda r: (-r.cases.value, r.label))
    return repeats, most


def repeat_places(session: Session, ids: frozenset[int], end: date) -> list[Repeat]:
    """The addresses (compared by :func:`place_key`) of ≥ :data:`REPEAT_LEAST` cases received in the window."""
    return _repeat_places(session, ids, end, None)


def _repeat_places(session: Session, ids: frozenset[int], end: date, facts: dict[int, _Facts] | None
                   ) -> list[Repeat]:
    """:func:`repeat_places`, keeping the graded-list columns of the repeats' cases in ``facts``.
    The database groups the window's cases by their kept ``place_key`` from the index alone; only
    the repeats' cases are read. A place is labelled with its first registered case's address."""
    window_ = _in_window(ids, *_bounds(*window(end)))
    has_key = DisputeCase.place_key.is_not(None)
    connection = session.connection()
    repeated = sorted(k for k in connection.execute(
        select(DisputeCase.place_key).where(*window_, has_key).group_by(DisputeCase.place_key)
        .having(func.count() >= REPEAT_LEAST)).scalars() if k is not None)
    columns = (DisputeCase.place_key, DisputeCase.address, *_FACT_COLUMNS) if facts is not None else \
        (DisputeCase.place_key, DisputeCase.address, DisputeCase.id, DisputeCase.number, DisputeCase.year,
         DisputeCase.seq)
    found: list[Any] = []
    for batch in _batches(repeated):
        found.extend(connection.execute(select(*columns).where(DisputeCase.place_key.in_(batch), *window_)))
    found.sort(key=lambda r: r[2])
    cases: dict[str, dict[int, str]] = defaultdict(dict)
    labels: dict[str, str] = {}
    order: dict[int, tuple[int, int, int]] = {}
    for key, address, case_id, number, *rest in found:
        if facts is not None:
            facts[case_id] = (case_id, number, *rest)
        labels.setdefault(key, (address or "").strip())
        cases[key][case_id] = number
        order[case_id] = (rest[-2], rest[-1], case_id)  # the case list's order (year and seq come last)
    repeats = [Repeat(labels[k], _listed(v), tuple(v[i] for i in sorted(v, key=order.__getitem__)))
               for k, v in cases.items()]
    repeats.sort(key=lambda r: (-r.cases.value, r.label))
    return repeats


def _hotline(session: Session, actor: Actor, ids: frozenset[int], periods: tuple[tuple[date, date], ...],
             today: date) -> HotlineTrend:
    counts: list[Count] = []
    for start, end in periods:
        low, high = _bounds(start, end)
        # By the order's kept center (its case's, migration 0046's triggers), counted from the index
        # (center_id, received_at, …) alone: one order a case (hotline_order.case_id is unique), so
        # the orders of the head's centers are the cases the filter lists.
        got = session.connection().execute(
            select(func.count()).select_from(HotlineOrder)
            .where(HotlineOrder.center_id.in_(sorted(ids)), HotlineOrder.received_at >= low,
                   HotlineOrder.received_at < high)).scalar()
        counts.append(Count(int(got or 0), CaseFilter(statistic=StatisticFilter(Stat.HOTLINE_ORDERS, start, end),
                                                      center_ids=ids)))
    rates: list[tuple[str, str, str]] = []
    if actor.role in hotline.RATE_READERS or permissions.is_system(actor):
        this, last = (hotline.rates(session, actor, start, end, today=today) for start, end in periods)
        if this is not None and last is not None:
            rates = [(a.name, a.text(), b.text()) for a, b in zip(this.rates, last.rates, strict=True)]
    return HotlineTrend(counts[0], counts[1], tuple(rates))


def _received(session: Session, ids: frozenset[int], start: date, end: date) -> int:
    """How many cases the centers ``ids`` received in the month ``start`` … ``end``: :func:`_month`'s
    total. On SQLite the month's count kept by the triggers (stat_received_month, equal to a
    recount: tests/services/test_stat_months.py), on a server (row-level security) counted from the
    covering index (center_id, received_at, …) alone."""
    if session.get_bind().dialect.name == "sqlite":
        kept = stat_received_month.c
        return int(session.connection().execute(
            select(func.coalesce(func.sum(kept.cases), 0))
            .where(kept.month == f"{start:%Y-%m}", kept.center_id.in_(sorted(ids)))).scalar() or 0)
    low, high = _bounds(start, end)
    return int(session.connection().execute(
        select(func.count()).select_from(DisputeCase).where(*_in_window(ids, low, high))).scalar() or 0)


def _overdue(session: Session, ids: frozenset[int], day: date, every: bool) -> Count:
    """超期 on ``day`` over the centers ``ids``: the statistics' count (overdue_condition). On
    SQLite from the partial index of the open cases (``ix_dispute_case_open_clock``): its open
    states are every state but the final ones, as overdue_condition's (a test holds them so), so
    its range of due days needs no test of each entry's state (the 1M demo's 84,000: 27 → 13 ms).
    Over every case no entry's center is tested either (the 200k demo: 2.3 → 0.8 ms)."""
    statistic = StatisticFilter(Stat.OVERDUE, day, day, today=day)
    if session.get_bind().dialect.name == "sqlite":
        in_ids = () if every else (DisputeCase.center_id.in_(sorted(ids)),)
        got = int(session.connection().execute(
            select(func.count()).select_from(DisputeCase)
            .where(DisputeCase.clock_due_on < day, still_open(), *in_ids)
            .with_hint(DisputeCase, f"INDEXED BY {OPEN_CLOCK_INDEX}", "sqlite")).scalar() or 0)
    else:
        got = statistics.count_overdue(session, day, centers=ids)
    return Count(got, CaseFilter(statistic=statistic, center_ids=ids))


def _criminal(session: Session, ids: frozenset[int], start: date, end: date) -> Count:
    """可能民转刑: the flagged cases received in the month or still open, as the open ones and the
    ended ones (a final state: ``FINAL_STATES``, every state not open) received in the month, both
    from the flagged cases' index alone (``ix_dispute_case_criminal``: center, state, day received;
    migration 0059) — for the ended, a range of days per center and final state, not the month's
    range of the dashboard's index (~82,000 entries on the 1M demo: 27-36 ms → under 1 ms)."""
    statistic = StatisticFilter(Stat.CRIMINAL_WATCH, start, end)
    low, high = _bounds(start, end)
    flagged = DisputeCase.may_turn_criminal.is_(True)
    in_ids = DisputeCase.center_id.in_(sorted(ids))
    open_, ended_in_month = (session.connection().execute(
        select(func.count()).select_from(DisputeCase).where(in_ids, flagged, *condition)
        .with_hint(DisputeCase, f"INDEXED BY {CRIMINAL_INDEX}", "sqlite")).scalar()
        for condition in ((DisputeCase.state.in_(sorted(OPEN_STATES)),),
                          (DisputeCase.state.in_(sorted(FINAL_STATES)), DisputeCase.received_at >= low,
                           DisputeCase.received_at < high)))
    return Count(int(open_ or 0) + int(ended_in_month or 0), CaseFilter(statistic=statistic, center_ids=ids))


def _counted(session: Session, ids: frozenset[int], statistic: StatisticFilter) -> Count:
    """The head's cases of one figure: counted by the database with the figure's own condition
    (services.statistics.condition, what the case list opened from the number applies) over the
    centers ``ids``, and that filter."""
    got = session.connection().execute(
        select(func.count()).select_from(DisputeCase)
        .where(DisputeCase.center_id.in_(sorted(ids)), statistics.condition(statistic))).scalar()
    return Count(int(got or 0), CaseFilter(statistic=statistic, center_ids=ids))


def _every_case(session: Session, ids: frozenset[int]) -> bool:
    """Whether the centers ``ids`` hold every case a count could meet: on SQLite (no row-level
    security), ``ids`` being every center (the county head of a county's database; each case's
    center is a center's, by its foreign key)."""
    return (session.get_bind().dialect.name == "sqlite"
            and session.scalar(select(func.count()).select_from(Center)) == len(ids))


#: Each case's cards with their day (migration 0054).
CARD_CASE_GIVEN = "ix_stage_card_case_given"
#: The flagged cases by center, state and day received (migrations 0041, 0059).
CRIMINAL_INDEX = "ix_dispute_case_criminal"
#: The case list's number order (year, seq, id, …; migrations 0001, 0055): the first 蓝 cases' walk.
NUMBER_INDEX = "ix_dispute_case_number"
#: The group disputes by day received, center, state and people involved (migration 0059).
GROUP_INDEX = "ix_dispute_case_group_people"


def _carded(session: Session, ids: frozenset[int], start: date, end: date) -> Count:
    """The cases carded in the month (the filter's ``id IN`` the month's cards), from the counts the
    triggers keep per center and month (``stat_carded_month``, migration 0058: equal to a recount,
    tests/services/test_carded_months.py) — a case carded twice in the month once, by its center
    now, as the filter reads it. Before, the month's cards were read and sorted for
    ``count(DISTINCT case_id)`` (the 1M demo's ~202,000 cards of ~106,000 cases: 65-90 ms of CPU).
    On a server the head reads its centers' rows alone (row-level security)."""
    kept = stat_carded_month.c
    got = session.connection().execute(
        select(func.coalesce(func.sum(kept.cases), 0))
        .where(kept.month == f"{start:%Y-%m}", kept.center_id.in_(sorted(ids)))).scalar()
    return Count(int(got or 0), CaseFilter(statistic=StatisticFilter(Stat.CARDED, start, end), center_ids=ids))


def _has_card(start: date, end: date) -> ColumnElement[bool]:
    """The case (the enclosing statement's) was given a card in the period, found among its own
    cards with their day (``ix_stage_card_case_given``: no card row read)."""
    return (select(StageCard.id).where(StageCard.case_id == DisputeCase.id, StageCard.given_on >= start,
                                       StageCard.given_on <= end)
            # Not the period's range of the cards' index for each case (SQLite's choice after
            # ANALYZE on a small file).
            .with_hint(StageCard, f"INDEXED BY {CARD_CASE_GIVEN}", "sqlite").exists())


def _group_bands(session: Session, ids: frozenset[int], start: date, end: date, every: bool
                 ) -> tuple[tuple[str, Count], ...]:
    """The month's group disputes (not refused) by people band, counted in one statement grouped by
    the band; each band's filter is the statistics' 群体性纠纷 of the band. Over every case, the
    month's range of the group disputes' own index (``ix_dispute_case_group_people``, migration
    0059: day received, center, state, people involved) alone — before, the month's range of the
    dashboard's index and each group dispute's row for its people (1M demo: 18-24 ms). A
    township's few cases come from its own range of ``ix_dispute_case_center_received``."""
    band = case(*((statistics.people_band(column.value), n) for n, (column, _least, _most) in enumerate(PEOPLE_BANDS)),
                else_=-1)
    stmt = (select(band, func.count()).select_from(DisputeCase)
            .where(DisputeCase.center_id.in_(sorted(ids)),
                   statistics.condition(StatisticFilter(Stat.GROUP_DISPUTES, start, end)))
            .group_by(band))
    if every:
        stmt = stmt.with_hint(DisputeCase, f"INDEXED BY {GROUP_INDEX}", "sqlite")
    found = {int(n): int(count) for n, count in session.connection().execute(stmt)}
    return tuple((HEADINGS[column][1], Count(found.get(n, 0), CaseFilter(
        statistic=StatisticFilter(Stat.GROUP_DISPUTES, start, end, column.value), center_ids=ids)))
        for n, (column, _least, _most) in enumerate(PEOPLE_BANDS))


def _overview(session: Session, actor: Actor, ids: frozenset[int], own_name: str, month: tuple[date, date],
              day: date, every: bool) -> BriefingOverview:
    """The first page: each number counted by the database from its indexes (no case row of the
    sections read, no id set made), with a filter that states its cases as a condition — on the 1M
    demo ~80,000 overdue and ~44,000 carded cases, which the graded list reads afterwards."""
    start, end = month
    last_start, last_end = previous_month(start)
    return BriefingOverview(
        center_name=own_name, month=f"{start:%Y-%m}", period_start=start, period_end=end,
        window_start=window(end)[0], today=day,
        received=Count(_received(session, ids, start, end),
                       CaseFilter(statistic=StatisticFilter(Stat.RECEIVED, start, end), center_ids=ids)),
        received_last=Count(_received(session, ids, last_start, last_end),
                            CaseFilter(statistic=StatisticFilter(Stat.RECEIVED, last_start, last_end),
                                       center_ids=ids)),
        group_bands=_group_bands(session, ids, start, end, every),
        criminal=_criminal(session, ids, start, end),
        overdue=_overdue(session, ids, day, every),
        carded=_carded(session, ids, start, end),
        hotline=_hotline(session, actor, ids, ((start, end), (last_start, last_end)), day),
        prepared_by=actor.display_name if actor.user_id is not None else "")


def parts(session: Session, actor: Actor, month: str, *, today: date | None = None, steps: bool = True
          ) -> Generator[BriefingPart, None, None]:
    """:func:`load`'s briefing in four parts, each yielded as soon as it is made, in the order of
    the tab's pages: the first page (:class:`BriefingOverview`: received, 12345, the group
    disputes, 可能民转刑, overdue, carded), the hot spots, the repeat parties and places, then the
    graded list (which needs the repeats and the month's cases the hot spots read). The first page
    is counted by the database from indexes before any section's cases are read (:func:`_overview`).
    With ``steps`` (the tab's read) a long graded list comes twice: first its cases above 蓝 and the
    first :data:`FIRST_BLUE` 蓝 ones with every grade's count (``complete`` False), then whole
    (:func:`_graded_steps`); without (:func:`load`) whole at once, as the sections' rows are read.
    InvalidInput("month") and PermissionDenied come with the first part."""
    _check_reader(actor)
    start, end = statistics.month_period(month)
    last_start, last_end = previous_month(start)
    day = today or now().date()
    key = f"{start:%Y-%m}"
    ids, names, own_name = _visible_centers(session, actor)

    every = _every_case(session, ids)

    # 1. The first page, from counts alone.
    yield _overview(session, actor, ids, own_name, (start, end), day, every)

    # 2. The hot spots; the month's rows read for them name the month's cases the graded list
    # takes for a rule of their own.
    type_names: dict[int, str] = {i: n for i, n in session.execute(select(DisputeType.id, DisputeType.name))}
    this_month = _month(session, ids, start, end, ruled=True)
    last_month = _month(session, ids, last_start, last_end)
    yield BriefingSpots(key, tuple(_spots(this_month, last_month, names, type_names,
                                          ((start, end), (last_start, last_end)), ids)))
    ruled = this_month.ruled
    del this_month, last_month

    # 3. The repeats of the window (the places' cases with the graded list's columns, kept in ``facts``).
    facts: dict[int, _Facts] = {}
    repeated_parties, party_most = repeat_parties(session, ids, end)
    places = _repeat_places(session, ids, end, facts)
    yield BriefingRepeats(key, *window(end), tuple(repeated_parties), tuple(places))

    # 4. The graded list: every case some section lists, graded as the sections' rows are read, and
    # the repeats' cases and the month's cases some rule names.
    place_cases = {i for r in places for i in (r.cases.filter.case_ids or ())}
    more = set(party_most) | place_cases | ruled
    if not steps:
        yield BriefingGrades.of(key, _graded(session, month, _sections(session, ids, (start, end), day, every),
                                             more, names, party_most, place_cases, facts))
        return
    yield from _graded_steps(session, key, ids, (start, end), day, every, more, names, party_most, place_cases,
                             facts)


def load(session: Session, actor: Actor, month: str, *, today: date | None = None) -> Briefing:
    """The briefing of ``month`` ("2026-11"; InvalidInput("month") if bad) over the centers
    ``actor`` reads; overdue cases as of ``today`` (default: now). Only a head may read it.
    The four :func:`parts`, whole (the PDF and the command line print it)."""
    return Briefing.made_of(parts(session, actor, month, today=today, steps=False))


#: A row of :func:`_sections`: the twelve fact columns, then whether the case is 可能民转刑 (flagged,
#: received in the month or open), overdue, carded in the month.
_SectionRow = tuple[int, str, str, int, int | None, bool | None, bool | None, bool | None, bool | None, bool | None,
                    int, int, bool | None, bool | None, bool | None]


def _sections(session: Session, ids: frozenset[int], month: tuple[date, date], day: date, every: bool
              ) -> Iterable[_SectionRow]:
    """The cases of the sections — 可能民转刑, overdue, carded in the month — read once, each with the
    graded list's columns and the section flags worked out by the database.

    Each section's ids come from its own index (可能民转刑: ``ix_dispute_case_criminal``; overdue:
    the covering ``ix_dispute_case_due_center``; carded: ``ix_stage_card_given``), their union
    once, the rows by id. Before, each section read its cases' rows on its own: the 1M demo's
    80,000 overdue cases were read twice, being carded too. Unless the centers hold every case
    (``every``, :func:`_every_case`), the carded ones are the centers' cases found among their own
    cards (a township's few), not every card of the month. The month's cases a rule of their own
    lists are not read here: the hot spots' read of the month's rows names them (:func:`_month`)."""
    is_overdue, is_carded, wanted, in_ids = _section_cases(*month, day, ids, every)
    return session.connection().execute(
        select(*_FACT_COLUMNS, statistics.criminal_watch(*month), is_overdue, is_carded)
        .where(in_ids, DisputeCase.id.in_(wanted)))


def reasons_of(*, criminal: bool, people: int, petition: bool, major: bool, group: bool, party_cases: int,
               repeat_place: bool, overdue: bool, carded: bool) -> tuple[Reason, ...]:
    """The rules a case meets (in :data:`GRADE_RULES` order)."""
    met = {
        Reason.CRIMINAL: criminal,
        Reason.PEOPLE_OVER_100: people >= RED_PEOPLE,
        Reason.PEOPLE_50: ORANGE_PEOPLE <= people < RED_PEOPLE,
        Reason.PARTY_3: party_cases >= ORANGE_REPEATS,
        Reason.PETITION: petition,
        Reason.MAJOR: major,
        Reason.GROUP: group,
        Reason.REPEAT_PARTY: REPEAT_LEAST <= party_cases < ORANGE_REPEATS,
        Reason.REPEAT_PLACE: repeat_place,
        Reason.OVERDUE: overdue,
        Reason.CARDED: carded,
    }
    return tuple(r for r in GRADE_RULES if met[r])


def _facts(session: Session, into: dict[int, _Facts], *conditions: ColumnElement[bool]) -> list[int]:
    """The ids of the cases meeting ``conditions``, their graded-list columns kept in ``into``."""
    ids: list[int] = []
    for row in _raw_rows(session.connection(), select(*_FACT_COLUMNS).where(*conditions)):
        into[row[0]] = tuple(row)
        ids.append(row[0])
    return ids


@lru_cache(maxsize=4096)
def _grade_of(criminal: bool, people: int, petition: bool, major: bool, group: bool, party_cases: int,
              repeat_place: bool, overdue: bool, carded: bool) -> tuple[tuple[Reason, ...], RiskLevel]:
    reasons = reasons_of(criminal=criminal, people=people, petition=petition, major=major, group=group,
                         party_cases=party_cases, repeat_place=repeat_place, overdue=overdue, carded=carded)
    return reasons, proposed_grade(set(reasons))


def _graded(session: Session, month: str, sections: Iterable[_SectionRow], more: set[int], names: dict[int, str],
            party_most: dict[int, int], place_cases: set[int], facts: dict[int, _Facts]) -> GradedCases:
    """The graded list of the sections' cases (:func:`_sections`' rows, graded as they are read) and
    of the ``more`` cases (the repeats', the month's a rule of their own lists: their columns from
    ``facts`` or read by id; not overdue nor carded unless among the sections' rows), ordered by the
    grade in force, then as the case list orders numbers (:data:`_NUMBER_ORDER`: year, seq, id).
    Kept as rows of plain values (:class:`GradedCases`)."""
    grades = _month_grades(session, month)
    # Per case only lookups: the reasons, grade and rank of a set of rules are worked out once per
    # distinct set (a few hundred on the 1M demo's 124,000 listed cases) and kept in ``table``.
    index: dict[tuple[Any, ...], tuple[int, int]] = {}
    table: list[tuple[tuple[Reason, ...], RiskLevel]] = []
    keyed: list[tuple[int, int, int, int, GradedRow]] = []
    append = keyed.append
    no_grade = (-1, "", "")
    party_get, grade_get, index_get, name_get = party_most.get, grades.get, index.get, names.get

    def grade_of(row: _SectionRow | _Facts, overdue: bool, carded: bool) -> None:
        case_id, number, title, center_id, people, criminal, petition, major, group, refused, year, seq = row[:12]
        people_n = int(people or 0)
        rules = (bool(criminal), people_n, bool(petition), bool(major), bool(group) and not refused,
                 party_get(case_id, 0), case_id in place_cases, overdue, carded)
        known = index_get(rules)
        if known is None:
            reasons, proposed = _grade_of(*rules)
            known = index[rules] = (len(table), GRADE_ORDER.index(proposed))
            table.append((reasons, proposed))
        rule, rank = known
        adjusted, why, who = grade_get(case_id, no_grade)
        if adjusted == rank:  # the head's grade is the proposed one again: no adjustment shown
            adjusted, why, who = -1, "", ""
        elif adjusted >= 0:
            rank = adjusted
        # The sort key is made here, not by a property call per case in the sort.
        append((rank, year, seq, case_id,
                (case_id, number, title, name_get(center_id, ""), people_n, rule, adjusted, why, who)))

    pending = set(more)
    discard = pending.discard
    for row in sections:
        discard(row[0])
        grade_of(row, bool(row[13]), bool(row[14]))
    missing = sorted(pending - facts.keys())
    for first in range(0, len(missing), 500):
        _facts(session, facts, DisputeCase.id.in_(missing[first:first + 500]))
    for case_id in pending:
        got = facts.get(case_id)
        if got is not None:  # (None: gone since the repeats were read)
            grade_of(got, False, False)
    keyed.sort()  # by rank, year, seq, id (each id once: the rows themselves never compared)
    return GradedCases((k[4] for k in keyed), tuple(table))


#: How many 蓝 cases the graded list's first part lists (the county head's ~96,000 follow in the whole).
FIRST_BLUE = 200
#: Fewer 蓝 cases than this are listed whole at once (a township head's: the first part would save nothing).
STEPS_FROM = 5000


def _own_rule() -> ColumnElement[bool]:
    """The case's own row names a rule above 蓝 (may be: a refused group dispute is not one), never NULL."""
    return or_(DisputeCase.may_turn_criminal.is_(True), func.coalesce(DisputeCase.people_involved, 0) >= ORANGE_PEOPLE,
               DisputeCase.may_group_petition.is_(True), DisputeCase.is_major.is_(True),
               DisputeCase.is_group_dispute.is_(True))


def _section_cases(start: date, end: date, day: date, ids: frozenset[int], every: bool
                   ) -> tuple[ColumnElement[bool], ColumnElement[bool], Any, ColumnElement[bool]]:
    """:func:`_sections`' conditions: overdue, carded in the month, the union of the sections' ids,
    and the centers' test."""
    in_ids = DisputeCase.center_id.in_(sorted(ids))
    # The first page's definitions (services.statistics), so each section holds its number's cases.
    is_overdue = statistics.overdue_condition(day)
    card_cases = statistics.carded_cases(start, end)
    is_carded = DisputeCase.id.in_(card_cases) if every else _has_card(start, end)
    wanted = union(select(DisputeCase.id).where(in_ids, statistics.criminal_watch(start, end)),
                   select(DisputeCase.id).where(in_ids, is_overdue),
                   card_cases if every else select(DisputeCase.id).where(in_ids, is_carded))
    return is_overdue, is_carded, wanted, in_ids


def _first_by_number(session: Session, blue: dict[int, int], count: int, every: bool) -> list[int] | None:
    """The ``count`` cases of ``blue`` first in the case list's number order (:data:`_NUMBER_ORDER`:
    year, seq, id), or None where that would cost a sort of them all. On SQLite over every case: the
    case list's index of that order (``ix_dispute_case_number``) walked from the index alone, ~10
    entries a 蓝 case on the 1M demo; on a server: the ids as one array, ordered by year, seq, id."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not every:
            return None
        found: list[int] = []
        walked = connection.execute(select(DisputeCase.id).order_by(*_NUMBER_ORDER)
                                    .with_hint(DisputeCase, f"INDEXED BY {NUMBER_INDEX}", "sqlite"))
        try:  # the driver's rows, a batch at a time (SQLAlchemy's rows cost ~3 × SQLite's step)
            cursor = walked.cursor
            while len(found) < count and (batch := cursor.fetchmany(256)):
                found.extend(case_id for (case_id,) in batch if case_id in blue)
        finally:
            walked.close()
        return found[:count]
    return list(connection.execute(
        select(DisputeCase.id).where(DisputeCase.id == any_(bindparam("blue", sorted(blue), type_=ARRAY(Integer))))
        .order_by(*_NUMBER_ORDER).limit(count)).scalars())


def _graded_steps(session: Session, month: str, ids: frozenset[int], period: tuple[date, date], day: date,
                  every: bool, more: set[int], names: dict[int, str], party_most: dict[int, int],
                  place_cases: set[int], facts: dict[int, _Facts]) -> Iterator[BriefingGrades]:
    """:func:`_graded`'s list in two parts (equal to it when whole: tests/services/test_briefing_steps.py).

    Most listed cases are 蓝 for being overdue or carded alone (the 1M demo's county head: ~96,000 of
    ~122,000). The sections' cases are read first as ids with their sections and whether their own
    row names a higher rule (the rows stay in the database); only the cases that may be above 蓝 —
    those, the repeats' and the month's ruled cases, and any the head graded — are read and graded.
    The rest are 蓝 by overdue or carded alone: counted, their ids by grade known, and the first
    :data:`FIRST_BLUE` in the case list's number order read; that part is yielded (``complete``
    False, its rows the whole list's first), then their rows are read and the whole list yielded."""
    start, end = period
    connection = session.connection()
    grades = _month_grades(session, month)
    _is_overdue, _is_carded, wanted, in_ids = _section_cases(start, end, day, ids, every)
    # Each section case: its overdue and carded flags (1 + 2), from the sections' indexes alone; the
    # ones a rule of their own row may put above 蓝 (OWN_RULE_INDEX), the repeats' and the month's,
    # and the head's graded ones are read below, the rest (蓝) are not.
    overdue, carded, criminal, own = _section_ids(session, ids, period, day, every)
    sections: dict[int, int] = {}
    to_read: dict[int, int] = {}
    for case_id in criminal | overdue | carded:
        flags = (1 if case_id in overdue else 0) | (2 if case_id in carded else 0)
        if case_id in own or case_id in more or case_id in grades:
            to_read[case_id] = flags
        else:
            sections[case_id] = flags
    del overdue, carded, criminal, own
    for case_id in more:
        to_read.setdefault(case_id, 0)
    index: dict[tuple[Any, ...], tuple[int, int]] = {}
    table: list[tuple[tuple[Reason, ...], RiskLevel]] = []
    # The known rows above 蓝 and the 蓝 ones among them: (rank, year, seq, id, row), as _graded's.
    higher: list[tuple[int, int, int, int, GradedRow]] = []
    blue_known: list[tuple[int, int, int, int, GradedRow]] = []
    no_grade = (-1, "", "")

    def graded(row: _Facts, flags: int, party: int, place: bool) -> None:
        case_id, number, title, center_id, people, criminal, petition, major, group, refused, year, seq = row
        people_n = int(people or 0)
        rules = (bool(criminal), people_n, bool(petition), bool(major), bool(group) and not refused, party, place,
                 bool(flags & 1), bool(flags & 2))
        known = index.get(rules)
        if known is None:
            reasons, proposed = _grade_of(*rules)
            known = index[rules] = (len(table), GRADE_ORDER.index(proposed))
            table.append((reasons, proposed))
        rule, rank = known
        adjusted, why, who = grades.get(case_id, no_grade)
        if adjusted == rank:  # the head's grade is the proposed one again: no adjustment shown
            adjusted, why, who = -1, "", ""
        elif adjusted >= 0:
            rank = adjusted
        keyed = (rank, year, seq, case_id, (case_id, number, title, names.get(center_id, ""), people_n, rule,
                                            adjusted, why, who))
        (blue_known if rank == len(GRADE_ORDER) - 1 else higher).append(keyed)

    missing = sorted(to_read.keys() - facts.keys())
    for first in range(0, len(missing), 500):
        _facts(session, facts, DisputeCase.id.in_(missing[first:first + 500]))
    for case_id, flags in to_read.items():
        got = facts.get(case_id)
        if got is not None:  # (None: gone since the repeats were read)
            graded(got, flags, party_most.get(case_id, 0), case_id in place_cases)
    higher.sort()
    blue_known.sort()
    blue_rank = len(GRADE_ORDER) - 1
    by_grade: list[set[int]] = [set() for _ in GRADE_ORDER]
    for rank, _year, _seq, case_id, _row in higher:
        by_grade[rank].add(case_id)
    by_grade[blue_rank].update(k[3] for k in blue_known)
    by_grade[blue_rank].update(sections)
    counted = tuple(frozenset(i) for i in by_grade)
    adjusted_count = sum(1 for k in higher if k[4][6] >= 0) + sum(1 for k in blue_known if k[4][6] >= 0)

    def blue_rows(rows: Iterable[_Facts]) -> list[tuple[int, int, int, int, GradedRow]]:
        made: list[tuple[int, int, int, int, GradedRow]] = []
        for row in rows:
            flags = sections.get(row[0])
            if flags is not None:  # (else read for a higher rule, or not a section case now)
                case_id, number, title, center_id, people = row[:5]
                rule, _rank = _blue_rule(index, table, int(people or 0), flags)
                made.append((blue_rank, row[10], row[11], case_id, (case_id, number, title, names.get(center_id, ""),
                                                                    int(people or 0), rule, -1, "", "")))
        return made

    if len(sections) >= STEPS_FROM:
        first_blue = _first_by_number(session, sections, FIRST_BLUE, every)
        if first_blue is not None:
            read: dict[int, _Facts] = {}
            _facts(session, read, DisputeCase.id.in_(first_blue))
            shown = sorted(blue_known + blue_rows(read[i] for i in first_blue if i in read))[:FIRST_BLUE]
            yield BriefingGrades(month, GradedCases((k[4] for k in higher + shown), tuple(table)), counted,
                                 adjusted_count, complete=False)
    # The whole: the 蓝 cases' rows (the sections' cases without a rule of their own above 蓝).
    rest = blue_rows(_raw_rows(connection, select(*_FACT_COLUMNS).where(in_ids, DisputeCase.id.in_(wanted),
                                                                          ~_own_rule())))
    rest.extend(blue_known)
    rest.sort()
    yield BriefingGrades(month, GradedCases((k[4] for k in higher + rest), tuple(table)), counted,
                         adjusted_count)


def _section_ids(session: Session, ids: frozenset[int], period: tuple[date, date], day: date, every: bool
                 ) -> tuple[set[int], set[int], set[int], set[int]]:
    """The ids of the centers' cases overdue on ``day``, carded in the month, flagged 可能民转刑 (the
    sections: :func:`_sections`' conditions), and of those a rule of their own row may put above 蓝
    (``OWN_RULE_INDEX``), each from an index alone (the 1M demo: ~84,000, ~106,000, ~20,000 and
    ~78,000 ids; no case row read)."""
    start, end = period
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    in_ids = DisputeCase.center_id.in_(sorted(ids))
    centers_ = () if every else (in_ids,)
    if sqlite:  # the open cases' partial index (its open states: overdue_condition's, _overdue)
        overdue_ids = select(DisputeCase.id).where(DisputeCase.clock_due_on < day, still_open(), *centers_) \
            .with_hint(DisputeCase, f"INDEXED BY {OPEN_CLOCK_INDEX}", "sqlite")
        own_ids = select(DisputeCase.id).where(text(f"({OWN_RULE_SQLITE})"), *centers_) \
            .with_hint(DisputeCase, f"INDEXED BY {OWN_RULE_INDEX}", "sqlite")
    else:
        overdue_ids = select(DisputeCase.id).where(in_ids, statistics.overdue_condition(day))
        own_ids = select(DisputeCase.id).where(in_ids, text(f"({OWN_RULE_POSTGRESQL})"))
    carded_ids = statistics.carded_cases(start, end) if every else \
        select(DisputeCase.id).where(in_ids, _has_card(start, end))
    criminal_ids = select(DisputeCase.id).where(in_ids, statistics.criminal_watch(start, end)) \
        .with_hint(DisputeCase, f"INDEXED BY {CRIMINAL_INDEX}", "sqlite")
    return tuple(_id_set(connection, q)  # type: ignore[return-value]
                 for q in (overdue_ids, carded_ids, criminal_ids, own_ids))


def _id_set(connection: Connection, statement: Select[*tuple[Any, ...]]) -> set[int]:
    """The ints of ``statement``'s one column (:func:`_raw_rows`)."""
    return {row[0] for row in _raw_rows(connection, statement)}


def _raw_rows(connection: Connection, statement: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    """``statement``'s rows as the driver gives them (ints, texts; a flag SQLite's 0 or 1): SQLAlchemy's
    rows cost ~1.5 µs each, 3 × the statements' own time for the ~370,000 section ids of the 1M demo."""
    result = connection.execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _blue_rule(index: dict[tuple[Any, ...], tuple[int, int]], table: list[tuple[tuple[Reason, ...], RiskLevel]],
               people: int, flags: int) -> tuple[int, int]:
    """The table's entry of a case listed for being overdue (flags 1) or carded (2) alone."""
    rules = (False, people, False, False, False, 0, False, bool(flags & 1), bool(flags & 2))
    known = index.get(rules)
    if known is None:
        reasons, proposed = _grade_of(*rules)
        known = index[rules] = (len(table), GRADE_ORDER.index(proposed))
        table.append((reasons, proposed))
    return known


def _month_grades(session: Session, month: str) -> dict[int, tuple[int, str, str]]:
    """The head's grades of the month (a few rows: read them all): case → (grade's rank, reason, who)."""
    grades: dict[int, tuple[int, str, str]] = {}
    for case_id, grade, reason, who in session.execute(
            select(RiskGrade.case_id, RiskGrade.grade, RiskGrade.reason, User.display_name)
            .outerjoin(User, User.id == RiskGrade.set_by_id).where(RiskGrade.month == month)):
        grades[case_id] = (GRADE_ORDER.index(grade), reason, who or "")
    return grades


def set_grade(session: Session, actor: Actor, case_id: int, month: str, grade: RiskLevel, reason: str, *,
              today: date | None = None) -> GradedCase:
    """The head sets ``grade`` on a case listed in ``month``'s briefing (a case of the head's center
    or a center below), for ``reason`` (required).
    A grade equal to the proposed one removes the head's earlier grade. Stored, audited; the
    briefing shows the proposed grade, the head's and the reason."""
    if not may_read(actor):
        raise PermissionDenied(f"“{actor.role.label}”无权调整风险等级（由中心主任调整）。")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "调整风险等级必须填写理由。")
    if len(reason) > 500:
        raise InvalidInput("reason", "调整理由不能超过500字。")
    case = session.get(DisputeCase, case_id)
    if case is None or not permissions.in_centers(actor, case.center_id):
        # The grade is the meeting's judgement on the briefing the head reads: any case of the
        # head's center or a center below it (on a server: risk_grade's policies, migration 0036),
        # never a case of a center above (a township head does not grade the county's cases).
        raise NotFound(f"找不到案件（编号 {case_id}）。")
    start = statistics.month_period(month)[0]  # InvalidInput("month") if bad
    listed = _one_graded(session, actor, case_id, month, today or now().date())
    month = f"{start:%Y-%m}"
    if listed is None:
        raise InvalidInput("case_id", f"案件“{case.number}”不在{start.year}年{start.month}月的研判清单中。")
    session.execute(delete(RiskGrade).where(RiskGrade.case_id == case_id, RiskGrade.month == month))
    adjusted = grade if grade is not listed.proposed else None
    if adjusted is not None:
        session.add(RiskGrade(case_id=case_id, month=month, proposed=listed.proposed, grade=grade,
                              reason=reason, set_by_id=actor.user_id, set_at=now()))
    audit.record(session, actor, "briefing.grade", "case", case_id,
                 {"number": case.number, "month": month, "proposed": listed.proposed.label,
                  "grade": grade.label, "reason": reason, "previous": listed.grade.label})
    session.flush()
    who = "" if adjusted is None or actor.user_id is None else \
        session.scalar(select(User.display_name).where(User.id == actor.user_id)) or ""
    return replace(listed, adjusted=adjusted, adjust_reason=reason if adjusted else "", adjusted_by=who)


def _one_graded(session: Session, actor: Actor, case_id: int, month: str, day: date) -> GradedCase | None:
    """The case as :func:`load` lists it in ``month``'s graded list (None: not listed), found from
    the case's own rows and a few narrowed reads — not by building the whole briefing (set_grade
    runs in the write lane). Every rule is :func:`load`'s; tests compare the two."""
    start, end = statistics.month_period(month)
    ids, names, _own = _visible_centers(session, actor)
    low, high = _bounds(start, end)
    window_low, window_high = _bounds(*window(end))
    row = session.execute(
        select(*_FACT_COLUMNS[:9], DisputeCase.state, DisputeCase.place_key,
               (DisputeCase.received_at >= low) & (DisputeCase.received_at < high),
               (DisputeCase.received_at >= window_low) & (DisputeCase.received_at < window_high),
               statistics.overdue_condition(day))
        .where(DisputeCase.id == case_id, DisputeCase.center_id.in_(sorted(ids)))).first()
    if row is None:
        return None
    (_id, number, title, center_id, people, criminal, petition, major, group, state, address, in_month,
     in_window, overdue) = row
    in_month, overdue = bool(in_month), bool(overdue)
    carded = session.scalar(select(StageCard.case_id).where(StageCard.case_id == case_id, StageCard.given_on >= start,
                                                            StageCard.given_on <= end).limit(1)) is not None
    party_cases = _party_cases(session, ids, window_low, window_high, case_id) if in_window else 0
    repeat_place = bool(in_window) and _repeat_place(session, ids, window_low, window_high, address)
    people_n = int(people or 0)
    group_case = bool(group) and state is not CaseState.REJECTED
    listed = ((bool(criminal) and (in_month or state in OPEN_STATES)) or overdue or carded or party_cases > 0
              or repeat_place or (in_month and (group_case or people_n >= ORANGE_PEOPLE
                                                 or bool(criminal or petition or major))))
    if not listed:
        return None
    reasons, proposed = _grade_of(bool(criminal), people_n, bool(petition), bool(major), group_case, party_cases,
                                  repeat_place, overdue, carded)
    got = session.execute(select(RiskGrade.grade, RiskGrade.reason, User.display_name)
                          .outerjoin(User, User.id == RiskGrade.set_by_id)
                          .where(RiskGrade.case_id == case_id, RiskGrade.month == f"{start:%Y-%m}")).first()
    adjusted, why, who = (got[0], got[1], got[2] or "") if got is not None else (None, "", "")
    if adjusted is proposed:
        adjusted, why, who = None, "", ""
    return GradedCase(case_id, number, title, names.get(center_id, ""), people_n, reasons, proposed, adjusted,
                      why, who)


def _party_cases(session: Session, ids: frozenset[int], low: datetime, high: datetime, case_id: int) -> int:
    """:func:`repeat_parties`' count for one case: the most cases of the window any of its parties
    is in, 0 below :data:`REPEAT_LEAST` (by the kept keys, from the index of the keys)."""
    mine = sorted({k for k in session.scalars(select(Party.repeat_key).where(Party.case_id == case_id,
                                                                            Party.repeat_key.is_not(None)))
                   if k is not None})
    if not mine:
        return 0
    counts = session.connection().execute(
        select(func.count(distinct(Party.case_id))).join(DisputeCase, DisputeCase.id == Party.case_id)
        .where(Party.repeat_key.in_(mine), *_in_window(ids, low, high)).group_by(Party.repeat_key)).scalars()
    most = max(counts, default=0)
    return most if most >= REPEAT_LEAST else 0


def _repeat_place(session: Session, ids: frozenset[int], low: datetime, high: datetime, key: str | None) -> bool:
    """Whether the place ``key`` (a case's kept ``place_key``) is one of :func:`repeat_places`' places."""
    if key is None:
        return False
    found = session.connection().execute(
        select(func.count()).select_from(DisputeCase)
        .where(DisputeCase.place_key == key, DisputeCase.place_key.is_not(None), *_in_window(ids, low, high))).scalar()
    return (found or 0) >= REPEAT_LEAST


def record_export(session: Session, actor: Actor, month: str, *, target: str) -> None:
    """Log the briefing written to a file (``target``: its name, not its folder)."""
    audit.record(session, actor, "report.briefing_export", "report", None, {"month": month, "target": target},
                 station=audit.workstation(), result="ok")


__all__ = ["load", "mask_id", "may_read", "parts", "place_key", "previous_month", "reasons_of", "record_export",
           "repeat_parties", "repeat_places", "set_grade", "window"]
