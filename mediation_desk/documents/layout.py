"""Composition rules every printed document shares: Chinese line breaking (禁则), signature and
seal blocks kept with the text they authenticate, label columns wide enough for their labels.

* :func:`break_lines` / :func:`line_ranges` — where a line of Chinese may break. No line starts
  with closing punctuation (。，、；：？！）」》…) and no line ends with opening punctuation
  (（「《…); a Latin word or a number (an ID number, a phone number, 2026) is not cut unless it is
  wider than the line; ``keep`` spans (names) stay on one line. The offending character is
  pushed to the next line together with the one before it (推出), never hung into the margin: in
  a table cell a hanging full stop would cross the rule. :func:`install` makes reportlab's
  ``Paragraph`` (``wordWrap='CJK'``) break by these rules, so every paragraph and table cell of
  every document follows them.
* :func:`signature` marks a signature, seal or date block; :func:`keep_signatures` (called by
  ``forms.render_form`` on every form's story) keeps each marked block on one page with the last
  lines of the text before it (:class:`KeepWithText`). A page never holds only a signature,
  seal or date block, and the block stays on the page of the text where there is room.
  A block that may grow taller than a page (many parties, companies, minors with guardians)
  offers denser forms of its parts (:func:`signature_choices`: several signers to a row, the
  mediators' boxes beside the seal); the first level at which it fits a page with its text is
  printed, so ordinary documents keep their look and crowded ones still end on a page of text.
* :func:`label_width` — the width a label column needs so its labels never wrap;
  :func:`column_width` the same for a column of case numbers, within a maximum, and
  :func:`widen` makes that room in a table from the columns that wrap anyway.
* Case numbers (:data:`CASE_NUMBER`: （2026）甘矛调字第832083号, a township's
  （2026）甘州梁家墩调字第0001号) are what a reader looks a case up by: :func:`line_ranges` keeps each
  on one line where it fits a line; where it does not it breaks after the year's ）
  (（2026） / 甘州梁家墩调字第0001号), then, for an absurdly long prefix, inside the prefix — never
  inside 第…号 (the digits, or 号 alone on a line). :func:`column_width` sizes a column of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable

#: Punctuation that must not start a line (GB/T 15834, every Chinese typesetter's rule), and its
#: ASCII counterparts.
NO_LINE_START = "，。、；：？！）》」』”’〕】〗〉｝］…·％‰℃!),.:;?]}%"
#: Punctuation that must not end a line.
NO_LINE_END = "（《「『“‘〔【〖〈｛［([{"
#: Marks drawn two at a time (…… ——): the pair is never split.
_PAIRED = "…—"
#: Spaces that join, never break.
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"
_FUZZ = 1e-6

#: A case number as printed: （year）prefix字第seq号 (full-width brackets; ASCII ones accepted).
CASE_NUMBER = re.compile(r"[（(]\d{4}[）)][^\s（）()、，。；：,;:]+?字第\d+号")
#: How freely a line may break inside a case number at a position (see :func:`number_breaks`):
#: 1 right after the year's ）, 2 inside the prefix (up to before 第), never inside 第…号.
_AFTER_YEAR, _IN_PREFIX, _NEVER = 1, 2, 3


def _latin(char: str) -> bool:
    """A character of a word that is not cut: Latin letters, digits, ASCII signs."""
    return ord(char) < 0x2000 and not char.isspace() and char not in NO_LINE_START + NO_LINE_END


def may_break(text: str, index: int, *, words: bool = True) -> bool:
    """Whether a line may break before ``text[index]`` (0 < index < len(text))."""
    before, after = text[index - 1], text[index]
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before in _NO_BREAK_SPACES or after in _NO_BREAK_SPACES:
        return False
    if before == after and before in _PAIRED:
        return False
    return not (words and _latin(before) and _latin(after))


def number_breaks(text: str) -> dict[int, int]:
    """For every position strictly inside a case number of ``text`` (a break before
    ``text[index]``), how far a line must be from fitting before it may break there:
    :data:`_AFTER_YEAR` after the year's ）, :data:`_IN_PREFIX` inside the prefix (and before 第),
    :data:`_NEVER` inside the year or in 第…号."""
    if "字第" not in text:
        return {}
    grades: dict[int, int] = {}
    for match in CASE_NUMBER.finditer(text):
        start, end = match.span()
        year_end = start + 6  # （2026）
        seq_start = text.rindex("第", start, end)
        for index in range(start + 1, end):
            if index == year_end:
                grades[index] = _AFTER_YEAR
            elif year_end < index <= seq_start:
                grades[index] = _IN_PREFIX
            else:
                grades[index] = _NEVER
    return grades


#: The breaks tried in turn, each only where the ones before found none: (Latin words and
#: numbers whole, kept spans whole, how far inside a case number).
_TIERS = ((True, True, 0), (True, False, 0), (True, False, _AFTER_YEAR), (True, False, _IN_PREFIX),
          (False, False, _IN_PREFIX))


def line_ranges(text: str, widths: Sequence[float], max_widths: Sequence[float] | float, *,
                keep: Iterable[tuple[int, int]] = (), first_line: int = 0) -> list[tuple[int, int]]:
    """The lines of ``text`` as ``(start, end)`` index ranges, each no wider than its maximum.

    ``widths`` are the characters' advances; line ``n`` is at most ``max_widths[n]`` wide (the
    last width for the rest). Spaces at a break are dropped (they belong to neither line).
    ``keep`` are ``(start, end)`` spans never broken inside unless wider than a line.
    ``first_line`` offsets the index into ``max_widths`` (for text that continues a paragraph).
    A case number is broken only as :func:`number_breaks` allows, and only where it cannot fit
    a line whole.
    """
    if isinstance(max_widths, (int, float)):
        max_widths = [float(max_widths)]
    kept = [(start, end) for start, end in keep if end - start > 1]
    numbers: dict[int, int] | None = None  # found when a line first has to break (most text fits)
    count = len(text)
    lines: list[tuple[int, int]] = []
    start = 0
    while start < count:
        limit = max_widths[min(len(lines) + first_line, len(max_widths) - 1)]
        used = 0.0
        end = start
        while end < count and used + widths[end] <= limit + _FUZZ:
            used += widths[end]
            end += 1
        # Spaces never make a line overflow: they are dropped at the break.
        while end < count and text[end] == " ":
            end += 1
        if end >= count:
            lines.append((start, count))
            break
        if end == start:
            end = start + 1  # a character wider than the line: it gets a line of its own
            lines.append((start, end))
            start = end
            continue

        if numbers is None:
            numbers = number_breaks(text)

        def allowed(index: int, *, words: bool, spans: bool, inside: int, grades: dict[int, int] = numbers) -> bool:
            if grades.get(index, 0) > inside:
                return False
            if not may_break(text, index, words=words):
                return False
            return not (spans and any(first < index < last for first, last in kept))

        brk = None
        for words, spans, inside in _TIERS:
            brk = next((i for i in range(end, start, -1) if allowed(i, words=words, spans=spans, inside=inside)),
                       None)
            if brk is not None:
                break
        if brk is None:
            brk = end  # nothing allowed at all (a line of closing marks): cut where it is full
        stop = brk
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        lines.append((start, stop if stop > start else brk))
        start = brk
        while start < count and text[start] == " ":
            start += 1
    return lines


def break_lines(text: str, width: float | Sequence[float], font: str, size: float, *,
                keep: Iterable[str] = ()) -> list[str]:
    """``text`` (one paragraph, no line breaks) broken into lines no wider than ``width`` by the
    rules above; every occurrence of each ``keep`` string stays on one line where it fits."""
    from .fonts import font_runs

    # Each character measured in the font that draws it (a rare one comes from a fallback font).
    widths = [float(stringWidth(char, run_font, size)) for run_font, run in font_runs(text, font) for char in run]
    if len(widths) != len(text):  # a character no font has is left out: measure it as a full one
        widths = [float(stringWidth(char, font, size)) or size for char in text]
    spans: list[tuple[int, int]] = []
    for word in keep:
        if not word:
            continue
        found = text.find(word)
        while found >= 0:
            spans.append((found, found + len(word)))
            found = text.find(word, found + 1)
    limits = [float(width)] if isinstance(width, (int, float)) else [float(w) for w in width]
    return [text[start:end] for start, end in line_ranges(text, widths, limits, keep=spans)]


# --------------------------------------------------------------------------- reportlab


def _word_split(word: str | bytes, max_widths: Any, font_name: str, font_size: float,
                encoding: str = "utf8") -> list[list[Any]]:
    """``textsplit.wordSplit`` by the rules of Chinese typesetting (one-fragment paragraphs)."""
    from reportlab.lib.textsplit import getCharWidths

    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    widths = getCharWidths(text, font_name, font_size)
    lines: list[list[Any]] = []
    for index, (start, end) in enumerate(line_ranges(text, widths, max_widths)):
        limit = max_widths[min(index, len(max_widths) - 1)]
        lines.append([limit - sum(widths[start:end]), text[start:end]])
    return lines


def _frag_split(frags: Sequence[Any], max_widths: Any, calc_bounds: bool, encoding: str = "utf8") -> Any:
    """``paragraph.cjkFragSplit`` by the rules of Chinese typesetting (paragraphs of several
    fragments: font runs, line breaks)."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    if not isinstance(max_widths, (list, tuple)):
        max_widths = [max_widths]
    units: list[Any] = []
    for frag in frags:
        text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(cjkU(char, frag, encoding) for char in text)
        else:
            units.append(cjkU(text, frag, encoding))
    lines: list[Any] = []
    segment_start = 0

    def set_segment(first: int, stop: int, forced: bool) -> None:
        piece = units[first:stop]
        # Non-characters (empty fragments) count as one neutral position.
        text = "".join(str(u) if len(u) == 1 else "\u2060" for u in piece)
        widths = [float(u.width) for u in piece]
        ranges = line_ranges(text, widths, max_widths, first_line=len(lines)) or [(0, 0)]
        for number, (start, end) in enumerate(ranges):
            limit = max_widths[min(len(lines), len(max_widths) - 1)]
            last = number == len(ranges) - 1
            chunk = piece[start:end]
            if last and forced:
                chunk = piece[start:]  # the line-break marker ends the line
            used = sum(widths[start:end])
            lines.append(makeCJKParaLine(chunk, limit, used, limit - used, bool(last and forced), calc_bounds))

    for index, unit in enumerate(units):
        if hasattr(unit.frag, "lineBreak"):
            set_segment(segment_start, index + 1, True)
            segment_start = index + 1
    if segment_start < len(units):
        set_segment(segment_start, len(units), False)
    return ParaLines(kind=1, lines=lines)


