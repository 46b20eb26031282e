"""The bound dossier (卷宗) and the completeness gate of closure."""

from __future__ import annotations

import io
import itertools
import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, Role
from mediation_desk.services import attachments, cases, dossier, records, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.dossier import DossierIncomplete, MissingItem, completeness

from ..services.helpers import make_team, make_user
from . import casefile
from .casefile import ON_STORY_DAY
from .conftest import compact, pdf_text
from .pdfcheck import assert_fonts_embedded, qr_texts, render, uncovered

pytestmark = ON_STORY_DAY

FILED_ON = date(2026, 3, 20)

#: The index's titles in the Ministry's order, as the test case files them.
EXPECTED_ORDER = [
    "人民调解申请书（欧阳䶮）", "人民调解受理登记表", "人民调解当事人权利义务告知书", "当事人身份证明（欧阳䶮）",
    "当事人身份证明（吉𠮷）", "当事人身份证明（甘州区J&C<物业>服务有限公司）", "当事人身份证明（王堃）",
    "授权委托书（吉𠮷）", "人民调解调查记录（2026年3月4日）", "证据材料：现场照片", "人民调解记录（2026年3月5日）",
    "人民调解协议书", "履行凭证（欧阳䶮）", "卷宗情况说明", "封底（卷内备考表）",
]


