"""Opening, creating and upgrading databases on both backends, and the refusals."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest
import time_machine
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from mediation_desk import credentials, demo, settings
from mediation_desk.db import (
    Database,
    DatabaseError,
    NetworkDatabaseRefused,
    SchemaOutdated,
    SchemaTooNew,
    current_revision,
    ensure_current,
    head_revision,
    migrate_to,
    network_filesystem_of,
    resolve_url,
    upgrade,
)
from mediation_desk.models import Base
from mediation_desk.services import search

from ..conftest import MemoryKeyring, pg_clone
from .helpers import BACKENDS, PASSWORD, make_user, module_database


def _assert_schema_matches_models(db: Database) -> None:
    with db.writer.connect() as connection:
        # The search index's FTS tables, triggers and functions (migration 0008) are not ORM models.
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": search.include_in_schema_compare})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migration_from_empty_sqlite_builds_the_whole_schema(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    report = upgrade(db)
    assert (report.from_revision, report.to_revision, report.backup) == (None, head_revision(), None)
    assert set(inspect(db.writer).get_table_names()) >= set(Base.metadata.tables)
    _assert_schema_matches_models(db)
    assert not upgrade(db).changed
    db.dispose()


@pytest.mark.postgresql
def test_migration_from_empty_postgresql_builds_the_whole_schema(empty_pg_database_url: str) -> None:
    db = Database(empty_pg_database_url)
    with pytest.raises(SchemaOutdated, match="db upgrade"):
        ensure_current(db)
    report = upgrade(db)
    assert report.from_revision is None and report.to_revision == head_revision()
    _assert_schema_matches_models(db)
    ensure_current(db)
    db.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys_and_one_writer(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    assert sqlite_db.writer.pool.size() == 1  # type: ignore[attr-defined]
    with sqlite_db.read() as session:
        assert session.execute(text("PRAGMA query_only")).scalar() == 1


NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9000_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.add_column(sa.Column("floor", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("department") as batch:
        batch.drop_column("floor")
"""


def test_upgrade_backs_up_an_existing_sqlite_file_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediation_desk import db as db_module
    from mediation_desk.models import Role

    path = tmp_path / "center.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    make_user(db, "clerk", Role.INTAKE)
    db.dispose()
    # The next release brings one more migration.
    newer = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    current_head = head_revision()
    (newer / "versions" / "9000_test.py").write_text(NEXT_REVISION.format(head=current_head))
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", newer)

    db = Database(f"sqlite:///{path}")
    report = upgrade(db)
    assert (report.from_revision, report.to_revision) == (current_head, "9000_test")
    assert report.backup is not None and report.backup.parent == settings.backup_dir()
    with sqlite3.connect(report.backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(current_head,)]
        assert conn.execute("SELECT username FROM app_user").fetchall() == [("clerk",)]
    assert "floor" in {c["name"] for c in inspect(db.writer).get_columns("department")}
    with db.read() as session:
        assert session.execute(text("SELECT username FROM app_user")).scalars().all() == ["clerk"]
    db.dispose()


def test_database_newer_than_the_program_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    db.dispose()
    before = path.read_bytes()
    db = Database(f"sqlite:///{path}")
    with pytest.raises(SchemaTooNew, match="比本程序新"):
        upgrade(db)
    db.dispose()
    assert path.read_bytes() == before
    assert list(settings.backup_dir().iterdir()) == []


MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/share /mnt/center cifs rw,vers=3.0 0 0
server:/export /srv/nfs\\040share nfs4 rw 0 0
tmpfs /mnt/center/local tmpfs rw 0 0
"""


def test_network_filesystems_are_detected_by_their_mount(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    assert network_filesystem_of(Path("/mnt/center/db/cases.sqlite3"), str(mounts)) == "cifs"
    assert network_filesystem_of(Path("/srv/nfs share/cases.sqlite3"), str(mounts)) == "nfs4"
    assert network_filesystem_of(Path("/mnt/center/local/cases.sqlite3"), str(mounts)) is None
    assert network_filesystem_of(Path("/home/clerk/cases.sqlite3"), str(mounts)) is None


def test_sqlite_on_a_network_share_is_refused_and_points_to_postgresql(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda1 / ext4 rw 0 0\n//nas/mediation {share} cifs rw 0 0\n")
    target = share / "cases.sqlite3"
    with pytest.raises(NetworkDatabaseRefused) as refused:
        Database(f"sqlite:///{target}", mounts_file=str(mounts))
    message = str(refused.value)
    assert "网络文件系统（cifs）" in message and "PostgreSQL" in message
    assert not target.exists()
    assert list(share.iterdir()) == []


def test_missing_file_is_refused_when_creation_is_not_wanted(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="不存在"):
        Database(f"sqlite:///{tmp_path / 'typo.sqlite3'}", create=False)
    assert not (tmp_path / "typo.sqlite3").exists()


def test_resolve_url_defaults_and_rejects(tmp_path: Path) -> None:
    assert resolve_url(None).database == str(settings.default_database_path())
    assert resolve_url("postgresql://app@db.local/center").drivername == "postgresql+psycopg"
    with pytest.raises(DatabaseError, match="不支持的数据库类型"):
        resolve_url("mysql://x@y/z")
    with pytest.raises(DatabaseError, match="格式不正确"):
        resolve_url("::not a url::")
    desk_settings = settings.DeskSettings.load()
    desk_settings.database_url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    desk_settings.save()
    assert resolve_url(None).database == str(tmp_path / "desk.sqlite3")


def test_server_password_comes_from_the_keychain_not_the_settings(memory_keyring: object) -> None:
    url = make_url("postgresql+psycopg://clerk:s3cret@db.center.local:5433/mediation")
    clean, password = credentials.split_password(url)
    assert password == "s3cret" and clean.password is None
    credentials.store_password(clean, password)
    assert credentials.with_password(clean).password == "s3cret"
    assert credentials.account_for(clean) == "clerk@db.center.local:5433/mediation"
    desk_settings = settings.DeskSettings.load()
    desk_settings.database_url = clean.render_as_string(hide_password=False)
    desk_settings.save()
    assert "s3cret" not in settings.DeskSettings.path().read_text(encoding="utf-8")


def test_wrong_password_is_not_kept_in_display_name() -> None:
    db_url = make_url("postgresql+psycopg://clerk:s3cret@127.0.0.1:1/mediation")
    assert "s3cret" not in Database(db_url).display_name


def test_backup_is_a_consistent_copy(sqlite_db: Database) -> None:
    from mediation_desk.db import backup_sqlite
    from mediation_desk.models import Role

    make_user(sqlite_db, "clerk", Role.INTAKE)
    target = backup_sqlite(sqlite_db, label="test")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT username FROM app_user").fetchall() == [("clerk",)]
    assert PASSWORD not in target.read_bytes().decode("latin-1")


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from mediation_desk.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _counts(db: Database) -> dict[str, int]:
    tables = ("dispute_case", "party", "case_event", "app_user", "team_member", "audit_entry")
    with db.read() as session:
        return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables}


def _revisions_to_visit() -> list[str]:
    """The revisions the round trip goes back to: the first (down through every migration and up
    through every one again), every fifth, and the last twelve (what a center upgrades from). Each
    visit walks every migration after it both ways, so visiting them all costs the square of their
    number, for steps the first visit already takes."""
    earlier = _revisions()[:-1]
    return [rev for i, rev in enumerate(earlier) if i == 0 or i % 5 == 0 or i >= len(earlier) - 12]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_center(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[str, datetime, dict[tuple[str, str], str]]]:
    """A demo center of 60 cases at the head schema, seeded once per backend (seeding was most of
    each round trip's time): its URL (a file or a database each test gets a copy of), the moment
    its seeding ended and the keys the seeding kept in the keychain (the audit chain's key)."""
    keys = MemoryKeyring()
    with module_database(request, tmp_path_factory, "upgrade_seed") as db:
        previous = keyring.get_keyring()
        keyring.set_keyring(keys)
        try:
            with db.write() as session:
                demo.seed(session, 60, seed_value=11)
        finally:
            keyring.set_keyring(previous)
        ended = datetime.now()
        # Closed: a SQLite file's WAL is checkpointed into it, a PostgreSQL template has no session.
        db.dispose()
        yield db.url.render_as_string(hide_password=False), ended, dict(keys.passwords)


@pytest.fixture
def seeded_db(seeded_center: tuple[str, datetime, dict[tuple[str, str], str]], request: pytest.FixtureRequest,
              tmp_path: Path, memory_keyring: MemoryKeyring,
              test_clock: time_machine.Traveller) -> Iterator[Database]:
    """A copy of :func:`seeded_center` for one test, as if the test had just seeded it: the same
    rows and keys, the clock moved on to the moment the seeding ended."""
    url, ended, keys = seeded_center
    memory_keyring.passwords.update(keys)
    if datetime.now() < ended:
        test_clock.shift(ended - datetime.now())
    if url.startswith("sqlite"):
        path = tmp_path / "cases.sqlite3"
        shutil.copyfile(str(make_url(url).database), path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    with pg_clone(request.getfixturevalue("pg_server"), f"md_upgrade_{os.getpid()}_{next(_copies)}",
                  make_url(url).database) as copy:
        db = Database(copy)
        yield db
        db.dispose()


_copies = itertools.count(1)


@pytest.mark.parametrize("revision", _revisions_to_visit())
def test_upgrade_from_every_earlier_schema_keeps_every_record(seeded_db: Database, revision: str) -> None:
    """Data of a demo center survives going back to each earlier schema and up again — on SQLite
    that means table rebuilds, which must not cascade-delete the parties and timelines."""
    db = seeded_db
    before = _counts(db)
    migrate_to(db, revision)
    assert current_revision(db) == revision
    assert _counts(db) == before
    report = upgrade(db)
    assert (report.from_revision, report.to_revision) == (revision, head_revision())
    assert _counts(db) == before
    _assert_schema_matches_models(db)
    with db.read() as session:
        orphans = session.execute(text(
            "SELECT count(*) FROM party p LEFT JOIN dispute_case c ON c.id = p.case_id WHERE c.id IS NULL"
        )).scalar_one()
    assert orphans == 0


# --------------------------------------------------------------------------- revisions read without Alembic


def test_the_migrations_revision_lines_say_what_alembic_says() -> None:
    from alembic.script import ScriptDirectory

    from mediation_desk.db import alembic_config, is_known_revision, script_revisions

    script = ScriptDirectory.from_config(alembic_config())
    read = script_revisions()
    assert read is not None
    assert read == {rev.revision: tuple(rev._versioned_down_revisions) for rev in script.walk_revisions()}
    assert head_revision() == script.get_current_head()
    assert all(is_known_revision(revision) for revision in read)
    assert not is_known_revision("9999")


def _migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text_of_file: str) -> None:
    from mediation_desk import db as db_module

    folder = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / name).write_text(text_of_file)
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", folder)


def test_a_revision_not_written_plainly_is_read_by_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediation_desk.db import script_revisions

    head = head_revision()
    # The revision made by an expression: only importing the file tells it.
    _migrations_copy(tmp_path, monkeypatch, "9000_computed.py", NEXT_REVISION.format(head=head).replace(
        'revision = "9000_test"', 'revision = "9000" + "_test"'))
    assert script_revisions() is None
    assert head_revision() == "9000_test"


def test_a_database_a_revision_ahead_is_upgraded_and_one_unknown_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "center.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    head = head_revision()
    assert upgrade(db).changed is False
    _migrations_copy(tmp_path, monkeypatch, "9000_test.py", NEXT_REVISION.format(head=head))
    with pytest.raises(SchemaOutdated):
        ensure_current(db)
    assert upgrade(db, backup=False).to_revision == current_revision(db) == "9000_test"
    ensure_current(db)
    with db.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9001_later'")
    with pytest.raises(SchemaTooNew, match="比本程序新"):
        ensure_current(db)
    db.dispose()


def test_a_version_table_with_two_rows_is_refused_as_alembic_refuses_it(tmp_path: Path) -> None:
    from alembic.util import CommandError

    db = Database(f"sqlite:///{tmp_path / 'center.sqlite3'}")
    upgrade(db)
    with db.writer.begin() as conn:
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('0001')")
    with pytest.raises(CommandError, match="more than one head"):
        current_revision(db)
    db.dispose()
