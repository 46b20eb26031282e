"""A case's printed documents and its bound dossier (卷宗), and the completeness gate of closure.

* :func:`render_document` — any document kind of :data:`DOCUMENT_KINDS` for a case, as PDF bytes
  (what ``mediation-desk doc KIND CASE_NUMBER`` prints). A kind that does not apply to the case
  yet (an agreement before there is one) raises :class:`DocumentNotApplicable`.
* :func:`completeness` — the required (必须) items of the dossier (FORMS.md) the case is missing,
  which the workflow checks before a closure is approved.
* :func:`build_dossier` — cover, index with the real page numbers, the generated documents and the
  scanned attachments in the Ministry's order, back cover.

What each required item needs (a case "was mediated" once it reached 调解中):

1. 申请书 or 受理登记表 — the registration form is generated from the registration: always there.
2. 权利义务告知书 — generated; it counts once a mediation record says the notice was given (the
   records service refuses a record without it). Required when the case was mediated.
3. 身份证明 — every party needs an identity scan (an attachment of kind 身份证明) linked to them;
   identity scans linked to no party are taken to cover everyone (one scan of all the ID cards
   on a sheet is common), so then nothing is missing. Required for every case.
4. 调解记录 — at least one mediation record. Required when the case was mediated.
5. 调解协议书 or 口头协议登记表 — a signed agreement, when the case ended in success. A case that
   failed (调解不成, and a failed case transferred on) needs instead the record of why: a
   mediation record with "no agreement reached", whose outcome states the reason and the roads
   left open. A withdrawn or diverted case needs neither (its reason is on the timeline, required
   by the workflow, and printed in the 卷宗情况说明).
6. 封底 — generated: always there.

A scanned, signed copy of a generated document is an attachment of kind 签字文书 whose
``document_ref`` column holds the document's reference, the ``kind:id`` of its pages' QR codes
(``agreement:12``; see ``documents.pagecode`` and ``services.scanback``, which files them). The
dossier files such a scan in place of the generated copy. Copies attached before that column
existed carried the reference in their note, which is still read when the column is empty.

The documents are laid out by ``documents`` from the read models (``readmodels``) this module
gathers; ``documents`` never imports services, so the imports here are plain top-level ones. The
workflow imports this module lazily for the gate; pypdf and Pillow are still imported only when a
dossier binds a scan.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import settings
from ..documents import agreement as agreement_doc
from ..documents import application, base, confirmation, kinds, notice, receipt
from ..documents import dossier as bind
from ..documents import records as records_doc
from ..documents import transfer as transfer_doc
from ..documents.fonts import register_fonts
from ..documents.forms import cn_date, form_styles, names_of, paragraphs
from ..documents.forms import title as form_title
from ..models import (
    AgreementKind,
    Attachment,
    AttachmentKind,
    CaseState,
    ConfirmationResult,
    DisputeCase,
    EventKind,
    JudicialConfirmation,
    PartyRole,
    ReturnVisit,
)
from ..readmodels.center import Issuer
from . import agreements, attachments, cases, center, kept, permissions, records, termination
from . import confirmation as confirmations
from .actor import Actor
from .errors import NotFound, ServiceError

if TYPE_CHECKING:
    from ..readmodels.agreements import AgreementInfo
    from ..readmodels.cases import CaseDetail
    from ..readmodels.records import RecordInfo
    from .attachments import AttachmentInfo

#: The kinds of ``mediation-desk doc`` and of the case's 文书 tab, in the order of a case's life (their
#: titles on paper, like every kind's, are ``documents.kinds.TITLES``).
DOCUMENT_KINDS: tuple[str, ...] = (
    "registration", "application", "notice", "investigation", "mediation-record", "agreement",
    "oral-agreement", "confirmation-application", "return-visit", "receipt", "dossier",
)

_OUTCOME_STATES = frozenset({CaseState.SUCCEEDED, CaseState.FAILED, CaseState.TRANSFERRED, CaseState.WITHDRAWN,
                             CaseState.DIVERTED})


class DocumentNotApplicable(ServiceError):
    """The document does not apply to the case (yet): no record, no agreement, not signed …"""


@dataclass(frozen=True)
class MissingItem:
    """A required item of the dossier the case does not have."""

    #: The item's number in the Ministry's order (FORMS.md, 1–13).
    item: int
    title: str
    #: What exactly is missing, for the person who has to supply it.
    detail: str

    def __str__(self) -> str:
        return f"{self.title}：{self.detail}"


# --------------------------------------------------------------------------- gathering


def issuer(session: Session, case_id: int | None = None) -> Issuer:
    """Who issues the documents of the case ``case_id``: :func:`services.center.issuer`."""
    return center.issuer(session, case_id)


def _case_id(session: Session, number: str) -> int:
    found = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number.strip()))
    if found is None:
        raise NotFound(f"案件“{number.strip()}”不存在。")
    return found


def _mediation_records(session: Session, case_id: int) -> list[RecordInfo]:
    return [r for r in records.records_of(session, case_id) if r.kind == "mediation"]


def _investigations(session: Session, case_id: int) -> list[RecordInfo]:
    return [r for r in records.records_of(session, case_id) if r.kind == "investigation"]


def _reached(detail: CaseDetail, state: CaseState) -> bool:
    return any(e.to_state is state for e in detail.events)


def outcome(detail: CaseDetail) -> CaseState | None:
    """How the case ended (调解成功, 调解不成, 已移送, 撤回, 分流), or None while it is open.

    The last outcome on the timeline counts: a case sent back from review, or reopened, and
    mediated again has the outcome of its last round. A failed case that was then transferred
    counts as failed.
    """
    found: CaseState | None = None
    for event in detail.events:
        if event.kind is EventKind.TRANSITION and event.to_state in _OUTCOME_STATES:
            found = event.to_state
        elif event.kind is EventKind.TRANSITION and event.to_state is CaseState.IN_MEDIATION:
            found = None
    if found is CaseState.TRANSFERRED:
        return CaseState.FAILED
    return found


def _notice_date(mediation: Sequence[RecordInfo]) -> date | None:
    given = [r.held_at for r in mediation if r.values.get("notice_given")]
    return min(given).date() if given else None


# --------------------------------------------------------------------------- completeness


def completeness(session: Session, case_id: int) -> list[MissingItem]:
    """The required items of the case's dossier that are missing, in the Ministry's order.

    An empty list means the dossier is complete and the case may be closed. See the module
    docstring for what each item needs.
    """
    detail = cases.case_detail(session, Actor.system("dossier"), case_id)
    mediated = _reached(detail, CaseState.IN_MEDIATION)
    ended = outcome(detail)
    mediation = _mediation_records(session, case_id)
    missing: list[MissingItem] = []
    if mediated and not any(r.values.get("notice_given") for r in mediation):
        missing.append(MissingItem(2, "人民调解当事人权利义务告知书",
                                   "没有载明已告知当事人权利义务的调解记录"))
    files = attachments.list_attachments(session, Actor.system("dossier"), case_id)
    identity = [a for a in files if a.kind is AttachmentKind.IDENTITY]
    if not any(a.party_id is None for a in identity):
        covered = {a.party_id for a in identity}
        lacking = [p.name for p in detail.parties if p.id not in covered]
        if lacking:
            missing.append(MissingItem(3, "当事人身份证明", f"缺少{'、'.join(lacking)}的身份证明"))
    if mediated and not mediation:
        missing.append(MissingItem(7, "人民调解记录", "没有调解记录"))
    if ended is CaseState.SUCCEEDED:
        if not any(a.signed for a in agreements.agreements_of(session, case_id)):
            missing.append(MissingItem(8, "人民调解协议书或人民调解口头协议登记表", "没有已签署生效的调解协议"))
    elif ended is CaseState.FAILED and not any(not r.values.get("agreement_reached") for r in mediation):
        missing.append(MissingItem(8, "调解不成的调解记录",
                                   "调解不成的案件须有载明未达成协议及其原因的调解记录"))
    return missing


def check_complete(session: Session, case_id: int) -> None:
    """Raise :class:`DossierIncomplete` naming every missing required item, if any."""
    missing = completeness(session, case_id)
    if missing:
        number = session.scalar(select(DisputeCase.number).where(DisputeCase.id == case_id)) or str(case_id)
        raise DossierIncomplete(number, missing)


class DossierIncomplete(ServiceError):
    """The case's dossier lacks required items; ``missing`` lists them."""

    def __init__(self, number: str, missing: Sequence[MissingItem]) -> None:
        self.missing = tuple(missing)
        items = "；".join(str(m) for m in missing)
        super().__init__(f"案件 {number} 的卷宗不完整，不能结案：{items}。")


