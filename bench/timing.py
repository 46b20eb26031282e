"""Timing shared by the benches (``bench/`` is not a package: a bench puts its folder on the path)."""

from __future__ import annotations

import statistics as stats
import time
from collections.abc import Callable


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
