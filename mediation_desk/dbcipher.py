"""SQLite files encrypted with SQLCipher 4 (the ``sqlcipher3`` binding, which bundles SQLCipher).

How a desk knows a file is encrypted: a plain SQLite file starts with the 16 bytes
``SQLite format 3\\0``; a SQLCipher file starts with its 16-byte random *salt* instead (everything
after it is ciphertext). An empty or missing file is a new one.

Where the key lives: in the OS keychain (``credentials.store_database_key``), service
``mediation-desk/database``, filed under the file's salt written as hex — the file's own stable id.
The salt is not secret (it is the first 16 bytes of the file) and is not the key; it is chosen when
the file is created and never changes, so the key follows the file when it is moved, renamed or
copied to another folder (a key filed under the path would be lost by a move, and a copy would
need a second entry). Backups are written with the same key *and the same salt*, so a desk's
backups are found under the same entry and restore without a second key. A file from another
computer has a salt this keychain does not know: it is refused, with the file named and what to
do (decrypt it on the computer that made it, ``db decrypt``).

The key is 32 random bytes given to SQLCipher as a raw key (``x'…'``): no passphrase, so no
PBKDF2 (256 000 iterations, ~0.2 s) runs for each new connection of the pools.

A keychain that cannot be used (a headless Linux without Secret Service) does not stop a desk
from working: a new file is then created unencrypted, and the log and the command line say why
(see :func:`encrypt_new_default` for the one switch that keeps new files unencrypted).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import sqlcipher3

from . import credentials
from .db import DatabaseError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
#: Set to ``off`` (or 0/no/false), new SQLite files are created unencrypted: for support, and for
#: the test suite's fast default path. The command line's ``--unencrypted`` does the same for one run.
ENCRYPTION_ENV = "MEDIATION_DESK_ENCRYPTION"
#: Errors of either SQLite binding (the stdlib's and SQLCipher's are unrelated classes).
SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher3.Error)


#: The format of the desk's encrypted files: SQLCipher 4's (AES-256-CBC, an HMAC per page) with
#: HMAC-SHA256 instead of SHA512 — the HMAC is most of the cost of reading a page (measured: about a
#: fifth less per page here, where the CPU computes SHA-256 in hardware) — and pages of
#: :data:`PAGE_SIZE` (files made before 2026-12-05: SQLCipher's 4096). Given to every connection
#: before the key, as defaults, so that files ATTACHed by :func:`export` get them too; the page size
#: is then set on each connection and attached file (:func:`connect`, :func:`export`): SQLCipher's
#: defaults are shared by the whole process, a file's page size is its own. Another tool opening a
#: desk's file needs ``PRAGMA cipher_hmac_algorithm = HMAC_SHA256`` and ``PRAGMA cipher_page_size``.
CIPHER_SETTINGS = ("PRAGMA cipher_default_hmac_algorithm = HMAC_SHA256", "PRAGMA cipher_default_page_size = 4096")
#: Page size of the encrypted files made from now on (new desks, ``db encrypt``), in bytes. Each page
#: read from the disk or the OS's cache is decrypted and its HMAC checked; a larger page spreads the
#: fixed cost of that over more rows and index entries (see docs/security.md, "Cost of encryption").
#: The page size is fixed when a file is created and cannot be read from an encrypted file's first
#: bytes: :func:`key_for` finds it by trying :data:`PAGE_SIZES`.
PAGE_SIZE = 16384
#: SQLCipher 4's default: the page size of the encrypted files made before :data:`PAGE_SIZE`.
LEGACY_PAGE_SIZE = 4096
#: Every page size an encrypted desk file may have (SQLCipher accepts powers of two from 512 to
#: 65536; the desk never made files of less than 4096): :func:`page_size_of` tries them.
PAGE_SIZES = (4096, 8192, 16384, 32768, 65536)
#: Page cache of each connection to an encrypted file, in KiB (decrypted pages; SQLite's default is
#: 2 MiB): a page found there is not decrypted and checked again. The one writer connection gets
#: more: an import or a migration rewrites index pages all over the file, and a plain file's
#: writer finds them in the OS's cache for free, an encrypted one decrypts them again.
CACHE_KIB = 16384
WRITER_CACHE_KIB = 65536


class FileKind(Enum):
    NEW = "new"  # missing or 0 bytes
    PLAIN = "plain"
    ENCRYPTED = "encrypted"


class DatabaseKeyMissing(DatabaseError):
    """An encrypted file whose key this computer's keychain does not hold (or cannot give)."""


