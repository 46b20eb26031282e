"""Every kind of printed document comes back signed and files itself with its document.

The real path, kind by kind: the app's own builders make the PDF, pdftoppm prints it at 150 dpi,
the scanner of ``test_scanback`` adds a grey ground, a tilt, specks, a pen stroke and JPEG, and
the pages go in through the app's entry (image files, or one copier PDF of every page, fed in a
shuffled order). Each document must come back as one signed copy holding its pages in printed
order, be seen by the dossier (bound in place of the generated one, or as 签字文书), and hostile
codes must land in the clerk's queue with a clear Chinese reason.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.documents import dossier as bind
from mediation_desk.documents import fonts, kinds
from mediation_desk.documents.pagecode import PAGE_CODE_SIZE, PageCode, draw_page_code, qr_drawing
from mediation_desk.exchange import letters
from mediation_desk.models import Agreement, AgreementKind, Attachment, AttachmentKind, FileBlob, ReturnVisit
from mediation_desk.scanning.pagecodes import read_page_code
from mediation_desk.services import dossier, kept, pages, printing, records, scanback, termination
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.scanback import ScanBackSummary, ScannedPage

from ..documents.casefile import ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..exchange.casebuild import CLAIMS, Failed, failed_case
from .sessions_world import STORY_DAY as SESSIONS_DAY
from .sessions_world import SessionsWorld
from .settled import settled_case, with_every_document
from .test_scanback import _pdftoppm, scanner

COURT = "张掖市甘州区人民法院"


def printed_pages(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[Image.Image]:
    """Every page of ``pdf`` as the printer puts it on paper (one pdftoppm run)."""
    folder = tmp_path / f"print-{len(list(tmp_path.glob('print-*')))}"
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf)
    # Uncompressed PPM: the same pixels as a PNG without the compressing and decompressing.
    subprocess.run([_pdftoppm(), "-r", str(dpi), str(folder / "doc.pdf"), str(folder / "p")],
                   check=True, capture_output=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob("p-*.ppm"), key=lambda p: int(p.stem[2:]))]


def copier_pdf(scans: list[bytes]) -> bytes:
    """A copier's scan-to-PDF: one JPEG image per page."""
    images = [Image.open(io.BytesIO(s)).convert("RGB") for s in scans]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def scan_back(db: Database, actor: Actor, documents: dict[str, bytes], tmp_path: Path, *,
              as_one_pdf: bool, seed: int) -> tuple[ScanBackSummary, dict[str, int]]:
    """Print, sign and scan every page of ``documents`` (ref → PDF), shuffled, and file them."""
    rnd = random.Random(seed)
    sheets: list[tuple[str, int, bytes]] = []
    counts: dict[str, int] = {}
    for ref, pdf in documents.items():
        images = printed_pages(pdf, tmp_path)
        counts[ref] = len(images)
        for number, image in enumerate(images, start=1):
            sheets.append((ref, number, scanner(image, seed=rnd.randrange(10_000), angle=rnd.uniform(-1.8, 1.8),
                                                fmt=rnd.choice(("JPEG", "PNG")))))
    rnd.shuffle(sheets)
    if as_one_pdf:
        fed = [ScannedPage(copier_pdf([s for _, _, s in sheets]), "复印机扫描.pdf")]
    else:
        jpeg = b"\xff\xd8"
        fed = [ScannedPage(data, f"SCAN_{i:04d}.{'jpg' if data.startswith(jpeg) else 'png'}")
               for i, (_, _, data) in enumerate(sheets, start=1)]
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, actor, fed, "文件导入")
    return summary, counts


def assert_filed_in_order(db: Database, case_id: int, summary: ScanBackSummary,
                          counts: dict[str, int]) -> dict[str, int]:
    """Each document is one signed copy holding its pages 1…n in printed order; ref → attachment id."""
    assert summary.unmatched == () and summary.refused == (), [u.reason for u in summary.unmatched]
    filed = {f.document_ref: f for f in summary.filed}
    assert set(filed) == set(counts)
    copies: dict[str, int] = {}
    for ref, count in counts.items():
        kind = ref.partition(":")[0]
        assert filed[ref].all_pages == filed[ref].pages == tuple(range(1, count + 1)), ref
        assert filed[ref].case_id == case_id and filed[ref].title == kinds.TITLES[kind]
        assert "在本系统中不存在" not in filed[ref].status
        with db.read() as session:
            [row] = session.scalars(select(Attachment).where(Attachment.case_id == case_id,
                                                             Attachment.document_ref == ref)).all()
            assert row.kind is AttachmentKind.SIGNED_DOCUMENT and row.filename == f"{kinds.TITLES[kind]}（签字件）.pdf"
            content = session.scalar(select(FileBlob.content).where(FileBlob.sha256 == row.sha256))
        assert content is not None
        reader = PdfReader(io.BytesIO(bytes(content)))
        assert reader.metadata is not None
        assert [p["page"] for p in json.loads(str(reader.metadata[scanback.PAGES_KEY]))] == list(range(1, count + 1))
        # The stored pages really are in printed order: each one's own code says which it is
        # (the receipt's stub has no page code, only its case number).
        if kind != "receipt":
            for number, page in enumerate(reader.pages, start=1):
                image = max(page.images, key=lambda i: i.image.width if i.image else 0).image
                assert image is not None
                code = read_page_code(image).code
                assert code is not None and (code.document_ref, code.page) == (ref, number)
        copies[ref] = row.id
    return copies


