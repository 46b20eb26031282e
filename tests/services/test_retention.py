"""Retention (保管期限): the date a closure sets, a reopening clears, and the archive job."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from pypdf import PdfReader
from sqlalchemy import func, select

from mediation_desk import settings
from mediation_desk.cli import retention as cli_retention
from mediation_desk.db import Database
from mediation_desk.models import (
    Agreement,
    Attachment,
    AuditEntry,
    CaseState,
    DisputeCase,
    FileBlob,
    Party,
    Role,
)
from mediation_desk.services import cases, center, retention, workflow
from mediation_desk.services.errors import InvalidInput, PermissionDenied, TransitionNotAllowed

from .helpers import PASSWORD, make_user, register
from .settled import Settled, close, settled_case


def test_periods() -> None:
    assert retention.years_of("永久") is None
    assert retention.years_of("长期") == 30
    assert retention.years_of("短期") == 10
    assert retention.years_of("15年") == 15
    assert retention.years_of("定期30年") == 30
    for bad in ("", "很久", "0年", "三十年"):
        with pytest.raises(InvalidInput, match="保管期限"):
            retention.years_of(bad)
    assert retention.retain_until(date(2024, 2, 29), "长期") == date(2054, 2, 28)
    assert retention.retain_until(date(2026, 3, 5), "短期") == date(2036, 3, 5)
    assert retention.retain_until(date(2026, 3, 5), "永久") is None


def _closed(db: Database, period: str | None = None) -> Settled:
    settled = settled_case(db)
    if period is not None:
        with db.write() as session:
            center.put(session, settings.DOSSIER_RETENTION, period)
    close(settled)
    return settled


def _travel_to(clock: time_machine.Traveller, day: date) -> None:
    """The suite's clock moves to ``day`` (a file's retention date can only be reached by waiting)."""
    clock.move_to(datetime.combine(day, time(10, 0)).astimezone())


def _case(db: Database, case_id: int) -> DisputeCase:
    with db.read() as session:
        return session.get_one(DisputeCase, case_id)


def test_closure_sets_the_date_from_the_dossier_period_and_reopening_clears_it(db: Database) -> None:
    settled = _closed(db)
    case = _case(db, settled.case_id)
    assert case.state is CaseState.CLOSED and case.closed_at is not None
    assert case.retain_until == retention.add_years(case.closed_at.date(), 30)  # 长期, the default
    with db.write() as session:
        workflow.transition(session, settled.head, settled.case_id, workflow.Action.REOPEN, note="当事人反映未履行")
    assert _case(db, settled.case_id).retain_until is None


def test_a_permanent_file_has_no_date(db: Database) -> None:
    settled = _closed(db, "永久")
    assert _case(db, settled.case_id).retain_until is None


def test_archive_job_exports_then_keeps_only_a_tombstone(db: Database, tmp_path: Path,
                                                         test_clock: time_machine.Traveller) -> None:
    settled = _closed(db, "短期")
    case = _case(db, settled.case_id)
    assert case.retain_until is not None
    number, due = case.number, case.retain_until
    head = settled.head
    folder = tmp_path / "archive"
    closed_on = datetime.now().astimezone()
    _travel_to(test_clock, due)

    with db.read() as session:
        assert retention.expired(session, due - timedelta(days=1)) == []
        assert [e.number for e in retention.expired(session, due)] == [number]
        attached = session.scalar(select(func.count()).select_from(Attachment)
                                  .where(Attachment.case_id == settled.case_id))
    assert attached

    # A dry run only lists (and the audit log keeps the list it showed).
    with db.write() as session:
        report = retention.archive_expired(session, head, due, folder, dry_run=True)
    assert [e.number for e in report.expired] == [number] and report.archived == ()
    assert not folder.exists()

    with db.write() as session:
        report = retention.archive_expired(session, head, due, folder)
    (done,) = report.archived
    assert done.number == number and done.files == attached
    pdf = done.folder / "卷宗.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "张三" in text and "保管期限" in text and "短期" in text
    data = json.loads((done.folder / "data.json").read_text("utf-8"))
    assert data["dispute_case"][0]["number"] == number
    assert {p["name"] for p in data["party"]} == {"张三", "李四"}
    assert len(data["agreement"]) == 1 and len(data["agreement_term"]) == 2
    assert len(list((done.folder / "files").iterdir())) == attached

    with db.read() as session:
        tomb = session.get_one(DisputeCase, settled.case_id)
        assert tomb.number == number and tomb.title == retention.TOMBSTONE_TITLE and tomb.facts == ""
        assert tomb.requests == [] and tomb.state is CaseState.CLOSED
        for model, column in ((Party, Party.case_id), (Attachment, Attachment.case_id),
                              (Agreement, Agreement.case_id)):
            assert session.scalar(select(func.count()).select_from(model).where(column == settled.case_id)) == 0
        assert session.scalar(select(func.count()).select_from(FileBlob)) == 0  # no orphan content left
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.retention_archive")).one()
        assert logged.username == "head" and logged.entity_id == settled.case_id
        assert retention.expired(session, due + timedelta(days=400)) == []  # archived once only
    # A tombstone is never mediated again: nothing of it is left to work on.
    with db.read() as session:
        assert cases.case_detail(session, settled.head, settled.case_id).actions == ()
    with db.write() as session, pytest.raises(TransitionNotAllowed, match="已按保管期限归档"):
        workflow.transition(session, settled.head, settled.case_id, workflow.Action.REOPEN, note="当事人反悔")
    # The number is never issued again (back in the year it was issued).
    test_clock.move_to(closed_on)
    new_id = register(db, settled.clerk)
    with db.read() as session:
        assert session.get_one(DisputeCase, new_id).seq > tomb.seq


def test_only_the_head_runs_the_job(db: Database, tmp_path: Path, test_clock: time_machine.Traveller) -> None:
    """Issue 17: the administrator, who reads no case content, no longer runs it (nor its dry run)."""
    settled = _closed(db)
    admin = make_user(db, "admin", Role.ADMIN)
    _travel_to(test_clock, date(2100, 1, 1))
    for actor in (settled.clerk, settled.mediator, admin):
        for dry_run in (True, False):
            with pytest.raises(PermissionDenied, match="归档"), db.write() as session:
                retention.archive_expired(session, actor, date(2100, 1, 1), tmp_path, dry_run=dry_run)
    with db.write() as session:
        assert len(retention.archive_expired(session, settled.head, date(2100, 1, 1), tmp_path,
                                             dry_run=True).expired) == 1


def _run_cli(db: Database, *argv: str, monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--database")
    sub = parser.add_subparsers(dest="command")
    cli_retention.register(sub)
    args = parser.parse_args(["--database", db.url.render_as_string(hide_password=False), *argv])
    result: int = args.func(args)
    return result


def test_command_dry_run_then_run(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, test_clock: time_machine.Traveller) -> None:
    settled = _closed(db)
    case = _case(db, settled.case_id)
    assert case.retain_until is not None
    _travel_to(test_clock, case.retain_until + timedelta(days=1))
    folder = tmp_path / "out"
    as_head = ("--as", "head", "--password-stdin")
    assert _run_cli(db, "retention", "run", "--dry-run", "--to", str(folder), *as_head, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert case.number in out and "试运行" in out and not folder.exists()
    assert _run_cli(db, "retention", "run", "--to", str(folder), *as_head, monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "已归档 1 件" in out
    assert (folder / f"{case.year}-{case.seq:04d}" / "卷宗.pdf").exists()
    assert _run_cli(db, "retention", "run", "--to", str(folder), *as_head, monkeypatch=monkeypatch) == 0
    assert "没有保管期限届满的案卷" in capsys.readouterr().out
