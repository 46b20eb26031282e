"""``audit verify``/``audit list``/``audit purge``, ``backup`` and ``restore`` on the command line.

The commands are run through a parser built like ``cli.build_parser`` builds its own, with the
same error handling as ``cli.main``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediation_desk.cli import admin as cli_admin
from mediation_desk.cli.context import CliError
from mediation_desk.db import Database, DatabaseError, backup_sqlite
from mediation_desk.models import AuditEntry, DisputeCase, Role
from mediation_desk.services.errors import ServiceError

from .services.audit_tampering import tampering
from .services.helpers import PASSWORD, make_user, register


def run(argv: Sequence[str], as_user: str = "admin") -> int:
    """The command signed in as ``as_user`` (every one of these needs a login; the test databases'
    accounts all have the password ``PASSWORD``, given on stdin)."""
    parser = argparse.ArgumentParser(prog="mediation-desk")
    parser.add_argument("--database")
    sub = parser.add_subparsers(dest="command")
    cli_admin.register(sub)
    args = parser.parse_args([*argv, "--as", as_user, "--password-stdin"])
    stdin, sys.stdin = sys.stdin, io.StringIO(f"{PASSWORD}\n")
    try:
        result: int = args.func(args)
        return result
    except (ServiceError, DatabaseError, CliError) as exc:
        print(f"错误：{exc}")
        return 2
    finally:
        sys.stdin = stdin


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_audit_verify_ok_then_names_the_edited_row(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    make_user(db, "admin", Role.ADMIN)
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk)
    with db.read() as session:
        count = len(session.scalars(select(AuditEntry.id)).all())
        victim = session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)).one()
    assert run(["--database", url_of(db), "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"审计日志完整：共 {count} 条"
    with tampering(db) as connection:  # on a server: a superuser with the audit triggers off
        connection.execute(text("UPDATE audit_entry SET action = 'nothing' WHERE id = :id"), {"id": victim.id})
    assert run(["--database", url_of(db), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"记录编号 {victim.id}" in out and f"{victim.at:%Y-%m-%d %H:%M:%S}" in out and "操作 nothing" in out


def test_audit_list_filters_and_json(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    make_user(db, "admin", Role.ADMIN)
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk)
    assert run(["--database", url_of(db), "audit", "list", "--user", "clerk", "--action", "login", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["entries"][0]["action"] == "login"
    assert data["entries"][0]["workstation"]
    assert run(["--database", url_of(db), "audit", "list", "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "登录" in out and "最新的在前" in out
    # The object is named as the audit screen names it, never as the machine key ("case#3").
    registered = next(line for line in out.splitlines() if "登记案件" in line)
    assert "\t案件 #" in registered and "case#" not in out
    assert run(["--database", url_of(db), "audit", "list", "--since", "2199-01-01"]) == 0
    assert "共 0 条" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run(["--database", url_of(db), "audit", "list", "--since", "昨天"])


def test_audit_purge_refuses_less_than_180_days(sqlite_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    make_user(sqlite_db, "admin", Role.ADMIN)
    assert run(["--database", url_of(sqlite_db), "audit", "purge", "--keep-days", "30"]) == 2
    assert "至少保留 180 天" in capsys.readouterr().out
    assert run(["--database", url_of(sqlite_db), "audit", "purge"]) == 0
    assert "无需清理" in capsys.readouterr().out


def test_backup_and_restore_commands(sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="备份里的案件")
    folder = tmp_path / "out"
    assert run(["--database", url_of(sqlite_db), "backup", "--to", str(tmp_path / "missing")]) == 2
    assert "不存在" in capsys.readouterr().out
    folder.mkdir()
    assert run(["--database", url_of(sqlite_db), "backup", "--to", str(folder)]) == 0
    assert "数据库已备份" in capsys.readouterr().out
    (saved,) = folder.glob("*-manual.sqlite3")
    register(sqlite_db, clerk, title="之后的案件")
    # Without --yes and without a terminal to ask on, nothing happens.
    assert run(["--database", url_of(sqlite_db), "restore", str(saved)]) == 2
    assert "--yes" in capsys.readouterr().out
    assert run(["--database", url_of(sqlite_db), "restore", str(saved), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "备份文件检查通过" in out and "恢复前的数据库已另存为" in out
    with sqlite_db.read() as session:
        assert list(session.scalars(select(DisputeCase.title))) == ["备份里的案件"]


def test_restore_refuses_damaged_and_newer_backups(sqlite_db: Database, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    make_user(sqlite_db, "admin", Role.ADMIN)
    newer = backup_sqlite(sqlite_db, target_dir=tmp_path)
    with contextlib.closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
        conn.commit()
    assert run(["--database", url_of(sqlite_db), "restore", str(newer), "--yes"]) == 2
    assert "比本程序" in capsys.readouterr().out
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    assert run(["--database", url_of(sqlite_db), "restore", str(junk), "--yes"]) == 2
    assert "损坏" in capsys.readouterr().out
    assert not list(tmp_path.glob("*before-restore*"))


def test_audit_verify_names_truncation_against_the_anchor_kept_outside(
        db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    from mediation_desk.services import audit

    make_user(db, "admin", Role.ADMIN)
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk)
    with db.read() as session:
        newest = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        anchor = audit.anchor(session, clerk, f"{newest.at:%Y-%m}")
    assert anchor is not None
    assert run(["--database", url_of(db), "audit", "verify"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "已对照 1 个库外锚点" in lines and f"链头：序号 {anchor.seq}，MAC {anchor.mac}" in lines
    with tampering(db) as connection:  # on a server: a superuser with the audit triggers off
        connection.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": anchor.seq})
    assert run(["--database", url_of(db), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"序号 {anchor.seq} 在库中不存在" in out and "Traceback" not in out
