"""The case's 回访 tab: the visits planned after closure and at each term's deadline, the visits
made, a form to record one, and — when a visit found the agreement unkept (未履行 / 部分履行) or a
party unsatisfied (不满意) — the head's "重新调解", which asks for the reason and reopens the case.

The form is for keyboard use (Tab moves field to field, the combos start on "choose" so nothing
is recorded by accident); a refused visit keeps everything typed and names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import CaseState, Performance, Satisfaction, VisitMethod
from mediation_desk.services import visits
from mediation_desk.services.errors import Conflict
from mediation_desk.services.visits import PlannedVisitInfo, VisitInfo, VisitInput, VisitsPage
from mediation_desk.ui.common.conflict_dialog import ConflictDialog, field_changes, open_conflict
from mediation_desk.ui.common.date_field import DateField, first_problem
from mediation_desk.ui.common.format import FINAL_COLOUR, TodayProvider, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.reflow import SideBySide
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import reveal
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, list_table, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.writers import LastWrite

RED = "#c62828"
TROUBLE_STYLE = "background-color: #fdecea; color: #8e0000; border: 1px solid #c62828; padding: 6px;"

_LABELS: dict[str, str] = {
    VisitMethod.PHONE: QT_TRANSLATE_NOOP("ReturnVisit", "Phone return visit"),
    VisitMethod.VISIT: QT_TRANSLATE_NOOP("ReturnVisit", "Home visit"),
    VisitMethod.MESSAGE: QT_TRANSLATE_NOOP("ReturnVisit", "Text message or WeChat"),
    Performance.PERFORMED: QT_TRANSLATE_NOOP("ReturnVisit", "Performed"),
    Performance.PARTLY: QT_TRANSLATE_NOOP("ReturnVisit", "Partly performed"),
    Performance.NOT_PERFORMED: QT_TRANSLATE_NOOP("ReturnVisit", "Not performed"),
    Satisfaction.SATISFIED: QT_TRANSLATE_NOOP("ReturnVisit", "Satisfied"),
    Satisfaction.FAIRLY: QT_TRANSLATE_NOOP("ReturnVisit", "Fairly satisfied"),
    Satisfaction.UNSATISFIED: QT_TRANSLATE_NOOP("ReturnVisit", "Unsatisfied"),
}


def visit_label(member: VisitMethod | Performance | Satisfaction | None) -> str:
    """The on-screen name of a visit's method, performance or satisfaction."""
    if member is None:
        return ""
    # The three enums' stored values are all distinct, so one table keyed by value serves them.
    source = _LABELS.get(member)
    return QCoreApplication.translate("ReturnVisit", source) if source else member.label


