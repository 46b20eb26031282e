"""The organisation screens: departments, teams and mediators, on the demo center."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import MediatorKind, PresenceMode
from mediation_desk.services import organisation
from mediation_desk.services.organisation import DepartmentInput
from mediation_desk.ui.admin.org_forms import OrgForm
from mediation_desk.ui.admin.org_models import DepartmentsModel, MediatorsModel, TeamsModel
from mediation_desk.ui.admin.organisation import OrganisationPanel, OrgTab
from mediation_desk.ui.common.tick_list import TickListModel

from ..conftest import login_as
from .conftest import Runner, check_model, type_text

pytestmark = pytest.mark.gui

AnyForm = OrgForm[Any]
AnyTab = OrgTab[Any, Any]


def make_panel(runner: Runner, db: Database, qtbot: QtBot, username: str = "admin") -> OrganisationPanel:
    widget = OrganisationPanel(runner, login_as(db, username))
    qtbot.addWidget(widget)
    widget.resize(1300, 650)
    widget.show()
    return widget


@pytest.fixture
def panel(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> OrganisationPanel:
    return make_panel(runner, demo_sqlite_db, qtbot)


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def names(tab: AnyTab) -> list[str]:
    return [tab.model.data(tab.model.index(r, 0)) for r in range(tab.model.rowCount())]


def select(tab: AnyTab, name: str) -> None:
    row = names(tab).index(name)
    tab.table.setCurrentIndex(tab.model.index(row, 0))


def retype(field: QLineEdit, text: str) -> None:
    field.selectAll()
    field.del_()
    type_text(field, text)


def tick(model: TickListModel, *texts: str) -> None:
    rows = {item.text: row for row, item in enumerate(model.items())}
    for text in texts:
        assert model.setData(model.index(rows[text]), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)


def error_of(form: AnyForm, field: str) -> str | None:
    """The message under a field, if one is shown."""
    label = form.errors[field]
    return label.text() if label.isVisible() else None


def save(form: AnyForm) -> None:
    click(form.save_button)


# --------------------------------------------------------------------------- the tables


def test_the_three_tables_pass_the_model_tester(panel: OrganisationPanel, qtmodeltester: ModelTester) -> None:
    assert len(names(panel.departments)) == 13 and names(panel.departments)[0] == "区信访局"
    assert names(panel.teams)[:2] == ["农林水牧调解团队", "城建物业调解团队"]
    assert panel.mediators.model.rowCount() == 25
    for model in (panel.departments.model, panel.teams.model, panel.mediators.model):
        check_model(qtmodeltester, model)
    panel.show_inactive.setChecked(True)
    check_model(qtmodeltester, panel.mediators.model)
    headers = [panel.teams.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["Team", "Lead", "Members", "Dispute types", "Open cases", "Status"]
    team = panel.teams.model.row_at(0)
    assert team is not None
    assert panel.teams.model.data(panel.teams.model.index(0, TeamsModel.COL_LEAD)) == team.lead_name
    assert int(panel.teams.model.data(panel.teams.model.index(0, TeamsModel.COL_OPEN))) == team.open_cases



def test_a_countys_open_cases_read_in_digit_groups(panel: OrganisationPanel) -> None:
    """The 1M demo's tables wrote 在办案件 72616 for a team and 14383 for a mediator, beside the
    mediator's phone number: the counts in digit groups, the phone number as it is dialled."""
    from dataclasses import replace

    teams, mediators = panel.teams.model, panel.mediators.model
    team, mediator = teams.row_at(0), mediators.row_at(0)
    assert team is not None and mediator is not None
    teams.set_rows([replace(team, open_cases=72_616)])
    mediators.set_rows([replace(mediator, open_cases=14_383, phone="13442500997")])
    assert teams.data(teams.index(0, TeamsModel.COL_OPEN)) == "72,616"
    assert mediators.data(mediators.index(0, MediatorsModel.COL_OPEN)) == "14,383"
    assert mediators.data(mediators.index(0, MediatorsModel.COL_PHONE)) == "13442500997"
    # The forms say the same of the row chosen.
    panel.teams.form.populate(replace(team, open_cases=72_616))
    assert panel.teams.form.open_label.text() == "72,616"
    panel.mediators.form.populate(replace(mediator, open_cases=14_383))
    assert panel.mediators.form.open_label.text() == "14,383"

