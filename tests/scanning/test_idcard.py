"""Reading a resident ID card from its scan (scanning/idcard.py) on generated cards
(tests/idcard_gen.py): fields exact, every inconsistency flagged in Chinese, a rare-character name
flagged and never silently replaced, hostile inputs refused, and no socket opened.

The OCR takes about a second a card on two cores: the cards are read once per module.
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PIL import Image, ImageDraw

from mediation_desk.scanning import idcard
from mediation_desk.scanning.idcard import IdCardReading, IdCardRefused, cross_check, read_id_card
from mediation_desk.services.validation import resident_id_check_char
from tests.idcard_gen import make_card, render

from .samples import bomb_png, pdf_bytes

TODAY = date(2026, 12, 5)

#: (label, card, how it is scanned). Names from the OCR's own dictionary: these must read exactly.
CONSISTENT = {
    "pair, tilted -5°": (replace(make_card(101, rotation=-5.0), name="张伟"), "pair"),
    "back first": (replace(make_card(102, rotation=-3.0), name="欧阳建华"), "reversed"),
    "one image of both, tilted 5°": (replace(make_card(104, rotation=5.0), name="李秀英"), "both"),
    "upside down": (replace(make_card(105, rotation=0.5, quarter_turns=2), name="陈静"), "both"),
    "sideways": (replace(make_card(106, rotation=-1.0, quarter_turns=1), name="赵志强"), "both"),
}
INCONSISTENT = {
    "check_digit": (make_card(201, defect="check_digit", rotation=2.0), "both"),
    "birth": (replace(make_card(202, defect="birth", rotation=-2.0), name="刘洋"), "both"),
    "sex": (replace(make_card(203, defect="sex", rotation=1.0), name="孙丽"), "both"),
}
RARE = (replace(make_card(301, rotation=1.0), name="吉𠮷"), "front")


def images_of(card: Any, how: str) -> list[tuple[str, bytes]]:
    if how in ("both", "front"):
        return [("card.jpg", render(card, how))]
    images = [("front.jpg", render(card, "front")), ("back.jpg", render(card, "back"))]
    return images[::-1] if how == "reversed" else images


@pytest.fixture(scope="module")
def readings() -> dict[str, tuple[Any, IdCardReading]]:
    cases = {**CONSISTENT, **INCONSISTENT, "rare": RARE}
    return {label: (card, read_id_card(images_of(card, how), today=TODAY)) for label, (card, how) in cases.items()}


@pytest.mark.parametrize("label", list(CONSISTENT))
def test_a_consistent_card_is_read_exactly_and_not_flagged(readings: dict[str, Any], label: str) -> None:
    card, reading = readings[label]
    assert reading.fields == card.truth
    assert reading.flags == {}, reading.flags
    assert reading.sides == ["front", "back"]
    assert reading.ethnicity_group == card.ethnicity + "族"


def test_a_wrong_check_digit_is_flagged_with_the_digit_it_should_be(readings: dict[str, Any]) -> None:
    card, reading = readings["check_digit"]
    assert reading.fields["id_number"] == card.id_number  # read as printed, not "corrected"
    expected = resident_id_check_char(card.id_number[:17])
    assert any(f"应为“{expected}”" in m and "校验位" in m for m in reading.flags["id_number"])


def test_a_birth_date_that_disagrees_with_the_number_is_flagged(readings: dict[str, Any]) -> None:
    card, reading = readings["birth"]
    assert reading.fields["birth_date"] == card.birth.isoformat()
    number_birth = f"{card.id_number[6:10]}-{card.id_number[10:12]}-{card.id_number[12:14]}"
    assert any(number_birth in m and "不一致" in m for m in reading.flags["birth_date"])
    assert "id_number" in reading.flags


def test_a_sex_that_disagrees_with_the_number_is_flagged(readings: dict[str, Any]) -> None:
    card, reading = readings["sex"]
    assert reading.fields["sex"] == card.sex
    assert any("第 17 位" in m and "不一致" in m for m in reading.flags["sex"])


def test_a_rare_character_the_ocr_does_not_know_flags_the_name(readings: dict[str, Any]) -> None:
    card, reading = readings["rare"]
    # The model's dictionary lacks 𠮷: whatever it reads instead, the clerk is told to check.
    assert reading.fields["name"] != card.name
    assert any("生僻字" in m for m in reading.flags["name"])
    # Only the front was given: the back's fields are empty, and not flagged as missing.
    assert reading.sides == ["front"]
    assert reading.fields["issuing_authority"] == "" and "issuing_authority" not in reading.flags


# ----------------------------------------------------------------------------- checks without OCR


def checked(**fields: str) -> IdCardReading:
    reading = IdCardReading()
    reading.fields.update(fields)
    reading.sides = ["front", "back"] if fields.get("valid_from") else ["front"]
    cross_check(reading, TODAY)
    return reading


BASE = {"name": "张伟", "sex": "男", "ethnicity": "汉", "birth_date": "1990-03-07", "address": "甘州区南街1号",
        "id_number": "620702199003070010", "issuing_authority": "张掖市公安局甘州分局"}


def test_the_base_reading_is_consistent() -> None:
    assert validation_ok(BASE["id_number"])
    assert checked(**BASE, valid_from="2015-06-01", valid_until="2035-06-01").flags == {}


def validation_ok(number: str) -> bool:
    return resident_id_check_char(number[:17]) == number[17]


@pytest.mark.parametrize(("valid_from", "valid_until", "field", "words"), [
    ("2015-06-01", "长期", "valid_until", "46 周岁"),  # 25 years old: no card for life
    ("2015-06-01", "2022-06-01", "valid_until", "5、10 或 20 年"),
    ("2015-06-01", "2014-06-01", "valid_until", "不晚于起始日"),
    ("2006-06-01", "2016-06-01", "valid_until", "过期"),
    ("1985-06-01", "2005-06-01", "valid_from", "早于出生日期"),
    ("2027-01-01", "2047-01-01", "valid_from", "晚于今天"),
])
def test_a_validity_period_that_cannot_be_is_flagged(valid_from: str, valid_until: str, field: str,
                                                     words: str) -> None:
    reading = checked(**BASE, valid_from=valid_from, valid_until=valid_until)
    assert any(words in m for m in reading.flags[field]), reading.flags


def test_an_unknown_ethnicity_and_a_missing_field_are_flagged() -> None:
    reading = checked(**{**BASE, "ethnicity": "汊", "address": ""})
    assert "56 个民族" in reading.flags["ethnicity"][0]
    assert "住址" in reading.flags["address"][0]


# ----------------------------------------------------------------------------- hostile inputs


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def not_a_card() -> bytes:
    """A photo with no card: a sky, a field, a sun, and one sign with a word on it."""
    image = Image.new("RGB", (900, 600), (120, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 900, 600), fill=(70, 140, 60))
    draw.ellipse((650, 60, 760, 170), fill=(250, 220, 80))
    return png(image)


@pytest.mark.parametrize(("name", "data", "words"), [
    ("empty.jpg", b"", "空文件"),
    ("notes.jpg", "这不是图片".encode(), "文本文件"),
    ("scan.pdf", pdf_bytes(1), "PDF"),
    ("bomb.png", bomb_png(), "解压炸弹"),
    ("tiny.png", png(Image.new("RGB", (120, 80), "white")), "太小"),
    ("truncated.jpg", render(make_card(7), "front")[:4000], "损坏"),
    ("landscape.png", not_a_card(), "没有找到居民身份证"),
])
def test_what_is_not_a_card_image_is_refused_in_chinese(name: str, data: bytes, words: str) -> None:
    with pytest.raises(IdCardRefused) as refused:
        read_id_card([(name, data)], today=TODAY)
    assert words in str(refused.value) and name in str(refused.value)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the ID-card reader opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


def test_the_models_load_and_read_without_the_network(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fresh engine: the models come from the package's own files, nothing is fetched.
    monkeypatch.setattr(idcard._loaded, "engine", None)
    card = replace(make_card(401, rotation=0.0), name="王芳")
    reading = read_id_card([("back.jpg", render(card, "back"))], today=TODAY)
    assert reading.fields["issuing_authority"] == card.authority
    assert idcard._loaded.engine is not None


def on_a_desk(scan: bytes) -> bytes:
    """The card photographed from afar: a 4000 × 3000 photo of a desk, the card a quarter of its width."""
    desk = Image.new("RGB", (4000, 3000), (120, 95, 70))
    desk.paste(Image.open(io.BytesIO(scan)), (1400, 1100))
    out = io.BytesIO()
    desk.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_card_photographed_from_afar_is_cut_out_and_read_at_full_resolution() -> None:
    card = replace(make_card(611, rotation=2.0), name="王芳")
    reading = read_id_card([("front.jpg", on_a_desk(render(card, "front"))),
                            ("back.jpg", on_a_desk(render(card, "back")))], today=TODAY)
    assert reading.fields == card.truth
    # Read at the desk photo's working size the card's text was a third as high: fields came
    # out right but doubted; cut out, nothing is doubted.
    assert reading.flags == {}
