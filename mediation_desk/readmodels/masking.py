"""Masking for anything that leaves the building or goes on a public list.

The courts' rule for published documents, "保留姓氏，名字以'某'替代": the surname stays and the
given name becomes 某 (or 某某 where a center prefers it — the style is configurable, the rule is
not). A compound surname (欧阳, 司马 …) stays whole; a transliterated name with a middle dot
(阿依古丽·买买提) keeps only its first character; two people of one surname in one case become
刘某甲 / 刘某乙; organisations keep their names. ID numbers keep their first 6 and last 4
characters, mobile phones their first 3 and last 4 digits, landlines their area code and the last 4
digits of the local number (``0936-***2345``). Every function is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import PartyKind

COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "夏侯", "皇甫", "尉迟", "公孙", "慕容", "长孙", "东方", "令狐", "宇文",
    "司徒", "司空", "端木", "轩辕", "呼延", "独孤", "南宫", "西门", "百里", "澹台", "公羊", "钟离", "申屠",
    "万俟", "闻人", "东郭", "左丘", "太叔", "拓跋", "赫连", "淳于", "单于", "濮阳", "羊舌", "第五",
})
MIDDLE_DOTS = "·•・‧∙⋅"
STYLES = ("某", "某某")
#: Suffixes that tell apart people of one surname in one case.
ORDINALS = "甲乙丙丁戊己庚辛壬癸"


def surname_of(name: str) -> str:
    """The part of a name that stays: compound surname, else the first character."""
    name = name.strip()
    if any(dot in name for dot in MIDDLE_DOTS):
        return name[:1]
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def _already_masked(name: str, style: str) -> bool:
    """张某, 欧阳某, 刘某乙 (and 张某某 in either style): nothing left to hide."""
    endings = {candidate + ordinal for candidate in (style, "某某") for ordinal in ("", *ORDINALS)}
    return name[1:] in endings or (name[:2] in COMPOUND_SURNAMES and name[2:] in endings)


def mask_name(name: str, *, kind: PartyKind = PartyKind.PERSON, style: str = "某") -> str:
    """张三丰 → 张某; 欧阳娜娜 → 欧阳某; 阿依古丽·买买提 → 阿某; organisations unchanged."""
    if style not in STYLES:
        raise ValueError(f"未知的化名样式“{style}”，可选：某、某某")
    name = name.strip()
    if kind is not PartyKind.PERSON or not name:
        return name
    if _already_masked(name, style):
        return name
    return surname_of(name) + style


def mask_party_names(parties: Sequence[tuple[str, PartyKind]], *, style: str = "某") -> list[str]:
    """The names of one case's parties, masked, with 甲/乙 … where two people would read alike."""
    masked = [mask_name(name, kind=kind, style=style) for name, kind in parties]
    people: dict[str, list[int]] = {}
    seen_names: dict[str, set[str]] = {}
    for index, ((name, kind), shown) in enumerate(zip(parties, masked, strict=True)):
        if kind is PartyKind.PERSON and shown:
            people.setdefault(shown, []).append(index)
            seen_names.setdefault(shown, set()).add(name.strip())
    for shown, indexes in people.items():
        # The same person named twice (e.g. as applicant and as agent) is still one person.
        if len(seen_names[shown]) < 2:
            continue
        order: dict[str, str] = {}
        for index in indexes:
            original = parties[index][0].strip()
            if original not in order:
                order[original] = ORDINALS[len(order) % len(ORDINALS)]
            masked[index] = shown + order[original]
    return masked


def mask_id_number(number: str) -> str:
    """An identity document number with only its ends shown: ``110105********1234``.

    Resident IDs (15 or 18 characters) keep the first 6 (the issuing region) and the last 4;
    shorter numbers (passports, permits) keep a quarter at each end, so at least half is hidden.
    Masking an already masked number changes nothing.
    """
    number = number.strip()
    if not number:
        return ""
    if len(number) >= 15:
        head, tail = 6, 4
    else:
        head = tail = len(number) // 4
    return number[:head] + "*" * (len(number) - head - tail) + number[len(number) - tail:]


def mask_phone(phone: str) -> str:
    """A phone number with only its first 3 and last 4 digits shown: ``138****1234``; a landline
    with its area code and the last 4 digits of the local number: ``0936-***2345``.

    Separators are dropped; a landline's extension (``转123``) stays, it identifies nobody.
    Masking an already masked number changes nothing.
    """
    number, sep, extension = phone.strip().partition("转")
    chars = [c for c in number if c.isdigit() or c == "*"]
    if number.lstrip().startswith(("+86", "0086")):
        # The country code would take the 3 shown leading digits and say nothing.
        chars = chars[2:] if number.lstrip().startswith("+") else chars[4:]
    if not chars:
        return ""
    area = _area_code(chars)
    if area:
        # A landline: the area code names a city, not a person, and stays; the local number is
        # masked as a mobile's middle is (only its last 4 digits shown).
        local = chars[area:]
        hidden = "*" * max(len(local) - 4, 0) + "".join(local[-4:])
        return f"{''.join(chars[:area])}-{hidden}{sep}{extension}"
    if len(chars) > 7:
        shown = "".join(chars[:3]) + "*" * (len(chars) - 7) + "".join(chars[-4:])
    else:
        # A short local number: only the last 4 digits would still identify the line.
        shown = "*" * max(len(chars) - 4, 0) + "".join(chars[-4:])
    return f"{shown}{sep}{extension}"


def _area_code(chars: list[str]) -> int:
    """The length of a landline's area code (0 when ``chars`` is not a landline with one): 010 and
    02X have three digits, every other area code (0936 …) four; the local number has 7 or 8."""
    if len(chars) < 10 or chars[0] != "0" or "*" in chars[:3]:
        return 0
    size = 3 if chars[1] in "12" else 4
    return size if "*" not in chars[:size] and 7 <= len(chars) - size <= 8 else 0


#: A password inside a URL (``scheme://user:password@host``), for :func:`scrub` and the command line.
URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)(?P<password>[^@\s]*)(?P<at>@)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])|(?<![0-9])[0-9]{15}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])")


def scrub(message: str) -> str:
    """``message`` without URL passwords, full ID numbers or phone numbers (masked as the receipt
    masks them), so an error quoting a row or a URL can be shown and logged (the command line's
    messages, the app's log)."""
    message = URL_PASSWORD.sub(lambda m: f"{m['head']}***{m['at']}", message)
    message = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), message)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), message)
