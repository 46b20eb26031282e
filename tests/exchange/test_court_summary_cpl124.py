"""The court summary (案件情况摘要) carries what CPL art. 124 asks of a complaint: every natural
person's work unit ("无"/"不详" when none is on file), the witnesses with their addresses and what
they can prove, and each piece of evidence with its source and purpose. Read back from the PDF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.exchange import letters
from mediation_desk.models import Attachment, AttachmentKind, Witness
from mediation_desk.services import cases, evidence
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from .casebuild import CLAIMS, failed_case

pytestmark = ON_STORY_DAY

COURT = "张掖市甘州区人民法院"


def test_the_court_summary_lists_witnesses_evidence_and_every_work_unit(db: Database) -> None:
    built = failed_case(db)
    with db.write() as session:
        detail = cases.case_detail(session, built.mediator, built.case_id)
        applicant = detail.parties[0]
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="刘强", address="张掖市甘州区南街街道馨园小区网格站", phone="13993612345",
            proves="2025年8月曾到车库查看渗水情况，渗水点位于第三人卫生间正下方", party_id=applicant.id))
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="吉𠮷", address="馨园小区3号楼2单元501室", proves="车库渗水始于2025年7月。"))
        photo = session.scalars(select(Attachment).where(Attachment.case_id == built.case_id,
                                                         Attachment.kind == AttachmentKind.EVIDENCE)).one()
        evidence.describe_evidence(session, built.mediator, photo.id, source="申请人欧阳䶮于2025年8月2日拍摄",
                                   purpose="证明车库顶板渗水的位置和范围")
        printed = letters.print_transfer_letter(session, built.mediator, built.case_id, target="court",
                                                target_name=COURT, claims=CLAIMS)
    text = compact(pdf_text(printed.summary))
    # Witnesses: name, who named them, address, phone, what they can prove — in the order named.
    assert ("1.刘强（欧阳䶮提出），住张掖市甘州区南街街道馨园小区网格站，联系电话：13993612345。"
            "拟证明：2025年8月曾到车库查看渗水情况，渗水点位于第三人卫生间正下方。") in text
    assert "2.吉𠮷，住馨园小区3号楼2单元501室。拟证明：车库渗水始于2025年7月。" in text
    # Evidence: source and purpose, described or derived from who handed it in.
    assert "证据名称证据来源证明目的" in text
    assert "申请人欧阳䶮于2025年8月2日拍摄" in text and "证明车库顶板渗水的位置和范围" in text
    assert "欧阳䶮提交" in text  # the application scan, handed in by the applicant
    assert "证明当事人的身份及诉讼主体资格" in text  # the identity scan
    # Every natural person's work unit: the teacher's school, "无" for the retired, "不详" otherwise.
    assert "工作单位：甘州区第二中学" in text
    for party in detail.parties:
        if party.kind.value == "person" and not party.work_unit:
            expected = "无" if "退休" in party.occupation or "个体" in party.occupation else "不详"
            start = text.index(party.name)
            assert f"工作单位：{expected}" in text[start:start + 200], party.name


def test_a_witness_needs_a_name_an_address_and_what_they_prove(db: Database) -> None:
    built = failed_case(db, files=False)
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="刘强", address="网格站", proves="  "))
    assert refused.value.field == "proves" and refused.value.message == "请填写证人能证明的事实。"
    with pytest.raises(InvalidInput, match="请填写证人住址"), db.write() as session:
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(name="刘强", proves="x"))
    with pytest.raises(PermissionDenied), db.write() as session:
        evidence.add_witness(session, built.clerk, built.case_id, evidence.WitnessInput(
            name="刘强", address="网格站", proves="x"))
    with db.read() as session:
        assert session.scalars(select(Witness)).all() == []
    with db.write() as session:
        added = evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="刘强", address="网格站", proves="看见了"))
        assert [w.name for w in evidence.witnesses_of(session, built.case_id)] == ["刘强"]
        evidence.remove_witness(session, built.mediator, added.id)
        assert evidence.witnesses_of(session, built.case_id) == []
