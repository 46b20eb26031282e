"""Crash safety: a writer killed with SIGKILL loses nothing it acknowledged; a full disk during a
save gives a clear message and leaves a database that opens and passes ``integrity_check``.

The kill harness is ``tests/crash_worker.py`` (``bench/crash_soak.py`` runs it for ≥ 1,000 kills).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediation_desk.db import DISK_FULL_MESSAGE, Database, DiskFull, check_schema, upgrade
from mediation_desk.models import Attachment, AttachmentKind, DisputeCase, PartyRole, Role
from mediation_desk.services import attachments, cases, reference
from mediation_desk.services.actor import Actor
from tests import crash_worker

KILLS = 200


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    crash_worker.prepare(path)
    def enough_work(figures: crash_worker.Figures) -> bool:
        # The writer got real work done between kills, and some kills hit it mid-loop: a test
        # whose writer never reached a commit would prove nothing.
        files = sum(len(v) for v in figures.acks.files.values())
        return (len(figures.acks.cases) >= KILLS // 5 and files >= KILLS // 10
                and len(figures.acks.accepted) >= KILLS // 10)

    figures = crash_worker.run_rounds(path, KILLS, seed=20261122, check_every=50, until=enough_work, most=4 * KILLS)
    assert figures.kills >= KILLS
    assert figures.lost == []
    assert figures.integrity == "ok"
    assert enough_work(figures), (figures.kills, figures.acks.count)
    # Every acknowledged write is still there after the last kill, seen by a fresh process's eyes.
    lost, integrity = crash_worker.verify(path, figures.acks)
    assert (lost, integrity) == ([], "ok")


def test_verify_notices_a_lost_case(tmp_path: Path) -> None:
    """The check itself can fail: an acknowledgement the database lacks is reported."""
    path = tmp_path / "crash.sqlite3"
    crash_worker.prepare(path)
    acks = crash_worker.Acks()
    acks.take(["ack", "1", "case", "（2026）甘矛调字第9999号", "张三", "李四"])
    acks.take(f"ack 1 file （2026）甘矛调字第9999号 {'0' * 64}".split())
    lost, integrity = crash_worker.verify(path, acks)
    assert integrity == "ok"
    assert len(lost) == 2 and "9999" in lost[0]


# --------------------------------------------------------------------------- a full disk


@contextlib.contextmanager
def _small_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("需要 root 权限挂载 tmpfs 才能模拟磁盘已满")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                            check=False, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"不能挂载 tmpfs（{result.stderr.strip() or result.returncode}），无法模拟磁盘已满")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_during_a_save_gives_a_clear_message_and_a_sound_database(tmp_path: Path) -> None:
    with _small_tmpfs(tmp_path / "small", "3m") as disk:
        path = disk / "desk.sqlite3"
        db = Database(f"sqlite:///{path}")
        upgrade(db, backup=False)
        with db.write() as session:
            reference.ensure_dispute_types(session)
            from mediation_desk.models import DisputeType, User

            session.add(User(username="clerk", display_name="受理员", role=Role.INTAKE, password_hash="!"))
            session.flush()
            clerk = Actor(user_id=session.query(User.id).filter_by(username="clerk").scalar(), username="clerk",
                          display_name="受理员", role=Role.INTAKE)
            type_id = session.query(DisputeType.id).order_by(DisputeType.id).limit(1).scalar()
        data = cases.CaseInput(title="磁盘已满测试", dispute_type_id=type_id, parties=[
            cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
            cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")])
        with db.write() as session:
            case_id = cases.register_case(session, clerk, data)
        small = os.urandom(20_000)
        with db.write() as session:
            attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                     filename="小文件.bin", content=small)

        # A scan bigger than the free space left: the save fails with the message, nothing half-saved.
        big = os.urandom(4 * 1024 * 1024)
        with pytest.raises(DiskFull) as refused, db.write() as session:
            attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                     filename="大文件.bin", content=big)
        assert str(refused.value) == DISK_FULL_MESSAGE
        assert DISK_FULL_MESSAGE == "磁盘空间已满，本次保存未完成，已保存的数据未受影响。请清理磁盘后重试。"
        db.dispose()

        # The database still opens, passes its checks and holds everything saved before.
        with contextlib.closing(sqlite3.connect(path)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        again = Database(f"sqlite:///{path}", create=False)
        check_schema(again)
        with again.read() as session:
            assert session.get(DisputeCase, case_id) is not None
            stored = {a.filename: a.sha256 for a in session.query(Attachment).filter_by(case_id=case_id)}
        assert stored == {"小文件.bin": hashlib.sha256(small).hexdigest()}
        # And a small save still goes through once the failed one is out of the way.
        with again.write() as session:
            attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                     filename="再试.bin", content=b"x" * 1000)
        again.dispose()
