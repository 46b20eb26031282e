"""``mediation-desk ARGS`` run as ``python -m mediation_desk ARGS`` runs it, in the test's process.

A new interpreter per command costs one to two seconds of CPU in imports alone (the database
layer, the services, reportlab and pypdf), and the command-line tests run hundreds of commands:
most of them go through the very entry point the interpreter calls (``__main__.main``), with
their own stdin, stdout and stderr (byte streams under UTF-8 text, as a pipe gives), the exit
status (``SystemExit`` included) and, if anything escaped, the traceback on stderr as the
interpreter would print it. What only a real process shows (the environment of a new
interpreter, its encoding, its exit) is tested with :func:`in_a_process`.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from mediation_desk import settings
from mediation_desk.__main__ import main as entry_point

#: The checkout the tests run from (a command run elsewhere, ``cwd``, imports its package too).
ROOT = Path(__file__).resolve().parents[1]


def _pipe(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", write_through=True)


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _working_directory(cwd: Path | None) -> Iterator[None]:
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


def in_process(argv: Sequence[str], *, stdin: str = "", home: Path | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command in this process (``home``: the data folder it runs with, else the test's;
    ``cwd``: the folder it runs in)."""
    assert argv, "no arguments would open the app"
    streams = (sys.stdin, sys.stdout, sys.stderr)
    out, err = _pipe(), _pipe()
    sys.stdin, sys.stdout, sys.stderr = _pipe(stdin.encode("utf-8")), out, err
    try:
        with _environment({settings.HOME_ENV: str(home)} if home is not None else {}), _working_directory(cwd):
            try:
                code: int | str | None = entry_point(list(argv))
            except SystemExit as exited:
                code = exited.code
            except Exception:
                traceback.print_exc()
                code = 1
        if isinstance(code, str):  # sys.exit("text") prints it and exits 1
            print(code, file=sys.stderr)
            code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
    return subprocess.CompletedProcess(list(argv), code or 0, _read(out), _read(err))


def in_a_process(argv: Sequence[str], *, stdin: str = "", home: Path | None = None,
                 cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a new ``python -m mediation_desk`` process (``cwd``: the folder it runs in;
    the package is imported from this checkout wherever that is)."""
    env = dict(os.environ)
    env[settings.HOME_ENV] = str(home or os.environ[settings.HOME_ENV])
    env["MEDIATION_DESK_TEST_CHEAP_HASHING"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "mediation_desk", *argv]
    return subprocess.run(command, input=stdin, capture_output=True, check=False, text=True, env=env, timeout=300,
                          cwd=cwd)
