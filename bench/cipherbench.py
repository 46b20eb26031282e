"""What the benchmarks need to run on an encrypted (SQLCipher) desk file: a keychain in memory for
the benchmark's processes (a bench machine often has no desktop keychain, and its keys must not
land in the user's), handed to a child process through the environment; and the ratio table.

The keys of a benchmark's throwaway files only: never use this for a desk's own database.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import keyring
import keyring.backend

#: The keys of the benchmark's files (JSON: file id -> key), for a measuring child process.
KEYS_ENV = "MEDIATION_DESK_BENCH_KEYS"
#: Encryption's cost budget (issue 17 item 6): at most 1.3 × the unencrypted figure.
BUDGET = 1.3
#: SQLite's default page size: the desk's unencrypted files (the figures encryption is measured against).
PLAIN_PAGE_SIZE = 4096


class BenchKeyring(keyring.backend.KeyringBackend):
    """The keyring API over a dict, filled from :data:`KEYS_ENV` for the database keys."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def use_bench_keyring() -> BenchKeyring:
    """This process's keychain: in memory, with the keys a parent process handed down."""
    from mediation_desk import credentials

    backend = BenchKeyring()
    for file_id, key in json.loads(os.environ.get(KEYS_ENV, "{}")).items():
        backend.set_password(credentials.DATABASE_KEY_SERVICE, file_id, key)
    keyring.set_keyring(backend)
    return backend


def child_environment(backend: BenchKeyring) -> dict[str, str]:
    """The environment of a child process that opens this process's encrypted files."""
    from mediation_desk import credentials

    keys = {user: value for (service, user), value in backend.passwords.items()
            if service == credentials.DATABASE_KEY_SERVICE}
    return {**os.environ, KEYS_ENV: json.dumps(keys)}


def print_ratios(plain: dict[str, float], encrypted: dict[str, float], higher_is_better: frozenset[str]) -> None:
    """Each figure unencrypted and encrypted, and the cost as a ratio (>1 is slower), against the budget."""
    print(f"\nSQLCipher cost (encrypted ÷ unencrypted time; budget ≤ {BUDGET:.1f}×):")
    worst = 0.0
    for name, base in plain.items():
        value = encrypted.get(name)
        if value is None or base <= 0 or value <= 0:
            continue
        ratio = base / value if name in higher_is_better else value / base
        worst = max(worst, ratio)
        verdict = "within" if ratio <= BUDGET else "OVER"
        print(f"  {name:<40} plain {base:12,.1f}   encrypted {value:12,.1f}   {ratio:5.2f}×  {verdict}")
    print(f"  worst ratio: {worst:.2f}× — {'within' if worst <= BUDGET else 'OVER'} the {BUDGET:.1f}× budget")


def best(runs: list[dict[str, float]], higher_is_better: frozenset[str]) -> dict[str, float]:
    """Per figure, the best of several runs (the highest rate, the shortest time)."""
    names = [name for name in runs[0] if all(name in run for run in runs)]
    return {name: (max if name in higher_is_better else min)(run[name] for run in runs) for name in names}


def add_page_size_arguments(parser: Any) -> None:
    """``--page-size`` (the encrypted files') and ``--plain-page-size`` (the unencrypted files')."""
    from mediation_desk import dbcipher

    parser.add_argument("--page-size", type=int, default=dbcipher.PAGE_SIZE,
                        help=f"page size of the new encrypted files (the desk's: {dbcipher.PAGE_SIZE})")
    parser.add_argument("--plain-page-size", type=int, default=PLAIN_PAGE_SIZE,
                        help="page size of the new unencrypted files (the desk's, SQLite's default: "
                             f"{PLAIN_PAGE_SIZE})")


def apply_page_size(page_size: int) -> None:
    """New encrypted files of this process get ``page_size``."""
    from mediation_desk import dbcipher

    dbcipher.PAGE_SIZE = page_size


def new_plain_file(path: Path, page_size: int) -> None:
    """An empty unencrypted SQLite file of ``page_size`` (its first page written, so the desk opens it
    as a plain file and keeps the page size); SQLite's default needs no file beforehand."""
    if page_size == PLAIN_PAGE_SIZE:
        return
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA page_size = {int(page_size)}")
        conn.execute("VACUUM")


def page_size(path: Path) -> int:
    """The page size of a plain or encrypted desk file of this process's keychain."""
    from mediation_desk import dbcipher

    if dbcipher.is_encrypted(path):
        return dbcipher.key_for(path).page_size
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
