"""What the app loads before its login dialog is painted (issue 20 item 1, ``bench/startup.py``).

A plain start (``mediation-desk`` with no arguments) goes straight to ``ui.app.run``: not through
the command line, whose parser imports every command group and with them the database layer. The
modules the login dialog needs import nothing heavy; the database layer, the services, the main
window and pypinyin's dictionary are loaded after the first paint (``ui.app.Startup``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Loaded only after the login dialog is painted (or never, for a person at the desk).
HEAVY = ("mediation_desk.cli", "sqlalchemy", "alembic", "mediation_desk.models", "mediation_desk.services",
         "mediation_desk.ui.shell.main_window", "pypinyin", "reportlab", "pypdf", "keyring", "numpy",
         "onnxruntime", "cv2", "rapidocr_onnxruntime")


def test_a_plain_start_loads_only_what_the_login_dialog_needs(tmp_path: Path) -> None:
    # The app's run() replaced by one that reports what was imported by the time it was called.
    script = textwrap.dedent("""
        import json, sys
        import mediation_desk.ui.app as app

        def run(argv):
            loaded = sorted(name for name in sys.modules if name.split(".")[0] in
                            {"mediation_desk", "sqlalchemy", "alembic", "pypinyin", "reportlab", "pypdf",
                              "keyring", "numpy", "onnxruntime", "cv2", "rapidocr_onnxruntime"})
            print(json.dumps({"argv": argv, "loaded": loaded}))
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
    loaded = report["loaded"]
    assert "mediation_desk.ui.shell.login" in loaded
    heavy = [name for name in loaded if any(name == h or name.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_the_warm_up_names_modules_that_exist() -> None:
    # Its failures are only logged (a warm-up must never stop the app): a renamed module would
    # silently bring the imports back after Enter.
    from mediation_desk.ui import app

    app.warm_up()
    app.warm_up_sections()
    assert all(name in sys.modules for name in app.WARM_UP_MODULES)
