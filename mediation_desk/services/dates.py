"""Dates, months and times as clerks type them — the one reader behind every date field.

A day may be written ``2026-12-31``, ``2026/12/31``, ``2026.12.31``, ``20261231`` or
``2026年12月31日``; month and day may have one digit (``2026-1-5``, ``2026年1月5日``); digits and
separators may be full-width (``２０２６－１２－３１``, what a Chinese input method gives) and the
text may be surrounded by spaces. Nothing else is guessed at: two-digit years, impossible days
(``2026-02-30``), other scripts' digits (Arabic-Indic ``٢``, superscripts ``²``) are refused with
a Chinese sentence naming the field, so a form shows it under the field and stores nothing.

Each reader returns the value or raises :class:`InvalidInput`; nothing here knows about Qt.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from .errors import InvalidInput

#: Full-width digits and separators an input method gives, mapped to ASCII. Only these: NFKC
#: would also turn superscripts and circled digits into digits, which no clerk means as a date.
_WIDE = str.maketrans(
    "０１２３４５６７８９－／．：\u3000\u2212",
    "0123456789-/.: -",
)
_SPACE = r"[ \t]*"
_DAY_FORMS = (
    # 2026-12-31, 2026/12/31, 2026.12.31 (one separator throughout), one-digit month and day too.
    re.compile(r"(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})", re.ASCII),
    # 2026年12月31日 (日 may be left off), spaces allowed around the numbers.
    re.compile(rf"(?P<y>[0-9]{{4}}){_SPACE}年{_SPACE}(?P<m>[0-9]{{1,2}}){_SPACE}月{_SPACE}(?P<d>[0-9]{{1,2}}){_SPACE}日?",
               re.ASCII),
    # 20261231
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", re.ASCII),
)
_MONTH_FORMS = (
    re.compile(r"(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})", re.ASCII),
    re.compile(rf"(?P<y>[0-9]{{4}}){_SPACE}年{_SPACE}(?P<m>[0-9]{{1,2}}){_SPACE}月?", re.ASCII),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})", re.ASCII),
)
_TIME_FORMS = (
    re.compile(r"(?P<h>[0-9]{1,2}):(?P<min>[0-9]{2})(?::(?P<sec>[0-9]{2}))?", re.ASCII),
    re.compile(rf"(?P<h>[0-9]{{1,2}}){_SPACE}[时點点]{_SPACE}(?:(?P<min>[0-9]{{1,2}}){_SPACE}分?)?", re.ASCII),
)

DAY_EXAMPLES = "2026-12-31、2026/12/31、20261231 或 2026年12月31日"
MONTH_EXAMPLES = "2026-12、202612 或 2026年12月"
TIME_EXAMPLES = "14:30 或 14时30分"


def _clean(text: str) -> str:
    return text.translate(_WIDE).strip()


def _shown(text: str) -> str:
    """What the clerk typed, for the message (cut short; the field still holds all of it)."""
    text = text.strip()
    return text if len(text) <= 20 else text[:20] + "…"


def _day_of(year: int, month: int, day: int, field: str, label: str) -> date:
    if not 1 <= month <= 12:
        raise InvalidInput(field, f"{label}的月份应为 1 到 12，现在是 {month}。")
    try:
        return date(year, month, day)
    except ValueError:
        if year < 1:
            raise InvalidInput(field, f"{label}的年份 {year:04d} 不存在。") from None
        raise InvalidInput(field, f"{label}有误：{year} 年 {month} 月没有 {day} 日。") from None


def check_range(value: date, *, field: str, label: str, earliest: date | None = None,
                latest: date | None = None, latest_name: str = "") -> date:
    """``value`` if it lies within [earliest, latest]; else the message names the range.
    ``latest_name`` (e.g. "今天") is said with the last allowed day."""
    if (earliest is not None and value < earliest) or (latest is not None and value > latest):
        last = f"{latest:%Y-%m-%d}{f'（{latest_name}）' if latest_name else ''}" if latest is not None else ""
        if earliest is not None and latest is not None:
            span = f"应在 {earliest:%Y-%m-%d} 至 {last} 之间"
        elif latest is not None:
            span = f"不能晚于 {last}"
        else:
            span = f"不能早于 {earliest:%Y-%m-%d}"
        raise InvalidInput(field, f"{label}{span.replace('） ', '）')}，现在是 {value:%Y-%m-%d}。")
    return value


def day_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) as written in one of the accepted forms, not yet checked to be a real
    day; None when ``text`` is in none of them."""
    cleaned = _clean(text)
    for form in _DAY_FORMS:
        match = form.fullmatch(cleaned)
        if match is not None:
            return int(match["y"]), int(match["m"]), int(match["d"])
    return None


def parse_day(text: str, *, field: str = "date", label: str = "日期", earliest: date | None = None,
              latest: date | None = None, latest_name: str = "") -> date:
    """The day ``text`` names (see the module's description of the accepted forms)."""
    if not _clean(text):
        raise InvalidInput(field, f"请填写{label}。")
    parts = day_parts(text)
    if parts is None:
        raise InvalidInput(field, f"{label}“{_shown(text)}”无法识别，请写成 {DAY_EXAMPLES}。")
    day = _day_of(*parts, field, label)
    return check_range(day, field=field, label=label, earliest=earliest, latest=latest, latest_name=latest_name)


def parse_month(text: str, *, field: str = "month", label: str = "月份", earliest: date | None = None,
                latest: date | None = None) -> date:
    """The first day of the month ``text`` names: ``2026-12``, ``2026/12``, ``202612``,
    ``2026年12月`` (one-digit months and full-width digits too)."""
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput(field, f"请填写{label}。")
    for form in _MONTH_FORMS:
        match = form.fullmatch(cleaned)
        if match is not None:
            first = _day_of(int(match["y"]), int(match["m"]), 1, field, label)
            if (earliest is not None and first < earliest) or (latest is not None and first > latest):
                low = f"{earliest:%Y-%m}" if earliest is not None else ""
                high = f"{latest:%Y-%m}" if latest is not None else ""
                span = (f"应在 {low} 至 {high} 之间" if low and high else
                        f"不能晚于 {high}" if high else f"不能早于 {low}")
                raise InvalidInput(field, f"{label}{span}，现在是 {first:%Y-%m}。")
            return first
    raise InvalidInput(field, f"{label}“{_shown(text)}”无法识别，请写成 {MONTH_EXAMPLES}。")


def parse_time(text: str, *, field: str = "time", label: str = "时间") -> time:
    """A time of day: ``14:30``, ``9:05``, ``14:30:00``, ``14：30``, ``14时30分``, ``14时``."""
    cleaned = _clean(text)
    if not cleaned:
        raise InvalidInput(field, f"请填写{label}。")
    for form in _TIME_FORMS:
        match = form.fullmatch(cleaned)
        if match is not None:
            hour, minute = int(match["h"]), int(match["min"] or 0)
            second = int(match.groupdict().get("sec") or 0)
            if hour > 23 or minute > 59 or second > 59:
                raise InvalidInput(field, f"{label}“{_shown(text)}”不存在：小时应为 0 到 23，分钟应为 0 到 59。")
            return time(hour, minute, second)
    raise InvalidInput(field, f"{label}“{_shown(text)}”无法识别，请写成 {TIME_EXAMPLES}。")


def combine(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment)


def format_day(day: date | None) -> str:
    """How a date field shows a day: 2026-12-31 (empty for none)."""
    return "" if day is None else f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def format_month(first: date | None) -> str:
    return "" if first is None else f"{first.year:04d}-{first.month:02d}"
