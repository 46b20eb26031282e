"""Amounts in Chinese capitals (大写金额), as agreements and court papers print them.

Follows the rules of the 《支付结算办法》 for writing amounts: 零 marks each run of zeros inside
the number (one 零 for a run), 壹拾 keeps its 壹 even at the front, 元 is followed by 整 when
there are no 角 or 分, and a missing 角 before 分 is written 零.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
MAX_AMOUNT = Decimal("9999999999999999.99")


def _group(value: int) -> str:
    """Four digits (0–9999) with 拾佰仟, zeros inside collapsed to one 零, none at the end."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = value // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + _SMALL_UNITS[position]
    return text


def integer_in_capitals(value: int) -> str:
    if value == 0:
        return "零"
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        # A group below a written one that does not fill its thousands starts with 零.
        if text and (need_zero or group < 1000):
            text += "零"
        text += _group(group) + _GROUP_UNITS[index]
        need_zero = False
    return text


def to_capitals(amount: Decimal | int | str) -> str:
    """人民币 amount in capitals, without the 人民币 prefix: 12500 → 壹万贰仟伍佰元整."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("金额不能为负数")
    if value > MAX_AMOUNT:
        raise ValueError("金额过大")
    yuan = int(value)
    cents = int((value - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    text = integer_in_capitals(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        # 1680.32 → 壹仟陆佰捌拾元零叁角贰分: a zero 元 digit before 角 is written.
        if yuan and yuan % 10 == 0:
            text += "零"
        text += DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            text += "零"
        text += DIGITS[fen] + "分"
    return text


def rmb(amount: Decimal | int | str) -> str:
    """The form agreements use: 人民币壹万贰仟伍佰元整（¥12,500.00）."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"人民币{to_capitals(value)}（¥{value:,.2f}）"
