"""人民调解协议书 / 口头协议登记表 of one case: drafted from the case, terms as rows, signed to take effect.

The agreement starts from the case (facts, the requests as disputed matters, one copy per party
plus one kept); the mediator writes each side's responsibility and the agreed terms — who owes,
to whom, what, how much (shown in Chinese capitals as it is typed), by when, where and how.
Saving goes through ``services.agreements.save``, whose message lands next to the term or field it
names while every cell keeps what was typed. Signing asks the day everyone signed; the agreement
then takes effect, the case becomes 调解成功 and the 30-day judicial-confirmation clock starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QRegularExpressionValidator, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
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
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import AgreementKind
from mediation_desk.readmodels.agreements import AgreementInfo
from mediation_desk.readmodels.amounts import MAX_AMOUNT, to_capitals
from mediation_desk.services import agreements, digits, pages
from mediation_desk.services.agreements import EDITABLE_STATES, AgreementInput, TermInput
from mediation_desk.services.dates import parse_day
from mediation_desk.services.errors import Conflict, InvalidInput, NotFound
from mediation_desk.services.pages import AgreementPage
from mediation_desk.services.textmerge import has_markers, keep_both, merge_regions
from mediation_desk.services.writers import LastWrite
from mediation_desk.ui.cases.tabs.parties_model import PartiesModel
from mediation_desk.ui.common.conflict_dialog import (
    MERGE_NOTE_STYLE,
    ConflictDialog,
    field_changes,
    merge_fields,
    open_conflict,
    reapply,
)
from mediation_desk.ui.common.date_field import DateField
from mediation_desk.ui.common.format import FINAL_COLOUR, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.pdf_preview import DocumentPreview, open_preview
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import GuardedSave, reveal
from mediation_desk.ui.common.widgets import OK_STYLE, error_label, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

ERROR_BACKGROUND = "#ffebee"
#: The deadlines a term may have (a message says so outside them).
EARLIEST_DUE, LATEST_DUE = date(2000, 1, 1), date(2099, 12, 31)
_TERM_FIELD = re.compile(r"terms\[(\d+)\]\.(\w+)")
#: What the amount cell lets through as typed: ASCII or full-width digits (see services.digits).
_AMOUNT = QRegularExpression(r"^[0-9０-９]{0,16}([.．][0-9０-９]{0,2})?$")
DOCUMENT_KIND = {AgreementKind.WRITTEN: "agreement", AgreementKind.ORAL: "oral-agreement"}


def capitals_text(amount: Decimal | None) -> str:
    """人民币壹万贰仟伍佰元整 — as the agreement prints the amount — or "" for none."""
    if amount is None:
        return ""
    try:
        return f"人民币{to_capitals(amount)}"
    except ValueError:
        return ""


def parse_amount(text: str) -> Decimal | None:
    """A typed amount (digits, an optional point and two decimals); None when empty or not one."""
    value = digits.amount_of(text)
    return value if value is not None and value <= MAX_AMOUNT else None


@dataclass
class TermRow:
    """One agreed term as the table edits it (the service's ``TermInput`` plus its message)."""

    def key(self) -> tuple[object, ...]:
        """What the term says (not its message): equal terms have equal keys."""
        return (self.obligor_party_id, self.obligee_party_id, self.content.strip(), self.amount, self.due_on,
                self.place.strip(), self.method.strip())

    obligor_party_id: int | None = None
    obligee_party_id: int | None = None
    content: str = ""
    amount: Decimal | None = None
    due_on: date | None = None
    place: str = ""
    method: str = ""
    #: The service's message about this term, and the column it concerns.
    error: str = ""
    error_column: int | None = field(default=None)
    #: A deadline as typed that could not be read (kept, never replaced by another day; the
    #: agreement cannot be saved until it is corrected).
    due_text: str = ""

    def to_input(self) -> TermInput:
        return TermInput(obligor_party_id=self.obligor_party_id, content=self.content, due_on=self.due_on,
                         amount=self.amount, obligee_party_id=self.obligee_party_id, place=self.place,
                         method=self.method)


class TermsModel(QAbstractTableModel):
    """The agreed terms, editable in place; a term the service refused is tinted with its message."""

    COL_OBLIGOR, COL_OBLIGEE, COL_CONTENT, COL_AMOUNT, COL_CAPITALS, COL_DUE, COL_PLACE, COL_METHOD = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("TermsModel", "Obligor"),
        QT_TRANSLATE_NOOP("TermsModel", "Obligee"),
        QT_TRANSLATE_NOOP("TermsModel", "What is to be done"),
        QT_TRANSLATE_NOOP("TermsModel", "Amount (yuan)"),
        QT_TRANSLATE_NOOP("TermsModel", "Amount in capitals"),
        QT_TRANSLATE_NOOP("TermsModel", "Due by"),
        QT_TRANSLATE_NOOP("TermsModel", "Place"),
        QT_TRANSLATE_NOOP("TermsModel", "Manner"),
    )
    #: The service's field name of a term → its column.
    FIELD_COLUMNS: ClassVar[dict[str, int]] = {"obligor": COL_OBLIGOR, "obligee": COL_OBLIGEE, "content": COL_CONTENT,
                     "amount": COL_AMOUNT, "due_on": COL_DUE, "place": COL_PLACE,
                     "method": COL_METHOD}
    #: The party id of an obligor/obligee cell.
    PartyIdRole = Qt.ItemDataRole.UserRole + 1

    #: A cell was edited by the user.
    edited = Signal()
    #: A deadline typed into a cell could not be read: the message (the text stays in the cell).
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[TermRow] = []
        self._parties: dict[int, str] = {}
        self.read_only = False

    # ------------------------------------------------------------------ contents

    def set_parties(self, parties: dict[int, str]) -> None:
        self._parties = dict(parties)
        if self._terms:
            self.dataChanged.emit(self.index(0, self.COL_OBLIGOR), self.index(len(self._terms) - 1, self.COL_OBLIGEE))

    @property
    def parties(self) -> dict[int, str]:
        return dict(self._parties)

    def set_terms(self, terms: list[TermRow]) -> None:
        self.beginResetModel()
        self._terms = [replace(t) for t in terms]
        self.endResetModel()

    @property
    def terms(self) -> list[TermRow]:
        return [replace(t) for t in self._terms]

    def term(self, row: int) -> TermRow:
        return replace(self._terms[row])

    def insert_term(self, row: int, term: TermRow | None = None) -> int:
        row = max(0, min(row, len(self._terms)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._terms.insert(row, term or TermRow())
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_term(self, row: int) -> None:
        if not 0 <= row < len(self._terms):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._terms[row]
        self.endRemoveRows()
        self.edited.emit()

    def move_term(self, row: int, delta: int) -> int:
        """Move a term up (-1) or down (+1); its new row."""
        target = row + delta
        if not (0 <= row < len(self._terms) and 0 <= target < len(self._terms)) or delta == 0:
            return row
        # beginMoveRows takes the row *before which* to move: one past the target when moving down.
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._terms.insert(target, self._terms.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return target

    def set_error(self, row: int, column: int | None, message: str) -> None:
        self.clear_errors()
        if 0 <= row < len(self._terms):
            self._terms[row].error = message
            self._terms[row].error_column = column
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

    def unreadable(self) -> int | None:
        """The first row whose deadline as typed could not be read."""
        return next((row for row, term in enumerate(self._terms) if term.due_text), None)

    def clear_errors(self) -> None:
        for row, term in enumerate(self._terms):
            if term.error and not term.due_text:
                term.error, term.error_column = "", None
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._terms)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._terms):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{section + 1} ⚠" if self._terms[section].error else str(section + 1)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._terms[section].error or None
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if not self.read_only and index.column() != self.COL_CAPITALS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._terms):
            return None
        column = index.column()
        if not 0 <= column < len(self.HEADERS):
            return None
        term = self._terms[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(term, column)
        if role == Qt.ItemDataRole.EditRole:
            if column == self.COL_DUE:
                return term.due_text or format_day(term.due_on)
            if column == self.COL_AMOUNT:
                return "" if term.amount is None else f"{term.amount:f}"
            return self._display(term, column)
        if role == self.PartyIdRole:
            if column == self.COL_OBLIGOR:
                return term.obligor_party_id
            if column == self.COL_OBLIGEE:
                return term.obligee_party_id
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if term.error and term.error_column in (None, column):
                return term.error
            return self._display(term, column) or None
        if role == Qt.ItemDataRole.BackgroundRole and term.error and term.error_column in (None, column):
            return QBrush(QColor(ERROR_BACKGROUND))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, term: TermRow, column: int) -> str:
        if column == self.COL_OBLIGOR:
            return self._parties.get(term.obligor_party_id or -1, "")
        if column == self.COL_OBLIGEE:
            return self._parties.get(term.obligee_party_id or -1, "")
        if column == self.COL_CONTENT:
            return term.content
        if column == self.COL_AMOUNT:
            return "" if term.amount is None else f"{term.amount:,.2f}"
        if column == self.COL_CAPITALS:
            return capitals_text(term.amount)
        if column == self.COL_DUE:
            return term.due_text or format_day(term.due_on)
        if column == self.COL_PLACE:
            return term.place
        if column == self.COL_METHOD:
            return term.method
        return ""

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.read_only or not 0 <= index.row() < len(self._terms):
            return False
        if role not in (Qt.ItemDataRole.EditRole, self.PartyIdRole):
            return False
        term = self._terms[index.row()]
        column = index.column()
        if column == self.COL_OBLIGOR:
            term.obligor_party_id = value if isinstance(value, int) and value in self._parties else None
        elif column == self.COL_OBLIGEE:
            term.obligee_party_id = value if isinstance(value, int) and value in self._parties else None
        elif column == self.COL_CONTENT:
            term.content = str(value or "")
        elif column == self.COL_AMOUNT:
            text = str(value or "").strip()
            amount = parse_amount(text)
            if text and amount is None:
                return False
            term.amount = amount
        elif column == self.COL_DUE:
            if isinstance(value, date) or value is None:
                term.due_on, term.due_text = value, ""
            elif isinstance(value, str):
                try:
                    term.due_on = parse_day(value, field=f"terms[{index.row()}].due_on",
                                            label=self.tr("Due by"), earliest=EARLIEST_DUE,
                                            latest=LATEST_DUE) if value.strip() else None
                    term.due_text = ""
                except InvalidInput as exc:
                    # Keep what was typed and say why; the old day is not kept in its place.
                    term.due_on, term.due_text = None, value
                    term.error, term.error_column = exc.message, column
                    self.headerDataChanged.emit(Qt.Orientation.Vertical, index.row(), index.row())
                    self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.HEADERS) - 1))
                    self.edited.emit()
                    self.refused.emit(self.tr("Term {number}: {message}").format(number=index.row() + 1,
                                                                                  message=exc.message))
                    return True
            else:
                return False
        elif column == self.COL_PLACE:
            term.place = str(value or "")
        elif column == self.COL_METHOD:
            term.method = str(value or "")
        else:
            return False
        if term.error and term.error_column in (None, column):
            term.error, term.error_column = "", None
            self.headerDataChanged.emit(Qt.Orientation.Vertical, index.row(), index.row())
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.HEADERS) - 1))
        last = self.COL_CAPITALS if column == self.COL_AMOUNT else column
        self.dataChanged.emit(self.index(index.row(), column), self.index(index.row(), last))
        self.edited.emit()
        return True


