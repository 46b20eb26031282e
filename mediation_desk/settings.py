"""Every setting the app keeps, declared once: where its files are, the center's settings and this
desk's.

* **Center settings** are shared by every desk of a center and kept in the database, one
  :class:`~mediation_desk.models.CenterSetting` row each. They are declared here as typed
  :class:`Setting` objects (the key, the type, the default, the Chinese label messages name them
  by); ``services.center.get``/``put`` read and write them. No other module spells a key.
* **Desk settings** belong to one computer: which database it opens, the interface language, the
  last user name, the scanner's preferences, the main window's geometry. They live in one INI file
  in the desk's config folder (:class:`DeskFile`), with a ``version`` and upgrade hooks that bring
  an older desk's files forward (``DESK_UPGRADES``). Passwords never do: see ``credentials``.

Nothing here imports Qt or SQLAlchemy, so the command line reads the same file the window writes.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import contextlib
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

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


def config_dir(*, create: bool = True) -> Path:
    """This desk's settings folder (made unless ``create`` is False: reading settings that were
    never written leaves no folder behind)."""
    home = os.environ.get(HOME_ENV)
    path = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "mediation-desk.sqlite3"


# =========================================================================== center settings

T = TypeVar("T")

#: What the center settings may be: text, a whole number, or yes/no (stored as "1"/"0").
SETTING_TYPES: dict[type, str] = {str: "文字", int: "整数", bool: "是（1）或否（0）"}


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One center setting: its row's ``key``, the Python type of its value, the value when the row
    is missing or blank, and the Chinese name messages call it by."""

    key: str
    type: type[T]
    default: T
    label: str

    def parse(self, text: str) -> T:
        """The value stored as ``text``; blank text is the default. ``ValueError`` when the text is
        not of the setting's type."""
        text = text.strip()
        if not text:
            return self.default
        if self.type is bool:
            if text not in ("0", "1"):
                raise ValueError(text)
            return cast(T, text == "1")
        if self.type is int:
            return cast(T, int(text))
        return cast(T, text)

    def format(self, value: T) -> str:
        """The text a value is stored as. ``TypeError`` for a value of another type (a bool is not
        taken for a whole number, nor a number for text)."""
        if type(value) is not self.type:
            raise TypeError(f"{self.key}: {value!r} is not {self.type.__name__}")
        if isinstance(value, bool):
            return "1" if value else "0"
        return str(value)


#: Every center setting by key. Declared below, nowhere else.
CENTER_SETTINGS: dict[str, Setting[Any]] = {}


def _center(key: str, kind: type[T], default: T, label: str) -> Setting[T]:
    if key in CENTER_SETTINGS:
        raise RuntimeError(f"center setting {key!r} declared twice")
    if kind not in SETTING_TYPES:
        raise RuntimeError(f"center setting {key!r}: unsupported type {kind!r}")
    setting = Setting(key, kind, default, label)
    CENTER_SETTINGS[key] = setting
    return setting


CENTER_NAME = _center("center_name", str, "县矛盾纠纷调处中心", "中心名称")
#: Printed between the year and 字第: （2026）甘矛调字第0001号
CASE_NUMBER_PREFIX = _center("case_number_prefix", str, "矛调", "案号前缀")
#: The demo center (the login screen lists its accounts).
IS_DEMO = _center("is_demo", bool, False, "演示中心标记")
#: Printed on the intake receipt; blank prints nothing.
CENTER_ADDRESS = _center("center_address", str, "", "中心地址")
CENTER_PHONE = _center("center_phone", str, "", "中心电话")
#: The receipt's "what happens next".
RECEIPT_NEXT_STEP = _center(
    "receipt_next_step", str,
    "本中心将在 3 个工作日内审查您的申请，决定是否受理，并通过您留下的联系电话告知结果。", "回执上的下一步说明")
