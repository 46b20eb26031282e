"""The packet's ``manifest.json``: its version, its schema, and the checks of a file name.

The schema ships beside this module (``manifest.schema.json``, JSON Schema draft 2020-12). No
JSON Schema library is a dependency of the app, so :func:`validate` walks the schema itself,
understanding exactly the keywords the schema uses (type, const, enum, required, properties,
additionalProperties, items, min/maxItems, min/maxLength, pattern, minimum, maximum, format,
$ref, anyOf); a keyword it does not know is an error of ours, raised loudly rather than ignored.

:func:`read_manifest` is the one way in from bytes: UTF-8, no container nested deeper than the
schema describes (counted on the raw text before ``json.loads`` can recurse), no duplicate keys,
no ``NaN``/``Infinity``, no integer too long to parse, then :func:`validate`. Whatever it is
given, it returns the manifest or raises :class:`PacketRefused`.
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
#: The version this desk writes. Version 2 adds to each party the back of the ID card
#: (``id_issuer``, ``id_validity``) and the minor's legal representative (``guardian``).
SCHEMA_VERSION = 2
#: The versions this desk reads: a packet from a desk not yet upgraded (version 1) still imports.
READABLE_VERSIONS = (1, 2)
#: The party fields each version has: version 2 requires them, version 1 must not carry them.
PARTY_FIELDS_SINCE_2 = ("id_issuer", "id_validity", "guardian")
MANIFEST_NAME = "manifest.json"
#: What the shared ZIP and JSON checks call the file in their refusals unless the caller names it
#: (``what=``: the center enrolment file is an 入驻文件, ``exchange.enrolment``).
PACKET = "材料包"

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


def _container_depth(rule: dict[str, Any], seen: tuple[str, ...] = ()) -> int:
    """How many objects and arrays deep a value following ``rule`` may nest (a string: 0)."""
    if "$ref" in rule:
        ref = rule["$ref"]
        if ref in seen:
            raise ValueError(f"schema $ref {ref!r} is recursive: its depth has no bound")
        return _container_depth(_resolve(ref), (*seen, ref))
    depth = max((_container_depth(option, seen) for option in rule.get("anyOf", ())), default=0)
    kinds = rule.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "object" in kinds:
        inner = max((_container_depth(sub, seen) for sub in rule.get("properties", {}).values()), default=0)
        depth = max(depth, 1 + inner)
    if "array" in kinds:
        depth = max(depth, 1 + (_container_depth(rule["items"], seen) if "items" in rule else 0))
    return depth


@lru_cache(maxsize=1)
def max_depth() -> int:
    """The deepest nesting of objects and arrays the schema allows (the manifest itself is 1)."""
    return _container_depth(schema())


def exact_object(data: Any, where: str, keys: set[str]) -> dict[str, Any]:
    """``data`` as a JSON object holding exactly ``keys``, or the refusal naming ``where`` (the
    place, as the packet kind's reader names it): the crossing packet, its work section and the
    center enrolment file read their hand-checked objects by this one rule."""
    if not isinstance(data, dict):
        raise PacketRefused(f"{where} 应为对象。")
    missing = sorted(keys - set(data))
    if missing:
        raise PacketRefused(f"{where} 缺少必填字段“{missing[0]}”。")
    extra = sorted(set(data) - keys)
    if extra:
        raise PacketRefused(f"{where} 含有本版本未定义的字段“{extra[0][:40]}”。")
    return data


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


@lru_cache(maxsize=64)
def _pattern(text: str) -> re.Pattern[str]:
    """The schema's pattern as JSON Schema means it: ``\\d`` is an ASCII digit and ``$`` is the
    end of the string (Python's ``$`` also matches before a final newline)."""
    if text.endswith("$") and not text.endswith("\\$"):
        text = text[:-1] + r"\Z"
    return re.compile(text, re.ASCII)


# NUL and the other C0 controls but tab and line breaks, and lone surrogates (which no database
# can store as UTF-8): never text, whatever the field.
_BAD_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _shown(value: Any) -> str:
    """A short rendering of a value for a message; containers are named, not printed."""
    if isinstance(value, dict):
        return "一个对象"
    if isinstance(value, list):
        return "一个数组"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "一个过大的整数"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:80] + "…"


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
                            f"实际为 {_shown(value)}。")
    if "enum" in rule and not any(_same(value, option) for option in rule["enum"]):
        options = "、".join(json.dumps(o, ensure_ascii=False) for o in rule["enum"])
        raise PacketRefused(f"{_where(path)} 的值 {_shown(value)} 无效（应为 {options} 之一）。")
    if "type" in rule:
        kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        if not any(_type_ok(value, kind) for kind in kinds):
            wanted = "或".join(_TYPE_LABELS[k] for k in kinds)
            raise PacketRefused(f"{_where(path)} 应为{wanted}。")
    if isinstance(value, str):
        bad = _BAD_CHARACTERS.search(value)
        if bad is not None:
            raise PacketRefused(f"{_where(path)} 含有不可用的字符（U+{ord(bad.group()):04X}），"
                                "材料包已损坏或不是本程序生成的。")
        if "minLength" in rule and len(value) < rule["minLength"]:
            raise PacketRefused(f"{_where(path)} 不能为空。" if rule["minLength"] == 1
                                else f"{_where(path)} 至少 {rule['minLength']} 个字符。")
        if "maxLength" in rule and len(value) > rule["maxLength"]:
            raise PacketRefused(f"{_where(path)} 超过 {rule['maxLength']} 个字符的上限。")
        if "pattern" in rule and _pattern(rule["pattern"]).search(value) is None:
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
    about whichever of its new fields this desk's schema trips over first."""
    if not isinstance(data, dict):
        raise PacketRefused("manifest.json 的内容应为一个 JSON 对象。")
    if data.get("format") != FORMAT:
        raise PacketRefused(f"这不是矛调工作台的移送材料包：manifest.json 的 format 应为“{FORMAT}”。")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10**6:
        raise PacketRefused("manifest.json 缺少有效的 schema_version（清单版本号）。")
    if version not in READABLE_VERSIONS:
        readable = "、".join(f"第 {v} 版" for v in READABLE_VERSIONS)
        raise PacketRefused(f"不支持的清单版本 {version}：本程序只能导入{readable}的移送材料包。"
                            + ("请升级矛调工作台后再导入。" if version > SCHEMA_VERSION else ""))


