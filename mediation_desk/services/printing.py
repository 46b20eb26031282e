"""Printed and kept copies of a case's documents: rendering signed documents to keep, and the
audit log of every copy printed or saved.

A printed agreement or record is what parties sign, so who printed which document of which case,
and when, belongs in the tamper-evident log beside the writes. A record or a statement of
undisputed facts is rendered once, when it is signed, and kept (``services.kept``) as the
document of record.

This is the services module that renders documents (``documents``) for keeping; the others hand
it read models. (``services.dossier`` still renders the documents of ``mediation-desk doc`` and
binds the dossier itself.)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..documents import records as record_docs
from ..documents import transfer as transfer_docs
from ..models import DisputeCase, now
from . import audit, cases, dossier, kept, permissions
from .actor import Actor
from .errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from ..readmodels.records import RecordInfo
    from .termination import UndisputedFactsInfo

#: How a copy left the desk (``export``: written to a file by ``mediation-desk doc``).
OUTPUTS = ("print", "save", "export")


def record_output(session: Session, actor: Actor, case_id: int, kind: str, *, output: str, pages: int,
                  document_id: int | None = None, copies: int = 1, target: str = "") -> None:
    """Log one printed (``output="print"``) or saved (``"save"``) copy of a case document.

    ``target`` is the printer's name or the file's name (not its folder).
    """
    if output not in OUTPUTS:
        raise InvalidInput("output", f"未知的输出方式“{output}”。")
    permissions.check_case_id(session, actor, case_id, "打印或保存该案件的文书")
    audit.record(session, actor, f"document.{output}", "case", case_id, {
        "kind": kind, "document": document_id, "pages": pages, "copies": copies, "target": target,
    })


def record_export(session: Session, actor: Actor, number: str, kind: str, pdf: bytes, *,
                  document_id: int | None = None, target: str = "") -> None:
    """Log one document (the dossier included) exported to a file on the command line."""
    case_id = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number.strip()))
    if case_id is None:
        raise NotFound(f"案件“{number.strip()}”不存在。")
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PdfReadError, ValueError):  # pragma: no cover - our own renderer's output always parses
        pages = 0
    record_output(session, actor, case_id, kind, output="export", pages=pages, document_id=document_id,
                  target=target)


# --------------------------------------------------------------------------- signed documents


def keep_signed_record(session: Session, actor: Actor, record: RecordInfo) -> kept.KeptRef:
    """Render the just-signed record and keep it (called in the signing transaction)."""
    detail = cases.case_detail(session, actor, record.case_id)
    if record.kind == "investigation":
        pdf = record_docs.render_investigation(detail, dossier.issuer(session, record.case_id), record)
    else:
        pdf = record_docs.render_mediation_record(detail, dossier.issuer(session, record.case_id), record,
                                                  agreement=dossier.agreement_kind(session, record.case_id))
    kind, fingerprint = kept.record_key(record.kind, record.id)
    return kept.keep(session, record.case_id, kind, fingerprint, pdf, source_id=record.id)


def keep_signed_facts(session: Session, actor: Actor, facts: UndisputedFactsInfo) -> kept.KeptRef:
    """Render the just-signed statement of undisputed facts and keep it."""
    detail = cases.case_detail(session, actor, facts.case_id)
    data = transfer_docs.UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed, facts.signed_on)
    pdf = transfer_docs.render_undisputed_facts(detail, dossier.issuer(session, facts.case_id), data,
                                                mediators=detail.lead_mediator)
    kind, fingerprint = kept.facts_key(facts.id)
    return kept.keep(session, facts.case_id, kind, fingerprint, pdf, source_id=facts.id)


def session_notices(session: Session, actor: Actor, session_id: int, party_ids: Sequence[int] | None = None, *,
                    issued_on: date | None = None) -> bytes:
    """The 调解通知书 of a mediation session for each of ``party_ids`` (all its parties when None),
    each on its own pages; dated ``issued_on`` (today by default)."""
    from ..documents import session_notice  # reportlab's fonts: loaded when a notice is printed
    from . import sessions

    info = sessions.session_info(session, actor, session_id)
    detail = cases.case_detail(session, actor, info.case_id)
    summoned = {p.party_id for p in info.parties}
    wanted = list(party_ids) if party_ids is not None else [p.party_id for p in info.parties]
    strangers = [p for p in wanted if p not in summoned]
    if strangers or not wanted:
        raise InvalidInput("party_ids", "请选择本次调解会通知参加的当事人。")
    by_id = {p.id: p for p in detail.parties}
    # The issuing center's address and phone (a township's own, never the county's): its issuer.
    return session_notice.render_session_notices(
        info, detail, [by_id[p] for p in wanted], dossier.issuer(session, info.case_id),
        always_bring=sessions.ALWAYS_BRING,
        issued_on=issued_on or now().date())
