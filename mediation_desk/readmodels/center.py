"""The center as the printed forms name it: who issues them (``services.dossier.issuer`` reads it
from the center's settings; every form prints it in its header, body and seal line)."""

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

    @property
    def committee(self) -> str:
        return self.committee_name.strip() or f"{self.center_name.strip()}人民调解委员会"
