"""The publicity list PDF: landscape A4, header row on every page, page N of M, the end block,
fonts embedded, every glyph from a font that has it."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation_desk.documents import fonts
from mediation_desk.documents import publicity as document
from mediation_desk.readmodels import publicity

from .. import composition
from .conftest import compact
from .pdfcheck import assert_fonts_embedded, dark_pixels, page_words, render, uncovered

MONTH = publicity.Month(2026, 10)


def row(n: int, section: str = publicity.ACCEPTED, applicants: str = "欧阳某", respondents: str = "司马某",
        number: str = "") -> publicity.PublicityRow:
    return publicity.PublicityRow(
        case_id=n, section=section, number=number or f"（2026）甘矛调字第{n:04d}号", dispute_type="拖欠农民工工资",
        accepted_on="2026-10-08", applicants=applicants, respondents=respondents, team="医疗交通综合调解团队",
        status="调解不成，已移送", closed_on="2026-10-30" if section == publicity.CLOSED else "")


def listing(rows: list[publicity.PublicityRow], *, approved: bool = True) -> publicity.PrintableList:
    approval = publicity.Approval(MONTH.key, 7, datetime(2026, 11, 2, 9, 30), "陈志强", "ab" * 32, len(rows))
    return publicity.PrintableList("张掖市甘州区矛盾纠纷调处中心", MONTH, tuple(rows),
                                   approval if approved else None, date(2026, 11, 2))


def test_a_long_month_spans_pages_with_the_header_on_each() -> None:
    rows = [row(n) for n in range(1, 41)] + [row(n, publicity.CLOSED) for n in range(41, 61)]
    rows[3] = row(4, applicants="𠮷某、䶮某、阿某、刘某甲、刘某乙等 12 人",
                  respondents="张掖市宏达建筑工程有限公司" * 3)
    pdf = document.render_publicity(listing(rows))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [compact(page.extract_text()) for page in reader.pages]
    total = len(pages)
    assert total >= 3
    assert all(abs(float(p.mediabox.width) - 841.89) < 1 and abs(float(p.mediabox.height) - 595.28) < 1
               for p in reader.pages)
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in text
        if text.count("号") > 1:  # a page with table rows has the header row too
            assert "序号案号纠纷类型受理日期申请人被申请人调解团队办理状态/结果结案日期" in text
    assert "张掖市甘州区矛盾纠纷调处中心2026年10月案件受理及办结情况公示" in pages[0]
    assert "一、本月受理案件（共40件）" in pages[0] and any("二、本月办结案件（共20件）" in p for p in pages)
    assert "（续）" in pages[1]
    last = pages[-1]
    assert "负责人（签字）" in last and "（公章）" in last and "2026年11月2日" in last
    assert "𠮷某、䶮某" in "".join(pages)
    assert "校验码：abababababababab" in pages[0]
    used = assert_fonts_embedded(pdf)
    assert used >= {"NotoSansCJKsc"}
    assert uncovered(pdf) == []
    # Drawn, not only in the text layer: the first page has ink in the table and the title.
    image = render(pdf, 50, first=1, last=1)[0]
    assert dark_pixels(image, (0, 0, image.width, image.height // 8)) > 200


def test_same_list_same_bytes_and_a_preview_says_so() -> None:
    rows = [row(1), row(2, publicity.CLOSED)]
    assert document.render_publicity(listing(rows)) == document.render_publicity(listing(rows))
    preview = compact("".join(p.extract_text() for p in PdfReader(io.BytesIO(
        document.render_publicity(listing(rows, approved=False)))).pages))
    assert "【未审核】本名单尚未经中心主任审核" in preview


def test_an_empty_part_says_none() -> None:
    text = compact(PdfReader(io.BytesIO(document.render_publicity(listing([row(1)])))).pages[0].extract_text())
    assert "二、本月办结案件（共0件）（无）" in text


def test_wrap_cuts_long_cells_to_their_width() -> None:
    lines = document.wrap("张掖市宏达建筑工程有限公司" * 10, 100)
    assert len(lines) == document.MAX_LINES and lines[-1].endswith("…")
    assert all(document.text_width(line, fonts.FONT_NAME, document.CELL_SIZE) <= 100 for line in lines)
    assert document.wrap("张某", 100) == ["张某"]


# --------------------------------------------------------------------------- case numbers

NUMBERS = composition.SAMPLE_NUMBERS
#: A prefix no column can hold.
ABSURD = "（2026）张掖市甘州区梁家墩镇矛盾纠纷多元化解调字第0042号"


def _numbered(numbers: tuple[str, ...]) -> publicity.PrintableList:
    rows = [row(n, number=number) for n, number in enumerate(numbers, start=1)]
    rows += [row(n, publicity.CLOSED, number=number) for n, number in enumerate(numbers, start=len(numbers) + 1)]
    return listing(rows)


@pytest.mark.parametrize("number", NUMBERS, ids=composition.SAMPLE_IDS)
def test_every_case_number_prints_whole_on_one_line(number: str) -> None:
    """The number a reader looks a case up by is never broken in its digits nor leaves 号 alone:
    each prints on one baseline, in both parts of the list."""
    pdf = document.render_publicity(_numbered((number, "（2026）甘矛调字第0001号")))
    pages = composition.page_lines(pdf)
    assert len(composition.number_lines(pages, number)) == 2
    assert composition.broken_numbers(pages, [number]) == []


def test_the_columns_add_up_and_every_text_stays_in_its_cell() -> None:
    data = _numbered(NUMBERS)
    cols = document.columns_for(data)
    assert sum(width for _key, _title, width in cols.layout) == pytest.approx(document.TABLE_WIDTH)
    assert cols.x[-1][0] + cols.x[-1][1] == pytest.approx(document.MARGIN_LEFT + document.TABLE_WIDTH)
    # The 案号 column grew to the widest number; the party columns gave the room.
    widths = {key: width for key, _title, width in cols.layout}
    usual = {key: width for key, _title, width in document.COLUMN_LAYOUT}
    assert document.NUMBER_MIN_WIDTH < widths["number"] <= document.NUMBER_MAX_WIDTH
    assert widths["applicants"] < usual["applicants"] and widths["dispute_type"] == usual["dispute_type"]
    words = page_words(document.render_publicity(data))[0]
    top = next(w for w in words if w.text == "序号").top
    bottom = next(w for w in words if w.text.startswith("说明")).top
    cells = [w for w in words if bottom < w.bottom < top and not w.text.startswith(("一、", "二、"))
             and "件）" not in w.text and not w.text.isdigit()]
    assert {w.text for w in cells} >= set(NUMBERS)
    for word in cells:
        x, width = next((x, width) for x, width, _c in cols.x if x <= word.x0 < x + width)
        assert word.x1 <= x + width - document.PAD_X + 0.01, word
    # The usual list keeps the usual columns.
    assert document.columns_for(listing([row(1), row(2)])).layout == document.COLUMN_LAYOUT


def test_a_number_too_wide_for_any_column_breaks_after_its_year() -> None:
    """（2026） on the first line, the rest on the next (broken in its prefix only where it is
    wider than the column too), 第…号 whole."""
    pdf = document.render_publicity(_numbered((ABSURD,)))
    pages = composition.page_lines(pdf)
    cuts = {finding.text for finding in composition.broken_numbers(pages, [ABSURD])}
    assert "（2026） / 张掖市甘州区梁家墩镇矛盾纠纷多元化解调字第0042号" in cuts
    for cut in cuts:
        head, _sep, tail = cut.partition(" / ")
        assert head.endswith("）") or "第" in tail, cut  # never inside 第…号
    assert any("第0042号" in compact(line.text) for page in pages for line in page)
    words = page_words(pdf)[0]
    assert [w.text for w in words if w.text.startswith("（2026")] == ["（2026）", "（2026）"]


def test_a_five_digit_row_number_prints_whole() -> None:
    """A county's month lists tens of thousands of cases: 序号 10000 is not broken as 1000 / 0."""
    rows = [row(n, publicity.CLOSED) for n in range(1, 10_001)]
    data = listing(rows)
    assert document.columns_for(data).layout[0][2] > document.COLUMN_LAYOUT[0][2]
    assert document.columns_for(listing(rows[:9999])).layout == document.COLUMN_LAYOUT
    words = [w.text for page in page_words(document.render_publicity(data))[-3:] for w in page]
    assert "10000" in words and "9999" in words


