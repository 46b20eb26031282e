"""The transfer letter (移送函 / 转办函) and the case summary, printed for the seal before the packet.

A court accepts only a stamped letter, so the mediator prints it first (the transfer tab's "Print
transfer letter"); :func:`print_transfer_letter` renders the letter and the summary and keeps
them (``services.kept``) under a fingerprint of exactly what the rendering reads: the case as the
letter shows it, the issuer, the target, the claims, the reason, the undisputed facts, the
records and the evidence list, the day, and :data:`RENDER_VERSION`. The export
(``exchange.export``) gathers the same inputs with :func:`gather`, so an unchanged case finds the
PDFs already made — the very bytes that were printed — and a changed one (other claims, another
target, a new evidence file, another day) renders anew.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Attachment, DisputeCase, Party, TransferTarget, now
from ..readmodels.center import Issuer
from ..services import cases, center, evidence, kept, records, termination, transfers
from ..services.actor import Actor

if TYPE_CHECKING:
    from ..documents.transfer import TransferData
    from ..readmodels.cases import CaseDetail
    from ..readmodels.records import RecordInfo
    from ..services.termination import TerminationInfo, UndisputedFactsInfo

#: Bump whenever the letter's or the summary's template (or what feeds it) changes: every kept
#: letter and summary is then made again on its next use.
RENDER_VERSION = 1


@dataclass(frozen=True)
class Gathered:
    """Everything the export and the letter read about the case, in one session."""

    case: DisputeCase
    target: TransferTarget
    target_name: str
    #: The case as the documents see it (without the timeline and the actions, which change
    #: when a packet is recorded and are not printed).
    detail: CaseDetail
    issuer: Issuer
    ended: TerminationInfo | None
    reason: str
    facts: UndisputedFactsInfo | None
    claims: list[str]
    parties: list[Party]
    attachments: list[Attachment]
    records: list[RecordInfo]
    data: TransferData
    #: The key of the letter and the summary rendered from these inputs.
    fingerprint: str


@dataclass(frozen=True)
class PrintedLetter:
    letter: bytes
    summary: bytes
    title: str
    fingerprint: str
    #: True when both were kept already (nothing rendered).
    reused: bool


def _plain(value: Any) -> Any:
    """``json.dumps``'s hook for what it does not take itself (str and int enums it writes as
    their values; tuples as lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(detail: CaseDetail, issuer: Issuer, data: TransferData) -> str:
    """SHA-256 of a canonical serialisation of the render inputs and :data:`RENDER_VERSION`."""
    text = json.dumps({"render_version": RENDER_VERSION, "detail": detail, "issuer": issuer, "data": data},
                      default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def gather(session: Session, actor: Actor, case_id: int, target: TransferTarget | str, target_name: str,
           claims: list[str] | None, *, today: date | None = None) -> Gathered:
    """Read the case for its packet and letter (permission and state checked)."""
    from ..documents import transfer as docs

    case = transfers.check_may_transfer(session, actor, case_id)
    kind, name = transfers.check_target(target, target_name)
    parties = list(session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq, Party.id)))
    detail = cases.printed_detail(session, case, parties)
    issuer = center.issuer(session, case_id)
    ended = termination.termination_of(session, case_id)
    reason = ended.reason if ended is not None else termination.failure_reason(session, case_id)
    facts = termination.undisputed_facts_of(session, case_id)
    if kind is TransferTarget.COURT or claims is not None:
        chosen = transfers.check_claims(kind, claims)  # a court's claims are never the mediation requests
    else:
        chosen = [c.strip() for c in case.requests or [] if c.strip()]
    party_names = {p.id: p.name for p in parties}
    files = list(session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)))
    record_rows = records.records_of(session, case_id)
    facts_data = (docs.UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed, facts.signed_on)
                  if facts is not None else None)
    data = docs.TransferData(
        target=kind, target_name=name, claims=tuple(chosen), failure_reason=reason,
        terminated_on=ended.terminated_on if ended else None, dated=today or now().date(),
        mediators=detail.lead_mediator, undisputed=facts_data,
        evidence=tuple(docs.EvidenceItem(a.filename, a.kind.label, party_names.get(a.party_id or -1, ""),
                                         a.size, a.sha256, a.note, a.evidence_source, a.evidence_purpose)
                       for a in files),
        witnesses=tuple(docs.WitnessItem(w.name, w.address, w.phone, w.proves, w.named_by, w.party_id)
                        for w in evidence.witnesses_of(session, case_id)),
        records=tuple(docs.RecordItem("调查记录" if r.kind == "investigation" else "调解记录", r.held_at, r.place,
                                      r.summary, r.signed) for r in record_rows))
    return Gathered(case, kind, name, detail, issuer, ended, reason, facts, chosen, parties, files, record_rows,
                    data, fingerprint(detail, issuer, data))


def print_transfer_letter(session: Session, actor: Actor, case_id: int, *, target: TransferTarget | str,
                          target_name: str, claims: list[str] | None = None,
                          today: date | None = None) -> PrintedLetter:
    """The letter and the summary to print for the seal, kept for the packet (a write).

    Kept ones of the same inputs are returned as they are; otherwise both are rendered now and
    kept in this transaction."""
    from ..documents import transfer as docs

    found = gather(session, actor, case_id, target, target_name, claims, today=today)
    key = found.fingerprint
    title = docs.letter_title(found.target)
    letter = kept.content(session, kept.TRANSFER_LETTER, key)
    summary = kept.content(session, kept.CASE_SUMMARY, key)
    if letter is not None and summary is not None:
        return PrintedLetter(letter, summary, title, key, reused=True)
    if letter is None:
        letter = docs.render_transfer_letter(found.detail, found.issuer, found.data)
        kept.keep(session, case_id, kept.TRANSFER_LETTER, key, letter)
    if summary is None:
        summary = docs.render_case_summary(found.detail, found.issuer, found.data)
        kept.keep(session, case_id, kept.CASE_SUMMARY, key, summary)
    return PrintedLetter(letter, summary, title, key, reused=False)
