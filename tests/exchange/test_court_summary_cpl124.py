"""The court summary (案件情况摘要) carries what CPL art. 124 asks of a complaint: every natural
person's work unit ("无"/"不详" when none is on file), the witnesses with their addresses and what
they can prove, and each piece of evidence with its source and purpose. Read back from the PDF."""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.exchange import letters
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.exchange.export import export_packet
from mediation_desk.exchange.importer import import_packet, verify_packet
from mediation_desk.models import Attachment, AttachmentKind, Party, Witness
from mediation_desk.services import cases, evidence
from mediation_desk.services.actor import Actor
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


def test_the_packet_records_witnesses_evidence_and_work_units_as_the_summary_prints_them(
        sqlite_db: Database, sqlite_template: Path, tmp_path: Path) -> None:
    """The transfer packet's manifest carries what the court summary prints (CPL art. 124): each
    witness's line, each file's source and purpose, "无"/"不详" for a blank work unit. The receiving
    desk gets the witnesses and descriptions back (and blank work units, which print the same);
    a packet from before these fields still imports."""
    built = failed_case(sqlite_db)
    with sqlite_db.write() as session:
        detail = cases.case_detail(session, built.mediator, built.case_id)
        applicant = detail.parties[0]
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="刘强", address="馨园小区网格站", phone="13993612345", proves="2025年8月曾到车库查看渗水情况。",
            party_id=applicant.id))
        evidence.add_witness(session, built.mediator, built.case_id, evidence.WitnessInput(
            name="吉𠮷", address="馨园小区3号楼2单元501室", proves="车库渗水始于2025年7月"))
        photo = session.scalars(select(Attachment).where(Attachment.case_id == built.case_id,
                                                         Attachment.kind == AttachmentKind.EVIDENCE)).one()
        evidence.describe_evidence(session, built.mediator, photo.id, source="申请人欧阳䶮于2025年8月2日拍摄",
                                   purpose="证明车库顶板渗水的位置和范围")
        printed = letters.print_transfer_letter(session, built.mediator, built.case_id, target="court",
                                                target_name=COURT, claims=CLAIMS)
    summary = compact(pdf_text(printed.summary))
    packet = tmp_path / "packet.zip"
    export_packet(sqlite_db, built.mediator, built.case_id, target="court", target_name=COURT, out=packet,
                  claims=CLAIMS)
    with zipfile.ZipFile(packet) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    # Witnesses: the same words as the summary's numbered lines, and the fields they are made of.
    first, second = manifest["witnesses"]
    assert first == {"name": "刘强", "party": 0, "named_by": applicant.name, "address": "馨园小区网格站",
                     "phone": "13993612345", "proves": "2025年8月曾到车库查看渗水情况。",
                     "text": f"刘强（{applicant.name}提出），住馨园小区网格站，联系电话：13993612345。"
                             "拟证明：2025年8月曾到车库查看渗水情况。"}
    assert second["party"] is None and second["proves"] == "车库渗水始于2025年7月。"
    for number, witness in enumerate(manifest["witnesses"], start=1):
        assert f"{number}.{compact(witness['text'])}" in summary
    # Evidence: source and purpose as the summary's table prints them, described or derived.
    said = {e["filename"]: (e["source"], e["purpose"]) for e in manifest["evidence"]}
    assert said[photo.filename] == ("申请人欧阳䶮于2025年8月2日拍摄", "证明车库顶板渗水的位置和范围")
    assert said["申请书.pdf"] == (f"{applicant.name}提交", "证明当事人申请调解的事项和理由")
    for source, purpose in said.values():
        assert compact(source) in summary and compact(purpose) in summary
    # Work units: never blank for a natural person; what the summary prints.
    for party in manifest["parties"]:
        if party["kind"] == "person":
            assert party["work_unit"] and f"工作单位：{party['work_unit']}" in summary
    assert "无" in {p["work_unit"] for p in manifest["parties"] if p["kind"] == "person"}  # blank on file

    # The receiving desk: witnesses and descriptions arrive, blank work units stay blank.
    shutil.copyfile(sqlite_template, tmp_path / "receiver.sqlite3")
    receiver = Database(f"sqlite:///{tmp_path / 'receiver.sqlite3'}")
    old = tmp_path / "old.zip"
    try:
        result = import_packet(receiver, Actor.system("import"), packet)
        with receiver.read() as session:
            got = evidence.witnesses_of(session, result.case_id)
            assert [(w.seq, w.name, w.address, w.phone, w.proves) for w in got] == [
                (1, "刘强", "馨园小区网格站", "13993612345", "2025年8月曾到车库查看渗水情况。"),
                (2, "吉𠮷", "馨园小区3号楼2单元501室", "", "车库渗水始于2025年7月。")]
            assert got[0].named_by == applicant.name and got[1].party_id is None
            described = {a.filename: (a.evidence_source, a.evidence_purpose) for a in session.scalars(
                select(Attachment).where(Attachment.case_id == result.case_id,
                                         Attachment.kind == AttachmentKind.EVIDENCE))}
            assert described[photo.filename] == ("申请人欧阳䶮于2025年8月2日拍摄", "证明车库顶板渗水的位置和范围")
            units = [p.work_unit for p in session.scalars(
                select(Party).where(Party.case_id == result.case_id).order_by(Party.seq))]
        with sqlite_db.read() as session:
            assert units == [p.work_unit for p in session.scalars(
                select(Party).where(Party.case_id == built.case_id).order_by(Party.seq))]

        # A packet of the same format version from before these fields: verified and imported as before.
        def older(data: dict[str, Any]) -> None:
            del data["witnesses"]
            data["schema_version"] = 1
            for party in data["parties"]:
                del party["id_issuer"], party["id_validity"], party["guardian"]
            data["packet_id"] = str(uuid.uuid4())
            for item in data["evidence"]:
                del item["source"], item["purpose"]

        with zipfile.ZipFile(packet) as zin, zipfile.ZipFile(old, "w") as zout:
            for info in zin.infolist():
                content = zin.read(info.filename)
                if info.filename == "manifest.json":
                    data = json.loads(content)
                    older(data)
                    content = json.dumps(data, ensure_ascii=False).encode()
                zout.writestr(info.filename, content, compress_type=info.compress_type)
        assert verify_packet(old).manifest["schema_version"] == 1
        earlier = import_packet(receiver, Actor.system("import"), old)
        assert earlier.created
        with receiver.read() as session:
            assert evidence.witnesses_of(session, earlier.case_id) == []
        # A witness naming a party the packet does not have is refused.
        bad = tmp_path / "bad.zip"
        with zipfile.ZipFile(packet) as zin, zipfile.ZipFile(bad, "w") as zout:
            for info in zin.infolist():
                content = zin.read(info.filename)
                if info.filename == "manifest.json":
                    data = json.loads(content)
                    data["witnesses"][0]["party"] = len(data["parties"])
                    content = json.dumps(data, ensure_ascii=False).encode()
                zout.writestr(info.filename, content, compress_type=info.compress_type)
        with pytest.raises(PacketRefused, match=r"witnesses\[0\]\.party 指向不存在的当事人"):
            verify_packet(bad)
    finally:
        receiver.dispose()
