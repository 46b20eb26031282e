"""Kept documents: a signed record's or statement's PDF frozen at signing and carried by the packet
and the dossier; the transfer letter and summary kept when printed and reused by the export
exactly while their inputs are unchanged."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents import records as record_docs
from mediation_desk.documents import transfer as transfer_docs
from mediation_desk.exchange import letters
from mediation_desk.exchange.export import ExportResult, export_packet
from mediation_desk.exchange.importer import import_packet
from mediation_desk.models import AttachmentKind, FileBlob, KeptDocument, now
from mediation_desk.services import attachments, center, dossier, kept, records
from mediation_desk.services.actor import Actor

from ..documents.casefile import INVESTIGATED, ON_STORY_DAY
from ..documents.conftest import compact, pdf_text
from ..documents.pdfcheck import assert_fonts_embedded
from .casebuild import CLAIMS, Failed, failed_case, photo_jpeg

pytestmark = ON_STORY_DAY

COURT = "张掖市甘州区人民法院"


def _kept(db: Database) -> list[KeptDocument]:
    with db.read() as session:
        rows = list(session.scalars(select(KeptDocument).order_by(KeptDocument.id)))
        session.expunge_all()
    return rows


def _blob(db: Database, digest: str) -> bytes:
    with db.read() as session:
        content = session.scalar(select(FileBlob.content).where(FileBlob.sha256 == digest))
    assert content is not None
    return bytes(content)


def _export(built: Failed, out: Path, **kwargs: object) -> tuple[ExportResult, dict[str, bytes]]:
    result = export_packet(built.db, built.mediator, built.case_id, target=kwargs.pop("target", "court"),  # type: ignore[arg-type]
                           target_name=kwargs.pop("target_name", COURT), out=out,  # type: ignore[arg-type]
                           claims=kwargs.pop("claims", CLAIMS), **kwargs)  # type: ignore[arg-type]
    with zipfile.ZipFile(out) as zf:
        return result, {name: zf.read(name) for name in zf.namelist()}


def _fail_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every live rendering of the packet's documents now fails: only kept PDFs can be used."""
    def refuse(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("rendered although a kept PDF exists")
    for module, name in ((record_docs, "render_investigation"), (record_docs, "render_mediation_record"),
                         (transfer_docs, "render_undisputed_facts"), (transfer_docs, "render_transfer_letter"),
                         (transfer_docs, "render_case_summary")):
        monkeypatch.setattr(module, name, refuse)


def test_signing_keeps_the_pdf_of_record_and_the_packet_and_dossier_carry_it(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = failed_case(db)
    rows = {row.kind: row for row in _kept(db)}
    assert set(rows) == {"investigation_record", "mediation_record", "undisputed_facts"}
    with db.read() as session:
        signed = {r.kind: r for r in records.records_of(session, built.case_id)}
    for kind, record in signed.items():
        row = rows[kept.RECORD_KINDS[kind]]
        assert row.source_id == record.id and row.case_id == built.case_id
        assert row.fingerprint == kept.identity_fingerprint(row.kind, record.id)
    pdfs = {kind: _blob(db, row.sha256) for kind, row in rows.items()}
    for kind, pdf in pdfs.items():
        assert hashlib.sha256(pdf).hexdigest() == rows[kind].sha256 and len(pdf) == rows[kind].size
        assert_fonts_embedded(pdf)
    assert "王堃" in compact(pdf_text(pdfs["investigation_record"]))
    assert "渗水点共三处" in compact(pdf_text(pdfs["undisputed_facts"]))

    # A later template change must not alter what was signed: rendering is now impossible, and
    # the packet, a reprint and the dossier still have the documents, byte for byte.
    with db.write() as session:
        letters.print_transfer_letter(session, built.mediator, built.case_id, target="court", target_name=COURT,
                                      claims=CLAIMS)
    _fail_rendering(monkeypatch)
    result, files = _export(built, tmp_path / "p.zip")
    assert result.render_seconds == 0.0
    assert files["records/01-investigation.pdf"] == pdfs["investigation_record"]
    assert files["records/02-mediation.pdf"] == pdfs["mediation_record"]
    assert files["documents/undisputed-facts.pdf"] == pdfs["undisputed_facts"]
    with db.read() as session:
        assert dossier.render_document(session, built.mediator, built.case_id, "investigation") \
            == pdfs["investigation_record"]
        assert dossier.render_document(session, built.mediator, built.case_id, "mediation-record") \
            == pdfs["mediation_record"]
        bound = dossier.build_dossier(session, built.mediator, built.case_id)
    assert "渗水点共三处" in compact(pdf_text(bound))


def test_an_unsigned_record_is_rendered_live_and_not_kept(db: Database, tmp_path: Path) -> None:
    built = failed_case(db, files=False)
    with db.write() as session:
        extra = records.add_investigation(session, built.mediator, built.case_id, records.InvestigationInput(
            held_at=INVESTIGATED + timedelta(hours=2), place="申请人家中", investigators="李建国",
            recorder="王晓燕", interviewee="赵明远", interviewee_relation="被申请人",
            content="问：渗水何时发现？\n答：去年七月。"))
    before = len(_kept(db))
    _result, files = _export(built, tmp_path / "p.zip")
    with db.read() as session:
        live = dossier.render_document(session, built.mediator, built.case_id, "investigation",
                                       document_id=extra.id)
    unsigned = [name for name in files if name.startswith("records/") and name.endswith("investigation.pdf")
                and "赵明远" in compact(pdf_text(files[name]))]
    assert len(unsigned) == 1 and files[unsigned[0]] == live
    rows = _kept(db)
    assert not [r for r in rows if r.source_id == extra.id and r.kind == "investigation_record"]
    # The export kept the letter and the summary it rendered, nothing for the unsigned record.
    assert sorted(r.kind for r in rows[before:]) == ["case_summary", "transfer_letter"]
    with db.write() as session:
        signed = records.sign_record(session, built.mediator, "investigation", extra.id)
    assert [r for r in _kept(db) if r.source_id == signed.id and r.kind == "investigation_record"]


def test_the_printed_letter_is_what_the_packet_carries(db: Database, tmp_path: Path, other_sqlite: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    built = failed_case(db, files=False)
    with db.write() as session:
        printed = letters.print_transfer_letter(session, built.mediator, built.case_id, target="court",
                                                target_name=COURT, claims=CLAIMS)
    assert not printed.reused and printed.title == "移送函"
    rows = {r.kind: r for r in _kept(db) if r.kind in ("transfer_letter", "case_summary")}
    assert {r.fingerprint for r in rows.values()} == {printed.fingerprint}
    assert _blob(db, rows["transfer_letter"].sha256) == printed.letter
    assert _blob(db, rows["case_summary"].sha256) == printed.summary
    with db.write() as session:
        again = letters.print_transfer_letter(session, built.mediator, built.case_id, target="court",
                                              target_name=COURT, claims=CLAIMS)
    assert again.reused and again.letter == printed.letter and again.summary == printed.summary

    # The letter cites the packet by the case number and its manifest, not by a packet id.
    text = compact(pdf_text(printed.letter))
    assert compact(f"案号为{built.number}的移送材料包") in text and "manifest.json" in text
    assert_fonts_embedded(printed.letter)

    _fail_rendering(monkeypatch)
    result, files = _export(built, tmp_path / "p.zip")
    assert result.render_seconds == 0.0
    assert files["documents/transfer-letter.pdf"] == printed.letter
    assert files["documents/case-summary.pdf"] == printed.summary
    assert result.packet_id not in text
    imported = import_packet(other_sqlite, Actor.system("test"), tmp_path / "p.zip")
    assert imported.files == result.files


def test_other_inputs_give_another_letter(db: Database, tmp_path: Path) -> None:
    built = failed_case(db, files=False)

    def print_(**changes: object) -> letters.PrintedLetter:
        inputs: dict[str, object] = {"target": "court", "target_name": COURT, "claims": ["请求赔偿损失8600元"]}
        inputs.update(changes)
        with db.write() as session:
            return letters.print_transfer_letter(session, built.mediator, built.case_id, **inputs)  # type: ignore[arg-type]

    first = print_()
    other_claims = print_(claims=["请求赔偿损失8600元", "请求维修车库顶板"])
    other_court = print_(target_name="张掖市中级人民法院")
    department = print_(target="department", target_name="甘州区住建局")
    fingerprints = {first.fingerprint, other_claims.fingerprint, other_court.fingerprint, department.fingerprint}
    assert len(fingerprints) == 4
    assert not any(p.reused for p in (other_claims, other_court, department))
    assert "请求维修车库顶板" in compact(pdf_text(other_claims.letter))
    assert department.title == "转办函" and "依职权处理" in compact(pdf_text(department.letter))
    assert print_().reused  # the first inputs again: the first letter

    # A new evidence file changes the evidence list: the export renders and keeps a new letter,
    # and the next export of the unchanged case reuses it.
    with db.write() as session:
        attachments.add_document(session, built.mediator, built.case_id, kind=AttachmentKind.EVIDENCE,
                                 filename="补充照片.jpg", content=photo_jpeg(7))
    result, files = _export(built, tmp_path / "a.zip", claims=["请求赔偿损失8600元"])
    assert result.render_seconds > 0.0
    assert files["documents/transfer-letter.pdf"] != first.letter
    assert "补充照片.jpg" in compact(pdf_text(files["documents/case-summary.pdf"]))
    with db.write() as session:
        now_printed = print_()
    assert now_printed.reused and now_printed.fingerprint != first.fingerprint
    assert now_printed.letter == files["documents/transfer-letter.pdf"]
    second, again = _export(built, tmp_path / "b.zip", claims=["请求赔偿损失8600元"])
    assert second.render_seconds == 0.0
    assert again["documents/transfer-letter.pdf"] == files["documents/transfer-letter.pdf"]
    assert again["documents/case-summary.pdf"] == files["documents/case-summary.pdf"]


def test_the_letter_reads_the_issuer_as_the_dossier_does(db: Database) -> None:
    built = failed_case(db, files=False)
    with db.write() as session:
        center.put(session, settings.CENTER_NAME, "甘州区矛盾纠纷多元化解中心")
        center.put(session, settings.BASIC_COURT, "张掖市甘州区人民法院")
    with db.read() as session:
        found = letters.gather(session, built.mediator, built.case_id, "court", COURT, CLAIMS)
        assert found.issuer == dossier.issuer(session, built.case_id)
    assert found.issuer.center_name == "甘州区矛盾纠纷多元化解中心"
    assert found.detail.events == () and found.detail.parties


def test_the_archive_job_purges_a_case_with_kept_documents(db: Database, tmp_path: Path,
                                                           test_clock: time_machine.Traveller) -> None:
    """A purged case's kept PDFs go with it; another case's kept PDFs and their blobs stay, also
    when an attachment with the same bytes is removed."""
    from mediation_desk.services import retention

    from ..services.settled import close, settled_case

    settled = settled_case(db)
    with db.write() as session:
        (record,) = records.records_of(session, settled.case_id)
        records.sign_record(session, settled.mediator, "mediation", record.id)
        center.put(session, settings.DOSSIER_RETENTION, "短期")
    close(settled)
    (row,) = [r for r in _kept(db) if r.case_id == settled.case_id]
    from ..services.helpers import register

    other = register(db, settled.clerk)
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    with db.write() as session:
        other_kept = kept.keep(session, other, kept.TRANSFER_LETTER, "f" * 64, pdf)
        # The same bytes attached to the other case, then removed: the kept document keeps them.
        attachment = attachments.add_document(session, settled.clerk, other, kind=AttachmentKind.EVIDENCE,
                                              filename="letter.pdf", content=pdf, media_type="application/pdf")
    with db.write() as session:
        attachments.remove_attachment(session, settled.clerk, attachment.id)
    assert _blob(db, other_kept.sha256) == pdf
    with db.read() as session:
        due = retention.expired(session, now().date() + timedelta(days=3660 * 2))
    # Issue 17: the head runs it, on the day itself, after a dry run.
    test_clock.move_to(datetime.combine(due[0].retain_until, time(10, 0)).astimezone())
    with db.write() as session:
        retention.archive_expired(session, settled.head, due[0].retain_until, tmp_path / "archive", dry_run=True)
    with db.write() as session:
        report = retention.archive_expired(session, settled.head, due[0].retain_until, tmp_path / "archive")
    assert [d.number for d in report.archived] == [due[0].number]
    assert not [r for r in _kept(db) if r.case_id == settled.case_id]
    with db.read() as session:
        assert session.scalar(select(FileBlob.sha256).where(FileBlob.sha256 == row.sha256)) is None
    assert [(r.case_id, r.sha256) for r in _kept(db)] == [(other, other_kept.sha256)]
    assert _blob(db, other_kept.sha256) == pdf
