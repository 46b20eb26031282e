"""Signed paper scanned back files itself: the real path from a generated PDF through pdftoppm,
a simulated scanner (noise, a slight tilt, JPEG) and zxing-cpp back to the case."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.documents import fonts
from mediation_desk.documents.pagecode import PAGE_CODE_SIZE, PageCode, draw_page_code
from mediation_desk.models import Attachment, AttachmentKind, CaseEvent, FileBlob, MediationRecord, UnmatchedPage
from mediation_desk.scanning.pagecodes import enhanced, read_page_code
from mediation_desk.services import agreements, dossier, records, scanback
from mediation_desk.services.errors import InvalidInput, NotFound
from mediation_desk.services.scanback import ScannedPage

from ..documents import casefile
from ..documents.casefile import ON_STORY_DAY

pytestmark = ON_STORY_DAY


def _pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        pytest.fail("pdftoppm is not installed (Debian package poppler-utils); the scan-back tests need it")
    return path


def render_page(pdf: bytes, page: int, tmp_path: Path, dpi: int = 150) -> Image.Image:
    """One page of a PDF as the printer would put it on paper, at ``dpi``."""
    source = tmp_path / "printed.pdf"
    source.write_bytes(pdf)
    out = tmp_path / f"printed-{page}"
    # Uncompressed PPM: the same pixels as a PNG without the compressing and decompressing.
    subprocess.run([_pdftoppm(), "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(source), str(out)], check=True, capture_output=True)
    return Image.open(f"{out}.ppm").convert("L")


def scanner(image: Image.Image, *, seed: int, angle: float = 1.5, fmt: str = "JPEG") -> bytes:
    """What a scanner makes of a printed page: a grey ground, a tilt of ≤ 2°, specks, a little
    blur, a pen signature across the middle, and JPEG blocks."""
    rnd = random.Random(seed)
    page = image.point(lambda v: min(v, 236))  # recycled paper is never white
    draw = ImageDraw.Draw(page)
    w, h = page.size
    points = [(w * 0.55 + i * 9, h * 0.62 + rnd.randint(-14, 14)) for i in range(30)]
    draw.line(points, fill=30, width=3)  # "signed"
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=236)
    page = page.filter(ImageFilter.GaussianBlur(0.7))
    # Specks on one pixel in 60, black, grey or white, drawn all at once (a pixel at a time in
    # Python was most of a scan's time).
    specks = np.random.default_rng(rnd.randrange(1 << 32))
    pixels = np.array(page)
    count = page.width * page.height // 60
    pixels[specks.integers(0, page.height, count), specks.integers(0, page.width, count)] = specks.choice(
        np.array([0, 90, 255], dtype=np.uint8), count)
    page = Image.fromarray(pixels)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        page.save(buffer, "JPEG", quality=55, dpi=(150, 150))
    else:
        page.save(buffer, "PNG", dpi=(150, 150))
    return buffer.getvalue()


def coded_page(code: PageCode | None) -> bytes:
    """A printed page carrying ``code`` (a PDF), for codes no real document carries."""
    buffer = io.BytesIO()
    font = fonts.register_fonts()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=font)
    canvas.setFont(font, 14)
    canvas.drawString(30 * mm, 260 * mm, "人民调解协议书（测试页）")
    if code is not None:
        draw_page_code(canvas, code, A4[0] - 25 * mm - PAGE_CODE_SIZE, 9 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def agreement_pdf(built: casefile.Built) -> bytes:
    with built.db.read() as session:
        return dossier.render_document(session, built.mediator, built.case_id, "agreement",
                                       document_id=built.agreement_id)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def signed_copy(db: Database, built: casefile.Built, ref: str) -> Attachment:
    with db.read() as session:
        rows = session.scalars(select(Attachment).where(Attachment.case_id == built.case_id,
                                                        Attachment.document_ref == ref)).all()
        assert len(rows) == 1, rows
        session.expunge(rows[0])
        return rows[0]


def content(db: Database, digest: str) -> bytes:
    with db.read() as session:
        data = session.scalar(select(FileBlob.content).where(FileBlob.sha256 == digest))
        assert data is not None
        return bytes(data)


# --------------------------------------------------------------------------- the real path


def test_a_signed_agreement_scanned_back_lands_on_its_case(db: Database, tmp_path: Path) -> None:
    built = casefile.build(db, with_attachments=False)  # signed in the app on 2026-03-09
    pdf = agreement_pdf(built)
    pages = page_count(pdf)
    assert pages >= 2, "the agreement has more than one page: the order of the pages is tested"
    scans = [ScannedPage(scanner(render_page(pdf, n, tmp_path), seed=n, angle=(-1.2, 1.8, 0.6)[n % 3]), f"协议-{n}.jpg")
             for n in range(pages, 0, -1)]  # fed last page first
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, scans, "文件导入")
    assert summary.unmatched == () and summary.refused == ()
    [filed] = summary.filed
    assert (filed.case_id, filed.document_ref) == (built.case_id, f"agreement:{built.agreement_id}")
    assert filed.pages == filed.all_pages == tuple(range(1, pages + 1))
    assert filed.line() == (f"{built.number} 人民调解协议书 第1–{pages}页 → 已归档、协议已于2026年03月09日登记签署")
    assert all(s < 2.0 for s in summary.decode_seconds) and len(summary.decode_seconds) == pages

    copy = signed_copy(db, built, f"agreement:{built.agreement_id}")
    assert copy.kind is AttachmentKind.SIGNED_DOCUMENT and copy.media_type == "application/pdf"
    assert copy.filename == "人民调解协议书（签字件）.pdf"
    stored = content(db, copy.sha256)
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == pages
    assert reader.metadata is not None
    listed = json.loads(str(reader.metadata[scanback.PAGES_KEY]))
    assert [p["page"] for p in listed] == list(range(1, pages + 1))
    # The pages are in printed order: each page's own code says which it is.
    for number, pdf_page in enumerate(reader.pages, start=1):
        image = max(pdf_page.images, key=lambda i: i.image.width if i.image else 0).image
        assert image is not None
        read = read_page_code(image)
        assert read.code is not None and read.code.page == number

    with db.read() as session:
        notes = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == built.case_id,
                                                             CaseEvent.action == "signed_scan")).all()
        assert notes == [f"收回人民调解协议书签字件第1–{pages}页（文件导入）；协议已于2026年03月09日登记签署"]
        bound = dossier.build_dossier(session, built.mediator, built.case_id, filed_on=datetime(2026, 4, 1).date())
    # The dossier binds the signed copy in place of the generated agreement.
    from ..documents.conftest import compact, pdf_text

    assert "签字件（扫描件）" in compact(pdf_text(bound))


def test_an_agreement_not_signed_in_the_app_is_filed_but_not_signed_by_the_scan(db: Database, tmp_path: Path) -> None:
    built = casefile.build(db, sign=False, with_attachments=False)
    pdf = agreement_pdf(built)
    scan = scanner(render_page(pdf, 1, tmp_path), seed=7, angle=-1.9, fmt="PNG")
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [scan], "扫描仪 test:0")
    [filed] = summary.filed
    assert filed.pages == (1,)
    assert "协议尚未登记签署" in filed.status and "司法确认" in filed.status
    with db.read() as session:
        info = agreements.info(session, built.agreement_id)
        assert info.signed_on is None and info.effective_on is None
        assert str(cases_state(session, built.case_id)) == "in_mediation"


def cases_state(session: object, case_id: int) -> object:
    from mediation_desk.models import DisputeCase

    assert hasattr(session, "get")
    case = session.get(DisputeCase, case_id)
    return case.state


def test_a_signed_mediation_record_is_marked_signed_even_when_the_clerk_scans_it(db: Database,
                                                                                  tmp_path: Path) -> None:
    built = casefile.build(db, sign=False, with_attachments=False)
    with db.write() as session:
        record = records.add_mediation_record(session, built.mediator, built.case_id, records.MediationRecordInput(
            held_at=datetime(2026, 3, 12, 9, 0), place="中心第二调解室", subject="继续调解", mediators="李建国",
            recorder="王晓燕", participants="", parties_present="欧阳䶮、赵明远", notice_given=True,
            statements="双方陈述意见。", verification="", outcome="继续协商。", agreement_reached=False))
        pdf = dossier.render_document(session, built.mediator, built.case_id, "mediation-record",
                                      document_id=record.id)
    scan = scanner(render_page(pdf, 1, tmp_path), seed=3, angle=2.0)
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [scan], "监视文件夹")
    [filed] = summary.filed
    assert filed.document_ref == f"mediation-record:{record.id}" and filed.status == "已标记签字"
    with db.read() as session:
        row = session.get(MediationRecord, record.id)
        assert row is not None and row.signed
    with db.write() as session, pytest.raises(InvalidInput, match="已签名确认"):
        records.update_record(session, built.mediator, "mediation", record.id, records.MediationRecordInput(
            held_at=datetime(2026, 3, 12, 9, 0), place="改", subject="继续调解", mediators="李建国",
            recorder="王晓燕", participants="", parties_present="欧阳䶮", notice_given=True,
            statements="改", verification="", outcome="改", agreement_reached=False), expected_version=row.version)


# --------------------------------------------------------------------------- the unmatched queue


def test_pages_without_a_valid_code_go_to_the_queue_with_the_reason(db: Database, tmp_path: Path) -> None:
    built = casefile.build(db, with_attachments=False)
    other_case = casefile.register(db, built.clerk)
    with db.read() as session:
        from mediation_desk.models import DisputeCase

        other_number = session.get_one(DisputeCase, other_case).number
    pdf = agreement_pdf(built)
    page = render_page(pdf, 1, tmp_path)
    cut = page.crop((0, 0, page.width, page.height - 300))  # the bottom, with the code, not scanned
    missing_number = PageCode("（2026）甘矛调字第9999号", "agreement", built.agreement_id, 1)
    unknown = render_page(coded_page(missing_number), 1, tmp_path)
    foreign_case = render_page(coded_page(PageCode(other_number, "agreement", built.agreement_id, 1)), 1, tmp_path)
    dossier_page = render_page(coded_page(PageCode(built.number, "dossier", built.case_id, 1)), 1, tmp_path)
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [
            ScannedPage(scanner(cut, seed=1), "无码.jpg"),
            ScannedPage(scanner(unknown, seed=2), "未知案件.jpg"),
            ScannedPage(scanner(foreign_case, seed=3), "他案.jpg"),
            ScannedPage(scanner(dossier_page, seed=4), "卷宗页.jpg"),
        ], "文件导入")
    assert summary.filed == ()
    reasons = {u.filename: u.reason for u in summary.unmatched}
    assert set(reasons) == {"无码.jpg", "未知案件.jpg", "他案.jpg", "卷宗页.jpg"}
    assert reasons["无码.jpg"].startswith("未识别到页面二维码")
    assert reasons["未知案件.jpg"] == "二维码中的案件编号“（2026）甘矛调字第9999号”在本系统中不存在。"
    assert reasons["他案.jpg"] == f"二维码所指的人民调解协议书（编号 {built.agreement_id}）不属于案件 {other_number}。"
    assert "卷宗页" in reasons["卷宗页.jpg"]
    with db.read() as session:
        queue = scanback.unmatched(session)
        assert [q.filename for q in queue] == ["无码.jpg", "未知案件.jpg", "他案.jpg", "卷宗页.jpg"]
        preview = scanback.unmatched_preview(session, queue[0].id, 300)
        assert preview is not None and max(Image.open(io.BytesIO(preview)).size) == 300
        assert session.scalar(select(func.count()).select_from(Attachment)
                              .where(Attachment.kind == AttachmentKind.SIGNED_DOCUMENT)) == 0

    # The clerk files the page without a code as page 1 of the agreement, and discards the rest.
    no_code = queue[0]
    with db.write() as session:
        documents = scanback.case_documents(session, built.clerk, built.number)
        assert f"agreement:{built.agreement_id}" in [d.ref for d in documents.documents]
        filed = scanback.file_unmatched(session, built.clerk, no_code.id, documents.case_id,
                                        f"agreement:{built.agreement_id}", 1)
    assert filed is not None and filed.pages == (1,)
    with db.read() as session:
        discarded_sha = session.get_one(UnmatchedPage, queue[1].id).sha256
    with db.write() as session:
        for waiting in queue[1:3]:
            scanback.discard_unmatched(session, built.clerk, waiting.id)
        scanback.file_unmatched(session, built.clerk, queue[3].id, other_case, None, None)
    with db.read() as session:
        assert scanback.unmatched(session) == []
        filed_row = session.get_one(UnmatchedPage, no_code.id)
        assert filed_row.filed_case_id == built.case_id and filed_row.filed_at is not None
        assert session.get(UnmatchedPage, queue[1].id) is None
        # The discarded pages' content went with them; the filed ones' stayed.
        assert session.scalar(select(func.count()).select_from(FileBlob)
                              .where(FileBlob.sha256 == discarded_sha)) == 0
    assert signed_copy(db, built, f"agreement:{built.agreement_id}").page == 1
    with db.write() as session, pytest.raises(NotFound):
        scanback.discard_unmatched(session, built.clerk, queue[1].id)


def test_a_page_scanned_again_is_not_stored_twice_and_a_new_scan_replaces_it(db: Database, tmp_path: Path) -> None:
    built = casefile.build(db, with_attachments=False)
    pdf = agreement_pdf(built)
    first, second = render_page(pdf, 1, tmp_path), render_page(pdf, 2, tmp_path)
    scan_1 = scanner(first, seed=1)
    with db.write() as session:
        scanback.file_scanned_pages(session, built.clerk, [scan_1], "扫描")
    before = signed_copy(db, built, f"agreement:{built.agreement_id}")
    assert before.page == 1
    with db.write() as session:
        again = scanback.file_scanned_pages(session, built.clerk, [scan_1], "扫描")
    [same] = again.filed
    assert same.pages == () and same.duplicates == (1,) and "未重复保存" in same.line()
    assert signed_copy(db, built, f"agreement:{built.agreement_id}").sha256 == before.sha256

    # Tomorrow: page 2 arrives, and a better scan of page 1.
    with db.write() as session:
        later = scanback.file_scanned_pages(session, built.clerk,
                                            [scanner(second, seed=2), scanner(first, seed=9, angle=-0.5)], "扫描")
    [grown] = later.filed
    assert grown.pages == (1, 2) and grown.all_pages == (1, 2)
    after = signed_copy(db, built, f"agreement:{built.agreement_id}")
    assert after.id == before.id and after.page is None and after.note.startswith("人民调解协议书第1–2页")
    assert page_count(content(db, after.sha256)) == 2
    with db.read() as session:
        # The replaced copy's content is gone: one blob per signed copy, not one per run.
        assert session.scalar(select(func.count()).select_from(FileBlob).where(FileBlob.sha256 == before.sha256)) == 0


def test_a_scanned_pdf_is_split_into_its_pages(db: Database, tmp_path: Path) -> None:
    """A copier's scan-to-PDF: one JPEG per page, the pages of two documents in one file."""
    built = casefile.build(db, with_attachments=False)
    with db.read() as session:
        registration = dossier.render_document(session, built.mediator, built.case_id, "registration")
    agreement = agreement_pdf(built)
    images = [Image.open(io.BytesIO(scanner(render_page(pdf, 1, tmp_path), seed=n))).convert("RGB")
              for n, pdf in enumerate((registration, agreement))]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:])
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [ScannedPage(buffer.getvalue(), "复印机.pdf")],
                                              "监视文件夹")
    assert sorted(f.document_ref for f in summary.filed) == sorted(
        [f"registration:{built.case_id}", f"agreement:{built.agreement_id}"])
    assert summary.unmatched == ()