def test_the_team_form_check_lists_pass_the_model_tester(panel: OrganisationPanel,
                                                         qtmodeltester: ModelTester) -> None:
    select(panel.teams, "城建物业调解团队")
    form = panel.teams.form
    assert [item.text for item in form.types_model.items()][:3] == ["婚姻家庭", "邻里", "房屋宅基地"]
    assert len(form.members_model.items()) == 25
    check_model(qtmodeltester, form.types_model)
    check_model(qtmodeltester, form.members_model)


# --------------------------------------------------------------------------- departments


def test_create_a_department_of_each_presence_mode(panel: OrganisationPanel, demo_sqlite_db: Database) -> None:
    tab = panel.departments
    form = tab.form
    assert isinstance(form.name_edit, QLineEdit)

    click(tab.new_button)
    assert form.title.text() == "New department"
    type_text(form.name_edit, "区退役军人事务局")
    save(form)
    assert form.message.text() == "Saved “区退役军人事务局”." and form.message.isVisible()
    assert "区退役军人事务局" in names(tab)
    assert tab.model.row_at(tab.table.currentIndex().row()).name == "区退役军人事务局"  # type: ignore[union-attr]

    # Rotating: a rota is needed; the message sits under the rota and nothing typed is lost.
    click(tab.new_button)
    type_text(form.name_edit, "区教育局")
    form.presence_combo.setCurrentIndex(form.presence_combo.findData(PresenceMode.ROTATING.value))
    assert form.rota_caption.text() == "Rota *"
    save(form)
    assert (error_of(form, "rota") or "").startswith("轮驻部门须填写轮驻安排")
    assert form.name_edit.text() == "区教育局" and "区教育局" not in names(tab)
    type_text(form.rota_edit, "每周四全天")
    assert error_of(form, "rota") is None  # typing there clears it
    save(form)
    assert "区教育局" in names(tab)

    # On call: a contact person and a valid phone.
    click(tab.new_button)
    type_text(form.name_edit, "区应急管理局")
    form.presence_combo.setCurrentIndex(form.presence_combo.findData(PresenceMode.ON_CALL.value))
    save(form)
    assert error_of(form, "contact_person") == "随叫随驻部门须填写联系人，需要时由中心通知其到场。"
    type_text(form.contact_edit, "刘强")
    save(form)
    assert error_of(form, "contact_phone") == "随叫随驻部门须填写联系人的电话。"
    QTest.keyClicks(form.phone_edit, "8212345")
    save(form)
    assert error_of(form, "contact_phone") == "固定电话请加区号，如 0936-8212345。"
    assert form.contact_edit.text() == "刘强" and form.phone_edit.text() == "8212345"
    retype(form.phone_edit, "0936-8212345")
    save(form)
    assert form.message.text() == "Saved “区应急管理局”."
    assert "区应急管理局" in names(tab)

    with demo_sqlite_db.read() as session:
        saved = {d.name: d for d in organisation.list_departments(session, login_as(demo_sqlite_db, "head"))}
    assert saved["区退役军人事务局"].presence is PresenceMode.RESIDENT
    assert saved["区教育局"].rota == "每周四全天"
    assert (saved["区应急管理局"].contact_person, saved["区应急管理局"].contact_phone) == ("刘强", "0936-8212345")


def test_a_duplicate_name_is_refused_next_to_the_name(panel: OrganisationPanel) -> None:
    form = panel.departments.form
    click(panel.departments.new_button)
    type_text(form.name_edit, "区司法局")
    save(form)
    assert error_of(form, "name") == "已有名为“区司法局”的进驻部门，请换一个名称。"
    assert form.name_edit.hasFocus()


