"""Who is asking: every service call that reads or changes cases is made as an actor."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: Role
    mediator_id: int | None = None
    team_ids: frozenset[int] = field(default_factory=frozenset)
    #: An administrator created or reset this account: the user must choose a password first.
    must_change_password: bool = False
    #: The account's center (docs/centers.md); None for the maintenance actor (every center).
    center_id: int | None = None
    #: The centers whose cases the actor may read: their own, and for a head (or an administrator's
    #: counts) every center below it. Only ``center_id``'s cases are written (``permissions.may_write``).
    center_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def system(cls, purpose: str = "system") -> Actor:
        """The actor of command-line maintenance (demo data, imports) with no login."""
        return cls(user_id=None, username=purpose, display_name="系统", role=Role.ADMIN)