def bound_index(db: Database, actor: Actor, case_id: int) -> str:
    """The bound dossier's text (its index says which documents are the signed scans)."""
    with db.read() as session:
        return compact(pdf_text(dossier.build_dossier(session, actor, case_id, filed_on=date(2026, 12, 31))))


# --------------------------------------------------------------------------- a failed, transferred case


@pytest.fixture
def failed(db: Database) -> Failed:
    return failed_case(db, files=False)


@ON_STORY_DAY
def test_the_papers_of_a_failed_and_transferred_case_come_back_signed(db: Database, failed: Failed,
                                                                       tmp_path: Path) -> None:
    """无争议事实, the transfer letter and its summary were refused as "not in this system"."""
    built = failed
    cid = built.case_id
    with db.write() as session:
        printed = letters.print_transfer_letter(session, built.mediator, cid, target="court", target_name=COURT,
                                                claims=CLAIMS)
    with db.read() as session:
        facts = termination.undisputed_facts_of(session, cid)
        assert facts is not None and facts.signed
        facts_pdf = kept.signed_facts_pdf(session, facts)  # the PDF of record, made when it was signed
        assert facts_pdf is not None
        render = {kind: dossier.render_document(session, built.mediator, cid, kind)
                  for kind in ("registration", "notice", "investigation", "mediation-record")}
        record_ids = {r.kind: r.id for r in records.records_of(session, cid)}
        summary_pdf = bind.render_case_summary(
            bind.CaseSummary(built.number, cid, ("2026年3月6日调解终结。",), "李建国", date(2026, 3, 20)),
            dossier.issuer(session, cid))
    documents = {
        f"registration:{cid}": render["registration"],
        f"notice:{cid}": render["notice"],
        f"investigation:{record_ids['investigation']}": render["investigation"],
        f"mediation-record:{record_ids['mediation']}": render["mediation-record"],
        f"undisputed-facts:{facts.id}": facts_pdf,
        f"transfer-letter:{cid}": printed.letter,
        f"transfer-summary:{cid}": printed.summary,
        f"case-summary:{cid}": summary_pdf,
    }
    summary, counts = scan_back(db, built.clerk, documents, tmp_path, as_one_pdf=True, seed=11)
    copies = assert_filed_in_order(db, cid, summary, counts)
    status = {f.document_ref: f.status for f in summary.filed}
    assert status[f"undisputed-facts:{facts.id}"] == "确认书已于2026年03月06日登记签字确认"
    assert status[f"transfer-letter:{cid}"] == ""
    # The result line says a paper with nothing more to it was filed, once ("已归档、签字件已归档" before).
    letter = next(f for f in summary.filed if f.document_ref == f"transfer-letter:{cid}")
    assert letter.line().endswith("→ 已归档") and letter.line().count("归档") == 1

    # The dossier sees every one: the generated documents it binds are replaced by their scans…
    with db.read() as session:
        seen = dossier.signed_copies(session, built.mediator, cid)
    assert {ref: info.id for ref, info in seen.items()} == copies
    text = bound_index(db, built.mediator, cid)
    assert "无争议事实确认书" in text and text.count("签字件（扫描件）") >= 5  # registration … facts, case summary
    # …and the letter and its summary, which the dossier does not generate, are bound as signed papers.
    assert "签字文书：移送函第1页，扫描回收" in text or "签字文书：移送函第1–" in text
    assert "签字文书：案件情况摘要" in text

    # The clerk's form offers them too.
    with db.read() as session:
        offered = {d.ref for d in scanback.case_documents(session, built.clerk, built.number).documents}
    assert set(documents) <= offered


# --------------------------------------------------------------------------- a settled case, every CLI kind


