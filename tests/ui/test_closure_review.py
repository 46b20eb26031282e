"""结案审核 through the case page: a mediator submits, the head sends the case back with a reason
(驳回重办) — the reason is on the timeline and the work reopens — and then approves the closure."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.services import cases
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.detail import CaseDetailView, TimelineModel

from ..conftest import login_as
from ..services.settled import settle
from .confirming import click_go
from .conftest import Runner, type_text

pytestmark = pytest.mark.gui


def page(runner: Runner, actor: Actor, qtbot: QtBot, case_id: int) -> CaseDetailView:
    view = CaseDetailView(runner, actor)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.show_case(case_id)
    return view


def state_of(view: CaseDetailView) -> CaseState | None:
    return view.detail.state if view.detail is not None else None


def take(view: CaseDetailView, qtbot: QtBot, action: str) -> None:
    with qtbot.waitSignal(view.loaded):
        view.action_buttons[action].click()
        if action == "approve_closure":  # it asks first: the head says yes
            click_go(view.confirm_box)


def test_send_back_with_a_reason_then_approve(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    db = demo_sqlite_db
    clerk, head, mediator = (login_as(db, name) for name in ("clerk", "head", "mediator"))
    case_id = settle(db, clerk, head, mediator, min(mediator.team_ids)).case_id

    as_mediator = page(runner, mediator, qtbot, case_id)
    take(as_mediator, qtbot, "submit_for_review")
    assert as_mediator.detail is not None and as_mediator.detail.state is CaseState.CLOSURE_REVIEW
    assert "approve_closure" not in as_mediator.action_buttons  # only the head reviews

    as_head = page(runner, head, qtbot, case_id)
    assert list(as_head.action_buttons) == ["approve_closure", "send_back"]
    # Sending back needs a reason: refused inline, nothing changes.
    as_head.action_buttons["send_back"].click()
    assert as_head.note_error.isVisible() and as_head.note_error.text() == "请填写驳回的理由。"
    assert state_of(as_head) is CaseState.CLOSURE_REVIEW
    type_text(as_head.note_edit, "协议履行期限不明确，请补充后重新提交")
    take(as_head, qtbot, "send_back")

    assert state_of(as_head) is CaseState.IN_MEDIATION
    model = as_head.timeline_model
    last = model.rowCount() - 1
    assert model.data(model.index(last, TimelineModel.COL_NOTE)) == "协议履行期限不明确，请补充后重新提交"
    assert model.data(model.index(last, TimelineModel.COL_STATES)) == "Closure review → In mediation"
    assert model.data(model.index(last, TimelineModel.COL_EVENT)) == "Send back for rework"
    # The mediator's page shows it too (it reloads on the change) and offers the work again.
    assert state_of(as_mediator) is CaseState.IN_MEDIATION
    assert "succeed" in as_mediator.action_buttons

    take(as_mediator, qtbot, "succeed")
    take(as_mediator, qtbot, "submit_for_review")
    take(as_head, qtbot, "approve_closure")
    with db.read() as session:
        detail = cases.case_detail(session, head, case_id)
    assert detail.state is CaseState.CLOSED and detail.closed_at is not None
    assert state_of(as_head) is CaseState.CLOSED
    assert [e.note for e in detail.events if e.action == "send_back"] == ["协议履行期限不明确，请补充后重新提交"]
