"""records keep one identity across databases; a crossing step keeps the digests of the work

A township desk on its own SQLite file and the county exchange a case's work by crossing packets
(docs/crossings.md, "Offline townships"). A record's ``id`` is local to each database, so the
records a packet carries get an identity of their own, a ``uid`` (a lowercase UUID), on

* ``investigation_record``, ``mediation_record``, ``mediation_session``, ``agreement`` (its terms
  are keyed by the agreement's uid and their ``seq``), ``termination``, ``undisputed_facts``,
  ``return_visit`` and ``attachment``.

Existing rows are filled here with random UUIDs (PostgreSQL ``gen_random_uuid()``, SQLite sixteen
random bytes); new rows get one from the model. Each column has a unique index (an index, not a
constraint, so SQLite adds it in place, without rebuilding the tables or dropping their triggers).
A row written later without one (a bench's raw insert, the demo's bulk load) is named in a packet by a UUID derived
from the case number, its table and its id (``exchange.crossing_work.row_uid``).

``case_crossing`` gets ``sent_sha256`` and ``kept_sha256``: for a step imported from a version-2
packet, the digest of the case's work as the sender carried it and of this desk's copy once
applied — what tells a desk its copy changed after the step an answer replies to.

The tables' grants and row-level security (migrations 0014, 0022, 0028) cover new columns.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-05 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0039'
down_revision: str | None = '0038'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('investigation_record', 'mediation_record', 'mediation_session', 'agreement', 'termination',
          'undisputed_facts', 'return_visit', 'attachment')
DIGESTS = ('sent_sha256', 'kept_sha256')
_SQLITE_UUID = "||'-'||".join(f"lower(hex(randomblob({n})))" for n in (4, 2, 2, 2, 6))


def upgrade() -> None:
    random_uuid = "gen_random_uuid()::text" if op.get_bind().dialect.name == 'postgresql' else _SQLITE_UUID
    for table in TABLES:
        op.add_column(table, sa.Column('uid', sa.String(length=36), nullable=True))
        op.execute(f"UPDATE {table} SET uid = {random_uuid} WHERE uid IS NULL")
        op.create_index(op.f(f'ix_{table}_uid'), table, ['uid'], unique=True)
    for name in DIGESTS:
        op.add_column('case_crossing', sa.Column(name, sa.String(length=64), nullable=True))


def downgrade() -> None:
    # In place on both backends (SQLite ≥ 3.35), as 0029: no table is rebuilt.
    for name in reversed(DIGESTS):
        op.execute(f'ALTER TABLE case_crossing DROP COLUMN {name}')
    for table in reversed(TABLES):
        op.drop_index(op.f(f'ix_{table}_uid'), table_name=table)
        op.execute(f'ALTER TABLE {table} DROP COLUMN uid')