# --------------------------------------------------------------------------- single documents


def _latest_record(found: list[RecordInfo], document_id: int | None, what: str, number: str) -> RecordInfo:
    if not found:
        raise DocumentNotApplicable(f"案件 {number} 还没有{what}。")
    if document_id is None:
        return found[-1]
    for record in found:
        if record.id == document_id:
            return record
    raise DocumentNotApplicable(f"案件 {number} 没有编号为 {document_id} 的{what}。")


def _agreement(session: Session, case_id: int, kind: AgreementKind | None, document_id: int | None, number: str, *,
               signed: bool = False) -> AgreementInfo:
    found = agreements.agreements_of(session, case_id)
    if kind is not None:
        found = [a for a in found if a.kind is kind]
    if signed:
        found = [a for a in found if a.signed]
    what = (kind.label if kind is not None else "调解协议")
    if document_id is not None:
        found = [a for a in found if a.id == document_id]
    if not found:
        state = "已签署生效的" if signed else ""
        raise DocumentNotApplicable(f"案件 {number} 还没有{state}{what}。")
    return found[-1]


def _officials(session: Session, detail: CaseDetail) -> tuple[str, str]:
    mediation = _mediation_records(session, detail.id)
    last = mediation[-1].values if mediation else {}
    mediators = str(last.get("mediators") or detail.lead_mediator or "")
    recorder = str(last.get("recorder") or "")
    return mediators, recorder


