"""When another desk saved the same thing first: show what changed and let the user choose.

A save carries the version it started from; the services refuse it with ``Conflict`` when the row
moved on meanwhile (nothing is overwritten). The editor then reads the saved version again and opens
:class:`ConflictDialog` with the fields side by side — what the user started from, what the other
desk saved (naming who saved it and when), what the user typed — and these ways on:

* **Merge both** (the default where there are texts to merge) puts into the form the other desk's
  version with the user's changes on top (:func:`merge_fields`): a text both changed keeps both
  sides' words (``services.textmerge``: where both changed the same passage, both passages stay,
  marked with whose each is) for the user to read, combine and save. Nothing is saved by the choice.
* **Reload** drops the user's edit and shows the other desk's version;
* **Re-apply my changes** takes the other desk's version and puts on top of it only the fields the
  user changed (:func:`reapply`), then saves that with the new version. A field both sides changed
  takes the user's text: "mine wins", which is why it is not the default for texts.

Closing the dialog keeps the form as it is (still unsaved, still the old version: saving again
raises the dialog again), so nothing typed is lost and nothing is overwritten unseen.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.services.textmerge import merge_text
from mediation_desk.ui.common.widgets import named

#: The note in an editor after a merge: not an error, but to be read before saving.
MERGE_NOTE_STYLE = "color: #8a4b00; background: #fff3e0; padding: 4px;"


def normalised(value: Any) -> Any:
    """A value as the services store it, so a field the user did not touch compares equal."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, list | tuple):
        return tuple(normalised(v) for v in value)
    return value


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between the version the user started from, theirs and mine."""

    name: str
    label: str
    base: Any
    theirs: Any
    mine: Any

    @property
    def changed_by_them(self) -> bool:
        return bool(normalised(self.theirs) != normalised(self.base))

    @property
    def changed_by_me(self) -> bool:
        return bool(normalised(self.mine) != normalised(self.base))

    @property
    def clash(self) -> bool:
        """Both changed it, to different values."""
        return self.changed_by_them and self.changed_by_me and normalised(self.theirs) != normalised(self.mine)


def field_changes(labels: Mapping[str, str], base: Mapping[str, Any], theirs: Mapping[str, Any],
                  mine: Mapping[str, Any]) -> list[FieldChange]:
    """The fields (in the order of ``labels``) that either side changed."""
    out = []
    for name, label in labels.items():
        if name not in mine and name not in theirs:
            continue
        change = FieldChange(name, label, base.get(name), theirs.get(name), mine.get(name, base.get(name)))
        if change.changed_by_them or change.changed_by_me:
            out.append(change)
    return out


def reapply(base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> dict[str, Any]:
    """Their version with only the fields I changed (from ``base``) put back on top."""
    merged = dict(theirs)
    for name, value in mine.items():
        if normalised(value) != normalised(base.get(name)):
            merged[name] = value
    return merged


@dataclass(frozen=True)
class Merged:
    """What :func:`merge_fields` puts into the form."""

    values: dict[str, Any]
    #: The texts where both sides changed the same passage (both kept, marked), in field order.
    marked: tuple[str, ...]


def merge_fields(base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any], *,
                 texts: Collection[str], who: str = "", at: datetime | None = None) -> Merged:
    """Their version with my changes on top; each text in ``texts`` that both changed is merged so
    that both sides' words stay (``services.textmerge``). Any other field both changed takes mine,
    as :func:`reapply` does (the dialog showed theirs, and the form is checked before saving)."""
    values = reapply(base, theirs, mine)
    marked = []
    for name in mine:
        if name not in texts:
            continue
        old, their, my = (str(v.get(name) or "") for v in (base, theirs, mine))
        if normalised(my) == normalised(old) or normalised(my) == normalised(their):
            continue  # not mine to merge: theirs stands (reapply took it)
        merged = merge_text(old.strip(), their.strip(), my.strip(), who=who, at=at)
        values[name] = merged.text
        if merged.clashes:
            marked.append(name)
    return Merged(values, tuple(marked))


def _marked_additions(base: str, text: str) -> str:
    """``text`` as HTML with what it has that ``base`` has not in bold on a stronger colour."""
    out = []
    for op, _i1, _i2, j1, j2 in SequenceMatcher(None, base, text, autojunk=False).get_opcodes():
        part = html.escape(text[j1:j2]).replace("\n", "<br/>")
        if op in ("insert", "replace") and part:
            part = f'<span style="background:#ffcc80;font-weight:bold">{part}</span>'
        out.append(part if op != "delete" else "")
    return "".join(out)


class ConflictDialog(QDialog):
    """Shows a conflict and returns the user's choice: :attr:`MERGE`, :attr:`RELOAD`, :attr:`REAPPLY`
    or rejected (keep editing)."""

    RELOAD = 2
    REAPPLY = 3
    MERGE = 4

    def __init__(self, what: str, changes: list[FieldChange], parent: QWidget | None = None, *,
                 can_reapply: bool = True, reason: str = "", can_merge: bool = False, who: str = "",
                 at: datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Saved by someone else meanwhile"))
        self.changes = changes
        self.who = who.strip()
        self.at = at
        self._can_merge = can_merge
        if who.strip() or at is not None:
            text = self.tr(
                "While you were editing {what}, {who} saved it at another desk on {time}. Your changes were NOT "
                "saved and nothing of theirs was overwritten. Compare the versions below, then choose.").format(
                what=what, who=self._who(), time=self._when())
        else:
            text = self.tr(
                "While you were editing {what}, someone at another desk saved it. Your changes were NOT saved "
                "and nothing of theirs was overwritten. Compare the two versions below, then choose.").format(
                what=what)
        intro = named(QLabel(text), "conflictIntro")
        intro.setWordWrap(True)
        self.table = named(QTextBrowser(), "conflictFields")
        self.table.setOpenLinks(False)
        self.table.setHtml(self._html())
        self.note = named(QLabel(reason), "conflictNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(reason))

        buttons = QDialogButtonBox()
        self.merge_button = named(QPushButton(self.tr("Merge both into the form to check")), "conflictMerge")
        self.merge_button.setToolTip(self.tr(
            "Put their version and your changes together in the form. Where you both changed the same "
            "passage, both texts stay, marked with whose each is, for you to combine. Nothing is saved "
            "until you save."))
        self.reload_button = named(QPushButton(self.tr("Reload (discard my changes)")), "conflictReload")
        self.reapply_button = named(QPushButton(self.tr("Re-apply my changes and save")), "conflictReapply")
        self.keep_button = named(QPushButton(self.tr("Keep editing")), "conflictKeep")
        self.reapply_button.setToolTip(self.tr(
            "Take their version and put back on top of it only the fields you changed, then save. Where you "
            "both changed a field, your text replaces theirs."))
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.setVisible(can_merge)
        self.merge_button.setEnabled(can_merge)
        self.reapply_button.setEnabled(can_reapply)
        # The highlighted button (what Enter presses) never drops the colleague's words: the merge
        # where there is one; otherwise re-apply (a case action taken again, nothing to merge).
        default = self.merge_button if can_merge else self.reapply_button if can_reapply else self.keep_button
        self.default_button = default
        self.merge_button.clicked.connect(lambda: self.done(self.MERGE))
        self.reload_button.clicked.connect(lambda: self.done(self.RELOAD))
        self.reapply_button.clicked.connect(lambda: self.done(self.REAPPLY))
        self.keep_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(1000, 600)
        default.setDefault(True)  # once the button is in the dialog, which then knows its default
        font = default.font()
        font.setBold(True)
        default.setFont(font)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Enter presses the default where the focus starts; tabbing to another button makes that one
        # the default, as everywhere.
        self.default_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _who(self) -> str:
        return self.who or self.tr("a colleague")

    def _when(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}" if self.at is not None else self.tr("an unknown time")

    def text_of(self, value: Any) -> str:
        if value is None or value == "":
            return self.tr("(empty)")
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M}"
        if isinstance(value, date):
            return f"{value:%Y-%m-%d}"
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        if isinstance(value, list | tuple):
            return "\n".join(self.text_of(v) for v in value)
        return str(value)

    def _cell(self, value: Any, *, changed: bool, base: Any = None) -> str:
        if changed and isinstance(value, str) and isinstance(base, str) and base.strip():
            text = _marked_additions(base, value)
        else:
            text = html.escape(self.text_of(value)).replace("\n", "<br/>")
        style = "background:#fff3e0;" if changed else "color:#757575;"
        return f'<td style="{style}padding:4px;vertical-align:top">{text}</td>'

    def _html(self) -> str:
        if not self.changes:
            return "<p>" + html.escape(self.tr(
                "The other desk's save changed nothing you can edit here (for example only its status).")) + "</p>"
        theirs = (self.tr("Saved by {who} ({time})").format(who=self._who(), time=self._when())
                  if self.who or self.at is not None else self.tr("Their version (saved)"))
        head = "".join(f'<th align="left" style="padding:4px">{html.escape(t)}</th>' for t in (
            self.tr("Field"), self.tr("When you opened it"), theirs, self.tr("My changes (not saved)")))
        rows = []
        for change in self.changes:
            label = html.escape(change.label)
            if change.clash:
                label += "<br/><b style='color:#c62828'>" + html.escape(self.tr("both changed")) + "</b>"
            rows.append(
                f'<tr><td style="padding:4px;vertical-align:top"><b>{label}</b></td>'
                + self._cell(change.base, changed=False)
                + self._cell(change.theirs, changed=change.changed_by_them, base=change.base)
                + self._cell(change.mine, changed=change.changed_by_me, base=change.base) + "</tr>")
        legend = html.escape(self.tr("Highlighted: changed since you opened it (what was added or rewritten in "
                                     "bold). Grey: unchanged."))
        if self._can_merge:
            legend += " " + html.escape(self.tr(
                "“Merge both” keeps their words and yours: where you both changed the same passage, both "
                "stay in the form between 【】 markers for you to combine before saving."))
        return (f'<table border="1" cellspacing="0" width="100%" style="border-color:#bdbdbd">'
                f"<tr>{head}</tr>{''.join(rows)}</table><p style='color:#757575'>{legend}</p>")

    # ------------------------------------------------------------------ for tests and callers

    def choose(self, choice: int) -> None:
        """Press the button of ``choice`` (MERGE, RELOAD, REAPPLY, or anything else: keep editing)."""
        button = {self.MERGE: self.merge_button, self.RELOAD: self.reload_button,
                  self.REAPPLY: self.reapply_button}.get(choice, self.keep_button)
        button.click()


def open_conflict(parent: QWidget, what: str, changes: list[FieldChange], on_choice: Any, *,
                  can_reapply: bool = True, reason: str = "", can_merge: bool = False, who: str = "",
                  at: datetime | None = None) -> ConflictDialog:
    """Open the dialog window-modal without blocking; ``on_choice(result)`` gets the user's choice."""
    dialog = ConflictDialog(what, changes, parent, can_reapply=can_reapply, reason=reason, can_merge=can_merge,
                            who=who, at=at)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(on_choice)
    dialog.open()
    return dialog


__all__ = ["MERGE_NOTE_STYLE", "ConflictDialog", "FieldChange", "Merged", "field_changes", "merge_fields",
           "normalised", "open_conflict", "reapply"]
