"""bench/screens.py (issue 20.3: every screen a person reaches, as each role, timed to its data with
the GUI thread's worst stall) keeps running as the code moves, and walks what it says it walks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .benchwalk import QUIET, ROOT, bench_env, shared_small_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_small_demo(tmp_path_factory)


@pytest.mark.slow
def test_the_screens_bench_walks_every_role_on_a_small_demo(demo: Path, tmp_path: Path) -> None:
    env = bench_env(tmp_path / "home")
    source = demo
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "screens.py"), "--source", str(source),
         "--copy", str(tmp_path / "copy" / "demo.sqlite3"), "--users", "head,clerk,mediator",
         "--timeout", "60", "--quiet", QUIET],
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
    assert any(who == "head" and screen.startswith("公示 › Ctrl+End (last row ") for who, screen in walked)
    assert "the last row shows '…'" not in result.stdout  # the jump's read arrived within the step
    for row in rows:
        assert float(row[3]) >= 0 and float(row[4]) >= 0, row  # ms to data, worst stall
        assert "TIMEOUT" not in row[-1], row
    stalls = [float(row[4]) for row in rows]
    assert stalls == sorted(stalls, reverse=True)  # worst first
    assert any(line.endswith("timed out") for line in lines)
