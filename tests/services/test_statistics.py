"""The dashboard's figures against counts computed directly in SQL, and the case list behind each.

Every figure is recomputed here from raw SQL (and Python for the per-case "last ending" choice),
independently of services.statistics; then the case list run with the figure's filter must hold
exactly the cases counted — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.readmodels.statistics import FORMULAS, NO_TEAM, TITLES, Figure, Outcome
from mediation_desk.services import caselist, cases, statistics, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery, SortKey
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..conftest import login_as
from .helpers import BACKENDS, new_case_input, seeded_demo

TODAY = date(2026, 11, 20)
START, END = date(2026, 3, 1), date(2026, 10, 31)
HEAD = Actor(user_id=None, username="head", display_name="主任", role=Role.HEAD)
ENDINGS = ("succeed", "fail", "withdraw", "divert", "reject")


@pytest.fixture(params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The test's own copy of a 400-case demo, seeded once a worker and backend (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 400, today=datetime(2026, 11, 20, 17, 0)) as db:
        yield db


def _dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _ids(session: Session, sql: str, **params: Any) -> set[int]:
    return {int(row[0]) for row in session.execute(text(sql), params)}


def _listed(session: Session, flt: CaseFilter, sort: SortKey = SortKey.RECEIVED) -> set[int]:
    """The ids the case list shows for a filter, fetched in keyset windows of 37 rows."""
    query = CaseQuery(filter=flt, sort=sort)
    total = caselist.count_cases(session, HEAD, query)
    ids: list[int] = []
    after = None
    while len(ids) < total:
        rows = caselist.fetch_window(session, HEAD, query, len(ids), 37, total=total, after=after)
        assert rows, "a window came back empty before the end"
        ids.extend(r.id for r in rows)
        after = rows[-1].sort_key
    assert len(ids) == len(set(ids)) == total
    return set(ids)


class Raw:
    """The figures, computed the plain way."""

    def __init__(self, session: Session, start: date, end: date) -> None:
        low, high = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(days=1),
                                                                                    datetime.min.time())
        params = {"low": low, "high": high}
        self.received = {
            int(r[0]): r for r in session.execute(text(
                "SELECT id, dispute_type_id, source_channel, team_id, received_at, amount_involved, "
                "is_group_dispute, state FROM dispute_case WHERE received_at >= :low AND received_at < :high"),
                params)
        }
        last: dict[int, tuple[int, str, datetime]] = {}
        for event_id, case_id, action, at in session.execute(text(
                "SELECT id, case_id, action, at FROM case_event WHERE action IN "
                "('succeed', 'fail', 'withdraw', 'divert', 'reject') AND at >= :low AND at < :high"), params):
            if case_id not in last or event_id > last[case_id][0]:
                last[case_id] = (event_id, action, _dt(at))
        cases = {int(r[0]): r for r in session.execute(text(
            "SELECT id, accepted_at, may_turn_criminal FROM dispute_case"))}
        self.ending = {case_id: action for case_id, (_, action, _) in last.items()}
        self.on_time = {
            case_id for case_id, (_, action, at) in last.items()
            if action in ("succeed", "fail", "withdraw") and cases[case_id][1] is not None
            and (at.date() - _dt(cases[case_id][1]).date()).days <= 30
        }
        self.criminal = {case_id for case_id, row in cases.items() if row[2]}
        visits: dict[int, tuple[int, str]] = {}
        for visit_id, case_id, satisfaction in session.execute(text(
                "SELECT id, case_id, satisfaction FROM return_visit WHERE visited_on >= :start "
                "AND visited_on <= :end AND satisfaction IS NOT NULL"), {"start": start, "end": end}):
            if case_id not in visits or visit_id > visits[case_id][0]:
                visits[case_id] = (visit_id, satisfaction)
        self.visits = {case_id: s for case_id, (_, s) in visits.items()}

    def received_where(self, index: int, value: Any) -> set[int]:
        return {cid for cid, row in self.received.items() if row[index] == value}

    def ending_in(self, *actions: str) -> set[int]:
        return {cid for cid, action in self.ending.items() if action in actions}


def test_every_figure_matches_raw_sql_and_the_case_list(demo_db: Database) -> None:
    with demo_db.read() as session:
        figs = statistics.figures(session, HEAD, START, END, today=TODAY)
        raw = Raw(session, START, END)
        assert len(raw.received) > 150 and len(raw.ending) > 100, "the demo data should fill the period"

        def check(flt: CaseFilter, expected: set[int], count: int) -> None:
            assert count == len(expected)
            assert _listed(session, flt) == expected

        check(figs.received.filter, set(raw.received), figs.received.count)
        for bucket in figs.by_type.buckets:
            check(bucket.filter, raw.received_where(1, int(bucket.key)), bucket.count)
        assert figs.by_type.total == len(raw.received)
        for bucket in figs.by_source.buckets:
            check(bucket.filter, raw.received_where(2, bucket.key), bucket.count)
        assert figs.by_source.total == len(raw.received)
        for bucket in figs.by_team.buckets:
            team = None if bucket.key == NO_TEAM else int(bucket.key)
            check(bucket.filter, raw.received_where(3, team), bucket.count)
        assert figs.by_team.total == len(raw.received)
        assert [b.key for b in figs.by_month.buckets] == [f"2026-{m:02d}" for m in range(3, 11)]
        for bucket in figs.by_month.buckets:
            expected = {cid for cid, row in raw.received.items() if f"{_dt(row[4]):%Y-%m}" == bucket.key}
            check(bucket.filter, expected, bucket.count)
        for bucket in figs.by_result.buckets:
            check(bucket.filter, raw.ending_in(bucket.key), bucket.count)
        assert figs.by_result.total == len(raw.ending)
        check(figs.ended.filter, set(raw.ending), figs.ended.count)

        succeeded, failed = raw.ending_in("succeed"), raw.ending_in("fail")
        rate = figs.success_rate
        check(rate.numerator_filter, succeeded, rate.numerator)
        check(rate.denominator_filter, succeeded | failed, rate.denominator)
        expected_percent = (Decimal(len(succeeded) * 100) / Decimal(len(succeeded | failed))).quantize(Decimal("0.01"))
        assert rate.percent == expected_percent and rate.text() == f"{expected_percent}%"

        mediated = raw.ending_in("succeed", "fail", "withdraw")
        check(figs.on_time_rate.numerator_filter, raw.on_time, figs.on_time_rate.numerator)
        check(figs.on_time_rate.denominator_filter, mediated, figs.on_time_rate.denominator)

        good = {cid for cid, s in raw.visits.items() if s in ("satisfied", "fairly")}
        assert raw.visits, "the demo has return visits in the period"
        check(figs.satisfaction_rate.numerator_filter, good, figs.satisfaction_rate.numerator)
        check(figs.satisfaction_rate.denominator_filter, set(raw.visits), figs.satisfaction_rate.denominator)

        with_amount = {cid for cid, row in raw.received.items() if row[5] is not None}
        check(figs.amount.filter, with_amount, figs.amount.cases)
        assert figs.amount.total == sum(Decimal(str(raw.received[c][5])) for c in with_amount)

        group = {cid for cid, row in raw.received.items() if row[6] and row[7] != "rejected"}
        check(figs.group_disputes.filter, group, figs.group_disputes.count)
        prevented = succeeded & raw.criminal
        check(figs.escalations_prevented.filter, prevented, figs.escalations_prevented.count)

        overdue = _ids(session, "SELECT id FROM dispute_case WHERE state NOT IN ('closed', 'rejected') "
                                "AND clock_due_on < :today", today=TODAY)
        check(figs.overdue.filter, overdue, figs.overdue.count)

        # The report's table adds up to the same totals.
        assert sum(r.received for r in figs.type_rows) == figs.received.count
        assert sum(r.amount for r in figs.type_rows) == figs.amount.total
        for outcome in Outcome:
            assert sum(r.outcomes.get(outcome, 0) for r in figs.type_rows) == figs.by_result.count(outcome.value)
            assert sum(v.get(outcome, 0) for v in figs.source_outcomes.values()) == figs.by_result.count(
                outcome.value)


def test_figure_filter_pages_in_every_sort_order(demo_db: Database) -> None:
    """The statistic predicate combines with keyset paging in each sort of the case list."""
    with demo_db.read() as session:
        figs = statistics.figures(session, HEAD, START, END, today=TODAY)
        flt = figs.success_rate.denominator_filter
        expected = _listed(session, flt)
        for sort in SortKey:
            assert _listed(session, flt, sort) == expected
        type_id = int(figs.by_type.buckets[1].key)
        combined = CaseFilter(dispute_type_id=type_id, statistic=flt.statistic)
        # The cases of that type among them, whenever received: a case received before the period
        # may end in it (the demo's late mediations do), and the type filter asks nothing of the date.
        of_type = _ids(session, "SELECT id FROM dispute_case WHERE dispute_type_id = :t", t=type_id)
        assert expected & _ids(session, "SELECT id FROM dispute_case WHERE received_at < :s",
                               s=datetime.combine(START, datetime.min.time()))
        assert _listed(session, combined) == expected & of_type


def test_last_ending_in_period_counts_once(db: Database) -> None:
    """A case that succeeded, was sent back and then failed counts once, with its last result."""
    with db.write() as session:
        demo.seed(session, 0)
    head = login_as(db, "head")
    with db.write() as session:
        case_id = cases.register_case(session, head, new_case_input(db))
        teams = session.execute(text("SELECT id FROM team ORDER BY id")).scalars().all()
        case_row = session.get(DisputeCase, case_id)
        assert case_row is not None
        case_row.team_id = teams[0]
        for action, note in (("accept", ""), ("assign", ""), ("start_mediation", ""), ("succeed", ""),
                             ("submit_for_review", ""), ("send_back", "协议内容不完整"), ("fail", "分歧过大")):
            workflow.transition(session, head, case_id, action, note=note)
    today = datetime.now().date()
    with db.read() as session:
        figs = statistics.figures(session, head, today - timedelta(days=1), today, today=today)
        assert figs.by_result.count("fail") == 1 and figs.by_result.count("succeed") == 0
        assert figs.success_rate.numerator == 0 and figs.success_rate.denominator == 1
        assert figs.success_rate.text() == "0.00%"
        assert figs.on_time_rate.numerator == 1  # ended the day it was accepted
        assert _listed(session, figs.by_result.buckets[1].filter) == {case_id}
        # A period before any of it: nothing, and the rates say so instead of dividing by zero.
        empty = statistics.figures(session, head, date(2020, 1, 1), date(2020, 1, 31), today=today)
        assert empty.success_rate.percent is None and empty.success_rate.text() == "—"
        assert empty.received.count == 0 and _listed(session, empty.received.filter) == set()


def test_only_the_head_and_administrators_read_figures(db: Database) -> None:
    mediator = Actor(user_id=None, username="m", display_name="调解员", role=Role.MEDIATOR)
    with db.read() as session:
        with pytest.raises(PermissionDenied, match="无权查看"):
            statistics.figures(session, mediator, START, END)
        with pytest.raises(InvalidInput) as error:
            statistics.figures(session, HEAD, END, START)
        assert error.value.field == "period_end"


@pytest.mark.parametrize(("text_", "expected"), [
    ("2026-10", (date(2026, 10, 1), date(2026, 10, 31))),
    ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("2024-2", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
])
def test_month_period(text_: str, expected: tuple[date, date]) -> None:
    assert statistics.month_period(text_) == expected


@pytest.mark.parametrize("bad", ["2026-13", "2026/10", "十月", "26-10", "2026-00", ""])
def test_month_period_refuses_bad_months(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        statistics.month_period(bad)
    assert error.value.field == "month" and "2026-10" in str(error.value)


def test_every_figure_has_a_formula() -> None:
    assert set(FORMULAS) == set(Figure) == set(TITLES)
    assert all("=" in FORMULAS[f] or "统计" in FORMULAS[f] for f in Figure)
