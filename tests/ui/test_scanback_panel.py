"""签字文书回收: import, watched folder and scanner feed the real scan-back service; the result
list and the unmatched queue, its preview and its filing form."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.scanning.folder import FolderWatcher
from mediation_desk.services import agreements, scanback
from mediation_desk.ui.cases.tabs.documents import DocumentsModel, DocumentsTab
from mediation_desk.ui.common.tasks import TaskRunner
from mediation_desk.ui.scanning.scanback import ScanBackPanel

from ..documents import casefile
from ..documents.casefile import ON_STORY_DAY
from ..services.test_scanback import agreement_pdf, page_count, render_page, scanner
from .conftest import Runner, check_model, type_text
from .test_scan_documents import FakeScanner, use_scanners

pytestmark = ON_STORY_DAY


@pytest.fixture
def built(sqlite_db: Database) -> casefile.Built:
    return casefile.build(sqlite_db, sign=False, with_attachments=False)


@pytest.fixture
def case_runner(sqlite_db: Database) -> Iterator[Runner]:
    task_runner = Runner(sqlite_db)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_panel(runner: TaskRunner, built: casefile.Built, qtbot: QtBot) -> ScanBackPanel:
    panel = ScanBackPanel(runner, built.clerk)
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def scans(built: casefile.Built, tmp_path: Path) -> tuple[Path, Path]:
    """Page 1 of the agreement scanned whole, and page 2 with its bottom (the code) cut off."""
    pdf = agreement_pdf(built)
    assert page_count(pdf) >= 2
    whole = tmp_path / "协议第1页.jpg"
    whole.write_bytes(scanner(render_page(pdf, 1, tmp_path), seed=1))
    page = render_page(pdf, 2, tmp_path)
    cut = tmp_path / "协议第2页.jpg"
    cut.write_bytes(scanner(page.crop((0, 0, page.width, page.height - 320)), seed=2))
    return whole, cut


def test_imported_scans_are_filed_and_the_page_without_a_code_is_filed_by_hand(
        case_runner: Runner, built: casefile.Built, sqlite_db: Database, qtbot: QtBot, tmp_path: Path,
        qtmodeltester: ModelTester) -> None:
    panel = make_panel(case_runner, built, qtbot)
    assert panel.queue_empty.isVisible() and not panel.queue_view.isVisible()
    assert not panel.file_button.isEnabled()
    whole, cut = scans(built, tmp_path)

    panel.import_paths([whole, cut])

    lines = [r.text for r in panel.results.rows]
    assert lines[0] == (f"{built.number} 人民调解协议书 第1页 → 已归档、协议尚未登记签署："
                        "请承办调解员按纸面日期登记签署（生效日期决定司法确认的30日期限）")
    assert lines[1].startswith("协议第2页.jpg → 未能识别，已放入待归档队列：未识别到页面二维码")
    assert len(panel.last_decode_seconds) == 2
    with qtbot.waitSignal(panel.open_case) as opened:
        panel.result_view.activated.emit(panel.results.index(0, 0))
    assert opened.args == [built.case_id]
    assert "2 page(s) read" in panel.status.text() and not panel.progress.isVisible()
    check_model(qtmodeltester, panel.results)
    check_model(qtmodeltester, panel.queue)
    assert panel.queue.rowCount() == 1 and panel.queue_view.isVisible()
    assert panel.current_page() is not None and panel.current_page().filename == "协议第2页.jpg"  # type: ignore[union-attr]
    assert not panel.preview.pixmap().isNull()  # the page is shown for the clerk to read
    panel.grab().save(str(tmp_path / "panel.png"))

    # A wrong number first: the message names the field and the text stays.
    type_text(panel.case_number, "（2026）无此号")
    QTest.keyClick(panel.case_number, Qt.Key.Key_Return)
    assert panel.form_error.isVisible() and "不存在" in panel.form_error.text()
    assert panel.case_number.text() == "（2026）无此号"
    panel.case_number.clear()
    type_text(panel.case_number, built.number)
    panel.find_button.click()
    assert not panel.form_error.isVisible()
    refs = [panel.document.itemData(i) for i in range(panel.document.count())]
    assert refs[0] is None and f"agreement:{built.agreement_id}" in refs
    panel.document.setCurrentIndex(refs.index(f"agreement:{built.agreement_id}"))
    panel.page_no.setValue(2)
    assert panel.file_button.isEnabled()
    panel.file_button.click()

    assert panel.queue.rowCount() == 0 and panel.queue_empty.isVisible()
    assert panel.results.rows[0].text.startswith(f"{built.number} 人民调解协议书 第2页 → 已归档")
    with sqlite_db.read() as session:
        assert scanback.unmatched(session) == []
        assert agreements.info(session, built.agreement_id).signed_on is None


def test_discarding_asks_twice(case_runner: Runner, built: casefile.Built, qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(case_runner, built, qtbot)
    _whole, cut = scans(built, tmp_path)
    panel.import_paths([cut])
    assert panel.queue.rowCount() == 1
    panel.discard_button.click()
    assert panel.queue.rowCount() == 1 and panel.discard_button.text() == "Press again to discard"
    panel.discard_button.click()
    assert panel.queue.rowCount() == 0 and panel.status.text().startswith("Discarded 协议第2页.jpg")


def test_the_watched_folder_files_what_the_copier_drops(case_runner: Runner, built: casefile.Built, qtbot: QtBot,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(ScanBackPanel, "make_watcher",
                        staticmethod(lambda path: FolderWatcher(path, settle_seconds=2.0, clock=clock)))
    panel = make_panel(case_runner, built, qtbot)
    folder = tmp_path / "copier"
    folder.mkdir()
    panel.watch(folder)
    assert panel.stop_button.isVisible() and str(folder) in panel.folder_label.text()
    whole, _cut = scans(built, tmp_path)
    (folder / "SCAN0001.jpg").write_bytes(whole.read_bytes())
    panel.poll_folder()
    assert panel.results.rowCount() == 0  # not settled yet
    clock.now = 5.0
    panel.poll_folder()
    assert panel.results.rows[0].text.startswith(f"{built.number} 人民调解协议书 第1页 → 已归档")
    assert (folder / "已导入" / "SCAN0001.jpg").exists()
    panel.stop_watching()
    assert not panel.stop_button.isVisible() and panel.folder_label.text() == ""


def test_scanned_pages_without_a_code_wait_in_the_queue(case_runner: Runner, built: casefile.Built, qtbot: QtBot,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    scanner_backend = FakeScanner()
    use_scanners(monkeypatch, lambda: [scanner_backend])
    panel = make_panel(case_runner, built, qtbot)
    panel.scan()
    dialog = panel.scan_dialog
    assert dialog is not None
    dialog.scan_button.click()
    assert panel.scan_dialog is None
    assert panel.queue.rowCount() == 1
    assert panel.queue.rows[0].source == "扫描仪 fake:0"
    assert panel.results.rows[0].text.startswith("扫描页1.jpg → 未能识别")


def test_a_signed_undisputed_facts_statement_is_filed_from_the_panel(
        case_runner: Runner, sqlite_db: Database, qtbot: QtBot, tmp_path: Path, chinese: None) -> None:
    """A kind scan-back refused before ("…在本系统中不存在"): the statement's pages file with it, and
    the clerk's form offers the statement and the transfer letter for a page without a code."""
    from mediation_desk.exchange import letters
    from mediation_desk.services import kept, termination

    from ..exchange.casebuild import CLAIMS, failed_case
    from ..services.test_scanback_kinds import printed_pages

    failed = failed_case(sqlite_db, files=False)
    with sqlite_db.write() as session:
        letters.print_transfer_letter(session, failed.mediator, failed.case_id, target="court",
                                      target_name="张掖市甘州区人民法院", claims=CLAIMS)
    with sqlite_db.read() as session:
        facts = termination.undisputed_facts_of(session, failed.case_id)
        assert facts is not None
        pdf = kept.signed_facts_pdf(session, facts)
    assert pdf is not None
    pages = printed_pages(pdf, tmp_path)
    paths = []
    for number, page in enumerate(pages, start=1):
        path = tmp_path / f"确认书第{number}页.jpg"
        path.write_bytes(scanner(page, seed=number, angle=-1.0))
        paths.append(path)
    cut = tmp_path / "确认书无码页.jpg"  # the same page, its bottom (the code) not scanned
    cut.write_bytes(scanner(pages[0].crop((0, 0, pages[0].width, pages[0].height - 320)), seed=9))
    panel = ScanBackPanel(case_runner, failed.clerk)
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.show()
    qtbot.waitExposed(panel)

    panel.import_paths([*paths, cut])

    lines = [r.text for r in panel.results.rows]
    span = "第1页" if len(pages) == 1 else f"第1–{len(pages)}页"
    assert lines[0] == (f"{failed.number} 无争议事实确认书 {span} → 已归档、"
                        "确认书已于2026年03月06日登记签字确认"), lines
    assert lines[1].startswith("确认书无码页.jpg → 未能识别，已放入待归档队列")
    assert not any("不存在" in line for line in lines)

    type_text(panel.case_number, failed.number)
    QTest.keyClick(panel.case_number, Qt.Key.Key_Return)
    assert not panel.form_error.isVisible()
    titles = {panel.document.itemData(i): panel.document.itemText(i) for i in range(panel.document.count())}
    ref = f"undisputed-facts:{facts.id}"
    assert titles[ref] == "无争议事实确认书"
    assert titles[f"transfer-letter:{failed.case_id}"] == "移送函"
    panel.document.setCurrentIndex(list(titles).index(ref))
    panel.page_no.setValue(len(pages) + 1)
    panel.grab().save(str(Path(os.environ.get("MEDIATION_DESK_SHOTS", "") or tmp_path) / "scanback_facts.png"))
    # The page without a code was the notice of rights, signed: filed by hand to it.
    notice = f"notice:{failed.case_id}"
    panel.document.setCurrentIndex(list(titles).index(notice))
    panel.page_no.setValue(1)
    panel.file_button.click()
    assert panel.queue.rowCount() == 0
    assert panel.results.rows[0].text.startswith(f"{failed.number} 人民调解当事人权利义务告知书 第1页 → 已归档")

    # The case's 文书 tab says which documents have their signed copy back.
    tab = DocumentsTab(case_runner, failed.mediator)
    qtbot.addWidget(tab)
    tab.resize(1100, 500)
    tab.show()
    with qtbot.waitSignal(tab.checked):
        tab.show_case(failed.case_id)
    status = {row.kind: tab.model.text(row, DocumentsModel.COL_STATUS) for row in tab.model.rows}
    assert status["notice"] == "可以预览和打印；已收回签字件"
    assert status["registration"] == "可以预览和打印"
    shots = Path(os.environ.get("MEDIATION_DESK_SHOTS", "") or tmp_path)
    tab.grab().save(str(shots / "documents_tab_signed_copy.png"))


def test_the_case_number_field_holds_a_six_digit_township_number_at_1366_pixels(
        chinese: None, app_fonts: str | None, case_runner: Runner, built: casefile.Built, qtbot: QtBot) -> None:
    """On the 1M demo the county's numbers have six digits and a township's name is three
    characters longer: beside the preview the field had ~175 px and cut （2026）甘矛调字第932235号."""
    panel = make_panel(case_runner, built, qtbot)
    field = panel.case_number
    qtbot.waitUntil(lambda: field.width() > 0)
    number = "（2026）甘州梁家墩调字第932235号"
    margins = field.textMargins()
    room = field.contentsRect().width() - margins.left() - margins.right() - 4  # QLineEdit's own 2 px a side
    assert field.fontMetrics().horizontalAdvance(number) <= room
    type_text(field, number)
    assert field.text() == number
