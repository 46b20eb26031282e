"""Batch import of cases forwarded by the 12345 hotline or a grid platform (CSV or JSON).

Each row is checked on its own: a bad row is reported with its line number, the field and the
reason, and imports nothing; good rows import. Every row carries its ticket number in the
forwarding system, kept as the case's ``source_ref``, so importing the same file again creates
nothing new. Rows are written in bulk (numbers reserved as a block, plain inserts), since a
hotline export can hold a hundred thousand rows.

The column mapping (Chinese header or English key, either works) is ``COLUMNS`` below and is
documented for users in ``docs/import-cases.md``.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import logging
import multiprocessing
import queue as queue_module
import re
import traceback
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter, gt, itemgetter
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, Date, DateTime, Enum, func, insert, select, text
from sqlalchemy.dialects.sqlite import pysqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from .. import changes
from ..changes import Changes
from ..errors import ServiceError
from ..models import (
    Base,
    CaseEvent,
    CaseState,
    ClockStage,
    DisputeCase,
    DisputeType,
    EventKind,
    Gender,
    HotlineOrder,
    IdDocumentType,
    Party,
    PartyKind,
    PartyRole,
    RiskLevel,
    SourceChannel,
    keys,
    now,
)
from ..readmodels import masking, minors
from . import audit, bulk_indexes, clocks, digits, hotline_facts, permissions, search, stat_months, validation
from .actor import Actor
from .calendar import WorkingCalendar
from .errors import InvalidInput
from .numbering import center_prefix, format_case_number, numbering_center, take_numbers

#: field → (Chinese header, required, description for the documentation)
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "source_ref": ("来源编号", True, "转办系统中的工单号，同一文件再次导入时据此跳过"),
    "source_system": ("来源系统", False, "12345、网格、110、法院、信访、部门；决定案件来源，缺省为 12345"),
    "received_at": ("登记时间", True, "2026-11-20 09:30 或 2026/11/20 或 2026-11-20"),
    "dispute_type": ("纠纷类型", True, "须为本中心已设置的纠纷类型之一"),
    "title": ("纠纷名称", True, "简要标题，最长 200 字"),
    "facts": ("纠纷简要情况", False, ""),
    "requests": ("申请事项", False, "多项以“；”或换行分隔"),
    "applicant_name": ("申请人", True, "姓名或单位名称"),
    "applicant_id_number": ("申请人身份证号", False, "18 位居民身份证号码"),
    "applicant_phone": ("申请人电话", False, "手机或带区号的固定电话"),
    "applicant_address": ("申请人住址", False, ""),
    "respondent_name": ("被申请人", False, "姓名或单位名称"),
    "respondent_id_number": ("被申请人身份证号", False, ""),
    "respondent_credit_code": ("被申请人统一社会信用代码", False, "填写时被申请人按单位登记"),
    "respondent_phone": ("被申请人电话", False, ""),
    "respondent_address": ("被申请人住址", False, ""),
    "address": ("纠纷发生地", False, ""),
    "village": ("村（社区）", False, ""),
    "grid": ("网格", False, ""),
    "risk_level": ("风险等级", False, "红、橙、黄、蓝，缺省为蓝"),
    "people_involved": ("涉及人数", False, "整数"),
    "amount_involved": ("涉及金额", False, "元，可带小数"),
    "hotline_type": ("热线类型编码", False, "12345 热线自己的分类编码，原样保存，回传时带回"),
}
_NO_VALUES = dict.fromkeys(COLUMNS, "")
_BY_HEADER = {header: key for key, (header, _, _) in COLUMNS.items()} | {key: key for key in COLUMNS}

_SYSTEMS = {
    "12345": SourceChannel.PHONE, "热线": SourceChannel.PHONE, "网格": SourceChannel.GRID_REPORT,
    "110": SourceChannel.POLICE_TRANSFER, "公安": SourceChannel.POLICE_TRANSFER,
    "法院": SourceChannel.COURT_DELEGATED, "信访": SourceChannel.PETITION_TRANSFER,
    "部门": SourceChannel.DEPARTMENT_TRANSFER, "网上": SourceChannel.ONLINE,
}
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d",
                 "%Y/%m/%d", "%Y年%m月%d日")
MAX_FILE_BYTES = 200 * 2**20
CHUNK_ROWS = 5000
#: On PostgreSQL: the search gram counts are added by a statement-level trigger, once per chunk and
#: COPY, each time for every gram the chunk holds — fewer, larger chunks.
SERVER_CHUNK_ROWS = 20_000
#: SQLite's page cache during an import, in KiB (512 MB was measured: −0.4 s of CPU for 100,000 rows,
#: the wall clock the same, +183 MB at its peak; docs/performance-log.md, import-sqlite3).
BULK_CACHE_KIB = 128 * 1024
#: Longest value of any cell; and of each column, what the database column holds (PostgreSQL
#: refuses a longer value, which would undo the whole file's import). Numbers are bounded by their
#: own checks (a 5,000-digit count is "too large", not "too long").
MAX_CELL = 20_000
MAX_LENGTH: dict[str, int] = {
    "source_ref": 100, "source_system": 20, "received_at": 40, "dispute_type": 100, "title": 200,
    "facts": MAX_CELL, "requests": MAX_CELL, "applicant_name": 200, "applicant_id_number": 40,
    "applicant_phone": 40, "applicant_address": 200, "respondent_name": 200, "respondent_id_number": 40,
    "respondent_credit_code": 40, "respondent_phone": 40, "respondent_address": 200, "address": 200,
    "village": 80, "grid": 80, "risk_level": 10, "hotline_type": 40,
}
#: A cell longer than this is refused (before its spaces are stripped, when it may still fit).
_LIMITS = {key: min(MAX_LENGTH.get(key, MAX_CELL), MAX_CELL) for key in COLUMNS}
#: The limits of a row's cells in the order of its keys (a file's rows all have the same keys).
_LIMITS_OF: dict[tuple[str, ...], tuple[int, ...]] = {}
_REQUIRED = tuple(key for key, (_, required, _) in COLUMNS.items() if required)
_RISKS = {level.label: level for level in RiskLevel}
#: The registration years a file may hold: from the People's Republic's first year to next year.
FIRST_YEAR = 1949
MAX_PEOPLE = 1_000_000
#: Below the amount column's NUMERIC(14, 2).
MAX_AMOUNT = Decimal("1e12")
_CENT = Decimal("0.01")
#: A count and an amount written as stored (the fast path; anything else goes to ``digits``).
_CLEAN_COUNT = re.compile(r"[0-9]{1,7}")
_CLEAN_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
#: How many unknown column names a refusal lists.
_LISTED = 10
#: What no cell may hold: NUL (PostgreSQL refuses it in text), other control characters but tab
#: and line breaks (nobody types them; they come from a binary or corrupted file), and lone
#: surrogates (a JSON "\ud800" escape; no database can store one).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: Digits (any script) in groups of three or more, written together or split by a space or a dash
#: (138 0013 8000, 0936-8212345, 110105 19491231 002X), as phone and ID numbers are; a date's
#: two-digit groups (2026-11-20 09:30) are not.
_NUMBER_RUN = re.compile(r"\d{3,}(?:[ \-－]\d{3,})*(?:[ \-－]?\d*[XxＸｘ])?")


def _mask_numbers(text: str) -> str:
    """Every phone- or ID-like run of 7 digits or more in a message masked as the receipt masks them."""
    def mask(match: re.Match[str]) -> str:
        number = re.sub(r"[ \-－]", "", match.group())
        if sum(c.isdigit() for c in number) < 7:
            return match.group()
        return masking.mask_id_number(number) if len(number) >= 15 else masking.mask_phone(number)

    return _NUMBER_RUN.sub(mask, text)


def _shown(value: str, limit: int = 30) -> str:
    """A value as a message quotes it: short, on one line, with phone and ID numbers masked."""
    value = _FORBIDDEN.sub("�", " ".join(value.split()))
    value = value if len(value) <= limit else value[:limit] + "…"
    return _mask_numbers(value)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.field not in COLUMNS:
            return f"第 {self.line} 行：{self.message}"
        return f"第 {self.line} 行，{COLUMNS[self.field][0]}：{self.message}"


@dataclass
class ImportReport:
    imported: int = 0
    already_imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    #: Imported, but something a person must complete (a minor party has no guardian on file).
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.imported + self.already_imported + len({e.line for e in self.errors})


@dataclass
class _Row:
    line: int
    system: str
    source_ref: str
    channel: SourceChannel
    received_at: datetime
    dispute_type_id: int
    title: str
    facts: str
    requests: list[str]
    risk: RiskLevel
    people: int
    amount: Decimal | None
    address: str
    village: str
    grid: str
    parties: list[dict[str, Any]]
    #: The 12345 hotline's own type code of the order (kept on its ``hotline_order`` row).
    hotline_type: str = ""

    #: What ``source_ref`` stores: the system and its ticket number.
    reference: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self.reference = f"{self.system}:{self.source_ref}"


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read (encoding, format, headers)."""

    def __init__(self, message: str) -> None:
        super().__init__("file", message)


# --------------------------------------------------------------------------- reading


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese office software writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            "文件既不是 UTF-8 也不是 GB18030 编码，无法读取。请另存为 UTF-8 或 GB18030 后再导入。"
        ) from None


