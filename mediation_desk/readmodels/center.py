"""The center as the printed forms name it: who issues them (``services.center.issuer`` reads it
from the working center's profile; every form prints it in its header, body and seal line)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issuer:
    """Who issues the forms: the center and its people's mediation committee."""

    center_name: str
    #: The committee named in the forms ("本委员会", the seal); by default the center's own.
    committee_name: str = ""
    #: The basic people's court judicial confirmation is applied to; blank leaves a line.
    court_name: str = ""
    #: The center's address and phone (the 调解通知书, the 受理回执); blank: a line to fill by hand,
    #: never another center's.
    address: str = ""
    phone: str = ""

    @property
    def committee(self) -> str:
        return self.committee_name.strip() or f"{self.center_name.strip()}人民调解委员会"


@dataclass(frozen=True)
class CenterProfile:
    """What a center's papers print of it beyond its name: its address, phone and the name of its
    people's mediation committee (blank: the default name, ``committee`` of :class:`Issuer`).
    The county center's are its settings; another center's its ``center_feedback`` row."""

    address: str = ""
    phone: str = ""
    committee: str = ""
