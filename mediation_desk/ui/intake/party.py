"""One party on the registration form: role, kind, identity, contact, agent, and what the desk
already knows about them (earlier cases; for a respondent, how many others complained lately).

A natural person has a name, an identity document, sex, date of birth, ethnicity, occupation, work
unit, address and phone; a legal person or organisation has a name, a unified social credit code,
a legal representative, an address and a phone. Switching the kind only hides the other kind's
fields: what was typed there stays (and goes into the draft) in case the switch was a slip.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import Gender, IdDocumentType, PartyKind, PartyRole, now
from mediation_desk.readmodels import minors
from mediation_desk.services import validation
from mediation_desk.services.cases import PartyInput
from mediation_desk.services.errors import InvalidInput
from mediation_desk.ui.common.i18n import enum_text
from mediation_desk.ui.common.widgets import ERROR_STYLE, ImeLineEdit, named
from mediation_desk.ui.intake.fields import FieldBox, combo_enum, compact_combo, editable_combo, parse_date

if TYPE_CHECKING:
    from mediation_desk.scanning.idcard import IdCardReading
    from mediation_desk.services.intake import GroupSignal, PersonCase
    from mediation_desk.ui.common.tasks import TaskHandle

#: The 56 ethnic groups, 汉族 first, then in the order of GB/T 3304.
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
#: How an agent's authority is usually written on the 授权委托书; anything else may be typed.
AUTHORITIES = ("一般授权代理", "特别授权代理")
#: The lists a party's fields complete by pinyin (``fields.editable_combo``): their search keys are
#: worked out beforehand, off the GUI thread (``ui.app.warm_up``).
TYPED_LISTS = (ETHNICITIES, AUTHORITIES)
#: A field filled from an ID card and not yet confirmed: tinted, and its caption tagged.
CARD_FIELD_STYLE = "background-color: #fff4cc;"
CARD_TAG_STYLE = "color: #8a5a00; background-color: #fff4cc; font-size: small;"
#: Earlier cases listed under a party; the rest are counted.
HISTORY_SHOWN = 5

_FIELD = re.compile(r"parties\[(\d+)\]\.(\w+)")

#: Removes the party that has the cursor (its button is left out of the tab chain).
REMOVE_KEYS = "Ctrl+Shift+Del"
#: Reads this party's ID card (a row button, out of the tab chain like the remove button).
READ_CARD_KEYS = "Ctrl+I"
#: Confirms every field filled from the card (the clerk compared them with it).
CONFIRM_CARD_KEYS = "Ctrl+Shift+I"
#: How the name of an organisation ends (人民调解 parties: companies, works, cooperatives, shops,
#: hospitals, schools, committees, offices …) and which kind that makes it. Longer endings first.
ORGANISATION_ENDINGS: tuple[tuple[str, PartyKind], ...] = tuple(
    (ending, PartyKind.ORGANISATION) for ending in ("分公司", "事务所", "办事处", "分店", "分行", "分院")
) + tuple((ending, PartyKind.LEGAL_PERSON) for ending in (
    "公司", "集团", "合作社", "中心", "医院", "卫生院", "诊所", "学校", "大学", "学院", "中学", "小学", "幼儿园",
    "委员会", "村委会", "居委会", "政府", "银行", "协会", "商会", "基金会", "研究院", "研究所", "厂", "店", "超市",
    "商行", "酒店", "宾馆", "饭店", "局", "站", "场", "馆", "所",
))
#: A person's name is two to four characters: an ending counts only after this many before it
#: (three before a one-character ending, so 王建场 stays a person and 老王烟酒店 is a shop).
_NAME_BEFORE_ENDING = 2
_NAME_BEFORE_SHORT_ENDING = 3


def organisation_kind(name: str) -> PartyKind | None:
    """The kind a party's name says it is (甘州区宏远建筑劳务有限公司 → 法人), or None for a person."""
    name = "".join(name.split())
    for ending, kind in ORGANISATION_ENDINGS:
        before = _NAME_BEFORE_SHORT_ENDING if len(ending) == 1 else _NAME_BEFORE_ENDING
        if name.endswith(ending) and len(name) >= len(ending) + before:
            return kind
    return None


def looks_like_credit_code(text: str) -> bool:
    """A valid unified social credit code (GB 32100) that is not also a valid resident ID."""
    code = validation.normalise(text)
    if len(code) != 18:
        return False
    try:
        validation.check_credit_code(code)
    except InvalidInput:
        return False
    try:
        validation.check_resident_id(code)
    except InvalidInput:
        return True
    return False


def party_field(field: str) -> tuple[int, str] | None:
    """``parties[1].phone`` → (1, "phone")."""
    match = _FIELD.fullmatch(field)
    return (int(match.group(1)), match.group(2)) if match else None


