"""The county's monthly 矛盾纠纷排查调处情况表 by level (docs/statistics.md, "The table by level").

For a month and the centers a head reads (the county head: the county center and every center
below it; a township head: its township and its villages), one row per center grouped by level
(county, township, village), a 小计 per level and a 合计, each with the month's figures and the
year's to the month's end (本年累计). The figures are those of the dashboard, counted per center:

- 排查 is 收案 (``received_at`` in the period), split by people involved and 重大;
- 调处 and 成功 are the denominator and the numerator of 调解成功率 (each case's last ending in the
  period, 调解成功 or 调解不成);
- 防止民转刑 and 防止群体性上访 are the cases flagged 可能民转刑 / 可能引发群体性上访 whose last
  ending in the period is 调解成功, and the people involved in them.

Each figure carries the :class:`CaseFilter` that lists exactly its cases
(``statistics.condition`` of its :class:`StatisticFilter`, with the row's centers), so the case
list opened from a number holds the cases counted.

A run of whole months (the month, the year to it: every table) is summed from the monthly counts
the triggers keep (migration 0040's columns of ``stat_received_month`` and ``stat_ending_month``,
services/stat_months.py), as the dashboard's figures are; any other period is counted from the
case rows (two GROUP BY queries). On a server both run as the head's own role, so row-level
security (on the case rows; on the counts' rows since migration 0040), not only this code, keeps
out the centers the head may not read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from .. import settings
from ..models import CaseEvent, CenterLevel, DisputeCase, stat_ending_month, stat_received_month
from ..readmodels.caselist import CaseFilter
from ..readmodels.levels import (
    COLUMNS,
    LEVEL_SUBTOTALS,
    PEOPLE_BANDS,
    Column,
    Figure,
    LevelRow,
    LevelsTable,
    RowKind,
)
from ..readmodels.statistics import DENOMINATOR, NUMERATOR, Outcome, StatisticFilter
from ..readmodels.statistics import Figure as Stat
from . import audit, center, centers, permissions, stat_months, statistics
from .actor import Actor
from .errors import PermissionDenied

LEVEL_ORDER = (CenterLevel.COUNTY, CenterLevel.TOWNSHIP, CenterLevel.VILLAGE)
_COUNTED_ENDINGS = (Outcome.SUCCEEDED.value, Outcome.FAILED.value)

#: Each column's figure and bucket in services.statistics (what its drill-down lists).
_DRILL: dict[Column, tuple[Stat, str]] = {
    Column.SCREENED: (Stat.RECEIVED, ""),
    Column.HANDLED: (Stat.SUCCESS_RATE, DENOMINATOR),
    Column.SUCCEEDED: (Stat.SUCCESS_RATE, NUMERATOR),
    **{band: (Stat.PEOPLE_BAND, band.value) for band, _least, _most in PEOPLE_BANDS},
    Column.MAJOR: (Stat.MAJOR_DISPUTES, ""),
    Column.CRIMINAL_CASES: (Stat.ESCALATIONS_PREVENTED, ""),
    Column.CRIMINAL_PEOPLE: (Stat.ESCALATIONS_PREVENTED, ""),
    Column.PETITION_CASES: (Stat.PETITIONS_PREVENTED, ""),
    Column.PETITION_PEOPLE: (Stat.PETITIONS_PREVENTED, ""),
}


def statistic_filter(column: Column, start: date, end: date) -> StatisticFilter:
    """The figure of ``column`` for a period, as the case list's filter understands it."""
    figure, bucket = _DRILL[column]
    return StatisticFilter(figure, start, end, bucket)


def _ones(condition: ColumnElement[bool], value: Any = 1) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def count_by_center(session: Session, start: date, end: date, ids: Collection[int]) -> dict[int, list[int]]:
    """Each center's figures for ``start`` … ``end`` (both included), in :data:`COLUMNS` order;
    centers with nothing counted are absent. Whole months are summed from the monthly counts."""
    if statistics.whole_months(start, end):
        return count_from_months(session, start, end, ids)
    return count_from_rows(session, start, end, ids)


