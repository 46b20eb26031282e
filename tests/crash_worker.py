"""The crash-safety harness: a writer process killed with SIGKILL at random moments.

``python -m tests.crash_worker DB_PATH`` is a *zygote*: it imports the app once (seconds on a busy
machine), then for each line ``go ROUND SEED`` read from stdin it forks a writer. The writer opens
the SQLite database afresh (recovering whatever the last killed writer left: WAL, hot journal) and
loops: register a case with two parties, attach a file, accept the case. It prints an
acknowledgement line to stdout only after the commit of that write has returned:

    ack ROUND case NUMBER APPLICANT RESPONDENT
    ack ROUND file NUMBER SHA256
    ack ROUND accept NUMBER

The zygote reports ``pid ROUND PID`` when the writer starts and ``dead ROUND STATUS`` when it is
gone, so the parent (:func:`run_rounds`) kills the writer itself — a real process crash, in the
middle of whatever SQLite was doing — and reads every acknowledgement the writer got out before
it. Forking from a zygote that never opened the database keeps a round at ~0.1 s instead of the
interpreter's start-up time, which is what makes hundreds of kills affordable.

:func:`verify` then reopens the database as the app does and checks that every acknowledged
case, party, file and acceptance is there, that ``PRAGMA integrity_check`` says ok and that
``db.check_schema`` passes. Used by ``tests/test_crash_safety.py`` and ``bench/crash_soak.py``.
"""

from __future__ import annotations

import hashlib
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediation_desk.db import Database

ROOT = Path(__file__).resolve().parent.parent
CLERK = "crash-clerk"


# --------------------------------------------------------------------------- the writer (child)


def _ack(line: str) -> None:
    # One write(2) of less than PIPE_BUF bytes: atomic on the pipe, never half a line.
    os.write(1, (line + "\n").encode("utf-8"))


def _ids(db: Database) -> tuple[int, int]:
    """A dispute type and the clerk's user id (looked up once, in the zygote)."""
    from sqlalchemy import select

    from mediation_desk.models import DisputeType, User

    with db.read() as session:
        type_id = session.scalars(select(DisputeType.id).order_by(DisputeType.id).limit(1)).one()
        user_id = session.scalars(select(User.id).where(User.username == CLERK)).one()
    return type_id, user_id


def _writer(db: Database, ids: tuple[int, int], round_no: int, seed: int,
            limit: int = 0) -> None:  # pragma: no cover - in the fork
    from mediation_desk.models import AttachmentKind, DisputeCase, PartyRole, Role
    from mediation_desk.services import attachments, cases, workflow
    from mediation_desk.services.actor import Actor

    rng = random.Random(seed)
    type_id, user_id = ids
    # The intake clerk prepare() made (no password check here: argon2 would cost more than a round).
    actor = Actor(user_id=user_id, username=CLERK, display_name="崩溃测试受理员", role=Role.INTAKE)
    n = 0
    while not limit or n < limit:
        n += 1
        applicant, respondent = f"申请人{round_no}-{n}", f"被申请人{round_no}-{n}"
        data = cases.CaseInput(
            title=f"崩溃测试第{round_no}轮第{n}件", dispute_type_id=type_id,
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name=applicant),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent)],
            facts="写入过程中随时可能被强行终止。" * rng.randint(1, 20), requests=["恢复通行"])
        with db.write() as session:
            case_id = cases.register_case(session, actor, data)
            number = session.get_one(DisputeCase, case_id).number
        _ack(f"ack {round_no} case {number} {applicant} {respondent}")
        content = rng.randbytes(rng.choice((512, 4096, 40_000, 300_000)))
        with db.write() as session:
            info = attachments.add_document(session, actor, case_id, kind=AttachmentKind.EVIDENCE,
                                            filename=f"证据{n}.bin", content=content)
        _ack(f"ack {round_no} file {number} {info.sha256}")
        with db.write() as session:
            workflow.transition(session, actor, case_id, workflow.Action.ACCEPT)
        _ack(f"ack {round_no} accept {number}")


