"""The case's flags that the statistics by level count (docs/statistics.md, "The table by level"):
重大矛盾纠纷 (``is_major``), 可能民转刑 (``may_turn_criminal``) and 可能引发群体性上访
(``may_group_petition``). The intake clerk may tick 可能民转刑 at registration; the mediator who
handles the case (or the head) sets all three on the case page as the dispute becomes clearer.

A change is a write of the case: it needs the case's own center (``permissions.may_write``), a
mediator of its team or the head, and the version the page loaded; it is noted on the timeline and
in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..models import CaseEvent, DisputeCase, EventKind, now
from . import audit, permissions, versions
from .actor import Actor

#: Who sets the flags: the mediators of the case's team and the head (as ``clocks.extend``).
ROLES = permissions.CASEWORK_ROLES
DOING = "修改案件的统计标记"

#: Each flag's column and its name as the timeline and the statistics say it.
LABELS: dict[str, str] = {
    "is_major": "重大矛盾纠纷",
    "may_turn_criminal": "可能民转刑",
    "may_group_petition": "可能引发群体性上访",
}


@dataclass(frozen=True)
class CaseFlags:
    is_major: bool = False
    may_turn_criminal: bool = False
    may_group_petition: bool = False


def may_edit(actor: Actor, case: DisputeCase) -> bool:
    """Whether ``actor`` may change the flags of ``case`` (what :func:`set_flags` checks)."""
    return permissions.may_access_case(actor, case, ROLES, write=True)


def flags_of(case: DisputeCase) -> CaseFlags:
    return CaseFlags(is_major=case.is_major, may_turn_criminal=case.may_turn_criminal,
                     may_group_petition=case.may_group_petition)


def set_flags(session: Session, actor: Actor, case_id: int, flags: CaseFlags, *,
              expected_version: int | None = None) -> bool:
    """Set the case's three flags; False when nothing changed (nothing is written then)."""
    versions.lock_case(session, case_id)
    case = permissions.case_for(session, actor, case_id, DOING, ROLES, write=True)
    versions.check(case.version, expected_version,
                   f"案件 {case.number} 刚由他人修改，标记未保存。请查看最新内容后重新勾选。")
    before = flags_of(case)
    changed = [name for name in LABELS if getattr(before, name) != getattr(flags, name)]
    if not changed:
        return False
    for name in changed:
        setattr(case, name, getattr(flags, name))
    note = "；".join(f"{'标记为' if getattr(flags, name) else '取消标记'}“{LABELS[name]}”" for name in changed)
    session.add(CaseEvent(case_id=case.id, at=now(), user_id=actor.user_id, kind=EventKind.NOTE,
                          action="flags", note=note))
    versions.flush(session, f"案件 {case.number} 刚由他人修改，标记未保存。请查看最新内容后重新勾选。")
    changes.note(session, Changes.cases(case.id))
    audit.record(session, actor, "case.flags", "case", case.id,
                 {name: getattr(flags, name) for name in changed})
    return True


__all__ = ["LABELS", "ROLES", "CaseFlags", "flags_of", "may_edit", "set_flags"]
