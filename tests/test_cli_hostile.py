"""Hostile command lines: every argument the command cannot use ends in exit status 2 with one
Chinese message on stderr — never a traceback, never a password, never a file or a row written."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import BinaryIO

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from mediation_desk import cli, demo, settings
from mediation_desk.cli.args import failure_message
from mediation_desk.db import Database
from mediation_desk.files import TargetRefused, check_target, write_atomically
from mediation_desk.models import AuditEntry, Base, Role
from mediation_desk.readmodels.masking import scrub
from mediation_desk.services import audit

from . import cli_run

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PASSWORD = "S3cret-pw"


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """``mediation-desk ARGV`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def run_cli(*args: str | bytes, env: dict[str, str] | None = None,
            preexec: Callable[[], None] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``mediation-desk ARGS`` in a subprocess; ``stdin`` (e.g. the password of ``--as``) or none."""
    full_env = dict(os.environ)
    full_env["MEDIATION_DESK_TEST_CHEAP_HASHING"] = "1"
    full_env.update(env or {})
    if stdin is not None:
        return subprocess.run([sys.executable, "-m", "mediation_desk", *args], capture_output=True, text=True,
                              errors="backslashreplace", env=full_env, timeout=300, check=False,
                              preexec_fn=preexec, input=stdin)
    return subprocess.run([sys.executable, "-m", "mediation_desk", *args], capture_output=True, text=True,
                          errors="backslashreplace", env=full_env, timeout=300, check=False,
                          preexec_fn=preexec, stdin=subprocess.DEVNULL)


#: The login of a command that needs one (issue 17): the demo center's head, password on stdin.
LOGIN = ("--as", "head", "--password-stdin")


def files_of(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` but SQLite's own -wal/-shm, with a hash of its content (the
    database file itself by name only: its rows are compared by :func:`row_counts`)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", "-journal")):
            seen[str(path.relative_to(folder))] = (
                "db" if path.suffix == ".sqlite3" else hashlib.sha256(path.read_bytes()).hexdigest())
    return seen


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
                for t in Base.metadata.sorted_tables}


def refusals_since(db: Database, count: int) -> list[str]:
    """The refused-access entries among the audit entries after the first ``count``."""
    with db.read() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id).offset(count)).all()
    return [a for a in actions if a == audit.REFUSAL_ACTION]


@pytest.fixture
def center(db: Database) -> Iterator[Database]:
    """A small demo center on each backend."""
    with db.write() as session:
        demo.seed(session, 12)
    yield db


