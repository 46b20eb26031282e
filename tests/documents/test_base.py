"""The shared document layout: escaping, clipping, tables, footer, metadata, determinism."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from mediation_desk.documents import base

from .conftest import compact, pdf_text

CREATED = datetime(2026, 11, 22, 9, 30, 5)
INFO = base.DocumentInfo(title="测试文书", author="县矛盾纠纷调处中心", created=CREATED, subject="主题",
                         keywords=("甲", "乙"))


def _document(story: list[Flowable], info: base.DocumentInfo = INFO, **kwargs: object) -> bytes:
    return base.build_pdf(story, info, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- text


def test_escape_makes_markup_literal() -> None:
    assert base.escape("J&C <b>粗</b>") == "J&amp;C &lt;b&gt;粗&lt;/b&gt;"
    assert base.escape("第一行\r\n第二行\r第三行\n") == "第一行<br/>第二行<br/>第三行<br/>"
    assert base.escape("a\tb\x00c\x1bd\x7f") == "a bcd"


def test_user_markup_prints_as_written() -> None:
    styles = base.make_styles()
    name = '<font size=80>张三</font> J&C &amp; <a href="x">链接</a>'
    text = pdf_text(_document([base.paragraph(name, styles.body)], page_numbers=False))
    assert compact(text) == compact(name)


def test_clip_keeps_short_text_and_notes_a_cut() -> None:
    assert base.clip("张三", 10) == "张三"
    assert base.clip("甲" * 3000, 10) == "甲" * 10 + "…（全文 3000 字，此处从略）"
    assert base.clip("甲" * 30, 10, note=False) == "甲" * 9 + "…"
    assert base.clip("一\n二\n三\n四", 100, 2) == "一\n二…（全文 7 字，此处从略）"


# --------------------------------------------------------------------------- pages


def test_page_setups_follow_the_official_text_block() -> None:
    # GB/T 9704: a 156 × 225 mm text block; the landscape page turns it on its side.
    assert round(base.A4_PORTRAIT.frame_width / mm) == 156
    assert round(base.A4_PORTRAIT.frame_height / mm) == 225
    assert round(base.A4_LANDSCAPE.frame_width / mm) == 225
    assert round(base.A4_LANDSCAPE.frame_height / mm) == 156
    assert base.A4_LANDSCAPE.width > base.A4_LANDSCAPE.height


@pytest.mark.parametrize("page", [base.A4_PORTRAIT, base.A4_LANDSCAPE], ids=["portrait", "landscape"])
def test_every_page_says_which_of_how_many_it_is(page: base.PageSetup) -> None:
    styles = base.make_styles()
    story: list[Flowable] = [base.paragraph("第一页", styles.body), PageBreak(),
                             base.paragraph("第二页", styles.body), PageBreak(),
                             base.paragraph("第三页", styles.body)]
    pdf = _document(story, page=page)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    for number, pdf_page in enumerate(reader.pages, start=1):
        assert f"第 {number} 页 共 3 页" in pdf_page.extract_text()
        assert (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)) == pytest.approx(page.size)


def test_page_numbers_can_be_left_out() -> None:
    pdf = _document([base.paragraph("回执", base.make_styles().body)], page_numbers=False)
    assert "页" not in pdf_text(pdf)


def test_metadata_names_the_document_the_center_and_the_program() -> None:
    meta = PdfReader(io.BytesIO(_document([base.paragraph("正文", base.make_styles().body)]))).metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.subject) == ("测试文书", "县矛盾纠纷调处中心", "主题")
    assert meta.creator == "矛调工作台"
    assert meta.creation_date_raw == "D:20261122093005+08'00'"


def test_pdf_dates_carry_the_offset() -> None:
    assert base.pdf_date(CREATED) == "D:20261122093005+08'00'"
    assert base.pdf_date(CREATED.replace(tzinfo=UTC)) == "D:20261122093005+00'00'"
    assert base.pdf_date(CREATED.replace(tzinfo=timezone(timedelta(hours=-5, minutes=-30)))) == \
        "D:20261122093005-05'30'"


def test_same_input_same_bytes_and_the_date_is_the_only_clock() -> None:
    styles = base.make_styles()

    def build(info: base.DocumentInfo) -> bytes:
        return _document([base.Heading("人民调解协议书", 22), base.paragraph("张𠮷 J&C", styles.body)], info)

    first = build(INFO)
    assert build(INFO) == first
    later = build(base.DocumentInfo(title=INFO.title, author=INFO.author, created=CREATED + timedelta(days=1),
                                    subject=INFO.subject, keywords=INFO.keywords))
    assert later != first
    assert later.replace(b"20261123", b"20261122") == first


# --------------------------------------------------------------------------- tables and headings


def test_key_value_table_prints_labels_and_values() -> None:
    styles = base.make_styles()
    table = base.key_value_table(
        [base.Field("申请人", "张𠮷"), base.Field("电话", "138****1234"),
         base.Field("纠纷事项", "J&C <b> 合同纠纷", wide=True), base.Field("备注", "无")],
        width=base.A4_PORTRAIT.frame_width, styles=styles, label_width=25 * mm, pairs_per_row=2,
    )
    text = compact(pdf_text(_document([table])))
    for piece in ("申请人", "张𠮷", "电话", "138****1234", "纠纷事项", "J&C<b>合同纠纷", "备注", "无"):
        assert piece in text


def test_a_3000_character_value_is_cut_not_a_layout_error() -> None:
    styles = base.make_styles()
    table = base.key_value_table([base.Field("姓名", "欧阳" + "娜" * 2998), base.Field("住址", "街道\n" * 500)],
                                 width=base.A4_PORTRAIT.frame_width, styles=styles, label_width=25 * mm)
    text = compact(pdf_text(_document([table])))
    assert "全文3000字，此处从略" in text
    assert "全文1500字，此处从略" in text


def test_pairs_per_row_must_be_positive() -> None:
    with pytest.raises(ValueError, match="pairs_per_row"):
        base.key_value_table([], width=100, styles=base.make_styles(), label_width=20, pairs_per_row=0)


def test_a_long_heading_wraps_and_is_cut() -> None:
    heading = base.Heading("很长的标题" * 100, 22, letter_spacing=4)
    width, height = heading.wrap(base.A4_PORTRAIT.frame_width, base.A4_PORTRAIT.frame_height)
    assert height < base.A4_PORTRAIT.frame_height
    assert len(heading._lines) > 1
    assert all(heading._width(line) <= width for line in heading._lines)
    text = compact(pdf_text(_document([heading], page_numbers=False)))
    assert text == "很长的标题" * 15 + "很长的标…"


def test_a_heading_line_never_starts_with_closing_punctuation() -> None:
    heading = base.Heading("甲" * 9 + "，乙", 20)
    heading.wrap(heading._width("甲" * 9) + 1, 500)
    # The comma does not hang into the margin: it goes down with the character before it (推出).
    assert heading._lines == ["甲" * 8, "甲，乙"]
