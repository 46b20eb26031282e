"""``mediation-desk hotline export``: the return file through the command line, incremental with
``--since last``, the same bytes for the same bounds, and every bad argument refused in one
Chinese line with no traceback and no file."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import case_import, hotline

from .services.helpers import PASSWORD, make_user

pytestmark = pytest.mark.story_day("2026-11-30T10:00")

ORDERS = ("来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请人,热线类型编码\n"
          "GD001,12345,2026-11-02 09:00,邻里,噪音扰民,王建军,0301\n"
          "GD002,12345,2026-11-06 16:30,物业,电梯停运,郑丽,0502\n")


@pytest.fixture
def url(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    with sqlite_db.write() as session:
        assert case_import.import_records(session, clerk, case_import.read_records(path)).imported == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n" * 50))
    return f"sqlite:///{tmp_path / 'cases.sqlite3'}"


def export(url: str, *args: str) -> int:
    return cli.main(["--database", url, "hotline", "export", *args, "--as", "clerk", "--password-stdin"])


def test_export_twice_with_the_same_bounds_gives_the_same_bytes_and_last_continues(
        url: str, sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        test_clock: time_machine.Traveller) -> None:
    test_clock.shift(60)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    bounds = ("--since", "2026-11-01", "--until", "2026-11-30T10:00:30+08:00")
    assert export(url, *bounds, "--format", "csv", "--out", str(first)) == 0
    assert export(url, *bounds, "--format", "csv", "--out", str(second)) == 0
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"\xef\xbb\xbf")
    out = capsys.readouterr().out
    assert "2 件工单" in out and "2026-11-30 10:00:30" in out
    # Something happens; --since last continues from the last file's until: only that order.
    clerk = make_user(sqlite_db, "head", Role.HEAD)
    with sqlite_db.write() as session:
        case_id = hotline.load_orders(session, range(1, 10))[1].case_id
        hotline.sign_for(session, clerk, case_id, at=datetime(2026, 11, 9, 9, 0))
    test_clock.shift(60)
    later = tmp_path / "c.json"
    assert export(url, "--since", "last", "--format", "json", "--out", str(later)) == 0
    document = json.loads(later.read_text(encoding="utf-8"))
    assert document["since"] == "2026-11-30T10:00:30+08:00"
    assert [(o["order_no"], o["signed_at"]) for o in document["orders"]] == [("GD002", "2026-11-09T09:00:00+08:00")]


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "2026-13-01", "--format", "csv"), "--since 起始时间“2026-13-01”不是有效的时间"),
    (("--since", "昨天", "--format", "csv"), "不是有效的时间，应写作 2026-11-20"),
    (("--since", "2027-01-01", "--format", "csv"), "起始时间 2027-01-01 00:00:00 晚于现在"),
    (("--since", "2026-11-01", "--until", "2026-12-31", "--format", "csv"), "截止时间 2026-12-31 00:00:00 晚于现在"),
    (("--since", "2026-11-20", "--until", "2026-11-10", "--format", "csv"), "应晚于起始时间"),
    (("--since", "last", "--format", "csv"), "还没有导出过回传文件"),
    (("--since", "2026-11-01", "--format", "json"), "扩展名应为 .json"),
])
def test_bad_arguments_are_refused_in_chinese_without_a_file(url: str, tmp_path: Path, args: tuple[str, ...],
                                                             message: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.csv"
    assert export(url, *args, "--out", str(target)) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and not target.exists()


def test_an_unwritable_or_missing_folder_is_refused(url: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "out.csv"
    with pytest.raises(SystemExit) as exited:
        export(url, "--since", "2026-11-01", "--format", "csv", "--out", str(missing))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err and "不存在" in err, err
    # A folder in place of the file.
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(SystemExit):
        export(url, "--since", "2026-11-01", "--format", "csv", "--out", str(folder))
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--out" in err, err
    # A folder nobody may write in (even root may not create files in /proc): nothing written,
    # and no watermark kept (--since last still has nothing to continue from).
    target = Path("/proc/1/out.csv")
    assert export(url, "--since", "2026-11-01", "--format", "csv", "--out", str(target)) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：参数 --out：无法写入输出文件“/proc/1/out.csv”") and "Traceback" not in err, err
    assert len(err.splitlines()) == 1 and not target.exists()
    assert export(url, "--since", "last", "--format", "csv", "--out", str(tmp_path / "x.csv")) == 2
    assert "还没有导出过回传文件" in capsys.readouterr().err


def test_the_documentation_lists_every_field_of_the_return_file() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "hotline.md").read_text(encoding="utf-8")
    for key, (name, _) in hotline.FIELDS.items():
        assert f"| `{key}` | {name} |" in doc
    for setting in ("hotline_weight_response", "hotline_weight_resolution", "hotline_weight_satisfaction"):
        assert f"`{setting}`" in doc


def test_weights_are_set_together_and_must_add_up_to_100(url: str, sqlite_db: Database,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    make_user(sqlite_db, "head", Role.HEAD)

    def weights(user: str, *args: str) -> int:
        return cli.main(["--database", url, "hotline", "weights", *args, "--as", user, "--password-stdin"])

    assert weights("head") == 0 and "响应率 30，解决率 35，满意率 35" in capsys.readouterr().out
    assert weights("head", "--response", "30", "--resolution", "35", "--satisfaction", "40") == 2
    err = capsys.readouterr().err
    assert err == "错误：三率权重之和应为 100，现为 30+35+40=105；请调整响应率、解决率、满意率的权重。\n"
    assert weights("head", "--response", "50") == 2 and "须三项一起设置" in capsys.readouterr().err
    assert weights("clerk", "--response", "50", "--resolution", "25", "--satisfaction", "25") == 2
    assert "无权" in capsys.readouterr().err
    assert weights("head", "--response", "50", "--resolution", "25", "--satisfaction", "25") == 0
    assert "响应率 50，解决率 25，满意率 25" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        weights("head", "--response", "-1", "--resolution", "51", "--satisfaction", "50")
    assert "参数 --response" in capsys.readouterr().err
