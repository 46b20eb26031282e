"""The desktop application: ``mediation-desk`` with no sub-command.

Start-up paints the login dialog first and only then (after its first paint event) loads the
database layer (importing SQLAlchemy costs about half a second): the import and the URL
resolution run on the write lane, the ``Database`` is created back on the GUI thread (it may read
a server password from the OS keychain, which is never touched from worker threads), then the
schema is upgraded (SQLite) or checked (PostgreSQL) on the write lane. While the person types the
password a background thread imports what the login and the main window's first section need
(:func:`warm_up`); the other sections are made when first shown (``MainWindow.sections``).
``bench/startup.py`` times it against a bare Qt window. A first start on the default SQLite file
(no account yet) either seeds the demo center with a progress dialog (a source checkout:
``scripts/run-app``) or shows the first-run wizard (the installed, frozen app, or
``MEDIATION_DESK_FIRST_RUN=wizard``): one desk, the center's server or the demo center; see
:mod:`.ui.first_run`. Any ``DatabaseError`` ends in a Chinese message box and a non-zero exit code.

Every question here is a non-blocking dialog (``open()``/``show()``), so :class:`Startup` can be
driven by tests without a nested event loop.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog, QWidget

from mediation_desk import APP_NAME, APP_TITLE, settings
from mediation_desk.ui.common.collector import StartupCollector, keep_made
from mediation_desk.ui.common.i18n import install_translators, register_fonts
from mediation_desk.ui.common.tasks import Admission, Lane, TaskFailure, TaskHandle, TaskRunner
from mediation_desk.ui.common.widgets import ERROR_STYLE, named
from mediation_desk.ui.shell.daily_backup import DailyBackup
from mediation_desk.ui.shell.login import LoginDialog
from mediation_desk.ui.shell.plan_statistics import StatisticsUpkeep

if TYPE_CHECKING:
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session

    from mediation_desk.db import Database, MigrationReport
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.auth import SignIn, UserInfo
    from mediation_desk.services.setup import CenterSetup
    from mediation_desk.ui.shell.first_run import FirstRunWizard
    from mediation_desk.ui.shell.idle_lock import IdleLock
    from mediation_desk.ui.shell.live_refresh import LiveRefresh
    from mediation_desk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

#: How long start-up waits for the login dialog's first paint before it opens the database anyway.
PAINT_WAIT_MS = 500
#: At the latest, how long after the main window is shown its first rows count as shown (ms):
#: the first section's reads usually answer long before (``Startup._first_rows_shown``).
FIRST_ROWS_WAIT_MS = 5000
#: How long a signed-in window stays hidden, at most, for the reads its first section asked for
#: while the password was checked (ms): shown once they have answered, its first paint has their
#: rows (one paint, not an empty window and then its rows). A slower read shows it without them.
FIRST_READS_WAIT_MS = 150
#: Rows that answered after the window's first paint are shown by its next update: how long the
#: first rows wait for it at most (ms) before they count as painted.
REPAINT_WAIT_MS = 250
#: How long after the first rows are shown the day's backup of a SQLite desk starts (ms).
BACKUP_AFTER_MS = 500
#: Python's thread switch interval (s) from Enter on the first sign-in until its first rows are
#: shown (the default is 5 ms): the write lane checking the account and writing the sign-in, and
#: the read lane reading the first rows, wait for Python's lock after every SQLite call while the
#: GUI thread and the warm-up import and build (each such wait up to one interval); a shorter
#: interval gives the lanes their turn sooner. Measured with phase timestamps at load 15: Enter →
#: rows 2.4–3.1 s against 2.9–3.9 s with the default, alternating.
SIGN_IN_SWITCH_INTERVAL_S = 0.0005
#: Cases the demo center starts with on a first run.
DEMO_CASES = 300
#: Cases of each of the demo's two townships below the county center (docs/centers.md).
DEMO_TOWNSHIP_CASES = 10
EXIT_DATABASE_ERROR = 2
#: What a first start on an empty default database does: ``wizard`` or ``demo``.
FIRST_RUN_ENV = "MEDIATION_DESK_FIRST_RUN"


def first_run_mode() -> str:
    """``wizard`` for the installed (frozen) app, ``demo`` for a source checkout, unless
    ``MEDIATION_DESK_FIRST_RUN`` says otherwise. The demo keeps the README's first command (which
    opens the app with the demo center) one step; the wizard offers the demo as a choice too."""
    chosen = os.environ.get(FIRST_RUN_ENV, "").strip().lower()
    if chosen in ("wizard", "demo"):
        return chosen
    return "wizard" if getattr(sys, "frozen", False) else "demo"


@dataclass(frozen=True)
class Prepared:
    """The database after the start-up checks."""

    migration: MigrationReport | None
    #: The default SQLite file with no account at all: a first run, which gets the demo center.
    needs_demo: bool


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log: it may quote names and case details, so each file (the rotated ones too, which
    are the same files renamed) is created readable by its owner only (0600), and no line of it
    holds a full ID number, phone number or database password (masked as the receipt masks them)."""

    def format(self, record: logging.LogRecord) -> str:
        from mediation_desk.readmodels.masking import scrub

        return scrub(super().format(record))

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature is untyped
        from mediation_desk.files import private_opener

        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, 0o600)  # a log an older version created world-readable
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=private_opener)