def hostile_commands(tmp: Path) -> list[list[str]]:
    pdf = str(tmp / "out" / "a.pdf")
    return [
        # numbers: huge, negative, not numbers
        ["case", "list", "--limit", "99999999999999999999999"],
        ["case", "list", "--limit", "-1"],
        ["case", "list", "--limit", "0"],
        ["case", "list", "--limit", "1e3"],
        ["case", "list", "--limit", "1_0"],
        ["case", "list", "--limit", "٣"],
        ["case", "list", "--limit", "9" * 5000],
        ["demo", "--cases", "-1"],
        ["demo", "--cases", "99999999999"],
        ["demo", "--seed", "-1"],
        ["search", "张", "--limit", "99999999999999999999"],
        ["search", "张", "--offset", "-1"],
        ["search", "张", "--offset", "999999999999999999999"],
        ["audit", "list", "--limit", "-5"],
        ["audit", "purge", "--keep-days", "99999999999999"],
        ["audit", "purge", "--keep-days", "-180"],
        ["audit", "purge", "--keep-days", "30"],
        ["calendar", "add", "2026-01-05", "999999999999999999999"],
        ["calendar", "add", "2026-01-05", "100000"],
        ["import-packet", str(tmp / "x.zip"), "--max-size", "1e400G"],
        ["import-packet", str(tmp / "x.zip"), "--max-size", "-5"],
        ["import-packet", str(tmp / "x.zip"), "--max-size", "nanG"],
        ["import-packet", str(tmp / "x.zip"), "--max-size", "99999999999G"],
        ["doc", "agreement", "（2026）甘矛调字第0001号", "--out", pdf, "--id", "99999999999999999999"],
        ["doc", "agreement", "（2026）甘矛调字第0001号", "--out", pdf, "--id", "-1"],
        # dates and months
        ["calendar", "add", "9999-12-31", "5"],
        ["calendar", "add", "0001-01-01", "-5"],
        ["calendar", "add", "2026-02-30", "1"],
        ["calendar", "add", "2026-W01-1", "1"],
        ["calendar", "between", "2026-01-01", "99999-01-01"],
        ["calendar", "set", "9999-12-31", "春节"],
        ["audit", "list", "--since", "9999-12-31"],
        ["audit", "list", "--until", "9999-12-31"],
        ["retention", "run", "--today", "9999-12-31"],  # no such option any more (issue 17)
        ["retention", "run", "--to", str(tmp / "out"), "--dry-run"],  # no login: refused
        ["publicity", "--month", "9999-12", "--out", pdf],
        ["publicity", "--month", "2026-13", "--out", pdf],
        ["publicity", "--month", "0000-01", "--out", pdf],
        ["report", "monthly", "--month", "10000-01", "--out", pdf],
        ["report", "monthly", "--month", "2026-10", "--out", pdf, "--submitted-on", "9999-12-31"],
        ["report", "monthly", "--month", "2026-10", "--out", str(tmp / "out" / "a.txt")],
        # text: surrogates, control characters, empty, too long
        ["user", "add", "\udcff\udcfe", "--name", "王", "--role", "intake", "--password-stdin"],
        ["user", "add", "wang", "--name", "王\n伟", "--role", "intake", "--password-stdin"],
        ["user", "add", "wang", "--name", "王\u202e伟", "--role", "intake", "--password-stdin"],
        ["user", "add", "wang", "--name", "", "--role", "intake", "--password-stdin"],
        ["user", "add", "w" * 500, "--name", "王", "--role", "intake", "--password-stdin"],
        ["user", "add", "wang", "--name", "王", "--role", "god", "--password-stdin"],
        ["user", "add", "wang", "--name", "王", "--role", "intake", "--center", "甘\n调", "--password-stdin"],
        ["user", "add", "wang", "--name", "王", "--role", "intake", "--center", "\udcff", "--password-stdin"],
        ["user", "add", "wang", "--name", "王", "--role", "admin", "--first-admin", "--center", "没有这个前缀",
         "--password-stdin"],
        ["calendar", "set", "2026-10-01", "国庆\x1b[31m"],
        ["case", "show", "\udcff"],
        ["case", "act", "（2026）甘矛调字第0001号", "accept", "--as", "head", "--note", "\ud800"],
        ["search", "\udce4\udcb8"],
        ["mask", "id", "\udcff"],
        ["check", "id", "11010519491231002\x00X"[:17] + "\x07"],
        # files: a device, a folder, a missing folder, surrogates in a name
        ["doc", "agreement", "（2026）甘矛调字第0001号", "--out", "/dev/null"],
        ["doc", "agreement", "（2026）甘矛调字第0001号", "--out", str(tmp)],
        ["doc", "agreement", "（2026）甘矛调字第0001号", "--out", str(tmp / "nowhere" / "a.pdf")],
        ["export", "（2026）甘矛调字第0001号", "--to", "court", "--target-name", "法院", "--out", "/dev/null",
         "--claim", "判令被申请人赔偿损失"],
        ["export", "（2026）甘矛调字第0001号", "--to", "court", "--target-name", "法院", "--out", str(tmp),
         "--claim", "判令被申请人赔偿损失"],
        ["publicity", "--month", "2026-10", "--out", str(tmp)],
        ["publicity", "--month", "2026-10", "--html", "/dev/null", "--as", "head", "--password-stdin"],
        ["publicity", "--month", "2026-10", "--html", str(tmp / "nowhere" / "web"), "--as", "head",
         "--password-stdin"],
        ["publicity", "--month", "2026-10", "--html", str(tmp / "\udcff"), "--as", "head", "--password-stdin"],
        ["publicity", "--month", "2026-10", "--html", str(tmp), "--out", pdf],
        ["report", "monthly", "--month", "2026-10", "--out", "/dev/zero"],
        ["import-cases", str(tmp / "none.csv")],
        ["import-cases", str(tmp / "\udcff.csv")],
        ["restore", str(tmp / "none.sqlite3"), "--yes"],
        ["backup", "--to", str(tmp / "nowhere")],
        # the parser itself
        ["bogus"],
        ["case"],
        ["case", "list", "--limit"],
        ["case", "list", "--unknown"],
        ["--dat", "x", "case", "list"],
        ["case", "act", "（2026）甘矛调字第0001号", "fly", "--as", "head"],
        ["case", "act", "（2026）甘矛调字第0001号", "accept"],
        ["user", "add"],
    ]


