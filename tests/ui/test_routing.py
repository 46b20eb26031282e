"""Routing an accepted case from its page: assignment with the recusal check, and diversion with
the feedback that closure review waits for."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState, Mediator, PartyRole, RecusalOutcome, TeamMember
from mediation_desk.services import assignment, cases, organisation, reference, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.detail import CaseDetailView
from mediation_desk.ui.cases.routing import AssignPanel

from ..conftest import login_as
from .conftest import Runner, check_model, register_case, type_text
from .test_case_detail import click

pytestmark = pytest.mark.gui

APPLICANT_ADDRESS = "张掖市甘州区梁家墩镇四村7组46号"
NEIGHBOURS_ADDRESS = "张掖市甘州区梁家墩镇四村7组50号"
NEIGHBOUR = "张建军"


@pytest.fixture
def clerk(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "clerk")


@pytest.fixture
def neighbour_case(demo_sqlite_db: Database, clerk: Actor) -> tuple[int, int]:
    """An accepted 邻里 case whose applicant 张三 lives at the address of 张建军, a mediator of the
    team the case will be suggested to: same surname, same address — a recusal warning.

    The demo mediators have no address and the organisation service is still being written, so
    the mediator is added through the ORM, in this fixture only."""
    with demo_sqlite_db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        case_id = cases.register_case(session, clerk, cases.CaseInput(
            title="院前通道堆放杂物纠纷",
            dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="张三", address=APPLICANT_ADDRESS),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四", address=NEIGHBOURS_ADDRESS)],
            facts="两家因院前通道堆放杂物发生争执。",
        ))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        team = assignment.suggest(session, case_id).team
        assert team is not None
        mediator = Mediator(name=NEIGHBOUR, address="梁家墩镇四村7组46号")
        session.add(mediator)
        session.flush()
        session.add(TeamMember(team_id=team.team_id, mediator_id=mediator.id, joined_on=date(2024, 1, 2)))
        return case_id, mediator.id


def open_view(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int) -> CaseDetailView:
    view = CaseDetailView(runner, actor)
    qtbot.addWidget(view)
    view.resize(720, 760)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    return view


def open_assign(view: CaseDetailView, qtbot: QtBot) -> AssignPanel:
    click(qtbot, view, view.action_buttons["assign"])
    panel = view.assign_panel
    assert panel.isVisible() and panel.team_combo.count() > 0 and panel.lead_combo.count() > 0
    return panel


def other_lead(panel: AssignPanel, avoid: int) -> None:
    if panel.lead_combo.currentData() == avoid:
        panel.lead_combo.setCurrentIndex(1 if panel.lead_combo.currentIndex() == 0 else 0)


def shown_state(view: CaseDetailView) -> CaseState | None:
    return view.detail.state if view.detail is not None else None


def state_of(db: Database, actor: Actor, case_id: int) -> CaseState:
    with db.read() as session:
        return cases.case_detail(session, actor, case_id).state


def test_recusal_warning_needs_a_decision(runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot,
                                          neighbour_case: tuple[int, int]) -> None:
    case_id, neighbour = neighbour_case
    view = open_view(runner, clerk, qtbot, case_id)
    panel = open_assign(view, qtbot)
    other_lead(panel, neighbour)
    assert not panel.recusal_rows and panel.recusal_box.isHidden()

    # Ticking the neighbour as co-mediator shows the warning at once, with a decision to take.
    assert panel.co_model.set_checked(neighbour, True)
    assert list(panel.recusal_rows) == [neighbour]
    row = panel.recusal_rows[neighbour]
    assert panel.recusal_box.isVisible()
    assert row.text_label.text() == f"调解员{NEIGHBOUR}与当事人张三同姓且住址相同，可能需要回避。"
    assert row.decision() == (None, "")

    click(qtbot, view, panel.confirm_button)
    assert panel.error_label.isVisible()
    assert panel.error_label.text().startswith("请先就回避作出决定")
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ACCEPTED

    row.decision_combo.setCurrentIndex(row.decision_combo.findData(RecusalOutcome.PROCEED))
    assert row.note_edit.isVisible()
    type_text(row.note_edit, "同院居住但非亲属，当事人同意其参与调解")
    with demo_sqlite_db.read() as session:
        justice = next(d for d in organisation.list_departments(session, clerk) if d.name == "区司法局")
    assert panel.department_model.set_checked(justice.id, True)
    click(qtbot, view, panel.confirm_button)

    assert view.detail is not None and view.detail.state is CaseState.ASSIGNED
    assert panel.isHidden()
    note = view.timeline_model.data(view.timeline_model.index(view.timeline_model.rowCount() - 1, 4))
    assert f"协办：{NEIGHBOUR}" in note
    assert "联合调解：区司法局" in note
    assert "决定无需回避" in note


def test_recused_mediators_leave_the_case(runner: Runner, clerk: Actor, demo_sqlite_db: Database, qtbot: QtBot,
                                          neighbour_case: tuple[int, int]) -> None:
    case_id, neighbour = neighbour_case
    view = open_view(runner, clerk, qtbot, case_id)
    panel = open_assign(view, qtbot)
    other_lead(panel, neighbour)

    # A co-mediator who recuses is taken off the case.
    panel.co_model.set_checked(neighbour, True)
    panel.recusal_rows[neighbour].decide(RecusalOutcome.RECUSED)
    assert neighbour not in panel.co_model.checked_ids()
    assert not panel.recusal_rows and panel.recusal_box.isHidden()
    assert NEIGHBOUR in panel.info_label.text()

    # As lead, the warning comes back; a lead who recuses must be replaced before assigning.
    panel.lead_combo.setCurrentIndex(panel.lead_combo.findData(neighbour))
    assert list(panel.recusal_rows) == [neighbour]
    lead_row = panel.co_model.index(panel.co_model.row_of(neighbour) or 0)
    assert not panel.co_model.flags(lead_row) & Qt.ItemFlag.ItemIsEnabled  # not also a co-mediator
    panel.recusal_rows[neighbour].decide(RecusalOutcome.RECUSED)
    assert panel.error_label.text() == f"{NEIGHBOUR} recuses: choose another lead mediator."
    click(qtbot, view, panel.confirm_button)
    assert panel.error_label.text() == f"{NEIGHBOUR}已决定回避，不能分派到本案，请另选调解员。"
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ACCEPTED

    other_lead(panel, neighbour)
    assert not panel.recusal_rows
    click(qtbot, view, panel.confirm_button)
    assert state_of(demo_sqlite_db, clerk, case_id) is CaseState.ASSIGNED


def test_assignment_lists_pass_the_model_tester(runner: Runner, clerk: Actor, qtbot: QtBot,
                                                qtmodeltester: ModelTester,
                                                neighbour_case: tuple[int, int]) -> None:
    case_id, neighbour = neighbour_case
    view = CaseDetailView(runner, clerk)
    qtbot.addWidget(view)
    panel = view.assign_panel
    check_model(qtmodeltester, panel.co_model)
    check_model(qtmodeltester, panel.department_model)
    view.show_case(case_id)
    panel.open_for(case_id, 0)
    assert panel.co_model.rowCount() > 5 and panel.department_model.rowCount() > 5
    panel.co_model.set_checked(neighbour, True)
    check_model(qtmodeltester, panel.co_model)
    check_model(qtmodeltester, panel.department_model)


def test_diversion_waits_for_feedback_before_review(runner: Runner, clerk: Actor, demo_sqlite_db: Database,
                                                    qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    view = open_view(runner, clerk, qtbot, case_id)
    assert view.diversions_box.isHidden()

    click(qtbot, view, view.action_buttons["divert"])
    panel = view.divert_panel
    assert panel.isVisible() and view.assign_panel.isHidden()
    click(qtbot, view, panel.confirm_button)
    assert panel.error_label.text() == "请填写接收分流的村（社区）人民调解委员会名称。"
    type_text(panel.name_edit, "梁家墩镇四村人民调解委员会")
    type_text(panel.reason_edit, "属村内邻里纠纷，由村调委会就地化解")
    with qtbot.waitSignal(view.loaded):
        click(qtbot, view, panel.confirm_button)

    assert shown_state(view) is CaseState.DIVERTED
    assert panel.isHidden()
    assert view.diversions_box.isVisible()
    item = next(iter(view.diversions_box.items.values()))
    assert "梁家墩镇四村人民调解委员会" in item.text_label.text()
    assert item.status_label.text() == "Awaiting feedback for 0 days"
    # Closure review waits for the feedback: the button says so instead of failing.
    submit = view.action_buttons["submit_for_review"]
    assert not submit.isEnabled()
    assert "梁家墩镇四村人民调解委员会" in submit.toolTip()

    click(qtbot, view, item.feedback_button)
    assert item.feedback_error.text() == "请填写反馈内容。"
    type_text(item.feedback_edit, "村调委会已调解成功，双方签订协议")
    with qtbot.waitSignal(view.loaded):
        click(qtbot, view, item.feedback_button)
    item = next(iter(view.diversions_box.items.values()))
    assert item.status_label.text().startswith("Feedback ")
    assert item.feedback_button.isHidden()
    submit = view.action_buttons["submit_for_review"]
    assert submit.isEnabled()

    click(qtbot, view, submit)
    assert shown_state(view) is CaseState.CLOSURE_REVIEW


def test_assignment_on_the_threaded_runner(demo_sqlite_db: Database, clerk: Actor, qtbot: QtBot,
                                           neighbour_case: tuple[int, int]) -> None:
    """The app's runner answers later, on worker threads: the panel must wait for each answer."""
    case_id, neighbour = neighbour_case
    threaded = Runner(demo_sqlite_db, synchronous=False)
    try:
        view = CaseDetailView(threaded, clerk)
        qtbot.addWidget(view)
        view.resize(720, 760)
        view.show()
        with qtbot.waitSignal(view.loaded):
            view.show_case(case_id)
        view.take_action(next(a for a in view.detail.actions if a.action == "assign"))  # type: ignore[union-attr]
        panel = view.assign_panel
        qtbot.waitUntil(lambda: panel.lead_combo.count() > 0)
        other_lead(panel, neighbour)
        panel.co_model.set_checked(neighbour, True)
        qtbot.waitUntil(lambda: list(panel.recusal_rows) == [neighbour])
        panel.recusal_rows[neighbour].decide(RecusalOutcome.PROCEED, "并非同一家庭")
        with qtbot.waitSignal(panel.assigned):
            panel.submit()
        qtbot.waitUntil(lambda: shown_state(view) is CaseState.ASSIGNED)
    finally:
        threaded.shutdown(dispose=False)
    assert not threaded.unhandled


