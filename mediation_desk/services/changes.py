"""What a write changed, so each open view refreshes only what concerns it (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
