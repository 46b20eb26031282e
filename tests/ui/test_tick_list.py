"""The one tick-list model of the team form and the assignment panel, on its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from mediation_desk.ui.common.tick_list import TickItem, TickListModel

from .conftest import check_model

pytestmark = pytest.mark.gui

ITEMS = [TickItem(3, "婚姻家庭"), TickItem(7, "邻里"), TickItem(9, "消防", muted=True)]


def test_ticks_pass_the_model_tester_through_every_change(qtmodeltester: ModelTester) -> None:
    model = TickListModel()
    check_model(qtmodeltester, model)
    model.set_items(ITEMS, [9, 3])
    check_model(qtmodeltester, model)
    assert model.set_checked(7, True)
    model.set_disabled({3})
    check_model(qtmodeltester, model)
    model.set_items(ITEMS[1:])
    check_model(qtmodeltester, model)


def test_ticks_are_kept_by_id_in_the_order_of_the_list() -> None:
    model = TickListModel()
    model.set_items(ITEMS, [9, 3, 42])  # 42 is not listed: no tick for it
    assert model.checked_ids() == (3, 9)
    assert model.data(model.index(0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(model.index(1), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.data(model.index(1), TickListModel.IdRole) == 7
    assert model.row_of(9) == 2 and model.row_of(42) is None
    # A new list without ticks keeps those of the items still listed; with ticks it takes those.
    model.set_items([TickItem(9, "消防"), TickItem(7, "邻里")])
    assert model.checked_ids() == (9,)
    model.set_items(ITEMS, [7])
    assert model.checked_ids() == (7,)


def test_a_click_ticks_and_tells_but_a_new_list_does_not(qtbot: QtBot) -> None:
    model = TickListModel()
    told: list[tuple[int, ...]] = []
    model.checked_changed.connect(lambda: told.append(model.checked_ids()))
    model.set_items(ITEMS, [3])
    assert told == []
    assert model.setData(model.index(1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert told == [(3, 7)]
    assert model.setData(model.index(0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert told == [(3, 7), (7,)]
    # The same tick again changes nothing and tells nothing; a display edit is refused.
    assert model.set_checked(7, True)
    assert not model.setData(model.index(1), "x", Qt.ItemDataRole.EditRole)
    assert told == [(3, 7), (7,)]
    assert not model.set_checked(42, True)


def test_a_disabled_item_is_unticked_and_cannot_be_ticked() -> None:
    model = TickListModel()
    told: list[tuple[int, ...]] = []
    model.checked_changed.connect(lambda: told.append(model.checked_ids()))
    model.set_items(ITEMS, [3, 7])
    model.set_disabled({3})
    assert told == [(7,)]
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsEnabled
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsEnabled
    assert model.flags(model.index(1)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.set_checked(3, True)
    assert not model.setData(model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.checked_ids() == (7,)
    model.set_disabled(set())
    assert model.set_checked(3, True)
    assert model.checked_ids() == (3, 7)


def test_a_muted_item_is_grey_and_the_others_are_not() -> None:
    model = TickListModel()
    model.set_items(ITEMS)
    assert isinstance(model.data(model.index(2), Qt.ItemDataRole.ForegroundRole), QBrush)
    assert model.data(model.index(0), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(2)) == "消防"
    assert [item.text for item in model.items()] == ["婚姻家庭", "邻里", "消防"]
