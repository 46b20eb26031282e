"""Type-ahead in the forms' lists: an entry is picked by typing its first letters, its pinyin
initials or its characters, without opening the list.

``劳动争议`` is picked by ``ld`` (its initials), ``laodong`` (its pinyin) or 劳动 (committed by an
input method); an English entry by its first letters. Letters typed in quick succession add up
(``l`` then ``d``); after a pause the next letter starts afresh and, pressed again, moves to the
next entry it fits (so ``l``, ``l`` … walks through the entries starting with l). Entries are
matched first by how they begin, then anywhere in them (``1`` finds "当事人 1：张三").

The pinyin comes from ``pypinyin`` (its dictionary reads words, so 重庆 is chongqing, 银行 yinhang).
:func:`type_ahead` fits a non-editable ``QComboBox``; an editable one (ethnicity, an agent's
authority) gets :class:`PinyinCompleter`, which lists what fits what was typed.

Arrow keys, Home/End, Space (opens the list) and every shortcut keep working as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import lru_cache

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QComboBox, QCompleter

from mediation_desk.ui.common import pinyin_dicts

#: How long after a letter the next one still adds to it (Qt's own list search uses 400 ms,
#: too short for someone looking at the keyboard for the second initial).
PAUSE_S = 1.0
#: Marks a combo box that takes type-ahead (read by tests and bench/counter.py).
PROPERTY = "typeAhead"
_KEYS_ROLE = Qt.ItemDataRole.UserRole + 40


def _fold(text: str) -> str:
    return "".join(text.casefold().split())


@lru_cache(maxsize=8192)
def search_keys(text: str) -> tuple[str, str, str]:
    """(the text, its pinyin initials, its full pinyin), case-folded and without spaces; what is
    not Chinese stays as it is in all three ("当事人 1：张三" → "dsr1：zs")."""
    # Imported at the first use: loading pypinyin's phrase dictionary takes most of a second, and
    # the app warms it on a worker while the login dialog waits for the password (ui.app), its
    # dictionaries read in pieces so that the dialog is not frozen meanwhile (pinyin_dicts).
    pinyin_dicts.load()
    from pypinyin import Style, lazy_pinyin

    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    full = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    return _fold(text), _fold("".join(initials)), _fold("".join(full))


def matches(text: str, typed: str) -> int:
    """How well ``typed`` fits ``text``: 2 it begins like it, 1 it is inside it, 0 not at all."""
    wanted = _fold(typed)
    if not wanted:
        return 0
    keys = search_keys(text)
    if any(key.startswith(wanted) for key in keys):
        return 2
    return 1 if any(wanted in key for key in keys) else 0


def find(texts: Sequence[str], typed: str, start: int = 0) -> int:
    """The entry ``typed`` picks: the first at or after ``start`` (going round) that begins like it,
    else the first that contains it; -1 when none fits."""
    count = len(texts)
    order = [(start + offset) % count for offset in range(count)] if count else []
    contained = -1
    for index in order:
        fit = matches(texts[index], typed)
        if fit == 2:
            return index
        if fit == 1 and contained < 0:
            contained = index
    return contained


class TypeAhead(QObject):
    """The key handling of :func:`type_ahead` (an event filter on the combo box and its popup)."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self._combo = combo
        self._typed = ""
        self._at = 0.0
        combo.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        combo.installEventFilter(self)
        combo.view().installEventFilter(self)

    def texts(self) -> list[str]:
        combo = self._combo
        return [combo.itemText(i) for i in range(combo.count())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            control = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                           | Qt.KeyboardModifier.MetaModifier)
            if control or not text or not text.isprintable() or text.isspace():
                return False
            self.typed(text, popup=watched is not self._combo)
            return True
        if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            if event.commitString():
                self.typed(event.commitString(), popup=watched is not self._combo, fresh=True)
            event.accept()
            return True
        return False

    def typed(self, text: str, *, popup: bool = False, fresh: bool = False) -> None:
        now = time.monotonic()
        combo = self._combo
        current = combo.view().currentIndex().row() if popup else combo.currentIndex()
        texts = self.texts()
        continuing = not fresh and self._typed and now - self._at <= PAUSE_S
        self._at = now
        index = -1
        if continuing:
            self._typed += text
            index = find(texts, self._typed, max(current, 0))
        if index < 0:
            # A fresh start: the next entry that fits, so the same letter again moves on.
            self._typed = text
            index = find(texts, text, current + 1 if current >= 0 else 0)
        if index < 0:
            QApplication.beep()
            return
        if popup:
            combo.view().setCurrentIndex(combo.model().index(index, combo.modelColumn(), combo.rootModelIndex()))
        elif index != combo.currentIndex():
            combo.setCurrentIndex(index)
            combo.activated.emit(index)


def type_ahead(combo: QComboBox) -> QComboBox:
    """Let a list be picked from by typing (letters, pinyin initials, characters)."""
    if combo.isEditable():
        if not isinstance(combo.completer(), PinyinCompleter):
            completer = PinyinCompleter([combo.itemText(i) for i in range(combo.count())], combo)
            combo.setCompleter(completer)
            line = combo.lineEdit()
            if line is not None:
                highlight = _highlight_first(completer)
                line.textEdited.connect(lambda _text: QTimer.singleShot(0, completer, highlight))
    elif combo.findChild(TypeAhead) is None:
        TypeAhead(combo)
    combo.setProperty(PROPERTY, True)
    return combo


_ENTRIES: dict[tuple[str, ...], QStandardItemModel] = {}


def _entries(items: tuple[str, ...]) -> QStandardItemModel:
    """The completion entries of a list, built once and shared by every completer of that list
    (a form has a few ethnicity lists; the entries never change)."""
    model = _ENTRIES.get(items)
    if model is None:
        model = QStandardItemModel()
        for text in items:
            item = QStandardItem(text)
            item.setData("\x1f".join(search_keys(text)), _KEYS_ROLE)
            model.appendRow(item)
        _ENTRIES[items] = model
    return model


def _highlight_first(completer: QCompleter) -> Callable[[], None]:
    def highlight() -> None:
        popup = completer.popup()
        if popup is not None and popup.isVisible() and not popup.currentIndex().isValid():
            popup.setCurrentIndex(completer.completionModel().index(0, 0))

    return highlight


class PinyinCompleter(QCompleter):
    """Completion for a list that may also be typed into: what was typed (characters, initials or
    pinyin) lists the entries that contain it, the first one highlighted, so Enter takes it."""

    def __init__(self, items: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(_entries(tuple(items)), parent)
        self.setCompletionRole(_KEYS_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setModelSorting(QCompleter.ModelSorting.UnsortedModel)

    def splitPath(self, path: str) -> list[str]:
        return [_fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


__all__ = ["PROPERTY", "PinyinCompleter", "TypeAhead", "find", "matches", "search_keys", "type_ahead"]
