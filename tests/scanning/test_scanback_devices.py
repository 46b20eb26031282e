"""A signed agreement printed, "signed" and scanned back lands on its case: through the watched
scan-to-folder for real, and through SANE's ``test`` device (whose pages carry no code: they land
in the clerk's queue)."""

from __future__ import annotations

from pathlib import Path

from mediation_desk.db import Database
from mediation_desk.scanning.backends import SaneScanner, ScanSettings
from mediation_desk.scanning.folder import DONE_FOLDER, FolderWatcher
from mediation_desk.services import agreements, scanback

from ..documents import casefile
from ..documents.casefile import ON_STORY_DAY
from ..services.test_scanback import agreement_pdf, page_count, render_page, scanner

pytestmark = ON_STORY_DAY


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_signed_agreement_scanned_into_the_watched_folder_lands_on_its_case(db: Database, tmp_path: Path) -> None:
    built = casefile.build(db, sign=False, with_attachments=False)
    pdf = agreement_pdf(built)
    pages = page_count(pdf)
    folder = tmp_path / "扫描件"
    folder.mkdir()
    clock = Clock()
    watcher = FolderWatcher(folder, settle_seconds=2.0, clock=clock)
    # The copier writes one PNG per page, the way a scan-to-folder names them.
    for number in range(1, pages + 1):
        (folder / f"SCAN_{number:04d}.png").write_bytes(
            scanner(render_page(pdf, number, tmp_path), seed=number, angle=1.4 - number, fmt="PNG"))
    assert watcher.poll() == []  # first sight: not settled yet
    clock.now = 3.0
    handled = watcher.poll()
    assert [h.name for h in handled] == [f"SCAN_{n:04d}.png" for n in range(1, pages + 1)]
    assert all(h.imported is not None and h.path.parent.name == DONE_FOLDER for h in handled)

    imported = [h.imported for h in handled if h.imported is not None]
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, scanback.scanned_pages_of(imported),
                                              f"监视文件夹 {folder}")
    [filed] = summary.filed
    assert filed.case_id == built.case_id and filed.document_ref == f"agreement:{built.agreement_id}"
    assert filed.all_pages == tuple(range(1, pages + 1)) and summary.unmatched == ()
    with db.read() as session:
        assert agreements.info(session, built.agreement_id).signed_on is None  # see scanback's docstring
    assert watcher.poll() == []  # each file once


def test_a_page_from_the_sane_test_device_has_no_code_and_waits_for_the_clerk(db: Database,
                                                                              sane_scanner: SaneScanner) -> None:
    built = casefile.build(db, with_attachments=False)
    [page] = sane_scanner.scan("test:0", ScanSettings(dpi=100, extra_options={"test_picture": "Grid"}))
    with db.write() as session:
        summary = scanback.file_scanned_pages(session, built.clerk, [scanback.ScannedPage.of_page(page)],
                                              "扫描仪 test:0")
    assert summary.filed == ()
    [waiting] = summary.unmatched
    assert waiting.reason.startswith("未识别到页面二维码") and waiting.source == "扫描仪 test:0"
    assert waiting.media_type == page.media_type
    with db.read() as session:
        assert [u.id for u in scanback.unmatched(session)] == [waiting.id]
        media_type, content = scanback.unmatched_content(session, waiting.id)
    assert (media_type, content) == (page.media_type, page.data)
