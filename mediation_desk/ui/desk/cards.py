"""Cards, not reminders (services/cards.py, docs/cards.md).

- :class:`CardsPanel` — on the desk: the 黄牌 / 红牌督办 of the last month for the cases this person
  sees, and the 延期申请 waiting; the head approves or refuses a request here. Loading the panel (at
  sign-in, when the desk is refreshed, when the day changes) first runs the check for the desk's
  day, so a card appears on the day its clock turns.
- :class:`CardsSection` — the head's section: the stage limits in a table edited with the keyboard
  (per stationed department and dispute type; the most specific row wins) and each department's
  monthly score, each figure opening the list of its cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.models import ClockColour, ClockStage
from mediation_desk.services import cards, clocks
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.format import TodayProvider, format_day
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP, enum_text
from mediation_desk.ui.common.page import LoadedPage
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, list_table, named, widen_to_contents

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor
    from mediation_desk.services.cards import CardInfo, CardsPage, LimitRule, LimitsPage, RequestInfo, ScoresPage

RED = "#c62828"
AMBER = "#b26a00"
CARD_COLOURS = {ClockColour.YELLOW: AMBER, ClockColour.RED: RED}


class CardsModel(RowsModel["CardInfo"]):
    CONTEXT = "CardsModel"
    COL_GIVEN, COL_CARD, COL_NUMBER, COL_TITLE, COL_STAGE, COL_DUE, COL_TO = range(7)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("CardsModel", "Given"),
        QT_TRANSLATE_NOOP("CardsModel", "Card"),
        QT_TRANSLATE_NOOP("CardsModel", "Case number"),
        QT_TRANSLATE_NOOP("CardsModel", "Title"),
        QT_TRANSLATE_NOOP("CardsModel", "Stage"),
        QT_TRANSLATE_NOOP("CardsModel", "Due"),
        QT_TRANSLATE_NOOP("CardsModel", "Addressed to"),
    )

    def text(self, row: CardInfo, column: int) -> str:
        return (format_day(row.given_on), row.label, row.number, row.title, enum_text(row.stage),
                format_day(row.due_on), row.addressed_to)[column]

    def cell(self, row: CardInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_CARD:
            return QBrush(QColor(CARD_COLOURS.get(row.colour, "#000000")))
        return None


class RequestsModel(RowsModel["RequestInfo"]):
    CONTEXT = "RequestsModel"
    COL_ASKED, COL_NUMBER, COL_STAGE, COL_DAYS, COL_DUE, COL_REASON, COL_FROM, COL_STATUS = range(8)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("RequestsModel", "Asked"),
        QT_TRANSLATE_NOOP("RequestsModel", "Case number"),
        QT_TRANSLATE_NOOP("RequestsModel", "Stage"),
        QT_TRANSLATE_NOOP("RequestsModel", "More days"),
        QT_TRANSLATE_NOOP("RequestsModel", "Due now"),
        QT_TRANSLATE_NOOP("RequestsModel", "Reason"),
        QT_TRANSLATE_NOOP("RequestsModel", "From"),
        QT_TRANSLATE_NOOP("RequestsModel", "Status"),
    )

    def text(self, row: RequestInfo, column: int) -> str:
        sender = "、".join(n for n in (row.department, row.team) if n) or row.requested_by
        return (format_day(row.requested_on), row.number, enum_text(row.stage), f"{row.days}{row.unit}",
                format_day(row.due_on), row.reason, sender, row.status.label)[column]


class CardsPanel(LoadedPage["CardsPage"]):
    """The desk's cards and extension requests. :attr:`loaded`: read again and shown."""

    open_case = Signal(int)
    #: A check gave cards (how many), or a request was decided.
    checked = Signal(int)
    #: The last of the desk's reads, beside its check: a township head's took 0.5-1 s on the 1M
    #: demo (the cards of the month, sqlite-stats), which on the interactive lane held up the list
    #: a person opened meanwhile.
    lane: ClassVar[Lane] = Lane.SLOW

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None, load: bool = True) -> None:
        super().__init__(runner, parent, error_name="cardsError")
        self.setObjectName("cardsPanel")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._reading_day = self._today()
        self._checked_on: date | None = None
        self._busy = False
        self.confirm_box: QWidget | None = None

        self.cards_model = CardsModel(self)
        self.cards_table = list_table(self.cards_model, "cardsTable", {
            CardsModel.COL_GIVEN: 92, CardsModel.COL_CARD: 72, CardsModel.COL_NUMBER: 180,
            CardsModel.COL_TITLE: 150, CardsModel.COL_STAGE: 90, CardsModel.COL_DUE: 92})
        self.requests_model = RequestsModel(self)
        self.requests_table = list_table(self.requests_model, "requestsTable", {
            RequestsModel.COL_ASKED: 92, RequestsModel.COL_NUMBER: 180, RequestsModel.COL_STAGE: 90,
            RequestsModel.COL_DAYS: 80, RequestsModel.COL_DUE: 92, RequestsModel.COL_REASON: 180})
        widen_to_contents(self.cards_table, CardsModel.COL_NUMBER)
        widen_to_contents(self.requests_table, RequestsModel.COL_NUMBER)
        self.note_edit = named(QLineEdit(), "decisionNote")
        self.note_edit.setPlaceholderText(self.tr("Reason (required to refuse)"))
        self.approve_button = named(QPushButton(self.tr("Approve")), "approveRequest")
        self.refuse_button = named(QPushButton(self.tr("Refuse")), "refuseRequest")
        self.decision_error = named(QLabel(), "decisionError")
        self.decision_error.setStyleSheet(ERROR_STYLE)
        self.decision_error.setWordWrap(True)
        self.decision_error.hide()
        self.done_label = named(QLabel(), "decisionDone")
        self.done_label.setStyleSheet(OK_STYLE)
        self.done_label.hide()
        # Under a tab bar and above the decision's line, three rows' minimum made the cards the
        # tallest panel of the desk's row and the head's window too tall for a 1366×768 screen.
        header = self.requests_table.horizontalHeader()
        self.requests_table.setMinimumHeight(self.requests_table.verticalHeader().defaultSectionSize()
                                             + header.sizeHint().height())
        requests = QWidget()
        grid = QGridLayout(requests)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.requests_table, 0, 0, 1, 3)
        grid.addWidget(self.note_edit, 1, 0)
        grid.addWidget(self.approve_button, 1, 1)
        grid.addWidget(self.refuse_button, 1, 2)
        grid.addWidget(self.decision_error, 2, 0, 1, 3)
        grid.addWidget(self.done_label, 3, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        deciding = cards.may_decide(actor)
        for widget in (self.note_edit, self.approve_button, self.refuse_button):
            widget.setVisible(deciding)

        self.tabs = named(QTabWidget(), "cardsTabs")
        self.tabs.addTab(self.cards_table, self.tr("Cards"))
        self.tabs.addTab(requests, self.tr("Extension requests"))
        self.box = named(QGroupBox(self.tr("Yellow and red cards")), "cardsBox")
        box_layout = QVBoxLayout(self.box)
        box_layout.addWidget(self.tabs)
        box_layout.addWidget(self.load_error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)

        for table in (self.cards_table, self.requests_table):
            table.activated.connect(self._activated)
            table.doubleClicked.connect(self._activated)
        self.requests_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_enabled())
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.refuse_button.clicked.connect(lambda: self.decide(approve=False))
        self._update_enabled()
        if load:  # the desk checks after its own lists have been read (DeskPanel)
            self.refresh()

    def set_today(self, today: TodayProvider) -> None:
        self._today = today
        self.refresh()

    def refresh(self, *, check: bool = True) -> None:
        """Give the cards due today (once a day, and whenever asked), then read the lists."""
        day = self._today()
        if check and cards.may_check(self._actor):
            self._checked_on = day
            actor = self._actor

            def due(session: Session) -> cards.DueCards:
                return cards.due_cards(session, actor, day)

            def done(given: int) -> None:
                self.checked.emit(given)
                self.reload()

            def asked(found: cards.DueCards) -> None:
                give_parts(found.parts(), set())

            def give_parts(parts: list[cards.DueCards], given: set[tuple[int, int]]) -> None:
                if not parts:
                    done(len(given))
                    return
                last = len(parts) == 1
                earlier = frozenset(case_id for case_id, _card in given)

                def work(session: Session) -> set[tuple[int, int]]:
                    # The last part notes its cases and the earlier parts': the desk's views read
                    # again once, not after each part.
                    result = cards.give(session, actor, parts[0], note=last)
                    return {(info.case_id, info.id) for info in result.given}

                def part_given(cards_given: set[tuple[int, int]]) -> None:
                    if last:
                        done(len(given | cards_given))
                    else:
                        QTimer.singleShot(round(cards.GIVE_PAUSE * 1000), self,
                                          lambda: give_parts(parts[1:], given | cards_given))

                def part_failed(failure: TaskFailure) -> None:
                    if earlier:  # given and committed, not yet announced
                        self._runner.changed.emit(Changes.cases(*earlier))
                    self._failed_check(failure)

                # One write per part, the next a moment after one is done: the desk's own saves and
                # the other desks' (waiting for SQLite's write lock) go in between.
                self._runner.run_write(work, on_success=part_given, on_error=part_failed,
                                       changes=Changes.cases(*earlier) if last and earlier else None)

            # The walk over the running clocks on a read: the write lane (and the database's write
            # lock) is taken only when a card is due, and then only to read those cases again by
            # their keys and write their cards, not for the seconds the walk over a county's clocks
            # takes. On the slow lane: the desk's lists, read on the interactive lane, do not queue
            # behind it.
            self._runner.run_slow_read(due, on_success=asked, on_error=self._failed_check)
            return
        self.reload()

    def _failed_check(self, failure: TaskFailure) -> None:
        self.load_error.setText(failure.message)
        self.load_error.show()
        self.reload()

    def reload(self) -> None:
        self._reading_day = self._today()
        super().reload()

    def reader(self) -> Callable[[Session], CardsPage]:
        actor, day = self._actor, self._reading_day

        def load(session: Session) -> CardsPage:
            return cards.desk_page(session, actor, day)

        return load

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.settings)

    def show_page(self, page: CardsPage) -> None:
        selected = self._selected_request()
        self.cards_model.set_rows(page.cards)
        self.requests_model.set_rows(page.requests)
        if selected is not None:
            for row, info in enumerate(self.requests_model.rows):
                if info.id == selected.id:
                    self.requests_table.selectRow(row)
        if page.more_cards:
            # Only the newest are listed: their colours are not the 30 days' counts (风险研判 and
            # 督办与考核 count them all).
            self.box.setTitle(self.tr("Yellow and red cards of the last 30 days: more than {n}, the newest {n} "
                                      "listed").format(n=f"{len(page.cards):,}"))
            self.tabs.setTabText(0, self.tr("Cards ({n}+)").format(n=f"{len(page.cards):,}"))
        else:
            red = sum(1 for c in page.cards if c.colour is ClockColour.RED)
            self.box.setTitle(self.tr("Yellow and red cards: {yellow} yellow, {red} red in the last 30 days").format(
                yellow=f"{len(page.cards) - red:,}", red=f"{red:,}"))
            self.tabs.setTabText(0, self.tr("Cards ({n})").format(n=f"{len(page.cards):,}"))
        requests_text = self.tr("Extension requests ({n}+)") if page.more_requests else \
            self.tr("Extension requests ({n})")
        self.tabs.setTabText(1, requests_text.format(n=f"{len(page.requests):,}"))
        self._update_enabled()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._checked_on is not None and self._checked_on != self._today():
            self.refresh()

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.model().data(index, RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)

    def _selected_request(self) -> RequestInfo | None:
        rows = self.requests_table.selectionModel().selectedRows() if self.requests_table.selectionModel() else []
        return self.requests_model.row_at(rows[0].row()) if rows else None

    def select_request(self, request_id: int) -> bool:
        for row, info in enumerate(self.requests_model.rows):
            if info.id == request_id:
                self.tabs.setCurrentIndex(1)
                self.requests_table.selectRow(row)
                return True
        return False

    def _update_enabled(self) -> None:
        chosen = self._selected_request() is not None and not self._busy
        self.approve_button.setEnabled(chosen)
        self.refuse_button.setEnabled(chosen)

    def decide(self, *, approve: bool) -> None:
        request = self._selected_request()
        if request is None or self._busy:
            return
        note, actor, day = self.note_edit.text(), self._actor, self._today()
        if not approve and not note.strip():
            self._show_error(self.tr("Type the reason for refusing in the box beside the buttons."))
            self.note_edit.setFocus()
            return

        def work(session: Session) -> RequestInfo:
            return cards.decide(session, actor, request.id, approve=approve, note=note, at=day,
                                expected_version=request.version)

        def go() -> None:
            self._set_busy(True)
            self.decision_error.hide()
            self._runner.run_write(work, on_success=self._decided, on_error=self._decision_failed)

        verb = self.tr("Approve") if approve else self.tr("Refuse")
        text = (self.tr("Approve {days}{unit} more for {stage} of case {number}? The due date moves and "
                        "cannot be moved back.") if approve else
                self.tr("Refuse the extension of case {number}? The refusal stays in the record."))
        self.confirm_box = confirm_irreversible(
            self, verb, text.format(days=request.days, unit=request.unit, stage=enum_text(request.stage),
                                    number=request.number), verb, go)

    def _decided(self, info: RequestInfo) -> None:
        self._set_busy(False)
        self.note_edit.clear()
        if info.new_due_on is not None:
            self.done_label.setText(self.tr("Approved: case {number} is now due {due}.").format(
                number=info.number, due=format_day(info.new_due_on)))
        else:
            self.done_label.setText(self.tr("Refused: case {number} keeps its due date.").format(number=info.number))
        self.done_label.show()
        self.checked.emit(0)

    def _decision_failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self._show_error(failure.message)

    def _show_error(self, message: str) -> None:
        self.done_label.hide()
        self.decision_error.setText(message)
        self.decision_error.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()


