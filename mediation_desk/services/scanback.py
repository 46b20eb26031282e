"""Signed paper comes back: scanned pages file themselves by the QR code printed on each page.

Every generated page carries ``MD1|<case number>|<kind>:<id>|<page>`` (``documents.pagecode``).
A scanned page (scanner, watched folder, imported file; an image or a page of a PDF) is read,
its case and document are checked, and the pages of one document become **one** PDF attachment
of kind 签字文书 whose ``document_ref`` is the document (``agreement:12``), pages in their printed
order. Pages of a document that arrive later (page 2 tomorrow) join that same attachment; a page
scanned again with the same content is not stored twice, a page scanned again with other content
(a better scan, a late signature) replaces the earlier one. The dossier binds the signed copy in
place of the generated one.

What "signed" then means depends on the document:

* investigation and mediation records are marked signed (``records.sign_record``): the signed
  paper is the evidence and the record can no longer be edited;
* **agreements are not signed by a scan.** Signing an agreement records the day it took effect,
  which moves the case to 调解成功 and starts the 30-day clock of judicial confirmation (司法确认
  must be applied for within 30 days of the agreement taking effect). The day the parties signed
  is handwritten on the paper, not in the scan; the scan date is only an upper bound, and taking
  it would put the confirmation deadline later than the real one — a party relying on the app
  could lose the right to apply. So a scanned agreement that is not signed in the app yet is
  filed, and the timeline and the result say that the mediator must enter the signing date from
  the paper (the agreement editor's 签署). An agreement signed already gets its signed copy;
  nothing else changes;
* the undisputed-facts statement (无争议事实确认书) likewise: its signing day is on the paper, so
  a scan files the copy and says so when the statement is not signed in the app yet;
* every other document (applications, notices, session notices, the registration form, the
  transfer letter and its summary, the judicial confirmation application, return visits …): the
  attached signed copy is the mark.

Every kind that prints a page code (``documents.kinds.TITLES``) has its owner in
:data:`DOCUMENT_CASE`; the dossier's own pages and the scans bound in it are never signed paper.

A page whose code cannot be read, is not ours, names a case number that does not exist, or a
document that does not belong to that case, becomes an :class:`~mediation_desk.models.UnmatchedPage`
with the reason in Chinese; the clerk files it by hand (:func:`file_unmatched`) or discards it.

Reading the codes is slow next to the database work (10–200 ms a page), so it is split off:
:func:`read_scanned_pages` needs no session and reports progress (the UI runs it as a job), and
:func:`file_read_pages` does the writing. :func:`file_scanned_pages` does both.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from .. import changes
from ..changes import Changes
from ..documents import kinds
from ..models import (
    Agreement,
    AgreementKind,
    Attachment,
    AttachmentKind,
    CaseEvent,
    DisputeCase,
    EventKind,
    FileBlob,
    InvestigationRecord,
    JudicialConfirmation,
    KeptDocument,
    MediationRecord,
    MediationSession,
    ReturnVisit,
    Role,
    Transfer,
    UndisputedFacts,
    UnmatchedPage,
    now,
)
from . import attachments, audit, permissions, records
from .actor import Actor
from .errors import InvalidInput, NotFound, PermissionDenied, ServiceError

if TYPE_CHECKING:
    from ..scanning.files import ImportedFile
    from ..scanning.pagecodes import ReadSheet, Sheet
    from ..scanning.pages import Page
    from ..scanning.progress import CancelCheck, ProgressCallback

#: Why a page of a kind that is never signed paper (``documents.kinds.NOT_SIGNED_PAPER``) is not filed.
NOT_SIGNED_REASONS: dict[str, str] = {
    "dossier": "这是打印出的卷宗页（封面、目录或封底），不是需要签字的文书，未自动归档。",
    "attachment": "这是卷宗里装订的扫描材料的页面（再次扫描的复印件），不是需要签字的文书，未自动归档。",
}
#: The PDF Info key holding the printed page number and content hash of each page of a signed copy.
PAGES_KEY = "/MediationDeskPages"
_RECORD_KINDS = {"investigation": "investigation", "mediation-record": "mediation"}
#: The administrator handles no case papers (no case content: docs/permissions.md).
_WORKING_ROLES = frozenset({Role.INTAKE, Role.MEDIATOR, Role.HEAD})
#: Row ids are 32-bit integers on PostgreSQL: a larger id in a code names no document.
MAX_ROW_ID = 2 ** 31 - 1
#: A printed document of more pages than this is not one of ours.
MAX_PAGE = 999
#: The queue is meant to stay short: a clerk should see every page in it on one screen.
UNMATCHED_LIMIT = 500


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class ScannedPage:
    """A scanned file as it arrived: an image (PNG, JPEG, TIFF) or a PDF, and its name."""

    data: bytes = field(repr=False)
    name: str = ""

    @classmethod
    def of_page(cls, page: Page, name: str = "") -> ScannedPage:
        """A page from a scanner (its encoded image)."""
        extensions = (".png",) if page.media_type == "image/png" else (".jpg", ".jpeg")
        label = name or page.source or "扫描页"
        # The name must not claim another type ("x.tif 第 2 页" holds a PNG): the content decides.
        return cls(page.data, label if label.lower().endswith(extensions) else f"{label}{extensions[0]}")


def scanned_pages_of(imported: Sequence[ImportedFile]) -> list[ScannedPage]:
    """The files of a file import or a watched folder, as scan-back input (a PDF as it is, an
    image file page by page)."""
    found: list[ScannedPage] = []
    for item in imported:
        if item.pdf is not None:
            found.append(ScannedPage(item.pdf, item.name))
        else:
            found += [ScannedPage.of_page(page, page.source or item.name) for page in item.pages]
    return found


@dataclass(frozen=True)
class FiledDocument:
    """One document that received signed pages in this run."""

    case_id: int
    case_number: str
    document_ref: str
    title: str
    #: The pages filed now (new or replaced), and the pages that were already there unchanged.
    pages: tuple[int, ...]
    duplicates: tuple[int, ...]
    #: Every page the signed copy holds now.
    all_pages: tuple[int, ...]
    attachment_id: int
    #: What became of the document beyond its filing: "已标记签字", "协议尚未登记签署……" …, or ""
    #: for a paper whose signed copy is all there is to it (a transfer letter, a receipt …).
    status: str

    def line(self) -> str:
        """The result as one line: "（2026）…第0003号 人民调解协议书 第1–2页 → 已归档、已标记签字"."""
        pages = self.pages or self.duplicates
        done = "已归档" if self.pages else "已归档过，未重复保存"
        return f"{self.case_number} {self.title} {page_ranges(pages)} → {'、'.join(filter(None, (done, self.status)))}"


@dataclass(frozen=True)
class UnmatchedInfo:
    id: int
    received_at: datetime
    source: str
    filename: str
    media_type: str
    size: int
    reason: str
    filed_case_id: int | None = None


@dataclass(frozen=True)
class RefusedFile:
    """A file that could not be read at all (empty, damaged, a decompression bomb …)."""

    name: str
    message: str


@dataclass(frozen=True)
class ScanBackSummary:
    filed: tuple[FiledDocument, ...]
    unmatched: tuple[UnmatchedInfo, ...]
    refused: tuple[RefusedFile, ...] = ()
    #: The seconds spent reading each page's code, in the order the pages came.
    decode_seconds: tuple[float, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.decode_seconds)

    def lines(self) -> list[str]:
        out = [f.line() for f in self.filed]
        out += [f"{u.filename} → 未能识别，已放入待归档队列：{u.reason}" for u in self.unmatched]
        out += [f"{r.name} → 未导入：{r.message}" for r in self.refused]
        return out


@dataclass(frozen=True)
class ReadBatch:
    """The pages of a scan-back run with their codes read (no database needed yet)."""

    pages: tuple[ReadSheet, ...]
    refused: tuple[RefusedFile, ...] = ()


@dataclass(frozen=True)
class DocumentChoice:
    ref: str
    title: str


@dataclass(frozen=True)
class CaseDocuments:
    """A case and the documents of it a page can be filed to (for the clerk's form)."""

    case_id: int
    number: str
    title: str
    documents: tuple[DocumentChoice, ...]


def page_ranges(pages: Sequence[int]) -> str:
    """第1–2页, 第1、3–4页."""
    numbers = sorted(set(pages))
    if not numbers:
        return ""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return f"第{'、'.join(parts)}页"


# --------------------------------------------------------------------------- reading


def read_scanned_pages(pages: Sequence[ScannedPage | bytes], *, progress: ProgressCallback | None = None,
                       cancelled: CancelCheck | None = None) -> ReadBatch:
    """Split every file into pages and read each page's code. No database; may take a while."""
    from ..scanning.errors import FileRefused
    from ..scanning.pagecodes import read_sheets, sheets_of_file

    sheets: list[Sheet] = []
    refused: list[RefusedFile] = []
    for number, item in enumerate(pages, start=1):
        scanned = item if isinstance(item, ScannedPage) else ScannedPage(item, f"扫描页{number}")
        try:
            sheets += sheets_of_file(scanned.name or f"扫描页{number}", scanned.data)
        except FileRefused as refusal:
            refused.append(RefusedFile(refusal.filename, refusal.message))
    return ReadBatch(tuple(read_sheets(sheets, progress=progress, cancelled=cancelled)), tuple(refused))


def file_scanned_pages(session: Session, actor: Actor, pages: Sequence[ScannedPage | bytes],
                       source: str) -> ScanBackSummary:
    """Read the codes of ``pages`` and file them (see the module docstring)."""
    return file_read_pages(session, actor, read_scanned_pages(pages), source)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Target:
    case_id: int
    number: str
    kind: str
    document_id: int
    title: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.document_id}"