def test_cancel_closes_either_panel_with_its_error_and_says_so(runner: Runner, clerk: Actor,
                                                               demo_sqlite_db: Database, qtbot: QtBot) -> None:
    case_id = register_case(demo_sqlite_db, clerk)
    with demo_sqlite_db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    view = open_view(runner, clerk, qtbot, case_id)
    for action, panel in (("divert", view.divert_panel), ("assign", view.assign_panel)):
        click(qtbot, view, view.action_buttons[action])
        assert panel.isVisible()
        if panel is view.divert_panel:
            click(qtbot, view, panel.confirm_button)  # no body named: an error shows
            assert panel.error_label.isVisible()
        with qtbot.waitSignal(panel.cancelled):
            click(qtbot, view, panel.cancel_button)
        assert panel.isHidden() and panel.error_label.isHidden()
    assert shown_state(view) is CaseState.ACCEPTED


def test_a_township_routes_a_county_case_assigned_down_to_its_own_team(runner: Runner, demo_sqlite_db: Database,
                                                                       qtbot: QtBot) -> None:
    """改派 from the case page: 党寨's clerk, given a county case being mediated by a county team,
    is offered only 党寨's teams and people, and routes it to 党寨's team (docs/crossings.md)."""
    import random

    from sqlalchemy import select

    from mediation_desk import demo
    from mediation_desk.models import Center, DisputeCase, Team
    from mediation_desk.services import crossings

    db = demo_sqlite_db
    with db.write() as session:  # the demo's two townships below the demo county
        demo.seed_townships(session, Actor.system("test"), random.Random(1), 1)
    clerk, head, dz_clerk = (login_as(db, u) for u in ("clerk", "head", "dz_clerk"))
    with db.write() as session:
        dz = session.scalars(select(Center.id).where(Center.prefix == "甘州党寨调")).one()
        dz_teams = set(session.scalars(select(Team.id).where(Team.center_id == dz)))
        dz_people = {int(m) for (m,) in session.execute(select(Mediator.id).where(Mediator.center_id == dz))}
        case_id = cases.register_case(session, clerk, cases.CaseInput(
            title="宅基地边界纠纷", dispute_type_id=reference.dispute_types(session)[0].id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="赵大山"),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="钱二")], facts="两家因宅基地边界发生争执。"))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        suggestion = assignment.suggest(session, case_id)
        assert suggestion.team is not None and suggestion.lead is not None
        assignment.assign(session, clerk, case_id, team_id=suggestion.team.team_id,
                          lead_mediator_id=suggestion.lead.mediator_id)
        crossings.assign(session, head, case_id, to_center_id=dz, working_days=5, reason="请党寨镇就地调处",
                         today=date(2026, 11, 2))

    county_view = open_view(runner, clerk, qtbot, case_id)  # the county only reads it now
    assert "route" not in county_view.action_buttons
    view = open_view(runner, dz_clerk, qtbot, case_id)
    assert view.action_buttons["route"].text() == "Route to a team…"  # untranslated in tests
    click(qtbot, view, view.action_buttons["route"])
    panel = view.assign_panel
    qtbot.waitUntil(lambda: panel.team_combo.count() > 0 and panel.lead_combo.count() > 0)
    assert panel.confirm_button.text() == "Route" and panel.department_list.isHidden()
    offered = {panel.team_combo.itemData(i) for i in range(panel.team_combo.count())}
    assert offered <= dz_teams and offered
    assert {m.id for m in panel._mediators} <= dz_people
    lead = panel.lead_combo.currentData()
    assert lead in dz_people
    with qtbot.waitSignal(panel.assigned):
        click(qtbot, view, panel.confirm_button)
    with db.read() as session:
        case = session.get_one(DisputeCase, case_id)
        assert (case.team_id in dz_teams, case.lead_mediator_id) == (True, lead)
    qtbot.waitUntil(lambda: view.detail is not None and any(e.note.startswith("改派至") for e in view.detail.events))
    view.grab().save("/tmp/county_route.png")