class FileRecords:
    """(line number, {field: value}) for each record of a CSV or JSON file, read as it is iterated;
    the line is where the record begins in the file. A record that cannot be one holds
    ``{"__error__": reason}``. An import on SQLite may read and check a big file in a second
    process instead (it knows the file by its path)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return _read_records(self.path)


def read_records(path: Path) -> FileRecords:
    """The records of the file at ``path`` (:class:`FileRecords`)."""
    return FileRecords(path)


def _read_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"文件超过 {MAX_FILE_BYTES // 2**20} MB，请分成几个文件导入。")
        data = path.read_bytes()
    except OSError as exc:
        reason = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.EISDIR: "这是一个文件夹",
                  errno.ENOENT: "文件不存在"}.get(exc.errno or 0, f"系统错误 {exc.errno}")
        raise ImportFileError(f"无法读取文件：{reason}。") from None
    if len(data) > MAX_FILE_BYTES:  # grew since, or a device that reports no size
        raise ImportFileError(f"文件超过 {MAX_FILE_BYTES // 2**20} MB，请分成几个文件导入。")
    text = decode(data)
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        yield from _json_records(text)
    else:
        yield from _csv_records(text)


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    # The csv module's own limit (131,072 characters a field) raises in the middle of a file;
    # long cells are refused row by row in _parse_row instead.
    if csv.field_size_limit() <= MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES + 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = [h.strip().lstrip("\ufeff").strip() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("文件是空的。") from None
    except csv.Error:
        raise ImportFileError("第 1 行（表头）无法按 CSV 读取，请检查引号和分隔符。") from None
    if any(_FORBIDDEN.search(h) for h in headers):
        raise ImportFileError("表头含有空字符（NUL）、控制字符或无效字符：文件可能是 UTF-16 编码或不是文本文件。"
                              "请另存为 UTF-8 或 GB18030 的 CSV 后再导入。")
    keys = [_BY_HEADER.get(h) for h in headers]
    unknown = [_shown(h) for h, k in zip(headers, keys, strict=True) if k is None and h]
    if unknown:
        more = f" 等 {len(unknown)} 列" if len(unknown) > _LISTED else ""
        raise ImportFileError(f"不认识的列：{'、'.join(unknown[:_LISTED])}{more}。可用的列见导入说明。")
    seen: dict[str, int] = {}
    for column, (header, key) in enumerate(zip(headers, keys, strict=True), start=1):
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            same = "" if headers[first - 1] == header else f"（“{headers[first - 1]}”与“{header}”是同一列）"
            raise ImportFileError(f"列“{COLUMNS[key][0]}”重复出现：第 {first} 列和第 {column} 列{same}。"
                                  "请删去其中一列后再导入。")
        seen[key] = column
    missing = [COLUMNS[k][0] for k, (_, required, _) in COLUMNS.items() if required and k not in keys]
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}。")
    last_line = reader.line_num
    every_column_named = None not in keys
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportFileError(f"第 {last_line + 1} 行无法按 CSV 读取，请检查引号和分隔符。") from None
        line, last_line = last_line + 1, reader.line_num
        if not "".join(values).strip():
            continue
        if len(values) != len(keys):
            yield line, {"__error__": f"有 {len(values)} 列，表头有 {len(keys)} 列"}
            continue
        if every_column_named:
            yield line, dict(zip(keys, values, strict=True))  # type: ignore[arg-type]  # no None key
            continue
        stray = [i for i, (k, v) in enumerate(zip(keys, values, strict=True), start=1) if k is None and v.strip()]
        if stray:
            yield line, {"__error__": f"第 {stray[0]} 列没有表头，却填了内容"}
            continue
        yield line, {k: v for k, v in zip(keys, values, strict=True) if k}


class _Object(list[tuple[str, Any]]):
    """A JSON object as its (key, value) pairs in order, duplicates kept (json would keep the last)."""


_DECODER = json.JSONDecoder(
    # Numbers stay as written: 1e400, a 5,000-digit integer or NaN are refused by the column's own
    # check, instead of becoming inf or raising in int().
    parse_int=str, parse_float=str, parse_constant=str, object_pairs_hook=_Object,
)
_WHITE = re.compile(r"[ \t\n\r]*")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_JSON_MESSAGES = {
    "Expecting value": "此处应为一个值", "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号", "Expecting property name enclosed in double quotes": "字段名应加双引号",
    "Unterminated string starting at": "字符串没有结束的引号", "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义", "Invalid \\uXXXX escape": "无效的 \\u 转义", "Extra data": "多余的内容",
}
_JSON_SHAPE = "JSON 文件应为案件对象的数组，或 {\"cases\": [...]}。"


def _json_error(text: str, pos: int, reason: str) -> ImportFileError:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return ImportFileError(f"JSON 格式错误（第 {line} 行第 {column} 列）：{reason}。")


def _decode_value(text: str, pos: int) -> tuple[Any, int]:
    """The JSON value at ``pos`` and where it ends; a value nested too deep for the parser comes
    back as :class:`RecursionError` (instead of being raised), skipped over."""
    try:
        return _DECODER.raw_decode(text, pos)
    except RecursionError as exc:
        return exc, _skip_value(text, pos)
    except json.JSONDecodeError as exc:
        raise _json_error(text, exc.pos, _JSON_MESSAGES.get(exc.msg, "无法解析")) from None


def _skip_value(text: str, pos: int) -> int:
    """The end of the array or object at ``pos``, found by counting brackets outside strings."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text, pos):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise _json_error(text, len(text), "括号没有配对")


