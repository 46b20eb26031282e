"""Draws a cell's text with the words of a search in bold and colour (the case list's name, title
and number columns while a search is shown)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mediation_desk.services.search import highlight_spans

HIT_COLOUR = QColor("#c62828")


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Python (code point) spans as Qt's UTF-16 spans: 𠮷 and other characters beyond the BMP are
    one code point but two UTF-16 units."""

    def units(upto: int) -> int:
        return len(text[:upto].encode("utf-16-le")) // 2

    return [(units(start), units(start + length) - units(start)) for start, length in spans]


class HighlightDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return self._words

    def set_words(self, words: tuple[str, ...]) -> None:
        self._words = words

    def hits(self, text: str) -> list[tuple[int, int]]:
        """The UTF-16 spans of ``text`` drawn highlighted."""
        return utf16_spans(text, highlight_spans(text, self._words)) if self._words else []

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        spans = self.hits(text) if isinstance(text, str) and text else []
        if not spans:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws background, selection and focus; the text is ours
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)

        layout = QTextLayout(text, opt.font)
        formats = []
        for start, length in spans:
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            if not opt.state & QStyle.StateFlag.State_Selected:
                fmt.setForeground(HIT_COLOUR)
            hit = QTextLayout.FormatRange()
            hit.start, hit.length, hit.format = start, length, fmt
            formats.append(hit)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1_000_000)  # one line; the clip below cuts what does not fit
        layout.endLayout()

        painter.save()
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        role = (QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        painter.setPen(opt.palette.color(group, role))
        painter.setClipRect(rect)
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top))
        painter.restore()
