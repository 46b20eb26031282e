"""The 矛盾纠纷排查调处情况表 by level printed: the PDF read back line by line with positions (the
composition rules of tests/composition.py, every row's numbers on the row's own baseline, left to
right in the columns' order), rendered by poppler; the XLSX read back with openpyxl, the same
numbers as numbers; ``report levels`` writes both as the county head."""

from __future__ import annotations

import argparse
import io
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information
from pypdf import PdfReader
from sqlalchemy import select, update

from mediation_desk import demo
from mediation_desk.cli.report import register
from mediation_desk.db import Database
from mediation_desk.documents import levels as document
from mediation_desk.models import Center, CenterLevel, DisputeCase
from mediation_desk.readmodels.levels import COLUMNS, NOTES, TITLE, LevelsTable, RowKind, Span
from mediation_desk.services import levels

from ..composition import check_pdf, page_lines
from ..conftest import login_as
from .conftest import compact, pdf_text
from .pdfcheck import assert_fonts_embedded, dark_pixels, render

TODAY = datetime(2026, 12, 3, 17, 0)
VILLAGE = "梁家墩镇六号村人民调解委员会"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Database]:
    """The demo county with a village committee below 梁家墩 holding some of its cases."""
    path = tmp_path_factory.mktemp("levels") / "county.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, 160, today=TODAY, township_cases=30)
        ljd = session.scalar(select(Center.id).where(Center.prefix == "甘州梁家墩调"))
        village = Center(name=VILLAGE, level=CenterLevel.VILLAGE, parent_id=ljd, prefix="六号村调")
        session.add(village)
        session.flush()
        moved = session.scalars(select(DisputeCase.id).where(DisputeCase.center_id == ljd)
                                .order_by(DisputeCase.id).limit(12)).all()
        session.execute(update(DisputeCase).where(DisputeCase.id.in_(moved)).values(center_id=village.id))
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def table(county: Database) -> LevelsTable:
    head = login_as(county, "head")
    with county.read() as session:
        return levels.load(session, head, "2026-11", reporter="王晓燕", submitted_on=date(2026, 12, 3))


def test_the_pdf_reads_back_row_by_row_in_its_columns(table: LevelsTable) -> None:
    assert [r.kind for r in table.rows].count(RowKind.SUBTOTAL) == 3  # county, township, village
    assert table.total.value(Span.YEAR, COLUMNS[0]) > 50
    pdf = document.render_pdf(table)
    assert check_pdf(pdf, "levels") == []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = compact(pdf_text(pdf))
    for expected in (TITLE, "（2026年11月）", f"填报单位：{table.center_name}", "本月：2026年11月1日至11月30日",
                     "本年累计：2026年1月1日至11月30日", "单位：件、人", "填报人：王晓燕", "审核人：陈志强",
                     "填报日期：2026年12月3日", VILLAGE, "县级小计", "乡镇级小计", "村级小计", "合计",
                     "50人以下", "101–500人", "防止民转刑", "防止群体性上访", compact(NOTES[2])):
        assert compact(expected) in text, expected

    # Every row pair, top to bottom: the span's label, then its twelve numbers on the same
    # baseline, left to right, each in a column further right than the one before.
    lines = [line for page_ in page_lines(pdf) for line in page_]
    labels = [line for line in lines if line.text in ("本月", "本年累计")]
    expected_rows = [(span, row) for row in table.rows for span in Span]
    assert len(labels) == len(expected_rows)
    columns_x: list[float] | None = None
    for label, (span, row) in zip(labels, expected_rows, strict=True):
        assert label.text == {Span.MONTH: "本月", Span.YEAR: "本年累计"}[span]
        cells = sorted((line for line in lines if line is not label and abs(line.y - label.y) < 1
                        and line.x0 > label.x1), key=lambda line: line.x0)
        assert [c.text for c in cells] == [str(f.value) for f in row.figures(span)], (row.name, span)
        right_edges = [c.x1 for c in cells]
        if columns_x is None:
            columns_x = right_edges
        # Right-aligned in the same columns (each some 33 pt wide).
        assert right_edges == pytest.approx(columns_x, abs=2.5)
    # The unit's name stands left of its row pair.
    for row in (r for r in table.rows if r.kind is not RowKind.CENTER):
        assert any(line.text == row.name and line.x1 < labels[0].x0 for line in lines)
    assert assert_fonts_embedded(pdf)
    pages = render(pdf, dpi=50)
    assert dark_pixels(pages[0]) > 5000 and all(dark_pixels(image) > 50 for image in pages)


def test_the_xlsx_reads_back_with_the_same_numbers(table: LevelsTable) -> None:
    book = load_workbook(io.BytesIO(document.render_xlsx(table)))
    sheet = book.active
    assert sheet is not None and sheet.title == "2026年11月"
    assert sheet["A1"].value == f"{TITLE}（2026年11月）"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # 单位, 期间, 排查, 调处, 成功 over both head rows; the people bands and the two prevented pairs grouped.
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:I3", "J3:J4", "K3:L3", "M3:N3"} <= merged
    assert [sheet.cell(4, c).value for c in range(6, 10)] == ["50人以下", "50–100人", "101–500人", "500人以上"]
    r = 5
    for row in table.rows:
        assert sheet.cell(r, 1).value == row.name and f"A{r}:A{r + 1}" in merged
        for span in Span:
            assert sheet.cell(r, 2).value == {Span.MONTH: "本月", Span.YEAR: "本年累计"}[span]
            values = [sheet.cell(r, c).value for c in range(3, 3 + len(COLUMNS))]
            assert values == [f.value for f in row.figures(span)]
            assert all(type(v) is int for v in values)  # numbers as numbers
            r += 1
    texts = [str(sheet.cell(i, 1).value) for i in range(r, sheet.max_row + 1)]
    assert any(NOTES[2] in t for t in texts)
    assert any("填报人：王晓燕" in t and "审核人：陈志强" in t for t in texts)


def test_report_levels_writes_both_files_as_the_county_head(county: Database, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            table: LevelsTable) -> None:
    pdf_path, xlsx_path = tmp_path / "分级.pdf", tmp_path / "分级.xlsx"
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--database", str(county.url), "report", "levels", "--month", "2026-11",
                              "--pdf", str(pdf_path), "--xlsx", str(xlsx_path), "--reporter", "王晓燕",
                              "--submitted-on", "2026-12-03", "--as", "head", "--password-stdin"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "2026年11月矛盾纠纷排查调处情况表" in out and f"{VILLAGE}\t本月" in out
    assert pdf_path.read_bytes() == document.render_pdf(table)  # the same table, byte for byte
    assert load_workbook(xlsx_path).active.cell(5, 1).value == table.rows[0].name
    assert not list(tmp_path.glob(".*"))  # no temporary file left