def _json_records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each element of the array read on its own, so that one element nested 100,000 deep (which
    the parser cannot read) refuses that record, not the file."""
    pos = _WHITE.match(text).end()  # type: ignore[union-attr]  # matches the empty string
    wrapped = text.startswith("{", pos)
    if wrapped:
        pos = _cases_array(text, pos)
    if not text.startswith("[", pos):
        raise ImportFileError(_JSON_SHAPE)
    pos = _WHITE.match(text, pos + 1).end()  # type: ignore[union-attr]
    line, counted = 1, 0
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            line += text.count("\n", counted, pos)
            counted = pos
            item, pos = _decode_value(text, pos)
            if isinstance(item, RecursionError):
                yield line, {"__error__": "嵌套层次过深，无法读取"}
            else:
                yield line, _json_record(item)
            pos = _WHITE.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos = _WHITE.match(text, pos + 1).end()  # type: ignore[union-attr]
                continue
            if text.startswith("]", pos):
                pos += 1
                break
            raise _json_error(text, pos, "数组中缺少逗号或右方括号")
    if not wrapped and text[pos:].strip():
        raise _json_error(text, pos, "数组之后还有多余的内容")


def _cases_array(text: str, pos: int) -> int:
    """Where the array of ``{"cases": [...]}`` begins."""
    pos = _WHITE.match(text, pos + 1).end()  # type: ignore[union-attr]
    while text.startswith('"', pos):
        key, pos = _decode_value(text, pos)
        pos = _WHITE.match(text, pos).end()  # type: ignore[union-attr]
        if not text.startswith(":", pos):
            raise _json_error(text, pos, "缺少冒号")
        pos = _WHITE.match(text, pos + 1).end()  # type: ignore[union-attr]
        if key == "cases":
            return pos
        _, pos = _decode_value(text, pos)
        pos = _WHITE.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WHITE.match(text, pos + 1).end()  # type: ignore[union-attr]
    raise ImportFileError(_JSON_SHAPE)


def _json_record(item: Any) -> dict[str, str]:
    if not isinstance(item, _Object):
        return {"__error__": "不是一个对象（应为 {\"来源编号\": …, …} 这样的对象）"}
    record: dict[str, str] = {}
    for name, value in item:
        key = _BY_HEADER.get(name.strip())
        if key is None:
            return {"__error__": f"不认识的字段“{_shown(name)}”"}
        header = COLUMNS[key][0]
        if key in record:
            return {"__error__": f"字段“{header}”重复出现"}
        if value is None:
            record[key] = ""
        elif isinstance(value, str):
            record[key] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            record[key] = "；".join(value)
        else:
            kind = "true/false" if isinstance(value, bool) else "嵌套的数组或对象"
            return {"__error__": f"字段“{header}”应为文字或数字，不能是{kind}"}
    return record


# --------------------------------------------------------------------------- checking


def _cell_errors(line: int, record: dict[str, str]) -> list[RowError]:
    """What no column may hold, cell by cell."""
    errors: list[RowError] = []
    for key, raw in record.items():
        if _FORBIDDEN.search(raw):
            message = "含有空字符（NUL）、控制字符或无效字符"
        elif len(raw) > MAX_CELL:
            message = f"过长（{len(raw)} 个字符，最多 {MAX_LENGTH.get(key, MAX_CELL)} 字）"
        elif len(raw.strip()) > MAX_LENGTH.get(key, MAX_CELL):
            message = f"过长（{len(raw.strip())} 字，最多 {MAX_LENGTH[key]} 字）"
        else:
            continue
        errors.append(RowError(line, key, _mask_numbers(message)))
    return errors


def _parse_row(line: int, record: dict[str, str], types: dict[str, int],
               today: datetime) -> _Row | list[RowError]:
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(line, key, _mask_numbers(message)))

    if "__error__" in record:
        return [RowError(line, "row", _mask_numbers(record["__error__"]))]
    # First what no column may hold; a value refused here is not looked at further (nor quoted).
    # One search of the whole row (a tab is allowed) passes the common case, a clean row, at once.
    keys = tuple(record)
    limits = _LIMITS_OF.get(keys)
    if limits is None:
        limits = _LIMITS_OF[keys] = tuple(_LIMITS.get(key, MAX_CELL) for key in keys)
    if _FORBIDDEN.search("\t".join(record.values())) or any(map(gt, map(len, record.values()), limits)):
        cell_errors = _cell_errors(line, record)
        if cell_errors:
            return cell_errors
    # Every column, stripped; the ones the file does not have empty (both loops run in C).
    value = _NO_VALUES.copy()
    value.update(zip(record, map(str.strip, record.values()), strict=True))
    for key in _REQUIRED:
        if not value[key]:
            fail(key, f"{COLUMNS[key][0]}不能为空")
    today_date = today.date()
    received = None
    if value["received_at"]:
        received = _parse_time(value["received_at"])
        if received is None:
            fail("received_at", f"“{_shown(value['received_at'])}”不是可识别的日期时间，应如 2026-11-20 09:30")
        elif received.year < FIRST_YEAR:
            fail("received_at", f"年份 {received.year} 早于 {FIRST_YEAR} 年")
            received = None
        elif received.year > today.year + 1:
            fail("received_at", f"年份 {received.year} 晚于明年（{today.year + 1} 年）")
            received = None
        elif received > today:
            fail("received_at", "登记时间晚于现在")
    type_id = types.get(value["dispute_type"])
    if value["dispute_type"] and type_id is None:
        fail("dispute_type", f"本中心没有“{_shown(value['dispute_type'])}”这一纠纷类型")
    system = digits.fold_width(value["source_system"]) or "12345"  # １２３４５ is 12345
    channel = _SYSTEMS.get(system, SourceChannel.PHONE)
    if system not in _SYSTEMS:
        fail("source_system", f"不认识的来源系统“{_shown(system)}”，可用：{'、'.join(_SYSTEMS)}")
    risk = RiskLevel.BLUE
    if value["risk_level"]:
        try:
            risk = _RISKS[value["risk_level"].rstrip("色")]
        except KeyError:
            fail("risk_level", "应为 红、橙、黄、蓝 之一")
    people = 0
    if value["people_involved"]:
        written = value["people_involved"]
        count = int(written) if _CLEAN_COUNT.fullmatch(written) else digits.count_of(written)
        if count is None:
            fail("people_involved", "应为不小于 0 的整数，数字只能用 0–9")
        elif count > MAX_PEOPLE:
            fail("people_involved", f"人数过大（最多 {MAX_PEOPLE // 10_000} 万人）")
        else:
            people = count
    amount = None
    if value["amount_involved"]:
        written = value["amount_involved"]
        # As stored (at most 12 digits and 2 decimals) read at once; anything else by ``digits``.
        amount = _amount(written) if _CLEAN_AMOUNT.fullmatch(written) else digits.amount_of(written)
        if amount is None:
            fail("amount_involved", f"“{_shown(value['amount_involved'])}”不是有效的金额，应如 12500 或 3500.50"
                                    "（数字只能用 0–9，不能为负数）")
        elif amount != amount.quantize(Decimal("0.01")):
            fail("amount_involved", "金额最多两位小数（到分）")
        elif amount >= MAX_AMOUNT:
            fail("amount_involved", "金额过大（应小于 1 万亿元）")
        else:
            amount = amount.quantize(Decimal("0.01"))
    parties: list[dict[str, Any]] = []
    for prefix, role in (("applicant", PartyRole.APPLICANT), ("respondent", PartyRole.RESPONDENT)):
        name = value[f"{prefix}_name"]
        if not name:
            continue
        party: dict[str, Any] = {"role": role, "name": name, "kind": PartyKind.PERSON, "id_type": None,
                                 "id_number": "", "credit_code": "", "gender": None, "birth_date": None,
                                 "phone": "", "address": value[f"{prefix}_address"]}
        id_number = value[f"{prefix}_id_number"]
        if id_number:
            try:
                info = (validation.quick_resident_id(id_number, today_date)
                        or validation.check_resident_id(id_number, today=today_date))
                party.update(id_type=IdDocumentType.RESIDENT_ID, id_number=info.number, gender=info.gender,
                             birth_date=info.birth_date)
            except InvalidInput as exc:
                fail(f"{prefix}_id_number", exc.message)
        credit = value.get(f"{prefix}_credit_code", "")
        if credit:
            try:
                party.update(credit_code=validation.check_credit_code(credit), kind=PartyKind.LEGAL_PERSON)
            except InvalidInput as exc:
                fail(f"{prefix}_credit_code", exc.message)
        phone = value[f"{prefix}_phone"]
        if phone:
            try:
                party["phone"] = validation.quick_phone(phone) or validation.check_phone(phone)
            except InvalidInput as exc:
                fail(f"{prefix}_phone", exc.message)
        # Under eighteen when the dispute was received, by the ID's birth date: a minor's case
        # (withheld from the publicity list, signed by a guardian the file does not carry).
        born = party["birth_date"]
        party["is_minor"] = bool(received is not None and born is not None and minors.age_on(
            born, received.date()) < minors.ADULT_AGE)
        parties.append(party)
    if errors:
        return errors
    assert received is not None and type_id is not None
    requests = [r for r in map(str.strip, value["requests"].replace("\n", "；").replace(";", "；").split("；")) if r]
    return _Row(line, system, value["source_ref"], channel, received, type_id, value["title"], value["facts"], requests,
                risk, people, amount, value["address"], value["village"], value["grid"], parties,
                value["hotline_type"])


def _amount(written: str) -> Decimal:
    """An amount written as stored (``12500``, ``3500.5``), to the cent."""
    return Decimal(written).quantize(_CENT)


def _parse_time(text: str) -> datetime | None:
    if text.isascii():  # the common case: no full-width or other digits to look at
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if not moment.tzinfo:
                return moment
    text = digits.fold_width(text)
    if digits.has_foreign_digit(text):
        return None  # strptime's \d would read ٢٠٢٦ as 2026
    # Hotline exports write ISO times; fromisoformat reads them ten times faster than strptime.
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        # A time with an offset is turned into the center's wall-clock time, as every stored time is.
        try:
            return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment
        except (OverflowError, ValueError):  # year 1 or 9999 moved across midnight
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- writing


def import_records(session: Session, actor: Actor, records: Iterable[tuple[int, dict[str, str]]], *,
                   progress: Callable[[int], None] | None = None, today: datetime | None = None,
                   row_by_row: bool = False, check_apart: bool | None = None,
                   bulk_load: bool | None = None) -> ImportReport:
    """Check and import records; the caller commits (one transaction, or one per chunk).

    ``today``: the moment registration times are checked against (now unless given). A file that
    cannot be read raises :class:`ImportFileError` while it is being read: nothing is imported.
    ``row_by_row``: write each case, party and timeline entry by SQLAlchemy's ordinary one-row
    insert, the search index kept by the database's own triggers row by row — slow; the state
    the bulk path must leave the same (the tests compare the two). ``check_apart`` (SQLite's bulk
    path, ``records`` from :func:`read_records`): read and check the file in a second process
    while this one writes — by default for a file of :data:`APART_MIN_BYTES` or more. ``bulk_load``
    (SQLite's bulk path): set the written tables' secondary indexes aside while the rows go in and
    build them again before the end (:mod:`.bulk_indexes`) — by default when the records are many
    beside the cases the database holds (:func:`loads_in_bulk`)."""
    permissions.require_role(actor, permissions.INTAKE_ROLES, "导入案件")
    if session.get_bind().dialect.name != "sqlite":
        return _import(session, actor, records, progress, today or now(), row_by_row, check_apart, False)
    # SQLite's default page cache (2 MB) holds little of the case table's sixteen indexes: a big
    # file's inserts spilled and re-read pages of the WAL. The cache is the connection's, kept
    # after the transaction: it is given back whatever happens.
    previous = session.execute(text("PRAGMA cache_size")).scalar()
    session.execute(text(f"PRAGMA cache_size = -{BULK_CACHE_KIB}"))
    try:
        return _import(session, actor, records, progress, today or now(), row_by_row, check_apart,
                       not row_by_row and (loads_in_bulk(session, records) if bulk_load is None else bulk_load))
    finally:
        session.connection().exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


def _import(session: Session, actor: Actor, records: Iterable[tuple[int, dict[str, str]]],
            progress: Callable[[int], None] | None, today: datetime, row_by_row: bool,
            check_apart: bool | None, bulk_load: bool) -> ImportReport:
    report = ImportReport()
    types = {t.name: t.id for t in session.scalars(select(DisputeType).where(DisputeType.active.is_(True)))}
    writer = _Writer(session, row_by_row=row_by_row, center_id=actor.center_id)
    batch_indexing = not row_by_row and search.pause_row_indexing(session)
    # The monthly figures' insert trigger costs about as much a row as the rest of SQLite's
    # insert: the new cases are counted once, together, at the end (same transaction).
    batch_counting = not row_by_row and stat_months.pause_case_counting(session)
    batch_orders = not row_by_row and hotline_facts.pause_new_orders(session)
    if writer.sqlite and not row_by_row:
        # Set aside inside the import's transaction: a failure or a rollback brings them back.
        quiet = bulk_indexes.set_triggers_aside(session.connection(), QUIET_TRIGGERS)
        aside = bulk_indexes.set_aside(session.connection(), BULK_LOAD_TABLES) if bulk_load else None
        # The search index is filled chunk by chunk as the rows go in (while a second process
        # checks the next ones).
        new_ids = _import_stored(session, actor, records, types, today, report, writer, progress, check_apart,
                                 batch_indexing)
        if aside:  # before what follows reads the new rows by these indexes
            bulk_indexes.restore(session.connection(), aside)
        bulk_indexes.restore_triggers(session.connection(), quiet)
        if batch_indexing:
            search.resume_row_indexing(session)
    else:
        new_ids = _import_rows(session, actor, records, types, today, report, writer, progress)
    if batch_counting:
        stat_months.count_new_cases(session, min(new_ids, default=1), max(new_ids, default=0))
    if batch_orders:
        hotline_facts.keep_new_orders(session, min(new_ids, default=1), max(new_ids, default=0))
    if progress:
        progress(report.imported + report.already_imported)
    if report.imported:  # a file whose every row was refused (or seen before) writes nothing
        changes.note(session, Changes(case_list=True))  # thousands of rows: the lists, not each id
        audit.record(session, actor, "case.import", "case", None,
                     {"imported": report.imported, "already": report.already_imported,
                      "errors": len(report.errors)})
    return report


def _import_rows(session: Session, actor: Actor, records: Iterable[tuple[int, dict[str, str]]],
                 types: dict[str, int], today: datetime, report: ImportReport, writer: _Writer,
                 progress: Callable[[int], None] | None) -> list[int]:
    """PostgreSQL, and row by row: the checked rows as Python values, written chunk by chunk on a
    worker thread — by COPY, formatted on this thread (:class:`_CopyPipeline`), else as the
    worker's own statements (:class:`_Pipeline`); returns the new cases' ids."""
    seen_in_file: dict[str, int] = {}
    pending: list[_Row] = []
    chunk = CHUNK_ROWS if writer.sqlite else SERVER_CHUNK_ROWS
    by_copy = not writer.row_by_row and (writer.copy or writer.staged)
    pipeline: _Pipeline | _CopyPipeline = (_CopyPipeline if by_copy else _Pipeline)(
        session, actor, report, writer, progress)
    try:
        for line, record in records:
            parsed = _parse_row(line, record, types, today)
            if isinstance(parsed, list):
                report.errors.extend(parsed)
                continue
            first = seen_in_file.get(parsed.reference)
            if first is not None:
                report.errors.append(RowError(line, "source_ref", f"与第 {first} 行的来源编号重复"))
                continue
            seen_in_file[parsed.reference] = line
            pending.append(parsed)
            if len(pending) >= chunk:
                pipeline.write(pending)
                pending = []
        if pending:
            pipeline.write(pending)
        return pipeline.finish()
    finally:
        pipeline.close()


class _Pipeline:
    """Chunks written on one worker thread while the caller's thread reads and checks the next.

    The database's own work (SQLite's B-trees inside ``executemany``, the server's handling of a
    COPY) runs without Python's global lock, so on a machine with two cores it overlaps the
    checking of the following rows instead of adding to it. The session is used by one thread at
    a time: the caller's only reads the file meanwhile, and waits for a chunk's write before it
    hands over the next (or before anything else touches the session)."""

    def __init__(self, session: Session, actor: Actor, report: ImportReport, writer: _Writer,
                 progress: Callable[[int], None] | None) -> None:
        self.session, self.actor, self.report, self.writer, self.progress = session, actor, report, writer, progress
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="case-import")
        self.running: Future[list[int]] | None = None
        self.ids: list[int] = []

    def write(self, rows: list[_Row]) -> None:
        self._wait()
        self.running = self.executor.submit(_write, self.session, self.actor, rows, self.report, self.writer)

    def _wait(self) -> None:
        if self.running is not None:
            running, self.running = self.running, None
            self.ids += running.result()
            if self.progress:
                self.progress(self.report.imported + self.report.already_imported)

    def finish(self) -> list[int]:
        self._wait()
        return self.ids

    def close(self) -> None:
        """After a failure too: the write under way ends before the caller rolls back."""
        if self.running is not None:
            wait([self.running])
        self.executor.shutdown(wait=True)


class _CopyPipeline:
    """PostgreSQL by COPY (as the owner into the tables, as a person's own login into the temporary
    table): this thread reads and checks each chunk and also formats its rows as COPY text, all
    but what only the database can give (the ids, the case numbers, the tickets imported before,
    the registration clock); the worker thread asks for those, puts them in front of each line and
    runs the chunk's statements. So the server's work on one chunk (the COPY, the ``INSERT …
    SELECT`` under row-level security, the statement triggers) overlaps the reading, checking and
    formatting of the next ones, instead of waiting for the Python that formats them — the
    server's time is the import's (measured: docs/performance.md §5).

    The same statements, the same rows and values in the same order as :func:`_write` gives
    (psycopg's own COPY formatting, on a cursor that never executes anything: ``Copy`` with a
    ``FileWriter``). At most :attr:`DEPTH` chunks are handed over at once (one written, one
    waiting); their results, and so the progress and any failure, are taken on this thread in
    order. After a failure the chunks still waiting are not written; the one under way ends
    before the caller rolls back."""

    DEPTH = 2

    def __init__(self, session: Session, actor: Actor, report: ImportReport, writer: _Writer,
                 progress: Callable[[int], None] | None) -> None:
        self.session, self.actor, self.report, self.writer, self.progress = session, actor, report, writer, progress
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        #: Only formats (this thread): it never runs a statement (a ``Copy`` made on it reads the
        #: connection's encoding and adapters, nothing the worker's statements change).
        self.formatting: Any = raw.cursor()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="case-import")
        self.running: deque[Future[list[int]]] = deque()
        self.ids: list[int] = []
        self.stopped = False

    def write(self, rows: list[_Row]) -> None:
        prepared = _prepare_chunk(self.formatting, self.writer, self.actor, rows)
        self._collect(self.DEPTH - 1)
        self.running.append(self.executor.submit(self._run, prepared))

    def _run(self, prepared: _Prepared) -> list[int]:
        if self.stopped:  # a chunk before failed, or the caller stopped: nothing more is written
            return []
        try:
            return _write_prepared(self.session, self.actor, prepared, self.report, self.writer)
        except BaseException:
            self.stopped = True
            raise

    def _collect(self, under_way: int) -> None:
        """The results of the chunks written, in order (a failure raised here), until at most
        ``under_way`` chunks are left to write."""
        while self.running and (len(self.running) > under_way or self.running[0].done()):
            self.ids += self.running.popleft().result()
            if self.progress:
                self.progress(self.report.imported + self.report.already_imported)

    def finish(self) -> list[int]:
        self._collect(0)
        return self.ids

    def close(self) -> None:
        """After a failure too: the chunks waiting are dropped, the one under way ends before the
        caller rolls back."""
        self.stopped = True
        for future in self.running:
            future.cancel()
        wait(list(self.running))
        self.executor.shutdown(wait=True)
        self.formatting.close()


@dataclass
class _Prepared:
    """A chunk of checked rows as COPY text (:func:`_prepare_chunk`), each line without the
    columns the worker puts in front of it (:func:`_write_prepared`) nor the values the chunk's
    rows share (``tails``: a tab and those values, a table's own)."""

    refs: list[str]
    years: list[int]
    lines: list[int]
    #: (channel, type, day): the registration clock's key.
    clock_keys: list[tuple[SourceChannel, int, date]]
    cases: list[bytes]
    parties: list[list[bytes]]
    events: list[bytes]
    orders: list[bytes | None]
    #: The names of each row's minors, in the order of its parties.
    minors: list[tuple[str, ...]]
    tails: tuple[bytes, bytes, bytes, bytes]
    #: The names of the columns in each table's tail that the rows share (``_shared_values``).
    shared: tuple[tuple[str, ...], ...]


def _copy_lines(cursor: Any, rows: Iterable[Sequence[Any]]) -> list[bytes]:
    """Each row as a line of COPY text, as psycopg writes it to the server (without the line's end)."""
    from psycopg.copy import Copy, FileWriter

    buffer = io.BytesIO()
    with Copy(cursor, binary=False, writer=FileWriter(buffer)) as copy:
        for row in rows:
            copy.write_row(row)
    lines = buffer.getvalue().split(b"\n")  # a line break in a value is written as \n
    lines.pop()
    return lines


def _same(value: Any) -> Any:
    return value


def _row_converters(writer: _Writer, table: str, names: tuple[str, ...], constant: tuple[str, ...],
                    own: tuple[str, ...], converted: tuple[str, ...]) -> list[Callable[[Any], Any]]:
    """The converters of the columns ``converted`` of the rows' ``own`` columns of a table's plan,
    applied as each row is built. Any other of ``own`` that the dialect converts refuses to build
    (it would go to the server unconverted)."""
    _, converters, _, _ = writer._plan(table, names, constant)
    by_name = dict(zip(names, converters, strict=False))
    others = sorted(name for name in own if by_name[name] is not None and name not in converted)
    if others:
        raise RuntimeError(f"the {writer.dialect.name} dialect also converts {others}")
    return [by_name[name] or _same for name in converted]


def _prepare_chunk(cursor: Any, writer: _Writer, actor: Actor, rows: list[_Row]) -> _Prepared:
    """The caller's thread's part of a chunk's COPY (:class:`_CopyPipeline`): its rows' lines as
    :func:`_write` would write them, less the columns only the database can give."""
    shared_values = _shared_values(writer, actor)
    tables = (DisputeCase.__tablename__, Party.__tablename__, CaseEvent.__tablename__, HotlineOrder.__tablename__)
    fronts = (_COPY_CASE_FRONT, PARTY_COLUMNS[:1], EVENT_COLUMNS[:1], HOTLINE_COLUMNS[:1])
    owns = (_COPY_CASE, _COPY_PARTY, _COPY_EVENT, _COPY_ORDER)
    shared_names = tuple(tuple(values) for values in shared_values)
    channel_of, risk_of, requests_of = _row_converters(
        writer, tables[0], (*fronts[0], *owns[0]), shared_names[0], owns[0],
        ("source_channel", "risk_level", "requests"))
    role_of, kind_of, gender_of, id_type_of = _row_converters(
        writer, tables[1], (*fronts[1], *owns[1]), shared_names[1], owns[1], ("role", "kind", "gender", "id_type"))
    for n in (2, 3):
        _row_converters(writer, tables[n], (*fronts[n], *owns[n]), shared_names[n], owns[n], ())
    case_rows: list[tuple[Any, ...]] = []
    party_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    order_rows: list[tuple[Any, ...]] = []
    counts: list[int] = []
    minor_names: list[tuple[str, ...]] = []
    place_key, party_key = keys.place_key, keys.party_key
    for row in rows:
        case_rows.append((row.title, row.dispute_type_id, channel_of(row.channel), risk_of(row.risk), row.people,
                          row.amount, row.address, row.village, row.grid, row.facts, requests_of(row.requests),
                          row.received_at, row.reference, place_key(row.address)))
        for seq_no, party in enumerate(row.parties):
            party_rows.append((
                seq_no, role_of(party["role"]), kind_of(party["kind"]), party["name"], gender_of(party["gender"]),
                party["birth_date"], id_type_of(party["id_type"]), party["id_number"], party["address"],
                party["phone"], party["credit_code"], party["is_minor"],
                party_key(party["id_number"], party["name"], party["phone"])))
        counts.append(len(row.parties))
        minor_names.append(tuple(party["name"] for party in row.parties if party["is_minor"]))
        event_rows.append((row.received_at, f"由{row.system}转来，批量导入，工单号 {row.source_ref}"))
        if row.system in HOTLINE_SYSTEMS:
            order_rows.append((row.source_ref, row.hotline_type, row.received_at))
    tails: list[bytes] = []
    lines: list[list[bytes]] = []
    for table, front, own, table_rows, shared in zip(
            tables, fronts, owns, (case_rows, party_rows, event_rows, order_rows), shared_values, strict=True):
        _, converters, defaults, _ = writer._plan(table, (*front, *own), tuple(shared))
        lines.append(_copy_lines(cursor, table_rows))
        width = len(front) + len(own)
        common = [value if convert is None else convert(value)
                  for value, convert in zip(shared.values(), converters[width:], strict=True)]
        common += defaults
        tails.append(b"\t" + _copy_lines(cursor, [common])[0] if common else b"")
    party_lines: list[list[bytes]] = []
    start = 0
    for count in counts:
        party_lines.append(lines[1][start:start + count])
        start += count
    order_lines = iter(lines[3])
    return _Prepared(
        refs=[row.reference for row in rows], years=[row.received_at.year for row in rows],
        lines=[row.line for row in rows],
        clock_keys=[(row.channel, row.dispute_type_id, row.received_at.date()) for row in rows],
        cases=lines[0], parties=party_lines, events=lines[2],
        orders=[next(order_lines) if row.system in HOTLINE_SYSTEMS else None for row in rows],
        minors=minor_names, tails=(tails[0], tails[1], tails[2], tails[3]), shared=shared_names)


def _write_prepared(session: Session, actor: Actor, chunk: _Prepared, report: ImportReport,
                    writer: _Writer) -> list[int]:
    """The worker's part of a chunk's COPY (:class:`_CopyPipeline`): what :func:`_write` does,
    the rows' lines already formatted. Returns the new cases' ids."""
    prefix = writer.prefix
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    case_tail, party_tail, event_tail, order_tail = chunk.tails
    case_shared, party_shared, event_shared, order_shared = chunk.shared
    (stage_of,) = _row_converters(writer, DisputeCase.__tablename__, (*_COPY_CASE_FRONT, *_COPY_CASE), case_shared,
                                  _COPY_CASE_FRONT, ("clock_stage",))
    numbers, warnings = report.numbers, report.warnings
    written: list[int] = []
    # One cursor runs the statements, another (which never runs one) formats.
    cursor: Any = raw.cursor()
    formatting: Any = raw.cursor()
    with cursor, formatting:
        # The tickets as one array (the server reads an IN list as one too): SQLAlchemy's IN of
        # 20,000 parameters cost ~0.4 s of this thread's Python a chunk, while the server waited.
        existing = {ref for (ref,) in cursor.execute(
            f"SELECT source_ref FROM {DisputeCase.__tablename__} WHERE source_ref = ANY(%s)", (chunk.refs,))}
        for year, items, first_seq, ids in _years_to_write(
                session, writer, list(range(len(chunk.refs))), existing, chunk.refs.__getitem__,
                chunk.years.__getitem__, report):
            fronts: list[tuple[Any, ...]] = []
            for offset, (case_id, i) in enumerate(zip(ids, items, strict=True)):
                seq = first_seq + offset
                number = format_case_number(year, prefix, seq)
                numbers.append(number)
                stage, warn_on, due_on = writer.clock_of(session, chunk.clock_keys[i])
                fronts.append((case_id, number, year, seq, stage_of(stage), warn_on, due_on))
                for name in chunk.minors[i]:
                    warnings.append(_minor_warning(number, chunk.lines[i], name))
            case_fronts = _copy_lines(formatting, fronts)
            case_lines = [b"%b\t%b%b" % (front, chunk.cases[i], case_tail)
                          for front, i in zip(case_fronts, items, strict=True)]
            party_lines = [b"%d\t%b%b" % (case_id, line, party_tail)
                           for case_id, i in zip(ids, items, strict=True) for line in chunk.parties[i]]
            event_lines = [b"%d\t%b%b" % (case_id, chunk.events[i], event_tail)
                           for case_id, i in zip(ids, items, strict=True)]
            order_lines = [b"%d\t%b%b" % (case_id, line, order_tail)
                           for case_id, i in zip(ids, items, strict=True) if (line := chunk.orders[i]) is not None]
            for table, front, names, shared, table_lines in (
                    (DisputeCase.__tablename__, _COPY_CASE_FRONT, _COPY_CASE, case_shared, case_lines),
                    (Party.__tablename__, PARTY_COLUMNS[:1], _COPY_PARTY, party_shared, party_lines),
                    (CaseEvent.__tablename__, EVENT_COLUMNS[:1], _COPY_EVENT, event_shared, event_lines),
                    (HotlineOrder.__tablename__, HOTLINE_COLUMNS[:1], _COPY_ORDER, order_shared, order_lines)):
                if table_lines:
                    writer.copy_lines(cursor, table, (*front, *names), shared, table_lines)
            written += ids
            report.imported += len(items)
    return written


def _reserve(session: Session, year: int, count: int, center_id: int) -> int:
    """Reserve ``count`` consecutive numbers of ``year`` of the center; returns the first."""
    _, last = take_numbers(session, year, count, center_id)
    return last - count + 1


#: The columns the import writes, in the order of the tuples ``_write`` builds (the columns a
#: table has besides these get their scalar Python default, or their server default).
CASE_COLUMNS = (
    "id", "number", "year", "seq", "title", "dispute_type_id", "source_channel", "risk_level", "people_involved",
    "amount_involved", "address", "village", "grid", "facts", "requests", "received_at", "source_ref",
    "clock_stage", "clock_warn_on", "clock_due_on", "place_key",
)
PARTY_COLUMNS = (
    "case_id", "seq", "role", "kind", "name", "gender", "birth_date", "id_type", "id_number", "address", "phone",
    "credit_code", "is_minor", "repeat_key",
)
EVENT_COLUMNS = ("case_id", "at", "note")
#: A 12345 order's own row beside its case (services/hotline.py).
HOTLINE_COLUMNS = ("case_id", "order_no", "type_code", "received_at")
#: The action of every timeline entry an import writes (its case's registration).
IMPORT_ACTION = "import"
#: The systems whose rows are 12345 work orders, returned by ``hotline export``.
HOTLINE_SYSTEMS = frozenset({"12345", "热线"})

#: The columns of each table the worker writes in front of a prepared line (the rest is ``_COPY_*``).
_COPY_CASE_FRONT = ("id", "number", "year", "seq", "clock_stage", "clock_warn_on", "clock_due_on")
_COPY_CASE = ("title", "dispute_type_id", "source_channel", "risk_level", "people_involved", "amount_involved",
              "address", "village", "grid", "facts", "requests", "received_at", "source_ref", "place_key")
_COPY_PARTY = PARTY_COLUMNS[1:]
_COPY_EVENT = EVENT_COLUMNS[1:]
_COPY_ORDER = HOTLINE_COLUMNS[1:]


_R = TypeVar("_R")
#: A checked row's ticket and year (``_write``'s rows; ``_write_stored``'s: ``_STORED_REFERENCE``…).
_REFERENCE: Callable[[_Row], str] = attrgetter("reference")
_YEAR: Callable[[_Row], int] = attrgetter("received_at.year")


def _years_to_write(session: Session, writer: _Writer, rows: list[_R], existing: Collection[str | None],
                    reference: Callable[[_R], str], year_of: Callable[[_R], int],
                    report: ImportReport) -> Iterator[tuple[int, list[_R], int, list[int]]]:
    """What both write loops open with (``_write``: rows checked here, PostgreSQL's and the
    row-by-row path; ``_write_stored``: SQLite's bulk path, rows as stored): the rows whose ticket
    is not in ``existing`` (the tickets imported before; the others counted in the report), by
    year in order, each year with its first case number's sequence and its cases' ids. Each year's
    numbers and ids are taken when the loop asks for it, after the year before is written: on
    SQLite the ids follow the highest id written."""
    fresh = [row for row in rows if reference(row) not in existing] if existing else rows
    report.already_imported += len(rows) - len(fresh)
    by_year: dict[int, list[_R]] = {}
    for row in fresh:
        by_year.setdefault(year_of(row), []).append(row)
    for year, items in sorted(by_year.items()):
        first_seq = _reserve(session, year, len(items), writer.center_id)
        yield year, items, first_seq, writer.case_ids(session, len(items))


def _shared_values(writer: _Writer, actor: Actor) -> tuple[dict[str, Any], ...]:
    """The values every row of an import shares, beside its own, in the tables it writes: its
    cases, parties, timeline entries and 12345 orders (the order of ``_write``'s inserts)."""
    stamp, user_id, registered = now(), actor.user_id, CaseState.REGISTERED
    return ({"center_id": writer.center_id, "state": registered, "is_group_dispute": False,
             "may_turn_criminal": False, "registered_by_id": user_id, "version": 1, "created_at": stamp,
             "updated_at": stamp},
            {"ethnicity": "", "occupation": "", "work_unit": "", "legal_representative": "", "agent_name": "",
             "agent_phone": "", "agent_authority": "", "created_at": stamp, "updated_at": stamp},
            {"user_id": user_id, "kind": EventKind.REGISTERED, "action": IMPORT_ACTION, "from_state": None,
             "to_state": registered},
            {"contact_note": "", "created_at": stamp, "updated_at": stamp})


def _write(session: Session, actor: Actor, rows: list[_Row], report: ImportReport, writer: _Writer) -> list[int]:
    """Write the rows not imported before; returns the new cases' ids."""
    refs = [r.reference for r in rows]
    existing = set(session.scalars(select(DisputeCase.source_ref).where(DisputeCase.source_ref.in_(refs))))
    prefix = writer.prefix
    case_shared, party_shared, event_shared, order_shared = _shared_values(writer, actor)
    written: list[int] = []
    for year, items, first_seq, ids in _years_to_write(session, writer, rows, existing, _REFERENCE, _YEAR, report):
        case_rows: list[tuple[Any, ...]] = []
        party_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        order_rows: list[tuple[Any, ...]] = []
        numbers = report.numbers
        for offset, (case_id, row) in enumerate(zip(ids, items, strict=True)):
            seq = first_seq + offset
            number = format_case_number(year, prefix, seq)
            numbers.append(number)
            stage, warn_on, due_on = writer.clock(session, row)
            case_rows.append((
                case_id, number, year, seq, row.title, row.dispute_type_id, row.channel, row.risk, row.people,
                row.amount, row.address, row.village, row.grid, row.facts, row.requests, row.received_at,
                row.reference, stage, warn_on, due_on, keys.place_key(row.address),
            ))
            for seq_no, party in enumerate(row.parties):
                if party["is_minor"]:
                    report.warnings.append(_minor_warning(number, row.line, party["name"]))
                party_rows.append((
                    case_id, seq_no, party["role"], party["kind"], party["name"], party["gender"], party["birth_date"],
                    party["id_type"], party["id_number"], party["address"], party["phone"], party["credit_code"],
                    party["is_minor"], keys.party_key(party["id_number"], party["name"], party["phone"]),
                ))
            event_rows.append((case_id, row.received_at, f"由{row.system}转来，批量导入，工单号 {row.source_ref}"))
            if row.system in HOTLINE_SYSTEMS:
                order_rows.append((case_id, row.source_ref, row.hotline_type, row.received_at))
        writer.insert(session, DisputeCase.__tablename__, CASE_COLUMNS, case_rows, case_shared)
        writer.insert(session, Party.__tablename__, PARTY_COLUMNS, party_rows, party_shared)
        writer.insert(session, CaseEvent.__tablename__, EVENT_COLUMNS, event_rows, event_shared)
        writer.insert(session, HotlineOrder.__tablename__, HOTLINE_COLUMNS, order_rows, order_shared)
        written += ids
        report.imported += len(items)
    return written


def _minor_warning(number: str, line: int, name: str) -> str:
    return (f"{number}（第 {line} 行）：当事人{name}按身份证号码登记时未满十八周岁，"
            "是未成年人；导入的记录没有其法定代理人（监护人），请在案件的当事人“代理人”一栏补填后再制作文书。")


def _sqlite_literal(value: Any) -> str | None:
    """``value`` as a SQLite literal that stores what binding it stores, or None (then it is bound)."""
    if value is None:
        return "NULL"
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    if type(value) in (int, bool) and value >= 0:
        return str(int(value))
    return None


def _iso_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _converter(dialect: Any, column_type: Any) -> Callable[[Any], Any] | None:
    """What turns a Python value into what the driver is given, as SQLAlchemy would store it."""
    if isinstance(column_type, Enum):
        process: Any = column_type._cached_bind_processor(dialect)
        stored: dict[Any, Any] = {member: process(member) if process else member.name
                                  for member in column_type.enum_class or ()}
        stored[None] = None
        return stored.__getitem__
    if dialect.name == "sqlite":
        if isinstance(column_type, DateTime) and not column_type.timezone:
            return _iso_datetime
        if isinstance(column_type, Date):
            return _iso_date
        return cast(Callable[[Any], Any] | None, column_type._cached_bind_processor(dialect))
    if isinstance(column_type, JSON):
        serialize = getattr(dialect, "_json_serializer", None) or json.dumps
        return lambda value: None if value is None else serialize(value)
    return None


#: (every column written, the converter of each given one, the default of each added one, the statement)
_Plan = tuple[list[str], list[Any], list[Any], str]


class _Writer:
    """How one import's rows reach the tables of its database, and what every chunk shares.

    SQLite: the values go through each column type's own bind processor (so they are stored
    exactly as SQLAlchemy stores them; naive dates and times as the same ISO strings, written by
    ``isoformat`` in C; an enum column by a lookup of its members' stored strings) and straight to
    the driver's ``executemany``: SQLAlchemy's per-row parameter dictionaries cost as much as
    SQLite's own work. The import's transaction holds SQLite's only write lock (the writer begins
    IMMEDIATE), so the new cases' ids are handed out here.

    PostgreSQL: ``COPY … FROM STDIN`` (psycopg 3's ``cursor.copy``), the ids drawn from the
    table's sequence first. PostgreSQL refuses ``COPY FROM`` into a table whose row-level security
    applies to the session — every person's own login role (migration 0014) — so there the same
    rows go as one ``INSERT … SELECT FROM unnest(arrays)`` per table and chunk, which the policies
    check as any insert. Triggers fire for both (the search gram counts of migration 0010 are
    statement-level: once per chunk). By COPY the rows arrive as lines of COPY text formatted on
    the reading thread (:meth:`copy_lines`, :class:`_CopyPipeline`).

    Columns the rows leave out get their scalar Python default (a column without one must be
    nullable or have a server default).
    """

    def __init__(self, session: Session, *, row_by_row: bool = False, center_id: int | None = None) -> None:
        self.row_by_row = row_by_row
        self.dialect = session.get_bind().dialect
        self.sqlite = self.dialect.name == "sqlite"
        # The cases go to the importing person's center, numbered with its prefix (docs/centers.md).
        self.center_id = numbering_center(session, center_id)
        self.prefix = center_prefix(session, self.center_id)
        self.calendar = WorkingCalendar.load(session)
        self.limits: dict[tuple[ClockStage, int], clocks.Limit] = {}
        self.clocks: dict[tuple[SourceChannel, int, date], tuple[Any, ...]] = {}
        self.stored_clocks: dict[tuple[str, int, str], tuple[Any, ...]] = {}
        self._clock_converters: list[Callable[[Any], Any] | None] = []
        self._channels: dict[Any, SourceChannel] = {}
        secured = not self.sqlite and bool(session.scalar(
            text("SELECT row_security_active(CAST(:t AS regclass))"), {"t": DisputeCase.__tablename__}))
        self.copy = not self.sqlite and not secured
        #: Row-level security applies (a person's own login role): COPY into a temporary table of
        #: the transaction, then one INSERT … SELECT per table and chunk, which the policies check
        #: — where the login may make one (migration 0027 grants it to the importing groups);
        #: else one INSERT … SELECT FROM unnest(arrays).
        self.staged = secured and bool(session.scalar(
            text("SELECT has_database_privilege(current_database(), 'TEMPORARY')")))
        self._staging: dict[str, tuple[str, str, str]] = {}
        self._plans: dict[tuple[str, tuple[str, ...], tuple[str, ...]], _Plan] = {}

    def clock(self, session: Session, row: _Row) -> tuple[Any, ...]:
        """The registration clock of a row; rows of one day, channel and type share it (a hotline
        export has thousands of tickets a day)."""
        return self.clock_of(session, (row.channel, row.dispute_type_id, row.received_at.date()))

    def clock_of(self, session: Session, key: tuple[SourceChannel, int, date]) -> tuple[Any, ...]:
        """:meth:`clock` of the rows of a (channel, type, day)."""
        found = self.clocks.get(key)
        if found is None:
            found = tuple(clocks.registration_clock(
                session, self.calendar, self.limits, source_channel=key[0], is_consultation=False,
                dispute_type_id=key[1], received_on=key[2]))
            self.clocks[key] = found
        return found

    def stored_clock(self, session: Session, key: tuple[str, int, str]) -> tuple[Any, ...]:
        """:meth:`clock` of a stored row's (stored channel, type, ISO date), as SQLite stores it."""
        found = self.stored_clocks.get(key)
        if found is None:
            if not self.stored_clocks:
                table = Base.metadata.tables[DisputeCase.__tablename__]
                convert = [_converter(self.dialect, table.c[name].type) for name in _CLOCK_COLUMNS]
                self._clock_converters = convert
                channel = _converter(self.dialect, table.c.source_channel.type)
                assert channel is not None
                self._channels = {channel(member): member for member in SourceChannel}
            stage, warn_on, due_on = clocks.registration_clock(
                session, self.calendar, self.limits, source_channel=self._channels[key[0]], is_consultation=False,
                dispute_type_id=key[1], received_on=date.fromisoformat(key[2]))
            found = tuple(value if c is None else c(value)
                          for c, value in zip(self._clock_converters, (stage, warn_on, due_on), strict=True))
            self.stored_clocks[key] = found
        return found

    def stored_plan(self, table_name: str, names: tuple[str, ...],
                    constant: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """(the statement, the values every row adds after its own) of rows already stored (SQLite).
        The values every row shares are written into the statement as literals where SQLite reads
        a literal as the same value a parameter gives (text, NULL, a non-negative integer): the
        rows' tuples and the driver's binding carry only what differs."""
        columns, converters, defaults, _ = self._plan(table_name, names, tuple(constant))
        shared = [value if convert is None else convert(value)
                  for value, convert in zip(constant.values(), converters[len(names):], strict=True)]
        slots, bound = ["?"] * len(names), []
        for value in (*shared, *defaults):
            literal = _sqlite_literal(value)
            slots.append("?" if literal is None else literal)
            if literal is None:
                bound.append(value)
        quote = self.dialect.identifier_preparer.quote
        # The bound shared values follow the rows' own, in the order of the columns.
        shared_columns = columns[len(names):]
        listed = [*names, *(c for c, s in zip(shared_columns, slots[len(names):], strict=True) if s == "?"),
                  *(c for c, s in zip(shared_columns, slots[len(names):], strict=True) if s != "?")]
        values = [*slots[:len(names)], *(s for s in slots[len(names):] if s == "?"),
                  *(s for s in slots[len(names):] if s != "?")]
        sql = (f"INSERT INTO {quote(table_name)} ({', '.join(quote(n) for n in listed)}) "
               f"VALUES ({', '.join(values)})")
        return sql, tuple(bound)

    def case_ids(self, session: Session, count: int) -> list[int]:
        table = Base.metadata.tables[DisputeCase.__tablename__]
        if self.sqlite:
            last = int(session.scalar(select(func.max(table.c.id))) or 0)
            return list(range(last + 1, last + 1 + count))
        return sorted(int(i) for i in session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count}))

    def _plan(self, table_name: str, names: tuple[str, ...],
              constant: tuple[str, ...]) -> _Plan:
        """(every column written, the converter of each column given by the rows or as a constant,
        the default of each added one, the statement) of a table written with ``names`` and
        ``constant``, in that order."""
        key = (table_name, names, constant)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        table = Base.metadata.tables[table_name]
        defaults: dict[str, Any] = {}
        for column in table.columns:
            if column.name in names or column.name in constant or column.primary_key:
                continue
            default = column.default
            if isinstance(default, ScalarElementColumnDefault):
                defaults[column.name] = default.arg
            elif not column.nullable and column.server_default is None:
                raise ValueError(f"{table.name}.{column.name} needs a value")
        columns = [*names, *constant, *defaults]
        converters = [self._converter(table.c[name].type) for name in (*names, *constant)]
        quote = self.dialect.identifier_preparer.quote
        listed = ", ".join(quote(n) for n in columns)
        if self.sqlite:
            sql = f"INSERT INTO {quote(table.name)} ({listed}) VALUES ({', '.join('?' * len(columns))})"
        elif self.copy:
            sql = f"COPY {quote(table.name)} ({listed}) FROM STDIN"
        elif self.staged:
            staging = quote(f"md_import_{table.name}")
            sql = f"COPY {staging} ({listed}, md_row) FROM STDIN"
            self._staging[sql] = (
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
                f"SELECT {listed}, 0 AS md_row FROM {quote(table.name)} WITH NO DATA",
                f"INSERT INTO {quote(table.name)} ({listed}) SELECT {listed} FROM {staging} ORDER BY md_row",
                f"TRUNCATE {staging}")
        else:
            arrays = ", ".join(f"CAST(%(c{i})s AS {table.c[n].type.compile(self.dialect)}[])"
                               for i, n in enumerate(columns))
            sql = f"INSERT INTO {quote(table.name)} ({listed}) SELECT * FROM unnest({arrays})"
        plan = (columns, converters, [defaults[n] for n in defaults], sql)
        self._plans[key] = plan
        return plan

    def _converter(self, column_type: Any) -> Callable[[Any], Any] | None:
        return _converter(self.dialect, column_type)

    def copy_lines(self, cursor: Any, table_name: str, names: tuple[str, ...], constant: tuple[str, ...],
                   lines: list[bytes]) -> None:
        """What :meth:`insert` does by COPY, the rows given as lines of COPY text (each the values
        of ``names`` then of ``constant`` and the defaults, without the line's end)."""
        _, _, _, sql = self._plan(table_name, names, constant)
        if self.staged:
            create, move, empty = self._staging[sql]
            cursor.execute(create)
            data = b"".join([b"%b\t%d\n" % (line, n) for n, line in enumerate(lines)])
        else:
            data = b"\n".join(lines) + b"\n"
        with cursor.copy(sql) as copy:
            copy.write(data)
        if self.staged:
            cursor.execute(move)
            cursor.execute(empty)

    def insert(self, session: Session, table_name: str, names: tuple[str, ...], rows: list[tuple[Any, ...]],
               constant: dict[str, Any]) -> None:
        """Insert ``rows`` (values of ``names``), each with the values of ``constant`` too."""
        if not rows:
            return
        if self.row_by_row:
            table = Base.metadata.tables[table_name]
            for row in rows:
                session.execute(insert(table).values({**dict(zip(names, row, strict=True)), **constant}))
            return
        _, converters, defaults, sql = self._plan(table_name, names, tuple(constant))
        # Column by column: one converter call per value, no per-row work in Python; the columns
        # every row shares are converted once.
        width = len(names)
        cells: list[Any] = [list(map(convert, values)) if convert is not None else values
                            for values, convert in zip(zip(*rows, strict=True), converters[:width], strict=True)]
        shared = [convert(value) if convert is not None else value
                  for value, convert in zip(constant.values(), converters[width:], strict=True)]
        cells += [[value] * len(rows) for value in (*shared, *defaults)]
        connection = session.connection()
        if self.sqlite:
            connection.exec_driver_sql(sql, list(zip(*cells, strict=True)))
            return
        raw = connection.connection.dbapi_connection
        assert raw is not None
        # By COPY (as the owner, or into the temporary table) the rows go by copy_lines
        # (_CopyPipeline); here only the arrays of a login without the TEMPORARY right.
        assert not self.copy and not self.staged
        cursor: Any = raw.cursor()
        with cursor:
            cursor.execute(sql, {f"c{i}": list(values) for i, values in enumerate(cells)})


