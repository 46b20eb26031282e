"""Termination, undisputed facts and transfer tracking through the services; the three papers."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.documents.transfer import (
    TransferData,
    UndisputedFactsData,
    render_case_summary,
    render_transfer_letter,
    render_undisputed_facts,
)
from mediation_desk.exchange.export import export_packet
from mediation_desk.models import CaseEvent, CaseState, DisputeCase, TransferStatus, TransferTarget, now
from mediation_desk.services import cases, termination, transfers
from mediation_desk.services.dossier import issuer
from mediation_desk.services.errors import InvalidInput, TransitionNotAllowed

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..documents.pdfcheck import assert_fonts_embedded
from .casebuild import CLAIMS, REASON, failed_case, in_mediation

pytestmark = ON_STORY_DAY


def _state(db: Database, case_id: int) -> CaseState:
    with db.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None
        return case.state


def test_termination_fails_the_case_with_its_reason(db: Database) -> None:
    built = in_mediation(db)
    with db.write() as session, pytest.raises(InvalidInput, match="调解终结的原因"):
        termination.terminate(session, built.mediator, built.case_id, reason="  ")
    with db.write() as session:
        termination.terminate(session, built.mediator, built.case_id, reason=REASON)
    assert _state(db, built.case_id) is CaseState.FAILED
    with db.read() as session:
        assert termination.failure_reason(session, built.case_id) == REASON
        notes = [e.note for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == built.case_id,
                                                                         CaseEvent.action == "fail"))]
        assert notes == [REASON]
    with db.write() as session, pytest.raises(InvalidInput, match="不能重复记录"):
        termination.terminate(session, built.mediator, built.case_id, reason="再次")


def test_termination_only_from_mediation_or_failed(sqlite_db: Database) -> None:
    built = in_mediation(sqlite_db)
    with sqlite_db.write() as session:
        from mediation_desk.services import workflow

        workflow.transition(session, built.mediator, built.case_id, workflow.Action.SUCCEED)
    with sqlite_db.write() as session, pytest.raises(TransitionNotAllowed, match="调解成功"):
        termination.terminate(session, built.mediator, built.case_id, reason=REASON)


def test_undisputed_facts_draft_then_signed_then_frozen(sqlite_db: Database) -> None:
    built = in_mediation(sqlite_db)
    with sqlite_db.write() as session:
        with pytest.raises(InvalidInput, match="尚未起草"):
            termination.sign_undisputed_facts(session, built.mediator, built.case_id)
        draft = termination.save_undisputed_facts(session, built.mediator, built.case_id, facts="甲", disputed="乙")
        edited = termination.save_undisputed_facts(session, built.mediator, built.case_id, facts="甲丙",
                                                   expected_version=draft.version)
        with pytest.raises(InvalidInput, match="晚于今天"):
            termination.sign_undisputed_facts(session, built.mediator, built.case_id,
                                              signed_on=now().date() + timedelta(days=1))
        signed = termination.sign_undisputed_facts(session, built.mediator, built.case_id)
        assert signed.signed and signed.facts == "甲丙" and edited.disputed == ""
        with pytest.raises(InvalidInput, match="不能再修改"):
            termination.save_undisputed_facts(session, built.mediator, built.case_id, facts="改")


@pytest.mark.parametrize("number", ["（2026）甘0102民初1234号", "(2025)甘0702民初88号", "（2024）最高法民终12号",
                                    "（2015）甘民初字第0012号", "（2026） 甘0102执 5号",
                                    "（２０２６）甘０１０２民初１２３４号"])
def test_court_case_numbers_accepted(number: str) -> None:
    assert transfers.check_court_case_number(number, today=date(2026, 6, 1)).startswith("（")


@pytest.mark.parametrize(("number", "message"), [
    ("", "请填写"), ("1234", "格式不正确"), ("（2026）民初号", "格式不正确"), ("甘0102民初1234号", "格式不正确"),
    ("（1890）甘0102民初1号", "年份 1890"), ("（2030）甘0102民初1号", "年份 2030"),
    ("（2026）甘0102民初0号", "序号不能为 0"),
    # Other digits are not read as digits (NFKC would have made ² a 2): refused, never changed.
    ("（2026）甘0102民初12²号", "格式不正确"), ("（٢٠٢٦）甘0102民初12号", "格式不正确"),
])
def test_court_case_numbers_refused(number: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as error:
        transfers.check_court_case_number(number, today=date(2026, 6, 1))
    assert error.value.field == "filed_number"


def test_transfer_is_tracked_from_packet_to_outcome(db: Database, tmp_path: Path) -> None:
    built = failed_case(db, files=False)
    result = export_packet(db, built.mediator, built.case_id, target=TransferTarget.COURT,
                           target_name="张掖市甘州区人民法院", out=tmp_path / "p.zip", claims=CLAIMS)
    assert result.transfer is not None
    transfer_id = result.transfer.id
    today = now().date()
    with db.write() as session:
        with pytest.raises(InvalidInput, match="只有“已移送”"):
            transfers.mark_received(session, built.mediator, transfer_id, received_on=today)
        sent = transfers.confirm_sent(session, built.mediator, transfer_id)
        assert sent.status is TransferStatus.SENT
    assert _state(db, built.case_id) is CaseState.TRANSFERRED
    with db.write() as session:
        with pytest.raises(InvalidInput, match="格式不正确"):
            transfers.mark_filed(session, built.mediator, transfer_id, filed_number="随便写", filed_on=today)
        with pytest.raises(InvalidInput, match="不能早于"):
            transfers.mark_received(session, built.mediator, transfer_id, received_on=today - timedelta(days=30))
        transfers.mark_received(session, built.mediator, transfer_id, received_on=today)
        filed = transfers.mark_filed(session, built.mediator, transfer_id, filed_number="(2026)甘0702民初1234号",
                                     filed_on=today)
        assert filed.filed_number == "（2026）甘0702民初1234号"
        with pytest.raises(InvalidInput, match="办理结果"):
            transfers.record_outcome(session, built.mediator, transfer_id, outcome=" ", outcome_on=today)
        done = transfers.record_outcome(session, built.mediator, transfer_id, outcome="调解结案", outcome_on=today)
        assert done.status is TransferStatus.CONCLUDED
    with db.read() as session:
        listed = transfers.transfers_of(session, built.case_id)
        assert [t.status for t in listed] == [TransferStatus.CONCLUDED]
        assert listed[0].sent_by == "mediator"


def test_packet_refused_for_a_case_still_in_mediation(sqlite_db: Database, tmp_path: Path) -> None:
    built = in_mediation(sqlite_db)
    with pytest.raises(TransitionNotAllowed, match="调解中"):
        export_packet(sqlite_db, built.mediator, built.case_id, target="court", target_name="法院",
                      out=tmp_path / "p.zip", claims=CLAIMS)
    assert not list(tmp_path.glob("*p.zip*"))


def test_the_three_papers_read_back(sqlite_db: Database, tmp_path: Path) -> None:
    built = failed_case(sqlite_db, files=False)
    with sqlite_db.read() as session:
        detail = cases.case_detail(session, built.mediator, built.case_id)
        who = issuer(session)
    facts = UndisputedFactsData(1, "申请人车库顶板渗水。\n渗水点共三处。", "损失数额。", True, date(2026, 3, 6))
    data = TransferData(TransferTarget.COURT, "张掖市甘州区人民法院", ("请求被申请人赔偿损失", "请求维修"), REASON,
                        date(2026, 3, 6), now().date(), mediators="李建国", undisputed=facts)
    letter = render_transfer_letter(detail, who, data)
    text = compact(pdf_text(letter))
    for phrase in ("绿色通道", "优先立案", "张掖市甘州区人民法院：", REASON, "请求被申请人赔偿损失"):
        assert compact(phrase) in text, phrase
    department = render_transfer_letter(detail, who, TransferData(
        TransferTarget.DEPARTMENT, "甘州区住建局", (), REASON, None, now().date()))
    assert "依职权处理" in compact(pdf_text(department))
    summary = compact(pdf_text(render_case_summary(detail, who, data)))
    for phrase in ("欧阳䶮", "赵明远", "91620702MA7123456R", "诉讼请求（草拟）", "调解不成的原因"):
        assert compact(phrase) in summary, phrase
    statement = render_undisputed_facts(detail, who, facts, mediators="李建国")
    text = compact(pdf_text(statement))
    for phrase in ("渗水点共三处", "尚存争议的事项", "（按指印）", "2026年3月6日"):
        assert compact(phrase) in text, phrase
    for pdf in (letter, statement):
        assert_fonts_embedded(pdf)


@pytest.mark.parametrize("stored_before_crc", [False, True])
def test_a_damaged_file_in_the_database_is_not_exported(db: Database, tmp_path: Path, stored_before_crc: bool) -> None:
    """A blob whose bytes changed after they were stored is refused, by the CRC-32 kept with it
    or, for one stored before schema 0011, by its SHA-256; no packet and no transfer are left."""
    import zlib

    from mediation_desk.models import Attachment, FileBlob
    from mediation_desk.services.attachments import ContentDamaged

    built = failed_case(db)
    with db.write() as session:
        digest = session.scalars(select(Attachment.sha256).where(Attachment.case_id == built.case_id)
                                 .order_by(Attachment.id)).first()
        blob = session.get_one(FileBlob, digest)
        assert blob.crc32 == zlib.crc32(blob.content)  # kept when stored
        damaged = bytearray(blob.content)
        damaged[len(damaged) // 2] ^= 0x01  # one bit, same size
        blob.content = bytes(damaged)
        if stored_before_crc:
            blob.crc32 = None
    out = tmp_path / "packet.zip"
    with pytest.raises(ContentDamaged, match="已损坏"):
        export_packet(db, built.mediator, built.case_id, target="court", target_name="张掖市甘州区人民法院", out=out,
                      claims=CLAIMS)
    assert not out.exists() and not list(tmp_path.glob(".*"))  # no temporary file left
    with db.read() as session:
        assert transfers.transfers_of(session, built.case_id) == []
