"""The parties of a case as a table (the case view, the agreement tab)."""

from __future__ import annotations

from mediation_desk.models import PartyKind
from mediation_desk.readmodels.cases import PartyView
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.rows_model import RowsModel


class PartiesModel(RowsModel[PartyView]):
    COL_ROLE, COL_NAME, COL_KIND, COL_GENDER, COL_ID, COL_PHONE, COL_ADDRESS, COL_AGENT = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("PartiesModel", "Role"),
        QT_TRANSLATE_NOOP("PartiesModel", "Name"),
        QT_TRANSLATE_NOOP("PartiesModel", "Kind"),
        QT_TRANSLATE_NOOP("PartiesModel", "Gender"),
        QT_TRANSLATE_NOOP("PartiesModel", "ID document"),
        QT_TRANSLATE_NOOP("PartiesModel", "Phone"),
        QT_TRANSLATE_NOOP("PartiesModel", "Address"),
        QT_TRANSLATE_NOOP("PartiesModel", "Agent"),
    )
    CONTEXT = "PartiesModel"

    def text(self, party: PartyView, column: int) -> str:
        if column == self.COL_ROLE:
            return enum_text(party.role)
        if column == self.COL_NAME:
            return party.name
        if column == self.COL_KIND:
            return enum_text(party.kind)
        if column == self.COL_GENDER:
            return enum_text(party.gender) if party.gender else ""
        if column == self.COL_ID:
            if party.kind is not PartyKind.PERSON and party.credit_code:
                return party.credit_code
            if not party.id_number:
                return ""
            kind = enum_text(party.id_type) if party.id_type else ""
            return f"{kind} {party.id_number}".strip()
        if column == self.COL_PHONE:
            return party.phone
        if column == self.COL_ADDRESS:
            return party.address
        if column == self.COL_AGENT:
            return party.agent_name
        return ""