def agreement_kind(session: Session, case_id: int) -> AgreementKind | None:
    """The form of the case's agreement (the last signed one, else the last draft), or None."""
    found = agreements.agreements_of(session, case_id)
    signed = [a for a in found if a.signed]
    chosen = (signed or found)[-1:]
    return chosen[0].kind if chosen else None


def _registrar(session: Session, detail: CaseDetail) -> str:
    """Who registers an oral agreement: the lead mediator, else the first mediator on record."""
    mediators = _officials(session, detail)[0]
    return detail.lead_mediator or re.split(r"[、，,；;]", mediators)[0].strip()


def _confirmation(session: Session, case_id: int, agreement_id: int) -> JudicialConfirmation | None:
    return session.scalars(select(JudicialConfirmation).where(
        JudicialConfirmation.case_id == case_id, JudicialConfirmation.agreement_id == agreement_id,
    ).order_by(JudicialConfirmation.id.desc())).first()


def confirmations_of(session: Session, case_id: int) -> list[JudicialConfirmation]:
    return list(session.scalars(select(JudicialConfirmation).where(JudicialConfirmation.case_id == case_id)
                                .order_by(JudicialConfirmation.id)))


def ruling_note(applied: JudicialConfirmation) -> str:
    """The court's case number and result, as the dossier's index notes them."""
    number = applied.court_case_number.strip()
    result = applied.result.label if applied.result is not ConfirmationResult.PENDING else "法院审查中"
    return f"{number}，{result}" if number else result


def ruling_text(applied: JudicialConfirmation) -> str:
    """What became of a judicial-confirmation application, for the 卷宗情况说明."""
    court = applied.court.strip() or "人民法院"
    text = f"{cn_date(applied.applied_on)}向{court}申请司法确认" if applied.applied_on else f"向{court}申请司法确认"
    if applied.accepted_on is not None:
        text += f"，{court}于{cn_date(applied.accepted_on)}立案受理"
    if applied.court_case_number.strip():
        text += f"，案号{applied.court_case_number.strip()}"
    if applied.result is ConfirmationResult.CONFIRMED:
        text += (f"，于{cn_date(applied.decided_on)}" if applied.decided_on else "，") + "裁定确认调解协议有效"
    elif applied.result is ConfirmationResult.REJECTED:
        text += (f"，于{cn_date(applied.decided_on)}" if applied.decided_on else "，") + "裁定驳回申请"
    elif applied.result is ConfirmationResult.WITHDRAWN:
        text += (f"，于{cn_date(applied.decided_on)}" if applied.decided_on else "，") + "当事人撤回申请"
    else:
        text += "，法院尚在审查中"
    note = applied.note.strip().rstrip("。.；;，,")
    # A note that only repeats the result ("裁定调解协议有效") is not printed twice.
    said = {ConfirmationResult.CONFIRMED: "有效", ConfirmationResult.REJECTED: "驳回",
            ConfirmationResult.WITHDRAWN: "撤回"}.get(applied.result)
    if note and note not in text and not (said and said in note and len(note) <= 12):
        text += f"（{note}）"
    return text + "。"


def visit_data(visit: ReturnVisit) -> records_doc.ReturnVisitData:
    """What the return-visit record prints of a visit."""
    return records_doc.ReturnVisitData(
        id=visit.id, visited_on=visit.visited_on, visitor=visit.visitor, parties_visited=visit.parties_visited,
        performance=visit.performance.label if visit.performance else "",
        satisfaction=visit.satisfaction.label if visit.satisfaction else "", notes=visit.notes,
        method=visit.method.label if visit.method else "", lawsuit=visit.lawsuit,
        lawsuit_result=visit.lawsuit_result, hidden_risks=visit.hidden_risks)