class PlansModel(RowsModel[PlannedVisitInfo]):
    CONTEXT = "PlansModel"
    COL_DUE, COL_REASON, COL_STATUS = range(3)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("PlansModel", "Due"),
        QT_TRANSLATE_NOOP("PlansModel", "Reason"),
        QT_TRANSLATE_NOOP("PlansModel", "Status"),
    )

    def __init__(self, today: TodayProvider, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._visited: dict[int, date] = {}

    def set_visits(self, made: tuple[VisitInfo, ...]) -> None:
        self._visited = {v.id: v.visited_on for v in made}

    def overdue_days(self, row: PlannedVisitInfo) -> int:
        return 0 if row.done else (self._today() - row.due_on).days

    def text(self, row: PlannedVisitInfo, column: int) -> str:
        if column == self.COL_DUE:
            return format_day(row.due_on)
        if column == self.COL_REASON:
            return row.reason
        if row.done:
            visited = self._visited.get(row.visit_id or -1)
            return QCoreApplication.translate("PlansModel", "Visited {day}").format(day=format_day(visited))
        days = self.overdue_days(row)
        if days > 0:
            return QCoreApplication.translate("PlansModel", "Overdue by {days} days").format(days=days)
        if days == 0:
            return QCoreApplication.translate("PlansModel", "Due today")
        return QCoreApplication.translate("PlansModel", "In {days} days").format(days=-days)

    def cell(self, row: PlannedVisitInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.done:
                return QBrush(QColor(FINAL_COLOUR))
            if self.overdue_days(row) > 0 and column in (self.COL_DUE, self.COL_STATUS):
                return QBrush(QColor(RED))
        return None


class VisitsModel(RowsModel[VisitInfo]):
    CONTEXT = "VisitsModel"
    COL_DATE, COL_METHOD, COL_VISITOR, COL_PARTIES, COL_PERFORMANCE, COL_SATISFACTION, COL_NOTES = range(7)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("VisitsModel", "Date"),
        QT_TRANSLATE_NOOP("VisitsModel", "Method"),
        QT_TRANSLATE_NOOP("VisitsModel", "Visitor"),
        QT_TRANSLATE_NOOP("VisitsModel", "Visited"),
        QT_TRANSLATE_NOOP("VisitsModel", "Performance"),
        QT_TRANSLATE_NOOP("VisitsModel", "Satisfaction"),
        QT_TRANSLATE_NOOP("VisitsModel", "Findings"),
    )

    def text(self, row: VisitInfo, column: int) -> str:
        if column == self.COL_DATE:
            return format_day(row.visited_on)
        if column == self.COL_METHOD:
            return visit_label(row.method)
        if column == self.COL_VISITOR:
            return row.visitor
        if column == self.COL_PARTIES:
            return row.parties_visited
        if column == self.COL_PERFORMANCE:
            return visit_label(row.performance)
        if column == self.COL_SATISFACTION:
            return visit_label(row.satisfaction)
        if row.reopened:
            prefix = QCoreApplication.translate("VisitsModel", "[Reopened] ")
            return prefix + row.notes
        return row.notes

    def cell(self, row: VisitInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            bad = ((column == self.COL_PERFORMANCE and row.performance in visits.TROUBLE_PERFORMANCE)
                   or (column == self.COL_SATISFACTION and row.satisfaction is Satisfaction.UNSATISFIED))
            if bad:
                return QBrush(QColor(RED))
        return None


def _combo(name: str, members: tuple[VisitMethod, ...] | tuple[Performance, ...] | tuple[Satisfaction, ...],
           choose: str) -> QComboBox:
    combo = named(QComboBox(), name)
    combo.addItem(choose, None)
    for member in members:
        combo.addItem(visit_label(member), str(member))
    return combo


#: From this width on the visit form's two columns stand side by side (they need ~590 px so).
FORM_SIDE_BY_SIDE_WIDTH = 700


class VisitsTab(LoadedPage[VisitsPage]):
    """回访 of one case (``services.visits.visits_page``, which decides ``may_record`` and
    ``may_reopen``). :attr:`loaded`: the page was read and shown."""

    #: After a successful write (the case page reloads itself).
    changed = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(runner, parent, error_name="visitsLoadError")
        self.setObjectName("visitsTab")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._case_id: int | None = None
        #: The case the next read is of (set on the GUI thread), and the case whose page is shown.
        self._reading_case: int | None = None
        self._shown_case: int | None = None
        self._busy = False
        #: The open conflict dialog (another desk recorded a visit of this case meanwhile), if any.
        self.conflict_dialog: ConflictDialog | None = None
        self._select_after_load: int | None = None

        self.summary_label = named(QLabel(), "visitsSummary")
        self.summary_label.setWordWrap(True)

        self.plans_model = PlansModel(self._today_now, self)
        self.plans_table = list_table(self.plans_model, "plansTable",
                                      {PlansModel.COL_DUE: 100, PlansModel.COL_REASON: 420})
        plans_box = QGroupBox(self.tr("Planned visits"))
        QVBoxLayout(plans_box).addWidget(self.plans_table)

        self.visits_model = VisitsModel(self)
        self.visits_table = list_table(self.visits_model, "visitsTable", {
            VisitsModel.COL_DATE: 96, VisitsModel.COL_METHOD: 110, VisitsModel.COL_VISITOR: 90,
            VisitsModel.COL_PARTIES: 130, VisitsModel.COL_PERFORMANCE: 90, VisitsModel.COL_SATISFACTION: 90})
        self.trouble_label = named(QLabel(), "troubleLabel")
        self.trouble_label.setWordWrap(True)
        self.trouble_label.setStyleSheet(TROUBLE_STYLE)
        self.trouble_label.hide()
        self.reopen_button = named(QPushButton(self.tr("Reopen mediation…")), "reopenButton")
        self.reopen_reason_edit = named(QPlainTextEdit(), "reopenReasonEdit")
        self.reopen_reason_edit.setTabChangesFocus(True)
        self.reopen_reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 14)
        self.reopen_reason_edit.setPlaceholderText(self.tr("Why the case is mediated again (goes on the timeline)"))
        self.reopen_confirm = named(QPushButton(self.tr("Reopen the case")), "reopenConfirm")
        self.reopen_cancel = named(QPushButton(self.tr("Cancel")), "reopenCancel")
        self.reopen_error = named(QLabel(), "reopenError")
        self.reopen_error.setStyleSheet(ERROR_STYLE)
        self.reopen_error.setWordWrap(True)
        self.reopen_error.hide()
        self.reopen_panel = named(QWidget(), "reopenPanel")
        reopen_layout = QHBoxLayout(self.reopen_panel)
        reopen_layout.setContentsMargins(0, 0, 0, 0)
        reopen_layout.addWidget(self.reopen_reason_edit, 1)
        reopen_buttons = QVBoxLayout()
        reopen_buttons.addWidget(self.reopen_confirm)
        reopen_buttons.addWidget(self.reopen_cancel)
        reopen_layout.addLayout(reopen_buttons)
        self.reopen_panel.hide()
        reopen_row = QHBoxLayout()
        reopen_row.addWidget(self.trouble_label, 1)
        reopen_row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        visits_box = QGroupBox(self.tr("Visits made"))
        visits_layout = QVBoxLayout(visits_box)
        visits_layout.addWidget(self.visits_table)
        visits_layout.addLayout(reopen_row)
        visits_layout.addWidget(self.reopen_panel)
        visits_layout.addWidget(self.reopen_error)

        # ---- the form
        self.visited_edit = DateField("visitedOnEdit", self.tr("Visited on"))
        self.visitor_edit = named(QLineEdit(actor.display_name), "visitorEdit")
        self.parties_edit = named(QLineEdit(), "partiesVisitedEdit")
        self.method_combo = _combo("methodCombo", tuple(VisitMethod), self.tr("— choose —"))
        self.performance_combo = _combo("performanceCombo", tuple(Performance), self.tr("— choose —"))
        self.satisfaction_combo = _combo("satisfactionCombo", tuple(Satisfaction), self.tr("— choose —"))
        self.plan_combo = named(QComboBox(), "planCombo")
        self.notes_edit = named(QPlainTextEdit(), "visitNotesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.notes_edit.setPlaceholderText(self.tr("What was found: performance, later lawsuits, signs of new trouble, "
                                                   "and what was done"))
        # What the return-visit record prints beside the findings: a later lawsuit and its result,
        # and hidden risks (blank: none).
        self.lawsuit_edit = named(QLineEdit(), "visitLawsuitEdit")
        self.lawsuit_edit.setPlaceholderText(self.tr("Court, case number or claim; blank if none"))
        self.lawsuit_result_edit = named(QLineEdit(), "visitLawsuitResultEdit")
        self.risks_edit = named(QLineEdit(), "visitRisksEdit")
        self.risks_edit.setPlaceholderText(self.tr("Blank if none found"))
        self.record_button = named(QPushButton(self.tr("Record visit")), "recordVisitButton")
        self.form_error = named(QLabel(), "visitError")
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self.done_label = named(QLabel(), "visitDone")
        self.done_label.setStyleSheet(OK_STYLE)
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        self.form_box = named(QGroupBox(self.tr("Record a return visit")), "visitFormBox")
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("Visited on"), self.visited_edit)
        left.addRow(self.tr("Visitor"), self.visitor_edit)
        left.addRow(self.tr("Parties visited"), self.parties_edit)
        left.addRow(self.tr("Answers the plan"), self.plan_combo)
        right.addRow(self.tr("Method"), self.method_combo)
        right.addRow(self.tr("Performance"), self.performance_combo)
        right.addRow(self.tr("Satisfaction"), self.satisfaction_combo)
        columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        # Side by side on a wide pane; one above the other beside the case list (~600 px).
        self.reflow = SideBySide(self, (columns,), FORM_SIDE_BY_SIDE_WIDTH)
        form_layout = QVBoxLayout(self.form_box)
        form_layout.addLayout(columns)
        form_layout.addWidget(QLabel(self.tr("Findings")))
        form_layout.addWidget(self.notes_edit)
        later = QFormLayout()
        later.addRow(self.tr("Later lawsuit"), self.lawsuit_edit)
        later.addRow(self.tr("Result of the lawsuit"), self.lawsuit_result_edit)
        later.addRow(self.tr("Hidden risks"), self.risks_edit)
        form_layout.addLayout(later)
        form_layout.addWidget(self.form_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_label, 1)
        buttons.addWidget(self.record_button)
        form_layout.addLayout(buttons)
        self.closed_hint = named(QLabel(), "visitsClosedHint")
        self.closed_hint.setWordWrap(True)
        self.closed_hint.setStyleSheet(f"color: {FINAL_COLOUR};")

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.load_error)
        layout.addWidget(plans_box)
        layout.addWidget(visits_box)
        layout.addWidget(self.form_box)
        layout.addWidget(self.closed_hint)
        layout.addStretch(1)
        QWidget.setTabOrder(self.visited_edit, self.visitor_edit)
        for first, second in ((self.visitor_edit, self.parties_edit), (self.parties_edit, self.plan_combo),
                              (self.plan_combo, self.method_combo), (self.method_combo, self.performance_combo),
                              (self.performance_combo, self.satisfaction_combo),
                              (self.satisfaction_combo, self.notes_edit), (self.notes_edit, self.lawsuit_edit),
                              (self.lawsuit_edit, self.lawsuit_result_edit),
                              (self.lawsuit_result_edit, self.risks_edit), (self.risks_edit, self.record_button)):
            QWidget.setTabOrder(first, second)

        self.record_button.clicked.connect(self.record)
        self.visits_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_reopen())
        self.reopen_button.clicked.connect(self.open_reopen)
        self.reopen_confirm.clicked.connect(self.reopen)
        self.reopen_cancel.clicked.connect(self.close_reopen)

    def _today_now(self) -> date:
        return self._today()

    # ------------------------------------------------------------------ loading

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self.forget()
            self._shown_case = None
            self._clear_form()
            self.close_reopen()
        self._case_id = case_id
        self.reload()

    def can_load(self) -> bool:
        return self._case_id is not None

    def reload(self) -> None:
        # The case is taken here, on the GUI thread: load() runs on a worker.
        self._reading_case = self._case_id
        super().reload()

    def reader(self) -> Callable[[Session], VisitsPage]:
        actor, case_id = self._actor, self._reading_case
        assert case_id is not None  # can_load()

        def load(session: Session) -> VisitsPage:
            return visits.visits_page(session, actor, case_id)

        return load

    def concerns(self, changes: Changes) -> bool:
        return self._case_id is not None and (changes.touches_case(self._case_id) or changes.settings)

    def show_page(self, page: VisitsPage) -> None:
        first_time = self._shown_case != page.case_id
        self._shown_case = page.case_id
        selected = self.selected_visit()
        self.summary_label.setText(self.summary_text(page))
        self.plans_model.set_visits(page.visits)
        self.plans_model.set_rows(page.plans)
        self.visits_model.set_rows(page.visits)
        wanted = self._select_after_load or (selected.id if selected is not None else None)
        self._select_after_load = None
        if wanted is not None:
            self.select_visit(wanted)
        if first_time:
            self._reset_form(page)
        self._fill_plans(page)
        self.performance_combo.setEnabled(page.has_agreement)
        self.performance_combo.setToolTip("" if page.has_agreement else
                                          self.tr("This case has no agreement: there is no performance to check."))
        self.form_box.setVisible(page.may_record)
        self.closed_hint.setVisible(not page.may_record)
        if page.state is not CaseState.CLOSED:
            self.closed_hint.setText(self.tr("Return visits are made after the case is closed."))
        else:
            self.closed_hint.setText(self.tr("Only the center head or a mediator of the case's team records visits."))
        self._update_reopen()

    def summary_text(self, page: VisitsPage) -> str:
        if page.state is not CaseState.CLOSED:
            text = self.tr("The case is not closed: visits follow its closure.")
        else:
            text = self.tr("Closed on {day}.").format(day=format_day(page.closed_on))
            due = page.clock_due_on
            if due is not None and not page.plans and due < self._today():
                # Past its day with none made nor planned: said so, not left as a date to compare.
                text += " " + self.tr("First visit was due by {day}: overdue.").format(day=format_day(due))
            elif due is not None and not page.plans:
                text += " " + self.tr("First visit due by {day}.").format(day=format_day(due))
        waiting = [p for p in page.plans if not p.done]
        text += " " + self.tr("{done} visits made, {waiting} planned visits waiting.").format(
            done=len(page.visits), waiting=len(waiting))
        return text

    def _reset_form(self, page: VisitsPage) -> None:
        today = self._today()
        self.visited_edit.set_range(page.closed_on or date(2000, 1, 1), today, today=True)
        self.visited_edit.set_value(today)
        self.parties_edit.setText("、".join(page.parties))

    def _fill_plans(self, page: VisitsPage) -> None:
        keep = self.plan_combo.currentData()
        self.plan_combo.clear()
        self.plan_combo.addItem(self.tr("(none: an extra visit, or whichever is due)"), None)
        for plan in page.plans:
            if not plan.done:
                self.plan_combo.addItem(f"{format_day(plan.due_on)} {plan.reason}", plan.id)
        index = self.plan_combo.findData(keep) if keep is not None else -1
        if index < 0:
            # The earliest waiting plan that is due is what a visit usually answers.
            today = self._today()
            due = next((p for p in page.plans if not p.done and p.due_on <= today), None)
            index = self.plan_combo.findData(due.id) if due is not None else 0
        self.plan_combo.setCurrentIndex(max(index, 0))

    # ------------------------------------------------------------------ recording

    def visit_input(self) -> VisitInput:
        def member(combo: QComboBox, kind: Callable[[str], Any]) -> Any:
            value = combo.currentData()
            return kind(value) if value else None

        performance = member(self.performance_combo, Performance) if self.performance_combo.isEnabled() else None
        return VisitInput(
            visited_on=self._visited_on(), visitor=self.visitor_edit.text(),
            parties_visited=self.parties_edit.text(), method=member(self.method_combo, VisitMethod),
            performance=performance, satisfaction=member(self.satisfaction_combo, Satisfaction),
            notes=self.notes_edit.toPlainText(), lawsuit=self.lawsuit_edit.text(),
            lawsuit_result=self.lawsuit_result_edit.text(), hidden_risks=self.risks_edit.text())

    def _visited_on(self) -> date:
        day = self.visited_edit.day()
        assert day is not None
        return day

    def record(self) -> None:
        case_id, page = self._case_id, self._page
        if case_id is None or page is None or self._busy or not page.may_record:
            return
        if first_problem([self.visited_edit]) is not None:
            return  # the field says why; nothing is recorded
        data, today, plan_id = self.visit_input(), self._today(), self.plan_combo.currentData()
        self._record(case_id, data, plan_id, today, seen=page.visits)

    def _record(self, case_id: int, data: VisitInput, plan_id: int | None, today: date, *,
                seen: tuple[VisitInfo, ...]) -> None:
        """Record ``data``, the visits this form was loaded with being ``seen`` (none: 0)."""
        actor, made = self._actor, len(seen)

        def work(session: Session) -> VisitInfo:
            return visits.record_visit(session, actor, case_id, data, plan_id=plan_id, today=today,
                                       expected_visits=made)

        def done(info: VisitInfo) -> None:
            self._busy = False
            self._clear_form()
            self.done_label.setText(self.tr("Visit of {day} recorded.").format(day=format_day(info.visited_on)))
            self.done_label.show()
            # A finding that calls for reopening is put in front of the head at once: the new
            # visit is selected when the reload the write causes arrives.
            self._select_after_load = info.id
            self.changed.emit()

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self.record_button.setEnabled(True)
            self.form_error.setText(failure.message)
            self.form_error.show()
            if isinstance(failure.error, Conflict) and self._case_id == case_id:
                self._resolve_conflict(case_id, seen, data, plan_id, today)
                return
            widgets: dict[str, QWidget] = {
                "visited_on": self.visited_edit, "visitor": self.visitor_edit, "parties_visited": self.parties_edit,
                "method": self.method_combo, "performance": self.performance_combo,
                "satisfaction": self.satisfaction_combo, "notes": self.notes_edit, "plan": self.plan_combo,
                "lawsuit": self.lawsuit_edit, "lawsuit_result": self.lawsuit_result_edit,
                "hidden_risks": self.risks_edit}
            widget = widgets.get(failure.field or "")
            if widget is not None:
                widget.setFocus()

        self._busy = True
        self.record_button.setEnabled(False)
        self.form_error.hide()
        self.done_label.hide()
        self._runner.run_write(work, on_success=done, on_error=failed)

    def _visit_values(self, visit: VisitInfo | VisitInput) -> dict[str, object]:
        return {"visited_on": visit.visited_on, "visitor": visit.visitor.strip(),
                "parties_visited": visit.parties_visited.strip(), "method": visit_label(visit.method),
                "performance": visit_label(visit.performance), "satisfaction": visit_label(visit.satisfaction),
                "notes": visit.notes.strip()}

    def _resolve_conflict(self, case_id: int, seen: tuple[VisitInfo, ...], data: VisitInput, plan_id: int | None,
                          today: date) -> None:
        """Another desk recorded a visit of this case meanwhile — often the same call: show theirs
        next to what was typed here. Reload drops this entry; re-apply records it as well (another
        visit); closing keeps the form as it is."""
        actor = self._actor
        known = {v.id for v in seen}

        def work(session: Session) -> tuple[VisitsPage, LastWrite | None]:
            page = visits.visits_page(session, actor, case_id)
            new = [v for v in page.visits if v.id not in known]
            return page, visits.last_write(session, new[-1].id) if new else None

        def show(result: tuple[VisitsPage, LastWrite | None]) -> None:
            page, writer = result
            if self._case_id != case_id:
                return
            new = [v for v in page.visits if v.id not in known]
            if not new or writer is None:
                return  # nothing to compare: the message stays
            theirs_visit = new[-1]
            labels = {"visited_on": self.tr("Visited on"), "visitor": self.tr("Visitor"),
                      "parties_visited": self.tr("Parties visited"), "method": self.tr("Method"),
                      "performance": self.tr("Performance"), "satisfaction": self.tr("Satisfaction"),
                      "notes": self.tr("Findings")}
            base = dict.fromkeys(labels, "")
            theirs, mine = self._visit_values(theirs_visit), self._visit_values(data)

            def chosen(choice: int) -> None:
                self.conflict_dialog = None
                if self._case_id != case_id:
                    return
                if choice == ConflictDialog.RELOAD:
                    self._clear_form()
                    self.reload()
                elif choice == ConflictDialog.REAPPLY:
                    # Mine as another visit; the plan, if theirs answered it meanwhile, is not mine to answer.
                    still_open = {p.id for p in page.plans if not p.done}
                    self._record(case_id, data, plan_id if plan_id in still_open else None, today,
                                 seen=page.visits)

            self.conflict_dialog = open_conflict(
                self, self.tr("the return visits of this case"), field_changes(labels, base, theirs, mine), chosen,
                can_reapply=page.may_record, who=writer.who, at=writer.at,
                reason=self.tr("If both are the same visit, choose Reload: yours is not recorded. If they are two "
                               "visits, re-apply to record yours as well."))

        self._runner.run_read(work, on_success=show, on_error=lambda failure: self.form_error.setText(failure.message))

    def _clear_form(self) -> None:
        for combo in (self.method_combo, self.performance_combo, self.satisfaction_combo):
            combo.setCurrentIndex(0)
        self.notes_edit.clear()
        for edit in (self.lawsuit_edit, self.lawsuit_result_edit, self.risks_edit):
            edit.clear()
        self.form_error.hide()
        self.done_label.hide()
        self.record_button.setEnabled(True)

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def _unsaved_widget(self) -> QWidget | None:
        """The first field holding what was typed or chosen and not recorded yet."""
        page = self._page
        if self._case_id is None or page is None:
            return None
        if not self.reopen_panel.isHidden() and self.reopen_reason_edit.toPlainText().strip():
            return self.reopen_reason_edit
        if not page.may_record:
            return None
        if self.notes_edit.toPlainText().strip():
            return self.notes_edit
        for edit in (self.lawsuit_edit, self.lawsuit_result_edit, self.risks_edit):
            if edit.text().strip():
                return edit
        for combo in (self.method_combo, self.performance_combo, self.satisfaction_combo):
            if combo.currentIndex() > 0:
                return combo
        if self.visitor_edit.text() != self._actor.display_name:
            return self.visitor_edit
        if self.parties_edit.text() != "、".join(page.parties):
            return self.parties_edit
        return None

    def has_unsaved_input(self) -> bool:
        return self._unsaved_widget() is not None

    def unsaved_description(self) -> str:
        number = self._page.number if self._page is not None else ""
        if self._unsaved_widget() is self.reopen_reason_edit:
            return self.tr("{number} return visits: the reason for reopening").format(number=number).strip()
        return self.tr("{number} return visits: a visit not recorded yet").format(number=number).strip()

    def can_save_unsaved(self) -> bool:
        return False  # recording a visit or reopening is a step of the case, not a save

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        done(False)

    def discard_unsaved(self) -> None:
        self._clear_form()
        self.visitor_edit.setText(self._actor.display_name)
        if self._page is not None:
            self._reset_form(self._page)
        self.reopen_reason_edit.clear()
        self.close_reopen()

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        reveal(self, self._unsaved_widget())

    # ------------------------------------------------------------------ reopening

    def select_visit(self, visit_id: int) -> bool:
        row = next((i for i, v in enumerate(self.visits_model.rows) if v.id == visit_id), None)
        if row is None:
            return False
        self.visits_table.selectRow(row)
        return True

    def selected_visit(self) -> VisitInfo | None:
        index = self.visits_table.currentIndex()
        if not index.isValid() or not self.visits_table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.visits_model.row_at(index.row())

    def _update_reopen(self) -> None:
        page, visit = self._page, self.selected_visit()
        trouble = visit is not None and visit.shows_trouble
        if trouble and visit is not None:
            finding = "、".join(visit_label(x) for x in (visit.performance, visit.satisfaction)
                               if x is not None and (x in visits.TROUBLE_PERFORMANCE or x is Satisfaction.UNSATISFIED))
            if visit.reopened:
                text = self.tr("The visit of {day} found: {finding}. The case was reopened because of it.")
            else:
                text = self.tr("The visit of {day} found: {finding}. The agreement is not kept or a party is "
                               "unsatisfied: the head may reopen mediation.")
            self.trouble_label.setText(text.format(day=format_day(visit.visited_on), finding=finding))
        self.trouble_label.setVisible(trouble)
        may = page is not None and page.may_reopen and trouble and visit is not None and not visit.reopened
        self.reopen_button.setVisible(page is not None and page.may_reopen)
        self.reopen_button.setEnabled(may and not self._busy)
        if not may:
            self.close_reopen()

    def open_reopen(self) -> None:
        if not self.reopen_button.isEnabled():
            return
        self.reopen_error.hide()
        self.reopen_panel.show()
        self.reopen_reason_edit.setFocus()

    def close_reopen(self) -> None:
        self.reopen_panel.hide()
        self.reopen_error.hide()

    def reopen(self) -> None:
        visit, case_id = self.selected_visit(), self._case_id
        if visit is None or case_id is None or self._busy or self.reopen_panel.isHidden():
            return
        actor, visit_id, reason = self._actor, visit.id, self.reopen_reason_edit.toPlainText()

        def work(session: Session) -> VisitInfo:
            return visits.reopen_from_visit(session, actor, visit_id, reason)

        def done(_info: VisitInfo) -> None:
            self._busy = False
            self.reopen_reason_edit.clear()
            self.close_reopen()
            self.done_label.setText(self.tr("The case is back in mediation; the reason is on its timeline."))
            self.done_label.show()
            self.changed.emit()

        def failed(failure: TaskFailure) -> None:
            self._busy = False
            self.reopen_error.setText(failure.message)
            self.reopen_error.show()
            self._update_reopen()
            self.reopen_reason_edit.setFocus()

        self._busy = True
        self.reopen_error.hide()
        self._runner.run_write(work, on_success=done, on_error=failed)

    # ------------------------------------------------------------------ refresh

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.reload()


__all__ = ["PlansModel", "VisitsModel", "VisitsTab", "visit_label"]
