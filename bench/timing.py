"""Timing shared by the benches (``bench/`` is not a package: a bench puts its folder on the path)."""

from __future__ import annotations

import json
import os
import statistics as stats
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def median_ms(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``fn`` over ``runs`` calls after one warm-up call
    (the page cache of a desk that has been open a while); the CPU figure shows what a busy machine
    hides."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return stats.median(wall) * 1000, stats.median(cpu) * 1000


def use_memory_keyring() -> None:
    """The keychain of a bench's process in memory: no OS keychain here, and a bench must not
    write the person's real one (the app keeps a database key there)."""
    import keyring
    import keyring.backend

    class Memory(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]  # keyring's __init__ has no annotations
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.kept.pop((service, username), None)

    keyring.set_keyring(Memory())


def loadavg() -> str:
    """The machine's load averages (1, 5, 15 minutes), printed beside a figure."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def alternate_children(script: Path, checkouts: Sequence[tuple[str, Path]], rounds: int, child_args: Sequence[str],
                       *, env: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]] | None:
    """Run ``script --child child_args`` in each checkout (``PYTHONPATH`` and the working folder set
    to it), ``rounds`` times, turning which goes first, so both meet the same load; the JSON lines
    each child prints, by checkout name, each printed as it comes with the load around it. None
    (after printing the child's output) where a child failed."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in checkouts}
    for round_ in range(rounds):
        order = list(checkouts) if round_ % 2 == 0 else list(reversed(checkouts))
        for name, checkout in order:
            before = loadavg()
            done = subprocess.run([sys.executable, str(script), "--child", *child_args],
                                  env=dict(os.environ, PYTHONPATH=str(checkout), **(env or {})), cwd=checkout,
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stdout, done.stderr, sep="\n")
                return None
            for line in done.stdout.splitlines():
                if line.startswith("{"):
                    row = json.loads(line)
                    found[name].append(row)
                    print(f"round {round_ + 1}, {name:<8} load {before} → {loadavg()}:",
                          {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}, flush=True)
    return found


def median_of(rows: Sequence[dict[str, Any]], key: str) -> float:
    """The median of ``key`` over the rows that hold it (NaN where none does)."""
    values = [row[key] for row in rows if key in row]
    return stats.median(values) if values else float("nan")
