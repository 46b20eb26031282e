"""Windows of the case list, for a view that never holds all rows.

The view asks for the row count and then for windows of rows as they scroll into sight. A
window next to one already fetched continues from its last sort key (keyset: an index range scan
whatever the depth); a jump far away counts from the nearer end of the ordering, so even the last
row of a million costs at most half an index walk. Every sort key ends in the case id, so the
order is total and windows never overlap or skip.

Search (``CaseFilter.text``, see services.search) restricts the list to the cases the query finds.
Sorted by ``SortKey.RELEVANCE`` — what the case list switches to when a search is typed — the rows
come best match first, page by page from the search index (offset paging: a ranked hit list has no
index to walk). Any other sort keeps its keyset paging and shows only the hits, so a clerk can
click a column header to see the hits by date, number or state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ..models import (
    AuditEntry,
    CaseCrossing,
    CaseMediator,
    CaseState,
    Center,
    ClockColour,
    ClockStage,
    DisputeCase,
    DisputeType,
    Mediator,
    Party,
    PartyRole,
    RiskLevel,
    Role,
    Team,
)
from ..readmodels.caselist import CaseFilter
from . import audit, permissions, search, statistics, visible_parts
from .actor import Actor

if TYPE_CHECKING:
    pass


class SortKey(StrEnum):
    RECEIVED = "received"
    NUMBER = "number"
    STATE = "state"
    DISPUTE_TYPE = "dispute_type"
    TEAM = "team"
    UPDATED = "updated"
    #: Best search match first (services.search); without a search text, the same as RECEIVED.
    RELEVANCE = "relevance"


#: The order a case goes through its states (登记 → 受理 → … → 结案审核 → 结案): the enum's own order.
WORKFLOW_ORDER: tuple[CaseState, ...] = tuple(CaseState)

# Sorting by state follows the workflow, not the stored English values' alphabet: the state's rank
# as a CASE over literal values (the same text on SQLite and PostgreSQL, and a deterministic
# expression, so an expression index can serve it), then received_at and id as for every sort.
_STATE_RANK: ColumnElement[int] = case(
    *((DisputeCase.state == literal_column(f"'{state.value}'"), literal_column(str(rank), Integer))
      for rank, state in enumerate(WORKFLOW_ORDER)),
    else_=literal_column(str(len(WORKFLOW_ORDER)), Integer),
)

# The columns each sort orders by; each prefix matches an index of dispute_case.
_SORT_COLUMNS: dict[SortKey, tuple[Any, ...]] = {
    SortKey.RECEIVED: (DisputeCase.received_at, DisputeCase.id),
    SortKey.NUMBER: (DisputeCase.year, DisputeCase.seq, DisputeCase.id),
    SortKey.STATE: (_STATE_RANK, DisputeCase.received_at, DisputeCase.id),
    SortKey.DISPUTE_TYPE: (DisputeCase.dispute_type_id, DisputeCase.received_at, DisputeCase.id),
    SortKey.TEAM: (DisputeCase.team_id, DisputeCase.received_at, DisputeCase.id),
    SortKey.UPDATED: (DisputeCase.updated_at, DisputeCase.id),
    SortKey.RELEVANCE: (DisputeCase.received_at, DisputeCase.id),
}
# team_id may be NULL, and a row-value comparison with NULL is never true: no keyset there.
_KEYSET_SAFE = frozenset(SortKey) - {SortKey.TEAM, SortKey.RELEVANCE}


@dataclass(frozen=True)
class CaseQuery:
    filter: CaseFilter = field(default_factory=CaseFilter)
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str
    title: str
    state: CaseState
    dispute_type: str
    risk_level: RiskLevel
    team: str
    lead_mediator: str
    applicants: str
    received_at: datetime
    updated_at: datetime
    #: The row's sort key, handed back to continue the next window from it.
    sort_key: tuple[Any, ...]
    #: The running clock (see services.clocks): stage, the day it turns yellow, the day it is due.
    clock_stage: ClockStage | None = None
    clock_warn_on: date | None = None
    clock_due_on: date | None = None

    def clock_colour(self, today: date) -> ClockColour | None:
        """Green, yellow or red on ``today``; None when no clock runs."""
        if self.clock_warn_on is None or self.clock_due_on is None:
            return None
        if today > self.clock_due_on:
            return ClockColour.RED
        return ClockColour.YELLOW if today >= self.clock_warn_on else ClockColour.GREEN


def _conditions(flt: CaseFilter, *, mediator: bool = True) -> list[ColumnElement[bool]]:
    """The filter's conditions; ``mediator`` False: without its mediator's (a count's parts say it)."""
    conditions: list[ColumnElement[bool]] = []
    if flt.states:
        conditions.append(DisputeCase.state.in_(sorted(flt.states)))
    if flt.dispute_type_id is not None:
        conditions.append(DisputeCase.dispute_type_id == flt.dispute_type_id)
    if flt.team_ids:
        conditions.append(DisputeCase.team_id.in_(sorted(flt.team_ids)))
    if flt.received_from is not None:
        conditions.append(DisputeCase.received_at >= datetime.combine(flt.received_from, time.min))
    if flt.received_to is not None:
        conditions.append(DisputeCase.received_at < datetime.combine(flt.received_to + timedelta(days=1), time.min))
    if flt.statistic is not None:
        conditions.append(statistics.condition(flt.statistic))
    if flt.center_id is not None:
        conditions.append(DisputeCase.center_id == flt.center_id)
    if flt.center_ids is not None:
        conditions.append(DisputeCase.center_id.in_(sorted(flt.center_ids)) if flt.center_ids else false())
    if flt.case_ids is not None:
        conditions.append(DisputeCase.id.in_(sorted(flt.case_ids)) if flt.case_ids else false())
    if flt.mediator_id is not None and mediator:
        conditions.append(or_(DisputeCase.lead_mediator_id == flt.mediator_id, DisputeCase.id.in_(
            select(CaseMediator.case_id).where(CaseMediator.mediator_id == flt.mediator_id))))
    return conditions


def _visible(actor: Actor, flt: CaseFilter) -> list[ColumnElement[bool]]:
    """The filter's conditions plus the actor's row visibility (a mediator: their teams' cases)."""
    permissions.require_role(actor, permissions.CASE_ROLES, "查看案件列表")
    return [permissions.visible_cases(actor), *_conditions(flt)]


def _searched(session: Session, actor: Actor, flt: CaseFilter) -> list[ColumnElement[bool]]:
    """``_visible`` and the search (which needs the session to read the index's vocabulary)."""
    conditions = _visible(actor, flt)
    hits = search.hits_subquery(session, flt.text or "") if flt.searching else None
    if hits is not None:
        conditions.append(DisputeCase.id.in_(select(hits.c.case_id)))
    return conditions


def count_cases(session: Session, actor: Actor, query: CaseQuery) -> int:
    if query.filter.searching:
        return search.count_hits(session, query.filter.text or "", where=_visible(actor, query.filter), actor=actor)
    return int(session.scalar(count_statement(session, actor, query)) or 0)


def count_statement(session: Session, actor: Actor, query: CaseQuery) -> Select[Any]:
    """The statement that counts the list of ``query`` (no search: ``search.count_hits`` counts that)."""
    stmt = None
    if session.get_bind().dialect.name == "sqlite":
        stmt = count_in_parts(session, actor, query.filter)
    if stmt is None:
        stmt = select(func.count()).select_from(DisputeCase).where(*_visible(actor, query.filter))
    return stmt


#: A side of the visibility with fewer cases than this is counted by walking its rows (see
#: ``count_in_parts``); the question reads at most this many entries of an index.
SMALL_SIDE = 20_000

_CENTER_INDEX = visible_parts.CENTER_INDEX
_HANDLING_INDEX = visible_parts.HANDLING_INDEX
_LEAD_INDEX = visible_parts.LEAD_INDEX
_TEAM_INDEX = visible_parts.TEAM_INDEX
_MEDIATED_BY_INDEX = "ix_case_mediator_mediator_case"
_MEDIATED_CASE_HINT = "INDEXED BY ix_dispute_case_mediated"


def _count(*conditions: ColumnElement[bool], index: str | None = None) -> Any:
    """count(*) of the cases under ``conditions`` as a scalar subquery; ``index``: SQLite must walk
    that index (``INDEXED BY``; ``NOT INDEXED``: the rowid only). PostgreSQL ignores the hint."""
    stmt = select(func.count()).select_from(DisputeCase).where(*conditions)
    if index is not None:
        stmt = stmt.with_hint(DisputeCase, index if index == "NOT INDEXED" else f"INDEXED BY {index}", "sqlite")
    return stmt.scalar_subquery()


def _fewer_than(session: Session, limit: int, *conditions: ColumnElement[bool]) -> bool:
    """Whether fewer than ``limit`` cases hold ``conditions`` (reads at most ``limit`` index entries)."""
    some = (select(DisputeCase.id).with_hint(DisputeCase, f"INDEXED BY {_CENTER_INDEX}", "sqlite")
            .where(*conditions).limit(limit).subquery())
    return int(session.scalar(select(func.count()).select_from(some)) or 0) < limit


def count_in_parts(session: Session, actor: Actor, flt: CaseFilter) -> Select[Any] | None:
    """The count of the list of a clerk, a head or a mediator (of any center) as a sum of disjoint
    parts, each walked through the index that holds it; None: count it the ordinary way.

    The visibility (``permissions.visible_cases``) is the cases of the centers the actor reads (C),
    or handled by one of them (H), or crossed with their own center (X); a mediator's, those of
    their teams, or that they lead. Written out as one condition it fits no index: SQLite walked
    the table (a scan of every case for a list, a look-up of each of a filter's rows: 0.1–1.9 s at
    a million cases, also for a township's 13). In parts:

    - C: when the centers read hold few cases (a township's), their cases from the center index;
      when the other centers hold few (the county clerk's), the filter's count (from the index it
      leads, as for the county head) less the other centers' cases of the filter;
    - H less C, from the handling-center index (the handled cases only: the index's NULLs are not
      walked), X less C and H by rowid from the few crossings;
    - a mediator: the above for their teams' cases, plus the cases they lead in other teams (the
      lead index, 0049); their own list (``mediator_id``): ``_own_count``.

    SQLite must use the index named (``INDEXED BY``): its statistics of the center and handling
    indexes say a million cases per value. Not for a statistic's or a briefing's cases (their own
    conditions choose better), a search, the maintenance actor."""
    if (actor.role not in (Role.INTAKE, Role.HEAD, Role.MEDIATOR) or permissions.is_system(actor)
            or actor.center_id is None or flt.statistic is not None or flt.case_ids is not None
            or flt.searching):
        return None
    permissions.require_role(actor, permissions.CASE_ROLES, "查看案件列表")
    readable = sorted(actor.center_ids or {actor.center_id})
    others = list(session.scalars(select(Center.id).where(Center.id.not_in(readable)).order_by(Center.id)))
    rest = _conditions(flt, mediator=False)
    if flt.mediator_id is not None:
        return select(_own_count(actor, flt.mediator_id, rest))
    if actor.role is not Role.MEDIATOR:
        return select(_centers_count(session, readable, others, actor.center_id, rest))
    parts: list[Any] = []
    teams = sorted(actor.team_ids)
    if teams:
        # Their teams' cases of a type: the lead index holds team, state and type, and SQLite
        # skips through its few lead values (the type's index read each case row: 0.1-0.2 s of CPU
        # at half a million cases for a type their teams do not take). Of states alone: the team
        # index holds them (with the centers and the day received), its teams' entries only — for
        # many states (在办: ten) SQLite would not skip through the lead index but walk all of it
        # (75 ms warm at a million cases, the whole index read from disk cold; 28 ms this way).
        second = _LEAD_INDEX if flt.dispute_type_id is not None else _TEAM_INDEX if flt.states else None
        parts.append(_centers_count(session, readable, others, actor.center_id,
                                    [DisputeCase.team_id.in_(teams), *rest], index=second))
    if actor.mediator_id is not None:
        # The cases they lead outside their teams (the lead index holds the team).
        elsewhere = or_(DisputeCase.team_id.is_(None), DisputeCase.team_id.not_in(teams)) if teams else true()
        parts.append(_count(DisputeCase.lead_mediator_id == actor.mediator_id, elsewhere,
                            permissions.visible_cases(actor), *rest, index=_LEAD_INDEX))
    if not parts:
        return None
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return select(total)


def _own_count(actor: Actor, mediator_id: int, rest: list[ColumnElement[bool]]) -> Any:
    """The count of a mediator's own list (the cases ``mediator_id`` leads or mediates with others)
    that ``actor`` sees, under ``rest``, as a scalar expression: two index walks.

    - led by them: ``ix_dispute_case_lead``, which holds every column a filter or the visibility
      tests (migration 0052), alone;
    - mediated by them and led by someone else (or no one): their ``case_mediator`` rows in case
      order (``ix_case_mediator_mediator_case``), the cases they lead set aside in memory first
      (a set read from the lead index), each other case looked up by its key in
      ``ix_dispute_case_mediated``, which holds the same columns (0052).

    Before, each of the mediator's ``case_mediator`` rows (the cases they lead have one too) was
    read from the table and its case row looked up: 79,000 look-ups of large rows for the demo's
    mediator at a million cases (0.6–2 s)."""
    visible = permissions.visible_cases(actor)
    led = DisputeCase.lead_mediator_id == mediator_id
    led_count = _count(led, visible, *rest, index=_LEAD_INDEX)
    lead_case = aliased(DisputeCase)
    led_ids = (select(lead_case.id).with_hint(lead_case, f"INDEXED BY {_LEAD_INDEX}", "sqlite")
               .where(lead_case.lead_mediator_id == mediator_id))
    mediated = (select(func.count()).select_from(CaseMediator)
                .join(DisputeCase, DisputeCase.id == CaseMediator.case_id)
                .where(CaseMediator.mediator_id == mediator_id, CaseMediator.case_id.not_in(led_ids),
                       visible, *rest)
                .with_hint(CaseMediator, f"INDEXED BY {_MEDIATED_BY_INDEX}", "sqlite")
                .with_hint(DisputeCase, _MEDIATED_CASE_HINT, "sqlite"))
    return led_count + mediated.scalar_subquery()


def _centers_count(session: Session, readable: list[int], others: list[int], own: int,
                   rest: list[ColumnElement[bool]], *, index: str | None = None) -> Any:
    """The count of the cases under ``rest`` that are of the centers ``readable``, or handled by one
    of them, or crossed with ``own`` (C ∪ H ∪ X of ``count_in_parts``), as a scalar expression;
    ``index``: the one the filter's own count walks (else the planner's choice)."""
    if not others:
        # Every case's center (never NULL) is one the actor reads (the county head; everyone in a
        # one-center database): the filter alone, counted from the index it leads.
        return _count(*rest, index=index)
    mine, theirs = DisputeCase.center_id.in_(readable), DisputeCase.center_id.in_(others)
    if _fewer_than(session, SMALL_SIDE, mine):
        centers = _count(mine, *rest, index=_CENTER_INDEX)
    elif _fewer_than(session, SMALL_SIDE, theirs):
        centers = _count(*rest, index=index) - _count(theirs, *rest, index=_CENTER_INDEX)
    else:
        centers = _count(mine, *rest, index=index)  # both sides big: the planner's choice
    handled = DisputeCase.handling_center_id.in_(readable)
    not_handled = or_(DisputeCase.handling_center_id.is_(None), DisputeCase.handling_center_id.not_in(readable))
    crossed = DisputeCase.id.in_(
        select(CaseCrossing.case_id).where(CaseCrossing.from_center_id == own).union(
            select(CaseCrossing.case_id).where(CaseCrossing.to_center_id == own)))
    return (centers + _count(handled, theirs, *rest, index=_HANDLING_INDEX)
            + _count(crossed, theirs, not_handled, *rest, index="NOT INDEXED"))


def _ordered(stmt: Select[Any], columns: tuple[Any, ...], descending: bool) -> Select[Any]:
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns))