def _check_party_fields(data: dict[str, Any]) -> None:
    """The fields a version added are required from that version on and unknown before it."""
    version = data["schema_version"]
    for index, party in enumerate(data["parties"]):
        for name in PARTY_FIELDS_SINCE_2:
            if version >= 2 and name not in party:
                raise PacketRefused(f"{_where(f'parties[{index}]')} 缺少必填字段“{name}”"
                                    f"（第 {version} 版清单的每位当事人都应有此字段）。")
            if version < 2 and name in party:
                raise PacketRefused(f"{_where(f'parties[{index}]')} 含有第 {version} 版清单未定义的字段“{name}”"
                                    "（此字段自第 2 版起才有）。")


def _check_depth(data: Any) -> None:
    """No object or array deeper than the schema describes (walked without recursion)."""
    limit = max_depth()
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                raise _too_deep(limit)
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))


def _too_deep(limit: int, what: str = PACKET) -> PacketRefused:
    return PacketRefused(f"manifest.json 的对象或数组嵌套超过了第 {SCHEMA_VERSION} 版清单允许的 {limit} 层，"
                         f"{what}已损坏或不是本程序生成的。")


def validate(data: Any) -> None:
    """Raise ``PacketRefused`` naming the first thing in ``data`` the schema does not allow."""
    check_version(data)
    _check_depth(data)
    _check(data, schema(), "")
    _check_party_fields(data)


# A JSON string (skipped whole, so brackets inside text do not count) or one bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _check_raw_depth(text: str, limit: int | None = None, what: str = PACKET) -> None:
    """Count bracket nesting on the raw text, before ``json.loads`` recurses into it."""
    limit = limit or max_depth()
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                raise _too_deep(limit, what) if limit == max_depth() else PacketRefused(
                    f"manifest.json 的对象或数组嵌套超过了 {limit} 层，{what}已损坏或不是本程序生成的。")
        elif char in "]}":
            depth -= 1


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise PacketRefused(f"manifest.json 的同一个对象中字段“{key[:60]}”出现了两次，"
                                "无法确定以哪一个为准，拒绝导入。")
        result[key] = value
    return result