#: The documents' issuing committee; blank: "<center name>人民调解委员会".
COMMITTEE_NAME = _center("committee_name", str, "", "人民调解委员会名称")
#: The court judicial confirmation applies to; blank prints a blank.
BASIC_COURT = _center("basic_court", str, "", "司法确认的基层人民法院")
#: 保管期限 of a dossier (人民调解卷宗 are commonly kept 长期).
DOSSIER_RETENTION = _center("dossier_retention", str, "长期", "卷宗保管期限")
#: How the publicity list writes a party's name: 某 (张某) or 某某.
PUBLICITY_NAME_STYLE = _center("publicity_name_style", str, "某", "公示名单的姓名写法")
#: The mailbox the monthly public web page gives for feedback (with the center's address and
#: phone); blank: none.
PUBLICITY_FEEDBACK_EMAIL = _center("publicity_feedback_email", str, "", "公示意见反馈邮箱")
#: Group dispute signal: this many distinct applicants against one respondent …
GROUP_DISPUTE_THRESHOLD = _center("group_dispute_threshold", int, 5, "群体性纠纷提示的申请人数")
#: … within this many days.
GROUP_DISPUTE_WINDOW_DAYS = _center("group_dispute_window_days", int, 30, "群体性纠纷提示的天数")
#: Minutes without input before a desk locks; 0: never.
#: The level whose amounts of the subsidy rules (以案定补) this center pays: county / township / village.
#: Until centers carry their own level, the center's level is this setting.
SUBSIDY_LEVEL = _center("subsidy_level", str, "county", "以案定补适用层级")
IDLE_LOCK_MINUTES = _center("idle_lock_minutes", int, 10, "锁屏时间（分钟）")
#: The holiday table or a time limit changed where the open cases' clocks could not be recomputed
#: (the administrator on a center server reads no case row): the next sign-in of a head
#: recomputes them (services.clocks.catch_up).
CLOCKS_STALE = _center("clocks_stale", bool, False, "办理期限待重算")
#: The weights (in per cent, adding up to 100) of the 12345 hotline's 三率 in their combined score:
#: 响应率, 解决率, 满意率 (services/hotline.py, docs/hotline.md).
HOTLINE_WEIGHT_RESPONSE = _center("hotline_weight_response", int, 30, "热线三率权重：响应率")
HOTLINE_WEIGHT_RESOLUTION = _center("hotline_weight_resolution", int, 35, "热线三率权重：解决率")
HOTLINE_WEIGHT_SATISFACTION = _center("hotline_weight_satisfaction", int, 35, "热线三率权重：满意率")


# =========================================================================== desk settings

#: The desk's settings file, in :func:`config_dir`.
DESK_FILE = "desk.ini"
#: The version :class:`DeskFile` writes; older files are brought forward by ``DESK_UPGRADES``.
DESK_VERSION = 1
#: Where the version is kept: QSettings reads ``[General]`` keys as top-level keys.
VERSION_SECTION = "General"
#: The files of the desks before version 1 (a JSON file, and QSettings' window file).
OLD_SETTINGS_JSON = "settings.json"
OLD_WINDOW_INI = "window.ini"


@dataclass(frozen=True)
class DeskOption:
    """One value of the desk's INI file: ``[section] name = text``; ``default`` when absent."""

    section: str
    name: str
    default: str = ""


