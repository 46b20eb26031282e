"""The monthly statistical report: PDF read back with pypdf, XLSX read back with openpyxl, and the
``report monthly`` command."""

from __future__ import annotations

import argparse
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information

from mediation_desk import demo
from mediation_desk.cli.context import CliError
from mediation_desk.cli.report import register
from mediation_desk.db import Database
from mediation_desk.documents import report
from mediation_desk.readmodels.statistics import MonthlyReport, Outcome
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.statistics import load_monthly_report

from ..services.helpers import seeded_demo
from .conftest import compact, pdf_text
from .pdfcheck import assert_fonts_embedded, dark_pixels, render

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The test's own copy of a 400-case demo on SQLite, seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 400, backend="sqlite", today=datetime(2026, 11, 20, 17, 0)) as db:
        yield db


@pytest.fixture
def monthly(demo_db: Database) -> MonthlyReport:
    with demo_db.read() as session:
        return load_monthly_report(session, Actor.system("test"), "2026-10", reporter="王晓燕",
                                          responsible="陈志强", submitted_on=date(2026, 11, 5), today=TODAY)


def test_pdf_carries_the_figures(monthly: MonthlyReport) -> None:
    figs = monthly.figures
    assert figs.received.count > 20 and figs.by_result.total > 10
    pdf = report.render_pdf(monthly)
    text = compact(pdf_text(pdf))
    for expected in ("人民调解工作统计表", "（2026年10月）", "填报单位：张掖市甘州区矛盾纠纷调处中心",
                     "统计期：2026年10月1日至2026年10月31日", "填报人：王晓燕", "负责人：陈志强",
                     "报送日期：2026年11月5日", "按案件来源统计", "主要指标", "第1页共2页"):
        assert compact(expected) in text, expected
    for row in figs.type_rows:
        assert row.name in text
    total = report.type_table_rows(monthly)[-1]
    assert total[0] == "合计" and total[1] == str(figs.received.count)
    assert compact("".join(total)) in text  # the 合计 line, cell after cell
    assert f"{figs.amount.total:,.2f}" in text
    assert figs.success_rate.text() in text
    assert f"调解成功率{figs.success_rate.text()}（{figs.success_rate.numerator}/{figs.success_rate.denominator}）" \
        in text
    assert "调解成功率=调解成功÷（调解成功+调解不成）×100%" in text  # the formula, as a footnote
    assert assert_fonts_embedded(pdf)
    pages = render(pdf, dpi=60)
    assert len(pages) == 2 and all(dark_pixels(page) > 2000 for page in pages)


def test_xlsx_reads_back_with_the_same_numbers(monthly: MonthlyReport) -> None:
    figs = monthly.figures
    book = load_workbook(io.BytesIO(report.render_xlsx(monthly)))
    sheet = book.active
    assert sheet is not None and sheet.title == "2026年10月"
    assert sheet["A1"].value == "人民调解工作统计表（2026年10月）"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:J1", "A3:A4", "B3:B4", "C3:H3", "I3:I4", "J3:J4"} <= merged
    assert [sheet.cell(4, c).value for c in range(3, 9)] == [o.label for o in Outcome] + ["小计"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, 5 + len(figs.type_rows) + 1)}
    for type_row in figs.type_rows:
        r = rows[type_row.name]
        assert sheet.cell(r, 2).value == type_row.received
        assert [sheet.cell(r, c).value for c in range(3, 8)] == [type_row.outcomes.get(o, 0) for o in Outcome]
        assert Decimal(str(sheet.cell(r, 10).value)) == type_row.amount
    total = rows["合计"]
    assert sheet.cell(total, 2).value == figs.received.count
    assert sheet.cell(total, 8).value == figs.by_result.total
    rate = sheet.cell(total, 9)
    assert rate.number_format == "0.00%"
    assert round(Decimal(str(rate.value)) * 100, 2) == figs.success_rate.percent
    assert sheet.cell(total, 10).number_format == "#,##0.00"
    assert Decimal(str(sheet.cell(total, 10).value)) == figs.amount.total
    values = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    assert "按案件来源统计" in values and "主要指标" in values
    source_head = values.index("按案件来源统计") + 2
    visits = next(r for r in range(source_head, sheet.max_row + 1) if sheet.cell(r, 1).value == "来访")
    assert sheet.cell(visits, 2).value == figs.by_source.count("visit")
    assert any("填报人：王晓燕" in str(v) for v in values)
    key = {sheet.cell(r, 1).value: sheet.cell(r, 2) for r in range(values.index("主要指标") + 2, sheet.max_row + 1)}
    assert key["收案数"].value == figs.received.count and key["收案数"].number_format == '0" 件"'
    assert key["超期案件"].value == figs.overdue.count
    assert round(Decimal(str(key["调解成功率"].value)) * 100, 2) == figs.success_rate.percent