def zygote(db_path: str) -> None:  # pragma: no cover - runs as the subprocess
    from mediation_desk.db import Database

    db = Database(f"sqlite:///{db_path}", create=False)
    # Warm up before forking — imports, mapper configuration, the engine's compiled statements —
    # with one unacknowledged pass of the writer (round 0), then close every connection: a fork
    # must never share an open SQLite connection with its parent; each opens its own.
    saved = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        ids = _ids(db)
        _writer(db, ids, 0, 0, limit=1)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    db.dispose()
    _ack("ready")
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] != "go":
            break
        round_no, seed = int(words[1]), int(words[2])
        pid = os.fork()
        if pid == 0:
            try:
                _writer(db, ids, round_no, seed)
            except BaseException as error:  # a writer that stops on its own is a failure
                _ack(f"error {round_no} {type(error).__name__}: {error}".replace("\n", " ")[:400])
            finally:
                os._exit(3)
        _ack(f"pid {round_no} {pid}")
        _, status = os.waitpid(pid, 0)
        _ack(f"dead {round_no} {status}")


# --------------------------------------------------------------------------- the parent


def prepare(db_path: Path) -> None:
    """A fresh database at the current schema with the standard dispute types."""
    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import Role, User
    from mediation_desk.services import reference

    db = Database(f"sqlite:///{db_path}")
    upgrade(db, backup=False)
    with db.write() as session:
        reference.ensure_dispute_types(session)
        # An account to act as; it never logs in, so its password hash is only a placeholder.
        session.add(User(username=CLERK, display_name="崩溃测试受理员", role=Role.INTAKE, password_hash="!"))
    db.dispose()


@dataclass
class Acks:
    cases: dict[str, tuple[str, str]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)

    def take(self, words: list[str]) -> None:
        kind, number = words[2], words[3]
        if kind == "case":
            self.cases[number] = (words[4], words[5])
        elif kind == "file":
            self.files.setdefault(number, []).append(words[4])
        elif kind == "accept":
            self.accepted.add(number)

    @property
    def count(self) -> int:
        return len(self.cases) + sum(len(v) for v in self.files.values()) + len(self.accepted)


@dataclass
class Figures:
    kills: int = 0
    seconds: float = 0.0
    lost: list[str] = field(default_factory=list)
    integrity: str = ""
    acks: Acks = field(default_factory=Acks)


