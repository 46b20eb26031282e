"""Offline townships (issue 21 item 3): a township desk on its own SQLite file and the county
exchange the crossing steps by packets. Two real SQLite databases: the township reports a case up,
its packet is imported at the county (which then writes the case), the county returns it, and that
packet is imported back at the township (which writes again); replays change nothing; hostile
packets are refused in Chinese with nothing written (docs/crossings.md, "Offline townships")."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mediation_desk import cli, demo
from mediation_desk.db import Database
from mediation_desk.exchange.crossing import import_crossing, verify_crossing
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.models import (
    Attachment,
    AttachmentKind,
    AuditEntry,
    CaseCrossing,
    Center,
    CrossingKind,
    DisputeCase,
)
from mediation_desk.services import attachments, cases, crossings, permissions, records
from mediation_desk.services.records import InvestigationInput

from ..conftest import login_as
from ..services.helpers import new_case_input

TODAY = datetime(2026, 9, 25, 10, 0)
UP = "44444444-4444-4444-8444-444444444444"
BACK = "55555555-5555-4555-8555-555555555555"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _desk(template: Path, target: Path) -> Database:
    """A desk's own SQLite file with the county's centers (the same prefixes as the server)."""
    shutil.copyfile(template, target)
    db = Database(f"sqlite:///{target}")
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
    return db


@pytest.fixture
def desks(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Database, Database]]:
    township = _desk(sqlite_template, tmp_path / "township.sqlite3")
    county = _desk(sqlite_template, tmp_path / "county.sqlite3")
    yield township, county
    township.dispose()
    county.dispose()


def _counts(db: Database) -> tuple[int, ...]:
    """Cases, steps, files and the audit of cases (a login is audited too: not counted)."""
    with db.read() as session:
        rows = [session.scalar(select(func.count()).select_from(t)) or 0
                for t in (DisputeCase, CaseCrossing, Attachment)]
        audited = select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("case.%"))
        return (*rows, session.scalar(audited) or 0)


def _runner(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
            ) -> Callable[..., tuple[int, str, str]]:
    def run(db: Database, user: str, *args: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n"))
        url = db.url.render_as_string(hide_password=False)
        code = cli.main(["--database", url, *args, "--as", user, "--password-stdin"])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _reported_up(township: Database) -> tuple[int, str]:
    """A case registered at the township, with a scan, reported up there (its own desk)."""
    clerk, head = login_as(township, "ljd_clerk"), login_as(township, "ljd_head")
    case_input = new_case_input(township, received_at=TODAY)
    with township.write() as session:
        case_id = cases.register_case(session, clerk, case_input)
        number = cases.case_detail(session, clerk, case_id).number
        scan = attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                        filename="现场照片.pdf", content=PDF)
        crossings.report_up(session, head, case_id, reason="涉及县直部门，本镇无法调处",
                            materials=[scan.id], uid=UP)
    return case_id, number


def _case(db: Database, number: str) -> DisputeCase:
    with db.read() as session:
        case = session.scalar(select(DisputeCase).where(DisputeCase.number == number))
        assert case is not None
        session.expunge(case)
        return case


def _timeline(db: Database, user: str, case_id: int) -> list[str]:
    actor = login_as(db, user)
    with db.read() as session:
        return [e.note for e in cases.case_detail(session, actor, case_id).events
                if e.action.startswith("crossing_")]


def test_report_up_and_return_travel_between_two_desks_by_packets(
        desks: tuple[Database, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    township, county = desks
    run = _runner(monkeypatch, capsys)
    local_id, number = _reported_up(township)

    code, out, err = run(township, "ljd_head", "crossing-out", "--step", UP, "--out", str(tmp_path / "up.zip"))
    assert code == 0, err
    assert f"{number}：上报的流转材料包已写入" in out and "材料 1 份" in out
    before = _counts(county)
    code, out, err = run(county, "clerk", "crossing-in", str(tmp_path / "up.zip"))
    assert code == 0, err
    assert f"已导入流转材料包：案件 {number} 上报 甘州区梁家墩镇综治中心 → 张掖市甘州区矛盾纠纷调处中心" in out
    assert "已在本库建立该案件（案号不变）" in out
    after = _counts(county)
    assert after[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)

    # One identity: the township's number, center and parties; the county handles it now.
    copy = _case(county, number)
    county_head, ljd_head = login_as(county, "head"), login_as(township, "ljd_head")
    with county.read() as session:
        ljd = session.scalar(select(Center.id).where(Center.prefix == "甘州梁家墩调"))
        root = session.scalar(select(Center.id).where(Center.parent_id.is_(None)))
        parties = [p.name for p in cases.case_detail(session, county_head, copy.id).parties]
        scan = session.scalars(select(Attachment).where(Attachment.case_id == copy.id)).one()
        step = session.scalars(select(CaseCrossing).where(CaseCrossing.uid == UP)).one()
    assert (copy.center_id, copy.handling_center_id) == (ljd, root)
    assert parties == ["张三", "李四"]
    assert (scan.filename, scan.kind) == ("现场照片.pdf", AttachmentKind.EVIDENCE)
    assert json.loads(step.materials) == [scan.id]
    assert step.created_by_name == ljd_head.display_name
    assert permissions.may_write(county_head, copy)
    # The county writes the case.
    with county.write() as session:
        records.add_investigation(session, county_head, copy.id, InvestigationInput(
            held_at=TODAY, place="县中心", investigators="王主任", recorder="刘", interviewee="张三",
            interviewee_relation="申请人", content="了解情况"))
    after = _counts(county)

    # Replayed twice: nothing changes, and the output says so.
    for _ in range(2):
        code, out, err = run(county, "clerk", "crossing-in", str(tmp_path / "up.zip"))
        assert code == 0, err
        assert "此前已导入" in out and "本次未作任何更改" in out
    assert _counts(county) == after

    # The county returns it; its packet goes back to the township's desk.
    with county.write() as session:
        crossings.return_case(session, county_head, copy.id, reason="属本镇管辖，请继续调处", uid=BACK)
    code, out, err = run(county, "head", "crossing-out", "--step", BACK, "--out", str(tmp_path / "back.zip"))
    assert code == 0, err
    assert not permissions.may_write(login_as(township, "ljd_head"), _case(township, number))
    code, out, err = run(township, "ljd_clerk", "crossing-in", str(tmp_path / "back.zip"))
    assert code == 0, err
    assert f"案件 {number} 回退 张掖市甘州区矛盾纠纷调处中心 → 甘州区梁家墩镇综治中心" in out
    mine = _case(township, number)
    assert mine.handling_center_id is None and permissions.may_write(login_as(township, "ljd_head"), mine)
    settled = _counts(township)
    for _ in range(2):
        code, out, err = run(township, "ljd_clerk", "crossing-in", str(tmp_path / "back.zip"))
        assert code == 0 and "本次未作任何更改" in out
    assert _counts(township) == settled

    # Each timeline shows both steps, the same on both sides.
    for db, user, case_id in ((township, "ljd_head", local_id), (county, "head", copy.id)):
        notes = _timeline(db, user, case_id)
        assert len(notes) == 2, notes
        assert notes[0].startswith("上报：甘州区梁家墩镇综治中心 → 张掖市甘州区矛盾纠纷调处中心：涉及县直部门")
        assert notes[0].endswith("（附材料 1 份）")
        assert notes[1] == "回退：张掖市甘州区矛盾纠纷调处中心 → 甘州区梁家墩镇综治中心：属本镇管辖，请继续调处"
    with county.read() as session:
        assert session.scalars(select(CaseCrossing.closed_at).where(CaseCrossing.uid == UP)).one() is not None


def test_assign_down_and_feedback_travel_by_packets(desks: tuple[Database, Database], tmp_path: Path) -> None:
    """A county case assigned down to the offline township, and the township's 办结反馈 back."""
    township, county = desks
    head, clerk = login_as(county, "head"), login_as(county, "clerk")
    case_input = new_case_input(county, received_at=TODAY)
    with county.write() as session:
        case_id = cases.register_case(session, clerk, case_input)
        number = cases.case_detail(session, head, case_id).number
        ljd = session.scalar(select(Center.id).where(Center.prefix == "甘州梁家墩调"))
        assert ljd is not None
        crossings.assign(session, head, case_id, working_days=5, reason="请梁家墩镇就地化解", to_center_id=ljd,
                         uid=UP, today=TODAY.date())
    from mediation_desk.exchange.crossing import export_crossing

    export_crossing(county, head, UP, out=tmp_path / "down.zip")
    done = import_crossing(township, login_as(township, "ljd_clerk"), tmp_path / "down.zip")
    assert done.created_case and done.step.kind is CrossingKind.ASSIGN_DOWN
    with township.read() as session:
        due = session.scalars(select(CaseCrossing.due_on).where(CaseCrossing.uid == UP)).one()
    with county.read() as session:
        assert due == session.scalars(select(CaseCrossing.due_on).where(CaseCrossing.uid == UP)).one()
    copy = _case(township, number)
    ljd_head = login_as(township, "ljd_head")
    assert permissions.may_write(ljd_head, copy)
    with township.write() as session:
        crossings.feedback(session, ljd_head, copy.id, text="已调解成功", uid=BACK)
    export_crossing(township, login_as(township, "ljd_head"), BACK, out=tmp_path / "done.zip")
    answered = import_crossing(county, login_as(county, "clerk"), tmp_path / "done.zip")
    assert answered.step.kind is CrossingKind.FEEDBACK and not answered.replayed
    assert _case(county, number).handling_center_id is None


