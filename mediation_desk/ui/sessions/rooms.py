"""The center's mediation rooms (调解室), set up by the head or the administrator: a list, and a
form to add a room or change the selected one (name, capacity, where it is, in use or not)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.readmodels.sessions import RoomInfo
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, ImeLineEdit, list_table, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services import sessions
    from mediation_desk.services.actor import Actor


class RoomsModel(RowsModel[RoomInfo]):
    CONTEXT = "RoomsModel"
    COL_NAME, COL_CAPACITY, COL_LOCATION, COL_ACTIVE = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("RoomsModel", "Room"),
        QT_TRANSLATE_NOOP("RoomsModel", "Capacity"),
        QT_TRANSLATE_NOOP("RoomsModel", "Where"),
        QT_TRANSLATE_NOOP("RoomsModel", "In use"),
    )

    def text(self, row: RoomInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_CAPACITY:
            return str(row.capacity)
        if column == self.COL_LOCATION:
            return row.location
        return "✓" if row.active else "—"


class RoomsDialog(QDialog):
    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomsDialog")
        self.setWindowTitle(self.tr("Mediation rooms"))
        self._runner = runner
        self._actor = actor
        self._editing: RoomInfo | None = None
        self.model = RoomsModel(self)
        self.table = list_table(self.model, "roomsTable", {RoomsModel.COL_NAME: 160, RoomsModel.COL_CAPACITY: 70,
                                                           RoomsModel.COL_LOCATION: 160})
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.name: QLineEdit = named(ImeLineEdit(), "roomName")
        self.name.setMaxLength(60)
        self.capacity = named(QSpinBox(), "roomCapacity")
        self.capacity.setRange(1, 500)
        self.capacity.setValue(8)
        self.location: QLineEdit = named(ImeLineEdit(), "roomLocation")
        self.location.setMaxLength(120)
        self.active = named(QCheckBox(self.tr("In use")), "roomActive")
        self.active.setChecked(True)
        self.new_button = named(QPushButton(self.tr("New room")), "roomNew")
        self.save_button = named(QPushButton(self.tr("Save")), "roomSave")
        self.message = named(QLabel(), "roomMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Capacity:"), self.capacity)
        form.addRow(self.tr("&Where:"), self.location)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        #: Whose rooms these are: the signed-in person's center (a township's head sets up its own).
        self.center = named(QLabel(), "roomsCenter")
        layout = QVBoxLayout(self)
        layout.addWidget(self.center)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(560, 420)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._edit(current.row()))
        self.new_button.clicked.connect(self.new_room)
        self.save_button.clicked.connect(self.save)
        self.name.returnPressed.connect(self.save)
        self.load()

    def load(self) -> None:
        from mediation_desk.services import sessions

        actor = self._actor
        self._runner.run_read(lambda session: sessions.rooms_page(session, actor), on_success=self._show,
                              on_error=self._failed)

    def _show(self, page: sessions.RoomsPage) -> None:
        self.center.setText(self.tr("Rooms of {center}").format(center=page.center_name))
        self.model.set_rows(list(page.rooms))

    def _edit(self, row: int) -> None:
        room = self.model.row_at(row)
        if room is None:
            return
        self._editing = room
        self.name.setText(room.name)
        self.capacity.setValue(room.capacity)
        self.location.setText(room.location)
        self.active.setChecked(room.active)

    def new_room(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.name.clear()
        self.location.clear()
        self.capacity.setValue(8)
        self.active.setChecked(True)
        self.name.setFocus()

    def save(self) -> None:
        from mediation_desk.services import sessions

        actor, editing = self._actor, self._editing
        name, capacity, location, active = (self.name.text(), self.capacity.value(), self.location.text(),
                                            self.active.isChecked())

        def work(session: Session) -> RoomInfo:
            return sessions.save_room(session, actor, editing.id if editing else None, name=name, capacity=capacity,
                                      active=active, location=location,
                                      expected_version=editing.version if editing else None)

        def done(room: RoomInfo) -> None:
            self._editing = room
            self.message.setStyleSheet(OK_STYLE)
            self.message.setText(self.tr("Room “{name}” saved.").format(name=room.name))
            self.message.show()
            self.load()

        self._runner.run_write(work, on_success=done, on_error=self._failed)

    def _failed(self, failure: TaskFailure) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(failure.message)
        self.message.show()
