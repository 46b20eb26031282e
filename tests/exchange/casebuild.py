"""A case whose mediation failed, with everything a transfer packet carries: four parties (a
company, an agent, rare characters), an investigation and a mediation record (both signed: their
PDFs are kept), scans and a photo, the termination and signed undisputed facts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from PIL import Image

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, Role
from mediation_desk.services import attachments, cases, records, termination, workflow
from mediation_desk.services.actor import Actor

from ..documents.casefile import HELD, INVESTIGATED, register, scan_pdf
from ..services.helpers import make_team, make_user

TERMINATED = date(2026, 3, 6)
FACTS = ("申请人车库顶板自2025年7月起渗水。\n渗水点共三处，一处位于第三人卫生间正下方。\n"
         "被申请人为该小区的物业服务企业。")
DISPUTED = "渗水原因及维修责任；损失数额。"
REASON = "被申请人不同意承担赔偿责任，双方分歧较大，申请人要求通过诉讼解决。"
#: The claims a court packet carries (a court's are never the mediation requests taken as they are).
CLAIMS = ["判令被申请人维修车库顶板防水层，消除渗水", "判令被申请人赔偿财产损失人民币8600元"]


@dataclass(frozen=True)
class Failed:
    db: Database
    case_id: int
    number: str
    mediator: Actor
    head: Actor
    clerk: Actor


def photo_jpeg(seed: int = 1, size: tuple[int, int] = (320, 240)) -> bytes:
    image = Image.new("RGB", size, (seed * 40 % 255, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def in_mediation(db: Database) -> Failed:
    team_id, mediator_id = make_team(db, mediator_name="李建国")
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    case_id = register(db, clerk)
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id, lead_mediator_id=mediator_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
        number = cases.case_detail(session, mediator, case_id).number
    return Failed(db, case_id, number, mediator, head, clerk)


def failed_case(db: Database, *, files: bool = True) -> Failed:
    built = in_mediation(db)
    case_id, mediator = built.case_id, built.mediator
    with db.write() as session:
        parties = [p.id for p in cases.case_detail(session, mediator, case_id).parties]
        inv = records.add_investigation(session, mediator, case_id, records.InvestigationInput(
            held_at=INVESTIGATED, place="馨园小区3号楼车库", investigators="李建国、马兰", recorder="王晓燕",
            interviewee="王堃", interviewee_relation="第三人（楼上住户）",
            content="问：你家卫生间什么时候改造的？\n答：2025年6月。"))
        rec = records.add_mediation_record(session, mediator, case_id, records.MediationRecordInput(
            held_at=HELD, place="中心第一调解室", subject="车库渗水维修及赔偿", mediators="李建国、马兰",
            recorder="王晓燕", participants="社区网格员 刘强", parties_present="欧阳䶮、吉𠮷、赵明远、王堃",
            notice_given=True, statements="申请人要求赔偿8,600元；被申请人不同意。",
            verification="渗水点三处。", outcome="双方分歧较大，未达成协议。", agreement_reached=False))
        records.sign_record(session, mediator, "investigation", inv.id)
        records.sign_record(session, mediator, "mediation", rec.id)
        if files:
            attachments.add_document(session, mediator, case_id, kind=AttachmentKind.APPLICATION,
                                     filename="申请书.pdf", content=scan_pdf("申请书"), party_id=parties[0])
            attachments.add_document(session, mediator, case_id, kind=AttachmentKind.EVIDENCE,
                                     filename="渗水照片 1.jpg", content=photo_jpeg(1), note="现场照片")
            attachments.add_document(session, mediator, case_id, kind=AttachmentKind.IDENTITY,
                                     filename="营业执照.pdf", content=scan_pdf("营业执照"), party_id=parties[2])
        termination.terminate(session, mediator, case_id, reason=REASON, terminated_on=TERMINATED)
        facts = termination.save_undisputed_facts(session, mediator, case_id, facts=FACTS, disputed=DISPUTED)
        termination.sign_undisputed_facts(session, mediator, case_id, signed_on=TERMINATED,
                                          expected_version=facts.version)
    return built

