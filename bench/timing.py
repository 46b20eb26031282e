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
