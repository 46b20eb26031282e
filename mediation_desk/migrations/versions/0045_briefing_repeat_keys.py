"""the risk briefing's repeat keys kept with the parties and the cases

The 风险研判 (services/briefing.py) counts a party again in every case received within 90 days
whose party has the same ID number (else the same name and phone), and a place again for every case
at the same address (blanks and punctuation aside). It made those keys in Python from every party
and case of the window: 540,726 parties and 245,692 cases for the county head on the million-case
demo, seconds of CPU at each opening. The keys are now columns kept by every writer
(models/keys.py: the mapper events, the import's and the demo's bulk inserts), so the database
groups a window's repeats from an index:

- ``party.repeat_key`` and ``dispute_case.place_key`` (NULL where there is no key), filled here
  from the rows already there by the same Python functions the writers call (on SQLite as functions
  of the connection, on PostgreSQL in batches);
- ``ix_party_case_repeat_key (case_id, repeat_key)`` and ``ix_party_repeat_key (repeat_key,
  case_id)``; ``ix_dispute_case_place_window (center_id, received_at, place_key)`` and
  ``ix_dispute_case_place_key (place_key, received_at)``, each partial (``… IS NOT NULL``, written
  out by the queries).

On SQLite the new indexes are analysed whole (``analysis_limit = 0``), as 0043 does.

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 00:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from mediation_desk.models import keys

revision: str = '0045'
down_revision: str | None = '0044'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_party_case_repeat_key", "party", "case_id, repeat_key", "repeat_key IS NOT NULL"),
    ("ix_party_repeat_key", "party", "repeat_key, case_id", "repeat_key IS NOT NULL"),
    ("ix_dispute_case_place_window", "dispute_case", "center_id, received_at, place_key", "place_key IS NOT NULL"),
    ("ix_dispute_case_place_key", "dispute_case", "place_key, received_at", "place_key IS NOT NULL"),
)
BATCH = 5000


def _fill_sqlite(bind: Any) -> None:
    raw = bind.connection.dbapi_connection
    raw.create_function("md_party_key", 3, keys.party_key, deterministic=True)
    raw.create_function("md_place_key", 1, keys.place_key, deterministic=True)
    op.execute("UPDATE party SET repeat_key = md_party_key(id_number, name, phone) "
               "WHERE md_party_key(id_number, name, phone) IS NOT NULL")
    op.execute("UPDATE dispute_case SET place_key = md_place_key(address) WHERE md_place_key(address) IS NOT NULL")


def _fill_postgresql(bind: Any) -> None:
    for table, columns, key, make in (("party", "id_number, name, phone", "repeat_key", keys.party_key),
                                      ("dispute_case", "address", "place_key", keys.place_key)):
        last = 0
        while True:
            rows = bind.execute(sa.text(f"SELECT id, {columns} FROM {table} WHERE id > :last "
                                        f"ORDER BY id LIMIT {BATCH}"), {"last": last}).all()
            if not rows:
                break
            last = rows[-1][0]
            values = [{"id": r[0], "k": k} for r in rows if (k := make(*r[1:])) is not None]
            if values:
                bind.execute(sa.text(f"UPDATE {table} SET {key} = :k WHERE id = :id"), values)


def upgrade() -> None:
    op.add_column("party", sa.Column("repeat_key", sa.String(), nullable=True))
    op.add_column("dispute_case", sa.Column("place_key", sa.String(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _fill_sqlite(bind)
    else:
        _fill_postgresql(bind)
    for name, table, columns, where in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns}) WHERE {where}")
    if bind.dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, *_rest in INDEXES:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE party")
        op.execute("ANALYZE dispute_case")


def downgrade() -> None:
    for name, *_rest in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # In place on both (SQLite 3.35+): no copy of the tables, their triggers kept.
    op.execute("ALTER TABLE dispute_case DROP COLUMN place_key")
    op.execute("ALTER TABLE party DROP COLUMN repeat_key")
