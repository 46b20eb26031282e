"""What the app loads before its login dialog is painted (issue 20 item 1, ``bench/startup.py``).

A plain start (``mediation-desk`` with no arguments) goes straight to ``ui.app.run``: not through
the command line, whose parser imports every command group and with them the database layer. The
modules the login dialog needs import nothing heavy; the database layer, the services, the main
window and pypinyin's dictionary are loaded after the first paint (``ui.app.Startup``). On an
up-to-date database nothing of Alembic is loaded before 登录 is enabled (its revision is compared
with the migrations' without it), nor are the ORM's mappers configured (the warm-up does that).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mediation_desk import settings
from mediation_desk.db import Database, current_revision, head_revision, migrate_to, script_revisions
from mediation_desk.models import Role

from .services.helpers import make_user

ROOT = Path(__file__).resolve().parents[1]

#: Loaded only after the login dialog is painted (or never, for a person at the desk).
HEAVY = ("mediation_desk.cli", "sqlalchemy", "alembic", "mediation_desk.models", "mediation_desk.services",
         "mediation_desk.ui.shell.main_window", "pypinyin", "reportlab", "pypdf", "keyring", "numpy",
         "onnxruntime", "cv2", "rapidocr_onnxruntime")


def test_a_plain_start_loads_only_what_the_login_dialog_needs(tmp_path: Path) -> None:
    # The app's run() replaced by one that reports what was imported by the time it was called.
    script = textwrap.dedent("""
        import gc, json, sys
        import mediation_desk.ui.app as app

        def run(argv, collector=None):
            loaded = sorted(name for name in sys.modules if name.split(".")[0] in
                            {"mediation_desk", "sqlalchemy", "alembic", "pypinyin", "reportlab", "pypdf",
                              "keyring", "numpy", "onnxruntime", "cv2", "rapidocr_onnxruntime"})
            print(json.dumps({"argv": argv, "loaded": loaded, "collector": collector is not None and collector.active,
                              "threshold": gc.get_threshold()[0]}))
            return 0

        app.run = run
        from mediation_desk.__main__ import main
        sys.exit(main([]))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEDIATION_DESK_HOME": str(tmp_path)}
    env.pop("MEDIATION_DESK_TEST_CHEAP_HASHING", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["argv"]) == 1  # the program name only: no command, so the app
    # The garbage collector's start-up setting is begun by the entry point (ui.common.collector).
    from mediation_desk.ui.common.collector import START_GC_THRESHOLD

    assert report["collector"] and report["threshold"] == START_GC_THRESHOLD
    loaded = report["loaded"]
    assert "mediation_desk.ui.shell.login" in loaded
    heavy = [name for name in loaded if any(name == h or name.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_the_first_rows_modules_leave_a_cases_own_services_for_later(tmp_path: Path) -> None:
    # What the warm-up imports before the desk's first rows (issue 20 item 1): the pages service
    # without a case's own services (cases, agreements, termination, transfers, 12345, flags),
    # which its case pages import when first called.
    script = textwrap.dedent("""
        import importlib, json, sys
        from mediation_desk.ui.app import WARM_UP_MODULES
        for name in WARM_UP_MODULES:
            importlib.import_module(name)
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("mediation_desk.services."))))
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEDIATION_DESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "mediation_desk.services.pages" in loaded and "mediation_desk.services.clocks" in loaded
    later = ("agreements", "case_flags", "cases", "hotline", "termination", "transfers")
    assert [name for name in later if f"mediation_desk.services.{name}" in loaded] == []


def test_the_warm_up_names_modules_that_exist() -> None:
    # Its failures are only logged (a warm-up must never stop the app): a renamed module would
    # silently bring the imports back after Enter.
    from mediation_desk.ui import app

    app.warm_up()
    app.warm_up_sections()
    assert all(name in sys.modules for name in (*app.WARM_UP_MODULES, *app.WARM_UP_LATER, *app.WARM_UP_SECTIONS))


#: Starts the app on its default database and reports, the moment 登录 is enabled, what is loaded.
AT_LOGIN_ENABLED = textwrap.dedent("""
    import json, os, sys, threading
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event
    from sqlalchemy.orm import Mapper
    app = QApplication(sys.argv)
    # The warm-up may configure the mappers beside the login, on its own thread; the GUI thread
    # must not wait for them before 登录 is enabled.
    on_gui_thread = []
    event.listen(Mapper, "before_configured",
                 lambda: on_gui_thread.append(threading.current_thread() is threading.main_thread()))
    from mediation_desk.ui.app import Startup
    from mediation_desk.ui.shell.login import LoginDialog

    database_ready = LoginDialog.database_ready

    def report(dialog):
        database_ready(dialog)
        print(json.dumps({"enabled": dialog.login_button.isEnabled(),
                          "alembic": sorted(n for n in sys.modules if n.split(".")[0] == "alembic"),
                          "mappers_configured_on_gui_thread": any(on_gui_thread)}), flush=True)
        os._exit(0)  # not waiting for the warm-up this starts

    LoginDialog.database_ready = report
    startup = Startup(None)
    startup.failed.connect(lambda message: (print(message, file=sys.stderr), os._exit(3)))
    startup.begin()
    app.exec()
    os._exit(4)
""")


@pytest.mark.parametrize("older", [False, True], ids=["up-to-date", "one-revision-older"])
def test_login_is_enabled_without_alembic_on_an_up_to_date_database(
        older: bool, app_home: Path, sqlite_template: Path) -> None:
    # A desk's default file with its accounts (so neither the demo nor the wizard comes first).
    path = settings.default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    make_user(database, "clerk", Role.INTAKE)
    head = head_revision()
    if older:  # a desk that last ran the previous version: upgraded as before, with Alembic
        revisions = script_revisions()
        assert revisions is not None
        migrate_to(database, revisions[head][0])
        assert current_revision(database) != head
    database.dispose()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MEDIATION_DESK_HOME": str(app_home),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", AT_LOGIN_ENABLED], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["enabled"]
    database = Database(f"sqlite:///{path}")
    assert current_revision(database) == head
    database.dispose()
    if older:
        assert "alembic.command" in report["alembic"]
        assert list((app_home / "data" / "backups").glob("*-before-*.sqlite3"))
    else:
        assert report["alembic"] == []
        assert report["mappers_configured_on_gui_thread"] is False
