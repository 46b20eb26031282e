"""以案定补 (case-based subsidies): the administrator's rules form and the month's statements.

* :class:`SubsidyRulesPanel` — the administrator picks a version of the rules (by the month it
  takes effect) or starts a new one, edits the tiers' amounts per level, what makes a case
  difficult or major, the gate, the caps and the split, and saves. Every field is a plain text
  field or a tick box reached with Tab; a bad value is named in Chinese under the form and the
  field gets the focus, with everything typed kept.
* :class:`SubsidyStatementPanel` — a month's statement: the head sees every mediator's cases (the
  issued statement, or a draft computed now) and exports PDF or XLSX (the first export of an
  ended month issues it, after a question); a mediator sees their own part of an issued month;
  the administrator the totals of an issued month and its summary as PDF.
* :class:`SubsidiesSection` — the section of the main window: the rules and the statements for
  the administrator, the statements for the head and a mediator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.models import Role
from mediation_desk.readmodels.subsidies import LEVELS, TIERS, yuan_text
from mediation_desk.services import subsidies
from mediation_desk.services.subsidies import Printable, RuleVersion, StatementPage, StatementRow
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.confirm import confirm_irreversible
from mediation_desk.ui.common.date_field import DateField, FieldKind
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import Lane, TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, OK_STYLE, RefreshWhenShown, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.changes import Changes
    from mediation_desk.services.actor import Actor

NEW_VERSION = -1


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


class SubsidyRulesPanel(QWidget):
    """The administrator's form of the subsidy rules, one version per month it takes effect."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subsidyRulesPanel")
        self._runner = runner
        self._actor = actor
        self._today = today or date.today
        self.versions: list[RuleVersion] = []
        #: The form's fields by the service's key (``amount.township.general`` …).
        self.fields: dict[str, QLineEdit | QCheckBox | QComboBox] = {}

        self.version_box = named(QComboBox(), "subsidyVersion")
        version_label = QLabel(self.tr("&Version:"))
        version_label.setBuddy(self.version_box)
        self.month_edit = DateField("subsidyEffectiveMonth", self.tr("Effective from"), kind=FieldKind.MONTH,
                                    earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
        month_label = QLabel(self.tr("Effective &from:"))
        month_label.setBuddy(self.month_edit)
        self.note_edit = named(QLineEdit(), "subsidyNote")
        self.note_edit.setPlaceholderText(self.tr("e.g. the county's document number"))
        note_label = QLabel(self.tr("&Note:"))
        note_label.setBuddy(self.note_edit)
        top = QHBoxLayout()
        for widget in (version_label, self.version_box, month_label, self.month_edit, note_label):
            top.addWidget(widget)
        top.addWidget(self.note_edit, 1)

        amounts = QGroupBox(self.tr("Amount per case (yuan)"))
        grid = QGridLayout(amounts)
        for column, tier in enumerate(TIERS, 1):
            grid.addWidget(QLabel(TIERS[tier]), 0, column)
        for row, level in enumerate(LEVELS, 1):
            grid.addWidget(QLabel(LEVELS[level]), row, 0)
            for column, tier in enumerate(TIERS, 1):
                grid.addWidget(self._line(f"amount.{level}.{tier}", 90), row, column)
        grid.setRowStretch(len(LEVELS) + 1, 1)  # the table at the top of its box, the space below

        tiers = QGroupBox(self.tr("What makes a case difficult or major (any one condition)"))
        conditions = QGridLayout(tiers)
        conditions.addWidget(QLabel(TIERS["difficult"]), 0, 1)
        conditions.addWidget(QLabel(TIERS["major"]), 0, 2)
        rows = (("people_at_least", self.tr("People involved at least")),
                ("amount_at_least", self.tr("Amount involved at least (yuan)")),
                ("sessions_at_least", self.tr("Mediation sessions at least")),
                ("dispute_types", self.tr("Dispute types (separated by 、)")),
                ("group_dispute", self.tr("Group dispute")),
                ("may_turn_criminal", self.tr("May turn criminal")))
        for row, (key, label) in enumerate(rows, 1):
            conditions.addWidget(QLabel(label), row, 0)
            for column, tier in enumerate(("difficult", "major"), 1):
                name = f"{tier}.{key}"
                field: QWidget = (self._tick(name, "") if key in ("group_dispute", "may_turn_criminal")
                                  else self._line(name, 200 if key == "dispute_types" else 90))
                conditions.addWidget(field, row, column)

        paid = QGroupBox(self.tr("What is paid"))
        paid_grid = QGridLayout(paid)
        paid_grid.addWidget(QLabel(self.tr("Outcomes:")), 0, 0)
        paid_grid.addWidget(self._tick("outcome.succeeded", self.tr("Succeeded")), 0, 1)
        paid_grid.addWidget(self._tick("outcome.failed", self.tr("Failed")), 0, 2)
        paid_grid.addWidget(QLabel(self.tr("Mediators:")), 1, 0)
        paid_grid.addWidget(self._tick("kind.volunteer", self.tr("Volunteer mediators")), 1, 1)
        paid_grid.addWidget(self._tick("kind.stationed", self.tr("Stationed staff")), 1, 2)
        paid_grid.addWidget(self._tick("require_complete_file", self.tr("Only complete files (dossier checklist)")),
                            2, 0, 1, 2)
        paid_grid.addWidget(self._tick("require_return_visit", self.tr("Only after a return visit")), 2, 2)
        paid_grid.addWidget(self._tick("repeats_once", self.tr("Repeat mediation of a dispute counts once")),
                            3, 0, 1, 3)

        caps = QGroupBox(self.tr("Caps and sharing"))
        caps_grid = QGridLayout(caps)
        caps_grid.addWidget(QLabel(self.tr("Per mediator a month (yuan):")), 0, 0)
        caps_grid.addWidget(self._line("monthly_cap", 90), 0, 1)
        caps_grid.addWidget(QLabel(self.tr("Cases per mediator a month:")), 0, 2)
        caps_grid.addWidget(self._line("monthly_case_cap", 60), 0, 3)
        caps_grid.addWidget(QLabel(self.tr("Per case (yuan):")), 1, 0)
        caps_grid.addWidget(self._line("case_cap", 90), 1, 1)
        split = named(QComboBox(), "split")
        split.addItem(self.tr("Shared equally"), "equal")
        split.addItem(self.tr("Lead takes a percentage"), "lead")
        self.fields["split"] = split
        caps_grid.addWidget(QLabel(self.tr("Several mediators:")), 2, 0)
        caps_grid.addWidget(split, 2, 1)
        caps_grid.addWidget(QLabel(self.tr("Lead's percentage:")), 2, 2)
        caps_grid.addWidget(self._line("lead_percent", 60), 2, 3)

        self.save_button = named(QPushButton(self.tr("&Save rules")), "subsidySave")
        self.message_label = named(QLabel(), "subsidyRulesMessage")
        self.message_label.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.save_button)

        body = QWidget()
        page = QVBoxLayout(body)
        page.addLayout(top)
        # Laid out in the order the fields were made, so Tab runs down the form as it reads.
        middle = QHBoxLayout()
        middle.addWidget(amounts)
        middle.addWidget(tiers, 1)
        page.addLayout(middle)
        lower = QHBoxLayout()
        lower.addWidget(paid, 1)
        lower.addWidget(caps)
        page.addLayout(lower)
        page.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

        self.version_box.activated.connect(self._version_chosen)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(actor.role is Role.ADMIN)
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)

    def _line(self, key: str, width: int) -> QLineEdit:
        line = named(QLineEdit(), key)
        line.setMinimumWidth(width)
        line.setAccessibleName(subsidies.FIELD_NAMES.get(key, key))
        self.fields[key] = line
        return line

    def _tick(self, key: str, label: str) -> QCheckBox:
        box = named(QCheckBox(label), key)
        self.fields[key] = box
        return box

    # ------------------------------------------------------------------ versions

    def refresh(self, chosen: str | None = None) -> None:
        self._runner.run_read(subsidies.rule_versions, lambda found: self._show_versions(found, chosen), self._failed)

    def _show_versions(self, versions: list[RuleVersion], chosen: str | None) -> None:
        self.versions = versions
        self.version_box.clear()
        for version in versions:
            issued = self.tr(" (used by issued months)") if version.issued_months else ""
            self.version_box.addItem(self.tr("From {month}").format(month=version.effective_month) + issued,
                                     version.id)
        self.version_box.addItem(self.tr("New version…"), NEW_VERSION)
        index = next((i for i, v in enumerate(versions) if v.effective_month == chosen), 0)
        self.version_box.setCurrentIndex(index)
        self._version_chosen(index)

    def _version_chosen(self, index: int) -> None:
        if 0 <= index < len(self.versions):
            version = self.versions[index]
            self.fill(subsidies.rules_form(version.rules))
            first = date(int(version.effective_month[:4]), int(version.effective_month[5:]), 1)
            self.month_edit.set_value(first)
            self.month_edit.line.setReadOnly(True)
            self.note_edit.setText(version.note)
            return
        # A new version starts from the latest rules (or the example) from next month.
        base = self.versions[0].rules if self.versions else subsidies.DEFAULT_RULES
        self.fill(subsidies.rules_form(base))
        today = self._today()
        self.month_edit.line.setReadOnly(False)
        self.month_edit.set_value(date(today.year + today.month // 12, today.month % 12 + 1, 1))
        self.note_edit.clear()

    def current(self) -> RuleVersion | None:
        index = self.version_box.currentIndex()
        return self.versions[index] if 0 <= index < len(self.versions) else None

    def fill(self, values: dict[str, str]) -> None:
        for key, widget in self.fields.items():
            value = values.get(key, "")
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            else:
                widget.setText(value)
        self._say("")

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                found[key] = "1" if widget.isChecked() else ""
            elif isinstance(widget, QComboBox):
                found[key] = str(widget.currentData())
            else:
                found[key] = widget.text()
        return found

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        if not self.month_edit.check():
            self.month_edit.line.setFocus()
            return
        first = self.month_edit.day()
        assert first is not None
        month, values, note, actor = _month_key(first), self.values(), self.note_edit.text(), self._actor
        version = self.current()
        expected = version.version if version is not None else None

        def write(session: Session) -> RuleVersion:
            return subsidies.save_rules(session, actor, month, values, rule_note=note, version=expected)

        self.save_button.setEnabled(False)
        self._runner.run_write(write, self._saved, self._failed)

    def _saved(self, version: RuleVersion) -> None:
        self.save_button.setEnabled(True)
        self.refresh(version.effective_month)
        self._say(self.tr("Saved: the rules from {month}.").format(month=version.effective_month))

    def _failed(self, failure: TaskFailure) -> None:
        self.save_button.setEnabled(self._actor.role is Role.ADMIN)
        self._say(failure.message, error=True)
        widget = self.fields.get(failure.field or "")
        if widget is not None:
            widget.setFocus()
        elif failure.field == "effective_month":
            self.month_edit.line.setFocus()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)


class StatementRowsModel(RowsModel[StatementRow]):
    CONTEXT = "StatementRowsModel"
    HEADERS: ClassVar[tuple[str, ...]] = (
        QT_TRANSLATE_NOOP("StatementRowsModel", "Mediator"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Case number"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Case"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Tier"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Why"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Amount (yuan)"),
        QT_TRANSLATE_NOOP("StatementRowsModel", "Not paid because"),
    )

    def text(self, row: StatementRow, column: int) -> str:
        values = (row.mediator, row.case_number, row.title, row.tier, row.notes, yuan_text(row.amount_fen),
                  row.refusal)
        return values[column]

    def tooltip(self, row: StatementRow, column: int) -> Any:
        return self.text(row, column) or None

    def cell(self, row: StatementRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SubsidyStatementPanel(QWidget):
    """A month's subsidy statement, for the head, a mediator (their own) and the administrator
    (the totals)."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: Callable[[], date] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subsidyStatementPanel")
        self._runner = runner
        self._actor = actor
        self._today = today or date.today
        self.page: StatementPage | None = None
        self.confirm_box: QMessageBox | None = None
        #: Where a file goes (tests replace it; the desk asks with a save dialog).
        self.ask_save_path: Callable[[str, str], str | None] = self._ask_save_path
        today_ = self._today()
        last = date(today_.year - (today_.month == 1), (today_.month - 2) % 12 + 1, 1)
        self.month_edit = DateField("subsidyMonth", self.tr("Month"), kind=FieldKind.MONTH,
                                    earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
        self.month_edit.set_value(last)
        month_label = QLabel(self.tr("&Month:"))
        month_label.setBuddy(self.month_edit)
        self.status_label = named(QLabel(), "subsidyStatus")
        self.status_label.setWordWrap(True)
        self.pdf_button = named(QPushButton(self.tr("Export &PDF…")), "subsidyPdf")
        self.xlsx_button = named(QPushButton(self.tr("Export &XLSX…")), "subsidyXlsx")
        self.xlsx_button.setVisible(actor.role is not Role.ADMIN)
        self.message_label = named(QLabel(), "subsidyMessage")
        self.message_label.setWordWrap(True)
        self.model = StatementRowsModel(self)
        self.table = named(QTableView(), "subsidyTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 190, 180, 70, 220, 100)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        bar = QHBoxLayout()
        bar.addWidget(month_label)
        bar.addWidget(self.month_edit)
        bar.addSpacing(12)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        self.month_edit.value_entered.connect(lambda _value: self.refresh())
        self.month_edit.returned.connect(self.refresh)
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        runner.changed.connect(self._changed)
        self.loading = RefreshWhenShown(self, self.refresh, first_when_shown=True)

    def month(self) -> str | None:
        if not self.month_edit.check():
            return None
        first = self.month_edit.day()
        return _month_key(first) if first is not None else None

    def refresh(self) -> None:
        month, actor = self.month(), self._actor
        if month is None:
            return
        # A draft is computed case by case (its file's checklist, its repeat visits: ~30 ms a case
        # measured), seconds for a county's month: on the slow lane, so no other screen waits.
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Computing the month…"))
        self._runner.run_slow_read(lambda session: subsidies.statement_page(session, actor, month), self._show,
                                   self._failed)

    def _show(self, page: StatementPage) -> None:
        if page.month != self.month():
            return
        self.page = page
        self.model.set_rows(page.rows)
        total = self.tr("Total {amount} yuan.").format(amount=yuan_text(page.total_fen))
        if page.state == "issued":
            assert page.issued_at is not None
            text = self.tr("Issued on {when} by {who} under the rules from {rules}.").format(
                when=f"{page.issued_at:%Y-%m-%d %H:%M}", who=page.issued_by or "—", rules=page.rule_month)
            self.status_label.setStyleSheet(OK_STYLE)
        elif page.state == "draft":
            text = self.tr("Draft, not issued: computed now under the rules from {rules}.").format(
                rules=page.rule_month)
            self.status_label.setStyleSheet(ERROR_STYLE)
        else:
            text, total = page.message, ""
            self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(f"{text} {total}".strip())
        self.pdf_button.setEnabled(page.state != "none")
        self.xlsx_button.setEnabled(page.state != "none")

    def _changed(self, changes: Changes) -> None:
        if changes.case_list or changes.case_ids or changes.organisation:
            self.loading.request()

    def export(self, kind: str) -> None:
        month, actor = self.month(), self._actor
        if month is None:
            return
        today = self._today()

        def ask(issue: bool) -> None:
            if not issue:
                self._export(month, kind)
                return
            self.confirm_box = confirm_irreversible(
                self, self.tr("Issue the month's statement"),
                self.tr("The statement of {month} is issued with this export: it is kept as it reads now and "
                        "prints the same ever after, whatever changes later.").format(month=month),
                self.tr("Issue and export"), lambda: self._export(month, kind))

        self._runner.run_read(lambda session: subsidies.will_issue(session, actor, month, today=today), ask,
                              self._failed)

    def _export(self, month: str, kind: str) -> None:
        path = self.ask_save_path(f"以案定补_{month}.{kind}", kind)
        if not path:
            return
        actor, today = self._actor, self._today()

        def gather(session: Session) -> Printable:
            return subsidies.printable(session, actor, month, today=today)

        def render(data: Printable) -> None:
            def job() -> str:
                from pathlib import Path

                from mediation_desk.documents import subsidies as subsidy_doc
                from mediation_desk.files import write_atomically

                if kind == "xlsx":
                    content = subsidy_doc.render_xlsx(data.statement)
                elif data.totals is not None:
                    content = subsidy_doc.render_summary_pdf(data.statement, data.totals)
                else:
                    content = subsidy_doc.render_pdf(data.statement, summary=actor.role is not Role.MEDIATOR)
                write_atomically(Path(path), content)
                return path

            self._runner.run_job(job, self._exported, self._failed, lane=Lane.SLOW)

        self._runner.run_write(gather, render, self._failed)

    def _exported(self, path: str) -> None:
        self._say(self.tr("Saved as {path}").format(path=path))
        self.refresh()

    def _failed(self, failure: TaskFailure) -> None:
        self._say(failure.message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def _ask_save_path(self, suggested: str, kind: str) -> str | None:
        filters = self.tr("PDF files (*.pdf)") if kind == "pdf" else self.tr("Excel workbooks (*.xlsx)")
        path = file_dialogs.save_file_name(self, self.tr("Export the subsidy statement"), file_dialogs.PDF,
                                           suggested, filters)
        if path and not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        return path or None


class SubsidiesSection(QTabWidget):
    """The 以案定补 section: statements (and, for the administrator, the rules)."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subsidiesSection")
        self.statements = SubsidyStatementPanel(runner, actor)
        self.rules: SubsidyRulesPanel | None = None
        if actor.role is Role.ADMIN:
            self.rules = SubsidyRulesPanel(runner, actor)
            self.addTab(self.rules, self.tr("Rules"))
        self.addTab(self.statements, self.tr("Statements"))


__all__ = ["StatementRowsModel", "SubsidiesSection", "SubsidyRulesPanel", "SubsidyStatementPanel"]
