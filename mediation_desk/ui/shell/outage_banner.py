"""The strip across the top of the window while the center server cannot be reached.

It follows the runner's ``reachability_changed`` (fed by failed operations and by the notice
listener, which keeps retrying): shown with the cause in plain Chinese when the server is lost,
hidden again as soon as it answers. It says what happens to work meanwhile: saving fails, and
whatever has been typed stays in the window to be saved once the connection is back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediation_desk.services.dberrors import NOTHING_SAVED
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner


class OutageBanner(QFrame):
    """Hidden while the server answers; a red strip naming the cause while it does not."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outageBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#outageBanner { background: #fdecea; border: 1px solid #e0a39c; border-radius: 3px; }"
            "#outageBanner QLabel { color: #8a1c12; }")
        self.title = QLabel(self.tr(
            "The connection to the center server is lost; retrying automatically… Saving is not possible "
            "until it is back: what you have typed stays in the window, save it again then."))
        self.title.setObjectName("outageTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.cause = QLabel()
        self.cause.setObjectName("outageCause")
        self.cause.setWordWrap(True)
        self.cause.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.addWidget(self.title)
        text.addWidget(self.cause)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(text, 1)
        self.setVisible(False)
        self._runner = runner
        runner.reachability_changed.connect(self._reachability_changed)
        if not runner.server_reachable:
            self._reachability_changed(False, None)

    @property
    def showing(self) -> bool:
        """True while the banner is up (``isVisible`` also needs the window shown)."""
        return not self.isHidden()

    def _reachability_changed(self, reachable: bool, failure: object) -> None:
        if reachable:
            self.cause.clear()
            self.setVisible(False)
            return
        if isinstance(failure, TaskFailure):
            # The banner is about the connection, not one save: the cause without "nothing saved".
            self.cause.setText(failure.message.removesuffix(NOTHING_SAVED))
        self.setVisible(True)


__all__ = ["OutageBanner"]