# --------------------------------------------------------------------------- the head's limit table


@dataclass(frozen=True)
class LimitEdit:
    """One rule as the table would save it."""

    rule: LimitRule
    days: int
    working_days: bool
    yellow_days: int


class LimitsModel(RowsModel["LimitRule"]):
    """The stage limits; days, unit and yellow days are edited in place (F2, or typing)."""

    CONTEXT = "LimitsModel"
    COL_STAGE, COL_DEPARTMENT, COL_TYPE, COL_DAYS, COL_UNIT, COL_YELLOW = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("LimitsModel", "Stage"),
        QT_TRANSLATE_NOOP("LimitsModel", "Department"),
        QT_TRANSLATE_NOOP("LimitsModel", "Dispute type"),
        QT_TRANSLATE_NOOP("LimitsModel", "Days"),
        QT_TRANSLATE_NOOP("LimitsModel", "Counted in"),
        QT_TRANSLATE_NOOP("LimitsModel", "Yellow when days left"),
    )
    #: A valid edit the panel saves.
    edited = Signal(object)
    #: A refused edit: the message, in Chinese, naming the field and what was typed.
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editable = False

    @property
    def rules(self) -> list[LimitRule]:
        return self._rows

    def set_rules(self, rules: tuple[LimitRule, ...], editable: bool) -> None:
        self.editable = editable
        self.set_rows(rules)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.editable and index.column() in (self.COL_DAYS, self.COL_UNIT, self.COL_YELLOW):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def unit_text(self, working: bool) -> str:
        return self.tr("working days") if working else self.tr("calendar days")

    def text(self, row: LimitRule, column: int) -> str:
        if column == self.COL_STAGE:
            return enum_text(row.stage)
        if column == self.COL_DEPARTMENT:
            return row.department or self.tr("all")
        if column == self.COL_TYPE:
            return row.dispute_type or self.tr("all")
        if column == self.COL_DAYS:
            return str(row.days)
        if column == self.COL_UNIT:
            return self.unit_text(row.working_days)
        return str(row.yellow_days)

    def tooltip(self, row: LimitRule, column: int) -> str | None:
        return self.tr("Built-in default: edit it to set the center's own") if row.id is None else None

    def cell(self, row: LimitRule, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and row.id is None and column >= self.COL_DAYS:
            return QBrush(QColor("#555555"))  # the built-in default, not yet set by the center
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        rule = self.rules[index.row()]
        days, working, yellow = rule.days, rule.working_days, rule.yellow_days
        text = str(value).strip()
        if index.column() == self.COL_UNIT:
            working = text in (self.unit_text(True), "工作日", "w", "W")
        else:
            name = self.tr("Days") if index.column() == self.COL_DAYS else self.tr("Yellow when days left")
            try:
                number = int(text)
            except ValueError:
                self.refused.emit(self.tr("{field}: “{text}” is not a whole number of days.").format(
                    field=name, text=text))
                return False
            if index.column() == self.COL_DAYS:
                days = number
            else:
                yellow = number
        if not 1 <= days <= 366:
            self.refused.emit(self.tr("Days: {days} is outside 1 to 366.").format(days=days))
            return False
        if not 0 <= yellow < days:
            self.refused.emit(self.tr("Yellow when days left: {yellow} must be at least 0 and less than the "
                                      "{days} days of the limit.").format(yellow=yellow, days=days))
            return False
        if (days, working, yellow) == (rule.days, rule.working_days, rule.yellow_days):
            return False
        self.edited.emit(LimitEdit(rule, days, working, yellow))
        return True


class UnitDelegate(QStyledItemDelegate):
    """The unit column is chosen from a list: working or calendar days."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        model = index.model()
        if index.column() != LimitsModel.COL_UNIT or not isinstance(model, LimitsModel):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("unitEditor")
        combo.addItems([model.unit_text(True), model.unit_text(False)])
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data()))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
            return
        super().setModelData(editor, model, index)


class LimitsPanel(LoadedPage["LimitsPage"]):
    """The head's table of stage limits (``cards.limits_page``)."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent, error_name="limitsError")
        self.setObjectName("limitsPanel")
        self._actor = actor
        self.model = LimitsModel(self)
        self.table = named(QTableView(), "limitsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(UnitDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.AnyKeyPressed | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.DoubleClicked)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 96), (1, 120), (2, 96), (3, 64), (4, 72)):
            self.table.setColumnWidth(column, width)
        self.stage_combo = named(QComboBox(), "ruleStage")
        for stage in ClockStage:
            self.stage_combo.addItem(enum_text(stage), stage)
        self.department_combo = named(QComboBox(), "ruleDepartment")
        self.type_combo = named(QComboBox(), "ruleType")
        self.add_button = named(QPushButton(self.tr("Add rule")), "addRule")
        self.remove_button = named(QPushButton(self.tr("Remove rule")), "removeRule")
        self.error = named(QLabel(), "limitsEditError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.done = named(QLabel(), "limitsDone")
        self.done.setStyleSheet(OK_STYLE)
        self.done.setWordWrap(True)
        self.done.hide()
        hint = QLabel(self.tr("The most specific rule wins: department and type, then department, then type, then "
                              "all cases. Select a cell and type to change it; Enter saves."))
        hint.setWordWrap(True)
        adding = QHBoxLayout()
        for widget in (self.stage_combo, self.department_combo, self.type_combo):
            adding.addWidget(widget, 1)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)
        self.adding = QWidget()
        self.adding.setLayout(adding)
        adding.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.adding)
        layout.addWidget(self.error)
        layout.addWidget(self.done)
        layout.addWidget(self.load_error)
        # Saved after the view has closed its editor: a reload while it commits would reset the model
        # under it.
        self.model.edited.connect(self._save, Qt.ConnectionType.QueuedConnection)
        self.model.refused.connect(self._show_error)
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reload()

    def reader(self) -> Callable[[Session], LimitsPage]:
        actor = self._actor

        def load(session: Session) -> LimitsPage:
            return cards.limits_page(session, actor)

        return load

    def concerns(self, changes: Changes) -> bool:
        return changes.settings or changes.organisation

    def show_page(self, page: LimitsPage) -> None:
        self.model.set_rules(page.rules, page.may_edit)
        self.adding.setVisible(page.may_edit)
        for combo, items in ((self.department_combo, page.departments), (self.type_combo, page.dispute_types)):
            current = combo.currentData()
            combo.clear()
            combo.addItem(self.tr("all departments") if combo is self.department_combo else self.tr("all types"),
                          None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def _show_error(self, message: str) -> None:
        self.done.hide()
        self.error.setText(message)
        self.error.show()

    def _saved(self, moved: int | None) -> None:
        self.error.hide()
        self.done.setText(self.tr("Saved; {n} open cases were measured again.").format(n=f"{moved or 0:,}"))
        self.done.show()

    def _save(self, edit: LimitEdit) -> None:
        actor, rule = self._actor, edit.rule

        def work(session: Session) -> int | None:
            return clocks.set_limit(session, actor, rule.stage, days=edit.days, working_days=edit.working_days,
                                    yellow_days=edit.yellow_days, dispute_type_id=rule.dispute_type_id,
                                    department_id=rule.department_id)

        self._runner.run_write(work, on_success=self._saved, on_error=self._failed_write)

    def _failed_write(self, failure: TaskFailure) -> None:
        self._show_error(failure.message)
        self.reload()

    def add_rule(self) -> None:
        stage: ClockStage = self.stage_combo.currentData()
        department, dispute_type, actor = self.department_combo.currentData(), self.type_combo.currentData(), \
            self._actor
        if department is None and dispute_type is None:
            self._show_error(self.tr("Choose a department or a dispute type: the row for all cases is already in "
                                     "the table."))
            return

        def work(session: Session) -> int | None:
            # A new rule starts from the limit its cases have now; the head then edits it in the table.
            now = clocks.limit_for(session, stage, dispute_type, department)
            return clocks.set_limit(session, actor, stage, days=now.days, working_days=now.working_days,
                                    yellow_days=now.yellow_days, dispute_type_id=dispute_type,
                                    department_id=department)

        self._runner.run_write(work, on_success=self._saved, on_error=self._failed_write)

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        rule = self.model.rules[rows[0].row()] if rows else None
        if rule is None or rule.id is None or (rule.department_id is None and rule.dispute_type_id is None):
            self._show_error(self.tr("Select a rule for a department or a dispute type to remove it."))
            return
        actor, rule_id = self._actor, rule.id

        def work(session: Session) -> int | None:
            return cards.remove_limit(session, actor, rule_id)

        self._runner.run_write(work, on_success=self._saved, on_error=self._failed_write)


# --------------------------------------------------------------------------- the departments' scores


class ScoresModel(RowsModel["cards.DepartmentScore"]):
    CONTEXT = "ScoresModel"
    COL_DEPARTMENT, COL_CASES, COL_ON_TIME, COL_RATE, COL_YELLOW, COL_RED, COL_ASKED, COL_APPROVED = range(8)
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("ScoresModel", "Department"),
        QT_TRANSLATE_NOOP("ScoresModel", "Cases"),
        QT_TRANSLATE_NOOP("ScoresModel", "On time"),
        QT_TRANSLATE_NOOP("ScoresModel", "On-time rate"),
        QT_TRANSLATE_NOOP("ScoresModel", "Yellow cards"),
        QT_TRANSLATE_NOOP("ScoresModel", "Red cards"),
        QT_TRANSLATE_NOOP("ScoresModel", "Extensions asked"),
        QT_TRANSLATE_NOOP("ScoresModel", "Extensions approved"),
    )
    #: The score figure behind each column that opens a list of cases.
    FIGURES: ClassVar[dict[int, str]] = {
        COL_CASES: cards.ScoreFigure.CASES, COL_ON_TIME: cards.ScoreFigure.ON_TIME,
        COL_RATE: cards.ScoreFigure.ON_TIME, COL_YELLOW: cards.ScoreFigure.YELLOW, COL_RED: cards.ScoreFigure.RED,
        COL_ASKED: cards.ScoreFigure.ASKED, COL_APPROVED: cards.ScoreFigure.APPROVED,
    }

    def text(self, row: cards.DepartmentScore, column: int) -> str:
        return (row.department, f"{row.cases:,}", f"{row.on_time:,}", row.on_time_rate, f"{row.yellow:,}",
                f"{row.red:,}", f"{row.asked:,}", f"{row.approved:,}")[column]

    def tooltip(self, row: cards.DepartmentScore, column: int) -> str | None:
        figure = self.FIGURES.get(column)
        return cards.SCORE_FORMULAS[figure] if figure else None

    def case_id(self, row: cards.DepartmentScore) -> int | None:
        return None


class ScoreCasesModel(RowsModel["tuple[int, str, str]"]):
    CONTEXT = "ScoreCasesModel"
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("ScoreCasesModel", "Case number"),
        QT_TRANSLATE_NOOP("ScoreCasesModel", "Title"),
    )

    def text(self, row: tuple[int, str, str], column: int) -> str:
        return row[1] if column == 0 else row[2]

    def case_id(self, row: tuple[int, str, str]) -> int | None:
        return row[0]


