"""Start-up against its floor (issue 20 item 1), in one run, launches alternating:

(a) the floor: a bare PySide6 process showing a ``QMainWindow`` with an empty ``QTableView``;
(b) the app as a person starts it (the ``mediation-desk`` entry point, no arguments) on its default
    database: an encrypted (SQLCipher) demo file whose key is in the keychain.

Both time process start → the first paint event of their first window (the login dialog for the
app) with the same probe (``mediation_desk/ui/common/paint_probe.py``, on only through its
environment variable). For the app the probe then presses Enter in the login dialog as soon as
登录 is enabled, and times Enter → the first paint of case rows in the main window. The password
hash's own verification (argon2, the production parameters) is timed in this process between
launches. Budgets: login painted ≤ 1.5 × the floor; Enter → first rows ≤ verification + 150 ms.
Each launch's CPU time (every thread, start to its exit right after the first rows) is printed
beside the wall-clock figures: on a shared machine it moves far less with the load. So is the
login's longest freeze between its first paint and Enter (the probe's 5 ms timer not answered: the
window frozen while the person types; the warm-up imports on a thread beside it).

    .venv/bin/python bench/startup.py [--runs 7] [--cases 2000] [--user mediator] [--offscreen]
                                      [--typing-ms 0,2000] [--no-bytecode-cache]

``--typing-ms`` takes one or more delays (comma-separated): each run then launches the floor and
the app once per delay, in alternating order, so an Enter the instant 登录 is enabled (0) and one
after two seconds of typing are measured side by side against the same floor.

Bytecode: an installed app runs from compiled modules (pip writes them at installation, a frozen
app carries them) while a machine with ``PYTHONDONTWRITEBYTECODE=1`` would compile every module of
the app at every launch, which no person's start does (the floor, PySide6 alone, is compiled in
site-packages already). So the launches get a bytecode cache of their own
(``PYTHONPYCACHEPREFIX``, beside the bench desk, filled by the first launches); the source tree is
not written. ``--no-bytecode-cache`` measures the compiling start instead.

``--baseline DIR`` (a checkout of another version, e.g. ``git archive main | tar -x -C DIR``)
launches that version's app too, alternating with this one's and the floor on the same desk: on a
shared, loaded machine a before/after comparison is only fair launch by launch.

Under Xvfb by default (``xvfb-run -a``, one server for the whole run: closer to a person's screen
than Qt's offscreen platform). The demo desk (its data, settings and the keychain file of
``bench/startup_keyring.py``, since a bench machine has no desktop keychain) is made once under
``--home`` (default ``/work/bench-data/startup/home`` when it exists, else a folder in /tmp).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

IN_XVFB_ENV = "MEDIATION_DESK_STARTUP_BENCH_XVFB"
SCREEN = "-screen 0 1366x768x24"
LOGIN_BUDGET = 1.5
ROWS_SLACK_MS = 150.0
TIMEOUT_S = 120

FLOOR = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
from mediation_desk.ui.common.paint_probe import install
install(app)
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1300, 700)
window.show()
sys.exit(app.exec())
"""


def default_home() -> Path:
    shared = Path("/work/bench-data/startup")
    return shared / "home" if shared.is_dir() else Path(tempfile.gettempdir()) / "mediation-desk-startup-bench"


def desk_environment(home: Path, root: Path = ROOT) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(HERE)]),
           "MEDIATION_DESK_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "startup_keyring.FileKeyring",
           "MEDIATION_DESK_BENCH_KEYRING_FILE": str(home / "keyring.json")}
    for name in ("MEDIATION_DESK_ENCRYPTION", "MEDIATION_DESK_TEST_CHEAP_HASHING"):
        env.pop(name, None)  # the realistic default: an encrypted file, production argon2
    return env


def app_command() -> list[str]:
    script = Path(sys.executable).with_name("mediation-desk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mediation_desk"]


def make_desk(home: Path, cases: int) -> None:
    database = home / "data" / "mediation-desk.sqlite3"
    if database.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    print(f"making the demo desk ({cases:,} cases, encrypted) under {home} …", flush=True)
    subprocess.run([*app_command(), "demo", "--cases", str(cases)], env=desk_environment(home), check=True,
                   stdout=subprocess.DEVNULL)


