"""Fields of the registration form: a caption, the editor, and the message under it.

Validation is timed to stay out of the clerk's way: a field is checked when the clerk leaves it
(and again on save), never while they type. Typing can only *clear* a message (the field became
valid), never raise one. Nothing is ever reformatted or cleared: the text stays as typed and the
services clean it when the case is saved.

Chinese is typed through an input method, which first shows a composition (preedit: "zhang",
"ｚｈａｎｇ") and then commits the characters. While a composition is open the field is never
judged, even when focus moves away (the offscreen platform and some IMEs leave the preedit open
across a focus change); the check runs once the composition is committed or cancelled.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from mediation_desk.services import digits
from mediation_desk.services.dates import day_parts
from mediation_desk.services.digits import fold_width
from mediation_desk.services.errors import InvalidInput
from mediation_desk.ui.common.typeahead import type_ahead
from mediation_desk.ui.common.widgets import ERROR_COLOUR, ERROR_STYLE, ImeLineEdit, named

#: A check in the services' style: returns the cleaned value or raises ``InvalidInput``.
Check = Callable[[str], object]

def editable_combo(items: tuple[str, ...], name: str) -> QComboBox:
    """A combo box the clerk may also type into (with an input method); it never adds what was
    typed to its list."""
    combo = named(QComboBox(), name)
    combo.setEditable(True)
    combo.setLineEdit(ImeLineEdit())
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(items))
    combo.setCurrentIndex(-1)
    combo.setEditText("")
    return type_ahead(combo)


def compact_combo(combo: QComboBox, characters: int = 6) -> QComboBox:
    """Let a combo box be narrower than its longest item (the popup still shows it whole), so
    the form fits a 1366-pixel screen; its entries are picked by typing (:mod:`ui.common.typeahead`)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return type_ahead(combo)


