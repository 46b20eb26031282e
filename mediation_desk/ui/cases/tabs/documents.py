"""The printable documents of one case: which apply now, why the others do not yet, and a preview.

Whether a document applies is the services' call (``pages.check_documents``, from the case's data
on the read lane: "还没有调解协议" …); no PDF is made to list them. The preview makes the chosen one
on the slow lane, with a progress indication (the 卷宗, which binds every scan, takes a second or more).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.services import pages
from mediation_desk.services.pages import DOSSIER, DocumentRow, DocumentsPage
from mediation_desk.ui.common.format import FINAL_COLOUR
from mediation_desk.ui.common.i18n import QT_TRANSLATE_NOOP
from mediation_desk.ui.common.pdf_preview import DocumentPreview, open_preview
from mediation_desk.ui.common.rows_model import RowsModel
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.services.actor import Actor

#: The on-screen names of the document kinds (the paper titles are the services').
KIND_NAMES: dict[str, str] = {
    "registration": QT_TRANSLATE_NOOP("DocumentsModel", "Registration form"),
    "application": QT_TRANSLATE_NOOP("DocumentsModel", "Application for mediation"),
    "notice": QT_TRANSLATE_NOOP("DocumentsModel", "Notice of rights and duties"),
    "investigation": QT_TRANSLATE_NOOP("DocumentsModel", "Investigation record"),
    "mediation-record": QT_TRANSLATE_NOOP("DocumentsModel", "Mediation record"),
    "agreement": QT_TRANSLATE_NOOP("DocumentsModel", "Mediation agreement"),
    "oral-agreement": QT_TRANSLATE_NOOP("DocumentsModel", "Oral agreement registration"),
    "confirmation-application": QT_TRANSLATE_NOOP("DocumentsModel", "Application for judicial confirmation"),
    "return-visit": QT_TRANSLATE_NOOP("DocumentsModel", "Return visit record"),
    "receipt": QT_TRANSLATE_NOOP("DocumentsModel", "Receipt"),
    "dossier": QT_TRANSLATE_NOOP("DocumentsModel", "Case file (dossier)"),
}


class DocumentsModel(RowsModel[DocumentRow]):
    COL_DOCUMENT, COL_TITLE, COL_STATUS = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("DocumentsModel", "Document"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Title on paper"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Status"),
    )
    CONTEXT = "DocumentsModel"

    #: The case shown: its number, which the page already shows, is left out of the reasons.
    case_number = ""

    def text(self, row: DocumentRow, column: int) -> str:
        if column == self.COL_DOCUMENT:
            return self.tr(KIND_NAMES.get(row.kind, row.kind))
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_STATUS:
            if row.kind == DOSSIER:
                return self.tr("Made when opened (takes a moment)")
            # The reason alone, first, without the case's number the page shows above (the row is
            # greyed): behind 暂不可用：案件 （2026）甘矛调字第932235号 the reason itself was cut off.
            return self._status(row, self._reason(row.reason) if not row.applies else "")
        return ""

    def tooltip(self, row: DocumentRow, column: int) -> str | None:
        if column == self.COL_STATUS and row.kind != DOSSIER:
            # The whole text: 暂不可用：案件 （2026）甘矛调字第932235号 还没有调查记录。
            return self._status(row, self.tr("Not yet: {reason}").format(reason=row.reason) if not row.applies else "")
        return super().tooltip(row, column)

    def _reason(self, reason: str) -> str:
        """``reason`` without the case's number it starts with (案件 （2026）甘矛调字第932235号 还没有
        调查记录。 → 还没有调查记录。)."""
        prefix = f"案件 {self.case_number} "
        return reason[len(prefix):] if self.case_number and reason.startswith(prefix) else reason

    def _status(self, row: DocumentRow, not_yet: str) -> str:
        status = self.tr("Ready to preview and print") if row.applies else not_yet
        # A signed copy came back (scan-back): the dossier binds it instead of the generated one.
        return self.tr("{status}; signed copy filed").format(status=status) if row.signed_copy else status

    def cell(self, row: DocumentRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.applies:
            return QBrush(QColor(FINAL_COLOUR))
        return None


class DocumentsTab(QWidget):
    """Case-view tab: the case's documents; Enter or a double-click previews one."""

    #: Never emitted by this tab's own work (it only reads); part of the case-tab contract.
    changed = Signal()
    #: The list was checked: the number of documents that apply.
    checked = Signal(int)

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsTab")
        self._runner = runner
        self._actor = actor
        self._case_id: int | None = None
        self._number = ""
        self.preview: DocumentPreview | None = None

        self.model = DocumentsModel(self)
        self.table = named(QTableView(), "documentsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DocumentsModel.COL_DOCUMENT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentsModel.COL_TITLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.progress = named(QProgressBar(), "checkProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.status_label = named(QLabel(), "documentsStatus")
        self.status_label.setWordWrap(True)
        self.open_button = named(QPushButton(self.tr("Preview / print…")), "openDocument")
        self.open_button.setToolTip(self.tr("Preview the chosen document (Enter)"))
        self.refresh_button = named(QPushButton(self.tr("Check again")), "refreshDocuments")
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)

        self.table.activated.connect(self.open_index)
        self.open_button.clicked.connect(lambda: self.open_index(self.table.currentIndex()))
        self.refresh_button.clicked.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_enabled())
        runner.changed.connect(self._on_changed)
        self._update_enabled()

    @property
    def case_id(self) -> int | None:
        return self._case_id

    def show_case(self, case_id: int) -> None:
        if case_id != self._case_id:
            self._case_id = case_id
            self.model.set_rows([])
        self.reload()

    def reload(self) -> None:
        case_id, actor = self._case_id, self._actor
        if case_id is None:
            return

        def work(session: Session) -> DocumentsPage:
            return pages.documents_page(session, actor, case_id)

        self.progress.show()
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Checking which documents apply…"))
        self._runner.run_read(work, on_success=self._show, on_error=self._failed)

    def _show(self, page: DocumentsPage) -> None:
        rows = page.rows
        if not rows or page.case_id != self._case_id:
            return
        self._number = page.number
        self.progress.hide()
        current = self.table.currentIndex().row()
        self.model.case_number = page.number
        self.model.set_rows(rows)
        ready = sum(1 for r in rows if r.applies)
        self.status_label.setText(self.tr("{ready} of {total} documents can be printed now.").format(
            ready=ready, total=len(rows)))
        self.table.setCurrentIndex(self.model.index(max(0, current), 0))
        self._update_enabled()
        self.checked.emit(ready)

    def _failed(self, failure: TaskFailure) -> None:
        self.progress.hide()
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(failure.message)

    def _update_enabled(self) -> None:
        row = self.model.row_at(self.table.currentIndex().row())
        self.open_button.setEnabled(row is not None and row.applies)

    def row_of(self, kind: str) -> int | None:
        return next((i for i, r in enumerate(self.model.rows) if r.kind == kind), None)

    def open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None or self._case_id is None:
            return
        if not row.applies:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(row.reason)
            return
        self.status_label.setStyleSheet("")
        self.preview = open_preview(self._runner, self._actor, self, row.case_id, row.kind,
                                    title=f"{self._number} {row.title}".strip())

    def _on_changed(self, changes: Changes) -> None:
        if self._case_id is not None and (changes.touches_case(self._case_id) or changes.settings):
            self.reload()


__all__ = ["DocumentsModel", "DocumentsTab"]
