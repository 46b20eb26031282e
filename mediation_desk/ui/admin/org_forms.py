"""The edit forms beside the organisation tables: one for a department, a team, a mediator.

Each form shows the selected row or a blank new one, saves through ``services.organisation``
and puts the service's message under the field it names. Nothing typed is lost on an error; a
reload of the lists (after any change) refreshes the form only while it has no unsaved edits, and
it keeps the version it was opened with, so saving over someone else's change is a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import CenterLevel, MediatorKind, PresenceMode
from mediation_desk.services import organisation
from mediation_desk.services.centers import CenterInfo, CenterInput
from mediation_desk.services.errors import Conflict
from mediation_desk.services.organisation import (
    DepartmentInfo,
    DepartmentInput,
    MediatorInfo,
    MediatorInput,
    Organisation,
    Saved,
    TeamInfo,
    TeamInput,
)
from mediation_desk.ui.admin.org_models import joined, kind_text, level_text, presence_text
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.tick_list import TickItem, TickListModel
from mediation_desk.ui.common.typeahead import type_ahead
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

NOTE_STYLE = "color: #a15c00;"
HINT_STYLE = f"color: {FINAL_COLOUR};"

I = TypeVar("I", DepartmentInfo, TeamInfo, MediatorInfo, CenterInfo)  # noqa: E741 - the item a form edits


def _fill_centers(combo: QComboBox, org: Organisation | None, chosen: int | None) -> None:
    """The centers a team or mediator may belong to (the editor's own and those below)."""
    combo.blockSignals(True)
    combo.clear()
    for center in org.centers if org else ():
        if center.active or center.id == chosen:
            combo.addItem("\u3000" * center.depth + center.name, center.id)
    index = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def _chosen_center(combo: QComboBox) -> int | None:
    value = combo.currentData()
    return value if isinstance(value, int) else None


def _plain_text_height(editor: QPlainTextEdit, lines: int) -> None:
    metrics = editor.fontMetrics()
    editor.setFixedHeight(metrics.lineSpacing() * lines + 2 * editor.frameWidth() + 8)


class OrgForm(QWidget, Generic[I]):
    """What the three forms share: fields with their error lines, the buttons, the save cycle."""

    # The service functions of the row kind (plain functions: they run on the write lane, so the
    # work given to it must not reach back into this widget).
    create_service: ClassVar[Callable[..., Saved[Any]]]
    update_service: ClassVar[Callable[..., Saved[Any]]]
    deactivate_service: ClassVar[Callable[..., Saved[Any]]]
    reactivate_service: ClassVar[Callable[..., Saved[Any]]]

    #: A row was created or changed (its id), so the table can select it after the reload.
    saved = Signal(int)
    #: The lists should be read again (after a conflict: someone else saved first).
    reload_requested = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, *, can_edit: bool, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._runner = runner
        self._actor = actor
        self.can_edit = can_edit
        self._current: I | None = None
        #: The newest version of the current row the lists brought (what "discard" goes back to).
        self._latest: I | None = None
        self._dirty = False
        self._loading = False
        self._busy = False
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

        self.title = named(QLabel(), f"{name}Title")
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

        self.message = named(QLabel(), f"{name}Message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.notes = named(QLabel(), f"{name}Notes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(NOTE_STYLE)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()

        self.save_button = named(QPushButton(self.tr("Save")), f"{name}Save")
        self.save_button.setDefault(True)
        self.discard_button = named(QPushButton(self.tr("Discard changes")), f"{name}Discard")
        self.discard_button.setToolTip(self.tr("Show the saved values again (the latest, if someone else "
                                               "changed them)."))
        self.active_button = named(QPushButton(self.tr("Deactivate")), f"{name}Active")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.active_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.notes)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.active_button.clicked.connect(self.toggle_active)

    # ------------------------------------------------------------------ building

    def add_field(self, field: str, caption: str, editor: QWidget, *, hint: QLabel | None = None) -> QLabel:
        """A row of the form: caption, editor, an optional hint and the line its error goes on."""
        error = named(QLabel(), f"{editor.objectName()}Error")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error.hide()
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(editor)
        if hint is not None:
            hint.setWordWrap(True)
            hint.setStyleSheet(HINT_STYLE)
            box_layout.addWidget(hint)
        box_layout.addWidget(error)
        label = QLabel(caption)
        label.setBuddy(editor)
        self.form.addRow(label, box)
        self.editors[field] = editor
        self.errors[field] = error
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text, f=field: self._edited(f))
            editor.returnPressed.connect(self.save)
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda f=field: self._edited(f))
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _index, f=field: self._edited(f))
        return label

    def watch_checklist(self, field: str, model: TickListModel) -> None:
        model.checked_changed.connect(lambda f=field: self._edited(f))

    def finish(self) -> None:
        """Call at the end of a subclass's constructor: show a blank form and lock it if need be."""
        for editor in self.editors.values():
            editor.setEnabled(self.can_edit)
            if not self.can_edit and isinstance(editor, QLineEdit | QPlainTextEdit):
                editor.setPlaceholderText("")  # an example of what to type, where nothing can be typed
        for button in (self.save_button, self.discard_button, self.active_button):
            button.setVisible(self.can_edit)
        self.show_new()

    # ------------------------------------------------------------------ what subclasses say

    def populate(self, item: I | None) -> None:
        raise NotImplementedError

    def collect(self) -> Any:
        raise NotImplementedError

    def title_for(self, item: I | None) -> str:
        raise NotImplementedError

    def set_reference(self, org: Organisation) -> None:
        """The other lists the form picks from (departments, dispute types, mediators)."""

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> I | None:
        return self._current

    @property
    def current_id(self) -> int | None:
        return self._current.id if self._current is not None else None

    @property
    def dirty(self) -> bool:
        return self._dirty

    def show_new(self) -> None:
        """A blank form for a new row."""
        self._show(None, keep_message=False)
        if self.can_edit:
            first = next(iter(self.editors.values()), None)
            if first is not None:
                first.setFocus()

    def show_item(self, item: I) -> None:
        """The selected row (what was typed for another row is dropped)."""
        self._show(item, keep_message=False)

    def refresh(self, item: I) -> None:
        """The lists were read again: show the new values unless the user is editing."""
        self._latest = item
        if not self._dirty:
            self._show(item, keep_message=True)
        else:
            self._update_buttons()

    def discard(self) -> None:
        item = self._latest if self._current is not None else None
        self._show(item, keep_message=False)

    def _show(self, item: I | None, *, keep_message: bool) -> None:
        self._current = item
        self._latest = item
        self._loading = True
        try:
            self.populate(item)
        finally:
            self._loading = False
        self._dirty = False
        self._clear_errors()
        if not keep_message:
            self.message.hide()
            self.notes.hide()
        self.title.setText(self.title_for(item))
        self._update_buttons()

    def _edited(self, field: str) -> None:
        if self._loading:
            return
        self._dirty = True
        error = self.errors.get(field)
        if error is not None:
            error.hide()
        self._update_buttons()

    def _update_buttons(self) -> None:
        editing = self._current is not None
        self.save_button.setEnabled(self.can_edit and not self._busy)
        self.discard_button.setVisible(self.can_edit and self._dirty)
        self.discard_button.setEnabled(not self._busy)
        self.active_button.setVisible(self.can_edit and editing)
        self.active_button.setEnabled(not self._busy and not self._dirty)
        self.active_button.setToolTip(self.tr("Save or discard your changes first.") if self._dirty else "")
        if self._current is not None:
            self.active_button.setText(self.tr("Deactivate") if self._current.active else self.tr("Reactivate"))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _clear_errors(self) -> None:
        for error in self.errors.values():
            error.hide()

    def _say(self, text: str, *, error: bool, notes: tuple[str, ...] = ()) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setVisible(bool(text))
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    # ------------------------------------------------------------------ writing

    def save(self) -> None:
        if self._busy or not self.can_edit:
            return
        actor, data, current = self._actor, self.collect(), self._current
        create, update = type(self).create_service, type(self).update_service
        item_id, version = (current.id, current.version) if current is not None else (None, 0)

        def work(session: Session) -> Saved[I]:
            if item_id is None:
                return create(session, actor, data)
            return update(session, actor, item_id, data, expected_version=version)

        self._clear_errors()
        self._write(work, self.tr("Saved “{name}”."))

    def toggle_active(self) -> None:
        current = self._current
        if current is None or self._busy or not self.can_edit or self._dirty:
            return
        actor, item_id, version, active = self._actor, current.id, current.version, not current.active

        change = type(self).reactivate_service if active else type(self).deactivate_service

        def work(session: Session) -> Saved[I]:
            return change(session, actor, item_id, expected_version=version)

        done = self.tr("“{name}” is active again.") if active else self.tr(
            "“{name}” is deactivated; everything recorded under it is kept.")
        self._write(work, done)

    def _write(self, work: Callable[[Session], Saved[I]], done_text: str) -> None:
        def done(result: Saved[I]) -> None:
            self._set_busy(False)
            self._show(result.item, keep_message=False)
            self._say(done_text.format(name=result.item.name), error=False, notes=result.notes)
            self.saved.emit(result.item.id)

        self._set_busy(True)
        self.message.hide()
        self.notes.hide()
        self._runner.run_write(work, on_success=done, on_error=self._failed)

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        field = failure.field
        error = self.errors.get(field or "")
        if error is not None and field is not None:
            error.setText(failure.message)
            error.show()
            self.message.hide()
            self.notes.hide()
            self.editors[field].setFocus()
        else:
            self._say(failure.message, error=True)
        if isinstance(failure.error, Conflict):
            # Keep what was typed; fetch the newest rows so "Discard changes" goes back to them.
            self._dirty = True
            self._update_buttons()
            self.reload_requested.emit()