def _the_case(session: Session, case_id: int) -> int | None:
    return session.scalar(select(DisputeCase.id).where(DisputeCase.id == case_id))


def _case_of(model: type[InvestigationRecord | MediationRecord | UndisputedFacts | MediationSession | ReturnVisit
                          | Attachment]) -> Callable[[Session, int], int | None]:
    def owner(session: Session, document_id: int) -> int | None:
        return session.scalar(select(model.case_id).where(model.id == document_id))

    return owner


def _agreement_case(kind: AgreementKind | None) -> Callable[[Session, int], int | None]:
    def owner(session: Session, document_id: int) -> int | None:
        query = select(Agreement.case_id).where(Agreement.id == document_id)
        return session.scalar(query if kind is None else query.where(Agreement.kind == kind))

    return owner


def _transfer_case(session: Session, case_id: int) -> int | None:
    """The transfer letter and its summary are printed from the case (their id is the case's),
    when it is transferred: a case with no transfer and no printed letter has neither."""
    printed = exists().where(KeptDocument.case_id == case_id,
                             KeptDocument.kind.in_(("transfer_letter", "case_summary")))
    transferred = exists().where(Transfer.case_id == case_id)
    return session.scalar(select(DisputeCase.id).where(DisputeCase.id == case_id, printed | transferred))