DATABASE_URL = DeskOption("desk", "database_url")
LANGUAGE = DeskOption("desk", "language", "zh_CN")
LAST_USERNAME = DeskOption("desk", "last_username")
#: The scanner's preferences (``ui.scanning.dialog.ScanPreferences`` reads them into their types).
SCAN_DEVICE = DeskOption("scanning", "device")
SCAN_DPI = DeskOption("scanning", "dpi")
SCAN_MODE = DeskOption("scanning", "mode")
SCAN_SOURCE = DeskOption("scanning", "source")
SCAN_KIND = DeskOption("scanning", "kind")
SCAN_WATCH_FOLDER = DeskOption("scanning", "watch_folder")
#: Device options by SANE name, as JSON; written by an administrator, not by the dialog.
SCAN_DEVICE_OPTIONS = DeskOption("scanning", "device_options")
#: The intake channel this desk registered its last case by (a hotline desk keeps 来电): the
#: registration form starts with it.
INTAKE_SOURCE = DeskOption("intake", "source_channel")
#: The folder the scan-back panel watches for signed paper.
SCANBACK_FOLDER = DeskOption("scanning", "scanback_folder")
#: The main window's geometry and splitter states (Qt's bytes, as base64).
WINDOW_GEOMETRY = DeskOption("window", "geometry")
#: FUSE filesystem types (``/proc/mounts`` names such as ``fuse.mergerfs``) this desk trusts to
#: hold its SQLite file: a local FUSE disk. Space-separated; changed only through
#: ``services.desk_trust`` (administrator or head, audited). No network filesystem can be trusted.
TRUSTED_FILESYSTEMS = DeskOption("database", "trusted_filesystems")
#: 保存并打印受理回执 prints at once on the desk's default printer ("1"); otherwise (the default)
#: the print dialog asks, over the receipt's preview.
RECEIPT_DIRECT_PRINT = DeskOption("printing", "receipt_direct")


def last_folder_option(kind: str) -> DeskOption:
    """The folder this desk's file dialogs of ``kind`` last used (``ui.common.file_dialogs``)."""
    return DeskOption("folders", f"last_{kind}")


def splitter_option(name: str) -> DeskOption:
    """The saved state of the main window's splitter of section ``name``."""
    return DeskOption("window", f"splitter_{name}")


class DeskFile:
    """The desk's INI file (``config_dir()/desk.ini``), read whole and written whole, atomically.
    Sections and keys nobody declared are kept, so an older version never drops what a newer one
    wrote. Write with ``load()`` … ``set()`` … ``save()`` in one go: the file is re-read each time."""

    def __init__(self, parser: configparser.ConfigParser | None = None) -> None:
        self.parser = parser or _new_parser()

    @staticmethod
    def path() -> Path:
        return config_dir() / DESK_FILE

    @classmethod
    def load(cls) -> DeskFile:
        """The file as it is, brought to ``DESK_VERSION`` (and saved so) when older; the old
        desks' files are read into it the first time. A damaged file reads as the defaults: it
        must not keep the desk from starting."""
        folder = config_dir(create=False)
        path = folder / DESK_FILE
        parser = _new_parser()
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if not any((folder / name).exists() for name in (OLD_SETTINGS_JSON, OLD_WINDOW_INI)):
                return cls(parser)  # a new desk: nothing to upgrade, nothing written yet
        except (OSError, ValueError, configparser.Error):
            return cls(_new_parser())
        desk = cls(parser)
        if desk.version < DESK_VERSION:
            for version in range(desk.version + 1, DESK_VERSION + 1):
                DESK_UPGRADES[version](parser, folder)
                desk._set_version(version)
            with contextlib.suppress(OSError):  # a read-only folder: upgraded again next time
                desk.save()
        return desk

    @property
    def version(self) -> int:
        try:
            return int(self.parser.get(VERSION_SECTION, "version", fallback="0"))
        except ValueError:
            return 0

    def _set_version(self, version: int) -> None:
        if not self.parser.has_section(VERSION_SECTION):
            self.parser.add_section(VERSION_SECTION)
        self.parser.set(VERSION_SECTION, "version", str(version))

    def get(self, option: DeskOption) -> str:
        raw = self.parser.get(option.section, option.name, fallback=None)
        if raw is None:
            return option.default
        if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
            return _qt_unescape(raw)[0]  # quoted to keep its spaces or lines, as QSettings quotes
        return raw

    def set(self, option: DeskOption, value: str) -> None:
        if not self.parser.has_section(option.section):
            self.parser.add_section(option.section)
        if value != value.strip() or value.startswith('"') or "\n" in value or "\r" in value:
            # An INI line loses its outer spaces: quote the value (QSettings reads it the same way).
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace(
                "\r", "\\r") + '"'
        self.parser.set(option.section, option.name, value)

    def remove(self, option: DeskOption) -> None:
        if self.parser.has_section(option.section):
            self.parser.remove_option(option.section, option.name)

    def get_bytes(self, option: DeskOption) -> bytes | None:
        """Bytes kept as base64 (Qt's geometry); None when absent or damaged."""
        text = self.get(option)
        if not text:
            return None
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None

    def set_bytes(self, option: DeskOption, value: bytes) -> None:
        self.set(option, base64.b64encode(value).decode("ascii"))

    def text(self) -> str:
        if self.version < DESK_VERSION:
            self._set_version(DESK_VERSION)
        # The version first, as QSettings writes [General] first.
        ordered = _new_parser()
        for name in sorted(self.parser.sections(), key=lambda section: section != VERSION_SECTION):
            ordered[name] = dict(self.parser.items(name, raw=True))
        out = io.StringIO()
        ordered.write(out)
        return out.getvalue()

    def save(self) -> None:
        from mediation_desk.files import write_atomically

        target = self.path()
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, self.text(), what="设置文件")