class DatabaseKeyWrong(DatabaseError):
    """The key found does not open the file (a damaged file, or a key of another file)."""


def file_kind(path: Path) -> FileKind:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return FileKind.NEW
    if not head:
        return FileKind.NEW
    if head == SQLITE_HEADER or len(head) < 16:
        return FileKind.PLAIN  # a short file is no database: SQLite says so when it is opened
    return FileKind.ENCRYPTED


def is_encrypted(path: Path) -> bool:
    return file_kind(path) is FileKind.ENCRYPTED


def file_id(path: Path) -> str:
    """The salt of an encrypted file, as hex: the keychain entry its key is filed under."""
    with path.open("rb") as handle:
        return handle.read(16).hex()


@dataclass(frozen=True)
class CipherKey:
    """A raw 256-bit SQLCipher key and the salt of the files it encrypts (both hex), and the page
    size of those files (given to each connection after the key: it is not in the file's clear bytes)."""

    key: str
    salt: str
    page_size: int = LEGACY_PAGE_SIZE

    def __repr__(self) -> str:  # never the key in a log or a traceback
        return f"CipherKey(salt={self.salt}, page_size={self.page_size})"

    @property
    def sql_literal(self) -> str:
        """The key as SQLCipher reads it: a raw key followed by the salt new files get."""
        return f"\"x'{self.key}{self.salt}'\""


def encrypt_new_default() -> bool:
    """Whether a new desk's SQLite file is encrypted: yes, unless ``MEDIATION_DESK_ENCRYPTION=off``."""
    return os.environ.get(ENCRYPTION_ENV, "on").strip().lower() not in ("off", "0", "no", "false")


def new_key(page_size: int | None = None) -> CipherKey:
    """A key for a new file, of :data:`PAGE_SIZE` (read when called) unless told another page size."""
    return CipherKey(secrets.token_hex(32), secrets.token_hex(16), page_size or PAGE_SIZE)


#: An encrypted file and any other file that is not plain SQLite look alike from outside (both
#: start with 16 unreadable bytes): the message says both.
NOT_OURS = "（如果这个文件本来就没有加密，那么它已损坏，或不是矛调工作台的数据库。）"


def key_for(path: Path) -> CipherKey:
    """The key of an encrypted file, from the keychain; :class:`DatabaseKeyMissing` in Chinese if none."""
    salt = file_id(path)
    try:
        key = credentials.load_database_key(salt)
    except credentials.KeychainUnavailable as exc:
        raise DatabaseKeyMissing(
            f"数据库文件“{path}”已加密（SQLCipher），它的密钥存在系统钥匙串里，但现在无法读取钥匙串：{exc}。"
            "请在桌面会话中解锁钥匙串后重试。" + NOT_OURS) from exc
    if key is None:
        raise DatabaseKeyMissing(
            f"数据库文件“{path}”已加密（SQLCipher），本机的系统钥匙串中没有它的密钥（文件编号 {salt}）。"
            "这个文件是在另一台电脑上或以另一个系统用户创建的：请在创建它的电脑上用 "
            f"mediation-desk --database {path} db decrypt --to 新文件 导出一份不加密的副本，"
            "复制到本机后再用 db encrypt 加密；或从本机自己的备份恢复。" + NOT_OURS)
    return CipherKey(key, salt, page_size_of(path, CipherKey(key, salt)))


def page_size_of(path: Path, key: CipherKey) -> int:
    """The page size of the encrypted file ``path``, found by opening it with each of :data:`PAGE_SIZES`
    — the current default and the old one first, and only those the file's length is a multiple
    of. A wrong page size fails the first page's HMAC, like a wrong key: a file that opens with
    none gives :data:`LEGACY_PAGE_SIZE`, and the connection that follows says, in Chinese, that the
    key does not open it. Any other error (a locked or unreadable file) is raised as it is."""
    size = path.stat().st_size
    candidates = dict.fromkeys((PAGE_SIZE, LEGACY_PAGE_SIZE, *PAGE_SIZES))
    for page_size in candidates:
        if size % page_size:
            continue
        try:
            connect(path, CipherKey(key.key, key.salt, page_size)).close()
        except DatabaseKeyWrong:
            continue
        return page_size
    return LEGACY_PAGE_SIZE


def store_new_key(key: CipherKey) -> None:
    credentials.store_database_key(key.salt, key.key)


