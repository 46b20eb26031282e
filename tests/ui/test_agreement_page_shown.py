"""The agreement tab shows the page it is given: the rights on it come decided with the page
(``services.pages``), so the tab is driven here by a page built in the test, no case in a database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import CaseState, RiskLevel, SourceChannel
from mediation_desk.readmodels.cases import CaseDetail
from mediation_desk.services.actor import Actor
from mediation_desk.services.pages import AgreementPage
from mediation_desk.ui.cases.tabs.agreement import AgreementTab

from .conftest import Runner

pytestmark = pytest.mark.gui

CASE_ID = 41


def _page(*, state: CaseState, may_write: bool) -> AgreementPage:
    detail = CaseDetail(
        id=CASE_ID, number="矛调〔2026〕41号", title="相邻通行纠纷", state=state, dispute_type="邻里",
        source_channel=SourceChannel.VISIT, risk_level=RiskLevel.BLUE, is_group_dispute=False,
        may_turn_criminal=False, people_involved=2, amount_involved=None, address="", village="", grid="",
        facts="两家因院前通道发生争执。", requests=("恢复通行",), received_at=datetime(2026, 3, 2, 9, 0),
        accepted_at=datetime(2026, 3, 2, 10, 0), closed_at=None, team="城建物业调解团队", team_id=7,
        lead_mediator="李建国", version=3, parties=(), events=(), actions=())
    return AgreementPage(detail, (), may_write, None)


class GivenPage(AgreementTab):
    """The agreement tab reading the page the test gives it instead of the database."""

    def __init__(self, runner: Runner) -> None:
        super().__init__(runner, Actor.system("test"))
        self.runner = runner
        self.given = _page(state=CaseState.IN_MEDIATION, may_write=False)
        self.reads = 0

    def reader(self) -> Callable[[Session], AgreementPage]:
        self.reads += 1
        given = self.given
        return lambda session: given


@pytest.fixture
def tab(sqlite_db: Database, qtbot: QtBot) -> Iterator[GivenPage]:
    runner = Runner(sqlite_db)  # its read lane hands out a session the page does not need
    widget = GivenPage(runner)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]


def test_who_may_not_write_is_told_who_drafts_and_gets_no_draft_buttons(tab: GivenPage) -> None:
    tab.show_case(CASE_ID)
    assert tab.none_label.text() == "No agreement yet. The mediators of the case's team draft it."
    assert tab.draft_written_button.isHidden() and tab.draft_oral_button.isHidden()
    assert tab.page is tab.given


def test_who_may_write_gets_the_draft_buttons_when_a_write_on_the_case_reloads_it(tab: GivenPage) -> None:
    tab.show_case(CASE_ID)
    tab.given = _page(state=CaseState.IN_MEDIATION, may_write=True)
    tab.runner.changed.emit(Changes.cases(CASE_ID + 1))  # another case: not read again
    assert tab.reads == 1 and tab.draft_written_button.isHidden()
    tab.runner.changed.emit(Changes.cases(CASE_ID))
    assert tab.reads == 2
    assert tab.none_label.text() == "No agreement yet. Draft one from the case when the parties agree."
    assert not tab.draft_written_button.isHidden() and not tab.draft_oral_button.isHidden()


def test_outside_mediation_the_tab_says_when_agreements_are_drafted(tab: GivenPage) -> None:
    tab.given = _page(state=CaseState.ACCEPTED, may_write=False)
    tab.show_case(CASE_ID)
    assert tab.none_label.text() == "No agreement: agreements are drafted while the case is in mediation."
    assert tab.draft_written_button.isHidden()
