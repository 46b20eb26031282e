"""The suite's clock: every test starts at the session's instant, and so do the processes it starts
and the PostgreSQL server (``MEDIATION_DESK_TEST_TODAY``, tests/clock.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import text

from mediation_desk.db import Database
from mediation_desk.models.base import now

from . import clock
from .conftest import SESSION_INSTANT

#: Generous: a loaded two-core machine can take this long between a test's start and its checks.
_SLACK = timedelta(minutes=2)


def _near_instant(moment: datetime) -> bool:
    start = SESSION_INSTANT.replace(tzinfo=None)
    return start - timedelta(seconds=1) <= moment <= start + _SLACK


def test_python_clock_starts_at_the_instant(test_clock: time_machine.Traveller) -> None:
    assert _near_instant(datetime.now()) and _near_instant(now())
    assert date.today() in (SESSION_INSTANT.date(), (SESSION_INSTANT + _SLACK).date())
    before = time.time()
    time.sleep(0.01)
    assert time.time() > before, "the clock ticks"


def test_a_test_that_moves_the_clock_leaves_the_next_one_at_the_instant(
        test_clock: time_machine.Traveller) -> None:
    test_clock.shift(timedelta(days=400))
    assert datetime.now() > SESSION_INSTANT.replace(tzinfo=None) + timedelta(days=399)


def test_clock_was_put_back() -> None:
    assert _near_instant(datetime.now())


def test_processes_the_tests_start_share_the_instant() -> None:
    if clock.chosen_instant() is None:
        pytest.skip(f"{clock.ENV} is not set: child processes run on the real clock")
    out = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.datetime.now().isoformat())"],
                         capture_output=True, text=True, check=True).stdout.strip()
    # A child's clock starts at the instant when it starts.
    assert _near_instant(datetime.fromisoformat(out))


@pytest.mark.postgresql
def test_postgresql_server_shares_the_instant(pg_database_url: str) -> None:
    db = Database(pg_database_url)
    try:
        with db.read() as session:
            server_now = session.execute(text("SELECT localtimestamp")).scalar_one()
    finally:
        db.dispose()
    # The server's clock (libfaketime under the switch, else the real one) started with the
    # session and has run since; the tests' own clock went back to the instant for this test.
    started = SESSION_INSTANT.replace(tzinfo=None)
    assert started - timedelta(seconds=1) <= server_now <= started + timedelta(hours=2)


@pytest.mark.parametrize("text_value, expected", [
    ("2027-02-16T09:30", datetime(2027, 2, 16, 9, 30)),
    ("2028-02-29 23:58:59", datetime(2028, 2, 29, 23, 58, 59)),
    ("2026-12-31", datetime(2026, 12, 31, 9, 0)),
])
def test_switch_forms(text_value: str, expected: datetime) -> None:
    assert clock.parse_instant(text_value).replace(tzinfo=None) == expected


@pytest.mark.parametrize("text_value", ["tomorrow", "2026-02-30", "2026-13-01T10:00", "31.12.2026"])
def test_switch_refuses_what_it_cannot_read(text_value: str) -> None:
    with pytest.raises(clock.ClockSwitchError, match=clock.ENV):
        clock.parse_instant(text_value)


def test_a_run_under_libfaketime_is_refused_with_the_switch_named(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``faketime '@2028-02-29 23:58:30' pytest``: each test's clock switch rewrites FAKETIME, the
    run's own libfaketime reads it back and its clock jumps, so time-machine's clock jumped back
    453 days mid-test (the 风险研判 tab opened on 2025-08, pytest said "1 failed in -1835469609s").
    Such a run is refused before any test, naming the switch; the same run without it goes on."""
    if clock.libfaketime() is None or shutil.which("faketime") is None:
        pytest.skip("needs Debian's faketime")
    # A person's run: none of the variables the switch gives the processes the tests start.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FAKETIME") and k not in ("LD_PRELOAD", clock.CHILD_ENV)}
    env.pop(clock.ENV, None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-n", "0",
               "--collect-only", "tests/test_clock.py::test_switch_forms"]
    root = str(Path(__file__).resolve().parent.parent)
    plain = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    faked = subprocess.run(["faketime", "-f", "@2028-02-29 23:58:30", *command], cwd=root, env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert faked.returncode == pytest.ExitCode.USAGE_ERROR, faked.stdout + faked.stderr
    assert "libfaketime" in faked.stderr and clock.ENV in faked.stderr


def test_a_child_under_the_switch_sleeps_and_imports_the_suites_helpers() -> None:
    """A bench or a ``multiprocessing`` child a test starts under the switch waits in loops
    (``time.sleep``: libfaketime 0.9.10 refused it with EINVAL while the monotonic clock was left
    unfaked) and imports the suite's helpers, and so tests/conftest.py — which refused it as a run
    under ``faketime pytest`` and would have moved its clock to the run's instant. Its clock is the
    one the test gave it, the story's day."""
    if clock.libfaketime() is None:
        pytest.skip("needs Debian's libfaketime")
    story = clock.parse_instant("2027-01-01T00:00:05")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "LD_PRELOAD"}
    env.update(clock.faketime_environment(story))
    env.pop(clock.ENV, None)
    script = ("import time, datetime\n"
              "time.sleep(0.01)\n"
              "import tests.conftest\n"
              "from tests.services import helpers\n"
              "print(datetime.date.today().isoformat())\n")
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2027-01-01"