#: For each kind of ``documents.kinds.TITLES``: the case a document of that kind (by the id in its
#: page code) belongs to, or None when there is no such document. The forms made from the case
#: alone carry the case's id.
DOCUMENT_CASE: dict[str, Callable[[Session, int], int | None]] = {
    "registration": _the_case,
    "application": _the_case,
    "notice": _the_case,
    "session-notice": _case_of(MediationSession),
    "investigation": _case_of(InvestigationRecord),
    "mediation-record": _case_of(MediationRecord),
    "undisputed-facts": _case_of(UndisputedFacts),
    "transfer-letter": _transfer_case,
    "transfer-summary": _transfer_case,
    "agreement": _agreement_case(AgreementKind.WRITTEN),
    "oral-agreement": _agreement_case(AgreementKind.ORAL),
    "confirmation-application": _agreement_case(None),
    "return-visit": _case_of(ReturnVisit),
    "receipt": _the_case,
    "case-summary": _the_case,
    "dossier": _the_case,
    "attachment": _case_of(Attachment),
}


def _document_case(session: Session, kind: str, document_id: int) -> int | None:
    """The case a document belongs to, or None when there is no such document (an id past the
    32-bit ids is none: PostgreSQL would refuse to compare it)."""
    owner = DOCUMENT_CASE.get(kind)
    if owner is None or not 0 <= document_id <= MAX_ROW_ID:
        return None
    return owner(session, document_id)


def _receipt_stub(session: Session, texts: Sequence[str]) -> _Target | None:
    """The intake receipt (``documents.receipt``) has no page code: its QR code is the case number
    alone, so that the stub the citizen signed files itself. A code that is exactly an existing
    case number is that stub: the receipt of that case, page 1."""
    for text in texts:
        number = text.strip()
        if not number or len(number) > 60 or number.startswith(f"{kinds.PAGE_CODE_PREFIX}|"):
            continue
        case_id = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number))
        if case_id is not None:
            return _Target(case_id, number, "receipt", case_id, kinds.TITLES["receipt"])
    return None


