"""What screens share about how things look: the colours of risk, state and clock, the day and time
formats, and what a clock's colour means.

The case list, the detail page, the desk, the calendar and the organisation screens all paint the
same red, yellow and grey and write days the same way; they take them from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from mediation_desk.models import CaseState, ClockColour, RiskLevel
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP

RISK_COLOURS = {
    RiskLevel.RED: "#d32f2f",
    RiskLevel.ORANGE: "#ef6c00",
    RiskLevel.YELLOW: "#f9a825",
    RiskLevel.BLUE: "#1e88e5",
}
STATE_COLOURS = {
    CaseState.REGISTERED: "#1565c0",
    CaseState.ACCEPTED: "#1565c0",
    CaseState.CLOSURE_REVIEW: "#e65100",
    CaseState.FAILED: "#c62828",
    CaseState.SUCCEEDED: "#2e7d32",
}
FINAL_COLOUR = "#757575"
#: 红黄绿 of a case's clock: the background of its badge and the colour of its dot.
CLOCK_COLOURS = {
    ClockColour.GREEN: "#2e7d32",
    ClockColour.YELLOW: "#f9a825",
    ClockColour.RED: "#c62828",
}
#: Text on a clock badge: dark on yellow, which white would not stand out on.
CLOCK_TEXT_COLOURS = {
    ClockColour.GREEN: "white",
    ClockColour.YELLOW: "#3e2723",
    ClockColour.RED: "white",
}
#: The meaning of each colour, for tooltips (the colour alone says nothing to a colour-blind user).
CLOCK_MEANINGS = {
    ClockColour.GREEN: QT_TRANSLATE_NOOP("ClockMeaning", "On time"),
    ClockColour.YELLOW: QT_TRANSLATE_NOOP("ClockMeaning", "Due soon"),
    ClockColour.RED: QT_TRANSLATE_NOOP("ClockMeaning", "Overdue"),
}

#: Gives "today" to whatever colours a clock; tests move it instead of waiting for days to pass.
TodayProvider = Callable[[], date]


def clock_meaning(colour: ClockColour) -> str:
    return QCoreApplication.translate("ClockMeaning", CLOCK_MEANINGS[colour])


def _dot_icon(colour: str) -> QIcon:
    """A coloured dot (made once per colour; needs a QGuiApplication)."""
    icon = _icons.get(colour)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        # A white rim keeps the blue dot visible on the blue highlight of a selected row.
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = QIcon(pixmap)
        # The same dot when the row is selected: Qt's tinted "selected" version loses the colour.
        icon.addPixmap(pixmap, QIcon.Mode.Selected)
        _icons[colour] = icon
    return icon


def risk_icon(level: RiskLevel) -> QIcon:
    """A coloured dot for a risk level."""
    return _dot_icon(RISK_COLOURS[level])


def clock_icon(colour: ClockColour) -> QIcon:
    """A green, yellow or red dot for a clock."""
    return _dot_icon(CLOCK_COLOURS[colour])


_icons: dict[str, QIcon] = {}


# Not strftime: each strftime call imports the time module anew, which PySide's import hook makes a
# Python call; the case list formats two times and a day per row it reads, on the read lane before a
# search's rows are shown. ``isoformat`` writes the same digits in half the time of a format string
# (field by field for a time with a zone, or a day given as a time).
def format_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        return moment.isoformat(" ", "minutes")
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"


def format_day(day: date | None) -> str:
    if day is None:
        return ""
    if type(day) is date:
        return day.isoformat()
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


__all__ = [
    "CLOCK_COLOURS",
    "CLOCK_MEANINGS",
    "CLOCK_TEXT_COLOURS",
    "FINAL_COLOUR",
    "RISK_COLOURS",
    "STATE_COLOURS",
    "TodayProvider",
    "clock_icon",
    "clock_meaning",
    "format_day",
    "format_time",
    "risk_icon",
]
