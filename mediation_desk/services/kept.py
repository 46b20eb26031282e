"""Documents kept as they were rendered (table ``kept_document``, bytes in ``file_blob``).

* **Signed documents are frozen at signing.** When an investigation or mediation record, or the
  statement of undisputed facts, is marked signed, its PDF is rendered in that same write
  transaction and kept under its identity (kind + row id). That PDF is the document of record:
  the transfer packet, the dossier and every reprint use it, so a later change of a template or a
  font never alters what the parties signed. A document signed before documents were kept (no
  row) is rendered live, as every unsigned document is.
* **Documents keyed by their inputs** (the transfer letter and the case summary, see
  ``exchange.letters``): the fingerprint is the SHA-256 of everything the rendering reads, so a
  kept PDF is reused exactly when rendering again would give the same document.

Nothing here renders or imports a document: ``services.printing`` renders a signed document and
keeps it here, and ``exchange.letters`` its letters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ..models import FileBlob, KeptDocument
from .attachments import insert_unless_present, store_blob

if TYPE_CHECKING:
    from ..readmodels.records import RecordInfo
    from .termination import UndisputedFactsInfo

#: ``kind`` of a kept signed record, by the records service's record kind.
RECORD_KINDS = {"investigation": "investigation_record", "mediation": "mediation_record"}
UNDISPUTED_FACTS = "undisputed_facts"
TRANSFER_LETTER = "transfer_letter"
CASE_SUMMARY = "case_summary"


@dataclass(frozen=True)
class KeptRef:
    """Where a kept document's bytes are: its FileBlob's digest, and its size."""

    kind: str
    fingerprint: str
    sha256: str
    size: int


def identity_fingerprint(kind: str, source_id: int) -> str:
    """The key of a signed document: which document it is, not what it says."""
    return hashlib.sha256(f"{kind}:{source_id}".encode()).hexdigest()


def find(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], KeptRef]:
    """The kept documents among ``(kind, fingerprint)`` keys, in one query."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    rows = session.execute(
        select(KeptDocument.kind, KeptDocument.fingerprint, KeptDocument.sha256, KeptDocument.size)
        .where(tuple_(KeptDocument.kind, KeptDocument.fingerprint).in_(wanted)))
    return {(r.kind, r.fingerprint): KeptRef(r.kind, r.fingerprint, r.sha256, r.size) for r in rows}


def content(session: Session, kind: str, fingerprint: str) -> bytes | None:
    """The bytes of a kept document, or None when none is kept under that key."""
    raw = session.scalar(
        select(FileBlob.content).join(KeptDocument, KeptDocument.sha256 == FileBlob.sha256)
        .where(KeptDocument.kind == kind, KeptDocument.fingerprint == fingerprint))
    return bytes(raw) if raw is not None else None


def keep(session: Session, case_id: int, kind: str, fingerprint: str, pdf: bytes, *,
         source_id: int | None = None) -> KeptRef:
    """Keep ``pdf`` under ``(kind, fingerprint)``. A document already kept under that key stays
    as it is (the first one made is the one of record) and is what is returned."""
    digest = hashlib.sha256(pdf).hexdigest()
    store_blob(session, digest, pdf)
    values = {"case_id": case_id, "kind": kind, "source_id": source_id, "fingerprint": fingerprint,
              "sha256": digest, "size": len(pdf)}
    insert_unless_present(session, KeptDocument, values, ["kind", "fingerprint"])
    return find(session, [(kind, fingerprint)])[(kind, fingerprint)]


# --------------------------------------------------------------------------- signed documents


def record_key(record_kind: str, record_id: int) -> tuple[str, str]:
    kind = RECORD_KINDS[record_kind]
    return kind, identity_fingerprint(kind, record_id)


def facts_key(facts_id: int) -> tuple[str, str]:
    return UNDISPUTED_FACTS, identity_fingerprint(UNDISPUTED_FACTS, facts_id)


def signed_record_pdf(session: Session, record: RecordInfo) -> bytes | None:
    """The kept PDF of a signed record; None for an unsigned one or one signed before keeping."""
    return content(session, *record_key(record.kind, record.id)) if record.signed else None


def signed_facts_pdf(session: Session, facts: UndisputedFactsInfo) -> bytes | None:
    return content(session, *facts_key(facts.id)) if facts.signed else None
