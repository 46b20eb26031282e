"""The 中心 tab of the organisation screen and the center of a team or mediator (docs/centers.md),
on the demo county: its center and two townships."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import Center, CenterLevel, DisputeCase, User, now
from mediation_desk.ui.admin.organisation import OrganisationPanel
from mediation_desk.ui.admin.users import UsersPanel
from mediation_desk.ui.common.i18n import register_fonts
from mediation_desk.ui.desk.dashboard import DashboardPanel

from ..conftest import login_as
from ..services.helpers import seeded_demo
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui


@pytest.fixture
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo county on SQLite: the test's own copy of the one seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 20, backend="sqlite", township_cases=3) as db:
        yield db


@pytest.fixture
def county_runner(county: Database) -> Iterator[Runner]:
    runner = Runner(county)
    yield runner
    runner.shutdown(dispose=False)
    assert not runner.unhandled, [f.message for f in runner.unhandled]


def _panel(runner: Runner, db: Database, qtbot: QtBot, username: str) -> OrganisationPanel:
    widget = OrganisationPanel(runner, login_as(db, username))
    qtbot.addWidget(widget)
    widget.resize(1300, 650)
    widget.show()
    return widget


def _click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def _names(panel: OrganisationPanel) -> list[str]:
    model = panel.centers.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_the_administrator_adds_a_village_below_a_township(county: Database, county_runner: Runner, qtbot: QtBot,
                                                           qtmodeltester: ModelTester, tmp_path: Path) -> None:
    panel = _panel(county_runner, county, qtbot, "admin")
    assert _names(panel) == ["张掖市甘州区矛盾纠纷调处中心", "\u3000甘州区梁家墩镇综治中心",
                             "\u3000甘州区党寨镇综治中心"]
    check_model(qtmodeltester, panel.centers.model)
    panel.tabs.setCurrentWidget(panel.centers)
    tab, form = panel.centers, panel.centers.form
    assert tab.new_button.isVisible()

    _click(tab.new_button)
    type_text(form.name_edit, "梁家墩镇六闸村人民调解委员会")
    form.level_combo.setCurrentIndex(form.level_combo.findData(CenterLevel.VILLAGE.value))
    parents = [form.parent_combo.itemText(i) for i in range(form.parent_combo.count())]
    assert parents == ["None (the county center)", "张掖市甘州区矛盾纠纷调处中心", "\u3000甘州区梁家墩镇综治中心",
                       "\u3000甘州区党寨镇综治中心"]
    form.parent_combo.setCurrentIndex(2)
    type_text(form.prefix_edit, "甘矛调")  # the county's: refused under the prefix, nothing typed is lost
    _click(form.save_button)
    assert form.errors["prefix"].isVisible() and "已被另一个中心使用" in form.errors["prefix"].text()
    assert form.name_edit.text() == "梁家墩镇六闸村人民调解委员会"
    form.prefix_edit.selectAll()
    form.prefix_edit.del_()
    type_text(form.prefix_edit, "甘州六闸调")
    assert "（2026）甘州六闸调字第0001号" in form.example.text()
    _click(form.save_button)
    assert form.message.text() == "Saved “梁家墩镇六闸村人民调解委员会”."
    assert _names(panel)[2] == "\u3000\u3000梁家墩镇六闸村人民调解委员会", _names(panel)
    with county.read() as session:
        village = session.scalars(select(Center).where(Center.prefix == "甘州六闸调")).one()
        parent = session.get(Center, village.parent_id)
        assert parent is not None and parent.prefix == "甘州梁家墩调" and village.level is CenterLevel.VILLAGE

    register_fonts(QApplication.instance())  # type: ignore[arg-type]
    panel.grab().save(str(tmp_path / "centers.png"))


def test_the_head_reads_the_centers_and_puts_a_team_in_a_township(county: Database, county_runner: Runner,
                                                                  qtbot: QtBot) -> None:
    panel = _panel(county_runner, county, qtbot, "head")
    assert not panel.centers.new_button.isVisible()  # centers are the administrator's
    form = panel.teams.form
    _click(panel.teams.new_button)
    assert not form.center_combo.isHidden()
    centers = [form.center_combo.itemText(i) for i in range(form.center_combo.count())]
    assert centers == ["张掖市甘州区矛盾纠纷调处中心", "\u3000甘州区梁家墩镇综治中心", "\u3000甘州区党寨镇综治中心"]
    assert len(form.members_model.items()) == 25  # the county's mediators
    form.center_combo.setCurrentIndex(1)
    assert [i.text for i in form.members_model.items()] == ["马德林", "王桂兰", "孙国华"]
    type_text(form.name_edit, "梁家墩镇婚姻家庭调解小组")
    form.types_model.setData(form.types_model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    form.members_model.setData(form.members_model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    form.lead_combo.setCurrentIndex(1)
    _click(form.save_button)
    assert form.message.text() == "Saved “梁家墩镇婚姻家庭调解小组”.", form.message.text()
    saved = next(t for t in panel.teams.model.all_rows() if t.name == "梁家墩镇婚姻家庭调解小组")
    with county.read() as session:
        township = session.scalars(select(Center).where(Center.prefix == "甘州梁家墩调")).one()
    assert saved.center_id == township.id


def test_a_township_clerk_sees_only_its_township(county: Database, county_runner: Runner, qtbot: QtBot) -> None:
    panel = _panel(county_runner, county, qtbot, "ljd_clerk")
    assert _names(panel) == ["\u3000甘州区梁家墩镇综治中心"]
    assert [t.name for t in panel.teams.model.all_rows()] == ["梁家墩镇人民调解委员会"]
    assert panel.teams.form.center_combo.isHidden() or not panel.teams.form.can_edit


def test_the_administrator_adds_an_account_to_a_township(county: Database, county_runner: Runner,
                                                         qtbot: QtBot) -> None:
    panel = UsersPanel(county_runner, login_as(county, "admin"))
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.new_center.isHidden()
    assert [panel.new_center.itemText(i) for i in range(panel.new_center.count())] == [
        "张掖市甘州区矛盾纠纷调处中心", "\u3000甘州区梁家墩镇综治中心", "\u3000甘州区党寨镇综治中心"]
    assert panel.new_center.currentIndex() == 0  # the administrator's own center first
    QTest.keyClicks(panel.new_username, "dz_clerk2")
    type_text(panel.new_display_name, "党寨受理员")
    panel.new_center.setCurrentIndex(2)
    QTest.keyClicks(panel.new_password, "Dangzhai#2026")
    _click(panel.add_button)
    assert panel.add_message.text() == "Added the account “dz_clerk2”.", panel.add_message.text()
    with county.read() as session:
        user = session.scalars(select(User).where(User.username == "dz_clerk2")).one()
        township = session.get(Center, user.center_id)
    assert township is not None and township.prefix == "甘州党寨调"


def test_the_county_head_counts_one_township_on_the_dashboard(county: Database, county_runner: Runner,
                                                              qtbot: QtBot) -> None:
    head = login_as(county, "head")
    panel = DashboardPanel(county_runner, head, today=now().date())
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert not panel.center_combo.isHidden()
    assert [panel.center_combo.itemText(i) for i in range(panel.center_combo.count())] == [
        "My center and those below", "张掖市甘州区矛盾纠纷调处中心", "\u3000甘州区梁家墩镇综治中心",
        "\u3000甘州区党寨镇综治中心"]
    assert panel.figures is not None
    everything = panel.figures.received.count
    panel.center_combo.setCurrentIndex(3)  # 党寨 alone: its cases of the period, and its drill-down
    assert panel.figures is not None
    period = panel.figures.period_start, panel.figures.period_end
    with county.read() as session:
        township = session.scalars(select(Center).where(Center.prefix == "甘州党寨调")).one()
        expected = session.scalar(select(func.count()).select_from(DisputeCase).where(
            DisputeCase.center_id == township.id,
            DisputeCase.received_at >= datetime.combine(period[0], time.min),
            DisputeCase.received_at < datetime.combine(period[1] + timedelta(days=1), time.min)))
    assert expected is not None and panel.figures.received.count == expected < everything
    assert panel.figures.received.filter.center_id == township.id
    # A township's own head has no choice to make.
    township_panel = DashboardPanel(county_runner, login_as(county, "dz_head"), today=now().date())
    qtbot.addWidget(township_panel)
    assert township_panel.center_combo.isHidden()


def test_a_township_head_keeps_its_center_s_papers_profile(county: Database, county_runner: Runner, qtbot: QtBot,
                                                           chinese: None, tmp_path: Path) -> None:
    """本中心文书信息…: the township head types its address, phone and committee; a phone that is
    not a phone is refused naming the field, nothing typed is lost, and corrected it is kept."""
    from mediation_desk.readmodels.center import CenterProfile
    from mediation_desk.services import center

    panel = _panel(county_runner, county, qtbot, "ljd_head")
    panel.tabs.setCurrentWidget(panel.centers)
    assert panel.profile_button.isVisible() and panel.profile_button.text() == "本中心文书信息…"
    _click(panel.profile_button)
    qtbot.waitUntil(lambda: panel.profile_dialog is not None and panel.profile_dialog.isVisible())
    dialog = panel.profile_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "甘州区梁家墩镇综治中心：文书上的信息"
    assert dialog.committee_edit.placeholderText() == "甘州区梁家墩镇人民调解委员会"
    assert "甘州区梁家墩镇人民调解委员会" in dialog.note.text()
    type_text(dialog.address_edit, "甘州区梁家墩镇政府院内一楼")
    type_text(dialog.phone_edit, "梁家墩镇政府")
    type_text(dialog.committee_edit, "梁家墩镇人民调解委员会")
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Save))
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()))
    assert "联系电话“梁家墩镇政府”不是电话号码" in dialog.error_label.text()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.phone_edit
    assert (dialog.address_edit.text(), dialog.phone_edit.text(), dialog.committee_edit.text()) == (
        "甘州区梁家墩镇政府院内一楼", "梁家墩镇政府", "梁家墩镇人民调解委员会")
    assert dialog.error_label.height() >= dialog.error_label.heightForWidth(dialog.error_label.width())  # not cut
    if os.environ.get("MEDIATION_DESK_SHOTS"):
        dialog.grab().save(str(Path(os.environ["MEDIATION_DESK_SHOTS"]) / "center_profile_refused.png"))
        panel.grab().save(str(Path(os.environ["MEDIATION_DESK_SHOTS"]) / "centers_tab.png"))
    with county.read() as session:
        ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
        assert center.profile(session, ljd) == CenterProfile()

    dialog.phone_edit.selectAll()
    type_text(dialog.phone_edit, "0936-8561234")
    QTest.keyClick(dialog.phone_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.profile_dialog is None)
    with county.read() as session:
        assert center.profile(session, ljd) == CenterProfile("甘州区梁家墩镇政府院内一楼", "0936-8561234",
                                                             "梁家墩镇人民调解委员会")
        assert center.center_issuer(session, ljd).committee == "梁家墩镇人民调解委员会"


def test_a_clerk_has_no_profile_button(county: Database, county_runner: Runner, qtbot: QtBot) -> None:
    panel = _panel(county_runner, county, qtbot, "ljd_clerk")
    panel.tabs.setCurrentWidget(panel.centers)
    assert not panel.profile_button.isVisible()


@pytest.mark.parametrize("which", ["feedback", "profile"])
def test_both_dialogs_of_the_center_s_address_and_phone_refuse_a_phone_with_letters(
        which: str, county: Database, county_runner: Runner, qtbot: QtBot, chinese: None) -> None:
    """公示 › 反馈方式… and 本中心文书信息… are one form for the address and phone: each labels them
    alike, refuses a phone with letters naming the field in Chinese with all that was typed kept,
    and what it keeps the other one reads."""
    from PySide6.QtWidgets import QFormLayout

    from mediation_desk.readmodels.center import CenterProfile
    from mediation_desk.readmodels.publicity import Feedback
    from mediation_desk.services import center, publicity
    from mediation_desk.ui.admin.center_profile import CenterProfileDialog
    from mediation_desk.ui.common.center_contacts import CenterContactsDialog
    from mediation_desk.ui.desk.publicity import FeedbackDialog

    head = login_as(county, "ljd_head")
    dialog: CenterContactsDialog
    if which == "feedback":
        dialog = FeedbackDialog(county_runner, head, Feedback())
        own, typed_own = dialog.email_edit, "ljdzz@example.cn"
    else:
        dialog = CenterProfileDialog(county_runner, head, CenterProfile(), "甘州区梁家墩镇综治中心",
                                     "甘州区梁家墩镇人民调解委员会")
        own, typed_own = dialog.committee_edit, "梁家墩镇人民调解委员会"
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    labels = [form.labelForField(edit).text() for edit in (dialog.address_edit, dialog.phone_edit)]  # type: ignore[attr-defined]
    assert labels == ["地址：", "联系电话："]
    assert dialog.phone_edit.placeholderText() == "如 0936-8561234"
    type_text(dialog.address_edit, "甘州区梁家墩镇政府院内一楼")
    type_text(own, typed_own)
    dialog.phone_edit.setFocus()
    QTest.keyClicks(dialog.phone_edit, "0936-85612ab")
    QTest.keyClick(dialog.phone_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()))
    assert "联系电话“0936-85612ab”不是电话号码" in dialog.error_label.text()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.phone_edit
    assert (dialog.address_edit.text(), dialog.phone_edit.text(), own.text()) == (
        "甘州区梁家墩镇政府院内一楼", "0936-85612ab", typed_own)
    if os.environ.get("MEDIATION_DESK_SHOTS"):
        dialog.grab().save(str(Path(os.environ["MEDIATION_DESK_SHOTS"]) / f"center_contacts_{which}_refused.png"))
    with county.read() as session:
        ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
        assert center.profile(session, ljd) == CenterProfile()

    QTest.keyClick(dialog.phone_edit, Qt.Key.Key_Backspace)
    QTest.keyClick(dialog.phone_edit, Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.phone_edit, "34")
    QTest.keyClick(dialog.phone_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with county.read() as session:
        assert (publicity.feedback(session, ljd).phone, center.profile(session, ljd).phone) == ("0936-8561234",) * 2
        assert center.profile(session, ljd).address == publicity.feedback(session, ljd).address == (
            "甘州区梁家墩镇政府院内一楼")