# --------------------------------------------------------------------------- SQLite: rows as stored

#: A file of this size or more is read and checked in a second process while this one writes
#: (SQLite's bulk path): about 20,000 rows of a hotline export. Below it the second process's start
#: (~0.9 s of CPU importing the modules, measured 2026-12-05) costs about what it would save
#: (~60 µs of reading and checking a row).
APART_MIN_BYTES = 8 * 2**20
#: The case columns a checked row gives, as SQLite stores them (``_Storer``), after the ones the
#: writer adds (id, number, year, seq, and the registration clock).
_CLOCK_COLUMNS = ("clock_stage", "clock_warn_on", "clock_due_on")
_WRITER_CASE = ("id", "number", "year", "seq", *_CLOCK_COLUMNS)
_STORED_CASE = ("title", "dispute_type_id", "source_channel", "risk_level", "people_involved", "amount_involved",
                "address", "village", "grid", "facts", "requests", "received_at", "source_ref", "place_key")
_AT = _STORED_CASE.index("received_at")
#: Tickets looked up at once when a chunk is checked against the cases imported before.
_REFS_A_QUERY = 1000
_STORED_PARTY = ("seq", "role", "kind", "name", "gender", "birth_date", "id_type", "id_number", "address", "phone",
                 "credit_code", "is_minor", "repeat_key")