def count_from_months(session: Session, start: date, end: date, ids: Collection[int]) -> dict[int, list[int]]:
    """:func:`count_from_rows` for a run of whole months, summed from the monthly counts: a case's
    ending is its last in the period when no later one of the same case falls in its months."""
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    counted: dict[int, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    received, endings = stat_received_month.c, stat_ending_month.c
    bands = [received[name] for name, _least, _most in stat_months.PEOPLE_BANDS]
    for center_id, n, *rest in session.execute(
        select(received.center_id, func.sum(received.cases), *(func.sum(b) for b in bands),
               func.sum(received.major_cases))
        .where(received.month >= first, received.month <= last, received.center_id.in_(sorted(ids)))
        .group_by(received.center_id)
    ):
        if not (int(n or 0) or any(int(v or 0) for v in rest)):
            continue
        _count_received(counted[center_id], n, rest)

    in_period = ((endings.month >= first) & (endings.month <= last) & ((endings.lo == "") | (endings.lo < first))
                 & ((endings.hi == "") | (endings.hi > last)))
    criminal = endings.criminal == 1
    for center_id, action, n, n_criminal, p_criminal, n_petition, p_petition in session.execute(
        select(endings.center_id, endings.action, func.sum(endings.cases),
               func.sum(case((criminal, endings.cases), else_=literal(0))),
               func.sum(case((criminal, endings.people), else_=literal(0))),
               func.sum(endings.petition_cases), func.sum(endings.petition_people))
        .where(in_period, endings.action.in_(_COUNTED_ENDINGS), endings.center_id.in_(sorted(ids)))
        .group_by(endings.center_id, endings.action)
    ):
        if not int(n or 0):
            continue
        _count_ending(counted[center_id], action, n, (n_criminal, p_criminal, n_petition, p_petition))
    return dict(counted)


def count_from_rows(session: Session, start: date, end: date, ids: Collection[int]) -> dict[int, list[int]]:
    """Each center's figures for ``start`` … ``end`` counted from the case rows."""
    counted: dict[int, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    where = DisputeCase.center_id.in_(sorted(ids))
    received = session.execute(
        select(DisputeCase.center_id, func.count(),
               *(_ones(statistics.people_band(column.value)) for column, _least, _most in PEOPLE_BANDS),
               _ones(DisputeCase.is_major.is_(True)))
        .where(statistics.condition(StatisticFilter(Stat.RECEIVED, start, end)), where)
        .group_by(DisputeCase.center_id))
    for center_id, n, *rest in received:
        _count_received(counted[center_id], n, rest)

    criminal = DisputeCase.may_turn_criminal.is_(True)
    petition = DisputeCase.may_group_petition.is_(True)
    endings = session.execute(
        select(DisputeCase.center_id, CaseEvent.action, func.count(),
               _ones(criminal), _ones(criminal, DisputeCase.people_involved),
               _ones(petition), _ones(petition, DisputeCase.people_involved))
        .join(DisputeCase, DisputeCase.id == CaseEvent.case_id)
        .where(CaseEvent.id.in_(statistics.last_endings(start, end)), CaseEvent.action.in_(_COUNTED_ENDINGS), where)
        .group_by(DisputeCase.center_id, CaseEvent.action))
    for center_id, action, n, n_criminal, p_criminal, n_petition, p_petition in endings:
        _count_ending(counted[center_id], action, n, (n_criminal, p_criminal, n_petition, p_petition))
    return dict(counted)


#: The columns of a success's 可能民转刑 and 可能引发群体性上访 figures, in ``_count_ending``'s order.
_PREVENTED = (Column.CRIMINAL_CASES, Column.CRIMINAL_PEOPLE, Column.PETITION_CASES, Column.PETITION_PEOPLE)


def _count_received(row: list[int], n: Any, rest: Sequence[Any]) -> None:
    """A center's cases received in ``row`` (both counts, the kept months' and the case rows'):
    their number ``n``, then ``rest``: each people band's (``PEOPLE_BANDS`` order) and the major ones'."""
    row[COLUMNS.index(Column.SCREENED)] = int(n or 0)
    for (column, _least, _most), value in zip(PEOPLE_BANDS, rest[:-1], strict=True):
        row[COLUMNS.index(column)] = int(value or 0)
    row[COLUMNS.index(Column.MAJOR)] = int(rest[-1] or 0)


def _count_ending(row: list[int], action: str, n: Any, prevented: Sequence[Any]) -> None:
    """``n`` cases ending by ``action`` in ``row``: handled; a success also counts ``prevented``
    (the successes' 可能民转刑 cases and people, 可能引发群体性上访 cases and people)."""
    row[COLUMNS.index(Column.HANDLED)] += int(n)
    if action == Outcome.SUCCEEDED.value:
        row[COLUMNS.index(Column.SUCCEEDED)] += int(n)
        for column, value in zip(_PREVENTED, prevented, strict=True):
            row[COLUMNS.index(column)] += int(value or 0)


def _figures(values: Sequence[int], start: date, end: date, ids: frozenset[int], one: int | None
             ) -> tuple[Figure, ...]:
    return tuple(
        Figure(value, CaseFilter(statistic=statistic_filter(column, start, end),
                                 center_id=one, center_ids=None if one is not None else ids))
        for column, value in zip(COLUMNS, values, strict=True))


def _sum(rows: Sequence[Sequence[int]]) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * len(COLUMNS)


def year_start(period_start: date) -> date:
    return period_start.replace(month=1, day=1)


def load(session: Session, actor: Actor, month: str, *, reporter: str = "", responsible: str = "",
         submitted_on: date | None = None) -> LevelsTable:
    """The table of ``month`` ("2026-11"; InvalidInput("month") if bad) for the centers ``actor``
    reads. Only a head (or the maintenance actor: every center) may read it."""
    if not (permissions.is_system(actor) or actor.role in permissions.HEAD_ONLY):
        raise PermissionDenied(f"“{actor.role.label}”无权查看矛盾纠纷排查调处情况表（由中心主任查看）。")
    start, end = statistics.month_period(month)
    first = year_start(start)
    shown = [c for c in centers.list_centers(session, actor if actor.center_id is not None else None)]
    ids = frozenset(c.id for c in shown)
    month_counts = count_by_center(session, start, end, ids)
    year_counts = count_by_center(session, first, end, ids)
    zero = [0] * len(COLUMNS)

    rows: list[LevelRow] = []
    for level in LEVEL_ORDER:
        members = [c for c in shown if c.level is level
                   and (c.active or any(month_counts.get(c.id, zero)) or any(year_counts.get(c.id, zero)))]
        if not members:
            continue
        for c in members:
            one = frozenset({c.id})
            name = c.name if c.active else f"{c.name}（已停用）"
            rows.append(LevelRow(RowKind.CENTER, level, c.id, name, one,
                                 _figures(month_counts.get(c.id, zero), start, end, one, c.id),
                                 _figures(year_counts.get(c.id, zero), first, end, one, c.id)))
        level_ids = frozenset(c.id for c in members)
        rows.append(LevelRow(RowKind.SUBTOTAL, level, None, LEVEL_SUBTOTALS[level], level_ids,
                             _figures(_sum([month_counts.get(i, zero) for i in level_ids]), start, end, level_ids,
                                      None),
                             _figures(_sum([year_counts.get(i, zero) for i in level_ids]), first, end, level_ids,
                                      None)))
    counted_ids = frozenset(i for row in rows if row.kind is RowKind.CENTER for i in row.center_ids)
    rows.append(LevelRow(RowKind.TOTAL, None, None, "合计", counted_ids,
                         _figures(_sum([month_counts.get(i, zero) for i in counted_ids]), start, end, counted_ids,
                                  None),
                         _figures(_sum([year_counts.get(i, zero) for i in counted_ids]), first, end, counted_ids,
                                  None)))
    own = actor.center_id
    own_name = next((c.name for c in shown if c.id == own), None) if own is not None else None
    return LevelsTable(center_name=own_name or center.get(session, settings.CENTER_NAME), month=f"{start:%Y-%m}",
                       period_start=start, period_end=end, year_start=first, rows=tuple(rows), reporter=reporter,
                       responsible=responsible or (actor.display_name if actor.user_id is not None else ""),
                       submitted_on=submitted_on)


def record_export(session: Session, actor: Actor, month: str, *, target: str) -> None:
    """Log the table written to a file (``target``: its name, not its folder)."""
    audit.record(session, actor, "report.levels_export", "report", None, {"month": month, "target": target},
                 station=audit.workstation(), result="ok")


__all__ = ["LEVEL_ORDER", "count_by_center", "count_from_months", "count_from_rows", "load", "record_export",
           "statistic_filter", "year_start"]