def _foreign_reason(texts: Sequence[str]) -> str:
    """Why codes that are not page codes were not filed: our format with a kind this program does
    not know (a newer program's, a forged one), our format damaged, or another program's code."""
    for text in texts:
        head, sep, rest = text.strip().partition("|")
        if head != kinds.PAGE_CODE_PREFIX or not sep:
            continue
        parts = rest.rsplit("|", 2)
        kind = parts[1].partition(":")[0] if len(parts) == 3 else ""
        if kind and kind not in kinds.TITLES:
            return (f"页面二维码中的文书种类“{kind[:30]}”本系统不认识（可能由更新版本的程序打印，或二维码被改动），"
                    "未自动归档。")
        return f"页面二维码是本系统的格式，但内容不完整或有误（“{text.strip()[:60]}”），未自动归档。"
    return f"页面上的二维码不是本系统打印的页码（内容为“{texts[0][:40]}”）。"


def _target(session: Session, read: ReadSheet) -> _Target | str:
    """Where a read page goes, or why it cannot go anywhere (in Chinese)."""
    code = read.read.code
    if read.sheet.page is None:
        return "PDF 页面中没有扫描图像（可能是电子文档而非扫描件），无法识别页面二维码。"
    if code is None:
        receipt = _receipt_stub(session, read.read.foreign)
        if receipt is not None:
            return receipt
        if read.read.foreign:
            return _foreign_reason(read.read.foreign)
        return "未识别到页面二维码：二维码可能被遮挡、污损，或页面底部没有扫描进来。"
    title = kinds.title(code.kind)
    if code.kind in kinds.NOT_SIGNED_PAPER:
        return NOT_SIGNED_REASONS[code.kind]
    if code.document_id > MAX_ROW_ID:
        return f"二维码所指的{title}（编号 {str(code.document_id)[:20]}）在本系统中不存在。"
    if code.page > MAX_PAGE:
        return f"二维码中的页码（第{str(code.page)[:20]}页）超出范围（最多 {MAX_PAGE} 页），未自动归档。"
    case_id = session.scalar(select(DisputeCase.id).where(DisputeCase.number == code.case_number))
    if case_id is None:
        return f"二维码中的案件编号“{code.case_number[:60]}”在本系统中不存在。"
    owner = _document_case(session, code.kind, code.document_id)
    if owner is None:
        return f"二维码所指的{title}（编号 {code.document_id}）在本系统中不存在。"
    if owner != case_id:
        return f"二维码所指的{title}（编号 {code.document_id}）不属于案件 {code.case_number[:60]}。"
    return _Target(case_id, code.case_number, code.kind, code.document_id, title)


# --------------------------------------------------------------------------- filing


def file_read_pages(session: Session, actor: Actor, batch: ReadBatch, source: str) -> ScanBackSummary:
    """File the read pages: matched pages to their documents, the rest to the unmatched queue.

    Each document is filed in its own savepoint: a refusal (a mediator filing another team's
    case, say) sends that document's pages to the queue with the reason, and the rest is filed.
    """
    permissions.require_role(actor, _WORKING_ROLES, "归档签字文书")
    source = source.strip()[:200]
    groups: dict[tuple[int, str], tuple[_Target, dict[int, Sheet]]] = {}
    unmatched: list[tuple[Sheet, str]] = []
    for read in batch.pages:
        target = _target(session, read)
        if isinstance(target, str):
            unmatched.append((read.sheet, target))
            continue
        _, pages = groups.setdefault((target.case_id, target.ref), (target, {}))
        # The same page twice in one run: the later scan wins (the first was probably re-fed).
        # A receipt's stub has no page code: it is the receipt's one page.
        pages[read.read.code.page if read.read.code is not None else 1] = read.sheet
    filed: list[FiledDocument] = []
    for target, pages in groups.values():
        try:
            with session.begin_nested():
                filed.append(_file_document(session, actor, target, pages, source))
        except ServiceError as exc:
            unmatched += [(sheet, f"未能归档到案件 {target.number} 的{target.title}：{exc.message}")
                          for sheet in pages.values()]
    queued = [_queue(session, sheet, reason, source) for sheet, reason in unmatched]
    changes.note(session, Changes.cases(*{f.case_id for f in filed}))
    audit.record(session, actor, "scanback.run", "unmatched_page", None, {
        "source": source, "pages": len(batch.pages), "filed": [f.document_ref for f in filed],
        "unmatched": [u.id for u in queued], "refused": [r.name for r in batch.refused]})
    return ScanBackSummary(tuple(filed), tuple(queued), batch.refused,
                           tuple(read.read.seconds for read in batch.pages))