def test_a_damaged_file_is_refused_not_queued(db: Database) -> None:
    built = casefile.build(db, with_attachments=False)
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [ScannedPage(b"\x89PNG\r\n\x1a\nbroken", "坏.png")],
                                              "文件导入")
    assert summary.filed == () and summary.unmatched == ()
    [refused] = summary.refused
    assert refused.name == "坏.png" and "损坏" in refused.message


def test_enhancing_a_faint_corner_recovers_the_code(tmp_path: Path) -> None:
    """A faint, low-contrast code the whole-page pass misses is read from the enlarged corner."""
    page = render_page(coded_page(PageCode("（2026）甘矛调字第0003号", "agreement", 3, 2)), 1, tmp_path, dpi=100)
    faint = page.point(lambda v: 150 + v * 90 // 255)  # ink at 150 on paper at 240
    read = read_page_code(faint)
    assert read.code == PageCode("（2026）甘矛调字第0003号", "agreement", 3, 2)
    assert enhanced(faint.crop((0, 0, 50, 50))).size == (100, 100)
    assert read.read_by and read.seconds < 2.0


def test_page_ranges() -> None:
    assert scanback.page_ranges([2, 1]) == "第1–2页"
    assert scanback.page_ranges([1, 3, 4, 5, 7]) == "第1、3–5、7页"
    assert scanback.page_ranges([4]) == "第4页"
    assert scanback.page_ranges([]) == ""
