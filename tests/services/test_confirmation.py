"""司法确认: the 30-day window, the application, the court's number and decision, and the warning
about identity, adoption and marriage agreements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from mediation_desk.db import Database
from mediation_desk.models import ClockStage, ConfirmationResult, DisputeCase, Role
from mediation_desk.services import cases, clocks, confirmation
from mediation_desk.services.confirmation import LateApplication, check_court_number
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .helpers import make_team, make_user
from .settled import settled_case


@dataclass
class Term:
    content: str


@dataclass
class Text:
    facts: str = ""
    disputed_matters: str = ""
    responsibilities: str = ""
    terms: list[Term] = field(default_factory=list)


@pytest.mark.parametrize(("text", "kinds"), [
    (Text(terms=[Term("双方自愿离婚，婚生子由女方抚养")]), "婚姻关系"),
    (Text(facts="双方协议解除婚姻关系"), "婚姻关系"),
    (Text(terms=[Term("双方同意于本月内到民政局办理离婚登记")]), "婚姻关系"),
    (Text(terms=[Term("解除张某与李某之间的收养关系")]), "收养关系"),
    (Text(disputed_matters="确认王某与王小某的亲子关系"), "身份关系"),
    (Text(terms=[Term("双方同意断绝父子关系")]), "身份关系"),
])
def test_relationship_agreements_are_warned_against(text: Text, kinds: str) -> None:
    warning = confirmation.applicability_warning(text, "婚姻家庭")
    assert warning is not None and warning.level == "warning"
    assert kinds in warning.message and "不予受理" in warning.message
    assert warning.found


@pytest.mark.parametrize("text", [
    # A divorce's property, support and the like are civil obligations courts do confirm.
    Text(facts="双方已于2025年在民政局登记离婚，现就离婚后财产分割发生争议",
         terms=[Term("离婚时共有的房屋归女方所有，女方补偿男方八万元"), Term("男方每月支付抚养费一千元")]),
    Text(terms=[Term("被申请人赔偿申请人医疗费三千元")]),
])
def test_property_matters_are_not_warned_against(text: Text) -> None:
    assert confirmation.applicability_warning(text, "邻里") is None


def test_a_family_dispute_without_relationship_wording_gets_a_caution() -> None:
    text = Text(terms=[Term("儿子每月支付母亲赡养费八百元")])
    caution = confirmation.applicability_warning(text, "婚姻家庭")
    assert caution is not None and caution.level == "caution" and "赡养费" in caution.message


@pytest.mark.parametrize(("typed", "stored"), [
    ("（2026）甘0102民特123号", "（2026）甘0102民特123号"),
    ("(2026)甘0702民特45号", "（2026）甘0702民特45号"),
    ("〔2026〕甘0702民特确第7号", "（2026）甘0702民特确第7号"),
    ("（２０２６）甘0702民特 8号", "（2026）甘0702民特8号"),
    ("（2026）甘州法民调确字第00012号", "（2026）甘州法民调确字第00012号"),
    ("(2026)甘民调确字12号", "（2026）甘民调确字12号"),
])
def test_court_numbers_in_their_usual_forms_are_accepted(typed: str, stored: str) -> None:
    assert check_court_number(typed, accepted_on=date(2026, 3, 2), applied_on=date(2026, 2, 27)) == stored


@pytest.mark.parametrize(("typed", "says"), [
    ("", "请填写"),
    ("123", "格式"),
    ("甘0102民特123号", "格式"),
    ("（2026）甘0102民初123号", "格式"),  # an ordinary civil case, not a confirmation
    ("（2026）甘0102民特号", "格式"),
    ("（2024）甘0102民特12号", "年份"),
    ("（2026）甘0102民特0号", "序号"),
    ("；DROP TABLE", "格式"),
    ("（2026）甘0102民特12³号", "格式"),  # a superscript is no digit
])
def test_garbage_court_numbers_are_refused(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as refused:
        check_court_number(typed, accepted_on=date(2026, 3, 2), applied_on=date(2026, 2, 27))
    assert refused.value.field == "court_case_number"


def test_application_window_acceptance_and_decision(db: Database) -> None:
    s = settled_case(db, signed_days_ago=3)
    today = date.today()
    court = "张掖市甘州区人民法院"
    with db.read() as session:
        page = confirmation.confirmation_page(session, s.mediator, s.case_id, today)
    [window] = page.agreements
    assert window.deadline == s.effective_on + timedelta(days=30) and window.days_left == 27
    assert window.may_apply and window.confirmation is None and window.applicability is None and page.may_edit

    def apply(actor: object = s.mediator, **kwargs: object) -> confirmation.ConfirmationInfo:
        values: dict[str, object] = {"applied_on": today, "court": court} | kwargs
        with db.write() as session:
            return confirmation.record_application(session, actor, s.agreement_id, **values)  # type: ignore[arg-type]

    with pytest.raises(InvalidInput, match="不能早于协议生效日期") as refused:
        apply(applied_on=s.effective_on - timedelta(days=1))
    assert refused.value.field == "applied_on"
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        apply(applied_on=today + timedelta(days=1))
    with pytest.raises(InvalidInput, match="请填写受理申请的人民法院"):
        apply(court="  ")
    with pytest.raises(InvalidInput, match="不像人民法院"):
        apply(court="甘州区民政局")
    with pytest.raises(PermissionDenied):
        apply(actor=s.clerk)
    # 40 days on, the window has closed: refused unless a reason is given.
    later = s.effective_on + timedelta(days=40)
    with pytest.raises(LateApplication, match="已逾期 10 天") as late:
        apply(applied_on=later, today=later)
    assert late.value.days_late == 10 and late.value.field == "applied_on"

    applied = apply()
    assert applied.result is ConfirmationResult.PENDING and applied.stage == "待法院受理"
    with db.read() as session:
        case = session.get_one(DisputeCase, s.case_id)
        # The confirmation clock stops once the parties have applied.
        assert case.clock_stage is None
        assert clocks.case_clock(session, s.case_id) is None
    with pytest.raises(InvalidInput, match="不能重复申请"):
        apply()

    def accept(number: str, on: date = today) -> confirmation.ConfirmationInfo:
        with db.write() as session:
            return confirmation.record_acceptance(session, s.mediator, applied.id, accepted_on=on,
                                                  court_case_number=number)

    with pytest.raises(InvalidInput, match="格式"):
        accept("甘州法院收到了")
    with pytest.raises(InvalidInput, match="不能早于申请日期"):
        accept(f"（{today.year}）甘0702民特5号", today - timedelta(days=1))
    with pytest.raises(InvalidInput, match="尚未受理"), db.write() as session:
        confirmation.record_decision(session, s.mediator, applied.id, result=ConfirmationResult.CONFIRMED,
                                     decided_on=today)
    accepted = accept(f"({today.year})甘0702民特5号")
    assert accepted.court_case_number == f"（{today.year}）甘0702民特5号" and accepted.stage == "法院审查中"
    with pytest.raises(InvalidInput, match="驳回申请的理由"), db.write() as session:
        confirmation.record_decision(session, s.mediator, applied.id, result=ConfirmationResult.REJECTED,
                                     decided_on=today)
    with db.write() as session:
        decided = confirmation.record_decision(session, s.mediator, applied.id, result=ConfirmationResult.CONFIRMED,
                                               decided_on=today)
    assert decided.result is ConfirmationResult.CONFIRMED
    with pytest.raises(InvalidInput, match="已有结果"), db.write() as session:
        confirmation.record_decision(session, s.head, applied.id, result=ConfirmationResult.WITHDRAWN,
                                     decided_on=today)
    with db.read() as session:
        notes = [e.note for e in cases.case_detail(session, s.head, s.case_id).events]
        page = confirmation.confirmation_page(session, s.head, s.case_id, today)
    assert any(n.startswith(f"当事人于{today:%Y年%m月%d日}共同向{court}申请司法确认") for n in notes)
    assert any(f"（{today.year}）甘0702民特5号" in n and "受理" in n for n in notes)
    assert any(n.startswith("司法确认：裁定有效") for n in notes)
    assert not page.agreements[0].may_apply


def test_a_late_application_is_recorded_with_its_reason_and_a_withdrawn_one_can_be_renewed(db: Database) -> None:
    s = settled_case(db, signed_days_ago=45)
    today = date.today()
    with db.read() as session:
        [window] = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements
    assert window.days_left == -15
    with db.read() as session:
        assert clocks.case_clock(session, s.case_id) is not None
    with db.write() as session:
        applied = confirmation.record_application(session, s.head, s.agreement_id, applied_on=today,
                                                  court="张掖市甘州区人民法院", late_reason="当事人外出务工刚返回")
    assert "逾期 15 天申请，原因：当事人外出务工刚返回" in applied.note
    with db.write() as session:
        confirmation.record_decision(session, s.head, applied.id, result=ConfirmationResult.WITHDRAWN,
                                     decided_on=today)
    with db.write() as session:
        again = confirmation.record_application(session, s.head, s.agreement_id, applied_on=today,
                                                court="张掖市甘州区人民法院", late_reason="重新申请")
    with db.read() as session:
        [window] = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements
    assert window.confirmation is not None and window.confirmation.id == again.id
    assert [h.result for h in window.history] == [ConfirmationResult.WITHDRAWN]


def test_a_configured_limit_moves_the_window(db: Database) -> None:
    s = settled_case(db, signed_days_ago=1)
    with db.write() as session:
        clocks.set_limit(session, s.head, ClockStage.JUDICIAL_CONFIRMATION, days=20, working_days=False,
                         yellow_days=5)
    with db.read() as session:
        [window] = confirmation.confirmation_page(session, s.head, s.case_id).agreements
        state = clocks.case_clock(session, s.case_id)
    assert window.deadline == s.effective_on + timedelta(days=20)
    assert state is not None and state.due_on == window.deadline  # the tab and the clock agree


def test_pending_confirmations_for_the_desk(db: Database) -> None:
    s = settled_case(db, signed_days_ago=5)
    other_team, other_mediator = make_team(db, "劳资社保调解团队", "赵敏")
    outsider = make_user(db, "outsider", Role.MEDIATOR, mediator_id=other_mediator)
    today = date.today()
    with db.read() as session:
        [row] = confirmation.pending_confirmations(session, s.mediator, today)
        assert confirmation.pending_confirmations(session, outsider, today) == []
        assert len(confirmation.pending_confirmations(session, s.head, today)) == 1
        with pytest.raises(PermissionDenied):
            confirmation.pending_confirmations(session, s.clerk, today)
    assert (row.stage, row.days_left, row.case_id) == ("待申请", 25, s.case_id)
    with db.write() as session:
        confirmation.record_application(session, s.mediator, s.agreement_id, applied_on=today, court="甘州区人民法院")
    with db.read() as session:
        [row] = confirmation.pending_confirmations(session, s.head, today)
        assert row.stage == "待法院受理" and row.court == "甘州区人民法院"
        # Once the window has closed with no application, there is nothing left to chase.
    s2_today = today + timedelta(days=40)
    with db.read() as session:
        assert [r.stage for r in confirmation.pending_confirmations(session, s.head, s2_today)] == ["待法院受理"]
    assert other_team


def test_a_divorce_agreement_shows_the_warning_on_its_page(db: Database) -> None:
    s = settled_case(db, dispute_type="婚姻家庭", facts="双方婚后感情不和",
                     terms=("双方自愿离婚", "男方补偿女方"))
    with db.read() as session:
        [window] = confirmation.confirmation_page(session, s.head, s.case_id).agreements
    assert window.applicability is not None and window.applicability.level == "warning"
    assert "婚姻关系" in window.applicability.message
