"""The instant the test suite runs at.

``MEDIATION_DESK_TEST_TODAY=2027-02-16T09:30 scripts/run-tests`` runs the whole suite as if it were
that moment (local time; a bare date means 09:00 of that day). Without the switch the suite runs at
the moment it started. Either way every test starts at the same instant and its clock ticks from
there, so no test can see midnight pass or depend on the day it happens to run:

- Python's clock (``datetime.now``, ``date.today``, ``time.time``) is moved by ``time-machine`` at
  the start of each test;
- every process the tests start (the command line, ``pdftoppm``, the PostgreSQL server) runs under
  Debian's libfaketime from the same instant, so ``SELECT now()`` on the test server agrees.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from datetime import datetime, time

ENV = "MEDIATION_DESK_TEST_TODAY"
#: Set by the first process of a run (tests/conftest.py) to the moment the run began, so that the
#: pytest-xdist workers it starts share that moment.
RUN_STARTED_ENV = "MEDIATION_DESK_TEST_RUN_STARTED"

#: Set for the processes the tests start under the switch: a Python child that imports the suite's
#: helpers (a bench, a ``multiprocessing`` child importing a test module) loads tests/conftest.py,
#: which must then take libfaketime's clock as its own, not refuse it as a run under ``faketime``.
CHILD_ENV = "MEDIATION_DESK_TEST_CHILD"

#: Where Debian's ``libfaketime`` package puts the preload library (``apt-get install faketime``).
_LIBFAKETIME = ("/usr/lib/*/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1")


class ClockSwitchError(ValueError):
    pass


def parse_instant(text: str) -> datetime:
    """``2027-02-16``, ``2027-02-16T09:30`` or ``2027-02-16 09:30:15`` as an aware local moment."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(datetime.fromisoformat(value).date(), time(9, 0))
        else:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError as exc:
        raise ClockSwitchError(f"{ENV}={text!r} is not a date or a date and time "
                               "(for example 2027-02-16 or 2027-02-16T09:30)") from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0).astimezone()


def chosen_instant() -> datetime | None:
    """The instant the switch names, or None when it is not set."""
    text = os.environ.get(ENV, "").strip()
    return parse_instant(text) if text else None


def libfaketime() -> str | None:
    for pattern in _LIBFAKETIME:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


def under_libfaketime(environ: Mapping[str, str]) -> str | None:
    """Why a test run cannot go on in a process started under libfaketime (``faketime … pytest``),
    or None. Each test hands its story's instant to the processes it starts by rewriting
    ``FAKETIME`` in ``os.environ``; a libfaketime loaded in this process reads that variable again
    when its cache lapses (every 10 s) and its clock jumps to the story's instant, so
    time-machine's ticking clock jumps back by the difference (a view built 3 December 2026 saw
    6 September 2025 under ``faketime '@2028-02-29 23:58'``, and pytest reported a negative
    duration). The switch gives the children libfaketime and moves this process with time-machine."""
    if "FAKETIME" in environ and "libfaketime" in environ.get("LD_PRELOAD", "") and not started_by_a_test(environ):
        return (f"the test run is under libfaketime (FAKETIME={environ['FAKETIME']!r}): its clock would jump at "
                f"each test's clock switch; run {ENV}=<instant> scripts/run-tests instead of faketime pytest")
    return None


def faketime_environment(instant: datetime) -> dict[str, str]:
    """The variables that start a child process's clock at ``instant`` (it then ticks)."""
    library = libfaketime()
    if library is None:
        raise ClockSwitchError(f"{ENV} needs libfaketime for the processes the tests start: "
                               "apt-get install faketime (scripts/setup --test installs it)")
    preload = os.environ.get("LD_PRELOAD", "").split()
    if library not in preload:
        preload.append(library)
    return {
        "LD_PRELOAD": " ".join(preload),
        # ``@`` starts the clock at the instant and lets it run, as the tests' own clock does. The
        # monotonic clock is left to libfaketime too: with FAKETIME_DONT_FAKE_MONOTONIC, libfaketime
        # 0.9.10 answers Python's time.sleep (an absolute clock_nanosleep on the monotonic clock)
        # with EINVAL, and every bench and child that waited in a loop failed under the switch.
        "FAKETIME": f"@{instant.astimezone().replace(tzinfo=None):%Y-%m-%d %H:%M:%S}",
        CHILD_ENV: "1",
    }


def started_by_a_test(environ: Mapping[str, str]) -> bool:
    """Whether this process is one a test started under the switch (its clock is libfaketime's,
    from the test's instant), not a run of the suite."""
    return environ.get(CHILD_ENV) == "1" and "FAKETIME" in environ


def environment_at(text: str) -> dict[str, str]:
    """This process's environment for a child that must run at ``text`` (a story's day): under the
    switch its libfaketime clock starts there; on the real clock the child keeps the real time."""
    env = dict(os.environ)
    if "FAKETIME" in env:
        env.update(faketime_environment(parse_instant(text)))
    return env
