"""上报 / 交办 / 回退 / 联办 / 反馈 through the services, on both backends (issue 21 item 2,
docs/crossings.md).

The demo county (its center and two townships, 梁家墩 and 党寨) is seeded small on each backend. A
township's case goes up and comes back, a county case goes down with a deadline on the
working-day calendar (红黄绿 on both sides), the county asks both townships to co-handle one; each
step is checked (Chinese refusals for the illegal ones), audited, on the case's timeline for the
centers that took part, and idempotent under its uid.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import (
    AttachmentKind,
    AuditEntry,
    CaseCrossing,
    Center,
    ClockColour,
    CrossingKind,
    Department,
    DisputeCase,
    Diversion,
    DiversionBody,
)
from mediation_desk.services import (
    attachments,
    cases,
    clocks,
    crossings,
    diversion,
    pages,
    permissions,
    records,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied
from mediation_desk.services.records import InvestigationInput

from .helpers import BACKENDS, new_case_input, seeded_demo
from .helpers import actor_named as _actor

TODAY = datetime(2026, 9, 25, 10, 0)


@pytest.fixture(params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo county (its center and two townships, a few cases each), on each backend: the
    test's own copy of the one seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 4, today=TODAY, township_cases=2) as db:
        yield db


def _ids(db: Database) -> dict[str, int]:
    with db.read() as session:
        by_prefix = {p: i for p, i in session.execute(select(Center.prefix, Center.id))}
    return {"county": by_prefix["甘矛调"], "ljd": by_prefix["甘州梁家墩调"], "dz": by_prefix["甘州党寨调"]}


_CLERKS = {"甘矛调": "clerk", "甘州梁家墩调": "ljd_clerk", "甘州党寨调": "dz_clerk"}


def _open_case(db: Database, center_id: int) -> int:
    """A case just registered by the center's clerk (open, its number the center's)."""
    with db.read() as session:
        prefix = session.scalar(select(Center.prefix).where(Center.id == center_id))
    clerk = _actor(db, _CLERKS[str(prefix)])
    with db.write() as session:
        return cases.register_case(session, clerk, new_case_input(db, received_at=TODAY))


def _interview(place: str) -> InvestigationInput:
    return InvestigationInput(held_at=TODAY, place=place, investigators="王调解", recorder="李记录",
                              interviewee="张三", interviewee_relation="申请人", content="询问纠纷经过")


def _writes(db: Database, actor: Actor, case_id: int) -> bool:
    with db.read() as session:
        return permissions.may_write(actor, session.get(DisputeCase, case_id))  # type: ignore[arg-type]


def _reads(db: Database, actor: Actor, case_id: int) -> bool:
    with db.read() as session:
        try:
            cases.case_detail(session, actor, case_id)
        except PermissionDenied:
            return False
        return True


def test_report_up_then_return_moves_who_writes_and_keeps_the_case_and_its_number(county: Database) -> None:
    ids = _ids(county)
    ljd_head, county_head, dz_head = (_actor(county, u) for u in ("ljd_head", "head", "dz_head"))
    case_id = _open_case(county, ids["ljd"])
    with county.write() as session:
        before = session.get(DisputeCase, case_id)
        assert before is not None
        number = before.number
        added = attachments.add_document(session, ljd_head, case_id, kind=AttachmentKind.EVIDENCE,
                                         filename="现场照片.pdf", content=b"%PDF-1.4\n%%EOF\n")
    assert _writes(county, ljd_head, case_id) and not _writes(county, county_head, case_id)

    with county.write() as session:
        up = crossings.report_up(session, ljd_head, case_id, reason="涉及多个乡镇，本中心无法调处",
                                 materials=[added.id], uid="11111111-1111-4111-8111-111111111111")
    assert (up.kind, up.from_center_id, up.to_center_id, up.materials) == (
        CrossingKind.REPORT_UP, ids["ljd"], ids["county"], (added.id,))
    assert up.open and up.case_number == number
    # The county writes now; the township still reads, and writes no more.
    assert _writes(county, county_head, case_id) and not _writes(county, ljd_head, case_id)
    assert _reads(county, ljd_head, case_id)
    with county.write() as session, pytest.raises(PermissionDenied, match="只能查看"):
        records.add_investigation(session, ljd_head, case_id, _interview("梁家墩"))
    with county.write() as session:  # the county's head records on it
        records.add_investigation(session, county_head, case_id, _interview("县中心"))
    # A third township sees nothing of it.
    assert not _reads(county, dz_head, case_id)
    with county.read() as session:
        assert crossings.crossings_of(session, dz_head, case_id) == []
        assert crossings.center_list(session, dz_head, today=TODAY.date()) == []

    # Replaying the same step (a packet twice, a double click) changes nothing.
    with county.write() as session:
        again = crossings.report_up(session, ljd_head, case_id, reason="涉及多个乡镇，本中心无法调处",
                                    materials=[added.id], uid="11111111-1111-4111-8111-111111111111")
        assert again.id == up.id
        assert session.scalar(select(func.count()).select_from(CaseCrossing)) == 1

    # Only the receiver returns, and only with a reason.
    with county.write() as session, pytest.raises(InvalidInput, match="只能回退本中心收到的案件"):
        crossings.return_case(session, ljd_head, case_id, reason="收回")
    with county.write() as session, pytest.raises(InvalidInput, match="回退理由"):
        crossings.return_case(session, county_head, case_id, reason="  ")
    with county.write() as session:
        back = crossings.return_case(session, county_head, case_id, reason="属于本乡镇管辖，请继续调处")
    assert (back.kind, back.from_center_id, back.to_center_id, back.parent_id) == (
        CrossingKind.RETURN, ids["county"], ids["ljd"], up.id)
    assert _writes(county, ljd_head, case_id) and not _writes(county, county_head, case_id)

    with county.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None and case.number == number and case.center_id == ids["ljd"]
        assert case.handling_center_id is None
        steps = [c.kind for c in crossings.crossings_of(session, ljd_head, case_id)]
        timeline = [e.note for e in cases.case_detail(session, ljd_head, case_id).events]
        audited = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "case", AuditEntry.entity_id == case_id, AuditEntry.action.in_(
                ["case.report_up", "case.return"])).order_by(AuditEntry.id)))
    assert steps == [CrossingKind.REPORT_UP, CrossingKind.RETURN]
    up_note = "上报：甘州区梁家墩镇综治中心 → 张掖市甘州区矛盾纠纷调处中心：涉及多个乡镇"
    assert any(n.startswith(up_note) for n in timeline)
    assert any(n.startswith("回退：") and "属于本乡镇管辖" in n for n in timeline)
    assert audited == ["case.report_up", "case.return"]


def test_the_illegal_steps_are_refused_in_chinese(county: Database) -> None:
    ids = _ids(county)
    county_head, ljd_head, ljd_clerk = (_actor(county, u) for u in ("head", "ljd_head", "ljd_clerk"))
    mediator = _actor(county, "ljd_mediator")
    county_case, ljd_case, dz_case = (_open_case(county, ids[c]) for c in ("county", "ljd", "dz"))
    with county.write() as session, pytest.raises(InvalidInput, match=r"没有上级中心.*无法上报"):
        crossings.report_up(session, county_head, county_case, reason="无上级")
    with county.write() as session, pytest.raises(InvalidInput, match=r"不是.*的下级中心"):
        crossings.assign(session, ljd_head, ljd_case, to_center_id=ids["dz"], working_days=5, reason="请办理")
    with county.write() as session, pytest.raises(InvalidInput, match=r"不是.*的下级中心"):
        crossings.assign(session, county_head, county_case, to_center_id=ids["county"], working_days=5, reason="自己")
    with county.write() as session, pytest.raises(PermissionDenied, match="只有承办中心可以"):
        crossings.assign(session, county_head, ljd_case, to_center_id=ids["dz"], working_days=5, reason="改派")
    with county.write() as session, pytest.raises(PermissionDenied, match="属于其他中心"):
        crossings.report_up(session, ljd_clerk, dz_case, reason="别人的案件")
    with county.write() as session, pytest.raises(InvalidInput, match="办理期限须为 1 到"):
        crossings.assign(session, county_head, county_case, to_center_id=ids["ljd"], working_days=0, reason="请办理")
    with county.read() as session:
        department = session.scalar(select(Department.id).where(Department.active))
    with county.write() as session, pytest.raises(InvalidInput, match="不能交办给驻点部门"):
        crossings.assign(session, ljd_head, ljd_case, department_id=department, working_days=5, reason="请协助")
    with county.write() as session, pytest.raises(InvalidInput, match="二者选一"):
        crossings.assign(session, county_head, county_case, working_days=3, reason="请办理")
    with county.write() as session, pytest.raises(InvalidInput, match="上报理由"):
        crossings.report_up(session, ljd_head, ljd_case, reason="")
    with county.write() as session, pytest.raises(InvalidInput, match="没有待反馈"):
        crossings.feedback(session, ljd_head, ljd_case, text="已办结")
    with county.write() as session, pytest.raises(PermissionDenied, match=r"调解员.*无权上报案件"):
        crossings.report_up(session, mediator, ljd_case, reason="调解员上报")
    with county.write() as session, pytest.raises(InvalidInput, match=r"不是案件.*的材料"):
        crossings.report_up(session, ljd_head, ljd_case, reason="附别人的材料", materials=[999999])
    with county.write() as session, pytest.raises(InvalidInput, match="请说明以哪个中心的名义"):
        crossings.report_up(session, Actor.system("import"), ljd_case, reason="导入")
    with county.read() as session:
        assert session.scalar(select(func.count()).select_from(CaseCrossing)) == 0


def test_assign_down_runs_on_working_days_and_shows_its_colour_on_both_sides(county: Database) -> None:
    ids = _ids(county)
    county_head, ljd_head, ljd_clerk = (_actor(county, u) for u in ("head", "ljd_head", "ljd_clerk"))
    dz_head = _actor(county, "dz_head")
    case_id = _open_case(county, ids["county"])
    assert not _reads(county, ljd_head, case_id) and not _writes(county, ljd_head, case_id)
    with county.write() as session:
        down = crossings.assign(session, county_head, case_id, to_center_id=ids["ljd"], working_days=3,
                                reason="请梁家墩镇调处并于期限内反馈", today=date(2026, 9, 30))
    # 3 working days after 30 September 2026: the National Day holiday (1–7 October) is skipped,
    # and Saturday 10 October is a make-up working day.
    assert (down.due_on, down.working_days) == (date(2026, 10, 10), 3)
    assert _reads(county, ljd_head, case_id) and _writes(county, ljd_clerk, case_id)
    assert not _writes(county, county_head, case_id) and _reads(county, county_head, case_id)
    assert not _reads(county, dz_head, case_id)
    with county.write() as session, pytest.raises(InvalidInput, match="上级中心交办的"):
        crossings.report_up(session, ljd_head, case_id, reason="再上报")

    def colours(actor: Actor, today: date) -> list[tuple[bool, ClockColour | None, int | None]]:
        with county.read() as session:
            return [(r.incoming, r.colour, r.days_left) for r in crossings.center_list(session, actor, today=today)]

    assert colours(ljd_head, date(2026, 10, 1)) == [(True, ClockColour.GREEN, 3)]
    assert colours(county_head, date(2026, 10, 1)) == [(False, ClockColour.GREEN, 3)]
    assert colours(ljd_head, date(2026, 10, 8)) == [(True, ClockColour.YELLOW, 2)]
    assert colours(county_head, date(2026, 10, 10)) == [(False, ClockColour.YELLOW, 0)]
    assert colours(ljd_head, date(2026, 10, 12)) == [(True, ClockColour.RED, -1)]

    # The township reports it done (办结反馈): the county writes again, the list empties.
    with county.write() as session:
        done = crossings.feedback(session, ljd_head, case_id, text="已调解，双方达成协议")
    assert (done.kind, done.to_center_id, done.parent_id) == (CrossingKind.FEEDBACK, ids["county"], down.id)
    assert _writes(county, county_head, case_id) and not _writes(county, ljd_head, case_id)
    assert colours(county_head, date(2026, 10, 12)) == []
    with county.read() as session:  # the whole list keeps the answered steps
        kinds = [r.crossing.kind for r in crossings.center_list(session, ljd_head, open_only=False,
                                                               today=date(2026, 10, 12))]
    assert sorted(kinds) == sorted([CrossingKind.ASSIGN_DOWN, CrossingKind.FEEDBACK])


def test_assign_to_a_stationed_department_keeps_the_county_writing(county: Database) -> None:
    ids = _ids(county)
    county_clerk = _actor(county, "clerk")
    case_id = _open_case(county, ids["county"])
    with county.read() as session:
        department = session.scalar(select(Department.id).where(Department.active).order_by(Department.id))
    assert department is not None
    with county.write() as session:
        row = crossings.assign(session, county_clerk, case_id, department_id=department, working_days=5,
                               reason="请驻点部门协助调处", today=date(2026, 11, 2))
    assert row.to_center_id == ids["county"] and row.department and row.target.endswith(f"（{row.department}）")
    assert _writes(county, county_clerk, case_id)


def test_co_handling_lets_each_center_read_and_answer_and_the_lead_closes(county: Database) -> None:
    ids = _ids(county)
    county_head, ljd_head, dz_clerk = (_actor(county, u) for u in ("head", "ljd_head", "dz_clerk"))
    case_id = _open_case(county, ids["county"])
    with county.write() as session:
        asked = crossings.co_handle(session, county_head, case_id, center_ids=[ids["ljd"], ids["dz"]],
                                    working_days=5, reason="跨乡镇山林权属纠纷，请联合调处", today=date(2026, 11, 2),
                                    uid="22222222-2222-4222-8222-222222222222")
    assert [(c.kind, c.to_center_id) for c in asked] == [(CrossingKind.CO_HANDLE, ids["ljd"]),
                                                         (CrossingKind.CO_HANDLE, ids["dz"])]
    with county.write() as session:  # the same request replayed: nothing new
        replayed = crossings.co_handle(
            session, county_head, case_id, center_ids=[ids["ljd"], ids["dz"]], working_days=5,
            reason="跨乡镇山林权属纠纷，请联合调处", uid="22222222-2222-4222-8222-222222222222")
        assert [c.id for c in replayed] == [c.id for c in asked]
    # Each co-handler reads the case but does not write it; the lead still does.
    assert _reads(county, ljd_head, case_id) and _reads(county, dz_clerk, case_id)
    assert not _writes(county, ljd_head, case_id) and _writes(county, county_head, case_id)
    with county.read() as session:
        offered = crossings.options(session, dz_clerk, case_id)
    assert offered.answerable is not None and not offered.can_report_up and not offered.can_assign
    with county.write() as session:
        crossings.feedback(session, ljd_head, case_id, text="梁家墩镇已走访林权人，同意调解方案")
        crossings.feedback(session, dz_clerk, case_id, text="党寨镇一方同意")
    with county.write() as session, pytest.raises(InvalidInput, match="没有待反馈"):
        crossings.feedback(session, dz_clerk, case_id, text="再反馈一次")
    with county.read() as session:
        lead = crossings.crossings_of(session, county_head, case_id)
        ljd_view = crossings.crossings_of(session, ljd_head, case_id)
        timeline = [e.note for e in cases.case_detail(session, county_head, case_id).events]
    assert [c.kind for c in lead].count(CrossingKind.FEEDBACK) == 2 and not any(c.open for c in lead)
    # Each center sees the steps it took part in: 梁家墩 not 党寨's 联办 and 反馈.
    assert {c.to_center_id for c in ljd_view} | {c.from_center_id for c in ljd_view} == {ids["county"], ids["ljd"]}
    assert sum(n.startswith("反馈：") for n in timeline) == 2


def test_a_diversion_awaits_feedback_on_the_desk_of_the_center_working_the_case(county: Database) -> None:
    """A county case assigned down to 梁家墩 and diverted there waits on 梁家墩's desk (which diverted
    it and works the case), not on the county's; a case the county diverts stays on the county's."""
    ids = _ids(county)
    county_head, county_clerk, ljd_clerk = (_actor(county, u) for u in ("head", "clerk", "ljd_clerk"))
    down, kept = _open_case(county, ids["county"]), _open_case(county, ids["county"])
    with county.write() as session:
        crossings.assign(session, county_head, down, to_center_id=ids["ljd"], working_days=5,
                         reason="请梁家墩镇就地化解", today=TODAY.date())
    for clerk, case_id, body_name in ((ljd_clerk, down, "梁家墩村调委会"), (county_clerk, kept, "区住建局")):
        with county.write() as session:
            workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
            diversion.divert(session, clerk, case_id, body=DiversionBody.VILLAGE_COMMITTEE, body_name=body_name,
                             reason="就地化解")

    def desk(username: str) -> tuple[set[int], int | None]:
        with county.read() as session:
            lists = pages.desk_lists(session, _actor(county, username))
        assert lists.awaiting is not None
        return {d.case_id for d in lists.awaiting}, lists.awaiting_count

    ljd_cases, ljd_count = desk("ljd_clerk")
    county_cases, county_count = desk("clerk")
    dz_cases, _dz_count = desk("dz_clerk")
    assert down in ljd_cases and kept not in ljd_cases
    assert kept in county_cases and down not in county_cases
    assert not {down, kept} & dz_cases
    with county.read() as session:  # the count past the list's rows counts the same cases
        assert diversion.count_awaiting(session, center_id=ids["ljd"]) == ljd_count == len(ljd_cases)
        assert diversion.count_awaiting(session, center_id=ids["county"]) == county_count == len(county_cases)
    # Only the center working the case records what the body reported back.
    with county.read() as session:
        waiting = session.scalar(select(Diversion.id).where(Diversion.case_id == down))
    assert waiting is not None
    for stranger in ("dz_clerk", "clerk"):
        with pytest.raises(PermissionDenied), county.write() as session:
            diversion.record_feedback(session, _actor(county, stranger), waiting, "已调解")
    with county.write() as session:
        assert diversion.record_feedback(session, ljd_clerk, waiting, "已调解").feedback == "已调解"


def test_the_due_soon_count_follows_the_center_working_the_case(county: Database) -> None:
    """A county case assigned down to 梁家墩 and turning yellow counts among 梁家墩's cases due soon
    (its desk lists it), not the county's, as the due list itself does."""
    ids = _ids(county)
    down = _open_case(county, ids["county"])
    with county.write() as session:
        crossings.assign(session, _actor(county, "head"), down, to_center_id=ids["ljd"], working_days=5,
                         reason="请梁家墩镇就地化解", today=TODAY.date())

    def counts() -> tuple[int, int]:
        with county.read() as session:
            return tuple(clocks.count_due_soon(session, TODAY.date(), states=workflow.OPEN_STATES, center_id=ids[c])
                         for c in ("ljd", "county"))  # type: ignore[return-value]

    before = counts()
    with county.write() as session:
        case = session.get(DisputeCase, down)
        assert case is not None
        case.clock_warn_on, case.clock_due_on = TODAY.date() - timedelta(days=1), TODAY.date() + timedelta(days=2)
    ljd, at_county = counts()
    assert (ljd - before[0], at_county - before[1]) == (1, 0)
