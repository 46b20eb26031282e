"""Crash soak: a writer killed with SIGKILL ≥ 1,000 times; every acknowledged write must survive.

The writer registers cases (two parties each), attaches files and accepts the cases on a SQLite
file, printing an acknowledgement only after each commit returned; it is killed at a random
moment of each round (see ``tests/crash_worker.py``). After every ``--check-every`` rounds and at
the end the database is reopened as the app opens it and checked: every acknowledged case with
its parties, every acknowledged file by its SHA-256, every acknowledged acceptance,
``PRAGMA integrity_check`` and ``db.check_schema``. Budget: 0 lost.

    .venv/bin/python bench/crash_soak.py [--kills 1000] [--seed 8] [--database PATH] [--check-every 100]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests import crash_worker  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--database", type=Path, help="SQLite file to use (default: a temporary one)")
    parser.add_argument("--check-every", type=int, default=100)
    parser.add_argument("--min-delay", type=float, default=0.01, help="seconds before the earliest kill")
    parser.add_argument("--max-delay", type=float, default=0.2, help="seconds before the latest kill")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.database or Path(scratch) / "crash-soak.sqlite3"
        if path.exists():
            parser.error(f"{path} exists: the soak needs a fresh database")
        crash_worker.prepare(path)
        figures = crash_worker.run_rounds(path, args.kills, seed=args.seed, check_every=args.check_every,
                                          delay=(args.min_delay, args.max_delay))
        acks = figures.acks
        files = sum(len(v) for v in acks.files.values())
        size = path.stat().st_size
    print(f"kills (SIGKILL):          {figures.kills:,}")
    print(f"acknowledged writes:      {acks.count:,}  (cases {len(acks.cases):,}, files {files:,}, "
          f"acceptances {len(acks.accepted):,})")
    print(f"lost acknowledged writes: {len(figures.lost)}")
    for line in figures.lost[:20]:
        print(f"  {line}")
    print(f"integrity_check:          {figures.integrity}")
    print(f"database size:            {size / 1e6:.1f} MB")
    per_round = figures.seconds / max(figures.kills, 1) * 1000
    print(f"time:                     {figures.seconds:.1f} s  ({per_round:.0f} ms a round)")
    return 0 if not figures.lost and figures.integrity == "ok" and figures.kills == args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
