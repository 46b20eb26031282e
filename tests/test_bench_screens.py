"""bench/screens.py (issue 20.3: every screen a person reaches, as each role, timed to its data with
the GUI thread's worst stall) and bench/dialogs.py (the dialogs opened by buttons and menus, with
their saves) keep running as the code moves, and walk what they say they walk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bench_env(home: Path) -> dict[str, str]:
    return {**os.environ, "MEDIATION_DESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-case demo both benches copy (never write)."""
    folder = tmp_path_factory.mktemp("bench-demo")
    source = folder / "demo.sqlite3"
    subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{source}", "demo",
                    "--cases", "300", "--unencrypted"],
                   env=bench_env(folder / "home"), capture_output=True, text=True, timeout=600, check=True)
    return source


def table(stdout: str) -> tuple[str, list[list[str]]]:
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("role"))
    return header, [line.split("|") for line in lines[lines.index(header) + 1:] if line.count("|") >= 6]


@pytest.mark.slow
def test_the_screens_bench_walks_every_role_on_a_small_demo(small_demo: Path, tmp_path: Path) -> None:
    env = bench_env(tmp_path / "home")
    source = small_demo
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "screens.py"), "--source", str(source),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--users", "head,clerk,mediator",
         "--timeout", "60"],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("role"))
    for column in ("screen", "first answer", "ms to data", "worst stall", "GUI CPU", "CPU"):
        assert column in header
    rows = [line.split("|") for line in lines[lines.index(header) + 1:] if line.count("|") >= 6]
    walked = {(row[0].strip(), row[1].strip()) for row in rows}
    # Chinese titles: the bench runs with the app's translations, as a person sees it.
    for user, screen in (
        ("head", "window + 工作台"), ("head", "统计"), ("head", "统计 › 分级情况表"), ("head", "公示"),
        ("head", "审计日志"), ("head", "组织机构 › 调解员"), ("clerk", "window + 受理登记"),
        ("mediator", "我承办的案件"),
    ):
        assert (user, screen) in walked, (user, screen, sorted(walked))
    for user in ("head", "clerk", "mediator"):
        screens = {screen for who, screen in walked if who == user}
        assert any(s.startswith("案件 › big case #") for s in screens), (user, screens)
        assert any("ordinary case › " in s for s in screens), (user, screens)
        assert any(s.startswith("案件 › filter state") for s in screens), (user, screens)
    assert any(screen.startswith("登记 › type-ahead") for _u, screen in walked)
    for row in rows:
        assert float(row[3]) >= 0 and float(row[4]) >= 0, row  # ms to data, worst stall
        assert "TIMEOUT" not in row[-1], row
    stalls = [float(row[4]) for row in rows]
    assert stalls == sorted(stalls, reverse=True)  # worst first
    assert any(line.endswith("timed out") for line in lines)


@pytest.mark.slow
def test_the_dialogs_bench_opens_each_dialog_by_its_button_and_saves(small_demo: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "dialogs.py"), "--source", str(small_demo),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--users", "clerk,mediator,head", "--timeout", "60"],
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
    for row in rows:
        assert float(row[3]) >= 0 and float(row[4]) >= 0, row
        assert "TIMEOUT" not in row[-1], row
    stalls = [float(row[4]) for row in rows]
    assert stalls == sorted(stalls, reverse=True)
    # The booking was saved into the copy, not the source.
    import sqlite3

    def sessions(path: Path) -> int:
        with sqlite3.connect(path) as connection:
            return int(connection.execute("SELECT count(*) FROM mediation_session").fetchone()[0])

    assert sessions(tmp_path / "copy" / "demo.sqlite3") > sessions(small_demo)
