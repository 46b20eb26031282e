"""Case lists dropped in reference cycles and collected, as at 注销 (``collector.resettle`` runs a
full collection over the old window, its lists among it): the collector may clear the Python
wrapper of an item the store holds before the store itself. An item made in Python and kept by
the store as its prototype or a header item was then deleted by Python and again by
``~QStandardItemModel`` (a segmentation fault while collecting)."""

from __future__ import annotations

import gc
import weakref
from functools import partial

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from mediation_desk.db import Database
from mediation_desk.ui.cases.list_model import CaseListModel
from mediation_desk.ui.common.tasks import TaskRunner

from ..conftest import login_as

pytestmark = pytest.mark.gui

ROUNDS = 6
LISTS = 3


def arrived(model: CaseListModel) -> bool:
    return model.is_row_loaded(0) and not model.loading


def idle(runner: TaskRunner) -> bool:
    return runner.running == 0


def test_case_lists_dropped_in_cycles_after_their_rows_arrive_are_collected_on_the_gui_thread(
        demo_sqlite_db: Database, qtbot: QtBot) -> None:
    """Lists on the real lanes get their rows and are re-sorted (each row's items made from a new
    prototype), then dropped with their runner in reference cycles and collected; six times. On
    the code before, the process died in the first rounds' collection."""
    head = login_as(demo_sqlite_db, "head")
    freed: list[weakref.ref[CaseListModel]] = []
    for _round in range(ROUNDS):
        runner = TaskRunner(demo_sqlite_db)
        models = [CaseListModel(runner, head) for _ in range(LISTS)]
        for model in models:
            qtbot.waitUntil(partial(arrived, model), timeout=30_000)
        for model in models:
            with qtbot.waitSignal(model.rows_loaded, timeout=30_000):
                model.sort(CaseListModel.COL_RECEIVED, Qt.SortOrder.DescendingOrder)
            assert model.headerData(CaseListModel.COL_TITLE, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole)  # cannot sort: says so
            assert model.headerData(CaseListModel.COL_RECEIVED, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole) is None
        qtbot.waitUntil(partial(idle, runner), timeout=30_000)
        runner.shutdown(dispose=False)
        QCoreApplication.processEvents()
        for model in models:
            model.cycle = (model, runner)  # type: ignore[attr-defined]  # only the collector frees it
            freed.append(weakref.ref(model))
        del model, models, runner
        gc.collect()
    assert [ref() for ref in freed] == [None] * (ROUNDS * LISTS)