def _stored_pages(session: Session, actor: Actor, attachment_id: int) -> dict[int, tuple[str, bytes]]:
    """The pages of an earlier signed copy: printed page number → (content hash, one-page PDF)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(attachments.attachment_content(session, actor, attachment_id)))
    listed: list[dict[str, object]] = []
    try:
        raw = reader.metadata.get(PAGES_KEY) if reader.metadata is not None else None
        parsed = json.loads(str(raw)) if raw is not None else []
        listed = [p for p in parsed if isinstance(p, dict)] if isinstance(parsed, list) else []
    except ValueError:
        listed = []
    found: dict[int, tuple[str, bytes]] = {}
    for index, page in enumerate(reader.pages):
        meta = listed[index] if index < len(listed) else {}
        number = meta.get("page")
        digest = meta.get("sha256")
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        found[number if isinstance(number, int) and number > 0 else index + 1] = (
            digest if isinstance(digest, str) else "", buffer.getvalue())
    return found


def _signed_copy(pages: dict[int, tuple[str, bytes]], title: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    order = sorted(pages)
    for number in order:
        writer.append(PdfReader(io.BytesIO(pages[number][1])))
    writer.add_metadata({
        "/Title": title, "/Producer": "Mediation Desk",
        PAGES_KEY: json.dumps([{"page": n, "sha256": pages[n][0]} for n in order]),
    })
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blob_in_use(session: Session, digest: str) -> bool:
    return bool(session.scalar(select(exists().where(Attachment.sha256 == digest)))
                or session.scalar(select(exists().where(UnmatchedPage.sha256 == digest)))
                or session.scalar(select(exists().where(KeptDocument.sha256 == digest))))


def _drop_blob_if_unused(session: Session, digest: str) -> None:
    session.flush()
    if not _blob_in_use(session, digest):
        session.execute(delete(FileBlob).where(FileBlob.sha256 == digest))


def _file_document(session: Session, actor: Actor, target: _Target, new_pages: dict[int, Sheet],
                   source: str) -> FiledDocument:
    import hashlib

    case = attachments.case_facts(session, target.case_id)
    attachments.check_permission(actor, case, "添加")
    existing = session.scalars(
        select(Attachment).where(Attachment.case_id == target.case_id,
                                 Attachment.kind == AttachmentKind.SIGNED_DOCUMENT,
                                 Attachment.document_ref == target.ref).order_by(Attachment.id.desc())
    ).first()
    pages = _stored_pages(session, actor, existing.id) if existing is not None else {}
    changed: list[int] = []
    duplicates: list[int] = []
    for number, sheet in sorted(new_pages.items()):
        if number in pages and pages[number][0] == sheet.sha256:
            duplicates.append(number)
            continue
        pages[number] = (sheet.sha256, sheet.as_pdf())
        changed.append(number)
    label = f"{target.title}（签字件）"
    status = _signed_status(session, actor, target) if changed else _status_only(session, target)
    if existing is not None and not changed:
        return FiledDocument(target.case_id, target.number, target.ref, target.title, (), tuple(duplicates),
                             tuple(sorted(pages)), existing.id, status)
    content = _signed_copy(pages, f"{label} {target.number}")
    filename = attachments.sanitise_filename(f"{label}.pdf")
    note = f"{target.title}{page_ranges(list(pages))}，扫描回收"[: attachments.MAX_NOTE_LENGTH]
    page_column = next(iter(pages)) if len(pages) == 1 else None
    if existing is None:
        info = attachments.add_document(session, actor, target.case_id, kind=AttachmentKind.SIGNED_DOCUMENT,
                                        filename=filename, content=content, media_type="application/pdf",
                                        note=note)
        row = session.get_one(Attachment, info.id)
        row.document_ref = target.ref
        row.page = page_column
    else:
        row = existing
        old = row.sha256
        digest = hashlib.sha256(content).hexdigest()
        attachments.store_blob(session, digest, content)
        row.sha256, row.size, row.filename, row.note, row.page = digest, len(content), filename, note, page_column
        if old != digest:
            _drop_blob_if_unused(session, old)
    session.flush()
    session.add(CaseEvent(case_id=target.case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                          action="signed_scan",
                          note=f"收回{target.title}签字件{page_ranges(changed)}（{source or '扫描'}）"
                               + (f"；{status}" if status else "")))
    audit.record(session, actor, "scanback.file", "attachment", row.id, {
        "case": target.number, "document": target.ref, "pages": changed, "duplicates": duplicates,
        "all_pages": sorted(pages), "sha256": row.sha256, "source": source})
    return FiledDocument(target.case_id, target.number, target.ref, target.title, tuple(changed),
                         tuple(duplicates), tuple(sorted(pages)), row.id, status)


def _status_only(session: Session, target: _Target) -> str:
    """What the document's state is, when nothing new was filed."""
    if target.kind in _RECORD_KINDS:
        return "已标记签字"
    if target.kind in ("agreement", "oral-agreement"):
        return _agreement_status(session, target.document_id)
    if target.kind == "undisputed-facts":
        return _facts_status(session, target.document_id)
    return ""