def test_someone_else_saving_first_keeps_what_was_typed(panel: OrganisationPanel, runner: Runner,
                                                        demo_sqlite_db: Database) -> None:
    tab = panel.departments
    select(tab, "区民政局")
    form = tab.form
    item = form.current
    assert item is not None and item.name == "区民政局"
    retype(form.contact_edit, "王主任")
    assert form.discard_button.isVisible() and not form.active_button.isEnabled()
    # Another desk changes the same department (no signal reaches this one).
    with demo_sqlite_db.write() as session:
        organisation.update_department(session, login_as(demo_sqlite_db, "head"), item.id, DepartmentInput(
            name="区民政局", presence=PresenceMode.ROTATING, contact_person="白主任", contact_phone=item.contact_phone,
            rota="每周二上午"), expected_version=item.version)
    save(form)
    assert form.message.text().startswith("进驻部门“区民政局”已被他人修改并保存")
    assert form.contact_edit.text() == "王主任"  # kept
    click(form.discard_button)
    assert form.contact_edit.text() == "白主任" and form.rota_edit.toPlainText() == "每周二上午"
    retype(form.contact_edit, "王主任")
    save(form)
    assert form.message.text() == "Saved “区民政局”."


# --------------------------------------------------------------------------- teams


def test_create_a_team_with_types_members_and_a_lead(panel: OrganisationPanel) -> None:
    tab = panel.teams
    form = tab.form
    panel.tabs.setCurrentWidget(tab)
    click(tab.new_button)
    assert form.title.text() == "New team" and not form.active_button.isVisible()
    type_text(form.name_edit, "道路交通调解团队")
    tick(form.types_model, "道路交通事故", "损害赔偿")
    tick(form.members_model, "马玉兰", "张国栋")
    assert [form.lead_combo.itemText(i) for i in range(form.lead_combo.count())][1:] == ["马玉兰", "张国栋"]
    save(form)
    assert error_of(form, "lead") == "请指定团队负责人（须是本团队在岗的成员）。"
    form.lead_combo.setCurrentIndex(form.lead_combo.findText("张国栋"))
    save(form)
    assert form.message.text() == "Saved “道路交通调解团队”."
    row = names(tab).index("道路交通调解团队")
    model = tab.model
    assert model.data(model.index(row, TeamsModel.COL_LEAD)) == "张国栋"
    assert model.data(model.index(row, TeamsModel.COL_MEMBERS)) == "张国栋, 马玉兰"
    assert model.data(model.index(row, TeamsModel.COL_TYPES)) == "损害赔偿, 道路交通事故"
    assert form.current is not None and form.current.name == "道路交通调解团队"
    # The mediators tab shows the new membership.
    mediators = panel.mediators.model
    row = names(panel.mediators).index("马玉兰")
    assert "道路交通调解团队" in mediators.data(mediators.index(row, MediatorsModel.COL_TEAMS))


