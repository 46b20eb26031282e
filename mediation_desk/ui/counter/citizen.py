"""The citizen-facing window of the counter (评价器): full screen on the desk's second monitor,
large type, nothing to type. It shows the center, the clerk's name on a badge and the matter being
registered; when the clerk has registered it, it asks for the 好差评 with five big buttons, and for
不满意 or 非常不满意 the reasons to tick; then thanks the citizen and returns to its welcome page.

The window only asks; :class:`mediation_desk.ui.counter.screen.CounterScreen` drives it from the
intake form and writes the rating on the write lane."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QScreen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import BadRatingReason, RatingLevel
from mediation_desk.ui.common.widgets import named

#: The reasons the screen offers: "其他" needs words, which a screen without keyboard cannot take.
SCREEN_REASONS = tuple(r for r in BadRatingReason if r is not BadRatingReason.OTHER)
BAD_LEVELS = frozenset({RatingLevel.UNSATISFIED, RatingLevel.VERY_UNSATISFIED})
_LEVEL_COLOURS = {
    RatingLevel.VERY_SATISFIED: "#2e7d32", RatingLevel.SATISFIED: "#558b2f", RatingLevel.FAIRLY: "#f9a825",
    RatingLevel.UNSATISFIED: "#ef6c00", RatingLevel.VERY_UNSATISFIED: "#c62828",
}


def second_screen(screens: Sequence[QScreen], primary: QScreen | None) -> QScreen | None:
    """The screen the citizen faces: the first that is not the clerk's (primary) one — on X11 and
    Windows ``QGuiApplication.screens()[1]`` — or None on a desk with a single screen."""
    others = [screen for screen in screens if screen is not primary]
    return others[0] if len(screens) > 1 and others else None


def type_size(screen: QScreen) -> float:
    """The window's body type in points: large, yet five rating buttons fit across the screen."""
    size = screen.geometry().size()
    return max(14.0, min(size.height() / 28, size.width() / 50))


def place_on_screen(window: QWidget, screen: QScreen) -> None:
    """Full screen on ``screen``: moved there first (setScreen + its geometry), then full screen."""
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()


