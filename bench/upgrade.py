"""An upgrade of a big SQLite file by a small migration, timed (issue 20 item 6).

A migration that rebuilds no table now has the foreign keys of only the tables it touched checked
(``db.TouchedTables``), where every upgrade used to run ``PRAGMA foreign_key_check`` over the whole
database: 18 s on the 6 GB demo of a million cases. Budget: the upgrade by such a migration
≤ 2 s.

The file is a private copy of the shared demo (never written): ``--source`` is copied once to
``--work`` (kept for the next run) and brought to this program's head by the real migrations if it
is behind. The small migration lives in a temporary copy of the migration scripts, one revision
above the head: it creates a table referring to ``dispute_case`` and ``dispute_type``, fills one
row, adds a column to ``holiday`` and an index, and renames a dispute type (an UPDATE of a table
others refer to, by a column they do not). Each round upgrades by it and downgrades again; the
medians of the whole ``migrate_to`` (Alembic, the migration, the check, the commit) and of its
foreign-key check are printed, beside the floor of the same statements run with no check at all
(alternating), and once the old whole-database check for comparison (``--no-whole`` skips it).

The app's start-up upgrade of an SQLite file first makes a backup (``db.backup_sqlite``), a copy
of the whole file: that is not part of this figure (``--backup`` times one).

    .venv/bin/python bench/upgrade.py [--source /work/bench-data/demo-1m.sqlite]
                                      [--work /work/bench-data/import] [--rounds 5] [--no-whole] [--backup]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BUDGET_S = 2.0

MIGRATION = '''"""bench migration: small, no table rebuilt"""
from alembic import op
import sqlalchemy as sa

revision = "bench9001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("md_bench_note", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("case_id", sa.Integer, sa.ForeignKey("dispute_case.id")),
                    sa.Column("type_id", sa.Integer, sa.ForeignKey("dispute_type.id")),
                    sa.Column("note", sa.String(40), nullable=False, server_default=""))
    op.execute("INSERT INTO md_bench_note (case_id, type_id) SELECT max(id), min(dispute_type_id) FROM dispute_case")
    op.create_index("ix_md_bench_note_case", "md_bench_note", ["case_id"])
    op.add_column("holiday", sa.Column("bench_note", sa.String(20), nullable=True))
    op.execute("UPDATE dispute_type SET name = name || '' WHERE id = (SELECT min(id) FROM dispute_type)")


def downgrade() -> None:
    op.drop_index("ix_md_bench_note_case", "md_bench_note")
    op.drop_table("md_bench_note")
    op.execute("ALTER TABLE holiday DROP COLUMN bench_note")
'''


def private_copy(source: Path, work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    target = work / source.name
    if not target.exists():
        if Path(str(source) + "-wal").exists():
            raise SystemExit(f"{source} has a -wal beside it: it is still being written, or was not closed")
        started = time.perf_counter()
        part = target.with_name(target.name + ".part")
        subprocess.run(["cp", "--reflink=auto", str(source), str(part)], check=True)
        part.rename(target)
        print(f"copied {source} ({source.stat().st_size / 2**30:.1f} GiB) to {target} "
              f"in {time.perf_counter() - started:.0f} s")
    return target


def scripts(folder: Path, down: str) -> Any:
    from alembic.config import Config

    from mediation_desk.db import MIGRATIONS_DIR

    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "bench9001_small.py").write_text(MIGRATION.format(down=down))
    config = Config()
    config.set_main_option("script_location", str(folder))
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path("/work/bench-data/demo-1m.sqlite"))
    parser.add_argument("--work", type=Path, default=Path("/work/bench-data/import"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-whole", action="store_true", help="skip the old whole-database check")
    parser.add_argument("--backup", action="store_true", help="also time the backup the app's upgrade makes first")
    args = parser.parse_args()
    os.environ.setdefault("MEDIATION_DESK_HOME", tempfile.mkdtemp(prefix="md-bench-upgrade-"))

    from mediation_desk import db as dbmodule
    from mediation_desk.db import Database, backup_sqlite, current_revision, head_revision, migrate_to

    path = private_copy(args.source, args.work)
    print(f"database: {path} ({path.stat().st_size / 2**30:.1f} GiB); load: {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    db = Database(f"sqlite:///{path}", encrypt_new=False)
    try:
        if current_revision(db) == "bench9001":  # a run stopped half-way
            with tempfile.TemporaryDirectory() as tmp:
                migrate_to(db, head_revision(), config=scripts(Path(tmp) / "m", head_revision()))
        if current_revision(db) != head_revision():
            started = time.perf_counter()
            migrate_to(db, "head")
            print(f"brought to this program's head {head_revision()} by the real migrations: "
                  f"{time.perf_counter() - started:.1f} s (once)")
        checks: list[float] = []
        original_check = dbmodule.check_foreign_keys

        def timed_check(connection: Any, touched: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_check(connection, touched)
            finally:
                checks.append(time.perf_counter() - started)

        def no_check(connection: Any, touched: Any) -> Any:
            return []

        logging.basicConfig(level=logging.WARNING)
        logging.getLogger("mediation_desk.db").setLevel(logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        upgrades: list[float] = []
        floors: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            config = scripts(Path(tmp) / "migrations", head_revision())
            for round_no in range(args.rounds):
                order = (True, False) if round_no % 2 == 0 else (False, True)
                for checked in order:
                    dbmodule.check_foreign_keys = timed_check if checked else no_check
                    started = time.perf_counter()
                    migrate_to(db, "head", config=config)
                    (upgrades if checked else floors).append(time.perf_counter() - started)
                    assert current_revision(db) == "bench9001"
                    dbmodule.check_foreign_keys = no_check
                    migrate_to(db, head_revision(), config=config)
            dbmodule.check_foreign_keys = original_check
        upgrade, floor, check = statistics.median(upgrades), statistics.median(floors), statistics.median(checks)
        verdict = "within" if upgrade <= BUDGET_S else "OVER"
        print(f"upgrade by a small migration (no table rebuilt), median of {args.rounds}: {upgrade:.3f} s "
              f"(min {min(upgrades):.3f} s), of which the check of the touched tables {check * 1000:.1f} ms "
              f"— {verdict} the {BUDGET_S:.0f} s budget")
        print(f"floor, the same upgrade with no foreign-key check at all: {floor:.3f} s — upgrade/floor "
              f"{upgrade / floor:.2f}×")
        if not args.no_whole:
            with db.writer.connect() as connection:
                started = time.perf_counter()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                whole = time.perf_counter() - started
            print(f"the old way, PRAGMA foreign_key_check of the whole database: {whole:.1f} s "
                  f"({len(broken)} problems found)")
        if args.backup:
            with tempfile.TemporaryDirectory(dir=args.work) as tmp:
                started = time.perf_counter()
                backup_sqlite(db, label="bench", target_dir=Path(tmp))
                print(f"the backup the app's start-up upgrade makes first: {time.perf_counter() - started:.1f} s")
        print(f"load after: {os.getloadavg()[0]:.1f}")
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
