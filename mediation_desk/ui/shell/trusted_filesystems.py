"""设置 → 可信的本地文件系统: the local FUSE filesystem types this desk trusts to hold its SQLite file.

The database refuses every remote or FUSE filesystem; a desk whose disk is a local FUSE filesystem
(``fuse.mergerfs``, an encrypted ``fuse.gocryptfs`` home …) names its type here. The administrator
or the head edits it; the service (``services.desk_trust``) checks each type (no network
filesystem can be trusted) and writes the change to the audit log before it takes effect. The
database is opened with the list at the next start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import APP_TITLE, settings
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, named

if TYPE_CHECKING:
    from mediation_desk.services.actor import Actor


class TrustedFilesystemsDialog(QDialog):
    """One field: the trusted FUSE types, separated by spaces; saved on the write lane, audited."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._actor = actor
        self.setWindowTitle(self.tr("{app} — Trusted local filesystems").format(app=APP_TITLE))
        self.setModal(True)
        self.intro = named(QLabel(self.tr(
            "This desk refuses to open its database file on a network or FUSE filesystem: several computers "
            "sharing one SQLite file damage it. If the file is on a local FUSE disk you trust, enter its type as "
            "shown in the third column of /proc/mounts (for example fuse.mergerfs). Network filesystems "
            "cannot be trusted. Each change is written to the audit log and takes effect at the next start.")),
            "trustedIntro")
        self.intro.setWordWrap(True)
        self.types = named(QLineEdit(" ".join(sorted(settings.trusted_filesystems()))), "trustedTypes")
        self.types.setPlaceholderText(self.tr("none (separate several types with spaces)"))
        self.status = named(QLabel(), "trustedStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        form = QFormLayout()
        form.addRow(self.tr("Trusted FUSE types"), self.types)
        self.save_button = named(QPushButton(self.tr("Save")), "trustedSave")
        self.save_button.setDefault(True)
        close_button = QPushButton(self.tr("Close"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def save(self) -> None:
        from mediation_desk.services import desk_trust

        text = self.types.text()
        database, actor = self._runner.database, self._actor
        self.save_button.setEnabled(False)
        self._runner.run_job(lambda: desk_trust.set_trusted(database, actor, [text]), on_success=self._saved,
                             on_error=self._failed, lane=Lane.WRITE)

    def _saved(self, chosen: frozenset[str]) -> None:
        self.save_button.setEnabled(True)
        self.types.setText(" ".join(sorted(chosen)))
        shown = "、".join(sorted(chosen)) if chosen else self.tr("none")
        self._show(self.tr("Saved: trusted FUSE types {types}. The change is in the audit log and takes effect "
                           "at the next start.").format(types=shown), error=False)

    def _failed(self, failure: TaskFailure) -> None:
        # What was typed stays, with the service's message naming the type that was refused.
        self.save_button.setEnabled(True)
        self._show(failure.message, error=True)
        self.types.setFocus()

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.status.show()


__all__ = ["TrustedFilesystemsDialog"]
