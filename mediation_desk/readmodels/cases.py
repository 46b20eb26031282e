"""A case read back as plain data: its detail, its parties, its timeline and the actions it allows.

``services.cases`` builds these from the database; the documents print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..models import CaseState, EventKind, Gender, IdDocumentType, PartyKind, PartyRole, RiskLevel, SourceChannel
from . import minors


@dataclass(frozen=True)
class PartyView:
    id: int
    role: PartyRole
    kind: PartyKind
    name: str
    gender: Gender | None
    ethnicity: str
    birth_date: date | None
    id_type: IdDocumentType | None
    id_number: str
    occupation: str
    work_unit: str
    address: str
    phone: str
    legal_representative: str
    credit_code: str
    agent_name: str
    #: The registration's "未成年" tick: it decides only for a party without a known birth date
    #: (``readmodels.minors``); ask :meth:`minor_on` whether the party is a minor on a given day.
    minor_ticked: bool = False

    def minor_on(self, day: date) -> bool:
        """Under eighteen on ``day``, by the ID's birth date, else the recorded one, else the tick."""
        return minors.is_minor(self, day, is_person=self.kind is PartyKind.PERSON, ticked=self.minor_ticked)


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    kind: EventKind
    action: str
    from_state: CaseState | None
    to_state: CaseState | None
    note: str
    user_name: str


@dataclass(frozen=True)
class ActionView:
    action: str
    label: str
    note_required: bool
    note_prompt: str


@dataclass(frozen=True)
class CaseDetail:
    id: int
    number: str
    title: str
    state: CaseState
    dispute_type: str
    source_channel: SourceChannel
    risk_level: RiskLevel
    is_group_dispute: bool
    may_turn_criminal: bool
    people_involved: int
    amount_involved: Decimal | None
    address: str
    village: str
    grid: str
    facts: str
    requests: tuple[str, ...]
    received_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    team: str
    #: The team's id (None before assignment): rights go by it, never by the team's name.
    team_id: int | None
    lead_mediator: str
    version: int
    parties: tuple[PartyView, ...]
    events: tuple[EventView, ...]
    actions: tuple[ActionView, ...]
    #: The number of the open case this one repeats (重复来访), if any.
    repeat_of: str = ""
    #: 重大矛盾纠纷 and 可能引发群体性上访 (migration 0029; the table by level counts them). Only on
    #: the case page's view (with an actor); a printed document's view leaves them False.
    is_major: bool = False
    may_group_petition: bool = False
    #: Whether the viewer may route the case to a team of the center working on it now (改派,
    #: ``workflow.routable``): a case reported up or assigned down to their center, say.
    routable: bool = False
