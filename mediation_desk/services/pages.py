"""What each screen of a case shows: one page per screen, read in one go on the read lane.

A screen calls one function here and gets a plain, frozen page: the facts it shows and the rights
of the user on it (``may_write``, ``may_extend`` …) already decided — by the case's team *id* and
the rules in :mod:`.permissions`, the same checks the writes make — so no screen decides rights
itself, and no screen compares team names.

- :func:`case_page` — the case's overview (``ui.cases.detail``): the case, its clock, whether the
  user may grant an extension, its supervision orders and diversions.
- :func:`records_page` — 调查记录 and 调解记录 (``ui.cases.tabs.records``).
- :func:`agreement_page` — the mediation agreements (``ui.cases.tabs.agreement``).
- :func:`transfer_page` — termination, the undisputed-facts statement, transfers
  (``ui.cases.tabs.transfer``).
- :func:`documents_page` — which printable documents apply now (``ui.cases.tabs.documents``).
- The 司法确认 tab's page is ``confirmation.confirmation_page`` (it lives with its service).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ..models import CaseState, DisputeCase, Role
from . import agreements, cases, clocks, diversion, permissions, records, supervision, termination, transfers
from .actor import Actor
from .agreements import EDITABLE_STATES, AgreementInfo
from .cases import CaseDetail
from .clocks import ClockState
from .diversion import DiversionInfo
from .errors import NotFound
from .records import RecordInfo
from .supervision import OrderInfo
from .termination import TerminationInfo, UndisputedFactsInfo
from .transfers import TransferInfo
from .workflow import FINAL_STATES

#: The states in which mediation may be ended and the undisputed facts written.
_ENDABLE = (CaseState.IN_MEDIATION, CaseState.FAILED)
#: The states in which a transfer packet may be built.
_EXPORTABLE = (CaseState.FAILED, CaseState.TRANSFERRED)
#: The document made only when it is opened (it binds every scan and takes a while).
DOSSIER = "dossier"


def _may_do_casework(session: Session, actor: Actor, case_id: int) -> bool:
    """The head, or a mediator of the case's team (or its lead): who the records and agreement
    services let write (``permissions.CASEWORK_ROLES`` on the case)."""
    case = session.get(DisputeCase, case_id)  # already loaded by case_detail: no second query
    if case is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    return permissions.may_access_case(actor, case, permissions.CASEWORK_ROLES)


# --------------------------------------------------------------------------- the overview


@dataclass(frozen=True)
class CasePage:
    """Everything the case's overview shows, read in one go so its parts never disagree."""

    detail: CaseDetail
    #: The running clock on the page's "today" (None when no limit runs).
    clock: ClockState | None
    #: Whether this user may grant an extension (the head, or a mediator of the case's team).
    may_extend: bool
    orders: tuple[OrderInfo, ...]
    diversions: tuple[DiversionInfo, ...]

    @property
    def awaiting_diversion(self) -> DiversionInfo | None:
        return next((d for d in self.diversions if d.awaiting_feedback), None)


def case_page(session: Session, actor: Actor, case_id: int, today: date) -> CasePage:
    detail = cases.case_detail(session, actor, case_id)
    clock = clocks.case_clock(session, case_id, at=today)
    # As ``clocks.extend`` decides: the head, or a mediator of the case's team (by its id).
    may_extend = actor.role is Role.HEAD or permissions.in_case_team(actor, detail.team_id)
    # Orders of this case among those this user may see (the head all, a mediator their teams').
    orders = tuple(o for o in supervision.orders(session, actor, open_only=False) if o.case_id == case_id)
    return CasePage(detail, clock, may_extend, orders, tuple(diversion.diversions_of(session, case_id)))


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordsPage:
    detail: CaseDetail
    records: tuple[RecordInfo, ...]
    #: Whether this user may add and correct records of the case now (casework on a case not finished).
    may_write: bool