def fetch_window(session: Session, actor: Actor, query: CaseQuery, offset: int, limit: int, *,
                 total: int | None, after: tuple[Any, ...] | None = None) -> list[CaseRow]:
    """Rows ``offset`` … ``offset + limit - 1`` of the ordered list of ``total`` rows.

    ``total`` None: not counted yet (the first rows of a new query are read before its count, so
    they show without waiting for it); the rows are then read from the start of the order.
    ``after`` is the sort key of row ``offset - 1`` when the caller has it.
    """
    return _rows_for(session, *_window_keys(session, actor, query, offset, limit, total=total, after=after))


Keyed = tuple[int, tuple[Any, ...]]


def fetch_first(session: Session, actor: Actor, query: CaseQuery, limit: int,
                shown: int) -> tuple[list[CaseRow], list[Keyed] | None]:
    """The first ``limit`` rows of a new query (not counted yet) as the first ``shown`` rows, read
    whole, and the (id, sort key) of the others, whose columns :func:`rows_of` reads afterwards: a
    screen's rows cost what a screen shows, and the rest are read once it is painted. Rows the same
    as ``fetch_window(…, 0, limit, total=None)``'s.

    None instead of the others: a search's ranking found its first ``shown`` rows sooner than its
    first ``limit`` and stopped there (``search.first_ranked``); :func:`fetch_rest` reads the
    others."""
    if query.sort is SortKey.RELEVANCE and query.filter.searching and 0 < shown < limit:
        ranked, cut = search.first_ranked(session, query.filter.text or "", limit=limit, screen=shown,
                                          where=_visible(actor, query.filter), actor=actor)
        ids, keys = [case_id for case_id, _ in ranked], {case_id: (rank, -case_id) for case_id, rank in ranked}
        if cut:
            return _rows_for(session, ids, keys), None
    else:
        ids, keys = _window_keys(session, actor, query, 0, limit, total=None)
    rows = _rows_for(session, ids[:shown], keys)
    if len(rows) < len(ids[:shown]):  # deleted meanwhile: the rest would be out of place
        return _rows_for(session, ids, keys), []
    return rows, [(case_id, keys[case_id]) for case_id in ids[shown:]]