def _return_visit(session: Session, detail: CaseDetail, document_id: int | None) -> ReturnVisit:
    visits = session.scalars(select(ReturnVisit).where(ReturnVisit.case_id == detail.id)
                             .order_by(ReturnVisit.visited_on, ReturnVisit.id)).all()
    if not visits:
        raise DocumentNotApplicable(f"案件 {detail.number} 还没有回访记录。")
    if document_id is None:
        return visits[-1]
    for visit in visits:
        if visit.id == document_id:
            return visit
    raise DocumentNotApplicable(f"案件 {detail.number} 没有编号为 {document_id} 的回访记录。")


def _prepare(session: Session, actor: Actor, detail: CaseDetail, kind: str, document_id: int | None,
             today: date | None = None) -> Callable[[], bytes]:
    """What the document ``kind`` of the case prints, chosen from the case's data, and how to make it.

    Everything that decides whether the document applies happens here (it raises
    :class:`DocumentNotApplicable` with the reason); the returned function only lays out the PDF.
    So :func:`applicability` asks this without rendering anything, and :func:`render_document`
    renders exactly what it said applies."""
    if kind == "registration":
        return lambda: application.render_registration(detail, issuer(session, detail.id))
    if kind == "application":
        return lambda: application.render_application(detail, issuer(session, detail.id))
    if kind == "notice":
        return lambda: notice.render_notice(detail, issuer(session, detail.id),
                                            _notice_date(_mediation_records(session, detail.id)))
    if kind == "investigation":
        investigation = _latest_record(_investigations(session, detail.id), document_id, "调查记录", detail.number)
        return lambda: kept.signed_record_pdf(session, investigation) or records_doc.render_investigation(
            detail, issuer(session, detail.id), investigation)
    if kind == "mediation-record":
        record = _latest_record(_mediation_records(session, detail.id), document_id, "调解记录", detail.number)
        return lambda: kept.signed_record_pdf(session, record) or records_doc.render_mediation_record(
            detail, issuer(session, detail.id), record, agreement=agreement_kind(session, detail.id))
    if kind == "agreement":
        written = _agreement(session, detail.id, AgreementKind.WRITTEN, document_id, detail.number)

        def render_written() -> bytes:
            mediators, recorder = _officials(session, detail)
            return agreement_doc.render_agreement(detail, issuer(session, detail.id), written, mediators=mediators,
                                                  recorder=recorder)
        return render_written
    if kind == "oral-agreement":
        oral = _agreement(session, detail.id, AgreementKind.ORAL, document_id, detail.number)
        return lambda: agreement_doc.render_oral_agreement(detail, issuer(session, detail.id), oral,
                                                           registrar=_registrar(session, detail))
    if kind == "confirmation-application":
        signed = _agreement(session, detail.id, None, document_id, detail.number, signed=True)
        # Past the 30 days it prints only for an application recorded with its reason, and says so.
        try:
            filing = confirmations.printed_application(session, detail.id, signed.id, today)
        except confirmations.LateApplication as late:
            raise DocumentNotApplicable(late.message) from None

        def render_application() -> bytes:
            files = attachments.list_attachments(session, actor, detail.id)
            materials = confirmation.Materials(
                identity=sum(1 for a in files if a.kind is AttachmentKind.IDENTITY) or None,
                authorisations=sum(1 for a in files if a.kind is AttachmentKind.AUTHORISATION) or None,
            )
            return confirmation.render_confirmation_application(
                detail, issuer(session, detail.id), signed, court=filing.court, applied_on=filing.applied_on,
                materials=materials, deadline=filing.deadline, late_reason=filing.late_reason)
        return render_application
    if kind == "return-visit":
        visit = _return_visit(session, detail, document_id)

        def render_visit() -> bytes:
            signed_ones = [a for a in agreements.agreements_of(session, detail.id) if a.signed]
            return records_doc.render_return_visit(detail, issuer(session, detail.id), visit_data(visit), signed_ones)
        return render_visit
    if kind == "receipt":
        def render_receipt() -> bytes:
            the = issuer(session, detail.id)
            registered = next((e.user_name for e in detail.events if e.kind is EventKind.REGISTERED), "")
            data = receipt.ReceiptData.from_case(
                detail, the.center_name, the.address, the.phone, center.get(session, settings.RECEIPT_NEXT_STEP),
                clerk="" if registered == "系统" else registered)
            return receipt.render_receipt(data)
        return render_receipt
    if kind == "dossier":
        return lambda: build_dossier(session, actor, detail.id)
    raise DocumentNotApplicable(f"未知的文书种类“{kind}”；可用：{'、'.join(DOCUMENT_KINDS)}。")


