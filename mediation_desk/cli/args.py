"""The command line's parser, argument types and failure messages, all in Chinese.

* :class:`ChineseArgumentParser` — argparse with its own messages (usage, missing or unknown
  arguments, invalid choices …) in Chinese; a bad command line exits with status 2.
* Argument types (:func:`bounded_int`, :func:`iso_date`, :func:`month_key`, :func:`text`,
  :func:`path_text`, :func:`out_file`, :func:`database_url`, :func:`byte_size`) refuse what the
  commands cannot use — out-of-range numbers, impossible dates, lone surrogates, control
  characters — before anything is opened or written; argparse names the argument in the message.
* :func:`failure_message` turns whatever a command raised (a corrupt or foreign database file, a
  full disk, a server that is down or went away, a file that cannot be written) into one Chinese
  line; :func:`scrub` removes passwords, full ID numbers and phone numbers from any message.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import re
import sqlite3
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from mediation_desk.files import TargetRefused, check_target
from mediation_desk.readmodels.masking import URL_PASSWORD, scrub

# --------------------------------------------------------------------------- argparse in Chinese

_MESSAGES = {
    "usage: ": "用法：",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不完整，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "此选项不带值，却给了 %r",
    "one of the arguments %s is required": "参数 %s 必须提供其中之一",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令 %(parser_name)r（可选：%(choices)s）",
    "show program's version number and exit": "显示程序版本并退出",
    "show this help message and exit": "显示本帮助并退出",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
}


def _translate(message: str) -> str:
    return _MESSAGES.get(message, message)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return singular if n == 1 else plural


@contextlib.contextmanager
def _chinese() -> Iterator[None]:
    """argparse looks its messages up through its module's ``_``/``ngettext`` when it builds them;
    they are Chinese while one of our parsers works (other parsers in the process are untouched)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _ntranslate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse whose messages are Chinese; errors print the usage and exit with status 2.

    Options must be typed in full (no abbreviations: ``--dat`` is not ``--database``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        with _chinese():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with _chinese():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with _chinese():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _chinese():
            self.print_usage(sys.stderr)
            self.exit(2, _translate("%(prog)s: error: %(message)s\n") % {"prog": self.prog,
                                                                          "message": scrub(message)})

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            write_safely(message, file or sys.stderr)


# --------------------------------------------------------------------------- argument types

#: Years a date or month on the command line may have: anything else is a typo (or hostile).
YEAR_RANGE = (1900, 2199)

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DIGITS = re.compile(r"[0-9０-９]+")


def shown(value: str, limit: int = 40) -> str:
    """``value`` as it may be echoed in a message: surrogates and control characters escaped,
    long text cut."""
    out = []
    for char in value[:limit]:
        if _bad_char(char):
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii")
                       if not 0xD800 <= ord(char) <= 0xDFFF else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out) + ("…" if len(value) > limit else "")


def _bad_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or char in _BIDI_CONTROLS or char in "\ufffe\uffff"


def check_text(value: str, *, max_length: int, allow_empty: bool = False) -> str:
    """``value`` unchanged, or ArgumentTypeError (Chinese) for text no command may store."""
    if not allow_empty and not value.strip():
        raise argparse.ArgumentTypeError("不能为空")
    if len(value) > max_length:
        raise argparse.ArgumentTypeError(f"太长（{len(value)} 个字符），最多 {max_length} 个字符")
    for char in value:
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise argparse.ArgumentTypeError(
                f"“{shown(value)}”含有无法识别的字符（不是有效的 UTF-8 文字），请检查终端或文件名的编码")
        if _bad_char(char):
            raise argparse.ArgumentTypeError(f"“{shown(value)}”含有控制字符（如换行、制表符、方向控制符），请删去")
    return value


def text(max_length: int = 200, *, allow_empty: bool = False) -> Callable[[str], str]:
    """Free text: no lone surrogates, no control characters, at most ``max_length`` characters."""

    def convert(value: str) -> str:
        return check_text(value, max_length=max_length, allow_empty=allow_empty)

    convert.__name__ = "文字"
    return convert


def name_text(max_length: int = 60) -> Callable[[str], str]:
    """A name (a person, a team, a holiday, a receiving body): text as :func:`text` that holds at
    least one letter or character — ``-1`` or ``/tmp`` is nobody's name."""

    def convert(value: str) -> str:
        check_text(value, max_length=max_length)
        if not any(unicodedata.category(char).startswith("L") for char in value):
            raise argparse.ArgumentTypeError(f"“{shown(value)}”不像名称：应含有汉字或字母")
        odd = sorted({char for char in value if not _name_char(char)})
        if odd:
            raise argparse.ArgumentTypeError(f"名称“{shown(value)}”中不应有“{''.join(odd)[:10]}”")
        return value

    convert.__name__ = "名称"
    return convert


#: Punctuation a name may hold: 阿卜杜·热合曼, 城建物业调解团队（一组）, O'Brien, 甘州区人民法院 …
_NAME_PUNCTUATION = frozenset("·•・.-_()（）、,，'’ &＆#＃")