def fetch_rest(session: Session, actor: Actor, query: CaseQuery, limit: int,
               shown: list[int]) -> list[CaseRow] | None:
    """The rows after the cases ``shown`` among the first ``limit`` of a new query, whose first
    rows :func:`fetch_first` read without the others (None instead of them); None when the first
    ``limit`` no longer begin with ``shown`` (a case changed between the two reads)."""
    ids, keys = _window_keys(session, actor, query, 0, limit, total=None)
    if ids[:len(shown)] != shown:
        return None
    return _rows_for(session, ids[len(shown):], keys)


def rows_of(session: Session, keyed: list[Keyed]) -> list[CaseRow]:
    """The rows of the cases ``keyed`` (id, sort key: the rest of :func:`fetch_first`), in that order;
    a case deleted meanwhile is left out."""
    return _rows_for(session, [case_id for case_id, _ in keyed], dict(keyed))


def _window_keys(session: Session, actor: Actor, query: CaseQuery, offset: int, limit: int, *, total: int | None,
                 after: tuple[Any, ...] | None = None) -> tuple[list[int], dict[int, tuple[Any, ...]]]:
    """The ids of :func:`fetch_window`'s rows in order, and each one's sort key."""
    if limit <= 0 or (total is not None and offset >= total):
        return [], {}
    if total is not None:
        limit = min(limit, total - offset)
    if query.sort is SortKey.RELEVANCE and query.filter.searching:
        ranked = search.ranked_case_ids(session, query.filter.text or "", offset=offset, limit=limit,
                                        where=_visible(actor, query.filter), actor=actor)
        return [case_id for case_id, _ in ranked], {case_id: (rank, -case_id) for case_id, rank in ranked}
    columns = _SORT_COLUMNS[query.sort]
    base = select(DisputeCase.id, *columns).where(*_searched(session, actor, query.filter))
    few = _few_visible(session, actor)
    if few is not None:
        base = base.where(few).with_hint(DisputeCase, "NOT INDEXED", "sqlite")
    elif _own_from_the_indexes(session, actor, query):
        base, columns = _own_sorted(actor, query)
    else:
        lead_index = _from_the_lead_index(session, actor, query)
        if lead_index == "sorted":
            base = base.with_hint(DisputeCase, f"INDEXED BY {_LEAD_INDEX}", "sqlite")
        elif lead_index == "probe" and total is None and session.execute(
                select(DisputeCase.id).where(*_searched(session, actor, query.filter))
                .with_hint(DisputeCase, f"INDEXED BY {_LEAD_INDEX}", "sqlite").limit(1)).first() is None:
            return [], {}
    if after is not None and query.sort in _KEYSET_SAFE:
        key = tuple_(*columns)
        bound = tuple_(*after)
        stmt = _ordered(base.where(key < bound if query.descending else key > bound), columns, query.descending)
        id_rows = session.execute(stmt.limit(limit)).all()
    elif total is not None and offset + limit / 2 > total / 2:
        # Nearer the end: walk the index backwards from the last row.
        from_end = total - offset - limit
        stmt = _ordered(base, columns, not query.descending).offset(from_end).limit(limit)
        id_rows = list(reversed(session.execute(stmt).all()))
    else:
        stmt = _ordered(base, columns, query.descending).offset(offset).limit(limit)
        id_rows = session.execute(stmt).all()
    return [row[0] for row in id_rows], {row[0]: tuple(row[1:]) for row in id_rows}


