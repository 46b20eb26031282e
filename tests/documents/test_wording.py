"""Wording a clerk or a filing officer would send back (issue 18 item 6), read from the printed PDFs:
the mediation record names the agreement's own form, an oral agreement is never called a written
one, obligations read as Chinese, "一式三份" and 各方当事人, facts numbered once, summaries cut at a
sentence end, a company's representative's position, landlines keep their area code, and the
publicity list and the statistical report state how each counts a month."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk.documents import application as application_doc
from mediation_desk.documents import publicity as publicity_doc
from mediation_desk.documents import transfer
from mediation_desk.documents.agreement import term_text
from mediation_desk.documents.forms import cn_count
from mediation_desk.models import Agreement, AgreementKind, PartyKind, TransferTarget
from mediation_desk.readmodels import publicity
from mediation_desk.readmodels.agreements import TermView
from mediation_desk.services import agreements, cases, dossier, records

from .conftest import Demo, compact, pdf_text, seeded_demo

TODAY = datetime(2026, 11, 30, 17, 0)


@pytest.fixture(scope="module")
def center(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    center = seeded_demo(sqlite_template, tmp_path_factory.mktemp("wording"), TODAY)
    yield center
    center.db.dispose()


def _signed_cases(center: Demo, kind: AgreementKind) -> list[int]:
    with center.db.read() as session:
        return list(session.scalars(select(Agreement.case_id).where(
            Agreement.kind == kind, Agreement.signed_on.is_not(None)).order_by(Agreement.case_id)))


def test_an_oral_case_is_never_called_a_written_agreement(center: Demo) -> None:
    oral = _signed_cases(center, AgreementKind.ORAL)
    assert oral
    with center.db.read() as session:
        for case_id in oral[:4]:
            record = compact(pdf_text(dossier.render_document(session, center.head, case_id, "mediation-record")))
            assert "（或《人民调解口头协议登记表》）" not in record
            assert "人民调解协议书" not in record
            assert "协议内容以《人民调解口头协议登记表》的登记为准" in record
            # Printed within the thirty days (past them it needs a recorded late application).
            [signed] = [a for a in agreements.agreements_of(session, case_id) if a.signed]
            within = signed.effective_on or signed.signed_on
            application = compact(pdf_text(dossier.render_document(session, center.head, case_id,
                                                                   "confirmation-application", today=within)))
            assert "达成了口头协议登记表" not in application and "达成了口头调解协议" in application
            summary = compact(pdf_text(dossier.build_dossier(session, center.head, case_id)))
            assert "达成口头协议登记表" not in summary and "达成口头调解协议" in summary
        written = _signed_cases(center, AgreementKind.WRITTEN)[0]
        record = compact(pdf_text(dossier.render_document(session, center.head, written, "mediation-record")))
        assert "协议内容以《人民调解协议书》为准" in record and "口头协议登记表" not in record


def test_agreements_count_their_copies_in_chinese_and_address_every_party(center: Demo) -> None:
    with center.db.read() as session:
        seen: set[int] = set()
        for case_id in _signed_cases(center, AgreementKind.WRITTEN):
            parties = len(cases.case_detail(session, center.head, case_id).parties)
            if parties in seen:
                continue
            seen.add(parties)
            text = compact(pdf_text(dossier.render_document(session, center.head, case_id, "agreement")))
            [agreement] = [a for a in agreements.agreements_of(session, case_id) if a.signed]
            assert f"本协议一式{cn_count(agreement.copies)}份" in text
            assert agreement.copies >= parties + 1
            assert not any(f"一式{n}份" in text for n in range(10))
            if parties > 2:
                assert "双方当事人" not in text and "各方当事人各执一份" in text and "（三）各方责任" in text
            else:
                assert "双方当事人各执一份" in text
            assert "（未约定）" not in text
            notice = compact(pdf_text(dossier.render_document(session, center.head, case_id, "notice")))
            assert ("双方当事人" in notice) == (parties == 2) and ("各方当事人认为有必要的" in notice) == (parties > 2)
        assert {2, 3} <= seen


def test_obligations_read_as_chinese() -> None:
    def term(content: str, obligee: str = "张三") -> str:
        view = TermView(seq=1, obligor_party_id=2, obligor="李四", obligee_party_id=1, obligee=obligee,
                        content=content, amount=None, amount_text="", due_on=date(2026, 4, 1), place="", method="")
        return term_text(view)

    assert term("支付赔偿款") == "李四向张三支付赔偿款。"
    assert term("清除堆放在通道上的杂物，恢复通行") == "李四清除堆放在通道上的杂物，恢复通行（权利人：张三）。"
    assert term("向申请人赔礼道歉") == "李四向申请人赔礼道歉。"
    assert term("清除杂物", obligee="") == "李四清除杂物。"
    assert [cn_count(n) for n in (1, 3, 10, 12, 20, 23)] == ["一", "三", "十", "十二", "二十", "二十三"]


def test_a_companys_representative_has_a_position_and_landlines_keep_their_area_code(center: Demo) -> None:
    with center.db.read() as session:
        for case_id in range(1, 161):
            detail = cases.case_detail(session, center.head, case_id)
            company = next((p for p in detail.parties if p.kind is not PartyKind.PERSON), None)
            if company is not None:
                break
        assert company is not None
        text = compact(pdf_text(dossier.render_document(session, center.head, case_id, "registration")))
        assert f"法定代表人（负责人）：{company.legal_representative}，职务：{company.occupation}。" in text
        application = compact(pdf_text(dossier.render_document(session, center.head, case_id, "application")))
        assert f"职务{company.occupation}联系方式" in application
        receipt = compact(pdf_text(dossier.render_document(session, center.head, case_id, "receipt")))
        area, local = company.phone.split("-")
        assert f"{area}-{'*' * (len(local) - 4)}{local[-4:]}" in receipt
        # Not registered: 不详, not an empty box.
        blank = replace(detail, parties=tuple(replace(p, occupation="") for p in detail.parties))
        text = compact(pdf_text(application_doc.render_application(blank, dossier.issuer(session))))
        assert "职务不详联系方式" in text


def test_undisputed_facts_are_numbered_once(center: Demo) -> None:
    with center.db.read() as session:
        detail = cases.case_detail(session, center.head, 5)
        the = dossier.issuer(session)
    typed = "1. 双方系邻居关系。\n2、2026年3月1日发生争执。\n（3）1.5万元已支付。"
    facts = transfer.UndisputedFactsData(1, typed, "赔偿数额", False, None)
    text = compact(pdf_text(transfer.render_undisputed_facts(detail, the, facts)))
    assert "1.双方系邻居关系。2.2026年3月1日发生争执。3.1.5万元已支付。" in text
    assert "1.1." not in text and "2.2、" not in text


def test_a_record_summary_ends_at_a_sentence_end(center: Demo) -> None:
    outcome = ("双方未能达成调解协议。原因：双方对赔偿数额分歧较大，未能达成协议。"
               "已告知双方当事人可以依法向人民法院提起诉讼，或者向有关部门申请处理。")
    assert records.sentences_upto(outcome) == "双方未能达成调解协议。原因：双方对赔偿数额分歧较大，未能达成协议。"
    assert records.sentences_upto("没有句号的一句话" * 20) == "没有句号的一句话" * 20
    with center.db.read() as session:
        detail = cases.case_detail(session, center.head, 5)
        found = records.records_of(session, 5) or []
        the = dossier.issuer(session)
    items = tuple(transfer.RecordItem("调解记录", r.held_at, r.place, r.summary, r.signed) for r in found)
    assert items and all(r.summary.endswith(("。", "；", "！", "？")) for r in found)
    data = transfer.TransferData(TransferTarget.COURT, "张掖市甘州区人民法院", ("判令被申请人支付…",), "分歧较大",
                                 None, date(2026, 11, 30), records=items)
    text = compact(pdf_text(transfer.render_case_summary(detail, the, data)))
    assert "可以依法向人" not in text.replace("可以依法向人民法院", "")


def test_the_publicity_list_and_the_report_state_how_they_count() -> None:
    month = publicity.Month(2026, 10)
    listing = publicity.PrintableList("张掖市甘州区矛盾纠纷调处中心", month, (), None, date(2026, 11, 2))
    text = compact(pdf_text(publicity_doc.render_publicity(listing)))
    assert compact(publicity.COUNT_DEFINITIONS) in text
    assert "“本月受理”按受理日期计" in text and "“收案数”按登记日期计" in text
