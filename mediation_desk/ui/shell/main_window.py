"""The main window: one tab per section the user's role works in, and the menus."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation_desk import APP_TITLE, __version__, settings
from mediation_desk.models import CaseState, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services.actor import Actor
from mediation_desk.ui.common.collector import keep_made_later
from mediation_desk.ui.common.i18n import LANGUAGES, enum_text
from mediation_desk.ui.common.tasks import TaskFailure, TaskRunner
from mediation_desk.ui.common.unsaved import Ask, LeaveGuard, UnsavedEditor
from mediation_desk.ui.common.widgets import named
from mediation_desk.ui.intake.receipt import ReceiptPrinter
from mediation_desk.ui.shell.outage_banner import OutageBanner

# Each section's module is imported where the section is made (its tab first shown): the first
# section, and with it the first rows, does not wait for the others' imports (issue 20 item 1).
if TYPE_CHECKING:
    from mediation_desk.ui.cases.crossing_packets import CrossingPackets
    from mediation_desk.ui.cases.detail import CaseDetailView
    from mediation_desk.ui.cases.list_view import ListPreset
    from mediation_desk.ui.counter.screen import CounterScreen
    from mediation_desk.ui.desk.dashboard import DashboardPanel
    from mediation_desk.ui.intake.form import IntakeForm

#: What fits a 1366×768 screen with a taskbar.
DEFAULT_SIZE = (1300, 700)
#: 注销/切换用户 from anywhere in the window (File menu).
SIGN_OUT_KEYS = "Ctrl+Shift+L"
#: After a case list's first rows and count arrive, this long (ms) before its detail page is made:
#: their paint comes first.
DETAIL_AHEAD_MS = 150


class CaseSection(QSplitter):
    """A case list with the detail of the opened case beside it. The detail page (its eight tabs:
    ~90 ms of the GUI thread, most of the section) is not made with the section, so its first show
    paints the list without it: it is made hidden a moment after the list's first rows and count,
    while the person reads them (so the first case opened only fills it), or when a case opens
    before that; :attr:`detail_view` makes it when asked."""

    def __init__(self, runner: TaskRunner, actor: Actor, preset: ListPreset | None, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        from mediation_desk.ui.cases.list_view import CaseListView

        self.setObjectName(name)
        self._runner, self._actor = runner, actor
        self._detail: CaseDetailView | None = None
        self._ask: Ask | None = None
        self.list_view = CaseListView(runner, actor, preset)
        self.addWidget(self.list_view)
        self.setChildrenCollapsible(False)
        # Until a case opens the list has the whole width (every column shown, no empty half);
        # the detail appears beside it with the first case shown.
        self.list_view.case_activated.connect(self.open_case)
        # Ctrl+F is the window's (MainWindow.focus_case_search), from every focus: a second Ctrl+F
        # of the list's own would make the key ambiguous, and Qt then runs neither while the list
        # has focus (the next keystroke went to the table's type-ahead).
        self.list_view.find_shortcut.setEnabled(False)
        self._ahead = QTimer(self)
        self._ahead.setSingleShot(True)
        self._ahead.setInterval(DETAIL_AHEAD_MS)
        self._ahead.timeout.connect(self._make_detail_ahead)
        model = self.list_view.model
        # After the list's last answer of its first show (its rows, then its count): the page is
        # not made in the same turn as the count's own work.
        for signal in (model.rows_loaded, model.count_changed):
            signal.connect(self._list_answered)
        if model.rowCount():
            self._ahead.start()  # the rows came with the list (a synchronous runner)

    def _list_answered(self, *_args: int) -> None:
        if self._detail is None:
            self._ahead.start()  # (again) from now

    def _make_detail_ahead(self) -> None:
        if self._detail is None:
            self.detail_view  # noqa: B018  # made now (a property)

    @property
    def detail_built(self) -> CaseDetailView | None:
        """The detail page, if a case has been opened (or the page asked for) yet."""
        return self._detail

    @property
    def detail_view(self) -> CaseDetailView:
        """The detail page, made now if it is not yet."""
        if self._detail is None:
            from mediation_desk.ui.cases.detail import CaseDetailView

            detail = self._detail = CaseDetailView(self._runner, self._actor)
            if self._ask is not None:
                detail.guard.ask = self._ask
            # Hidden before it joins: the list keeps the whole width until a case is shown.
            detail.hide()
            sizes = self.sizes()
            self.addWidget(detail)
            self.setSizes([*sizes, 0])
            self.setStretchFactor(0, 3)
            self.setStretchFactor(1, 2)
            detail.loaded.connect(self._show_detail)
            # Opening another case asks first when the shown one holds unsaved input; when the
            # user stays, the list selects the shown case again.
            detail.case_kept.connect(self.list_view.select_case)
            keep_made_later()  # lives as long as the section
        return self._detail

    def open_case(self, case_id: int) -> None:
        self.detail_view.open_case(case_id)

    def unsaved_editors(self) -> list[UnsavedEditor]:
        """The detail page's editors; none before it is made (nothing was typed into it)."""
        return self._detail.unsaved_editors() if self._detail is not None else []

    def set_unsaved_question(self, ask: Ask | None) -> None:
        """Who answers the unsaved-input question in the detail page, now or once it is made."""
        self._ask = ask
        if self._detail is not None and ask is not None:
            self._detail.guard.ask = ask

    def _show_detail(self) -> None:
        if not self.detail_view.isHidden():
            return
        self.detail_view.show()
        # About 56 % for the list: at 1366 px the detail keeps ~600 px, enough for its two columns,
        # and the list's first columns (案号, 当事人, 期限, 状态) stay readable.
        total = max(sum(self.sizes()), self.width())
        self.setSizes([total * 56 // 100, total - total * 56 // 100])


class Sections(Mapping[str, QWidget]):
    """The window's sections by key, in tab order. A section still pending (see
    ``MainWindow._add_lazy``) is made when it is asked for here or its tab is first shown;
    :meth:`built` gives the ones made so far without making the rest."""

    def __init__(self, build: Callable[[str, QWidget, Callable[[], QWidget]], QWidget]) -> None:
        self._build = build
        self._order: list[str] = []
        self._built: dict[str, QWidget] = {}
        self._pending: dict[str, tuple[QWidget, Callable[[], QWidget]]] = {}

    def add(self, key: str, widget: QWidget) -> None:
        self._order.append(key)
        self._built[key] = widget

    def add_pending(self, key: str, placeholder: QWidget, build: Callable[[], QWidget]) -> None:
        self._order.append(key)
        self._pending[key] = (placeholder, build)

    def pending_key(self, widget: QWidget | None) -> str | None:
        return next((key for key, (placeholder, _b) in self._pending.items() if placeholder is widget), None)

    def built(self) -> dict[str, QWidget]:
        return {key: self._built[key] for key in self._order if key in self._built}

    def __getitem__(self, key: str) -> QWidget:
        widget = self._built.get(key)
        if widget is not None:
            return widget
        placeholder, build = self._pending.pop(key)  # KeyError: no such section
        widget = self._built[key] = self._build(key, placeholder, build)
        return widget

    def __contains__(self, key: object) -> bool:
        return key in self._order  # without making it

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


class _PagesMadeWhenShown(QObject):
    """The pages of a tab widget made the first time each is shown, in place of a blank page: a
    section's first show makes only its first page (统计's table by level and risk briefing were
    ~40 ms of the GUI thread's ~105 at its first click on a 200,000-case demo). The made page takes
    the blank's place at the same index before anything reads the tab widget's current page."""

    def __init__(self, pages: QTabWidget) -> None:
        super().__init__(pages)  # lives as long as its tab widget
        self._pages = pages
        self._makers: dict[QWidget, Callable[[], QWidget]] = {}
        pages.currentChanged.connect(self._shown)

    def add(self, make: Callable[[], QWidget], title: str) -> None:
        blank = QWidget()
        self._makers[blank] = make
        self._pages.addTab(blank, title)

    def _shown(self, index: int) -> None:
        blank = self._pages.widget(index)
        make = None if blank is None else self._makers.pop(blank, None)
        if blank is None or make is None:
            return
        page = make()
        title = self._pages.tabText(index)
        blocked = self._pages.blockSignals(True)  # the swap itself shows no other page
        try:
            self._pages.insertTab(index, page, title)
            self._pages.removeTab(index + 1)
            self._pages.setCurrentIndex(index)
        finally:
            self._pages.blockSignals(blocked)
        blank.deleteLater()


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'section'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class MainWindow(QMainWindow):
    #: The user chose another interface language (applies at the next start).
    language_chosen = Signal(str)
    #: 注销/切换用户, after unsaved input was saved, kept or discarded: back to the login dialog.
    sign_out_requested = Signal()

    def __init__(self, runner: TaskRunner, actor: Actor, center_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._runner = runner
        self.actor = actor
        self.message_box: QMessageBox | None = None
        #: Asks before signing out or closing drops unsaved input of any section (ui.unsaved).
        self.guard = LeaveGuard(self, self.unsaved_editors)
        self._may_close = False
        self._closing = False

        self.tabs = named(QTabWidget(), "sections")
        #: The sections by key, in tab order; one not shown yet is made when asked for.
        self.sections = Sections(self._build_section)
        self._dashboard: DashboardPanel | None = None
        self._unsaved_ask: Ask | None = None
        #: The registration form, for the roles that register cases at the window, once made (the
        #: clerk's first section is made with the window; the head's when first shown).
        self.intake_form: IntakeForm | None = None
        #: The citizen-facing window on the desk's second screen, made with the registration form.
        self.counter_screen: CounterScreen | None = None
        self.receipts = ReceiptPrinter(runner, actor, self)
        self.receipts.ready.connect(self._receipt_ready)
        self.receipts.failed.connect(self.show_failure)
        if actor.role is Role.INTAKE:
            self._add_lazy("intake", self.tr("Registration"), self._intake_section)  # the clerk's main work: first
        if actor.role in (Role.MEDIATOR, Role.HEAD):
            self._add_lazy("desk", self.tr("Desk"), self._desk_section)  # what needs them today: first
        if actor.role is not Role.ADMIN:  # the administrator reads no case content (docs/permissions.md)
            self._add_lazy("cases", self.tr("Cases"), lambda: CaseSection(runner, actor, None, "casesSection"))
        if actor.role is Role.MEDIATOR:
            # "Cases" shows a mediator their teams' cases already (the service filters the rows):
            # this one is what they themselves handle, as lead or co-mediator.
            self._add_lazy("mine", self.tr("My cases"), self._mine_section)
        if actor.role is Role.HEAD:
            self._add_lazy("review", self.tr("Closure review"), self._review_section)
            self._add_lazy("publicity", self.tr("Publicity"), self._publicity_section)
            # Charts side by side want ~1200 px: on a smaller window the page scrolls instead.
            self._add_lazy("statistics", self.tr("Statistics"), self._statistics_section)
            # Stage limits per department and type, and each department's monthly score (cards).
            self._add_lazy("cards", self.tr("Cards and limits"), self._cards_section)
            # Made when first shown, as every section but the first: with the window it was a third
            # of the GUI thread's work before the head's desk was painted.
            self._add_lazy("intake", self.tr("Registration"), self._intake_section)
        if actor.role is Role.INTAKE:
            # The clerk's desk holds the diversions awaiting feedback.
            self._add_lazy("desk", self.tr("Desk"), self._desk_section)
        if actor.role in (Role.INTAKE, Role.MEDIATOR, Role.HEAD):
            # Signed papers scanned back file themselves by their page codes; the rest wait here.
            self._add_lazy("scanback", self.tr("Signed papers"), self._scanback_section)
        # Every role may look the organisation up (the clerk needs the on-call departments'
        # phones); only the administrator and the head change it.
        self._add_lazy("organisation", self.tr("Organisation"), self._organisation_section)
        if actor.role in (Role.ADMIN, Role.HEAD):
            self._add_lazy("calendar", self.tr("Holidays and time limits"), self._calendar_section)
        if actor.role is Role.ADMIN:
            self._add_lazy("users", self.tr("Users"), self._users_section)
        if actor.role in (Role.ADMIN, Role.HEAD, Role.MEDIATOR):
            # 以案定补: the administrator sets the rules, the head prints, a mediator reads their own.
            self._add_lazy("subsidies", self.tr("Subsidies"), self._subsidies_section)
        if actor.role in (Role.ADMIN, Role.HEAD):
            self._add_lazy("audit", self.tr("Audit log"), self._audit_section)
        if actor.role is Role.ADMIN:
            self._add_lazy("backup", self.tr("Backups"), self._backup_section)
        self.tabs.currentChanged.connect(self._tab_shown)
        # While the center server cannot be reached a banner above the sections says so.
        self.outage_banner = OutageBanner(runner)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.outage_banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        # Where the desk works, in a person's words: the center and the database's name (the
        # file, or server/database), never the driver URL; it stays while messages come and go.
        self.location_label = named(QLabel(), "statusLocation")
        self.show_center(center_name)
        self.statusBar().addPermanentWidget(self.location_label)
        runner.busy_changed.connect(self._busy_changed)
        runner.failed.connect(self.show_failure)

        # Ctrl+F anywhere in the window: the case list's search box (the only Ctrl+F of the window).
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.find_shortcut.activated.connect(self.focus_case_search)
        #: 导入流转包… of the File menu, made when first used.
        self.crossing_packets: CrossingPackets | None = None
        self._build_menus()
        self._restore_geometry()
        if self.intake_form is not None and self.tabs.currentWidget() is self.intake_form:
            self.intake_form.focus_first_field()

    def show_center(self, center_name: str) -> None:
        """The center's name in the title and the status bar (start-up may make the window before
        the login dialog has read it)."""
        self.center_name = center_name
        actor = self.actor
        self.setWindowTitle(self.tr("{app} — {center} — {user} ({role})").format(
            app=APP_TITLE, center=center_name, user=actor.display_name, role=enum_text(actor.role)))
        if self._runner.has_database:
            self.location_label.setText(self.tr("{center} · database: {database}").format(
                center=center_name, database=self._runner.database.friendly_name))
            self.location_label.setToolTip(self._runner.database.location)
        else:
            self.location_label.setText(center_name)

    def _add_section(self, key: str, title: str, widget: QWidget) -> None:
        self.sections.add(key, widget)
        self.tabs.addTab(widget, title)

    def _add_lazy(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        """A section made when it is first shown or asked for (:class:`Sections`): the window
        paints its first section, and that section's rows, without waiting for the others (a
        case section with its detail page is a few hundred milliseconds). The first section of
        the window is made at once."""
        if self.tabs.count() == 0:
            self._add_section(key, title, build())
            return
        placeholder = QWidget()
        placeholder.setObjectName(f"{key}Pending")
        self.sections.add_pending(key, placeholder, build)
        self.tabs.addTab(placeholder, title)

    def _build_section(self, key: str, placeholder: QWidget, build: Callable[[], QWidget]) -> QWidget:
        """Make a pending section and put it in its placeholder's tab (Sections calls this)."""
        widget = build()
        index = self.tabs.indexOf(placeholder)
        showing = self.tabs.currentIndex() == index
        # Inserted before the placeholder, which is then removed: the current tab never moves to a
        # neighbour in between (that would show, and load, a section nobody asked for).
        self.tabs.insertTab(index, widget, self.tabs.tabText(index))
        if showing:
            self.tabs.setCurrentIndex(index)
        self.tabs.removeTab(index + 1)
        placeholder.deleteLater()
        if isinstance(widget, QSplitter):  # the desk file read only for a section that keeps a state there
            state = settings.DeskFile.load().get_bytes(settings.splitter_option(key))
            if state is not None:
                widget.restoreState(QByteArray(state))
        if isinstance(widget, CaseSection) and self._unsaved_ask is not None:
            widget.set_unsaved_question(self._unsaved_ask)
        keep_made_later()  # lives as long as the window: no full pass of the collector walks it again
        return widget

    def shown_after_its_reads(self) -> None:
        """Start-up shows this window once its first section's reads have answered (``ui.app``):
        that section reads what lies below its first rows after the window's first paint, as it does
        on screen, not while the window is made visible and painted."""
        desk = self.sections.built().get("desk")
        if desk is not None:
            from mediation_desk.ui.desk.desk import DeskPanel  # imported already: the desk is made

            if isinstance(desk, DeskPanel):
                desk.panels_after_the_paint()

    def prepare_ahead(self) -> None:
        """Once the window's first rows are painted: make ahead, in small steps while the person
        reads them, what a section's first click would wait for — 受理登记's two party forms when
        that section is not made yet (about half of its first show)."""
        if "intake" in self.sections and "intake" not in self.sections.built():
            from mediation_desk.ui.intake.party import prepare_party_forms

            prepare_party_forms()

    def _tab_shown(self, index: int) -> None:
        key = self.sections.pending_key(self.tabs.widget(index))
        if key is not None:
            self.sections.get(key)  # made on first show

    def _desk_section(self) -> QWidget:
        from mediation_desk.ui.desk.desk import DeskPanel

        desk = DeskPanel(self._runner, self.actor)
        desk.open_case.connect(self.open_case)
        return desk

    def _mine_section(self) -> QWidget:
        from mediation_desk.ui.cases.list_view import ListPreset

        actor = self.actor
        if actor.mediator_id is not None:
            mine = ListPreset(team_ids=actor.team_ids or None, mediator_id=actor.mediator_id)
            return CaseSection(self._runner, actor, mine, "mineSection")
        label = QLabel(self.tr("Your account is not linked to a mediator record yet. Ask the "
                               "administrator to link it."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def _review_section(self) -> QWidget:
        from mediation_desk.ui.cases.list_view import ListPreset

        preset = ListPreset(states=frozenset({CaseState.CLOSURE_REVIEW}))
        return CaseSection(self._runner, self.actor, preset, "reviewSection")

    def _publicity_section(self) -> QWidget:
        from mediation_desk.ui.desk.publicity import PublicityPanel

        return PublicityPanel(self._runner, self.actor)

    def _subsidies_section(self) -> QWidget:
        from mediation_desk.ui.desk.subsidies import SubsidiesSection

        return SubsidiesSection(self._runner, self.actor)

    def _organisation_section(self) -> QWidget:
        from mediation_desk.ui.admin.organisation import OrganisationPanel

        return OrganisationPanel(self._runner, self.actor)

    def _calendar_section(self) -> QWidget:
        from mediation_desk.ui.admin.calendar import CalendarPanel

        return CalendarPanel(self._runner, self.actor)

    def _cards_section(self) -> QWidget:
        from mediation_desk.ui.desk.cards import CardsSection

        section = CardsSection(self._runner, self.actor)
        section.open_case.connect(self.open_case)
        return section

    def _users_section(self) -> QWidget:
        from mediation_desk.ui.admin.users import UsersPanel

        return UsersPanel(self._runner, self.actor)

    def _statistics_section(self) -> QWidget:
        from mediation_desk.ui.desk.dashboard import DashboardPanel
        from mediation_desk.ui.desk.levels import LevelsView

        dashboard = DashboardPanel(self._runner, self.actor)
        dashboard.open_cases.connect(self.open_figure)
        self._dashboard = dashboard
        # The figures first; the 矛盾纠纷排查调处情况表 by level (issue 21 item 4) beside them.
        pages = named(QTabWidget(), "statisticsTabs")
        pages.setDocumentMode(True)
        pages.addTab(_scrolled(dashboard), self.tr("Figures"))
        later = _PagesMadeWhenShown(pages)

        def table_by_level() -> QWidget:
            levels = LevelsView(self._runner, self.actor)
            levels.open_cases.connect(self.open_figure)
            return levels

        later.add(table_by_level, self.tr("Table by level"))
        from mediation_desk.services import briefing

        if briefing.may_read(self.actor):
            # 风险研判 for the monthly meeting (issue 23 item 4): the roles the service lets read it.
            def risk_briefing() -> QWidget:
                from mediation_desk.ui.desk.briefing import BriefingView

                risk = BriefingView(self._runner, self.actor)
                risk.open_cases.connect(self.open_figure)
                risk.open_case.connect(self.open_case)
                return risk

            later.add(risk_briefing, self.tr("Risk briefing"))
        return pages

    @property
    def dashboard(self) -> DashboardPanel:
        """The head's statistics page (made when first asked for)."""
        if "statistics" not in self.sections:
            raise AttributeError("dashboard")  # only the head has one
        self.sections.get("statistics")  # made if still pending
        assert self._dashboard is not None
        return self._dashboard

    def _scanback_section(self) -> QWidget:
        from mediation_desk.ui.scanning.scanback import ScanBackPanel

        scanback = ScanBackPanel(self._runner, self.actor)
        scanback.open_case.connect(self.open_case)
        return scanback

    def _audit_section(self) -> QWidget:
        from mediation_desk.ui.admin.audit import AuditViewer

        viewer = AuditViewer(self._runner, self.actor)
        if self.actor.role is Role.HEAD:
            viewer.open_case.connect(self.open_case)
        return viewer

    def _backup_section(self) -> QWidget:
        from mediation_desk.ui.admin.backup import BackupPanel

        backups = BackupPanel(self._runner, self.actor)
        backups.restored.connect(self._restored)
        return backups

    def _intake_section(self) -> QWidget:
        from mediation_desk.ui.intake.form import IntakeForm

        form = IntakeForm(self._runner, self.actor)
        form.open_case_requested.connect(self.open_case)
        form.receipt_requested.connect(self.receipts.print_receipt)
        self.intake_form = form
        from mediation_desk.ui.counter.screen import CounterScreen

        # The citizen-facing window on the desk's second screen, when it has one (the 好差评).
        self.counter_screen = CounterScreen(self._runner, self.actor, form)
        return form

    def open_case(self, case_id: int) -> None:
        """Show a case in the all-cases section (from the desk, the registration form, a link);
        unsaved input of the case shown there is asked about first."""
        section = self.sections.get("cases")
        if isinstance(section, CaseSection):
            self.tabs.setCurrentWidget(section)
            section.open_case(case_id)

    # ------------------------------------------------------------------ unsaved input

    def case_sections(self) -> list[CaseSection]:
        """The case sections made so far (one never shown holds no input)."""
        return [w for w in self.sections.built().values() if isinstance(w, CaseSection)]

    def unsaved_editors(self) -> list[UnsavedEditor]:
        """Every editor of the window, section by section (a section kept in the background
        keeps its input: switching sections drops nothing)."""
        editors: list[UnsavedEditor] = []
        for section in self.case_sections():
            editors += section.unsaved_editors()
        if self.intake_form is not None:
            editors.append(self.intake_form)
        return editors

    def set_unsaved_question(self, ask: Ask) -> None:
        """Who answers the unsaved-input question, in every guard of the window (tests answer it)."""
        self.guard.ask = ask
        self._unsaved_ask = ask
        for section in self.case_sections():
            section.set_unsaved_question(ask)

    def sign_out(self, *, ask: bool = True) -> None:
        """注销/切换用户: unsaved input is saved, kept or discarded first; then the login dialog.
        ``ask=False`` (the lock screen, once nothing unsaved is left) signs out at once."""
        if ask:
            self.guard.leave(self._signed_out)
        else:
            self._signed_out()

    def _signed_out(self) -> None:
        self._may_close = True
        self.sign_out_requested.emit()

    def focus_case_search(self) -> None:
        section = self.tabs.currentWidget()
        if not isinstance(section, CaseSection):
            cases = self.sections.get("cases")
            if not isinstance(cases, CaseSection):
                return  # the administrator has no case list
            section = cases
            self.tabs.setCurrentWidget(section)
        section.list_view.focus_search()

    def change_password(self) -> None:
        from mediation_desk.ui.shell.password_change import PasswordChangeDialog

        self._open_dialog(PasswordChangeDialog(self._runner, self.actor, parent=self))

    def _restored(self, _result: object) -> None:
        """Every open list and form shows the old data: sign everyone out of this window."""
        box = QMessageBox(QMessageBox.Icon.Information, self.windowTitle(),
                          self.tr("The database was restored from the backup. The program closes now; "
                                  "start it again and sign in."), QMessageBox.StandardButton.Ok, self)
        box.finished.connect(lambda _code: self.close())
        self._open(box)

    def open_figure(self, flt: object, title: str) -> None:
        """A number clicked on the dashboard: the case list shows exactly the cases it counted."""
        section = self.sections.get("cases")
        if isinstance(section, CaseSection) and isinstance(flt, CaseFilter):
            self.tabs.setCurrentWidget(section)
            section.list_view.show_figure(flt, title)

    def import_packet(self) -> None:
        from mediation_desk.ui.intake.packet_import import PacketImportDialog

        dialog = PacketImportDialog(self._runner, self.actor, self)
        dialog.imported.connect(self.open_case)
        self._open_dialog(dialog)

    def crossing_packet_actions(self) -> CrossingPackets:
        """The File menu's 导入流转包… (made when first used: it loads the services)."""
        packets = self.crossing_packets
        if packets is None:
            from mediation_desk.ui.cases.crossing_packets import CrossingPackets

            packets = self.crossing_packets = CrossingPackets(self._runner, self.actor, self)
            packets.imported.connect(self.open_case)
        return packets

    def import_crossing_packet(self) -> bool:
        """导入流转包…: a step from the center above or below, recorded; its case opens."""
        return self.crossing_packet_actions().import_packet()

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def offer_draft(self) -> bool:
        """At start-up: offer back a registration this user left unsaved (non-blocking). A form not
        made yet (the head's) is made only when there is a draft to offer."""
        if "intake" not in self.sections:
            return False
        if self.intake_form is None:
            from mediation_desk.services import drafts

            if not drafts.draft_path(self.actor.username).exists():
                return False
            self.sections.get("intake")
        if self.intake_form is None or not self.intake_form.offer_draft():
            return False
        self.tabs.setCurrentWidget(self.intake_form)
        return True

    def _receipt_ready(self, path: object) -> None:
        self.statusBar().showMessage(self.tr("Receipt saved as {path}").format(path=path))

    def section_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    # ------------------------------------------------------------------ menus

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.import_packet_action: QAction | None = None
        if self.actor.role in (Role.INTAKE, Role.HEAD):
            # Importing a packet registers a new case: the registering roles only.
            self.import_packet_action = QAction(self.tr("Import a transfer &packet…"), self)
            self.import_packet_action.triggered.connect(self.import_packet)
            file_menu.addAction(self.import_packet_action)
        #: 导入流转包… (an offline township's step): who takes the steps of a center (the service's
        #: roles, ``crossing_packets.may_exchange``; not imported here: it loads the services).
        self.import_crossing_action: QAction | None = None
        if self.actor.center_id is not None and self.actor.role in (Role.INTAKE, Role.HEAD):
            self.import_crossing_action = QAction(self.tr("Import a &crossing packet…"), self)
            self.import_crossing_action.triggered.connect(lambda _checked=False: self.import_crossing_packet())
            file_menu.addAction(self.import_crossing_action)
        if self.import_packet_action is not None or self.import_crossing_action is not None:
            file_menu.addSeparator()
        self.sign_out_action = QAction(self.tr("Sign &out / switch user…"), self)
        self.sign_out_action.setShortcut(QKeySequence(SIGN_OUT_KEYS))
        self.sign_out_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sign_out_action.triggered.connect(lambda _checked=False: self.sign_out())
        file_menu.addAction(self.sign_out_action)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("Interface &language"))
        group = QActionGroup(self)
        group.setExclusive(True)
        current = settings.DeskSettings.load().language
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            # Each language is named in itself, so a user who cannot read the current one finds theirs.
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action

        settings_menu.addSeparator()
        self.direct_receipt_action: QAction | None = None
        if "intake" in self.sections:
            # 保存并打印受理回执: the print dialog over the preview, or (a desk with its own
            # receipt printer) straight to the default printer.
            action = QAction(self.tr("Print receipts straight to the default &printer"), self, checkable=True)
            action.setChecked(settings.receipt_direct_print())
            action.toggled.connect(settings.set_receipt_direct_print)
            settings_menu.addAction(action)
            self.direct_receipt_action = action
        password_action = QAction(self.tr("Change &password…"), self)
        password_action.triggered.connect(self.change_password)
        settings_menu.addAction(password_action)
        if self.actor.role is Role.ADMIN:
            server_action = QAction(self.tr("&Database connection…"), self)
            server_action.triggered.connect(self._edit_server_settings)
            settings_menu.addAction(server_action)
        if self.actor.role in (Role.ADMIN, Role.HEAD):
            trusted_action = QAction(self.tr("&Trusted local filesystems…"), self)
            trusted_action.triggered.connect(self.edit_trusted_filesystems)
            settings_menu.addAction(trusted_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.menus = (file_menu, settings_menu, help_menu)

    def _edit_server_settings(self) -> None:
        from mediation_desk.ui.shell.server_settings import ServerSettingsDialog

        self._open_dialog(ServerSettingsDialog(self._runner, parent=self))

    def edit_trusted_filesystems(self) -> None:
        from mediation_desk.ui.shell.trusted_filesystems import TrustedFilesystemsDialog

        self._open_dialog(TrustedFilesystemsDialog(self._runner, self.actor, parent=self))

    def choose_language(self, code: str) -> None:
        desk_settings = settings.DeskSettings.load()
        if desk_settings.language == code:
            return
        desk_settings.language = code
        desk_settings.save()
        self.language_chosen.emit(code)
        self._inform(self.tr("Interface language"),
                     self.tr("The interface language will change to {language} the next time Mediation "
                             "Desk starts.").format(language=LANGUAGES[code]))

    def show_about(self) -> None:
        self._inform(self.tr("About {app}").format(app=APP_TITLE), self.tr(
            "{app} {version}\n\nCase management for county conflict-mediation centers: registration, "
            "assignment, mediation, closure and review.\n\nDatabase: {database}"
        ).format(app=APP_TITLE, version=__version__,
                 database=self._runner.database.friendly_name if self._runner.has_database else ""))

    def show_failure(self, failure: TaskFailure) -> None:
        """Failures no view handled itself (a bug, or the database gone away)."""
        if failure.unreachable:
            return  # the outage banner says it, once, instead of a box per failed refresh
        self._open(QMessageBox(QMessageBox.Icon.Critical, APP_TITLE, failure.message,
                               QMessageBox.StandardButton.Ok, self))

    def _inform(self, title: str, text: str) -> None:
        self._open(QMessageBox(QMessageBox.Icon.Information, title, text,
                               QMessageBox.StandardButton.Ok, self))

    def _open(self, box: QMessageBox) -> None:
        # Window-modal and non-blocking (open, not exec): the event loop and the workers go on.
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.finished.connect(lambda _result: setattr(self, "message_box", None))
        box.open()

    def _busy_changed(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("Saving…") if busy else "")

    def _close_confirmed(self) -> None:
        self._may_close = True
        if not self._closing:
            self.close()

    # ------------------------------------------------------------------ geometry

    def _restore_geometry(self) -> None:
        # Per desk, in the desk's settings file (so tests and relocated installs keep theirs apart):
        # Qt's own bytes, as base64, never pickled.
        desk = settings.DeskFile.load()
        geometry = desk.get_bytes(settings.WINDOW_GEOMETRY)
        if not (geometry is not None and self.restoreGeometry(QByteArray(geometry))):
            width, height = DEFAULT_SIZE
            screen = self.screen().availableGeometry() if self.screen() is not None else None
            if screen is not None:
                width, height = min(width, screen.width()), min(height, screen.height())
            self.resize(width, height)
        for key, widget in self.sections.built().items():
            state = desk.get_bytes(settings.splitter_option(key))
            if isinstance(widget, QSplitter) and state is not None:
                widget.restoreState(QByteArray(state))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            # An answer given at once (nothing unsaved, or a test's) closes now; a later one
            # (the question is window-modal, not blocking) closes the window again.
            self._closing = True
            try:
                self.guard.leave(self._close_confirmed)
            finally:
                self._closing = False
            if not self._may_close:
                event.ignore()
                return
        desk = settings.DeskFile.load()
        desk.set_bytes(settings.WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        for key, widget in self.sections.built().items():
            if isinstance(widget, QSplitter):
                desk.set_bytes(settings.splitter_option(key), bytes(widget.saveState().data()))
        with contextlib.suppress(OSError):  # a read-only settings folder costs only the window's size
            desk.save()
        super().closeEvent(event)
