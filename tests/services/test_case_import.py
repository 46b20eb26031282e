"""Batch import from hotline and grid exports: good rows import, bad rows are reported, twice is once."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mediation_desk.db import Database
from mediation_desk.models import CaseEvent, DisputeCase, Party, PartyKind, Role, SourceChannel
from mediation_desk.services import case_import
from mediation_desk.services.actor import Actor
from mediation_desk.services.case_import import ImportFileError
from mediation_desk.services.errors import PermissionDenied

from .helpers import make_user

#: The hotline tickets below were received in November 2026; the file is imported at the end of it.
pytestmark = pytest.mark.story_day("2026-11-30T10:00")

HEADER = (
    "来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请事项,申请人,申请人身份证号,申请人电话,被申请人,"
    "被申请人统一社会信用代码,涉及金额"
)
GOOD = [
    "GZ001,12345,2026-11-20 09:30,拖欠农民工工资,工地拖欠工资纠纷,请求支付工资；请求明确期限,王建军,11010519491231002X,"
    "13800138000,甘州区宏达建筑工程有限公司,91350100M000100Y43,\"12,500\"",
    "GZ002,网格,2026/11/19,邻里,排水纠纷,,吉𠮷,,0936-8212345,欧阳䶮,,",
]
BAD = [
    "GZ003,12345,2026-13-01,邻里,日期错,,张三,,,,,",
    "GZ004,12345,2026-11-18,打架,类型错,,张三,110105194912310021,1380013800,,,",
    ",12345,2026-11-18,邻里,,,,,,,,",
]


def _write_csv(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "tickets.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode(encoding))
    return path


def _import(db: Database, path: Path, actor: Actor | None = None) -> case_import.ImportReport:
    with db.write() as session:
        return case_import.import_records(session, actor or Actor.system("test"), case_import.read_records(path))


def test_good_rows_import_and_bad_rows_are_reported_by_line(db: Database, tmp_path: Path) -> None:
    report = _import(db, _write_csv(tmp_path, GOOD + BAD))
    assert report.imported == 2 and report.already_imported == 0
    messages = [str(e) for e in report.errors]
    assert "第 4 行，登记时间：“2026-13-01”不是可识别的日期时间，应如 2026-11-20 09:30" in messages
    assert "第 5 行，纠纷类型：本中心没有“打架”这一纠纷类型" in messages
    assert any(m.startswith("第 5 行，申请人身份证号：身份证号码校验位不正确") for m in messages)
    assert any(m.startswith("第 5 行，申请人电话：手机号码应为 11 位") for m in messages)
    assert {"第 6 行，来源编号：来源编号不能为空", "第 6 行，纠纷名称：纠纷名称不能为空",
            "第 6 行，申请人：申请人不能为空"} <= set(messages)
    with db.read() as session:
        imported = session.scalars(select(DisputeCase).order_by(DisputeCase.id)).all()
        assert [c.source_ref for c in imported] == ["12345:GZ001", "网格:GZ002"]
        assert [c.source_channel for c in imported] == [SourceChannel.PHONE, SourceChannel.GRID_REPORT]
        assert imported[0].requests == ["请求支付工资", "请求明确期限"]
        assert str(imported[0].amount_involved) == "12500.00"
        parties = session.scalars(select(Party).order_by(Party.id)).all()
        assert [(p.name, p.kind) for p in parties] == [
            ("王建军", PartyKind.PERSON), ("甘州区宏达建筑工程有限公司", PartyKind.LEGAL_PERSON),
            ("吉𠮷", PartyKind.PERSON), ("欧阳䶮", PartyKind.PERSON)]
        assert parties[0].gender is not None and str(parties[0].birth_date) == "1949-12-31"
        notes = session.scalars(select(CaseEvent.note).order_by(CaseEvent.id)).all()
        assert notes == ["由12345转来，批量导入，工单号 GZ001", "由网格转来，批量导入，工单号 GZ002"]
    assert report.numbers[0].endswith("字第0001号") and report.numbers[1].endswith("字第0002号")


def test_importing_the_same_file_twice_creates_nothing_new(db: Database, tmp_path: Path) -> None:
    path = _write_csv(tmp_path, GOOD)
    assert _import(db, path).imported == 2
    again = _import(db, path)
    assert (again.imported, again.already_imported, again.errors) == (0, 2, [])
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 2


def test_gb18030_and_json_files_are_read(db: Database, tmp_path: Path) -> None:
    assert _import(db, _write_csv(tmp_path, GOOD[:1], encoding="gb18030")).imported == 1
    records = [{"source_ref": "W-9", "source_system": "网上", "received_at": "2026-11-01", "dispute_type": "物业",
                "title": "物业费", "requests": ["退还多收费用", "公开收费标准"], "applicant_name": "𠮷野"}]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"cases": records}, ensure_ascii=False), encoding="utf-8")
    report = _import(db, path)
    assert report.imported == 1 and not report.errors
    with db.read() as session:
        case = session.scalars(select(DisputeCase).where(DisputeCase.source_ref == "网上:W-9")).one()
        assert case.requests == ["退还多收费用", "公开收费标准"]


def test_duplicate_ticket_in_one_file_is_an_error(db: Database, tmp_path: Path) -> None:
    report = _import(db, _write_csv(tmp_path, [GOOD[0], GOOD[0]]))
    assert report.imported == 1
    assert [str(e) for e in report.errors] == ["第 3 行，来源编号：与第 2 行的来源编号重复"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        ("来源编号,登记时间,纠纷类型,纠纷名称\n".encode(), "缺少必填列：申请人"),
        ("来源编号,登记时间,纠纷类型,纠纷名称,申请人,备注栏\n".encode(), "不认识的列：备注栏"),
        (b"\xff\xfe\x00\xd8bad", "既不是 UTF-8 也不是 GB18030"),
    ],
)
def test_unreadable_files_are_refused_whole(db: Database, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        _import(db, path)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 0


def test_mediators_cannot_import(db: Database, tmp_path: Path) -> None:
    mediator = make_user(db, "m", Role.MEDIATOR)
    with pytest.raises(PermissionDenied):
        _import(db, _write_csv(tmp_path, GOOD), actor=mediator)


def test_imported_cases_get_the_clock_a_registration_would(db: Database, tmp_path: Path) -> None:
    from mediation_desk.services import clocks

    _import(db, _write_csv(tmp_path, GOOD))
    with db.write() as session:
        for case in session.scalars(select(DisputeCase)):
            stored = (case.clock_stage, case.clock_warn_on, case.clock_due_on)
            assert stored[0] is not None
            clocks.refresh_clock(session, case)
            assert (case.clock_stage, case.clock_warn_on, case.clock_due_on) == stored


def test_imported_times_are_stored_as_a_registration_stores_them(sqlite_db: Database, tmp_path: Path) -> None:
    """The SQLite fast path writes dates and times itself: they must be the strings the ORM writes
    (sorting and comparing them as text depends on it)."""
    assert _import(sqlite_db, _write_csv(tmp_path, GOOD[:1])).imported == 1
    with sqlite_db.read() as session:
        received, created, due, birth = session.execute(text(
            "SELECT c.received_at, c.created_at, c.clock_due_on, p.birth_date "
            "FROM dispute_case c JOIN party p ON p.case_id = c.id WHERE p.birth_date IS NOT NULL")).one()
        case = session.scalars(select(DisputeCase)).one()
        assert case.received_at == datetime(2026, 11, 20, 9, 30)
    assert received == "2026-11-20 09:30:00.000000"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", created)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", due) and birth == "1949-12-31"
