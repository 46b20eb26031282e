"""dispute_case: the flags the 矛盾纠纷排查调处情况表 counts (重大, 可能引发群体性上访)

The county's monthly table by level (docs/statistics.md, "The table by level") counts 重大 cases and
防止群体性上访 among the cases of each center. The case row has ``is_group_dispute`` and
``may_turn_criminal`` (防止民转刑) already; this adds the two that were missing, both NOT NULL with
a default of false, so every existing case counts as neither until a mediator marks it:

* ``is_major`` — 重大矛盾纠纷 (a major dispute);
* ``may_group_petition`` — 可能引发群体性上访 (the dispute might have led to a group petition).

The case table's grants and row-level security (migrations 0014, 0022) cover new columns; nothing to
grant. On SQLite the columns are added in place (``ALTER TABLE … ADD COLUMN``), so the monthly
figures' triggers of migration 0021 stay; the downgrade drops them in place too.

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-05 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029'
down_revision: str | None = '0028'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('is_major', 'may_group_petition')


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column('dispute_case', sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # In place on both backends (SQLite ≥ 3.35): a batch rebuild of dispute_case would drop the
    # monthly figures' triggers.
    for name in reversed(COLUMNS):
        op.execute(f'ALTER TABLE dispute_case DROP COLUMN {name}')
