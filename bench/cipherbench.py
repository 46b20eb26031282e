"""What the benchmarks need to run on an encrypted (SQLCipher) desk file: a keychain in memory for
the benchmark's processes (a bench machine often has no desktop keychain, and its keys must not
land in the user's), handed to a child process through the environment; and the ratio table.

The keys of a benchmark's throwaway files only: never use this for a desk's own database.
"""

from __future__ import annotations

import json
import os

import keyring
import keyring.backend

#: The keys of the benchmark's files (JSON: file id -> key), for a measuring child process.
KEYS_ENV = "MEDIATION_DESK_BENCH_KEYS"
#: Encryption's cost budget (issue 17 item 6): at most 1.3 × the unencrypted figure.
BUDGET = 1.3


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
        print(f"  {name:<34} plain {base:12,.1f}   encrypted {value:12,.1f}   {ratio:5.2f}×  {verdict}")
    print(f"  worst ratio: {worst:.2f}× — {'within' if worst <= BUDGET else 'OVER'} the {BUDGET:.1f}× budget")


def best(runs: list[dict[str, float]], higher_is_better: frozenset[str]) -> dict[str, float]:
    """Per figure, the best of several runs (the highest rate, the shortest time)."""
    names = [name for name in runs[0] if all(name in run for run in runs)]
    return {name: (max if name in higher_is_better else min)(run[name] for run in runs) for name in names}