def test_a_type_left_without_a_team_is_pointed_out(panel: OrganisationPanel) -> None:
    panel.tabs.setCurrentWidget(panel.teams)
    assert not panel.teams.warning.isVisible()
    select(panel.teams, "城建物业调解团队")
    form = panel.teams.form
    fire = form.types_model.row_of(next(i.id for i in form.types_model.items() if i.text == "消防"))
    assert fire is not None
    form.types_model.setData(form.types_model.index(fire), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    save(form)
    assert form.notes.isVisible() and "“消防”现在没有在岗的调解团队承办" in form.notes.text()
    assert panel.teams.warning.isVisible() and "消防" in panel.teams.warning.text()


# --------------------------------------------------------------------------- mediators


def test_deactivate_a_mediator(panel: OrganisationPanel) -> None:
    tab = panel.mediators
    form = tab.form
    panel.tabs.setCurrentWidget(tab)
    select(tab, "李建国")  # leads 农林水牧调解团队
    click(form.active_button)
    assert form.message.text() == (
        "“李建国”是“农林水牧调解团队”的负责人。请先在“调解团队”中为该团队另选负责人，再停用。")
    assert "李建国" in names(tab)

    select(tab, "马玉兰")
    assert form.active_button.text() == "Deactivate"
    click(form.active_button)
    assert form.message.text() == "“马玉兰” is deactivated; everything recorded under it is kept."
    assert "马玉兰" not in names(tab)  # hidden until asked for
    assert form.title.text() == "马玉兰 (deactivated)" and form.active_button.text() == "Reactivate"
    assert "马玉兰" not in panel.teams.model.data(panel.teams.model.index(0, TeamsModel.COL_MEMBERS))
    assert tab.count_label.text() == "24 shown (1 deactivated hidden)"

    panel.show_inactive.setChecked(True)
    row = names(tab).index("马玉兰")
    assert tab.table.currentIndex().row() == row  # still the one in the form
    status = tab.model.index(row, MediatorsModel.COL_STATUS)
    assert tab.model.data(status) == "Deactivated"
    assert isinstance(tab.model.data(status, Qt.ItemDataRole.ForegroundRole), QBrush)
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None

    click(form.active_button)
    assert form.message.text() == "“马玉兰” is active again."
    assert "不会自动回到原来的团队" in form.notes.text()


def test_a_volunteer_has_no_department(panel: OrganisationPanel) -> None:
    tab = panel.mediators
    form = tab.form
    panel.tabs.setCurrentWidget(tab)
    click(tab.new_button)
    assert form.department_combo.isEnabled()
    type_text(form.name_edit, "王德福")
    save(form)
    assert error_of(form, "department") == "常驻人员须选择所属的进驻部门。"
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(MediatorKind.VOLUNTEER.value))
    assert not form.department_combo.isEnabled() and form.department_id() is None
    type_text(form.specialties_edit, "退休村支书")
    type_text(form.relations_edit, "王大福（堂兄）")
    save(form)
    assert form.message.text() == "Saved “王德福”."
    assert form.notes.text() == "“王德福”还没有加入任何调解团队，请在“调解团队”中把其加入相应团队。"
    row = names(tab).index("王德福")
    assert tab.model.data(tab.model.index(row, MediatorsModel.COL_KIND)) == "Volunteer mediator"
    assert form.current is not None and form.current.declared_relations == "王大福（堂兄）"


# --------------------------------------------------------------------------- who may change it


def test_read_only_for_a_clerk(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    panel = make_panel(runner, demo_sqlite_db, qtbot, "clerk")
    assert panel.notice.isVisible()
    assert panel.notice.text().startswith("Only the administrator and the center head can change")
    for tab in panel.tabs_in_order():
        assert not tab.new_button.isVisible()
        # The list only: no blank (and disabled) 新建 form beside it.
        assert not tab.form.isVisible() and not tab.form_pane.isVisible()
        assert not tab.form.save_button.isVisible() and not tab.form.active_button.isVisible()
        assert all(not editor.isEnabled() for editor in tab.form.editors.values())
    tab = panel.departments
    index = tab.model.index(names(tab).index("公安甘州分局"), 0)
    tab.table.scrollTo(index)
    QTest.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=tab.table.visualRect(index).center())
    assert tab.form_pane.isVisible() and tab.form.title_for(tab.form.current) != tab.form.title_for(None)
    assert panel.departments.form.name_edit.text() == "公安甘州分局"  # still readable
    assert panel.departments.form.contact_edit.text() != ""