def _name_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LMN" or char in _NAME_PUNCTUATION


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``; ASCII or full-width digits, no signs but a minus
    where negative numbers are allowed, no spaces, underscores or exponents."""

    def convert(value: str) -> int:
        check_text(value, max_length=40)
        negative = value[:1] in ("-", "－")
        body = value[1:] if negative else value
        if not _DIGITS.fullmatch(body) or (negative and low >= 0):
            raise argparse.ArgumentTypeError(f"应为 {low} 至 {high} 之间的整数，不能是“{shown(value)}”")
        digits = body.translate(_FULL_WIDTH_DIGITS).lstrip("0") or "0"
        number = (-1 if negative else 1) * int(digits) if len(digits) <= 30 else None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"应为 {low} 至 {high} 之间的整数，不能是 {shown(value)}")
        return number

    convert.__name__ = "整数"
    return convert


_FULL_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


def iso_date(value: str) -> date:
    """A day written YYYY-MM-DD, in the years :data:`YEAR_RANGE`."""
    check_text(value, max_length=40)
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"“{shown(value)}”不是 YYYY-MM-DD 格式的日期（如 2026-10-08）")
    year, month, day = (int(part) for part in match.groups())
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise argparse.ArgumentTypeError(f"日期“{value}”的年份应在 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 年之间")
    try:
        return date(year, month, day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”不存在") from None


iso_date.__name__ = "日期"


def month_key(value: str) -> str:
    """A month as typed (the services say what form they accept); refused here: hostile text and
    a YYYY-MM whose year or month cannot be a month of the center's work."""
    check_text(value, max_length=20)
    match = _MONTH.fullmatch(value.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise argparse.ArgumentTypeError(f"月份“{value}”的年份应在 {YEAR_RANGE[0]} 至 {YEAR_RANGE[1]} 年之间")
        if not 1 <= month <= 12:
            raise argparse.ArgumentTypeError(f"月份“{value}”不存在：月应在 1 至 12 之间")
    return value


month_key.__name__ = "月份"


def path_text(value: str) -> str:
    """A file or folder name: any characters a path may hold, but no control characters and no
    bytes that are not text (they could not be shown in a message)."""
    return check_text(value, max_length=4096)


path_text.__name__ = "路径"


def out_file(*suffixes: str) -> Callable[[str], str]:
    """A file to write, named with one of ``suffixes`` (``.pdf`` …): refused when it is a folder,
    a device or pipe, in a missing folder, or named otherwise (``-`` is not standard output)."""

    def convert(value: str) -> str:
        path_text(value)
        if suffixes and Path(value).suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(
                f"输出文件“{shown(value, 80)}”的扩展名应为 {' 或 '.join(suffixes)}")
        try:
            check_target(value, what="输出文件")
        except TargetRefused as refused:
            raise argparse.ArgumentTypeError(refused.message) from None
        return value

    convert.__name__ = "输出文件"
    return convert


def database_url(value: str) -> str:
    """A database URL that parses; never echoed with its password."""
    try:
        check_text(value, max_length=2000)
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(scrub(str(error))) from None
    from sqlalchemy.engine import make_url

    try:
        url = make_url(value)
        url.get_backend_name()
        port = url.port
    except Exception:
        raise argparse.ArgumentTypeError(
            f"数据库地址“{hide_password(value)}”格式不正确，应如 sqlite:////路径/文件.sqlite3 或 "
            "postgresql+psycopg://用户@服务器/库名") from None
    if port is not None and not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"数据库地址“{hide_password(value)}”的端口应在 1 至 65535 之间")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        try:
            mode = Path(url.database).stat().st_mode
        except OSError:
            mode = None  # missing: the command says so (or creates it, for db upgrade)
        if mode is not None and not stat.S_ISREG(mode):
            raise argparse.ArgumentTypeError(
                f"数据库地址“{shown(url.database, 200)}”指向的不是文件（是文件夹或设备），请写出数据库文件的路径")
    return value


database_url.__name__ = "数据库地址"