class TermsDelegate(QStyledItemDelegate):
    """Editors of the term cells: party combos, a date, an amount that shows its capitals as typed."""

    #: The amount being typed (text), for the capitals shown beside the table.
    amount_typed = Signal(str)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        model = index.model()
        column = index.column()
        if column in (TermsModel.COL_OBLIGOR, TermsModel.COL_OBLIGEE) and isinstance(model, TermsModel):
            combo = QComboBox(parent)
            combo.setObjectName("partyCombo")
            combo.addItem(self.tr("(choose)") if column == TermsModel.COL_OBLIGOR else self.tr("(none)"), None)
            for party_id, name in model.parties.items():
                combo.addItem(name, party_id)
            return combo
        if column == TermsModel.COL_DUE:
            editor = QLineEdit(parent)
            editor.setObjectName("dueEdit")
            editor.setPlaceholderText("2026-12-31")
            return editor
        if column == TermsModel.COL_AMOUNT:
            line = QLineEdit(parent)
            line.setObjectName("amountEdit")
            line.setValidator(QRegularExpressionValidator(_AMOUNT, line))
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
            line.textChanged.connect(self.amount_typed)
            return line
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(TermsModel.PartyIdRole))
            editor.setCurrentIndex(max(0, found))
        elif isinstance(editor, QLineEdit) and index.column() in (TermsModel.COL_AMOUNT, TermsModel.COL_DUE):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractTableModel,  # type: ignore[override]
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), TermsModel.PartyIdRole)
        elif isinstance(editor, QLineEdit) and index.column() in (TermsModel.COL_AMOUNT, TermsModel.COL_DUE):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class SigningDateDialog(QDialog):
    """Asks the day everyone signed (and the seal was put on): not after today."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Agreement signed"))
        today = today or date.today()
        self.date_edit = DateField("signedOnEdit", self.tr("Signing date"), earliest=EARLIEST_DUE, latest=today,
                                   latest_is_today=True)
        self.date_edit.set_value(today)
        text = QLabel(self.tr("The day all parties and the mediator signed and the committee's seal was put "
                              "on. The agreement takes effect that day and can no longer be changed; the "
                              "30 days for judicial confirmation start."))
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.date_edit)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.date_edit.check():  # an unreadable day keeps the dialog open with the message
            super().accept()

    @property
    def signed_on(self) -> date:
        value = self.date_edit.day()
        assert value is not None
        return value


def _text_box(name: str, lines: int) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


#: The agreement's free texts: merged passage by passage after a conflict.
_TEXTS = frozenset({"facts", "disputed_matters", "responsibilities"})


def _merge_terms(base: list[TermRow], theirs: list[TermRow], mine: list[TermRow]) -> tuple[list[TermRow], bool]:
    """Both sides' terms: where both changed the same stretch of the list, their terms then mine.
    Returns the terms and whether there was such a stretch."""
    rows = {t.key(): t for t in theirs} | {t.key(): t for t in mine}
    regions = merge_regions([t.key() for t in base], [t.key() for t in theirs], [t.key() for t in mine])
    merged = keep_both([t.key() for t in base], [t.key() for t in theirs], [t.key() for t in mine])
    return [replace(rows[key]) for key in merged], any(r.clash for r in regions)


#: 履行内容 is what the parties sign: never narrower than this (the table scrolls sideways instead).
CONTENT_MIN_WIDTH = 300


class TermsTable(QTableView):
    """The terms table: 履行内容 takes the room the other columns leave (at least
    CONTENT_MIN_WIDTH) and its rows grow to show the whole text, wrapped, so the mediator reads
    what is being signed (a stretched last-but-six column was squeezed to 40 px at 1366×768)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)

    def fit_content_column(self) -> None:
        header = self.horizontalHeader()
        if self._fitting or header.count() <= TermsModel.COL_CONTENT:
            return
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c != TermsModel.COL_CONTENT and not header.isSectionHidden(c))
        width = max(CONTENT_MIN_WIDTH, self.viewport().width() - others)
        if header.sectionSize(TermsModel.COL_CONTENT) != width:
            self._fitting = True
            try:
                header.resizeSection(TermsModel.COL_CONTENT, width)
            finally:
                self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != TermsModel.COL_CONTENT:
            self.fit_content_column()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_content_column()


