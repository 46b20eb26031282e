"""Draws a cell's text with the words of a search in bold and colour (the case list's name, title
and number columns while a search is shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mediation_desk.services.search import highlight_spans

HIT_COLOUR = QColor("#c62828")
#: Texts whose spans (and highlighted layouts) are kept per search: a few screens of cells.
CACHED_TEXTS = 2000


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Python (code point) spans as Qt's UTF-16 spans: 𠮷 and other characters beyond the BMP are
    one code point but two UTF-16 units."""

    def units(upto: int) -> int:
        return len(text[:upto].encode("utf-16-le")) // 2

    return [(units(start), units(start + length) - units(start)) for start, length in spans]


def _hit_format(selected: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold)
    if not selected:
        fmt.setForeground(HIT_COLOUR)
    return fmt


class HighlightDelegate(QStyledItemDelegate):
    """A cell without a hit is painted by Qt's own delegate; a cell with one is laid out once per
    search (its spans and its text layout are kept, for the repaints that follow every move of
    the mouse or the selection)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        #: text → its UTF-16 hit spans, for the current words.
        self._spans: dict[str, list[tuple[int, int]]] = {}
        #: (text, selected, font) → the laid out line of the text with its hits formatted.
        self._layouts: dict[tuple[str, bool, str], QTextLayout] = {}
        self._formats = {selected: _hit_format(selected) for selected in (False, True)}
        #: Spans already worked out elsewhere (the case list's read lane, with its rows): asked
        #: ``known(words, text)`` before working them out here; None when it does not hold the text.
        self.known: Callable[[tuple[str, ...], str], list[tuple[int, int]] | None] | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return self._words

    def set_words(self, words: tuple[str, ...]) -> None:
        if words != self._words:
            self._words = words
            self._spans.clear()
            self._layouts.clear()

    def hits(self, text: str) -> list[tuple[int, int]]:
        """The UTF-16 spans of ``text`` drawn highlighted."""
        if not self._words:
            return []
        spans = self._spans.get(text)
        if spans is None:
            if len(self._spans) >= CACHED_TEXTS:
                self._spans.clear()
            known = self.known(self._words, text) if self.known is not None else None
            spans = self._spans[text] = (known if known is not None
                                         else utf16_spans(text, highlight_spans(text, self._words)))
        return spans

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if not self._words:
            super().paint(painter, option, index)
            return
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

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        layout = self._layout(text, spans, selected, opt.font)
        line = layout.lineAt(0)
        painter.save()
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(group, role))
        painter.setClipRect(rect)
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top))
        painter.restore()

    def _layout(self, text: str, spans: list[tuple[int, int]], selected: bool, font: QFont) -> QTextLayout:
        """``text`` laid out on one line (the clip cuts what does not fit) with its hits bold, and
        red unless the row is selected."""
        key = (text, selected, font.key())
        layout = self._layouts.get(key)
        if layout is not None:
            return layout
        layout = QTextLayout(text, font)
        fmt = self._formats[selected]
        formats = []
        for start, length in spans:
            hit = QTextLayout.FormatRange()
            hit.start, hit.length, hit.format = start, length, fmt
            formats.append(hit)
        layout.setFormats(formats)
        layout.beginLayout()
        layout.createLine().setLineWidth(1_000_000)
        layout.endLayout()
        if len(self._layouts) >= CACHED_TEXTS:
            self._layouts.clear()
        self._layouts[key] = layout
        return layout
