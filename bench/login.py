"""The login's answer to guessing, timed: a wrong password for a real account against an unknown
name, with the production argon2 parameters, on a SQLite file with an audit log of
``--audit`` entries (a busy county's year). The two medians should agree within a few percent:
the answer's time must not tell which names are accounts (``services.auth``).

    .venv/bin/python bench/login.py [--rounds 30] [--audit 200000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--audit", type=int, default=200_000)
    args = parser.parse_args()

    from sqlalchemy import insert, update

    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import AuditEntry, Role, User
    from mediation_desk.services import auth
    from mediation_desk.services.actor import Actor
    from mediation_desk.services.errors import AuthenticationFailed

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        upgrade(db)
        with db.write() as session:
            auth.create_user(session, Actor.system("bench"), username="clerk", display_name="受理员",
                             role=Role.INTAKE, password="Bench@2026-pw")
            names = [f"user{n % 500}" for n in range(args.audit)]
            session.execute(insert(AuditEntry), [
                {"username": name, "action": "case_opened", "entity": "case", "entity_id": n, "detail": {}}
                for n, name in enumerate(names)])

        def timed(username: str) -> float:
            started = time.perf_counter()
            with contextlib.suppress(AuthenticationFailed):
                auth.login(db, username, "Wrong-pw-1")
            return (time.perf_counter() - started) * 1000

        known, unknown = [], []
        for n in range(args.rounds):
            # Unlocked between rounds so every round answers "wrong", never "locked".
            known.append(timed("clerk"))
            unknown.append(timed(f"nobody{n}"))
            with db.write() as session:
                session.execute(update(User).values(failed_logins=0, locked_until=None))
        db.dispose()
    k, u = statistics.median(known), statistics.median(unknown)
    print(f"audit entries: {args.audit:,}; rounds: {args.rounds}")
    print(f"wrong password, real account: median {k:.1f} ms (min {min(known):.1f}, max {max(known):.1f})")
    print(f"unknown name:                 median {u:.1f} ms (min {min(unknown):.1f}, max {max(unknown):.1f})")
    print(f"difference of medians: {abs(k - u):.1f} ms ({abs(k - u) / k * 100:.1f} % of the real account's)")


if __name__ == "__main__":
    main()
