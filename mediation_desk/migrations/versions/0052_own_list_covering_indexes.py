"""a mediator's own list (我承办的案件) is counted from indexes alone

The list of the cases a mediator leads or mediates with others was counted as the cases they lead
(``ix_dispute_case_lead``: lead and team, then each case row for a filter's column) plus each of
their ``case_mediator`` rows (the cases they lead have one too) read from the table, its case row
looked up and tested: for the demo's mediator at a million cases ~79,000 look-ups of large case
rows, 0.6–2 s a count (docs/performance-log.md, "Case list counts").

* ``ix_dispute_case_lead`` (``lead_mediator_id``, ``team_id``) → also ``state``,
  ``dispute_type_id``, ``received_at``, ``center_id``, ``handling_center_id``: every column the
  list's filters and the person's row visibility test; leading columns unchanged.
* ``ix_case_mediator_mediator_id`` (``mediator_id``) → ``ix_case_mediator_mediator_case``
  (``mediator_id``, ``case_id``): a mediator's cases in case order without reading the table.
* ``ix_dispute_case_mediated`` (new): ``id`` and the same columns, so that each co-mediated case
  is looked up and tested in a narrow index instead of its row.

On SQLite the rebuilt and new indexes are analysed whole (``analysis_limit = 0``), as 0043 does.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0052'
down_revision: str | None = '0051'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ("state", "dispute_type_id", "received_at", "center_id", "handling_center_id")


def _analyse(*names: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit = 0")
        for name in names:
            op.execute(f"ANALYZE {name}")
    else:
        op.execute("ANALYZE dispute_case")
        op.execute("ANALYZE case_mediator")


def upgrade() -> None:
    op.drop_index("ix_dispute_case_lead", table_name="dispute_case", if_exists=True)
    op.create_index("ix_dispute_case_lead", "dispute_case", ["lead_mediator_id", "team_id", *FILTERED])
    op.create_index("ix_dispute_case_mediated", "dispute_case",
                    ["id", "lead_mediator_id", "team_id", *FILTERED])
    op.drop_index("ix_case_mediator_mediator_id", table_name="case_mediator", if_exists=True)
    op.create_index("ix_case_mediator_mediator_case", "case_mediator", ["mediator_id", "case_id"])
    _analyse("ix_dispute_case_lead", "ix_dispute_case_mediated", "ix_case_mediator_mediator_case")


def downgrade() -> None:
    op.drop_index("ix_case_mediator_mediator_case", table_name="case_mediator", if_exists=True)
    op.create_index("ix_case_mediator_mediator_id", "case_mediator", ["mediator_id"])
    op.drop_index("ix_dispute_case_mediated", table_name="dispute_case", if_exists=True)
    op.drop_index("ix_dispute_case_lead", table_name="dispute_case", if_exists=True)
    op.create_index("ix_dispute_case_lead", "dispute_case", ["lead_mediator_id", "team_id"])
    _analyse("ix_dispute_case_lead", "ix_case_mediator_mediator_id")