#: A checked row as SQLite stores it: (line, reference, year, (stored channel, type id, ISO date of
#: the clock), the case's values of ``_STORED_CASE``, each party's values of ``_STORED_PARTY``, the
#: names of its minors, its timeline note, its 12345 order (number, type code) or None). Plain
#: strings, numbers and tuples: cheap to send from one process to another.
_Stored = tuple[int, str, int, tuple[str, int, str], tuple[Any, ...], tuple[tuple[Any, ...], ...], tuple[str, ...],
                str, tuple[str, str] | None]
_STORED_REFERENCE: Callable[[_Stored], str] = itemgetter(1)
_STORED_YEAR: Callable[[_Stored], int] = itemgetter(2)


class _Storer:
    """A checked row turned into what SQLite stores, value by value by each column's own
    conversion (SQLAlchemy's bind processors of the SQLite dialect, as ``_Writer`` applies them).

    Written out column by column (the checking process's hottest code after the checks: a loop
    over every column's converter cost ~40 % of it). Which columns convert is read from the
    dialect here: one that starts or stops converting refuses to build, so the values stay
    exactly SQLAlchemy's."""

    #: The columns whose values the dialect converts (all others are stored as given).
    CASE_CONVERTED = frozenset({"source_channel", "risk_level", "amount_involved", "requests", "received_at"})
    PARTY_CONVERTED = frozenset({"role", "kind", "gender", "birth_date", "id_type", "is_minor"})

    def __init__(self) -> None:
        dialect = pysqlite.dialect()
        cases, parties = (Base.metadata.tables[t] for t in (DisputeCase.__tablename__, Party.__tablename__))
        case = {name: _converter(dialect, cases.c[name].type) for name in _STORED_CASE}
        party = {name: _converter(dialect, parties.c[name].type) for name in _STORED_PARTY}
        for converters, expected in ((case, self.CASE_CONVERTED), (party, self.PARTY_CONVERTED)):
            converted = {name for name, convert in converters.items() if convert is not None}
            if converted != expected:
                raise RuntimeError(f"the SQLite dialect converts {sorted(converted)}, not {sorted(expected)}")
        self.channel, self.risk, self.amount, self.requests, self.received_at = (
            cast(Callable[[Any], Any], case[name]) for name in (
                "source_channel", "risk_level", "amount_involved", "requests", "received_at"))
        self.no_requests = self.requests([])
        self.role, self.kind, self.gender, self.birth_date, self.id_type, self.is_minor = (
            cast(Callable[[Any], Any], party[name]) for name in (
                "role", "kind", "gender", "birth_date", "id_type", "is_minor"))

    def __call__(self, row: _Row) -> _Stored:
        role, kind, gender, birth_date, id_type, is_minor = (
            self.role, self.kind, self.gender, self.birth_date, self.id_type, self.is_minor)
        channel = self.channel(row.channel)
        received_at = row.received_at
        address = row.address
        # In the order of _STORED_CASE.
        case = (row.title, row.dispute_type_id, channel, self.risk(row.risk), row.people, self.amount(row.amount),
                address, row.village, row.grid, row.facts,
                self.requests(row.requests) if row.requests else self.no_requests, self.received_at(received_at),
                row.reference, keys.place_key(address))
        # In the order of _STORED_PARTY.
        parties = tuple(
            (seq, role(p["role"]), kind(p["kind"]), p["name"], gender(p["gender"]), birth_date(p["birth_date"]),
             id_type(p["id_type"]), p["id_number"], p["address"], p["phone"], p["credit_code"], is_minor(p["is_minor"]),
             keys.party_key(p["id_number"], p["name"], p["phone"]))
            for seq, p in enumerate(row.parties))
        minor_names = tuple(str(p["name"]) for p in row.parties if p["is_minor"])
        order = (row.source_ref, row.hotline_type) if row.system in HOTLINE_SYSTEMS else None
        return (row.line, row.reference, received_at.year, (str(channel), row.dispute_type_id,
                received_at.date().isoformat()), case, parties, minor_names,
                f"由{row.system}转来，批量导入，工单号 {row.source_ref}", order)


