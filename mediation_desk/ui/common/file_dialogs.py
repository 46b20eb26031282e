"""Every save, export and choose-file dialog of the app, started in a sensible folder.

A dialog opens in the folder last used for its kind of file at this desk (``settings.
last_folder_option``), else in the folder the caller names (a backup folder, the watched scan
folder), else in the user's Documents folder or home — never in the process's working folder,
which for an installed app is its program folder. The folder chosen is remembered per kind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from mediation_desk import settings

#: The kinds of file, each with its own remembered folder.
PDF = "pdf"  # documents saved or exported as PDF (and the monthly report)
PACKET = "packet"  # transfer packets
SCANS = "scans"  # scans, photos and PDF files imported into a case
ID_CARD = "id_card"  # images of ID cards
CERTIFICATE = "certificate"  # the center's CA certificate
BACKUP = "backup"  # database backups to restore from
WATCH_FOLDER = "watch_folder"  # the folder a copier scans into

KINDS = (PDF, PACKET, SCANS, ID_CARD, CERTIFICATE, BACKUP, WATCH_FOLDER)


def default_folder() -> Path:
    """The user's Documents folder if it exists, else their home folder."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def start_folder(kind: str, fallback: str | Path | None = None) -> Path:
    """Where a dialog of ``kind`` opens: the folder last used for it, else ``fallback``, else
    :func:`default_folder` (each only if it still exists)."""
    remembered = settings.DeskFile.load().get(settings.last_folder_option(kind))
    for folder in (remembered, fallback):
        if folder and Path(folder).is_absolute() and Path(folder).is_dir():
            return Path(folder)
    return default_folder()


def start_path(kind: str, filename: str = "", fallback: str | Path | None = None) -> str:
    """The start folder of ``kind`` with ``filename`` (a suggested name) in it."""
    folder = start_folder(kind, fallback)
    return str(folder / filename) if filename else str(folder)


def remember(kind: str, chosen: str | Path) -> None:
    """Keep the folder of ``chosen`` (a file, or a folder itself) for the next dialog of ``kind``."""
    if not chosen:
        return
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    if not folder.is_absolute():
        return
    option = settings.last_folder_option(kind)
    with contextlib.suppress(OSError):  # a read-only settings folder only costs browsing again
        if settings.DeskFile.load().get(option) != str(folder):
            settings.update_desk({option: str(folder)})


def save_file_name(parent: QWidget | None, title: str, kind: str, filename: str, filters: str) -> str:
    """Ask where to save (a modal dialog); the path chosen, or "" if cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, start_path(kind, filename), filters)
    remember(kind, path)
    return path


def open_file_name(parent: QWidget | None, title: str, kind: str, filters: str) -> str:
    """Ask for one existing file (a modal dialog); the path chosen, or "" if cancelled."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, start_path(kind), filters)
    remember(kind, path)
    return path


def open_file_names(parent: QWidget | None, title: str, kind: str, filters: str) -> list[str]:
    """Ask for existing files (a modal dialog); the paths chosen, or none if cancelled."""
    paths, _filter = QFileDialog.getOpenFileNames(parent, title, start_path(kind), filters)
    if paths:
        remember(kind, paths[0])
    return list(paths)


def folder_name(parent: QWidget | None, title: str, kind: str) -> str:
    """Ask for an existing folder (a modal dialog); the folder chosen, or "" if cancelled."""
    folder = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)))
    if folder:
        remember(kind, folder)
    return folder


def file_dialog(parent: QWidget | None, title: str, kind: str, filters: str = "", *, filename: str = "",
                fallback: str | Path | None = None) -> QFileDialog:
    """A dialog to ``open()`` (non-blocking) in the start folder of ``kind``; the caller sets its
    mode and connects what to do with the choice. The folder chosen is remembered."""
    dialog = QFileDialog(parent, title, str(start_folder(kind, fallback)), filters)
    if filename:
        dialog.selectFile(filename)

    def chosen(paths: Sequence[str]) -> None:
        if paths:
            remember(kind, paths[0])

    dialog.filesSelected.connect(chosen)
    return dialog
