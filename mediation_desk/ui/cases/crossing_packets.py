"""Crossing packets from the app (docs/crossings.md, "Offline townships"): 导出流转包… writes the
packet of a step this center took, 导入流转包… verifies and records one from the center above or
below. Shared by the case page's 上下级流转 box, the desk's 上下级流转 list and the main window's
File menu.

Both run off the GUI thread (``exchange.crossing`` through the task runner): the export on the slow
lane (it reads the case and its files), the import on the write lane (one transaction: its changes
reach every open list). The file is asked through ``ui.common.file_dialogs`` (transfer packets'
remembered folder); tests replace :attr:`CrossingPackets.choose_save` / :attr:`choose_open`.
The outcome is a message box kept in :attr:`CrossingPackets.message_box`: where the file was
written, or the import's Chinese result (a replay says nothing changed), or the refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from mediation_desk.services import crossings
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner

if TYPE_CHECKING:
    from mediation_desk.exchange.crossing import CrossingExport, CrossingImport
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.crossings import CrossingInfo

#: The steps a packet carries (``exchange.crossing.KINDS``; 联办 stays on the server). Named here
#: so that building a screen does not import the exchange (and SQLAlchemy's ORM) before first paint.
_CARRIED = frozenset({"report_up", "assign_down", "return", "feedback"})


def may_exchange(actor: Actor) -> bool:
    """Whether the account takes the steps of its center (the service's roles): only then does
    it see 导出流转包… and 导入流转包…."""
    return actor.center_id is not None and actor.role in crossings.STEP_ROLES


def exportable(actor: Actor, step: CrossingInfo) -> bool:
    """A step this account's center took, of a kind a packet carries (not to a stationed department)."""
    return (may_exchange(actor) and step.from_center_id == actor.center_id and step.kind.value in _CARRIED
            and not step.department)


def default_filename(step: CrossingInfo) -> str:
    """The packet's suggested name: the case number, the step and the start of its uid (two
    feedbacks of one case get two names)."""
    number = re.sub(r'[\\/:*?"<>|\s]+', "_", step.case_number)
    return f"{number}_{step.kind.label}_{step.uid[:8]}.zip"


class CrossingPackets(QObject):
    """The two actions, for one window part (its ``parent_widget`` owns the dialogs)."""

    #: An import recorded (or found recorded) a step of this case: its id (the window opens it).
    imported = Signal(int)
    #: A packet was written: its path.
    exported = Signal(str)

    def __init__(self, runner: TaskRunner, actor: Actor, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._runner, self._actor, self._widget = runner, actor, parent_widget
        #: The last outcome shown (non-modal), while open.
        self.message_box: QMessageBox | None = None
        #: Asks where to save (suggested file name → chosen path or "").
        self.choose_save: Callable[[str], str] = self._ask_save
        #: Asks which packet to import (→ chosen path or "").
        self.choose_open: Callable[[], str] = self._ask_open
        #: True while an export or import runs (a second click waits for it).
        self.busy = False

    # ------------------------------------------------------------------ the file dialogs

    def _ask_save(self, filename: str) -> str:
        return file_dialogs.save_file_name(self._widget, self.tr("Save crossing packet"), file_dialogs.PACKET,
                                           filename, self.tr("Crossing packet (*.zip)"))

    def _ask_open(self) -> str:
        return file_dialogs.open_file_name(self._widget, self.tr("Choose a crossing packet"), file_dialogs.PACKET,
                                           self.tr("Crossing packet (*.zip)"))

    # ------------------------------------------------------------------ export

    def export_step(self, step: CrossingInfo) -> bool:
        """Ask where, then write the packet of ``step`` off the GUI thread; False if not started."""
        if self.busy or not exportable(self._actor, step):
            return False
        chosen = self.choose_save(default_filename(step))
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != ".zip":
            path = path.with_name(path.name + ".zip")
        database, actor, uid = self._runner.database, self._actor, step.uid

        def job() -> CrossingExport:
            from mediation_desk.exchange.crossing import export_crossing

            return export_crossing(database, actor, uid, out=path)

        self.busy = True
        self._runner.run_job(job, on_success=self._exported, on_error=self._failed, lane=Lane.SLOW)
        return True

    def _exported(self, result: CrossingExport) -> None:
        self.busy = False
        self._show(QMessageBox.Icon.Information, self.tr("Crossing packet saved"), self.tr(
            "The packet of {kind} of case {number} was written to:\n{path}\n\n{materials} material(s), {size} bytes. "
            "Carry this file to the other center; it imports it with “Import crossing packet…”.").format(
                kind=result.kind.label, number=result.case_number, path=result.path, materials=result.materials,
                size=f"{result.size:,}"))
        self.exported.emit(str(result.path))

    # ------------------------------------------------------------------ import

    def import_packet(self) -> bool:
        """Ask which packet, then verify and record it off the GUI thread; False if not started."""
        if self.busy or not may_exchange(self._actor):
            return False
        chosen = self.choose_open()
        if not chosen:
            return False
        path, database, actor = Path(chosen), self._runner.database, self._actor

        def job() -> CrossingImport:
            from mediation_desk.exchange.crossing import import_crossing

            return import_crossing(database, actor, path)

        self.busy = True
        self._runner.run_job(job, on_success=self._imported, on_error=self._failed)
        return True

    def _imported(self, result: CrossingImport) -> None:
        self.busy = False
        self._show(QMessageBox.Icon.Information, self.tr("Crossing packet imported"), result.message)
        self.imported.emit(result.step.case_id)

    def _failed(self, failure: TaskFailure) -> None:
        self.busy = False
        self._show(QMessageBox.Icon.Warning, self.tr("Crossing packet"), failure.message)

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._widget)
        box.setObjectName("crossingPacketMessage")
        self.message_box = box
        box.open()


__all__ = ["CrossingPackets", "default_filename", "exportable", "may_exchange"]