def configure_logging() -> None:
    """Log to a file in the data folder (the path error messages point to), unless the caller
    (the CLI, a test run) configured logging already."""
    root = logging.getLogger()
    if root.handlers:
        return
    folder = settings.data_dir() / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = PrivateRotatingFileHandler(
        folder / f"{APP_NAME}.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _resolve(database_url: str | None) -> URL:
    from mediation_desk.db import resolve_url

    return resolve_url(database_url)


def _initialize(session: Session, setup: CenterSetup) -> UserInfo:
    from mediation_desk.services import setup as first_run_setup

    return first_run_setup.initialize_center(session, setup)


#: What :func:`warm_up` imports first, in this order: what the sign-in needs (the services of
#: the login, with the ORM's mappers configured next), then what the first rows need (the pages
#: service the desk and the center's name are read by, the desk, the main window).
WARM_UP_MODULES = ("mediation_desk.services.auth", "mediation_desk.services.pages", "mediation_desk.ui.desk.desk",
                   "mediation_desk.ui.shell.main_window", "mediation_desk.ui.shell.idle_lock",
                   "mediation_desk.ui.shell.live_refresh")
#: Then, each step once no sign-in is waiting for its first rows: the clerk's registration form and
#: the citizen-facing screen made with it (pypinyin's phrase dictionary, for its lists' type-ahead,
#: follows them: the largest single load).
WARM_UP_LATER = ("mediation_desk.ui.intake.form", "mediation_desk.ui.counter.screen")


def warm_up(quiet: Callable[[], object] | None = None, settle: Callable[[], object] | None = None) -> None:
    """Imports the login and the first section of the main window need: most of a second that
    would otherwise come after Enter. Pure imports (no widget is made), so a worker thread may do
    them; the GUI thread, importing the same modules later, finds them loaded or waits for the
    import under way. ``quiet()`` is called before each of the later steps and returns when no
    sign-in is waiting for its first rows (they share Python's lock with these imports);
    ``settle()`` after each step (:meth:`.StartupCollector.settle`: what it imported lives as long
    as the app)."""

    def settled() -> None:
        if settle is not None:
            settle()

    importlib.import_module(WARM_UP_MODULES[0])
    from mediation_desk.services.auth import prepare_mappers

    prepare_mappers()  # left out of the check before 登录 was enabled (``auth.has_users``)
    settled()
    for name in WARM_UP_MODULES[1:]:
        importlib.import_module(name)
    settled()
    for name in WARM_UP_LATER:
        if quiet is not None:
            quiet()
        importlib.import_module(name)
        settled()
    if quiet is not None:
        quiet()
    from mediation_desk.ui.common.typeahead import search_keys
    from mediation_desk.ui.intake.party import TYPED_LISTS

    search_keys("矛盾纠纷调解")
    # The pinyin of the form's typed lists (ethnicity, an agent's authority): their completers are
    # made with the first party's fields, which read it (~60 ms of the form's first show, frozen).
    for items in TYPED_LISTS:
        for text in items:
            search_keys(text)
    settled()


#: What :func:`warm_up_sections` imports once the first rows are painted: every other section's
#: modules, with the services they import only when first used. Left out, a first click froze the
#: window for their import: 统计 ~120 ms (the risk briefing's service and read model), 以案定补
#: ~250 ms (its statements' PDF: reportlab), 签字文书回收 ~25 ms (200,000-case demo, GUI CPU).
WARM_UP_SECTIONS = ("mediation_desk.ui.cases.list_view", "mediation_desk.ui.cases.detail",
                    "mediation_desk.ui.desk.dashboard", "mediation_desk.ui.desk.levels",
                    "mediation_desk.ui.desk.briefing", "mediation_desk.services.briefing",
                    "mediation_desk.ui.desk.publicity", "mediation_desk.ui.desk.cards",
                    "mediation_desk.ui.desk.subsidies", "mediation_desk.ui.scanning.scanback",
                    "mediation_desk.services.scanback", "mediation_desk.ui.admin.organisation",
                    "mediation_desk.ui.admin.calendar", "mediation_desk.ui.admin.users",
                    "mediation_desk.ui.admin.audit", "mediation_desk.ui.admin.backup")


def warm_up_sections(settle: Callable[[], object] | None = None) -> None:
    """After the main window is shown: the other sections' modules, so a tab's first click only
    makes its widgets; ``settle()`` after them, as in :func:`warm_up`."""
    for name in WARM_UP_SECTIONS:
        importlib.import_module(name)
    if settle is not None:
        settle()


#: What :func:`warm_up_documents` imports after the sections' modules: the renderers of the
#: documents a desk makes that no section imports — the session notices (their service brings
#: pypdf: ~60 ms), 公示, 以案定补's statements, the transfer packet's export; ``services.dossier``
#: (every document of a case's 文书 tab, the receipt's module) is imported with the sections.
WARM_UP_DOCUMENTS = ("mediation_desk.services.printing", "mediation_desk.documents.session_notice",
                     "mediation_desk.documents.publicity", "mediation_desk.documents.subsidies",
                     "mediation_desk.exchange.export")


def warm_up_documents(settle: Callable[[], object] | None = None) -> None:
    """After the sections' modules (a person who makes documents): what the first document of a
    session paid while the person waited for it — the modules above, and the CJK fonts parsed and
    registered with reportlab, the sans (titles, the receipt) and the Song body of the forms: ~0.25 s
    of CPU and ~100 MB, most of a first 打印通知书's or preview's time (``bench/first_documents.py``).
    Registering is safe beside a document being made (``documents.fonts``: the registry's own lock;
    no font's file cursor is touched). The rare-ideograph font stays for a text that needs it. A
    font missing here is only logged: the document that needs it says so in its own error."""
    for name in WARM_UP_DOCUMENTS:
        importlib.import_module(name)
    from mediation_desk.documents import fonts

    try:
        fonts.register_serif()  # the sans first, then the serif
    except FileNotFoundError as exc:
        log.warning("The document fonts were not prepared: %s", exc)
    if settle is not None:
        settle()


def _prepare_server(database: Database, setup: CenterSetup | None) -> None:
    """On the write lane: create the schema of an empty server database (its first desk sets the
    center up), check an existing one, then write the center and its administrator."""
    from mediation_desk.db import current_revision, ensure_current, upgrade

    if current_revision(database) is None:
        upgrade(database, backup=False)
    ensure_current(database)
    if setup is not None:
        with database.write() as session:
            _initialize(session, setup)


def _prepare(database: Database) -> Prepared:
    """Upgrade or check the schema; say whether this is a first run on the default file."""
    # Runs on the write lane: migrations write, and SQLite must see one writer.
    from mediation_desk.db import default_url, ensure_current_on_server, upgrade

    if not database.is_sqlite:
        # The desk cannot reach its server or is refused: what happened and what to do, in Chinese,
        # with the dialog's “数据库连接…” to fix it.
        ensure_current_on_server(database, password_step=(
            "请点下面的“数据库连接…”，填写正确的密码后保存；没有钥匙串的电脑在那里勾选保存到 .pgpass 文件。"))
        return Prepared(None, needs_demo=False)
    report = upgrade(database)
    # The day's backup is made after the sign-in's first rows are painted (ui.shell.daily_backup):
    # on a large file it would hold 登录 up for the length of the copy.
    if database.url != default_url():
        return Prepared(report, needs_demo=False)
    from mediation_desk.services import auth

    with database.read() as session:
        has_users = auth.has_users(session)
    return Prepared(report, needs_demo=not has_users)


class Startup(QObject):
    """Opens the database, signs the user in and shows the main window.

    After Enter on the login (issue 20 item 1): while the write lane checks the password (argon2
    releases Python's lock), the GUI thread makes the main window of the account being checked,
    hidden, and the runner holds back everything the window asks of the database
    (``TaskRunner.hold``); a right password runs its reads and shows it once they have answered
    (FIRST_READS_WAIT_MS at most: its first paint has their rows), anything else drops both. No
    case is read, and nothing of the account is shown, before the password is verified.
    A right password's bookkeeping (the audit entry 登录, the last login, the failure counter reset)
    is written once the window's first rows are painted, before any write the session asked for
    (held until then); if it cannot be written the session ends, back to the login with the reason.
    The later warm-up steps wait while a sign-in waits for its first rows; once the first rows are
    shown the other sections' modules are imported, then the documents' modules and fonts
    (:func:`warm_up_documents`), and the day's backup of a SQLite desk starts
    (:class:`ui.shell.daily_backup.DailyBackup`, its progress in the status bar)."""

    #: Demo seeding progress, emitted on the write lane: (cases done, cases in all).
    seed_progress = Signal(int, int)
    #: The main window is shown.
    ready = Signal()
    #: Start-up ended with an error (the message), before the exit.
    failed = Signal(str)

    def __init__(self, database_url: str | None = None, *, runner: TaskRunner | None = None,
                 first_run: str | None = None, collector: StartupCollector | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database_url = database_url
        #: The garbage collector's start-up setting (``run()`` passes one; ended at the first rows).
        self.collector = collector
        #: ``wizard`` or ``demo``: what an empty default database gets (see first_run_mode()).
        self.first_run = first_run or first_run_mode()
        self.wizard: FirstRunWizard | None = None
        self.runner = runner or TaskRunner()
        self.login = LoginDialog(self.runner)
        self.login.logged_in.connect(self._logged_in)
        self.login.rejected.connect(self._login_cancelled)
        self.login.submitted.connect(self._signing_in)
        self.login.verifying.connect(self._prebuild)
        self.login.not_signed_in.connect(self._not_signed_in)
        self.login.records_later = True
        #: The signed-in session's bookkeeping, written once its first rows are painted
        #: (:meth:`_record_sign_in`); until then the runner holds the session's writes.
        self._sign_in: SignIn | None = None
        #: The window whose first paint the sign-in's writing waits for, and whether its reads answered.
        self._unpainted: QWidget | None = None
        self._rows_answered = False
        #: The window whose rows answered after its first paint, until it painted again.
        self._repainting: QWidget | None = None
        #: The sign-in under way: granted on the write lane once its password is verified.
        self._admission: Admission | None = None
        #: The main window made while the password is checked: the Actor it is for, and it.
        self.prebuilt: tuple[Actor, MainWindow] | None = None
        #: The signed-in window until it is shown (:meth:`_show_signed_in`), and the reads it waits for.
        self._unshown: MainWindow | None = None
        self._first_reads: list[TaskHandle] = []
        #: The application's quit-on-last-window-closed while the window waits hidden for its first
        #: reads (``TaskRunner.answered``); None: not waiting.
        self._quit_on_last_closed: bool | None = None
        self.window: MainWindow | None = None
        self.idle_lock: IdleLock | None = None
        self.live_refresh: LiveRefresh | None = None
        self.progress: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None
        self.exit_code: int | None = None
        self._layer_requested = False
        self._warmed = False
        self._warm_threads: list[threading.Thread] = []
        #: Set while no sign-in waits for its first rows (the later warm-up steps wait for it).
        self._quiet = threading.Event()
        self._quiet.set()
        #: Python's switch interval before the first sign-in shortened it (None: not shortened).
        self._switch_interval: float | None = None
        self._first_rows = False
        #: The documents' modules and fonts were prepared (:func:`warm_up_documents`), by the first
        #: sign-in of a person who makes documents, which need not be the run's first.
        self._documents_warmed = False
        self._awaiting_rows = False
        #: The day's copy of a SQLite desk, started after the first rows are shown.
        self.daily_backup = DailyBackup(self)
        # Emitted on the backup's thread, received here (methods of this QObject: queued).
        self.daily_backup.started.connect(self._backup_started)
        self.daily_backup.progress.connect(self._backup_progress)
        self.daily_backup.finished.connect(self._backup_done)
        self.daily_backup.failed.connect(self._backup_failed)
        self.backup_after_ms = BACKUP_AFTER_MS
        #: The backup's progress in the main window's status bar (while it runs, or its failure).
        self.backup_status: QLabel | None = None
        self._backup_status_window: MainWindow | None = None
        self.seed_progress.connect(self._show_progress)
        #: The planner's statistics of a SQLite desk, refreshed after the first rows (a thread of its own).
        self.statistics = StatisticsUpkeep(self)

    def begin(self) -> None:
        self.login.show()
        if self.runner.has_database:
            return
        # After the dialog's first paint: the database layer is the slow part of starting, and a
        # worker importing it would hold Python's lock while the dialog paints (its widgets are
        # Python objects). A dialog that gets no paint (a platform without an exposed window)
        # waits at most PAINT_WAIT_MS.
        self.login.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self._after_first_paint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if watched is self.login and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._after_first_paint)
        elif watched is self._unpainted and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._unpainted = None
            if self._rows_answered:
                QTimer.singleShot(0, self._rows_painted)  # after this paint, rows and all
        elif watched is self._repainting and event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint):
            # The window's update paints every part marked since (the rows) before the timer's turn.
            window = self._repainting
            QTimer.singleShot(0, lambda: self._repainted(window))
        return False

    def _after_first_paint(self) -> None:
        if self._layer_requested:
            return
        self._layer_requested = True
        self.login.removeEventFilter(self)
        if self.collector is not None:
            self.collector.settle()  # Qt and the login's modules
        self._load_database_layer()

    # ------------------------------------------------------------------ database

    def _load_database_layer(self) -> None:
        url = self.database_url
        self.runner.run_job(lambda: _resolve(url), on_success=self._open, on_error=self._fatal,
                            lane=Lane.WRITE)

    @Slot(object)
    def _open(self, url: URL) -> None:
        from mediation_desk.credentials import CredentialError
        from mediation_desk.db import Database, DatabaseError, default_url

        try:
            # On the GUI thread: it may read the keychain. Only the default file is created when
            # missing; a SQLite path the user gave that does not exist is more likely a typo.
            from mediation_desk import dbcipher

            # The desk's own new file is encrypted (SQLCipher, its key in the keychain); the desk's
            # trusted local FUSE types may hold the file.
            new = url == default_url()
            database = Database(url, create=new, trusted_filesystems=settings.trusted_filesystems(),
                                encrypt_new=new and dbcipher.encrypt_new_default())
            if database.unencrypted_reason:
                log.warning("%s", database.unencrypted_reason)
        except (DatabaseError, CredentialError) as exc:
            self._fatal(str(exc))
            return
        if self.collector is not None:
            self.collector.settle()  # SQLAlchemy and the database layer, imported on the write lane
        self.runner.set_database(database)
        self.runner.run_job(lambda: _prepare(database), on_success=self._prepared, on_error=self._fatal,
                            lane=Lane.WRITE)
        # The database layer is loaded: what signing in and the first rows need is imported beside
        # the check of the file, so that an Enter the moment 登录 is enabled finds most of it done.
        self._warm_up()

    def _prepared(self, prepared: Prepared) -> None:
        report = prepared.migration
        if report is not None and report.backup is not None:
            self._inform(self.tr(
                "The database was upgraded to this version of {app} (schema {old} → {new}). A copy of "
                "it from before the upgrade was saved as:\n{path}"
            ).format(app=APP_TITLE, old=report.from_revision, new=report.to_revision, path=report.backup))
        if prepared.needs_demo and self.first_run == "wizard":
            self._show_wizard()
        elif prepared.needs_demo:
            self._seed_demo()
        else:
            self._database_ready()

    def _database_ready(self) -> None:
        self.login.database_ready()  # signing in is possible now; the imports run beside it
        self._warm_up()

    def _warm_up(self) -> None:
        """While the database is checked and the person types the password: import what signing
        in and the main window's first section need (see :func:`warm_up`)."""
        if self._warmed:
            return
        self._warmed = True
        quiet = self._quiet.wait
        settle = self.collector.settle if self.collector is not None else None

        def warm_up_beside_the_login() -> None:
            warm_up(quiet, settle)

        self._in_background(warm_up_beside_the_login)

    def _in_background(self, work: Callable[[], None]) -> None:
        """Imports on a thread of their own, not on a lane: the center's name, the login and the
        first section's reads never queue behind them."""

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("Warming up failed")

        thread = threading.Thread(target=run, name=f"warm-up {work.__name__}", daemon=True)
        self._warm_threads.append(thread)
        thread.start()

    # ------------------------------------------------------------------ first run

    def _show_wizard(self) -> None:
        from mediation_desk.ui.shell.first_run import FirstRunWizard

        self.login.hide()
        wizard = FirstRunWizard(self.runner)
        wizard.accepted.connect(self._wizard_done)
        wizard.rejected.connect(self._login_cancelled)
        self.wizard = wizard
        wizard.show()

    def _wizard_done(self) -> None:
        from mediation_desk.ui.shell.first_run import Mode

        wizard = self.wizard
        assert wizard is not None
        mode = wizard.mode()
        if mode is Mode.DEMO:
            self.login.show()
            self._seed_demo()
            return
        setup = wizard.center_setup()
        if mode is Mode.DESK:
            assert setup is not None
            self.runner.run_write(lambda session: _initialize(session, setup), on_success=self._center_ready,
                                  on_error=self._fatal)
            return
        self._connect_server(wizard, setup)

    def _connect_server(self, wizard: FirstRunWizard, setup: CenterSetup | None) -> None:
        """Keep the server's password in the keychain (or, on a computer without one and if the
        wizard's box says so, in the user's .pgpass file) and its URL in the desk's settings, then
        open it (creating the schema of an empty database) and set the center up if needed."""
        from mediation_desk.credentials import CredentialError, store_in_pgpass, store_password
        from mediation_desk.db import Database, DatabaseError

        url, password = wizard.server_url(), wizard.server_password()
        connect_url = url
        try:
            if password and wizard.keep_in_pgpass():
                store_in_pgpass(url, password)  # libpq reads it by itself at every start
            elif password:
                store_password(url, password)  # on the GUI thread: the keychain may ask the user
        except CredentialError as exc:
            # No keychain on this computer: work with the password for this session, and say how
            # the desk finds it next time (the message names the .pgpass command).
            log.warning("Server password not stored: %s", type(exc).__name__)
            connect_url = url.set(password=password)
            self._inform(self.tr(
                "The password was not saved: {error} This session uses it; before the desk is started "
                "again, save it as said, or the desk cannot connect to the server."
            ).format(error=exc))
        try:
            database = Database(connect_url)
        except DatabaseError as exc:
            self._fatal(str(exc))
            return
        desk_settings = settings.DeskSettings.load()
        desk_settings.database_url = url.render_as_string(hide_password=True)
        desk_settings.save()
        previous = self.runner.database if self.runner.has_database else None
        self.runner.set_database(database)
        if previous is not None:
            previous.dispose()  # the empty default file: the desk works on the server from now on
        username = setup.admin_username if setup is not None else ""
        self.runner.run_job(lambda: _prepare_server(database, setup), lane=Lane.WRITE,
                            on_success=lambda _r: self._center_ready(username), on_error=self._fatal)

    def _center_ready(self, user: UserInfo | str) -> None:
        username = user if isinstance(user, str) else user.username
        self.login.show()
        if username:
            self.login.username.setText(username)
            self.login.password.setFocus()
        self._database_ready()

    def _seed_demo(self) -> None:
        label = self.tr("First start: creating the demo center with {count} invented cases…")
        progress = QProgressDialog(label.format(count=DEMO_CASES), "", 0, DEMO_CASES, self.login)
        progress.setWindowTitle(APP_TITLE)
        progress.setCancelButton(None)  # a half-seeded center is worse than waiting two seconds
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        progress.show()
        self.progress = progress
        emit = self.seed_progress.emit

        def work(session: Session) -> None:
            from mediation_desk import demo

            demo.seed(session, DEMO_CASES, progress=emit, township_cases=DEMO_TOWNSHIP_CASES, loop=True)

        self.runner.run_write(work, on_success=self._seeded, on_error=self._fatal)

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))

    def _seeded(self, _result: None) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._database_ready()

    # ------------------------------------------------------------------ login

    def _signing_in(self) -> None:
        # Emitted before the sign-in's job is given to the write lane.
        admission = self._admission = Admission()
        runner = self.runner

        def verified(_actor: Actor) -> None:
            """On the write lane, the moment the password is verified: the reads of the window made
            during the check run now, beside the writing of the sign-in and its way to this thread.
            A function of the runner and this sign-in's admission, not a method: the sign-in's job
            holds it, and the job is dropped on the write lane's thread."""
            runner.admit(admission)

        self.login.on_verified = verified
        # Until the first rows are shown, the later warm-up steps leave Python's lock to the sign-in.
        if self.window is None and not self._first_rows:
            self._quiet.clear()
            self._quick_switches(True)

    def _quick_switches(self, on: bool) -> None:
        """Python's switch interval at SIGN_IN_SWITCH_INTERVAL_S (on) or back to what it was."""
        if on and self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch_interval, SIGN_IN_SWITCH_INTERVAL_S))
        elif not on and self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def _prebuild(self, actor: Actor) -> None:
        """While the password is checked: the main window of the account, hidden, with every job it
        submits held by the runner until :meth:`_logged_in` releases them (or
        :meth:`_not_signed_in` drops them with the window)."""
        if actor.must_change_password or self.window is not None or self.prebuilt is not None:
            return
        from mediation_desk.ui.shell.main_window import MainWindow

        center = self.login.center
        self.runner.hold(self._admission)
        self.prebuilt = (actor, MainWindow(self.runner, actor, center.name if center else ""))

    def _drop_prebuilt(self) -> None:
        prebuilt, self.prebuilt = self.prebuilt, None
        if self.runner.holding:
            self.runner.drop()  # nothing the window asked for runs
        if prebuilt is not None:
            prebuilt[1].deleteLater()

    def _not_signed_in(self) -> None:
        self._drop_prebuilt()
        if self.window is None:
            self._quiet.set()
            self._quick_switches(False)

    def _logged_in(self, actor: Actor) -> None:
        from mediation_desk.ui.shell.main_window import MainWindow

        center = self.login.center
        name = center.name if center else ""
        self.runner.actor = actor  # a refused access is audited as this person's
        sign_in = self._sign_in = self.login.take_sign_in()
        prebuilt, window = self.prebuilt, None
        if prebuilt is not None and prebuilt[0] == actor:
            self.prebuilt, window = None, prebuilt[1]
            if window.center_name != name:
                window.show_center(name)  # read while the window was made
            if sign_in is None:
                self.runner.release()  # the reads the window asked for while the password was checked
            else:
                self.runner.admit_reads()  # its writes wait for the sign-in to be written
        else:
            self._drop_prebuilt()
            if sign_in is not None:
                # The session's writes wait for its sign-in to be written; its reads run.
                self.runner.hold()
                self.runner.admit_reads()
            window = MainWindow(self.runner, actor, name)
        self.window = window
        if sign_in is not None:
            # Written once the reads have answered and the window has painted (FIRST_ROWS_WAIT_MS at the latest).
            self._rows_answered = False
            self._unpainted = window
            window.installEventFilter(self)
            QTimer.singleShot(FIRST_ROWS_WAIT_MS, self._rows_painted)
        window.sign_out_requested.connect(self._return_to_login)
        self._unshown = window
        self._first_reads = self.runner.admitted_unanswered()
        if self._first_reads:
            # The first section's reads, let through when the password was verified, are under way:
            # shown with their rows in its first paint (FIRST_READS_WAIT_MS at the latest).
            window.shown_after_its_reads()
            self.runner.answered.connect(self._show_when_read)
            # The login dialog closes now: no window on screen must not end the application meanwhile.
            self._quit_on_last_closed = QApplication.quitOnLastWindowClosed()
            QApplication.setQuitOnLastWindowClosed(False)
            QTimer.singleShot(FIRST_READS_WAIT_MS, lambda: self._show_signed_in(window))
            return
        self._show_signed_in(window)

    def _show_when_read(self) -> None:
        window = self._unshown
        if window is not None and not self.runner.unanswered(self._first_reads):
            self._show_signed_in(window)

    def _forget_unshown(self) -> None:
        """No window waits to be shown (shown now, or gone: signed out, closed)."""
        self._unshown = None
        self._first_reads = []
        if self._quit_on_last_closed is not None:  # it waited for its reads
            self.runner.answered.disconnect(self._show_when_read)
            QApplication.setQuitOnLastWindowClosed(self._quit_on_last_closed)
            self._quit_on_last_closed = None

    def _show_signed_in(self, window: MainWindow) -> None:
        """The signed-in window on screen, with what it needs there (once; not after a sign-out)."""
        if window is not self._unshown:
            return
        if self._first_reads and not self.runner.unanswered(self._first_reads) and self._unpainted is window:
            self._rows_answered = True  # its first paint shows them: the first rows are on screen after it
        self._forget_unshown()
        actor = window.actor
        window.show()
        keep_made()  # a later sign-in's window (the first is frozen at its first rows): out of the collector's sight
        # The login window closes: the new one takes the keyboard (the cursor is in the
        # registration form, or on the draft offer), without a click first.
        window.raise_()
        window.activateWindow()
        from mediation_desk.ui.shell.idle_lock import install_idle_lock

        # After the center's idle time the window is covered, not closed: unsaved input stays.
        self.idle_lock = install_idle_lock(self.runner, actor, window)
        self.idle_lock.sign_out_requested.connect(self._sign_out_from_lock)
        from mediation_desk.ui.shell.live_refresh import LiveRefresh

        # On a center server, other desks' changes arrive by LISTEN/NOTIFY (nothing on SQLite).
        self.live_refresh = LiveRefresh(self.runner, self)
        self.live_refresh.start()
        window.offer_draft()  # a registration left unsaved when the desk was closed or killed
        self._await_first_rows()
        self.ready.emit()

    def _await_first_rows(self) -> None:
        """The first rows are shown once every read the window's first section asked for has
        answered (the runner is idle; FIRST_ROWS_WAIT_MS at the latest)."""
        if self._awaiting_rows:
            return
        self._awaiting_rows = True
        self.runner.idle.connect(self._first_rows_shown)
        QTimer.singleShot(FIRST_ROWS_WAIT_MS, self._first_rows_shown)
        if self.runner.running == 0:  # the session's writes may be held for its sign-in
            QTimer.singleShot(0, self._first_rows_shown)

    def _first_rows_shown(self) -> None:
        """After a sign-in's first rows: its bookkeeping is written (:meth:`_record_sign_in`); after
        the first sign-in's, what waited for them, once per run — the later warm-up steps, the
        other sections' modules and the documents' (or, when that sign-in was the administrator's,
        the documents' after the first of a person who makes them), and then the day's backup."""
        if not self._awaiting_rows:
            return
        self._awaiting_rows = False
        self.runner.idle.disconnect(self._first_rows_shown)
        answered_before, self._rows_answered = self._rows_answered, True
        window = self.window
        if self._unpainted is not None or answered_before:
            return  # painted with the window's first paint (eventFilter)
        if window is None or self._sign_in is None:
            self._rows_painted()
            return
        # Answered after the window's first paint (shown before its reads came back): the rows are
        # on screen once the window's next update is painted; until then the sign-in's writing, the
        # warm-ups and the backup would share Python's lock with that paint.
        self._repainting = window
        window.installEventFilter(self)
        QTimer.singleShot(REPAINT_WAIT_MS, lambda: self._repainted(window))

    def _repainted(self, window: QWidget) -> None:
        """The window that answered its first rows after its first paint painted again (or
        REPAINT_WAIT_MS passed): they are on screen."""
        if self._repainting is not window:
            return
        self._repainting = None
        if shiboken6.isValid(window):
            window.removeEventFilter(self)
        self._rows_painted()

    def _rows_painted(self) -> None:
        self._record_sign_in()
        if not self._rows_answered and self._awaiting_rows:
            return
        if self.window is not None:
            self.window.prepare_ahead()  # each sign-in's window, while the person reads its rows
        if self._first_rows:
            self._warm_up_documents_later()  # if an administrator signed in first
            return
        self._first_rows = True
        self._quiet.set()
        self._quick_switches(False)
        if self.collector is not None:
            self.collector.end()
        if self.window is not None:
            settle = self.collector.settle if self.collector is not None else None
            documents = self._makes_documents()

            def warm_up_sections_beside_the_work() -> None:
                warm_up_sections(settle)
                if documents:  # the session's first document then costs what the next ones do
                    warm_up_documents(settle)

            self._documents_warmed = documents
            self._in_background(warm_up_sections_beside_the_work)
        # Started from the event loop after this pass, so the rows' paint comes first.
        QTimer.singleShot(self.backup_after_ms, self._start_backup)

    def _makes_documents(self) -> bool:
        """Whether the person signed in makes documents: the administrator does not (no case
        content, docs/permissions.md), so the documents' fonts (~100 MB) are not prepared for them."""
        from mediation_desk.services.permissions import CASE_ROLES

        return self.window is not None and self.window.actor.role in CASE_ROLES

    def _warm_up_documents_later(self) -> None:
        """A later sign-in's rows painted: the documents' warm-up, if no earlier sign-in of this run
        made documents (the run's first was the administrator's)."""
        if self._documents_warmed or not self._makes_documents():
            return
        self._documents_warmed = True
        self._in_background(warm_up_documents)

    def _record_sign_in(self) -> None:
        """The session's sign-in written (the audit entry, the last login, the counter reset: see
        ``auth.record_sign_in``) after its first rows are painted, ahead of every write the session
        asked for meanwhile (held until then). If it cannot be written the session ends: nobody
        works at this desk without the entry saying who signed in."""
        sign_in, self._sign_in = self._sign_in, None
        window = self.window
        self._forget_unpainted()
        if sign_in is None or window is None or not self.runner.has_database:
            return
        from mediation_desk.services import auth

        database = self.runner.database

        def written(_result: object) -> None:
            if self.window is window and self.runner.holding:
                self.runner.release()

        def not_written(failure: TaskFailure) -> None:
            log.error("The sign-in of %s could not be written; the session ends: %s", sign_in.actor.username,
                      failure.message)
            if self.window is not window:
                return
            self.runner.drop()  # nothing the session asked to write runs
            self.login.actor = None  # no logout to write for a sign-in never written
            self._return_to_login()
            self.login.show_message(self.tr(
                "The sign-in could not be saved in the database, so the session was ended. Please sign in again; "
                "if this happens again, tell the administrator (the reason is in the log)."))

        self.runner.run_job(lambda: auth.record_sign_in(database, sign_in), on_success=written,
                            on_error=not_written, lane=Lane.WRITE, unheld=True)

    def _forget_unpainted(self) -> None:
        unpainted, self._unpainted = self._unpainted, None
        if unpainted is not None and shiboken6.isValid(unpainted):
            unpainted.removeEventFilter(self)
        repainting, self._repainting = self._repainting, None
        if repainting is not None and shiboken6.isValid(repainting):
            repainting.removeEventFilter(self)

    def _record_sign_in_now(self) -> None:
        """At the exit (or 注销) before the first rows came: the sign-in is written all the same."""
        sign_in, self._sign_in = self._sign_in, None
        if sign_in is None or not self.runner.has_database:
            return
        from mediation_desk.services import auth

        try:
            auth.record_sign_in(self.runner.database, sign_in)
        except Exception:
            log.exception("Could not write the sign-in of %s", sign_in.actor.username)
        if self.runner.holding:
            self.runner.release()  # what the session asked to write, after its sign-in

    # ------------------------------------------------------------------ the day's backup

    def _start_backup(self) -> None:
        if self.runner.has_database and self.runner.database.is_sqlite and self.exit_code is None:
            self.daily_backup.start(self.runner.database)
            self.statistics.start(self.runner.database)

    def _status_label(self) -> QLabel | None:
        """The backup's place in the current window's status bar (made when first needed)."""
        window = self.window
        if window is None:
            return None
        label = self.backup_status
        if label is None or self._backup_status_window is not window:  # the first, or after 注销
            label = self.backup_status = named(QLabel(), "backupStatus")
            self._backup_status_window = window
            window.statusBar().addPermanentWidget(label)
        return label

    def _show_backup(self, text: str, tooltip: str = "", *, failed: bool = False) -> None:
        label = self._status_label()
        if label is not None:
            label.setText(text)
            label.setToolTip(tooltip)
            label.setStyleSheet(ERROR_STYLE if failed else "")
            label.show()

    def _backup_started(self) -> None:
        self._show_backup(self.tr("Daily backup…"))

    def _backup_progress(self, done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        self._show_backup(self.tr("Daily backup {percent} %").format(percent=percent),
                          self.tr("Today's copy of the database is being made; working on goes on meanwhile."))

    def _backup_done(self, path: object) -> None:
        label = self._status_label()
        if label is not None:
            label.hide()
        if self.window is not None:
            self.window.statusBar().showMessage(self.tr("Today's backup was saved as {path}").format(path=path), 10_000)

    def _backup_failed(self, reason: str) -> None:
        self._show_backup(self.tr("Today's backup failed"), self.tr(
            "Today's copy of the database could not be made: {reason}. The earlier backups are intact; the "
            "next start tries again. Please tell the administrator.").format(reason=reason), failed=True)

    def _sign_out_from_lock(self) -> None:
        """"Sign out" on the lock screen: nobody can answer a question under the lock, so input
        that would be lost keeps the desk locked, with what it is; drafts are kept on disk."""
        window, lock = self.window, self.idle_lock
        if window is None:
            return
        pending = window.guard.unsaved()
        if pending:
            if lock is not None and lock.form is not None and lock.form.message is not None:
                items = self.tr("; ").join(editor.unsaved_description() for editor in pending)
                lock.form.message.setText(self.tr(
                    "Not saved yet: {items}. Unlock and save or discard it, then sign out.").format(items=items))
                lock.form.message.show()
            return
        window.sign_out(ask=False)

    def _return_to_login(self) -> None:
        """注销/切换用户: the session ends (logged), the window goes, the login dialog comes back with
        the user name filled in."""
        window = self.window
        actor, self.login.actor = self.login.actor, None
        self.runner.actor = None
        self.runner.end_session()  # the window's late answers ask for nothing more in this person's name
        sign_in, self._sign_in = self._sign_in, None
        self._forget_unpainted()  # the window goes
        self._forget_unshown()
        if sign_in is not None and self.runner.has_database:
            from mediation_desk.services import auth

            database = self.runner.database
            # Signed out before the first rows: the sign-in is written first, then what was held.
            self.runner.run_job(lambda: auth.record_sign_in(database, sign_in), lane=Lane.WRITE, unheld=True,
                                on_error=lambda failure: log.error("Could not write the sign-in: %s",
                                                                   failure.message))
        if self.runner.holding:
            # The session's writes held for its sign-in go now, after it on the write lane: it was
            # written above, or its record is on the lane with its answer not back yet — whose
            # release then waited for this window, gone, and the next person's sign-in was held
            # behind them for good ("正在登录…" until the desk was closed).
            self.runner.release()
        if actor is not None and self.runner.has_database:
            from mediation_desk.services import auth

            database = self.runner.database
            # On the write lane, before the next login (which runs there too): audited as the
            # person, then the desk's own connection again (PostgreSQL).
            self.runner.run_job(lambda: auth.sign_out(database, actor, reason="signed_out"), lane=Lane.WRITE,
                                on_error=lambda failure: log.error("Could not end the session: %s",
                                                                   failure.message))
        if self.idle_lock is not None:
            self.idle_lock.uninstall()
            self.idle_lock = None
        if self.live_refresh is not None:
            self.live_refresh.stop()
            self.live_refresh = None
        self.window = None
        # The backup's label went with the window's status bar; holding the window here kept it
        # alive (and frozen by the resettle below) until the next window's backup message.
        self.backup_status, self._backup_status_window = None, None
        self.login.prepare_next_login()
        self.login.show()  # before the window closes, so the application does not quit
        if window is not None:
            window.close()
            window.deleteLater()
        if self.collector is not None and self._first_rows:
            self.collector.release()  # the first window was frozen with the rest: collectable again
            if window is None:
                self.collector.resettle()
            else:
                # Once it is destroyed: one full pass collects it, the rest is frozen again.
                resettle = self.collector.resettle
                window.destroyed.connect(lambda: QTimer.singleShot(0, resettle))

    def _login_cancelled(self) -> None:
        if self.window is None and self.exit_code is None:
            self.exit_code = 0
            self.quit_application(0)

    def quit_application(self, code: int) -> None:
        """End the event loop of ``run()`` with ``code`` (tests replace this)."""
        QCoreApplication.exit(code)

    # ------------------------------------------------------------------ messages

    def _inform(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, text, QMessageBox.StandardButton.Ok,
                          self._parent_widget())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()

    def _fatal(self, failure: TaskFailure | str) -> None:
        message = failure if isinstance(failure, str) else failure.message
        log.error("Start-up failed: %s", message)
        if self.progress is not None:
            self.progress.close()
            self.progress = None
        self.exit_code = EXIT_DATABASE_ERROR
        self.login.hide()
        box = QMessageBox(QMessageBox.Icon.Critical, APP_TITLE,
                          self.tr("{app} cannot start.").format(app=APP_TITLE), QMessageBox.StandardButton.Ok)
        box.setInformativeText(message)
        # A desk that cannot reach its database can set up the connection from here.
        settings_button = box.addButton(self.tr("Database connection…"), QMessageBox.ButtonRole.ActionRole)
        # With two buttons Qt finds no escape button and ignores Esc and closing: make both quit.
        box.setEscapeButton(QMessageBox.StandardButton.Ok)

        def after(_result: int) -> None:
            if box.clickedButton() is settings_button:
                from mediation_desk.ui.shell.server_settings import ServerSettingsDialog

                self.server_dialog = ServerSettingsDialog(self.runner)
                self.server_dialog.finished.connect(lambda _code: self.quit_application(EXIT_DATABASE_ERROR))
                self.server_dialog.show()
            else:
                self.quit_application(EXIT_DATABASE_ERROR)

        box.finished.connect(after)
        self.message_box = box
        self.failed.emit(message)
        box.show()

    def _parent_widget(self) -> QWidget | None:
        return self.window if self.window is not None else self.login

    def sign_out(self) -> None:
        """Log the end of the user's session (the audit log pairs it with the login)."""
        actor = self.login.actor
        self._record_sign_in_now()  # closed before its first rows: the sign-in first
        if actor is None or not self.runner.has_database:
            return
        self.login.actor = None  # logged once, whether by 注销 or at the exit
        from mediation_desk.services import auth

        try:
            with self.runner.database.write() as session:
                auth.logout(session, actor, reason="window_closed")
        except Exception:
            log.exception("Could not log the sign-out")

    def close(self) -> None:
        # A copy under way stops after its current step; its partial file goes, older backups stay.
        self.daily_backup.stop()
        self.statistics.stop()  # after the index it is analysing
        self._quiet.set()  # the warm-up's later steps must not wait for rows that will not come
        self._quick_switches(False)
        if self.collector is not None:
            self.collector.end()
        self._drop_prebuilt()
        self._forget_unpainted()
        self._forget_unshown()
        if self.idle_lock is not None:
            # The lock filters every event of the application: it must not outlive its window.
            self.idle_lock.uninstall()
            self.idle_lock = None
        if self.live_refresh is not None:
            self.live_refresh.stop()
        self.runner.shutdown()
        for thread in self._warm_threads:
            thread.join()  # imports under way when the app ends


def run(argv: Sequence[str] | None = None, database_url: str | None = None, *,
        collector: StartupCollector | None = None) -> int:
    """Start the desktop app; returns the process exit code. ``collector``: begun already by the
    entry point (before Qt is imported), else begun here."""
    collector = collector or StartupCollector()
    collector.begin()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(APP_NAME)
    if os.environ.get("MEDIATION_DESK_PAINT_PROBE"):  # bench/startup.py's timing marks only
        from mediation_desk.ui.common.paint_probe import install

        install(app)
    configure_logging()
    register_fonts(app)
    translators = install_translators(app, settings.DeskSettings.load().language)
    startup = Startup(database_url, collector=collector)
    startup.begin()
    try:
        code = app.exec()
    finally:
        startup.sign_out()
        startup.close()
        for translator in translators:
            app.removeTranslator(translator)
    return code or (startup.exit_code or 0)