def install() -> None:
    """Make reportlab's CJK line wrapping (``wordWrap='CJK'``) follow :func:`line_ranges`.

    ``Paragraph.breakLinesCJK`` calls ``textsplit.wordSplit`` (one fragment) and
    ``cjkFragSplit`` (several) through its module's globals, so replacing both there changes
    every Paragraph of every document at once."""
    from reportlab.platypus import paragraph as rl_paragraph

    rl_paragraph.wordSplit = _word_split
    rl_paragraph.cjkFragSplit = _frag_split


# --------------------------------------------------------------------------- label columns


def label_width(labels: Iterable[str], font: str, size: float, *, padding: float = 8.0,
                minimum: float = 0.0) -> float:
    """The width of a label column whose labels (each line of each) print on one line:
    the widest line plus the cell's left and right padding."""
    widest = 0.0
    for label in labels:
        for line in label.split("\n"):
            widest = max(widest, float(stringWidth(line, font, size)))
    # A hair more than the text: reportlab's fuzz must not break the last character off.
    return max(minimum, widest + padding + 0.5)


_ANY_DIGIT = str.maketrans("123456789", "000000000")


@lru_cache(maxsize=8)
def _tabular_digits(font: str) -> bool:
    """Whether the digits 0–9 of ``font`` are all of one width (the sans's are; the serif's not)."""
    return len({stringWidth(digit, font, 10) for digit in "0123456789"}) == 1