def check_refused(code: int, out: str, err: str, argv: list[str]) -> list[str]:
    problems = []
    if code != 2:
        problems.append(f"exit {code}")
    if not CHINESE.search(err):
        problems.append("no Chinese message on stderr")
    if "Traceback" in err + out:
        problems.append("traceback")
    if PASSWORD in err + out:
        problems.append("password shown")
    return [f"{argv!r}: {p} — {err.strip()[-300:]!r}" for p in problems]


def test_every_hostile_argument_is_refused_in_chinese(center: Database, tmp_path: Path) -> None:
    url = center.url.render_as_string(hide_password=False)
    (tmp_path / "out").mkdir()
    before_files, before_rows = files_of(tmp_path), row_counts(center)
    failures = []
    for argv in hostile_commands(tmp_path):
        code, out, err = run_in_process(["--database", url, *argv])
        failures += check_refused(code, out, err, argv)
        rows = row_counts(center)
        # A refused access leaves its one audit entry (issue 17 item 3), and nothing else.
        added = refusals_since(center, before_rows["audit_entry"])
        if files_of(tmp_path) != before_files or {**rows, "audit_entry": 0} != {**before_rows, "audit_entry": 0} \
                or rows["audit_entry"] - before_rows["audit_entry"] != len(added) or len(added) > 1:
            failures.append(f"{argv!r}: wrote something")
        before_files, before_rows = files_of(tmp_path), rows
    assert not failures, "\n".join(failures)


def test_argparse_speaks_chinese(tmp_path: Path) -> None:
    code, _out, err = run_in_process(["case", "list", "--unknown"])
    assert code == 2 and "用法：mediation-desk" in err and "无法识别的参数：--unknown" in err
    code, _out, err = run_in_process(["user", "add", "wang"])
    assert code == 2 and "缺少必需的参数：--name, --role" in err
    code, _out, err = run_in_process(["case", "list", "--state", "flying"])
    assert code == 2 and "参数 --state：无效的选择 'flying'（可选：" in err
    code, _out, err = run_in_process(["case", "list", "--limit"])
    assert code == 2 and "参数 --limit：需要一个值" in err
    code, out, _err = run_in_process(["case", "--help"])
    assert code == 0 and out.startswith("用法：") and "显示本帮助并退出" in out and "usage" not in out


# --------------------------------------------------------------------------- databases that fail


