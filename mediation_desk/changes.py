"""What a write changed, so each open view refreshes only what concerns it (Anki's OpChanges).

Service write functions :func:`note` on their session what they change, right where they change
it; their return values say nothing of it. ``Database.write`` passes the notes of a committed
write to the collector of its thread (``Database.collect_changes``), which the task runner's
write lane opens around each write and broadcasts from: the UI does not restate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Changes:
    #: Ids of the cases whose rows or details changed; ``case_list`` when rows came or went.
    case_ids: frozenset[int] = field(default_factory=frozenset)
    case_list: bool = False
    users: bool = False
    organisation: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            case_ids=self.case_ids | other.case_ids,
            case_list=self.case_list or other.case_list,
            users=self.users or other.users,
            organisation=self.organisation or other.organisation,
            settings=self.settings or other.settings,
        )

    @property
    def empty(self) -> bool:
        return not (self.case_ids or self.case_list or self.users or self.organisation or self.settings)

    def touches_case(self, case_id: int) -> bool:
        return case_id in self.case_ids

    @classmethod
    def cases(cls, *case_ids: int, list_changed: bool = False) -> Changes:
        return cls(case_ids=frozenset(case_ids), case_list=list_changed)


#: Where a write session keeps what its service functions noted they changed (``session.info``).
NOTED = "mediation_desk.noted_changes"
#: A write that notes more cases than this (an import, the demo's seeding) says "the lists
#: changed" without naming them: the views refresh as a whole, as after a reconnection.
MAX_NOTED_CASES = 10_000


class _Notes:
    """The notes of one session, kept mutable so that a write noting thousands of cases costs one
    set insertion per case, not a copy of the set each time."""

    __slots__ = ("case_ids", "flags", "saturated")

    def __init__(self) -> None:
        self.case_ids: set[int] = set()
        self.flags = Changes()
        self.saturated = False

    def add(self, changes: Changes) -> None:
        flags = Changes(case_list=changes.case_list, users=changes.users, organisation=changes.organisation,
                        settings=changes.settings)
        if not flags.empty:
            self.flags = self.flags | flags
        if self.saturated or not changes.case_ids:
            return
        self.case_ids.update(changes.case_ids)
        if len(self.case_ids) > MAX_NOTED_CASES:
            self.saturated = True
            self.case_ids = set()
            self.flags = self.flags | Changes(case_list=True)

    def total(self) -> Changes:
        return Changes(case_ids=frozenset(self.case_ids)) | self.flags


def note(session: Session, changes: Changes) -> None:
    """Say, where a service function changes something, what that was; merged with ``|``.

    The unit of work (``Database.write``) hands the total to whoever runs the write once it has
    committed (the app's task runner broadcasts it to the open views; on a center server it also
    travels in the notice to the other desks). A rolled-back write's notes are dropped with it.
    """
    if changes.empty:
        return
    notes: _Notes | None = session.info.get(NOTED)
    if notes is None:
        notes = session.info[NOTED] = _Notes()
    notes.add(changes)


def noted(session: Session) -> Changes:
    """Everything noted on ``session`` so far (empty when nothing was)."""
    notes: _Notes | None = session.info.get(NOTED)
    return notes.total() if notes is not None else Changes()


class Collected:
    """The changes of the writes committed while it was open (see ``Database.collect_changes``)."""

    def __init__(self) -> None:
        self.changes = Changes()
        #: How many write transactions committed meanwhile.
        self.commits = 0

    def add(self, changes: Changes) -> None:
        self.commits += 1
        self.changes = self.changes | changes
