"""Every file dialog starts in the folder last used for its kind of file at this desk, else in the
user's Documents folder — never in the program's working folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.ui.common import file_dialogs
from mediation_desk.ui.common.pdf_preview import DocumentPreview
from mediation_desk.ui.shell.server_settings import ServerSettingsDialog

from ..conftest import login_as
from .conftest import Runner

pytestmark = pytest.mark.gui

UI = Path(file_dialogs.__file__).resolve().parents[1]


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with Documents, and a working folder elsewhere (the program's folder)."""
    home = tmp_path / "user"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    program = tmp_path / "program"
    program.mkdir()
    monkeypatch.chdir(program)
    return home


class FileDialogAnswer:
    """Answers the next modal file dialog as a person: notes the folder it shows, then types
    ``typed`` in its file name field and presses Enter (or Esc when ``typed`` is empty)."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        self.folder: Path | None = None
        self.name = ""
        self.tries = 0
        QTimer.singleShot(0, self.answer)

    def answer(self) -> None:
        shown = [widget for widget in QApplication.topLevelWidgets()
                 if isinstance(widget, QFileDialog) and widget.isVisible()]
        if not shown:
            self.tries += 1
            if self.tries < 500:
                QTimer.singleShot(10, self.answer)  # not shown yet
            return
        dialog = shown[0]
        self.folder = Path(dialog.directory().absolutePath())
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert edit is not None and buttons is not None
        self.name = edit.text()
        if not self.typed:
            cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
            QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
            return
        # The path pasted into the file name field (typing a path makes the dialog browse on
        # each "/"), then 打开/保存 clicked.
        edit.setText(self.typed)
        ok = (buttons.button(QDialogButtonBox.StandardButton.Open)
              or buttons.button(QDialogButtonBox.StandardButton.Save))
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)


def answered(typed: str, act: Callable[[], object]) -> FileDialogAnswer:
    answer = FileDialogAnswer(typed)
    act()
    assert answer.folder is not None, "no file dialog was shown"
    return answer


def test_the_certificate_dialog_starts_in_documents_then_where_the_certificate_was(
        user_home: Path, tmp_path: Path, qtbot: QtBot) -> None:
    certificate = tmp_path / "certs" / "center-ca.crt"
    certificate.parent.mkdir()
    certificate.write_text("-----BEGIN CERTIFICATE-----\n")
    runner = Runner(None)
    dialog = ServerSettingsDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ca_browse.isEnabled()

    first = answered(str(certificate), lambda: QTest.mouseClick(dialog.ca_browse, Qt.MouseButton.LeftButton))
    assert first.folder == user_home / "Documents" != Path.cwd()
    assert dialog.ca_file.text() == str(certificate)

    # Next time (a later start of the desk too): the certificate's folder.
    again = ServerSettingsDialog(runner)
    qtbot.addWidget(again)
    again.show()
    second = answered("", lambda: QTest.mouseClick(again.ca_browse, Qt.MouseButton.LeftButton))
    assert second.folder == certificate.parent
    runner.shutdown()


def test_saving_a_document_starts_in_documents_then_in_the_folder_last_saved_to(
        user_home: Path, tmp_path: Path, demo_sqlite_db: Database, runner: Runner, qtbot: QtBot) -> None:
    with demo_sqlite_db.read() as session:
        case_id = session.scalar(select(DisputeCase.id).order_by(DisputeCase.id).limit(1))
    assert case_id is not None
    preview = DocumentPreview(runner, login_as(demo_sqlite_db, "clerk"), title="受理登记表")
    qtbot.addWidget(preview)
    preview.show()
    with qtbot.waitSignal(preview.loaded, timeout=10_000):
        preview.load_document(case_id, "registration")
    def save() -> None:
        preview.activateWindow()
        qtbot.waitUntil(preview.isActiveWindow)
        QTest.keyClick(preview, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    target = tmp_path / "exports" / "a.pdf"
    target.parent.mkdir()
    first = answered(str(target), save)
    assert first.folder == user_home / "Documents" != Path.cwd()
    assert first.name == "受理登记表.pdf"  # the suggested name is kept
    assert target.read_bytes() == preview.data

    second = answered("", save)
    assert second.folder == target.parent


def test_every_file_dialog_of_the_ui_goes_through_the_helper() -> None:
    """A dialog made or called directly would start wherever its caller said (often the cwd)."""
    direct = re.compile(r"QFileDialog\s*\(|QFileDialog\.get\w+\(")
    found = [f"{path.relative_to(UI)}:{number}" for path in sorted(UI.rglob("*.py"))
             if path.name != "file_dialogs.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if direct.search(line)]
    assert found == []