def _new_parser() -> configparser.ConfigParser:
    # No interpolation (a URL may hold %), keys as written (configparser lowercases by default).
    parser = configparser.ConfigParser(interpolation=None, default_section="\x00none")
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    return parser


def trusted_filesystems() -> frozenset[str]:
    """The FUSE types this desk trusts (:data:`TRUSTED_FILESYSTEMS`), lower case."""
    return frozenset(name.lower() for name in DeskFile.load().get(TRUSTED_FILESYSTEMS).split() if name)


def save_trusted_filesystems(names: frozenset[str]) -> None:
    update_desk({TRUSTED_FILESYSTEMS: " ".join(sorted(names)) or None})


def receipt_direct_print() -> bool:
    """Whether this desk prints receipts straight to its default printer."""
    return DeskFile.load().get(RECEIPT_DIRECT_PRINT) == "1"


def set_receipt_direct_print(direct: bool) -> None:
    update_desk({RECEIPT_DIRECT_PRINT: "1" if direct else None})


def update_desk(values: dict[DeskOption, str | None]) -> None:
    """Set (or remove, for None) some desk options in the file as it is now, and save it."""
    desk = DeskFile.load()
    for option, value in values.items():
        if value is None:
            desk.remove(option)
        else:
            desk.set(option, value)
    desk.save()


@dataclass
class DeskSettings:
    """Which database this desk opens, its interface language and the last user name: the desk
    options the command line needs too, read from and written to :class:`DeskFile`."""

    #: SQLAlchemy URL without a password; empty means the SQLite file in the data folder.
    database_url: str = DATABASE_URL.default
    language: str = LANGUAGE.default
    last_username: str = LAST_USERNAME.default

    @classmethod
    def path(cls) -> Path:
        return DeskFile.path()

    @classmethod
    def load(cls) -> DeskSettings:
        desk = DeskFile.load()
        settings = cls(desk.get(DATABASE_URL), desk.get(LANGUAGE), desk.get(LAST_USERNAME))
        if settings.language not in SUPPORTED_LANGUAGES:
            settings.language = LANGUAGE.default
        return settings

    def save(self) -> None:
        update_desk({DATABASE_URL: self.database_url, LANGUAGE: self.language,
                     LAST_USERNAME: self.last_username})


# --------------------------------------------------------------------------- upgrades
#
# DESK_UPGRADES[n] brings a file of version n - 1 to version n, in place (Picard's
# config_upgrade.py). A hook never drops a value it does not know: it keeps it somewhere readable.


