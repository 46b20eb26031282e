"""The address and phone a center gives, in one dialog for every place that edits them.

A center keeps one address and one phone (``services.center.OWN_FIELDS``: the county center's
settings, another center's ``center_feedback`` row): its papers print them (本中心文书信息…, in
组织机构 › 中心) and its public page gives them for feedback (公示 › 反馈方式…). Both dialogs are
a :class:`CenterContactsDialog` that adds its own fields, so the two fields' limits, wording and
refusals are written once. Saved on the write lane; a refusal is shown under the fields, the
field it names gets the focus, and everything typed stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from mediation_desk.services.center import ADDRESS_MAX, PHONE_MAX
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How wide each field is drawn (a whole address fits).
FIELD_WIDTH = 380


class CenterContactsDialog(QDialog):
    """The center's address and phone, then the fields a subclass adds (:meth:`lay_out`); Save
    runs :meth:`write` on the write lane."""

    #: Saved: what the write returned.
    saved = Signal(object)

    def __init__(self, runner: TaskRunner, address: str, phone: str, names: str,
                 parent: QWidget | None = None) -> None:
        """``names`` prefixes the object names of the fields (``{names}Address`` …)."""
        super().__init__(parent)
        self._runner = runner
        self.address_edit = named(QLineEdit(address), f"{names}Address")
        # Never shorter than what is kept: a longer value is shown whole and refused on saving.
        self.address_edit.setMaxLength(max(ADDRESS_MAX, len(address)))
        self.address_edit.setPlaceholderText(self.tr("e.g. 甘州区梁家墩镇政府院内"))
        self.phone_edit = named(QLineEdit(phone), f"{names}Phone")
        self.phone_edit.setMaxLength(max(PHONE_MAX, len(phone)))
        self.phone_edit.setPlaceholderText(self.tr("e.g. 0936-8561234"))
        self.error_label = named(QLabel(), f"{names}Error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        #: The line edit of each field a refusal may name.
        self.fields: dict[str, QLineEdit] = {"address": self.address_edit, "phone": self.phone_edit}

    def lay_out(self, more: Sequence[tuple[str, str, QLineEdit]] = (), note: QLabel | None = None) -> None:
        """Lay the dialog out: ``note`` above, the address and phone, then ``more`` (each its
        field's name in a refusal, its label, its line edit), the refusal and the buttons."""
        form = QFormLayout(self)
        if note is not None:
            form.addRow(note)
        form.addRow(self.tr("Address:"), self.address_edit)
        form.addRow(self.tr("Phone:"), self.phone_edit)
        for field, label, edit in more:
            form.addRow(label, edit)
            self.fields[field] = edit
        for edit in self.fields.values():
            edit.setMinimumWidth(FIELD_WIDTH)
        form.addRow(self.error_label)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def write(self) -> Callable[[Session], Any]:
        """The write of what is entered (read on the GUI thread, run on the write lane)."""
        raise NotImplementedError

    def save(self) -> None:
        write = self.write()
        self.error_label.clear()
        self.buttons.setEnabled(False)
        self._runner.run_write(write, self._saved, self._refused)

    def _saved(self, kept: object) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(kept)
        self.accept()

    def _refused(self, failure: TaskFailure) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(failure.message)
        self.adjustSize()  # the message wraps to as many lines as it needs
        edit = self.fields.get(failure.field or "")
        if edit is not None:
            edit.setFocus()