def test_the_head_may_edit(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    panel = make_panel(runner, demo_sqlite_db, qtbot, "head")
    assert not panel.notice.isVisible() and panel.departments.new_button.isVisible()
    assert panel.departments.form.name_edit.isEnabled()


def test_refreshes_when_the_organisation_changes(panel: OrganisationPanel, runner: Runner,
                                                 demo_sqlite_db: Database) -> None:
    with demo_sqlite_db.write() as session:
        organisation.create_department(session, login_as(demo_sqlite_db, "head"), DepartmentInput(name="区妇联"))
    assert "区妇联" not in names(panel.departments)
    runner.changed.emit(Changes(case_list=True))
    assert "区妇联" not in names(panel.departments)
    runner.changed.emit(Changes(organisation=True))
    assert "区妇联" in names(panel.departments)


def test_choosing_rows_fills_the_form(panel: OrganisationPanel) -> None:
    select(panel.departments, "区住房和城乡建设局")
    form = panel.departments.form
    assert form.presence() is PresenceMode.ROTATING and form.rota_edit.toPlainText() == "每周一、三、五上午"
    assert form.title.text() == "区住房和城乡建设局" and form.active_button.isVisible()
    assert not form.dirty and not form.discard_button.isVisible()
    panel.departments.table.setCurrentIndex(QModelIndex())  # a cleared selection leaves the form alone
    assert form.current is not None and form.current.name == "区住房和城乡建设局"
    model = panel.departments.model
    assert model.headerData(DepartmentsModel.COL_PRESENCE, Qt.Orientation.Horizontal) == "Presence"


def test_works_on_the_threaded_lanes(demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """The same cycle with the real worker threads: results come back by signal."""
    threaded = Runner(demo_sqlite_db, synchronous=False)
    try:
        panel = make_panel(threaded, demo_sqlite_db, qtbot)
        qtbot.waitUntil(lambda: panel.departments.model.rowCount() == 13)
        form = panel.departments.form
        click(panel.departments.new_button)
        type_text(form.name_edit, "区妇联")
        save(form)
        qtbot.waitUntil(lambda: "区妇联" in names(panel.departments))
        qtbot.waitUntil(lambda: panel.departments.table.currentIndex().isValid())
        assert form.current is not None and form.current.name == "区妇联"
        assert form.message.text() == "Saved “区妇联”."
        assert not threaded.unhandled
    finally:
        threaded.shutdown(dispose=False)


# --------------------------------------------------------------------------- forms made when needed


def test_a_tabs_form_is_made_when_the_tab_is_first_shown(runner: Runner, demo_sqlite_db: Database,
                                                          qtbot: QtBot) -> None:
    panel = make_panel(runner, demo_sqlite_db, qtbot, "head")
    # The shown tab's blank 新建 form is there; the others' are not made yet.
    assert panel.departments.made_form is not None and panel.departments.form.isVisible()
    assert panel.teams.made_form is None and panel.mediators.made_form is None and panel.centers.made_form is None
    QTest.keyClick(panel.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert panel.tabs.currentWidget() is panel.teams
    form = panel.teams.made_form
    assert form is not None and form.isVisible() and panel.teams.form_pane.widget() is form
    assert panel.mediators.made_form is None
    # Made after the organisation was read: it picks from the same lists as if made with the panel.
    assert form.types_model.rowCount() > 0 and form.members_model.rowCount() > 0
    type_text(form.name_edit, "调解团队甲")
    assert form.dirty and form.name_edit.text() == "调解团队甲"


def test_a_read_only_form_is_made_when_a_row_is_chosen(runner: Runner, demo_sqlite_db: Database,
                                                       qtbot: QtBot) -> None:
    panel = make_panel(runner, demo_sqlite_db, qtbot, "clerk")
    tab = panel.mediators
    panel.tabs.setCurrentWidget(tab)
    assert tab.made_form is None and not tab.form_pane.isVisible()
    tab.table.setFocus()
    QTest.keyClick(tab.table, Qt.Key.Key_Down)
    form = tab.made_form
    assert form is not None and tab.form_pane.isVisible() and form.isVisible()
    chosen = tab.model.row_at(tab.table.currentIndex().row())
    assert chosen is not None and form.current_id == chosen.id
    assert form.name_edit.text() == chosen.name and not form.name_edit.isEnabled()