class ScoresPanel(LoadedPage["ScoresPage"]):
    """Each stationed department's month: the figures, their formulas, and the cases behind each."""

    open_case = Signal(int)
    #: The drill-down list arrived (the figure's cases).
    drilled = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(runner, parent, error_name="scoresError")
        self.setObjectName("scoresPanel")
        self._actor = actor
        self._today: TodayProvider = today or date.today
        self._month = f"{self._today():%Y-%m}"
        self.month_edit = named(QLineEdit(self._month), "scoresMonth")
        self.month_edit.setPlaceholderText("2026-10")
        self.month_edit.setMaximumWidth(120)
        self.show_button = named(QPushButton(self.tr("Show")), "scoresShow")
        self.model = ScoresModel(self)
        self.table = list_table(self.model, "scoresTable", {0: 150, **{column: 74 for column in range(1, 8)}})
        self.cases_model = ScoreCasesModel(self)
        self.cases_table = list_table(self.cases_model, "scoreCasesTable", {0: 190})
        self.cases_caption = named(QLabel(self.tr("Click a figure to list its cases.")), "scoreCasesCaption")
        self.cases_caption.setWordWrap(True)
        self.formulas = named(QLabel("\n".join(cards.SCORE_FORMULAS.values())), "scoresFormulas")
        self.formulas.setWordWrap(True)
        self.formulas.setStyleSheet("color: #555555;")
        # A township's head reads the county's departments counted over their own few cases: on
        # the 1M demo a column of zeros with nothing saying why.
        self.scope_label = named(QLabel(self.tr(
            "Counted over the cases you may see: your center's, those it handles and those crossed with it "
            "(the county head's figures count every case). A department with none of them this month shows 0.")),
            "scoresScope")
        self.scope_label.setWordWrap(True)
        self.scope_label.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month")))
        top.addWidget(self.month_edit)
        top.addWidget(self.show_button)
        top.addStretch(1)
        drill = QWidget()
        drill_layout = QVBoxLayout(drill)
        drill_layout.setContentsMargins(0, 0, 0, 0)
        drill_layout.addWidget(self.cases_caption)
        drill_layout.addWidget(self.cases_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(drill)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.load_error)
        layout.addWidget(split, 1)
        layout.addWidget(self.formulas)
        self.show_button.clicked.connect(self.show_month)
        self.month_edit.returnPressed.connect(self.show_month)
        self.table.activated.connect(self.drill)
        self.table.clicked.connect(self.drill)
        self.cases_table.activated.connect(self._open)
        self.cases_table.doubleClicked.connect(self._open)
        self.reload()

    def show_month(self) -> None:
        self._month = self.month_edit.text().strip()
        self.reload()

    def reload(self) -> None:
        """Read on the slow lane: a month over a large center takes a second or more."""
        if not self.can_load():
            return
        self._generation += 1
        generation = self._generation
        self._runner.run_slow_read(self.reader(), on_success=lambda page: self._arrived(generation, page),
                                   on_error=lambda failure: self._failed(generation, failure))

    def reader(self) -> Callable[[Session], ScoresPage]:
        actor, month = self._actor, self._month

        def load(session: Session) -> ScoresPage:
            return cards.scores_page(session, actor, month)

        return load

    def concerns(self, changes: Changes) -> bool:
        return bool(changes.case_ids or changes.case_list or changes.organisation)

    def show_page(self, page: ScoresPage) -> None:
        self.scope_label.setVisible(page.narrowed)
        self.model.set_rows(page.scores)
        self.cases_model.set_rows([])
        self.cases_caption.setText(self.tr("Click a figure to list its cases."))

    def drill(self, index: QModelIndex | QPersistentModelIndex) -> None:
        score = self.model.row_at(index.row()) if index.isValid() else None
        figure = ScoresModel.FIGURES.get(index.column()) if index.isValid() else None
        if score is None or figure is None:
            return
        actor, month = self._actor, self._month

        def load(session: Session) -> list[tuple[int, str, str]]:
            return cards.score_cases(session, actor, figure, score.department_id, month)

        def arrived(rows: list[tuple[int, str, str]]) -> None:
            self.cases_model.set_rows(rows)
            self.cases_caption.setText(self.tr("{department}, {month}: {figure} — {n} cases").format(
                department=score.department, month=month, figure=cards.SCORE_TITLES[figure], n=f"{len(rows):,}"))
            self.drilled.emit()

        self._runner.run_slow_read(load, on_success=arrived, on_error=lambda f: self.load_error.setText(f.message))

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.model().data(index, RowsModel.CaseIdRole) if index.isValid() else None
        if isinstance(case_id, int):
            self.open_case.emit(case_id)


class CardsSection(QWidget):
    """The head's section: stage limits beside the departments' scores."""

    open_case = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: TodayProvider | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cardsSection")
        self.limits = LimitsPanel(runner, actor)
        self.scores = ScoresPanel(runner, actor, today=today)
        self.scores.open_case.connect(self.open_case)
        limits_box = named(QGroupBox(self.tr("Stage limits")), "limitsRulesBox")
        QVBoxLayout(limits_box).addWidget(self.limits)
        scores_box = named(QGroupBox(self.tr("Department scores")), "scoresBox")
        QVBoxLayout(scores_box).addWidget(self.scores)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(limits_box)
        split.addWidget(scores_box)
        split.setChildrenCollapsible(False)
        split.setSizes([600, 760])  # the scores' eight columns want the wider half
        layout = QVBoxLayout(self)
        layout.addWidget(split)


__all__ = ["CardsPanel", "CardsSection", "LimitsModel", "LimitsPanel", "ScoresPanel"]
