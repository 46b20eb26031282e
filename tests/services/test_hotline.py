"""12345 work orders both ways: imported, worked (签收, 联系, the case's own workflow, the return
visit), exported back and checked field by field against the cases; incremental and idempotent
exports; the 2·20 limits on the working-day calendar; the 三率 against a hand count."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from mediation_desk.db import Database
from mediation_desk.models import (
    CaseEvent,
    CaseState,
    DisputeCase,
    EventKind,
    HotlineOrder,
    Performance,
    ReturnVisit,
    Role,
    Satisfaction,
    VisitMethod,
    now,
)
from mediation_desk.readmodels.hotline import HotlineOrderFacts
from mediation_desk.services import case_import, cases, center, hotline, visits, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, NotFound, PermissionDenied
from mediation_desk.settings import HOTLINE_WEIGHT_RESPONSE

from .helpers import complete_paperwork, make_team, make_user

pytestmark = pytest.mark.story_day("2026-11-30T10:00")

HEADER = "来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请人,申请人电话,热线类型编码,被申请人"
ORDERS = [
    "GD001,12345,2026-11-02 09:00,邻里,噪音扰民,王建军,13800138000,0301,周邻",
    "GD002,12345,2026-11-06 16:30,物业,电梯停运,郑丽,13800138001,0502,周邻",
    "GD003,12345,2026-11-09 10:00,邻里,占道堆物,李华,13800138002,0301,周邻",
    "GD004,12345,2026-11-10 11:00,邻里,漏水纠纷,赵敏,13800138003,0303,周邻",
    "WG001,网格,2026-11-03 09:00,邻里,网格上报,孙强,13800138004,,周邻",
]


def _import(db: Database, tmp_path: Path, lines: list[str], actor: Actor) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    with db.write() as session:
        report = case_import.import_records(session, actor, case_import.read_records(path))
    assert not report.errors, report.errors


def _case_id(db: Database, order_no: str) -> int:
    with db.read() as session:
        return session.scalars(select(HotlineOrder.case_id).where(HotlineOrder.order_no == order_no)).one()


class World:
    def __init__(self, db: Database, tmp_path: Path) -> None:
        self.db = db
        team_id, mediator_id = make_team(db)
        self.team_id = team_id
        self.clerk = make_user(db, "clerk", Role.INTAKE)
        self.head = make_user(db, "head", Role.HEAD)
        self.mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
        _import(db, tmp_path, ORDERS, self.clerk)
        self.ids = {no: _case_id(db, no) for no in ("GD001", "GD002", "GD003", "GD004")}

    def work(self) -> None:
        """GD001: signed and contacted in time, mediated to success, closed, visited 满意.
        GD002: signed in time, contacted late (after the weekend), rejected.
        GD003: signed, contacted in time, mediation failed, closed, visited 不满意.
        GD004: nothing yet."""
        ids, clerk, head, mediator = self.ids, self.clerk, self.head, self.mediator
        with self.db.write() as s:
            hotline.sign_for(s, clerk, ids["GD001"], at=datetime(2026, 11, 2, 9, 30))
            hotline.record_contact(s, clerk, ids["GD001"], at=datetime(2026, 11, 3, 15, 0),
                                   note="电话联系王建军，约定上门")
            hotline.sign_for(s, clerk, ids["GD002"], at=datetime(2026, 11, 9, 8, 30))
            hotline.record_contact(s, clerk, ids["GD002"], at=datetime(2026, 11, 11, 9, 0))
            workflow.transition(s, clerk, ids["GD002"], workflow.Action.REJECT, note="不属于本中心受理范围")
            hotline.sign_for(s, clerk, ids["GD003"], at=datetime(2026, 11, 9, 10, 5))
            hotline.record_contact(s, clerk, ids["GD003"], at=datetime(2026, 11, 10, 10, 0))
            for no, ending in (("GD001", workflow.Action.SUCCEED), ("GD003", workflow.Action.FAIL)):
                workflow.transition(s, clerk, ids[no], workflow.Action.ACCEPT)
                cases.assign_case(s, head, ids[no], team_id=self.team_id)
                workflow.transition(s, mediator, ids[no], workflow.Action.START_MEDIATION)
                workflow.transition(s, mediator, ids[no], ending, note="" if no == "GD001" else "双方分歧较大")
                complete_paperwork(s, head, ids[no])
                workflow.transition(s, mediator, ids[no], workflow.Action.SUBMIT_FOR_REVIEW)
                workflow.transition(s, head, ids[no], workflow.Action.APPROVE_CLOSURE)
            for no, rating in (("GD001", Satisfaction.SATISFIED), ("GD003", Satisfaction.UNSATISFIED)):
                visits.record_visit(s, mediator, ids[no], visits.VisitInput(
                    visited_on=date(2026, 11, 30), visitor="李建国", parties_visited="申请人", method=VisitMethod.PHONE,
                    performance=Performance.PERFORMED if no == "GD001" else None, satisfaction=rating,
                    notes="" if no == "GD001" else "当事人对结果不满意，已告知诉讼途径。"))


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    return World(db, tmp_path)


def test_import_keeps_the_order_number_and_type_code_beside_the_case(world: World) -> None:
    with world.db.read() as session:
        orders = session.execute(select(HotlineOrder.order_no, HotlineOrder.type_code, HotlineOrder.received_at,
                                        DisputeCase.source_ref, DisputeCase.received_at)
                                 .join(DisputeCase, DisputeCase.id == HotlineOrder.case_id)
                                 .order_by(HotlineOrder.order_no)).all()
    # The grid platform's row is a case but no 12345 order.
    assert [(o, t) for o, t, *_ in orders] == [("GD001", "0301"), ("GD002", "0502"), ("GD003", "0301"),
                                               ("GD004", "0303")]
    assert all(ref == f"12345:{o}" and got == received for o, _, got, ref, received in orders)


def test_round_trip_import_work_export_matches_the_cases_field_by_field(
        world: World, test_clock: time_machine.Traveller) -> None:
    world.work()
    test_clock.shift(60)  # the window [since, now) ends on a whole second: the work must lie before it
    with world.db.read() as session:
        returned = hotline.return_file(session, world.clerk, since=datetime(2026, 11, 1), fmt="json")
    document = json.loads(returned.data.decode("utf-8"))
    rows = {r["order_no"]: r for r in document["orders"]}
    assert list(rows) == ["GD001", "GD002", "GD003", "GD004"] and document["count"] == 4
    assert list(rows["GD001"]) == list(hotline.FIELDS)
    with world.db.read() as session:
        for no, case_id in world.ids.items():
            case = session.get(DisputeCase, case_id)
            order = session.scalars(select(HotlineOrder).where(HotlineOrder.case_id == case_id)).one()
            assert case is not None
            row = rows[no]
            endings = session.execute(select(CaseEvent.action, CaseEvent.at).where(
                CaseEvent.case_id == case_id, CaseEvent.action.in_(["succeed", "fail", "withdraw", "divert", "reject"]))
                .order_by(CaseEvent.id)).all()
            visit = session.scalars(select(ReturnVisit).where(ReturnVisit.case_id == case_id)).one_or_none()

            def iso(value: datetime | None) -> str | None:
                return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%S+08:00")

            assert row["case_number"] == case.number
            assert row["type_code"] == order.type_code
            assert row["received_at"] == iso(case.received_at)
            assert row["signed_at"] == iso(order.signed_at)
            assert row["contacted_at"] == iso(order.contacted_at)
            assert row["handling_at"] == iso(case.accepted_at)
            assert row["closed_at"] == iso(endings[-1][1] if endings else None)
            assert row["result_code"] == (endings[-1][0] if endings else None)
            assert row["visited_on"] == (None if visit is None else visit.visited_on.isoformat())
            assert row["satisfaction_code"] == (None if visit is None or visit.satisfaction is None
                                                 else visit.satisfaction.value)
    # What was done, as the clerk did it.
    assert rows["GD001"]["signed_at"] == "2026-11-02T09:30:00+08:00"
    assert rows["GD001"]["contacted_at"] == "2026-11-03T15:00:00+08:00"
    assert (rows["GD001"]["result"], rows["GD001"]["satisfaction"]) == ("调解成功", "满意")
    assert rows["GD002"]["result"] == "不予受理：不属于本中心受理范围" and rows["GD002"]["handling_at"] is None
    assert rows["GD003"]["result"] == "调解不成：双方分歧较大" and rows["GD003"]["satisfaction"] == "不满意"
    # 2·20: GD002 came on a Friday afternoon: contact by Tuesday 10 November; the 11th is late.
    assert (rows["GD002"]["contact_due_on"], rows["GD002"]["contact_in_time"]) == ("2026-11-10", 0)
    assert (rows["GD001"]["contact_due_on"], rows["GD001"]["contact_in_time"]) == ("2026-11-04", 1)
    assert (rows["GD001"]["close_due_on"], rows["GD001"]["close_in_time"]) == ("2026-11-30", 1)
    assert rows["GD004"]["signed_at"] is None and rows["GD004"]["contact_in_time"] is None
    # The CSV carries the same values: UTF-8 with a BOM, one row per order.
    with world.db.read() as session:
        as_csv = hotline.return_file(session, world.clerk, since=datetime(2026, 11, 1), until=returned.until,
                                     fmt="csv")
    assert as_csv.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert [r["order_no"] for r in table] == list(rows)
    assert all(r[k] == ("" if rows[r["order_no"]][k] is None else str(rows[r["order_no"]][k]))
               for r in table for k in hotline.FIELDS)


def test_the_export_is_incremental_and_the_same_bounds_give_the_same_bytes(
        world: World, test_clock: time_machine.Traveller) -> None:
    test_clock.shift(60)  # a window ends before now: what changes in its last second is the next one's
    with world.db.read() as session:
        first = hotline.return_file(session, world.clerk, since=datetime(2026, 11, 1), fmt="csv")
    with world.db.write() as session:
        hotline.record_export(session, world.clerk, first, "first.csv")
        assert hotline.last_until(session, world.clerk) == first.until
    with world.db.read() as session:
        again = hotline.return_file(session, world.clerk, since=first.since, until=first.until, fmt="csv")
    assert again.data == first.data and len(first.orders) == 4
    # Later, one order is signed for: the next window holds it alone.
    test_clock.shift(60)
    with world.db.write() as session:
        hotline.sign_for(session, world.clerk, world.ids["GD004"], at=datetime(2026, 11, 10, 12, 0))
    test_clock.shift(60)
    later = datetime(2026, 11, 30, 23, 0)
    with world.db.read() as session:
        since = hotline.last_until(session, world.clerk)
        assert since == first.until
        nothing = hotline.changed_orders(session, world.clerk, datetime(2026, 11, 1), datetime(2026, 11, 2))
        assert nothing == []
    with world.db.read() as session:
        # The sign-for was written at the test clock's now, after the first file's until.
        assert since is not None
        following = hotline.return_file(session, world.clerk, since=since, fmt="json")
    assert [o.order_no for o in following.orders] == ["GD004"]
    assert following.until < later


def test_recording_refuses_out_of_order_and_repeated_entries(world: World, tmp_path: Path) -> None:
    case_id = world.ids["GD004"]
    with pytest.raises(InvalidInput, match="尚未签收"), world.db.write() as session:
        hotline.record_contact(session, world.clerk, case_id)
    with pytest.raises(InvalidInput, match="不能早于接单时间"), world.db.write() as session:
        hotline.sign_for(session, world.clerk, case_id, at=datetime(2026, 11, 1, 8, 0))
    with pytest.raises(InvalidInput, match="不能晚于现在"), world.db.write() as session:
        hotline.sign_for(session, world.clerk, case_id, at=datetime(2027, 1, 1))
    with world.db.write() as session:
        hotline.sign_for(session, world.clerk, case_id, at=datetime(2026, 11, 10, 12, 0))
    with pytest.raises(InvalidInput, match="已于 2026-11-10 12:00 签收"), world.db.write() as session:
        hotline.sign_for(session, world.clerk, case_id)
    with world.db.write() as session:
        grid_case = session.scalars(select(DisputeCase.id).where(DisputeCase.source_ref == "网格:WG001")).one()
    with pytest.raises(NotFound, match="不是 12345 热线工单"), world.db.write() as session:
        hotline.sign_for(session, world.clerk, grid_case)


def test_the_three_rates_match_a_hand_count_and_weights_must_add_up(world: World) -> None:
    world.work()
    with world.db.read() as session:
        rates = hotline.rates(session, world.head, date(2026, 11, 1), date(2026, 11, 30))
    assert rates is not None
    # By hand: 4 orders received in November; GD001 and GD003 contacted within 2 working days
    # (GD002 late, GD004 not at all) → 2/4. Closed: GD001 succeeded, GD002 rejected, GD003 failed
    # → resolved 1/3. Rated: GD001 满意, GD003 不满意 → 1/2.
    assert [(r.numerator, r.denominator) for r in rates.rates] == [(2, 4), (1, 3), (1, 2)]
    assert rates.combined == pytest.approx((30 * 0.5 + 35 * (1 / 3) + 35 * 0.5) / 100)
    assert rates.combined_text() == "44.2"
    # Past a 2·20 limit on 30 November: GD002 (contacted late) and GD004 (never contacted, due 12 November).
    assert rates.late == 2 and rates.line().endswith("截至 11月30日 超过“2·20”时限 2 件")
    # The administrator counts the same orders (on a center server they read no case row at all).
    admin = make_user(world.db, "admin", Role.ADMIN)
    with world.db.read() as session:
        by_admin = hotline.rates(session, admin, date(2026, 11, 1), date(2026, 11, 30))
        server = session.get_bind().dialect.name == "postgresql"
    assert by_admin == (None if server else rates)
    with world.db.write() as session:
        hotline.set_weights(session, world.head, 50, 25, 25)
    with world.db.read() as session:
        reweighted = hotline.rates(session, world.head, date(2026, 11, 1), date(2026, 11, 30))
    assert reweighted is not None and reweighted.weights_text() == "50/25/25"
    assert reweighted.combined == pytest.approx(0.5 * 0.5 + 0.25 / 3 + 0.25 * 0.5)
    with pytest.raises(InvalidInput, match=r"三率权重之和应为 100，现为 30\+35\+40=105"), world.db.write() as s:
        hotline.set_weights(s, world.head, 30, 35, 40)
    with pytest.raises(InvalidInput, match="应为 0 至 100 之间的整数"), world.db.write() as s:
        hotline.set_weights(s, world.head, -5, 55, 50)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        hotline.set_weights(s, world.clerk, 30, 35, 35)
    # Weights set one by one elsewhere that do not add up are refused when read, in Chinese.
    with world.db.write() as session:
        center.put(session, HOTLINE_WEIGHT_RESPONSE, 10)
    with pytest.raises(InvalidInput, match="三率权重之和应为 100"), world.db.read() as session:
        hotline.rates(session, world.head, date(2026, 11, 1), date(2026, 11, 30))


@pytest.mark.story_day("2026-03-20T10:00")
def test_two_twenty_limits_run_on_the_working_day_calendar_across_the_spring_festival(
        sqlite_db: Database, tmp_path: Path) -> None:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    _import(sqlite_db, tmp_path, ["CJ001,12345,2026-02-13 17:00,邻里,春节前来电,王芳,13800138009,0301,周邻",
                                  "ZM001,12345,2026-03-06 18:00,邻里,周五来电,钱进,13800138010,0301,周邻"], clerk)
    festival, weekend = _case_id(sqlite_db, "CJ001"), _case_id(sqlite_db, "ZM001")
    with sqlite_db.write() as session:
        # Signed on the make-up working day (Saturday 14 February), contacted after the holiday.
        hotline.sign_for(session, clerk, festival, at=datetime(2026, 2, 14, 9, 0))
        hotline.record_contact(session, clerk, festival, at=datetime(2026, 2, 24, 16, 0))
    with sqlite_db.read() as session:
        spring = hotline.order_of_case(session, clerk, festival)
        friday = hotline.order_of_case(session, clerk, weekend)
    assert spring is not None and friday is not None
    # 13 Feb (Fri) + 2 working days: the 14th (a make-up working day), then the 24th (after 15–23).
    assert spring.contact_limit.due_on == date(2026, 2, 24) and spring.contact_limit.on_time is True
    assert spring.close_limit.due_on == date(2026, 3, 19)
    # Today is 20 March: not closed by the 19th is overdue.
    assert spring.close_limit.overdue(date(2026, 3, 20)) and not spring.close_limit.overdue(date(2026, 3, 19))
    assert "已超时" in spring.close_limit.text(date(2026, 3, 20))
    # Friday evening + 2 working days: Tuesday; on Monday it is still running, on Wednesday late.
    assert friday.contact_limit.due_on == date(2026, 3, 10)
    assert not friday.contact_limit.overdue(date(2026, 3, 9)) and friday.contact_limit.overdue(date(2026, 3, 11))
    assert friday.contact_limit.text(date(2026, 3, 9)) == "联系：未完成（时限 03月10日）"
    assert now().date() == date(2026, 3, 20)


def test_the_monthly_report_prints_the_three_rates_with_their_formulas(world: World) -> None:
    from pypdf import PdfReader

    from mediation_desk.documents import report
    from mediation_desk.services import statistics

    world.work()
    with world.db.read() as session:
        monthly = statistics.load_monthly_report(session, world.head, "2026-11")
    assert monthly.hotline is not None
    assert report.hotline_rows(monthly.hotline) == [
        ["12345 工单", "响应率", "解决率", "满意率", "综合得分"],
        ["数值", "50.0%", "33.3%", "50.0%", "44.2"],
        ["计算", "2/4", "1/3", "1/2", "权重 30/35/35"]]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.render_pdf(monthly))).pages)
    assert "12345 热线工单“三率”" in text and "44.2" in text and "响应率 = " in text
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information

    sheet = load_workbook(io.BytesIO(report.render_xlsx(monthly))).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "12345 热线工单“三率”" in cells and "44.2" in cells and "权重 30/35/35" in cells


#: Moments around November 2026 that the random changes below put the orders' facts on.
_MOMENTS = (None, datetime(2026, 10, 31, 23, 59), datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 3, 9, 0),
            datetime(2026, 11, 4, 18, 0), datetime(2026, 11, 16, 8, 0), datetime(2026, 11, 30, 23, 59),
            datetime(2026, 12, 1, 0, 0))
_PERIODS = ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 11, 3), date(2026, 11, 16)),
            (date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 10, 1), date(2026, 10, 31)))


def _rates_from_facts(orders: list[HotlineOrderFacts], start: date, end: date, day: date) -> list[tuple[int, int]]:
    """The 三率 and the late count worked out from load_orders' facts, order by order."""
    low, high = datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.max.time())
    got = [f for f in orders if low <= f.received_at <= high]
    closed = [f for f in orders if f.closed_at is not None and low <= f.closed_at <= high]
    rated = [f for f in orders if f.satisfaction is not None and f.visited_on is not None
             and start <= f.visited_on <= end]
    return [(sum(1 for f in got if f.contact_limit.on_time), len(got)),
            (sum(1 for f in closed if f.outcome == "succeed"), len(closed)),
            (sum(1 for f in rated if f.satisfaction in ("satisfied", "fairly")), len(rated)),
            (sum(1 for f in got if f.contact_limit.overdue(day) or f.close_limit.overdue(day)), 0)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(("contact", "received", "end", "state", "visit")),
                                  st.integers(0, 3), st.integers(0, 1000)), max_size=8))
