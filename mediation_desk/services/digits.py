"""One rule for the digits of every number a person types or a file brings: ID numbers, phones,
credit codes, amounts and counts.

ASCII digits ``0``–``9`` are digits, and so are the full-width ``０``–``９`` an input method or a
copied web page brings: they are turned into ASCII before anything is checked or stored. Every
other character that Python calls a digit is refused — Arabic-Indic ``٢``, superscript ``²``,
circled ``①``, Devanagari ``२`` … — because ``str.isdigit()``, ``int()``, ``Decimal()`` and the
regular expression ``\\d`` accept them (or, like ``int('²')``, accept them in one place and
crash in the next), and because NFKC would quietly turn ``²`` and ``①`` into ``2`` and ``1``.
A number is never guessed from look-alikes.

Nothing here raises: each function returns the cleaned value or ``None`` and the caller says what
is wrong in the words of its own field.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: Full-width forms of the printable ASCII characters (U+FF01–U+FF5E) and the ideographic space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: More significant digits than any field allows (amounts stop below 10^16): a longer number is
#: answered as :data:`TOO_LARGE` instead of being converted (``int`` refuses 4,300 digits).
MAX_DIGITS = 20
TOO_LARGE = 10**MAX_DIGITS
_AMOUNT = re.compile(r"([0-9]+)(?:\.([0-9]*))?|\.([0-9]+)")


def fold_width(text: str) -> str:
    """Full-width ``０``–``９``, ``Ａ``–``Ｚ``, ``－``, ``（）`` … and the ideographic space as their
    ASCII forms; every other character (including other digits) stays as it is."""
    return text if text.isascii() else text.translate(_FULL_WIDTH)


def is_ascii_digits(text: str) -> bool:
    """Non-empty and only ``0``–``9`` (``"²".isdigit()`` is True, this is not)."""
    return text.isascii() and text.isdigit()


def has_foreign_digit(text: str) -> bool:
    """Whether the text holds a digit that is neither ASCII nor full-width (``٢``, ``²``, ``①`` …)."""
    return not text.isascii() and any(c.isdigit() and not c.isascii() for c in fold_width(text))


def count_of(value: str, *, unit: str = "人") -> int | None:
    """A whole number as typed — ``12``, ``１２``, ``12人`` — or None; :data:`TOO_LARGE` for more than
    :data:`MAX_DIGITS` digits."""
    text = fold_width(value).strip().removesuffix(unit).strip() if unit else fold_width(value).strip()
    if not is_ascii_digits(text):
        return None
    text = text.lstrip("0") or "0"
    return TOO_LARGE if len(text) > MAX_DIGITS else int(text)


def amount_of(value: str) -> Decimal | None:
    """An amount in yuan as clerks write it — ``12000``, ``12,000``, ``3500.50``, ``１２０００``,
    ``1.2万``, ``800元`` — exactly (not rounded), or None when it is not one: no sign, exponent,
    ``NaN``, underscore or other digits. More than :data:`MAX_DIGITS` digits before the point
    gives :data:`TOO_LARGE`; the decimals are kept (the caller refuses more than two)."""
    text = fold_width(value).strip().replace(",", "").removesuffix("元").strip()
    factor = 1
    if text.endswith("万"):
        text, factor = text[:-1].strip(), 10_000
    match = _AMOUNT.fullmatch(text)
    if match is None:
        return None
    whole = (match.group(1) or "0").lstrip("0") or "0"
    fraction = (match.group(2) or match.group(3) or "").rstrip("0")
    if len(whole) > MAX_DIGITS:
        return Decimal(TOO_LARGE)
    # Beyond MAX_DIGITS decimals only "more than two" matters.
    amount = Decimal(f"{whole}.{fraction[:MAX_DIGITS] or '0'}") * factor
    return Decimal(TOO_LARGE) if amount >= TOO_LARGE else amount
