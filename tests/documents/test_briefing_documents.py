"""``report briefing`` on the demo county (issue 23 item 4, docs/briefing.md): the head writes the
briefing's PDF, adjusts a grade with a reason (refused without one), and the paper shows the
proposed grade beside the head's; every export and every grade is audited."""

from __future__ import annotations

import argparse
import dataclasses
import io
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.cli.context import CliError
from mediation_desk.cli.report import register
from mediation_desk.db import Database
from mediation_desk.documents import briefing as briefing_doc
from mediation_desk.models import AuditEntry, RiskLevel
from mediation_desk.readmodels.briefing import GradedCases, Repeat
from mediation_desk.services import briefing

from .. import composition
from ..composition import check_pdf
from ..conftest import login_as
from .conftest import compact, pdf_text

TODAY = datetime(2026, 12, 3, 17, 0)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("briefing") / "county.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, 160, today=TODAY, township_cases=30)
    yield db
    db.dispose()


def _run(db: Database, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--database", str(db.url), "report", "briefing", "--month", "2026-11",
                              "--today", "2026-12-03", *extra, "--as", "head", "--password-stdin"])
    result: int = args.func(args)
    return result


def test_the_head_writes_the_briefing_and_adjusts_a_grade_with_a_reason(
        county: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    head = login_as(county, "head")
    with county.read() as session:
        before = briefing.load(session, head, "2026-11", today=date(2026, 12, 3))
    assert before.received.value > 0 and before.cases
    target = next(c for c in before.cases if c.proposed is not RiskLevel.RED
                  and c.center_name == before.center_name)

    with pytest.raises(CliError):
        _run(county, monkeypatch, "--grade", f"{target.number}=红")
    pdf_path = tmp_path / "研判.pdf"
    assert _run(county, monkeypatch, "--grade", f"{target.number}=红", "--reason", "当事人情绪激烈需重点稳控",
                "--pdf", str(pdf_path)) == 0
    out = capsys.readouterr().out
    assert f"{target.number}：{target.proposed.label}→红（当事人情绪激烈需重点稳控）" in out
    assert "2026年11月矛盾纠纷风险研判" in out and "PDF 已写入" in out
    pdf = pdf_path.read_bytes()
    assert check_pdf(pdf, "briefing") == []
    text = compact(pdf_text(pdf))
    assert compact(before.center_name) in text and "当事人情绪激烈需重点稳控" in text
    assert not list(tmp_path.glob(".*"))  # no temporary file left
    with county.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(("briefing.grade", "report.briefing_export")))).all()
    assert sorted(actions) == ["briefing.grade", "report.briefing_export"]


def test_every_case_number_prints_whole_on_one_line(county: Database) -> None:
    """The graded list's 案号 column fits a six-digit and a township's number (the room from the
    columns that wrap anyway); a repeat party's numbers, listed in a cell, break between numbers."""
    head = login_as(county, "head")
    with county.read() as session:
        loaded = briefing.load(session, head, "2026-11", today=date(2026, 12, 3))
    numbers = composition.SAMPLE_NUMBERS
    listed = list(loaded.cases)
    assert len(listed) >= 2 * len(numbers)
    cases = GradedCases.of([dataclasses.replace(c, number=numbers[i % len(numbers)]) if i < 2 * len(numbers) else c
                            for i, c in enumerate(listed)])
    repeat = Repeat("张某（620702********1234）", dataclasses.replace(loaded.received, value=len(numbers)), numbers)
    pdf = briefing_doc.render_pdf(dataclasses.replace(loaded, cases=cases,
                                                      repeat_parties=(repeat, *loaded.repeat_parties)))
    pages = composition.page_lines(pdf)
    for number in numbers:
        assert composition.number_count(pages, number) == 3, number
        assert composition.broken_numbers(pages, [number]) == []