def test_a_countys_open_cases_read_in_digit_groups(chinese: None, runner: Runner, clerk: Actor,
                                                   demo_sqlite_db: Database, qtbot: QtBot,
                                                   neighbour_case: tuple[int, int]) -> None:
    """The 1M demo's panel offered 城建物业调解团队（在办 72616 件） and 何永福（主办在办 14383 件）:
    the open cases in digit groups, as the statistics write them."""
    from dataclasses import replace

    from mediation_desk.ui.cases.routing import AssignChoices

    case_id, _ = neighbour_case
    view = open_view(runner, clerk, qtbot, case_id)
    panel = open_assign(view, qtbot)
    with demo_sqlite_db.read() as session:
        suggestion = assignment.suggest(session, case_id)
        assert suggestion.team is not None and suggestion.lead is not None
        leads = assignment.lead_options(session, suggestion.team.team_id)
    teams = tuple(replace(t, open_cases=72_616 + i) for i, t in enumerate(suggestion.teams))
    big = AssignChoices(replace(suggestion, teams=teams), tuple(replace(m, open_cases_led=14_383) for m in leads),
                        (), ())
    panel._choices_arrived(panel._choices_generation, big)
    team = teams[0]
    assert panel.suggestion_label.text().startswith(f"建议分派：{team.name}（在办 72,616 件）"), \
        panel.suggestion_label.text()
    assert panel.team_combo.itemText(0) == f"{team.name} — 负责此类纠纷，在办 72,616 件"
    assert panel.lead_combo.itemText(0).endswith("（主办在办 14,383 件）"), panel.lead_combo.itemText(0)
