"""Unsaved input: one protocol every editor implements, one guard that asks before it is lost.

An editor (a case tab, the case page's note, the registration form) says whether it holds input
that is not in the database (:meth:`UnsavedEditor.has_unsaved_input`), what that input is in a
few words for the question, and whether it can save it. The registration form keeps a draft on
disk instead (:meth:`UnsavedEditor.keep_draft`): it is never asked about.

Whatever would drop the input — opening another case in the same case view, signing out, closing
the window — goes through :meth:`LeaveGuard.leave` with what to do next. With nothing unsaved that
runs at once; otherwise one question lists what would be lost and offers 保存 (when every editor
concerned can save), 放弃修改 and 取消 (stay, also Esc). Switching the section or the case tab
drops nothing (the widgets keep their text), so it is not asked about.

The question is a replaceable callable (:attr:`LeaveGuard.ask`) so tests can answer it without a
modal loop; the real one is a window-modal, non-blocking :class:`QMessageBox`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QTabWidget, QWidget


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    STAY = "stay"


@runtime_checkable
class UnsavedEditor(Protocol):
    """What the guard needs of an editor."""

    def has_unsaved_input(self) -> bool:
        """Input typed or chosen that is not in the database (and would be lost)."""
        ...

    def unsaved_description(self) -> str:
        """What is unsaved, in the interface language, e.g. “调解记录（2026-12-01 09:30）”."""
        ...

    def can_save_unsaved(self) -> bool:
        """Whether :meth:`save_unsaved` can store it (a draft kept as it is, not a workflow step)."""
        ...

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        """Save; ``done(True)`` after it is stored, ``done(False)`` when it was refused (the editor
        shows why, under the field, as after its own save button)."""
        ...

    def discard_unsaved(self) -> None:
        """Drop the input: the editor shows what is stored again."""
        ...

    def keep_draft(self) -> bool:
        """Keep the input as a draft outside the database now; True when it is kept (then nothing
        is asked). Editors without drafts return False."""
        ...

    def reveal_unsaved(self) -> None:
        """Show the editor and put the cursor in it (the user chose to stay)."""
        ...


class GuardedSave:
    """An editor's own save run for the guard (:meth:`UnsavedEditor.save_unsaved`): the guard is
    told once how it ended — stored, refused, or nothing written at all."""

    def __init__(self) -> None:
        self._done: Callable[[bool], None] | None = None

    def start(self, save: Callable[[], None], busy: Callable[[], bool], done: Callable[[bool], None]) -> None:
        self._done = done
        save()
        if self._done is done and not busy():  # nothing was written (nor refused)
            self.finish(False)

    def finish(self, saved: bool) -> None:
        """The editor's save ended (call last: the guard may now open another case)."""
        done, self._done = self._done, None
        if done is not None:
            done(saved)


#: Asks about the unsaved input: (parent, text, whether 保存 is offered, where the answer goes).
Ask = Callable[[QWidget, str, bool, Callable[[Choice], None]], None]


def question_text(descriptions: Iterable[str]) -> str:
    lines = "\n".join(f"· {text}" for text in descriptions)
    return QCoreApplication.translate(
        "LeaveGuard", "This input has not been saved:\n{items}\n\nIt is lost if you go on without saving it."
    ).format(items=lines)


def ask_with_message_box(parent: QWidget, text: str, can_save: bool,
                         answer: Callable[[Choice], None]) -> QMessageBox:
    """The real question: window-modal and non-blocking; Esc and closing it mean stay."""
    translate = QCoreApplication.translate
    box = QMessageBox(QMessageBox.Icon.Warning, translate("LeaveGuard", "Unsaved input"), text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("unsavedQuestion")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    save = box.addButton(translate("LeaveGuard", "Save"), QMessageBox.ButtonRole.AcceptRole) if can_save else None
    discard = box.addButton(translate("LeaveGuard", "Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(translate("LeaveGuard", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    discard.setObjectName("unsavedDiscard")
    stay.setObjectName("unsavedStay")
    if save is not None:
        save.setObjectName("unsavedSave")
    box.setEscapeButton(stay)
    # Enter never throws input away: it saves where that is possible, else it stays.
    box.setDefaultButton(save if save is not None else stay)

    def finished(_result: int) -> None:
        clicked = box.clickedButton()
        if save is not None and clicked is save:
            answer(Choice.SAVE)
        elif clicked is discard:
            answer(Choice.DISCARD)
        else:
            answer(Choice.STAY)

    box.finished.connect(finished)
    box.open()
    return box


def reveal(widget: QWidget, focus: QWidget | None = None) -> None:
    """Bring ``widget`` to the front: every tab (section, case tab) it sits in becomes current;
    then the cursor goes to ``focus``."""
    child = widget
    parent = widget.parentWidget()
    while parent is not None:
        grand = parent.parentWidget()
        if isinstance(parent, QStackedWidget) and isinstance(grand, QTabWidget):
            grand.setCurrentWidget(child)
        child, parent = parent, grand
    if focus is not None:
        focus.setFocus(Qt.FocusReason.OtherFocusReason)


class LeaveGuard:
    """Asks before the input of ``editors()`` is dropped; one question at a time."""

    def __init__(self, parent: QWidget, editors: Callable[[], Iterable[UnsavedEditor]]) -> None:
        self._parent = parent
        self._editors = editors
        self.ask: Ask = self._ask_with_message_box
        self._asking = False
        #: The real question while it is open.
        self.box: QMessageBox | None = None

    def _ask_with_message_box(self, parent: QWidget, text: str, can_save: bool,
                              answer: Callable[[Choice], None]) -> None:
        def answered(choice: Choice) -> None:
            self.box = None
            answer(choice)

        self.box = ask_with_message_box(parent, text, can_save, answered)

    @property
    def asking(self) -> bool:
        return self._asking

    def unsaved(self) -> list[UnsavedEditor]:
        """The editors whose input would be lost (drafts that can be kept are kept now)."""
        return [e for e in self._editors() if e.has_unsaved_input() and not e.keep_draft()]

    def leave(self, proceed: Callable[[], None], stay: Callable[[], None] | None = None) -> None:
        """Run ``proceed`` once nothing unsaved is in the way (saved, or discarded by choice);
        ``stay`` when the user stays (or a save was refused)."""
        if self._asking:
            return  # the question is open already: one answer decides
        pending = self.unsaved()
        if not pending:
            proceed()
            return
        can_save = all(e.can_save_unsaved() for e in pending)
        text = question_text(e.unsaved_description() for e in pending)
        self._asking = True

        def stayed(editor: UnsavedEditor | None) -> None:
            if stay is not None:
                stay()
            if editor is not None:
                editor.reveal_unsaved()

        def answered(choice: Choice) -> None:
            self._asking = False
            if choice is Choice.DISCARD:
                for editor in pending:
                    editor.discard_unsaved()
                proceed()
            elif choice is Choice.SAVE and can_save:
                self._save(list(pending), proceed, stayed)
            else:
                stayed(pending[0])

        self.ask(self._parent, text, can_save, answered)

    def _save(self, pending: list[UnsavedEditor], proceed: Callable[[], None],
              stayed: Callable[[UnsavedEditor | None], None]) -> None:
        if not pending:
            proceed()
            return
        editor = pending[0]

        def done(saved: bool) -> None:
            if saved:
                self._save(pending[1:], proceed, stayed)
            else:
                stayed(editor)

        editor.save_unsaved(done)


__all__ = ["Ask", "Choice", "LeaveGuard", "UnsavedEditor", "ask_with_message_box",
           "question_text", "reveal"]
