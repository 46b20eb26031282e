"""The main window: sections by role, menus, geometry."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import CaseState, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import caselist, reference
from mediation_desk.services.actor import Actor
from mediation_desk.ui.admin.users import UsersPanel
from mediation_desk.ui.shell.main_window import CaseSection, MainWindow

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui

CENTER = "张掖市甘州区矛盾纠纷调处中心"
SCREEN = (1366, 768)


def make_window(runner: Runner, actor: Actor, qtbot: QtBot) -> MainWindow:
    window = MainWindow(runner, actor, CENTER)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize(("username", "sections"), [
    ("clerk", ["Registration", "Cases", "Desk", "Signed papers", "Organisation"]),
    ("mediator", ["Desk", "Cases", "My cases", "Signed papers", "Organisation", "Subsidies"]),
    ("head", ["Desk", "Cases", "Closure review", "Publicity", "Statistics", "Cards and limits", "Registration",
              "Signed papers", "Organisation", "Holidays and time limits", "Subsidies", "Audit log"]),
    ("admin", ["Organisation", "Holidays and time limits", "Users", "Subsidies", "Audit log", "Backups"]),
])
def test_sections_by_role(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, app_fonts: str | None,
                          username: str, sections: list[str]) -> None:
    # With the shipped fonts, as the app registers them: without, the sizes depended on whether an
    # earlier test in the same process had registered them (the head's window measured 735 px then).
    actor = login_as(demo_sqlite_db, username)
    window = make_window(runner, actor, qtbot)
    assert window.section_titles() == sections
    assert window.windowTitle() == f"矛调工作台 — {CENTER} — {actor.display_name} ({actor_role(actor.role)})"
    # Usable on a 1366×768 screen: nothing demands more room than that.
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1] - 40
    assert window.width() <= SCREEN[0] and window.height() <= SCREEN[1]


def actor_role(role: Role) -> str:
    return {Role.INTAKE: "Intake clerk", Role.MEDIATOR: "Mediator", Role.HEAD: "Center head",
            Role.ADMIN: "Administrator"}[role]


def test_head_review_section_shows_only_cases_in_review(runner: Runner, demo_sqlite_db: Database,
                                                        qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    review = window.sections["review"]
    assert isinstance(review, CaseSection)
    model = review.list_view.model
    assert model.query.filter.states == frozenset({CaseState.CLOSURE_REVIEW})
    assert model.total > 0
    model.load_rows(0, model.total - 1)
    assert all(model.data(model.index(r, 0), model.CaseRowRole).state is CaseState.CLOSURE_REVIEW
               for r in range(model.rowCount()))
    assert not review.list_view.state_combo.isEnabled()
    assert review.list_view.count_label.text() == f"{model.total} case(s)"


def test_mediator_sees_the_teams_cases_and_their_own(runner: Runner, demo_sqlite_db: Database,
                                                    qtbot: QtBot) -> None:
    mediator = login_as(demo_sqlite_db, "mediator")
    assert mediator.team_ids and mediator.mediator_id is not None
    window = make_window(runner, mediator, qtbot)
    all_cases = window.sections["cases"]
    assert isinstance(all_cases, CaseSection)
    # Row visibility (docs/permissions.md): a mediator's whole case list is their teams' cases.
    with demo_sqlite_db.read() as session:
        head = login_as(demo_sqlite_db, "head")
        everything = caselist.count_cases(session, head, caselist.CaseQuery())
        teams = caselist.count_cases(session, head, caselist.CaseQuery(
            filter=CaseFilter(team_ids=mediator.team_ids)))
        own = {c for c, in session.execute(text(
            "SELECT id FROM dispute_case WHERE lead_mediator_id = :m "
            "UNION SELECT case_id FROM case_mediator WHERE mediator_id = :m"), {"m": mediator.mediator_id})}
        names = {t.id: t.name for t in reference.teams(session)}
    assert 0 < all_cases.list_view.model.total == teams < everything

    mine = window.sections["mine"]
    assert isinstance(mine, CaseSection)
    view = mine.list_view
    assert view.model.query.filter.mediator_id == mediator.mediator_id
    assert 0 < view.model.total == len(own) < teams
    view.model.load_rows(0, view.model.total - 1)
    shown = {view.model.data(view.model.index(r, 0), view.model.CaseRowRole).id for r in range(view.model.rowCount())}
    assert shown == own
    combo: QComboBox = view.team_combo
    assert [combo.itemText(i) for i in range(1, combo.count())] == [names[i] for i in sorted(mediator.team_ids)]


def test_mediator_without_team(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    actor = login_as(demo_sqlite_db, "mediator")
    lonely = Actor(actor.user_id, actor.username, actor.display_name, actor.role, actor.mediator_id, frozenset())
    window = make_window(runner, lonely, qtbot)
    assert isinstance(window.sections["mine"], CaseSection)  # their own cases need no team
    unlinked = Actor(actor.user_id, actor.username, actor.display_name, actor.role, None, actor.team_ids)
    other = make_window(runner, unlinked, qtbot)
    assert isinstance(other.sections["mine"], QLabel)


def test_admin_gets_users(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "admin"), qtbot)
    assert isinstance(window.sections["users"], UsersPanel)


def test_filter_bar_drives_the_list(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    section = window.sections["cases"]
    assert isinstance(section, CaseSection)
    view = section.list_view
    assert view.count_label.text() == "120 case(s)"
    view.state_combo.setCurrentIndex(view.state_combo.findText("In progress"))
    in_progress = view.model.total
    assert 0 < in_progress < 120
    assert view.count_label.text() == f"{in_progress} case(s)"
    view.team_combo.setCurrentIndex(1)
    assert view.model.query.filter.team_ids == frozenset({view.team_combo.currentData()})
    view.from_check.setChecked(True)
    assert view.model.query.filter.received_from is not None
    view.clear_filters()
    assert view.model.query.filter.states == frozenset() and view.model.total == 120


def test_language_menu_saves_the_choice(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "clerk"), qtbot)
    assert window.language_actions["zh_CN"].isChecked()
    assert [window.language_actions[c].text() for c in ("zh_CN", "en")] == ["中文", "English"]
    with qtbot.waitSignal(window.language_chosen):
        window.language_actions["en"].trigger()
    assert settings.DeskSettings.load().language == "en"
    assert window.message_box is not None and window.message_box.isVisible()
    assert "next time" in window.message_box.text()  # applies on restart, and says so
    window.message_box.accept()


def test_about(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    window = make_window(runner, login_as(demo_sqlite_db, "clerk"), qtbot)
    window.show_about()
    assert window.message_box is not None and "矛调工作台" in window.message_box.text()
    window.message_box.accept()


def test_geometry_is_restored(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    actor = login_as(demo_sqlite_db, "clerk")
    first = make_window(runner, actor, qtbot)
    first.resize(760, 540)  # the offscreen screen is 800×600
    first.close()
    second = make_window(runner, actor, qtbot)
    assert (second.width(), second.height()) == (760, 540)


def test_hidden_sections_read_only_when_shown(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The publicity list, the dashboard and the organisation read nothing while their tab is
    hidden; a change meanwhile is read when the tab is shown (a county's loads take seconds and
    would hold up the serial read lane)."""
    from mediation_desk.changes import Changes
    from mediation_desk.ui.admin.organisation import OrganisationPanel
    from mediation_desk.ui.desk.dashboard import DashboardPanel
    from mediation_desk.ui.desk.publicity import PublicityPanel

    calls: list[str] = []
    monkeypatch.setattr(PublicityPanel, "refresh", lambda self: calls.append("publicity"))
    monkeypatch.setattr(DashboardPanel, "refresh", lambda self: calls.append("dashboard"))
    monkeypatch.setattr(OrganisationPanel, "reload", lambda self: calls.append("organisation"))
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    assert calls == []
    window.tabs.setCurrentWidget(window.sections["publicity"])
    assert calls == ["publicity"]
    window.tabs.setCurrentWidget(window.sections["cases"])
    runner.changed.emit(Changes(case_list=True))
    assert calls == ["publicity"]  # hidden: only marked stale
    window.tabs.setCurrentWidget(window.sections["publicity"])
    assert calls == ["publicity", "publicity"]
    runner.changed.emit(Changes(case_list=True))  # on screen: read at once
    assert calls == ["publicity"] * 3
    window.tabs.setCurrentWidget(window.sections["statistics"])
    window.tabs.setCurrentWidget(window.sections["organisation"])
    assert calls == ["publicity"] * 3 + ["dashboard", "organisation"]