#: The sorts whose columns both covering indexes of a mediator's own list hold (``ix_dispute_case_lead``,
#: ``ix_dispute_case_mediated``: received_at, state, type, team; the id).
_OWN_INDEX_SORTS = frozenset({SortKey.RECEIVED, SortKey.RELEVANCE, SortKey.STATE, SortKey.DISPUTE_TYPE, SortKey.TEAM})


def _own_from_the_indexes(session: Session, actor: Actor, query: CaseQuery) -> bool:
    """Whether a mediator's own list (我承办的案件, ``mediator_id``) of a dispute type is read on SQLite
    from the two covering indexes its count walks (:func:`_own_sorted`).

    Read by the order's own index, such a list walked the county's cases of the type one row look-up
    each until enough of theirs came up: a type their teams never handle read every one (the 1M
    demo's mediator and 婚姻家庭: 120,000 look-ups, 0.3-2 s, for no row). From the indexes it costs
    their own cases' entries whatever the type (the same demo: 76-130 ms CPU, 114,000 entries).
    Without a type the order's walk finds their cases at once (a ninth of the county's cases there:
    their 待办 newest first 26 ms, from the indexes 118) and is kept; a type of theirs costs the walk
    less too (22 ms), but nothing tells the two types apart before the rows are read."""
    flt = query.filter
    return (flt.mediator_id is not None and session.get_bind().dialect.name == "sqlite"
            and actor.role in (Role.INTAKE, Role.HEAD, Role.MEDIATOR) and not permissions.is_system(actor)
            and actor.center_id is not None and not flt.searching and flt.statistic is None
            and flt.case_ids is None and query.sort in _OWN_INDEX_SORTS and flt.dispute_type_id is not None)