def _no_constant(name: str, what: str = PACKET) -> Any:
    raise PacketRefused(f"manifest.json 含有 JSON 不允许的数值“{name}”，{what}已损坏或不是本程序生成的。")


def check_part(value: Any, definition: str, path: str) -> None:
    """Check ``value`` against one definition of the schema (``party``, ``case``, ``file`` …):
    another packet kind (``exchange.crossing``) carries these parts in the same shape."""
    _check(value, {"$ref": f"#/$defs/{definition}"}, path)


def read_manifest(raw: bytes) -> dict[str, Any]:
    """The manifest in ``raw`` (the bytes of ``manifest.json``), checked against the schema.

    Returns it or raises :class:`PacketRefused`; nothing else, whatever the bytes.
    """
    data = load_json(raw)
    validate(data)
    result: dict[str, Any] = data
    return result


def load_json(raw: bytes, *, depth: int | None = None, what: str = PACKET) -> Any:
    """``manifest.json``'s bytes as JSON, read with the same care as a transfer packet's (no BOM,
    UTF-8, nesting counted before parsing — at most ``depth`` levels, by default the transfer
    schema's —, no duplicate keys, no NaN): not yet validated."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise PacketRefused("manifest.json 以字节顺序标记（BOM）开头，不是本程序生成的 UTF-8 清单，拒绝导入。")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PacketRefused("manifest.json 不是 UTF-8 编码的文本，拒绝导入。") from None
    _check_raw_depth(text, depth, what)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=lambda name: _no_constant(name, what))
    except json.JSONDecodeError as exc:
        raise PacketRefused(f"manifest.json 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），"
                            f"{what}已损坏或不是本程序生成的。") from None
    except (ValueError, RecursionError):
        # An integer of thousands of digits (Python refuses to convert it) or, should the raw
        # count ever miss one, nesting too deep to parse.
        raise PacketRefused("manifest.json 含有无法读取的数值或结构（例如位数过多的整数），"
                            f"{what}已损坏或不是本程序生成的。") from None
    return data


# --------------------------------------------------------------------------- file names

_DRIVE = re.compile(r"^[A-Za-z]:")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_PATH_CHARS = 200
MAX_DEPTH = 4


def check_member_name(name: str, *, what: str = PACKET) -> None:
    """A name inside the packet must stay inside the folder it is unpacked into."""
    shown = name[:120]
    if not name:
        raise PacketRefused(f"{what}中有一个没有名字的文件。")
    if any(ord(c) < 32 or c == "\x7f" for c in name):
        raise PacketRefused(f"{what}中的文件名“{shown!r}”含有控制字符，拒绝导入。")
    if "\\" in name:
        raise PacketRefused(f"{what}中的文件名“{shown}”使用了反斜杠“\\”，可能指向{what}以外的位置，拒绝导入。")
    if name.startswith("/"):
        raise PacketRefused(f"{what}中的文件名“{shown}”是绝对路径，可能覆盖本机文件，拒绝导入。")
    if _DRIVE.match(name):
        raise PacketRefused(f"{what}中的文件名“{shown}”带有盘符，可能覆盖本机文件，拒绝导入。")
    segments = name.split("/")
    if any(part in ("..", ".") for part in segments):
        raise PacketRefused(f"{what}中的文件名“{shown}”含有“..”或“.”，会跳出{what}目录，拒绝导入。")
    if name.endswith("/"):
        raise PacketRefused(f"{what}中有清单未列出的目录“{shown}”。")
    if len(name) > MAX_PATH_CHARS or len(segments) > MAX_DEPTH or not all(_SEGMENT.match(p) for p in segments):
        raise PacketRefused(f"{what}中的文件名“{shown}”不符合第 {SCHEMA_VERSION} 版的命名规则"
                            "（只能用英文字母、数字、点、下划线和连字符，最多四层目录）。")


def name_key(name: str) -> str:
    """Two names that would be one file on a case-insensitive disk are duplicates."""
    return name.casefold()