class CitizenWindow(QWidget):
    """The pages the citizen sees: welcome, registering, rating, reasons, thanks."""

    #: The citizen's choice: the level's value and the reason codes ticked.
    submitted = Signal(str, list)

    #: How long the thanks stay before the welcome page returns.
    THANKS_MS = 6000

    def __init__(self, clerk_name: str, parent: QWidget | None = None, *, thanks_ms: int | None = None,
                 point_size: float = 28.0) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("citizenWindow")
        self.setWindowTitle(self.tr("Counter service rating"))
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setStyleSheet("#citizenWindow { background-color: #f5f9ff; }")
        self.case_id: int | None = None
        self.chosen: RatingLevel | None = None
        self._point = point_size

        self.center_label = named(self._label("", 1.0, bold=True), "citizenCenter")
        self.center_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.center_label.setWordWrap(True)
        self.badge = named(self._label(clerk_name[:1] or "?", 1.3, bold=True), "citizenBadge")
        side = int(self._point * 3)
        self.badge.setFixedSize(side, side)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setStyleSheet(f"background-color: #1565c0; color: white; border-radius: {side // 2}px;")
        self.clerk_label = named(self._label(self.tr("Your clerk: {name}").format(name=clerk_name), 0.9),
                                 "citizenClerk")
        self.clerk_label.setWordWrap(True)
        clerk_row = QHBoxLayout()
        clerk_row.addStretch(1)
        clerk_row.addWidget(self.badge)
        clerk_row.addSpacing(int(self._point * 0.6))
        clerk_row.addWidget(self.clerk_label)
        clerk_row.addStretch(1)
        header = QVBoxLayout()
        header.addWidget(self.center_label)
        header.addLayout(clerk_row)

        self.pages = named(QStackedWidget(), "citizenPages")
        self.idle_page = self._page("citizenIdle", [self._label(self.tr("Welcome"), 2.0, bold=True),
                                                    self._label(self.tr("Please tell the clerk what you need."), 1.0)])
        self.case_label = named(self._label("", 1.3, bold=True), "citizenCase")
        self.case_label.setWordWrap(True)
        self.registering_page = self._page("citizenRegistering", [
            self._label(self.tr("Your matter is being registered"), 1.2), self.case_label])

        self.done_label = named(self._label("", 1.0), "citizenDone")
        self.done_label.setWordWrap(True)
        self.level_buttons: dict[RatingLevel, QPushButton] = {}
        levels = QHBoxLayout()
        levels.setSpacing(int(self._point))
        for level in RatingLevel:
            button = named(self._button(level.label, 1.0), f"rate_{level.value}")
            button.setStyleSheet(f"QPushButton {{ background-color: {_LEVEL_COLOURS[level]}; color: white; "
                                 "border-radius: 12px; padding: 28px 8px; }")
            button.clicked.connect(lambda _checked=False, level=level: self.choose(level))
            self.level_buttons[level] = button
            levels.addWidget(button, 1)
        self.rating_error = named(self._label("", 0.9), "citizenRatingError")
        self.rating_error.setStyleSheet("color: #c62828;")
        self.rating_page = self._page("citizenRating", [
            self.done_label, self._label(self.tr("How satisfied are you with our service?"), 1.4, bold=True),
            levels, self.rating_error])

        self.reason_error = named(self._label("", 1.0), "citizenReasonError")
        self.reason_error.setStyleSheet("color: #c62828;")
        self.reason_buttons: dict[BadRatingReason, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(int(self._point * 0.6))
        for index, reason in enumerate(SCREEN_REASONS):
            button = named(self._button(reason.label, 1.0), f"reason_{reason.value}")
            button.setCheckable(True)
            button.setStyleSheet("QPushButton { padding: 18px; border: 3px solid #90a4ae; border-radius: 10px; "
                                 "background-color: white; } QPushButton:checked { background-color: #ffe0b2; "
                                 "border-color: #ef6c00; }")
            button.toggled.connect(lambda _on=False: self.reason_error.clear())
            self.reason_buttons[reason] = button
            grid.addWidget(button, index // 3, index % 3)
        self.back_button = named(self._button(self.tr("Back"), 1.0), "citizenBack")
        self.back_button.setStyleSheet("QPushButton { background-color: white; padding: 18px 36px; "
                                       "border: 3px solid #90a4ae; border-radius: 10px; }")
        self.back_button.clicked.connect(self.show_rating)
        self.submit_button = named(self._button(self.tr("Submit"), 1.1), "citizenSubmit")
        self.submit_button.setStyleSheet("QPushButton { background-color: #1565c0; color: white; padding: 18px 48px; "
                                         "border-radius: 10px; }")
        self.submit_button.clicked.connect(self.submit_reasons)
        actions = QHBoxLayout()
        actions.addWidget(self.reason_error, 1)
        actions.addWidget(self.back_button)
        actions.addWidget(self.submit_button)
        self.reasons_title = named(self._label("", 1.3, bold=True), "citizenReasonsTitle")
        self.reasons_page = self._page("citizenReasons", [
            self.reasons_title, self._label(self.tr("Please tick what was not good (one or more):"), 1.0),
            grid, actions])

        self.thanks_page = self._page("citizenThanks", [self._label(self.tr("Thank you for your rating!"), 2.0,
                                                                    bold=True)])
        for page in (self.idle_page, self.registering_page, self.rating_page, self.reasons_page, self.thanks_page):
            self.pages.addWidget(page)

        layout = QVBoxLayout(self)
        margin = int(self._point * 1.5)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)

        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(self.THANKS_MS if thanks_ms is None else thanks_ms)
        self.thanks_timer.timeout.connect(self.show_idle)
        self.show_idle()

    # ------------------------------------------------------------------ building

    def _font(self, scale: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self._point * scale)
        font.setBold(bold)
        return font

    def _label(self, text: str, scale: float, *, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setFont(self._font(scale, bold))
        label.setWordWrap(True)
        return label

    def _button(self, text: str, scale: float) -> QPushButton:
        button = QPushButton(text)
        button.setFont(self._font(scale, True))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched or clicked; there is no keyboard
        return button

    def _page(self, name: str, parts: list[QWidget | QHBoxLayout | QGridLayout]) -> QWidget:
        page = named(QWidget(), name)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        for part in parts:
            if isinstance(part, QWidget):
                if isinstance(part, QLabel):
                    part.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(part)
            else:
                layout.addLayout(part)
            layout.addSpacing(int(self._point))
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ what the counter tells it

    def set_center_name(self, name: str) -> None:
        self.center_label.setText(name)

    def show_idle(self) -> None:
        self.thanks_timer.stop()
        self.case_id = None
        self.chosen = None
        self.case_label.clear()
        self.pages.setCurrentWidget(self.idle_page)

    def show_registering(self, title: str = "") -> None:
        """The clerk is registering a matter (its title as typed so far)."""
        if self.pages.currentWidget() in (self.rating_page, self.reasons_page):
            return  # the previous citizen is still rating
        self.thanks_timer.stop()
        self.case_label.setText(title)
        self.pages.setCurrentWidget(self.registering_page)

    def set_title(self, title: str) -> None:
        if self.pages.currentWidget() is self.registering_page:
            self.case_label.setText(title)

    def ask_rating(self, case_id: int, number: str, title: str) -> None:
        """The clerk finished the registration of ``case_id``: ask the citizen to rate it."""
        self.thanks_timer.stop()
        self.case_id = case_id
        self.chosen = None
        self.done_label.setText(self.tr("Registered: {number} {title}").format(number=number, title=title))
        self.rating_error.clear()
        self._enable(True)
        self.pages.setCurrentWidget(self.rating_page)

    # ------------------------------------------------------------------ what the citizen does

    def choose(self, level: RatingLevel) -> None:
        self.chosen = level
        if level in BAD_LEVELS:
            self.reasons_title.setText(self.tr("You chose: {level}").format(level=level.label))
            for button in self.reason_buttons.values():
                button.setChecked(False)
            self.reason_error.clear()
            self.pages.setCurrentWidget(self.reasons_page)
            return
        self._submit([])

    def show_rating(self) -> None:
        self.pages.setCurrentWidget(self.rating_page)

    def submit_reasons(self) -> None:
        ticked = [reason.value for reason, button in self.reason_buttons.items() if button.isChecked()]
        if not ticked:
            self.reason_error.setText(self.tr("Please tick at least one reason."))
            return
        self._submit(ticked)

    def _submit(self, reasons: list[str]) -> None:
        assert self.chosen is not None
        self._enable(False)
        self.submitted.emit(self.chosen.value, reasons)

    def _enable(self, enabled: bool) -> None:
        for button in [*self.level_buttons.values(), *self.reason_buttons.values(), self.submit_button,
                       self.back_button]:
            button.setEnabled(enabled)

    # ------------------------------------------------------------------ the answer of the write

    def show_thanks(self) -> None:
        self._enable(True)
        self.case_id = None
        self.pages.setCurrentWidget(self.thanks_page)
        self.thanks_timer.start()

    def show_failure(self, message: str) -> None:
        """The rating could not be stored: say so where the citizen is, and let them try again."""
        self._enable(True)
        target = self.reason_error if self.pages.currentWidget() is self.reasons_page else self.rating_error
        target.setText(message)
