"""调查记录 and 调解记录 of one case: the list, a form to write or correct one, signing, printing.

A record can be corrected until the people in it signed the printed copy; then it is evidence and
read-only (``services.records``). Nothing the mediator typed is ever dropped: a refused save keeps
the form as it was and puts the service's message under the field it names; a reload after someone
else's write refreshes the list but leaves a form being edited alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.records import RecordInfo
from mediation_desk.services import pages, records
from mediation_desk.services.errors import Conflict, NotFound
from mediation_desk.services.pages import RecordsPage
from mediation_desk.services.records import InvestigationInput, MediationRecordInput
from mediation_desk.services.textmerge import has_markers
from mediation_desk.services.workflow import FINAL_STATES
from mediation_desk.services.writers import LastWrite
from mediation_desk.ui.common.conflict_dialog import (
    MERGE_NOTE_STYLE,
    ConflictDialog,
    field_changes,
    merge_fields,
    open_conflict,
    reapply,
)
from mediation_desk.ui.common.date_field import DateTimeField
from mediation_desk.ui.common.format import FINAL_COLOUR, TodayProvider, format_time
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.pdf_preview import DocumentPreview, open_preview
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import GuardedSave, reveal
from mediation_desk.ui.common.widgets import OK_STYLE, error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

INVESTIGATION = "investigation"
MEDIATION = "mediation"
#: The document kind (``dossier.render_document``) of each record kind.
DOCUMENT_KIND = {INVESTIGATION: "investigation", MEDIATION: "mediation-record"}
SIGNED_COLOUR = FINAL_COLOUR


class RecordsModel(RowsModel[RecordInfo]):
    COL_TIME, COL_KIND, COL_PLACE, COL_SUMMARY, COL_STATUS = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("RecordsModel", "Held at"),
        QT_TRANSLATE_NOOP("RecordsModel", "Record"),
        QT_TRANSLATE_NOOP("RecordsModel", "Place"),
        QT_TRANSLATE_NOOP("RecordsModel", "Summary"),
        QT_TRANSLATE_NOOP("RecordsModel", "Status"),
    )
    CONTEXT = "RecordsModel"

    def text(self, row: RecordInfo, column: int) -> str:
        if column == self.COL_TIME:
            return format_time(row.held_at)
        if column == self.COL_KIND:
            return (self.tr("Investigation") if row.kind == INVESTIGATION else self.tr("Mediation session"))
        if column == self.COL_PLACE:
            return row.place
        if column == self.COL_SUMMARY:
            return row.summary
        if column == self.COL_STATUS:
            return self.tr("Signed (read-only)") if row.signed else self.tr("Draft (editable)")
        return ""

    def cell(self, row: RecordInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.signed:
            return QBrush(QColor(SIGNED_COLOUR))
        return None

    def row_of(self, kind: str, record_id: int) -> int | None:
        for index, row in enumerate(self._rows):
            if row.kind == kind and row.id == record_id:
                return index
        return None


def _text_box(name: str, lines: int) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _line(name: str, length: int) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setMaxLength(length)
    return edit


class RecordsTab(LoadedPage[RecordsPage]):
    """Case-view tab: the case's investigation and mediation records (its page:
    ``services.pages.records_page``)."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(runner, parent, error_name="recordsLoadError")
        self.setObjectName("recordsTab")
        self._actor = actor
        #: The latest day a record may be dated (tests move it instead of waiting for days to pass).
        self._today: TodayProvider = today or date.today
        self._case_id: int | None = None
        #: No page of the shown case has arrived yet (the first one opens its last record).
        self._first_page = True
        self._kind = MEDIATION
        self._record: RecordInfo | None = None
        self._dirty = False
        self._busy = False
        #: A record to start from a session once the case's records arrive (``start_from``).
        self._draft: MediationRecordInput | None = None
        #: The open conflict dialog (another desk saved the record being edited), if any.
        self.conflict_dialog: ConflictDialog | None = None
        self._filling = False
        #: Asks a yes/no question (title, text) → yes; a seam so tests answer without a modal loop.
        self.confirm: Callable[[str, str], bool] = self._ask
        self.preview: DocumentPreview | None = None
        #: Told the outcome of a save the unsaved-input guard asked for (``save_unsaved``).
        self._guarded_save = GuardedSave()

        self.model = RecordsModel(self)
        self.table = named(QTableView(), "recordsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(RecordsModel.COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        for column in (RecordsModel.COL_TIME, RecordsModel.COL_KIND, RecordsModel.COL_STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # A room's name read whole (中心“老马说和”工作室 was cut at Qt's 100 px while the summary had
        # room); a site's full address, as an investigation's place may be, stays elided (the form
        # below shows it): its width would leave the summary nothing.
        header.resizeSection(RecordsModel.COL_PLACE, self.table.fontMetrics().horizontalAdvance("中" * 11))
        self.empty_label = named(QLabel(self.tr("No investigation or mediation record yet.")), "recordsEmpty")
        self.empty_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.new_investigation_button = named(QPushButton(self.tr("New investigation record")), "newInvestigation")
        self.new_investigation_button.setToolTip(self.tr("Record an investigation (Ctrl+Shift+I)"))
        self.new_mediation_button = named(QPushButton(self.tr("New mediation record")), "newMediation")
        self.new_mediation_button.setToolTip(self.tr("Record a mediation session (Ctrl+Shift+M)"))
        self.read_only_label = named(QLabel(), "readOnlyNote")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setStyleSheet(f"color: {FINAL_COLOUR};")
        self.read_only_label.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_mediation_button)
        buttons.addWidget(self.new_investigation_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.load_error)
        left_layout.addWidget(self.read_only_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label)

        # ---------------------------------------------------------------- the form
        self.form_title = named(QLabel(), "formTitle")
        font = self.form_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.form_title.setFont(font)
        self.signed_note = named(QLabel(self.tr("Signed by the participants: this record can no longer be "
                                                "changed. Make a supplementary record to correct it.")), "signedNote")
        self.signed_note.setWordWrap(True)
        self.signed_note.setStyleSheet(f"color: {SIGNED_COLOUR};")
        self.held_at = DateTimeField("heldAt", self.tr("Day held"), self.tr("Time held"))
        self.place = _line("place", 200)
        self.subject = _line("subject", 200)
        self.subject.setPlaceholderText(self.tr("What the session was about, e.g. the compensation for the wall"))
        self.investigators = _line("investigators", 200)
        self.mediators = _line("mediators", 200)
        self.recorder = _line("recorder", 60)
        self.interviewee = _line("interviewee", 200)
        self.interviewee_relation = _line("intervieweeRelation", 100)
        self.interviewee_relation.setPlaceholderText(self.tr("e.g. neighbour, witness, village committee"))
        self.parties_present = _line("partiesPresent", 300)
        self.participants = _line("participants", 300)
        self.participants.setPlaceholderText(self.tr("Relatives, village cadres, lawyers … who took part"))
        self.notice_given = named(QCheckBox(self.tr("The parties were told their rights and duties before the "
                                                    "mediation")), "noticeGiven")
        self.content = _text_box("content", 6)
        self.statements = _text_box("statements", 5)
        self.statements.setPlaceholderText(self.tr("What each side said: the applicant …; the respondent …"))
        self.verification = _text_box("verification", 3)
        self.outcome = _text_box("outcome", 3)
        self.outcome.setPlaceholderText(self.tr("What was agreed, or why no agreement was reached and what "
                                                "the parties may do next"))
        self.agreement_reached = named(QCheckBox(self.tr("An agreement was reached")), "agreementReached")

        # name (as the service names the field) -> label, widget, the record kinds that have it
        self._rows: dict[str, tuple[QLabel, QWidget, QLabel, frozenset[str]]] = {}
        both, inv, med = frozenset({INVESTIGATION, MEDIATION}), frozenset({INVESTIGATION}), frozenset({MEDIATION})
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for name, text, widget, kinds in (
            ("held_at", self.tr("Held at"), self.held_at, both),
            ("place", self.tr("Place"), self.place, both),
            ("subject", self.tr("Subject"), self.subject, med),
            ("investigators", self.tr("Investigators"), self.investigators, inv),
            ("mediators", self.tr("Mediators"), self.mediators, med),
            ("recorder", self.tr("Recorder"), self.recorder, both),
            ("interviewee", self.tr("Interviewee"), self.interviewee, inv),
            ("interviewee_relation", self.tr("Relation to the case"), self.interviewee_relation, inv),
            ("parties_present", self.tr("Parties present"), self.parties_present, med),
            ("participants", self.tr("Others present"), self.participants, med),
            ("notice_given", self.tr("Rights and duties"), self.notice_given, med),
            ("content", self.tr("What was found"), self.content, inv),
            ("statements", self.tr("Statements"), self.statements, med),
            ("verification", self.tr("Facts verified"), self.verification, med),
            ("outcome", self.tr("Outcome"), self.outcome, med),
            ("agreement_reached", self.tr("Agreement"), self.agreement_reached, med),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            error = error_label(f"{name}Error")
            row = grid.rowCount()
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, 1)
            grid.addWidget(error, row + 1, 1)
            self._rows[name] = (label, widget, error, kinds)

        self.form_error = error_label("formError")
        #: After a merge with a colleague's save: what to check before saving.
        self.merge_note = named(QLabel(), "mergeNote")
        self.merge_note.setWordWrap(True)
        self.merge_note.setStyleSheet(MERGE_NOTE_STYLE)
        self.merge_note.hide()
        self.saved_label = named(QLabel(), "savedLabel")
        self.saved_label.setStyleSheet(OK_STYLE)
        self.saved_label.hide()
        self.save_button = named(QPushButton(self.tr("Save")), "saveRecord")
        self.save_button.setToolTip(self.tr("Save the record (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.sign_button = named(QPushButton(self.tr("Signed…")), "signRecord")
        self.sign_button.setToolTip(self.tr("The participants signed the printed record: lock it"))
        self.print_button = named(QPushButton(self.tr("Print / preview…")), "printRecord")
        self.print_button.setToolTip(self.tr("Preview and print the saved record (Ctrl+P)"))
        actions = QHBoxLayout()
        actions.addWidget(self.saved_label, 1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.sign_button)
        actions.addWidget(self.save_button)

        self.form = named(QFrame(), "recordForm")
        form_layout = QVBoxLayout(self.form)
        form_layout.addWidget(self.form_title)
        form_layout.addWidget(self.signed_note)
        form_layout.addWidget(self.merge_note)
        form_layout.addLayout(grid)
        form_layout.addWidget(self.form_error)
        form_layout.addLayout(actions)
        form_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.form)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        # The list above the form, not beside it: beside, the case page's half of the window left
        # the list ~190 px — the time and kind, the place cut, the summary and 已签名 out of sight —
        # and the form's long statements narrower still. A case holds a few records.
        splitter = named(QSplitter(Qt.Orientation.Vertical), "recordsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.scroll_area)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + 3 * self.table.verticalHeader().defaultSectionSize() + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        order: list[QWidget] = [self.table, self.new_mediation_button, self.new_investigation_button]
        order += [widget for _label, widget, _error, _kinds in self._rows.values()]
        order += [self.print_button, self.sign_button, self.save_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

        self.new_mediation_button.clicked.connect(lambda: self.new_record(MEDIATION))
        self.new_investigation_button.clicked.connect(lambda: self.new_record(INVESTIGATION))
        self.save_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self.sign)
        self.print_button.clicked.connect(self.print_preview)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        for _label, editor, _error, _kinds in self._rows.values():
            if isinstance(editor, QLineEdit):
                editor.textEdited.connect(self._edited)
            elif isinstance(editor, QPlainTextEdit):
                editor.textChanged.connect(self._edited)
            elif isinstance(editor, QCheckBox):
                editor.toggled.connect(self._edited)
            elif isinstance(editor, DateTimeField):
                editor.edited.connect(self._edited)
        self.notice_given.toggled.connect(self._notice_toggled)
        for keys, slot in ((QKeySequence("Ctrl+Shift+M"), lambda: self.new_record(MEDIATION)),
                           (QKeySequence("Ctrl+Shift+I"), lambda: self.new_record(INVESTIGATION)),
                           (QKeySequence.StandardKey.Save, self.save),
                           (QKeySequence.StandardKey.Print, self.print_preview)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_kind(MEDIATION)
        self._update_enabled()

    # ------------------------------------------------------------------ loading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def record(self) -> RecordInfo | None:
        """The saved record in the form (None for a new one)."""
        return self._record

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def dirty(self) -> bool:
        return self._dirty

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self._case_id = case_id
            self.forget()
            self._first_page = True
            self._record = None
            self._dirty = False
            self.model.set_rows([])
        self.reload()

    def can_load(self) -> bool:
        return self._case_id is not None

    def reader(self) -> Callable[[Session], RecordsPage]:
        actor, case_id = self._actor, self._case_id
        assert case_id is not None

        def load(session: Session) -> RecordsPage:
            return pages.records_page(session, actor, case_id)

        return load

    def concerns(self, changes: Changes) -> bool:
        return self._case_id is not None and changes.touches_case(self._case_id)

    def show_page(self, page: RecordsPage) -> None:
        """Show the list just read; a form with unsaved edits keeps them (and the version it started
        from, so that saving over a colleague's change asks how to merge)."""
        first, self._first_page = self._first_page, False
        self.model.set_rows(page.records)
        self.empty_label.setVisible(not page.records)
        self.table.setVisible(bool(page.records))
        if not page.may_write:
            self.read_only_label.setText(self._read_only_reason(page))
        self.read_only_label.setVisible(not page.may_write)
        current = self._record
        if current is not None:
            fresh = next((r for r in page.records if r.kind == current.kind and r.id == current.id), None)
            if fresh is not None and not self._dirty:
                self._fill(fresh, refresh=True)
            elif fresh is not None:
                self._record = current  # keep the version the user started from: a save then conflicts
            self._select(current.kind, current.id)
        elif first and not self._dirty:
            if page.records:
                last = page.records[-1]
                self._fill(last)
                self._select(last.kind, last.id)
            else:
                self._start_new(MEDIATION)
        self._update_enabled()
        draft, self._draft = self._draft, None
        if draft is not None:
            self.start_from(draft)

    def start_from(self, draft: MediationRecordInput) -> bool:
        """A new mediation record filled from a session (``services.sessions.record_draft``): its
        time, place and participants; unsaved, for the mediator to complete. Waits for the case's
        records when they are still being read; False when the user kept an unsaved record."""
        if self._page is None:
            self._draft = draft
            return True
        if not self._page.may_write or not self._may_leave():
            return False
        self._start_new(MEDIATION)
        self._filling = True
        try:
            self.held_at.set_latest_day(max(self._today(), draft.held_at.date()))
            self.held_at.set_value(draft.held_at)
            for edit, value in ((self.place, draft.place), (self.subject, draft.subject),
                                (self.mediators, draft.mediators), (self.recorder, draft.recorder),
                                (self.participants, draft.participants), (self.parties_present, draft.parties_present)):
                edit.setText(value)
            self.notice_given.setChecked(draft.notice_given)
        finally:
            self._filling = False
        self._dirty = True
        self._update_enabled()
        self.statements.setFocus()
        return True

    def _read_only_reason(self, page: RecordsPage) -> str:
        if page.detail.state in FINAL_STATES:
            return self.tr("The case is finished: its records can be read and printed, not changed.")
        return self.tr("Only the mediators of the case's team and the center head write its records.")

    def _select(self, kind: str, record_id: int) -> None:
        row = self.model.row_of(kind, record_id)
        if row is None:
            return
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.selectRow(row)
        selection.blockSignals(False)

    def _deselect(self) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.clearCurrentIndex()
        selection.clearSelection()
        selection.blockSignals(False)
        self.table.viewport().update()

    # ------------------------------------------------------------------ the form

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _may_leave(self) -> bool:
        if not self._dirty:
            return True
        return self.confirm(self.tr("Discard changes"),
                            self.tr("The record being edited has unsaved changes. Discard them?"))

    def new_record(self, kind: str) -> None:
        if self._page is None or not self._page.may_write or not self._may_leave():
            return
        self._start_new(kind)
        self.held_at.setFocus()

    def _start_new(self, kind: str) -> None:
        page = self._page
        self._record = None
        self._filling = True
        try:
            self._clear_messages()
            self._show_kind(kind)
            stamp = datetime.now().replace(second=0, microsecond=0)
            self.held_at.set_latest_day(stamp.date())
            self.held_at.set_value(stamp)
            for edit in (self.place, self.subject, self.investigators, self.mediators, self.recorder,
                         self.interviewee, self.interviewee_relation, self.parties_present, self.participants):
                edit.clear()
            for box in (self.content, self.statements, self.verification, self.outcome):
                box.clear()
            self.notice_given.setChecked(False)
            self.agreement_reached.setChecked(False)
            me = self._actor.display_name
            if kind == MEDIATION:
                self.mediators.setText(page.detail.lead_mediator if page and page.detail.lead_mediator else me)
                if page is not None:
                    self.parties_present.setText("、".join(p.name for p in page.detail.parties))
                    self.subject.setText(page.detail.title)
            else:
                self.investigators.setText(me)
            self.recorder.setText(me)
        finally:
            self._filling = False
        self._dirty = False
        self._deselect()
        self._update_enabled()

    def _fill(self, record: RecordInfo, *, refresh: bool = False) -> None:
        """Show a saved record; ``refresh`` keeps the messages (the same record, read again)."""
        values = record.values
        self._record = record
        self._filling = True
        try:
            if not refresh:
                self._clear_messages()
            self._show_kind(record.kind)
            self.held_at.set_latest_day(max(self._today(), record.held_at.date()))
            self.held_at.set_value(record.held_at)
            for name, (_label, widget, _error, kinds) in self._rows.items():
                if record.kind not in kinds or name == "held_at":
                    continue
                value = values.get(name)
                if isinstance(widget, QLineEdit):
                    widget.setText(str(value or ""))
                    # Shown from its start: setText leaves the cursor at the end, and a long line
                    # (到场当事人 of a busy case) read …刘秀（甘州区恒通汽车运输有限公司法定代表人） with
                    # the names before it out of sight.
                    widget.setCursorPosition(0)
                elif isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(str(value or ""))
                elif isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
        finally:
            self._filling = False
        self._dirty = False
        self._update_enabled()

    def _show_kind(self, kind: str) -> None:
        self._kind = kind
        for label, widget, error, kinds in self._rows.values():
            visible = kind in kinds
            label.setVisible(visible)
            widget.setVisible(visible)
            if not visible:
                error.hide()
        record = self._record
        if kind == MEDIATION:
            title = self.tr("Mediation record") if record else self.tr("New mediation record")
        else:
            title = self.tr("Investigation record") if record else self.tr("New investigation record")
        if record is not None:
            title = f"{title} · {format_time(record.held_at)}"
        self.form_title.setText(title)

    def _notice_toggled(self, checked: bool) -> None:
        if checked:
            self._rows["notice_given"][2].hide()

    def _edited(self, *_args: object) -> None:
        if self._filling:
            return
        self._dirty = True
        self.saved_label.hide()
        self._update_enabled()

    def _update_enabled(self) -> None:
        page = self._page
        may_write = page is not None and page.may_write
        signed = self._record is not None and self._record.signed
        editable = may_write and not signed
        for _label, widget, _error, _kinds in self._rows.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(not editable)
            else:
                widget.setEnabled(editable)
        self.signed_note.setVisible(signed)
        self.new_mediation_button.setEnabled(may_write and not self._busy)
        self.new_investigation_button.setEnabled(may_write and not self._busy)
        self.save_button.setEnabled(editable and not self._busy)
        saved = self._record is not None
        self.sign_button.setEnabled(editable and saved and not self._dirty and not self._busy)
        self.sign_button.setToolTip(
            self.tr("Save the changes first") if self._dirty and saved
            else self.tr("The participants signed the printed record: lock it"))
        self.print_button.setEnabled(saved)
        self.form.setEnabled(page is not None)

    def _clear_messages(self) -> None:
        for _label, _widget, error, _kinds in self._rows.values():
            error.hide()
        self.form_error.hide()
        self.merge_note.hide()
        self.saved_label.hide()

    def _data(self) -> InvestigationInput | MediationRecordInput:
        held = self.held_at.value().replace(second=0, microsecond=0)  # save() checked it
        if self._kind == INVESTIGATION:
            return InvestigationInput(
                held_at=held, place=self.place.text(), investigators=self.investigators.text(),
                recorder=self.recorder.text(), interviewee=self.interviewee.text(),
                interviewee_relation=self.interviewee_relation.text(), content=self.content.toPlainText())
        return MediationRecordInput(
            held_at=held, place=self.place.text(), subject=self.subject.text(), mediators=self.mediators.text(),
            recorder=self.recorder.text(), participants=self.participants.text(),
            parties_present=self.parties_present.text(), notice_given=self.notice_given.isChecked(),
            statements=self.statements.toPlainText(), verification=self.verification.toPlainText(),
            outcome=self.outcome.toPlainText(), agreement_reached=self.agreement_reached.isChecked())

    # ------------------------------------------------------------------ writing

    def save(self) -> None:
        case_id, page = self._case_id, self._page
        if case_id is None or page is None or not page.may_write or self._busy:
            return
        if self._record is not None and self._record.signed:
            return
        if not self.held_at.check():
            return  # the day or time says why under it; nothing is saved
        if not self._may_save_markers():
            return
        data, actor, kind, record = self._data(), self._actor, self._kind, self._record

        def work(session: Session) -> RecordInfo:
            if record is None:
                if isinstance(data, InvestigationInput):
                    return records.add_investigation(session, actor, case_id, data)
                return records.add_mediation_record(session, actor, case_id, data)
            return records.update_record(session, actor, kind, record.id, data, expected_version=record.version)

        self._start_write()
        self._runner.run_write(work, on_success=self._saved, on_error=self._write_failed)

    def _saved(self, info: RecordInfo) -> None:
        self._busy = False
        self._record = info
        self._dirty = False
        self._show_kind(info.kind)
        self.saved_label.setText(self.tr("Saved at {time}.").format(time=datetime.now().strftime("%H:%M")))
        self.saved_label.show()
        self._update_enabled()
        self._select(info.kind, info.id)
        self.changed.emit()
        self._guarded_save.finish(True)  # last: the guard may now open another case

    def sign(self) -> None:
        record, case_id = self._record, self._case_id
        if record is None or case_id is None or record.signed or self._dirty or self._busy:
            return
        if not self.confirm(self.tr("Record signed"), self.tr(
                "Confirm that everyone named in the printed record has signed it. A signed record can no "
                "longer be edited; corrections go into a new record.")):
            return
        actor = self._actor

        def work(session: Session) -> RecordInfo:
            return records.sign_record(session, actor, record.kind, record.id, expected_version=record.version)

        def done(info: RecordInfo) -> None:
            self._saved(info)
            self.saved_label.setText(self.tr("Marked as signed; the record is now read-only."))

        self._start_write()
        self._runner.run_write(work, on_success=done, on_error=self._write_failed)

    def _start_write(self) -> None:
        self._busy = True
        self._clear_messages()
        self._update_enabled()

    def _write_failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self._guarded_save.finish(False)  # the guard stays; the message below shows why
        if isinstance(failure.error, Conflict) and self._record is not None:
            self.form_error.setText(failure.message)
            self.form_error.show()
            self._update_enabled()
            self._resolve_conflict(self._record, asdict(self._data()))
            return
        field = failure.field
        row = self._rows.get(field) if field else None
        if row is not None and row[1].isVisible():
            row[2].setText(failure.message)
            row[2].show()
            row[1].setFocus()
            self.scroll_area.ensureWidgetVisible(row[2])
        else:
            self.form_error.setText(failure.message)
            self.form_error.show()
            self.scroll_area.ensureWidgetVisible(self.form_error)
        self._update_enabled()

    def _text_names(self) -> list[str]:
        """The free texts of the record kind in the form (merged line by line after a conflict)."""
        return [name for name, (_label, widget, _error, kinds) in self._rows.items()
                if self._kind in kinds and isinstance(widget, QPlainTextEdit)]

    def _may_save_markers(self) -> bool:
        """A text still holding the markers of a merge is saved only when the user says so."""
        boxes = [(self._rows[name][0], self._rows[name][1]) for name in self._text_names()]
        marked = [(label, box) for label, box in boxes
                  if isinstance(box, QPlainTextEdit) and has_markers(box.toPlainText())]
        if not marked:
            return True
        label, widget = marked[0]
        if self.confirm(self.tr("Merge markers left"), self.tr(
                "“{field}” still holds the 【】 markers of the merge with your colleague's save. Save it with "
                "the markers? Choose No to combine the two passages and delete the markers first.").format(
                field=label.text())):
            return True
        widget.setFocus()
        self.scroll_area.ensureWidgetVisible(widget)
        return False

    def _show_merged(self, marked: tuple[str, ...], who: str) -> None:
        """The merge is in the form, unsaved: say so, and put the cursor on the first marked passage."""
        if marked:
            labels = "、".join(self._rows[name][0].text() for name in marked)
            self.merge_note.setText(self.tr(
                "Your changes and {who}'s are both in the form, not yet saved. Where you both changed the same "
                "passage ({fields}), both texts are kept between 【】 markers: combine them, delete the markers, "
                "then save.").format(who=who, fields=labels))
            box = self._rows[marked[0]][1]
            assert isinstance(box, QPlainTextEdit)
            cursor = box.textCursor()
            cursor.setPosition(max(0, box.toPlainText().find("【")))
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            box.setTextCursor(cursor)
            box.setFocus()
            self.scroll_area.ensureWidgetVisible(box)
        else:
            self.merge_note.setText(self.tr(
                "Your changes and {who}'s are both in the form, not yet saved: check them, then save.").format(
                who=who))
            self.save_button.setFocus()
        self.merge_note.show()

    def _resolve_conflict(self, base: RecordInfo, mine: dict[str, object]) -> None:
        """Someone saved this record first: read theirs and who saved it, show all, merge, reload or re-apply."""
        case_id, actor = base.case_id, self._actor

        def work(session: Session) -> tuple[RecordsPage, LastWrite | None]:
            page = pages.records_page(session, actor, case_id)
            try:
                writer: LastWrite | None = records.last_write(session, base.kind, base.id)
            except NotFound:
                writer = None
            return page, writer

        def show(result: tuple[RecordsPage, LastWrite | None]) -> None:
            page, writer = result
            who, at = (writer.who, writer.at) if writer is not None else ("", None)
            fresh = next((r for r in page.records if (r.kind, r.id) == (base.kind, base.id)), None)
            if fresh is None or page.detail.id != self._case_id or self._record is not base:
                return  # gone, or the user moved on: the message under the form stays
            labels = {name: row[0].text() for name, row in self._rows.items() if base.kind in row[3]}

            def chosen(result: int) -> None:
                self.conflict_dialog = None
                if result == ConflictDialog.RELOAD:
                    self._page = page
                    self.model.set_rows(page.records)
                    self._fill(fresh)
                elif result == ConflictDialog.REAPPLY:
                    merged = reapply(base.values, fresh.values, mine)
                    self._fill(replace(fresh, values=merged, held_at=merged["held_at"]))
                    self._record = fresh  # saved on top of their version
                    self._dirty = True
                    self.save()
                elif result == ConflictDialog.MERGE:
                    both = merge_fields(base.values, fresh.values, mine, texts=texts, who=who, at=at)
                    self._page = page
                    self.model.set_rows(page.records)
                    self._fill(replace(fresh, values=both.values, held_at=both.values["held_at"]))
                    self._record = fresh  # the next save goes on top of their version
                    self._dirty = True
                    self._update_enabled()
                    self._show_merged(both.marked, who or self.tr("your colleague"))

            writable = not fresh.signed and page.may_write
            texts = self._text_names()
            self.conflict_dialog = open_conflict(
                self, self.form_title.text(), field_changes(labels, base.values, fresh.values, mine), chosen,
                can_reapply=writable, can_merge=writable, who=who, at=at,
                reason=self.tr("The record was signed meanwhile: put your changes into a new record.")
                if fresh.signed else "")

        self._runner.run_read(work, on_success=show, on_error=self._conflict_read_failed)

    def _conflict_read_failed(self, failure: TaskFailure) -> None:
        """Reading a colleague's save after a conflict failed: said where a failed read is."""
        self.load_error.setText(failure.message)
        self.load_error.show()

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def has_unsaved_input(self) -> bool:
        return self._dirty and self._case_id is not None

    def unsaved_description(self) -> str:
        number = self._page.detail.number if self._page is not None else ""
        return f"{number} {self.form_title.text()}".strip()

    def can_save_unsaved(self) -> bool:
        page, record = self._page, self._record
        return page is not None and page.may_write and not (record is not None and record.signed)

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        self._guarded_save.start(self.save, lambda: self._busy, done)

    def discard_unsaved(self) -> None:
        if self._record is not None:
            self._fill(self._record)
        else:
            self._start_new(self._kind)

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        first = next((w for _l, w, _e, kinds in self._rows.values() if self._kind in kinds), self.held_at)
        reveal(self, first)

    # ------------------------------------------------------------------ choosing and printing

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.model.row_at(current.row()) if current.isValid() else None
        if record is None or (self._record is not None and (record.kind, record.id) ==
                              (self._record.kind, self._record.id)):
            return
        if self._busy:
            # Not the user's choice: a save disables the form, the focus falls to the table and Qt
            # makes its first row current. The record being saved stays the one shown.
            if self._record is not None:
                self._select(self._record.kind, self._record.id)
            else:
                self._deselect()
            return
        if not self._may_leave():
            if self._record is not None:
                self._select(self._record.kind, self._record.id)
            else:
                self._deselect()
            return
        self._fill(record)

    def _activated(self, index: QModelIndex) -> None:
        self._current_changed(index, QModelIndex())
        first = next((w for _l, w, _e, kinds in self._rows.values() if self._kind in kinds and w.isEnabled()), None)
        if first is not None:
            first.setFocus()

    def print_preview(self) -> None:
        record, case_id, page = self._record, self._case_id, self._page
        if record is None or case_id is None:
            return
        title = self.tr("Investigation record") if record.kind == INVESTIGATION else self.tr("Mediation record")
        number = page.detail.number if page else ""
        self.preview = open_preview(self._runner, self._actor, self, case_id, DOCUMENT_KIND[record.kind],
                                    title=f"{number} {title} {format_time(record.held_at)}".strip(),
                                    document_id=record.id)


__all__ = ["RecordsModel", "RecordsTab"]