def column_width(texts: Iterable[str], font: str, size: float, *, padding: float, minimum: float = 0.0,
                 maximum: float = float("inf")) -> float:
    """The width of a column whose ``texts`` (case numbers) each print on one line: the widest,
    measured in the fonts that draw it, plus the cell's left and right ``padding``, between
    ``minimum`` and ``maximum`` (a wider text then breaks as :func:`line_ranges` allows)."""
    from .fonts import font_runs

    shapes = set(texts)
    if _tabular_digits(font):
        # Numbers of one center differ only in their digits: with digits all of one width, each
        # shape is measured once (the county's graded list holds 124,000 numbers).
        shapes = {text.translate(_ANY_DIGIT) for text in shapes}
    widest = 0.0
    for text in shapes:
        widest = max(widest, sum(float(stringWidth(run, run_font, size)) for run_font, run in font_runs(text, font)))
    # A hair more than the text, as label_width: reportlab's fuzz must not push 号 down.
    return min(maximum, max(minimum, widest + padding + 0.5))


def widen(widths: Sequence[float], index: int, width: float, donors: Sequence[int]) -> list[float]:
    """``widths`` with column ``index`` at least ``width`` wide, the room taken from the ``donors``
    (columns of text that wraps anyway) in proportion to their widths: the total is unchanged."""
    out = [float(w) for w in widths]
    extra = width - out[index]
    if extra <= 0:
        return out
    pool = sum(out[d] for d in donors)
    for d in donors:
        out[d] -= extra * out[d] / pool
    out[index] = width
    return out


