"""``mediation-desk subsidies statement``: the head prints a past month (issuing it), a mediator
their own statement, the administrator the summary; figures read back from the files."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.readmodels.amounts import to_capitals
from mediation_desk.services import subsidies
from mediation_desk.services.actor import Actor

from .documents.conftest import compact, pdf_text
from .test_cli import DEMO_LOGIN_STDIN, as_, run_cli

pytestmark = pytest.mark.story_day("2026-12-01T10:00")


def test_the_statement_command_for_the_head_a_mediator_and_the_administrator(sqlite_db: Database,
                                                                                tmp_path: Path) -> None:
    with sqlite_db.write() as session:
        demo.seed(session, 300, today=datetime(2026, 11, 20, 17, 0))
    with sqlite_db.write() as session:
        subsidies.save_rules(session, Actor.system("test"), "2026-01", subsidies.rules_form(subsidies.DEFAULT_RULES))
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    with sqlite_db.read() as session:
        expected = subsidies.compute(session, dataclasses.replace(Actor.system("test"), role=Role.HEAD), "2026-10")
    assert expected.total_fen > 0
    sqlite_db.dispose()

    pdf, xlsx = tmp_path / "十月补贴.pdf", tmp_path / "十月补贴.xlsx"
    done = run_cli("--database", url, "subsidies", "statement", "--month", "2026-10", "--pdf", str(pdf),
                   "--xlsx", str(xlsx), "--json", *as_("head"), stdin=DEMO_LOGIN_STDIN)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["draft"] is False and result["total_fen"] == expected.total_fen and result["sha256"]
    text = compact(pdf_text(pdf.read_bytes()))
    capitals = to_capitals(Decimal(expected.total_fen) / 100)
    assert compact(f"合计金额（大写）：人民币{capitals}") in text and "以案定补补贴汇总表" in text
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["汇总"]
    totals = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "合计")
    assert Decimal(str(totals[5])) == Decimal(expected.total_fen) / 100

    # The mediator (李建国) prints their own statement of the issued month, nobody else's.
    own = tmp_path / "mine.pdf"
    mine = run_cli("--database", url, "subsidies", "statement", "--month", "2026-10", "--pdf", str(own),
                   *as_("mediator"), stdin=DEMO_LOGIN_STDIN)
    assert mine.returncode == 0, mine.stderr
    own_text = compact(pdf_text(own.read_bytes()))
    assert "调解员：李建国" in own_text and "汇总表" not in own_text
    others = [m.name for m in expected.mediators if m.name != "李建国"]
    assert others and not any(f"调解员：{name}" in own_text for name in others)

    # The administrator prints the summary: names and totals, no case.
    summary = tmp_path / "summary.pdf"
    admin = run_cli("--database", url, "subsidies", "statement", "--month", "2026-10", "--pdf", str(summary),
                    *as_("admin"), stdin=DEMO_LOGIN_STDIN)
    assert admin.returncode == 0, admin.stderr
    summary_text = compact(pdf_text(summary.read_bytes()))
    assert compact(f"人民币{capitals}") in summary_text and "矛调字" not in summary_text
