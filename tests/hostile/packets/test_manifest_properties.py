"""Properties of the packet reader: whatever it is given, the only outcomes are the documented
ones — the manifest (or packet) is accepted, or it is refused with ``PacketRefused``. Any other
exception (RecursionError, ValueError, KeyError, UnicodeEncodeError …) fails these tests."""

from __future__ import annotations

import contextlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.exchange.importer import verify_packet
from mediation_desk.exchange.manifest import max_depth, read_manifest, schema, validate

from .craft import GOOD_FILES, good_packet, manifest

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.sampled_from(["", "2026-03-06", "2026-02-30", "2026-03-06T10:00:00", "applicant", "person",
                              "resident_id", "13809361234", "documents/transfer-letter.pdf", "8600.00", "-1",
                              "\x00", "\ud800", "a\n"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value: keys of objects and indexes of arrays."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


GOOD = manifest(GOOD_FILES)
PLACES = _paths(GOOD)


def _replaced(place: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(GOOD))
    target: Any = data
    for step in place[:-1]:
        target = target[step]
    target[place[-1]] = value
    return data


def _reads(raw: bytes) -> dict[str, Any] | None:
    try:
        return read_manifest(raw)
    except PacketRefused as refused:
        assert refused.message and isinstance(refused.message, str)
        return None


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def test_the_good_manifest_is_accepted() -> None:
    assert read_manifest(json.dumps(GOOD, ensure_ascii=False).encode()) == GOOD


@SETTINGS
@given(json_values)
def test_any_json_value_is_accepted_or_refused(value: Any) -> None:
    raw = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    _reads(raw)


@SETTINGS
@given(st.sampled_from(PLACES), json_values)
def test_any_field_replaced_by_anything_is_accepted_or_refused(place: tuple[Any, ...], value: Any) -> None:
    data = _replaced(place, value)
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    accepted = _reads(raw)
    if accepted is not None:
        # Accepted means what the schema allows: no deeper than it describes, and valid again.
        assert _depth(accepted) <= max_depth()
        validate(accepted)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_accepted_or_refused(raw: bytes) -> None:
    assert _reads(raw) is None  # no bytes of this size make a manifest


@SETTINGS
@given(st.text(alphabet='[]{}":,0123456789-eE.tfalsrunNIiy \\', max_size=300))
def test_any_bracket_soup_is_refused(text: str) -> None:
    assert _reads(text.encode()) is None


@SETTINGS
@given(st.integers(min_value=1, max_value=200_000), st.sampled_from(["[", "{\"a\":"]))
def test_any_nesting_is_refused_without_recursing(levels: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    assert _reads((opener * levels + "1" + closer * levels).encode()) is None


@SETTINGS
@given(json_values)
def test_validate_on_any_python_value_is_accepted_or_refused(value: Any) -> None:
    with contextlib.suppress(PacketRefused):
        validate(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), json_values)
def test_a_packet_with_any_field_replaced_is_accepted_or_refused(place: tuple[Any, ...], value: Any) -> None:
    """The whole reader — ZIP, manifest, cross-references, parties — not only the schema."""
    raw = json.dumps(_replaced(place, value), ensure_ascii=False).encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        packet = Path(folder) / "p.zip"
        packet.write_bytes(good_packet(raw_manifest=raw))
        with contextlib.suppress(PacketRefused):
            verify_packet(packet)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_packet_with_bytes_changed_is_accepted_or_refused(data: st.DataObject) -> None:
    """Any bytes of a good packet overwritten: the ZIP reader refuses or accepts, never crashes."""
    content = bytearray(good_packet())
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        at = data.draw(st.integers(min_value=0, max_value=len(content) - 1))
        content[at] = data.draw(st.integers(min_value=0, max_value=255))
    with tempfile.TemporaryDirectory() as folder:
        packet = Path(folder) / "p.zip"
        packet.write_bytes(bytes(content))
        try:
            verified = verify_packet(packet)
        except PacketRefused:
            return
        # Accepted: then every file it lists was read whole and its SHA-256 matched.
        assume(verified.files)
        with zipfile.ZipFile(packet) as zf:
            for name, (size, _digest, _type) in verified.files.items():
                assert zf.getinfo(name).file_size == size


def test_every_integer_string_and_array_of_the_schema_is_bounded() -> None:
    """Integers carry a minimum and a maximum, strings a maximum length, arrays a maximum count."""
    unbounded: list[str] = []

    def walk(rule: Any, where: str) -> None:
        if isinstance(rule, dict):
            kinds = rule.get("type", [])
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if "integer" in kinds and not {"minimum", "maximum"} <= set(rule):
                unbounded.append(where)
            if "string" in kinds and "maxLength" not in rule:
                unbounded.append(where)
            if "array" in kinds and "maxItems" not in rule:
                unbounded.append(where)
            for key, sub in rule.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(rule, list):
            for index, sub in enumerate(rule):
                walk(sub, f"{where}/{index}")

    walk(schema(), "#")
    assert unbounded == []
