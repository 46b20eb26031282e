"""The watched scan-to-folder, driven by explicit polls and a fake clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mediation_desk.scanning.errors import FileProblem
from mediation_desk.scanning.folder import DONE_FOLDER, REFUSED_FOLDER, FolderWatcher, is_partial_name
from mediation_desk.scanning.sniff import FileType

from .samples import jpeg_bytes, pdf_bytes, zip_bytes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "扫描件"
    folder.mkdir()
    return folder


def watcher_for(inbox: Path, clock: Clock, *, move_handled: bool = True) -> FolderWatcher:
    return FolderWatcher(inbox, clock=clock, settle_seconds=2.0, empty_grace_seconds=30.0, move_handled=move_handled)


def settle(watcher: FolderWatcher, clock: Clock) -> list[str]:
    """Poll until nothing changes, the way the dialog's timer would."""
    names = []
    for _ in range(3):
        clock.advance(2.5)
        names += [f.name for f in watcher.poll()]
    return names


def test_a_file_is_imported_only_once_it_is_complete(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock)
    data = pdf_bytes(2)
    path = inbox / "SCAN0001.pdf"
    path.write_bytes(data[:200])  # the copier has started writing
    assert watcher.poll() == []
    clock.advance(3)
    with path.open("ab") as stream:  # … and is still writing
        stream.write(data[200:400])
    assert watcher.poll() == []
    clock.advance(3)
    with path.open("ab") as stream:
        stream.write(data[400:])
    assert watcher.poll() == []  # changed since the last look
    clock.advance(1)
    assert watcher.poll() == []  # unchanged, but not for long enough
    clock.advance(1.5)
    [handled] = watcher.poll()
    assert handled.name == "SCAN0001.pdf" and handled.refused is None
    assert handled.imported is not None and handled.imported.pdf == data
    assert handled.imported.type is FileType.PDF and handled.imported.page_count == 2
    # Moved out of the way, so neither this session nor the next imports it again.
    assert handled.path == inbox / DONE_FOLDER / "SCAN0001.pdf"
    assert handled.path.read_bytes() == data
    assert not path.exists()
    assert settle(watcher, clock) == []


def test_files_being_written_under_temporary_names_are_left_alone(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock)
    for name in ("SCAN0002.pdf.part", "~$SCAN0003.pdf", ".SCAN0004.pdf", "upload.tmp", "x.crdownload"):
        (inbox / name).write_bytes(pdf_bytes(1))
    (inbox / "子文件夹").mkdir()
    assert settle(watcher, clock) == []
    assert len(os.listdir(inbox)) == 6
    # The copier renames the finished file: now it is taken.
    (inbox / "SCAN0002.pdf.part").rename(inbox / "SCAN0002.pdf")
    assert settle(watcher, clock) == ["SCAN0002.pdf"]


def test_refused_files_are_reported_once_and_set_aside(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock)
    (inbox / "通知.pdf").write_bytes(zip_bytes())
    (inbox / "身份证.jpg").write_bytes(jpeg_bytes())
    clock.advance(0)
    assert watcher.poll() == []
    clock.advance(3)
    handled = {f.name: f for f in watcher.poll()}
    assert set(handled) == {"通知.pdf", "身份证.jpg"}
    refusal = handled["通知.pdf"].refused
    assert refusal is not None and refusal.problem is FileProblem.MISLABELLED
    assert "通知.pdf" in str(refusal) and "ZIP 压缩包" in str(refusal)
    assert handled["通知.pdf"].path == inbox / REFUSED_FOLDER / "通知.pdf"
    imported = handled["身份证.jpg"].imported
    assert imported is not None and imported.page_count == 1
    assert settle(watcher, clock) == []


def test_an_empty_file_gets_a_grace_period_then_is_refused(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock)
    (inbox / "SCAN0005.jpg").touch()
    assert settle(watcher, clock) == []  # 7.5 s: the copier may not have started writing
    clock.advance(30)
    [handled] = watcher.poll()
    assert handled.refused is not None and handled.refused.problem is FileProblem.EMPTY


def test_read_only_folder_still_imports_each_file_once(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock, move_handled=False)
    path = inbox / "SCAN0006.jpg"
    path.write_bytes(jpeg_bytes())
    assert settle(watcher, clock) == ["SCAN0006.jpg"]
    assert path.exists()
    assert settle(watcher, clock) == []
    # A new scan under the same name (the copier's counter wrapped) is a new file.
    path.write_bytes(jpeg_bytes(dpi=300))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert settle(watcher, clock) == ["SCAN0006.jpg"]


def test_name_clashes_in_the_done_folder_get_a_number(inbox: Path, clock: Clock) -> None:
    watcher = watcher_for(inbox, clock)
    (inbox / DONE_FOLDER).mkdir()
    (inbox / DONE_FOLDER / "SCAN0001.pdf").write_bytes(b"earlier")
    (inbox / "SCAN0001.pdf").write_bytes(pdf_bytes(1))
    clock.advance(0)
    watcher.poll()
    clock.advance(3)
    [handled] = watcher.poll()
    assert handled.path == inbox / DONE_FOLDER / "SCAN0001 (2).pdf"


def test_a_missing_folder_is_not_an_error(tmp_path: Path, clock: Clock) -> None:
    watcher = watcher_for(tmp_path / "共享盘不在线", clock)
    assert watcher.poll() == []


def test_partial_names() -> None:
    assert is_partial_name("a.PDF.Part") and is_partial_name("~$a.docx") and is_partial_name(".DS_Store")
    assert not is_partial_name("SCAN0001.pdf")
