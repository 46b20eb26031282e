"""Who is a minor (未成年人), on a given day: the one rule documents, publicity, intake and import use.

民法典 art. 17: a person under eighteen is a minor. Age is counted in full years (周岁) from the
birth date, and a person is eighteen from their eighteenth birthday on; one born on 29 February
is eighteen on 1 March of a common year (the day after 28 February, when the birthday does not
exist). Whether someone is a minor depends on *the day of the document*: a party seventeen when
the case was registered and eighteen when the agreement was signed signs the agreement as an adult.

Where the birth date comes from, in order:

1. the 18-digit resident ID number (公民身份号码), positions 7–14 (YYYYMMDD) — the authority;
2. the birth date recorded for the party (a passport holder, a 15-digit old ID, a child without an ID);
3. only when neither is known, the "未成年" tick the clerk set at registration.

Organisations are never minors. Nothing here imports Qt or the database.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

ADULT_AGE = 18

_RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")


class PartyFacts(Protocol):
    """What the rule reads of a party (the model, ``PartyView`` and the intake input all have it)."""

    @property
    def birth_date(self) -> date | None: ...
    @property
    def id_number(self) -> str: ...


def birth_date_from_id(id_number: str) -> date | None:
    """The birth date in an 18-digit resident ID number, or None when it holds none (not 18
    digits, or a date that does not exist)."""
    number = "".join(id_number.split())
    if not _RESIDENT_ID.match(number):
        return None
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if born.year >= 1900 else None


def age_on(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``: the birthday counts; 29 February's is 1 March in a common year."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def birth_date_of(party: PartyFacts) -> date | None:
    """The ID's birth date, else the recorded one."""
    return birth_date_from_id(party.id_number or "") or party.birth_date


def is_minor(party: PartyFacts, on: date, *, is_person: bool = True, ticked: bool = False) -> bool:
    """Whether ``party`` is under eighteen on ``on``. ``ticked`` (the registration's check box)
    decides only when no birth date is known; an organisation (``is_person=False``) never is."""
    if not is_person:
        return False
    born = birth_date_of(party)
    if born is None:
        return ticked
    return age_on(born, on) < ADULT_AGE


def adult_on(birth: date) -> date:
    """The eighteenth birthday (1 March for one born on 29 February when that year has none)."""
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        return date(birth.year + ADULT_AGE, 3, 1)
