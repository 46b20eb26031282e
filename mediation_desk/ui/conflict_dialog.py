"""When another desk saved the same thing first: show what changed and let the user choose.

A save carries the version it started from; the services refuse it with ``Conflict`` when the row
moved on meanwhile (nothing is overwritten). The editor then reads the saved version again and opens
:class:`ConflictDialog` with the fields side by side — what the user started from, what the other
desk saved, what the user typed — and two ways on:

* **Reload** drops the user's edit and shows the other desk's version;
* **Re-apply my changes** takes the other desk's version and puts on top of it only the fields the
  user changed (:func:`reapply`), then saves that with the new version. A field both sides changed
  takes the user's text: they have just seen the other one in the dialog.

Closing the dialog keeps the form as it is (still unsaved, still the old version: saving again
raises the dialog again), so nothing typed is lost and nothing is overwritten unseen.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .widgets import named


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


class ConflictDialog(QDialog):
    """Shows a conflict and returns the user's choice: :attr:`RELOAD`, :attr:`REAPPLY` or rejected."""

    RELOAD = 2
    REAPPLY = 3

    def __init__(self, what: str, changes: list[FieldChange], parent: QWidget | None = None, *,
                 can_reapply: bool = True, reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Saved by someone else meanwhile"))
        self.changes = changes
        intro = named(QLabel(self.tr(
            "While you were editing {what}, someone at another desk saved it. Your changes were NOT saved "
            "and nothing of theirs was overwritten. Compare the two versions below, then choose.").format(what=what)),
            "conflictIntro")
        intro.setWordWrap(True)
        self.table = named(QTextBrowser(), "conflictFields")
        self.table.setOpenLinks(False)
        self.table.setHtml(self._html())
        self.note = named(QLabel(reason), "conflictNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(reason))

        buttons = QDialogButtonBox()
        self.reload_button = named(QPushButton(self.tr("Reload (discard my changes)")), "conflictReload")
        self.reapply_button = named(QPushButton(self.tr("Re-apply my changes and save")), "conflictReapply")
        self.keep_button = named(QPushButton(self.tr("Keep editing")), "conflictKeep")
        self.reapply_button.setToolTip(self.tr(
            "Take their version and put back on top of it only the fields you changed, then save."))
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.reapply_button.setEnabled(can_reapply)
        self.reapply_button.setDefault(can_reapply)
        self.reload_button.clicked.connect(lambda: self.done(self.RELOAD))
        self.reapply_button.clicked.connect(lambda: self.done(self.REAPPLY))
        self.keep_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(860, 520)

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

    def _cell(self, value: Any, *, changed: bool) -> str:
        text = html.escape(self.text_of(value)).replace("\n", "<br/>")
        style = "background:#fff3e0;" if changed else "color:#757575;"
        return f'<td style="{style}padding:4px;vertical-align:top">{text}</td>'

    def _html(self) -> str:
        if not self.changes:
            return "<p>" + html.escape(self.tr(
                "The other desk's save changed nothing you can edit here (for example only its status).")) + "</p>"
        head = "".join(f'<th align="left" style="padding:4px">{html.escape(t)}</th>' for t in (
            self.tr("Field"), self.tr("Their version (saved)"), self.tr("My changes (not saved)")))
        rows = []
        for change in self.changes:
            label = html.escape(change.label)
            if change.clash:
                label += "<br/><b style='color:#c62828'>" + html.escape(self.tr("both changed")) + "</b>"
            rows.append(
                f'<tr><td style="padding:4px;vertical-align:top"><b>{label}</b></td>'
                + self._cell(change.theirs, changed=change.changed_by_them)
                + self._cell(change.mine, changed=change.changed_by_me) + "</tr>")
        legend = html.escape(self.tr("Highlighted: changed since you opened it. Grey: unchanged."))
        return (f'<table border="1" cellspacing="0" width="100%" style="border-color:#bdbdbd">'
                f"<tr>{head}</tr>{''.join(rows)}</table><p style='color:#757575'>{legend}</p>")

    # ------------------------------------------------------------------ for tests and callers

    def choose(self, choice: int) -> None:
        """Press the button of ``choice`` (RELOAD, REAPPLY, or anything else: keep editing)."""
        button = {self.RELOAD: self.reload_button, self.REAPPLY: self.reapply_button}.get(choice, self.keep_button)
        button.click()


def open_conflict(parent: QWidget, what: str, changes: list[FieldChange], on_choice: Any, *,
                  can_reapply: bool = True, reason: str = "") -> ConflictDialog:
    """Open the dialog window-modal without blocking; ``on_choice(result)`` gets the user's choice."""
    dialog = ConflictDialog(what, changes, parent, can_reapply=can_reapply, reason=reason)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(on_choice)
    dialog.open()
    return dialog


__all__ = ["ConflictDialog", "FieldChange", "field_changes", "normalised", "open_conflict", "reapply"]
