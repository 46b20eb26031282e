"""Documents kept as rendered: the PDF of record of a signed document, and the transfer letter and
case summary printed for the seal. The bytes are a FileBlob (content-addressed); this row says
which document they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, now


class KeptDocument(Base):
    """A rendered PDF kept as it was made.

    ``kind`` names the document ("investigation_record", "mediation_record", "undisputed_facts",
    "transfer_letter", "case_summary"); ``source_id`` is the row it was rendered from (a record, a
    statement), if any; ``fingerprint`` is the SHA-256 of what identifies it: for a signed
    document its kind and row id (frozen at signing), for the letter and the summary every input
    of the rendering (a different input is a different document)."""

    __tablename__ = "kept_document"
    __table_args__ = (UniqueConstraint("kind", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Every deletion of a blob first asks whether a kept document still holds it (attachments,
    # scan-back, the retention job); a forgotten one fails here instead of losing a signed PDF.
    sha256: Mapped[str] = mapped_column(ForeignKey("file_blob.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
