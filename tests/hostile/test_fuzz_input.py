"""Hypothesis properties of every parser of typed or imported input: whatever the text, the answer
is one of the documented outcomes — a cleaned value (all digits ASCII), or a refusal with the
project's own error type and a Chinese message — never another exception, and on both databases
never a database error."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, DisputeType, IdDocumentType, Party, PartyRole
from mediation_desk.readmodels import amounts
from mediation_desk.services import (
    case_import,
    cases,
    digits,
    publicity,
    retention,
    search,
    statistics,
    validation,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, ServiceError

TODAY = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 15, 0)
#: Digits that are not digits here (Python's isdigit() says they are).
FOREIGN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९²³¹⁰⁴⁵⁶⁷⁸⁹₀₁₂①②③⑴⒈𝟎𝟏𝟗"
FULL_WIDTH = "０１２３４５６７８９"
#: Characters that have broken parsers or queries somewhere: separators, quotes, escapes, NUL,
#: U+001F (ends indexed search values), a lone surrogate, operators of FTS5 and LIKE.
SPECIAL = [*FOREIGN_DIGITS, *FULL_WIDTH, "X", "x", "Ｘ", "-", "－", "—", " ", "\u3000", "\x00", "\x1f", "\ud800",
           "%", "_", "\\", '"', "'", "*", ":", "^", "(", ")", "（", "）", "+86", "转", "#", "e", "E", ".", ",", "，",
           "NaN", "Infinity", "万", "元", "人", "AND", "OR", "NEAR(", "\n", "\r", ";", "；"]
#: Any text at all, surrogates included (a command line passes undecodable bytes as surrogates).
ANY_CHAR = st.characters(exclude_categories=())


def texts(extra: list[str] = SPECIAL, max_size: int = 20) -> st.SearchStrategy[str]:
    """Any characters mixed with pieces of the hostile kind."""
    return st.lists(st.one_of(ANY_CHAR, st.sampled_from(extra)), max_size=max_size).map("".join)


TEXT = texts()
#: No deadline: a busy machine (two cores, a dozen test runs) is not a slow parser.
PURE = settings(deadline=None)


def _chinese(error: ServiceError) -> None:
    assert re.search(r"[\u4e00-\u9fff]", error.message), error.message


def _valid_ids() -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
        body = f"110105{birth:%Y%m%d}{draw(st.integers(0, 999)):03d}"
        return body + validation.resident_id_check_char(body)

    return build()


def _swap_digit(number: str, index: int, alphabet: str, pick: int) -> str:
    index %= len(number)
    assume(number[index].isdigit())
    return number[:index] + alphabet[pick % len(alphabet)] + number[index + 1:]


# --------------------------------------------------------------------------- the checkers


@PURE
@given(TEXT)
@example("11010519491231002²")
@example("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")
def test_resident_id_is_accepted_with_ascii_digits_or_refused(value: str) -> None:
    try:
        info = validation.check_resident_id(value, today=TODAY)
    except InvalidInput as error:
        assert error.field == "id_number"
        _chinese(error)
        return
    assert re.fullmatch(r"[0-9]{17}[0-9X]", info.number)
    assert validation.resident_id_check_char(info.number[:17]) == info.number[17]


@PURE
@given(_valid_ids(), st.integers(0, 17), st.integers(0, 100))
def test_a_resident_id_with_one_foreign_digit_is_refused(number: str, index: int, pick: int) -> None:
    with pytest.raises(InvalidInput):
        validation.check_resident_id(_swap_digit(number, index, FOREIGN_DIGITS, pick), today=TODAY)


@PURE
@given(_valid_ids(), st.integers(0, 17), st.integers(0, 9))
def test_full_width_digits_in_a_resident_id_are_the_same_id(number: str, index: int, pick: int) -> None:
    digit = number[index % 18]
    assume(digit.isdigit())
    wide = number[:index % 18] + FULL_WIDTH[int(digit)] + number[index % 18 + 1:]
    assert validation.check_resident_id(wide, today=TODAY).number == number


@PURE
@given(TEXT)
@example("1³800138000")
@example("١٣٨٠٠١٣٨٠٠٠")
@example("0936-8212345转²")
def test_phone_is_accepted_with_ascii_digits_or_refused(value: str) -> None:
    try:
        phone = validation.check_phone(value)
    except InvalidInput as error:
        assert error.field == "phone"
        _chinese(error)
        return
    assert re.fullmatch(r"[0-9\-]+(转[0-9]+)?", phone), phone
    assert not digits.has_foreign_digit(value)


@PURE
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.integers(0, 10), st.integers(0, 100))
def test_a_mobile_with_one_foreign_digit_is_refused(number: str, index: int, pick: int) -> None:
    with pytest.raises(InvalidInput):
        validation.check_phone(_swap_digit(number, index, FOREIGN_DIGITS, pick))


@PURE
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_full_width_mobile_is_stored_in_ascii(number: str) -> None:
    assert validation.check_phone(number.translate({ord(d): w for d, w in zip("0123456789", FULL_WIDTH,
                                                                              strict=True)})) == number


@PURE
@given(TEXT)
@example("91350100M000100Y4³")
def test_credit_code_is_accepted_in_ascii_or_refused(value: str) -> None:
    try:
        code = validation.check_credit_code(value)
    except InvalidInput as error:
        assert error.field == "credit_code"
        _chinese(error)
        return
    assert re.fullmatch(r"[0-9A-HJ-NP-RTUW-Y]{18}", code)


@PURE
@given(st.sampled_from(list(IdDocumentType)), TEXT)
def test_every_document_kind_is_accepted_without_foreign_digits_or_refused(kind: IdDocumentType, value: str) -> None:
    try:
        number = validation.check_document(kind, value, today=TODAY)
    except InvalidInput as error:
        _chinese(error)
        return
    assert not digits.has_foreign_digit(number) and number.isprintable() and len(number) <= 40


# --------------------------------------------------------------------------- numbers


@PURE
@given(TEXT)
@example("10²⁰")
@example("9" * 5000)
def test_count_is_a_bounded_whole_number_or_none(value: str) -> None:
    count = digits.count_of(value)
    if count is None:
        return
    assert 0 <= count <= digits.TOO_LARGE
    assert not digits.has_foreign_digit(value)


@PURE
@given(TEXT)
@example("1e400")
@example("NaN")
@example("1." + "3" * 5000)
def test_amount_is_a_finite_plain_number_or_none(value: str) -> None:
    amount = digits.amount_of(value)
    if amount is None:
        return
    assert amount.is_finite() and Decimal(0) <= amount <= digits.TOO_LARGE
    assert not digits.has_foreign_digit(value)


@PURE
@given(st.integers(0, 10**12 - 1), st.integers(0, 99))
def test_typed_amounts_read_back_and_print_in_capitals(yuan: int, fen: int) -> None:
    typed = f"{yuan:,}.{fen:02d}"
    wide = typed.translate({ord(d): w for d, w in zip("0123456789", FULL_WIDTH, strict=True)})
    assert digits.amount_of(typed) == digits.amount_of(wide) == Decimal(f"{yuan}.{fen:02d}")
    capitals = amounts.to_capitals(Decimal(f"{yuan}.{fen:02d}"))
    assert set(capitals) <= set(amounts.DIGITS + "拾佰仟万亿元角分整")


# --------------------------------------------------------------------------- one import row

ROW_FIELDS = st.dictionaries(st.sampled_from(list(case_import.COLUMNS)), TEXT, max_size=8)
GOOD_ROW = {"source_ref": "F-1", "received_at": "2026-11-20 09:30", "dispute_type": "邻里", "title": "排水纠纷",
            "applicant_name": "王建军"}


@PURE
@given(ROW_FIELDS)
def test_an_import_row_is_a_clean_case_or_refused_by_line(cells: dict[str, str]) -> None:
    parsed = case_import._parse_row(7, {**GOOD_ROW, **cells}, {"邻里": 1}, NOW)
    if isinstance(parsed, list):
        assert parsed and all(error.line == 7 for error in parsed)
        for error in parsed:
            assert str(error).startswith("第 7 行") and re.search(r"[\u4e00-\u9fff]", error.message)
        return
    assert 1949 <= parsed.received_at.year <= NOW.year and parsed.received_at <= NOW
    assert 0 <= parsed.people <= case_import.MAX_PEOPLE
    assert parsed.amount is None or (parsed.amount.is_finite() and 0 <= parsed.amount < case_import.MAX_AMOUNT
                                     and parsed.amount == parsed.amount.quantize(Decimal("0.01")))
    for text in (parsed.source_ref, parsed.title, parsed.facts, parsed.address, *parsed.requests):
        assert not case_import._FORBIDDEN.search(text)
    for party in parsed.parties:
        assert party["id_number"].isascii() and party["phone"].isascii() and party["credit_code"].isascii()
        assert len(party["name"]) <= 200 and len(party["address"]) <= 200


@PURE
@given(texts([*SPECIAL, "[", "]", "{", "}", "\"", ",", ":", "1e400", '{"来源编号": ', "[{", "}]"], 60))
@example('[{"来源编号": ' + "[" * 5000 + "]" * 5000 + "}]")
@example('{"cases": [1, ')
def test_any_json_text_is_read_as_records_or_refused_whole(text: str) -> None:
    try:
        for line, record in case_import._json_records(text):
            assert line >= 1 and all(isinstance(v, str) for v in record.values())
    except case_import.ImportFileError as error:
        _chinese(error)


@PURE
@given(texts([*SPECIAL, ",", '"', "\n", "来源编号,登记时间,纠纷类型,纠纷名称,申请人\n"], 60))
def test_any_csv_text_is_read_as_records_or_refused_whole(text: str) -> None:
    text = "来源编号,登记时间,纠纷类型,纠纷名称,申请人\n" + text
    try:
        for line, record in case_import._csv_records(text):
            assert line >= 2 and all(isinstance(v, str) for v in record.values())
    except case_import.ImportFileError as error:
        _chinese(error)


# --------------------------------------------------------------------------- on the databases

FUZZ_DB = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@FUZZ_DB
@given(cells=ROW_FIELDS)
def test_a_fuzzed_import_row_is_written_or_refused_on_both_databases(db: Database, tmp_path: Path,
                                                                      cells: dict[str, str]) -> None:
    """Whatever a row holds, the database never refuses it: what passed the checks is storable."""
    ref = f"F-{abs(hash(frozenset(cells.items())))}"
    records = [(2, {**GOOD_ROW, "source_ref": ref + "-good"}), (3, {**GOOD_ROW, **cells, "source_ref": ref})]
    with db.write() as session:
        report = case_import.import_records(session, Actor.system("fuzz"), records, today=NOW)
    assert report.imported + report.already_imported + len({e.line for e in report.errors}) == 2
    with db.read() as session:
        stored = set(session.scalars(select(DisputeCase.source_ref).where(DisputeCase.source_ref.like(f"%{ref}%"))))
        assert f"12345:{ref}-good" in stored
        for id_number, phone in session.execute(select(Party.id_number, Party.phone)):
            assert id_number.isascii() and phone.isascii()


@pytest.fixture
def cases_to_search(db: Database) -> Database:
    records = [(n, {**GOOD_ROW, "source_ref": f"S-{n}", "title": f"第{n}号纠纷 %_\\\"", "facts": "宅基地 2026",
                    "applicant_name": name, "applicant_phone": f"1380013{n:04d}"})
               for n, name in enumerate(["王建军", "欧阳娜娜", "吉𠮷", "张三"], start=1)]
    with db.write() as session:
        case_import.import_records(session, Actor.system("fuzz"), records, today=NOW)
    return db


@FUZZ_DB
@given(query=texts([*SPECIAL, "1", "0001", "王", "宅基地", "1380013", "0002"], 12))
@example(query="²")
@example(query="٢")
@example(query="１３８００１３０００１")
@example(query="\ud800 王")
def test_any_search_is_answered_or_refused_on_both_databases(cases_to_search: Database, query: str) -> None:
    actor = Actor.system("fuzz")
    try:
        with cases_to_search.read() as session:
            total = search.count(session, actor, query)
            hits = search.search(session, actor, query, limit=5)
    except ServiceError as error:
        _chinese(error)
        return
    assert total >= len(hits) >= 0


def test_full_width_digits_find_a_phone(cases_to_search: Database) -> None:
    with cases_to_search.read() as session:
        hits = search.search(session, Actor.system("fuzz"), "１３８００１３０００２")
    assert [h.parties for h in hits] == [("欧阳娜娜",)]


# --------------------------------------------------------------------------- other typed numbers


@PURE
@given(texts([*SPECIAL, "2026", "-", "10", "年", "月", "定期"], 8))
@example("²⁰²⁶-10")
@example("٢٠٢٦-10")
@example("³⁰年")
def test_months_and_retention_periods_are_read_or_refused(text: str) -> None:
    for parse in (statistics.month_period, publicity.parse_month, retention.years_of):
        try:
            parse(text)
        except InvalidInput as error:
            _chinese(error)
            continue
        assert not digits.has_foreign_digit(text)


@pytest.mark.parametrize(("people", "amount", "message"), [
    (10**20, None, "涉及人数过大"), (2**31, None, "涉及人数过大"), (0, Decimal("NaN"), "应为一个数"),
    (0, Decimal("Infinity"), "应为一个数"), (0, Decimal("1e12"), "涉及金额过大"), (0, Decimal(-1), "不能为负数"),
])
def test_registration_refuses_numbers_the_database_cannot_hold(db: Database, people: int, amount: Decimal | None,
                                                               message: str) -> None:
    """The services' own check, whatever a caller passes (the form's parser bounds them already)."""
    with db.write() as session:
        type_id = session.scalars(select(DisputeType.id)).first()
        assert type_id is not None
        data = cases.CaseInput(title="排水纠纷", dispute_type_id=type_id, people_involved=people,
                               amount_involved=amount,
                               parties=[cases.PartyInput(role=PartyRole.APPLICANT, name="王建军")])
        with pytest.raises(InvalidInput, match=message):
            cases.register_case(session, Actor.system("fuzz"), data)