# --- hostile packets -------------------------------------------------------------------------------


@pytest.fixture
def packet(desks: tuple[Database, Database], tmp_path: Path) -> Path:
    township, _county = desks
    _reported_up(township)
    from mediation_desk.exchange.crossing import export_crossing

    return export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path


def _rewritten(source: Path, target: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return target


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = manifest
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[last] = value
    return change


def _as_feedback(manifest: dict[str, Any]) -> None:
    manifest["step"].update(kind="feedback", uid=BACK, parent_uid=UP)
    manifest["case"], manifest["parties"] = None, []


@pytest.mark.parametrize(("user", "change", "refusal"), [
    ("clerk", _set("schema_version", 3), "不支持的流转材料包版本 3"),
    ("clerk", _set("format", "mediation-desk/transfer-packet"), "这不是矛调工作台的流转材料包"),
    ("clerk", _set("step.kind", "transfer"), "step.kind 的值无效"),
    ("dz_clerk", _set("step.to_center.prefix", "甘州党寨调"),
     "“甘州区梁家墩镇综治中心”不是“甘州区党寨镇综治中心”的下级中心"),
    ("dz_clerk", lambda m: None, "不是本中心的"),
    ("clerk", _set("step.to_center.prefix", "某县调"), "不是本库登记的中心"),
    ("clerk", _set("files.0.sha256", "0" * 64), "SHA-256 校验值与清单不符"),
    ("clerk", _set("parties.0.name", ""), "parties[0].name 不能为空"),
    ("clerk", _set("step.created_at", "2026-09-25T10:00:00+08:00"), "step.created_at 不是有效的时间"),
])
def test_a_bad_packet_is_refused_in_chinese_and_writes_nothing(
        desks: tuple[Database, Database], packet: Path, tmp_path: Path, user: str,
        change: Callable[[dict[str, Any]], None], refusal: str) -> None:
    _township, county = desks
    before = _counts(county)
    bad = _rewritten(packet, tmp_path / "bad.zip", change)
    with pytest.raises(PacketRefused, match=refusal.replace("[", r"\[").replace("]", r"\]")):
        import_crossing(county, login_as(county, user), bad)
    assert _counts(county) == before


def test_a_step_that_does_not_fit_the_case_is_refused(desks: tuple[Database, Database], packet: Path,
                                                      tmp_path: Path) -> None:
    _township, county = desks
    import_crossing(county, login_as(county, "clerk"), packet)
    before = _counts(county)
    # A 反馈 from the township for a case it reported up (nothing was asked of it).
    bad = _rewritten(packet, tmp_path / "feedback.zip", _as_feedback)
    with pytest.raises(PacketRefused, match=r"不符合本库中案件 .* 的当前状态：.*没有待反馈的联办或交办"):
        import_crossing(county, login_as(county, "clerk"), bad)
    # The same uid under another step.
    again = _rewritten(packet, tmp_path / "again.zip", _set("step.reason", "改过的理由"))
    assert import_crossing(county, login_as(county, "clerk"), again).replayed
    assert _counts(county) == before


def test_tampered_and_truncated_files_are_refused_on_the_command_line_without_a_traceback(
        desks: tuple[Database, Database], packet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _township, county = desks
    run = _runner(monkeypatch, capsys)
    data = packet.read_bytes()
    before = _counts(county)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    tampered = tmp_path / "tampered.zip"
    start = data.index(b"%PDF")
    tampered.write_bytes(data[:start + 5] + bytes([data[start + 5] ^ 0x20]) + data[start + 6:])
    for path, said in ((truncated, "不是完整的 ZIP 材料包"), (tampered, "校验")):
        code, _out, err = run(county, "clerk", "crossing-in", str(path))
        assert code != 0 and "Traceback" not in err and said in err and err.strip(), err
    assert _counts(county) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_flipped_byte_is_refused_or_changes_nothing_that_is_read(packet: Path, tmp_path: Path,
                                                                      data: st.DataObject) -> None:
    original = verify_crossing(packet).manifest
    raw = bytearray(packet.read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1))
    raw[position] ^= data.draw(st.integers(1, 255))
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    try:
        read = verify_crossing(flipped)
    except PacketRefused as refused:
        assert refused.message
    else:  # a byte nobody reads (a time stamp, a comment): the same step, the same materials
        assert read.manifest == original


def test_the_county_on_its_server_exchanges_with_a_township_on_sqlite(db: Database, sqlite_template: Path,
                                                                     tmp_path: Path) -> None:
    """The county's database on each backend (PostgreSQL: the county's server) and the township's
    own SQLite file: 上报 in, 回退 out, each imported once."""
    from mediation_desk.exchange.crossing import export_crossing

    township = _desk(sqlite_template, tmp_path / "township.sqlite3")
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
    _local_id, number = _reported_up(township)
    export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip")
    assert import_crossing(db, login_as(db, "clerk"), tmp_path / "up.zip").created_case
    assert import_crossing(db, login_as(db, "clerk"), tmp_path / "up.zip").replayed
    copy = _case(db, number)
    head = login_as(db, "head")
    assert permissions.may_write(head, copy)
    with db.write() as session:
        crossings.return_case(session, head, copy.id, reason="属本镇管辖", uid=BACK)
    export_crossing(db, head, BACK, out=tmp_path / "back.zip")
    back = import_crossing(township, login_as(township, "ljd_clerk"), tmp_path / "back.zip")
    assert back.step.kind is CrossingKind.RETURN and _case(township, number).handling_center_id is None
    township.dispose()