def records_page(session: Session, actor: Actor, case_id: int) -> RecordsPage:
    detail = cases.case_detail(session, actor, case_id)
    may_write = _may_do_casework(session, actor, case_id) and detail.state not in FINAL_STATES
    return RecordsPage(detail, tuple(records.records_of(session, case_id)), may_write)


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True)
class AgreementPage:
    detail: CaseDetail
    agreements: tuple[AgreementInfo, ...]
    #: Whether this user may draft, edit and sign the case's agreement now (casework, case in mediation).
    may_write: bool
    clock: ClockState | None


def agreement_page(session: Session, actor: Actor, case_id: int) -> AgreementPage:
    detail = cases.case_detail(session, actor, case_id)
    may_write = _may_do_casework(session, actor, case_id) and detail.state in EDITABLE_STATES
    return AgreementPage(detail, tuple(agreements.agreements_of(session, case_id)), may_write,
                         clocks.case_clock(session, case_id))


# --------------------------------------------------------------------------- termination and transfer


@dataclass(frozen=True)
class TransferPage:
    case_id: int
    number: str
    state: CaseState
    requests: tuple[str, ...]
    termination: TerminationInfo | None
    facts: UndisputedFactsInfo | None
    transfers: tuple[TransferInfo, ...]
    #: Mediation may be ended here (in mediation or failed, and not ended yet).
    may_end: bool
    #: The undisputed-facts statement may be written and signed (mediation ongoing or failed, not signed).
    may_write_facts: bool
    #: A transfer packet may be printed and exported (mediation failed, or the case transferred).
    may_export: bool


def transfer_page(session: Session, actor: Actor, case_id: int) -> TransferPage:
    detail = cases.case_detail(session, actor, case_id)
    ended = termination.termination_of(session, case_id)
    facts = termination.undisputed_facts_of(session, case_id)
    ongoing = detail.state in _ENDABLE
    return TransferPage(case_id, detail.number, detail.state, detail.requests, ended, facts,
                        tuple(transfers.transfers_of(session, case_id)),
                        may_end=ongoing and ended is None,
                        may_write_facts=ongoing and not (facts is not None and facts.signed),
                        may_export=detail.state in _EXPORTABLE)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    #: The title printed on the paper.
    title: str
    #: The PDF, when checking made it (None for the dossier, made when opened).
    pdf: bytes | None
    #: Why it does not apply yet; "" when it does.
    reason: str
    case_id: int

    @property
    def applies(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class DocumentsPage:
    case_id: int
    number: str
    rows: tuple[DocumentRow, ...]


def check_documents(session: Session, actor: Actor, case_id: int) -> list[DocumentRow]:
    """Every document kind of the case: made when it applies, else the reason it does not."""
    from . import dossier  # dossier brings the renderers (reportlab): loaded when first checked

    rows: list[DocumentRow] = []
    for kind in dossier.DOCUMENT_KINDS:
        title = dossier.DOCUMENT_TITLES.get(kind, kind)
        if kind == DOSSIER:
            rows.append(DocumentRow(kind, title, None, "", case_id))
            continue
        try:
            pdf = dossier.render_document(session, actor, case_id, kind)
        except dossier.DocumentNotApplicable as exc:
            rows.append(DocumentRow(kind, title, None, exc.message, case_id))
        else:
            rows.append(DocumentRow(kind, title, pdf, "", case_id))
    return rows


def documents_page(session: Session, actor: Actor, case_id: int) -> DocumentsPage:
    number = cases.case_detail(session, actor, case_id).number
    return DocumentsPage(case_id, number, tuple(check_documents(session, actor, case_id)))


__all__ = [
    "DOSSIER", "AgreementPage", "CasePage", "DocumentRow", "DocumentsPage", "RecordsPage", "TransferPage",
    "agreement_page", "case_page", "check_documents", "documents_page", "records_page", "transfer_page",
]