def test_the_drawing_tells_its_pages_draws_a_range_and_stops_when_told(tmp_path: Path) -> None:
    data = listing([row(n) for n in range(1, 141)])
    pages = document.layout(data)
    total = len(pages)
    assert total >= 5
    told: list[tuple[int, int]] = []
    whole = document.render_publicity(data, progress=lambda done, of: told.append((done, of)))
    assert told == [(page, total) for page in range(total + 1)]
    assert whole == document.render_publicity(data)  # the same bytes with or without progress

    # Pages 3–5 of the list: three pages, each numbered as in the whole list.
    part = PdfReader(io.BytesIO(document.render_publicity(data, pages=pages[2:5])))
    assert [compact(p.extract_text()).count(f"共{total}页") for p in part.pages] == [1, 1, 1]
    assert [f"第{n}页共{total}页" in compact(p.extract_text()) for n, p in zip((3, 4, 5), part.pages, strict=True)] \
        == [True, True, True]

    # A progress that raises stops the drawing: no file, no temporary file beside it.
    class Stop(Exception):
        pass

    def stop(done: int, of: int) -> None:
        if done == 2:
            raise Stop

    with pytest.raises(Stop):
        document.write_publicity(data, tmp_path / "公示.pdf", progress=stop)
    assert list(tmp_path.iterdir()) == []
