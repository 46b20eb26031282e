"""A watched scan-to-folder: the networked copier drops files into a shared folder; each file is
imported once, when it is complete, and then moved out of the way.

A copier writes a file over SMB for seconds, often under its final name, so a file counts as
complete only when its size and modification time are the same on two polls at least
``settle_seconds`` apart. Names that copiers and browsers use while writing (``*.tmp``,
``*.part``, ``~$…``, hidden files) are never touched. An empty file is given a longer grace
before it is refused, because some copiers create the file first and write it later.

After import a file is moved into ``已导入`` (or ``未能导入`` when refused) beside it. When the
folder is read-only, the file stays and is remembered by name, size and modification time, so it
is not imported twice in this session.

No threads and no Qt: the dialog calls ``poll()`` from its worker on a timer, and tests call it
with a fake clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import FileRefused
from .files import ImportedFile, ImportLimits, import_file

DONE_FOLDER = "已导入"
REFUSED_FOLDER = "未能导入"
#: Suffixes of files still being written by copiers, browsers, editors and sync tools.
PARTIAL_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".filepart",
                    ".!ut", ".swp", ".lock", ".inprogress")


def is_partial_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith((".", "~")) or lowered.endswith(PARTIAL_SUFFIXES)


@dataclass(frozen=True)
class WatchedFile:
    """One file handled by a poll: imported, or refused with the reason."""

    name: str
    #: Where the file is now (moved into the done or refused folder, or left where it was).
    path: Path
    imported: ImportedFile | None = None
    refused: FileRefused | None = None


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float


class FolderWatcher:
    def __init__(self, folder: Path | str, *, limits: ImportLimits | None = None, settle_seconds: float = 2.0,
                 empty_grace_seconds: float = 60.0, move_handled: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(folder)
        self.limits = limits or ImportLimits()
        self.settle_seconds = settle_seconds
        self.empty_grace_seconds = empty_grace_seconds
        self.move_handled = move_handled
        self._clock = clock
        self._pending: dict[str, _Seen] = {}
        self._handled: set[tuple[str, int, int]] = set()

    def poll(self) -> list[WatchedFile]:
        """Import every file that has become complete since the last poll, each exactly once."""
        now = self._clock()
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            # The share is unreachable for a moment (Wi-Fi, a sleeping NAS): try again next poll.
            return []
        present: set[str] = set()
        handled: list[WatchedFile] = []
        for entry in sorted(entries, key=lambda e: e.name):
            if is_partial_name(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            present.add(entry.name)
            signature = (stat.st_size, stat.st_mtime_ns)
            key = (entry.name, *signature)
            if key in self._handled:
                continue
            seen = self._pending.get(entry.name)
            if seen is None or seen.signature != signature:
                self._pending[entry.name] = _Seen(signature, now)
                continue
            waited = now - seen.since
            if waited < self.settle_seconds or (stat.st_size == 0 and waited < self.empty_grace_seconds):
                continue
            if not _readable(Path(entry.path)):
                continue  # still held open by the writer (Windows shares lock it): next poll
            del self._pending[entry.name]
            self._handled.add(key)
            handled.append(self._handle(Path(entry.path)))
        for name in set(self._pending) - present:
            del self._pending[name]
        return handled

    def _handle(self, path: Path) -> WatchedFile:
        try:
            imported = import_file(path, self.limits)
        except FileRefused as refusal:
            return WatchedFile(path.name, self._move(path, REFUSED_FOLDER), refused=refusal)
        return WatchedFile(path.name, self._move(path, DONE_FOLDER), imported=imported)

    def _move(self, path: Path, folder_name: str) -> Path:
        if not self.move_handled:
            return path
        target_dir = path.parent / folder_name
        try:
            target_dir.mkdir(exist_ok=True)
            target = _free_name(target_dir / path.name)
            path.rename(target)
        except OSError:
            # Read-only share: the file stays, and ``_handled`` keeps it from a second import.
            return path
        return target


def _readable(path: Path) -> bool:
    try:
        with path.open("rb"):
            return True
    except OSError:
        return False


def _free_name(target: Path) -> Path:
    """``target``, or "name (2).ext", "name (3).ext" … when a file of that name is already there."""
    if not target.exists():
        return target
    for number in range(2, 10_000):
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)
