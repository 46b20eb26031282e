"""The one reader behind every date field: the forms clerks type, and nothing else."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.services.dates import parse_day, parse_month, parse_time
from mediation_desk.services.errors import InvalidInput

WIDE = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")


@pytest.mark.parametrize("text", [
    "2026-12-31", "2026/12/31", "2026.12.31", "20261231", "2026年12月31日", "2026年12月31",
    "  2026-12-31  ", "\u30002026-12-31\u3000", "２０２６－１２－３１", "２０２６年１２月３１日", "2026 年 12 月 31 日",
])
def test_the_forms_clerks_type_are_31_december(text: str) -> None:
    assert parse_day(text) == date(2026, 12, 31)


@pytest.mark.parametrize(("text", "day"), [
    ("2026-1-5", date(2026, 1, 5)), ("2026/1/5", date(2026, 1, 5)), ("2026.1.05", date(2026, 1, 5)),
    ("2026年1月5日", date(2026, 1, 5)), ("20240229", date(2024, 2, 29)), ("2000-02-29", date(2000, 2, 29)),
])
def test_one_digit_months_and_days_and_leap_days(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(("text", "words"), [
    ("2026-02-30", "2 月没有 30 日"), ("2026-13-01", "月份应为 1 到 12"), ("20250229", "2 月没有 29 日"),
    ("26-12-31", "无法识别"), ("12/31/2026", "无法识别"), ("2026-12/31", "无法识别"), ("2026-12", "无法识别"),
    ("٢٠٢٦-١٢-٣١", "无法识别"), ("2026-12-3¹", "无法识别"), ("２０２６-1２-3１x", "无法识别"), ("tomorrow", "无法识别"),
    ("2026123", "无法识别"), ("202612311", "无法识别"), ("0000-01-01", "年份 0000 不存在"),
    ("2026-12-31 14:30", "无法识别"),
])
def test_everything_else_is_refused_naming_the_field(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_day(text, field="due_on", label="履行期限")
    assert raised.value.field == "due_on"
    assert raised.value.message.startswith("履行期限")
    assert words in raised.value.message


def test_an_empty_field_is_asked_for() -> None:
    with pytest.raises(InvalidInput, match="请填写回访日期"):
        parse_day("  ", label="回访日期")


def test_a_range_is_said_in_the_message() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_day("2027-01-01", label="签署日期", latest=date(2026, 12, 4), latest_name="今天")
    assert raised.value.message == "签署日期不能晚于 2026-12-04（今天），现在是 2027-01-01。"
    with pytest.raises(InvalidInput, match="应在 2000-01-01 至 2099-12-31 之间"):
        parse_day("1999-12-31", earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
    with pytest.raises(InvalidInput, match="不能早于 2000-01-01"):
        parse_day("1999-12-31", earliest=date(2000, 1, 1))
    assert parse_day("2026-12-04", latest=date(2026, 12, 4)) == date(2026, 12, 4)


@pytest.mark.parametrize("text", ["2026-12", "2026/12", "2026.12", "202612", "2026年12月", "２０２６年１２月",
                                  " 2026-12 "])
def test_months(text: str) -> None:
    assert parse_month(text) == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["2026-13", "26-12", "2026-12-31", "2026", "٢٠٢٦-١٢"])
def test_months_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^公示月份"):
        parse_month(text, label="公示月份")


def test_month_range() -> None:
    with pytest.raises(InvalidInput, match="应在 2000-01 至 2099-12 之间"):
        parse_month("1999-12", earliest=date(2000, 1, 1), latest=date(2099, 12, 31))


@pytest.mark.parametrize(("text", "moment"), [
    ("14:30", time(14, 30)), ("9:05", time(9, 5)), ("14：30", time(14, 30)), ("14时30分", time(14, 30)),
    ("14时", time(14, 0)), ("１４：３０", time(14, 30)), ("14:30:15", time(14, 30, 15)),
])
def test_times(text: str, moment: time) -> None:
    assert parse_time(text) == moment


@pytest.mark.parametrize("text", ["24:00", "14:60", "1430x", "下午两点", "٢:٣٠"])
def test_times_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^开会时间"):
        parse_time(text, label="开会时间")


def _forms(day: date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}/{m:02d}/{d:02d}", f"{y:04d}.{m:02d}.{d:02d}",
            f"{y:04d}{m:02d}{d:02d}",
            f"{y:04d}年{m:02d}月{d:02d}日", f"{y:04d}-{m}-{d}", f"{y:04d}年{m}月{d}日",
            f"{y:04d}-{m:02d}-{d:02d}".translate(WIDE), f" {y:04d}/{m}/{d} "]


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_day_in_every_form_reads_back_as_itself(day: date) -> None:
    for text in _forms(day):
        assert parse_day(text) == day, text


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_month_reads_back(day: date) -> None:
    for text in (f"{day:%Y-%m}", f"{day.year}年{day.month}月", f"{day:%Y%m}"):
        assert parse_month(text) == day.replace(day=1)


@given(st.text(alphabet=st.sampled_from("0123456789０１２３٢²-/.年月日 :：时分x\u3000"), max_size=16) | st.text())
def test_arbitrary_text_is_read_or_refused_never_anything_else(text: str) -> None:
    for reader in (parse_day, parse_month, parse_time):
        try:
            reader(text)
        except InvalidInput as exc:
            assert exc.message