@pytest.fixture(scope="module")
def built(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[casefile.Built]:
    path = tmp_path_factory.mktemp("dossier") / "cases.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield casefile.build(db)
    db.dispose()


@pytest.fixture(scope="module")
def pdf(built: casefile.Built) -> bytes:
    with built.db.read() as session:
        return dossier.build_dossier(session, built.mediator, built.case_id, filed_on=FILED_ON, filed_by="王晓燕")


def _index(pdf: bytes) -> dict[str, tuple[int, int]]:
    """Each index title with its first and last page, read back from the index page."""
    reader = PdfReader(io.BytesIO(pdf))
    text = compact(reader.pages[1].extract_text())
    found = {}
    for title in EXPECTED_ORDER:
        match = re.search(re.escape(compact(title)) + r"(\d+)(?:–(\d+))?", text)
        assert match, title
        first = int(match.group(1))
        found[title] = (first, int(match.group(2) or first))
    return found


def test_cover_names_the_file(pdf: bytes, built: casefile.Built) -> None:
    cover = compact(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    for piece in (casefile.CENTER, "人民调解卷宗", "卷名：", "欧阳䶮、吉𠮷与甘州区J&C<物业>服务有限公司、王堃物业纠纷",
                  "卷号：", built.number, "人民调解员：", "李建国、马兰", "调解日期：", "2026年3月5日至2026年3月9日",
                  "立卷人：", "王晓燕", "立卷日期：", "2026年3月20日", "保管期限：", "长期", "备注："):
        assert compact(piece) in cover, piece


def test_index_lists_the_documents_in_the_ministrys_order(pdf: bytes) -> None:
    text = compact(PdfReader(io.BytesIO(pdf)).pages[1].extract_text())
    assert text.startswith("卷内目录序号文书名称页号备注")
    positions = [text.find(compact(title)) for title in EXPECTED_ORDER]
    assert positions == sorted(positions)


def test_index_page_numbers_are_the_real_pages(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    index = _index(pdf)
    # Numbered from the first document (after cover and index) to the back cover, no gaps.
    ranges = [index[title] for title in EXPECTED_ORDER]
    assert ranges[0][0] == 1
    for (_first, last), (following, _end) in itertools.pairwise(ranges):
        assert following == last + 1
    assert len(reader.pages) == 2 + ranges[-1][1]
    for title, (first, last) in index.items():
        for number in range(first, last + 1):
            page_text = reader.pages[1 + number].extract_text()
            # The file's page number is stamped on the page itself.
            assert str(number) in page_text.split(), (title, number)
        first_text = compact(reader.pages[1 + first].extract_text())
        generated = not title.startswith(("人民调解申请书", "当事人身份证明", "授权委托书", "证据材料", "履行凭证"))
        if generated:
            # A generated document starts on its page with its own title.
            heading = {"封底（卷内备考表）": "卷内备考表"}.get(title, re.sub(r"（\d{4}年.*?）$", "", title))
            assert compact(" ".join(heading)) in compact(first_text) or compact(heading) in first_text, title
        else:
            assert first_text == str(first), title  # a scan: no text but the stamped number
    assert index["人民调解协议书"][1] - index["人民调解协议书"][0] + 1 == 3
    assert index["证据材料：现场照片"][1] - index["证据材料：现场照片"][0] == 1


def test_every_page_is_a4_and_every_font_embedded(pdf: bytes) -> None:
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert_fonts_embedded(pdf)
    assert uncovered(pdf) == []


def test_page_codes_of_the_files_own_pages_scans_and_documents(pdf: bytes, built: casefile.Built) -> None:
    index = _index(pdf)
    evidence = index["证据材料：现场照片"][0]
    agreement = index["人民调解协议书"][0]
    back = index["封底（卷内备考表）"][0]
    images = render(pdf, 150)
    number = built.number
    assert qr_texts(images[0]) == [f"MD1|{number}|dossier:{built.case_id}|1"]
    assert qr_texts(images[1]) == [f"MD1|{number}|dossier:{built.case_id}|2"]
    evidence_id = built.attachment_ids[6]
    assert qr_texts(images[1 + evidence]) == [f"MD1|{number}|attachment:{evidence_id}|1"]
    assert qr_texts(images[2 + evidence]) == [f"MD1|{number}|attachment:{evidence_id}|2"]
    assert qr_texts(images[1 + agreement]) == [f"MD1|{number}|agreement:{built.agreement_id}|1"]
    assert qr_texts(images[1 + back]) == [f"MD1|{number}|dossier:{built.case_id}|{2 + back}"]
    assert all(len(qr_texts(image)) == 1 for image in images)


def test_same_case_same_dossier(pdf: bytes, built: casefile.Built) -> None:
    with built.db.read() as session:
        again = dossier.build_dossier(session, built.mediator, built.case_id, filed_on=FILED_ON, filed_by="王晓燕")
    assert again == pdf
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == f"人民调解卷宗 {built.number}"
    assert meta.creation_date_raw == "D:20260320000000+08'00'"


def test_back_cover_counts_the_pages(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    last = compact(reader.pages[-1].extract_text())
    assert f"本卷共有文件材料{len(reader.pages) - 2}页" in last
    assert "立卷人：王晓燕" in last


def _card_pdf(size: tuple[float, float]) -> bytes:
    return casefile.scan_pdf("card", 1, size=size)


def test_odd_files_are_fitted_or_stood_in_for(db: Database) -> None:
    case = casefile.build(db, with_attachments=False)
    png = io.BytesIO()
    Image.new("RGB", (800, 500), (200, 220, 240)).save(png, "PNG")
    with db.write() as session:
        for kind, name, content in (
            (AttachmentKind.IDENTITY, "身份证正面.pdf", _card_pdf((85.6 * mm, 54 * mm))),
            (AttachmentKind.EVIDENCE, "横向表格.pdf", _card_pdf(landscape(A4))),
            (AttachmentKind.EVIDENCE, "照片.png", png.getvalue()),
            (AttachmentKind.OTHER, "说明.txt", "纯文本材料".encode()),
            (AttachmentKind.SIGNED_DOCUMENT, "协议签字件.pdf", casefile.scan_pdf("signed", 2)),
        ):
            note = f"agreement:{case.agreement_id}" if kind is AttachmentKind.SIGNED_DOCUMENT else ""
            attachments.add_document(session, case.mediator, case.case_id, kind=kind, filename=name, content=content,
                                     note=note)
    with db.read() as session:
        pdf = dossier.build_dossier(session, case.mediator, case.case_id, filed_on=FILED_ON)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    index = compact(reader.pages[1].extract_text())
    # The signed scan stands in place of the generated agreement: 2 scanned pages, not 3 generated.
    assert re.search(r"人民调解协议书\d+–\d+签字件（扫描件），共2页", index), index
    assert "其他材料：说明.txt" in index and "电子文件，未装订" in index
    assert "材料无法装订" in compact(pdf_text(pdf))
    assert_fonts_embedded(pdf)


# --------------------------------------------------------------------------- the gate


def _in_mediation(db: Database) -> tuple[int, Actor, Actor]:
    team_id, mediator_id = make_team(db, mediator_name="李建国")
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    case_id = casefile.register(db, clerk)
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
    return case_id, mediator, head


def _record(reached: bool) -> records.MediationRecordInput:
    return records.MediationRecordInput(
        held_at=datetime.now() - timedelta(hours=1), place="调解室", subject="车库渗水", mediators="李建国",
        recorder="王晓燕", participants="", parties_present="欧阳䶮、吉𠮷", notice_given=True,
        statements="各方陈述……", verification="", outcome="双方分歧较大，未能达成协议。" if not reached else "达成协议",
        agreement_reached=reached)


def test_the_gate_lists_what_a_case_in_mediation_lacks(db: Database) -> None:
    case_id, mediator, _head = _in_mediation(db)
    with db.read() as session:
        missing = completeness(session, case_id)
    assert [m.item for m in missing] == [2, 3, 7]
    assert missing[1] == MissingItem(3, "当事人身份证明",
                                     f"缺少欧阳䶮、吉𠮷、{casefile.RESPONDENT}、王堃的身份证明")
    assert "没有载明已告知当事人权利义务的调解记录" in str(missing[0])
    with db.write() as session:
        attachments.add_document(session, mediator, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="身份证.pdf", content=casefile.scan_pdf("id"),
                                 party_id=cases.case_detail(session, mediator, case_id).parties[0].id)
    with db.read() as session:
        identity = [m for m in completeness(session, case_id) if m.item == 3]
    assert identity and identity[0].detail == f"缺少吉𠮷、{casefile.RESPONDENT}、王堃的身份证明"
    with db.write() as session:
        # One scan of all the ID cards, filed to nobody in particular, covers everyone.
        attachments.add_document(session, mediator, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="全部身份证.pdf", content=casefile.scan_pdf("ids"))
        records.add_mediation_record(session, mediator, case_id, _record(False))
    with db.read() as session:
        assert completeness(session, case_id) == []


def test_a_failed_case_needs_the_record_of_why(db: Database) -> None:
    case_id, mediator, _head = _in_mediation(db)
    with db.write() as session:
        attachments.add_document(session, mediator, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="身份证.pdf", content=casefile.scan_pdf("ids"))
        records.add_mediation_record(session, mediator, case_id, _record(True))
        workflow.transition(session, mediator, case_id, workflow.Action.FAIL, note="被申请人拒绝赔偿")
    with db.read() as session:
        assert completeness(session, case_id) == [
            MissingItem(8, "调解不成的调解记录", "调解不成的案件须有载明未达成协议及其原因的调解记录")]
        with pytest.raises(DossierIncomplete, match="卷宗不完整，不能结案：调解不成的调解记录") as refused:
            dossier.check_complete(session, case_id)
    assert [m.item for m in refused.value.missing] == [8]


def test_a_success_needs_a_signed_agreement_and_the_built_case_is_complete(db: Database) -> None:
    case_id, mediator, _head = _in_mediation(db)
    with db.write() as session:
        attachments.add_document(session, mediator, case_id, kind=AttachmentKind.IDENTITY,
                                 filename="身份证.pdf", content=casefile.scan_pdf("ids"))
        records.add_mediation_record(session, mediator, case_id, _record(True))
        workflow.transition(session, mediator, case_id, workflow.Action.SUCCEED)
    with db.read() as session:
        assert [m.item for m in completeness(session, case_id)] == [8]
        # The dossier still prints, and says on its back cover what is missing.
        pdf = dossier.build_dossier(session, mediator, case_id, filed_on=FILED_ON)
    assert ("卷宗缺少以下必备材料：人民调解协议书或人民调解口头协议登记表：没有已签署生效的调解协议"
            in compact(pdf_text(pdf)))


def test_the_full_case_passes_the_gate(db: Database) -> None:
    case = casefile.build(db)
    with db.read() as session:
        assert completeness(session, case.case_id) == []
        dossier.check_complete(session, case.case_id)
