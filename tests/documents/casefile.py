"""A demo-like case taken through the services from registration to a signed agreement, with
scanned attachments: what the document tests print. Dates are fixed (in the past) so the
documents say the same every run."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents import fonts
from mediation_desk.models import (
    AgreementKind,
    AttachmentKind,
    Gender,
    IdDocumentType,
    PartyKind,
    PartyRole,
    Role,
    SourceChannel,
)
from mediation_desk.services import agreements, attachments, cases, center, records, validation, workflow
from mediation_desk.services.actor import Actor

from ..services.helpers import dispute_type_id, make_team, make_user

CENTER = "张掖市甘州区矛盾纠纷调处中心"
#: The day the case below is printed on: after every date of its story, so the services accept
#: them (nothing may be held or signed in the future) whatever day the suite runs on.
STORY_DAY = "2026-03-20T10:00"
#: ``pytestmark = casefile.ON_STORY_DAY`` in a module that builds this case.
ON_STORY_DAY = pytest.mark.story_day(STORY_DAY)
RECEIVED = datetime(2026, 3, 2, 9, 30)
HELD = datetime(2026, 3, 5, 14, 0)
INVESTIGATED = datetime(2026, 3, 4, 10, 15)
SIGNED = date(2026, 3, 9)

APPLICANT = "欧阳䶮"
APPLICANT_2 = "吉𠮷"
RESPONDENT = "甘州区J&C<物业>服务有限公司"
THIRD_PARTY = "王堃"
RARE_NAMES = ("吉𠮷", "欧阳䶮", "王堃", "李喆")


def resident_id(birth: date, order: int, region: str = "620702") -> str:
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + validation.resident_id_check_char(body)


def credit_code(body: str = "91620702MA71234567") -> str:
    first17 = body[:17]
    return first17 + validation.credit_code_check_char(first17)


APPLICANT_ID = resident_id(date(1968, 5, 17), 31)  # odd order: male
APPLICANT_2_ID = resident_id(date(1990, 11, 3), 42)  # even: female
THIRD_ID = resident_id(date(1975, 1, 9), 13)


@dataclass(frozen=True)
class Built:
    db: Database
    case_id: int
    number: str
    mediator: Actor
    head: Actor
    clerk: Actor
    agreement_id: int
    investigation_id: int
    mediation_id: int
    party_ids: tuple[int, ...]
    attachment_ids: tuple[int, ...]


def scan_pdf(label: str, pages: int = 1, *, size: tuple[float, float] = A4, dpi: int = 100) -> bytes:
    """A scanned-looking PDF: each page one grey JPEG with a box and some lines."""
    buffer = io.BytesIO()
    # A scanner's PDF has no fonts; reportlab's default Helvetica would put one in.
    canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=fonts.register_fonts())
    width_px, height_px = int(size[0] / 72 * dpi), int(size[1] / 72 * dpi)
    for page in range(pages):
        image = Image.new("L", (width_px, height_px), 235)
        draw = ImageDraw.Draw(image)
        draw.rectangle((width_px // 10, height_px // 10, width_px * 9 // 10, height_px * 9 // 10), outline=40, width=3)
        for row in range(8):
            y = height_px // 5 + row * height_px // 14
            draw.line((width_px // 6, y, width_px * 5 // 6 - row * 7, y), fill=60, width=2)
        draw.text((width_px // 8, height_px // 8), f"{label} p{page + 1}", fill=0)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=70)
        canvas.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, size[0], size[1])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def register(db: Database, clerk: Actor, *, names: tuple[str, str, str, str] | None = None,
             facts: str | None = None) -> int:
    applicant, applicant_2, respondent, third = names or (APPLICANT, APPLICANT_2, RESPONDENT, THIRD_PARTY)
    with db.write() as session:
        center.put(session, settings.CENTER_NAME, CENTER)
        center.put(session, settings.BASIC_COURT, "张掖市甘州区人民法院")
        return cases.register_case(session, clerk, cases.CaseInput(
            title="小区车库渗水维修及赔偿纠纷",
            dispute_type_id=dispute_type_id(db, "物业"),
            source_channel=SourceChannel.PHONE,
            received_at=RECEIVED,
            parties=[
                cases.PartyInput(role=PartyRole.APPLICANT, name=applicant, ethnicity="汉", id_number=APPLICANT_ID,
                                 occupation="个体工商户", address="甘州区南街街道馨园小区3号楼2单元501室",
                                 phone="13893612345"),
                cases.PartyInput(role=PartyRole.APPLICANT, name=applicant_2, ethnicity="回族",
                                 id_number=APPLICANT_2_ID, occupation="教师", work_unit="甘州区第二中学",
                                 address="甘州区南街街道馨园小区3号楼2单元502室", phone="13993654321",
                                 agent_name="张律", agent_phone="13809361234", agent_authority="一般授权"),
                cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent, kind=PartyKind.LEGAL_PERSON,
                                 legal_representative="赵明远", credit_code=credit_code(),
                                 address="甘州区青年东街 16 号", phone="0936-8219999"),
                cases.PartyInput(role=PartyRole.THIRD_PARTY, name=third, gender=Gender.MALE, ethnicity="汉",
                                 id_type=IdDocumentType.RESIDENT_ID, id_number=THIRD_ID, occupation="退休职工",
                                 address="甘州区南街街道馨园小区3号楼2单元401室", phone="13709367788"),
            ],
            facts=("申请人欧阳䶮、吉𠮷系馨园小区3号楼业主。2025年7月起，车库顶板多处渗水，致申请人存放的家具、"
                   "电动车受损。申请人多次要求被申请人维修未果，双方发生争执。\n"
                   "第三人王堃系楼上住户，其卫生间改造可能与渗水有关。"),
            requests=["请求被申请人维修车库顶板防水层，消除渗水", "请求被申请人赔偿财产损失人民币 8,600 元",
                      "请求查明渗水原因，明确各方责任"],
        ))


def build(db: Database, *, sign: bool = True, with_attachments: bool = True,
          names: tuple[str, str, str, str] | None = None, kind: AgreementKind = AgreementKind.WRITTEN) -> Built:
    """The case of the document tests: registered, accepted, assigned, investigated, mediated,
    an agreement of two terms (signed unless ``sign`` is False), scans of IDs, an application,
    evidence and a performance receipt."""
    team_id, mediator_id = make_team(db, mediator_name="李建国")
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    case_id = register(db, clerk, names=names)
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id, lead_mediator_id=mediator_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
        detail = cases.case_detail(session, mediator, case_id)
        party_ids = tuple(p.id for p in detail.parties)
        investigation = records.add_investigation(session, mediator, case_id, records.InvestigationInput(
            held_at=INVESTIGATED, place="馨园小区3号楼车库", investigators="李建国、马兰", recorder="王晓燕",
            interviewee="王堃", interviewee_relation="第三人（楼上住户）",
            content="问：你家卫生间什么时候改造的？\n答：2025年6月，找的个体装修队。\n"
                    "问：改造时是否做了闭水试验？\n答：没有做。\n"
                    "经现场查看，车库顶板渗水点位于王堃家卫生间正下方，另有两处位于公共管井附近。"))
        mediation = records.add_mediation_record(session, mediator, case_id, records.MediationRecordInput(
            held_at=HELD, place="中心第一调解室", subject="车库渗水维修及赔偿", mediators="李建国、马兰",
            recorder="王晓燕", participants="社区网格员 刘强",
            parties_present="欧阳䶮、吉𠮷、赵明远（被申请人法定代表人）、王堃",
            notice_given=True,
            statements="申请人称：车库渗水已半年，物业公司一直推诿，要求维修并赔偿损失8,600元。\n"
                       "被申请人称：渗水部分源于业主自行改造卫生间，公司只对公共管井部分负责。\n"
                       "第三人称：愿意承担自家卫生间部分的维修费用。",
            verification="调解员出示现场查看记录：渗水点三处，一处在第三人卫生间下方，两处在公共管井附近。",
            outcome="各方同意分别承担相应维修责任，被申请人赔偿申请人损失人民币6,000元。",
            agreement_reached=True))
        records.sign_record(session, mediator, "investigation", investigation.id)
        records.sign_record(session, mediator, "mediation", mediation.id)
        drafted = agreements.draft(session, mediator, case_id, kind)
        applicant, applicant_2, respondent, third = party_ids
        saved = agreements.save(session, mediator, drafted.id, agreements.AgreementInput(
            kind=kind,
            facts="申请人所有的车库自2025年7月起顶板渗水，致财产受损。经现场查看，渗水点三处。",
            disputed_matters="渗水原因及维修责任；财产损失的赔偿数额。",
            responsibilities="被申请人对公共管井部位的防水负有维修责任；第三人对其卫生间改造引起的渗水负有责任。",
            copies=5,
            terms=[
                agreements.TermInput(respondent, "对公共管井部位的车库顶板防水层进行维修，消除渗水", date(2026, 4, 10),
                                     place="馨园小区3号楼车库", method="由被申请人委托有资质的施工单位施工"),
                agreements.TermInput(respondent, "赔偿申请人财产损失", date(2026, 3, 31), Decimal("6000"),
                                     obligee_party_id=applicant, place="调解中心", method="银行转账"),
                agreements.TermInput(third, "对其卫生间重新做防水并进行闭水试验", date(2026, 4, 10),
                                     place="馨园小区3号楼2单元401室", method="自行委托施工"),
            ],
        ), expected_version=drafted.version)
        if sign:
            agreements.sign(session, mediator, saved.id, signed_on=SIGNED)
        ids: list[int] = []
        if with_attachments:
            for attachment_kind, name, party, pages in (
                (AttachmentKind.APPLICATION, "申请书.pdf", applicant, 1),
                (AttachmentKind.IDENTITY, "身份证-欧阳䶮.pdf", applicant, 1),
                (AttachmentKind.IDENTITY, "身份证-吉𠮷.pdf", applicant_2, 1),
                (AttachmentKind.IDENTITY, "营业执照.pdf", respondent, 1),
                (AttachmentKind.IDENTITY, "身份证-王堃.pdf", third, 1),
                (AttachmentKind.AUTHORISATION, "授权委托书.pdf", applicant_2, 1),
                (AttachmentKind.EVIDENCE, "渗水照片.pdf", None, 2),
                (AttachmentKind.PERFORMANCE_PROOF, "转账凭证.pdf", applicant, 1),
            ):
                info = attachments.add_document(session, mediator, case_id, kind=attachment_kind, filename=name,
                                                content=scan_pdf(name, pages), party_id=party,
                                                note="现场照片" if attachment_kind is AttachmentKind.EVIDENCE else "")
                ids.append(info.id)
    return Built(db, case_id, detail.number, mediator, head, clerk, saved.id, investigation.id, mediation.id,
                 party_ids, tuple(ids))
