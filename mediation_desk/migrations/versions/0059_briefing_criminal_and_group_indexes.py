"""the risk briefing's 可能民转刑 and group disputes of a month counted from partial indexes alone

The briefing's first page at 1,000,000 cases spent, after its carded cases (0058), most of its CPU
in two counts over the month's range of the dashboard's index (``ix_dispute_case_received_figures``,
the month's ~82,000 entries): the ended cases flagged 可能民转刑 received in the month (among the
ended flagged of ``ix_dispute_case_criminal``, ~27-36 ms), and the group disputes by band of people
involved (their ~3,300 rows read for ``people_involved``, ~18-24 ms).

* ``ix_dispute_case_criminal`` (0041: center_id, state; the flagged cases) gets ``received_at`` and
  the flag: the month's ended flagged cases are a range per center and final state, from the index
  alone (the open flagged ones as before).
* ``ix_dispute_case_group_people`` (received_at, center_id, state, people_involved, the flag) holds
  the group disputes alone: the month's are its range, grouped by band from the index alone.

Both partial: a few entries a write, and only for a flagged case or a group dispute. On SQLite the
two indexes are analysed whole (``analysis_limit = 0``), as 0048 does.

Revision ID: 0059
Revises: 0058
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0059'
down_revision: str | None = '0058'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CRIMINAL = ("may_turn_criminal IS 1", "may_turn_criminal IS TRUE")
GROUP = ("is_group_dispute IS 1", "is_group_dispute IS TRUE")


def _create(name: str, columns: list[str], where: tuple[str, str]) -> None:
    op.create_index(name, 'dispute_case', columns, unique=False,
                    sqlite_where=sa.text(where[0]), postgresql_where=sa.text(where[1]))


def _analyze() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        op.execute("ANALYZE ix_dispute_case_criminal")
        op.execute("ANALYZE ix_dispute_case_group_people")
    else:
        op.execute("ANALYZE dispute_case")


def upgrade() -> None:
    op.drop_index('ix_dispute_case_criminal', table_name='dispute_case')
    _create('ix_dispute_case_criminal', ['center_id', 'state', 'received_at', 'may_turn_criminal'], CRIMINAL)
    _create('ix_dispute_case_group_people', ['received_at', 'center_id', 'state', 'people_involved',
                                             'is_group_dispute'], GROUP)
    _analyze()


def downgrade() -> None:
    op.drop_index('ix_dispute_case_group_people', table_name='dispute_case')
    op.drop_index('ix_dispute_case_criminal', table_name='dispute_case')
    _create('ix_dispute_case_criminal', ['center_id', 'state'], CRIMINAL)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE ix_dispute_case_criminal")