class _Lines:
    """Lines of the zygote's stdout, with a timeout (the writer may print nothing before a kill)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self.fd = process.stdout.fileno()
        self.buffer = b""

    def next(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError("崩溃测试的子进程没有响应")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError("崩溃测试的子进程已退出")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")


def run_rounds(db_path: Path, rounds: int, *, seed: int = 8, delay: tuple[float, float] = (0.01, 0.2),
               check_every: int = 0, until: Callable[[Figures], bool] | None = None,
               most: int | None = None) -> Figures:
    """``rounds`` writers, each killed with SIGKILL after a random ``delay``; then :func:`verify`.

    ``until``: more rounds, up to ``most`` in all, while it says the writers have not yet done
    enough work between kills: the delay is wall-clock time, so on a loaded machine a writer reaches
    fewer commits before its kill (200 rounds acknowledged 22 cases at load 6.5, ~80 when quiet)."""
    rng = random.Random(seed)
    figures = Figures()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "tests.crash_worker", str(db_path)], cwd=ROOT, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None
    lines = _Lines(process)
    started = time.monotonic()
    try:
        if lines.next(120) != "ready":
            raise RuntimeError("崩溃测试的子进程未能启动")
        round_no = 0
        while round_no < rounds or (until is not None and not until(figures) and round_no < (most or rounds)):
            round_no += 1
            process.stdin.write(f"go {round_no} {rng.randrange(1 << 30)}\n".encode())
            process.stdin.flush()
            first = lines.next(30).split()
            assert first[:2] == ["pid", str(round_no)], first
            pid = int(first[2])
            # Let the writer get going (opening the database costs ~20 ms), then kill it wherever it is.
            # The delay is stretched by the machine's load: the same share of the writer's work falls
            # before a kill on a loaded machine (at load 8 on 2 cores, 800 rounds of the unstretched
            # delay acknowledged 74 writes, too few for the test to prove anything).
            time.sleep(rng.uniform(*delay) * _load_stretch())
            try:
                os.kill(pid, signal.SIGKILL)
                figures.kills += 1
            except ProcessLookupError:  # it stopped on its own: its error line follows
                pass
            while True:
                words = lines.next(30).split()
                if words[0] == "ack":
                    figures.acks.take(words)
                elif words[0] == "error":
                    raise RuntimeError("写入进程自行出错：" + " ".join(words[2:]))
                elif words[0] == "dead":
                    status = int(words[2])
                    if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                        raise RuntimeError(f"第 {round_no} 轮的写入进程不是被 SIGKILL 终止的（状态 {status}）")
                    break
            if check_every and round_no % check_every == 0:
                _check_into(db_path, figures)
                if figures.lost:
                    break
    finally:
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
    figures.seconds = time.monotonic() - started
    _check_into(db_path, figures)
    return figures


def _load_stretch() -> float:
    """How many times slower than an idle machine a process runs now: the runnable processes per
    core over the last minute (at least 1, at most 8)."""
    return min(max(os.getloadavg()[0] / (os.cpu_count() or 1), 1.0), 8.0)


def _check_into(db_path: Path, figures: Figures) -> None:
    lost, integrity = verify(db_path, figures.acks)
    figures.lost = lost
    figures.integrity = integrity


def verify(db_path: Path, acks: Acks) -> tuple[list[str], str]:
    """What of the acknowledged work is missing (empty: nothing), and the integrity check's answer."""
    from sqlalchemy import select

    from mediation_desk.db import Database, check_schema
    from mediation_desk.models import Attachment, CaseState, DisputeCase, FileBlob, Party, PartyRole

    with sqlite3.connect(db_path) as raw:
        integrity = "; ".join(row[0] for row in raw.execute("PRAGMA integrity_check"))
    db = Database(f"sqlite:///{db_path}", create=False)
    try:
        check_schema(db)
        lost: list[str] = []
        with db.read() as session:
            found = {c.number: c for c in session.scalars(select(DisputeCase))}
            parties: dict[int, dict[PartyRole, str]] = {}
            for p in session.scalars(select(Party)):
                parties.setdefault(p.case_id, {})[p.role] = p.name
            stored: dict[int, dict[str, str]] = {}
            for case_id, digest, content in session.execute(
                    select(Attachment.case_id, Attachment.sha256, FileBlob.content)
                    .join(FileBlob, FileBlob.sha256 == Attachment.sha256)):
                stored.setdefault(case_id, {})[digest] = hashlib.sha256(content).hexdigest()
        for number, (applicant, respondent) in acks.cases.items():
            case = found.get(number)
            if case is None:
                lost.append(f"案件 {number} 丢失")
                continue
            names = parties.get(case.id, {})
            if names.get(PartyRole.APPLICANT) != applicant or names.get(PartyRole.RESPONDENT) != respondent:
                lost.append(f"案件 {number} 的当事人不完整：{names}")
        for number, digests in acks.files.items():
            case = found.get(number)
            files = stored.get(case.id, {}) if case is not None else {}
            for digest in digests:
                if files.get(digest) != digest:
                    lost.append(f"案件 {number} 的附件 {digest[:12]}… 丢失或内容不符")
        for number in acks.accepted:
            case = found.get(number)
            if case is None or case.state is not CaseState.ACCEPTED:
                lost.append(f"案件 {number} 的受理丢失")
        return lost, integrity
    finally:
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    zygote(sys.argv[1])
