"""上报 / 交办 / 回退 / 联办 / 反馈 on screen (services/crossings.py, docs/crossings.md).

- :class:`CaseCrossingsBox` — on the case page: the case's steps between centers that this
  person's center took part in, with 红黄绿 on the open ones, and a button per step the person may
  take now; each opens a :class:`StepDialog`.
- :class:`StepDialog` — a small form: the reason (or the feedback), the target center (or
  stationed department), the deadline in working days, the materials sent with it. 上报 and 回退
  hand the case to another center: they ask first (``ui.common.confirm``). A refusal stays in the
  dialog with everything typed.
- :class:`CrossingsPanel` — on the desk: 上下级流转, the steps to and from one's own center that
  await an answer (incoming and outgoing), each with its colour and working days left.

Both carry the offline township's packets (``ui.cases.crossing_packets``): 导出流转包… for the
chosen step this center took, and on the desk 导入流转包… too, for the window and the head only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import CrossingKind
from mediation_desk.services import crossings
from mediation_desk.ui.cases.crossing_packets import CrossingPackets, exportable, may_exchange
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.format import CLOCK_COLOURS, TodayProvider, clock_meaning, format_day, format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, error_label, list_table, named, widen_to_contents

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.crossings import CrossingRow, StepOptions

#: A deadline's default: ten working days (two weeks).
DEFAULT_WORKING_DAYS = 10


@dataclass(frozen=True)
class CaseSteps:
    """What the case page's box shows: the steps and what may be done now."""

    case_id: int
    steps: tuple[CrossingRow, ...]
    options: StepOptions


def _colour_cell(row: CrossingRow, role: int) -> Any:
    if row.colour is None:
        return None
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(QColor(CLOCK_COLOURS[row.colour]))
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor("#3e2723" if row.colour.value == "yellow" else "white"))
    return None


class CrossingRowsModel(RowsModel["CrossingRow"]):
    """The steps, each with its direction, colour and working days left."""

    CONTEXT = "CrossingRowsModel"
    COL_STATUS, COL_NUMBER, COL_KIND, COL_WAY, COL_DUE, COL_REASON = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("CrossingRowsModel", "Status"),
        QT_TRANSLATE_NOOP("CrossingRowsModel", "Case number"),
        QT_TRANSLATE_NOOP("CrossingRowsModel", "Step"),
        QT_TRANSLATE_NOOP("CrossingRowsModel", "From → to"),
        QT_TRANSLATE_NOOP("CrossingRowsModel", "Deadline"),
        QT_TRANSLATE_NOOP("CrossingRowsModel", "Reason"),
    )

    def text(self, row: CrossingRow, column: int) -> str:
        c = row.crossing
        if column == self.COL_STATUS:
            if row.colour is not None:
                meaning = clock_meaning(row.colour)
                return self.tr("{meaning}, {days} working days left").format(meaning=meaning, days=row.days_left) \
                    if (row.days_left or 0) >= 0 else meaning
            if c.open:
                return self.tr("Incoming") if row.incoming else self.tr("Outgoing")
            return self.tr("Answered {when}").format(when=format_time(c.closed_at)) if c.kind in crossings.AWAITING \
                else format_time(c.created_at)
        if column == self.COL_NUMBER:
            return c.case_number
        if column == self.COL_KIND:
            return enum_text(c.kind)
        if column == self.COL_WAY:
            return f"{c.from_center} → {c.target}"
        if column == self.COL_DUE:
            return format_day(c.due_on) if c.due_on else "—"
        return c.reason

    def tooltip(self, row: CrossingRow, column: int) -> str | None:
        return row.crossing.reason if column == self.COL_REASON else None

    def cell(self, row: CrossingRow, column: int, role: int) -> Any:
        if role == RowsModel.CaseIdRole:
            return row.crossing.case_id
        if column == self.COL_STATUS:
            return _colour_cell(row, role)
        return None