def test_the_three_rates_equal_the_orders_facts_counted_one_by_one(
        world: World, changes: list[tuple[str, int, int]]) -> None:
    """rates() reads each order's facts in one query; they equal load_orders' (the return file's
    facts), whatever the orders' contacts, endings, states and visits."""
    if not getattr(world, "worked", False):  # the examples share the world: worked once, then changed
        world.work()
        world.worked = True  # type: ignore[attr-defined]
        with world.db.write() as session:  # a later visit without a rating: GD001's rating still counts
            session.add(ReturnVisit(case_id=world.ids["GD001"], visited_on=date(2026, 12, 1), visitor="李建国",
                                    method=VisitMethod.PHONE, satisfaction=None))
    states = ("registered", "accepted", "in_mediation", "closed", "rejected", "succeeded")
    with world.db.write() as session:
        order_ids = list(session.scalars(select(HotlineOrder.case_id).order_by(HotlineOrder.case_id)))
        for kind, pick, value in changes:
            case_id, moment = order_ids[pick % len(order_ids)], _MOMENTS[value % len(_MOMENTS)]
            if kind == "contact":
                session.execute(update(HotlineOrder).where(HotlineOrder.case_id == case_id)
                                .values(contacted_at=moment))
            elif kind == "received" and moment is not None:
                session.execute(update(HotlineOrder).where(HotlineOrder.case_id == case_id)
                                .values(received_at=moment))
            elif kind == "end" and moment is not None:
                session.add(CaseEvent(case_id=case_id, at=moment, kind=EventKind.TRANSITION,
                                      action=("succeed", "fail", "withdraw", "reject")[value % 4]))
            elif kind == "state":
                session.execute(update(DisputeCase).where(DisputeCase.id == case_id)
                                .values(state=CaseState(states[value % len(states)])))
            elif kind == "visit":  # another visit, rated or not, on a day before or after the others
                session.add(ReturnVisit(case_id=case_id, visited_on=(moment or datetime(2026, 11, 30)).date(),
                                        visitor="李建国", method=VisitMethod.PHONE, satisfaction=None if value % 5 == 0
                                        else list(Satisfaction)[value % len(Satisfaction)]))
                session.flush()
    day = date(2026, 11, 20)
    with world.db.read() as session:
        orders = hotline.load_orders(session, order_ids)
        for start, end in _PERIODS:
            rates = hotline.rates(session, world.head, start, end, today=day)
            assert rates is not None
            assert [(r.numerator, r.denominator) for r in rates.rates] + [(rates.late, 0)] == \
                _rates_from_facts(orders, start, end, day), (start, end)