def test_a_file_that_is_not_a_database_is_named_and_left_alone(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is a spreadsheet, not a database\n" * 200)
    corrupt = tmp_path / "corrupt.sqlite3"
    with sqlite3.connect(corrupt) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(corrupt.read_bytes())
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)  # the schema page and the next are garbage
    corrupt.write_bytes(bytes(data))
    for path in (junk, corrupt):
        content = path.read_bytes()
        for argv in (["case", "list", *LOGIN], ["db", "upgrade"], ["backup", "--to", str(tmp_path), *LOGIN]):
            # Through the interpreter's entry point in this process (tests/cli_run.py: a new
            # interpreter is seconds of imports), the first one also as a process of its own.
            command = ["--database", f"sqlite:///{path}", *argv]
            if path is junk and argv[0] == "case":
                done = run_cli(*command, stdin=f"{demo.DEMO_PASSWORD}\n")
            else:
                done = cli_run.in_process(command, stdin=f"{demo.DEMO_PASSWORD}\n")
            assert done.returncode == 2, (argv, done.stderr)
            assert "Traceback" not in done.stderr
            assert "已损坏" in done.stderr or "不是矛调工作台的数据库" in done.stderr, done.stderr
            assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.sqlite3", "junk.sqlite3"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_is_down_is_named_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://clerk:{PASSWORD}@127.0.0.1:{_closed_port()}/mediation"
    for argv in (["case", "list", *LOGIN], ["search", "张伟", *LOGIN], ["db", "check"],
                 ["report", "monthly", "--month", "2026-10", "--out", str(tmp_path / "r.pdf"), *LOGIN]):
        # In this process as the interpreter's entry point runs it, the first also as a process.
        if argv[0] == "case":
            done = run_cli("--database", url, *argv, stdin=f"{demo.DEMO_PASSWORD}\n")
        else:
            done = cli_run.in_process(["--database", url, *argv], stdin=f"{demo.DEMO_PASSWORD}\n")
        assert done.returncode == 2, done.stderr
        # Told by cause (the server at host:port refused), the same whichever command met it.
        assert "拒绝连接" in done.stderr and "127.0.0.1" in done.stderr
        assert PASSWORD not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://clerk:{PASSWORD}@[::1/mediation",
    f"postgresql+psycopg://clerk:{PASSWORD}@host:99999/mediation",
    f"postgresql+psycopg://clerk:{PASSWORD}@host:port/mediation",
    f"mysql://clerk:{PASSWORD}@host/mediation",
    f"nonsense://clerk:{PASSWORD}@host/db\udcff",
    f"postgresql://clerk:{PASSWORD}@127.0.0.1:1/db?connect_timeout=abc",
    "sqlite:////dev/null",
    "sqlite:////tmp",
    "sqlite:///",
])
def test_a_malformed_url_is_never_echoed_with_its_password(url: str) -> None:
    code, out, err = run_in_process(["--database", url, "case", "list"])
    assert code == 2 and CHINESE.search(err) and "Traceback" not in err
    assert PASSWORD not in out + err


