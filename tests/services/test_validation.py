"""The checkers behind the intake form and `mediation-desk check`, with property tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_desk.models import Gender, IdDocumentType
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.validation import (
    _USCC_CHARS,
    check_credit_code,
    check_document,
    check_phone,
    check_resident_id,
    credit_code_check_char,
    quick_resident_id,
    quick_resident_parts,
    resident_id_check_char,
    upgrade_15_digit_id,
)

TODAY = date(2026, 11, 22)

regions = st.sampled_from(["110105", "620702", "440305", "310115", "810000", "830000"])
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
orders = st.integers(min_value=0, max_value=999)


def _id(region: str, birth: date, order: int) -> str:
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + resident_id_check_char(body)


@given(regions, births, orders)
def test_every_well_formed_id_is_accepted_with_what_it_encodes(region: str, birth: date, order: int) -> None:
    info = check_resident_id(_id(region, birth, order), today=TODAY)
    assert info.birth_date == birth
    assert info.gender is (Gender.MALE if order % 2 else Gender.FEMALE)
    assert info.region_code == region


@given(regions, births, orders, st.integers(min_value=0, max_value=17), st.integers(min_value=0, max_value=9))
def test_the_quick_id_check_takes_a_valid_id_as_the_full_check_reads_it(region: str, birth: date, order: int,
                                                                         position: int, shift: int) -> None:
    """The batch import's quick check (an ID written as stored): what the full check returns for a
    good number, None for a bad one (one digit changed, or none: the good one itself)."""
    good = _id(region, birth, order)
    value = good
    if good[position] != "X":
        value = good[:position] + str((int(good[position]) + shift) % 10) + good[position + 1:]
    try:
        expected = check_resident_id(value, today=TODAY)
    except InvalidInput:
        expected = None
    assert quick_resident_id(value, TODAY) == expected
    assert quick_resident_parts(value, TODAY) == (None if expected is None else (expected.birth_date, expected.gender))


@given(regions, births, orders, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_typo_is_caught(region: str, birth: date, order: int, position: int, shift: int) -> None:
    good = _id(region, birth, order)
    wrong = good[:position] + str((int(good[position]) + shift) % 10) + good[position + 1:]
    with pytest.raises(InvalidInput) as refused:
        check_resident_id(wrong, today=TODAY)
    assert refused.value.field == "id_number"


@given(regions, births, orders)
def test_swapping_two_adjacent_different_digits_is_caught(region: str, birth: date, order: int) -> None:
    good = _id(region, birth, order)
    for i in range(16):
        if good[i] != good[i + 1]:
            swapped = good[:i] + good[i + 1] + good[i] + good[i + 2:]
            with pytest.raises(InvalidInput):
                check_resident_id(swapped, today=TODAY)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写身份证号码"),
        ("11010519491231002", "应为 18 位，现在是 17 位"),
        ("1101051949123100ZX", "前 17 位只能是数字"),
        ("11010519491231002Y", "最后一位只能是数字或 X"),
        ("000105194912310022", "不是有效的省级行政区代码"),
        ("110105194902300020", "出生日期“19490230”不存在"),
        ("110105194912310021", "校验位不正确"),
    ],
)
def test_bad_ids_get_a_message_that_names_the_problem(value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_resident_id(value, today=TODAY)


def test_birth_date_in_the_future_is_refused() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(InvalidInput, match="晚于今天"):
        check_resident_id(_id("110105", tomorrow, 11), today=TODAY)


def test_old_15_digit_number_is_recognised_and_its_replacement_suggested() -> None:
    with pytest.raises(InvalidInput, match="15 位旧身份证号码") as refused:
        check_resident_id("110105491231002", today=TODAY)
    assert "11010519491231002X" in str(refused.value)
    assert upgrade_15_digit_id("110105491231002") == "11010519491231002X"


def test_full_width_and_lower_case_x_from_an_input_method_are_normalised() -> None:
    assert check_resident_id("１１０１０５ １９４９１２３１ ００２ｘ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("kind", "good", "bad", "message"),
    [
        (IdDocumentType.HK_MACAO_PERMIT, "H12345678", "K12345678", "H 或 M 开头"),
        (IdDocumentType.TAIWAN_PERMIT, "01234567", "0123", "8 位数字"),
        (IdDocumentType.PASSPORT, "E12345678", "E1234567", "E 或 G 后接 8 位数字"),
        (IdDocumentType.PASSPORT, "X1234567", "AB#1", "5 至 17 位字母或数字"),
    ],
)
def test_other_documents_have_their_own_checks(kind: IdDocumentType, good: str, bad: str, message: str) -> None:
    assert check_document(kind, good.lower() if kind is IdDocumentType.PASSPORT else good) == good
    with pytest.raises(InvalidInput, match=message):
        check_document(kind, bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0936-8212345", "0936-8212345"),
        ("(0936)8212345", "0936-8212345"),
        ("010 6512 3456 转 801", "010-65123456转801"),
        ("400-812-3123", "4008123123"),
    ],
)
def test_phones_are_accepted_and_cleaned(value: str, expected: str) -> None:
    assert check_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写联系电话"),
        ("1380013800", "应为 11 位，现在是 10 位"),
        ("12800138000", "13–19 开头"),
        ("8212345", "请加区号"),
        ("0936-123", "区号加 7 至 8 位号码"),
        ("0936-82a2345", "只能包含数字"),
    ],
)
def test_bad_phones_get_a_message(value: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_phone(value)


uscc_bodies = st.tuples(
    st.sampled_from("159ANY"), st.sampled_from("1239"), st.from_regex(r"\A[1-6][0-9]{5}\Z", fullmatch=True),
    st.text(alphabet=_USCC_CHARS, min_size=9, max_size=9),
).map("".join)


@given(uscc_bodies)
def test_every_well_formed_credit_code_is_accepted(body: str) -> None:
    code = body + credit_code_check_char(body)
    assert check_credit_code(code.lower()) == code


@given(uscc_bodies, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_any_single_character_typo_in_a_credit_code_is_caught(body: str, position: int, shift: int) -> None:
    good = body + credit_code_check_char(body)
    replacement = _USCC_CHARS[(_USCC_CHARS.index(good[position]) + shift) % 31]
    wrong = good[:position] + replacement + good[position + 1:]
    with pytest.raises(InvalidInput):
        check_credit_code(wrong)


def test_real_credit_codes_and_bad_ones() -> None:
    assert check_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    assert check_credit_code("91440300708461136T") == "91440300708461136T"
    with pytest.raises(InvalidInput, match="应为 18 位"):
        check_credit_code("91350100M000100Y4")
    with pytest.raises(InvalidInput, match="不能出现“I、O”"):
        check_credit_code("91350100MOI0100Y43")
    with pytest.raises(InvalidInput, match="校验位不正确"):
        check_credit_code("91350100M000100Y44")
