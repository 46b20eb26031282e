"""The registration form (受理登记) of the intake window.

What the clerk fills in, top to bottom: the dispute (source, type, risk and its flags, title,
people and amount involved, place), the parties (any number; see :mod:`.intake_party`), then the
facts and the numbered requests, then the documents (see :mod:`.scan_documents`: Ctrl+B scans,
Ctrl+O imports files, F2 opens a document's page editor). The whole form works from the
keyboard: Tab and Enter move through the fields in the order they are seen (Enter never submits),
Ctrl+P adds a party, Ctrl+S saves, Ctrl+Shift+S saves and asks for the receipt; Esc does nothing at
all, so it loses nothing.

Messages sit under the field they are about (see :mod:`.intake_fields` for when fields are
checked). Saving checks every field again, makes each document's PDF on a worker (progress and
Cancel beside the save buttons), then runs ``cases.register_case`` and ``attachments.add_document``
for every document in one write: the case and its papers are saved together or not at all. A
refusal names a field (``parties[1].phone``) and the message goes next to that field, which gets
the focus. Nothing typed or scanned is ever cleared by a failed save.

While the clerk types, the form keeps a draft on disk (``services.drafts``) every few seconds, so a
crash or a killed desk loses at most those seconds; the next start offers the draft back. Scanned
pages are kept beside the draft as image files (:mod:`.scan_store`), so the documents come back too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import settings
from mediation_desk.models import IdDocumentType, PartyRole, RiskLevel, SourceChannel
from mediation_desk.services import attachments, drafts, intake, phrases, reference
from mediation_desk.services.attachments import Registered
from mediation_desk.services.cases import CaseInput
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import reveal
from mediation_desk.ui.common.widgets import ERROR_STYLE, HINT_COLOUR, OK_STYLE, ImeLineEdit, named, tinted
from mediation_desk.ui.counter.rating_dialog import RatingDialog
from mediation_desk.ui.intake.fields import (
    FieldBox,
    NumberedLinesEdit,
    combo_enum,
    compact_combo,
    parse_amount,
    parse_people,
)
from mediation_desk.ui.intake.idcard import IdCardReader
from mediation_desk.ui.intake.party import PartyForm, party_field, take_prepared_party_form
from mediation_desk.ui.scanning.documents import EDIT_KEYS, IMPORT_KEYS, SCAN_KEYS, DocumentsBox, PreparedDocument
from mediation_desk.ui.scanning.jobs import ProgressPanel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.drafts import Draft
    from mediation_desk.services.intake import GroupSignal, PersonCase
    from mediation_desk.services.reference import Choice

#: Version of the form's state inside a draft (``restore`` reads older ones). 2: documents.
STATE_VERSION = 2
ADD_PARTY_KEYS = "Ctrl+P"
SAVE_KEYS = "Ctrl+S"
SAVE_PRINT_KEYS = "Ctrl+Shift+S"
#: From any field to the first of the next part of the form (the next party, the facts …).
NEXT_SECTION_KEYS = "Ctrl+Return"
TEXT_LINES = 5
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _shortcut_text(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


class IntakeForm(QWidget):
    """Registers a dispute with its parties."""

    #: After "save and print": the new case's id (the main window renders the receipt).
    receipt_requested = Signal(int)
    #: The clerk wants to see a case (the one just registered, or one in a party's history).
    open_case_requested = Signal(int)
    #: A case was registered: a :class:`Registered`.
    registered = Signal(object)
    #: The clerk began a new registration (the empty form was first changed): the counter's
    #: second screen shows the matter (ui/counter/screen.py).
    registration_started = Signal()
    #: The registration was saved: the :class:`Registered` and the case's title (the second
    #: screen asks the citizen for the 好差评).
    registration_finished = Signal(object, str)

    #: How often a changed form is written to its draft.
    AUTOSAVE_MS = 3000
    #: How long a removed party can be brought back.
    UNDO_MS = 15000

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeForm")
        self._runner = runner
        self._actor = actor
        self.parties: list[PartyForm] = []
        self._removed: tuple[int, PartyForm] | None = None
        self._dispute_types: list[Choice] | None = None
        self._wanted_type: tuple[int | None, str] | None = None
        self._dirty = False
        self._quiet = False
        self._saving = False
        self._offer: Draft | None = None
        #: The question before the offered draft is deleted, while it is open.
        self.confirm_box: QMessageBox | None = None
        self._focus_before_save: QWidget | None = None
        self._blank_state: dict[str, Any] = {}
        self.last_registered: Registered | None = None
        self._saving_title = ""
        #: Party forms built ahead while the clerk types, so emptying the form after a save only
        #: swaps them in (building one takes tens of milliseconds): one at each pause in the typing
        #: (:attr:`SPARE_PAUSE_MS` without an edit), never right after a keystroke.
        self._spares: list[PartyForm] = []
        self._spares_timer = QTimer(self)
        self._spares_timer.setSingleShot(True)
        self._spares_timer.setInterval(self.SPARE_PAUSE_MS)
        self._spares_timer.timeout.connect(self._build_spare)
        #: The channel a new registration starts with: the one this desk used last.
        self._default_source = self._remembered_source()

        self._build_bars()
        self._build_case_box()
        self._build_parties_box()
        self._build_text_box()
        self.documents_box = DocumentsBox(runner, actor, lambda: self.parties)
        self.documents_box.changed.connect(self._mark_dirty)
        self.id_cards = IdCardReader(runner, self.documents_box, self)
        self.documents_box.identity_added.connect(self._card_added)
        self._build_buttons()

        self.page = named(QWidget(), "intakePage")
        page_layout = QVBoxLayout(self.page)
        page_layout.addWidget(self.case_box)
        page_layout.addWidget(self.parties_box)
        page_layout.addWidget(self.text_box)
        page_layout.addWidget(self.documents_box)
        page_layout.addStretch(1)
        self.scroll_area = named(QScrollArea(), "intakeScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.offer_bar)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.scroll_area, 1)
        layout.addStretch(0)  # takes the room while the form is hidden behind a draft offer
        layout.addLayout(self.button_row)

        self._shortcut(ADD_PARTY_KEYS, self.add_party_from_keyboard)
        self._shortcut(SAVE_KEYS, lambda: self.save(print_receipt=False))
        self._shortcut(SAVE_PRINT_KEYS, lambda: self.save(print_receipt=True))
        self._shortcut(SCAN_KEYS, self._scan)
        self._shortcut(IMPORT_KEYS, self._import_files)
        self._shortcut(EDIT_KEYS, self._edit_document)
        self._connect_case_fields()

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(self.AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.undo_timer = QTimer(self)
        self.undo_timer.setSingleShot(True)
        self.undo_timer.setInterval(self.UNDO_MS)
        self.undo_timer.timeout.connect(self._forget_removed)

        self.reset()
        self._load_dispute_types()

    # ------------------------------------------------------------------ building

    def _build_bars(self) -> None:
        self.offer_bar = named(QFrame(), "draftOffer")
        self.offer_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.offer_bar.setStyleSheet("#draftOffer { background-color: #fff8e1; }")
        self.offer_label = named(QLabel(), "draftOfferText")
        self.offer_label.setWordWrap(True)
        self.restore_button = named(QPushButton(self.tr("Restore the draft")), "restoreDraft")
        self.discard_button = named(QPushButton(self.tr("Discard it")), "discardDraft")
        for button in (self.restore_button, self.discard_button):
            button.setAutoDefault(True)
        self.restore_button.clicked.connect(self.restore_offered_draft)
        self.discard_button.clicked.connect(self.ask_discard_offered_draft)
        offer_layout = QHBoxLayout(self.offer_bar)
        offer_layout.addWidget(self.offer_label, 1)
        offer_layout.addWidget(self.restore_button)
        offer_layout.addWidget(self.discard_button)
        self.offer_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.offer_bar.hide()

        self.result_bar = named(QFrame(), "registeredBar")
        self.result_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.result_label = named(QLabel(), "registeredNumber")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.result_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.result_label.setFont(big)
        self.result_label.setStyleSheet(OK_STYLE)
        self.repeat_label = named(QLabel(), "registeredRepeat")
        self.repeat_label.setStyleSheet(ERROR_STYLE)
        self.repeat_label.setWordWrap(True)
        self.open_case_button = named(QPushButton(self.tr("&Open the case")), "openRegistered")
        self.open_case_button.setAutoDefault(True)
        self.open_case_button.clicked.connect(self._open_registered)
        #: 录入评价: a rating the citizen gave on paper or by phone (ui/counter/rating_dialog.py).
        self.rate_button = named(QPushButton(self.tr("Record a rating…")), "rateRegistered")
        self.rate_button.setAutoDefault(True)
        self.rate_button.clicked.connect(self.open_rating_dialog)
        self.rating_dialog: RatingDialog | None = None
        result_layout = QHBoxLayout(self.result_bar)
        result_layout.addWidget(self.result_label)
        result_layout.addWidget(self.repeat_label, 1)
        result_layout.addWidget(self.open_case_button)
        result_layout.addWidget(self.rate_button)
        self.result_bar.hide()

    def _build_case_box(self) -> None:
        self.case_box = named(QGroupBox(self.tr("Dispute")), "caseBox")
        self.source = compact_combo(named(QComboBox(), "sourceChannel"))
        for channel in SourceChannel:
            self.source.addItem(enum_text(channel), channel)
        self.dispute_type = compact_combo(named(QComboBox(), "disputeType"))
        self.risk = compact_combo(named(QComboBox(), "riskLevel"), 3)
        for level in RiskLevel:
            self.risk.addItem(enum_text(level), level)
        self.group_flag = named(QCheckBox(self.tr("Group dispute")), "groupDispute")
        self.criminal_flag = named(QCheckBox(self.tr("May turn criminal")), "mayTurnCriminal")
        self.title = named(ImeLineEdit(), "caseTitle")
        self.title.setMaxLength(200)
        self.title.setPlaceholderText(self.tr("e.g. wages owed by a construction company"))
        self.people = named(ImeLineEdit(), "peopleInvolved")
        self.amount = named(ImeLineEdit(), "amountInvolved")
        self.address = named(ImeLineEdit(), "caseAddress")
        self.village = named(ImeLineEdit(), "caseVillage")
        self.grid_name = named(ImeLineEdit(), "caseGrid")

        self.source_box = FieldBox(self.tr("Source"), self.source)
        self.dispute_type_box = FieldBox(self.tr("Dispute type"), self.dispute_type,
                                         required=lambda: self.tr("Choose the dispute type."))
        self.risk_box = FieldBox(self.tr("Risk level"), self.risk)
        flags = QWidget()
        flags_layout = QVBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        flags_layout.setSpacing(2)
        flags_layout.addWidget(QLabel(self.tr("Risk flags")))
        row = QHBoxLayout()
        row.addWidget(self.group_flag)
        row.addWidget(self.criminal_flag)
        row.addStretch(1)
        flags_layout.addLayout(row)
        flags_layout.addStretch(1)
        self.title_box = FieldBox(self.tr("Title (a short name of the dispute)"), self.title,
                                  required=lambda: self.tr("Enter a short title of the dispute."))
        self.people_box = FieldBox(self.tr("People involved"), self.people, check=parse_people)
        self.amount_box = FieldBox(self.tr("Amount involved (yuan)"), self.amount, check=parse_amount)
        self.address_box = FieldBox(self.tr("Place (address)"), self.address)
        self.village_box = FieldBox(self.tr("Village or community"), self.village)
        self.grid_box = FieldBox(self.tr("Grid"), self.grid_name)

        grid = QGridLayout(self.case_box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for column in range(6):
            grid.setColumnStretch(column, 1)
        # The type is chosen at every registration; the source is the one this desk used last.
        grid.addWidget(self.dispute_type_box, 0, 0)
        grid.addWidget(self.source_box, 0, 1)
        grid.addWidget(self.risk_box, 0, 2)
        grid.addWidget(flags, 0, 3, 1, 3)
        # The title is written once the parties are known: it sits with the facts (its suggestion
        # is built from the parties and the type).
        grid.addWidget(self.address_box, 1, 0, 1, 2)
        grid.addWidget(self.village_box, 1, 2)
        grid.addWidget(self.grid_box, 1, 3)
        grid.addWidget(self.people_box, 1, 4)
        grid.addWidget(self.amount_box, 1, 5)

    def _build_parties_box(self) -> None:
        self.parties_box = named(QGroupBox(self.tr("Parties")), "partiesBox")
        self.parties_error = named(QLabel(), "partiesError")
        self.parties_error.setStyleSheet(ERROR_STYLE)
        self.parties_error.setWordWrap(True)
        self.parties_error.hide()
        self.parties_layout = QVBoxLayout()
        self.parties_layout.setSpacing(6)
        self.undo_bar = named(QFrame(), "undoBar")
        self.undo_label = named(QLabel(), "undoText")
        self.undo_button = named(QPushButton(self.tr("Undo removal")), "undoRemoval")
        self.undo_button.setAutoDefault(True)
        self.undo_button.clicked.connect(self.undo_removal)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        undo_layout.addWidget(self.undo_label)
        undo_layout.addWidget(self.undo_button)
        undo_layout.addStretch(1)
        self.undo_bar.hide()
        self.add_party_button = named(
            QPushButton(self.tr("Add a party ({keys})").format(keys=_shortcut_text(ADD_PARTY_KEYS))), "addParty")
        self.add_party_button.setAutoDefault(True)
        self.add_party_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a row button: Ctrl+P
        self.add_party_button.setToolTip(self.tr("Adds another applicant, respondent or third party"))
        self.add_party_button.clicked.connect(self.add_party_from_keyboard)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_party_button)
        add_row.addStretch(1)
        layout = QVBoxLayout(self.parties_box)
        layout.addWidget(self.parties_error)
        layout.addLayout(self.parties_layout)
        layout.addWidget(self.undo_bar)
        layout.addLayout(add_row)

    def _build_text_box(self) -> None:
        self.text_box = named(QGroupBox(self.tr("Facts and requests")), "textBox")
        self.facts = named(QPlainTextEdit(), "caseFacts")
        self.facts.setTabChangesFocus(True)
        self.requests = named(NumberedLinesEdit(), "caseRequests")
        height = self.fontMetrics().lineSpacing() * TEXT_LINES + 14
        for edit in (self.facts, self.requests):
            edit.setFixedHeight(height)
        self.requests.setPlaceholderText(self.tr("One request per line"))
        self.facts_box = FieldBox(self.tr("Brief account of the dispute"), self.facts)
        self.requests_box = FieldBox(self.tr("Requests of the applicant (one per line)"), self.requests)
        #: The stock phrases of the chosen dispute type under each text (Alt+1 … inserts one).
        self.facts_phrases = named(QLabel(), "factsPhrases")
        self.requests_phrases = named(QLabel(), "requestsPhrases")
        for label in (self.facts_phrases, self.requests_phrases):
            label.setWordWrap(True)
            tinted(label, HINT_COLOUR)
            label.hide()
        layout = QVBoxLayout(self.text_box)
        layout.addWidget(self.title_box)
        row = QHBoxLayout()
        for box, label, stretch in ((self.facts_box, self.facts_phrases, 3),
                                    (self.requests_box, self.requests_phrases, 2)):
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(box)
            column.addWidget(label)
            row.addLayout(column, stretch)
        layout.addLayout(row)

    def _build_buttons(self) -> None:
        self.message_label = named(QLabel(), "formMessage")
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setWordWrap(True)
        self.draft_label = named(QLabel(), "draftStatus")
        tinted(self.draft_label, HINT_COLOUR)
        #: The form's keys, for a clerk new to it.
        self.keys_label = named(QLabel(self.tr("Enter or Tab: next field · {section}: next part · {party}: add a "
                                               "party").format(section=_shortcut_text(NEXT_SECTION_KEYS),
                                                               party=_shortcut_text(ADD_PARTY_KEYS))),
                                "formKeys")
        tinted(self.keys_label, HINT_COLOUR)
        # It shares the row with the messages and never widens the window (cut short if need be).
        self.keys_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.save_button = named(QPushButton(self.tr("Save ({keys})").format(keys=_shortcut_text(SAVE_KEYS))),
                                 "saveCase")
        self.save_print_button = named(QPushButton(self.tr("Save and print the receipt ({keys})").format(
            keys=_shortcut_text(SAVE_PRINT_KEYS))), "saveAndPrint")
        for button in (self.save_button, self.save_print_button):
            button.setAutoDefault(True)
        self.save_button.clicked.connect(lambda: self.save(print_receipt=False))
        self.save_print_button.clicked.connect(lambda: self.save(print_receipt=True))
        # Outside the page, which is disabled while saving: Cancel must stay usable.
        self.save_progress = ProgressPanel("saveProgress")
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.keys_label, 1)
        self.button_row.addWidget(self.message_label, 1)
        self.button_row.addWidget(self.save_progress, 1)
        self.button_row.addWidget(self.draft_label)
        self.button_row.addWidget(self.save_button)
        self.button_row.addWidget(self.save_print_button)

    def _shortcut(self, keys: str, slot: Any) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _connect_case_fields(self) -> None:
        for edit in (self.title, self.people, self.amount, self.address, self.village, self.grid_name):
            edit.textChanged.connect(self._mark_dirty)
        for combo in (self.source, self.dispute_type, self.risk):
            combo.currentIndexChanged.connect(self._mark_dirty)
        for check in (self.group_flag, self.criminal_flag):
            check.toggled.connect(self._mark_dirty)
        for text_edit in (self.facts, self.requests):
            text_edit.textChanged.connect(self._mark_dirty)
        for widget in [*self._case_widgets(), *self._text_widgets()]:
            widget.installEventFilter(self)
        self.dispute_type.currentIndexChanged.connect(self._dispute_type_changed)

    def _case_widgets(self) -> list[QWidget]:
        return [self.dispute_type, self.source, self.risk, self.group_flag, self.criminal_flag,
                self.address, self.village, self.grid_name, self.people, self.amount]

    def _text_widgets(self) -> list[QWidget]:
        return [self.title, self.facts, self.requests]

    # ------------------------------------------------------------------ keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter moves to the next field (Shift+Enter back); in the two text areas Enter is a new
        line and Ctrl+Enter moves on. Elsewhere Ctrl+Enter goes to the next part of the form
        (:meth:`next_section`). The fields never submit the form.

        Going forward, Tab and Enter pass over a party's role and kind (the form sets the role,
        and the kind follows the name or the credit code) straight to its name; Shift+Tab from the
        name reaches them."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QWidget):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if (modifiers == Qt.KeyboardModifier.AltModifier and watched in (self.facts, self.requests)
                    and Qt.Key.Key_1.value <= event.key() <= Qt.Key.Key_9.value):
                self.insert_phrase(watched, event.key() - Qt.Key.Key_1.value)
                return True  # never the digit itself: Alt+number is the phrase's key, offered or not
            if (watched is self.title and event.key() in _ENTER_KEYS
                    and modifiers == Qt.KeyboardModifier.NoModifier):
                self.take_title_suggestion()
            if event.key() == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier:
                self._move_on(watched)
                return True
            if event.key() not in _ENTER_KEYS:
                return super().eventFilter(watched, event)
            if isinstance(watched, QPlainTextEdit):
                if modifiers == Qt.KeyboardModifier.ControlModifier:
                    self._move_on(watched)  # leaves the text area (Enter is a new line there)
                    return True
                return False
            if modifiers == Qt.KeyboardModifier.ControlModifier:
                self.next_section(watched)
                return True
            if modifiers == Qt.KeyboardModifier.NoModifier:
                self._move_on(watched)
                return True
            if modifiers == Qt.KeyboardModifier.ShiftModifier:
                watched.focusNextPrevChild(False)
                return True
        return super().eventFilter(watched, event)

    def sections(self) -> list[list[QWidget]]:
        """The parts of the form in order, each a list of its widgets (the first is where
        Ctrl+Enter puts the cursor): the dispute, each party, the facts and requests, the documents."""
        parts: list[list[QWidget]] = [self._case_widgets()]
        parts += [[party.name, *party.focus_order()] for party in self.parties]
        parts.append(self._text_widgets())
        parts.append([w for w in self.documents_box.focus_order() if w.isVisibleTo(self)])
        return parts

    def next_section(self, widget: QWidget | None = None) -> None:
        """Ctrl+Enter: the first field of the next part of the form (from the dispute to the
        first party's name, from a party to the next one's, from the last to the facts)."""
        widget = widget or QApplication.focusWidget()
        parts = self.sections()
        here = next((i for i, part in enumerate(parts) if any(w is widget or w.isAncestorOf(widget)
                                                              for w in part)), -1) if widget is not None else -1
        if here + 1 < len(parts) and parts[here + 1]:
            self._focus(parts[here + 1][0])

    def _move_on(self, widget: QWidget) -> None:
        """The next field in the tab chain, a party's role and kind passed over from outside."""
        widget.focusNextPrevChild(True)
        arrived = QApplication.focusWidget()
        for party in self.parties:
            if arrived is party.role_combo and widget is not party.kind_combo:
                party.name.setFocus(Qt.FocusReason.TabFocusReason)
                return
            # From the name straight to the number: nearly every party shows a resident ID (the
            # default); another document is chosen with Shift+Tab from the number.
            if (arrived is party.id_type and widget is party.name
                    and party.id_document() is IdDocumentType.RESIDENT_ID):
                party.id_number.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def focus_order(self) -> list[QWidget]:
        """Every focusable widget of the form in the order it is seen."""
        order: list[QWidget] = [self.restore_button, self.discard_button, self.open_case_button]
        order += self._case_widgets()
        for party in self.parties:
            order += party.focus_order()
        order += [self.undo_button, self.add_party_button, *self._text_widgets()]
        order += self.documents_box.focus_order()
        order += [self.save_progress.cancel_button, self.save_button, self.save_print_button]
        return order

    def _update_tab_order(self) -> None:
        for first, second in pairwise(self.focus_order()):
            QWidget.setTabOrder(first, second)

    def focus_first_field(self) -> None:
        self.dispute_type.setFocus(Qt.FocusReason.OtherFocusReason)

    def _card_added(self, party: object, images: list[tuple[str, bytes]]) -> None:
        """An ID card scanned or imported for a party with nothing typed yet fills the party."""
        if not isinstance(party, PartyForm) or party not in self.parties or not party.is_person():
            return
        if party.name.text().strip() or party.id_number.text().strip():
            return  # typed already: the card is kept as a document, the clerk's fields stay
        self.id_cards.read_images(party, images)

    # ------------------------------------------------------------------ title and stock phrases

    def title_suggestion(self) -> str:
        """张三等与某某公司劳动争议, from the parties and the type as they stand (empty until known)."""
        type_name = self.dispute_type.currentText() if self.dispute_type_id() is not None else ""
        return phrases.suggested_title([p.name.text() for p in self.parties if p.role() is PartyRole.APPLICANT],
                                       [p.name.text() for p in self.parties if p.role() is PartyRole.RESPONDENT],
                                       type_name)

    def _update_title_suggestion(self, *_args: object) -> None:
        suggestion = self.title_suggestion()
        if suggestion:
            self.title.setPlaceholderText(self.tr("{title} (Enter takes it)").format(title=suggestion))
        else:
            self.title.setPlaceholderText(self.tr("e.g. wages owed by a construction company"))

    def take_title_suggestion(self) -> bool:
        """Enter in the empty title: the suggestion is its text (an ordinary text, edited as any)."""
        suggestion = self.title_suggestion()
        if self.title.text().strip() or not suggestion:
            return False
        self.title.setText(suggestion)
        self.title_box.validate()
        return True

    def stock_phrases(self) -> phrases.Phrases:
        type_name = self.dispute_type.currentText() if self.dispute_type_id() is not None else ""
        return phrases.phrases_for(type_name)

    def _dispute_type_changed(self, *_args: object) -> None:
        self._update_title_suggestion()
        offered = self.stock_phrases() if self.dispute_type_id() is not None else None
        for label, entries in ((self.facts_phrases, offered.facts if offered else ()),
                               (self.requests_phrases, offered.requests if offered else ())):
            label.setText(self.tr("Stock phrases: ") + "　".join(
                f"Alt+{number}\u00a0{text}" for number, text in enumerate(entries, start=1)))
            label.setVisible(bool(entries))

    def insert_phrase(self, edit: QPlainTextEdit, index: int) -> bool:
        """Alt+1 … Alt+9: the stock phrase at the cursor of the facts, or as a request of its own line."""
        offered = self.stock_phrases()
        entries = offered.facts if edit is self.facts else offered.requests
        if self.dispute_type_id() is None or not 0 <= index < len(entries):
            return False
        cursor = edit.textCursor()
        if edit is self.requests:
            cursor.movePosition(cursor.MoveOperation.EndOfBlock)
            if cursor.block().text().strip():
                cursor.insertText("\n")
        cursor.insertText(entries[index])
        edit.setTextCursor(cursor)
        return True

    # ------------------------------------------------------------------ dispute types

    def _load_dispute_types(self) -> None:
        def work(session: Session) -> list[Choice]:
            return reference.dispute_types(session)

        self._runner.run_read(work, on_success=self._set_dispute_types, on_error=self._show_general_failure)

    def _set_dispute_types(self, types: list[Choice]) -> None:
        self._dispute_types = types
        quiet, self._quiet = self._quiet, True
        try:
            self.dispute_type.clear()
            self.dispute_type.addItem(self.tr("Choose…"), None)
            for choice in types:
                self.dispute_type.addItem(choice.name, choice.id)
            if self._wanted_type is not None:
                self._select_dispute_type(*self._wanted_type)
        finally:
            self._quiet = quiet

    def _select_dispute_type(self, type_id: int | None, name: str) -> None:
        """By id when the name still matches (the same database), else by name (a draft made on
        another database); else the placeholder."""
        if self._dispute_types is None:
            self._wanted_type = (type_id, name)
            return
        self._wanted_type = None
        index = self.dispute_type.findData(type_id) if type_id is not None else -1
        if index < 0 or (name and self.dispute_type.itemText(index) != name):
            index = self.dispute_type.findText(name) if name else -1
        self.dispute_type.setCurrentIndex(max(index, 0))

    def dispute_type_id(self) -> int | None:
        value = self.dispute_type.currentData()
        return value if isinstance(value, int) else None

    # ------------------------------------------------------------------ parties

    def add_party(self, role: PartyRole | None = None, *, index: int | None = None,
                  party: PartyForm | None = None) -> PartyForm:
        """Add a party form (a new one, or one taken back from removal) at ``index``."""
        if party is None:
            party = self._spares.pop() if self._spares else (take_prepared_party_form() or PartyForm())
            if role is not None:
                party.role_combo.setCurrentIndex(party.role_combo.findData(role))
            party.changed.connect(self._mark_dirty)
            party.changed.connect(self.documents_box.parties_changed)
            party.remove_requested.connect(self.remove_party)
            party.person_key_changed.connect(self._look_up_person)
            party.respondent_key_changed.connect(self._check_group)
            party.case_link_activated.connect(self.open_case_requested)
            party.layout_changed.connect(self._update_tab_order)
            party.field_completed.connect(self._move_on)
            party.changed.connect(self._update_title_suggestion)
            self.id_cards.attach(party)
            for widget in party.focus_order():
                widget.installEventFilter(self)
        position = len(self.parties) if index is None else max(0, min(index, len(self.parties)))
        self.parties.insert(position, party)
        self.parties_layout.insertWidget(position, party)
        party.show()
        self._parties_changed()
        return party

    def add_party_from_keyboard(self) -> None:
        """Ctrl+P: another applicant after the last one (or the respondent if there is none yet),
        with the focus in its name field."""
        if self._offer is not None or self._saving:
            return
        roles = [p.role() for p in self.parties]
        role = PartyRole.APPLICANT
        if PartyRole.APPLICANT in roles and PartyRole.RESPONDENT not in roles:
            role = PartyRole.RESPONDENT
        after = [i for i, r in enumerate(roles) if r is role]
        party = self.add_party(role, index=after[-1] + 1 if after else None)
        self._reveal(party)
        party.name.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def remove_party(self, party: PartyForm) -> None:
        """Take a party off the form; it can be brought back for a while (:meth:`undo_removal`)."""
        if party not in self.parties:
            return
        self._forget_removed()
        index = self.parties.index(party)
        self.parties.remove(party)
        self.parties_layout.removeWidget(party)
        party.hide()
        for handle in (party.lookup, party.group_lookup):
            if handle is not None:
                handle.cancel()
        self._removed = (index, party)
        name = party.name.text().strip()
        text = (self.tr("Party {number} ({name}) was removed.").format(number=index + 1, name=name) if name
                else self.tr("Party {number} was removed.").format(number=index + 1))
        self.undo_label.setText(text)
        self.undo_bar.show()
        self.undo_timer.start()
        self._parties_changed()
        self.undo_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def undo_removal(self) -> None:
        if self._removed is None:
            return
        index, party = self._removed
        self._removed = None
        self.undo_timer.stop()
        self.undo_bar.hide()
        self.add_party(index=index, party=party)
        if party.person_key() is not None:
            party.last_person_key = None
            self._look_up_person(party)
        party.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_removed(self) -> None:
        removed, self._removed = self._removed, None
        self.undo_timer.stop()
        if self.undo_button.hasFocus():
            self.add_party_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.undo_bar.hide()
        if removed is not None:
            self.documents_box.forget_party(removed[1])
            removed[1].deleteLater()

    def _parties_changed(self) -> None:
        self._update_title_suggestion()
        for number, party in enumerate(self.parties, start=1):
            party.set_number(number)
        self.documents_box.parties_changed()
        self.parties_error.hide()
        self._update_tab_order()
        self._mark_dirty()

    def _clear_parties(self) -> None:
        self._forget_removed()
        for party in self.parties:
            for handle in (party.lookup, party.group_lookup):
                if handle is not None:
                    handle.cancel()
            self.parties_layout.removeWidget(party)
            party.hide()
            self.documents_box.forget_party(party)
            party.deleteLater()
        self.parties = []

    # ------------------------------------------------------------------ who is this, and crowds

    def _look_up_person(self, party: PartyForm) -> None:
        key = party.person_key()
        if key == party.last_person_key:
            return
        party.last_person_key = key
        if party.lookup is not None:
            party.lookup.cancel()
        if key is None:
            party.show_history([])
            return
        number, name, phone = key

        centers = (self._actor.center_ids or frozenset({self._actor.center_id})) \
            if self._actor.center_id is not None else None

        def work(session: Session) -> list[PersonCase]:
            return intake.person_cases(session, id_number=number, name=name, phone=phone, centers=centers)

        def found(cases_found: list[PersonCase]) -> None:
            if party in self.parties and party.last_person_key == key:
                party.show_history(cases_found)

        party.lookup = self._runner.run_read(work, on_success=found, on_error=self._show_general_failure)

    def _check_group(self, party: PartyForm) -> None:
        key = party.respondent_key()
        if key == party.last_respondent_key:
            return
        party.last_respondent_key = key
        if party.group_lookup is not None:
            party.group_lookup.cancel()
        if key is None:
            party.show_group_signal(None)
            return
        name, number, code = key

        def work(session: Session) -> GroupSignal:
            return intake.group_signal(session, respondent_name=name, respondent_id=number,
                                       respondent_credit_code=code)

        def found(signal: GroupSignal) -> None:
            if party in self.parties and party.last_respondent_key == key:
                party.show_group_signal(signal)

        party.group_lookup = self._runner.run_read(work, on_success=found, on_error=self._show_general_failure)

    # ------------------------------------------------------------------ checking

    def validate(self) -> list[QWidget]:
        """Check every field, show every message; returns the widgets with a problem, top first."""
        problems: list[QWidget] = []
        for box in (self.dispute_type_box, self.title_box, self.people_box, self.amount_box):
            if not box.validate():
                problems.append(box.editor)
        if not any(p.role() is PartyRole.APPLICANT for p in self.parties):
            self.parties_error.setText(self.tr("At least one party must be an applicant."))
            self.parties_error.show()
            problems.append(self.parties[0].role_combo if self.parties else self.add_party_button)
        else:
            self.parties_error.hide()
        for party in self.parties:
            problems += [box.editor for box in party.validate()]
        return problems

    def _clear_messages(self) -> None:
        self.message_label.clear()
        self.parties_error.hide()

    def case_input(self) -> CaseInput:
        """The registration as the service takes it (run :meth:`validate` first)."""

        def parsed(box: FieldBox) -> object:
            _message, value = box.problem(box.text())
            return value

        people = parsed(self.people_box)
        amount = parsed(self.amount_box)
        return CaseInput(
            title=self.title.text(),
            dispute_type_id=self.dispute_type_id() or 0,
            parties=[party.to_input() for party in self.parties],
            source_channel=combo_enum(self.source, SourceChannel) or SourceChannel.VISIT,
            risk_level=combo_enum(self.risk, RiskLevel) or RiskLevel.BLUE,
            is_group_dispute=self.group_flag.isChecked(),
            may_turn_criminal=self.criminal_flag.isChecked(),
            people_involved=people if isinstance(people, int) else 0,
            amount_involved=amount if isinstance(amount, Decimal) else None,
            address=self.address.text(),
            village=self.village.text(),
            grid=self.grid_name.text(),
            facts=self.facts.toPlainText(),
            requests=self.requests.lines(),
        )

    def field_widget(self, field: str) -> tuple[QWidget, FieldBox | None] | None:
        """The widget a service's ``InvalidInput.field`` is about, and its box if it has one."""
        boxes = {"title": self.title_box, "dispute_type": self.dispute_type_box, "people_involved": self.people_box,
                 "amount_involved": self.amount_box, "address": self.address_box, "village": self.village_box,
                 "grid": self.grid_box, "facts": self.facts_box, "requests": self.requests_box}
        if field in boxes:
            return boxes[field].editor, boxes[field]
        if field == "parties":
            return (self.parties[0].role_combo if self.parties else self.add_party_button), None
        located = party_field(field)
        if located is not None and located[0] < len(self.parties):
            party = self.parties[located[0]]
            box = party.widget_for(located[1])
            if box is not None:
                return box.editor, box
            return party.role_combo, None
        return None

    # ------------------------------------------------------------------ saving

    def save(self, *, print_receipt: bool = False) -> None:
        """Check everything, then register the case on the write lane."""
        if self._saving or self._offer is not None:
            return
        self._clear_messages()
        if self.documents_box.busy:
            self.message_label.setText(self.tr("A scan or an import is still running: wait for it to finish (or "
                                               "cancel it), then save."))
            return
        problems = self.validate()
        if problems:
            self.message_label.setText(self.tr("Correct the fields marked in red ({count}); the first one has "
                                               "the cursor.").format(count=len(problems)))
            self._focus(problems[0])
            return
        data = self.case_input()
        self._set_saving(True)
        if not self.documents_box.documents:
            self._write(data, [], print_receipt)
            return
        # The PDFs first, on a worker: the write transaction then only inserts rows.
        self.documents_box.assemble(self.save_progress,
                                    on_success=lambda prepared: self._write(data, prepared, print_receipt),
                                    on_error=self._save_failed)

    def _write(self, data: CaseInput, prepared: list[PreparedDocument], print_receipt: bool) -> None:
        """The case and every document in one transaction: all of it is saved, or none."""
        actor = self._actor
        self._saving_title = data.title

        def work(session: Session) -> Registered:
            return attachments.register_with_documents(session, actor, data, prepared)

        self._runner.run_write(work, on_success=lambda result: self._saved(result, print_receipt),
                               on_error=self._save_failed)

    def _set_saving(self, saving: bool) -> None:
        # Nothing can be typed while the write runs: a success empties the form, and what was
        # typed meanwhile would go with it.
        if saving:
            self._focus_before_save = QApplication.focusWidget()
            self.documents_box.begin_saving()
        self._saving = saving
        self.page.setEnabled(not saving)
        self.save_button.setEnabled(not saving)
        self.save_print_button.setEnabled(not saving)
        if saving:
            self.message_label.setStyleSheet("")
            self.message_label.setText(self.tr("Saving…"))
        else:
            self.message_label.setStyleSheet(ERROR_STYLE)

    def _saved(self, result: Registered, print_receipt: bool) -> None:
        data_source = combo_enum(self.source, SourceChannel)
        self._set_saving(False)
        self.message_label.clear()
        # The case is saved; a draft that could not be removed is offered once more at most.
        with contextlib.suppress(OSError):
            drafts.discard_draft(self._actor.username)
        self.documents_box.discard_pages()
        self.reset()
        self.documents_box.end_saving()  # files the watched folder brought meanwhile: the next visitor's
        self.last_registered = result
        text = self.tr("Registered: {number}").format(number=result.number)
        if result.documents:
            text += " " + self.tr("(with %Ln document(s))", "", result.documents)
        self.result_label.setText(text)
        self.repeat_label.setText(self.tr("Repeat visit: linked to the open case {number}.").format(
            number=result.repeat_of) if result.repeat_of else "")
        self.result_bar.show()
        # Clean for the next visitor: at the top, no status of the old registration's draft.
        self.draft_label.clear()
        self.message_label.clear()
        self.scroll_area.verticalScrollBar().setValue(0)
        self._remember_source(data_source)
        self.registered.emit(result)
        self.registration_finished.emit(result, self._saving_title)
        if print_receipt:
            self.receipt_requested.emit(result.case_id)
        self.focus_first_field()

    def _save_failed(self, failure: TaskFailure) -> None:
        self._set_saving(False)
        self.documents_box.end_saving()
        self.message_label.clear()
        located = self.field_widget(failure.field) if failure.field else None
        if located is None:
            self.message_label.setText(failure.message)
            previous = self._focus_before_save
            if previous is not None and self.isAncestorOf(previous):
                previous.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        widget, box = located
        if box is not None:
            box.show_error(failure.message)
        elif failure.field == "parties":
            self.parties_error.setText(failure.message)
            self.parties_error.show()
        else:
            self.message_label.setText(failure.message)
        self._focus(widget)

    # ------------------------------------------------------------------ documents

    def _documents_open(self) -> bool:
        if self._saving or self._offer is not None:
            return False
        self._reveal(self.documents_box)
        return True

    def _scan(self) -> None:
        """Ctrl+B from anywhere in the form."""
        if self._documents_open():
            self.documents_box.scan()

    def _import_files(self) -> None:
        """Ctrl+O from anywhere in the form."""
        if self._documents_open():
            self.documents_box.choose_files()

    def _edit_document(self) -> None:
        """F2: the page editor of the chosen document (the first if none is chosen)."""
        box = self.documents_box
        if not box.documents or not self._documents_open():
            return
        if box.current_row() < 0:
            box.select(0)
        box.edit()

    def _show_general_failure(self, failure: TaskFailure) -> None:
        self.message_label.setText(failure.message)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self._reveal(widget)

    def _reveal(self, widget: QWidget) -> None:
        # Now and once the layout has placed messages that just appeared.
        parent = widget.parentWidget()
        target = parent if isinstance(parent, FieldBox) else widget
        self.scroll_area.ensureWidgetVisible(target)
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(target))

    def open_rating_dialog(self) -> None:
        """录入评价 for the case just registered."""
        if self.last_registered is None:
            return
        self.rating_dialog = RatingDialog(self._runner, self._actor, self.last_registered.case_id,
                                          self.last_registered.number, self)
        self.rating_dialog.open()

    def _open_registered(self) -> None:
        if self.last_registered is not None:
            self.open_case_requested.emit(self.last_registered.case_id)

    # ------------------------------------------------------------------ state

    def reset(self) -> None:
        """An empty form: one applicant and one respondent."""
        self._quiet = True
        try:
            self.source.setCurrentIndex(self.source.findData(self._default_source))
            self.dispute_type.setCurrentIndex(0)
            self.risk.setCurrentIndex(self.risk.findData(RiskLevel.BLUE))
            for check in (self.group_flag, self.criminal_flag):
                check.setChecked(False)
            for edit in (self.title, self.people, self.amount, self.address, self.village, self.grid_name):
                edit.clear()
            self.facts.clear()
            self.requests.clear()
            for box in (self.dispute_type_box, self.title_box, self.people_box, self.amount_box):
                box.reset()
            self._clear_parties()
            self.add_party(PartyRole.APPLICANT)
            self.add_party(PartyRole.RESPONDENT)
            self.documents_box.clear()
        finally:
            self._quiet = False
        self._clear_messages()
        self._dirty = False
        self._blank_state = self.state()

    @staticmethod
    def _remembered_source() -> SourceChannel:
        try:
            value = settings.DeskFile.load().get(settings.INTAKE_SOURCE)
        except (OSError, ValueError):
            return SourceChannel.VISIT  # an unreadable settings file: the usual default
        try:
            return SourceChannel(value)
        except ValueError:
            return SourceChannel.VISIT

    def _remember_source(self, source: SourceChannel | None) -> None:
        """The next registration starts with this channel (kept in the desk's settings)."""
        if source is None or source is self._default_source:
            return
        self._default_source = source
        self.source.setCurrentIndex(self.source.findData(source))
        self._blank_state = self.state()
        with contextlib.suppress(OSError):  # else remembered for this session only
            settings.update_desk({settings.INTAKE_SOURCE: str(source)})

    def state(self) -> dict[str, Any]:
        """The whole form exactly as typed (invalid values included), for the draft."""
        type_id = self.dispute_type_id()
        return {
            "version": STATE_VERSION,
            "source_channel": str(combo_enum(self.source, SourceChannel)),
            "dispute_type_id": type_id,
            "dispute_type_name": self.dispute_type.currentText() if type_id is not None else "",
            "risk_level": str(combo_enum(self.risk, RiskLevel)),
            "is_group_dispute": self.group_flag.isChecked(),
            "may_turn_criminal": self.criminal_flag.isChecked(),
            "title": self.title.text(),
            "people_involved": self.people.text(),
            "amount_involved": self.amount.text(),
            "address": self.address.text(),
            "village": self.village.text(),
            "grid": self.grid_name.text(),
            "facts": self.facts.toPlainText(),
            "requests": self.requests.toPlainText(),
            "parties": [party.state() for party in self.parties],
            "documents": self.documents_box.state(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put a saved state back, exactly; what it does not know keeps its default."""

        def text(key: str) -> str:
            value = state.get(key, "")
            return value if isinstance(value, str) else ""

        def choose(combo: QComboBox, value: str) -> None:
            index = next((i for i in range(combo.count()) if str(combo.itemData(i)) == value), -1)
            if index >= 0:
                combo.setCurrentIndex(index)

        self.reset()
        self._quiet = True
        try:
            choose(self.source, text("source_channel"))
            choose(self.risk, text("risk_level"))
            type_id = state.get("dispute_type_id")
            self._select_dispute_type(type_id if isinstance(type_id, int) else None, text("dispute_type_name"))
            self.group_flag.setChecked(bool(state.get("is_group_dispute")))
            self.criminal_flag.setChecked(bool(state.get("may_turn_criminal")))
            for edit, key in ((self.title, "title"), (self.people, "people_involved"),
                              (self.amount, "amount_involved"), (self.address, "address"),
                              (self.village, "village"), (self.grid_name, "grid")):
                edit.setText(text(key))
            self.facts.setPlainText(text("facts"))
            self.requests.setPlainText(text("requests"))
            parties = state.get("parties")
            if isinstance(parties, list):
                self._clear_parties()
                for party_state in parties:
                    if isinstance(party_state, dict):
                        self.add_party().restore(party_state)
                self._update_tab_order()
            self.documents_box.restore(state.get("documents"))
        finally:
            self._quiet = False
        self.result_bar.hide()
        for party in self.parties:
            party.recheck_keys()

    def _mark_dirty(self, *_args: object) -> None:
        if not self._quiet:
            if not self._dirty:
                self.registration_started.emit()
            self._dirty = True
            if len(self._spares) < self.SPARES:
                # The clerk started a registration: the next one's party forms are built meanwhile,
                # each once the typing pauses (every edit puts it off again).
                self._spares_timer.start()

    #: Party forms kept ready: an empty form has an applicant and a respondent.
    SPARES = 2
    #: How long the clerk's typing pauses before a spare party form is built (~15–25 ms of the GUI
    #: thread): a keystroke is never followed by one, and typing the next letters of a type-ahead
    #: (``l`` then ``d``, up to a second apart) rarely is.
    SPARE_PAUSE_MS = 1200

    def _build_spare(self) -> None:
        if len(self._spares) < self.SPARES:
            spare = PartyForm(self.page)
            spare.hide()
            self._spares.append(spare)
        if len(self._spares) < self.SPARES:
            self._spares_timer.start()

    @property
    def dirty(self) -> bool:
        return self._dirty

    # ------------------------------------------------------------------ drafts

    def autosave(self) -> Draft | None:
        """Write the draft if something changed since the last one (the timer calls this)."""
        if not self._dirty or self._offer is not None or self._saving:
            return None
        return self.save_draft_now()

    def save_draft_now(self) -> Draft | None:
        state = self.state()
        self._dirty = False
        username = self._actor.username
        try:
            if state == self._blank_state:
                drafts.discard_draft(username)  # emptied by hand: nothing worth offering back
                self.documents_box.discard_pages()
                self.draft_label.clear()
                return None
            draft = drafts.save_draft(username, state)
        except OSError as exc:
            self._dirty = True  # try again at the next tick
            self.draft_label.setText(self.tr("The draft could not be saved: {error}").format(error=exc.strerror))
            return None
        self.draft_label.setText(self.tr("Draft saved at {time}").format(time=f"{draft.saved_at:%H:%M:%S}"))
        return draft

    def offer_draft(self) -> bool:
        """If this user left a draft (the desk was closed or killed mid-entry), offer it back; the
        form waits for the answer so the draft cannot be overwritten meanwhile."""
        draft = drafts.load_draft(self._actor.username)
        if draft is None:
            return False
        self._offer = draft
        self.offer_label.setText(self._describe(draft))
        self._set_offering(True)
        self.restore_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _set_offering(self, offering: bool) -> None:
        # The empty form is hidden meanwhile: disabled fields show their placeholders in the
        # colour of typed text, which reads like data that is not there.
        self.offer_bar.setVisible(offering)
        self.scroll_area.setVisible(not offering)
        self.page.setEnabled(not offering)
        for button in (self.save_button, self.save_print_button):
            button.setEnabled(not offering and not self._saving)

    def _describe(self, draft: Draft) -> str:
        form = draft.form
        names = [str(p.get("name", "")).strip() for p in form.get("parties", []) if isinstance(p, dict)]
        details = []
        title = str(form.get("title", "")).strip()
        if title:
            details.append(self.tr("title: {title}").format(title=title))
        if any(names):
            details.append(self.tr("parties: {names}").format(names="、".join(n for n in names if n)))
        documents = form.get("documents")
        if isinstance(documents, list) and documents:
            details.append(self.tr("%Ln scanned document(s)", "", len(documents)))
        text = self.tr("An unsaved registration draft from {time} was found.").format(
            time=f"{draft.saved_at:%Y-%m-%d %H:%M}")
        if details:
            text += " " + self.tr("({details})").format(details=self.tr("; ").join(details))
        return text

    @property
    def offered_draft(self) -> Draft | None:
        return self._offer

    def restore_offered_draft(self) -> None:
        draft, self._offer = self._offer, None
        self._set_offering(False)
        if draft is None:
            return
        self.restore(draft.form)
        self._dirty = False  # the form equals the draft on disk
        self.draft_label.setText(self.tr("Draft of {time} restored").format(time=f"{draft.saved_at:%H:%M:%S}"))
        self.focus_first_field()

    def ask_discard_offered_draft(self) -> None:
        """The button: the draft is deleted for good, so it asks first."""
        draft = self._offer
        if draft is None:
            return
        self.confirm_box = confirm_irreversible(
            self, self.tr("Discard the draft"),
            self.tr("The draft saved at {time} will be deleted; what it holds cannot be recovered.").format(
                time=f"{draft.saved_at:%Y-%m-%d %H:%M}"),
            self.tr("Discard the draft"), lambda: self.discard_offered_draft() if self._offer is draft else None)

    def discard_offered_draft(self) -> None:
        """Delete the offered draft (asked already)."""
        self._offer = None
        self._set_offering(False)
        try:
            drafts.discard_draft(self._actor.username)
            self.documents_box.discard_pages()
        except OSError as exc:
            self.message_label.setText(self.tr("The draft could not be removed: {error}").format(error=exc.strerror))
        self.focus_first_field()

    # ------------------------------------------------------------------ unsaved input (ui.unsaved)

    def has_unsaved_input(self) -> bool:
        """A registration typed and not saved as a case (an offered draft is on disk: not counted)."""
        return self._offer is None and self.state() != self._blank_state

    def unsaved_description(self) -> str:
        title = self.title.text().strip()
        return self.tr("The registration being typed ({title})").format(title=title) if title else \
            self.tr("The registration being typed")

    def can_save_unsaved(self) -> bool:
        return False  # saving registers a case: never as a side effect of closing the window

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        done(False)

    def discard_unsaved(self) -> None:
        """The draft on disk stays: the next sign-in offers it back."""
        self._dirty = False

    def keep_draft(self) -> bool:
        """Write the draft now: the next sign-in of this user offers it back, nothing is lost."""
        if self._offer is not None:
            return True
        self.autosave()
        return not self._dirty

    def reveal_unsaved(self) -> None:
        reveal(self)
        self.focus_first_field()

    def hideEvent(self, event: QHideEvent) -> None:
        # Another tab, or the window closing: keep what was typed since the last tick.
        self.autosave()
        super().hideEvent(event)


__all__ = ["IntakeForm", "Registered"]
