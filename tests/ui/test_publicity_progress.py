"""The publicity panel's long jobs: an export or a print of a month of hundreds of pages says how
far it is, can be stopped (an export stopped writes nothing), paints off the GUI thread, honours
the print dialog's page range and asks before a long print."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageLayout, QPdfWriter
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.documents import publicity as document
from mediation_desk.documents.publicity import layout
from mediation_desk.readmodels import publicity as listing
from mediation_desk.ui.desk import publicity as publicity_ui
from mediation_desk.ui.desk.publicity import LongJob, PublicityPanel, page_range

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui

MONTH = listing.Month(2026, 10)
#: Rows of a list of over a hundred pages (~25 rows a page).
MANY = 4000


def printable(cases: int) -> listing.PrintableList:
    rows = tuple(listing.PublicityRow(
        case_id=n, section=listing.ACCEPTED if n % 3 else listing.CLOSED, number=f"（2026）甘矛调字第{n:05d}号",
        dispute_type="邻里", accepted_on="2026-10-08", applicants="张某", respondents="李某",
        team="城建物业调解团队", status="调解成功", closed_on="2026-10-30" if n % 3 == 0 else "")
        for n in range(1, cases + 1))
    return listing.PrintableList("张掖市甘州区矛盾纠纷调处中心", MONTH, rows, None, date(2026, 11, 2))


def make_panel(runner: Runner, db: Database, qtbot: QtBot) -> PublicityPanel:
    panel = PublicityPanel(runner, login_as(db, "head"), today=lambda: date(2026, 11, 15))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.overview is not None, timeout=20_000)  # the month's own read is done
    return panel


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)  # pages rendered at 72 dpi: the test is about pages, not ink
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


def idle(panel: PublicityPanel) -> bool:
    return (panel.job is None and panel.export_button.isEnabled() and panel.print_button.isEnabled()
            and not panel.cancel_button.isVisible() and not panel.progress_bar.isVisible())


def hold_until_cancelled(monkeypatch: pytest.MonkeyPatch, module: object, name: str, panel: PublicityPanel,
                         after: int) -> Callable[[], None]:
    """The worker's ``module.name`` (a page drawn or rendered) waits, after its ``after``-th call, until
    取消 has reached the panel's job (at most a minute): the test's click lands mid-job however slowly
    the GUI thread gets its turn on a loaded machine, where the worker could otherwise finish first.
    Returns what lets the later jobs through (a job stopped before its first page never waited)."""
    original: Callable[..., object] = getattr(module, name)
    calls = [0]
    released = [False]

    def held(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == after:
            deadline = time.monotonic() + 60
            while (not released[0] and (job := panel.job) is not None and not job.cancelled
                   and time.monotonic() < deadline):
                time.sleep(0.005)
        return result
    monkeypatch.setattr(module, name, held)
    return lambda: released.__setitem__(0, True)


PAGE = re.compile(r"page ([\d,]+) of ([\d,]+)")


def numbers(text: str) -> tuple[int, int]:
    found = PAGE.search(text)
    assert found is not None, text
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def test_an_export_says_its_pages_up_to_the_total_and_writes_them_all(
        threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    panel.progress_interval = 0.02
    data = printable(MANY)
    total = len(layout(data))
    assert total > 100
    said: list[str] = []
    panel.progressed.connect(said.append)
    bars: list[tuple[bool, int, int]] = []
    panel.progressed.connect(lambda _text: bars.append(
        (panel.progress_bar.isVisible(), panel.progress_bar.value(), panel.progress_bar.maximum())))
    target = tmp_path / "公示.pdf"
    with qtbot.waitSignal(panel.exported, timeout=120_000):
        panel.export_list(data, str(target))
        assert not panel.export_button.isEnabled() and not panel.print_button.isEnabled()
        assert panel.cancel_button.isVisible() and panel.cancel_button.isEnabled()
        assert not panel.progress_bar.isVisible()  # until the page count is known
    assert said and all(text.startswith("Making the publicity PDF: page") for text in said)
    done = [numbers(text) for text in said]
    assert all(of == total for _page, of in done)
    pages = [page for page, _of in done]
    assert pages == sorted(pages) and pages[0] == 0 and pages[-1] == total
    assert bars == [(True, page, total) for page in pages]
    assert len(set(pages)) >= 3  # pages in between were told too, not only the start and the end
    assert len(PdfReader(str(target)).pages) == total
    assert panel.message_label.text() == f"Saved as {target}"
    assert idle(panel)


@pytest.mark.usefixtures("chinese", "app_fonts")
def test_the_progress_and_the_cancel_read_in_chinese(threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    panel.progress_interval = 0
    hold_until_cancelled(monkeypatch, document, "_draw_page", panel, after=2)
    assert panel.cancel_button.text() == "取消(&C)"
    seen: list[str] = []

    def look(text: str) -> None:  # mid-export, as the head sees it, then 取消
        if not seen and "第 0 /" not in text:
            seen.append(text)
            assert panel.grab().save(str(tmp_path / "export.png"))
            panel.cancel_button.click()
    panel.progressed.connect(look)
    with qtbot.waitSignal(panel.cancelled, timeout=120_000) as stopped:
        panel.export_list(printable(MANY), str(tmp_path / "公示.pdf"))
    assert re.fullmatch(r"正在生成公示 PDF：第 [\d,]+ / [\d,]+ 页…", seen[0]), seen
    assert stopped.args == ["已取消，未生成文件"] and panel.message_label.text() == "已取消，未生成文件"
    assert (tmp_path / "export.png").stat().st_size > 0 and not (tmp_path / "公示.pdf").exists()


def test_cancel_stops_an_export_and_leaves_no_file(threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    panel.progress_interval = 0
    release = hold_until_cancelled(monkeypatch, document, "_draw_page", panel, after=1)
    folder = tmp_path / "out"
    folder.mkdir()
    told: list[str] = []

    def cancel_on_first_page(text: str) -> None:
        told.append(text)
        if len(told) == 1:
            panel.cancel_button.click()
    panel.progressed.connect(cancel_on_first_page)
    exported: list[str] = []
    panel.exported.connect(exported.append)
    with qtbot.waitSignal(panel.cancelled, timeout=120_000) as stopped:
        panel.export_list(printable(MANY), str(folder / "公示.pdf"))
    assert stopped.args == ["Cancelled: no file was written"]
    assert panel.message_label.text() == "Cancelled: no file was written"
    assert list(folder.iterdir()) == [] and not exported  # no PDF, no temporary file beside it
    total = numbers(told[0])[1]
    assert numbers(told[-1])[0] < total  # it stopped before the end
    assert idle(panel)

    # The next export runs as if nothing had happened.
    panel.progressed.disconnect(cancel_on_first_page)
    release()
    with qtbot.waitSignal(panel.exported, timeout=60_000):
        panel.export_list(printable(40), str(folder / "公示.pdf"))
    assert [p.name for p in folder.iterdir()] == ["公示.pdf"]
    assert len(PdfReader(str(folder / "公示.pdf")).pages) == len(layout(printable(40)))
    assert idle(panel)


def test_cancel_while_the_list_is_read_writes_nothing(threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                                     tmp_path: Path) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    target = tmp_path / "公示.pdf"
    panel.ask_save_path = lambda suggested: str(target)
    exported: list[str] = []
    panel.exported.connect(exported.append)
    panel.export_button.click()
    assert panel.message_label.text() == "Reading the publicity list…" and not idle(panel)
    # Nothing is drawn yet: 取消 ends it at once, and the list, when it comes, is dropped.
    with qtbot.waitSignal(panel.cancelled, timeout=1) as stopped:
        panel.cancel_button.click()
    assert stopped.args == ["Cancelled: no file was written"] and idle(panel)
    qtbot.waitUntil(lambda: threaded.running == 0, timeout=60_000)
    assert not target.exists() and not exported and panel.message_label.text() == "Cancelled: no file was written"

    # The same for a print of a long list while it is laid out.
    printed: list[int] = []
    panel.printed.connect(printed.append)
    panel.ask_print_pages = lambda question: pytest.fail("asked")
    with qtbot.waitSignal(panel.cancelled, timeout=1) as stopped:
        panel.print_printable(printable(MANY), pdf_printer(tmp_path / "printed.pdf"))
        assert panel.message_label.text() == "Laying out the publicity list (4,000 cases)…"
        panel.cancel_button.click()
    assert stopped.args == ["Printing cancelled: nothing was sent"] and idle(panel)
    qtbot.waitUntil(lambda: threaded.running == 0, timeout=60_000)
    assert not printed and not (tmp_path / "printed.pdf").exists()


def test_printing_honours_the_page_range_and_asks_before_a_long_list(
        threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    data = printable(1000)
    total = len(layout(data))
    assert total > 30 > publicity_ui.CONFIRM_PAGES  # the declined range 2–30 below is long
    asked: list[str] = []
    answer = [True]

    def ask(question: str) -> bool:
        asked.append(question)
        return answer[0]
    panel.ask_print_pages = ask

    # Pages 3–5 of the list: three sheets, and no question for three pages.
    ranged = pdf_printer(tmp_path / "range.pdf")
    ranged.setFromTo(3, 5)
    with qtbot.waitSignal(panel.printed, timeout=60_000) as printed:
        panel.print_printable(data, ranged)
    assert printed.args == [3] and len(PdfReader(str(tmp_path / "range.pdf")).pages) == 3
    assert asked == [] and panel.message_label.text() == "3 page(s) sent to the printer" and idle(panel)

    # No range: every page, after the question (the page count from the layout, before drawing).
    with qtbot.waitSignal(panel.printed, timeout=60_000) as printed:
        panel.print_printable(data, pdf_printer(tmp_path / "all.pdf"))
    assert printed.args == [total] and len(PdfReader(str(tmp_path / "all.pdf")).pages) == total
    assert asked == [f"The publicity list of the month has {total} pages (1,000 cases). Print it?"]

    # A long range asks with the pages it prints; 取消 there prints nothing.
    answer[0] = False
    long_range = pdf_printer(tmp_path / "declined.pdf")
    long_range.setFromTo(2, 30)
    with qtbot.waitSignal(panel.cancelled, timeout=60_000) as stopped:
        panel.print_printable(data, long_range)
    assert asked[-1] == (f"The publicity list of the month has {total} pages (1,000 cases). "
                         "Print pages 2–30 (29 pages)?")
    assert stopped.args == ["Printing cancelled: nothing was sent"]
    assert not (tmp_path / "declined.pdf").exists() and idle(panel)

    # A range past the list's end says so and prints nothing.
    beyond = pdf_printer(tmp_path / "beyond.pdf")
    beyond.setFromTo(total + 1, total + 5)
    panel.print_printable(data, beyond)
    qtbot.waitUntil(lambda: idle(panel), timeout=60_000)
    assert panel.message_label.text() == f"The pages chosen hold none of the list's {total} pages."
    assert not (tmp_path / "beyond.pdf").exists()


def test_a_short_list_prints_without_asking(runner: Runner, demo_sqlite_db: Database, qtbot: QtBot,
                                           tmp_path: Path) -> None:
    panel = make_panel(runner, demo_sqlite_db, qtbot)
    panel.ask_print_pages = lambda question: pytest.fail(f"asked: {question}")
    printer = pdf_printer(tmp_path / "printed.pdf")  # no page range: all pages
    panel.ask_printer = lambda: printer
    with qtbot.waitSignal(panel.printed) as printed:
        panel.print_button.click()
    assert printed.args[0] == len(PdfReader(str(tmp_path / "printed.pdf")).pages) <= publicity_ui.CONFIRM_PAGES


def test_the_window_keeps_turning_while_it_prints_and_cancel_stops_the_print(
        threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    panel.progress_interval = 0
    panel.ask_print_pages = lambda question: True
    data = printable(500)
    total = len(layout(data))
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    # A tick counts when it comes while pages are being painted onto the printer.
    timer.timeout.connect(lambda: ticks.append(1) if panel.job is not None and panel.job.step == panel.PRINTING
                          else None)
    said: list[str] = []
    panel.progressed.connect(said.append)
    timer.start()
    with qtbot.waitSignal(panel.printed, timeout=120_000) as printed:
        panel.print_printable(data, pdf_printer(tmp_path / "all.pdf"))
    timer.stop()
    assert printed.args == [total] and len(ticks) > 0
    printing = [numbers(text) for text in said if text.startswith("Printing: page")]
    assert printing[0] == (0, total) and printing[-1] == (total, total)
    assert any(text.startswith("Preparing the print: page") for text in said)

    # 取消 once the first pages went: the print stops; printed into a file (打印到文件), the pages
    # written go with it: no PDF cut short is left behind, and the panel says so.
    def cancel_once_printing(text: str) -> None:
        if text.startswith("Printing: page") and numbers(text)[0] >= 2 and panel.cancel_button.isEnabled():
            panel.cancel_button.click()
    panel.progressed.connect(cancel_once_printing)
    hold_until_cancelled(monkeypatch, publicity_ui, "render_page", panel, after=3)
    stopped_file = tmp_path / "stopped.pdf"
    with qtbot.waitSignal(panel.cancelled, timeout=120_000) as stopped:
        panel.print_printable(data, pdf_printer(stopped_file))
    assert stopped.args[0] == "Cancelled: no file was written"
    assert panel.message_label.text() == stopped.args[0] and idle(panel)
    assert not stopped_file.exists()
    assert (tmp_path / "all.pdf").exists()  # the print that went through keeps its file


def test_a_print_stopped_on_a_printer_says_how_many_pages_went(
        threaded: Runner, demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """On a printer (no file), 取消 after some pages says how many were sent: the spooler drops the
    job (QPrinter.abort), the sheets already out are out."""
    panel = make_panel(threaded, demo_sqlite_db, qtbot)
    job = panel._begin_job("", "")
    job.step = panel.PRINTING
    with qtbot.waitSignal(panel.cancelled, timeout=5_000) as stopped:
        panel._printed(job, 3, True, to_file=False)
    assert stopped.args[0] == "Printing cancelled (3 page(s) sent)" and idle(panel)


def test_paint_pdf_stopped_mid_way_leaves_no_file_behind(qapp: object, tmp_path: Path) -> None:
    """paint_pdf into a QPrinter printing to a file: stopped by its progress after two pages, the file
    is gone (QPrinter.abort drops a spooled job, not a file's pages); painted whole, it stays."""
    pdf = document.render_publicity(printable(200))

    def stop_after_two(done: int, _total: int) -> None:
        if done == 2:
            raise publicity_ui.Cancelled

    stopped = tmp_path / "stopped.pdf"
    printer = pdf_printer(stopped)
    assert publicity_ui.printed_to_file(printer) == str(stopped)
    with pytest.raises(publicity_ui.Cancelled):
        publicity_ui.paint_pdf(pdf, printer, progress=stop_after_two)
    assert not stopped.exists()
    whole = tmp_path / "whole.pdf"
    pages = publicity_ui.paint_pdf(pdf, pdf_printer(whole))
    assert len(PdfReader(whole).pages) == pages > 2
    assert publicity_ui.printed_to_file(QPdfWriter(str(tmp_path / "writer.pdf"))) == ""


def test_progress_is_told_a_few_times_a_second_and_cancel_stops_before_the_next_page() -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 0.01  # a page every 10 ms
        return now[0]
    told: list[tuple[int, int, int]] = []
    job = LongJob(lambda step, done, total: told.append((step, done, total)), 0.2, clock=clock)
    progress = job.pages(1)
    for page in range(1001):
        progress(page, 1000)
    assert told[0] == (1, 0, 1000) and told[-1] == (1, 1000, 1000)
    assert 40 <= len(told) <= 60  # ten seconds of pages, told every 0.2 s
    job.cancel()
    with pytest.raises(publicity_ui.Cancelled):
        job.pages(3)(5, 1000)
    assert (job.step, job.done) == (3, 5)
    job.pages(3)(1000, 1000)  # the last page is done: nothing left to stop


def test_page_range(qapp: object, tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "x.pdf")
    assert page_range(printer, 30) == (1, 30)
    printer.setFromTo(3, 5)
    assert page_range(printer, 30) == (3, 5)
    printer.setFromTo(28, 40)
    assert page_range(printer, 30) == (28, 30)
    printer.setFromTo(31, 40)
    first, last = page_range(printer, 30)
    assert first > last
    assert page_range(QPdfWriter(str(tmp_path / "y.pdf")), 7) == (1, 7)
