"""An agreement (人民调解协议书 / 口头协议登记表) read back as plain data, its terms as rows.

``services.agreements`` builds these; the agreement and confirmation documents print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..models import AgreementKind


@dataclass(frozen=True)
class TermView:
    seq: int
    obligor: str
    obligee: str
    obligor_party_id: int
    obligee_party_id: int | None
    content: str
    amount: Decimal | None
    amount_text: str
    due_on: date
    place: str
    method: str


@dataclass(frozen=True)
class AgreementInfo:
    id: int
    case_id: int
    number: str
    kind: AgreementKind
    facts: str
    disputed_matters: str
    responsibilities: str
    copies: int
    terms: tuple[TermView, ...]
    signed_on: date | None
    effective_on: date | None
    version: int

    @property
    def signed(self) -> bool:
        return self.signed_on is not None
