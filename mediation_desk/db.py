"""Engines and sessions for SQLite and PostgreSQL, schema migrations, and the connection test
of a center server (:func:`probe_server`).

SQLite is the one-desk default. Python 3.11 ships SQLite 3.40, whose WAL mode can corrupt a
database when two connections write or checkpoint at once (fixed only in 3.51.3), so every write
in a process goes through one writer connection, and each write transaction starts with
``BEGIN IMMEDIATE`` so writers of other processes queue on the lock instead of failing mid-way.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import errno
import logging
import os
import re
import shutil
import sqlite3
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from . import changes as noted_changes
from . import credentials, live, settings
from .files import PRIVATE_MODE, private_empty_file
from .readmodels.sizes import size_text

if TYPE_CHECKING:
    from alembic.config import Config

    from .dbcipher import CipherKey

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

log = logging.getLogger(__name__)

#: Filesystems where SQLite's locking cannot be trusted (Linux /proc/mounts names). Besides these,
#: every FUSE filesystem (``fuse``, ``fuseblk``, ``fuse.*``: GNOME's gvfs SMB mounts, smbnetfs,
#: curlftpfs, sshfs, rclone …) is refused: a FUSE daemon decides what locking means, and most of
#: them are remote. A desk whose local FUSE disk is trusted names its type in the desk settings.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "ncpfs", "ncp", "afs", "openafs", "coda", "9p", "ceph",
        "glusterfs", "sshfs", "davfs", "lustre", "gpfs", "beegfs", "ocfs2", "gfs2", "vboxsf", "vmhgfs",
        "drvfs", "v9fs", "shfs", "webdav", "orangefs", "pvfs2", "cvfs", "panfs", "quobyte", "moosefs",
        "lizardfs", "xtreemfs", "virtiofs", "prl_fs", "acfs", "afpfs", "gvfs",
    }
)  # fmt: skip


def is_remote_filesystem(fs_type: str) -> bool:
    """Whether a mount of this type may be remote or lock by its own rules (every FUSE type)."""
    kind = fs_type.lower()
    return (kind in NETWORK_FILESYSTEMS or kind in {"fuse", "fuseblk"}
            or kind.startswith(("fuse.", "nfs", "smb", "cifs")))


_MOUNT_ESCAPE = re.compile(r"\\([0-7]{3})")


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash in paths as octal escapes."""
    return _MOUNT_ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


class DatabaseError(RuntimeError):
    """A database cannot be opened or upgraded; the message is for the user, in Chinese."""


class NetworkDatabaseRefused(DatabaseError):
    pass


class SchemaTooNew(DatabaseError):
    pass


class SchemaOutdated(DatabaseError):
    pass


#: Seconds a connection attempt to a center server may take before the save fails.
CONNECT_TIMEOUT = 10
#: libpq settings of a center server's connections (a URL's own query wins).
CONNECT_ARGS: dict[str, int] = {
    "connect_timeout": CONNECT_TIMEOUT,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    #: Data the server does not acknowledge within 20 s: the connection is broken (Linux only).
    "tcp_user_timeout": 20_000,
}

DISK_FULL_MESSAGE = "磁盘空间已满，本次保存未完成，已保存的数据未受影响。请清理磁盘后重试。"


class DiskFull(DatabaseError):
    """A write ran out of disk space; it was rolled back, everything committed before stands."""

    def __init__(self, message: str = DISK_FULL_MESSAGE) -> None:
        super().__init__(message)


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full"), PostgreSQL's disk_full (53100) or an
    ENOSPC from the filesystem, whether raw or wrapped by SQLAlchemy."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if isinstance(current, sqlite3.Error | sqlcipher3.Error) and (
                getattr(current, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
                or "database or disk is full" in str(current)):
            return True
        if getattr(current, "sqlstate", None) == "53100" or getattr(current, "pgcode", None) == "53100":
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def default_url() -> URL:
    return URL.create("sqlite+pysqlite", database=str(settings.default_database_path()))


def resolve_url(text: str | None) -> URL:
    """The URL to use: the one given, else this desk's setting, else the SQLite file."""
    if not text:
        text = settings.DeskSettings.load().database_url
    if not text:
        return default_url()
    try:
        url = make_url(text)
    except Exception as exc:
        raise DatabaseError(f"数据库地址“{text}”格式不正确：{exc}") from exc
    backend = url.get_backend_name()
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(f"不支持的数据库类型“{backend}”：只能使用 SQLite 文件或 PostgreSQL 服务器。")
    if backend == "sqlite" and not url.database:
        raise DatabaseError("SQLite 数据库地址必须指向一个文件，例如 sqlite:////路径/mediation-desk.sqlite3")
    if backend == "sqlite":
        refuse_sqlite_uri(url)
    return url


