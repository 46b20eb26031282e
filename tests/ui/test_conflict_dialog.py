"""Two desks edit the same mediation record: the second save meets the conflict dialog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.readmodels.records import RecordInfo
from mediation_desk.services import records
from mediation_desk.services.actor import Actor
from mediation_desk.ui.cases.tabs.records import RecordsTab
from mediation_desk.ui.common.conflict_dialog import ConflictDialog, field_changes, reapply

from ..conftest import login_as
from .conftest import Runner, type_text
from .test_records_tab import fill_mediation, replace_text, team_case

pytestmark = pytest.mark.gui


@pytest.fixture
def mediator(demo_sqlite_db: Database) -> Actor:
    return login_as(demo_sqlite_db, "mediator")


@pytest.fixture
def other_desk(demo_sqlite_db: Database) -> Iterator[Runner]:
    """A second desk: its own engines and runner on the same database, so nothing it writes
    reaches the first desk's views except through the database."""
    database = Database(demo_sqlite_db.url)
    task_runner = Runner(database)
    yield task_runner
    task_runner.shutdown()
    assert not task_runner.unhandled


def make_tab(runner: Runner, actor: Actor, qtbot: QtBot) -> RecordsTab:
    tab = RecordsTab(runner, actor)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    return tab


def stored(db: Database, actor: Actor, record: RecordInfo) -> RecordInfo:
    with db.read() as session:
        return next(r for r in records.records_of(session, record.case_id)
                    if (r.kind, r.id) == (record.kind, record.id))


@pytest.fixture
def two_tabs(runner: Runner, other_desk: Runner, mediator: Actor, demo_sqlite_db: Database,
             qtbot: QtBot) -> tuple[RecordsTab, RecordsTab, RecordInfo]:
    """Desk A saves a record; desk B opens it; desk A corrects its facts verified and saves."""
    case_id = team_case(demo_sqlite_db, mediator)
    tab_a = make_tab(runner, mediator, qtbot)
    tab_a.show_case(case_id)
    fill_mediation(tab_a)
    tab_a.notice_given.setChecked(True)
    tab_a.save()
    assert tab_a.record is not None
    tab_b = make_tab(other_desk, login_as(demo_sqlite_db, "mediator"), qtbot)
    tab_b.show_case(case_id)
    assert tab_b.record is not None and tab_b.record.id == tab_a.record.id
    replace_text(tab_a.verification, "甲窗口核实：宅基地证载明通道属公共用地。")
    tab_a.save()
    assert tab_a.form_error.isHidden() and tab_a.record.version == tab_b.record.version + 1
    return tab_a, tab_b, tab_a.record


def test_the_second_save_shows_both_versions_and_overwrites_nothing(
        chinese: None, two_tabs: tuple[RecordsTab, RecordsTab, RecordInfo], demo_sqlite_db: Database,
        mediator: Actor, qtbot: QtBot) -> None:
    _tab_a, tab_b, saved_by_a = two_tabs
    replace_text(tab_b.verification, "乙窗口核实：现场测量通道宽两米。")
    type_text(tab_b.outcome, "另约定下周复查。")
    tab_b.save()

    dialog = tab_b.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    shown = dialog.table.toPlainText()
    assert "甲窗口核实：宅基地证载明通道属公共用地。" in shown  # theirs
    assert "乙窗口核实：现场测量通道宽两米。" in shown  # mine
    assert "另约定下周复查。" in shown
    by_name = {c.name: c for c in dialog.changes}
    assert set(by_name) == {"verification", "outcome"}
    assert by_name["verification"].clash and not by_name["outcome"].changed_by_them
    assert "他人修改" in tab_b.form_error.text()
    # Nothing of desk A's was overwritten, nothing of B's was thrown away.
    assert stored(demo_sqlite_db, mediator, saved_by_a).values == saved_by_a.values
    assert tab_b.verification.toPlainText() == "乙窗口核实：现场测量通道宽两米。" and tab_b.dirty

    # "Keep editing" leaves everything as it is; saving again raises the dialog again.
    dialog.choose(0)
    assert tab_b.conflict_dialog is None and tab_b.dirty
    tab_b.save()
    assert tab_b.conflict_dialog is not None
    dialog = tab_b.conflict_dialog

    dialog.grab().save("/tmp/conflict_dialog.png")
    dialog.choose(ConflictDialog.RELOAD)
    assert not tab_b.dirty and tab_b.conflict_dialog is None
    assert tab_b.verification.toPlainText() == "甲窗口核实：宅基地证载明通道属公共用地。"
    assert tab_b.record is not None and tab_b.record.version == saved_by_a.version
    assert stored(demo_sqlite_db, mediator, saved_by_a).version == saved_by_a.version