def _facts_status(session: Session, facts_id: int) -> str:
    """Like an agreement's, the statement's signing day is on the paper: a scan does not sign it."""
    signed_on = session.scalar(select(UndisputedFacts.signed_on).where(UndisputedFacts.id == facts_id,
                                                                       UndisputedFacts.signed.is_(True)))
    if signed_on is not None:
        return f"确认书已于{signed_on:%Y年%m月%d日}登记签字确认"
    return "确认书尚未登记签字确认：请承办调解员按纸面日期登记"


def _agreement_status(session: Session, agreement_id: int) -> str:
    signed_on = session.scalar(select(Agreement.signed_on).where(Agreement.id == agreement_id))
    if signed_on is not None:
        return f"协议已于{signed_on:%Y年%m月%d日}登记签署"
    return "协议尚未登记签署：请承办调解员按纸面日期登记签署（生效日期决定司法确认的30日期限）"


def _signed_status(session: Session, actor: Actor, target: _Target) -> str:
    """Mark the document signed as far as a scan may (see the module docstring)."""
    record_kind = _RECORD_KINDS.get(target.kind)
    if record_kind is not None:
        row: InvestigationRecord | MediationRecord | None = (
            session.get(InvestigationRecord, target.document_id) if record_kind == "investigation"
            else session.get(MediationRecord, target.document_id))
        assert row is not None
        if not row.signed:
            try:
                records.sign_record(session, actor, record_kind, target.document_id)
            except (PermissionDenied, InvalidInput):
                # A clerk filing the paper, or a case closed since: the signed paper is the fact,
                # whoever scans it. The record is locked all the same, and the audit says how.
                row.signed = True
                session.flush()
                audit.record(session, actor, f"record.sign_{record_kind}", "case", row.case_id,
                             {"record": row.id, "by": "signed_scan"})
        return "已标记签字"
    if target.kind in ("agreement", "oral-agreement"):
        return _agreement_status(session, target.document_id)
    if target.kind == "confirmation-application":
        applied = session.scalar(select(exists().where(JudicialConfirmation.agreement_id == target.document_id)))
        return "" if applied else "尚未登记司法确认申请"
    if target.kind == "undisputed-facts":
        return _facts_status(session, target.document_id)
    return ""


def _queue(session: Session, sheet: Sheet, reason: str, source: str) -> UnmatchedInfo:
    content = sheet.content
    import hashlib

    digest = hashlib.sha256(content).hexdigest()
    attachments.store_blob(session, digest, content)
    extension = {"image/png": ".png", "image/jpeg": ".jpg"}.get(sheet.media_type, ".pdf")
    try:
        filename = attachments.sanitise_filename(sheet.label)
    except InvalidInput:
        filename = "扫描页"
    if not filename.lower().endswith(extension):
        filename = f"{filename.rsplit('.', 1)[0] if '.' in filename else filename}{extension}"
    row = UnmatchedPage(received_at=now(), source=source, filename=filename[: attachments.MAX_FILENAME_LENGTH],
                        media_type=sheet.media_type, sha256=digest, reason=reason[:200])
    session.add(row)
    session.flush()
    return UnmatchedInfo(row.id, row.received_at, row.source, row.filename, row.media_type, len(content),
                         row.reason)


# --------------------------------------------------------------------------- the clerk's queue


def unmatched(session: Session) -> list[UnmatchedInfo]:
    """The pages waiting for the clerk, oldest first."""
    rows = session.execute(
        select(UnmatchedPage, FileBlob.size).join(FileBlob, FileBlob.sha256 == UnmatchedPage.sha256)
        .where(UnmatchedPage.filed_case_id.is_(None), UnmatchedPage.filed_at.is_(None))
        .order_by(UnmatchedPage.received_at, UnmatchedPage.id).limit(UNMATCHED_LIMIT)
    ).all()
    return [UnmatchedInfo(p.id, p.received_at, p.source, p.filename, p.media_type, size, p.reason)
            for p, size in rows]