def test_a_server_that_goes_away_mid_command_gets_a_chinese_message() -> None:
    """What psycopg raises when the server is stopped during a statement."""
    import psycopg

    lost = OperationalError("SELECT 1", {}, psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly"))
    message = failure_message(lost, f"postgresql+psycopg://clerk:{PASSWORD}@db/mediation")
    assert "连接中途断开" in message and PASSWORD not in message and "clerk:***@db" in message


def test_messages_never_show_a_full_id_number_or_phone() -> None:
    line = "第 3 行：身份证号 11010519491231002X 已登记；电话 13812345678；地址 postgresql://u:pw@h/db"
    shown = scrub(line)
    assert "11010519491231002X" not in shown and "110105********002X" in shown
    assert "13812345678" not in shown and "138****5678" in shown
    assert "u:***@h" in shown and ":pw@" not in shown
    assert scrub("案件（2026）甘矛调字第0001号") == "案件（2026）甘矛调字第0001号"


# --------------------------------------------------------------------------- writing files


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_write_that_runs_out_of_space_leaves_the_old_file(demo_sqlite_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = out / "十月统计.pdf"
    old.write_bytes(b"%PDF-1.4 the report printed yesterday")
    url = demo_sqlite_db.url.render_as_string(hide_password=False)
    demo_sqlite_db.dispose()
    done = run_cli("--database", url, "report", "monthly", "--month", "2026-10", "--out", str(old), *LOGIN,
                   preexec=_limit_file_size, stdin=f"{demo.DEMO_PASSWORD}\n")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and CHINESE.search(done.stderr)
    assert old.read_bytes() == b"%PDF-1.4 the report printed yesterday"
    assert [p.name for p in out.iterdir()] == ["十月统计.pdf"]  # no temporary file left


def test_write_atomically_on_a_full_disk(tmp_path: Path) -> None:
    target = tmp_path / "packet.zip"
    target.write_bytes(b"old packet")

    def fill_the_disk(handle: BinaryIO) -> None:
        handle.write(b"half a packet")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        write_atomically(target, fill_the_disk)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert f"磁盘空间不足，文件“{target}”未能写入" in failure_message(caught.value)
    assert target.read_bytes() == b"old packet"
    assert [p.name for p in tmp_path.iterdir()] == ["packet.zip"]


def test_write_atomically_writes_whole_private_files(tmp_path: Path) -> None:
    target = write_atomically(tmp_path / "卷宗.pdf", b"%PDF new")
    assert target.read_bytes() == b"%PDF new"
    assert target.stat().st_mode & 0o777 == 0o600
    write_atomically(target, "替换", private=False)
    assert target.read_text(encoding="utf-8") == "替换"
    assert [p.name for p in tmp_path.iterdir()] == ["卷宗.pdf"]


@pytest.mark.parametrize("target", ["/dev/null", "{tmp}", "{tmp}/missing/a.pdf", "{tmp}/", "{tmp}/new/", "{tmp}/.."])
def test_targets_that_are_not_files_are_refused(target: str, tmp_path: Path) -> None:
    with pytest.raises(TargetRefused, match="--out"):
        check_target(target.format(tmp=tmp_path), "--out")
    with pytest.raises(TargetRefused):
        write_atomically(target.format(tmp=tmp_path), b"x")


def test_the_log_is_readable_by_its_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from mediation_desk.ui import app

    monkeypatch.setenv(settings.HOME_ENV, str(tmp_path))
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        app.configure_logging()
        logging.getLogger("test").warning("张伟（11010519491231002X，13812345678）的案件已保存")
        handler = root.handlers[0]
        handler.close()
        path = Path(handler.baseFilename)  # type: ignore[attr-defined]
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
        logged = path.read_text(encoding="utf-8")
        assert "张伟（110105********002X，138****5678）" in logged and "13812345678" not in logged
    finally:
        root.handlers[:] = saved


def test_surrogate_bytes_on_a_real_command_line(tmp_path: Path) -> None:
    """Bytes that are not UTF-8, as a terminal in GBK would send them."""
    done = subprocess.run([sys.executable, "-m", "mediation_desk", "--database", f"sqlite:///{tmp_path}/x.sqlite3",
                           "search", "张".encode("gbk")], capture_output=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "无法识别的字符" in err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- properties

_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.dates().map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-29", "2026-13", "1e9", "-0", "\udcff", "", "--json",
                     "/dev/null", "（2026）甘矛调字第0001号", "张伟", "2G", "nan"]),
)
_COMMANDS = st.sampled_from([
    ["case", "list"], ["case", "show"], ["search"], ["calendar", "add"], ["calendar", "between"],
    ["audit", "list"], ["mask", "name"], ["mask", "id"], ["user", "list"], ["bogus"],
])  # never no command at all: that opens the app's window
_OPTIONS = st.sampled_from(["--limit", "--offset", "--since", "--until", "--state", "--sort", "--json", "--style",
                            "--user", "--text", "--as", "--unknown", "-h"])


@st.composite
def _argv(draw: st.DrawFn) -> list[str]:
    argv = list(draw(_COMMANDS))
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            argv.append(draw(_OPTIONS))
        argv.append(draw(_VALUES))
    return argv


@hypothesis.settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=_argv())
def test_property_the_parser_accepts_or_refuses_in_chinese(argv: list[str]) -> None:
    parser = cli.build_parser()
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        try:
            parser.parse_args(argv)
        except SystemExit as exited:
            assert exited.code in (0, 2)
            if exited.code == 2:
                assert CHINESE.search(err.getvalue()) and "usage" not in err.getvalue()


@hypothesis.settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=_argv())
def test_property_read_only_commands_exit_0_or_2_in_chinese(argv: list[str], sqlite_db: Database) -> None:
    if "--as" in argv:
        return  # would ask for a password on the terminal
    url = sqlite_db.url.render_as_string(hide_password=False)
    before = row_counts(sqlite_db)
    code, out, err = run_in_process(["--database", url, *argv])
    assert code in (0, 2), (argv, err)
    assert "Traceback" not in out + err
    if code == 2:
        assert CHINESE.search(err), (argv, err)
    # Showing a case records the access; listing and searching record the query (issue 17).
    audited = argv[:2] in (["case", "show"], ["case", "list"]) or argv[:1] == ["search"]
    if not audited:
        assert row_counts(sqlite_db) == before
    else:  # the chain's first entry also names the chain (a center_setting row)
        ignored = {"audit_entry": 0, "center_setting": 0}
        assert {**row_counts(sqlite_db), **ignored} == {**before, **ignored}


