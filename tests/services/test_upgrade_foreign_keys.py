"""An SQLite upgrade checks the foreign keys of what its migrations touched, not of the whole
database (issue 20 item 6: a 6 GB file spent 18 s in ``PRAGMA foreign_key_check``), and still
refuses a migration that leaves a reference pointing at nothing. The migrations here live in a
temporary copy of the script folder, one revision above the real head."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config

from mediation_desk.db import (
    MIGRATIONS_DIR,
    Database,
    DatabaseError,
    TouchedTables,
    current_revision,
    head_revision,
    migrate_to,
)

MIGRATION = '''"""test migration"""
from alembic import op
import sqlalchemy as sa

revision = "t9001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


def _scripts(tmp_path: Path, body: str) -> Config:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    (folder / "versions" / "t9001_test.py").write_text(MIGRATION.format(down=head_revision(), body=indented))
    config = Config()
    config.set_main_option("script_location", str(folder))
    return config


def _raw(db: Database, *statements: str) -> None:
    """Rows written behind the application's back, foreign keys off (as a damaged file has them)."""
    path = db.url.database
    assert path is not None
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _upgrade(db: Database, tmp_path: Path, body: str, caplog: pytest.LogCaptureFixture) -> set[str] | None:
    """Run the migration; the tables whose foreign keys were checked (None: the whole database)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mediation_desk.db"):
        migrate_to(db, "head", config=_scripts(tmp_path, body))
    for record in caplog.records:
        if record.message.startswith("foreign keys checked of: "):
            return set(record.message.removeprefix("foreign keys checked of: ").split(", "))
        if record.message.startswith("foreign keys of the whole database checked"):
            return None
    raise AssertionError("no foreign-key check logged")


@pytest.fixture
def planted(sqlite_db: Database) -> Database:
    """A database at the real head whose team_dispute_type holds a link to a team that is gone."""
    _raw(sqlite_db, "INSERT INTO team_dispute_type (team_id, dispute_type_id) VALUES (9999, 1)")
    return sqlite_db


def test_a_small_migration_checks_only_its_tables_and_not_an_untouched_broken_one(
        planted: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    checked = _upgrade(planted, tmp_path, """
op.create_table("md_test_note", sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("type_id", sa.Integer, sa.ForeignKey("dispute_type.id")))
op.execute("INSERT INTO md_test_note (type_id) SELECT min(id) FROM dispute_type")
op.add_column("holiday", sa.Column("note", sa.String(20), nullable=True))
op.create_index("ix_md_test_note_type", "md_test_note", ["type_id"])
op.execute("UPDATE dispute_type SET name = name || '' WHERE id = (SELECT min(id) FROM dispute_type)")
""", caplog)
    # team_dispute_type (broken, untouched) was not scanned: the upgrade went through.
    assert checked == {"alembic_version", "md_test_note", "holiday", "dispute_type"}
    assert current_revision(planted) == "t9001"


def test_a_bad_reference_a_migration_writes_is_refused_and_nothing_changes(
        sqlite_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(DatabaseError, match=r"外键不一致（如表 team_dispute_type）.*已撤销本次升级"):
        _upgrade(sqlite_db, tmp_path, """
op.execute("INSERT INTO team_dispute_type (team_id, dispute_type_id) VALUES (4242, 1)")
op.add_column("holiday", sa.Column("note", sa.String(20), nullable=True))
""", caplog)
    assert current_revision(sqlite_db) == head_revision()
    connection = sqlite3.connect(str(sqlite_db.url.database))
    assert connection.execute("SELECT count(*) FROM team_dispute_type WHERE team_id = 4242").fetchone() == (0,)
    assert "note" not in {row[1] for row in connection.execute("PRAGMA table_info(holiday)")}
    connection.close()


@pytest.mark.parametrize("statement", [
    "DELETE FROM team WHERE id = (SELECT min(id) FROM team)",
    "UPDATE team SET id = id + 1000",
    "DROP TABLE team",
])
def test_a_migration_that_takes_away_what_others_refer_to_checks_those_others(
        sqlite_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture, statement: str) -> None:
    """The referring table is not written by the migration, yet its references broke."""
    _raw(sqlite_db, "INSERT INTO team (name, active, version, created_at, updated_at, center_id) VALUES ('测试团队', 1,"
         " 1, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', (SELECT min(id) FROM center))",
         "INSERT INTO team_dispute_type (team_id, dispute_type_id) SELECT max(id), 1 FROM team")
    with pytest.raises(DatabaseError, match="外键不一致"):
        _upgrade(sqlite_db, tmp_path, f'op.execute("{statement}")', caplog)
    assert current_revision(sqlite_db) == head_revision()


def test_a_table_rebuild_checks_that_table_and_those_referring_to_it(planted: Database, tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Migration 0047 rebuilt mediation_room; the whole 6 GB file was checked (44 s) for a table of
    a few rows. The rebuilt table's references and those of its referrers are what it can break."""
    checked = _upgrade(planted, tmp_path, """
with op.batch_alter_table("holiday", recreate="always") as batch:
    batch.add_column(sa.Column("note", sa.String(20), nullable=True))
""", caplog)
    assert checked is not None and "holiday" in checked
    assert "team_dispute_type" not in checked  # broken, but neither rebuilt nor referring to holiday
    assert current_revision(planted) == "t9001"


def test_a_rebuilt_table_whose_referrers_broke_is_refused(planted: Database, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    """team_dispute_type refers to team: rebuilding team checks it, and finds the planted link."""
    with pytest.raises(DatabaseError, match=r"外键不一致（如表 team_dispute_type）"):
        _upgrade(planted, tmp_path, """
with op.batch_alter_table("team", recreate="always") as batch:
    batch.add_column(sa.Column("note", sa.String(20), nullable=True))
""", caplog)
    assert current_revision(planted) == head_revision()


def test_what_the_statements_of_a_migration_touch() -> None:
    touched = TouchedTables()
    # ``analysis_limit`` before an index's ANALYZE (0043, 0045, 0048): a setting, no row changed.
    for statement in ('PRAGMA main.table_info("party")', "CREATE INDEX ix_a ON party (name)",
                      "PRAGMA analysis_limit = 0", "ANALYZE ix_a",
                      "SELECT count(*) FROM party", "DROP TRIGGER IF EXISTS t", "CREATE VIRTUAL TABLE f USING fts5(a)",
                      "/* note */ INSERT INTO \"case_event\" (case_id) VALUES (1)",
                      "UPDATE dispute_case SET title = 'id = 5' WHERE id = 5",
                      "ALTER TABLE holiday ADD COLUMN note VARCHAR(20)"):
        touched.add(statement)
    assert touched.whole is None
    assert touched.written == {"case_event", "dispute_case", "holiday"}
    assert touched.parents == {"dispute_case": {"title"}}  # the WHERE's id and the quoted text are not assigned
    for unknown in ("ALTER TABLE x RENAME TO y", "ALTER TABLE _alembic_tmp_party RENAME TO case_event",
                    "WITH a AS (SELECT 1) DELETE FROM party", "VACUUM"):
        other = TouchedTables()
        other.add(unknown)
        assert other.whole is not None, unknown
    rebuilt = TouchedTables()
    for statement in ("CREATE TABLE _alembic_tmp_party (id INTEGER)",
                      "INSERT INTO _alembic_tmp_party (id) SELECT party.id FROM party", "DROP TABLE party",
                      'ALTER TABLE "_alembic_tmp_party" RENAME TO party'):
        rebuilt.add(statement)
    assert rebuilt.whole is None
    assert rebuilt.written == {"party"}
    assert rebuilt.parents == {"party": None}