class _Clean:
    """A row that every check passes at its first, precompiled test, turned straight into what
    SQLite stores (what ``_Storer(_parse_row(…))`` gives it) — or None: then ``_parse_row`` checks
    the row and words its refusals. No ``_Row``, no party dictionaries, each stored enum and
    constant looked up once: the checking process's hot path for a clean hotline export (a
    fusion of the two; ``tests/services/test_case_import_bulk.py`` compares them row by row)."""

    #: Distinct requests texts remembered with their stored JSON (a hotline export repeats few).
    MAX_REQUESTS = 10_000

    def __init__(self, storer: _Storer, types: dict[str, int], today: datetime) -> None:
        self.types, self.today, self.today_date = types, today, today.date()
        self.last_year = today.year + 1
        self.channels = {system: storer.channel(channel) for system, channel in _SYSTEMS.items()}
        self.risks = {label: storer.risk(level) for label, level in _RISKS.items()}
        self.blue = storer.risk(RiskLevel.BLUE)
        self.no_amount = storer.amount(None)
        self.amount = storer.amount
        self.received_at = storer.received_at
        self.requests, self.no_requests = storer.requests, storer.no_requests
        self.stored_requests: dict[str, Any] = {}
        self.roles = (("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address",
                       "applicant_credit_code", storer.role(PartyRole.APPLICANT)),
                      ("respondent_name", "respondent_id_number", "respondent_phone", "respondent_address",
                       "respondent_credit_code", storer.role(PartyRole.RESPONDENT)))
        self.person, self.legal_person = storer.kind(PartyKind.PERSON), storer.kind(PartyKind.LEGAL_PERSON)
        self.resident_id, self.no_id_type = storer.id_type(IdDocumentType.RESIDENT_ID), storer.id_type(None)
        self.genders = {gender: storer.gender(gender) for gender in Gender}
        self.no_gender, self.no_birth = storer.gender(None), storer.birth_date(None)
        self.birth_date = storer.birth_date
        self.minor, self.adult = storer.is_minor(True), storer.is_minor(False)

    def __call__(self, line: int, record: dict[str, str]) -> _Stored | None:
        if "__error__" in record:
            return None
        keys_ = tuple(record)
        limits = _LIMITS_OF.get(keys_)
        if limits is None:
            limits = _LIMITS_OF[keys_] = tuple(_LIMITS.get(key, MAX_CELL) for key in keys_)
        if _FORBIDDEN.search("\t".join(record.values())) or any(map(gt, map(len, record.values()), limits)):
            return None
        value = _NO_VALUES.copy()
        value.update(zip(record, map(str.strip, record.values()), strict=True))
        if not all(map(value.__getitem__, _REQUIRED)):
            return None
        written = value["received_at"]
        if not written.isascii():
            return None
        try:
            received = datetime.fromisoformat(written)
        except ValueError:
            return None
        if received.tzinfo or not FIRST_YEAR <= received.year <= self.last_year or received > self.today:
            return None
        type_id = self.types.get(value["dispute_type"])
        if type_id is None:
            return None
        system = value["source_system"] or "12345"
        channel = self.channels.get(system)  # a known system is ASCII or has no full-width form
        if channel is None:
            return None
        risk = self.blue
        if value["risk_level"]:
            risk = self.risks.get(value["risk_level"].rstrip("色"))
            if risk is None:
                return None
        people = 0
        if value["people_involved"]:
            if not _CLEAN_COUNT.fullmatch(value["people_involved"]):
                return None
            people = int(value["people_involved"])
            if people > MAX_PEOPLE:
                return None
        amount = self.no_amount
        if value["amount_involved"]:
            if not _CLEAN_AMOUNT.fullmatch(value["amount_involved"]):  # also below MAX_AMOUNT, to the cent
                return None
            amount = self.amount(_amount(value["amount_involved"]))
        received_on = received.date()
        quick_id, today_date = validation.quick_resident_parts, self.today_date
        parties: list[tuple[Any, ...]] = []
        minor_names: list[str] = []
        for name_key, id_key, phone_key, address_key, credit_key, role in self.roles:
            name = value[name_key]
            if not name:
                continue
            id_number, phone, credit = value[id_key], value[phone_key], value.get(credit_key, "")
            kind, id_type, is_minor = self.person, self.no_id_type, self.adult
            gender, birth = self.no_gender, self.no_birth
            if id_number:
                parts = quick_id(id_number, today_date)  # the number is stored as written
                if parts is None:
                    return None
                id_type, gender = self.resident_id, self.genders[parts[1]]
                birth = self.birth_date(parts[0])
                if minors.age_on(parts[0], received_on) < minors.ADULT_AGE:
                    is_minor = self.minor
                    minor_names.append(name)
            if credit:
                try:
                    credit = validation.check_credit_code(credit)
                except InvalidInput:
                    return None
                kind = self.legal_person
            if phone and validation.quick_phone(phone) is None:
                return None
            parties.append((len(parties), role, kind, name, gender, birth, id_type, id_number, value[address_key],
                            phone, credit, is_minor, keys.party_key(id_number, name, phone)))
        raw_requests = value["requests"]
        requests = self.stored_requests.get(raw_requests)
        if requests is None:
            listed = [r for r in map(str.strip, raw_requests.replace("\n", "；").replace(";", "；").split("；")) if r]
            requests = self.requests(listed) if listed else self.no_requests
            if len(self.stored_requests) < self.MAX_REQUESTS:
                self.stored_requests[raw_requests] = requests
        source_ref, address = value["source_ref"], value["address"]
        reference = f"{system}:{source_ref}"
        case = (value["title"], type_id, channel, risk, people, amount, address, value["village"], value["grid"],
                value["facts"], requests, self.received_at(received), reference, keys.place_key(address))
        return (line, reference, received.year, (str(channel), type_id, received_on.isoformat()), case,
                tuple(parties), tuple(minor_names), f"由{system}转来，批量导入，工单号 {source_ref}",
                (source_ref, value["hotline_type"]) if system in HOTLINE_SYSTEMS else None)


