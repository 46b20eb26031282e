"""Printed and saved copies of a case's documents, in the audit log.

A printed agreement or record is what parties sign, so who printed which document of which case,
and when, belongs in the tamper-evident log beside the writes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import audit, permissions
from .actor import Actor
from .errors import InvalidInput

#: How a copy left the desk.
OUTPUTS = ("print", "save")


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
