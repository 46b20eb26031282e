"""The desk's SQLite file and its backups encrypted with SQLCipher (issue 17 item 6), and the
trusted local FUSE setting (item 7).

Each test has its own in-memory keyring (``tests/conftest.py``); the suite's default path keeps new
files plain (``MEDIATION_DESK_ENCRYPTION=off``), so every test here asks for encryption itself.
The command line runs in this process (``cli.main``) so that it uses the test's keyring.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediation_desk import cli, credentials, dbcipher, settings
from mediation_desk.db import Database, NetworkDatabaseRefused, upgrade
from mediation_desk.demo.loop import STORY_CASES
from mediation_desk.models import AuditEntry, Party, Role
from mediation_desk.services import audit, auth, backup, desk_trust
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .conftest import MemoryKeyring
from .services.helpers import make_user

ADMIN_PASSWORD = "Admin#2026x"
DEMO_PASSWORD = "Demo@2026"


@pytest.fixture
def encrypting(monkeypatch: pytest.MonkeyPatch) -> None:
    """New desks are encrypted, as outside the test suite."""
    monkeypatch.setenv(dbcipher.ENCRYPTION_ENV, "on")


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
        stdin: str = "") -> tuple[int, str, str]:
    """``mediation-desk ARGS`` in this process: exit status, stdout, stderr."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def plain_sqlite_refuses(path: Path) -> str:
    """The stdlib's sqlite3 cannot read the file: its error."""
    with contextlib.closing(sqlite3.connect(path)) as conn, pytest.raises(sqlite3.DatabaseError) as caught:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return str(caught.value)


def personal_data(db: Database) -> list[bytes]:
    with db.read() as session:
        rows = session.execute(select(Party.name, Party.id_number)).all()
    values = [v for row in rows for v in row if v and len(v) >= 2]
    assert len(values) > 20
    return [v.encode("utf-8") for v in values]


@pytest.fixture
def demo_desk(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
              encrypting: None) -> Path:
    """A new desk made as a person makes one: ``db upgrade`` then ``demo``, encrypted by default."""
    path = tmp_path / "desk" / "center.sqlite3"
    code, _out, err = run(capsys, monkeypatch, "--database", f"sqlite:///{path}", "db", "upgrade")
    assert code == 0, err
    code, _out, err = run(capsys, monkeypatch, "--database", f"sqlite:///{path}", "demo", "--cases", "30",
                          "--township-cases", "0")
    assert code == 0, err
    return path