class AgreementTab(LoadedPage[AgreementPage]):
    """Case-view tab: the case's mediation agreement (its page: ``services.pages.agreement_page``)."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent, error_name="agreementLoadError")
        self.setObjectName("agreementTab")
        self._actor = actor
        self._case_id: int | None = None
        self._agreement: AgreementInfo | None = None
        self._dirty = False
        self._busy = False
        self._filling = False
        self._deadline_message_shown = False
        #: Asks the signing date (None: cancelled); a seam so tests answer without a modal loop.
        self.ask_signing_date: Callable[[], date | None] = self._ask_signing_date
        #: Asks a yes/no question (title, text) → yes; a seam so tests answer without a modal loop.
        self.confirm: Callable[[str, str], bool] = self._ask
        #: Told the outcome of a save the unsaved-input guard asked for (``save_unsaved``).
        self._guarded_save = GuardedSave()
        self.preview: DocumentPreview | None = None
        #: The open conflict dialog (another desk saved the agreement being edited), if any.
        self.conflict_dialog: ConflictDialog | None = None

        # ---------------------------------------------------------------- no agreement yet
        self.none_panel = named(QFrame(), "noAgreementPanel")
        self.none_label = named(QLabel(), "noAgreementLabel")
        self.none_label.setWordWrap(True)
        self.draft_written_button = named(QPushButton(self.tr("Draft a written agreement")), "draftWritten")
        self.draft_oral_button = named(QPushButton(self.tr("Register an oral agreement")), "draftOral")
        none_layout = QHBoxLayout(self.none_panel)
        none_layout.addWidget(self.none_label, 1)
        none_layout.addWidget(self.draft_written_button)
        none_layout.addWidget(self.draft_oral_button)

        # ---------------------------------------------------------------- the agreement
        self.heading = named(QLabel(), "agreementHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.status_label = named(QLabel(), "agreementStatus")
        self.status_label.setWordWrap(True)
        self.kind_combo = named(QComboBox(), "kindCombo")
        self.kind_combo.addItem(self.tr("Written agreement (人民调解协议书)"), AgreementKind.WRITTEN.value)
        self.kind_combo.addItem(self.tr("Oral agreement registration (口头协议登记表)"), AgreementKind.ORAL.value)
        self.parties_model = PartiesModel(self)
        self.parties_table = named(QTableView(), "partiesTable")
        self.parties_table.setModel(self.parties_model)
        self.parties_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.parties_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.parties_table.verticalHeader().hide()
        self.parties_table.horizontalHeader().setStretchLastSection(True)
        self.parties_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.facts = _text_box("facts", 4)
        self.disputed = _text_box("disputedMatters", 2)
        self.responsibilities = _text_box("responsibilities", 3)
        self.responsibilities.setPlaceholderText(self.tr("Each side's responsibility as the parties accept it"))
        self.copies = named(QSpinBox(), "copies")
        self.copies.setRange(2, 99)
        self.copies.setSuffix(self.tr(" copies"))

        self.terms_model = TermsModel(self)
        self.terms_delegate = TermsDelegate(self)
        self.terms_table = named(TermsTable(), "termsTable")
        self.terms_table.setModel(self.terms_model)
        self.terms_table.setItemDelegate(self.terms_delegate)
        self.terms_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed
                                         | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.terms_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.terms_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.terms_table.setTabKeyNavigation(True)
        header = self.terms_table.horizontalHeader()
        for column, width in ((TermsModel.COL_OBLIGOR, 90), (TermsModel.COL_OBLIGEE, 90),
                              (TermsModel.COL_AMOUNT, 90), (TermsModel.COL_CAPITALS, 190),
                              (TermsModel.COL_DUE, 96), (TermsModel.COL_PLACE, 90), (TermsModel.COL_METHOD, 90)):
            header.resizeSection(column, width)
        self.terms_table.fit_content_column()
        self.terms_table.setMinimumHeight(180)
        self.add_term_button = named(QPushButton(self.tr("Add term")), "addTerm")
        self.add_term_button.setToolTip(self.tr("Add a term below the current one (Ctrl+N)"))
        self.remove_term_button = named(QPushButton(self.tr("Remove term")), "removeTerm")
        self.remove_term_button.setToolTip(self.tr("Remove the current term (Ctrl+Delete)"))
        self.up_button = named(QPushButton(self.tr("Move up")), "moveTermUp")
        self.up_button.setToolTip(self.tr("Move the current term up (Alt+Up)"))
        self.down_button = named(QPushButton(self.tr("Move down")), "moveTermDown")
        self.down_button.setToolTip(self.tr("Move the current term down (Alt+Down)"))
        self.capitals_label = named(QLabel(), "capitalsLabel")
        self.capitals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.terms_error = error_label("termsError")

        self.form_error = error_label("agreementError")
        #: After a merge with a colleague's save: what to check before saving.
        self.merge_note = named(QLabel(), "agreementMergeNote")
        self.merge_note.setWordWrap(True)
        self.merge_note.setStyleSheet(MERGE_NOTE_STYLE)
        self.merge_note.hide()
        self.saved_label = named(QLabel(), "agreementSaved")
        self.saved_label.setStyleSheet(OK_STYLE)
        self.saved_label.hide()
        self.save_button = named(QPushButton(self.tr("Save")), "saveAgreement")
        self.save_button.setToolTip(self.tr("Save the agreement (Ctrl+S)"))
        self.sign_button = named(QPushButton(self.tr("Signed…")), "signAgreement")
        self.sign_button.setToolTip(self.tr("Everyone signed: record the date it takes effect"))
        self.print_button = named(QPushButton(self.tr("Preview / print…")), "printAgreement")
        self.print_button.setToolTip(self.tr("Preview and print the saved agreement (Ctrl+P)"))

        self._errors: dict[str, QLabel] = {
            "facts": error_label("factsError"),
            "disputed_matters": error_label("disputedError"),
            "responsibilities": error_label("responsibilitiesError"),
            "copies": error_label("copiesError"),
            "kind": error_label("kindError"),
        }
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for name, text, widget in (
            ("kind", self.tr("Form"), self.kind_combo),
            ("facts", self.tr("Main facts"), self.facts),
            ("disputed_matters", self.tr("Disputed matters"), self.disputed),
            ("responsibilities", self.tr("Responsibilities"), self.responsibilities),
            ("copies", self.tr("Copies"), self.copies),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            row = grid.rowCount()
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, 1)
            grid.addWidget(self._errors[name], row + 1, 1)
        self.copies_hint = named(QLabel(), "copiesHint")
        self.copies_hint.setStyleSheet(f"color: {FINAL_COLOUR};")
        grid.addWidget(self.copies_hint, grid.rowCount(), 1)

        term_buttons = QHBoxLayout()
        term_buttons.addWidget(QLabel(self.tr("Agreed terms")))
        term_buttons.addStretch(1)
        for button in (self.add_term_button, self.remove_term_button, self.up_button, self.down_button):
            term_buttons.addWidget(button)
        actions = QHBoxLayout()
        actions.addWidget(self.saved_label, 1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.sign_button)
        actions.addWidget(self.save_button)

        self.editor = named(QFrame(), "agreementEditor")
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.addWidget(self.heading)
        editor_layout.addWidget(self.status_label)
        editor_layout.addWidget(self.merge_note)
        editor_layout.addWidget(QLabel(self.tr("Parties (from the case)")))
        editor_layout.addWidget(self.parties_table)
        editor_layout.addLayout(grid)
        editor_layout.addLayout(term_buttons)
        editor_layout.addWidget(self.terms_table, 1)
        editor_layout.addWidget(self.capitals_label)
        editor_layout.addWidget(self.terms_error)
        editor_layout.addWidget(self.form_error)
        editor_layout.addLayout(actions)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.editor)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.load_error)
        layout.addWidget(self.none_panel)
        layout.addWidget(scroll, 1)

        self.draft_written_button.clicked.connect(lambda: self.draft(AgreementKind.WRITTEN))
        self.draft_oral_button.clicked.connect(lambda: self.draft(AgreementKind.ORAL))
        self.add_term_button.clicked.connect(self.add_term)
        self.remove_term_button.clicked.connect(self.remove_term)
        self.up_button.clicked.connect(lambda: self.move_term(-1))
        self.down_button.clicked.connect(lambda: self.move_term(1))
        self.save_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self.sign)
        self.print_button.clicked.connect(self.print_preview)
        self.terms_model.edited.connect(self._edited)
        self.terms_model.refused.connect(self._deadline_refused)
        self.terms_delegate.amount_typed.connect(self._show_capitals)
        self.terms_table.selectionModel().currentChanged.connect(self._current_term_changed)
        for widget in (self.facts, self.disputed, self.responsibilities):
            widget.textChanged.connect(self._edited)
        self.copies.valueChanged.connect(self._edited)
        self.kind_combo.currentIndexChanged.connect(self._edited)
        for keys, slot in ((QKeySequence("Ctrl+N"), self.add_term),
                           (QKeySequence("Ctrl+Delete"), self.remove_term),
                           (QKeySequence("Alt+Up"), lambda: self.move_term(-1)),
                           (QKeySequence("Alt+Down"), lambda: self.move_term(1)),
                           (QKeySequence.StandardKey.Save, self.save),
                           (QKeySequence.StandardKey.Print, self.print_preview)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.none_panel.hide()
        self.scroll_area.hide()

    # ------------------------------------------------------------------ loading

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def agreement(self) -> AgreementInfo | None:
        return self._agreement

    @property
    def dirty(self) -> bool:
        return self._dirty

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self._case_id = case_id
            self.forget()
            self._agreement = None
            self._dirty = False
        self.reload()

    def can_load(self) -> bool:
        return self._case_id is not None

    def reader(self) -> Callable[[Session], AgreementPage]:
        actor, case_id = self._actor, self._case_id
        assert case_id is not None

        def load(session: Session) -> AgreementPage:
            return pages.agreement_page(session, actor, case_id)

        return load

    def concerns(self, changes: Changes) -> bool:
        return self._case_id is not None and changes.touches_case(self._case_id)

    def show_page(self, page: AgreementPage) -> None:
        """Show the page just read; an agreement with unsaved edits keeps them (only its signing
        state follows the page)."""
        self.parties_model.set_rows(page.detail.parties)
        self.parties_table.setFixedHeight(self.parties_table.horizontalHeader().sizeHint().height()
                                          + self.parties_table.verticalHeader().defaultSectionSize()
                                          * max(1, len(page.detail.parties)) + 4)
        self.terms_model.set_parties({p.id: p.name for p in page.detail.parties})
        minimum = len(page.detail.parties) + 1
        self.copies_hint.setText(self.tr("At least {n}: one for each party and one kept by the committee.")
                                 .format(n=minimum))
        current = self._agreement
        chosen = next((a for a in page.agreements if current is not None and a.id == current.id), None)
        if chosen is None and page.agreements:
            chosen = page.agreements[-1]
        if chosen is None:
            self._agreement = None
            self.scroll_area.hide()
            self.none_panel.show()
            if page.may_write:
                self.none_label.setText(self.tr("No agreement yet. Draft one from the case when the parties agree."))
            elif page.detail.state in EDITABLE_STATES:
                self.none_label.setText(self.tr("No agreement yet. The mediators of the case's team draft it."))
            else:
                self.none_label.setText(self.tr("No agreement: agreements are drafted while the case is in "
                                                "mediation."))
            self.draft_written_button.setVisible(page.may_write)
            self.draft_oral_button.setVisible(page.may_write)
            return
        self.none_panel.hide()
        self.scroll_area.show()
        if not self._dirty or current is None or current.id != chosen.id:
            self._fill(chosen)
        else:
            self._agreement = replace(current, signed_on=chosen.signed_on, effective_on=chosen.effective_on) \
                if chosen.signed else current
        self._show_status()
        self._update_enabled()

    def _fill(self, info: AgreementInfo) -> None:
        self._agreement = info
        page = self._page
        self._filling = True
        try:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(info.kind.value)))
            self.facts.setPlainText(info.facts)
            self.disputed.setPlainText(info.disputed_matters)
            self.responsibilities.setPlainText(info.responsibilities)
            minimum = len(page.detail.parties) + 1 if page else 2
            self.copies.setMinimum(min(minimum, info.copies))
            self.copies.setValue(info.copies)
            self.terms_model.set_terms([
                TermRow(t.obligor_party_id, t.obligee_party_id, t.content, t.amount, t.due_on, t.place, t.method)
                for t in info.terms])
        finally:
            self._filling = False
        self._dirty = False
        self._clear_messages()
        self._show_capitals_of_current()
        self._show_status()
        self._update_enabled()

    def _show_status(self) -> None:
        info, page = self._agreement, self._page
        if info is None or page is None:
            return
        kind = self.tr("Written agreement") if info.kind is AgreementKind.WRITTEN else \
            self.tr("Oral agreement registration")
        self.heading.setText(f"{page.detail.number} · {kind}")
        if info.signed_on is None:
            self.status_label.setText(self.tr("Draft: it takes effect when everyone has signed."))
            self.status_label.setStyleSheet("")
            return
        text = self.tr("Signed on {signed}, in effect from {effective}; it can no longer be changed.").format(
            signed=format_day(info.signed_on), effective=format_day(info.effective_on))
        clock = page.clock
        if clock is not None and clock.stage.value == "judicial_confirmation":
            text += " " + self.tr("Judicial confirmation must be applied for by {due} ({days} days left).").format(
                due=format_day(clock.due_on), days=clock.remaining)
        self.status_label.setText(text)
        self.status_label.setStyleSheet(OK_STYLE)

    # ------------------------------------------------------------------ editing

    def _editable(self) -> bool:
        page, info = self._page, self._agreement
        return page is not None and page.may_write and info is not None and not info.signed

    def _update_enabled(self) -> None:
        editable = self._editable()
        for box in (self.facts, self.disputed, self.responsibilities):
            box.setReadOnly(not editable)
        self.kind_combo.setEnabled(editable)
        self.copies.setEnabled(editable)
        self.terms_model.read_only = not editable
        row = self.terms_table.currentIndex().row()
        count = self.terms_model.rowCount()
        self.add_term_button.setEnabled(editable)
        self.remove_term_button.setEnabled(editable and 0 <= row < count)
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and 0 <= row < count - 1)
        self.save_button.setEnabled(editable and not self._busy)
        self.sign_button.setEnabled(editable and not self._busy)
        self.print_button.setEnabled(self._agreement is not None)

    def _edited(self, *_args: object) -> None:
        if self._filling:
            return
        self._dirty = True
        self.saved_label.hide()
        if self._deadline_message_shown and self.terms_model.unreadable() is None:
            self._deadline_message_shown = False
            self.terms_error.hide()  # the deadline was corrected
        self._update_enabled()

    def add_term(self) -> None:
        if not self._editable():
            return
        current = self.terms_table.currentIndex()
        row = self.terms_model.insert_term(current.row() + 1 if current.isValid() else self.terms_model.rowCount())
        index = self.terms_model.index(row, TermsModel.COL_OBLIGOR)
        self.terms_table.setCurrentIndex(index)
        self.terms_table.setFocus()
        self._update_enabled()

    def remove_term(self) -> None:
        current = self.terms_table.currentIndex()
        if not self._editable() or not current.isValid():
            return
        self.terms_model.remove_term(current.row())
        self._update_enabled()

    def move_term(self, delta: int) -> None:
        current = self.terms_table.currentIndex()
        if not self._editable() or not current.isValid():
            return
        row = self.terms_model.move_term(current.row(), delta)
        self.terms_table.setCurrentIndex(self.terms_model.index(row, current.column()))
        self._update_enabled()

    def _current_term_changed(self, *_args: object) -> None:
        self._show_capitals_of_current()
        self._update_enabled()

    def _show_capitals_of_current(self) -> None:
        current = self.terms_table.currentIndex()
        amount = self.terms_model.term(current.row()).amount if current.isValid() else None
        self._set_capitals(amount)

    def _show_capitals(self, text: str) -> None:
        self._set_capitals(parse_amount(text))

    def _set_capitals(self, amount: Decimal | None) -> None:
        capitals = capitals_text(amount)
        self.capitals_label.setText(self.tr("In capitals: {capitals}").format(capitals=capitals) if capitals else "")

    def _input(self) -> AgreementInput:
        kind = AgreementKind(self.kind_combo.currentData())  # kept as the value: Qt turns enums into text
        return AgreementInput(kind=kind, facts=self.facts.toPlainText(), disputed_matters=self.disputed.toPlainText(),
                              responsibilities=self.responsibilities.toPlainText(), copies=self.copies.value(),
                              terms=[t.to_input() for t in self.terms_model.terms])

    # ------------------------------------------------------------------ writing

    def draft(self, kind: AgreementKind) -> None:
        case_id, page = self._case_id, self._page
        if case_id is None or page is None or not page.may_write or self._busy:
            return
        actor, seen = self._actor, len(page.agreements)  # 0: no agreement yet, as far as this form knows

        def work(session: Session) -> AgreementInfo:
            return agreements.draft(session, actor, case_id, kind, expected_count=seen)

        def done(info: AgreementInfo) -> None:
            self._busy = False
            self._agreement = info
            self.changed.emit()

        self._busy = True
        self.load_error.hide()
        self._runner.run_write(work, on_success=done, on_error=self._draft_failed)

    def _draft_failed(self, failure: TaskFailure) -> None:
        self._busy = False
        if isinstance(failure.error, Conflict):
            # Another desk drafted meanwhile: show its agreement (nothing was typed here yet), then why.
            message = failure.message

            def explain() -> None:
                self.loaded.disconnect(explain)
                self.load_error.setText(message)
                self.load_error.show()

            self.loaded.connect(explain)
            self.reload()
            return
        self.load_error.setText(failure.message)
        self.load_error.show()

    def save(self) -> None:
        self._write(sign_on=None)

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def has_unsaved_input(self) -> bool:
        return self._dirty and self._agreement is not None

    def unsaved_description(self) -> str:
        number = self._page.detail.number if self._page is not None else ""
        info = self._agreement
        kind = self.tr("Written agreement") if info is None or info.kind is AgreementKind.WRITTEN else \
            self.tr("Oral agreement registration")
        return f"{number} {kind}".strip()

    def can_save_unsaved(self) -> bool:
        return self._editable()

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        self._guarded_save.start(self.save, lambda: self._busy, done)

    def discard_unsaved(self) -> None:
        if self._agreement is not None:
            self._fill(self._agreement)
        self._dirty = False

    def keep_draft(self) -> bool:
        return False

    def reveal_unsaved(self) -> None:
        reveal(self, self.facts)

    def sign(self) -> None:
        if not self._editable() or self._busy:
            return
        signed_on = self.ask_signing_date()
        if signed_on is None:
            return
        self._write(sign_on=signed_on)

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _may_save_markers(self) -> bool:
        """A text still holding the markers of a merge is saved only when the user says so."""
        for label, box in ((self.tr("Main facts"), self.facts), (self.tr("Disputed matters"), self.disputed),
                           (self.tr("Responsibilities"), self.responsibilities)):
            if not has_markers(box.toPlainText()):
                continue
            if self.confirm(self.tr("Merge markers left"), self.tr(
                    "“{field}” still holds the 【】 markers of the merge with your colleague's save. Save it with "
                    "the markers? Choose No to combine the two passages and delete the markers first.").format(
                    field=label)):
                return True
            box.setFocus()
            self.scroll_area.ensureWidgetVisible(box)
            return False
        return True

    def _write(self, *, sign_on: date | None) -> None:
        info, case_id = self._agreement, self._case_id
        if info is None or case_id is None or not self._editable() or self._busy:
            return
        if not self._may_save_markers():
            return
        self.terms_table.setFocus()  # commits a cell still being edited
        self.terms_table.closePersistentEditor(self.terms_table.currentIndex())
        unreadable = self.terms_model.unreadable()
        if unreadable is not None:  # a deadline as typed cannot be read: nothing is saved
            term = self.terms_model.term(unreadable)
            self._deadline_refused(self.tr("Term {number}: {message}").format(number=unreadable + 1,
                                                                              message=term.error))
            self.terms_table.setCurrentIndex(self.terms_model.index(unreadable, TermsModel.COL_DUE))
            self.terms_table.setFocus()
            return
        data, actor, version, dirty = self._input(), self._actor, info.version, self._dirty

        def work(session: Session) -> AgreementInfo:
            saved = agreements.save(session, actor, info.id, data, expected_version=version) if (
                dirty or sign_on is None) else info
            if sign_on is not None:
                # The parties signed the text on screen: the version just saved, or the one loaded.
                return agreements.sign(session, actor, info.id, signed_on=sign_on, expected_version=saved.version)
            return saved

        def done(saved: AgreementInfo) -> None:
            self._busy = False
            self._fill(saved)
            self.saved_label.setText(self.tr("Signed: the agreement is in effect.") if saved.signed
                                     else self.tr("Saved."))
            self.saved_label.show()
            self.changed.emit()
            self._guarded_save.finish(True)  # last: the guard may now open another case

        self._busy = True
        self._clear_messages()
        self._update_enabled()
        self._runner.run_write(work, on_success=done, on_error=self._write_failed)

    def _deadline_refused(self, message: str) -> None:
        self._deadline_message_shown = True
        self.saved_label.hide()
        self.terms_error.setText(message)
        self.terms_error.show()
        self.scroll_area.ensureWidgetVisible(self.terms_error)

    def _write_failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self._guarded_save.finish(False)  # the guard stays; the message below shows why
        if isinstance(failure.error, Conflict) and self._agreement is not None:
            self.form_error.setText(failure.message)
            self.form_error.show()
            self._update_enabled()
            self._resolve_conflict(self._agreement, self._input())
            return
        name = failure.field or ""
        match = _TERM_FIELD.fullmatch(name)
        if match:
            row = int(match.group(1))
            column = TermsModel.FIELD_COLUMNS.get(match.group(2))
            self.terms_model.set_error(row, column, failure.message)
            self.terms_table.setCurrentIndex(self.terms_model.index(row, column if column is not None else 0))
            self.terms_error.setText(failure.message)
            self.terms_error.show()
            self.terms_table.setFocus()
        elif name == "terms":
            self.terms_error.setText(failure.message)
            self.terms_error.show()
        elif name in self._errors:
            self._errors[name].setText(failure.message)
            self._errors[name].show()
        else:
            self.form_error.setText(failure.message)
            self.form_error.show()
        self._update_enabled()

    def _conflict_values(self, kind: AgreementKind, facts: str, disputed: str, responsibilities: str, copies: int,
                         terms: list[TermRow]) -> dict[str, object]:
        names = self.terms_model.parties
        lines = tuple(
            f"{i}. {names.get(t.obligor_party_id or 0, '')} → {names.get(t.obligee_party_id or 0, '')}：{t.content}；"
            f"{'' if t.amount is None else f'{t.amount:,.2f}'}；{t.due_on or ''}；{t.place}；{t.method}"
            for i, t in enumerate(terms, 1))
        return {"kind": enum_text(kind), "facts": facts, "disputed_matters": disputed,
                "responsibilities": responsibilities, "copies": copies, "terms": lines}

    def _resolve_conflict(self, base: AgreementInfo, data: AgreementInput) -> None:
        """Someone saved this agreement first: read theirs and who saved it, show all, merge, reload or
        re-apply mine."""
        case_id, actor = base.case_id, self._actor
        my_terms = list(self.terms_model.terms)

        def work(session: Session) -> tuple[AgreementPage, LastWrite | None]:
            page = pages.agreement_page(session, actor, case_id)
            try:
                writer: LastWrite | None = agreements.last_write(session, base.id)
            except NotFound:
                writer = None
            return page, writer

        def rows(info: AgreementInfo) -> list[TermRow]:
            return [TermRow(t.obligor_party_id, t.obligee_party_id, t.content, t.amount, t.due_on, t.place, t.method)
                    for t in info.terms]

        def values(info: AgreementInfo) -> dict[str, object]:
            return self._conflict_values(info.kind, info.facts, info.disputed_matters, info.responsibilities,
                                         info.copies, rows(info))

        mine = self._conflict_values(data.kind, data.facts, data.disputed_matters, data.responsibilities,
                                     data.copies, my_terms)

        def show(result: tuple[AgreementPage, LastWrite | None]) -> None:
            page, writer = result
            who, at = (writer.who, writer.at) if writer is not None else ("", None)
            fresh = next((a for a in page.agreements if a.id == base.id), None)
            if fresh is None or page.detail.id != self._case_id or self._agreement is not base:
                return
            labels = {"kind": self.tr("Form"), "facts": self.tr("Main facts"),
                      "disputed_matters": self.tr("Disputed matters"),
                      "responsibilities": self.tr("Responsibilities"), "copies": self.tr("Copies"),
                      "terms": self.tr("Agreed terms")}
            theirs = values(fresh)

            def chosen(result: int) -> None:
                self.conflict_dialog = None
                if result == ConflictDialog.RELOAD:
                    self._page = page
                    self._fill(fresh)
                elif result == ConflictDialog.REAPPLY:
                    merged = reapply(values(base), theirs, mine)
                    self._page = page
                    self._fill(fresh)  # their version, with its new version number
                    if merged["kind"] != theirs["kind"]:
                        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(data.kind.value)))
                    self.facts.setPlainText(str(merged["facts"]))
                    self.disputed.setPlainText(str(merged["disputed_matters"]))
                    self.responsibilities.setPlainText(str(merged["responsibilities"]))
                    self.copies.setValue(int(str(merged["copies"])))
                    if merged["terms"] != theirs["terms"]:
                        self.terms_model.set_terms(my_terms)
                    self._dirty = True
                    self.save()
                elif result == ConflictDialog.MERGE:
                    both = merge_fields(values(base), theirs, mine, texts=_TEXTS, who=who, at=at)
                    self._page = page
                    self._fill(fresh)  # their version, with its new version number
                    if both.values["kind"] != theirs["kind"]:
                        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(data.kind.value)))
                    self.facts.setPlainText(str(both.values["facts"]))
                    self.disputed.setPlainText(str(both.values["disputed_matters"]))
                    self.responsibilities.setPlainText(str(both.values["responsibilities"]))
                    self.copies.setValue(int(str(both.values["copies"])))
                    terms_clash = False
                    if mine["terms"] != values(base)["terms"]:
                        merged_terms, terms_clash = _merge_terms(rows(base), rows(fresh), my_terms)
                        self.terms_model.set_terms(merged_terms)
                    self._dirty = True
                    self._update_enabled()
                    self._show_merged(both.marked, terms_clash, who or self.tr("your colleague"))

            writable = not fresh.signed and page.may_write
            self.conflict_dialog = open_conflict(
                self, self.heading.text(), field_changes(labels, values(base), theirs, mine), chosen,
                can_reapply=writable, can_merge=writable, who=who, at=at)

        self._runner.run_read(work, on_success=show, on_error=self._conflict_read_failed)

    def _conflict_read_failed(self, failure: TaskFailure) -> None:
        """Reading a colleague's save after a conflict failed: said where a failed read is."""
        self.load_error.setText(failure.message)
        self.load_error.show()

    def _show_merged(self, marked: tuple[str, ...], terms_clash: bool, who: str) -> None:
        """The merge is in the form, unsaved: say so, and put the cursor on the first marked passage."""
        boxes = {"facts": self.facts, "disputed_matters": self.disputed, "responsibilities": self.responsibilities}
        names = {"facts": self.tr("Main facts"), "disputed_matters": self.tr("Disputed matters"),
                 "responsibilities": self.tr("Responsibilities")}
        places = [names[name] for name in marked]
        if terms_clash:
            places.append(self.tr("Agreed terms"))
        if places:
            self.merge_note.setText(self.tr(
                "Your changes and {who}'s are both in the form, not yet saved. Where you both changed the same "
                "passage ({fields}), both are kept (texts between 【】 markers, terms one after the other): "
                "combine them, then save.").format(who=who, fields="、".join(places)))
        else:
            self.merge_note.setText(self.tr(
                "Your changes and {who}'s are both in the form, not yet saved: check them, then save.").format(
                who=who))
        self.merge_note.show()
        if marked:
            box = boxes[marked[0]]
            cursor = box.textCursor()
            cursor.setPosition(max(0, box.toPlainText().find("【")))
            box.setTextCursor(cursor)
            box.setFocus()
            self.scroll_area.ensureWidgetVisible(box)
        elif terms_clash:
            self.terms_table.setFocus()
        else:
            self.save_button.setFocus()

    def _clear_messages(self) -> None:
        self.merge_note.hide()
        for label in self._errors.values():
            label.hide()
        self.terms_error.hide()
        self.form_error.hide()
        self.terms_model.clear_errors()

    def _ask_signing_date(self) -> date | None:
        dialog = SigningDateDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.signed_on

    # ------------------------------------------------------------------ printing

    def print_preview(self) -> None:
        info, case_id = self._agreement, self._case_id
        if info is None or case_id is None:
            return
        kind = DOCUMENT_KIND[info.kind]
        title = self.tr("Mediation agreement") if info.kind is AgreementKind.WRITTEN else \
            self.tr("Oral agreement registration")
        self.preview = open_preview(self._runner, self._actor, self, case_id, kind,
                                    title=f"{info.number} {title}", document_id=info.id)


__all__ = ["AgreementTab", "SigningDateDialog", "TermRow", "TermsDelegate", "TermsModel", "capitals_text",
           "parse_amount"]
