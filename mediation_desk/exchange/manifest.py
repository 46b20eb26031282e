"""The packet's ``manifest.json``: its version, its schema, and the checks of a file name.

The schema ships beside this module (``manifest.schema.json``, JSON Schema draft 2020-12). No
JSON Schema library is a dependency of the app, so :func:`validate` walks the schema itself,
understanding exactly the keywords the schema uses (type, const, enum, required, properties,
additionalProperties, items, min/maxItems, min/maxLength, pattern, minimum, maximum, format,
$ref, anyOf); a keyword it does not know is an error of ours, raised loudly rather than ignored.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import PacketRefused

FORMAT = "mediation-desk/transfer-packet"
SCHEMA_VERSION = 1
MANIFEST_NAME = "manifest.json"

_KNOWN = frozenset({"$schema", "$id", "title", "description", "$defs", "type", "const", "enum", "required",
                    "properties", "additionalProperties", "items", "minItems", "maxItems", "minLength",
                    "maxLength", "pattern", "minimum", "maximum", "format", "$ref", "anyOf"})
_TYPE_LABELS = {"object": "对象", "array": "数组", "string": "字符串", "integer": "整数", "boolean": "布尔值",
                "null": "null"}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("manifest.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _where(path: str) -> str:
    return f"manifest.json 的 {path}" if path else "manifest.json"


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    raise ValueError(f"schema type {kind!r} not understood")


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return type(a) is type(b) and a == b


def _format_ok(value: str, fmt: str) -> bool:
    try:
        if fmt == "date":
            date.fromisoformat(value)
        elif fmt == "date-time":
            datetime.fromisoformat(value)
        else:
            raise ValueError(f"schema format {fmt!r} not understood")
    except ValueError as exc:
        if "not understood" in str(exc):
            raise
        return False
    return True


def _resolve(ref: str) -> dict[str, Any]:
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"schema $ref {ref!r} not understood")
    found: dict[str, Any] = schema()["$defs"][ref.removeprefix("#/$defs/")]
    return found


def _check(value: Any, rule: dict[str, Any], path: str) -> None:
    unknown = set(rule) - _KNOWN
    if unknown:
        raise ValueError(f"schema keywords {sorted(unknown)} not understood")
    if "$ref" in rule:
        _check(value, _resolve(rule["$ref"]), path)
    if "anyOf" in rule:
        failures: list[str] = []
        for option in rule["anyOf"]:
            try:
                _check(value, option, path)
                break
            except PacketRefused as exc:
                failures.append(exc.message)
        else:
            # The last option is "null" where a field may be empty: the first says what was meant.
            raise PacketRefused(failures[0])
    if "const" in rule and not _same(value, rule["const"]):
        raise PacketRefused(f"{_where(path)} 应为 {json.dumps(rule['const'], ensure_ascii=False)}，"
                            f"实际为 {json.dumps(value, ensure_ascii=False)[:80]}。")
    if "enum" in rule and not any(_same(value, option) for option in rule["enum"]):
        options = "、".join(json.dumps(o, ensure_ascii=False) for o in rule["enum"])
        shown = json.dumps(value, ensure_ascii=False)[:80]
        raise PacketRefused(f"{_where(path)} 的值 {shown} 无效（应为 {options} 之一）。")
    if "type" in rule:
        kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        if not any(_type_ok(value, kind) for kind in kinds):
            wanted = "或".join(_TYPE_LABELS[k] for k in kinds)
            raise PacketRefused(f"{_where(path)} 应为{wanted}。")
    if isinstance(value, str):
        if "minLength" in rule and len(value) < rule["minLength"]:
            raise PacketRefused(f"{_where(path)} 不能为空。" if rule["minLength"] == 1
                                else f"{_where(path)} 至少 {rule['minLength']} 个字符。")
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            raise PacketRefused(f"{_where(path)} 超过 {rule['maxLength']} 个字符的上限。")
        if "pattern" in rule and re.search(rule["pattern"], value) is None:
            raise PacketRefused(f"{_where(path)} 的写法不正确：“{value[:80]}”。")
        if "format" in rule and not _format_ok(value, rule["format"]):
            raise PacketRefused(f"{_where(path)} 不是有效的日期或时间：“{value[:40]}”。")
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in rule and value < rule["minimum"]:
            raise PacketRefused(f"{_where(path)} 不能小于 {rule['minimum']}。")
        if "maximum" in rule and value > rule["maximum"]:
            raise PacketRefused(f"{_where(path)} 不能大于 {rule['maximum']}。")
    if isinstance(value, list):
        if "minItems" in rule and len(value) < rule["minItems"]:
            raise PacketRefused(f"{_where(path)} 至少应有 {rule['minItems']} 项。")
        if "maxItems" in rule and len(value) > rule["maxItems"]:
            raise PacketRefused(f"{_where(path)} 超过 {rule['maxItems']} 项的上限。")
        if "items" in rule:
            for index, item in enumerate(value):
                _check(item, rule["items"], f"{path}[{index}]")
    if isinstance(value, dict):
        for name in rule.get("required", ()):
            if name not in value:
                raise PacketRefused(f"{_where(path)} 缺少必填字段“{name}”。")
        properties: dict[str, Any] = rule.get("properties", {})
        if rule.get("additionalProperties", True) is False:
            extra = sorted(set(value) - set(properties))
            if extra:
                raise PacketRefused(f"{_where(path)} 含有本版本未定义的字段“{extra[0]}”。")
        for name, sub in properties.items():
            if name in value:
                _check(value[name], sub, f"{path}.{name}" if path else name)


def check_version(data: Any) -> None:
    """The format and the version first: a newer packet gets a message about its version, not
    about whichever of its new fields the schema of version 1 trips over first."""
    if not isinstance(data, dict):
        raise PacketRefused("manifest.json 的内容应为一个 JSON 对象。")
    if data.get("format") != FORMAT:
        raise PacketRefused(f"这不是矛调工作台的移送材料包：manifest.json 的 format 应为“{FORMAT}”。")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PacketRefused("manifest.json 缺少有效的 schema_version（清单版本号）。")
    if version != SCHEMA_VERSION:
        raise PacketRefused(f"不支持的清单版本 {version}：本程序只能导入第 {SCHEMA_VERSION} 版的移送材料包。"
                            + ("请升级矛调工作台后再导入。" if version > SCHEMA_VERSION else ""))


def validate(data: Any) -> None:
    """Raise ``PacketRefused`` naming the first thing in ``data`` the schema does not allow."""
    check_version(data)
    _check(data, schema(), "")


# --------------------------------------------------------------------------- file names

_DRIVE = re.compile(r"^[A-Za-z]:")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_PATH_CHARS = 200
MAX_DEPTH = 4


def check_member_name(name: str) -> None:
    """A name inside the packet must stay inside the folder it is unpacked into."""
    shown = name[:120]
    if not name:
        raise PacketRefused("材料包中有一个没有名字的文件。")
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise PacketRefused(f"材料包中的文件名“{shown!r}”含有控制字符，拒绝导入。")
    if "\\" in name:
        raise PacketRefused(f"材料包中的文件名“{shown}”使用了反斜杠“\\”，可能指向材料包以外的位置，拒绝导入。")
    if name.startswith("/"):
        raise PacketRefused(f"材料包中的文件名“{shown}”是绝对路径，可能覆盖本机文件，拒绝导入。")
    if _DRIVE.match(name):
        raise PacketRefused(f"材料包中的文件名“{shown}”带有盘符，可能覆盖本机文件，拒绝导入。")
    segments = name.split("/")
    if any(part in ("..", ".") for part in segments):
        raise PacketRefused(f"材料包中的文件名“{shown}”含有“..”或“.”，会跳出材料包目录，拒绝导入。")
    if name.endswith("/"):
        raise PacketRefused(f"材料包中有清单未列出的目录“{shown}”。")
    if len(name) > MAX_PATH_CHARS or len(segments) > MAX_DEPTH or not all(_SEGMENT.match(p) for p in segments):
        raise PacketRefused(f"材料包中的文件名“{shown}”不符合第 {SCHEMA_VERSION} 版的命名规则"
                            "（只能用英文字母、数字、点、下划线和连字符，最多四层目录）。")


def name_key(name: str) -> str:
    """Two names that would be one file on a case-insensitive disk are duplicates."""
    return name.casefold()
