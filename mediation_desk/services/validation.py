"""Checks of what a clerk types at the window: identity documents, phones, credit codes.

Each check returns the cleaned value (and what it encodes) or raises :class:`InvalidInput` whose
message is the sentence the form shows next to the field. Full-width digits and letters, spaces
and dashes that an input method or a photocopy brings are accepted and normalised; any other
digit (Arabic-Indic ``٢``, superscript ``²`` …) is refused (see :mod:`.digits`), so a stored
number is always ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from ..models import Gender, IdDocumentType
from .digits import fold_width, has_foreign_digit, is_ascii_digits
from .errors import InvalidInput

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province-level codes (GB/T 2260); 81/82/83 are the residence permits of Hong Kong, Macao and
# Taiwan residents, which use the same 18-character format.
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)  # fmt: skip
# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z) and the
# weights of its first 17 characters.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_AUTHORITIES = frozenset("123456789ANY")


_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")


def normalise(value: str) -> str:
    """Full-width to half-width (ASCII forms only, not NFKC: that would make ``²`` a 2), drop
    spaces and dashes, upper-case letters."""
    if value.isascii() and value.isalnum():  # the common case; batch imports call this per cell
        return value.upper()
    return _SEPARATORS.sub("", fold_width(value)).upper()


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: Gender
    region_code: str


def resident_id_check_char(first17: str) -> str:
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError(f"expected {len(_ID_WEIGHTS)} digits, got {len(first17)}")
    if first17.isascii() and first17.isdigit():
        # The weights are 2^17 … 2^1 mod 11, and 13 ≡ 2 (mod 11): read as a base-13 number the
        # digits weigh 13^16 … 13^0, so twice that number is the weighted sum mod 11 — one C call
        # instead of seventeen (a batch import checks two IDs a row).
        return _ID_CHECK[2 * int(first17, 13) % 11]
    return _ID_CHECK[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


def upgrade_15_digit_id(old: str) -> str:
    """The 18-digit number a 15-digit one became (birth year 19xx, check character added)."""
    body = old[:6] + "19" + old[6:]
    return body + resident_id_check_char(body)


def check_resident_id(value: str, *, today: date | None = None, field: str = "id_number") -> ResidentId:
    number = normalise(value)
    today = today or date.today()
    if not number:
        raise InvalidInput(field, "请填写身份证号码。")
    if len(number) == 15 and is_ascii_digits(number):
        suggestion = upgrade_15_digit_id(number)
        raise InvalidInput(
            field,
            f"这是 1999 年以前的 15 位旧身份证号码，已停止使用。请当事人出示现行的 18 位身份证"
            f"（按规则换算应为 {suggestion}，请以证件为准）。",
        )
    if len(number) != 18:
        raise InvalidInput(field, f"身份证号码应为 18 位，现在是 {len(number)} 位。")
    if not is_ascii_digits(number[:17]):
        raise InvalidInput(field, "身份证号码前 17 位只能是数字（0–9）。")
    if not (is_ascii_digits(number[17]) or number[17] == "X"):
        raise InvalidInput(field, "身份证号码最后一位只能是数字或 X。")
    if int(number[:2]) not in _PROVINCES:
        raise InvalidInput(field, f"身份证号码开头的“{number[:2]}”不是有效的省级行政区代码。")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidInput(field, f"身份证号码中的出生日期“{number[6:14]}”不存在。") from None
    if birth > today:
        raise InvalidInput(field, f"身份证号码中的出生日期 {birth:%Y年%m月%d日} 晚于今天。")
    if birth.year < 1900:
        raise InvalidInput(field, f"身份证号码中的出生年份 {birth.year} 不合理。")
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise InvalidInput(field, "身份证号码校验位不正确，可能有数字输错，请逐位核对。")
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return ResidentId(number, birth, gender, number[:6])


#: A resident ID as a clean file or form brings it: 18 ASCII characters, the last a digit or X.
_CLEAN_ID = re.compile(r"[0-9]{17}[0-9X]")
#: Birth dates of clean IDs already read (the eight digits → the date, or None if no such day).
_BIRTHS: dict[str, date | None] = {}
_NO_DATE = date.min


def quick_resident_id(value: str, today: date) -> ResidentId | None:
    """What :func:`check_resident_id` returns for ``value`` when it is a valid number written as
    stored (ASCII, capital X), else None — then :func:`check_resident_id` says what is wrong.
    A batch import checks two IDs a row: this skips the normalising and caches the birth dates."""
    parts = quick_resident_parts(value, today)
    return None if parts is None else ResidentId(value, parts[0], parts[1], value[:6])


def quick_resident_parts(value: str, today: date) -> tuple[date, Gender] | None:
    """(birth date, gender) of what :func:`quick_resident_id` returns, or None as it does — without
    making the :class:`ResidentId` (a frozen dataclass: a third of the check's time)."""
    if _CLEAN_ID.fullmatch(value) is None or int(value[:2]) not in _PROVINCES:
        return None
    digits8 = value[6:14]
    birth = _BIRTHS.get(digits8, _NO_DATE)
    if birth is _NO_DATE:
        try:
            birth = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
        except ValueError:
            birth = None
        if len(_BIRTHS) < 100_000:
            _BIRTHS[digits8] = birth
    if birth is None or birth > today or birth.year < 1900:
        return None
    if value[17] != _ID_CHECK[2 * int(value[:17], 13) % 11]:
        return None
    return birth, Gender.MALE if int(value[16]) % 2 else Gender.FEMALE


def check_document(kind: IdDocumentType, value: str, *, today: date | None = None,
                   field: str = "id_number") -> str:
    """Check an identity document number of any kind; returns it cleaned."""
    number = normalise(value)
    if kind is IdDocumentType.RESIDENT_ID:
        return check_resident_id(number, today=today, field=field).number
    if not number:
        raise InvalidInput(field, f"请填写{kind.label}号码。")
    if has_foreign_digit(number):
        raise InvalidInput(field, f"{kind.label}号码中的数字只能是 0–9。")
    if any(not c.isprintable() for c in number):
        raise InvalidInput(field, f"{kind.label}号码中有不可见的控制字符，请重新输入。")
    if kind is IdDocumentType.HK_MACAO_PERMIT:
        if not re.fullmatch(r"[HM][0-9]{8}([0-9]{2})?", number):
            raise InvalidInput(field, "港澳居民来往内地通行证号码应为 H 或 M 开头，后接 8 位（旧证 10 位）数字。")
    elif kind is IdDocumentType.TAIWAN_PERMIT:
        if not re.fullmatch(r"[0-9]{8}|[0-9]{10}(\([A-Z]\)|[A-Z])?", number.replace("（", "(").replace("）", ")")):
            raise InvalidInput(field, "台湾居民来往大陆通行证号码应为 8 位数字（旧证 10 位）。")
    elif kind is IdDocumentType.PASSPORT:
        if not re.fullmatch(r"[A-Z0-9]{5,17}", number):
            raise InvalidInput(field, "护照号码应为 5 至 17 位字母或数字。")
        if number[0] in "EG" and is_ascii_digits(number[1:]) and len(number) != 9:
            raise InvalidInput(field, "中国护照号码应为字母 E 或 G 后接 8 位数字（如 E12345678）。")
    elif len(number) > 40:
        raise InvalidInput(field, "证件号码过长（最多 40 个字符）。")
    return number


def check_mobile(value: str, *, field: str = "phone") -> str:
    digits = normalise(value).removeprefix("+86").removeprefix("0086")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not is_ascii_digits(digits):
        raise InvalidInput(field, "手机号码只能包含数字（0–9）。")
    if len(digits) != 11:
        raise InvalidInput(field, f"手机号码应为 11 位，现在是 {len(digits)} 位。")
    if not re.fullmatch(r"1[3-9][0-9]{9}", digits):
        raise InvalidInput(field, "手机号码应以 13–19 开头。")
    return digits


_CLEAN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def quick_phone(value: str) -> str | None:
    """What :func:`check_phone` returns for a mobile number written as stored (11 ASCII digits),
    else None (then :func:`check_phone` reads it)."""
    return value if _CLEAN_MOBILE.fullmatch(value) else None


def check_landline(value: str, *, field: str = "phone") -> str:
    """Area code (010, 02x, 0xxx) and a 7–8 digit number, optionally an extension; or 400/800."""
    text = fold_width(value).strip()
    text = re.sub(r"[\s()（）\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    text = re.sub(r"-?(转|ext\.?|x|#)-?", r"\1", text, flags=re.IGNORECASE)
    extension = ""
    match = re.fullmatch(r"(.*?)(?:(?:转|ext\.?|x|#)([0-9]{1,6}))", text, flags=re.IGNORECASE)
    if match:
        text, extension = match.group(1).rstrip("-"), match.group(2)
    digits = text.replace("-", "")
    if not is_ascii_digits(digits):
        raise InvalidInput(field, "固定电话号码只能包含数字（0–9）、区号分隔符“-”和分机号。")
    if re.fullmatch(r"[48]00[0-9]{7}", digits):
        formatted = digits
    else:
        match = re.fullmatch(r"(0(?:10|2[0-9]|[3-9][0-9]{2}))([2-9][0-9]{6,7})", digits)
        if not match:
            if digits.startswith("0"):
                raise InvalidInput(field, "固定电话应为区号加 7 至 8 位号码，如 0936-8212345。")
            raise InvalidInput(field, "固定电话请加区号，如 0936-8212345。")
        formatted = f"{match.group(1)}-{match.group(2)}"
    return f"{formatted}转{extension}" if extension else formatted


def check_phone(value: str, *, field: str = "phone") -> str:
    """A mobile or a landline number, whichever it looks like."""
    compact = normalise(value)
    if not compact:
        raise InvalidInput(field, "请填写联系电话。")
    body = compact.removeprefix("+86").removeprefix("0086")
    if body.startswith("1") and not body.startswith("10"):
        return check_mobile(value, field=field)
    return check_landline(value, field=field)


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_credit_code(value: str, *, field: str = "credit_code") -> str:
    """A unified social credit code (统一社会信用代码, GB 32100-2015)."""
    code = normalise(value)
    if not code:
        raise InvalidInput(field, "请填写统一社会信用代码。")
    if len(code) != 18:
        raise InvalidInput(field, f"统一社会信用代码应为 18 位，现在是 {len(code)} 位。")
    bad = sorted({c for c in code if c not in _USCC_CHARS})
    if bad:
        shown = "、".join(bad)
        raise InvalidInput(field, f"统一社会信用代码中不能出现“{shown}”（代码不使用字母 I、O、S、V、Z）。")
    if code[0] not in _USCC_AUTHORITIES:
        raise InvalidInput(field, f"统一社会信用代码第 1 位“{code[0]}”不是有效的登记管理部门代码。")
    if not is_ascii_digits(code[2:8]):
        raise InvalidInput(field, "统一社会信用代码第 3 至 8 位应为行政区划代码（数字）。")
    if code[17] != credit_code_check_char(code[:17]):
        raise InvalidInput(field, "统一社会信用代码校验位不正确，可能有字符输错，请逐位核对。")
    return code
