"""本中心文书信息: the address, phone and committee name one's own center prints on its papers
(docs/centers.md "The papers a center issues"), kept by its head or administrator.

The county center's are its settings (center_address, center_phone, committee_name); a township's
or a village's its own profile (``center_feedback``, migration 0042). Read first, then shown; saved
on the write lane; a refusal is shown under the fields, the field it names gets the focus, and
everything typed stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from mediation_desk.readmodels.center import CenterProfile
from mediation_desk.services import center
from mediation_desk.ui.admin.org_forms import NOTE_STYLE
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from mediation_desk.services.actor import Actor


class CenterProfileDialog(QDialog):
    """The actor's own center as its papers print it: address, phone, committee name."""

    #: Saved: the CenterProfile kept.
    saved = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, current: CenterProfile, center_name: str,
                 default_committee: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centerProfileDialog")
        self.setWindowTitle(self.tr("{center} on its papers").format(center=center_name))
        self._runner, self._actor = runner, actor
        self.address_edit = named(QLineEdit(current.address), "profileAddress")
        self.address_edit.setMaxLength(max(center.ADDRESS_MAX, len(current.address)))
        self.address_edit.setPlaceholderText(self.tr("e.g. 甘州区梁家墩镇政府院内"))
        self.phone_edit = named(QLineEdit(current.phone), "profilePhone")
        # Never shorter than what is kept: a longer value is shown whole and refused on saving.
        self.phone_edit.setMaxLength(max(center.PHONE_MAX, len(current.phone)))
        self.phone_edit.setPlaceholderText(self.tr("e.g. 0936-8561234"))
        self.committee_edit = named(QLineEdit(current.committee), "profileCommittee")
        self.committee_edit.setMaxLength(max(center.COMMITTEE_MAX, len(current.committee)))
        self.committee_edit.setPlaceholderText(default_committee)
        for edit in (self.address_edit, self.phone_edit, self.committee_edit):
            edit.setMinimumWidth(380)
        self.note = named(QLabel(self.tr(
            "The session notices, intake slips, agreements and other papers of the cases this center works "
            "on print these. Left blank, the address and phone are a line to fill in by hand, and the "
            "committee is named after the center: {committee}.").format(committee=default_committee)),
            "profileNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.error_label = named(QLabel(), "profileError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow(self.note)
        form.addRow(self.tr("Address:"), self.address_edit)
        form.addRow(self.tr("Phone:"), self.phone_edit)
        form.addRow(self.tr("Mediation committee:"), self.committee_edit)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def entered(self) -> CenterProfile:
        return CenterProfile(self.address_edit.text(), self.phone_edit.text(), self.committee_edit.text())

    def save(self) -> None:
        data, actor = self.entered(), self._actor
        self.error_label.clear()
        self.buttons.setEnabled(False)
        self._runner.run_write(lambda session: center.set_profile(session, actor, data), self._saved, self._refused)

    def _saved(self, kept: CenterProfile) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(kept)
        self.accept()

    def _refused(self, failure: TaskFailure) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(failure.message)
        self.adjustSize()  # the message wraps to as many lines as it needs
        edit = {"address": self.address_edit, "phone": self.phone_edit,
                "committee": self.committee_edit}.get(failure.field or "")
        if edit is not None:
            edit.setFocus()