def _waiting(session: Session, page_id: int) -> UnmatchedPage:
    row = session.get(UnmatchedPage, page_id)
    if row is None or row.filed_at is not None:
        raise NotFound(f"待归档页面（编号 {page_id}）不存在，可能已被他人归档或删除。")
    return row


def unmatched_content(session: Session, page_id: int) -> tuple[str, bytes]:
    """(media type, bytes) of a page in the queue."""
    row = _waiting(session, page_id)
    content = session.scalar(select(FileBlob.content).where(FileBlob.sha256 == row.sha256))
    if content is None:
        raise attachments.ContentDamaged(f"待归档页面“{row.filename}”的内容在数据库中缺失。")
    return row.media_type, bytes(content)


def unmatched_preview(session: Session, page_id: int, max_size: int = 900) -> bytes | None:
    """A PNG of the page at most ``max_size`` pixels on its longer side (None: no image to show)."""
    from ..scanning.errors import FileRefused
    from ..scanning.pagecodes import sheets_of_file

    media_type, content = unmatched_content(session, page_id)
    name = "page.pdf" if media_type == "application/pdf" else "page"
    try:
        sheets = sheets_of_file(name, content)
    except FileRefused:
        return None
    page = sheets[0].page if sheets else None
    return page.thumbnail(max_size) if page is not None else None


def case_documents(session: Session, actor: Actor, number: str) -> CaseDocuments:
    """The documents of the case numbered ``number`` a page may be filed to, in a case's order."""
    number = number.strip()
    if not number:
        raise InvalidInput("case_number", "请填写案件编号。")
    case = session.scalar(select(DisputeCase).where(DisputeCase.number == number))
    if case is None:
        raise InvalidInput("case_number", f"案件编号“{number}”不存在，请核对。")
    permissions.require_case_access(actor, case, "归档该案件的文书", _WORKING_ROLES)
    cid = case.id
    choices = [DocumentChoice(f"registration:{cid}", kinds.TITLES["registration"]),
               DocumentChoice(f"application:{cid}", kinds.TITLES["application"]),
               DocumentChoice(f"notice:{cid}", kinds.TITLES["notice"])]
    for sid, starts in session.execute(select(MediationSession.id, MediationSession.starts_at)
                                       .where(MediationSession.case_id == cid)
                                       .order_by(MediationSession.starts_at, MediationSession.id)).all():
        choices.append(DocumentChoice(f"session-notice:{sid}",
                                      f"{kinds.TITLES['session-notice']}（{starts:%Y-%m-%d}）"))
    for kind, model in (("investigation", InvestigationRecord), ("mediation-record", MediationRecord)):
        for rid, held in session.execute(select(model.id, model.held_at).where(model.case_id == cid)
                                         .order_by(model.held_at, model.id)).all():
            choices.append(DocumentChoice(f"{kind}:{rid}", f"{kinds.TITLES[kind]}（{held:%Y-%m-%d}）"))
    facts_id = session.scalar(select(UndisputedFacts.id).where(UndisputedFacts.case_id == cid)
                              .order_by(UndisputedFacts.id.desc()).limit(1))
    if facts_id is not None:
        choices.append(DocumentChoice(f"undisputed-facts:{facts_id}", kinds.TITLES["undisputed-facts"]))
    if _transfer_case(session, cid) is not None:
        choices += [DocumentChoice(f"{kind}:{cid}", kinds.TITLES[kind])
                    for kind in ("transfer-letter", "transfer-summary")]
    for aid, akind, signed_on in session.execute(select(Agreement.id, Agreement.kind, Agreement.signed_on)
                                                 .where(Agreement.case_id == cid).order_by(Agreement.id)).all():
        kind = "agreement" if akind is AgreementKind.WRITTEN else "oral-agreement"
        state = "已签署" if signed_on is not None else "未签署"
        choices.append(DocumentChoice(f"{kind}:{aid}", f"{kinds.TITLES[kind]}（{state}，编号 {aid}）"))
        if signed_on is not None:
            choices.append(DocumentChoice(f"confirmation-application:{aid}", kinds.TITLES["confirmation-application"]))
    for vid, visited in session.execute(select(ReturnVisit.id, ReturnVisit.visited_on)
                                        .where(ReturnVisit.case_id == cid).order_by(ReturnVisit.id)).all():
        choices.append(DocumentChoice(f"return-visit:{vid}", f"{kinds.TITLES['return-visit']}（{visited:%Y-%m-%d}）"))
    choices.append(DocumentChoice(f"receipt:{cid}", kinds.TITLES["receipt"]))
    choices.append(DocumentChoice(f"case-summary:{cid}", kinds.TITLES["case-summary"]))
    return CaseDocuments(cid, case.number, case.title, tuple(choices))