def _checked_chunks(records: Iterable[tuple[int, dict[str, str]]], types: dict[str, int], today: datetime,
                    chunk: int) -> Iterator[tuple[list[RowError], list[_Stored]]]:
    """(the refusals, the good rows as stored) of each ``chunk`` good rows of ``records``, in order —
    the same checks and messages, in the same order, as the other path's."""
    storer = _Storer()
    clean = _Clean(storer, types, today)
    seen_in_file: dict[str, int] = {}
    errors: list[RowError] = []
    pending: list[_Stored] = []
    for line, record in records:
        stored = clean(line, record)
        if stored is not None:
            first = seen_in_file.get(stored[1])
            if first is not None:
                errors.append(RowError(line, "source_ref", f"与第 {first} 行的来源编号重复"))
                continue
            seen_in_file[stored[1]] = line
            pending.append(stored)
            if len(pending) >= chunk:
                yield errors, pending
                errors, pending = [], []
            continue
        parsed = _parse_row(line, record, types, today)
        if isinstance(parsed, list):
            errors.extend(parsed)
            continue
        first = seen_in_file.get(parsed.reference)
        if first is not None:
            errors.append(RowError(line, "source_ref", f"与第 {first} 行的来源编号重复"))
            continue
        seen_in_file[parsed.reference] = line
        pending.append(storer(parsed))
        if len(pending) >= chunk:
            yield errors, pending
            errors, pending = [], []
    if errors or pending:
        yield errors, pending