def applicability(session: Session, actor: Actor, case_id: int, kind: str, *, document_id: int | None = None,
                  today: date | None = None, detail: CaseDetail | None = None) -> str:
    """Whether :func:`render_document` would make the document: "" when it would, else the reason
    it would refuse (the message of its :class:`DocumentNotApplicable`). Decided from the case's
    data alone: nothing is laid out, no PDF is made (the documents tab lists every kind with this)."""
    if detail is None or detail.id != case_id:
        detail = cases.case_detail(session, actor, case_id)
    try:
        _prepare(session, actor, detail, kind, document_id, today)
    except DocumentNotApplicable as exc:
        return exc.message
    return ""


def render_document(session: Session, actor: Actor, case_id: int, kind: str, *,
                    document_id: int | None = None, today: date | None = None,
                    detail: CaseDetail | None = None) -> bytes:
    """The PDF of one document of the case. ``document_id`` picks a record or an agreement
    (default: the latest). Raises :class:`DocumentNotApplicable` when the case has none.
    ``today`` is the day it is printed (the confirmation application refuses past its window).
    ``detail``: the case as ``cases.case_detail`` gave it to this actor in this session, when the
    caller already has it (a preview of the documents tab, which read it to list them)."""
    if detail is None or detail.id != case_id:
        detail = cases.case_detail(session, actor, case_id)
    return _prepare(session, actor, detail, kind, document_id, today)()


def render_document_by_number(session: Session, actor: Actor, number: str, kind: str, *,
                              document_id: int | None = None) -> bytes:
    return render_document(session, actor, _case_id(session, number), kind, document_id=document_id)


# --------------------------------------------------------------------------- dossier


