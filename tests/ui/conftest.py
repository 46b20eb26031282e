"""Fixtures of the interface tests: a synchronous operation runner over the test database, the
compiled translations, and typing that works for Chinese."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from mediation_desk.db import Database
from mediation_desk.models import PartyRole
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import caselist, cases, reference
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery, CaseRow
from mediation_desk.ui.common import i18n
from mediation_desk.ui.common.tasks import Hold, Lane, TaskFailure, TaskHandle, TaskRunner, _Callbacks

from .jobholds import job_holdings

if TYPE_CHECKING:
    # Imported lazily by pytest-qt itself: at conftest import time its Qt binding is not chosen yet.
    from pytestqt.modeltest import ModelTester

ROOT = Path(__file__).resolve().parents[2]
UI_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform warns on every top-level window it shows ("does not support
    # propagateSizeHints()"); that says nothing about the app, while other Qt warnings still fail.
    for item in items:
        if UI_TESTS in Path(str(item.path)).parents:
            # The same for a popup (a completer's list of what fits what was typed).
            item.add_marker(pytest.mark.qt_log_ignore(
                "This plugin does not support propagateSizeHints",
                r"This plugin does not support (raise\(\)|grabbing the keyboard)"))


@pytest.fixture(autouse=True)
def jobs_hold_no_qt_object(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every job any runner is given (threaded or synchronous: a synchronous runner's job would
    hold the same on a lane) must not reach a Qt object (tests/ui/jobholds.py): the job's function
    is dropped on the lane's worker thread, and a panel, model or dialog whose last reference went
    there would be deleted off the GUI thread while it may still receive events. A job computes
    what it needs on the GUI thread — ids, filters, the database, an Event — and closes over that."""
    found: dict[str, None] = {}
    submit = TaskRunner._submit

    def guarded(self: TaskRunner, lane: Lane, job: Callable[[], Any], callbacks: _Callbacks, what: str = "",
                after: Hold | None = None, *, unheld: bool = False) -> TaskHandle:
        # The runner itself may be held: each work item holds it anyway (``_run_on_worker`` is its
        # bound method), and ``shutdown`` waits for every lane's thread to end, so the runner
        # outlives every work item of a runner its owner shuts down.
        for path in job_holdings(job, allowed=(self,)):
            found.setdefault(f"{what}: {path}")
        return submit(self, lane, job, callbacks, what, after, unheld=unheld)

    monkeypatch.setattr(TaskRunner, "_submit", guarded)
    yield
    if found:
        pytest.fail("jobs that hold a Qt object (dropped on a worker thread, it could be deleted there):\n"
                    + "\n".join(found), pytrace=False)


class Runner(TaskRunner):
    """The synchronous runner, remembering failures nobody handled so a test cannot miss them."""

    def __init__(self, database: Database | None, *, synchronous: bool = True) -> None:
        super().__init__(database, synchronous=synchronous)
        self.unhandled: list[TaskFailure] = []
        self.failed.connect(self.unhandled.append)


@pytest.fixture
def runner(demo_sqlite_db: Database, qapp: QApplication) -> Iterator[Runner]:
    """The synchronous runner; with the application, which the case list's icons need as soon as
    rows arrive (its items are made when fetched, not when painted)."""
    task_runner = Runner(demo_sqlite_db)
    yield task_runner
    task_runner.shutdown(dispose=False)  # the database fixture disposes of the engines
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


@pytest.fixture
def threaded(demo_sqlite_db: Database, qapp: QApplication) -> Iterator[Runner]:
    """The lanes on worker threads, as the desk runs them (a read must not run on the GUI thread,
    a long job must leave the window turning, 取消 must reach a job under way)."""
    task_runner = Runner(demo_sqlite_db, synchronous=False)
    yield task_runner
    task_runner.shutdown(dispose=False)
    assert not task_runner.unhandled, [f.message for f in task_runner.unhandled]


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm catalogs, built by the same tool the setup runs."""
    out = tmp_path_factory.mktemp("qm")
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_translations.py"), "--out-dir", str(out)],
                   check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="session")
def app_fonts(qapp: QApplication) -> str | None:
    """The shipped fonts, registered as the app registers them at start-up: a test that paints
    Chinese and looks at the pixels must not depend on an earlier test having done it."""
    return i18n.register_fonts(qapp)


@pytest.fixture
def language(qapp: QApplication, qm_dir: Path) -> Iterator[object]:
    """Install the translators of a language for one test: ``language("zh_CN")``."""
    installed: list[QTranslator] = []

    def install(code: str) -> list[QTranslator]:
        translators = i18n.install_translators(qapp, code, qm_dir)
        installed.extend(translators)
        return translators

    yield install
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


@pytest.fixture
def chinese(language: object) -> None:
    assert callable(language)
    assert language("zh_CN"), "the zh_CN catalog did not load"


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    """pytest-qt's model tester (Qt's QAbstractItemModelTester rules plus its own)."""
    tester.check(model)  # type: ignore[no-untyped-call]  # pytest-qt ships no type hints


def type_text(widget: QWidget, text: str) -> None:
    """Type like an input method commits text: safe for Chinese, where ``keyClicks`` aborts."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def rows_where(db: Database, actor: Actor, flt: CaseFilter, limit: int = 500) -> list[CaseRow]:
    query = CaseQuery(filter=flt)
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        return caselist.fetch_window(session, actor, query, 0, min(limit, total), total=total)


def register_case(db: Database, clerk: Actor, title: str = "相邻通行纠纷") -> int:
    """A new case in state 登记 (the demo's cases have all moved on), registered at the window."""
    with db.write() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "邻里")
        return cases.register_case(session, clerk, cases.CaseInput(
            title=title,
            dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
            facts="两家因院前通道发生争执。",
            requests=["请求对方拆除堆放物", "恢复通行"],
        ))
