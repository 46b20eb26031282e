"""Masking rules, and properties: idempotent, never more than the rule shows, rare characters too."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mediation_desk.models import PartyKind
from mediation_desk.readmodels.masking import (
    COMPOUND_SURNAMES,
    mask_id_number,
    mask_name,
    mask_party_names,
    mask_phone,
    surname_of,
)


@pytest.mark.parametrize(
    ("name", "style", "masked"),
    [
        ("张三丰", "某", "张某"),
        ("张三", "某某", "张某某"),
        ("欧阳娜娜", "某", "欧阳某"),
        ("司马懿", "某某", "司马某某"),
        ("阿依古丽·买买提", "某", "阿某"),
        ("吉𠮷", "某", "吉某"),
        ("𠮷野家", "某", "𠮷某"),
        ("䶮", "某", "䶮某"),
        ("张某", "某", "张某"),
        ("刘某乙", "某", "刘某乙"),
        ("  王 ", "某", "王某"),
        ("", "某", ""),
    ],
)
def test_names_are_masked_by_the_courts_rule(name: str, style: str, masked: str) -> None:
    assert mask_name(name, style=style) == masked


def test_organisations_keep_their_names() -> None:
    assert mask_name("甘州区宏达建筑工程有限公司", kind=PartyKind.LEGAL_PERSON) == "甘州区宏达建筑工程有限公司"
    assert mask_name("四村村民委员会", kind=PartyKind.ORGANISATION) == "四村村民委员会"


def test_two_people_of_one_surname_become_jia_and_yi() -> None:
    parties = [("刘德华", PartyKind.PERSON), ("刘青云", PartyKind.PERSON), ("张学友", PartyKind.PERSON),
               ("刘德华", PartyKind.PERSON), ("刘氏宗亲会", PartyKind.ORGANISATION)]
    assert mask_party_names(parties) == ["刘某甲", "刘某乙", "张某", "刘某甲", "刘氏宗亲会"]
    assert mask_party_names([("欧阳娜娜", PartyKind.PERSON), ("欧阳震华", PartyKind.PERSON)], style="某某") == [
        "欧阳某某甲", "欧阳某某乙"]


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="某某"):
        mask_name("张三", style="X")


@pytest.mark.parametrize(
    ("number", "masked"),
    [("11010519491231002X", "110105********002X"), ("110105491231002", "110105*****1002"),
     ("E12345678", "E1*****78"), ("", "")],
)
def test_id_numbers_keep_first_six_and_last_four(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13800138000", "138****8000"), ("138-0013-8000", "138****8000"), ("+86 138 0013 8000", "138****8000"),
     ("0936-8212345", "0936-***2345"), ("010-65123456转801", "010-****3456转801"),
     ("09368212345", "0936-***2345"), ("021 6512 3456", "021-****3456"), ("0936-***2345", "0936-***2345")],
)
def test_phones_keep_three_and_four(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


# Names drawn from common, compound and rare (Ext A, Ext B) characters, with dots sometimes.
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
rare = st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF) | st.characters(min_codepoint=0x20000,
                                                                                  max_codepoint=0x2A6DF)
given_names = st.text(cjk | rare, min_size=1, max_size=4)
surnames = st.sampled_from(sorted(COMPOUND_SURNAMES)) | st.text(cjk | rare, min_size=1, max_size=1)
names = st.one_of(
    st.tuples(surnames, given_names).map("".join),
    st.tuples(given_names, st.sampled_from("·•"), given_names).map("".join),
)


@given(names, st.sampled_from(["某", "某某"]))
def test_masking_is_idempotent(name: str, style: str) -> None:
    once = mask_name(name, style=style)
    assert mask_name(once, style=style) == once


@given(names, st.sampled_from(["某", "某某"]))
def test_masking_shows_at_most_the_surname(name: str, style: str) -> None:
    assume("某" not in name)  # a name already in masked form is returned as it is
    masked = mask_name(name, style=style)
    kept = masked.removesuffix(style)
    # Nothing but the surname and the style: the given name never shows.
    assert masked == surname_of(name) + style
    assert len(kept) <= 2


@given(st.text(alphabet="0123456789X", min_size=15, max_size=18))
def test_id_masking_shows_ten_characters_at_most_and_is_idempotent(number: str) -> None:
    masked = mask_id_number(number)
    assert sum(c != "*" for c in masked) <= 10
    assert mask_id_number(masked) == masked


@given(st.text(alphabet="0123456789", min_size=8, max_size=12))
def test_phone_masking_shows_seven_digits_at_most_and_is_idempotent(phone: str) -> None:
    masked = mask_phone(phone)
    # A landline's area code (a city, 3 or 4 digits) stays; of the number itself at most 7 digits show.
    area, _, local = masked.rpartition("-")
    assert sum(c.isdigit() for c in local) <= 7 and len(area) <= 4
    assert sum(c.isdigit() for c in local) <= 4 or not area
    assert mask_phone(masked) == masked
