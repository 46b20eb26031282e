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

# Looked up once: every cell of the highlighted columns calls paint, and each attribute of Qt's enums
# (and each `&` of two of its flags) is a call of Python's enum module.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_TEXT_RECT = QStyle.SubElement.SE_ItemViewItemText
_FOCUS_MARGIN = QStyle.PixelMetric.PM_FocusFrameHMargin
_SELECTED = QStyle.StateFlag.State_Selected.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_GROUPS = {True: QPalette.ColorGroup.Normal, False: QPalette.ColorGroup.Disabled}
_PEN_ROLES = {True: QPalette.ColorRole.HighlightedText, False: QPalette.ColorRole.Text}


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Python (code point) spans as Qt's UTF-16 spans: 𠮷 and other characters beyond the BMP are
    one code point but two UTF-16 units."""

    if not spans or text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return spans  # no character beyond the BMP: the same spans

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
        #: (text, selected) → the text laid out on one line in :attr:`_font` with its hits
        #: formatted, and that line's height.
        self._layouts: dict[tuple[str, bool], tuple[QTextLayout, float]] = {}
        self._font: QFont | None = None
        #: The style the focus frame's margin was asked of, and the margin.
        self._margin: tuple[QStyle | None, int] = (None, 0)
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
        if self._words:
            text = index.data(_DISPLAY)
            if text and isinstance(text, str):
                spans = self._spans.get(text)
                if spans is None:
                    spans = self.hits(text)
                if spans:
                    self._paint_hits(painter, option, index, text, spans)
                    return
        QStyledItemDelegate.paint(self, painter, option, index)

    def _paint_hits(self, painter: QPainter, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex, text: str, spans: list[tuple[int, int]]) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws background, selection and focus; the text is ours
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(_ITEM, opt, painter, widget)
        rect = style.subElementRect(_TEXT_RECT, opt, widget)
        kept_style, margin = self._margin
        if kept_style is not style:
            margin = style.pixelMetric(_FOCUS_MARGIN, None, widget) + 1
            self._margin = (style, margin)
        rect = rect.adjusted(margin, 0, -margin, 0)

        state = opt.state.value
        selected = bool(state & _SELECTED)
        layout, height = self._layout(text, spans, selected, opt.font)
        painter.save()
        painter.setPen(opt.palette.color(_GROUPS[bool(state & _ENABLED)], _PEN_ROLES[selected]))
        painter.setClipRect(rect)
        layout.draw(painter, QPointF(rect.left(), rect.top() + (rect.height() - height) / 2))
        painter.restore()

    def _layout(self, text: str, spans: list[tuple[int, int]], selected: bool,
                font: QFont) -> tuple[QTextLayout, float]:
        """``text`` laid out on one line (the clip cuts what does not fit) with its hits bold, and
        red unless the row is selected; and the line's height."""
        if self._font is None or font != self._font:
            self._font = QFont(font)
            self._layouts.clear()
        key = (text, selected)
        kept = self._layouts.get(key)
        if kept is not None:
            return kept
        layout = QTextLayout(text, font)
        fmt = self._formats[selected]
        formats = []
        for start, length in spans:
            hit = QTextLayout.FormatRange()
            hit.start, hit.length, hit.format = start, length, fmt
            formats.append(hit)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1_000_000)
        layout.endLayout()
        if len(self._layouts) >= CACHED_TEXTS:
            self._layouts.clear()
        kept = self._layouts[key] = (layout, line.height())
        return kept
