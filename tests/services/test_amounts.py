"""大写金额: the examples of the payment rules, and a parser proving every amount round-trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.readmodels.amounts import DIGITS, rmb, to_capitals


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("12500", "壹万贰仟伍佰元整"),
        ("0", "零元整"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("100000", "壹拾万元整"),
        ("1001", "壹仟零壹元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0.55", "伍角伍分"),
        # The rules allow this with or without 零 before 角; we always write it when 元's digit is 0.
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
        ("100000001", "壹亿零壹元整"),
        ("2005000", "贰佰万伍仟元整"),
        ("20050000", "贰仟零伍万元整"),
        ("12.345", "壹拾贰元叁角伍分"),
    ],
)
def test_capitals_follow_the_payment_rules(amount: str, capitals: str) -> None:
    assert to_capitals(Decimal(amount)) == capitals


def test_agreement_form_and_refusals() -> None:
    assert rmb("12500") == "人民币壹万贰仟伍佰元整（¥12,500.00）"
    with pytest.raises(ValueError, match="负数"):
        to_capitals("-1")
    with pytest.raises(ValueError, match="过大"):
        to_capitals("1e17")


_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _parse(text: str) -> Decimal:
    """An independent reading of a capital amount, for the round-trip property."""
    cents = 0
    if "元" in text:
        integer, rest = text.split("元")
    else:
        integer, rest = "", text
    total = 0
    for big_unit, factor in (("亿", 10**8), ("万", 10**4)):
        if big_unit in integer:
            head, integer = integer.split(big_unit, 1)
            total += _small(head) * factor
    total += _small(integer)
    rest = rest.replace("整", "").replace("零", "")
    if "角" in rest:
        jiao, rest = rest.split("角")
        cents += DIGITS.index(jiao) * 10
    if "分" in rest:
        cents += DIGITS.index(rest.split("分")[0])
    return Decimal(total) + Decimal(cents) / 100


def _small(text: str) -> int:
    value, digit = 0, 0
    for char in text:
        if char in _UNITS:
            value += (digit or 1) * _UNITS[char]
            digit = 0
        elif char != "零":
            digit = DIGITS.index(char)
    return value + digit


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False))
def test_every_amount_round_trips(amount: Decimal) -> None:
    text = to_capitals(amount)
    assert _parse(text) == amount
    assert "零零" not in text and not text.startswith("零" if amount >= 1 else "X")
    assert text.endswith(("整", "角", "分"))
