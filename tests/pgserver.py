"""A throwaway PostgreSQL cluster on loopback for the test suite.

Debian's ``initdb``/``pg_ctl`` refuse to run as root, so as root they run as the ``postgres``
user in a folder it owns; tests connect over TCP as the trust-authenticated user ``app``.

A second kind of cluster speaks TLS (``start(tls=...)``) with a throwaway certificate authority
and server certificate made by :func:`make_certificates` with the ``openssl`` command, the same
commands docs/deployment.md gives the center's IT person.
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

from .clock import CHILD_ENV, chosen_instant, faketime_environment


@dataclass(frozen=True)
class Certificates:
    """A throwaway certificate authority and the server certificate it signed."""

    #: The center's CA certificate: the file each desk is given (``sslrootcert``).
    ca: Path
    server_cert: Path
    server_key: Path
    #: Another CA's certificate, which signed nothing of this server (a desk given the wrong file).
    other_ca: Path
    #: The names and addresses the server certificate is valid for.
    names: tuple[str, ...]


#: A second loopback address the TLS server also listens on; its certificate does not name it.
UNNAMED_ADDRESS = "127.0.0.2"


@dataclass
class PgServer:
    bin_dir: Path
    data_dir: Path
    port: int
    #: The server's certificates when it speaks TLS (``start(tls=...)``), else None.
    tls: Certificates | None = None
    #: Server settings given at start (``start(settings=...)``: ``wal_level=logical`` …).
    settings: tuple[tuple[str, str], ...] = ()

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
        _start(self.bin_dir, self.data_dir, self.port, tls=self.tls is not None, settings=self.settings)

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


class PortTaken(RuntimeError):
    """The server could not bind its port: something else took it after :func:`_free_port`."""


_PORT_ATTEMPTS = 5


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


def start(*, tls: Certificates | None = None, settings: dict[str, str] | None = None) -> PgServer:
    """Start a cluster on a free loopback port; with ``tls``, one that offers TLS with that server
    certificate (``ssl=on``) and also listens on :data:`UNNAMED_ADDRESS`, an address its
    certificate does not name; with ``settings``, those server settings too (``-c name=value``:
    ``wal_level=logical`` for a publisher of logical replication)."""
    given = tuple(sorted((settings or {}).items()))
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    # Each pytest-xdist worker starts its own clusters: the worker's name tells whose folder it is.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    root = Path(tempfile.mkdtemp(prefix=f"md-pg-{worker}-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
    _run_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "app", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8"])
    if tls is not None:
        _install_certificate(tls, root)
        with (data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
            hba.write(f"host all all {UNNAMED_ADDRESS}/32 trust\n")
    # Another process (a second pytest-xdist worker's cluster, another test run on the machine) may
    # take the free port between the probe and the server's bind: then try another one.
    for attempt in itertools.count(1):
        port = _free_port()
        try:
            _start(bin_dir, data, port, tls=tls is not None, settings=given)
        except PortTaken:
            if attempt >= _PORT_ATTEMPTS:
                raise
            continue
        return PgServer(bin_dir, data, port, tls, given)
    raise AssertionError("unreachable")


def _install_certificate(tls: Certificates, root: Path) -> None:
    """The server's certificate and key beside its data folder, owned by the server's user (the
    server refuses a key others can read)."""
    for source, name in ((tls.server_cert, "server.crt"), (tls.server_key, "server.key")):
        target = root / name
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)
        if os.geteuid() == 0:
            shutil.chown(target, "postgres", "postgres")


def _start(bin_dir: Path, data: Path, port: int, *, tls: bool = False,
           settings: tuple[tuple[str, str], ...] = ()) -> None:
    root = data.parent
    listen = f"127.0.0.1,{UNNAMED_ADDRESS}" if tls else "127.0.0.1"
    # No autovacuum: its ANALYZE of a test's freshly seeded table, racing a migration's ALTER TABLE
    # over the same catalogue rows, deadlocked an upgrade test once; every VACUUM a test relies on
    # is run by the code itself.
    options = (f"-c listen_addresses={listen} -p {port} -k {root} -c fsync=off -c full_page_writes=off"
               " -c autovacuum=off")
    options += "".join(f" -c {name}={value}" for name, value in settings)
    if tls:
        options += f" -c ssl=on -c ssl_cert_file={root / 'server.crt'} -c ssl_key_file={root / 'server.key'}"
    result = _run_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                               "-o", options, "start"], check=False)
    if result.returncode != 0:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        message = f"pg_ctl start failed on port {port}: {result.stderr}\n{log}"
        (root / "log").unlink(missing_ok=True)  # the next attempt's log starts empty
        raise (PortTaken if "Address already in use" in log else RuntimeError)(message)


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
            conn.execute(text(f"CREATE ROLE {role} LOGIN CREATEROLE PASSWORD '{password}' IN ROLE {PASSWORD_GROUP}"))
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


# --------------------------------------------------------------------------- throwaway certificates

#: What the server certificate is for (the extensions docs/deployment.md gives).
_SERVER_EXTENSIONS = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = {names}
"""


def _openssl(args: list[str], folder: Path) -> None:
    """Run ``openssl`` on the real clock: the client library checks a certificate's dates against
    the real time, so a certificate made at the suite's chosen instant (libfaketime) could be
    expired, or not valid yet, for it."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("FAKETIME", "LD_PRELOAD", CHILD_ENV)}
    result = subprocess.run(["openssl", *args], cwd=folder, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed: {result.stderr}")


def _make_ca(folder: Path, stem: str, common_name: str) -> Path:
    _openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", f"{stem}.key", "-out", f"{stem}.crt", "-days", "3650", "-subj", f"/CN={common_name}",
              "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
             folder)
    return folder / f"{stem}.crt"


def make_certificates(folder: Path, names: tuple[str, ...] = ("localhost", "127.0.0.1")) -> Certificates:
    """A throwaway CA, a server certificate it signs for ``names`` (host names and IP addresses),
    and a second, unrelated CA — made with the ``openssl`` command (Debian package openssl)."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the openssl command is not installed (apt-get install openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    ca = _make_ca(folder, "center-ca", "Test center CA")
    other_ca = _make_ca(folder, "other-ca", "Some other CA")
    alt_names = ", ".join(f"IP:{name}" if _is_address(name) else f"DNS:{name}" for name in names)
    (folder / "server.ext").write_text(_SERVER_EXTENSIONS.format(names=alt_names), encoding="ascii")
    _openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={names[0]}"], folder)
    _openssl(["x509", "-req", "-in", "server.csr", "-CA", "center-ca.crt", "-CAkey", "center-ca.key",
              "-CAcreateserial", "-days", "825", "-extfile", "server.ext", "-out", "server.crt"], folder)
    return Certificates(ca, folder / "server.crt", folder / "server.key", other_ca, names)


def _is_address(name: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in name else socket.AF_INET, name)
    except OSError:
        return False
    return True
