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

from sqlalchemy import ColumnElement, Integer, Select, and_, case, false, func, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session

from ..models import (
    AuditEntry,
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
from . import audit, permissions, search, statistics
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


def _conditions(flt: CaseFilter) -> list[ColumnElement[bool]]:
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
    if flt.mediator_id is not None:
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
        return search.count_hits(session, query.filter.text or "", where=_visible(actor, query.filter))
    stmt = _count_by_indexes(session, actor, query.filter)
    if stmt is None:
        stmt = select(func.count()).select_from(DisputeCase).where(*_visible(actor, query.filter))
    return int(session.scalar(stmt) or 0)


def _count_by_indexes(session: Session, actor: Actor, flt: CaseFilter) -> Select[Any] | None:
    """The count of the list of a clerk or a head who reads every center of the database (a head
    of the county, everyone of a one-center database) on SQLite: the filter alone, counted from
    an index.

    Their visibility (``permissions.visible_cases``: the centers they read, or handled by or
    crossed with theirs) holds every case then, but written out it sent each count to the table's
    rows: a scan of every case for the whole list, a look-up of each row for a filter (0.5–3.4 s
    at a million cases). Without it, the state, type, team, received-day and center filters are
    each counted from the index they lead. None: the ordinary count — a mediator's list, an actor
    who reads only some centers (turning that condition around made the planner walk the filter's
    rows twice), a statistic's cases, a server (its row-level security decides what is counted)."""
    if (session.get_bind().dialect.name != "sqlite" or actor.role not in (Role.INTAKE, Role.HEAD)
            or permissions.is_system(actor) or actor.center_id is None):
        return None
    readable = sorted(actor.center_ids or {actor.center_id})
    if session.scalar(select(Center.id).where(Center.id.not_in(readable)).limit(1)) is not None:
        return None
    # Every case's center (never NULL) is one the actor reads: the visibility holds every row.
    return select(func.count()).select_from(DisputeCase).where(*_conditions(flt))


def _ordered(stmt: Select[Any], columns: tuple[Any, ...], descending: bool) -> Select[Any]:
    return stmt.order_by(*(c.desc() if descending else c.asc() for c in columns))


def fetch_window(session: Session, actor: Actor, query: CaseQuery, offset: int, limit: int, *,
                 total: int | None, after: tuple[Any, ...] | None = None) -> list[CaseRow]:
    """Rows ``offset`` … ``offset + limit - 1`` of the ordered list of ``total`` rows.

    ``total`` None: not counted yet (the first rows of a new query are read before its count, so
    they show without waiting for it); the rows are then read from the start of the order.
    ``after`` is the sort key of row ``offset - 1`` when the caller has it.
    """
    if limit <= 0 or (total is not None and offset >= total):
        return []
    if total is not None:
        limit = min(limit, total - offset)
    if query.sort is SortKey.RELEVANCE and query.filter.searching:
        ranked = search.ranked_case_ids(session, query.filter.text or "", offset=offset, limit=limit,
                                        where=_visible(actor, query.filter))
        return _rows_for(session, [case_id for case_id, _ in ranked],
                         {case_id: (rank, -case_id) for case_id, rank in ranked})
    columns = _SORT_COLUMNS[query.sort]
    base = select(DisputeCase.id, *columns).where(*_searched(session, actor, query.filter))
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
    ids = [row[0] for row in id_rows]
    keys = {row[0]: tuple(row[1:]) for row in id_rows}
    return _rows_for(session, ids, keys)


def _rows_for(session: Session, ids: list[int], keys: dict[int, tuple[Any, ...]]) -> list[CaseRow]:
    if not ids:
        return []
    # The names of the type, team and lead mediator as correlated lookups by primary key, not
    # joins: with the cases the only table of the FROM, the planner can only look the page's ids
    # up. Joined, and without statistics for dispute_case (SQLite's rebuild of the table in
    # migration 0022 drops them), it walked all of a type's cases through
    # ix_dispute_case_type_received for each of the few types: ~100 ms for 50 rows of a million.
    type_name = select(DisputeType.name).where(DisputeType.id == DisputeCase.dispute_type_id)
    team_name = select(Team.name).where(Team.id == DisputeCase.team_id)
    lead_name = select(Mediator.name).where(Mediator.id == DisputeCase.lead_mediator_id)
    details = {
        r.id: r
        for r in session.execute(
            select(
                DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.state,
                type_name.scalar_subquery().label("type_name"), DisputeCase.risk_level,
                team_name.scalar_subquery().label("team_name"), lead_name.scalar_subquery().label("lead_name"),
                DisputeCase.received_at, DisputeCase.updated_at,
                DisputeCase.clock_stage, DisputeCase.clock_warn_on, DisputeCase.clock_due_on,
            )
            .where(DisputeCase.id.in_(ids))
        )
    }
    applicants: dict[int, list[str]] = {}
    for case_id, name in session.execute(
        select(Party.case_id, Party.name)
        .where(Party.case_id.in_(ids), Party.role == PartyRole.APPLICANT)
        .order_by(Party.case_id, Party.seq)
    ):
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
    key_row = session.execute(select(*columns).where(DisputeCase.id == case_id, *visible)).first()
    if key_row is None:
        return None
    key = tuple_(*columns)
    bound = tuple_(*key_row)
    if query.sort not in _KEYSET_SAFE:
        return None
    before = key > bound if query.descending else key < bound
    stmt = select(func.count()).select_from(DisputeCase).where(and_(before, *visible))
    return int(session.scalar(stmt) or 0)


__all__ = [
    "CaseQuery",
    "CaseRow",
    "SortKey",
    "count_cases",
    "fetch_window",
    "row_position",
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