@pytest.mark.postgresql
def test_a_server_connection_cut_mid_command(pg_database_url: str) -> None:
    """The command is waiting inside a query when its server connection is terminated (as when
    the server is stopped): one Chinese line, exit 2."""
    import time

    from sqlalchemy import create_engine, text

    from .services.helpers import PASSWORD as USER_PASSWORD
    from .services.helpers import make_user

    database = Database(pg_database_url)
    make_user(database, "head", Role.HEAD)  # the command signs in (issue 17)
    database.dispose()
    url = f"{pg_database_url}?application_name=hostile-cli"
    engine = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as holder, engine.connect() as watcher:
            holder.exec_driver_sql("BEGIN")
            holder.exec_driver_sql("LOCK TABLE dispute_case IN ACCESS EXCLUSIVE MODE")
            env = {**os.environ, "MEDIATION_DESK_TEST_CHEAP_HASHING": "1"}
            with subprocess.Popen([sys.executable, "-m", "mediation_desk", "--database", url, "case", "list", *LOGIN],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE,
                                  text=True, env=env) as process:
                assert process.stdin is not None
                process.stdin.write(f"{USER_PASSWORD}\n")
                process.stdin.close()
                pid = None
                while pid is None and process.poll() is None:  # until the command waits on the lock
                    pid = watcher.execute(text(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = 'hostile-cli' "
                        "AND wait_event_type = 'Lock'")).scalar()
                    if pid is None:
                        time.sleep(0.05)
                assert pid is not None, process.communicate()
                watcher.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                out, err = process.stdout.read() if process.stdout else "", ""
                process.wait(timeout=120)
                err = process.stderr.read() if process.stderr else ""
            holder.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()
    assert process.returncode == 2, err
    # pg_terminate_backend is what an administrator's shutdown does to a session: told as such.
    assert "连接已被断开" in err and "Traceback" not in out + err


def _mount_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield folder
    finally:
        # Lazy: a file a child process still holds open must not leave the disk mounted.
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 KiB tmpfs (needs root, as in CI here); skipped where it cannot be mounted."""
    yield from _mount_tmpfs(tmp_path / "tiny", "32k")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs: room for an empty database (1,024,000 bytes at 0047), not for a demo center."""
    yield from _mount_tmpfs(tmp_path / "small", "2m")


def test_a_database_on_a_full_disk(small_disk: Path) -> None:
    url = f"sqlite:///{small_disk / 'center.sqlite3'}"
    assert run_cli("--database", url, "db", "upgrade").returncode == 0
    done = run_cli("--database", url, "demo", "--cases", "3000")
    assert done.returncode == 2, done.stderr
    assert "磁盘空间已满" in done.stderr and "Traceback" not in done.stderr
    # The database is whole, and empty as before (no account to sign in with: read directly).
    assert run_cli("--database", url, "db", "check").returncode == 0
    with sqlite3.connect(small_disk / "center.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM app_user").fetchone() == (0,)


def test_a_full_disk_keeps_the_old_report(demo_sqlite_db: Database, tiny_disk: Path) -> None:
    old = tiny_disk / "十月统计.pdf"
    old.write_bytes(b"%PDF-1.4 the report printed yesterday")
    url = demo_sqlite_db.url.render_as_string(hide_password=False)
    demo_sqlite_db.dispose()
    done = run_cli("--database", url, "report", "monthly", "--month", "2026-10", "--out", str(old), *LOGIN,
                   stdin=f"{demo.DEMO_PASSWORD}\n")
    assert done.returncode == 2, done.stderr
    assert f"磁盘空间不足，文件“{old}”未能写入" in done.stderr and "Traceback" not in done.stderr
    assert old.read_bytes() == b"%PDF-1.4 the report printed yesterday"
    assert [p.name for p in tiny_disk.iterdir()] == ["十月统计.pdf"]
