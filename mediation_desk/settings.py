"""Where the app keeps its files, and the per-desk settings that are not shared by the center.

Center-wide settings (name, case-number prefix, time limits) live in the database
(:class:`~mediation_desk.models.CenterSetting`); what belongs to one desk — which database to open,
the interface language — lives here in a small JSON file. Passwords never do: see ``secrets``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from mediation_desk import APP_NAME

#: Set to a folder to keep every file of the app below it (tests give each test its own).
HOME_ENV = "MEDIATION_DESK_HOME"

SUPPORTED_LANGUAGES = ("zh_CN", "en")


def data_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "mediation-desk.sqlite3"


@dataclass
class DeskSettings:
    """Settings of this desk. Unknown keys in the file are kept, so an older version never drops
    what a newer one wrote."""

    #: SQLAlchemy URL without a password; empty means the SQLite file in the data folder.
    database_url: str = ""
    language: str = "zh_CN"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> DeskSettings:
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            # A damaged settings file must not keep the desk from starting; defaults are safe.
            return cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        settings = cls(**{k: v for k, v in raw.items() if k in known})
        settings.extra = {k: v for k, v in raw.items() if k not in known}
        if settings.language not in SUPPORTED_LANGUAGES:
            settings.language = "zh_CN"
        return settings

    def save(self) -> None:
        data = asdict(self)
        extra = data.pop("extra")
        data.update(extra)
        from mediation_desk.files import write_atomically

        target = self.path()
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, json.dumps(data, ensure_ascii=False, indent=2), what="设置文件")
