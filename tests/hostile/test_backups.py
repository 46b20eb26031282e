"""Hostile backups: real backups of a test database, altered with sqlite3 as an attacker with the
file would alter them — a trigger that keeps an account unlocked, one that copies every new party's
name, ID number and phone into a hidden table, an extra view or index, a dropped index, a column of
another type, objects of a newer revision, ``PRAGMA user_version``, another application's database,
an empty and a truncated file, a broken audit chain. Each is refused with a Chinese message naming
the difference, never a traceback, and the live database keeps every byte; an untouched backup
restores. ``db check`` finds the same plants in a live file."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk import cli, dbschema
from mediation_desk.db import Database, head_revision
from mediation_desk.models import DisputeCase, Party, Role
from mediation_desk.services import backup
from mediation_desk.services.actor import Actor

from ..services.helpers import PASSWORD, make_user, register


def url_of(db: Database) -> str:
    return f"sqlite:///{db.url.database}"


def live_bytes(db: Database) -> tuple[bytes, bytes]:
    """The live file and its WAL (the shared-memory index is SQLite's scratch space)."""
    main = Path(str(db.url.database))
    wal = main.with_name(main.name + "-wal")
    return (hashlib.sha256(main.read_bytes()).digest(),
            hashlib.sha256(wal.read_bytes()).digest() if wal.exists() else b"")


@pytest.fixture
def good_backup(sqlite_db: Database, tmp_path: Path) -> Path:
    """A real backup of a database with accounts, a registered case with its parties, and audit
    entries; then one more case is registered in the live database after it."""
    admin = make_user(sqlite_db, "admin", Role.ADMIN)
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    register(sqlite_db, clerk, title="备份里的案件")
    saved = backup.backup_now(sqlite_db, admin, tmp_path / "backups")
    register(sqlite_db, clerk, title="备份之后的案件")
    return saved


def altered(good: Path, name: str, *statements: str) -> Path:
    path = good.with_name(f"{name}.sqlite3")
    shutil.copyfile(good, path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    return path


def writable_schema(good: Path, name: str, table: str, old: str, new: str) -> Path:
    """A table's CREATE statement edited in place (``PRAGMA writable_schema``), as a tool that
    changes a column's declared type without rebuilding the table would leave it."""
    path = good.with_name(f"{name}.sqlite3")
    shutil.copyfile(good, path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        changed = conn.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE name = ?",
                               (old, new, table)).rowcount
        assert changed == 1
        conn.commit()
    return path


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[Path], Path]
    #: Every line the refusal must contain, word for word.
    named: tuple[str, ...]


KEEP_UNLOCKED = ("CREATE TRIGGER keep_unlocked AFTER UPDATE OF failed_logins ON app_user "
                 "BEGIN UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = new.id; END")
COPY_PARTIES = ("CREATE TRIGGER audit_copy_party AFTER INSERT ON party "
                "BEGIN INSERT INTO audit_shadow VALUES (new.name, new.id_number, new.phone); END")

HOSTILE = [
    Hostile("lockout_reset", lambda g: altered(g, "lockout_reset", KEEP_UNLOCKED),
            ("备份中多出触发器 keep_unlocked（表 app_user）",)),
    Hostile("party_copy", lambda g: altered(g, "party_copy", "CREATE TABLE audit_shadow (a, b, c)", COPY_PARTIES),
            ("备份中多出表 audit_shadow", "备份中多出触发器 audit_copy_party（表 party）")),
    Hostile("extra_view", lambda g: altered(g, "extra_view",
                                            "CREATE VIEW people AS SELECT name, id_number, phone FROM party"),
            ("备份中多出视图 people",)),
    Hostile("extra_index", lambda g: altered(g, "extra_index",
                                             "CREATE INDEX ix_party_everything ON party (phone, name)"),
            ("备份中多出索引 ix_party_everything（表 party）",)),
    Hostile("dropped_index", lambda g: altered(g, "dropped_index", "DROP INDEX ix_audit_entry_username_id"),
            ("备份中缺少索引 ix_audit_entry_username_id（表 audit_entry）",)),
    Hostile("column_type", lambda g: writable_schema(g, "column_type", "party", "phone VARCHAR(40) NOT NULL",
                                                     "phone BLOB NOT NULL"),
            ("表 party 的列 phone 不同：应为（VARCHAR(40)，非空），实为（BLOB，非空）",)),
    Hostile("column_nullable", lambda g: writable_schema(g, "column_nullable", "app_user",
                                                         "failed_logins INTEGER NOT NULL", "failed_logins INTEGER"),
            ("表 app_user 的列 failed_logins 不同：应为（INTEGER，非空），实为（INTEGER，可为空）",)),
    Hostile("dropped_foreign_key", lambda g: writable_schema(
        g, "dropped_foreign_key", "party",
        ", \n\tCONSTRAINT fk_party_case_id_dispute_case FOREIGN KEY(case_id) REFERENCES dispute_case (id) "
        "ON DELETE CASCADE", ""),
            ("表 party 的外键约束不同",)),
    # The newest objects in a file that says it is of an older revision.
    Hostile("newer_index", lambda g: altered(g, "newer_index", "UPDATE alembic_version SET version_num = '0011'"),
            ("备份中多出索引 ix_audit_entry_username_id（表 audit_entry）",)),
    Hostile("newer_table", lambda g: altered(g, "newer_table", "UPDATE alembic_version SET version_num = '0008'"),
            ("备份中多出表 kept_document",)),
    Hostile("user_version", lambda g: altered(g, "user_version", "PRAGMA user_version = 7"),
            ("PRAGMA user_version 为 7，应为 0",)),
    Hostile("trigger_renamed_table", lambda g: altered(
        g, "trigger_swapped", "DROP TRIGGER search_party_ai",
        "CREATE TRIGGER search_party_ai AFTER INSERT ON party BEGIN SELECT 1; END"),
            ("触发器 search_party_ai（表 party）的定义（SQL 语句）与本版本的不同",)),
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_a_hostile_backup_is_refused_naming_what_differs(sqlite_db: Database, good_backup: Path,
                                                         hostile: Hostile) -> None:
    path = hostile.make(good_backup)
    before = live_bytes(sqlite_db)
    with pytest.raises(backup.BackupRefused) as refused:
        backup.restore(sqlite_db, path, Actor.system("test"), folder=good_backup.parent)
    message = str(refused.value)
    assert f"备份文件“{path.name}”的数据库结构" in message and "不能用于恢复" in message
    for line in hostile.named:
        # Named in the message — or, when a file of an old revision lacks more newer objects than
        # the message shows (each new migration adds some), among all the differences it counts.
        shown = f"· {line}" in message.splitlines()
        counted = isinstance(refused.value, backup.BackupSchemaRefused) and line in refused.value.differences
        assert shown or (counted and "……另有" in message), (line, message)
    assert live_bytes(sqlite_db) == before
    assert not list(good_backup.parent.glob("*before-restore*"))
    assert not list(Path(str(sqlite_db.url.database)).parent.glob(".restore-check-*"))
    with sqlite_db.read() as session:
        assert list(session.scalars(select(DisputeCase.title).order_by(DisputeCase.id))) == [
            "备份里的案件", "备份之后的案件"]


def test_the_command_line_refuses_a_planted_backup_without_a_traceback(
        sqlite_db: Database, good_backup: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = altered(good_backup, "planted", "CREATE TABLE audit_shadow (a, b, c)", COPY_PARTIES, KEEP_UNLOCKED)
    # Restoring needs a signed-in administrator (issue 17): the fixture's admin.
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    before = live_bytes(sqlite_db)
    capsys.readouterr()
    assert cli.main(["--database", url_of(sqlite_db), "restore", str(path), "--yes", "--as", "admin",
                     "--password-stdin"]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "· 备份中多出触发器 audit_copy_party（表 party）" in err
    assert "· 备份中多出触发器 keep_unlocked（表 app_user）" in err
    assert "· 备份中多出表 audit_shadow" in err
    assert live_bytes(sqlite_db) == before


def test_empty_truncated_and_foreign_files_are_refused(sqlite_db: Database, good_backup: Path,
                                                       tmp_path: Path) -> None:
    before = live_bytes(sqlite_db)
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good_backup.read_bytes()[: good_backup.stat().st_size // 3])
    other_app = tmp_path / "other-app.sqlite3"
    with contextlib.closing(sqlite3.connect(other_app)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
    # Another program whose tables happen to have the four names this one looks for.
    lookalike = tmp_path / "lookalike.sqlite3"
    with contextlib.closing(sqlite3.connect(lookalike)) as conn:
        conn.executescript("""
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
            INSERT INTO alembic_version VALUES ('0012');
            CREATE TABLE dispute_case (id INTEGER PRIMARY KEY, subject TEXT);
            CREATE TABLE app_user (id INTEGER PRIMARY KEY, login TEXT, secret TEXT);
            CREATE TABLE audit_entry (id INTEGER PRIMARY KEY, line TEXT);
        """)
    expected = {
        empty: "是空文件（0 字节）",
        truncated: "损坏",
        other_app: "不是矛调工作台的数据库备份（缺少表 alembic_version、app_user、audit_entry、dispute_case）",
        lookalike: "· 备份中缺少表 agreement",
    }
    for path, words in expected.items():
        with pytest.raises(backup.BackupRefused) as refused:
            backup.restore(sqlite_db, path, Actor.system("test"), folder=good_backup.parent)
        assert words in str(refused.value), path.name
    refusal = _refusal(lookalike)
    assert isinstance(refusal, backup.BackupSchemaRefused)
    assert "表 app_user 缺少列 username" in refusal.differences
    assert "表 app_user 多出列 secret（TEXT，可为空）" in refusal.differences
    assert live_bytes(sqlite_db) == before


def _refusal(path: Path) -> backup.BackupRefused:
    with pytest.raises(backup.BackupRefused) as refused:
        backup.check_backup(path)
    return refused.value


def test_a_backup_whose_audit_chain_is_broken_is_refused_naming_the_entry(sqlite_db: Database,
                                                                         good_backup: Path) -> None:
    with contextlib.closing(sqlite3.connect(good_backup)) as conn:
        second = conn.execute("SELECT id FROM audit_entry ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    path = altered(good_backup, "rewritten_audit",
                   f"UPDATE audit_entry SET username = 'nobody' WHERE id = {second}")
    before = live_bytes(sqlite_db)
    with pytest.raises(backup.BackupRefused) as refused:
        backup.restore(sqlite_db, path, Actor.system("test"), folder=good_backup.parent)
    message = str(refused.value)
    assert "审计日志未通过核验" in message and f"编号 {second}" in message
    deleted = altered(good_backup, "deleted_audit", f"DELETE FROM audit_entry WHERE id = {second}")
    assert "审计日志未通过核验" in str(_refusal(deleted))
    assert live_bytes(sqlite_db) == before


def test_an_untouched_backup_restores_and_the_result_checks_clean(sqlite_db: Database, good_backup: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # ANALYZE's statistics table is SQLite's own and may be in a real database.
    with contextlib.closing(sqlite3.connect(good_backup)) as conn:
        conn.execute("ANALYZE")
        conn.commit()
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 1
    result = backup.restore(sqlite_db, good_backup, Actor.system("test"), folder=good_backup.parent)
    assert result.check.revision == head_revision() and result.check.cases == 1
    with sqlite_db.read() as session:
        assert list(session.scalars(select(DisputeCase.title))) == ["备份里的案件"]
        assert session.scalars(select(Party.name)).all()
    assert dbschema.check_database(sqlite_db) == []
    capsys.readouterr()
    assert cli.main(["--database", url_of(sqlite_db), "db", "check"]) == 0
    assert "数据库结构正常" in capsys.readouterr().out


def test_an_older_backup_is_checked_at_its_revision_and_upgraded_on_the_copy(sqlite_db: Database,
                                                                              tmp_path: Path) -> None:
    from mediation_desk.db import backup_sqlite, migrate_to

    old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate_to(old, "0007")
    old_backup = backup_sqlite(old, label="manual", target_dir=tmp_path / "b")
    old.dispose()
    planted = altered(old_backup, "old_planted", KEEP_UNLOCKED)
    with pytest.raises(backup.BackupRefused, match=r"结构版本（0007）应有的结构不同[\s\S]*keep_unlocked"):
        backup.restore(sqlite_db, planted, Actor.system("test"), folder=tmp_path / "b")
    result = backup.restore(sqlite_db, old_backup, Actor.system("test"), folder=tmp_path / "b")
    assert result.upgraded_from == "0007"
    assert dbschema.check_database(sqlite_db) == []


LIVE_PLANTS = {
    "party_copy": (("CREATE TABLE audit_shadow (a, b, c)", COPY_PARTIES),
                   ("数据库中多出表 audit_shadow", "数据库中多出触发器 audit_copy_party（表 party）")),
    "lockout_reset": ((KEEP_UNLOCKED,), ("数据库中多出触发器 keep_unlocked（表 app_user）",)),
    "view": (("CREATE VIEW people AS SELECT name, id_number, phone FROM party",), ("数据库中多出视图 people",)),
    "dropped_index": (("DROP INDEX ix_party_phone",), ("数据库中缺少索引 ix_party_phone（表 party）",)),
}


@pytest.mark.parametrize("plant", sorted(LIVE_PLANTS))
def test_db_check_finds_a_plant_in_the_live_file(sqlite_db: Database, capsys: pytest.CaptureFixture[str],
                                                 plant: str) -> None:
    statements, named = LIVE_PLANTS[plant]
    path = Path(str(sqlite_db.url.database))
    sqlite_db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    capsys.readouterr()
    assert cli.main(["--database", url_of(sqlite_db), "db", "check"]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "数据库结构正常" not in out
    assert "数据库结构与其结构版本应有的结构不同" in err
    for line in named:
        assert f"· {line}" in err.splitlines()


def test_normalised_sql_ignores_spelling_but_not_meaning() -> None:
    a = 'CREATE  TABLE "t" (\n\t[a] INTEGER NOT NULL, -- note\n b TEXT DEFAULT \'X y\', CONSTRAINT pk PRIMARY KEY (a))'
    b = "create table t (a integer not null, b text default 'X y', constraint pk primary key (a))"
    assert dbschema.canonical_table_sql(a) == dbschema.canonical_table_sql(b)
    assert dbschema.normalise_sql(b) != dbschema.normalise_sql(b.replace("'X y'", "'x y'"))
    # The order of table constraints means nothing; the order of columns does.
    c = "CREATE TABLE t (a INT, b INT, CONSTRAINT u UNIQUE (a), CONSTRAINT v UNIQUE (b))"
    d = "CREATE TABLE t (a INT, b INT, CONSTRAINT v UNIQUE (b), CONSTRAINT u UNIQUE (a))"
    assert dbschema.canonical_table_sql(c) == dbschema.canonical_table_sql(d)
    assert dbschema.canonical_table_sql(c) != dbschema.canonical_table_sql(
        "CREATE TABLE t (b INT, a INT, CONSTRAINT u UNIQUE (a), CONSTRAINT v UNIQUE (b))")
