"""Writing files whole or not at all.

Every file the program writes for a person (PDFs, XLSX reports, transfer packets, backups,
archives, drafts) goes through :func:`write_atomically`: the content is written to a uniquely
named temporary file in the target's own folder, flushed to disk, and renamed over the target.
A full disk, a crash or a cancelled export leaves the old file (or no file), never half a file;
the temporary file is removed on any failure. Files holding personal data are created readable
by their owner only (0600).

No Qt and no database here: the services, the documents, the exchange and the UI all use it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

#: Mode of files with personal data: the owner reads and writes, nobody else.
PRIVATE_MODE = 0o600


class TargetRefused(OSError):
    """The target cannot be written as a file (a folder, a device, a missing folder); the message
    is Chinese and names the argument or field (``what``)."""

    def __init__(self, what: str, message: str) -> None:
        super().__init__(message)
        self.what = what
        self.message = message


def check_target(path: str | Path, what: str = "--out") -> Path:
    """``path`` as a file this program may (over)write, or :class:`TargetRefused`.

    Refused: a folder, anything that exists and is not a regular file (``/dev/null``, a FIFO, a
    socket), and a target whose folder does not exist. A symbolic link to a regular file is
    allowed (the link itself is replaced).
    """
    raw = os.fspath(path)
    target = Path(path)
    shown = str(target)
    if not raw or raw.endswith(("/", os.sep)) or target.name in ("", ".", ".."):
        raise TargetRefused(what, f"{what}“{shown}”不是文件名，请写出要保存的文件名。")
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise TargetRefused(what, f"{what}“{shown}”无法访问：{error.strerror or error}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            try:
                info = target.stat()
            except OSError:
                info = None  # a dangling link: replaced by the new file
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise TargetRefused(what, f"{what}“{shown}”是一个文件夹，请写出要保存的文件名。")
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise TargetRefused(what, f"{what}“{shown}”不是普通文件（是设备或管道等），不能写入。")
    folder = target.parent
    if not folder.is_dir():
        raise TargetRefused(what, f"{what}的目录“{folder}”不存在。")
    return target


@contextlib.contextmanager
def atomic_output(path: str | Path, *, private: bool = True, what: str = "--out") -> Iterator[BinaryIO]:
    """A binary file to write the content of ``path`` into; renamed into place when the block
    ends without an error, removed otherwise. Use it to stream (a ZIP, a large export)."""
    target = check_target(path, what)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if not private and hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a shared file gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # Power cuts are common at county counters: the data must be on disk before the rename.
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if error.filename is None and error.errno is not None:
            # A write() that failed names no file: name the target (never the temporary file).
            raise OSError(error.errno, error.strerror or os.strerror(error.errno), str(target)) from error
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def write_atomically(path: str | Path, data: bytes | str | Callable[[BinaryIO], object], *,
                     private: bool = True, what: str = "--out") -> Path:
    """Write ``data`` (bytes, text as UTF-8, or a function writing into a binary file) to
    ``path`` whole or not at all; returns the path. See :func:`check_target` for what is refused."""
    with atomic_output(path, private=private, what=what) as handle:
        if isinstance(data, bytes):
            handle.write(data)
        elif isinstance(data, str):
            handle.write(data.encode("utf-8"))
        else:
            data(handle)
    return Path(path)


class FolderRefused(TargetRefused):
    """The folder cannot be written as a whole (:func:`write_folder_atomically`)."""


def write_folder_atomically(path: str | Path, files: dict[str, bytes], *, replace_files: bool = False,
                            what: str = "--html") -> Path:
    """Write ``files`` (name → content) as the folder ``path``, whole or not at all: they are
    written into a new temporary folder beside it, flushed, and the folder is renamed into place.

    The folder's parent must exist. An existing folder is taken when it is empty; one that holds
    files is refused unless ``replace_files`` (``--force``), and even then only when everything in
    it is one of ``files``' own names (a page written earlier): a folder with anything else in it
    is never emptied by mistake. Files are readable by everyone (they are for publishing)."""
    raw = os.fspath(path)
    target = Path(path)
    shown = str(target)
    if not raw or target.name in ("", ".", ".."):
        raise FolderRefused(what, f"{what}“{shown}”不是文件夹名，请写出要写入的文件夹。")
    if not target.parent.is_dir():
        raise FolderRefused(what, f"{what}的上级目录“{target.parent}”不存在。")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise FolderRefused(what, f"{what}“{shown}”已存在且不是文件夹，不能写入。")
    if target.is_dir():
        present = sorted(entry.name for entry in target.iterdir())
        if present and not replace_files:
            raise FolderRefused(what, f"{what}文件夹“{shown}”不是空的（有 {len(present)} 项，如 "
                                f"“{present[0]}”）。请换一个空文件夹，或加 --force 用新生成的网页替换其中的旧网页。")
        foreign = [name for name in present if name not in files or not (target / name).is_file()
                   or (target / name).is_symlink()]
        if foreign:
            raise FolderRefused(what, f"{what}文件夹“{shown}”里有不是本网页的内容（如“{foreign[0]}”），"
                                "为免误删，不予替换。请换一个空文件夹。")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent))
    old: Path | None = None
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for name in sorted(files):
            if Path(name).name != name or name in ("", ".", ".."):
                raise ValueError(f"not a plain file name: {name!r}")
            fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(files[name])
                handle.flush()
                os.fsync(handle.fileno())
        _sync_folder(staging)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.", suffix=".old", dir=target.parent))
            old.rmdir()
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except OSError:
            if old is not None:
                os.rename(old, target)
                old = None
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    _sync_folder(target.parent)
    return target


def _umask() -> int:
    current = os.umask(0o077)
    os.umask(current)
    return current


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a folder that cannot be opened is skipped."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_opener(name: str, flags: int) -> int:
    """An ``opener`` for :func:`open` creating the file readable by its owner only (logs)."""
    return os.open(name, flags, PRIVATE_MODE)


def private_empty_file(path: Path) -> Path:
    """Create ``path`` empty and readable by its owner only, before a library (SQLite's backup
    API) fills it: a backup holds every party's ID number and must never be 0644, even for a moment."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    return path