@ON_STORY_DAY
def test_every_document_of_a_settled_case_comes_back_signed(db: Database, tmp_path: Path) -> None:
    settled = settled_case(db, signed_days_ago=2)
    with_every_document(settled)
    cid = settled.case_id
    with db.read() as session:
        oral = session.scalar(select(Agreement.id).where(Agreement.case_id == cid,
                                                         Agreement.kind == AgreementKind.ORAL))
        visit = session.scalar(select(ReturnVisit.id).where(ReturnVisit.case_id == cid))
        render = {kind: dossier.render_document(session, settled.mediator, cid, kind)
                  for kind in ("application", "agreement", "oral-agreement", "confirmation-application",
                               "return-visit", "receipt")}
    documents = {
        f"application:{cid}": render["application"],
        f"agreement:{settled.agreement_id}": render["agreement"],
        f"oral-agreement:{oral}": render["oral-agreement"],
        f"confirmation-application:{settled.agreement_id}": render["confirmation-application"],
        f"return-visit:{visit}": render["return-visit"],
        f"receipt:{cid}": render["receipt"],  # its stub's QR code is the case number alone
    }
    summary, counts = scan_back(db, settled.clerk, documents, tmp_path, as_one_pdf=False, seed=5)
    assert counts[f"receipt:{cid}"] == 1
    copies = assert_filed_in_order(db, cid, summary, counts)
    with db.read() as session:
        seen = dossier.signed_copies(session, settled.mediator, cid)
    assert {ref: info.id for ref, info in seen.items()} == copies
    text = bound_index(db, settled.mediator, cid)
    assert "签字文书：受理回执第1页，扫描回收" in text  # the receipt's stub, bound with the signed papers
    # The case's 文书 tab marks the kinds whose signed copy is back.
    with db.read() as session:
        rows = {row.kind: row.signed_copy for row in pages.check_documents(session, settled.mediator, cid)}
    assert {kind for kind, signed in rows.items() if signed} == {ref.partition(":")[0] for ref in documents}


# --------------------------------------------------------------------------- the session notice


@pytest.mark.story_day(SESSIONS_DAY)
def test_the_session_notices_come_back_signed(db: Database, tmp_path: Path) -> None:
    world = SessionsWorld(db)
    cid = world.case()
    info = world.schedule(cid, "2026-12-01T09:00", "2026-12-01T11:30")
    with db.read() as session:
        pdf = printing.session_notices(session, world.head, info.id, issued_on=date(2026, 11, 30))
    ref = f"session-notice:{info.id}"
    summary, counts = scan_back(db, world.clerk, {ref: pdf}, tmp_path, as_one_pdf=False, seed=3)
    assert counts[ref] >= 2  # one notice a party, each on its own page
    copies = assert_filed_in_order(db, cid, summary, counts)
    with db.read() as session:
        assert {r: i.id for r, i in dossier.signed_copies(session, world.head, cid).items()} == copies
        offered = {d.ref: d.title for d in scanback.case_documents(session, world.clerk, info.case_number).documents}
    assert offered[ref] == "调解通知书（2026-12-01）"
    assert "签字文书：调解通知书第1–" in bound_index(db, world.head, cid)


# --------------------------------------------------------------------------- hostile codes