def test_a_minimised_window_reads_its_section_on_screen_when_restored(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody sees a minimised window: changes meanwhile read nothing; restored, the section on
    screen reads once, and a section behind its tab when that tab is shown."""
    from mediation_desk.changes import Changes
    from mediation_desk.ui.desk.dashboard import DashboardPanel
    from mediation_desk.ui.desk.publicity import PublicityPanel

    calls: list[str] = []
    monkeypatch.setattr(PublicityPanel, "refresh", lambda self: calls.append("publicity"))
    monkeypatch.setattr(DashboardPanel, "refresh", lambda self: calls.append("dashboard"))
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    qtbot.waitExposed(window)
    bar = window.tabs.tabBar()

    def click_tab(key: str) -> None:
        index = window.tabs.indexOf(window.sections[key])
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        assert window.tabs.currentIndex() == index

    click_tab("statistics")
    click_tab("publicity")
    assert calls == ["dashboard", "publicity"]
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    runner.changed.emit(Changes(case_list=True))
    runner.changed.emit(Changes(case_list=True))
    assert calls == ["dashboard", "publicity"]
    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMinimized())
    assert calls == ["dashboard", "publicity", "publicity"]
    click_tab("statistics")
    assert calls == ["dashboard", "publicity", "publicity", "dashboard"]


def test_sections_are_made_when_first_shown(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The first section is made with the window; the others when their tab is first clicked
    (start-up paints the first rows sooner), and then work as if made at once."""
    window = make_window(runner, login_as(demo_sqlite_db, "mediator"), qtbot)
    assert list(window.sections.built()) == ["desk"]
    assert list(window.sections) == ["desk", "cases", "mine", "scanback", "organisation", "subsidies"]
    cases_index = window.section_titles().index("Cases")
    assert tab_name(window, cases_index) == "casesPending"

    bar = window.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(cases_index).center())
    section = window.tabs.currentWidget()
    assert isinstance(section, CaseSection) and section.objectName() == "casesSection"
    assert window.tabs.indexOf(section) == cases_index and window.section_titles()[cases_index] == "Cases"
    assert list(window.sections.built()) == ["desk", "cases"]
    qtbot.waitUntil(lambda: section.list_view.model.rowCount() > 0)
    # Asked for by the code (a desk row's Enter opens the case there) it is the same one, not a second.
    assert window.sections["cases"] is section
    assert tab_name(window, window.section_titles().index("My cases")) == "minePending"



