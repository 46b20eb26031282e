"""``mediation-desk export`` and ``import-packet`` through the real ``main``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.models import Role

from ..documents.casefile import ON_STORY_DAY
from ..services.helpers import PASSWORD, make_user
from .casebuild import CLAIMS, failed_case
from .helpers_db import sqlite_url

pytestmark = ON_STORY_DAY

#: Both commands sign in (issue 17): the head of each center, password on stdin.
LOGIN = ["--as", "head", "--password-stdin"]


def test_export_then_import_on_the_command_line(sqlite_db: Database, tmp_path: Path,
                                                 other_sqlite: Database, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    built = failed_case(sqlite_db, files=False)
    make_user(other_sqlite, "head", Role.HEAD)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n" * 4))
    out = tmp_path / "p.zip"
    code = cli.main(["--database", sqlite_url(sqlite_db), "export", built.number, "--to", "court",
                     "--target-name", "张掖市甘州区人民法院", "--out", str(out), "--claim", CLAIMS[0],
                     "--claim", CLAIMS[1], *LOGIN])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "移送材料包已写入" in captured.out and "导出 100%" in captured.err
    code = cli.main(["--database", sqlite_url(other_sqlite), "import-packet", str(out), *LOGIN])
    assert code == 0 and "已导入移送材料包" in capsys.readouterr().out
    code = cli.main(["--database", sqlite_url(other_sqlite), "import-packet", str(out), *LOGIN])
    assert code == 0 and "未重复创建" in capsys.readouterr().out
    broken = tmp_path / "broken.zip"
    broken.write_bytes(out.read_bytes()[:500])
    code = cli.main(["--database", sqlite_url(other_sqlite), "import-packet", str(broken), *LOGIN])
    assert code == 2 and "不是完整的 ZIP" in capsys.readouterr().err
