"""The desk's one settings file (``settings.DeskFile``): its version and upgrade hooks, and the
upgrade of a desk that still has the files of the release before it (``settings.json`` and
QSettings' ``window.ini``), written here as that release wrote them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from mediation_desk import settings
from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.backends import ColourMode, PaperSource
from mediation_desk.ui.scanning.dialog import ScanPreferences
from mediation_desk.ui.shell.login import remembered_username

#: Qt's geometry bytes are binary: every byte value, and digits right after escaped bytes (QSettings
#: writes \x00 then the digit as \x31 so a reader does not run them together).
GEOMETRY = bytes(range(256)) + b"\x001\xff9a\x7fF,;=\"\\ end "
SPLITTER = b"\x00\x00\x00\xff\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x01\xf4"
DEVICE_OPTIONS: dict[str, str | int | float | bool] = {"test_picture": "Color pattern", "brightness": 10,
                                                       "mode, really": "a;b=c\"d"}
WATCH_FOLDER = r"\\nas\扫描 收件\ "
SCANBACK_FOLDER = "/home/办公室/签回 纸件"


def write_previous_release_files(folder: Path) -> None:
    """What a desk of the release before the one file kept: ``DeskSettings.save`` (JSON, with the
    unknown keys it kept beside its own) and QSettings' window file, where the main window, the
    scan dialog and the scan-back panel each wrote their keys."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"database_url": "postgresql+psycopg://clerk@db.center.local:5433/mediation?sslmode=require",
            "language": "en", "last_username": "mediator", "future_option": {"kept": [1, "二"]}}
    (folder / "settings.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    window = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    window.setValue("main/geometry", QByteArray(GEOMETRY))
    window.setValue("main/splitter_cases", QByteArray(SPLITTER))
    for key, value in (("device", "airscan:e0:Canon 扫描仪"), ("dpi", "300"), ("mode", "colour"),
                       ("source", "feeder"), ("kind", "evidence"), ("watch_folder", WATCH_FOLDER)):
        window.setValue(f"scanning/{key}", value)
    window.setValue("scanning/device_options", json.dumps(DEVICE_OPTIONS))
    window.setValue("scanning/scanback_folder", SCANBACK_FOLDER)
    window.sync()
    assert window.status() is QSettings.Status.NoError


def test_a_desk_of_the_previous_release_keeps_every_value() -> None:
    folder = settings.config_dir()
    write_previous_release_files(folder)
    assert not settings.DeskFile.path().exists()

    desk_settings = settings.DeskSettings.load()  # the first load upgrades, and writes the new file
    assert desk_settings == settings.DeskSettings(
        "postgresql+psycopg://clerk@db.center.local:5433/mediation?sslmode=require", "en", "mediator")
    assert remembered_username() == "mediator"
    preferences = ScanPreferences.load()
    assert preferences == ScanPreferences(
        device="airscan:e0:Canon 扫描仪", dpi=300, mode=ColourMode.COLOUR, source=PaperSource.FEEDER,
        kind=AttachmentKind.EVIDENCE, watch_folder=WATCH_FOLDER, device_options=DEVICE_OPTIONS)
    desk = settings.DeskFile.load()
    assert desk.version == settings.DESK_VERSION == 1
    assert desk.get_bytes(settings.WINDOW_GEOMETRY) == GEOMETRY
    assert desk.get_bytes(settings.splitter_option("cases")) == SPLITTER
    assert desk.get(settings.SCANBACK_FOLDER) == SCANBACK_FOLDER
    assert json.loads(desk.parser.get("desk", "future_option")) == {"kept": [1, "二"]}

    # The scanner's preferences left the window's section; the window keeps only its geometry.
    assert sorted(desk.parser.options("window")) == ["geometry", "splitter_cases"]
    assert "device" in desk.parser.options("scanning")
    text = settings.DeskFile.path().read_text(encoding="utf-8")
    assert text.startswith("[General]\nversion = 1\n")

    # The new file is the desk's from now on; the old ones stay for a downgrade, unread.
    settings.update_desk({settings.LANGUAGE: "zh_CN"})
    assert (folder / "settings.json").exists() and (folder / "window.ini").exists()
    assert settings.DeskSettings.load().language == "zh_CN"


def test_the_new_file_reads_back_in_qsettings() -> None:
    """The file stays in the INI dialect QSettings reads, should a Qt tool ever open it."""
    write_previous_release_files(settings.config_dir())
    settings.DeskSettings.load()
    qt = QSettings(str(settings.DeskFile.path()), QSettings.Format.IniFormat)
    assert qt.value("version") == "1"
    assert qt.value("desk/last_username") == "mediator"
    assert qt.value("scanning/scanback_folder") == SCANBACK_FOLDER
    assert qt.value("scanning/watch_folder") == WATCH_FOLDER  # quoted for its trailing space


@pytest.mark.parametrize("value", [" leading", "trailing ", '"quoted"', "two\nlines\r", "back\\slash \\", "", "%(x)s"])
def test_any_text_comes_back_as_it_was_set(value: str) -> None:
    settings.update_desk({settings.SCAN_WATCH_FOLDER: value})
    assert settings.DeskFile.load().get(settings.SCAN_WATCH_FOLDER) == value


def test_a_desk_with_only_the_old_settings_file() -> None:
    folder = settings.config_dir()
    (folder / "settings.json").write_text(json.dumps({"database_url": "", "language": "zh_CN",
                                                      "last_username": "clerk"}, indent=2), encoding="utf-8")
    assert remembered_username() == "clerk"
    assert ScanPreferences.load() == ScanPreferences()
    assert settings.DeskFile.load().version == 1


def test_a_new_desk_writes_nothing_until_something_is_saved() -> None:
    assert settings.DeskSettings.load() == settings.DeskSettings()
    assert ScanPreferences.load() == ScanPreferences()
    assert not settings.DeskFile.path().exists()
    settings.update_desk({settings.LAST_USERNAME: "head"})
    assert settings.DeskFile.load().version == settings.DESK_VERSION


def test_a_damaged_file_reads_as_the_defaults() -> None:
    settings.DeskFile.path().write_bytes(b"[desk\nlanguage = en\n\xff\xfe")
    assert settings.DeskSettings.load() == settings.DeskSettings()


def test_upgrade_hooks_run_in_order_from_the_file_version(monkeypatch: pytest.MonkeyPatch) -> None:
    settings.update_desk({settings.SCAN_DPI: "300"})
    ran: list[int] = []

    def to_2(parser: object, folder: Path) -> None:
        ran.append(2)
        desk = settings.DeskFile(parser)  # type: ignore[arg-type]
        desk.set(settings.DeskOption("scanning", "resolution"), desk.get(settings.SCAN_DPI))
        desk.remove(settings.SCAN_DPI)

    def to_3(parser: object, folder: Path) -> None:
        ran.append(3)

    monkeypatch.setattr(settings, "DESK_VERSION", 3)
    monkeypatch.setitem(settings.DESK_UPGRADES, 2, to_2)
    monkeypatch.setitem(settings.DESK_UPGRADES, 3, to_3)
    desk = settings.DeskFile.load()
    assert ran == [2, 3] and desk.version == 3
    assert desk.get(settings.DeskOption("scanning", "resolution")) == "300" and desk.get(settings.SCAN_DPI) == ""
    assert "version = 3" in settings.DeskFile.path().read_text(encoding="utf-8")  # saved upgraded
    settings.DeskFile.load()
    assert ran == [2, 3]  # once


def test_a_file_of_a_newer_release_is_read_and_not_downgraded() -> None:
    settings.DeskFile.path().write_text("[General]\nversion = 9\n\n[desk]\nlanguage = en\n\n[later]\nx = 1\n",
                                        encoding="utf-8")
    assert settings.DeskSettings.load().language == "en"
    settings.update_desk({settings.LAST_USERNAME: "admin"})
    text = settings.DeskFile.path().read_text(encoding="utf-8")
    assert "version = 9" in text and "[later]\nx = 1" in text


def test_the_command_line_reads_the_file_without_qt(app_home: Path) -> None:
    write_previous_release_files(settings.config_dir())
    code = ("import sys; from mediation_desk import settings; s = settings.DeskSettings.load(); "
            "print(s.language, s.last_username, settings.DeskFile.load().version); "
            "assert not any(m.startswith('PySide6') for m in sys.modules)")
    env = {settings.HOME_ENV: str(app_home), "PYTHONPATH": str(Path(settings.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["en", "mediator", "1"]
