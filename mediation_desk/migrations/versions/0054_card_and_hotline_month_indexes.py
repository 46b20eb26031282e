"""the risk briefing's carded cases and the 12345 orders' case list read narrow indexes

* ``ix_stage_card_case_given`` (``case_id``, ``given_on``), new: the cards of each case with their
  day. The briefing's 亮牌 number (the cases carded in a month, ``count(DISTINCT case_id)``) walks
  it in case order when the month holds most of the cards, instead of sorting the month's cards by
  case (on the 1M demo 202,398 cards of 224,099 given in its November: ~67 → ~35 ms CPU); a
  township's cases find their cards of the month in it without reading the card rows.
* ``ix_hotline_order_received_case`` (``received_at``, ``case_id``), new: the case list opened from
  the briefing's 12345 number (``Stat.HOTLINE_ORDERS``: the cases whose order was received in the
  month) read every order for its day received (the 1M demo's 259,577), as no index began with it.

A card is given once per case, stage and colour, an order once per case: a few index entries a write.
On SQLite the new indexes are analysed whole (``analysis_limit = 0``), as 0048 does.

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0054'
down_revision: str | None = '0053'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: name, table, columns.
INDEXES = (
    ("ix_stage_card_case_given", "stage_card", ("case_id", "given_on")),
    ("ix_hotline_order_received_case", "hotline_order", ("received_at", "case_id")),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns), unique=False, if_not_exists=True)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name, *_rest in INDEXES:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE stage_card")
        op.execute("ANALYZE hotline_order")


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table, if_exists=True)
