"""录入评价: the clerk records a 好差评 the citizen gave on paper or by phone (a desk without the
second screen, or a citizen who rated later). A refusal stays in the dialog with what was chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import BadRatingReason, RatingChannel, RatingLevel
from mediation_desk.services import ratings
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.readmodels.ratings import RatingFacts
    from mediation_desk.services.actor import Actor


class RatingDialog(QDialog):
    """The rating of one case, given on paper or by phone. ``recorded`` carries what was stored."""

    recorded = Signal(object)

    def __init__(self, runner: TaskRunner, actor: Actor, case_id: int, number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(self.tr("Record a rating"))
        self._runner, self._actor, self._case_id = runner, actor, case_id
        self.case_label = named(QLabel(number), "ratingCase")
        self.channel_combo = named(QComboBox(), "ratingChannel")
        for channel in (RatingChannel.PAPER, RatingChannel.PHONE):
            self.channel_combo.addItem(channel.label, channel.value)
        self.level_combo = named(QComboBox(), "ratingLevel")
        for level in RatingLevel:
            self.level_combo.addItem(level.label, level.value)
        self.reason_boxes: dict[BadRatingReason, QCheckBox] = {}
        reasons = QGridLayout()
        for index, reason in enumerate(BadRatingReason):
            box = named(QCheckBox(reason.label), f"ratingReason_{reason.value}")
            self.reason_boxes[reason] = box
            reasons.addWidget(box, index // 3, index % 3)
        self.comment_edit = named(QLineEdit(), "ratingComment")
        self.comment_edit.setMaxLength(ratings.COMMENT_LIMIT)
        self.error_label = named(QLabel(), "ratingError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Case:"), self.case_label)
        form.addRow(self.tr("Given:"), self.channel_combo)
        form.addRow(self.tr("Rating:"), self.level_combo)
        form.addRow(self.tr("Reasons (for a bad rating):"), reasons)
        form.addRow(self.tr("Comment:"), self.comment_edit)
        self.buttons = QDialogButtonBox()
        self.save_button = named(QPushButton(self.tr("Save")), "ratingSave")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.error_label.clear()
        actor, case_id = self._actor, self._case_id
        level = str(self.level_combo.currentData())
        channel = str(self.channel_combo.currentData())
        reasons = [reason.value for reason, box in self.reason_boxes.items() if box.isChecked()]
        comment = self.comment_edit.text()

        def work(session: Session) -> RatingFacts:
            return ratings.record(session, actor, case_id, level, channel=channel, reasons=reasons, comment=comment)

        self.save_button.setEnabled(False)
        self._runner.run_write(work, self._saved, self._failed)

    def _saved(self, facts: RatingFacts) -> None:
        self.save_button.setEnabled(True)
        self.recorded.emit(facts)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self.save_button.setEnabled(True)
        self.error_label.setText(failure.message)
        focus = {"reasons": next(iter(self.reason_boxes.values())), "comment": self.comment_edit,
                 "channel": self.channel_combo, "rating": self.level_combo}.get(failure.field or "")
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