def _own_sorted(actor: Actor, query: CaseQuery) -> tuple[Select[Any], tuple[Any, ...]]:
    """The ids and sort keys of a mediator's own list that ``actor`` sees under the filter, and the
    key columns to order them by: the cases they lead from ``ix_dispute_case_lead`` alone, and those
    they mediate led by someone else (or no one) through ``ix_case_mediator_mediator_case`` and
    ``ix_dispute_case_mediated`` alone (the parts of :func:`_own_count`); no case row is read."""
    flt = query.filter
    mediator_id = flt.mediator_id
    visible = permissions.visible_cases(actor)
    rest = _conditions(flt, mediator=False)
    keyed = (DisputeCase.id.label("case_id"),
             *(column.label(f"key_{i}") for i, column in enumerate(_SORT_COLUMNS[query.sort])))
    led = (select(*keyed).where(DisputeCase.lead_mediator_id == mediator_id, visible, *rest)
           .with_hint(DisputeCase, f"INDEXED BY {_LEAD_INDEX}", "sqlite"))
    mediated = (select(*keyed).select_from(CaseMediator).join(DisputeCase, DisputeCase.id == CaseMediator.case_id)
                .where(CaseMediator.mediator_id == mediator_id,
                       or_(DisputeCase.lead_mediator_id.is_(None), DisputeCase.lead_mediator_id != mediator_id),
                       visible, *rest)
                .with_hint(CaseMediator, f"INDEXED BY {_MEDIATED_BY_INDEX}", "sqlite")
                .with_hint(DisputeCase, _MEDIATED_CASE_HINT, "sqlite"))
    both = union_all(led, mediated).subquery()
    keys = tuple(both.c)[1:]
    return select(both.c.case_id, *keys), keys


