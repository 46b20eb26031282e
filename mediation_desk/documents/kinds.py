"""The kinds of printed documents and their titles on paper: the one table.

A kind names a document wherever the app refers to one: the middle field ``kind:id`` of every
printed page's QR code (:mod:`.pagecode`), a scanned, signed copy's ``document_ref``
(``services.scanback`` files it, ``services.dossier`` binds it), ``mediation-desk doc KIND`` and
the case's 文书 tab (a subset, ``services.dossier.DOCUMENT_KINDS``), and the audit's details.

This module imports nothing (no reportlab, no database): the services that only need a title or
a kind read it without loading the PDF stack (tests/readmodels/test_imports.py allows services
this one module of ``documents``).
"""

from __future__ import annotations

import re

#: The first field of every page code (``documents.pagecode``): the format and its version.
PAGE_CODE_PREFIX = "MD1"

#: Every kind a page code may name, with the document's title on paper, in a case's order.
TITLES: dict[str, str] = {
    "registration": "人民调解受理登记表",
    "application": "人民调解申请书",
    "notice": "人民调解当事人权利义务告知书",
    "session-notice": "调解通知书",
    "investigation": "人民调解调查记录",
    "mediation-record": "人民调解记录",
    "undisputed-facts": "无争议事实确认书",
    "transfer-letter": "移送函",
    "transfer-summary": "案件情况摘要",
    "agreement": "人民调解协议书",
    "oral-agreement": "人民调解口头协议登记表",
    "confirmation-application": "司法确认申请书",
    "return-visit": "人民调解回访记录",
    "receipt": "受理回执",
    "case-summary": "卷宗情况说明",
    "dossier": "人民调解卷宗",
    "attachment": "卷内材料（扫描件）",
}

#: Kinds whose pages are never a signed paper: the dossier's own pages (cover, index, back
#: cover) and the scans bound in it (a page scanned again is a copy of a copy).
NOT_SIGNED_PAPER: frozenset[str] = frozenset({"dossier", "attachment"})

#: The kinds a signed paper can be: every other kind.
SIGNED_PAPER: tuple[str, ...] = tuple(kind for kind in TITLES if kind not in NOT_SIGNED_PAPER)

#: A signed paper's reference ``kind:id`` inside a text (a copy's note, from before the
#: ``document_ref`` column): whole kinds only ("session-notice:5" is not "notice:5").
REF_IN_TEXT = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(SIGNED_PAPER, key=len, reverse=True)) + r"):(\d+)")


def title(kind: str) -> str:
    """The title on paper of ``kind``; an unknown kind (a newer program's) as itself."""
    return TITLES.get(kind, kind)


def ref(kind: str, document_id: int) -> str:
    """The reference of a document, ``agreement:12``: the middle field of its pages' codes."""
    return f"{kind}:{document_id}"


def parse_ref(text: str) -> tuple[str, int] | None:
    """``(kind, id)`` of a reference ``kind:id`` of a known kind, or None. Never raises."""
    kind, sep, raw = text.strip().partition(":")
    if not sep or kind not in TITLES or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return kind, int(raw)
