"""A throwaway PostgreSQL cluster on loopback for the test suite.

Debian's ``initdb``/``pg_ctl`` refuse to run as root, so as root they run as the ``postgres``
user in a folder it owns; tests connect over TCP as the trust-authenticated user ``app``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .clock import chosen_instant, faketime_environment


@dataclass
class PgServer:
    bin_dir: Path
    data_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/{database}"

    def halt(self) -> None:
        """Stop the server as its administrator would (``pg_ctl -m fast stop``), keeping its data."""
        _run_as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])

    def resume(self) -> None:
        """Start a halted server again on the same port."""
        _start(self.bin_dir, self.data_dir, self.port)

    def stop(self) -> None:
        _run_as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"],
                         check=False)
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def find_bin_dir() -> Path | None:
    explicit = os.environ.get("PG_BIN_DIR")
    if explicit:
        return Path(explicit)
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_postgres(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        # runuser resets the environment: the server keeps the suite's chosen clock (tests/clock.py)
        # only if its libfaketime variables are passed on by name. The suite's instant, not that of
        # the test that happens to start the server (a story's day).
        chosen = chosen_instant()
        kept = [f"{name}={value}" for name, value in (faketime_environment(chosen) if chosen else {}).items()]
        args = ["runuser", "-u", "postgres", "--", *(["env", *kept] if kept else []), *args]
    return subprocess.run(args, check=check, capture_output=True, text=True)


def start() -> PgServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="md-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
    _run_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "app", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8"])
    port = _free_port()
    _start(bin_dir, data, port)
    return PgServer(bin_dir, data, port)


def _start(bin_dir: Path, data: Path, port: int) -> None:
    root = data.parent
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    result = _run_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                               "-o", options, "start"], check=False)
    if result.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {result.stderr}\n{log}")


#: Members of this group role sign in with a password (scram-sha-256), as a center's desks do; the
#: suite's own user ``app`` stays trusted.
PASSWORD_GROUP = "md_password_desks"


def require_passwords(server: PgServer) -> None:
    """Make the server check the password of every member of ``PASSWORD_GROUP`` (one pg_hba line,
    put before the trust lines, then a reload)."""
    from sqlalchemy import create_engine, text

    hba = server.data_dir / "pg_hba.conf"
    original = hba.read_text()
    line = f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
    if line not in original:
        hba.write_text(line + original)
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PASSWORD_GROUP}).scalar():
                conn.execute(text(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN"))
            conn.execute(text("SELECT pg_reload_conf()"))
    finally:
        admin.dispose()


_password_databases = itertools.count(1)


def create_password_database(server: PgServer, password: str) -> tuple[str, str]:
    """What docs/deployment.md step 1 makes: a login role that signs in with ``password`` and an
    empty database it owns. Returns (role, database); ``drop_password_database`` removes both."""
    from sqlalchemy import create_engine, text

    require_passwords(server)
    n = next(_password_databases)
    role, name = f"md_desk_{os.getpid()}_{n}", f"md_center_{os.getpid()}_{n}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}"))
            conn.execute(text(f"CREATE DATABASE {name} OWNER {role}"))
    finally:
        admin.dispose()
    return role, name


def drop_password_database(server: PgServer, role: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
    finally:
        admin.dispose()
