"""One question before an action that cannot be taken back (审核结案, 公示审核通过, entering holidays,
放弃草稿): it names what will happen, Enter and Esc both cancel (the default button is 取消), and only
the button naming the action goes on.

The box is window-modal and non-blocking (:meth:`QMessageBox.open`), so the screen asking keeps it
(``confirm_box``) and a test answers it with the keyboard or a click like a person would.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

#: Object names of the question and its two buttons (what tests find them by).
BOX_NAME = "confirmQuestion"
GO_NAME = "confirmGo"
CANCEL_NAME = "confirmCancel"


def confirm_irreversible(parent: QWidget, title: str, text: str, go_label: str,
                         proceed: Callable[[], None], cancelled: Callable[[], None] | None = None) -> QMessageBox:
    """Ask before an irreversible action; ``proceed`` runs only when ``go_label`` is clicked.

    The box deletes itself when answered; a ``confirm_box`` attribute of ``parent`` that holds it
    is reset to None then (so the screen never keeps a dead box)."""
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(BOX_NAME)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    go = box.addButton(go_label, QMessageBox.ButtonRole.AcceptRole)
    go.setObjectName(GO_NAME)
    cancel = box.addButton(translate("Confirm", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName(CANCEL_NAME)
    box.setDefaultButton(cancel)  # Enter does not take an action that cannot be undone
    box.setEscapeButton(cancel)

    def finished(_result: int) -> None:
        if getattr(parent, "confirm_box", None) is box:
            parent.confirm_box = None  # type: ignore[attr-defined]
        if box.clickedButton() is go:
            proceed()
        elif cancelled is not None:
            cancelled()

    box.finished.connect(finished)
    box.open()
    return box


__all__ = ["BOX_NAME", "CANCEL_NAME", "GO_NAME", "confirm_irreversible"]