def _check_apart(path: str, types: dict[str, int], today: datetime, chunk: int, out: Any) -> None:
    """The second process: reads and checks the file, sends each chunk (then None) to ``out``.
    A file that cannot be read is sent as ("file", message), anything else as ("crash", text)."""
    try:
        for item in _checked_chunks(FileRecords(Path(path)), types, today, chunk):
            out.put(item)
    except ImportFileError as exc:
        out.put(("file", exc.message))
    except BaseException:  # handed to the importing process, which raises it
        out.put(("crash", traceback.format_exc()))
    else:
        out.put(None)


class ImportCheckError(ServiceError):
    """The process checking the file stopped without finishing: nothing is imported (the caller's
    transaction is rolled back); what went wrong in it is logged."""


_log = logging.getLogger(__name__)
#: How long the importing process waits for the checking one before asking whether it still runs.
_POLL_SECONDS = 1.0


def _checked_apart(path: Path, types: dict[str, int], today: datetime,
                   chunk: int) -> Iterator[tuple[list[RowError], list[_Stored]]]:
    """:func:`_checked_chunks` of the file at ``path``, run by a second process (spawned: the
    importing one may hold threads and Qt) that keeps a few chunks ahead of the writing."""
    context = multiprocessing.get_context("spawn")
    out: Any = context.Queue(maxsize=4)
    process = context.Process(target=_check_apart, args=(str(path), types, today, chunk, out),
                              name="case-import-check", daemon=True)
    process.start()
    try:
        while True:
            try:
                item = out.get(timeout=_POLL_SECONDS)
            except queue_module.Empty:
                if process.is_alive():
                    continue
                try:  # what it sent just before it ended
                    item = out.get(timeout=_POLL_SECONDS)
                except queue_module.Empty:
                    raise ImportCheckError(
                        f"检查导入文件的进程意外退出（退出码 {process.exitcode}），未导入任何案件。") from None
            if item is None:
                return
            if item[0] == "file":
                raise ImportFileError(item[1])
            if item[0] == "crash":
                _log.error("the process checking %s failed:\n%s", path.name, item[1])
                raise ImportCheckError("检查导入文件的进程出错，未导入任何案件（详情见日志）。"
                                       "请重试；仍不成功请联系管理员。")
            yield item
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        out.close()
        out.cancel_join_thread()


def _import_stored(session: Session, actor: Actor, records: Iterable[tuple[int, dict[str, str]]],
                   types: dict[str, int], today: datetime, report: ImportReport, writer: _Writer,
                   progress: Callable[[int], None] | None, check_apart: bool | None, index: bool) -> list[int]:
    """SQLite's bulk path: rows checked and turned into what SQLite stores — in a second process
    for a big file (on the other core, while this one writes), else here — and written by one
    ``executemany`` per table and chunk. ``index``: each chunk's cases and parties are put into the
    search index once written (:func:`search.index_new_rows`; the new rows' ids are consecutive,
    handed out under SQLite's write lock). Returns the new cases' ids."""
    if check_apart is None:
        check_apart = isinstance(records, FileRecords) and _size(records.path) >= APART_MIN_BYTES
    if check_apart and not isinstance(records, FileRecords):
        raise ValueError("only a file's records (read_records) are checked in another process")
    chunks = (_checked_apart(records.path, types, today, CHUNK_ROWS) if isinstance(records, FileRecords) and check_apart
              else _checked_chunks(records, types, today, CHUNK_ROWS))
    ids: list[int] = []
    last_party = _last_party_id(session) if index else 0
    try:
        for errors, stored in chunks:
            report.errors.extend(errors)
            if stored:
                written = _write_stored(session, actor, stored, report, writer)
                if index and written:
                    first_party, last_party = last_party + 1, _last_party_id(session)
                    search.index_new_rows(session, (min(written), max(written)), (first_party, last_party))
                ids += written
                if progress:
                    progress(report.imported + report.already_imported)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return ids


def _last_party_id(session: Session) -> int:
    return int(session.connection().exec_driver_sql(f"SELECT max(id) FROM {Party.__tablename__}").scalar() or 0)


#: The tables SQLite's bulk path writes row by row; their secondary indexes are set aside for a big
#: load (:func:`loads_in_bulk`).
BULK_LOAD_TABLES = (DisputeCase.__tablename__, Party.__tablename__, CaseEvent.__tablename__,
                    HotlineOrder.__tablename__)
#: The timeline's insert triggers, which count and keep endings only (their ``WHEN``: an ending
#: action): every timeline entry an import writes is its case's registration (``IMPORT_ACTION``),
#: so they would do nothing but cost SQLite a call of each one's program per row
#: (~1.5 s of a 100,000-row import's CPU). SQLite's bulk path sets them aside while it writes.
QUIET_TRIGGERS = ("stat_event_bi", "stat_event_ai", "hotline_fact_event_ai")
#: An import of at least this many records per case the database holds builds the written tables'
#: secondary indexes again at the end instead of keeping them row by row. Measured (docs/
#: performance-log.md, "Batch import"): 100,000 rows into 300 cases ~13 % less CPU; into 100,300
#: imported cases ~10 % more, into the 200,000-case demo (more parties and timeline entries a case)
#: ~45 % more — the build sorts the whole tables. Even near 2× (imported history) to ~10× (a
#: center's own cases): 10 keeps the path for a center loading its history into a new database.
BULK_LOAD_RATIO = 10.0
#: Fewer records than this never set the indexes aside (building them reads the whole tables).
BULK_LOAD_MIN_RECORDS = 1000


def loads_in_bulk(session: Session, records: Iterable[tuple[int, dict[str, str]]]) -> bool:
    """Whether an import of ``records`` sets the written tables' secondary indexes aside: when
    they are :data:`BULK_LOAD_RATIO` times the cases the database holds or more (a center loading
    its history into a new database). How many records a file holds is guessed from its
    lines (CSV) or its objects (JSON), an upper bound."""
    expected = _records_expected(records)
    if expected is None or expected < BULK_LOAD_MIN_RECORDS:
        return False
    # The cases held, by the highest id (one look-up; cases deleted since only make it larger).
    held = int(session.scalar(select(func.max(DisputeCase.id))) or 0)
    return expected >= BULK_LOAD_RATIO * held


def _records_expected(records: Iterable[tuple[int, dict[str, str]]]) -> int | None:
    if isinstance(records, Collection):
        return len(records)
    if not isinstance(records, FileRecords):
        return None
    try:
        with records.path.open("rb") as handle:
            if records.path.stat().st_size > MAX_FILE_BYTES:
                return None  # refused as it is read
            data = handle.read()
    except OSError:
        return None  # read by the import, which words the refusal
    if records.path.suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")):
        return data.count(b"{")
    return data.count(b"\n")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read here, where the reading words the refusal


def _write_stored(session: Session, actor: Actor, rows: list[_Stored], report: ImportReport,
                  writer: _Writer) -> list[int]:
    """:func:`_write` of rows already as stored: the same ids, numbers, rows and warnings."""
    connection = session.connection()
    refs = [r[1] for r in rows]
    existing: set[str] = set()
    for start in range(0, len(refs), _REFS_A_QUERY):  # driver SQL: no statement compiled with 5,000 parameters
        some = refs[start:start + _REFS_A_QUERY]
        existing.update(ref for (ref,) in connection.exec_driver_sql(
            f"SELECT source_ref FROM dispute_case WHERE source_ref IN ({', '.join('?' * len(some))})", tuple(some)))
    prefix = writer.prefix
    case_constant, party_constant, event_constant, order_constant = _shared_values(writer, actor)
    case_sql, case_shared = writer.stored_plan(DisputeCase.__tablename__, _WRITER_CASE + _STORED_CASE, case_constant)
    party_sql, party_shared = writer.stored_plan(Party.__tablename__, ("case_id", *_STORED_PARTY), party_constant)
    event_sql, event_shared = writer.stored_plan(CaseEvent.__tablename__, EVENT_COLUMNS, event_constant)
    order_sql, order_shared = writer.stored_plan(HotlineOrder.__tablename__, HOTLINE_COLUMNS, order_constant)
    numbers, warnings = report.numbers, report.warnings
    clock_of, stored_clock = writer.stored_clocks.get, writer.stored_clock
    written: list[int] = []
    for year, items, first_seq, ids in _years_to_write(session, writer, rows, existing, _STORED_REFERENCE,
                                                       _STORED_YEAR, report):
        case_rows: list[tuple[Any, ...]] = []
        party_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        order_rows: list[tuple[Any, ...]] = []
        for offset, (case_id, (line, _, _, key, case, parties, minor_names, note, order)) in enumerate(
                zip(ids, items, strict=True)):
            seq = first_seq + offset
            number = format_case_number(year, prefix, seq)
            numbers.append(number)
            clock = clock_of(key) or stored_clock(session, key)
            case_rows.append((case_id, number, year, seq, *clock, *case, *case_shared))
            for name in minor_names:
                warnings.append(_minor_warning(number, line, name))
            party_rows += [(case_id, *party, *party_shared) for party in parties]
            event_rows.append((case_id, case[_AT], note, *event_shared))
            if order is not None:
                order_rows.append((case_id, *order, case[_AT], *order_shared))
        for sql, values in ((case_sql, case_rows), (party_sql, party_rows), (event_sql, event_rows),
                            (order_sql, order_rows)):
            if values:
                connection.exec_driver_sql(sql, values)
        written += ids
        report.imported += len(items)
    return written
