"""What the window needs beyond registering: who has been here before, and crowds forming.

A person is recognised by their identity document number or, without one, by name and phone
together (a name alone is far too common: 张伟 is a few hundred thousand people). A respondent
is recognised by credit code, ID number or exact name.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import CaseState, DisputeCase, Party, PartyRole, now
from ..settings import GROUP_DISPUTE_THRESHOLD, GROUP_DISPUTE_WINDOW_DAYS
from . import center
from .workflow import FINAL_STATES


@dataclass(frozen=True)
class PersonCase:
    case_id: int
    number: str
    title: str
    state: CaseState
    received_at: datetime
    role: PartyRole

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES


@dataclass(frozen=True)
class GroupSignal:
    applicants: int
    cases: int
    threshold: int
    window_days: int

    @property
    def flagged(self) -> bool:
        return self.applicants >= self.threshold


def _person_condition(id_number: str = "", name: str = "", phone: str = "") -> ColumnElement[bool] | None:
    id_number = id_number.strip().upper()
    name, phone = name.strip(), phone.strip()
    conditions: list[ColumnElement[bool]] = []
    if id_number:
        conditions.append(Party.id_number == id_number)
    if name and phone:
        conditions.append(and_(Party.name == name, Party.phone == phone))
    if not conditions:
        return None
    return or_(*conditions)


def person_cases(session: Session, *, id_number: str = "", name: str = "", phone: str = "",
                 limit: int = 50, centers: Collection[int] | None = None) -> list[PersonCase]:
    """This person's cases, newest first, open and past (as any party); only those of ``centers``
    when given (the centers the person at the window reads, docs/centers.md)."""
    condition = _person_condition(id_number, name, phone)
    if condition is None:
        return []
    if centers is not None:
        condition = and_(condition, DisputeCase.center_id.in_(sorted(centers)))
    stmt = (
        select(DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.state,
               DisputeCase.received_at, Party.role)
        .join(Party, Party.case_id == DisputeCase.id)
        .where(condition)
        .order_by(DisputeCase.received_at.desc(), DisputeCase.id.desc())
        .limit(limit * 3)
    )
    seen: set[int] = set()
    found: list[PersonCase] = []
    for row in session.execute(stmt):
        if row[0] in seen:
            continue
        seen.add(row[0])
        found.append(PersonCase(row[0], row[1], row[2], row[3], row[4], row[5]))
        if len(found) == limit:
            break
    return found


def open_case_of(session: Session, *, id_number: str = "", name: str = "", phone: str = "",
                 exclude_case_id: int | None = None, centers: Collection[int] | None = None) -> PersonCase | None:
    """The most recent open case of this person, which a new registration repeats."""
    for case in person_cases(session, id_number=id_number, name=name, phone=phone, limit=20, centers=centers):
        if case.is_open and case.case_id != exclude_case_id:
            return case
    return None


def group_signal(session: Session, *, respondent_name: str = "", respondent_id: str = "",
                 respondent_credit_code: str = "", at: datetime | None = None) -> GroupSignal:
    """How many distinct applicants brought cases against this respondent recently."""
    threshold = center.get(session, GROUP_DISPUTE_THRESHOLD)
    window = center.get(session, GROUP_DISPUTE_WINDOW_DAYS)
    respondent = aliased(Party)
    applicant = aliased(Party)
    keys = []
    if respondent_credit_code.strip():
        keys.append(respondent.credit_code == respondent_credit_code.strip().upper())
    if respondent_id.strip():
        keys.append(respondent.id_number == respondent_id.strip().upper())
    if respondent_name.strip():
        keys.append(respondent.name == respondent_name.strip())
    if not keys:
        return GroupSignal(0, 0, threshold, window)
    since = (at or now()) - timedelta(days=window)
    matching_cases = (
        select(respondent.case_id)
        .join(DisputeCase, DisputeCase.id == respondent.case_id)
        .where(respondent.role == PartyRole.RESPONDENT, DisputeCase.received_at >= since, or_(*keys))
    )
    # The same person on two forms is one applicant: by ID number, else by name and phone.
    identity = func.coalesce(func.nullif(applicant.id_number, ""), applicant.name + "/" + applicant.phone)
    applicants, cases = session.execute(
        select(func.count(func.distinct(identity)), func.count(func.distinct(applicant.case_id)))
        .where(applicant.case_id.in_(matching_cases), applicant.role == PartyRole.APPLICANT)
    ).one()
    return GroupSignal(int(applicants), int(cases), threshold, window)