def byte_size(low: int, high: int) -> Callable[[str], int]:
    """A size like 2G, 500M, 64K or a number of bytes, from ``low`` to ``high`` bytes."""
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
    pattern = re.compile(r"(\d{1,15})(?:\.(\d{1,6}))?\s*([KMGT]?)(?:I?B)?", re.ASCII | re.IGNORECASE)

    def convert(value: str) -> int:
        check_text(value, max_length=40)
        match = pattern.fullmatch(value.strip())
        if not match:
            raise argparse.ArgumentTypeError(f"大小“{shown(value)}”写法不正确，例如 2G、500M 或字节数")
        whole, fraction, unit = match.groups()
        scale = units.get(unit.upper(), 1)
        number = int(whole) * scale + (int(fraction) * scale // 10 ** len(fraction) if fraction else 0)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"大小“{shown(value)}”应在 {_human(low)} 至 {_human(high)} 之间")
        return number

    convert.__name__ = "大小"
    return convert


def _human(size: int) -> str:
    for unit, scale in (("T", 1024 ** 4), ("G", 1024 ** 3), ("M", 1024 ** 2), ("K", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return f"{size} 字节"


# --------------------------------------------------------------------------- messages



def hide_password(url_text: str) -> str:
    """A database URL as it may be shown: its password replaced by ``***``."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url_text).render_as_string(hide_password=True)
    except Exception:
        return URL_PASSWORD.sub(lambda m: f"{m['head']}***{m['at']}", url_text)


def write_safely(message: str, stream: SupportsWrite[str] | IO[str]) -> None:
    """Write to a terminal or pipe whatever its encoding: characters it cannot take are escaped."""
    try:
        stream.write(message)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(message.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    flush = getattr(stream, "flush", None)
    if flush is not None:
        with contextlib.suppress(OSError, ValueError):
            flush()


def safe_streams() -> None:
    """stdout and stderr never fail on a character: a terminal that cannot show Chinese gets
    UTF-8, lone surrogates come out escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        encoding = (getattr(stream, "encoding", None) or "utf-8")
        try:
            "矛调".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            encoding = "utf-8"
        with contextlib.suppress(Exception):
            reconfigure(encoding=encoding, errors="backslashreplace")


def failure_message(error: BaseException, database: str | None = None) -> str:
    """One Chinese line for a command that failed with ``error`` (no traceback, no password)."""
    from sqlalchemy import exc as sa_exc

    from mediation_desk.db import DISK_FULL_MESSAGE, is_disk_full

    where = f"（--database {hide_password(database)}）" if database else ""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) and isinstance(
            error.filename, str):
        return (f"磁盘空间不足，文件“{shown(error.filename, 200)}”未能写入；原有的文件（如有）未改动。"
                "请清理磁盘后重试。")
    if is_disk_full(error):
        return DISK_FULL_MESSAGE
    if isinstance(error, UnicodeDecodeError):
        return "读到的文字不是 UTF-8 编码（标准输入或文件），请转换编码后重试。"
    if isinstance(error, UnicodeError):
        return "输出中有无法显示的字符，请把终端设为 UTF-8 编码后重试。"
    if isinstance(error, EOFError):
        return "标准输入已结束，没有读到需要的内容（如密码）。"
    if isinstance(error, MemoryError):
        return "内存不足，命令未能完成，未做任何改动。"
    if isinstance(error, RecursionError):
        return "输入的内容嵌套过深，无法处理。"
    raw = getattr(error, "orig", None) if isinstance(error, sa_exc.DBAPIError) else error
    if isinstance(raw, sqlite3.DatabaseError) or type(raw).__module__.startswith("sqlcipher3") or (
            isinstance(error, sa_exc.DBAPIError) and _is_sqlite(error)):
        text_ = str(raw).lower()
        if "not a database" in text_ or "malformed" in text_ or "corrupt" in text_:
            return (f"数据库文件已损坏，或不是矛调工作台的数据库{where}。"
                    "请检查路径，或从备份恢复（mediation-desk restore）。")
        if "unable to open" in text_ or "cannot open" in text_:
            return f"无法打开数据库文件{where}：请检查路径和权限。"
        if "readonly" in text_ or "read-only" in text_:
            return f"数据库文件是只读的{where}，无法写入。请检查文件权限。"
        if "locked" in text_ or "busy" in text_:
            return f"数据库正被其他程序占用{where}，请稍后重试。"
        return f"数据库操作失败{where}：{_first_line(raw)}"
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError) or _is_psycopg_operational(raw):
        return (f"无法连接数据库服务器，或连接中途断开{where}。请检查服务器是否运行、网络是否连通，然后重试；"
                "未完成的操作没有保存。")
    if isinstance(error, sa_exc.DBAPIError):
        return f"数据库操作失败{where}：{_first_line(raw)}"
    if isinstance(error, sa_exc.ArgumentError):
        return f"数据库地址不正确{where}。"
    if isinstance(error, OSError):
        return _os_message(error)
    return f"命令未能完成（内部错误：{type(error).__name__}），未保存的改动已撤销。"


def _is_sqlite(error: BaseException) -> bool:
    return type(getattr(error, "orig", None)).__module__.startswith("sqlite3")


def _is_psycopg_operational(error: object) -> bool:
    return type(error).__module__.startswith("psycopg") and type(error).__name__ in (
        "OperationalError", "InterfaceError")


def _first_line(error: object) -> str:
    line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return scrub(shown(line, 200))


_OS_PROBLEMS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作",
    errno.EISDIR: "是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EROFS: "位于只读的磁盘上",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "名称太长",
    errno.EFBIG: "超出了允许的文件大小",
    errno.EIO: "读写出错（磁盘故障？）",
    errno.EXDEV: "不能跨磁盘移动",
}


def _os_message(error: OSError) -> str:
    name = error.filename if isinstance(error.filename, str) else None
    problem = _OS_PROBLEMS.get(error.errno or -1) or (error.strerror or type(error).__name__)
    if name:
        return f"文件“{shown(str(Path(name)), 200)}”{problem}，命令未能完成。"
    return f"文件读写失败：{problem}，命令未能完成。"
