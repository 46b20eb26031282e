"""The head's 审核结案 button on a file that lacks required items: refused, the message lists them."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import dossier

from ..conftest import login_as
from .confirming import click_go
from .conftest import Runner, rows_where
from .test_case_detail import click, open_view, state_of

pytestmark = pytest.mark.gui


def test_approval_of_an_incomplete_file_shows_what_is_missing(runner: Runner, demo_sqlite_db: Database,
                                                              qtbot: QtBot) -> None:
    head = login_as(demo_sqlite_db, "head")
    review = rows_where(demo_sqlite_db, head, CaseFilter(states=frozenset({CaseState.CLOSURE_REVIEW})))
    with demo_sqlite_db.read() as session:
        missing = {r.id: dossier.completeness(session, r.id) for r in review}
    case_id = next(i for i, m in missing.items() if m)  # the demo leaves a few files incomplete
    view = open_view(runner, head, qtbot, case_id)
    view.resize(1366, 768)
    assert list(view.action_buttons) == ["approve_closure", "send_back"]
    click(qtbot, view, view.action_buttons["approve_closure"])
    click_go(view.confirm_box)
    qtbot.waitUntil(view.note_error.isVisible)
    message = view.note_error.text()
    assert "的卷宗不完整，不能结案" in message
    for item in missing[case_id]:
        assert str(item) in message
    assert state_of(demo_sqlite_db, head, case_id) is CaseState.CLOSURE_REVIEW
    assert view.detail is not None and view.detail.state is CaseState.CLOSURE_REVIEW
    assert view.action_buttons["approve_closure"].isEnabled()  # the head may try again once it is complete
    view.grab().save("/tmp/closure_gate_refused.png")