def connect(path: Path | str, key: CipherKey | None, *, uri: bool = False, timeout: float = 30.0,
            check: bool = True, cache_kib: int = CACHE_KIB) -> sqlcipher3.Connection:
    """A SQLCipher connection to ``path``, keyed before anything else is read (``key`` None: a plain
    file, read with SQLCipher's SQLite). ``check`` reads the first page: a wrong key becomes
    :class:`DatabaseKeyWrong`, in Chinese, instead of "file is not a database" on a later statement."""
    conn = sqlcipher3.connect(str(path), timeout=timeout, check_same_thread=False, uri=uri)
    try:
        if key is not None:
            # SQLCipher writes each failed decryption to stderr itself; the desk says it in Chinese.
            conn.execute("PRAGMA cipher_log_level = NONE")
            # The format of the desk's files, before the key (and for the files ATTACHed by export):
            # SQLCipher 4 with HMAC-SHA256 instead of its default SHA512 (see CIPHER_SETTINGS).
            for pragma in CIPHER_SETTINGS:
                conn.execute(pragma)
            conn.execute(f"PRAGMA key = {key.sql_literal}")
            conn.execute(f"PRAGMA cipher_page_size = {int(key.page_size)}")
            conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        if check:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if key is not None and "not a database" in str(exc):
            raise DatabaseKeyWrong(
                f"数据库文件“{path}”无法用系统钥匙串中的密钥解开（文件编号 {key.salt}）：文件已损坏，"
                "或钥匙串中这个编号下的密钥不是它的。请从备份恢复（mediation-desk restore）。") from exc
        raise
    return conn


def creator(path: Path, key: CipherKey | None, *, writer: bool = False) -> Any:
    """SQLAlchemy's ``creator`` for the engines of an encrypted file."""
    cache = WRITER_CACHE_KIB if writer else CACHE_KIB
    return lambda: connect(path, key, check=False, cache_kib=cache)


def driver() -> Any:
    """The DB-API module SQLAlchemy's pysqlite dialect uses for an encrypted file."""
    return sqlcipher3


def create_encrypted(path: Path) -> CipherKey:
    """Make ``path`` (missing or empty) a new encrypted SQLite file: a new key, stored in the
    keychain first (``KeychainUnavailable`` if it cannot be), then the first page written, so that
    the file names its salt from now on and never looks new again."""
    key = new_key()
    store_new_key(key)
    with contextlib.closing(connect(path, key, check=False)) as conn:
        conn.isolation_level = None
        conn.execute("PRAGMA user_version = 0")
    return key


def export(source: Path, source_key: CipherKey | None, target: Path, target_key: CipherKey | None) -> None:
    """Copy every table, index, trigger and view of ``source`` into the new file ``target`` with
    another encryption (``sqlcipher_export``): plain → encrypted, encrypted → plain, or another key.
    Read in one transaction of ``source``: a consistent copy."""
    with contextlib.closing(connect(source, source_key)) as conn:
        conn.isolation_level = None
        # The attached target is keyed with SQLCipher's process-wide defaults: a plain source's
        # connection did not set the desk's (connect sets them only with a key), and a process
        # that had opened no encrypted file yet wrote the target in SQLCipher's own format (HMAC
        # SHA512), which the desk's key then could not open.
        for pragma in CIPHER_SETTINGS:
            conn.execute(pragma)
        literal = target_key.sql_literal if target_key is not None else "''"
        conn.execute(f"ATTACH DATABASE ? AS target KEY {literal}", (str(target),))
        try:
            # The target's page size, before its first page is written: an encrypted target's is
            # its key's (the current default for a new key); a plain copy keeps the source's.
            if target_key is not None:
                conn.execute(f"PRAGMA target.cipher_page_size = {int(target_key.page_size)}")
            else:
                source_page_size = int(conn.execute("PRAGMA main.page_size").fetchone()[0])
                conn.execute(f"PRAGMA target.page_size = {source_page_size}")
            conn.execute("BEGIN")
            conn.execute("SELECT sqlcipher_export('target')")
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            application = int(conn.execute("PRAGMA main.application_id").fetchone()[0])
            conn.execute(f"PRAGMA target.user_version = {version}")
            conn.execute(f"PRAGMA target.application_id = {application}")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE target")


def same_key(a: CipherKey | None, b: CipherKey | None) -> bool:
    """Whether SQLite's backup API can copy pages between files of these keys (both plain, or one
    key and one page size)."""
    if a is None or b is None:
        return a is None and b is None
    return secrets.compare_digest(a.key, b.key) and a.page_size == b.page_size
