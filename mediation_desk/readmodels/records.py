"""A 调查记录 or 调解记录 read back as plain data (``services.records`` builds it, documents print it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RecordInfo:
    kind: str  # "investigation" or "mediation"
    id: int
    case_id: int
    held_at: datetime
    place: str
    summary: str
    signed: bool
    version: int
    values: dict[str, object]