def network_filesystem_of(path: Path, mounts_file: str = "/proc/mounts", *,
                          trusted: frozenset[str] = frozenset()) -> str | None:
    """The remote or FUSE filesystem type that holds ``path``, or None for a local disk.

    ``trusted`` names FUSE types this desk's settings allow (a local FUSE disk); no type of
    :data:`NETWORK_FILESYSTEMS` can be trusted. A mount table that cannot be read is not a local
    disk: the path is refused as ``unknown``.
    """
    target = path.resolve()
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        text = str(target)
        if text.startswith("\\\\"):
            return "smb"
        drive_remote = 4
        root = os.path.splitdrive(text)[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote:  # type: ignore[attr-defined]
            return "smb"
        return None
    try:
        with open(mounts_file, encoding="utf-8", errors="surrogateescape") as mounts:
            rows = [line.split() for line in mounts]
    except OSError:
        if sys.platform.startswith("linux"):
            return "unknown"
        return None  # no /proc/mounts off Linux (macOS): nothing to read the mount from
    best: tuple[int, str] | None = None
    for row in rows:
        if len(row) < 3:
            continue
        mount_point = _unescape_mount(row[1])
        try:
            Path(target).relative_to(mount_point)
        except ValueError:
            continue
        if best is None or len(mount_point) >= best[0]:
            best = (len(mount_point), row[2])  # the last mount on a point wins, as in the kernel
    if best is None:
        return None
    kind = best[1]
    if not is_remote_filesystem(kind):
        return None
    if kind.lower() in trusted and kind.lower() not in NETWORK_FILESYSTEMS:
        return None
    return kind


def refuse_sqlite_uri(url: URL) -> None:
    """A SQLite URI (``file:…``, ``?uri=true``, ``vfs=``, ``mode=memory``) can name a share, another
    VFS or shared memory past the network check: only a plain file path is accepted."""
    database = url.database or ""
    query = {key.lower() for key in url.query}
    if database.lower().startswith("file:") or database == ":memory:" or query & {"uri", "vfs", "mode", "immutable",
                                                                                 "nolock", "cache"}:
        raise DatabaseError(
            f"SQLite 数据库地址“{url.render_as_string(hide_password=True)}”不是一个普通的文件路径"
            "（不接受 file: 形式、uri/vfs/mode/nolock 等参数或内存数据库）。请写成 "
            "sqlite:////路径/mediation-desk.sqlite3。"
        )


def _private_database_file(path: Path) -> None:
    """The database holds every party's ID number: a new file is created readable by its owner
    only (0600, in a 0700 folder when the folder is new), before SQLite opens it — SQLite gives its
    WAL and shared-memory files the database file's mode. A file an older version created
    world-readable is narrowed to 0600 (only if this user owns it)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process created it this instant
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
        return
    if os.name != "posix":
        return
    for member in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                   path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            info = member.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(member, PRIVATE_MODE)


def _sqlite_key(path: Path, encrypt_new: bool) -> tuple[CipherKey | None, str | None]:
    """The SQLCipher key of the file (from the keychain when it is encrypted; a new one for a new
    file when ``encrypt_new``), and why a new file stays unencrypted when no keychain takes its key."""
    from . import dbcipher

    kind = dbcipher.file_kind(path)
    if kind is dbcipher.FileKind.ENCRYPTED:
        key = dbcipher.key_for(path)
        # A key that does not open the file is said now, in Chinese, not by the first statement.
        dbcipher.connect(path, key).close()
        return key, None
    if kind is dbcipher.FileKind.NEW and encrypt_new:
        try:
            return dbcipher.create_encrypted(path), None
        except credentials.KeychainUnavailable as exc:
            log.warning("New database %s created unencrypted: no keychain for its key (%s)", path, exc)
            return None, (f"新数据库“{path}”未加密：{exc}，无法保存加密密钥。在有桌面钥匙串的会话中运行 "
                          f"mediation-desk --database {path} db encrypt 可以加密它。")
    return None, None


def _cipher_engine_args(path: Path, key: CipherKey | None, *, writer: bool) -> dict[str, Any]:
    """``create_engine`` arguments for an encrypted file: SQLCipher's binding as the DB-API module
    and a creator that gives the key before anything else is read on each new connection."""
    if key is None:
        return {}
    from . import dbcipher

    return {"module": dbcipher.driver(), "creator": dbcipher.creator(path, key, writer=writer)}


def _sqlite_path(url: URL) -> Path:
    assert url.database
    return Path(url.database)


class Database:
    """The engines of one database and the sessions to work with it.

    ``write()`` gives a session on the single writer connection; ``read()`` a session that may run
    beside it. Each session lives for one operation, never for a window's lifetime.
    """

    def __init__(self, url: URL | str, *, create: bool = True, mounts_file: str = "/proc/mounts",
                 echo: bool = False, trusted_filesystems: frozenset[str] = frozenset(),
                 encrypt_new: bool = False) -> None:
        self.url = make_url(url) if isinstance(url, str) else url
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        connect_url = self.url
        #: The SQLCipher key of an encrypted SQLite file (``dbcipher``), None for a plain file.
        self.cipher_key: CipherKey | None = None
        #: Why a new file asked to be encrypted (``encrypt_new``) was created unencrypted (Chinese).
        self.unencrypted_reason: str | None = None
        if self.is_sqlite:
            refuse_sqlite_uri(self.url)
            path = _sqlite_path(self.url)
            fs = network_filesystem_of(path.parent if not path.exists() else path, mounts_file,
                                       trusted=trusted_filesystems)
            if fs == "unknown":
                raise NetworkDatabaseRefused(
                    f"无法读取本机的挂载表（{mounts_file}），不能确认数据库文件“{path}”位于本地磁盘上，"
                    "因此拒绝打开它。"
                )
            if fs:
                raise NetworkDatabaseRefused(
                    f"数据库文件“{path}”位于网络文件系统（{fs}）上。多台电脑通过网络共用一个 SQLite 文件"
                    "会损坏数据，因此本程序拒绝以写入方式打开它。多个窗口共用数据，请使用中心服务器"
                    "（PostgreSQL）模式：在“设置 → 数据库连接”中填写服务器，或启动时使用 "
                    "--database postgresql+psycopg://用户名@服务器/数据库。"
                )
            if not path.exists() and not create:
                raise DatabaseError(
                    f"数据库文件“{path}”不存在。请检查路径，或先运行 mediation-desk --database … db upgrade 创建它。"
                )
            _private_database_file(path)
            self.cipher_key, self.unencrypted_reason = _sqlite_key(path, encrypt_new)
            self.writer = create_engine(
                connect_url, poolclass=QueuePool, pool_size=1, max_overflow=0, pool_timeout=60, echo=echo,
                **_cipher_engine_args(path, self.cipher_key, writer=True),
            )
            # An encrypted file's readers: the most recently used connection first, whose cache holds
            # the pages it already decrypted.
            self.reader = create_engine(connect_url, pool_size=4, max_overflow=4, echo=echo,
                                        pool_use_lifo=self.cipher_key is not None,
                                        **_cipher_engine_args(path, self.cipher_key, writer=False))
            _configure_sqlite(self.writer, writer=True)
            _configure_sqlite(self.reader, writer=False)
        else:
            log_weak_tls(self.url, "opened", level=logging.INFO)
            connect_url = credentials.with_password(self.url)
            self.writer = self._server_engine(connect_url, echo)
            self.reader = self.writer
        #: The desk's own connection (its stored credential), kept to return to after a person's.
        self._desk_connect_url = connect_url
        self._echo = echo
        #: The login role this Database is connected as after a sign-in (``connect_as``), else None.
        self.signed_in_role: str | None = None
        #: This desk's id in the change notices it sends (``services.live``); the app's task runner
        #: gives its own, so that its listener skips the notices of its own writes.
        self.desk_id = live.new_desk_id()
        self._make_sessions()
        #: Per thread: the collectors open on it (``collect_changes``), innermost last.
        self._collectors = threading.local()

    def _server_engine(self, connect_url: URL, echo: bool) -> Engine:
        # An unreachable server fails a save within seconds instead of libpq's endless wait, and
        # a connection whose server vanished (cable, power) is given up instead of hanging.
        connect_args = {k: v for k, v in CONNECT_ARGS.items() if k not in self.url.query}
        return create_engine(connect_url, pool_size=5, max_overflow=5, pool_pre_ping=True, echo=echo,
                             connect_args=connect_args)

    def _make_sessions(self) -> None:
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)
        if not self.is_sqlite:
            # Every write — app, command line, imports, retention — announces what it changed.
            live.install_tracking(self._write_sessions)

    def connect_as(self, role: str | None, password: str | None = None) -> None:
        """On a server: reopen the engines as ``role`` with ``password`` (a signed-in person's own
        login role; the password is kept only in this process's memory, inside the engine's URL),
        or, with ``role=None``, as the desk's stored credential again. The connection is tried
        first: a refused one raises and leaves the Database as it was."""
        if self.is_sqlite:
            raise DatabaseError("本地数据库文件没有数据库角色。")
        if role is None:
            engine = self._server_engine(self._desk_connect_url, self._echo)
        else:
            # The password is given to each new connection from memory (a change of one's own
            # password replaces it: ``remember_login_password``), never written anywhere.
            engine = self._server_engine(self.url.set(username=role, password=None), self._echo)
            _login_passwords[engine] = password or ""

            @event.listens_for(engine, "do_connect")
            def give_password(_dialect: Any, _record: Any, _args: Any, kwargs: dict[str, Any]) -> None:
                kwargs["password"] = _login_passwords.get(engine, "")
        try:
            with engine.connect():
                pass
        except Exception:
            engine.dispose()
            raise
        previous = self.writer
        self.writer = self.reader = engine
        self.signed_in_role = role
        self._make_sessions()
        previous.dispose()

    def sign_out(self) -> None:
        """A person signed out: back to the desk's own credential, so that nothing more runs as
        them. If the server cannot be reached for that, their password is forgotten and their
        pooled connections closed all the same (and the error raised)."""
        if self.is_sqlite or self.signed_in_role is None:
            return
        try:
            self.connect_as(None)
        except Exception:
            _login_passwords[self.writer] = ""
            self.writer.dispose()
            raise

    def try_login(self, role: str, password: str) -> bool:
        """One connection attempt as ``role`` with ``password``, kept nowhere: whether the server
        let it in. A sign-in with a name that has no account makes the same attempt (against a
        role that does not exist, which the server answers after the same SCRAM exchange), so
        that the desk's answer takes the same time for a known and an unknown name."""
        if self.is_sqlite:
            raise DatabaseError("本地数据库文件没有数据库角色。")
        connect_args = {k: v for k, v in CONNECT_ARGS.items() if k not in self.url.query}
        engine = create_engine(self.url.set(username=role, password=password), poolclass=NullPool,
                               connect_args=connect_args)
        try:
            with engine.connect():
                return True
        except Exception:  # refused, whatever the reason: nothing was let in
            return False
        finally:
            engine.dispose()

    @property
    def display_name(self) -> str:
        """The URL without its password, safe for titles and logs."""
        return self.url.render_as_string(hide_password=True)

    @property
    def friendly_name(self) -> str:
        """What a person calls this database (the status bar, 关于): the file's name for SQLite,
        host/database on a server; never the driver, the account or a password."""
        if self.is_sqlite:
            return Path(self.url.database or "").name or "SQLite"
        host = self.url.host or "localhost"
        if self.url.port is not None:
            host = f"{host}:{self.url.port}"
        return f"{host}/{self.url.database or ''}"

    @property
    def location(self) -> str:
        """Where the database is, in full (a tooltip): the file's path, or host/database."""
        if self.is_sqlite:
            return self.url.database or ""
        return self.friendly_name

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one write operation, committed on success and rolled back on error.

        Running out of disk space, in a statement or in the commit, raises :class:`DiskFull`
        (a Chinese message saying nothing of this write was saved and what was saved before is
        intact — SQLite rolls the transaction back; the WAL or journal keeps the file whole).

        On a center server the rows the write inserted, changed or deleted are announced to every
        other desk by ``pg_notify`` inside the same transaction (sent if and only if it commits),
        whoever the writer is: the app, the command line, an import or the retention run. On
        SQLite the other processes on the same file see it through ``PRAGMA data_version``.

        What the service functions noted on the session (``services.changes.note``) goes, once
        committed, to the collectors open on this thread (:meth:`collect_changes`).
        """
        try:
            with self._write_sessions() as session, session.begin():
                yield session
                if not self.is_sqlite:
                    live.publish_tracked(session, self.desk_id)
                written = noted_changes.noted(session)
        except DatabaseError:
            raise
        except Exception as error:
            if is_disk_full(error):
                raise DiskFull() from error
            raise
        # Committed: what the service functions noted goes to whoever collects on this thread.
        for collected in getattr(self._collectors, "stack", ()):
            collected.add(written)

    @contextlib.contextmanager
    def collect_changes(self) -> Iterator[noted_changes.Collected]:
        """Collect what the writes committed on this thread meanwhile noted they changed.

        The task runner's write lane opens one around each operation and broadcasts the total to
        the open views; a write that rolled back adds nothing.
        """
        collected = noted_changes.Collected()
        stack: list[noted_changes.Collected] | None = getattr(self._collectors, "stack", None)
        if stack is None:
            stack = self._collectors.stack = []
        stack.append(collected)
        try:
            yield collected
        finally:
            stack.remove(collected)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


#: The password of each engine opened as a person's login role (``Database.connect_as``).
_login_passwords: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def remember_login_password(engine: Engine, password: str) -> None:
    """A person connected as their own login role changed their password: new connections of
    ``engine`` use the new one (the open ones stay connected). Nothing for other engines."""
    if engine in _login_passwords:
        _login_passwords[engine] = password


def _configure_sqlite(engine: Engine, *, writer: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself instead of pysqlite's lazy BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if writer:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


# --------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


# Alembic (about a quarter of a second to import, and its script directory imports every migration
# module) is loaded only when a revision must be run or is not one of this program's: a start on
# an up-to-date database reads its revision with one SELECT and the migrations' revision lines.

_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def script_revisions(folder: Path | None = None) -> dict[str, tuple[str, ...]] | None:
    """Each migration's revision and the revisions it follows, read from the ``revision`` and
    ``down_revision`` lines of the migration files of ``folder`` (default the program's) without
    importing them, or None when a file does not say them plainly (a compiled-only file, a
    computed value): then only Alembic can tell. ``tests/services/test_db.py`` checks this reading
    against Alembic's script directory."""
    versions = (folder or MIGRATIONS_DIR) / "versions"
    found: dict[str, tuple[str, ...]] = {}
    try:
        names = sorted(os.listdir(versions))
    except OSError:
        return None
    for name in names:
        if name.startswith((".#", "__init__")) or not name.endswith((".py", ".pyc", ".pyo")):
            continue
        if not name.endswith(".py"):
            return None  # a compiled migration without its source (Alembic's "sourceless")
        try:
            source = (versions / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        lines: dict[str, object] = {}
        for match in _REVISION_LINE.finditer(source):
            if match[1] in lines:
                return None  # said twice: which one counts is Python's business
            try:
                lines[match[1]] = ast.literal_eval(match[2])
            except (ValueError, SyntaxError):
                return None
        revision, down = lines.get("revision"), lines.get("down_revision", ...)
        if not isinstance(revision, str) or revision in found or down is ...:
            return None
        if down is None:
            follows: tuple[str, ...] = ()
        elif isinstance(down, str):
            follows = (down,)
        elif isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
            follows = tuple(down)
        else:
            return None
        found[revision] = follows
    if not found or any(d not in found for follows in found.values() for d in follows):
        return None
    return found


def head_revision() -> str:
    revisions = script_revisions()
    if revisions is not None:
        heads = set(revisions) - {d for follows in revisions.values() for d in follows}
        if len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this program's migrations (else the database comes from a
    newer program)."""
    revisions = script_revisions()
    if revisions is not None and revision in revisions:
        return True
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:
        return False


def revision_on(connection: Connection) -> str | None:
    """The revision in the database's ``alembic_version`` (None when it has no such table or no
    row), read as Alembic's ``MigrationContext.get_current_revision`` reads it; more than one row
    is Alembic's to refuse."""
    if not connection.dialect.has_table(connection, "alembic_version", None):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(rows) > 1:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()
    return str(rows[0][0]) if rows else None


def current_revision(db: Database) -> str | None:
    with db.writer.connect() as connection:
        return revision_on(connection)


def check_schema(db: Database) -> None:
    """Refuse a database newer than this program knows (a downgrade would damage it)."""
    current = current_revision(db)
    if current is None:
        return
    revisions = script_revisions()
    if revisions is not None and current in revisions:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception as exc:
        raise SchemaTooNew(
            f"数据库结构版本（{current}）比本程序新。为避免损坏数据，本程序不会打开它；请安装新版矛调工作台。"
        ) from exc


def upgrade(db: Database, *, backup: bool = True) -> MigrationReport:
    """Bring the schema to this program's version; back up an existing SQLite file first."""
    check_schema(db)
    before = current_revision(db)
    head = head_revision()
    if before == head:
        return MigrationReport(before, head, None)
    backup_path = backup_sqlite(db, label=f"before-{head}") if backup and before and db.is_sqlite else None
    migrate_to(db, "head")
    return MigrationReport(before, head, backup_path)


def migrate_to(db: Database, revision: str, *, config: Config | None = None) -> None:
    """Run Alembic up or down to ``revision`` in one transaction.

    On SQLite, Alembic rebuilds a table to alter it (copy, drop, rename). With foreign keys on,
    dropping the old ``dispute_case`` would cascade-delete every party and timeline entry, so the
    migration runs with them off and the result is checked with ``foreign_key_check`` before it
    is committed.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = config or alembic_config()
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(db)
    going_down = revision != "head" and current not in (None, revision) and any(
        rev.revision == revision for rev in script.iterate_revisions(current, "base"))
    with db.writer.connect() as connection:
        raw = connection.connection.dbapi_connection if db.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        touched = TouchedTables()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                if raw is not None:
                    event.listen(connection, "before_cursor_execute", touched.statement)
                try:
                    if going_down:
                        command.downgrade(cfg, revision)
                    else:
                        command.upgrade(cfg, revision)
                finally:
                    if raw is not None:
                        event.remove(connection, "before_cursor_execute", touched.statement)
                if raw is not None:
                    broken = check_foreign_keys(connection, touched)
                    if broken:
                        raise DatabaseError(
                            f"数据库升级后发现 {len(broken)} 处外键不一致（如表 {broken[0][0]}），"
                            "已撤销本次升级，数据未改变。"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


_NAME = r'(?:"(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)'
#: The statements a migration runs that change no row of any table (indexes, triggers, views,
#: reading, transaction control). A statement neither here nor in ``_WRITES`` makes the check whole.
_HARMLESS = re.compile(
    r"(?:SELECT|VALUES|EXPLAIN|ANALYZE|SAVEPOINT|RELEASE|BEGIN|COMMIT|END|ROLLBACK"
    r"|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|CREATE\s+(?:TEMP\w*\s+)?(?:TRIGGER|VIEW)|DROP\s+(?:TRIGGER|VIEW)"
    r"|PRAGMA\s+(?:\w+\.|\"\w+\"\.)?(?:table_info|table_xinfo|index_list|index_info|index_xinfo|foreign_key_list"
    r"|foreign_key_check|foreign_keys|legacy_alter_table|defer_foreign_keys|analysis_limit))\b", re.IGNORECASE)
_WRITES = re.compile(
    rf"(?P<verb>INSERT(?:\s+OR\s+(?P<or>\w+))?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM"
    rf"|CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?|CREATE\s+VIRTUAL\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?"
    rf"|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|ALTER\s+TABLE)\s+(?:main\.)?(?P<table>{_NAME})(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL)
#: Alembic's batch mode copies a table it rebuilds into ``_alembic_tmp_<name>`` and renames it back.
_REBUILT = "_alembic_tmp_"
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.DOTALL)


def _unquote(name: str) -> str:
    if name[:1] in "\"`[":
        return name[1:-1].replace('""', '"') if name[0] == '"' else name[1:-1]
    return name


@dataclass
class TouchedTables:
    """What the statements of a migration changed on SQLite, for the foreign-key check after it.

    A migration that runs a statement not understood here (or renames a table other than Alembic's
    batch copy) needs the whole database checked. Otherwise only: the tables it wrote, created or
    altered (their own foreign keys), and the tables referring to a table it deleted from, dropped,
    or updated in a column other tables refer to (their references may now point at nothing). A
    table rebuilt by Alembic's batch mode (copied into ``_alembic_tmp_…``, the old one dropped, the
    copy renamed) counts as written and as losing every key: its own references and those of the
    tables referring to it are checked."""

    #: Whether the whole database must be checked, and the first statement that decided it.
    whole: str | None = None
    written: set[str] = field(default_factory=set)
    #: Tables whose rows may have lost a key other tables refer to; None: any column.
    parents: dict[str, set[str] | None] = field(default_factory=dict)

    def statement(self, _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any,
                  _executemany: bool) -> None:
        self.add(statement)

    def add(self, statement: str) -> None:
        if self.whole is not None:
            return
        sql = statement[_COMMENTS.match(statement).end():]  # type: ignore[union-attr]  # matches ""
        if _HARMLESS.match(sql):
            return
        match = _WRITES.match(sql)
        if match is None:
            self.whole = sql[:80]
            return
        verb = " ".join(match["verb"].upper().split())
        table = _unquote(match["table"]).lower()
        rest = match["rest"]
        if "VIRTUAL" in verb:
            return  # a new full-text index: no foreign keys
        if verb.startswith("CREATE") and table.startswith(_REBUILT):
            self.written.add(table)  # batch mode rebuilding a table: settled when the copy is renamed
        elif verb.startswith("ALTER"):
            if renamed := re.match(rf"\s+RENAME\s+TO\s+(?:main\.)?(?P<to>{_NAME})\s*;?\s*\Z", rest, re.IGNORECASE):
                to = _unquote(renamed["to"]).lower()
                if table != _REBUILT + to:
                    self.whole = sql[:80]
                    return
                # The rebuilt table's rows were copied (its own references) and replaced every row
                # others refer to (theirs): both checked, not the rest of the file.
                self.written.discard(table)
                self.parents.pop(table, None)
                self.written.add(to)
                self.parents[to] = None
            elif re.match(r"\s+ADD\b", rest, re.IGNORECASE):
                self.written.add(table)
            else:  # a column dropped or renamed: also what refers to it
                self.written.add(table)
                self.parents[table] = None
        elif verb.startswith("DROP"):
            self.parents[table] = None
        elif verb.startswith("DELETE") or verb.startswith("REPLACE") or (match["or"] or "").upper() == "REPLACE":
            self.written.add(table)
            self.parents[table] = None
        elif verb.startswith("UPDATE"):
            self.written.add(table)
            words = _assigned_words(rest)
            known = self.parents.get(table, set())
            if known is not None:
                self.parents[table] = known | words
        else:  # INSERT, CREATE TABLE
            self.written.add(table)


def check_foreign_keys(connection: Any, touched: TouchedTables) -> list[tuple[Any, ...]]:
    """``PRAGMA foreign_key_check`` of what ``touched`` says may have broken a reference: of the
    whole database after a statement not understood, else table by table (a small migration on a 6 GB file
    checked everything in 18 s). Triggers on a written table count as writing their targets."""
    if touched.whole is not None:
        log.info("foreign keys of the whole database checked: %s", touched.whole)
        return list(connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
    tables = {str(name).lower(): str(name) for (name,) in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    triggers = connection.exec_driver_sql("SELECT lower(tbl_name), sql FROM sqlite_master WHERE type = 'trigger'").all()
    # A trigger's writes are statements too (they ran with the migration's).
    done: set[str] = set()
    while touched.whole is None and (pending := (touched.written | set(touched.parents)) - done):
        table = pending.pop()
        done.add(table)
        for on, sql in triggers:
            if on == table and sql:
                body = re.split(r"\bBEGIN\b", sql, maxsplit=1, flags=re.IGNORECASE)[-1]
                for part in body.split(";"):
                    if part.strip() and not re.fullmatch(r"\s*END\s*", part, re.IGNORECASE):
                        touched.add(part)
    if touched.whole is not None:
        return check_foreign_keys(connection, touched)
    check = {t for t in touched.written if t in tables}
    for child_key, child in tables.items():
        quoted = child.replace('"', '""')
        for ref in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{quoted}")'):
            parent, to = str(ref[2]).lower(), ref[4]
            if parent not in touched.parents:
                continue
            columns = touched.parents[parent]
            if columns is None or (str(to).lower() in columns if to is not None
                                   else _primary_key_named(connection, tables.get(parent), columns)):
                check.add(child_key)
    log.info("foreign keys checked of: %s", ", ".join(sorted(check)) or "no table")
    broken: list[tuple[Any, ...]] = []
    for table in sorted(check):
        quoted = tables[table].replace('"', '""')
        broken += connection.exec_driver_sql(f'PRAGMA foreign_key_check("{quoted}")').fetchall()
    return broken


def _assigned_words(rest: str) -> set[str]:
    """The words of an UPDATE's SET clause (``rest``: what follows the table name), up to its own
    WHERE, FROM or RETURNING (a subquery's WHERE stays in): the columns it may assign are among them."""
    clause = re.split(r"\bSET\b", rest, maxsplit=1, flags=re.IGNORECASE)[-1]
    depth, end = 0, len(clause)
    for token in re.finditer(r"[()]|'(?:[^']|'')*'|\w+", clause):
        mark = token.group()
        if mark == "(":
            depth += 1
        elif mark == ")":
            depth -= 1
        elif depth == 0 and mark.upper() in ("WHERE", "FROM", "RETURNING"):
            end = token.start()
            break
    return {w.lower() for w in re.findall(r"\w+", re.sub(r"'(?:[^']|'')*'", "", clause[:end]))}


def _primary_key_named(connection: Any, parent: str | None, columns: set[str]) -> bool:
    """Whether an UPDATE's words name the parent key a reference without a column list means."""
    if parent is None:
        return False
    quoted = parent.replace('"', '""')
    keys = {str(r[1]).lower() for r in connection.exec_driver_sql(f'PRAGMA table_info("{quoted}")') if r[5]}
    return bool(keys & columns) or "rowid" in columns


def ensure_current(db: Database) -> None:
    """For PostgreSQL at start-up: only an administrator upgrades a shared server, via the CLI."""
    check_schema(db)
    if current_revision(db) != head_revision():
        raise SchemaOutdated(
            "中心服务器上的数据库尚未创建或需要升级。请系统管理员运行："
            f"mediation-desk --database {db.display_name} db upgrade"
        )


def ensure_current_on_server(db: Database, *, password_step: str) -> None:
    """:func:`ensure_current` for a desk starting on a server: a server that cannot be reached or
    refuses the desk (a changed password, a pg_hba line) becomes a :class:`DatabaseError` in Chinese
    saying what happened and what to do (``password_step``: where the person gives the password)."""
    from sqlalchemy.exc import DBAPIError

    try:
        ensure_current(db)
    except DBAPIError as exc:
        raise DatabaseError(credentials.describe_connection_error(db.url, exc, password_step=password_step)) from exc


#: Pages copied per step of a backup: small steps let a progress bar move and writers slip in.
BACKUP_STEP_PAGES = 1024


#: Room a copy of a database leaves free on its disk beyond itself: the live database (usually on the
#: same disk) must still be able to save while and after the copy is made, and a copy that does not
#: fit would otherwise fail only when the disk is full — minutes into a large file's copy, with every
#: save of the desk failing meanwhile.
SPARE_BYTES = 256 * 1024 * 1024


class NotEnoughSpace(DatabaseError):
    """A copy (a backup, a restore's checked copy) would not fit on its disk; nothing was written."""


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def require_space(needs: list[tuple[Path, int]], doing: str) -> None:
    """Refuse, before anything is written, copies that would not fit: ``needs`` are (folder, bytes
    to be written there); folders on the same disk add up, and each disk keeps :data:`SPARE_BYTES`
    free besides. The message names the folder, the space needed and the space free."""
    disks: dict[int, tuple[Path, int]] = {}
    for folder, size in needs:
        place = _existing(folder)
        device = place.stat().st_dev
        shown, total = disks.get(device, (folder, 0))
        disks[device] = (shown, total + size)
    for folder, size in disks.values():
        free = shutil.disk_usage(_existing(folder)).free
        if free < size + SPARE_BYTES:
            raise NotEnoughSpace(
                f"磁盘空间不足，无法{doing}：“{folder}”所在的磁盘需要 {size_text(size + SPARE_BYTES)}"
                f"（{size_text(size)}，另留 {size_text(SPARE_BYTES)} 供本机继续保存），只有 {size_text(free)} 可用。"
                "请清理该磁盘或换一个空间足够的文件夹后重试；已有的数据和备份都没有改动。")


def backup_sqlite(db: Database, *, label: str = "manual", target_dir: Path | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  pages_per_step: int = BACKUP_STEP_PAGES) -> Path:
    """A consistent copy of the SQLite file, made with SQLite's online backup API.

    Never a file copy: a copy taken while the writer is busy (or of the main file without its
    ``-wal``) can be torn or miss committed transactions. The backup API reads through SQLite's
    own locking and gives a snapshot of one committed state. The copy is switched to the rollback
    journal, so it is one self-contained file (no ``-wal``/``-shm`` beside it). It is written
    under a temporary name and renamed when complete, so the backup folder never shows half a
    backup. ``progress(pages done, pages in all)`` is called between steps; an exception it raises
    (the desk closing) stops the copy and removes the partial file. A copy that would not fit on
    the folder's disk (:func:`require_space`) raises :class:`NotEnoughSpace` before a page is written.

    The source keeps one read transaction open across the steps: the copy is of the state when it
    began, and a write by the desk's other connections between two steps (a person working while
    the day's backup runs) does not make SQLite start the copy over — without it, a file that takes
    minutes to copy would restart at every write and might never finish.
    """
    source = _sqlite_path(db.url)
    folder = target_dir or settings.backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{source.stem}-{stamp}-{label}.sqlite3"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{source.stem}-{stamp}-{label}-{counter}.sqlite3"
    part = private_empty_file(target.with_name(f".{target.name}.part"))

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with _open_raw(source, db.cipher_key) as src, _open_raw(part, db.cipher_key) as dst:
            # The snapshot the steps copy from (see above); BEGIN alone would start it lazily.
            src.execute("BEGIN")
            src.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            pages = int(src.execute("PRAGMA page_count").fetchone()[0])
            require_space([(folder, pages * int(src.execute("PRAGMA page_size").fetchone()[0]))],
                          "备份数据库")
            try:
                # An encrypted database's backup is encrypted with the same key and salt: the same
                # keychain entry opens it (dbcipher), and nothing of it is ever written in clear.
                src.backup(dst, pages=pages_per_step, progress=step)
            finally:
                src.rollback()
            dst.execute("PRAGMA journal_mode = DELETE")
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def _open_raw(path: Path, key: CipherKey | None) -> contextlib.closing[Any]:
    """A DB-API connection of its own to a SQLite file: the stdlib's for a plain file, SQLCipher's
    (keyed) for an encrypted one."""
    if key is None:
        return contextlib.closing(sqlite3.connect(path))
    from . import dbcipher

    return contextlib.closing(dbcipher.connect(path, key))


# --------------------------------------------------------------------------- testing a center server

#: Seconds a connection test waits for a server that does not answer (an unreachable address, a firewall).
PROBE_TIMEOUT = 5


class ProbeStage(Enum):
    """How far a connection test got."""

    UNREACHABLE = "unreachable"  # nothing answers at host:port (refused, unknown host, timeout)
    TLS = "tls"  # the encrypted connection could not be set up or the certificate is not trusted
    AUTH = "auth"  # the server refused the account or password
    NO_DATABASE = "no_database"  # the account is fine, the database does not exist
    FAILED = "failed"  # anything else the server said
    CONNECTED = "connected"


class SchemaState(Enum):
    """The structure of the server's database against this program's."""

    EMPTY = "empty"
    OLDER = "older"
    CURRENT = "current"
    NEWER = "newer"


# --------------------------------------------------------------------------- TLS to a center server

#: libpq's ``sslmode`` values, weakest first.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
#: What a desk uses unless it chooses otherwise, explicitly: encrypted, and the server's certificate
#: checked against the center's CA certificate and against the address the desk connects to.
DEFAULT_SSLMODE = "verify-full"
#: What libpq does with a URL that names no mode (and no ``PGSSLMODE``).
LIBPQ_SSLMODE = "prefer"

#: What each mode weaker than ``verify-full`` leaves open, for the log (the people who read it are IT).
_WEAKNESS = {
    "disable": "not encrypted: case content and ID numbers cross the network in clear text",
    "allow": "encrypted only if the server insists, certificate not checked: anyone on the network can read "
             "or pose as the server",
    "prefer": "encrypted if the server offers it, certificate not checked: anyone on the network can pose as the "
              "server or make the connection fall back to clear text",
    "require": "encrypted, but the certificate is not checked: anyone on the network can pose as the server",
    "verify-ca": "the certificate is checked against the CA but not against the server's address",
}


def tls_mode(url: URL) -> str:
    """The ``sslmode`` a connection to this server uses: the URL's, else ``PGSSLMODE``, else libpq's."""
    mode = url.query.get("sslmode")
    if isinstance(mode, str) and mode:
        return mode
    return os.environ.get("PGSSLMODE") or LIBPQ_SSLMODE


def is_weak_tls(mode: str) -> bool:
    """Whether ``mode`` is weaker than checking the server's certificate and address."""
    return mode != DEFAULT_SSLMODE


def log_weak_tls(url: URL, how: str, *, level: int = logging.WARNING) -> None:
    """Log a center server used with a mode weaker than ``verify-full`` (``how``: "opened", "saved in
    the server settings" …). A socket path (a server on this computer) needs no TLS and is not logged.

    The app's log file keeps INFO and up; the command line has no log handler, and Python would print
    a WARNING there in English, so it logs at INFO and says it in Chinese itself."""
    mode = tls_mode(url)
    if not is_weak_tls(mode) or (url.host or "").startswith("/") or not url.get_backend_name().startswith(
            "postgresql"):
        return
    log.log(level, "Center server %s %s with sslmode=%s, weaker than verify-full: %s",
                url.render_as_string(hide_password=True), how, mode, _WEAKNESS.get(mode, "unknown mode"))


def ca_file_problem(path: str) -> str | None:
    """Why ``path`` cannot be the center's CA certificate (Chinese), or None. libpq reads only PEM
    (a text file of ``-----BEGIN CERTIFICATE-----`` blocks); ``system`` means the system's roots."""
    if path == "system":
        return None
    file = Path(path).expanduser()
    if not file.is_file():
        return f"找不到 CA 证书文件“{path}”：请把信息技术人员给的中心 CA 证书文件复制到本机一个固定的位置，再选择它。"
    try:
        head = file.read_bytes()[:65536]
    except OSError as exc:
        return f"无法读取 CA 证书文件“{path}”：{exc.strerror or exc}。"
    if b"-----BEGIN CERTIFICATE-----" not in head:
        return (f"“{path}”不是 PEM 格式的证书文件（应是以 -----BEGIN CERTIFICATE----- 开头的文本文件）。"
                "请向信息技术人员要中心的 CA 证书文件 center-ca.crt。")
    return None


@dataclass(frozen=True)
class ServerAddress:
    """Where a center server is, as the server forms edit it (never with a password). A new
    address checks the server's certificate (``verify-full``) against the CA file ``sslrootcert``."""

    host: str
    port: int
    database: str
    user: str
    sslmode: str = DEFAULT_SSLMODE
    sslrootcert: str | None = None


def server_url(address: ServerAddress) -> URL:
    """The URL of a center server without a password: what the desk's settings keep. It always names
    its ``sslmode``; a relative CA file path is made absolute (libpq would read it from wherever the
    program was started)."""
    root = address.sslrootcert
    if root and root != "system":
        root = str(Path(root).expanduser().absolute())
    query = {key: value for key, value in (("sslmode", address.sslmode or DEFAULT_SSLMODE), ("sslrootcert", root))
             if value}
    return URL.create("postgresql+psycopg", username=address.user or None, password=None, host=address.host,
                      port=address.port, database=address.database, query=query)


def server_address(text: str, default_port: int = 5432) -> ServerAddress | None:
    """The parts of a PostgreSQL URL for the server forms; None for anything else (a SQLite file,
    a malformed URL)."""
    try:
        url = make_url(text)
    except Exception:
        return None
    if url.get_backend_name() != "postgresql":
        return None
    root = url.query.get("sslrootcert")
    # A URL saved before the desks checked certificates names no mode: libpq's default is in effect.
    return ServerAddress(url.host or "", url.port or default_port, url.database or "", url.username or "",
                         tls_mode(url), root if isinstance(root, str) else None)


@dataclass(frozen=True)
class ServerProbe:
    """What a connection test found on a center server."""

    stage: ProbeStage
    #: This program's schema revision.
    head: str
    #: Why the server cannot be used and what to do, in Chinese; empty when it can be used (or,
    #: with an older structure, once its administrator upgraded it).
    problem: str = ""
    #: The server's own words for a failure, for a screen that says it in its own words.
    detail: str = ""
    schema: SchemaState | None = None
    revision: str | None = None
    server_version: str = ""
    encrypted: bool = False
    #: The server proved it is the one of the URL's address with a certificate of the desk's CA
    #: (``verify-full``): nobody on the network stands in between.
    verified: bool = False
    #: Accounts in the database (0 when it has no structure yet).
    users: int = 0

    @property
    def ok(self) -> bool:
        """Connected: the server is reachable and accepted the account."""
        return self.stage is ProbeStage.CONNECTED

    @property
    def has_center(self) -> bool:
        return self.users > 0

    @property
    def outdated(self) -> bool:
        """The structure is older than this program's: the center's administrator upgrades it first."""
        return self.schema is SchemaState.OLDER

    @property
    def usable(self) -> bool:
        """A desk can work on it now (an empty database gets its structure when the center is set up)."""
        return self.ok and self.schema in (SchemaState.EMPTY, SchemaState.CURRENT)


def probe_server(url: URL, password: str | None = None, *, password_step: str = "",
                 timeout: int = PROBE_TIMEOUT) -> ServerProbe:
    """Connect to the PostgreSQL server of ``url`` and look at its database: the server's version,
    whether the connection is encrypted, the structure's revision against this program's and the
    number of accounts.

    A server that cannot be used is not an exception: the probe says how far it got and, in
    Chinese, what to do (``password_step``: how the caller's user gives the password). Fit for a
    worker thread: the password is ``password`` or the URL's own, else libpq's (.pgpass) — the
    keychain is not read here — and the one connection is closed before the probe returns.
    """
    head = head_revision()
    connect_url = url.set(password=password) if password else url
    connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": timeout}
    engine = create_engine(connect_url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar())
            encrypted = bool(connection.exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar())
            revision = revision_on(connection)
            schema = _schema_state(revision, head)
            users = 0
            if schema in (SchemaState.OLDER, SchemaState.CURRENT):
                # The desk's own role (migration 0014) may not read the accounts, only ask whether
                # there are any.
                readable = connection.exec_driver_sql("SELECT has_any_column_privilege('app_user', 'SELECT')").scalar()
                users = int(connection.exec_driver_sql(
                    "SELECT count(*) FROM app_user" if readable else "SELECT md_desk_has_users()::int").scalar() or 0)
    except (SQLAlchemyError, OSError) as error:
        return ServerProbe(_stage_of(error), head,
                           problem=credentials.describe_connection_error(url, error, password_step=password_step),
                           detail=_server_words(error))
    finally:
        engine.dispose()
    problem = (f"服务器上的数据库结构版本（{revision}）比本程序新，请先安装新版矛调工作台。"
               if schema is SchemaState.NEWER else "")
    return ServerProbe(ProbeStage.CONNECTED, head, problem=problem, schema=schema, revision=revision,
                       server_version=version, encrypted=encrypted,
                       verified=encrypted and tls_mode(url) == DEFAULT_SSLMODE, users=users)


def _schema_state(revision: str | None, head: str) -> SchemaState:
    if revision is None:
        return SchemaState.EMPTY
    if revision == head:
        return SchemaState.CURRENT
    if not is_known_revision(revision):
        return SchemaState.NEWER  # a revision this program does not know comes from a newer one
    return SchemaState.OLDER


def _stage_of(error: BaseException) -> ProbeStage:
    raw = getattr(error, "orig", None) or error
    state = getattr(raw, "sqlstate", None) or ""
    problem = credentials.diagnose(error)
    if state in ("28P01", "28000") or problem in (
            credentials.Problem.NO_PASSWORD, credentials.Problem.WRONG_PASSWORD, credentials.Problem.NOT_ALLOWED):
        return ProbeStage.AUTH
    if state == "3D000" or problem is credentials.Problem.NO_DATABASE:
        return ProbeStage.NO_DATABASE
    if re.search(r"ssl|certificate|tls", str(raw), flags=re.IGNORECASE):
        return ProbeStage.TLS
    if problem in (credentials.Problem.REFUSED, credentials.Problem.UNKNOWN_HOST, credentials.Problem.TIMEOUT):
        return ProbeStage.UNREACHABLE
    return ProbeStage.FAILED


def _server_words(error: BaseException) -> str:
    """The server's (or libpq's) reason, without the "connection to server at … failed:" before it."""
    lines = [line.strip() for line in str(getattr(error, "orig", None) or error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    return lines[0].rsplit(" failed: ", 1)[-1]