def _upgrade_to_1(parser: configparser.ConfigParser, folder: Path) -> None:
    """Before version 1 a desk kept ``settings.json`` (the database URL, the language, the last
    user name and whatever a newer version added) and QSettings' ``window.ini`` (the window's
    geometry under ``[main]``, the scanner's preferences and the scan-back folder under
    ``[scanning]``). Both are read into the one file; the old files stay for an older release."""

    desk = DeskFile(parser)

    def put(section: str, name: str, value: str) -> None:
        if not parser.has_option(section, name):  # a value the new file already has wins
            desk.set(DeskOption(section, name), value)

    try:
        raw = json.loads((folder / OLD_SETTINGS_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    old_names = {"database_url": DATABASE_URL, "language": LANGUAGE, "last_username": LAST_USERNAME}
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        option = old_names.get(str(key), DeskOption("desk", str(key)))
        put(option.section, option.name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    try:
        window = read_qsettings_ini(folder / OLD_WINDOW_INI)
    except (OSError, ValueError):
        window = {}
    for section, values in window.items():
        target = "window" if section == "main" else section
        for name, value in values.items():
            if isinstance(value, bytes):
                put(target, name, base64.b64encode(value).decode("ascii"))
            elif isinstance(value, str):
                put(target, name, value)


DESK_UPGRADES: dict[int, Callable[[configparser.ConfigParser, Path], None]] = {1: _upgrade_to_1}


# --------------------------------------------------------------------------- QSettings' INI format

_QT_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
               '"': '"', "'": "'", "?": "?", "\\": "\\", ";": ";", ",": ",", "=": "="}
_HEX = re.compile(r"[0-9a-fA-F]+")
_OCT = re.compile(r"[0-7]+")
_KEY_ESCAPE = re.compile(r"%U([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})")


def read_qsettings_ini(path: Path) -> dict[str, dict[str, str | bytes | list[str]]]:
    """The values of a file QSettings wrote in IniFormat, without Qt: by section (``General`` for
    top-level keys), text as ``str``, ``@ByteArray`` as ``bytes``, a list as ``list[str]``.
    Values of other variant types (``@Variant``, ``@Rect``…) are left out."""
    result: dict[str, dict[str, str | bytes | list[str]]] = {}
    section = "General"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = _qt_key(line[1:-1])
            continue
        key, equals, value = line.partition("=")
        if not equals:
            continue
        name = _qt_key(key.strip())  # a key of a subgroup keeps the group: "sub/key"
        parts = _qt_unescape(value.strip())
        if len(parts) != 1:
            result.setdefault(section, {})[name] = parts
            continue
        text = parts[0]
        if text.startswith("@ByteArray(") and text.endswith(")"):
            result.setdefault(section, {})[name] = text[len("@ByteArray("):-1].encode("latin-1")
        elif text.startswith("@@"):
            result.setdefault(section, {})[name] = text[1:]
        elif not text.startswith("@"):
            result.setdefault(section, {})[name] = text
    return result


def _qt_key(key: str) -> str:
    key = _KEY_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), key)
    return key.replace("\\", "/")


def _qt_unescape(value: str) -> list[str]:
    """Qt's ``iniUnescapedStringList``: quotes, backslash escapes (greedy ``\\x`` hex and octal),
    and unquoted commas between the items of a list."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == '"':
            quoted = not quoted
            i += 1
        elif ch == "," and not quoted:
            items.append("".join(current).strip())
            current = []
            i += 1
        elif ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            if nxt == "x" and (match := _HEX.match(value, i + 2)):
                current.append(chr(int(match.group(), 16)))
                i = match.end()
            elif match := _OCT.match(value, i + 1):
                current.append(chr(int(match.group(), 8)))
                i = match.end()
            else:
                current.append(_QT_ESCAPES.get(nxt, nxt))
                i += 2
        else:
            current.append(ch)
            i += 1
    items.append("".join(current) if not items else "".join(current).strip())
    return items
