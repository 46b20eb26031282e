"""bench/dialogs.py (issue 20.3: the dialogs opened by buttons and menus, with their saves, timed as
bench/screens.py times a screen) keeps running as the code moves, and walks what it says it walks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .benchwalk import QUIET, ROOT, bench_env, shared_small_demo, table


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_small_demo(tmp_path_factory)


@pytest.mark.slow
def test_the_dialogs_bench_opens_each_dialog_by_its_button_and_saves(demo: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dialogs.py"), "--source", str(demo),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--users", "clerk,mediator,head", "--timeout", "60",
         "--quiet", QUIET],
        env=bench_env(tmp_path / "home"), capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr
    header, rows = table(result.stdout)
    for column in ("screen", "first answer", "ms to data", "worst stall", "GUI CPU", "CPU"):
        assert column in header
    walked = {(row[0].strip(), row[1].strip()) for row in rows}
    screens = {screen for _user, screen in walked}
    # The menus' dialogs, with the app's translations (as a person sees them), for every user.
    for user in ("clerk", "mediator", "head"):
        mine = {screen for who, screen in walked if who == user}
        assert "菜单 › 设置(S) › 修改密码(P)…" in mine and "菜单 › 帮助(H) › 关于(A)" in mine, (user, mine)
        assert any(s.startswith("案件 › big case #") and s.endswith("录入评价…") for s in mine), (user, mine)
        assert any(s.startswith("案件 › 搜索 '") for s in mine), (user, mine)
    for user in ("mediator", "head"):
        assert (user, "工作台 › 调解日历…") in walked
    assert ("head", "调解日历 › 调解室…") in walked
    assert ("clerk", "菜单 › 文件(F) › 导入移送材料包(P)…") in walked
    # A booking and a visit saved (save → ready), an agreement previewed.
    assert any(s.endswith("安排调解 › save") for s in screens), sorted(screens)
    assert any(s.endswith("回访 › 记录回访 (save)") for s in screens), sorted(screens)
    assert any(s.endswith("协议 › 预览/打印…") for s in screens), sorted(screens)
    # The writes of a case's course, each saved on the user's newest case in its state.
    assert ("clerk", "登记 › 受理登记 › save") in walked
    for step in ("受理 #", "分派 #"):
        assert any(s.startswith(f"案件 › {step}") and s.endswith(" › save") for who, s in walked if who == "clerk"), \
            sorted(screens)
    assert any(s.startswith("案件 › 分派 #") and s.endswith("分派… (panel)") for s in screens), sorted(screens)
    for row in rows:
        assert float(row[3]) >= 0 and float(row[4]) >= 0, row
        assert "TIMEOUT" not in row[-1], row
    stalls = [float(row[4]) for row in rows]
    assert stalls == sorted(stalls, reverse=True)
    # The booking was saved into the copy, not the source.
    def sessions(path: Path) -> int:
        with sqlite3.connect(path) as connection:
            return int(connection.execute("SELECT count(*) FROM mediation_session").fetchone()[0])

    assert sessions(tmp_path / "copy" / "demo.sqlite3") > sessions(demo)