def test_reapply_puts_my_fields_on_top_of_theirs_and_saves(
        two_tabs: tuple[RecordsTab, RecordsTab, RecordInfo], demo_sqlite_db: Database, mediator: Actor) -> None:
    _tab_a, tab_b, saved_by_a = two_tabs
    type_text(tab_b.outcome, "另约定下周复查。")
    my_outcome = tab_b.outcome.toPlainText()
    assert "另约定下周复查。" in my_outcome
    tab_b.save()
    dialog = tab_b.conflict_dialog
    assert dialog is not None
    by_name = {c.name: c for c in dialog.changes}
    assert set(by_name) == {"verification", "outcome"}
    assert by_name["verification"].changed_by_them and not by_name["verification"].changed_by_me

    dialog.choose(ConflictDialog.REAPPLY)

    final = stored(demo_sqlite_db, mediator, saved_by_a)
    assert final.version == saved_by_a.version + 1
    assert final.values["verification"] == "甲窗口核实：宅基地证载明通道属公共用地。"  # theirs kept
    assert final.values["outcome"] == my_outcome  # mine on top
    assert not tab_b.dirty and tab_b.form_error.isHidden() and tab_b.saved_label.isVisible()
    assert tab_b.record is not None and tab_b.record.version == final.version
    assert tab_b.verification.toPlainText() == "甲窗口核实：宅基地证载明通道属公共用地。"


def test_merge_rules() -> None:
    base = {"a": "1", "b": "2", "c": " 3", "t": datetime(2026, 5, 1, 9, 30)}
    theirs = {"a": "1", "b": "二", "c": "3", "t": datetime(2026, 5, 1, 9, 30)}
    mine = {"a": "一", "b": "2", "c": "3 ", "t": datetime(2026, 5, 1, 9, 30, 12)}
    assert reapply(base, theirs, mine) == {"a": "一", "b": "二", "c": "3", "t": datetime(2026, 5, 1, 9, 30)}
    changes = field_changes({"a": "A", "b": "B", "c": "C", "t": "T"}, base, theirs, mine)
    assert [c.name for c in changes] == ["a", "b"]  # stray spaces and seconds are not changes
    assert not any(c.clash for c in changes)


def test_the_agreement_editor_raises_the_dialog_too(runner: Runner, other_desk: Runner, mediator: Actor,
                                                    demo_sqlite_db: Database, qtbot: QtBot) -> None:
    from mediation_desk.ui.cases.tabs.agreement import AgreementTab

    from .test_agreement_tab import case_without_agreement, drafted, write_one_term

    case_id = case_without_agreement(demo_sqlite_db, mediator)
    tab_a = AgreementTab(runner, mediator)
    qtbot.addWidget(tab_a)
    tab_a.resize(1300, 760)
    tab_a.show()
    drafted(tab_a, qtbot, case_id)
    tab_b = AgreementTab(other_desk, login_as(demo_sqlite_db, "mediator"))
    qtbot.addWidget(tab_b)
    tab_b.resize(1300, 760)
    tab_b.show()
    tab_b.show_case(case_id)
    assert tab_b.agreement is not None and tab_a.agreement is not None
    type_text(tab_a.responsibilities, "甲：被申请人负主要责任。")
    write_one_term(tab_a, next(iter(tab_a.terms_model.parties)))
    with qtbot.waitSignal(tab_a.changed):
        tab_a.save()
    type_text(tab_b.disputed, "乙补充：通道宽度。")
    tab_b.save()
    dialog = tab_b.conflict_dialog
    assert dialog is not None
    assert {c.name for c in dialog.changes} == {"responsibilities", "disputed_matters", "terms"}
    assert "支付补偿款" in dialog.table.toPlainText()
    assert "甲：被申请人负主要责任。" in dialog.table.toPlainText()
    with qtbot.waitSignal(tab_b.changed):
        dialog.choose(ConflictDialog.REAPPLY)
    with demo_sqlite_db.read() as session:
        from mediation_desk.services import agreements

        final = agreements.agreements_of(session, case_id)[-1]
    assert "甲：被申请人负主要责任。" in final.responsibilities  # theirs kept
    assert "乙补充：通道宽度。" in final.disputed_matters  # mine on top
    assert [t.content for t in final.terms] == ["支付补偿款"]  # their term, not dropped
    assert tab_b.conflict_dialog is None and not tab_b.dirty


def test_a_case_moved_meanwhile_shows_its_new_state(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    from mediation_desk.models import CaseState
    from mediation_desk.services import workflow
    from mediation_desk.ui.cases.detail import CaseDetailView

    from .conftest import register_case

    clerk = login_as(demo_sqlite_db, "clerk")
    case_id = register_case(demo_sqlite_db, clerk)
    view = CaseDetailView(runner, clerk)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.show_case(case_id)
    with demo_sqlite_db.write() as session:  # the head accepts it at another desk
        workflow.transition(session, login_as(demo_sqlite_db, "head"), case_id, workflow.Action.ACCEPT)
    type_text(view.note_edit, "材料齐全")
    view.action_buttons["reject"].click()
    dialog = view.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    [change] = dialog.changes
    assert change.theirs == "Accepted" and change.base == "Registered" and "材料齐全" in str(change.mine)
    assert not dialog.reapply_button.isEnabled() and dialog.note.isVisible()  # 不予受理 is gone now
    assert view.note_edit.toPlainText() == "材料齐全"  # kept until the user chooses
    dialog.choose(ConflictDialog.RELOAD)
    assert view.note_edit.toPlainText() == "" and view.detail is not None
    assert view.detail.state is CaseState.ACCEPTED