#: The sorts other than by date whose columns ``ix_dispute_case_lead`` holds (with the id, the rowid).
_LEAD_INDEX_SORTS = frozenset({SortKey.STATE, SortKey.DISPUTE_TYPE, SortKey.TEAM})


def _from_the_lead_index(session: Session, actor: Actor, query: CaseQuery) -> str | None:
    """How a mediator's first rows use ``ix_dispute_case_lead`` on SQLite: "sorted" (read from it
    alone, then sorted), "probe" (first asked whether it holds any: none, no rows), or None.

    The index holds every column of their visibility (lead, team, centers; the id) and of the
    filters but the statistics' and the own list's, and the sort columns of the state, type and
    team orders. Read by the order's own index, the rows of a mediator sorted by one of those walked
    the county's cases one row look-up each until their teams' came up (the team order from the
    top: 200 ms of CPU at 150,000 cases); the index's entries are read instead, never a row, and
    the visible ones sorted. Newest first with a type or a state, the walk of that type's or
    state's index finds their rows at once, unless their teams take none: then it read every case
    of the type (1.1-1.4 s at 580,000), and the index, asked first for one visible entry (its
    scan, no row read), says there is none."""
    flt = query.filter
    if (actor.role is not Role.MEDIATOR or session.get_bind().dialect.name != "sqlite"
            or permissions.is_system(actor) or flt.searching or flt.statistic is not None
            or flt.case_ids is not None or flt.mediator_id is not None):
        return None
    if query.sort in _LEAD_INDEX_SORTS:
        return "sorted"
    if query.sort in (SortKey.RECEIVED, SortKey.RELEVANCE) and (flt.states or flt.dispute_type_id is not None):
        return "probe"
    return None


