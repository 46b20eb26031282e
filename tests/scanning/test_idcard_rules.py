"""The ID-card reader's general rules on crafted OCR results (no image, no detection): a label
found through a speck read inside it, a closed field (性别, 民族) read again under its constraint
from the recogniser's own probabilities, and the detector's copy never larger than it needs.

The recogniser's class list is the packaged model's: the engine is made once (about a second)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mediation_desk.scanning import idcard
from mediation_desk.scanning.idcard import Line


def line(text: str, left: float, top: float, right: float, *, height: float = 40.0, raw: str | None = None,
         probs: Any = None, chars: tuple[float, ...] | None = None) -> Line:
    return Line(text, 0.99, chars if chars is not None else tuple(1.0 for _ in text), left, top, right, top + height,
                room=len(text), size=height, raw=text if raw is None else raw, probs=probs)


def front_lines(ethnicity_line: Line, sex_line: Line | None = None) -> list[Line]:
    """The front of a card as the OCR gives it, with the 民族 row as given."""
    lines = [
        line("姓名", 150, 90, 235), line("张伟", 270, 88, 370),
        line("性别", 150, 160, 235), sex_line or line("男", 275, 160, 325),
        ethnicity_line,
        line("出生", 150, 230, 235), line("1990年3月7日", 275, 230, 540),
        line("住址", 150, 300, 235), line("甘肃省张掖市甘州区南街1号", 275, 300, 700),
        line("公民身份号码", 150, 540, 340), line("620702199003070010", 400, 540, 960),
    ]
    return sorted(lines, key=lambda ln: (ln.top, ln.left))


def test_a_label_is_found_through_a_speck_read_between_its_characters() -> None:
    side = idcard._parse(front_lines(line("民·族土家", 410, 158, 610)))
    assert side.fields["ethnicity"] == "土家"
    assert idcard._after_label("民·族土家", "民族") == "土家"
    assert idcard._after_label("公民身份号码", "民族") is None
    # Dust before the label's first character is not part of the label rule (the line's ends are
    # cleaned by _normalise); a different character inside it is no label.
    assert idcard._after_label("民众族", "民族") is None


@pytest.fixture(scope="module")
def classes() -> dict[str, int]:
    index: dict[str, int] = idcard._ocr_engine().text_rec.postprocess_op.dict
    return index


def probabilities(classes: dict[str, int], steps: list[dict[str, float]]) -> Any:
    """A recogniser's output: per step, the given characters' probabilities, the rest blank."""
    probs = np.full((len(steps), len(classes) + 1), 1e-6, dtype=np.float32)
    for t, step in enumerate(steps):
        probs[t, 0] = max(1e-6, 1.0 - sum(step.values()))
        for char, p in step.items():
            probs[t, classes[char]] = p
    return probs


def test_an_ethnicity_read_as_no_group_becomes_the_group_the_recogniser_makes_likely(
        classes: dict[str, int]) -> None:
    # "民族口": the last character was 口 by a nose, 回 close behind; 口 is no ethnic group.
    steps = [{}, {"民": 0.97}, {}, {"族": 0.97}, {}, {"口": 0.55, "回": 0.42}, {"口": 0.5, "回": 0.45}, {}]
    merged = line("民族口", 410, 158, 560, raw="民族口", probs=probabilities(classes, steps), chars=(1.0, 1.0, 0.55))
    side = idcard._parse(front_lines(merged))
    assert side.fields["ethnicity"] == "口"
    idcard._constrain_closed_fields(side)
    assert side.fields["ethnicity"] == "回"
    assert "ethnicity" not in side.doubts  # no other group is anywhere near: taken without a doubt


def test_a_sex_read_with_a_speck_before_it_is_read_again_as_one_of_the_two(classes: dict[str, int]) -> None:
    steps = [{}, {"人": 0.6}, {}, {"女": 0.9}, {}]
    sex = line("人女", 270, 160, 330, probs=probabilities(classes, steps))
    side = idcard._parse(front_lines(line("民族", 410, 158, 490), sex_line=sex))
    assert side.fields["sex"] == "人女"
    idcard._constrain_closed_fields(side)
    assert side.fields["sex"] == "女"


def test_a_closed_field_chosen_without_a_clear_winner_is_flagged(classes: dict[str, int]) -> None:
    # 男 and 女 equally likely: the reader fills one in but tells the clerk to look.
    steps = [{}, {"田": 0.5, "男": 0.24, "女": 0.24}, {}]
    sex = line("田", 270, 160, 320, probs=probabilities(classes, steps))
    side = idcard._parse(front_lines(line("民族汉", 410, 158, 540), sex_line=sex))
    idcard._constrain_closed_fields(side)
    assert side.fields["sex"] in ("男", "女")
    assert "请对照证件核对" in side.doubts["sex"] and "田" in side.doubts["sex"]


def test_a_value_that_is_already_an_option_and_clearly_read_stays() -> None:
    # No probabilities kept (a line typed in by hand): the value stays as read.
    side = idcard._parse(front_lines(line("民族", 410, 158, 490)))
    side.fields["ethnicity"] = "汉"
    side.lines["ethnicity"] = [line("汉", 510, 158, 550)]
    idcard._constrain_closed_fields(side)
    assert side.fields["ethnicity"] == "汉" and side.doubts == {}


def test_the_ctc_likelihood_prefers_the_labelling_the_steps_show(classes: dict[str, int]) -> None:
    probs = probabilities(classes, [{}, {"男": 0.9}, {}, {"男": 0.9}, {}])
    nan, nan_twice = classes["男"], [classes["男"], classes["男"]]
    # Two 男 separated by a blank is "男男", not "男" (CTC collapses only repeats without a blank).
    assert idcard._ctc_log_likelihood(probs, nan_twice) > idcard._ctc_log_likelihood(probs, [nan])
    assert idcard._ctc_log_likelihood(probs, [nan]) > idcard._ctc_log_likelihood(probs, [classes["女"]])


@pytest.mark.parametrize(("size", "shrunk"), [
    ((1123, 744), True),  # one side scanned at 300 dpi
    ((1123, 1608), True),  # both sides in one image
    ((640, 420), False),  # a small photo: never enlarged
])
def test_the_detector_sees_at_most_its_pixel_budget_and_never_more_than_the_image(
        size: tuple[int, int], shrunk: bool) -> None:
    scale = idcard._detection_scale(*size)
    assert scale <= 1.0
    assert (scale < 1.0) is shrunk
    assert size[0] * size[1] * scale * scale <= idcard.DETECT_PIXELS * 1.0001 or not shrunk


def box(left: float, top: float, right: float, bottom: float) -> Any:
    return np.array([(left, top), (right, top), (right, bottom), (left, bottom)], dtype=np.float32)


def test_the_card_is_cut_out_only_when_its_text_fills_a_small_part_of_the_image() -> None:
    # A scan: the text spans most of the image, nothing to cut.
    scan = [box(90, 70, 600, 110), box(90, 500, 1000, 540)]
    assert idcard._card_region(scan, 1123, 744) is None
    # A photo of a desk: the text is a small patch; the region holds it with a margin of three
    # lines' height (40 px) and stays inside the image.
    far = [box(700, 600, 1000, 640), box(700, 900, 1100, 940), box(20, 20, 60, 60)][:2]
    assert idcard._card_region(far, 1600, 1200) == (580.0, 480.0, 1220.0, 1060.0)
    assert idcard._card_region([box(5, 5, 200, 45)], 1600, 1200) == (0.0, 0.0, 320.0, 165.0)
    assert idcard._card_region([], 1600, 1200) is None


def back_lines(period: str, authority: str = "安远县公安局") -> list[Line]:
    return [line("中华人民共和国", 430, 120, 840), line("居民身份证", 380, 240, 880),
            line("签发机关", 270, 470, 400), line(authority, 425, 468, 800),
            line("有效期限", 270, 555, 400), line(period, 435, 555, 815)]


@pytest.mark.parametrize(("period", "valid_from", "valid_until"), [
    ("2016.05.01一2036.05.01", "2016-05-01", "2036-05-01"),  # 一 read for the dash
    ("2O16.05.0l-2036.O5.01", "2016-05-01", "2036-05-01"),  # letters read for digits
    ("2016.05.01-长期", "2016-05-01", "长期"),
    ("20.24.09.13-长期", "2024-09-13", "长期"),  # a speck read as a dot inside the year
    ("2016.05.01-2036.0.5.01", "2016-05-01", "2036-05-01"),
])
def test_a_validity_period_is_read_through_the_ocr_s_usual_confusions(period: str, valid_from: str,
                                                                    valid_until: str) -> None:
    side = idcard._parse(back_lines(period))
    assert (side.fields["valid_from"], side.fields["valid_until"]) == (valid_from, valid_until)
    assert side.doubts == {}


def test_an_end_of_validity_with_one_character_of_changqi_misread_is_changqi_and_flagged() -> None:
    side = idcard._parse(back_lines("2016.05.01-长朋"))
    assert side.fields["valid_until"] == "长期"
    assert "长朋" in side.doubts["valid_until"]


def test_a_birth_date_with_a_letter_read_for_a_digit_is_read() -> None:
    lines = [ln if ln.text != "1990年3月7日" else line("199O年3月7日", 275, 230, 540)
             for ln in front_lines(line("民族汉", 410, 158, 540))]
    assert idcard._parse(lines).fields["birth_date"] == "1990-03-07"


@pytest.mark.parametrize(("authority", "flagged"), [
    ("北京市公安局朝阳分局", False), ("安远县公安局", False), ("成都市公安局锦江区分局", False),
    ("安远县公安", True), ("安远县公安局派出所", True),
])
def test_an_issuing_authority_that_is_no_public_security_bureau_is_flagged(authority: str, flagged: bool) -> None:
    reading = idcard.IdCardReading()
    reading.fields.update(issuing_authority=authority, valid_from="2016-05-01", valid_until="2036-05-01")
    reading.sides = ["back"]
    idcard.cross_check(reading, None)
    assert ("issuing_authority" in reading.flags) is flagged


def test_an_id_number_with_a_digit_read_as_a_letter_is_read_again_with_digits_only(
        classes: dict[str, int]) -> None:
    number = "620702199003070010"
    steps: list[dict[str, float]] = []
    for index, digit in enumerate(number):
        # The ninth digit: "A" by a nose over the 9 it is.
        steps += [{"A": 0.5, digit: 0.45} if index == 8 else {digit: 0.95}, {}]
    read = "".join("A" if i == 8 else d for i, d in enumerate(number))
    lines = [ln if not ln.text.isdigit() else line(read, 400, 540, 960, probs=probabilities(classes, steps))
             for ln in front_lines(line("民族汉", 410, 158, 540))]
    assert idcard._parse(lines).fields["id_number"] == number


def test_a_step_where_the_blank_wins_narrowly_is_a_character_seen_but_not_read(classes: dict[str, int]) -> None:
    # The card's guilloche behind a name reads as Latin letters: that is no character.
    guilloche = probabilities(classes, [{}, {"韩": 0.99}, {}, {"W": 0.3, "w": 0.25}, {}])
    assert idcard._unread(guilloche) == 0
    clear = probabilities(classes, [{}, {"上": 0.99}, {}, {"官": 0.99}, {}])
    # 琰 is in the dictionary but came out spread over look-alikes: the blank won with 0.22.
    seen = probabilities(classes, [{}, {"上": 0.99}, {}, {"官": 0.99}, {}, {"毯": 0.2, "瑙": 0.19, "炎": 0.18,
                                                                          "琰": 0.1, "谈": 0.1}, {}])
    assert idcard._unread(clear) == 0 and idcard._unread(seen) == 1
    reading = idcard.IdCardReading()
    reading.fields.update(name="上官")
    idcard.cross_check(reading, None, {"name": [line("上官", 270, 88, 400, probs=seen)]})
    assert "生僻字" in reading.flags["name"][0]
    quiet = idcard.IdCardReading()
    quiet.fields.update(name="上官")
    idcard.cross_check(quiet, None, {"name": [line("上官", 270, 88, 400, probs=clear)]})
    assert "name" not in quiet.flags


def test_a_name_whose_last_character_the_detector_left_out_is_read_again_past_its_box() -> None:
    from PIL import Image, ImageDraw

    from tests.idcard_gen import SANS, _font

    image = Image.new("RGB", (900, 160), (236, 240, 238))
    draw = ImageDraw.Draw(image)
    draw.text((40, 60), "姓名", font=_font(SANS, 28), fill=(40, 110, 180))
    draw.text((200, 50), "上官琰", font=_font(SANS, 40), fill=(20, 20, 20))
    lines = [line("姓名", 38, 58, 100, height=34), line("上官", 198, 48, 284, height=46)]
    side = idcard._parse(lines)
    assert side.fields["name"] == "上官"
    idcard._read_name_again(side, lines, image, 0.0)
    assert side.fields["name"] == "上官琰"
    assert side.lines["name"][0].right > 284