def _run(database: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["--database", str(database.url), *argv])
    result: int = args.func(args)
    return result


def test_command_writes_pdf_and_xlsx(demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_path, xlsx_path = tmp_path / "十月.pdf", tmp_path / "十月.xlsx"
    # The command signs in as the head, as every command that reads the center's data does.
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n" * 2))
    login = ("--as", "head", "--password-stdin")
    assert _run(demo_db, "report", "monthly", "--month", "2026-10", "--out", str(pdf_path),
                "--reporter", "王晓燕", *login) == 0
    assert "2026年10月人民调解工作统计表（PDF）已写入" in capsys.readouterr().out
    assert pdf_path.read_bytes().startswith(b"%PDF") and "填报人：王晓燕" in compact(pdf_text(pdf_path.read_bytes()))
    assert _run(demo_db, "report", "monthly", "--month", "2026-10", "--out", str(xlsx_path), *login) == 0
    assert load_workbook(xlsx_path).active is not None
    assert not list(tmp_path.glob(".*"))  # no temporary file left


@pytest.mark.parametrize(("argv", "message"), [
    (("--month", "2026-13", "--out", "x.pdf"), "月份“2026-13”不存在"),
    (("--month", "2026/10", "--out", "x.pdf"), "格式不对"),
    (("--month", "2026-10", "--out", "x.docx"), "扩展名应为 .pdf 或 .xlsx"),
    (("--month", "2026-10", "--out", "x.pdf", "--submitted-on", "11月5日"), "报送日期"),
])
def test_command_refuses_bad_input_in_chinese(demo_db: Database, tmp_path: Path, argv: tuple[str, ...],
                                               message: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [a if not a.startswith("x.") else str(out / a) for a in argv]
    try:
        _run(demo_db, "report", "monthly", *args)
    except (CliError, InvalidInput) as refused:  # by the command, before the database is opened
        assert re.search(message, str(refused))
    except SystemExit as exited:  # or already while the command line is read
        assert exited.code == 2 and re.search(message, capsys.readouterr().err)
    else:
        pytest.fail(f"{argv} was accepted")
    assert not list(out.iterdir())


def test_the_report_prints_the_audit_chain_anchor_it_kept_outside_the_database(demo_db: Database) -> None:
    from mediation_desk.services import audit

    with demo_db.read() as session:
        monthly = load_monthly_report(session, Actor.system("test"), "2099-12", today=TODAY)
        head = audit.chain_head(session)
    assert head is not None
    expected = f"审计链锚点：序号 {head.seq}，MAC 前 16 位 {(head.mac or '')[:16]}"
    assert monthly.audit_anchor == expected and len(head.mac or "") == 64
    assert compact(expected) in compact(pdf_text(report.render_pdf(monthly)))
    sheet = load_workbook(io.BytesIO(report.render_xlsx(monthly))).active
    assert sheet is not None
    assert expected in [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    kept = audit.load_anchors()
    assert [(a.month, a.seq, a.mac) for a in kept] == [("2099-12", head.seq, head.mac)]
    assert (audit.anchors_path().stat().st_mode & 0o777) == 0o600