def file_unmatched(session: Session, actor: Actor, page_id: int, case_id: int, document_ref: str | None,
                   page_no: int | None) -> FiledDocument | None:
    """File a page of the queue by hand: to a document of the case (as page ``page_no``, else
    after its last page), or, with no document, as a signed paper of the case on its own.

    Returns the document filed to, or None for a page filed to the case alone.
    """
    from ..scanning.errors import FileRefused
    from ..scanning.pagecodes import Sheet, sheets_of_file

    permissions.require_role(actor, _WORKING_ROLES, "处理待归档页面")
    row = _waiting(session, page_id)
    media_type, content = unmatched_content(session, page_id)
    number = session.scalar(select(DisputeCase.number).where(DisputeCase.id == case_id))
    if number is None:
        raise InvalidInput("case_number", f"案件（编号 {case_id}）不存在。")
    permissions.check_case_id(session, actor, case_id, "归档该案件的文书", _WORKING_ROLES)
    if page_no is not None and not 1 <= page_no <= 999:
        raise InvalidInput("page_no", "页码应为 1 到 999 之间的整数。")
    result: FiledDocument | None = None
    if document_ref:
        parsed = kinds.parse_ref(document_ref)
        if parsed is None or parsed[0] in kinds.NOT_SIGNED_PAPER:
            raise InvalidInput("document", f"文书“{document_ref[:60]}”无效，请从列表中选择。")
        kind = parsed[0]
        target = _Target(case_id, number, kind, parsed[1], kinds.TITLES[kind])
        if _document_case(session, kind, target.document_id) != case_id:
            raise InvalidInput("document", f"所选{target.title}不属于案件 {number}。")
        name = row.filename if media_type != "application/pdf" else "page.pdf"
        try:
            sheets = sheets_of_file(name, content)
        except FileRefused as refusal:
            raise InvalidInput("page", refusal.message) from None
        sheet = sheets[0] if sheets else Sheet(row.filename, row.sha256, pdf_page=content)
        if page_no is None:
            held = session.scalars(select(Attachment).where(
                Attachment.case_id == case_id, Attachment.kind == AttachmentKind.SIGNED_DOCUMENT,
                Attachment.document_ref == target.ref).order_by(Attachment.id.desc())).first()
            page_no = (max(_stored_pages(session, actor, held.id)) + 1) if held is not None else 1
        with session.begin_nested():
            result = _file_document(session, actor, target, {page_no: sheet}, f"手工归档：{row.source}")
        attachment_id = result.attachment_id
    else:
        info = attachments.add_document(session, actor, case_id, kind=AttachmentKind.SIGNED_DOCUMENT,
                                        filename=row.filename, content=content, media_type=media_type,
                                        note="扫描回收的签字文书（未识别所属文书，手工归档）")
        attachment_id = info.id
        session.add(CaseEvent(case_id=case_id, at=now(), user_id=actor.user_id, kind=EventKind.DOCUMENT,
                              action="signed_scan", note=f"手工归档扫描回收的签字文书“{row.filename}”"))
    row.filed_case_id = case_id
    row.filed_at = now()
    session.flush()
    changes.note(session, Changes.cases(case_id))
    audit.record(session, actor, "scanback.file_unmatched", "unmatched_page", row.id,
                 {"case": number, "document": document_ref or "", "page": page_no, "attachment": attachment_id})
    return result


def discard_unmatched(session: Session, actor: Actor, page_id: int) -> None:
    """Remove a page from the queue (a blank sheet, a page of something else); its content goes
    too unless an attachment uses the same bytes."""
    permissions.require_role(actor, _WORKING_ROLES, "处理待归档页面")
    row = _waiting(session, page_id)
    digest, name = row.sha256, row.filename
    session.delete(row)
    _drop_blob_if_unused(session, digest)
    audit.record(session, actor, "scanback.discard", "unmatched_page", page_id, {"filename": name, "sha256": digest})