def payload_page(payload: str) -> bytes:
    """A printed page carrying any QR payload (a forged or a newer program's page code)."""
    buffer = io.BytesIO()
    font = fonts.register_fonts()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=font)
    canvas.setFont(font, 14)
    canvas.drawString(30 * mm, 260 * mm, "无争议事实确认书（测试页）")
    renderPDF.draw(qr_drawing(payload), canvas, A4[0] - 25 * mm - PAGE_CODE_SIZE, 9 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def coded(code: PageCode) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=fonts.register_fonts())
    draw_page_code(canvas, code, A4[0] - 25 * mm - PAGE_CODE_SIZE, 9 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@ON_STORY_DAY
def test_forged_and_foreign_codes_are_refused_with_a_clear_reason(db: Database, failed: Failed,
                                                                  tmp_path: Path) -> None:
    built = failed
    other = failed_case_neighbour(db, built)
    with db.read() as session:
        facts = termination.undisputed_facts_of(session, built.case_id)
    assert facts is not None
    number = built.number
    pages = {
        "未知种类.png": payload_page(f"MD1|{number}|minutes:{facts.id}|1"),
        "损坏.png": payload_page(f"MD1|{number}|undisputed-facts:{facts.id}|0"),
        "他案文书.png": coded(PageCode(other.number, "undisputed-facts", facts.id, 1)),
        "伪造编号.png": coded(PageCode(number, "undisputed-facts", facts.id + 1000, 1)),
        "超大编号.png": coded(PageCode(number, "session-notice", 10 ** 30, 1)),
        "超大页码.png": coded(PageCode(number, "undisputed-facts", facts.id, 10 ** 12)),
        "未移送.png": coded(PageCode(other.number, "transfer-letter", other.case_id, 1)),
        "未知案件.png": payload_page("（2026）甘矛调字第9999号"),  # a receipt of no case of ours
    }
    fed = [ScannedPage(scanner(printed_pages(pdf, tmp_path)[0], seed=n, fmt="PNG"), name)
           for n, (name, pdf) in enumerate(pages.items())]
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, fed, "文件导入")
    assert summary.filed == () and summary.refused == ()
    reasons = {u.filename: u.reason for u in summary.unmatched}
    assert reasons == {
        "未知种类.png": "页面二维码中的文书种类“minutes”本系统不认识"
                        "（可能由更新版本的程序打印，或二维码被改动），未自动归档。",
        "损坏.png": "页面二维码是本系统的格式，但内容不完整或有误"
                    f"（“MD1|{number}|undisputed-facts:{facts.id}|0”），未自动归档。",
        "他案文书.png": f"二维码所指的无争议事实确认书（编号 {facts.id}）不属于案件 {other.number}。",
        "伪造编号.png": f"二维码所指的无争议事实确认书（编号 {facts.id + 1000}）在本系统中不存在。",
        "超大编号.png": f"二维码所指的调解通知书（编号 {str(10 ** 30)[:20]}）在本系统中不存在。",
        "超大页码.png": f"二维码中的页码（第{10 ** 12}页）超出范围（最多 999 页），未自动归档。",
        "未移送.png": f"二维码所指的移送函（编号 {other.case_id}）在本系统中不存在。",
        "未知案件.png": "页面上的二维码不是本系统打印的页码（内容为“（2026）甘矛调字第9999号”）。",
    }

    # Filing by hand: a document of another case, or a reference that is not one, is refused.
    queue = {u.filename: u.id for u in summary.unmatched}
    with db.write() as session:
        for ref in ("minutes:1", "undisputed-facts:abc", "dossier:1", f"undisputed-facts:{'9' * 40}", "：1"):
            with pytest.raises(InvalidInput, match="无效，请从列表中选择"):
                scanback.file_unmatched(session, built.clerk, queue["他案文书.png"], built.case_id, ref, 1)
        for wrong in (facts.id, 10 ** 17):  # another case's statement; an id past PostgreSQL's integers
            with pytest.raises(InvalidInput, match=f"所选无争议事实确认书不属于案件 {other.number}"):
                scanback.file_unmatched(session, built.clerk, queue["他案文书.png"], other.case_id,
                                        f"undisputed-facts:{wrong}", 1)
    # …and the right one is accepted.
    with db.write() as session:
        done = scanback.file_unmatched(session, built.clerk, queue["他案文书.png"], built.case_id,
                                       f"undisputed-facts:{facts.id}", None)
    assert done is not None and done.pages == (1,) and done.document_ref == f"undisputed-facts:{facts.id}"


def failed_case_neighbour(db: Database, built: Failed) -> Failed:
    """A second case of the same center, mediated, never transferred."""
    from mediation_desk.services import cases, workflow

    from ..documents.casefile import register

    case_id = register(db, built.clerk)
    with db.write() as session:
        workflow.transition(session, built.clerk, case_id, workflow.Action.ACCEPT)
        number = cases.case_detail(session, built.head, case_id).number
    return Failed(db, case_id, number, built.mediator, built.head, built.clerk)


def test_every_kind_has_an_owner_and_a_title() -> None:
    assert set(scanback.DOCUMENT_CASE) == set(kinds.TITLES)
    assert set(scanback.NOT_SIGNED_REASONS) == kinds.NOT_SIGNED_PAPER


@ON_STORY_DAY
def test_a_statement_not_signed_in_the_app_is_filed_and_the_mediator_is_told(db: Database, tmp_path: Path) -> None:
    """Like an agreement's, the statement's signing day is on the paper: the scan does not sign it."""
    from mediation_desk.documents.transfer import UndisputedFactsData, render_undisputed_facts
    from mediation_desk.services import cases

    from ..exchange.casebuild import FACTS, REASON, TERMINATED, in_mediation

    built = in_mediation(db)
    with db.write() as session:
        termination.terminate(session, built.mediator, built.case_id, reason=REASON, terminated_on=TERMINATED)
        facts = termination.save_undisputed_facts(session, built.mediator, built.case_id, facts=FACTS)
        detail = cases.case_detail(session, built.mediator, built.case_id)
        pdf = render_undisputed_facts(detail, dossier.issuer(session, built.case_id),
                                      UndisputedFactsData(facts.id, facts.facts, facts.disputed, facts.signed,
                                                          facts.signed_on), mediators=detail.lead_mediator)
    ref = f"undisputed-facts:{facts.id}"
    summary, counts = scan_back(db, built.clerk, {ref: pdf}, tmp_path, as_one_pdf=False, seed=8)
    assert_filed_in_order(db, built.case_id, summary, counts)
    [filed] = summary.filed
    assert filed.status == "确认书尚未登记签字确认：请承办调解员按纸面日期登记"
    with db.read() as session:
        after = termination.undisputed_facts_of(session, built.case_id)
    assert after is not None and not after.signed and after.signed_on is None