def test_the_heads_registration_form_is_made_when_first_shown_or_a_draft_is_offered(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The head's window paints its desk without the registration form (a third of the GUI
    thread's work before that paint): the form, and the counter's screen with it, are made when
    its tab is first shown, or at the sign-in when the head left a draft to offer back."""
    from mediation_desk.services import drafts
    from mediation_desk.ui.intake.form import IntakeForm

    head = login_as(demo_sqlite_db, "head")
    window = make_window(runner, head, qtbot)
    index = window.section_titles().index("Registration")
    assert "intake" not in window.sections.built() and tab_name(window, index) == "intakePending"
    assert window.intake_form is None and window.counter_screen is None
    assert window.unsaved_editors() == []
    assert window.direct_receipt_action is not None  # the Settings menu's receipt choice is there already
    assert not window.offer_draft()  # no draft: still not made
    assert window.intake_form is None
    bar = window.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    form = window.tabs.currentWidget()
    assert isinstance(form, IntakeForm) and form is window.intake_form and window.counter_screen is not None
    assert window.sections["intake"] is form and window.section_titles()[index] == "Registration"
    assert window.unsaved_editors() == [form]

    # A draft the head left: the next window makes the form at the offer and shows it there.
    drafts.save_draft(head.username, {"title": "院门纠纷", "parties": []}, at=datetime(2026, 11, 30, 9, 0))
    again = make_window(runner, head, qtbot)
    assert again.intake_form is None
    assert again.offer_draft()
    assert again.intake_form is not None and again.tabs.currentWidget() is again.intake_form
    assert again.intake_form.offer_bar.isVisible()


def tab_name(window: MainWindow, index: int) -> str:
    widget = window.tabs.widget(index)
    assert widget is not None
    return widget.objectName()


def test_a_case_section_makes_its_detail_page_after_the_list_s_first_rows(
        runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The detail page (eight tabs, most of a case section's making) is not made with the section:
    its first show paints the list alone, and the page is made hidden a moment after the first
    rows, so the first case opened only fills it. The unsaved-input question set before reaches
    the page made later; with no page there is nothing unsaved."""
    window = make_window(runner, login_as(demo_sqlite_db, "head"), qtbot)
    def ask(_parent: object, _text: str, _can_save: bool, _answer: object) -> None:
        raise AssertionError("nothing was typed")

    window.set_unsaved_question(ask)
    window.tabs.setCurrentIndex(window.section_titles().index("Cases"))
    section = window.tabs.currentWidget()
    assert isinstance(section, CaseSection)
    qtbot.waitUntil(lambda: section.list_view.model.rowCount() > 0)
    assert section.detail_built is None and section.count() == 1
    assert window.unsaved_editors() == [] or all(e is window.intake_form for e in window.unsaved_editors())
    # A moment later the page is there, hidden: the list keeps the whole width.
    qtbot.waitUntil(lambda: section.detail_built is not None)
    detail = section.detail_built
    assert detail is not None and section.count() == 2 and detail.isHidden() and section.sizes()[1] == 0
    # Enter on the list's first row opens the case in it, shown beside the list.
    table = section.list_view.table
    table.setFocus()
    table.selectRow(0)
    case_id = section.list_view.model.case_id_at(0)
    shown: list[int] = []
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert section.detail_view is detail
    detail.loaded.connect(shown.append)
    qtbot.waitUntil(lambda: not detail.isHidden())
    assert detail.guard.ask is ask and shown in ([], [case_id])
    assert section.sizes()[1] > 0  # beside the list, not collapsed