# --------------------------------------------------------------------------- keep-together

_SIGNATURE = "_md_signature"
#: How many last rows of a table are signature rows (the table ends the document's text).
_SIGNED_ROWS = "_md_signed_rows"


def signature(flowable: Flowable) -> Flowable:
    """Mark ``flowable`` as (part of) a signature, seal or date block."""
    setattr(flowable, _SIGNATURE, True)
    return flowable


def signed_table(table: Table, rows: int) -> Table:
    """Mark a table whose last ``rows`` rows are where people sign: those rows never go to a
    page without at least one row of the table's text above them."""
    setattr(table, _SIGNED_ROWS, rows)
    return table


def is_signature(flowable: Flowable) -> bool:
    return bool(getattr(flowable, _SIGNATURE, False))


#: The denser forms of a signature block's part, tried in turn where the block would not fit a
#: page with the text it signs.
_DENSER = "_md_denser"


def signature_choices(*options: Flowable) -> Flowable:
    """A part of a signature block in ever denser forms: the first is printed wherever the block
    fits a page together with the last lines of the text it signs; where it does not,
    :func:`keep_signatures` takes the next form of every part of the block (level by level: the
    ``n``-th form of each, or its last), so the block shrinks rather than leave a page holding
    only signatures. Parts of one block list their forms level for level."""
    first, *rest = options
    for option in options:
        signature(option)
    setattr(first, _DENSER, list(rest))
    return first


def _levels(flowables: Iterable[Flowable]) -> int:
    """How many forms the densest part of ``flowables`` offers (1: no choices)."""
    most = 1
    for item in flowables:
        most = max(most, 1 + len(getattr(item, _DENSER, ())))
        if isinstance(item, KeepTogether):
            most = max(most, _levels(item._content))
    return most


def _at_level(flowables: Iterable[Flowable], level: int) -> list[Flowable]:
    """``flowables`` with every part that has denser forms in its form ``level`` (or its last)."""
    out: list[Flowable] = []
    for item in flowables:
        forms = [item, *getattr(item, _DENSER, ())]
        chosen = forms[min(level, len(forms) - 1)]
        if isinstance(chosen, KeepTogether) and not isinstance(chosen, KeepWithText) and _levels(chosen._content) > 1:
            inner = KeepTogether(_at_level(chosen._content, level))
            if is_signature(chosen):
                signature(inner)
            chosen = inner
        out.append(chosen)
    return out