#: A list whose centers hold at most this many cases (a township's people) reads its rows from
#: the ids of those cases (see ``_few_visible``); the question reads at most this many index entries.
SMALL_LIST = 5_000


def _few_visible(session: Session, actor: Actor) -> ColumnElement[bool] | None:
    """On SQLite, for a person whose centers hold few cases: ``id IN (few_visible_ids)``; None
    otherwise.

    The list's rows are the first of the order that are visible: with the visibility fitting no
    index, SQLite walked the order's index over every case to find a township's 13 (2–4 s at a
    million cases, for the first rows and each filter and sort). Read instead by those ids
    (``NOT INDEXED``: by rowid), then sorted (at most a few thousand rows)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    ids = few_visible_ids(session, actor)
    return None if ids is None else DisputeCase.id.in_(ids)


def few_visible_ids(session: Session, actor: Actor) -> Any | None:
    """For a clerk, head or mediator whose centers hold at most ``SMALL_LIST`` cases (a township's
    people): the ids of the cases they may see by their centers — theirs, handled by them, crossed
    with theirs — each part read from its index, as a selectable of one column (a superset of what
    they see: still to be ANDed with the visibility); None for anyone else (their centers hold many
    cases, or every case). The parts are ``visible_parts``'s centers' side.

    What is read for such a person through their cases (the case list's rows, the cards) starts
    from these few ids instead of walking a whole county's rows to find theirs."""
    parts = visible_parts.visible_parts(session, actor)
    if parts is None or parts.centers is None:  # every center's: the visibility holds every case
        return None
    if not visible_parts.fewer_than(session, SMALL_LIST, parts.centers[0]):  # the centers' own cases
        return None
    return union(*(part.selectable() for part in parts.centers))


# The names of the type, team and lead mediator as correlated lookups by primary key, not joins:
# with the cases the only table of the FROM, the planner can only look the page's ids up. Joined,
# and without statistics for dispute_case (SQLite's rebuild of the table in migration 0022 drops
# them), it walked all of a type's cases through ix_dispute_case_type_received for each of the few
# types: ~100 ms for 50 rows of a million. Made once, the ids bound at each read: building the
# statements anew cost about a third of a screen's read.
_DETAILS = select(
    DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.state,
    select(DisputeType.name).where(DisputeType.id == DisputeCase.dispute_type_id).scalar_subquery().label("type_name"),
    DisputeCase.risk_level,
    select(Team.name).where(Team.id == DisputeCase.team_id).scalar_subquery().label("team_name"),
    select(Mediator.name).where(Mediator.id == DisputeCase.lead_mediator_id).scalar_subquery().label("lead_name"),
    DisputeCase.received_at, DisputeCase.updated_at,
    DisputeCase.clock_stage, DisputeCase.clock_warn_on, DisputeCase.clock_due_on,
).where(DisputeCase.id.in_(bindparam("ids", expanding=True)))
_APPLICANTS = (select(Party.case_id, Party.name)
               .where(Party.case_id.in_(bindparam("ids", expanding=True)), Party.role == PartyRole.APPLICANT)
               .order_by(Party.case_id, Party.seq))


def _rows_for(session: Session, ids: list[int], keys: dict[int, tuple[Any, ...]]) -> list[CaseRow]:
    if not ids:
        return []
    details = {r.id: r for r in session.execute(_DETAILS, {"ids": ids})}
    applicants: dict[int, list[str]] = {}
    for case_id, name in session.execute(_APPLICANTS, {"ids": ids}):
        applicants.setdefault(case_id, []).append(name)
    rows = []
    for case_id in ids:
        r = details.get(case_id)
        if r is None:  # deleted between the two queries; the next refresh drops it
            continue
        rows.append(
            CaseRow(
                id=r.id, number=r.number, title=r.title, state=r.state, dispute_type=r.type_name or "",
                risk_level=r.risk_level, team=r.team_name or "", lead_mediator=r.lead_name or "",
                applicants="、".join(applicants.get(case_id, [])), received_at=r.received_at,
                updated_at=r.updated_at, sort_key=keys[case_id], clock_stage=r.clock_stage,
                clock_warn_on=r.clock_warn_on, clock_due_on=r.clock_due_on,
            )
        )
    return rows


def row_position(session: Session, actor: Actor, query: CaseQuery, case_id: int) -> int | None:
    """Where a case stands in the ordered list (to keep the selection after a refresh)."""
    if query.sort not in _KEYSET_SAFE:
        return None
    columns = _SORT_COLUMNS[query.sort]
    visible = _searched(session, actor, query.filter)
    few = _few_visible(session, actor)
    if few is not None:
        visible.append(few)
    key_row = session.execute(select(*columns).where(DisputeCase.id == case_id, *visible)).first()
    if key_row is None:
        return None
    key = tuple_(*columns)
    bound = tuple_(*key_row)
    if query.sort not in _KEYSET_SAFE:
        return None
    before = key > bound if query.descending else key < bound
    stmt = select(func.count()).select_from(DisputeCase).where(and_(before, *visible))
    if few is not None:
        stmt = stmt.with_hint(DisputeCase, "NOT INDEXED", "sqlite")
    return int(session.scalar(stmt) or 0)


__all__ = [
    "CaseQuery",
    "CaseRow",
    "SortKey",
    "count_cases",
    "fetch_first",
    "fetch_window",
    "few_visible_ids",
    "row_position",
    "rows_of",
]


# --------------------------------------------------------------------------- audit


def query_detail(query: CaseQuery) -> dict[str, Any]:
    """What a case-list query asked for, as an audit entry records it (only what was set)."""
    flt = query.filter
    detail: dict[str, Any] = {"sort": query.sort.value, "descending": query.descending}
    if flt.states:
        detail["states"] = sorted(state.value for state in flt.states)
    if flt.dispute_type_id is not None:
        detail["dispute_type_id"] = flt.dispute_type_id
    if flt.team_ids:
        detail["team_ids"] = sorted(flt.team_ids)
    if flt.received_from is not None:
        detail["received_from"] = flt.received_from.isoformat()
    if flt.received_to is not None:
        detail["received_to"] = flt.received_to.isoformat()
    if flt.mediator_id is not None:
        detail["mediator_id"] = flt.mediator_id
    if flt.statistic is not None:
        stat = flt.statistic
        detail["statistic"] = {"figure": str(stat.figure), "bucket": stat.bucket,
                               "period": [stat.period_start.isoformat(), stat.period_end.isoformat()]}
    if flt.center_ids is not None:
        detail["center_ids"] = sorted(flt.center_ids)
    if flt.case_ids is not None:
        detail["cases"] = len(flt.case_ids)  # a figure of the risk briefing: how many cases it lists
    if flt.searching:
        detail["words"] = " ".join(search.words_of(flt.text or ""))
    return detail


def record_query(session: Session, actor: Actor, query: CaseQuery, *, purpose: str = "ui") -> AuditEntry:
    """Log that ``actor`` ran ``query`` (a search when it has words, else a list), once per run —
    not per window fetched as the list scrolls; the searched words are masked."""
    action = audit.SEARCH_ACTION if query.filter.searching else audit.LIST_ACTION
    return audit.record_query(session, actor, action, {**query_detail(query), "purpose": purpose})
