"""Three-way merge of a text two desks edited from the same saved version.

Desk A saved its edit of a field while desk B was still editing the same field; B's save is refused
(``Conflict``). Instead of making B choose whose words win, :func:`merge_text` puts both on top of
the version they started from (the *base*):

* a part only one side changed takes that side's text;
* a part both changed the same way takes it once;
* a part both changed differently keeps **both** texts, one after the other, between markers that
  say whose each is — 【同事 王某 于 2026-12-04 10:31 保存的内容】 … 【我的修改】 … 【以上两段…】 —
  for B to read, combine and save. Nothing either wrote is dropped.

The unit of merging is a sentence or a line (:func:`pieces`): Chinese prose is often one long
paragraph, and a colleague adding a sentence at the end should not collide with a correction of the
first sentence. The regions come from the classic diff3 walk over the two diffs base→theirs and
base→mine (:func:`merge_regions`), built on :mod:`difflib`; it works on any sequences of hashable
items, so the agreement's terms (rows) merge the same way (:func:`keep_both`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

#: The characters that end a sentence (a piece ends after a run of them and any closing quotes).
SENTENCE_ENDS = frozenset("。！？；!?;")
CLOSERS = frozenset("”’」』）)】")

MINE_HEADING = "【我的修改】"
END_MARKER = "【以上是双方都改过的同一处：请核对、合并，并删除这三行标记】"


def theirs_heading(who: str, at: datetime | None) -> str:
    """The marker before the colleague's text: who saved it and when, as far as known."""
    name = who.strip() or "其他窗口"
    when = f" 于 {at:%Y-%m-%d %H:%M}" if at is not None else ""
    return f"【同事 {name}{when} 保存的内容】"


def pieces(text: str) -> list[str]:
    """``text`` cut after each sentence end (with its closing quotes) and each line break.

    Joining the pieces gives the text back exactly."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            out.append(text[start:i + 1])
            start = i = i + 1
            continue
        if char in SENTENCE_ENDS:
            j = i + 1
            while j < n and (text[j] in SENTENCE_ENDS or text[j] in CLOSERS):
                j += 1
            if j < n and text[j] == "\n":
                j += 1
            out.append(text[start:j])
            start = i = j
            continue
        i += 1
    if start < n:
        out.append(text[start:])
    return out


@dataclass(frozen=True)
class Region(Generic[T]):
    """A stretch of the merge: agreed (``clash`` false: ``merged`` is the text), or a clash where
    both sides changed the same base stretch differently (``theirs`` and ``mine`` are both kept)."""

    merged: tuple[T, ...]
    clash: bool = False
    base: tuple[T, ...] = ()
    theirs: tuple[T, ...] = ()
    mine: tuple[T, ...] = ()


def _sync_regions(base: Sequence[T], theirs: Sequence[T],
                  mine: Sequence[T]) -> list[tuple[int, int, int, int, int, int]]:
    """Stretches of ``base`` that both sides kept unchanged, with where they are in each side."""
    ours = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    yours = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    ia = ib = 0
    out = []
    while ia < len(ours) and ib < len(yours):
        abase, amatch, alen = ours[ia]
        bbase, bmatch, blen = yours[ib]
        start, end = max(abase, bbase), min(abase + alen, bbase + blen)
        if start < end:
            asub = amatch + (start - abase)
            bsub = bmatch + (start - bbase)
            out.append((start, end, asub, asub + end - start, bsub, bsub + end - start))
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    out.append((len(base), len(base), len(theirs), len(theirs), len(mine), len(mine)))
    return out


def merge_regions(base: Sequence[T], theirs: Sequence[T], mine: Sequence[T]) -> list[Region[T]]:
    """The diff3 merge of two edits of ``base``, as agreed stretches and clashes, in order."""
    regions: list[Region[T]] = []
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in _sync_regions(base, theirs, mine):
        old, a, b = tuple(base[iz:zmatch]), tuple(theirs[ia:amatch]), tuple(mine[ib:bmatch])
        if a or b:
            if a == b:
                regions.append(Region(a))
            elif a == old:
                regions.append(Region(b))
            elif b == old:
                regions.append(Region(a))
            else:
                regions.append(Region((), True, old, a, b))
        if zend > zmatch:
            regions.append(Region(tuple(base[zmatch:zend])))
        iz, ia, ib = zend, aend, bend
    return regions


def keep_both(base: Sequence[T], theirs: Sequence[T], mine: Sequence[T]) -> list[T]:
    """The merge of two edits of a list: where both changed the same stretch, theirs then mine."""
    out: list[T] = []
    for region in merge_regions(base, theirs, mine):
        out.extend(region.theirs + region.mine if region.clash else region.merged)
    return out


@dataclass(frozen=True)
class TextMerge:
    text: str
    #: How many stretches both sides changed differently (each marked in ``text``).
    clashes: int


def _on_own_line(out: list[str], line: str) -> None:
    if out and not out[-1].endswith("\n"):
        out.append("\n")
    out.append(line + "\n")


def merge_text(base: str, theirs: str, mine: str, *, who: str = "", at: datetime | None = None) -> TextMerge:
    """Both edits of ``base`` in one text; a stretch both changed keeps both, marked (see module)."""
    if mine in (theirs, base):
        return TextMerge(theirs, 0)
    if theirs == base:
        return TextMerge(mine, 0)
    out: list[str] = []
    clashes = 0
    for region in merge_regions(pieces(base), pieces(theirs), pieces(mine)):
        if not region.clash:
            out.extend(region.merged)
            continue
        clashes += 1
        _on_own_line(out, theirs_heading(who, at))
        out.extend(region.theirs)
        _on_own_line(out, MINE_HEADING)
        out.extend(region.mine)
        _on_own_line(out, END_MARKER)
    text = "".join(out)
    if clashes and text.endswith("\n") and not mine.endswith("\n") and not theirs.endswith("\n"):
        text = text[:-1]
    return TextMerge(text, clashes)


def has_markers(text: str) -> bool:
    """Whether ``text`` still holds the markers of a merge nobody has finished checking."""
    return MINE_HEADING in text or END_MARKER in text


__all__ = ["END_MARKER", "MINE_HEADING", "Region", "TextMerge", "has_markers", "keep_both", "merge_regions",
           "merge_text", "pieces", "theirs_heading"]