def _flatten(flowables: Iterable[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for item in flowables:
        if isinstance(item, KeepTogether) and not isinstance(item, KeepWithText):
            inner = _flatten(item._content)
            if is_signature(item):
                for part in inner:
                    signature(part)
            out += inner
        else:
            out.append(item)
    return out


def _height(flowables: Sequence[Flowable], width: float, canvas: Any) -> float:
    """The height the frame gives ``flowables`` placed one after another (not at a page top)."""
    total = 0.0
    for index, item in enumerate(flowables):
        _w, h = item.wrapOn(canvas, width, 0x7FFFFFFF)
        total += h + item.getSpaceBefore()
        if index < len(flowables) - 1:
            total += item.getSpaceAfter()
    return total


def _min_tail(anchor: Flowable, width: float, canvas: Any) -> float:
    """How much of ``anchor`` must go with the block: two lines of a paragraph, the signature
    rows of a signed table and one more row."""
    if isinstance(anchor, Paragraph):
        return 2 * float(anchor.style.leading)
    if isinstance(anchor, Table):
        anchor.wrapOn(canvas, width, 0x7FFFFFFF)
        rows = int(getattr(anchor, _SIGNED_ROWS, 0)) + 1
        heights = list(anchor._rowHeights)
        return float(sum(heights[-rows:]))
    return float("inf")


class KeepWithText(KeepTogether):  # type: ignore[misc]  # reportlab has no type information
    """A signature, seal or date block with the text before it, on one page.

    ``lead`` are headings that go with the anchor, ``anchor`` the last piece of text before the
    block (a paragraph or a table), ``between`` the spacers after it (and a one-line item that
    followed it), ``block`` the marked flowables. Where everything fits it is placed as is.
    Where it does not, the anchor is split so that its last lines (at least two; a signed
    table's signature rows and one more) start the next page with the block; only where the
    anchor cannot be split does the whole group go to the next page. A block taller than a page
    flows on from the text, keeping its own last table with what follows it.
    """

    def __init__(self, lead: Sequence[Flowable], anchor: Flowable | None, between: Sequence[Flowable],
                 block: Sequence[Flowable]) -> None:
        self.lead = list(lead)
        self.anchor = anchor
        self.between = list(between)
        self.block = list(block)
        content = [*self.lead, *([anchor] if anchor is not None else []), *self.between, *self.block]
        super().__init__(content)

    def unit(self, width: float, canvas: Any = None) -> float:
        """The height that must share one page: the block (and what lies between it and the
        anchor), with the anchor's last lines, or all of the anchor and its headings where it
        cannot be split."""
        rest_height = _height([*self.between, *self.block], width, canvas)
        lead_height = _height(self.lead, width, canvas) if self.lead else 0.0
        if self.anchor is None:
            return rest_height + lead_height
        _w, anchor_height = self.anchor.wrapOn(canvas, width, 0x7FFFFFFF)
        need = _min_tail(self.anchor, width, canvas)
        return rest_height + (need if need < anchor_height else anchor_height + lead_height)

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - reportlab's API
        canvas = self.canv if hasattr(self, "canv") else None
        content = list(self._content)
        if _height(content, aW, canvas) <= aH:
            return content
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        page_height = float(frame._height) if frame is not None else aH
        tail_block = [*self.between, *self.block]
        anchor = self.anchor
        lead_height = _height(self.lead, aW, canvas) if self.lead else 0.0
        need = 0.0
        anchor_height = 0.0
        if anchor is not None:
            _w, anchor_height = anchor.wrapOn(canvas, aW, 0x7FFFFFFF)
            need = _min_tail(anchor, aW, canvas)
        splittable = need < anchor_height
        # What must share the block's page: the anchor's last lines (or all of it, and its
        # headings, where it cannot be split), then the block.
        unit = self.unit(aW, canvas)
        if unit > page_height:
            return self._smaller(content, aW, page_height)
        if anchor is not None and splittable:
            room = aH - lead_height - (anchor.getSpaceBefore() if self.lead else 0.0)
            # The most of the anchor this page can hold while at least ``need`` goes over.
            space = min(room, anchor_height - need)
            while space > 0:
                parts = anchor.split(aW, space)
                if len(parts) < 2:
                    break
                head, *tail = parts
                rest_fits = _height([*tail, *tail_block], aW, canvas) <= page_height
                if not rest_fits and len(tail) != 1:
                    break  # the rest would not fit a page: move the whole group instead
                _hw, head_height = head.wrapOn(canvas, aW, 0x7FFFFFFF)
                if head_height <= space + 1e-6:
                    if rest_fits:
                        rest: Flowable = KeepTogether([*tail, *tail_block])
                    else:
                        # An anchor longer than a page (a table of a dozen parties): it fills
                        # this page and goes on, and its last lines keep with the block there.
                        signed_rows = int(getattr(anchor, _SIGNED_ROWS, 0))
                        if signed_rows and isinstance(tail[0], Table):
                            signed_table(tail[0], signed_rows)
                        rest = KeepWithText([], tail[0], self.between, self.block)
                    return [NullActionFlowable(), *self.lead, head, FrameBreak(), rest]
                space = head_height - 1  # the split overshot (orphans, fuzz): try less
        if at_top:
            # Cannot do better than to flow. (A split's first flowable must fit where it is; an
            # action flowable is exempt, so the content is handed back behind one.)
            return [NullActionFlowable(), *content]
        return [FrameBreak(), *content]

    def _smaller(self, content: list[Flowable], width: float, page_height: float) -> list[Flowable]:
        """The block is too tall to share a page with the text: it flows on from the text, and
        the first of its tables whose last row and what follows it fit a page (the parties'
        signature rows) becomes the text the rest of the block (the mediators' boxes, the
        seal) keeps with."""
        canvas = self.canv if hasattr(self, "canv") else None
        for index, item in enumerate(self.block):
            if not isinstance(item, Table):
                continue
            rest = self.block[index + 1:]
            if _min_tail(item, width, canvas) + _height(rest, width, canvas) > page_height:
                continue
            text: list[Flowable] = []
            if self.anchor is not None:
                text.append(KeepTogether([*self.lead, self.anchor]) if self.lead else self.anchor)
            else:
                text += self.lead
            return [NullActionFlowable(), *text, *self.between, *self.block[:index], KeepWithText([], item, [], rest)]
        return [NullActionFlowable(), *content]


def _keeps_with_next(flowable: Flowable) -> bool:
    return bool(getattr(getattr(flowable, "style", None), "keepWithNext", False))


def _short(flowable: Flowable) -> bool:
    """A paragraph of about one line (a request, an item of a list)."""
    return isinstance(flowable, Paragraph) and len(flowable.getPlainText()) <= 40


def keep_signatures(story: Sequence[Flowable], frame: tuple[float, float] | None = None) -> list[Flowable]:
    """``story`` with every signature, seal or date block (:func:`signature`, and the rows of a
    :func:`signed_table`) kept on one page with the last lines of the text before it.

    ``frame`` is the text block's (width, height): where a block has denser forms
    (:func:`signature_choices`), the first level at which every block that can fit a page with
    its text does is printed."""
    levels = _levels(story)
    if frame is None or levels == 1:
        return _keep(_at_level(story, 0))
    width, height = frame

    def kept_at(level: int) -> tuple[list[Flowable], list[bool]]:
        kept = _keep(_at_level(story, level))
        return kept, [group.unit(width) <= height for group in kept if isinstance(group, KeepWithText)]

    densest_story, densest = kept_at(levels - 1)
    widest_story = _keep(_at_level(story, 0))
    if any(group.unit(width) > height and group.unit(width) != widest.unit(width)
           for group, widest in zip(_groups(densest_story), _groups(widest_story), strict=False)):
        return densest_story  # too tall even at its densest: the fewer pages of signatures the better
    for level in range(levels - 1):
        kept, fits = kept_at(level)
        # A block too tall at every level is no reason to print the others denser.
        if len(fits) == len(densest) and all(fit or not could for fit, could in zip(fits, densest, strict=True)):
            return kept
    return densest_story


def _groups(kept: Sequence[Flowable]) -> list[KeepWithText]:
    return [group for group in kept if isinstance(group, KeepWithText)]


def _keep(story: Sequence[Flowable]) -> list[Flowable]:
    items = _flatten(story)
    out: list[Flowable] = []
    index = 0
    while index < len(items):
        item = items[index]
        signed_rows = isinstance(item, Table) and bool(getattr(item, _SIGNED_ROWS, 0))
        if not is_signature(item) and not signed_rows:
            out.append(item)
            index += 1
            continue
        # The block: this marked flowable and the marked ones and spacers that follow it.
        end = index + (0 if signed_rows else 1)
        if signed_rows:
            anchor_from_table: Flowable | None = item
            end = index + 1
        else:
            anchor_from_table = None
        while end < len(items) and (is_signature(items[end]) or isinstance(items[end], Spacer)):
            end += 1
        while end > index + 1 and isinstance(items[end - 1], Spacer):
            end -= 1
        block = items[index + 1:end] if signed_rows else items[index:end]
        between: list[Flowable] = []
        lead: list[Flowable] = []
        anchor = anchor_from_table
        if anchor is None:
            # Back over spacers to the text the block signs.
            while out and isinstance(out[-1], Spacer):
                between.insert(0, out.pop())
            anchor = out.pop() if out and not isinstance(out[-1], KeepWithText) else None
            # A one-line item is too little text to carry a signature: the one before it
            # comes along (and its heading, below).
            if (anchor is not None and _short(anchor) and out and isinstance(out[-1], Paragraph)
                    and not _keeps_with_next(out[-1])):
                between.insert(0, anchor)
                anchor = out.pop()
        # Headings that keep with the anchor travel with it.
        while out and _keeps_with_next(out[-1]):
            lead.insert(0, out.pop())
        out.append(KeepWithText(lead, anchor, between, block))
        index = end
    return out
