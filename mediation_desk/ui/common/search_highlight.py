"""Draws the words of a search in bold and colour over the cells a table has painted (the case
list's name, title and number columns while a search is shown).

Qt paints every cell itself, text included (elided with … where it does not fit, as any cell);
then, once per paint of the table, each visible hit's box is filled with the cell's background and
its characters drawn over it in bold — at the place Qt drew them, which the font's advances give
(the bold face's CJK, Latin and digit advances are the regular one's, so nothing after a hit
moves). A cell is painted without any call into Python: a delegate per cell cost ~15 µs of
PySide's call for every cell of its column, and laying a hit cell out ~80–200 µs."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView

HIT_COLOUR = QColor("#c62828")
#: Texts whose hit boxes are kept per font: a few screens of cells.
CACHED_TEXTS = 2000

#: A cell's hits: (column, its text, the UTF-16 spans of the words in it).
RowHits = Sequence[tuple[int, str, list[tuple[int, int]]]]

#: A character that may be drawn otherwise with shaping than without (:func:`needs_shaping`): anything
#: but white space, digits, ASCII and general punctuation, Chinese (CJK radicals and symbols to the
#: unified ideographs, compatibility ideographs and forms, the ideographs beyond the BMP) and
#: full-width forms.
_SHAPED_CHARACTER = re.compile(
    "[^\\s0-9!-/:-@\\[-`{-~\u00b7\u2010-\u2027\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]")

_ELIDE = Qt.TextElideMode.ElideRight
_FOCUS_MARGIN = QStyle.PixelMetric.PM_FocusFrameHMargin
_ENABLED = QStyle.StateFlag.State_Enabled
_ACTIVE = QStyle.StateFlag.State_Active
_NORMAL, _INACTIVE, _DISABLED = (QPalette.ColorGroup.Normal, QPalette.ColorGroup.Inactive,
                                 QPalette.ColorGroup.Disabled)


def needs_shaping(text: str) -> bool:
    """Whether Qt may draw ``text`` otherwise when it shapes it than when it does not
    (``QFont.PreferNoShaping``, :func:`unshaped`): Latin letters (and any other alphabet's) are kerned
    and joined into ligatures by shaping; Chinese, digits, punctuation and full-width forms are drawn
    glyph by glyph either way — the same pixels, measured, for a screen of the case list."""
    return _SHAPED_CHARACTER.search(text) is not None


def unshaped() -> QFont:
    """A font that only asks not to be shaped (``QFont.PreferNoShaping``; the rest comes from the
    widget's own): set on a table, its cells are drawn without shaping, which takes 40 % of Qt's
    paint of a screen of Chinese cells, drawn the same. Cells whose text :func:`needs_shaping`
    hold :func:`shaped` as their font."""
    font = QFont()
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def shaped() -> QFont:
    """A cell's font that asks for shaping again in a table whose font is :func:`unshaped` (the rest
    comes from the table's font)."""
    font = QFont()
    font.setStyleStrategy(QFont.StyleStrategy.PreferDefault)
    return font


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Python (code point) spans as Qt's UTF-16 spans: 𠮷 and other characters beyond the BMP are
    one code point but two UTF-16 units."""

    if not spans or text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return spans  # no character beyond the BMP: the same spans

    def units(upto: int) -> int:
        return len(text[:upto].encode("utf-16-le")) // 2

    return [(units(start), units(start + length) - units(start)) for start, length in spans]


def code_point_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """UTF-16 spans (:func:`utf16_spans`) back as Python (code point) spans of ``text``."""
    if not spans or text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return spans
    points, unit = {}, 0
    for point, character in enumerate(text):
        points[unit] = point
        unit += 2 if ord(character) > 0xFFFF else 1
    points[unit] = len(text)
    return [(points[start], points[start + length] - points[start]) for start, length in spans
            if start in points and start + length in points]


class HitPainter:
    """Draws a table's search hits over the cells Qt has painted (:meth:`paint`, at the end of the
    table's paint event). Where each text's hits stand, in the table's font and a column's text
    width, is worked out at the text's first paint and kept."""

    #: The hits' weight (a test draws them in the cells' own, to find them where Qt drew the text).
    WEIGHT = QFont.Weight.Bold

    def __init__(self) -> None:
        self._font: QFont | None = None
        self._bold = QFont()
        self._metrics: QFontMetricsF | None = None
        #: The same, shaped: for the texts that :func:`needs_shaping` (their cells hold :func:`shaped`).
        self._shaped_bold = QFont()
        self._shaped_metrics: QFontMetricsF | None = None
        #: The keys of :attr:`_boxes` whose text is drawn shaped.
        self._shaping: set[tuple[str, int]] = set()
        #: The text line's height as Qt centres it in a cell (the layout's size, rounded), its ascent.
        self._line = 0
        self._ascent = 0.0
        #: (text, text width) → each visible hit: (x from the text's left, width, its characters).
        self._boxes: dict[tuple[str, int], tuple[tuple[float, float, str], ...]] = {}
        #: The style the text margin was asked of, and the margin.
        self._margin: tuple[QStyle | None, int] = (None, 0)
        #: (palette, colour group) → the backgrounds and pens of :meth:`paint`.
        self._colours: dict[tuple[int, QPalette.ColorGroup, int, bool], tuple[QBrush, QBrush, QBrush, QColor]] = {}

    def boxes(self, text: str, spans: list[tuple[int, int]], width: int) -> tuple[tuple[float, float, str], ...]:
        """The hits of ``text`` (UTF-16 ``spans``) Qt shows in a text ``width`` wide: (x, width,
        characters) of each, those after the elision left out and one cut by it shortened."""
        key = (text, width)
        kept = self._boxes.get(key)
        if kept is not None:
            return kept
        metrics = self._metrics
        if needs_shaping(text):
            metrics = self._shaped_metrics
            self._shaping.add(key)
        assert metrics is not None
        shown = len(text)
        if metrics.horizontalAdvance(text) > width:  # Qt draws it elided: what stands before the …
            shown = max(0, len(metrics.elidedText(text, _ELIDE, width)) - 1)
        boxes = []
        for start, length in code_point_spans(text, spans):
            end = min(start + length, shown)
            if end > start:
                hit = text[start:end]
                boxes.append((metrics.horizontalAdvance(text[:start]) if start else 0.0,
                              metrics.horizontalAdvance(hit), hit))
        if len(self._boxes) >= CACHED_TEXTS:
            self._boxes.clear()
            self._shaping.intersection_update({key})
        kept = self._boxes[key] = tuple(boxes)
        return kept

    def _use_font(self, font: QFont) -> None:
        if self._font is not None and font == self._font:
            return
        self._font = QFont(font)
        self._bold = QFont(font)
        self._bold.setWeight(self.WEIGHT)
        self._metrics = QFontMetricsF(font)
        shaped_font = shaped().resolve(font)
        self._shaped_bold = QFont(shaped_font)
        self._shaped_bold.setWeight(self.WEIGHT)
        self._shaped_metrics = QFontMetricsF(shaped_font)
        # Qt centres the text's layout, its size rounded to whole pixels (QStyle.alignedRect).
        self._line = round(self._metrics.height())
        self._ascent = self._metrics.ascent()
        self._boxes.clear()
        self._shaping.clear()

    def paint(self, table: QTableView, first: int, last: int, hits_of: Callable[[int], RowHits],
              columns: Sequence[int]) -> None:
        """Draw the hits of rows ``first`` … ``last`` of ``table`` (its paint event, after Qt's paint
        of the cells): ``hits_of(row)`` gives a row's, in ``columns`` only."""
        if first < 0:
            return
        painter: QPainter | None = None
        height = table.rowHeight(first)
        cell = height - (1 if table.showGrid() else 0)  # the row less the grid line
        y = table.rowViewportPosition(first)
        for row in range(first, last + 1):
            hits = hits_of(row)
            if not hits:
                continue
            if painter is None:
                painter, places, colours, ranges = self._begin(table, columns)
                base, alternate, selection, selected_pen = colours
                line, ascent, kept, shaping = self._line, self._ascent, self._boxes, self._shaping
                pen: QColor | None = None
                drawn_shaped = False
            # Qt centres the text line in the cell (QStyle.alignedRect).
            top = y + (row - first) * height + cell // 2 - line // 2
            for column, text, spans in hits:
                place = places.get(column)
                if place is None:
                    continue
                left, width = place
                boxes = kept.get((text, width))
                if boxes is None:
                    boxes = self.boxes(text, spans, width)
                if not boxes:
                    continue
                if ((text, width) in shaping) is not drawn_shaped:  # rare: a Latin name or title
                    drawn_shaped = not drawn_shaped
                    painter.setFont(self._shaped_bold if drawn_shaped else self._bold)
                selected = bool(ranges) and any(top_row <= row <= bottom and left_column <= column <= right
                                                for top_row, bottom, left_column, right in ranges)
                background = selection if selected else alternate if row & 1 else base
                wanted = selected_pen if selected else HIT_COLOUR
                if wanted is not pen:
                    pen = wanted
                    painter.setPen(pen)
                for dx, box_width, characters in boxes:
                    painter.fillRect(QRectF(left + dx, top, box_width, line), background)
                    painter.drawText(QPointF(left + dx, top + ascent), characters)
        if painter is not None:
            painter.end()

    def _begin(self, table: QTableView, columns: Sequence[int]) -> tuple[
            QPainter, dict[int, tuple[int, int]], tuple[QBrush, QBrush, QBrush, QColor],
            list[tuple[int, int, int, int]]]:
        """A painter on the table's viewport in the hits' face; where the text of each of ``columns``
        shown starts and how wide it is; the backgrounds (the viewport's, an alternate row's, a
        selected row's) and a selected hit's pen; the selected cells' ranges (top, bottom, left,
        right)."""
        self._use_font(table.font())
        style = table.style()
        kept_style, margin = self._margin
        if kept_style is not style:
            margin = style.pixelMetric(_FOCUS_MARGIN, None, table) + 1
            self._margin = (style, margin)
        # A cell is its column less the grid line (QTableView's paint); its text, that less the margins.
        grid = 1 if table.showGrid() else 0
        places = {column: (table.columnViewportPosition(column) + margin,
                           table.columnWidth(column) - grid - 2 * margin)
                  for column in columns if not table.isColumnHidden(column)}
        # The colour group Qt paints the cells in (the view's options: enabled, active and focused).
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)
        state = option.state
        group = _NORMAL if state & _ENABLED else _DISABLED
        if group is _NORMAL and not state & _ACTIVE:
            group = _INACTIVE
        palette = option.palette
        # An unselected row's own background is the viewport's (in the window's colour group), an
        # alternate row's is the style's.
        base = table.viewport().palette().base()
        key = (palette.cacheKey(), group, base.color().rgba(), table.alternatingRowColors())
        colours = self._colours.get(key)
        if colours is None:
            if len(self._colours) >= 16:
                self._colours.clear()
            alternate = palette.brush(group, QPalette.ColorRole.AlternateBase) if key[3] else base
            colours = self._colours[key] = (base, alternate, palette.brush(group, QPalette.ColorRole.Highlight),
                                            palette.color(group, QPalette.ColorRole.HighlightedText))
        model = table.selectionModel()
        selection = model.selection() if model is not None else None
        ranges = [(r.top(), r.bottom(), r.left(), r.right()) for r in selection.toList()] if selection else []
        painter = QPainter(table.viewport())
        painter.setFont(self._bold)
        return painter, places, colours, ranges
