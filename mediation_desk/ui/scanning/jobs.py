"""Progress and Cancel for the long jobs of the documents section: scanning, importing files and
assembling PDFs. The work itself runs through ``TaskRunner.run_job`` on a worker.

The scanning package reports through a plain callback and asks a plain callable whether to stop
(``scanning.progress``). :class:`JobControl` is the Qt side of both: its callback emits a signal
(queued to the GUI thread when called from the worker), and its Cancel sets a
``threading.Event`` the worker reads. Both callables are the signal's ``emit`` and the event's
``is_set``, which do not hold the control: a job is dropped on its worker thread, and a Qt object
whose last reference went there would be deleted off the GUI thread. :class:`ProgressPanel`
shows one job: a bar, what is happening, and a Cancel button that works from the keyboard.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mediation_desk.scanning.progress import CancelCheck, Progress, ProgressCallback
from mediation_desk.ui.common.widgets import named

#: Steps of the progress bar (the scanning package reports fractions of any total).
BAR_STEPS = 1000


class JobControl(QObject):
    """Progress out of a worker and a Cancel into it, for one job."""

    #: A ``Progress`` (emitted on the worker; delivered on the GUI thread).
    progressed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    @property
    def report(self) -> ProgressCallback:
        """The ``ProgressCallback`` to hand to the scanning package (any thread): the signal's
        ``emit``, which does not keep this object alive (PySide holds a signal's object weakly)."""
        return self.progressed.emit

    @property
    def cancelled(self) -> CancelCheck:
        """The ``CancelCheck`` to hand to the scanning package (any thread): the event's ``is_set``."""
        return self._cancel.is_set

    def cancel(self) -> None:
        self._cancel.set()


class ProgressPanel(QWidget):
    """A job's bar, its status text, and Cancel. Hidden while no job runs."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.control: JobControl | None = None
        self.bar = named(QProgressBar(), f"{name}Bar")
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(220)
        self.text = named(QLabel(), f"{name}Text")
        self.cancel_button = named(QPushButton(self.tr("Cancel")), f"{name}Cancel")
        self.cancel_button.setAutoDefault(True)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    @property
    def running(self) -> bool:
        return self.control is not None

    def start(self, text: str) -> JobControl:
        """Show the panel for a new job and return the control to give the job."""
        control = JobControl(self)
        # A bound slot of this (GUI-thread) object: queued when the worker reports, direct in tests.
        control.progressed.connect(self._progressed)
        self.control = control
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self.text.setText(text)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))
        self.show()
        return control

    @Slot(object)
    def _progressed(self, progress: object) -> None:
        if not isinstance(progress, Progress) or self.sender() is not self.control:
            return  # a late report of a job that has already finished
        fraction = progress.fraction
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, BAR_STEPS)
            self.bar.setValue(round(fraction * BAR_STEPS))
        self.text.setText(progress.text)

    def cancel(self) -> None:
        if self.control is None:
            return
        self.control.cancel()
        self.cancel_button.setEnabled(False)
        self.text.setText(self.tr("Cancelling…"))

    def finish(self) -> None:
        control, self.control = self.control, None
        if control is not None:
            control.deleteLater()
        parent = self.parentWidget()
        if self.cancel_button.hasFocus() and parent is not None:
            parent.setFocus(Qt.FocusReason.OtherFocusReason)
        self.hide()


__all__ = ["JobControl", "ProgressPanel"]