class PartyForm(QFrame):
    """The fields of one party, laid out for its kind."""

    #: Something the clerk typed or chose changed.
    changed = Signal()
    #: The clerk asked to remove this party: this form.
    remove_requested = Signal(object)
    #: The person is now identifiable (valid ID, or name with a valid phone): look them up.
    person_key_changed = Signal(object)
    #: A respondent's name or number changed: check for a crowd of complaints against them.
    respondent_key_changed = Signal(object)
    #: A case number in the history was clicked: its id.
    case_link_activated = Signal(int)
    #: The kind or the agent switch changed which fields are shown (tab order must follow).
    layout_changed = Signal()
    #: The clerk asked to read an ID card into this party (its button): this form.
    id_card_requested = Signal(object)
    #: Image files were dropped on this party: this form and the list of their paths.
    id_card_dropped = Signal(object, object)
    #: The clerk typed the last character of a complete, valid number (resident ID, mobile phone,
    #: credit code): the field, for the form to move the cursor on as Tab would.
    field_completed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partyForm")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._number = 0
        self._restoring = False
        self._valid_id = ""
        self._valid_phone = ""
        self._valid_credit_code = ""
        #: The resident ID number sex and birth date were last filled from.
        self._filled_from = ""
        self._switching = False
        self._declined_key = ""
        self._history: list[PersonCase] | None = None
        self._signal: GroupSignal | None = None
        #: Read operations in flight for this party (cancelled when it goes away).
        self.lookup: TaskHandle | None = None
        self.group_lookup: TaskHandle | None = None
        self.last_person_key: tuple[str, str, str] | None = None
        self.last_respondent_key: tuple[str, str, str] | None = None
        #: Fields filled from an ID card and not yet confirmed by the clerk → their captions.
        self._card_marks: dict[str, str] = {}
        #: The back of the card as read: 签发机关 and 有效期限 as printed (saved with the party).
        self.id_issuer = ""
        self.id_validity = ""
        self.setAcceptDrops(True)

        self.heading = named(QLabel(), "partyHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.role_combo = compact_combo(named(QComboBox(), "partyRole"))
        for role in PartyRole:
            self.role_combo.addItem(enum_text(role), role)
        self.kind_combo = compact_combo(named(QComboBox(), "partyKind"))
        for kind in PartyKind:
            self.kind_combo.addItem(enum_text(kind), kind)
        self.remove_button = named(QPushButton(self.tr("Remove this party")), "removeParty")
        # A row button: out of the tab chain (Tab goes from one typed field to the next); the
        # keyboard removes the party with its shortcut.
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.remove_button.setToolTip(self.tr("Remove this party ({keys})").format(
            keys=QKeySequence(REMOVE_KEYS).toString(QKeySequence.SequenceFormat.NativeText)))
        remove_shortcut = QShortcut(QKeySequence(REMOVE_KEYS), self)
        remove_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        remove_shortcut.activated.connect(lambda: self.remove_requested.emit(self))

        # ---- fields of both kinds
        self.name = named(ImeLineEdit(), "partyName")
        self.name_box = FieldBox("", self.name, required=self._name_required)
        self.phone = named(ImeLineEdit(), "partyPhone")
        self.phone_box = FieldBox(self.tr("Phone"), self.phone, check=validation.check_phone)
        self.address = named(ImeLineEdit(), "partyAddress")
        self.address_box = FieldBox("", self.address)

        # ---- natural person
        self.id_type = compact_combo(named(QComboBox(), "partyIdType"))
        for document in IdDocumentType:
            self.id_type.addItem(enum_text(document), document)
        self.id_type_box = FieldBox(self.tr("ID document"), self.id_type)
        self.id_number = named(ImeLineEdit(), "partyIdNumber")
        self.id_number.setMaxLength(40)
        self.id_number_box = FieldBox(self.tr("Document number"), self.id_number, check=self._check_id)
        self.gender = compact_combo(named(QComboBox(), "partyGender"), 3)
        self.gender.addItem("", None)
        for gender in Gender:
            self.gender.addItem(enum_text(gender), gender)
        self.gender_box = FieldBox(self.tr("Sex"), self.gender)
        self.birth_date = named(ImeLineEdit(), "partyBirthDate")
        self.birth_date.setPlaceholderText(self.tr("e.g. 1980-01-02"))
        self.birth_date_box = FieldBox(self.tr("Date of birth"), self.birth_date, check=parse_date)
        self.ethnicity = compact_combo(editable_combo(ETHNICITIES, "partyEthnicity"), 4)
        self.ethnicity_box = FieldBox(self.tr("Ethnicity"), self.ethnicity)
        self.occupation = named(ImeLineEdit(), "partyOccupation")
        self.occupation_box = FieldBox(self.tr("Occupation"), self.occupation)
        self.work_unit = named(ImeLineEdit(), "partyWorkUnit")
        self.work_unit_box = FieldBox(self.tr("Work unit"), self.work_unit)
        self.minor = named(QCheckBox(self.tr("Minor")), "partyMinor")
        # ---- reading an ID card (ui/intake/idcard.py does the reading)
        self.id_card_button = named(QPushButton(self.tr("Read from ID card…")), "partyReadIdCard")
        self.id_card_button.setToolTip(self.tr("Scan the resident ID card or choose its images (front and back); "
                                               "you can also drop the image files on this party"))
        self.confirm_card_button = named(QPushButton(self.tr("Confirm the card fields")), "partyConfirmCard")
        self.confirm_card_button.setToolTip(self.tr("The fields marked “from the card” match the card"))
        self.confirm_card_button.hide()
        # Row buttons: out of the tab chain, so Tab goes from one typed field to the next; the
        # keyboard reads the card with its shortcut, and confirms by editing or with the button.
        for button in (self.id_card_button, self.confirm_card_button):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        read_keys = QKeySequence(READ_CARD_KEYS)
        self.id_card_button.setToolTip(self.id_card_button.toolTip() + self.tr(" ({keys})").format(
            keys=read_keys.toString(QKeySequence.SequenceFormat.NativeText)))
        read_shortcut = QShortcut(read_keys, self)
        read_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        read_shortcut.activated.connect(self._read_card_by_key)
        confirm_keys = QKeySequence(CONFIRM_CARD_KEYS)
        self.confirm_card_button.setToolTip(self.confirm_card_button.toolTip() + self.tr(" ({keys})").format(
            keys=confirm_keys.toString(QKeySequence.SequenceFormat.NativeText)))
        confirm_shortcut = QShortcut(confirm_keys, self)
        confirm_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        confirm_shortcut.activated.connect(self.confirm_card)
        self.card_label = named(QLabel(), "partyCardInfo")
        self.card_label.setWordWrap(True)
        self.card_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.card_label.hide()

        # ---- legal person or organisation
        self.credit_code = named(ImeLineEdit(), "partyCreditCode")
        self.credit_code.setMaxLength(40)
        self.credit_code_box = FieldBox(self.tr("Unified social credit code"), self.credit_code,
                                        check=validation.check_credit_code)
        self.legal_representative = named(ImeLineEdit(), "partyLegalRepresentative")
        self.legal_representative_box = FieldBox(self.tr("Legal representative"), self.legal_representative)

        # ---- agent
        self.agent_check = named(QCheckBox(self.tr("Has an agent")), "partyHasAgent")
        self.agent_name = named(ImeLineEdit(), "partyAgentName")
        self.agent_name_box = FieldBox(self.tr("Agent's name"), self.agent_name)
        self.agent_phone = named(ImeLineEdit(), "partyAgentPhone")
        self.agent_phone_box = FieldBox(self.tr("Agent's phone"), self.agent_phone, check=validation.check_phone)
        self.agent_authority = editable_combo(AUTHORITIES, "partyAgentAuthority")
        self.agent_authority_box = FieldBox(self.tr("Authority granted"), self.agent_authority)
        self.agent_panel = named(QWidget(), "agentPanel")
        agent_layout = QHBoxLayout(self.agent_panel)
        agent_layout.setContentsMargins(0, 0, 0, 0)
        agent_layout.addWidget(self.agent_name_box, 2)
        agent_layout.addWidget(self.agent_phone_box, 2)
        agent_layout.addWidget(self.agent_authority_box, 3)
        self.agent_panel.hide()

        # ---- what the desk knows
        self.history_label = named(QLabel(), "partyHistory")
        self.history_label.setWordWrap(True)
        self.history_label.setTextFormat(Qt.TextFormat.RichText)
        self.history_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                   | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_label.linkActivated.connect(self._link)
        self.history_label.hide()
        #: Said when the kind was switched by itself (a name or a credit code), with its undo.
        self.kind_note = named(QLabel(), "partyKindNote")
        self.kind_note.setWordWrap(True)
        self.kind_note.setStyleSheet("color: #1565c0;")
        self.kind_note.setTextFormat(Qt.TextFormat.RichText)
        self.kind_note.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.kind_note.linkActivated.connect(lambda _href: self.undo_kind_switch())
        self.kind_note.hide()
        #: (kind before, focus before, id number before, credit code before) of the last automatic
        #: switch, while it can be undone.
        self._kind_undo: tuple[PartyKind, QWidget | None, str, str] | None = None
        #: Names and codes whose switch was undone: not switched again.
        self._kind_declined: set[str] = set()
        self.group_label = named(QLabel(), "partyGroupSignal")
        self.group_label.setWordWrap(True)
        self.group_label.hide()

        header = QHBoxLayout()
        header.addWidget(self.heading)
        header.addWidget(self.role_combo)
        header.addWidget(self.kind_combo)
        header.addStretch(1)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        for column in range(6):
            self.grid.setColumnStretch(column, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.minor)
        footer.addWidget(self.agent_check)
        footer.addWidget(self.id_card_button)
        footer.addWidget(self.confirm_card_button)
        footer.addStretch(1)
        footer.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.kind_note)
        layout.addLayout(self.grid)
        layout.addLayout(footer)
        layout.addWidget(self.card_label)
        layout.addWidget(self.agent_panel)
        layout.addWidget(self.history_label)
        layout.addWidget(self.group_label)

        # Every box belongs to this frame from the start, also those the layout of the current kind
        # leaves out: they are hidden, and they are in the same window for the tab order.
        for box in self.boxes.values():
            if box.parentWidget() is None:
                box.setParent(self)
        self._arrange()
        self._connect()

    # ------------------------------------------------------------------ layout

    @property
    def boxes(self) -> dict[str, FieldBox]:
        """Field name (as ``PartyInput`` and the services spell it) → its box."""
        return {
            "name": self.name_box, "id_type": self.id_type_box, "id_number": self.id_number_box,
            "gender": self.gender_box, "birth_date": self.birth_date_box, "ethnicity": self.ethnicity_box,
            "occupation": self.occupation_box, "work_unit": self.work_unit_box, "address": self.address_box,
            "phone": self.phone_box, "credit_code": self.credit_code_box,
            "legal_representative": self.legal_representative_box, "agent_name": self.agent_name_box,
            "agent_phone": self.agent_phone_box, "agent_authority": self.agent_authority_box,
        }

    def kind(self) -> PartyKind:
        return combo_enum(self.kind_combo, PartyKind) or PartyKind.PERSON

    def role(self) -> PartyRole:
        return combo_enum(self.role_combo, PartyRole) or PartyRole.APPLICANT

    def id_document(self) -> IdDocumentType:
        return combo_enum(self.id_type, IdDocumentType) or IdDocumentType.RESIDENT_ID

    def gender_value(self) -> Gender | None:
        return combo_enum(self.gender, Gender)

    def is_person(self) -> bool:
        return self.kind() is PartyKind.PERSON

    def _arrange(self) -> None:
        """Place the boxes of this kind on a six-column grid; hide the other kind's."""
        person = self.is_person()
        for box in (self.name_box, self.phone_box, self.address_box, *self._person_boxes(),
                    self.credit_code_box, self.legal_representative_box):
            self.grid.removeWidget(box)
        if person:
            # What is typed at every registration first (name, number, phone), then what the
            # number or the card fills, then the rest.
            places: list[tuple[FieldBox, int, int, int]] = [
                (self.name_box, 0, 0, 1), (self.id_type_box, 0, 1, 1), (self.id_number_box, 0, 2, 1),
                (self.phone_box, 0, 3, 1), (self.gender_box, 0, 4, 1), (self.birth_date_box, 0, 5, 1),
                (self.ethnicity_box, 1, 0, 1), (self.occupation_box, 1, 1, 1), (self.work_unit_box, 1, 2, 1),
                (self.address_box, 1, 3, 3),
            ]
        else:
            places = [
                (self.name_box, 0, 0, 2), (self.credit_code_box, 0, 2, 2),
                (self.phone_box, 0, 4, 1), (self.legal_representative_box, 0, 5, 1),
                # An organisation's "occupation" is its legal representative's position (职务).
                (self.occupation_box, 1, 0, 1), (self.address_box, 1, 1, 5),
            ]
        for box, row, column, span in places:
            self.grid.addWidget(box, row, column, 1, span)
            box.show()
        hidden = (self.credit_code_box, self.legal_representative_box) if person else tuple(
            box for box in self._person_boxes() if box is not self.occupation_box)
        for box in hidden:
            box.hide()
            box.clear_error()  # it would come back stale if the kind is switched again
        self.minor.setVisible(person)
        self.id_card_button.setVisible(person)
        self.name_box.set_caption(self.tr("Name") if person else self.tr("Name of the organisation"))
        self.address_box.set_caption(self.tr("Address") if person else self.tr("Registered address"))
        self.occupation_box.set_caption(self.tr("Occupation") if person
                                        else self.tr("Position of the legal representative"))
        # A message about the name was worded for the other kind.
        self.name_box.clear_error()

    def _person_boxes(self) -> tuple[FieldBox, ...]:
        return (self.id_type_box, self.id_number_box, self.gender_box, self.birth_date_box, self.ethnicity_box,
                self.occupation_box, self.work_unit_box)

    def focus_order(self) -> list[QWidget]:
        """The widgets of this party in the order they are seen (tab and Enter follow it)."""
        head: list[QWidget] = [self.role_combo, self.kind_combo, self.name]
        if self.is_person():
            body: list[QWidget] = [self.id_type, self.id_number, self.phone, self.gender, self.birth_date,
                                   self.ethnicity, self.occupation, self.work_unit, self.address, self.minor]
            hidden: list[QWidget] = [self.credit_code, self.legal_representative]
        else:
            body = [self.credit_code, self.phone, self.legal_representative, self.occupation, self.address]
            hidden = [self.id_type, self.id_number, self.gender, self.birth_date, self.ethnicity,
                      self.work_unit, self.minor]
        # Enter on the remove button moves on like everywhere else (the form's key filter); only
        # Space or a click removes, so pressing Enter through the form never loses a party.
        tail: list[QWidget] = [self.agent_check, self.id_card_button, self.confirm_card_button, self.remove_button,
                               self.agent_name, self.agent_phone, self.agent_authority]
        return [*head, *body, *tail, *hidden]

    def _read_card_by_key(self) -> None:
        if self.id_card_button.isVisible():  # a person's card; an organisation has none
            self.id_card_requested.emit(self)

    def set_number(self, number: int) -> None:
        self._number = number
        self.heading.setText(self.tr("Party {number}").format(number=number))
        self.setAccessibleName(self.heading.text())

    # ------------------------------------------------------------------ signals

    def _connect(self) -> None:
        for edit in (self.name, self.phone, self.address, self.id_number, self.birth_date, self.occupation,
                     self.work_unit, self.credit_code, self.legal_representative, self.agent_name,
                     self.agent_phone):
            edit.textChanged.connect(self._changed)
        for combo in (self.role_combo, self.kind_combo, self.id_type, self.gender):
            combo.currentIndexChanged.connect(self._changed)
        for combo in (self.ethnicity, self.agent_authority):
            combo.editTextChanged.connect(self._changed)
        for check in (self.minor, self.agent_check):
            check.toggled.connect(self._changed)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self.id_type.currentIndexChanged.connect(self._id_type_changed)
        self.agent_check.toggled.connect(self._agent_toggled)
        self.birth_date.textChanged.connect(self._birth_changed)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.id_number.textEdited.connect(self._id_edited)
        self.id_card_button.clicked.connect(lambda: self.id_card_requested.emit(self))
        self.confirm_card_button.clicked.connect(self.confirm_card)
        # The clerk's own edit of a field filled from the card is their confirmation of it.
        for key, edit in (("name", self.name), ("birth_date", self.birth_date), ("address", self.address),
                          ("id_number", self.id_number)):
            edit.textEdited.connect(lambda _text, key=key: self.clear_card_mark(key))
        self.gender.activated.connect(lambda _index: self.clear_card_mark("sex"))
        ethnicity_edit = self.ethnicity.lineEdit()
        if ethnicity_edit is not None:
            ethnicity_edit.textEdited.connect(lambda _text: self.clear_card_mark("ethnicity"))
        self.ethnicity.activated.connect(lambda _index: self.clear_card_mark("ethnicity"))
        self.id_number.textEdited.connect(lambda _text: setattr(self, "_valid_id", ""))
        self.phone.textEdited.connect(lambda _text: setattr(self, "_valid_phone", ""))
        self.credit_code.textEdited.connect(lambda _text: setattr(self, "_valid_credit_code", ""))
        self.phone.textEdited.connect(self._phone_edited)
        self.credit_code.textEdited.connect(self._credit_code_edited)
        self.id_number_box.validated.connect(self._id_valid)
        self.phone_box.validated.connect(self._phone_valid)
        self.credit_code_box.validated.connect(self._credit_code_valid)
        self.name.left.connect(self._name_left)
        for edit in (self.name, self.credit_code, self.legal_representative, self.phone, self.occupation,
                     self.address, self.id_number):
            edit.installEventFilter(self)

    def _changed(self, *_args: object) -> None:
        if not self._restoring:
            self.changed.emit()

    def _kind_changed(self) -> None:
        self._arrange()
        self._update_derived()
        self.layout_changed.emit()
        if not self._restoring:
            self._keys_changed()
        if not self._switching:
            self._forget_kind_switch()  # chosen by hand: the note and its undo no longer apply

    # ------------------------------------------------------------------ organisations recognised

    def _name_left(self) -> None:
        if self.name.text().strip():
            self._keys_changed()
        kind = organisation_kind(self.name.text())
        name = "".join(self.name.text().split())
        if kind is not None and self.is_person() and not self._restoring and name not in self._kind_declined:
            self._switch_kind(kind, self.tr("“{name}” is the name of an organisation: the party is now a {kind}.")
                              .format(name=name, kind=enum_text(kind)), declined=name)

    def _id_text_changed(self, text: str) -> None:
        if self._restoring:
            return
        # A complete valid resident ID fills sex and date of birth at once (not only when the clerk
        # leaves the field), so the Tab that leaves it already skips them. Typing never raises a
        # message: a wrong number is judged when the field is left, as before.
        if self.is_person() and self.id_document() is IdDocumentType.RESIDENT_ID and len(text.strip()) >= 18:
            message, value = self.id_number_box.problem(text)
            if message is None and value is not None and str(value) != self._valid_id:
                self._id_valid(value)
                self._completed(self.id_number)
                return
        code = validation.normalise(text)
        if (self._restoring or not self.is_person() or code in self._kind_declined
                or not looks_like_credit_code(code)):
            return
        self._switch_kind(PartyKind.LEGAL_PERSON, self.tr(
            "{code} is a unified social credit code: the party is now a {kind}, the code is in its field.")
            .format(code=code, kind=enum_text(PartyKind.LEGAL_PERSON)), declined=code, move_code=True)

    def _completed(self, edit: QLineEdit) -> None:
        """The last character of a complete number was typed at its end: the cursor moves on."""
        if edit.hasFocus() and edit.cursorPosition() == len(edit.text()):
            self.field_completed.emit(edit)

    def _phone_edited(self, text: str) -> None:
        # A mobile number has exactly 11 digits: complete when valid. A landline's length varies
        # (7 or 8 digits, an area code or not), so the clerk moves on from it.
        compact = validation.normalise(text)
        if len(compact) == 11 and compact.startswith("1"):
            try:
                validation.check_mobile(compact)
            except InvalidInput:
                return
            self._completed(self.phone)

    def _credit_code_edited(self, text: str) -> None:
        if len(validation.normalise(text)) == 18:
            try:
                validation.check_credit_code(text)
            except InvalidInput:
                return
            self._completed(self.credit_code)

    def _switch_kind(self, kind: PartyKind, note: str, *, declined: str, move_code: bool = False) -> None:
        """Make the party an organisation by itself; said in a note, undone by Ctrl+Z or its link."""
        focus = QApplication.focusWidget()
        before = (self.kind(), focus if focus is not None and self.isAncestorOf(focus) else None,
                  self.id_number.text(), self.credit_code.text())
        self._switching = True
        try:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            if move_code:
                self.credit_code.setText(self.id_number.text())
                self.id_number.setText("")
                self.id_number_box.reset()
        finally:
            self._switching = False
        self._kind_undo = before
        self._declined_key = declined
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)
        undo = html.escape(self.tr("Undo"))
        self.kind_note.setText(html.escape(note) + f' <a href="undo">{undo}</a>'
                               + html.escape(self.tr(" ({keys})").format(keys=undo_keys)))
        self.kind_note.setAccessibleName(note)
        self.kind_note.show()
        if move_code:
            self.credit_code_box.validate()
        # The cursor was in a field of the person (now hidden): the organisation's next field
        # takes it (after the name its code; after the code moved there, the phone).
        was = before[1]
        if was is not None and not was.isVisibleTo(self):
            target = self.phone if move_code else self.credit_code
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def kind_switched(self) -> bool:
        """The kind was switched by itself and can still be undone."""
        return self._kind_undo is not None

    def undo_kind_switch(self) -> bool:
        """Back to the kind (and the ID number) before the automatic switch."""
        if self._kind_undo is None:
            return False
        kind, focus, number, code = self._kind_undo
        self._kind_declined.add(self._declined_key)
        self._switching = True
        try:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            if number != self.id_number.text():
                self.id_number.setText(number)
            if code != self.credit_code.text():
                self.credit_code.setText(code)
            self.credit_code_box.reset()
        finally:
            self._switching = False
        self._forget_kind_switch()
        target = focus if focus is not None and focus.isVisibleTo(self) else self.name
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _forget_kind_switch(self) -> None:
        self._kind_undo = None
        self.kind_note.hide()
        self.kind_note.clear()

    def recognise_organisation(self) -> None:
        """Check the name again as when the clerk leaves it (marks the feature for bench/counter.py)."""
        self._name_left()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Z undoes an automatic switch of the kind, unless the field has its own typing to undo.
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.matches(QKeySequence.StandardKey.Undo) and self._kind_undo is not None
                and isinstance(watched, QLineEdit) and not watched.isUndoAvailable()):
            self.undo_kind_switch()
            return True
        return super().eventFilter(watched, event)

    def _role_changed(self) -> None:
        self._render_history()
        if self.role() is not PartyRole.RESPONDENT:
            self._signal = None
            self.last_respondent_key = None
            self._render_signal()
        elif not self._restoring:
            self.respondent_key_changed.emit(self)

    def _update_derived(self) -> None:
        """Sex and date of birth filled from a resident ID leave the tab chain (a click still
        reaches them); typed by hand (another document, no number) they are in it."""
        derived = (bool(self._filled_from) and self.is_person()
                   and self.id_document() is IdDocumentType.RESIDENT_ID)
        tip = self.tr("Filled in from the ID number (click to change)") if derived else ""
        for widget in (self.gender, self.birth_date):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus if derived else Qt.FocusPolicy.StrongFocus)
            widget.setToolTip(tip)

    def _id_edited(self, text: str) -> None:
        self._valid_id = ""
        if not text.strip():
            self._filled_from = ""  # no number: sex and date of birth are the clerk's to type
            self._update_derived()
        self._id_text_changed(text)

    def _id_type_changed(self) -> None:
        self._update_derived()
        # The same characters may be right for one document and wrong for another.
        self._valid_id = ""
        if self.id_number.text().strip() and not self._restoring:
            self.id_number_box.validate()

    def _birth_changed(self, text: str) -> None:
        """A known date of birth decides whether the party is a minor (readmodels.minors): the
        box follows it and cannot be ticked against it; it is the clerk's only without one."""
        try:
            born: date | None = parse_date(text) if text.strip() else None
        except InvalidInput:
            born = None
        self.minor.setEnabled(born is None)
        if born is not None:
            self.minor.setChecked(minors.age_on(born, now().date()) < minors.ADULT_AGE)
            self.minor.setToolTip(self.tr("Worked out from the date of birth (the ID number's when there is one)"))
        else:
            self.minor.setToolTip(self.tr("Tick for a minor whose date of birth is not known"))

    def _agent_toggled(self, on: bool) -> None:
        self.agent_panel.setVisible(on)
        self.layout_changed.emit()
        if on and not self._restoring:
            self.agent_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _check_id(self, value: str) -> str:
        return validation.check_document(self.id_document(), value)

    def _name_required(self) -> str:
        if self.is_person():
            return self.tr("Enter the party's name.")
        return self.tr("Enter the name of the organisation.")

    def _id_valid(self, number: object) -> None:
        self._valid_id = str(number)
        # Only a new number fills the fields: a sex the clerk chose afterwards is not overwritten
        # behind their back (if it contradicts the ID, saving says so next to it).
        if (self.id_document() is IdDocumentType.RESIDENT_ID and self.is_person()
                and self._valid_id != self._filled_from):
            self.fill_from_resident_id(self._valid_id)
        self._keys_changed()

    def fill_from_resident_id(self, number: str) -> None:
        """Sex and date of birth as the resident ID says (it is the authority); a minor is marked."""
        try:
            info = validation.check_resident_id(number)
        except InvalidInput:
            return
        self._filled_from = info.number
        self._update_derived()
        self.gender.setCurrentIndex(self.gender.findData(info.gender))
        self.birth_date.setText(f"{info.birth_date:%Y-%m-%d}")
        self.gender_box.clear_error()
        self.birth_date_box.clear_error()  # the date of birth just set decides the minor box

    def _phone_valid(self, phone: object) -> None:
        self._valid_phone = str(phone)
        self._keys_changed()

    def _credit_code_valid(self, code: object) -> None:
        self._valid_credit_code = str(code)
        self._keys_changed()

    def _keys_changed(self) -> None:
        self.person_key_changed.emit(self)
        if self.role() is PartyRole.RESPONDENT:
            self.respondent_key_changed.emit(self)

    # ------------------------------------------------------------------ from an ID card

    def card_editors(self) -> dict[str, QWidget]:
        """The fields an ID card fills (``IdCardReading.fields`` names) → their editors."""
        return {"name": self.name, "sex": self.gender, "ethnicity": self.ethnicity, "birth_date": self.birth_date,
                "address": self.address, "id_number": self.id_number}

    def _card_box(self, key: str) -> FieldBox:
        return self.boxes["gender" if key == "sex" else key]

    def card_marks(self) -> set[str]:
        """The fields still marked "from the card" (filled from it, not yet confirmed)."""
        return set(self._card_marks)

    def show_card_status(self, text: str, *, error: bool = False) -> None:
        """What the reading is doing or why it failed, under the party's fields."""
        self.card_label.setStyleSheet(ERROR_STYLE if error else "")
        self.card_label.setText(text)
        self.card_label.setVisible(bool(text))

    def fill_from_id_card(self, reading: IdCardReading) -> None:
        """Fill the person's fields from a card that was read; each filled field is marked "from
        the card" until the clerk confirms it (editing it, or Confirm), and every doubt the reader
        raised is the field's message. Fields the card did not give keep what was typed."""
        fields = reading.fields
        if not self.is_person():
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(PartyKind.PERSON))
        self.confirm_card()  # marks of an earlier card go
        if fields["id_number"]:
            self.id_type.setCurrentIndex(self.id_type.findData(IdDocumentType.RESIDENT_ID))
            # The sex and birth date come from the card's own lines: the number's are cross-checked
            # by the reader, and a disagreement is shown, not silently overwritten.
            self._filled_from = fields["id_number"]
            self.id_number.setText(fields["id_number"])
            self._update_derived()  # sex and birth date given: out of the tab chain, as from a typed number
        if fields["name"]:
            self.name.setText(fields["name"])
        if fields["sex"] in ("男", "女"):
            self.gender.setCurrentIndex(self.gender.findData(Gender.MALE if fields["sex"] == "男" else Gender.FEMALE))
        if fields["ethnicity"]:
            self.ethnicity.setEditText(reading.ethnicity_group)
        if fields["birth_date"]:
            self.birth_date.setText(fields["birth_date"])
        if fields["address"]:
            self.address.setText(fields["address"])
        for key in self.card_editors():
            if fields[key]:
                self._mark_card(key)
        if fields["id_number"]:
            self.id_number_box.validate()  # recognises the person (history) like a typed number
        for key in self.card_editors():
            messages = reading.flags.get(key)
            if messages:
                self._card_box(key).show_error("；".join(messages))
        self._show_card_back(reading)
        self.confirm_card_button.setVisible(bool(self._card_marks))
        self.changed.emit()

    def _show_card_back(self, reading: IdCardReading) -> None:
        """The back's issuing authority and validity, as read, with their doubts."""
        fields = reading.fields
        if fields["issuing_authority"] or fields["valid_from"]:
            self.id_issuer = fields["issuing_authority"]
            self.id_validity = reading.validity_as_printed
        parts = []
        if fields["issuing_authority"]:
            parts.append(self.tr("Issued by {authority}").format(authority=fields["issuing_authority"]))
        if fields["valid_from"]:
            parts.append(self.tr("valid {start} to {end}").format(start=fields["valid_from"],
                                                                   end=fields["valid_until"] or "?"))
        doubts = [m for key in ("issuing_authority", "valid_from", "valid_until") for m in reading.flags.get(key, [])]
        lines = [self.tr("From the card: ") + "，".join(parts)] if parts else []
        lines += [f"⚠ {m}" for m in doubts]
        self.show_card_status("\n".join(lines), error=bool(doubts))

    def _mark_card(self, key: str) -> None:
        box = self._card_box(key)
        editor = self.card_editors()[key]
        if key not in self._card_marks:
            self._card_marks[key] = box.caption.text()
        box.caption.setText(self._card_marks[key] + f' <span style="{CARD_TAG_STYLE}">' + html.escape(
            self.tr("from the card")) + "</span>")
        editor.setStyleSheet(f"{type(editor).__name__} {{ {CARD_FIELD_STYLE} }}")
        editor.setToolTip(self.tr("Filled from the ID card: compare it with the card, then correct it or press "
                                  "“Confirm the card fields”"))
        editor.setProperty("fromCard", True)

    def clear_card_mark(self, key: str) -> None:
        """The clerk confirmed this field (edited it): it is theirs now, not the card's."""
        caption = self._card_marks.pop(key, None)
        if caption is None:
            return
        box = self._card_box(key)
        editor = self.card_editors()[key]
        box.caption.setText(caption)
        editor.setStyleSheet("")
        editor.setToolTip("")
        editor.setProperty("fromCard", False)
        self.confirm_card_button.setVisible(bool(self._card_marks))

    def confirm_card(self) -> None:
        """Every field from the card matches it (the clerk said so): the marks go."""
        for key in list(self._card_marks):
            self.clear_card_mark(key)
        self.confirm_card_button.hide()

    # ------------------------------------------------------------------ dropping card images

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event.mimeData())
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.id_card_dropped.emit(self, paths)

    @staticmethod
    def _dropped_files(mime: QMimeData) -> list[str]:
        """Local files dropped (one or two: the card's sides); anything else is not ours."""
        if not mime.hasUrls():
            return []
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        return paths if 1 <= len(paths) <= 2 and len(paths) == len(mime.urls()) else []

    # ------------------------------------------------------------------ keys for look-ups

    def person_key(self) -> tuple[str, str, str] | None:
        """(document number, name, phone) the desk recognises this party by, or None.

        An organisation is looked up by its credit code the way registration does it."""
        number = self._valid_id if self.is_person() else self._valid_credit_code
        name = self.name.text().strip()
        phone = self._valid_phone if name else ""
        if not number and not phone:
            return None
        return number, name if phone else "", phone

    def respondent_key(self) -> tuple[str, str, str] | None:
        """(name, ID number, credit code) of a respondent, or None."""
        if self.role() is not PartyRole.RESPONDENT:
            return None
        name = self.name.text().strip()
        number = self._valid_id if self.is_person() else ""
        code = self._valid_credit_code if not self.is_person() else ""
        if not (name or number or code):
            return None
        return name, number, code

    # ------------------------------------------------------------------ history and crowd

    def show_history(self, found: list[PersonCase]) -> None:
        self._history = found
        self._render_history()

    def clear_history(self) -> None:
        self._history = None
        self.last_person_key = None
        self._render_history()

    def open_case(self) -> PersonCase | None:
        return next((c for c in self._history or [] if c.is_open), None)

    def _render_history(self) -> None:
        found = self._history
        if not found:
            self.history_label.hide()
            self.history_label.clear()
            return
        open_case = self.open_case()
        lines = []
        if open_case is not None:
            if self.role() is PartyRole.APPLICANT:
                text = self.tr("This person has an open case {number} ({state}); this registration will be "
                               "marked as a repeat visit.")
            else:
                text = self.tr("This person has an open case {number} ({state}).")
            lines.append(f'<b style="{ERROR_STYLE}">⚠ ' + html.escape(text.format(
                number=open_case.number, state=enum_text(open_case.state))) + "</b>")
        lines.append(html.escape(self.tr("Cases of this person at the center ({count}):").format(count=len(found))))
        for case in found[:HISTORY_SHOWN]:
            lines.append(
                f'&nbsp;&nbsp;<a href="case:{case.case_id}">{html.escape(case.number)}</a> · '
                f"{html.escape(enum_text(case.state))} · {case.received_at:%Y-%m-%d} · "
                f"{html.escape(enum_text(case.role))} · {html.escape(case.title)}"
            )
        if len(found) > HISTORY_SHOWN:
            lines.append("&nbsp;&nbsp;" + html.escape(self.tr("… and {count} more").format(
                count=len(found) - HISTORY_SHOWN)))
        self.history_label.setText("<br>".join(lines))
        self.history_label.setAccessibleDescription(self.history_label.text())
        self.history_label.show()

    def show_group_signal(self, signal: GroupSignal | None) -> None:
        self._signal = signal
        self._render_signal()

    def _render_signal(self) -> None:
        signal = self._signal
        if signal is None or signal.applicants == 0 or self.role() is not PartyRole.RESPONDENT:
            self.group_label.hide()
            self.group_label.clear()
            return
        values = {"applicants": signal.applicants, "cases": signal.cases, "days": signal.window_days,
                  "threshold": signal.threshold}
        if signal.flagged:
            text = self.tr("⚠ Possible group dispute: {applicants} applicants brought {cases} case(s) against "
                           "this respondent in the last {days} days (the center flags {threshold} or more). "
                           "Check, and tick “Group dispute” if so.").format(**values)
            self.group_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        else:
            text = self.tr("{applicants} applicant(s) brought {cases} case(s) against this respondent in the "
                           "last {days} days.").format(**values)
            self.group_label.setStyleSheet("")
        self.group_label.setText(text)
        self.group_label.show()

    def _link(self, href: str) -> None:
        if href.startswith("case:") and href[5:].isdigit():
            self.case_link_activated.emit(int(href[5:]))

    # ------------------------------------------------------------------ checking

    def validate(self) -> list[FieldBox]:
        """Check every shown field; returns the boxes now showing a message, in visual order."""
        order = [self.name_box, self.id_number_box, self.birth_date_box, self.credit_code_box, self.phone_box]
        if self.agent_check.isChecked():
            order.append(self.agent_phone_box)
        return [box for box in order if not box.validate()]

    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.reset()

    # ------------------------------------------------------------------ data

    def to_input(self) -> PartyInput:
        """The party as the services take it: raw texts of this kind's fields (they clean them)."""
        person = self.is_person()
        agent = self.agent_check.isChecked()
        birth: date | None = None
        if person and self.birth_date.text().strip():
            try:
                birth = parse_date(self.birth_date.text())
            except InvalidInput:
                birth = None
        gender = self.gender_value() if person else None
        id_type = self.id_document() if person and self.id_number.text().strip() else None
        return PartyInput(
            role=self.role(),
            name=self.name.text(),
            kind=self.kind(),
            gender=gender,
            ethnicity=self.ethnicity.currentText() if person else "",
            birth_date=birth,
            id_type=id_type,
            id_number=self.id_number.text() if person else "",
            occupation=self.occupation.text(),
            work_unit=self.work_unit.text() if person else "",
            address=self.address.text(),
            phone=self.phone.text(),
            legal_representative="" if person else self.legal_representative.text(),
            credit_code="" if person else self.credit_code.text(),
            is_minor=person and self.minor.isChecked(),
            agent_name=self.agent_name.text() if agent else "",
            agent_phone=self.agent_phone.text() if agent else "",
            agent_authority=self.agent_authority.currentText() if agent else "",
            id_issuer=self.id_issuer if person else "",
            id_validity=self.id_validity if person else "",
        )

    def is_blank(self) -> bool:
        state = self.state()
        return not any(v for k, v in state.items() if k not in ("role", "kind", "id_type"))

    def state(self) -> dict[str, Any]:
        """Everything on this party exactly as typed, for the draft (hidden fields included)."""
        gender = self.gender_value()
        return {
            "role": str(self.role()), "kind": str(self.kind()), "name": self.name.text(),
            "id_type": str(self.id_document()), "id_number": self.id_number.text(),
            "gender": str(gender) if gender is not None else "",
            "birth_date": self.birth_date.text(), "ethnicity": self.ethnicity.currentText(),
            "occupation": self.occupation.text(), "work_unit": self.work_unit.text(),
            "address": self.address.text(), "phone": self.phone.text(),
            "credit_code": self.credit_code.text(), "legal_representative": self.legal_representative.text(),
            "is_minor": self.minor.isChecked(), "has_agent": self.agent_check.isChecked(),
            "agent_name": self.agent_name.text(), "agent_phone": self.agent_phone.text(),
            "agent_authority": self.agent_authority.currentText(),
            "id_issuer": self.id_issuer, "id_validity": self.id_validity,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put back what :meth:`state` returned. Unknown values fall back to the defaults rather
        than failing: a draft must never keep the form from opening."""

        def text(key: str) -> str:
            value = state.get(key, "")
            return value if isinstance(value, str) else ""

        def choose(combo: QComboBox, value: str, default: int = 0) -> None:
            index = next((i for i in range(combo.count()) if str(combo.itemData(i)) == value), default)
            combo.setCurrentIndex(index)

        self._restoring = True
        try:
            choose(self.role_combo, text("role"))
            choose(self.kind_combo, text("kind"))
            choose(self.id_type, text("id_type"))
            choose(self.gender, text("gender") or "None")
            for edit, key in ((self.name, "name"), (self.id_number, "id_number"), (self.birth_date, "birth_date"),
                              (self.occupation, "occupation"), (self.work_unit, "work_unit"),
                              (self.address, "address"), (self.phone, "phone"), (self.credit_code, "credit_code"),
                              (self.legal_representative, "legal_representative"),
                              (self.agent_name, "agent_name"), (self.agent_phone, "agent_phone")):
                edit.setText(text(key))
            self.ethnicity.setEditText(text("ethnicity"))
            self.id_issuer, self.id_validity = text("id_issuer"), text("id_validity")
            self.agent_authority.setEditText(text("agent_authority"))
            self.minor.setChecked(bool(state.get("is_minor")))
            self.agent_check.setChecked(bool(state.get("has_agent")))
        finally:
            self._restoring = False
        self._valid_id = self._valid_phone = self._valid_credit_code = ""
        self.clear_errors()

    def recheck_keys(self) -> None:
        """After a restore: recognise the person again from what is typed (quietly: a wrong value
        gets its message when the clerk leaves the field or saves)."""
        for box, attribute in ((self.id_number_box, "_valid_id"), (self.phone_box, "_valid_phone"),
                               (self.credit_code_box, "_valid_credit_code")):
            message, value = box.problem(box.text())
            if message is None and value is not None:
                setattr(self, attribute, str(value))
        # The restored sex and birth date are what they were, whatever the number says.
        self._filled_from = self._valid_id
        self._update_derived()
        self._keys_changed()

    def widget_for(self, field: str) -> FieldBox | None:
        if field.startswith("agent_") and not self.agent_check.isChecked():
            self.agent_check.setChecked(True)  # a minor's guardian is asked for: show where it goes
        return self.boxes.get(field)


#: Party forms made ahead while the desk is idle (:func:`prepare_party_forms`), for the next
#: registration form to take (:func:`take_prepared_party_form`) instead of making its own.
_PREPARED: list[PartyForm] = []
#: As many as an empty registration form has: an applicant and a respondent.
PREPARED_FORMS = 2


def prepare_party_forms(count: int = PREPARED_FORMS) -> None:
    """Make party forms ahead, one per turn of the event loop (each ~20 ms of the GUI thread, too
    short for anyone to notice, and a click or a keystroke in between is answered first), until
    ``count`` wait. The window asks for them once its first rows are painted when its 受理登记 is
    not made yet: its first show then places them instead of making them (the two were about half
    the form's making)."""

    def one() -> None:
        if len(_PREPARED) >= count:
            return
        form = PartyForm()
        form.ensurePolished()
        _PREPARED.append(form)
        if len(_PREPARED) < count:
            QTimer.singleShot(0, one)

    QTimer.singleShot(0, one)


def take_prepared_party_form() -> PartyForm | None:
    """A party form made ahead, if one waits (it is the caller's from now on)."""
    return _PREPARED.pop(0) if _PREPARED else None
