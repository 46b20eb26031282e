"""Walking the dialogs on the 1,000,000-case demo (issue 20.3, walk-dialogs): what a person opens by
a button or a menu — the File/Settings/Help menus' dialogs, the sessions calendar and its rooms, a
case's rating, session booking (saved), session notices, a new mediation record (saved), the
agreement's preview, a return visit (saved), the transfer packet's export and its import, the
case list's search box — as the clerk, the mediator and the head, on a big case and an ordinary
one; then the writes of a case's course (saved): a registration (受理登记), 受理, 分派 (the panel, then
its confirm), 提交结案审核 (结案申请), a failed case's packet exported to a department (filled as the
tab requires), 审核结案 (the head) and the import of the packet exported — timed as
``bench/screens.py`` times a screen (its machinery: the same copy, set-up, steps, heartbeat and
table). ``--users mediator,clerk,head``: the clerk then imports the mediator's packet.

Each step is the click (``QTest.mouseClick`` on the button, or the menu's action triggered) and
lasts until the dialog shows its data and the runner has been idle 300 ms: "to data" is then
click → dialog shown with its data; a step named "… › save" is the save button's click → the
write answered and its screen refreshed (save → ready). Dialogs are closed (rejected) between
steps, outside the timing. A button the user does not have, or that is disabled on that case, is
not walked (the table lists what was). File choosers answer a path in the copy's folder (the
helpers of ``ui/common/file_dialogs.py`` are the one seam).

    .venv/bin/python bench/dialogs.py [--source …] [--copy /work/bench-data/walk-dialogs/demo-1m.sqlite]
        [--users clerk,mediator,head] [--only TEXT] [--timeout 120] [--quiet 0.3] [--sample]

Writes (sessions, records, visits, audit entries) go into the copy, never into the source.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from screens import Signed, Walker, arguments, run, sign_in, sign_out  # noqa: E402

USERS = ("clerk", "mediator", "head")

#: Where the file choosers point (set in ``main`` beside the copy).
FILES: dict[str, Path] = {}


def answer_file_choosers(folder: Path) -> None:
    """The app's file choosers answer without a native dialog: a save goes to ``folder``, an open
    takes the last packet saved there (none: cancelled)."""
    from mediation_desk.ui.common import file_dialogs

    folder.mkdir(parents=True, exist_ok=True)

    def save_file_name(_parent: object, _title: str, _kind: str, filename: str, _filters: str) -> str:
        path = folder / (filename or "export")
        FILES["saved"] = path
        return str(path)

    def open_file_name(_parent: object, _title: str, _kind: str, _filters: str) -> str:
        saved = FILES.get("saved")
        return str(saved) if saved is not None and saved.exists() else ""

    file_dialogs.save_file_name = save_file_name  # type: ignore[assignment]
    file_dialogs.open_file_name = open_file_name  # type: ignore[assignment]


def popups(window: Any) -> list[Any]:
    """The windows shown over ``window`` (dialogs, message boxes, the calendar)."""
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()
            and w.isWindow() and w.windowType() != 0x00000001 and w.objectName() != "qtooltip_label"]


def close_popups(walker: Walker, window: Any) -> None:
    from PySide6.QtWidgets import QDialog

    for _ in range(3):
        shown = popups(window)
        if not shown:
            break
        for widget in shown:
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()
        walker.settle(10)


def said(widget: Any) -> str:
    """The messages a form shows (its visible error labels' texts)."""
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from mediation_desk.ui.common.widgets import ERROR_STYLE

    texts = [label.text() for label in widget.findChildren(QLabel)
             if label.isVisible() and label.text() and label.styleSheet() == ERROR_STYLE]
    texts += [f"asked: {box.text()}" for box in QApplication.topLevelWidgets()
              if isinstance(box, QMessageBox) and box.isVisible()]
    return " / ".join(texts) or "(no message)"


def answer_yes(walker: Walker, screen: str) -> bool:
    """A question shown (仍要安排…? 审核结案…?): its yes clicked, timed as its own step."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.isVisible():
            yes = next((b for b in box.buttons() if box.buttonRole(b) in (
                QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole,
                QMessageBox.ButtonRole.DestructiveRole)), None)
            if yes is not None:
                walker.step(screen, click(yes))
                return True
    return False


def usable(widget: Any) -> bool:
    return widget is not None and widget.isEnabled() and widget.isVisibleTo(widget.window())


def click(widget: Any) -> Callable[[], None]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    return lambda: QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def dialog_step(walker: Walker, window: Any, screen: str, action: Callable[[], object]) -> bool:
    """A timed step that opens something; what it opened is closed afterwards."""
    walker.step(screen, action)
    opened = bool(popups(window))
    close_popups(walker, window)
    return opened


def walk_menus(walker: Walker, window: Any) -> None:
    """Every dialog of the window's menus (not 注销, 退出, the language, which change the session)."""
    for menu in window.menus:
        for action in menu.actions():
            text = action.text().replace("&", "")
            if action.isSeparator() or action.menu() is not None or action.isCheckable():
                continue
            if action is window.sign_out_action or not (text.endswith(("…", "...")) or menu is window.menus[-1]):
                continue  # 退出 has no dots; 关于 is the Help menu's
            dialog_step(walker, window, f"菜单 › {menu.title().replace('&', '')} › {text}", action.trigger)


def walk_calendar(walker: Walker, window: Any) -> None:
    from mediation_desk.ui.desk.desk import DeskPanel

    desk = window.sections.built().get("desk")
    if not isinstance(desk, DeskPanel) or not usable(desk.sessions_panel.calendar_button):
        return
    walker.step("工作台 › 调解日历…", click(desk.sessions_panel.calendar_button))
    calendar = desk.calendar_window
    if calendar is not None:
        view = calendar.calendar
        walker.step("调解日历 › 周", click(view.week_button))
        walker.step("调解日历 › 下一周", click(view.next_button))
        walker.step("调解日历 › 今天", click(view.today_button))
        if usable(view.rooms_button):
            dialog_step(walker, window, "调解日历 › 调解室…", click(view.rooms_button))
    close_popups(walker, window)


def walk_case_dialogs(walker: Walker, window: Any, section: Any, label: str, case_id: int, today: date) -> None:
    """The dialogs and forms of one case's page, each opened by its button."""

    detail = section.detail_view
    prefix = f"案件 › {label}"
    walker.settle()
    section.open_case(case_id)  # as the list's Enter: the section shows the case page
    walker.settle()
    if usable(detail.rate_button):
        dialog_step(walker, window, f"{prefix} › 录入评价…", click(detail.rate_button))

    tabs = detail.tabs

    def show(key: str) -> Any:
        tab = detail.work_tabs[key]
        tabs.setCurrentWidget(detail.work_pages[key])
        walker.settle()
        return tab

    sessions_tab = show("sessions")
    if usable(sessions_tab.schedule_button):
        walker.step(f"{prefix} › 安排调解…", click(sessions_tab.schedule_button))
        dialog = sessions_tab.dialog
        if dialog is not None and dialog.isVisible():
            # An hour of a working day in the next days (the case's own hour), as a person fills it
            # (the holiday calendar of next year may not be entered yet: the save would ask).
            day = today + timedelta(days=2 + case_id % 5)
            day += timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
            dialog.start_day.set_value(day)
            hour = 8 + (case_id + len(walker.steps)) % 9  # another user's booking of the case: another hour
            dialog.start_time.set_value(time(hour, 0))
            dialog.end_time.set_value(time(hour + 1, 0))
            mediators = dialog.mediators_model.items()
            if mediators and not dialog.mediators_model.checked_ids():  # no lead mediator yet: tick one
                dialog.mediators_model.set_items(mediators, [mediators[0].id])
            walker.step(f"{prefix} › 安排调解 › save", click(dialog.save_button))
            answer_yes(walker, f"{prefix} › 安排调解 › save, asked: yes")
            if sessions_tab.dialog is not None:  # still open: refused (the step timed the refusal)
                print(f"    not saved: {said(dialog)}", flush=True)
        close_popups(walker, window)
    if sessions_tab.model.rowCount() and usable(sessions_tab.notices_button):
        sessions_tab.table.selectRow(0)
        if usable(sessions_tab.notices_button):
            dialog_step(walker, window, f"{prefix} › 打印通知书…", click(sessions_tab.notices_button))

    records_tab = show("records")
    if usable(records_tab.new_mediation_button):
        walker.step(f"{prefix} › 新建调解笔录", click(records_tab.new_mediation_button))
        if usable(records_tab.save_button):
            # Chinese as an input method commits it (QTest types only Latin keys).
            if not records_tab.place.text():
                records_tab.place.insert("第一调解室")
            records_tab.subject.insert("房屋漏水赔偿")
            records_tab.statements.insertPlainText("双方陈述了各自意见。")
            records_tab.outcome.insertPlainText("双方同意再行协商。")
            records_tab.notice_given.setChecked(True)  # 已告知权利义务
            walker.step(f"{prefix} › 新建调解笔录 › save", click(records_tab.save_button))
            if not records_tab.saved_label.isVisible():
                print(f"    not saved: {said(records_tab)}", flush=True)
        close_popups(walker, window)

    agreement_tab = show("agreement")
    if usable(agreement_tab.print_button):
        dialog_step(walker, window, f"{prefix} › 协议 › 预览/打印…", click(agreement_tab.print_button))

    transfer_tab = show("transfer")
    if usable(transfer_tab.export_button):
        dialog_step(walker, window, f"{prefix} › 导出转交包…", click(transfer_tab.export_button))

    visits_tab = show("visits")
    if usable(visits_tab.record_button):
        visits_tab.visitor_edit.insert("王干事")
        visits_tab.parties_edit.insert("双方当事人")
        for combo in (visits_tab.method_combo, visits_tab.performance_combo, visits_tab.satisfaction_combo):
            if combo.isEnabled() and combo.count() > 1:
                combo.setCurrentIndex(1)
        walker.step(f"{prefix} › 回访 › 记录回访 (save)", click(visits_tab.record_button))
        refused = said(visits_tab)
        if refused != "(no message)":
            print(f"    not saved: {refused}", flush=True)
        close_popups(walker, window)
    tabs.setCurrentIndex(0)
    walker.settle()


def walk_search(walker: Walker, section: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    box = section.list_view.search_box

    def type_and_enter(text: str) -> Callable[[], None]:
        def typed() -> None:
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            box.selectAll()
            box.insert(text)  # as an input method commits it
            QTest.keyClick(box, Qt.Key.Key_Return)
        return typed

    for text in ("王", "张掖市", "2026"):
        walker.step(f"案件 › 搜索 '{text}'", type_and_enter(text))
    walker.step("案件 › 搜索: 清除", section.list_view.clear_search)


def case_in(db: Any, actor: Any, state: str | None, *, having: str = "") -> int | None:
    """The user's newest case in ``state`` (any state: None) with a row in table ``having`` (a
    session, an agreement), if they have one; a mediator's: one they lead."""
    from sqlalchemy import text

    from mediation_desk.models import Role

    # The center working on the case (``permissions.handling_center``): a case 交办 to a township
    # is the township's to book.
    column, value = ("c.lead_mediator_id", actor.mediator_id) if actor.role is Role.MEDIATOR else \
        ("coalesce(c.handling_center_id, c.center_id)", actor.center_id)
    where = f"{column} = :v" + (" AND c.state = :s" if state else "")
    with db.read() as session:
        found = None
        if having:
            found = session.execute(text(
                f"SELECT max(c.id) FROM dispute_case c JOIN {having} h ON h.case_id = c.id WHERE {where}"),
                {"s": state, "v": value}).scalar()
        if found is None and state:
            found = session.execute(text(f"SELECT max(c.id) FROM dispute_case c WHERE {where}"),
                                    {"s": state, "v": value}).scalar()
    return int(found) if found is not None else None


def walk_intake_save(walker: Walker, window: Any) -> None:
    """受理登记: a minimal registration (type, title, applicant, respondent) saved by its button."""
    form = window.intake_form if "intake" in window.sections else None
    if form is None:
        window.sections.get("intake")
        form = window.intake_form
    if form is None:
        return
    window.tabs.setCurrentWidget(form)
    walker.settle()
    index = form.dispute_type.findText("邻里")
    form.dispute_type.setCurrentIndex(index if index >= 0 else 1)
    form.title.setText("相邻通行纠纷")
    form.parties[0].name.setText("张三")
    form.parties[1].name.setText("李四")
    walker.settle()
    before = form.last_registered
    walker.step("登记 › 受理登记 › save", click(form.save_button))
    if form.last_registered is before:
        print(f"    not saved: {said(form)}", flush=True)


def take(walker: Walker, window: Any, section: Any, case_id: int | None, action: str, screen: str) -> bool:
    """A case's action button (受理, 分派, 提交结案审核 …) clicked on its page, timed."""
    if case_id is None:
        return False
    section.open_case(case_id)
    walker.settle()
    button = section.detail_view.action_buttons.get(action)
    if not usable(button):
        print(f"    {screen}: no usable {action} button on #{case_id}", flush=True)
        return False
    walker.step(screen, click(button))
    return True


def walk_course(walker: Walker, window: Any, db: Any, signed: Signed, section: Any) -> None:
    """The writes of a case's course the user may make, each on the user's newest case in its state."""
    from mediation_desk.models import Role, TransferTarget

    actor = signed.actor
    if actor.role in (Role.INTAKE, Role.HEAD):
        walk_intake_save(walker, window)
        window.tabs.setCurrentWidget(section)
        walker.settle()
        registered = case_in(db, actor, "registered")
        take(walker, window, section, registered, "accept", f"案件 › 受理 #{registered} › save")
        accepted = case_in(db, actor, "accepted")
        if take(walker, window, section, accepted, "assign", f"案件 › 分派 #{accepted} › 分派… (panel)"):
            panel = section.detail_view.assign_panel
            if usable(panel.confirm_button):
                walker.step(f"案件 › 分派 #{accepted} › save", click(panel.confirm_button))
                if not panel.isHidden():
                    print(f"    not saved: {said(panel)}", flush=True)
    done = case_in(db, actor, "succeeded")
    take(walker, window, section, done, "submit_for_review", f"案件 › 提交结案审核 #{done} › save")
    failed = case_in(db, actor, "failed")
    if failed is not None:
        section.open_case(failed)
        walker.settle()
        detail = section.detail_view
        detail.tabs.setCurrentWidget(detail.work_pages["transfer"])
        walker.settle()
        tab = detail.work_tabs["transfer"]
        if usable(tab.export_button):
            tab.target_combo.setCurrentIndex(tab.target_combo.findData(TransferTarget.DEPARTMENT.value))
            tab.target_name.setText("甘州区人力资源和社会保障局")
            walker.step(f"案件 › 导出转交包 #{failed} › save", click(tab.export_button))
            print(f"    packet: {tab.packet_message.text()}", flush=True)
        else:
            print(f"    导出转交包: the button is not usable on #{failed}", flush=True)
        detail.tabs.setCurrentIndex(0)
        walker.settle()


def approve_closure(walker: Walker, window: Any, section: Any, case_id: int) -> None:
    """审核结案 (the head): the button, then the irreversible question answered yes (save → ready)."""
    detail = section.detail_view
    section.open_case(case_id)  # as the list's Enter: the section shows the case page
    walker.settle()
    button = detail.action_buttons.get("approve_closure")
    if not usable(button):
        return
    walker.step(f"案件 › closure review #{case_id} › 审核结案…", click(button))
    answer_yes(walker, f"案件 › closure review #{case_id} › 审核结案 › save")
    close_popups(walker, window)


def walk_dialogs(walker: Walker, db: Any, username: str, shown: Callable[[], object]) -> None:
    from mediation_desk.ui.shell.main_window import CaseSection

    signed: Signed = sign_in(walker, db, username, shown)
    window = signed.window
    today = date.today()
    from mediation_desk.ui.common.unsaved import Choice

    # A form the walk filled and did not save (a refused visit) is dropped when the next case
    # opens, as a person answering 不保存 would: the question would otherwise keep the case shown.
    window.set_unsaved_question(lambda _parent, _text, _can_save, answer: answer(Choice.DISCARD))
    try:
        walk_menus(walker, window)
        walk_calendar(walker, window)
        section = window.sections.get("cases")
        if isinstance(section, CaseSection):
            window.tabs.setCurrentWidget(section)
            walker.settle()
            view = section.list_view
            shown_ids = [view.model.case_id_at(row) for row in range(min(2, view.model.rowCount()))]
            ordinary = next((case for case in shown_ids if case is not None and case != signed.big), None)
            working = case_in(db, signed.actor, "in_mediation", having="mediation_session")
            agreed = case_in(db, signed.actor, None, having="agreement")
            walked: set[int] = set()
            for label, case_id in (("big case", signed.big), ("ordinary case", ordinary),
                                   ("case in mediation", working), ("case with an agreement", agreed)):
                if case_id is None or case_id in walked:
                    continue
                walked.add(case_id)
                walk_case_dialogs(walker, window, section, f"{label} #{case_id}", case_id, today)
            walk_search(walker, section)
            walk_course(walker, window, db, signed, section)
            review = case_in(db, signed.actor, "closure_review")
            if review is not None:
                approve_closure(walker, window, section, review)
        import_action = window.import_packet_action
        if import_action is not None and FILES.get("saved") is not None:
            walker.step("菜单 › 导入转交包… › 选择并导入", lambda: import_packet(window))
            close_popups(walker, window)
    finally:
        close_popups(walker, window)
        sign_out(walker, signed)


def import_packet(window: Any) -> None:
    """导入转交包…: the dialog, the packet chosen (the one exported above), 导入 clicked."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from mediation_desk.ui.intake.packet_import import PacketImportDialog

    window.import_packet_action.trigger()
    dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, PacketImportDialog) and w.isVisible()),
                  None)
    if dialog is None:
        return
    QTest.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    if dialog.import_button.isEnabled():
        QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def main() -> int:
    args = arguments(__doc__, USERS).parse_args()
    answer_file_choosers(args.copy.parent / "dialog-files")
    return run(args, walk_dialogs)


if __name__ == "__main__":
    sys.exit(main())