class StepDialog(QDialog):
    """One step's form. ``done_step`` carries what was recorded; a refusal stays in the dialog."""

    done_step = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, case_id: int, kind: CrossingKind,
                 options: StepOptions, parent: QWidget | None = None, *, today: TodayProvider = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("stepDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._runner, self._actor, self._case_id, self._kind, self._today = runner, actor, case_id, kind, today
        self._options = options
        #: The question before a step that hands the case over, while it is open.
        self.confirm_box: QMessageBox | None = None
        titles = {
            CrossingKind.REPORT_UP: self.tr("Report up"), CrossingKind.ASSIGN_DOWN: self.tr("Assign down"),
            CrossingKind.RETURN: self.tr("Return"), CrossingKind.CO_HANDLE: self.tr("Co-handle"),
            CrossingKind.FEEDBACK: self.tr("Feedback"),
        }
        self.setWindowTitle(titles[kind])
        form = QFormLayout()
        self.target_label = named(QLabel(), "stepTarget")
        self.target_label.setWordWrap(True)
        self.target_combo = named(QComboBox(), "stepTargetCombo")
        self.centers_list = named(QListWidget(), "stepCenters")
        self.days_spin = named(QSpinBox(), "stepDays")
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(DEFAULT_WORKING_DAYS)
        self.days_spin.setSuffix(self.tr(" working days"))
        self.materials_list = named(QListWidget(), "stepMaterials")
        self.reason_edit = named(QPlainTextEdit(), "stepReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.error_label = error_label("stepError")
        self.error_label.setWordWrap(True)

        if kind is CrossingKind.REPORT_UP:
            parent_name = options.report_up_to.name if options.report_up_to else ""
            self.target_label.setText(parent_name)
            form.addRow(self.tr("To:"), self.target_label)
        elif kind is CrossingKind.ASSIGN_DOWN:
            for choice in options.below:
                self.target_combo.addItem(choice.name, ("center", choice.id))
            for choice in options.departments:
                self.target_combo.addItem(self.tr("Stationed department: {name}").format(name=choice.name),
                                          ("department", choice.id))
            form.addRow(self.tr("Assign to:"), self.target_combo)
            form.addRow(self.tr("Deadline:"), self.days_spin)
        elif kind is CrossingKind.CO_HANDLE:
            for choice in options.below:
                item = QListWidgetItem(choice.name)
                item.setData(Qt.ItemDataRole.UserRole, choice.id)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.centers_list.addItem(item)
            self.centers_list.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
            form.addRow(self.tr("Co-handling centers:"), self.centers_list)
            form.addRow(self.tr("Deadline:"), self.days_spin)
        else:
            answered = options.returnable if kind is CrossingKind.RETURN else options.answerable
            if answered is not None:
                self.target_label.setText(self.tr("{kind} from {center}: {reason}").format(
                    kind=enum_text(answered.kind), center=answered.from_center, reason=answered.reason))
            form.addRow(self.tr("Answers:"), self.target_label)
        if kind in (CrossingKind.REPORT_UP, CrossingKind.ASSIGN_DOWN, CrossingKind.CO_HANDLE):
            for choice in options.materials:
                item = QListWidgetItem(choice.name)
                item.setData(Qt.ItemDataRole.UserRole, choice.id)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.materials_list.addItem(item)
            self.materials_list.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
            form.addRow(self.tr("Materials sent:"), self.materials_list)
        reason_caption = self.tr("Feedback:") if kind is CrossingKind.FEEDBACK else self.tr("Reason:")
        form.addRow(reason_caption, self.reason_edit)

        self.buttons = QDialogButtonBox()
        self.ok_button = named(self.buttons.addButton(titles[kind], QDialogButtonBox.ButtonRole.AcceptRole), "stepOk")
        self.cancel_button = named(self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel), "stepCancel")
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.reason_edit.setFocus()

    @staticmethod
    def _ticked(widget: QListWidget) -> list[int]:
        return [int(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def submit(self) -> None:
        """Ask first for a step that hands the case to another center; then record it."""
        self.error_label.hide()
        if self._kind in (CrossingKind.REPORT_UP, CrossingKind.RETURN):
            question = (self.tr("Report this case up to {center}? It will handle the case; your center will "
                                "only read it until it is returned.").format(
                                    center=self._options.report_up_to.name if self._options.report_up_to else "")
                        if self._kind is CrossingKind.REPORT_UP else
                        self.tr("Return this case? Your center will no longer handle it."))
            self.confirm_box = confirm_irreversible(self, self.windowTitle(), question, self.windowTitle(),
                                                    self._record)
            return
        self._record()

    def _record(self) -> None:
        actor, case_id, kind = self._actor, self._case_id, self._kind
        reason, days, today = self.reason_edit.toPlainText(), self.days_spin.value(), self._today()
        materials = self._ticked(self.materials_list)
        target = self.target_combo.currentData()
        co_centers = self._ticked(self.centers_list)

        def work(session: Session) -> object:
            if kind is CrossingKind.REPORT_UP:
                return crossings.report_up(session, actor, case_id, reason=reason, materials=materials)
            if kind is CrossingKind.ASSIGN_DOWN:
                where, target_id = target if target else ("center", None)
                return crossings.assign(
                    session, actor, case_id, working_days=days, reason=reason, materials=materials, today=today,
                    to_center_id=target_id if where == "center" else None,
                    department_id=target_id if where == "department" else None)
            if kind is CrossingKind.CO_HANDLE:
                return crossings.co_handle(session, actor, case_id, center_ids=co_centers, working_days=days,
                                           reason=reason, materials=materials, today=today)
            if kind is CrossingKind.RETURN:
                return crossings.return_case(session, actor, case_id, reason=reason)
            return crossings.feedback(session, actor, case_id, text=reason)

        self.ok_button.setEnabled(False)
        self._runner.run_write(work, on_success=self._recorded, on_error=self._refused)

    def _recorded(self, result: object) -> None:
        self.done_step.emit(result)
        self.accept()

    def _refused(self, failure: TaskFailure) -> None:
        self.ok_button.setEnabled(True)
        self.error_label.setText(failure.message)
        self.error_label.show()


class CaseCrossingsBox(LoadedPage[CaseSteps]):
    """上下级流转 of one case: its steps and the buttons of the steps one may take now."""

    #: A step was recorded (the case page reloads).
    changed = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider = date.today) -> None:
        super().__init__(runner, parent, error_name="crossingsError")
        self.setObjectName("caseCrossings")
        self._actor, self._today = actor, today
        self._case_id: int | None = None
        #: The open step dialog, if any.
        self.dialog: StepDialog | None = None
        self.model = CrossingRowsModel(self)
        self.table = list_table(self.model, "caseCrossingsTable", {
            CrossingRowsModel.COL_STATUS: 150, CrossingRowsModel.COL_NUMBER: 10, CrossingRowsModel.COL_KIND: 50,
            CrossingRowsModel.COL_WAY: 380, CrossingRowsModel.COL_DUE: 90})
        self.table.setColumnHidden(CrossingRowsModel.COL_NUMBER, True)
        # Its columns are wider than the case page's half of a 1366-pixel window: the scroll bar
        # under them comes and goes with the width, and takes its height from the rows.
        self.table.horizontalScrollBar().rangeChanged.connect(lambda *_range: self._fit_height())
        self.note_label = named(QLabel(), "crossingsNote")
        self.note_label.setWordWrap(True)
        self.buttons: dict[CrossingKind, QPushButton] = {}
        row = QHBoxLayout()
        labels = {
            CrossingKind.REPORT_UP: self.tr("Report up…"), CrossingKind.ASSIGN_DOWN: self.tr("Assign down…"),
            CrossingKind.RETURN: self.tr("Return…"), CrossingKind.CO_HANDLE: self.tr("Co-handle…"),
            CrossingKind.FEEDBACK: self.tr("Feedback…"),
        }
        for kind, label in labels.items():
            button = named(QPushButton(label), f"step_{kind.value}")
            button.clicked.connect(lambda _checked=False, k=kind: self.open_step(k))
            button.hide()
            self.buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        #: 导出流转包… of the chosen step (one this center took), for an offline center.
        self.packets = CrossingPackets(runner, actor, self)
        self.export_button = named(QPushButton(self.tr("Export crossing packet…")), "crossingExport")
        self.export_button.setToolTip(self.tr("Write the chosen step (taken by your center) to a file for a center "
                                              "that works offline"))
        self.export_button.clicked.connect(lambda _checked=False: self.export_current())
        self.export_button.hide()
        row.addWidget(self.export_button)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_export())
        box = named(QGroupBox(self.tr("Between centers")), "crossingsBox")
        inner = QVBoxLayout(box)
        inner.addWidget(self.table)
        inner.addWidget(self.note_label)
        inner.addLayout(row)
        inner.addWidget(self.load_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self.hide()

    def set_today(self, today: TodayProvider) -> None:
        self._today = today

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self.forget()
            self._case_id = case_id
        self.reload()

    def can_load(self) -> bool:
        return self._case_id is not None

    def concerns(self, changes: Changes) -> bool:
        return self._case_id in changes.case_ids or changes.case_list

    def reader(self) -> Callable[[Session], CaseSteps]:
        assert self._case_id is not None
        case_id, actor, today = self._case_id, self._actor, self._today()

        def load(session: Session) -> CaseSteps:
            options = crossings.options(session, actor, case_id)
            return CaseSteps(case_id, tuple(crossings.case_rows(session, actor, case_id, today=today)), options)

        return load

    def show_page(self, page: CaseSteps) -> None:
        if page.case_id != self._case_id:
            return
        options = page.options
        chosen = self.current_step()
        self.model.set_rows(page.steps)
        self.table.setVisible(bool(page.steps))
        self._fit_height()
        shown = {
            CrossingKind.REPORT_UP: options.can_report_up,
            CrossingKind.ASSIGN_DOWN: options.can_assign,
            CrossingKind.CO_HANDLE: options.can_co_handle,
            CrossingKind.RETURN: options.returnable is not None,
            CrossingKind.FEEDBACK: options.answerable is not None,
        }
        for kind, button in self.buttons.items():
            button.setVisible(shown[kind])
        # 导出流转包… writes the chosen step: the one chosen before a reload, else the newest step
        # this center took.
        mine = [i for i, r in enumerate(page.steps) if exportable(self._actor, r.crossing)]
        self.export_button.setVisible(bool(mine))
        kept = [i for i, r in enumerate(page.steps) if chosen is not None and r.crossing.id == chosen.id]
        if kept or mine:
            row = kept[0] if kept else max(mine, key=lambda i: page.steps[i].crossing.id)
            self.table.setCurrentIndex(self.model.index(row, CrossingRowsModel.COL_KIND))
        self._update_export()
        handled_elsewhere = bool(options.refusal) and not any(shown.values())
        self.note_label.setText(options.refusal if handled_elsewhere and page.steps else "")
        self.note_label.setVisible(bool(self.note_label.text()))
        self.setVisible(bool(page.steps) or any(shown.values()))

    def _fit_height(self) -> None:
        """As tall as its rows (a case has a handful of steps), up to six of them, and the
        horizontal scroll bar when it shows (it covered the only row of a case on the 1M demo)."""
        rows = min(max(self.model.rowCount(), 1), 6)
        bar = self.table.horizontalScrollBar()
        under = bar.sizeHint().height() if bar.maximum() > bar.minimum() else 0
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows * self.table.verticalHeader().defaultSectionSize() + under + 4)

    def current_step(self) -> crossings.CrossingInfo | None:
        row = self.model.row_at(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None
        return row.crossing if row is not None else None

    def _update_export(self) -> None:
        step = self.current_step()
        self.export_button.setEnabled(step is not None and exportable(self._actor, step))

    def export_current(self) -> bool:
        """导出流转包… of the chosen step."""
        step = self.current_step()
        return step is not None and self.packets.export_step(step)

    def open_step(self, kind: CrossingKind) -> StepDialog | None:
        page = self.page
        if page is None or self._case_id is None:
            return None
        self.dialog = StepDialog(self._runner, self._actor, self._case_id, kind, page.options, self,
                                 today=self._today)
        self.dialog.done_step.connect(lambda _result: self.changed.emit())
        self.dialog.open()
        return self.dialog


class CrossingsPanel(LoadedPage[list["CrossingRow"]]):
    """上下级流转 on the desk: the steps to and from one's center awaiting an answer."""

    #: Open this case (double-click or Enter): its id.
    open_case = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider = date.today, load: bool = True) -> None:
        super().__init__(runner, parent, error_name="deskCrossingsError")
        self.setObjectName("deskCrossings")
        self._actor, self._today = actor, today
        self.model = CrossingRowsModel(self)
        self.table = list_table(self.model, "deskCrossingsTable", {
            CrossingRowsModel.COL_STATUS: 150, CrossingRowsModel.COL_NUMBER: 190, CrossingRowsModel.COL_KIND: 50,
            CrossingRowsModel.COL_WAY: 330, CrossingRowsModel.COL_DUE: 90})
        # A township's number is four characters longer than the county's (widen_to_contents).
        widen_to_contents(self.table, CrossingRowsModel.COL_NUMBER)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        # The offline township's packets: export the chosen outgoing step, import one received.
        self.packets = CrossingPackets(runner, actor, self)
        self.packets.imported.connect(self._imported)
        self.export_button = named(QPushButton(self.tr("Export crossing packet…")), "deskCrossingExport")
        self.export_button.setToolTip(self.tr("Write the chosen step (taken by your center) to a file for a center "
                                              "that works offline"))
        self.import_button = named(QPushButton(self.tr("Import crossing packet…")), "deskCrossingImport")
        self.import_button.setToolTip(self.tr("Record a step sent on a file by the center above or below"))
        self.export_button.clicked.connect(lambda _checked=False: self.export_current())
        self.import_button.clicked.connect(lambda _checked=False: self.packets.import_packet())
        for button in (self.export_button, self.import_button):
            button.setVisible(may_exchange(actor))
        self.export_button.setEnabled(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_export())
        # The counts are the box's title, as the desk's other panels have theirs: a line of its own
        # beside the buttons held the desk's row (three panels at 1366 wide) to its width, and wrapped
        # it was cut off; a line above the buttons made the desk too tall for a 1366×768 screen.
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        self.box = box = named(QGroupBox(self.tr("Between centers")), "deskCrossingsBox")
        inner = QVBoxLayout(box)
        inner.addLayout(top)
        inner.addWidget(self.table)
        inner.addWidget(self.load_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        if load:  # the desk reads it after its own due list has been painted (DeskPanel)
            self.reload()

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.reload()

    def reader(self) -> Callable[[Session], list[CrossingRow]]:
        actor, today = self._actor, self._today()

        def load(session: Session) -> list[CrossingRow]:
            return crossings.center_list(session, actor, today=today)

        return load

    def show_page(self, page: list[CrossingRow]) -> None:
        self.model.set_rows(page)
        incoming = sum(1 for r in page if r.incoming)
        late = sum(1 for r in page if r.colour is not None and r.colour.value == "red")
        self.box.setTitle(self.tr("Between centers: {incoming} incoming, {outgoing} outgoing awaiting an answer; "
                                  "{late} overdue").format(incoming=f"{incoming:,}",
                                                           outgoing=f"{len(page) - incoming:,}", late=f"{late:,}"))
        self.box.setStyleSheet(f"QGroupBox::title {{ {ERROR_STYLE} }}" if late else "")
        self._update_export()

    def current_step(self) -> crossings.CrossingInfo | None:
        row = self.model.row_at(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None
        return row.crossing if row is not None else None

    def _update_export(self) -> None:
        step = self.current_step()
        self.export_button.setEnabled(step is not None and exportable(self._actor, step))

    def export_current(self) -> bool:
        """导出流转包… of the chosen step (an outgoing one this center took)."""
        step = self.current_step()
        return step is not None and self.packets.export_step(step)

    def _imported(self, case_id: int) -> None:
        self.reload()
        self.open_case.emit(case_id)

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list)

    def _activated(self, index: Any) -> None:
        case_id = index.model().data(index, RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)


def shows_crossings(actor: Actor) -> bool:
    """The desk's 上下级流转: for the window and the head of a center (those who take the steps)."""
    return actor.center_id is not None and actor.role in crossings.STEP_ROLES


__all__ = ["CaseCrossingsBox", "CaseSteps", "CrossingRowsModel", "CrossingsPanel", "StepDialog",
           "shows_crossings"]