class FieldBox(QWidget):
    """Caption above, editor, and a red message under the editor when the value is wrong."""

    #: A check passed on a non-empty value: the cleaned value the check returned.
    validated = Signal(object)

    def __init__(self, caption: str, editor: QWidget, *, check: Check | None = None,
                 required: Callable[[], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.check = check
        self.required = required
        self.caption = QLabel()
        self.caption.setBuddy(editor)
        self.error = named(QLabel(), f"{editor.objectName()}Error")
        # Red by its palette, not a style sheet: the form has ~40 of these, hidden until a value is
        # wrong, and each widget with a style sheet costs its own polish at the form's first show.
        palette = self.error.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
        self.error.setPalette(palette)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(editor)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.set_caption(caption)
        #: The clerk typed in the field since it was last reset. Passing an empty field that was
        #: never touched (Tab on the way to another) is no reason to complain; saving is.
        self.touched = False
        if isinstance(editor, ImeLineEdit):
            editor.left.connect(self._left)
            editor.textChanged.connect(self._text_changed)
            editor.textEdited.connect(self._edited)
        elif isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _index: self._text_changed(self.text()))

    def set_caption(self, caption: str) -> None:
        text = html.escape(caption)
        if self.required is not None:
            text += f' <span style="{ERROR_STYLE}">*</span>'
        self.caption.setText(text)
        self.editor.setAccessibleName(caption)

    # ------------------------------------------------------------------ messages

    @property
    def message(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.editor.setAccessibleDescription(message)
        self.caption.setStyleSheet(ERROR_STYLE)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        self.editor.setAccessibleDescription("")
        self.caption.setStyleSheet("")

    # ------------------------------------------------------------------ checking

    def text(self) -> str:
        editor = self.editor
        if isinstance(editor, QLineEdit):
            return editor.text()
        if isinstance(editor, QComboBox):
            # A list's first entry may be a "Choose…" placeholder without data: that is no choice.
            return editor.currentText() if editor.isEditable() or editor.currentData() is not None else ""
        return ""

    def composing(self) -> bool:
        return isinstance(self.editor, ImeLineEdit) and self.editor.composing

    def problem(self, text: str) -> tuple[str | None, object]:
        """(message, cleaned value) of ``text``; the message is None when it is acceptable."""
        if not text.strip():
            return (self.required() if self.required is not None else None), None
        if self.check is None:
            return None, text
        try:
            return None, self.check(text)
        except InvalidInput as exc:
            return exc.message, None

    def validate(self) -> bool:
        """Check the field now and show or clear its message. A field in the middle of an input
        method composition is left alone (and counts as fine until the composition ends)."""
        if self.composing() or not self.isVisibleTo(self.window()):
            return True  # mid-composition, or a field of the other party kind
        message, value = self.problem(self.text())
        if message is not None:
            self.show_error(message)
            return False
        self.clear_error()
        if value is not None:
            self.validated.emit(value)
        return True

    def _edited(self, _text: str) -> None:
        self.touched = True

    def _left(self) -> None:
        if not self.touched and not self.text().strip():
            return
        self.validate()

    def reset(self) -> None:
        """Back to untouched, without a message (the form was emptied or filled from a draft)."""
        self.touched = False
        self.clear_error()

    def _text_changed(self, text: str) -> None:
        # Reward early, never punish while typing: a message goes away as soon as the value is
        # right, but a new one waits until the clerk leaves the field.
        if self.error.isHidden() or self.composing():
            return
        message, _value = self.problem(text)
        if message is None:
            self.clear_error()


# --------------------------------------------------------------------------- checks of the form


def parse_date(value: str, *, today: date | None = None) -> date:
    """A date as clerks write it: 1980-01-02, 1980/1/2, 1980.1.2, 19800102, 1980年1月2日."""
    translate = QCoreApplication.translate
    # The forms every date field reads (services.dates): ASCII or full-width digits only.
    parts = day_parts(value)
    if parts is None:
        raise InvalidInput("birth_date", translate("IntakeChecks", "Write the date like 1980-01-02."))
    try:
        result = date(*parts)
    except ValueError:
        raise InvalidInput("birth_date", translate("IntakeChecks", "There is no such date.")) from None
    if result > (today or date.today()):
        raise InvalidInput("birth_date", translate("IntakeChecks", "The date of birth cannot be later than today."))
    if result.year < 1900:
        raise InvalidInput("birth_date", translate("IntakeChecks", "The year of birth is not plausible."))
    return result


def parse_amount(value: str) -> Decimal:
    """An amount in yuan: 12000, 12,000, 3500.50, １２０００, 1.2万 (digits as :mod:`services.digits` says)."""
    translate = QCoreApplication.translate
    not_a_number = translate("IntakeChecks", "Write the amount in yuan as a number, such as 12000 or 3500.50.")
    amount = digits.amount_of(value)
    if amount is None:
        if fold_width(value).strip().startswith("-"):
            raise InvalidInput("amount_involved", translate("IntakeChecks", "The amount cannot be negative."))
        raise InvalidInput("amount_involved", not_a_number)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("amount_involved",
                           translate("IntakeChecks", "The amount can have at most two decimals (fen)."))
    if amount >= Decimal("1e12"):
        raise InvalidInput("amount_involved", translate("IntakeChecks", "The amount is too large."))
    return amount.quantize(Decimal("0.01"))


def parse_people(value: str) -> int:
    translate = QCoreApplication.translate
    number = digits.count_of(value)
    if number is None:
        raise InvalidInput("people_involved",
                           translate("IntakeChecks", "Write the number of people as a whole number, such as 3."))
    if number > 1_000_000:
        raise InvalidInput("people_involved", translate("IntakeChecks", "The number of people is too large."))
    return number


class NumberedLinesEdit(QPlainTextEdit):
    """A list typed one item per line, numbered in the margin as it will be printed (blank lines
    are neither numbered nor kept). Enter starts the next item; Tab leaves the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._margin = _NumberMargin(self)
        self.blockCountChanged.connect(self._update_margin_width)
        self.updateRequest.connect(self._update_margin)
        self.textChanged.connect(self._margin.update)
        self._update_margin_width()

    def lines(self) -> list[str]:
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]

    def margin_width(self) -> int:
        metrics = self.fontMetrics()
        digits = len(str(max(1, self.blockCount())))
        return metrics.horizontalAdvance("9" * digits + ".") + 10

    def _update_margin_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)

    def _update_margin(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        else:
            self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._margin.setGeometry(QRect(area.left(), area.top(), self.margin_width(), area.height()))

    def paint_margin(self, event: QPaintEvent) -> None:
        painter = QPainter(self._margin)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        first = self.firstVisibleBlock()
        # Items before the first visible line: blank lines do not count.
        number = 0
        block = self.document().firstBlock()
        while block.isValid() and block.blockNumber() < first.blockNumber():
            number += bool(block.text().strip())
            block = block.next()
        block = first
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and block.text().strip():
                number += 1
                painter.drawText(0, top, self._margin.width() - 5, height,
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), f"{number}.")
            block = block.next()
            top = bottom
        painter.end()


class _NumberMargin(QWidget):
    def __init__(self, editor: NumberedLinesEdit) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.margin_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_margin(event)


E = TypeVar("E", bound=Enum)


def combo_enum(combo: QComboBox, enum: type[E], default: E | None = None) -> E | None:
    """The enum member a combo box holds. Qt keeps a ``StrEnum`` item's data as a plain string,
    so the member is looked up again by its value."""
    value = combo.currentData()
    if value is None:
        return default
    try:
        return enum(value)
    except ValueError:
        return default
