"""``python -m mediation_desk --self-test`` in a fresh process with its own home: exit code, the
report on standard output and the copy in the data folder; and a failing check fails it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mediation_desk import self_test

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm catalogs, built by the same tool the setup and build-linux run."""
    out = tmp_path_factory.mktemp("qm")
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_translations.py"), "--out-dir", str(out)],
                   check=True, capture_output=True, text=True)
    return out


EXPECTED_CHECKS = ["database", "pdf_fonts", "qt_fonts", "translations", "keyring", "qt_modules", "libraries"]


def run_self_test(home: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    environment.update({"HOME": str(home), "MEDIATION_DESK_HOME": str(home / "md"), **(env or {})})
    return subprocess.run([sys.executable, "-m", "mediation_desk", "--self-test", *extra], capture_output=True,
                          text=True, env=environment, timeout=180, check=False, cwd=home)


def test_self_test_passes_on_a_fresh_home_and_writes_its_report(tmp_path: Path, qm_dir: Path) -> None:
    resources = tmp_path / "resources"
    root = ROOT / "resources"
    resources.mkdir()
    (resources / "fonts").symlink_to(root / "fonts")
    (resources / "i18n").symlink_to(qm_dir)
    result = run_self_test(tmp_path, env={"MEDIATION_DESK_RESOURCES": str(resources)})
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["passed"] is True
    assert report["qt_platform"] == "offscreen"  # no display: it chose offscreen by itself
    assert [c["name"] for c in report["checks"]] == EXPECTED_CHECKS
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert all(status in ("ok", "warn") for status in statuses.values()), statuses
    assert statuses["keyring"] in ("ok", "warn")
    assert all(statuses[name] == "ok" for name in EXPECTED_CHECKS if name != "keyring"), statuses
    details = {c["name"]: c["detail"] for c in report["checks"]}
    assert "临时 SQLite" in details["database"] and "0 件" in details["database"]
    assert "用户名" in details["translations"]
    saved = list((tmp_path / "md" / "data").glob("self-test-*.json"))
    assert len(saved) == 1 and json.loads(saved[0].read_text(encoding="utf-8")) == report
    assert not (tmp_path / "md" / "data" / "mediation-desk.sqlite3").exists()  # it made no database
    assert "自检通过" in result.stderr


def test_self_test_fails_without_translations(tmp_path: Path) -> None:
    resources = tmp_path / "resources"
    resources.mkdir()
    (resources / "fonts").symlink_to(ROOT / "resources" / "fonts")
    (resources / "i18n").mkdir()  # no .qm: a broken installation
    result = run_self_test(tmp_path, env={"MEDIATION_DESK_RESOURCES": str(resources)})
    assert result.returncode == 1
    report = json.loads(result.stdout)
    failed = [c["name"] for c in report["checks"] if c["status"] == "fail"]
    assert failed == ["translations"]
    assert "自检未通过" in result.stderr


def test_self_test_refuses_a_database_newer_than_the_program(tmp_path: Path) -> None:
    from mediation_desk.db import Database, upgrade

    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    database = Database(url)
    upgrade(database)
    with database.writer.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    database.dispose()
    check = self_test._run("database", lambda: self_test.check_database(url))
    assert check.status == "fail" and "比本程序新" in check.detail