def with_bytecode_cache(env: dict[str, str], folder: Path | None) -> dict[str, str]:
    """The launch's environment with compiled modules kept in ``folder`` (None: as the machine says)."""
    if folder is None:
        return env
    env = {**env, "PYTHONPYCACHEPREFIX": str(folder)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def launch(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Start a process, return its marks as seconds after the start (key: the mark's first word),
    and ``cpu``: the CPU time (user + system, every thread) the process used from its start to its
    exit (it quits at its last mark), the figure to compare on a loaded machine."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks: dict[str, float] = {"cpu": done.ru_utime + done.ru_stime - used.ru_utime - used.ru_stime}
    for line in process.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "PAINT_PROBE":
            marks.setdefault(parts[1], float(parts[-1]) - started)
            if parts[1] == "typing_stall":
                marks["typing_stall_ms"] = float(parts[2])
            if parts[1] in ("window", "rows"):
                marks.setdefault(f"{parts[1]}:{parts[2]}", 0.0)
    if process.returncode != 0 or "window" not in marks:
        raise SystemExit(f"{command[0]} ended with {process.returncode}; marks {marks}\n{process.stderr[-3000:]}")
    return marks


def hash_verification_ms(rounds: int = 3) -> list[float]:
    from argon2 import PasswordHasher

    from mediation_desk.services import auth
    from mediation_desk.services.setup import DEMO_PASSWORD

    stored = auth.hash_password(DEMO_PASSWORD)  # the production hasher's parameters
    verifier = PasswordHasher()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        verifier.verify(stored, DEMO_PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    return times


def load() -> str:
    """The load averages (1, 5, 15 minutes): how busy the machine was while it measured."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def baseline_root(folder: Path) -> Path:
    """The checkout ``--baseline`` names, resolved; refused (SystemExit with the reason) unless it
    holds the app's package: a missing folder on PYTHONPATH is skipped silently, and the launches
    would then measure the installed package while saying "baseline"."""
    root = folder.resolve()
    if not root.is_dir():
        raise SystemExit(f"--baseline {folder}: no such folder (a checkout of the version to compare with, "
                         "e.g. git worktree add /tmp/base main)")
    if not (root / "mediation_desk" / "__init__.py").is_file():
        raise SystemExit(f"--baseline {folder}: not a checkout of the app (no mediation_desk/__init__.py in it)")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each (default 7)")
    parser.add_argument("--cases", type=int, default=2000, help="cases of the demo desk made on the first run")
    parser.add_argument("--user", default="mediator", help="the demo account that signs in (default mediator)")
    parser.add_argument("--home", type=Path, default=None, help="the bench desk's folder")
    parser.add_argument("--typing-ms", default="2000",
                        help="the earliest Enter after the login is painted: a person reading the dialog and "
                             "typing the password (default 2000; 0 presses Enter as soon as 登录 is enabled); "
                             "several, comma-separated (0,2000), are launched alternately in each run")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile the app's modules at every launch (PYTHONDONTWRITEBYTECODE as the machine "
                             "sets it) instead of running from a bytecode cache as an installed app does")
    parser.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform instead of Xvfb")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of another version whose app is launched alternately with this one's")
    args = parser.parse_args()
    baseline = baseline_root(args.baseline) if args.baseline is not None else None

    if not args.offscreen and not os.environ.get(IN_XVFB_ENV):
        if shutil.which("xvfb-run") is None:
            raise SystemExit("xvfb-run is missing: apt-get install -y xvfb, or pass --offscreen")
        env = {**os.environ, IN_XVFB_ENV: "1"}
        env.pop("QT_QPA_PLATFORM", None)
        os.execvpe("xvfb-run", ["xvfb-run", "-a", "-s", SCREEN, sys.executable, *sys.argv], env)
    platform = "offscreen" if args.offscreen else "Xvfb (xcb)"
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from mediation_desk.services.setup import DEMO_PASSWORD

    home = args.home or default_home()
    make_desk(home, args.cases)
    typings = [int(part) for part in str(args.typing_ms).split(",") if part.strip()]
    cache = None if args.no_bytecode_cache else home.parent / "pycache"
    floor_env = with_bytecode_cache({**os.environ, "PYTHONPATH": str(ROOT), "MEDIATION_DESK_PAINT_PROBE": "quit"},
                                    cache)
    roots = {"this": ROOT, **({"baseline": baseline} if baseline is not None else {})}
    versions = [(version, typing) for version in roots for typing in typings]
    app_envs = {(version, typing): with_bytecode_cache({
        **desk_environment(home, roots[version]), "MEDIATION_DESK_PAINT_PROBE": "quit",
        "MEDIATION_DESK_PAINT_PROBE_LOGIN": f"{args.user}:{DEMO_PASSWORD}",
        "MEDIATION_DESK_PAINT_PROBE_TYPING_MS": str(typing)}, cache) for version, typing in versions}
    print(f"platform: {platform}; desk: {home} (encrypted demo, keychain in a file); user: {args.user}; "
          f"Enter ≥ {', '.join(map(str, typings))} ms after the login is painted; "
          f"bytecode: {'compiled at every launch' if cache is None else f'cached in {cache}'}")
    print(f"load average at start: {load()}", flush=True)

    # One launch of each first: the file cache, the bytecode cache.
    launch([sys.executable, "-c", FLOOR], floor_env)
    for version in roots:
        launch(app_command(), app_envs[version, typings[0]])
    floor: list[float] = []
    verify: list[float] = []
    names = ("login", "ready", "enter_rows", "enter_accepted", "accepted_rows", "cpu", "typing_stall")
    app: dict[tuple[str, int], dict[str, list[float]]] = {kind: {name: [] for name in names} for kind in versions}
    kinds: list[tuple[str, int] | None] = [None, *versions]  # None: the floor
    for n in range(args.runs):
        order = kinds if n % 2 == 0 else kinds[::-1]
        for which in order:
            if which is None:
                floor.append(launch([sys.executable, "-c", FLOOR], floor_env)["window"] * 1000)
                continue
            marks = launch(app_command(), app_envs[which])
            if "rows" not in marks:
                raise SystemExit(f"the app painted no case rows: marks {marks}")
            got = app[which]
            got["login"].append(marks["window"] * 1000)
            got["ready"].append((marks["ready"] - marks["window"]) * 1000)
            got["enter_rows"].append((marks["rows"] - marks["enter"]) * 1000)
            got["enter_accepted"].append((marks["accepted"] - marks["enter"]) * 1000)
            got["accepted_rows"].append((marks["rows"] - marks["accepted"]) * 1000)
            got["cpu"].append(marks["cpu"] * 1000)
            got["typing_stall"].append(marks.get("typing_stall_ms", float("nan")))
        verify += hash_verification_ms()
        print(f"  run {n + 1}: floor {floor[-1]:6.0f} ms" + "".join(
            f"   [{version}, Enter ≥ {typing} ms] login painted {app[version, typing]['login'][-1]:6.0f} ms, "
            f"Enter→rows {app[version, typing]['enter_rows'][-1]:6.0f} ms" for version, typing in versions),
            flush=True)

    med = statistics.median
    f, hv = med(floor), med(verify)
    print(f"\nmedians of {args.runs} alternating launches ({platform}):")
    print(f"  floor (bare PySide6 QMainWindow + empty QTableView) first paint: {f:7.0f} ms")
    budget = hv + ROWS_SLACK_MS
    for version, typing in versions:
        got = app[version, typing]
        lg, er = med(got["login"]), med(got["enter_rows"])
        ratio = lg / f
        print(f"  {'' if len(roots) == 1 else f'{version} ({roots[version]}), '}"
              f"Enter ≥ {typing} ms after the login is painted:")
        print(f"  login dialog first paint:                                        {lg:7.0f} ms   "
              f"{ratio:.2f}× the floor (budget ≤ {LOGIN_BUDGET}×: {'within' if ratio <= LOGIN_BUDGET else 'OVER'})")
        print(f"  Enter on the login → first case rows painted:                    {er:7.0f} ms   "
              f"(budget ≤ verification + {ROWS_SLACK_MS:.0f} = {budget:.0f} ms: "
              f"{'within' if er <= budget else 'OVER'})")
        print(f"  login painted → 登录 enabled (database open and checked):         "
              f"{med(got['ready']):7.0f} ms   (the earliest Enter)")
        accepted, rows = med(got["enter_accepted"]), med(got["accepted_rows"])
        print(f"    of which Enter → login accepted:                               {accepted:7.0f} ms")
        print(f"    and login accepted → first rows:                               {rows:7.0f} ms")
        stalls = [stall for stall in got["typing_stall"] if not math.isnan(stall)]  # a baseline without the mark
        if stalls:
            print(f"  the login's longest freeze from its paint to Enter (worst run):   "
                  f"{med(stalls):7.0f} ms   ({max(stalls):.0f} ms)")
        print(f"  CPU of the whole launch (every thread, start → quit at the rows): {med(got['cpu']):7.0f} ms")
    print(f"  argon2 verification, production parameters (this process):       {hv:7.0f} ms")
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
