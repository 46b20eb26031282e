"""本中心文书信息: the address, phone and committee name one's own center prints on its papers
(docs/centers.md "The papers a center issues"), kept by its head or administrator.

The county center's are its settings (center_address, center_phone, committee_name); a township's
or a village's its own profile (``center_feedback``, migration 0042). Read first, then shown; saved
on the write lane; a refusal is shown under the fields, the field it names gets the focus, and
everything typed stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from mediation_desk.readmodels.center import CenterProfile
from mediation_desk.services import center
from mediation_desk.ui.admin.org_forms import NOTE_STYLE
from mediation_desk.ui.common.center_contacts import CenterContactsDialog
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.common.widgets import named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor


class CenterProfileDialog(CenterContactsDialog):
    """The actor's own center as its papers print it: address, phone (the fields its public
    page's feedback contacts share, ``ui/common/center_contacts.py``), committee name."""

    def __init__(self, runner: TaskRunner, actor: Actor, current: CenterProfile, center_name: str,
                 default_committee: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, current.address, current.phone, "profile", parent)
        self.setObjectName("centerProfileDialog")
        self.setWindowTitle(self.tr("{center} on its papers").format(center=center_name))
        self._actor = actor
        self.committee_edit = named(QLineEdit(current.committee), "profileCommittee")
        self.committee_edit.setMaxLength(max(center.COMMITTEE_MAX, len(current.committee)))
        self.committee_edit.setPlaceholderText(default_committee)
        self.note = named(QLabel(self.tr(
            "The session notices, intake slips, agreements and other papers of the cases this center works "
            "on print these. Left blank, the address and phone are a line to fill in by hand, and the "
            "committee is named after the center: {committee}.").format(committee=default_committee)),
            "profileNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.lay_out([("committee", self.tr("Mediation committee:"), self.committee_edit)], note=self.note)

    def entered(self) -> CenterProfile:
        return CenterProfile(self.address_edit.text(), self.phone_edit.text(), self.committee_edit.text())

    def write(self) -> Callable[[Session], CenterProfile]:
        data, actor = self.entered(), self._actor
        return lambda session: center.set_profile(session, actor, data)
