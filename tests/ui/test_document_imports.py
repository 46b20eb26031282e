"""A person's first document of a session (an agreement's preview, a session's notices) made the
GUI thread import reportlab and the document modules: 0.5–1.5 s with the window frozen
(bench/dialogs.py, walk-dialogs). They are imported on the worker that renders; the window only
shows the PDF. Checked with the real threaded runner, by who calls the import of those modules."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry
from mediation_desk.ui.common.pdf_preview import DocumentPreview
from mediation_desk.ui.common.tasks import TaskRunner

from ..services.sessions_world import STORY_DAY, SessionsWorld

pytestmark = [pytest.mark.gui, pytest.mark.story_day(STORY_DAY)]

#: What rendering a document loads (the services that render, the layouts, reportlab).
HEAVY = ("reportlab", "mediation_desk.documents", "mediation_desk.services.dossier", "mediation_desk.services.printing")


def heavy(name: str, fromlist: Any) -> str | None:
    names = [name] + [f"{name}.{item}" for item in (fromlist or ()) if isinstance(item, str)]
    return next((n for n in names if n.startswith(HEAVY)), None)


@pytest.fixture
def gui_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The heavy imports asked for on the GUI thread (whether already loaded or not: a first one
    loads, and where it is asked is where it would load)."""
    asked: list[str] = []
    original = builtins.__import__
    gui = threading.main_thread()

    def spy(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if threading.current_thread() is gui and level == 0:
            found = heavy(name, fromlist)
            if found is not None:
                asked.append(found)
        return original(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", spy)
    yield asked


@pytest.fixture
def world(sqlite_db: Database) -> SessionsWorld:
    return SessionsWorld(sqlite_db)


@pytest.fixture
def threaded(sqlite_db: Database) -> Iterator[TaskRunner]:
    runner = TaskRunner(sqlite_db)
    yield runner
    runner.shutdown(dispose=False)


def test_a_preview_renders_and_logs_its_print_without_importing_on_the_gui_thread(
        sqlite_db: Database, world: SessionsWorld, threaded: TaskRunner, qtbot: QtBot, gui_imports: list[str],
        tmp_path: Any) -> None:
    case_id = world.case()
    preview = DocumentPreview(threaded, world.mediator, title="受理登记表")
    qtbot.addWidget(preview)
    preview.show()
    with qtbot.waitSignal(preview.loaded, timeout=20_000):
        preview.load_document(case_id, "registration")
    assert preview.page_count >= 1
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(preview.printed, timeout=20_000):
        preview.print_on(printer)

    def logged() -> bool:
        with sqlite_db.read() as session:
            return session.scalar(select(AuditEntry.id).where(AuditEntry.action == "document.print")) is not None

    qtbot.waitUntil(logged, timeout=20_000)  # the print's log entry, written by the worker
    assert gui_imports == []


def test_a_sessions_notices_are_made_without_importing_on_the_gui_thread(
        world: SessionsWorld, threaded: TaskRunner, qtbot: QtBot, gui_imports: list[str]) -> None:
    from mediation_desk.ui.cases.tabs.sessions import SessionsTab

    case_id = world.case()
    world.schedule(case_id, "2026-11-30T09:00", "2026-11-30T10:30")
    tab = SessionsTab(threaded, world.mediator)
    qtbot.addWidget(tab)
    tab.show()
    tab.show_case(case_id)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=20_000)
    tab.table.selectRow(0)
    assert tab.notices_button.isEnabled()
    QTest.mouseClick(tab.notices_button, Qt.MouseButton.LeftButton)

    def shown() -> bool:
        preview = getattr(tab, "preview", None)
        return preview is not None and preview.page_count >= 1

    qtbot.waitUntil(shown, timeout=20_000)
    assert tab.preview is not None
    tab.preview.close()
    assert gui_imports == []
