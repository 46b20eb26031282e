"""A keychain in a JSON file for ``bench/startup.py``'s processes: the bench machine has no desktop
keychain, and the encrypted desk file the bench makes (its key written by one process, read by
every launch of the app) must not put its key into the user's. Chosen by keyring itself through
``PYTHON_KEYRING_BACKEND=startup_keyring.FileKeyring`` (``bench/`` on ``PYTHONPATH``), so the app
loads it when it first touches the keychain, exactly where it would load the real one.

The keys of a benchmark's throwaway files only: never use this for a desk's own database.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend

#: The JSON file holding the keys (service -> user -> secret).
FILE_ENV = "MEDIATION_DESK_BENCH_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def _path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            data: dict[str, dict[str, str]] = json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        path = self._path()
        path.touch(mode=0o600)
        path.write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.get(service, {}).pop(username, None)
        self._path().write_text(json.dumps(data), encoding="utf-8")
