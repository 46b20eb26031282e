"""Unsaved registration forms, kept on disk so a crash or a killed desk loses nothing.

One draft per user, as JSON in ``<data folder>/drafts``. The form decides what the draft holds
(every field exactly as typed, valid or not); this module only stores it, safely: each save writes
a temporary file in the same folder, flushes it to disk and renames it over the draft, so a kill
at any moment leaves either the previous draft or the new one, never half of one.

A draft that cannot be read (a disk error, a file edited by hand) is moved aside rather than
deleted, and :func:`load_draft` then reports no draft: the desk starts, and the file is still
there for an administrator.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mediation_desk import settings

from ..files import write_atomically

#: Bumped when the layout of the file (not of the form inside it) changes.
FORMAT_VERSION = 1
FOLDER = "drafts"
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}")


@dataclass(frozen=True)
class Draft:
    username: str
    saved_at: datetime
    #: The form's own state, as the form serialised it.
    form: dict[str, Any]


def drafts_dir() -> Path:
    path = settings.data_dir() / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def draft_path(username: str) -> Path:
    """The draft file of ``username``. User names may hold any letter (``create_user`` allows
    Chinese ones); those that are not plain ASCII are hex-encoded to stay valid file names."""
    name = username if _SAFE_NAME.fullmatch(username) else "u-" + username.encode("utf-8").hex()
    return drafts_dir() / f"{name}.json"


def save_draft(username: str, form: dict[str, Any], *, at: datetime | None = None) -> Draft:
    """Write the draft of ``username`` atomically; returns what was written."""
    draft = Draft(username, (at or datetime.now()).replace(microsecond=0), form)
    payload = {"format": FORMAT_VERSION, "username": username, "saved_at": draft.saved_at.isoformat(),
               "form": form}
    # ensure_ascii=False keeps names readable in the file; UTF-8 holds any character (𠮷 included).
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    target = draft_path(username)
    # Whole or not at all, owner-only (a draft holds parties' ID numbers), fsynced before the
    # rename: power cuts are common at county counters.
    write_atomically(target, text, what="草稿")
    return draft


def load_draft(username: str) -> Draft | None:
    """The draft of ``username``, or None when there is none (or it was unreadable and set aside)."""
    path = draft_path(username)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("form"), dict):
            raise ValueError("not a draft")
        if int(raw.get("format", 0)) > FORMAT_VERSION:
            return None  # a newer version of the desk wrote it: leave it for that version
        saved_at = datetime.fromisoformat(str(raw["saved_at"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        _set_aside(path)
        return None
    return Draft(username, saved_at, raw["form"])


def discard_draft(username: str) -> None:
    draft_path(username).unlink(missing_ok=True)


def _set_aside(path: Path) -> None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    # If even that fails nothing more can be done here; the desk must still start.
    with contextlib.suppress(OSError):
        path.replace(path.with_name(f"{path.stem}.unreadable-{stamp}.json"))