def test_a_new_desk_is_encrypted_and_no_name_or_id_number_is_readable_in_its_bytes(
        demo_desk: Path, memory_keyring: MemoryKeyring) -> None:
    raw = demo_desk.read_bytes()
    assert raw[:16] != dbcipher.SQLITE_HEADER
    assert "not a database" in plain_sqlite_refuses(demo_desk)
    # The key is in the keychain, filed under the file's salt (its first 16 bytes).
    assert (credentials.DATABASE_KEY_SERVICE, raw[:16].hex()) in memory_keyring.passwords
    db = Database(f"sqlite:///{demo_desk}", create=False)
    try:
        assert db.cipher_key is not None
        secrets_ = personal_data(db)
        # A write that stays in the WAL while the writer is open: the WAL is encrypted too.
        with db.write() as session:
            session.execute(text("UPDATE party SET name = '欧阳明远' WHERE id = (SELECT min(id) FROM party)"))
        wal = demo_desk.with_name(demo_desk.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        wal_bytes = wal.read_bytes()
        main_bytes = demo_desk.read_bytes()
        for value in [*secrets_, "欧阳明远".encode()]:
            assert value not in main_bytes
            assert value not in wal_bytes
    finally:
        db.dispose()
    assert demo_desk.stat().st_mode & 0o777 == 0o600


def test_a_missing_or_wrong_key_is_refused_in_chinese_naming_the_file(
        demo_desk: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    salt = demo_desk.read_bytes()[:16].hex()
    memory_keyring.passwords.clear()
    with pytest.raises(dbcipher.DatabaseKeyMissing) as missing:
        Database(f"sqlite:///{demo_desk}", create=False)
    assert str(demo_desk) in str(missing.value) and "钥匙串中没有它的密钥" in str(missing.value)
    assert "db decrypt" in str(missing.value)
    code, out, err = run(capsys, monkeypatch, "--database", f"sqlite:///{demo_desk}", "case", "list",
                         "--as", "head", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 2 and not out
    assert str(demo_desk) in err and "已加密" in err and "Traceback" not in err
    # Another file's key filed under this file's id does not open it either.
    memory_keyring.passwords[(credentials.DATABASE_KEY_SERVICE, salt)] = "00" * 32
    with pytest.raises(dbcipher.DatabaseKeyWrong) as wrong:
        Database(f"sqlite:///{demo_desk}", create=False)
    assert str(demo_desk) in str(wrong.value) and "无法用系统钥匙串中的密钥解开" in str(wrong.value)
    code, out, err = run(capsys, monkeypatch, "--database", f"sqlite:///{demo_desk}", "db", "check")
    assert code == 2 and "无法用系统钥匙串中的密钥解开" in err and "Traceback" not in err


def test_unencrypted_keeps_a_new_desk_plain_for_support_and_an_old_plain_desk_keeps_working(
        tmp_path: Path, encrypting: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        sqlite_template: Path) -> None:
    path = tmp_path / "support.sqlite3"
    code, _out, err = run(capsys, monkeypatch, "--database", f"sqlite:///{path}", "db", "upgrade", "--unencrypted")
    assert code == 0, err
    assert path.read_bytes()[:16] == dbcipher.SQLITE_HEADER
    old = tmp_path / "old.sqlite3"
    old.write_bytes(sqlite_template.read_bytes())
    db = Database(f"sqlite:///{old}", create=False, encrypt_new=True)  # an existing file is never re-keyed
    try:
        assert db.cipher_key is None
        upgrade(db)
        assert usernames(db) == []
    finally:
        db.dispose()
    assert old.read_bytes()[:16] == dbcipher.SQLITE_HEADER


def test_without_a_keychain_a_new_desk_stays_plain_and_says_why(
        tmp_path: Path, encrypting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_keychain(_file_id: str, _key: str) -> None:
        raise credentials.KeychainUnavailable("本机没有运行任何钥匙串服务")

    monkeypatch.setattr(credentials, "store_database_key", no_keychain)
    path = tmp_path / "plain.sqlite3"
    db = Database(f"sqlite:///{path}", encrypt_new=True)
    try:
        assert db.cipher_key is None
        assert db.unencrypted_reason is not None and "未加密" in db.unencrypted_reason
        assert "db encrypt" in db.unencrypted_reason
        upgrade(db)
    finally:
        db.dispose()
    assert path.read_bytes()[:16] == dbcipher.SQLITE_HEADER


def _admin(db: Database) -> Actor:
    with db.write() as session:
        auth.create_user(session, Actor.system("test"), username="root", display_name="管理员",
                         role=Role.ADMIN, password=ADMIN_PASSWORD, must_change_password=False)
    return auth.login(db, "root", ADMIN_PASSWORD)


@pytest.fixture
def encrypted_db(tmp_path: Path, sqlite_template: Path) -> Path:
    """A migrated desk, encrypted (the template's content exported into SQLCipher)."""
    path = tmp_path / "enc.sqlite3"
    key = dbcipher.new_key()
    dbcipher.store_new_key(key)
    dbcipher.export(sqlite_template, None, path, key)
    return path


def usernames(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(text("SELECT username FROM app_user ORDER BY username")))


def test_a_plain_desk_encrypted_by_a_fresh_process_opens_with_its_key(tmp_path: Path,
                                                                      sqlite_template: Path) -> None:
    """``db encrypt`` runs in a process that has opened no encrypted file yet: SQLCipher's
    process-wide defaults are still its own (HMAC SHA512), and the copy must still be written in
    the desk's format (this process has long set them, so the export runs in a child)."""
    key = dbcipher.new_key()
    target = tmp_path / "encrypted.sqlite3"
    child = ("import sys; from pathlib import Path; from mediation_desk import dbcipher; "
             "dbcipher.export(Path(sys.argv[1]), None, Path(sys.argv[2]), "
             "dbcipher.CipherKey(sys.argv[3], sys.argv[4], int(sys.argv[5])))")
    done = subprocess.run([sys.executable, "-c", child, str(sqlite_template), str(target), key.key, key.salt,
                           str(key.page_size)], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with contextlib.closing(dbcipher.connect(target, key)) as conn:
        assert conn.execute("SELECT count(*) FROM dispute_type").fetchone()[0] > 0


def test_backup_of_an_encrypted_desk_is_encrypted_with_the_same_key_and_restores(
        encrypted_db: Path, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        admin = _admin(db)
        make_user(db, "clerk", Role.INTAKE)
        saved = backup.backup_now(db, admin, tmp_path / "b")
        assert saved.read_bytes()[:16] == encrypted_db.read_bytes()[:16]  # the same salt: the same key entry
        assert dbcipher.key_for(saved).page_size == dbcipher.PAGE_SIZE == 16384  # and the same page size
        assert "not a database" in plain_sqlite_refuses(saved)
        assert saved.stat().st_mode & 0o777 == 0o600
        assert b"clerk" not in saved.read_bytes()
        checked = backup.check_backup(saved, work_dir=tmp_path / "work")
        assert checked.users == 2
        make_user(db, "later", Role.MEDIATOR)
        assert usernames(db) == ["clerk", "later", "root"]
        result = backup.restore(db, saved, admin, folder=tmp_path / "b")
        assert usernames(db) == ["clerk", "root"]
        assert result.safety_backup is not None and dbcipher.is_encrypted(result.safety_backup)
        assert dbcipher.is_encrypted(encrypted_db)
        with db.read() as session:
            assert audit.verify_chain(session).intact
    finally:
        db.dispose()


def test_a_planted_trigger_in_an_encrypted_backup_is_refused_by_the_schema_check(
        encrypted_db: Path, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        admin = _admin(db)
        saved = backup.backup_now(db, admin, tmp_path / "b")
        key = dbcipher.key_for(saved)
        with contextlib.closing(dbcipher.connect(saved, key)) as conn:
            conn.execute("CREATE TABLE loot (name TEXT)")
            conn.execute("CREATE TRIGGER copy_party AFTER INSERT ON party BEGIN "
                         "INSERT INTO loot VALUES (new.name); END")
            conn.commit()
        with pytest.raises(backup.BackupSchemaRefused) as refused:
            backup.restore(db, saved, admin, folder=tmp_path / "b")
        assert "copy_party" in str(refused.value) and "loot" in str(refused.value)
    finally:
        db.dispose()


def test_a_plain_backup_restored_into_an_encrypted_desk_is_encrypted_with_its_key(
        encrypted_db: Path, sqlite_db: Database, tmp_path: Path) -> None:
    plain_admin = _admin(sqlite_db)
    make_user(sqlite_db, "oldclerk", Role.INTAKE)
    plain_backup = backup.backup_now(sqlite_db, plain_admin, tmp_path / "plain")
    assert plain_backup.read_bytes()[:16] == dbcipher.SQLITE_HEADER
    db = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        admin = _admin(db)
        backup.restore(db, plain_backup, admin, folder=tmp_path / "b")
        assert usernames(db) == ["oldclerk", "root"]
    finally:
        db.dispose()
    assert dbcipher.is_encrypted(encrypted_db)
    assert b"oldclerk" not in encrypted_db.read_bytes()
    again = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        assert usernames(again) == ["oldclerk", "root"]
    finally:
        again.dispose()


def test_an_encrypted_backup_without_its_key_is_refused(encrypted_db: Path, tmp_path: Path,
                                                        memory_keyring: MemoryKeyring) -> None:
    db = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        admin = _admin(db)
        saved = backup.backup_now(db, admin, tmp_path / "b")
    finally:
        db.dispose()
    memory_keyring.passwords.pop((credentials.DATABASE_KEY_SERVICE, saved.read_bytes()[:16].hex()))
    with pytest.raises(backup.BackupRefused) as refused:
        backup.check_backup(saved, work_dir=tmp_path / "work")
    assert saved.name in str(refused.value) and "没有它的密钥" in str(refused.value)


def _plain_desk_with_admin(path: Path, sqlite_template: Path) -> None:
    path.write_bytes(sqlite_template.read_bytes())
    db = Database(f"sqlite:///{path}", create=False)
    try:
        _admin(db)
        make_user(db, "clerk", Role.INTAKE)
    finally:
        db.dispose()


def test_db_encrypt_turns_a_plain_desk_into_an_encrypted_one_audited(
        tmp_path: Path, sqlite_template: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    _plain_desk_with_admin(path, sqlite_template)
    url = f"sqlite:///{path}"
    login = ("--as", "root", "--password-stdin")
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "encrypt", "--as", "clerk", "--password-stdin",
                         stdin="Clerk#2026x\n")
    assert code == 2 and path.read_bytes()[:16] == dbcipher.SQLITE_HEADER
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "encrypt", *login, stdin=ADMIN_PASSWORD + "\n")
    assert code == 0, err
    assert "已加密" in out
    assert dbcipher.is_encrypted(path)
    assert dbcipher.key_for(path).page_size == dbcipher.PAGE_SIZE  # a new encrypted file: the new page size
    assert not path.with_name(path.name + "-wal").exists() or b"clerk" not in path.with_name(
        path.name + "-wal").read_bytes()
    assert b"clerk" not in path.read_bytes()
    assert "not a database" in plain_sqlite_refuses(path)
    db = Database(url, create=False)
    try:
        assert usernames(db) == ["clerk", "root"]
        with db.read() as session:
            assert audit.verify_chain(session).intact
            assert session.scalar(select(AuditEntry.action).where(AuditEntry.action == "encrypt")) == "encrypt"
    finally:
        db.dispose()
    # Commands work on the encrypted file as before.
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "check")
    assert code == 0 and "数据库结构正常" in out, err
    code, out, err = run(capsys, monkeypatch, "--database", url, "user", "list", "--json", *login,
                         stdin=ADMIN_PASSWORD + "\n")
    assert code == 0 and "clerk" in out, err
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "encrypt", *login, stdin=ADMIN_PASSWORD + "\n")
    assert code == 0 and "已经是加密的" in out


def test_cli_on_an_encrypted_desk_lists_checks_and_exports_a_plain_copy_audited(
        demo_desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{demo_desk}"
    head = ("--as", "head", "--password-stdin")
    code, out, err = run(capsys, monkeypatch, "--database", url, "case", "list", "--limit", "3", "--json", *head,
                         stdin=DEMO_PASSWORD + "\n")
    assert code == 0, err
    assert json.loads(out)["total"] == 30 + STORY_CASES  # the demo's loop registers the briefing's (docs/demo.md)
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "check")
    assert code == 0, err
    # The demo's administrator: a plain copy for support, refused to the head.
    copy = tmp_path / "support.sqlite3"
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "decrypt", "--to", str(copy), *head,
                         stdin=DEMO_PASSWORD + "\n")
    assert code == 2 and not copy.exists() and "不是系统管理员" in err
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "decrypt", "--to", str(copy),
                         "--as", "admin", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 0, err
    assert copy.read_bytes()[:16] == dbcipher.SQLITE_HEADER and copy.stat().st_mode & 0o777 == 0o600
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == dbcipher.PAGE_SIZE  # the desk's page size
        assert conn.execute("SELECT count(*) FROM dispute_case").fetchone()[0] == 30 + STORY_CASES
        assert conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'decrypt'").fetchone()[0] == 1
    assert dbcipher.is_encrypted(demo_desk)
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "decrypt", "--to", str(copy),
                         "--as", "admin", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert code == 2 and "已存在" in err


def test_a_new_desk_has_the_larger_pages_which_another_page_size_cannot_read(
        demo_desk: Path, memory_keyring: MemoryKeyring) -> None:
    key = dbcipher.key_for(demo_desk)
    assert key.page_size == dbcipher.PAGE_SIZE == 16384
    assert demo_desk.stat().st_size % 16384 == 0
    # The page size is part of the format: the same key with SQLCipher's default 4 KiB pages fails
    # the first page's HMAC, as a wrong key does (so key_for really found it, it did not guess).
    with pytest.raises(dbcipher.DatabaseKeyWrong):
        dbcipher.connect(demo_desk, dbcipher.CipherKey(key.key, key.salt, dbcipher.LEGACY_PAGE_SIZE))
    with contextlib.closing(dbcipher.connect(demo_desk, key)) as conn:
        assert int(conn.execute("PRAGMA page_size").fetchone()[0]) == 16384
        assert int(conn.execute("PRAGMA cipher_use_hmac").fetchone()[0]) == 1  # each page still authenticated


def test_an_encrypted_desk_of_the_old_4_kib_pages_keeps_working_and_its_backups_too(
        tmp_path: Path, sqlite_template: Path, encrypted_db: Path) -> None:
    """A desk encrypted before the page size changed: SQLCipher 4's default 4 KiB pages."""
    old = tmp_path / "old-enc.sqlite3"
    old_key = dbcipher.new_key(dbcipher.LEGACY_PAGE_SIZE)
    dbcipher.store_new_key(old_key)
    dbcipher.export(sqlite_template, None, old, old_key)
    db = Database(f"sqlite:///{old}", create=False)
    try:
        assert db.cipher_key is not None and db.cipher_key.page_size == 4096
        admin = _admin(db)
        make_user(db, "oldclerk", Role.INTAKE)
        saved = backup.backup_now(db, admin, tmp_path / "b")
        assert dbcipher.key_for(saved).page_size == 4096
        make_user(db, "later", Role.MEDIATOR)
        backup.restore(db, saved, admin, folder=tmp_path / "b")
        assert usernames(db) == ["oldclerk", "root"]
        with db.read() as session:
            assert audit.verify_chain(session).intact
    finally:
        db.dispose()
    assert dbcipher.key_for(old).page_size == 4096  # the old file keeps its format
    # The old desk's backup restored into a new desk (another key, 16 KiB pages): re-encrypted with
    # the new desk's key and page size.
    new = Database(f"sqlite:///{encrypted_db}", create=False)
    try:
        assert new.cipher_key is not None and new.cipher_key.page_size == 16384
        backup.restore(new, saved, _admin(new), folder=tmp_path / "b2")
        assert usernames(new) == ["oldclerk", "root"]
    finally:
        new.dispose()
    assert dbcipher.key_for(encrypted_db).page_size == 16384
    # A plain copy of the old desk keeps its 4 KiB pages.
    copy = tmp_path / "old-plain.sqlite3"
    dbcipher.export(old, dbcipher.key_for(old), copy, None)
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert conn.execute("SELECT count(*) FROM app_user WHERE username = 'oldclerk'").fetchone()[0] == 1


def test_the_key_follows_the_file_when_it_is_moved(demo_desk: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "renamed.sqlite3"
    moved.parent.mkdir()
    demo_desk.rename(moved)
    db = Database(f"sqlite:///{moved}", create=False)
    try:
        assert usernames(db)
    finally:
        db.dispose()


# --------------------------------------------------------------------------- trusted FUSE


def _mounts(tmp_path: Path, kind: str) -> str:
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 / ext4 rw 0 0\nmerged {tmp_path / 'fuse'} {kind} rw 0 0\n", encoding="utf-8")
    return str(table)


def test_a_trusted_local_fuse_type_is_set_by_the_admin_audited_and_opens_the_desk(
        sqlite_db: Database, tmp_path: Path) -> None:
    admin = _admin(sqlite_db)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    mounts = _mounts(tmp_path, "fuse.mergerfs")
    (tmp_path / "fuse").mkdir()
    url = f"sqlite:///{tmp_path / 'fuse' / 'desk.sqlite3'}"
    with pytest.raises(NetworkDatabaseRefused):
        Database(url, mounts_file=mounts, trusted_filesystems=settings.trusted_filesystems())
    with pytest.raises(PermissionDenied):
        desk_trust.set_trusted(sqlite_db, clerk, ["fuse.mergerfs"])
    for remote in ("fuse.gvfsd-fuse", "fuse.sshfs", "nfs4", "ext4", "fuse.smbnetfs"):
        with pytest.raises(InvalidInput) as refused:
            desk_trust.set_trusted(sqlite_db, admin, [remote])
        assert remote in str(refused.value)
    assert settings.trusted_filesystems() == frozenset()
    assert desk_trust.set_trusted(sqlite_db, admin, ["FUSE.mergerfs"]) == {"fuse.mergerfs"}
    opened = Database(url, mounts_file=mounts, trusted_filesystems=settings.trusted_filesystems())
    opened.dispose()
    with sqlite_db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "trust_filesystems")).one()
        assert entry.detail["after"] == ["fuse.mergerfs"] and entry.username == "root"
    desk_trust.set_trusted(sqlite_db, admin, [])
    with pytest.raises(NetworkDatabaseRefused):
        Database(url, mounts_file=mounts, trusted_filesystems=settings.trusted_filesystems())


def test_db_trust_fs_command(sqlite_db: Database, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    _admin(sqlite_db)
    url = sqlite_db.display_name
    login = ("--as", "root", "--password-stdin")
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "trust-fs", "fuse.gvfsd-fuse", *login,
                         stdin=ADMIN_PASSWORD + "\n")
    assert code == 2 and "网络文件系统" in err
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "trust-fs", "fuse.mergerfs")
    assert code == 2 and "--as" in err
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "trust-fs", "fuse.mergerfs", *login,
                         stdin=ADMIN_PASSWORD + "\n")
    assert code == 0, err
    assert settings.trusted_filesystems() == {"fuse.mergerfs"}
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "trust-fs")
    assert code == 0 and "fuse.mergerfs" in out
    code, out, err = run(capsys, monkeypatch, "--database", url, "db", "trust-fs", "--clear", *login,
                         stdin=ADMIN_PASSWORD + "\n")
    assert code == 0 and settings.trusted_filesystems() == frozenset()
    with sqlite_db.read() as session:
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "trust_filesystems")).all()) == 2


# --------------------------------------------------------------------------- the benchmarks' encrypted runs


@pytest.mark.slow
@pytest.mark.parametrize("script, arguments", [
    ("caselist.py", ("--cases", "2000", "--repeat", "1")),
    ("intake.py", ("--rows", "300", "--rounds", "2", "--repeat", "1", "--no-postgresql")),
])
def test_the_benchmarks_measure_an_encrypted_file_beside_a_plain_one(tmp_path: Path, script: str,
                                                                    arguments: tuple[str, ...]) -> None:
    bench = Path(__file__).resolve().parents[1] / "bench"
    extra = ("--database", str(tmp_path / "b.sqlite3")) if script == "caselist.py" else ()
    done = subprocess.run([sys.executable, str(bench / script), *arguments, *extra, "--encrypted"],
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    assert "SQLCipher cost (encrypted ÷ unencrypted time; budget ≤ 1.3×)" in done.stdout
    assert "worst ratio:" in done.stdout
    if script == "caselist.py":
        assert dbcipher.is_encrypted(tmp_path / "b-encrypted.sqlite3")
        assert not dbcipher.is_encrypted(tmp_path / "b.sqlite3")
