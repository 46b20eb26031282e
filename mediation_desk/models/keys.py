"""The briefing's repeat keys, kept with the rows (migration 0045, docs/briefing.md "Repeat keys").

A party's ``repeat_key`` names the person the 风险研判 counts as one: the ID number (blanks
stripped, letters folded), else the name and the phone together; a case's ``place_key`` is its
address without blanks and punctuation, letters folded. They are worked out here, in Python, by
every writer (the mapper events below for the ORM; the import's and the demo's bulk inserts call
:func:`party_key` and :func:`place_key` themselves), so the database groups the repeats of a window
by an index and the same key is stored on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

_PLACE_NOISE = re.compile(r"[\s,，.。;；:：、\-—()（）]+")

ID_PREFIX = "i:"
NAME_PREFIX = "n:"


@lru_cache(maxsize=1 << 16)
def place_key(address: str | None) -> str | None:
    """An address compared for repeat places: without blanks and punctuation, letters folded
    (None: nothing is left). Remembered: a window's cases share few addresses."""
    key = _PLACE_NOISE.sub("", address or "").upper()
    return key or None


def party_key(id_number: str | None, name: str | None, phone: str | None) -> str | None:
    """A party as the repeat parties compare it: ``i:`` and the ID number (stripped, upper case),
    else ``n:`` and the JSON list [name, phone] (both stripped; None unless both are given)."""
    number = (id_number or "").strip().upper()
    if number:
        return ID_PREFIX + number
    name, phone = (name or "").strip(), (phone or "").strip()
    if name and phone:
        return NAME_PREFIX + json.dumps([name, phone], ensure_ascii=False)
    return None


def split_party_key(key: str) -> tuple[str, ...]:
    """("id", number) or ("name", name, phone) from a :func:`party_key`."""
    if key.startswith(ID_PREFIX):
        return ("id", key[len(ID_PREFIX):])
    name, phone = json.loads(key[len(NAME_PREFIX):])
    return ("name", name, phone)


def with_keys(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (a dict of a party's or a case's columns for a bulk insert) with its key filled."""
    if table == "party":
        row["repeat_key"] = party_key(row.get("id_number"), row.get("name"), row.get("phone"))
    elif table == "dispute_case":
        row["place_key"] = place_key(row.get("address"))
    return row


__all__ = ["party_key", "place_key", "split_party_key", "with_keys"]