# --------------------------------------------------------------------------- departments


class DepartmentForm(OrgForm[DepartmentInfo]):
    create_service = staticmethod(organisation.create_department)
    update_service = staticmethod(organisation.update_department)
    deactivate_service = staticmethod(organisation.deactivate_department)
    reactivate_service = staticmethod(organisation.reactivate_department)

    def __init__(self, runner: TaskRunner, actor: Actor, *, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(runner, actor, can_edit=can_edit, name="departmentForm", parent=parent)
        self.name_edit = named(QLineEdit(), "departmentName")
        self.name_edit.setMaxLength(80)
        self.presence_combo = named(QComboBox(), "departmentPresence")
        for mode in PresenceMode:
            self.presence_combo.addItem(presence_text(mode), mode.value)
        self.presence_hint = named(QLabel(), "departmentPresenceHint")
        self.rota_edit = named(QPlainTextEdit(), "departmentRota")
        self.rota_edit.setPlaceholderText(self.tr("e.g. Monday, Wednesday and Friday mornings"))
        self.rota_edit.setTabChangesFocus(True)
        _plain_text_height(self.rota_edit, 3)
        self.contact_edit = named(QLineEdit(), "departmentContact")
        self.contact_edit.setMaxLength(40)
        self.phone_edit = named(QLineEdit(), "departmentPhone")
        self.phone_edit.setPlaceholderText(self.tr("Mobile, or landline with area code"))
        self.mediators_label = named(QLabel(), "departmentMediators")
        self.mediators_label.setWordWrap(True)

        self.add_field("name", self.tr("Name"), self.name_edit)
        self.add_field("presence", self.tr("Presence"), self.presence_combo, hint=self.presence_hint)
        self.rota_caption = self.add_field("rota", self.tr("Rota"), self.rota_edit)
        self.contact_caption = self.add_field("contact_person", self.tr("Contact person"), self.contact_edit)
        self.phone_caption = self.add_field("contact_phone", self.tr("Contact phone"), self.phone_edit)
        self.form.addRow(self.tr("Stationed mediators"), self.mediators_label)
        self.presence_combo.currentIndexChanged.connect(self._presence_changed)
        self.finish()

    def presence(self) -> PresenceMode:
        return PresenceMode(self.presence_combo.currentData())

    def _presence_changed(self) -> None:
        mode = self.presence()
        hints = {
            PresenceMode.RESIDENT: self.tr("At the center every working day."),
            PresenceMode.ROTATING: self.tr("Takes turns at the center: say when in the rota."),
            PresenceMode.ON_CALL: self.tr("Comes when called: a contact person and a phone number are required."),
        }
        self.presence_hint.setText(hints[mode])
        required = " *"
        self.rota_caption.setText(self.tr("Rota") + (required if mode is PresenceMode.ROTATING else ""))
        on_call = mode is PresenceMode.ON_CALL
        self.contact_caption.setText(self.tr("Contact person") + (required if on_call else ""))
        self.phone_caption.setText(self.tr("Contact phone") + (required if on_call else ""))

    def populate(self, item: DepartmentInfo | None) -> None:
        self.name_edit.setText(item.name if item else "")
        mode = item.presence if item else PresenceMode.RESIDENT
        self.presence_combo.setCurrentIndex(self.presence_combo.findData(mode.value))
        self.rota_edit.setPlainText(item.rota if item else "")
        self.contact_edit.setText(item.contact_person if item else "")
        self.phone_edit.setText(item.contact_phone if item else "")
        names = item.mediator_names if item else ()
        self.mediators_label.setText(joined(names) if names else self.tr("None"))
        self._presence_changed()

    def collect(self) -> DepartmentInput:
        return DepartmentInput(name=self.name_edit.text(), presence=self.presence(),
                               contact_person=self.contact_edit.text(), contact_phone=self.phone_edit.text(),
                               rota=self.rota_edit.toPlainText())

    def title_for(self, item: DepartmentInfo | None) -> str:
        if item is None:
            return self.tr("New department")
        if not item.active:
            return self.tr("{name} (deactivated)").format(name=item.name)
        return item.name


# --------------------------------------------------------------------------- teams


def _checklist_view(model: TickListModel, name: str, rows: int) -> QListView:
    """Tick boxes in a grid of equal cells, so 17 dispute types or 25 names take a few lines."""
    view = named(QListView(), name)
    view.setModel(model)
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    metrics = view.fontMetrics()
    cell_height = metrics.height() + 6
    view.setFixedHeight(cell_height * rows + 2 * view.frameWidth() + 4)

    def fit_cells() -> None:
        # The widest entry sets the cell: a check box, its text and a little air.
        widest = max((metrics.horizontalAdvance(item.text) for item in model.items()), default=40)
        view.setGridSize(QSize(widest + 34, cell_height))

    model.modelReset.connect(fit_cells)
    fit_cells()
    return view


class TeamForm(OrgForm[TeamInfo]):
    create_service = staticmethod(organisation.create_team)
    update_service = staticmethod(organisation.update_team)
    deactivate_service = staticmethod(organisation.deactivate_team)
    reactivate_service = staticmethod(organisation.reactivate_team)

    def __init__(self, runner: TaskRunner, actor: Actor, *, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(runner, actor, can_edit=can_edit, name="teamForm", parent=parent)
        self._org: Organisation | None = None
        self.name_edit = named(QLineEdit(), "teamName")
        self.name_edit.setMaxLength(80)
        self.types_model = TickListModel(self)
        self.types_view = _checklist_view(self.types_model, "teamTypes", 6)
        self.members_model = TickListModel(self)
        self.members_view = _checklist_view(self.members_model, "teamMembers", 5)
        self.lead_combo = type_ahead(named(QComboBox(), "teamLead"))
        self.open_label = named(QLabel(), "teamOpenCases")
        self.center_combo = named(QComboBox(), "teamCenter")

        self.add_field("name", self.tr("Name"), self.name_edit)
        self.center_caption = self.add_field("center", self.tr("Center"), self.center_combo)
        self.add_field("dispute_types", self.tr("Dispute types"), self.types_view,
                       hint=QLabel(self.tr("A type may be handled by several teams.")))
        self.add_field("members", self.tr("Members"), self.members_view,
                       hint=QLabel(self.tr("Active mediators; unticking one ends their membership (it stays on "
                                           "record).")))
        self.add_field("lead", self.tr("Lead"), self.lead_combo)
        self.form.addRow(self.tr("Open cases"), self.open_label)
        self.watch_checklist("dispute_types", self.types_model)
        self.watch_checklist("members", self.members_model)
        self.members_model.checked_changed.connect(self._members_changed)
        self.center_combo.currentIndexChanged.connect(lambda _index: self._fill_lists(keep_ticks=True))
        self.form.setRowVisible(self.center_caption, False)
        self.finish()

    def _default_center(self) -> int | None:
        item = self.current
        return item.center_id if item is not None else self._actor.center_id

    def set_reference(self, org: Organisation) -> None:
        self._org = org
        self.form.setRowVisible(self.center_caption, len(org.centers) > 1)
        _fill_centers(self.center_combo, org, _chosen_center(self.center_combo) if self.dirty
                      else self._default_center())
        self._fill_lists(keep_ticks=self.dirty)

    def _fill_lists(self, *, keep_ticks: bool) -> None:
        org = self._org
        item = self.current
        if keep_ticks:
            types, members = list(self.types_model.checked_ids()), list(self.members_model.checked_ids())
            lead = self.lead_id()
        elif item is not None:
            types, members, lead = list(item.dispute_type_ids), list(item.member_ids), item.lead_mediator_id
        else:
            types, members, lead = [], [], None
        type_choices = org.dispute_types if org else ()
        self.types_model.set_items(
            [TickItem(t.id, t.name if t.active else self.tr("{name} (deactivated)").format(name=t.name),
                       muted=not t.active)
             for t in type_choices if t.active or t.id in types],
            types,
        )
        center = _chosen_center(self.center_combo)
        mediators = [m for m in (org.mediators if org else ()) if center is None or m.center_id == center]
        members = [m for m in members if any(x.id == m for x in mediators)]
        self.members_model.set_items(
            [TickItem(m.id, m.name, muted=not m.active) for m in mediators if m.active or m.id in members],
            members,
        )
        self._fill_leads(lead)

    def _fill_leads(self, lead: int | None) -> None:
        self.lead_combo.blockSignals(True)
        self.lead_combo.clear()
        self.lead_combo.addItem(self.tr("Choose among the members…"), None)
        names = {i.id: i.text for i in self.members_model.items()}
        for mediator_id in self.members_model.checked_ids():
            self.lead_combo.addItem(names[mediator_id], mediator_id)
        self.lead_combo.setCurrentIndex(max(self.lead_combo.findData(lead), 0) if lead is not None else 0)
        self.lead_combo.blockSignals(False)

    def _members_changed(self) -> None:
        self._fill_leads(self.lead_id())

    def lead_id(self) -> int | None:
        value = self.lead_combo.currentData()
        return value if isinstance(value, int) else None

    def populate(self, item: TeamInfo | None) -> None:
        self.name_edit.setText(item.name if item else "")
        _fill_centers(self.center_combo, self._org, item.center_id if item else self._actor.center_id)
        self._fill_lists(keep_ticks=False)
        if item is None:
            self.open_label.setText("")
        else:
            self.open_label.setText(f"{item.open_cases:,}")

    def collect(self) -> TeamInput:
        return TeamInput(name=self.name_edit.text(), dispute_type_ids=self.types_model.checked_ids(),
                         member_ids=self.members_model.checked_ids(), lead_mediator_id=self.lead_id(),
                         center_id=_chosen_center(self.center_combo))

    def title_for(self, item: TeamInfo | None) -> str:
        if item is None:
            return self.tr("New team")
        if not item.active:
            return self.tr("{name} (deactivated)").format(name=item.name)
        return item.name


# --------------------------------------------------------------------------- mediators


class MediatorForm(OrgForm[MediatorInfo]):
    create_service = staticmethod(organisation.create_mediator)
    update_service = staticmethod(organisation.update_mediator)
    deactivate_service = staticmethod(organisation.deactivate_mediator)
    reactivate_service = staticmethod(organisation.reactivate_mediator)

    def __init__(self, runner: TaskRunner, actor: Actor, *, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(runner, actor, can_edit=can_edit, name="mediatorForm", parent=parent)
        self._org: Organisation | None = None
        self.name_edit = named(QLineEdit(), "mediatorName")
        self.name_edit.setMaxLength(60)
        self.kind_combo = named(QComboBox(), "mediatorKind")
        for kind in MediatorKind:
            self.kind_combo.addItem(kind_text(kind), kind.value)
        self.department_combo = type_ahead(named(QComboBox(), "mediatorDepartment"))
        self.phone_edit = named(QLineEdit(), "mediatorPhone")
        self.specialties_edit = named(QLineEdit(), "mediatorSpecialties")
        self.specialties_edit.setMaxLength(200)
        self.specialties_edit.setPlaceholderText(self.tr("e.g. land contracts; retired cadre"))
        self.address_edit = named(QLineEdit(), "mediatorAddress")
        self.address_edit.setMaxLength(200)
        self.relations_edit = named(QPlainTextEdit(), "mediatorRelations")
        self.relations_edit.setTabChangesFocus(True)
        self.relations_edit.setPlaceholderText(self.tr("One per line, e.g. 张三 (cousin)"))
        _plain_text_height(self.relations_edit, 3)
        self.teams_label = named(QLabel(), "mediatorTeams")
        self.teams_label.setWordWrap(True)
        self.open_label = named(QLabel(), "mediatorOpenCases")
        self.center_combo = named(QComboBox(), "mediatorCenter")

        self.add_field("name", self.tr("Name"), self.name_edit)
        self.center_caption = self.add_field("center", self.tr("Center"), self.center_combo)
        self.add_field("kind", self.tr("Kind"), self.kind_combo)
        self.department_caption = self.add_field("department", self.tr("Department"), self.department_combo)
        self.add_field("phone", self.tr("Phone"), self.phone_edit)
        self.add_field("specialties", self.tr("Specialties"), self.specialties_edit)
        self.add_field("address", self.tr("Address"), self.address_edit)
        self.add_field("declared_relations", self.tr("Declared relations"), self.relations_edit,
                       hint=QLabel(self.tr("Relatives and close acquaintances; checked against the parties of "
                                           "each case for recusal.")))
        self.form.addRow(self.tr("Teams"), self.teams_label)
        self.form.addRow(self.tr("Open cases led"), self.open_label)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.form.setRowVisible(self.center_caption, False)
        self.finish()

    def kind(self) -> MediatorKind:
        return MediatorKind(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        stationed = self.kind() is MediatorKind.STATIONED
        self.department_combo.setEnabled(self.can_edit and stationed)
        self.department_caption.setText(self.tr("Department") + (" *" if stationed else ""))
        if not stationed:
            self.department_combo.setCurrentIndex(0)

    def set_reference(self, org: Organisation) -> None:
        self._org = org
        chosen = self.department_id() if self.dirty else (self.current.department_id if self.current else None)
        self._fill_departments(chosen)
        self.form.setRowVisible(self.center_caption, len(org.centers) > 1)
        _fill_centers(self.center_combo, org, _chosen_center(self.center_combo) if self.dirty else
                      (self.current.center_id if self.current else self._actor.center_id))

    def _fill_departments(self, chosen: int | None) -> None:
        self.department_combo.blockSignals(True)
        self.department_combo.clear()
        self.department_combo.addItem(self.tr("None"), None)
        for department in self._org.departments if self._org else ():
            if department.active:
                self.department_combo.addItem(department.name, department.id)
            elif department.id == chosen:
                self.department_combo.addItem(self.tr("{name} (deactivated)").format(name=department.name),
                                              department.id)
        index = self.department_combo.findData(chosen) if chosen is not None else 0
        self.department_combo.setCurrentIndex(max(index, 0))
        self.department_combo.blockSignals(False)

    def department_id(self) -> int | None:
        value = self.department_combo.currentData()
        return value if isinstance(value, int) else None

    def populate(self, item: MediatorInfo | None) -> None:
        self.name_edit.setText(item.name if item else "")
        _fill_centers(self.center_combo, self._org, item.center_id if item else self._actor.center_id)
        kind = item.kind if item else MediatorKind.STATIONED
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self._fill_departments(item.department_id if item else None)
        self.phone_edit.setText(item.phone if item else "")
        self.specialties_edit.setText(item.specialties if item else "")
        self.address_edit.setText(item.address if item else "")
        self.relations_edit.setPlainText(item.declared_relations if item else "")
        if item is None:
            self.teams_label.setText("")
            self.open_label.setText("")
        else:
            teams = [self.tr("{team} (lead)").format(team=name) if name in item.leads_teams else name
                     for name in item.team_names]
            self.teams_label.setText(joined(teams) if teams else self.tr("None"))
            self.open_label.setText(f"{item.open_cases:,}")
        self._kind_changed()

    def collect(self) -> MediatorInput:
        stationed = self.kind() is MediatorKind.STATIONED
        return MediatorInput(name=self.name_edit.text(), kind=self.kind(),
                             department_id=self.department_id() if stationed else None,
                             phone=self.phone_edit.text(), specialties=self.specialties_edit.text(),
                             declared_relations=self.relations_edit.toPlainText(),
                             address=self.address_edit.text(), center_id=_chosen_center(self.center_combo))

    def title_for(self, item: MediatorInfo | None) -> str:
        if item is None:
            return self.tr("New mediator")
        if not item.active:
            return self.tr("{name} (deactivated)").format(name=item.name)
        return item.name


# --------------------------------------------------------------------------- centers


class CenterForm(OrgForm[CenterInfo]):
    """A center of the county (docs/centers.md): the administrator adds townships and villages."""

    create_service = staticmethod(organisation.create_center)
    update_service = staticmethod(organisation.update_center)
    deactivate_service = staticmethod(organisation.deactivate_center)
    reactivate_service = staticmethod(organisation.reactivate_center)

    def __init__(self, runner: TaskRunner, actor: Actor, *, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__(runner, actor, can_edit=can_edit, name="centerForm", parent=parent)
        self._org: Organisation | None = None
        self.name_edit = named(QLineEdit(), "centerName")
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText(self.tr("e.g. 梁家墩镇综治中心"))
        self.level_combo = named(QComboBox(), "centerLevel")
        for level in CenterLevel:
            self.level_combo.addItem(level_text(level), level.value)
        self.parent_combo = named(QComboBox(), "centerParent")
        self.prefix_edit = named(QLineEdit(), "centerPrefix")
        self.prefix_edit.setMaxLength(40)
        self.prefix_edit.setPlaceholderText(self.tr("e.g. 甘州梁家墩调"))
        self.example = named(QLabel(), "centerPrefixExample")
        self.add_field("name", self.tr("Name"), self.name_edit)
        self.add_field("level", self.tr("Level"), self.level_combo)
        self.add_field("parent", self.tr("Parent center"), self.parent_combo)
        self.add_field("prefix", self.tr("Case-number prefix"), self.prefix_edit, hint=self.example)
        self.prefix_edit.textChanged.connect(self._show_example)
        self.finish()

    def _show_example(self) -> None:
        prefix = "".join(self.prefix_edit.text().split())
        self.example.setText(self.tr("Its cases are numbered （2026）{prefix}字第0001号.").format(
            prefix=prefix or "…"))

    def set_reference(self, org: Organisation) -> None:
        self._org = org
        chosen = self.parent_id() if self.dirty else (self.current.parent_id if self.current else None)
        self._fill_parents(chosen)

    def _fill_parents(self, chosen: int | None) -> None:
        self.parent_combo.blockSignals(True)
        self.parent_combo.clear()
        self.parent_combo.addItem(self.tr("None (the county center)"), None)
        current = self.current_id
        for center in self._org.centers if self._org else ():
            if center.level is not CenterLevel.VILLAGE and center.id != current:
                self.parent_combo.addItem("\u3000" * center.depth + center.name, center.id)
        index = self.parent_combo.findData(chosen) if chosen is not None else 0
        self.parent_combo.setCurrentIndex(max(index, 0))
        self.parent_combo.blockSignals(False)

    def parent_id(self) -> int | None:
        value = self.parent_combo.currentData()
        return value if isinstance(value, int) else None

    def populate(self, item: CenterInfo | None) -> None:
        self.name_edit.setText(item.name if item else "")
        level = item.level if item else CenterLevel.TOWNSHIP
        self.level_combo.setCurrentIndex(self.level_combo.findData(level.value))
        default_parent = self._actor.center_id if self._actor.center_id is not None else None
        self._fill_parents(item.parent_id if item else default_parent)
        self.prefix_edit.setText(item.prefix if item else "")
        self._show_example()

    def collect(self) -> CenterInput:
        return CenterInput(name=self.name_edit.text(), level=CenterLevel(self.level_combo.currentData()),
                           parent_id=self.parent_id(), prefix=self.prefix_edit.text())

    def title_for(self, item: CenterInfo | None) -> str:
        if item is None:
            return self.tr("New center")
        if not item.active:
            return self.tr("{name} (deactivated)").format(name=item.name)
        return item.name
