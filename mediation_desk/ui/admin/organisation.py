"""The organisation screens: stationed departments, specialist teams, mediators and the centers.

One panel, four tabs (中心: the county's centers, docs/centers.md, edited by the administrator; on
an offline township's desk set up from the county's enrolment file, 导入入驻文件…),
each a table with the edit form beside it. Every role may look; only the
administrator and the center head may change anything (``services.organisation`` checks that
again). The whole organisation is read in one operation and each tab shows its part; after any
write that announces ``Changes(organisation=True)`` it is read again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk.changes import Changes
from mediation_desk.readmodels.center import CenterProfile
from mediation_desk.services import organisation, permissions
from mediation_desk.services.centers import CenterInfo
from mediation_desk.services.organisation import DepartmentInfo, MediatorInfo, Organisation, TeamInfo
from mediation_desk.ui.admin.center_profile import CenterProfileDialog
from mediation_desk.ui.admin.org_forms import (
    NOTE_STYLE,
    CenterForm,
    DepartmentForm,
    MediatorForm,
    OrgForm,
    TeamForm,
)
from mediation_desk.ui.admin.org_models import (
    CentersModel,
    DepartmentsModel,
    MediatorsModel,
    OrgTableModel,
    TeamsModel,
    joined,
)
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, RefreshWhenShown, named

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation_desk.exchange.enrolment import EnrolmentResult
    from mediation_desk.services.actor import Actor

I = TypeVar("I", DepartmentInfo, TeamInfo, MediatorInfo, CenterInfo)  # noqa: E741 - the row type of a tab
F = TypeVar("F", bound="OrgForm[Any]")


class OrgTab(QWidget, Generic[I, F]):
    """A table of one kind of row and its form; choosing a row opens it in the form.

    The form (dozens of fields) is made when first needed: when the tab is first shown to a user
    who may edit (its blank 新建 form beside the table), or when a row is first chosen — not with
    the panel, whose other tabs may never be looked at."""

    def __init__(self, model: OrgTableModel[I], make_form: Callable[[], F], *, can_edit: bool, new_text: str,
                 name: str, widths: dict[int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model: OrgTableModel[I] = model
        self.can_edit = can_edit
        self._make_form = make_form
        #: The form once made (``form`` makes it).
        self.made_form: F | None = None
        self.table = named(QTableView(), f"{name}Table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in widths.items():
            header.resizeSection(column, width)

        self.new_button = named(QPushButton(new_text), f"{name}New")
        self.new_button.setVisible(can_edit)
        self.count_label = named(QLabel(), f"{name}Count")
        #: A warning above the table (dispute types no team handles, on the teams tab).
        self.warning = named(QLabel(), f"{name}Warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(NOTE_STYLE)
        self.warning.hide()
        self.error = named(QLabel(), f"{name}Error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.toolbar = toolbar = QHBoxLayout()
        toolbar.addWidget(self.new_button)
        toolbar.addWidget(self.count_label)
        toolbar.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(toolbar)
        left_layout.addWidget(self.warning)
        left_layout.addWidget(self.error)
        left_layout.addWidget(self.table)
        #: The form's side: for a user who may not change anything, shown only once a row is chosen
        #: (its details, read-only) — never a blank 新建 form they could not save.
        self.form_pane = scroll = named(QScrollArea(), f"{name}FormPane")
        scroll.setVisible(can_edit)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # At 1366 px the form keeps ~470 px: enough for a caption column and a name field.
        self.splitter.setSizes([760, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.new_button.clicked.connect(self.new_item)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    @property
    def form(self) -> F:
        """The edit form, made now if not yet."""
        form = self.made_form
        if form is None:
            self.made_form = form = self._make_form()
            self.form_pane.setWidget(form)
            form.show()  # a widget put into a scroll area already shown is not shown with it
            form.saved.connect(self._saved)
        return form

    def showEvent(self, event: QShowEvent) -> None:
        if self.made_form is None and self.form_pane.isVisibleTo(self):
            self.form  # noqa: B018 - made before the first paint, as if made with the tab
        super().showEvent(event)

    def _current_id(self) -> int | None:
        return self.made_form.current_id if self.made_form is not None else None

    def new_item(self) -> None:
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        self.form.show_new()

    def select_id(self, item_id: int) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def set_rows(self, rows: tuple[I, ...]) -> None:
        current = self._current_id()
        self.model.set_rows(rows)
        self._after_reset(current)

    def set_show_inactive(self, show: bool) -> None:
        current = self._current_id()
        self.model.set_show_inactive(show)
        self._after_reset(current)

    def _after_reset(self, current: int | None) -> None:
        hidden = self.model.hidden_count()
        text = self.tr("%Ln shown", "", self.model.rowCount())
        if hidden:
            text += self.tr(" (%Ln deactivated hidden)", "", hidden)
        self.count_label.setText(text)
        if current is None:
            return
        if not self.select_id(current):
            # Hidden (deactivated) or gone: the form keeps it, with the newest values if any.
            item = self.model.find(current)
            if item is not None:
                self.form.refresh(item)

    def _current_changed(self, index: QModelIndex) -> None:
        item = self.model.row_at(index.row()) if index.isValid() else None
        if item is None:
            return
        self.form_pane.show()
        if item.id == self.form.current_id:
            self.form.refresh(item)
        else:
            self.form.show_item(item)

    def _saved(self, item_id: int) -> None:
        # The row is selected when the lists come back; until then the form already shows it.
        self.select_id(item_id)


class OrganisationPanel(QWidget):
    """进驻部门 / 调解团队 / 调解员, for the administrator and the head (read-only for others)."""

    def __init__(self, runner: TaskRunner, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("organisationPanel")
        self._runner = runner
        self._actor = actor
        self.can_edit = organisation.can_manage(actor)
        self.organisation: Organisation | None = None

        self.notice = named(QLabel(self.tr(
            "Only the administrator and the center head can change departments, teams and mediators; "
            "you can look them up here.")), "organisationReadOnly")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTE_STYLE)
        self.notice.setVisible(not self.can_edit)
        self.show_inactive = named(QCheckBox(self.tr("Show deactivated")), "showInactive")

        can_edit = self.can_edit
        self.departments = OrgTab(
            DepartmentsModel(self), lambda: self._prepared(DepartmentForm(runner, actor, can_edit=can_edit)),
            can_edit=can_edit, new_text=self.tr("New department"), name="departmentsTab",
            widths={DepartmentsModel.COL_NAME: 190, DepartmentsModel.COL_PRESENCE: 76,
                    DepartmentsModel.COL_CONTACT: 70, DepartmentsModel.COL_PHONE: 110,
                    DepartmentsModel.COL_ROTA: 140, DepartmentsModel.COL_MEDIATORS: 70})
        self.teams = OrgTab(
            TeamsModel(self), lambda: self._prepared(TeamForm(runner, actor, can_edit=can_edit)), can_edit=can_edit,
            new_text=self.tr("New team"), name="teamsTab",
            widths={TeamsModel.COL_NAME: 150, TeamsModel.COL_LEAD: 70, TeamsModel.COL_MEMBERS: 190,
                    TeamsModel.COL_TYPES: 190, TeamsModel.COL_OPEN: 70})
        self.mediators = OrgTab(
            MediatorsModel(self), lambda: self._prepared(MediatorForm(runner, actor, can_edit=can_edit)),
            can_edit=can_edit,
            new_text=self.tr("New mediator"), name="mediatorsTab",
            widths={MediatorsModel.COL_NAME: 80, MediatorsModel.COL_KIND: 84, MediatorsModel.COL_DEPARTMENT: 140,
                    MediatorsModel.COL_TEAMS: 120, MediatorsModel.COL_PHONE: 100,
                    MediatorsModel.COL_SPECIALTIES: 110, MediatorsModel.COL_OPEN: 64})
        self.can_edit_centers = can_edit_centers = permissions.has_role(actor, permissions.ADMIN_ONLY)
        self.centers = OrgTab(
            CentersModel(self), lambda: self._prepared(CenterForm(runner, actor, can_edit=can_edit_centers)),
            can_edit=can_edit_centers,
            new_text=self.tr("New center"), name="centersTab",
            widths={CentersModel.COL_NAME: 250, CentersModel.COL_LEVEL: 70, CentersModel.COL_PARENT: 200,
                    CentersModel.COL_PREFIX: 130})
        # 导入入驻文件…: an offline township's desk takes its centers from the county's file.
        self.enrolment_button = named(QPushButton(self.tr("Import enrolment file…")), "importEnrolment")
        self.enrolment_button.setToolTip(self.tr("Set up this desk's centers from the enrolment file the county's "
                                                 "administrator wrote (an offline township)"))
        # For a desk's own SQLite file (an offline township); a server's centers are set here directly.
        self.enrolment_button.setVisible(self.can_edit_centers and runner.has_database
                                         and runner.database.is_sqlite)
        self.enrolment_button.clicked.connect(lambda _checked=False: self.import_enrolment())
        self.centers.toolbar.insertWidget(1, self.enrolment_button)
        # 本中心文书信息…: the head or the administrator keeps what their own center's papers print.
        self.profile_button = named(QPushButton(self.tr("Our center on its papers…")), "editCenterProfile")
        self.profile_button.setToolTip(self.tr("The address, phone and mediation committee the papers of this "
                                               "center's cases print"))
        self.profile_button.setVisible(self.can_edit and runner.has_database)
        self.profile_button.clicked.connect(lambda _checked=False: self.edit_profile())
        self.centers.toolbar.insertWidget(2, self.profile_button)
        #: The profile dialog while open.
        self.profile_dialog: CenterProfileDialog | None = None
        #: The outcome of the last enrolment import, while shown (non-modal).
        self.enrolment_box: QMessageBox | None = None
        #: Asks which enrolment file to import (→ chosen path or ""); tests replace it.
        self.choose_enrolment: Callable[[], str] = self._ask_enrolment
        self.tabs = named(QTabWidget(), "organisationTabs")
        self.tabs.addTab(self.departments, self.tr("Stationed departments"))
        self.tabs.addTab(self.teams, self.tr("Mediation teams"))
        self.tabs.addTab(self.mediators, self.tr("Mediators"))
        self.tabs.addTab(self.centers, self.tr("Centers"))
        self.tabs.setCornerWidget(self.show_inactive, Qt.Corner.TopRightCorner)
        self.error = named(QLabel(), "organisationError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.error)
        layout.addWidget(self.tabs)

        self.show_inactive.toggled.connect(self._show_inactive_toggled)
        runner.changed.connect(self._on_changed)
        self.loading = RefreshWhenShown(self, self.reload, first_when_shown=True)

    def tabs_in_order(self) -> tuple[OrgTab[DepartmentInfo, DepartmentForm], OrgTab[TeamInfo, TeamForm],
                                     OrgTab[MediatorInfo, MediatorForm]]:
        return (self.departments, self.teams, self.mediators)

    def _prepared(self, form: F) -> F:
        """A form just made: it asks for the lists again after a conflict, and picks from the
        organisation read so far."""
        form.reload_requested.connect(self.reload)
        if self.organisation is not None:
            form.set_reference(self.organisation)
        return form

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        actor = self._actor

        def work(session: Session) -> Organisation:
            return organisation.load_organisation(session, actor)

        self._runner.run_read(work, on_success=self._loaded, on_error=self._failed)

    def _loaded(self, org: Organisation) -> None:
        self.organisation = org
        self.error.hide()
        for tab in (*self.tabs_in_order(), self.centers):
            if tab.made_form is not None:
                tab.made_form.set_reference(org)
        self.centers.set_rows(org.centers)
        self.departments.set_rows(org.departments)
        self.teams.set_rows(org.teams)
        self.mediators.set_rows(org.mediators)
        if org.uncovered_types:
            self.teams.warning.setText(self.tr("No active team handles: {types}. Cases of these types cannot be "
                                               "assigned.").format(types=joined(org.uncovered_types)))
        self.teams.warning.setVisible(bool(org.uncovered_types))

    def _failed(self, failure: TaskFailure) -> None:
        self.error.setText(failure.message)
        self.error.show()

    def _on_changed(self, changes: Changes) -> None:
        if changes.organisation:
            self.loading.request()

    # ------------------------------------------------------------------ the enrolment file

    def _ask_enrolment(self) -> str:
        return file_dialogs.open_file_name(self, self.tr("Choose an enrolment file"), file_dialogs.PACKET,
                                           self.tr("Enrolment file (*.zip)"))

    def edit_profile(self) -> None:
        """Read the actor's own center's profile, then show it in a dialog to edit."""
        actor = self._actor

        def work(session: Session) -> tuple[CenterProfile, str, str]:
            from mediation_desk.services import center

            name = center.center_issuer(session, actor.center_id).center_name
            return center.profile(session, actor.center_id), name, center.default_committee(session, actor.center_id)

        def show(read: tuple[CenterProfile, str, str]) -> None:
            current, name, default = read
            dialog = CenterProfileDialog(self._runner, actor, current, name, default, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _result: setattr(self, "profile_dialog", None))
            self.profile_dialog = dialog
            dialog.open()

        self._runner.run_read(work, on_success=show, on_error=self._failed)

    def import_enrolment(self) -> bool:
        """Check the county's enrolment file and apply it off the GUI thread; the centers tab
        reloads from the write's changes. False if not started."""
        if not self.enrolment_button.isVisibleTo(self):
            return False
        chosen = self.choose_enrolment()
        if not chosen:
            return False
        path, database, actor = Path(chosen), self._runner.database, self._actor

        def job() -> EnrolmentResult:
            from mediation_desk.exchange.enrolment import enrol

            return enrol(database, actor, path)

        self.enrolment_button.setEnabled(False)
        self._runner.run_job(job, on_success=self._enrolled, on_error=self._enrol_failed)
        return True

    def _enrolled(self, result: EnrolmentResult) -> None:
        self.enrolment_button.setEnabled(True)
        self.tabs.setCurrentWidget(self.centers)
        self._show_enrolment(QMessageBox.Icon.Information, result.message)

    def _enrol_failed(self, failure: TaskFailure) -> None:
        self.enrolment_button.setEnabled(True)
        self._show_enrolment(QMessageBox.Icon.Warning, failure.message)

    def _show_enrolment(self, icon: QMessageBox.Icon, text: str) -> None:
        if self.enrolment_box is not None:
            self.enrolment_box.close()
        box = QMessageBox(icon, self.tr("Enrolment file"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("enrolmentMessage")
        self.enrolment_box = box
        box.open()

    def _show_inactive_toggled(self, show: bool) -> None:
        for tab in self.tabs_in_order():
            tab.set_show_inactive(show)
        self.centers.set_show_inactive(show)