def _image_pdf(content: bytes) -> bytes:
    """An image attachment (a photo, a PNG scan) on an A4 page, fitted inside 1 cm margins."""
    from PIL import Image

    image = Image.open(io.BytesIO(content))
    width, height = image.size
    buffer = io.BytesIO()
    # A TrueType initial font is only written when text uses it; the default Helvetica would be
    # referenced, unembedded, by a page with no text at all.
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=register_fonts())
    room_w, room_h = A4[0] - 56, A4[1] - 56
    scale = min(room_w / width, room_h / height)
    w, h = width * scale, height * scale
    canvas.drawImage(ImageReader(io.BytesIO(content)), (A4[0] - w) / 2, (A4[1] - h) / 2, w, h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _notice_page(title: str, lines: Sequence[str], case_number: str, the: Issuer) -> bytes:
    """A page standing in for a file that cannot be bound (not a PDF or an image, damaged)."""
    styles = form_styles()
    story = [form_title(title, size=base.ZIHAO["三号"])]
    for line in lines:
        story += paragraphs(line, styles.body)
    info = base.DocumentInfo(title=f"{title} {case_number}", author=the.center_name, created=datetime(2000, 1, 1))
    return base.build_pdf(story, info, page_numbers=False)


def _attachment_pdf(session: Session, actor: Actor, info: AttachmentInfo, case_number: str,
                    the: Issuer) -> tuple[bytes, str]:
    """The attachment as PDF pages to bind, and a note for the index."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        content = attachments.attachment_content(session, actor, info.id)
    except attachments.ContentDamaged as exc:
        page = _notice_page("材料内容损坏", [f"材料“{info.filename}”未能装订。", exc.message], case_number, the)
        return page, "内容损坏，未装订"
    if info.media_type == "application/pdf":
        try:
            if len(PdfReader(io.BytesIO(content)).pages):
                return content, "扫描件"
        except (PdfReadError, ValueError, KeyError, OSError):
            pass
        return _notice_page("材料无法装订", [f"材料“{info.filename}”不是可读的 PDF 文件，请在系统中查看原文件。"],
                            case_number, the), "文件无法读取"
    if info.media_type.startswith("image/"):
        try:
            return _image_pdf(content), "扫描件"
        except (OSError, ValueError):
            pass
    return _notice_page("材料无法装订", [f"材料“{info.filename}”（{info.media_type}）不是图片或 PDF，"
                                        "不能打印装订，请在系统中查看原文件。"], case_number, the), "电子文件，未装订"


def signed_copies(session: Session, actor: Actor, case_id: int) -> dict[str, AttachmentInfo]:
    """The case's scanned, signed copies by the reference (``kind:id``) of the document each is a
    copy of — what the dossier binds in place of a generated document, or as a 签字文书."""
    permissions.check_case_id(session, actor, case_id, "查看该案件的签字文书")
    return _refs(session, attachments.list_attachments(session, actor, case_id))


def _refs(session: Session, files: Sequence[AttachmentInfo]) -> dict[str, AttachmentInfo]:
    """Signed scans by the document they are a copy of (the last scan wins): their
    ``document_ref``, else (a copy attached before that column existed) the reference in the note."""
    column: dict[int, str] = {}
    if files:
        rows = session.execute(
            select(Attachment.id, Attachment.document_ref)
            .where(Attachment.case_id.in_({info.case_id for info in files}),
                   Attachment.kind == AttachmentKind.SIGNED_DOCUMENT, Attachment.document_ref != "")
        ).all()
        column = {attachment_id: ref for attachment_id, ref in rows}
    found: dict[str, AttachmentInfo] = {}
    for info in files:
        if info.kind is AttachmentKind.SIGNED_DOCUMENT:
            ref = column.get(info.id)
            if ref is None:
                match = kinds.REF_IN_TEXT.search(info.note)
                ref = f"{match.group(1)}:{match.group(2)}" if match else None
            if ref is not None:
                found[ref] = info
    return found


def _volume_title(detail: CaseDetail) -> str:
    applicants = names_of(detail.parties, PartyRole.APPLICANT)
    others = names_of([p for p in detail.parties if p.role is not PartyRole.APPLICANT])
    kind = detail.dispute_type.strip() or "民间"
    kind = kind if kind.endswith("纠纷") else f"{kind}纠纷"
    return f"{applicants}与{others}{kind}" if others else f"{applicants}{kind}"


def _summary_lines(detail: CaseDetail, ended: CaseState | None, signed: Sequence[AgreementInfo],
                   mediation: Sequence[RecordInfo]) -> list[str]:
    lines = [f"本案由{detail.source_channel.label}而来，于{cn_date(detail.received_at)}登记"
             + (f"，{cn_date(detail.accepted_at)}受理" if detail.accepted_at else "")
             + (f"，交{detail.team}办理" if detail.team else "")
             + (f"，承办人民调解员{detail.lead_mediator}" if detail.lead_mediator else "") + "。"]
    if mediation:
        lines.append(f"共进行调解{len(mediation)}次，首次于{cn_date(mediation[0].held_at)}，"
                     f"末次于{cn_date(mediation[-1].held_at)}。")
    # The reasons given at the transitions, without their own full stop (the sentence adds one).
    notes = {e.to_state: e.note.strip().rstrip("。.；;，,") for e in detail.events
             if e.kind is EventKind.TRANSITION and e.note.strip()}
    if ended is CaseState.SUCCEEDED:
        for agreement in signed:
            reached = ("人民调解协议，签订人民调解协议书" if agreement.kind is AgreementKind.WRITTEN
                       else "口头调解协议，登记于人民调解口头协议登记表")
            lines.append(f"经调解，当事人达成{reached}，于{cn_date(agreement.effective_on)}生效，"
                         f"共{len(agreement.terms)}项协议内容。")
    elif ended is CaseState.FAILED:
        reason = notes.get(CaseState.FAILED, "")
        lines.append(f"经调解，当事人未能达成调解协议，调解终止。调解不成的原因：{reason or '见调解记录'}。")
        if CaseState.TRANSFERRED in notes:
            lines.append(f"本案已移送或转办：{notes[CaseState.TRANSFERRED]}。")
    elif ended is CaseState.WITHDRAWN:
        lines.append(f"当事人撤回调解申请：{notes.get(CaseState.WITHDRAWN, '').strip() or '（未载明）'}。")
    elif ended is CaseState.DIVERTED:
        lines.append(f"本案已分流：{notes.get(CaseState.DIVERTED, '').strip() or '（未载明）'}。")
    else:
        lines.append(f"本案目前处于“{detail.state.label}”状态，尚未办结。")
    if detail.closed_at is not None and detail.state is CaseState.CLOSED:
        lines.append(f"本案于{cn_date(detail.closed_at)}经审核结案。")
    return lines


def build_dossier(session: Session, actor: Actor, case_id: int, *, filed_on: date | None = None,
                  filed_by: str | None = None) -> bytes:
    """The bound dossier of the case (see ``documents.dossier``), as PDF bytes.

    ``filed_on`` (立卷日期) defaults to the day the case was closed, else today; ``filed_by``
    (立卷人) to the actor. A missing required item does not stop the print (a file is often
    printed to see what is missing); :func:`completeness` is the gate.
    """
    permissions.check_case_id(session, actor, case_id, "装订该案件的卷宗")
    detail = cases.case_detail(session, actor, case_id)
    the = issuer(session, case_id)
    number = detail.number
    files = attachments.list_attachments(session, actor, case_id)
    signed_scans = _refs(session, files)
    used: set[int] = set()
    mediation = _mediation_records(session, case_id)
    investigations = _investigations(session, case_id)
    all_agreements = agreements.agreements_of(session, case_id)
    signed = [a for a in all_agreements if a.signed]
    mediators, recorder = _officials(session, detail)
    party_names = {p.id: p.name for p in detail.parties}
    entries: list[bind.DossierEntry] = []

    def generated(item: int, title: str, ref: str, make: Callable[[], bytes]) -> None:
        scan = signed_scans.get(ref)
        if scan is not None:
            pdf, _note = _attachment_pdf(session, actor, scan, number, the)
            used.add(scan.id)
            entries.append(bind.DossierEntry(item, title, pdf, "签字件（扫描件）", attachment_id=scan.id))
        else:
            entries.append(bind.DossierEntry(item, title, make(), "系统生成"))

    def scanned(item: int, kind: AttachmentKind, title: Callable[[AttachmentInfo], str]) -> None:
        for info in files:
            if info.kind is kind and info.id not in used:
                pdf, note = _attachment_pdf(session, actor, info, number, the)
                used.add(info.id)
                entries.append(bind.DossierEntry(item, title(info), pdf, note, attachment_id=info.id))

    def whose(info: AttachmentInfo, what: str) -> str:
        name = party_names.get(info.party_id or -1)
        return f"{what}（{name}）" if name else what

    # 1 申请书 / 受理登记表
    scanned(1, AttachmentKind.APPLICATION, lambda info: whose(info, "人民调解申请书"))
    generated(1, "人民调解受理登记表", f"registration:{case_id}",
              lambda: application.render_registration(detail, the))
    # 2 告知书
    notified = _notice_date(mediation)
    if notified is not None or f"notice:{case_id}" in signed_scans:
        generated(2, "人民调解当事人权利义务告知书", f"notice:{case_id}",
                  lambda: notice.render_notice(detail, the, notified))
    # 3 身份证明, 4 授权委托书
    scanned(3, AttachmentKind.IDENTITY, lambda info: whose(info, "当事人身份证明"))
    scanned(4, AttachmentKind.AUTHORISATION, lambda info: whose(info, "授权委托书"))
    # 5 调查记录
    for record in investigations:
        generated(5, f"人民调解调查记录（{cn_date(record.held_at)}）", f"investigation:{record.id}",
                  lambda r=record: kept.signed_record_pdf(session, r)  # type: ignore[misc]
                  or records_doc.render_investigation(detail, the, r))
    # 6 证据材料
    scanned(6, AttachmentKind.EVIDENCE, lambda info: whose(info, "证据材料") + (f"：{info.note}" if info.note else ""))
    # 7 调解记录
    for record in mediation:
        generated(7, f"人民调解记录（{cn_date(record.held_at)}）", f"mediation-record:{record.id}",
                  lambda r=record: kept.signed_record_pdf(session, r)  # type: ignore[misc]
                  or records_doc.render_mediation_record(detail, the, r, agreement=agreement_kind(session, case_id)))
    # 无争议事实确认书 of a failed mediation: filed with the session records it came out of.
    facts = termination.undisputed_facts_of(session, case_id)
    if facts is not None:
        facts_data = transfer_doc.UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed,
                                                      facts.signed_on)
        generated(7, "无争议事实确认书", f"undisputed-facts:{facts.id}",
                  lambda: kept.signed_facts_pdf(session, facts)
                  or transfer_doc.render_undisputed_facts(detail, the, facts_data, mediators=mediators))
    # 8 协议书 / 口头协议登记表
    for agreement in signed:
        if agreement.kind is AgreementKind.WRITTEN:
            generated(8, "人民调解协议书", f"agreement:{agreement.id}",
                      lambda a=agreement: agreement_doc.render_agreement(  # type: ignore[misc]
                          detail, the, a, mediators=mediators, recorder=recorder))
        else:
            generated(8, "人民调解口头协议登记表", f"oral-agreement:{agreement.id}",
                      lambda a=agreement: agreement_doc.render_oral_agreement(  # type: ignore[misc]
                          detail, the, a, registrar=_registrar(session, detail)))
    # 9 履行凭证
    scanned(9, AttachmentKind.PERFORMANCE_PROOF, lambda info: whose(info, "履行凭证"))
    # 10 回访记录
    visits = session.scalars(select(ReturnVisit).where(ReturnVisit.case_id == case_id)
                             .order_by(ReturnVisit.visited_on, ReturnVisit.id)).all()
    for visit in visits:
        data = visit_data(visit)
        generated(10, f"人民调解回访记录（{cn_date(visit.visited_on)}）", f"return-visit:{visit.id}",
                  lambda d=data: records_doc.render_return_visit(detail, the, d, signed))  # type: ignore[misc]
    # 11 司法确认有关材料
    rulings: list[str] = []
    for agreement in signed:
        applied = _confirmation(session, case_id, agreement.id)
        if applied is None or applied.applied_on is None:
            continue
        materials = confirmation.Materials(
            identity=sum(1 for a in files if a.kind is AttachmentKind.IDENTITY) or None,
            authorisations=sum(1 for a in files if a.kind is AttachmentKind.AUTHORISATION) or None)
        filing = confirmations.printed_application(session, case_id, agreement.id)
        generated(11, "司法确认申请书", f"confirmation-application:{agreement.id}",
                  lambda a=agreement, f=filing, m=materials:  # type: ignore[misc]
                  confirmation.render_confirmation_application(detail, the, a, court=f.court,
                                                               applied_on=f.applied_on, materials=m,
                                                               deadline=f.deadline, late_reason=f.late_reason))
        ruling = ruling_text(applied)
        rulings.append(ruling)
        # The index names the court's case number and result beside the application it answered.
        last = entries[-1]
        if applied.court_case_number.strip() or applied.result is not ConfirmationResult.PENDING:
            entries[-1] = bind.DossierEntry(last.item, last.title, last.pdf,
                                            f"{last.note}；{ruling_note(applied)}", attachment_id=last.attachment_id)
    # 12 卷宗情况说明, then whatever else was filed with the case
    ended = outcome(detail)
    ended_without_agreement = termination.termination_of(session, case_id)
    # 立卷日期: a file is made up once everything in it exists, so never before the newest paper
    # bound in it (a return visit, the court's ruling, a scan filed after closure).
    bound_dates = [detail.received_at.date(), *(r.held_at.date() for r in [*mediation, *investigations]),
                   *(a.signed_on for a in signed if a.signed_on is not None),
                   *(v.visited_on for v in visits), *(f.created_at.date() for f in files),
                   *(d for j in confirmations_of(session, case_id)
                     for d in (j.applied_on, j.accepted_on, j.decided_on) if d is not None)]
    if facts is not None and facts.signed_on is not None:
        bound_dates.append(facts.signed_on)
    if ended_without_agreement is not None:
        bound_dates.append(ended_without_agreement.terminated_on)
    latest = max(bound_dates)
    today = filed_on or max(detail.closed_at.date() if detail.closed_at else date.today(), latest)
    # 立卷人 is the person who made up the file: the signed-in person, never "系统" (a file bound
    # by no one in particular leaves the line blank, to be signed by hand).
    author = filed_by if filed_by is not None else ("" if actor.user_id is None else actor.display_name)
    summary_lines = _summary_lines(detail, ended, signed, mediation)
    if ended_without_agreement is not None:
        summary_lines.append(f"{cn_date(ended_without_agreement.terminated_on)}调解终结，原因：{ended_without_agreement.reason}。")
    summary_lines.extend(rulings)
    summary = bind.CaseSummary(number, case_id, tuple(summary_lines), author, today)
    generated(12, "卷宗情况说明", f"case-summary:{case_id}", lambda: bind.render_case_summary(summary, the))
    scanned(12, AttachmentKind.SIGNED_DOCUMENT, lambda info: "签字文书" + (f"：{info.note}" if info.note else ""))
    scanned(12, AttachmentKind.OTHER, lambda info: f"其他材料：{info.note or info.filename}")

    missing = completeness(session, case_id)
    held = [r.held_at.date() for r in mediation]
    ends = held + [a.signed_on for a in signed if a.signed_on is not None]
    cover = bind.DossierCover(
        case_number=number,
        volume_title=_volume_title(detail),
        mediators=mediators or detail.lead_mediator,
        mediation_from=min(held) if held else None,
        mediation_to=max(ends) if ends else None,
        filed_by=author,
        filed_on=today,
        retention=center.get(session, settings.DOSSIER_RETENTION),
        case_id=case_id,
        notes=("卷宗缺少以下必备材料：" + "；".join(str(m) for m in missing) + "。",) if missing else (),
    )
    return bind.assemble_dossier(cover, entries, the)

