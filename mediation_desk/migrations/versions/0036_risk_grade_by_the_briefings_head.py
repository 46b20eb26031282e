"""风险研判: the head grades any case their center's briefing lists

The grade is the monthly meeting's judgement on the briefing the head reads (docs/briefing.md):
the county head's briefing lists the county's cases and those of every township and village below
it, so the county head grades those too, not only the cases the county center works on.

On PostgreSQL, ``risk_grade`` had the write policies of every table of case content
(``md_secure_case_table``: written where ``md_case_writable``, the handling center). Now:

* reading is unchanged (``md_case_rows``: through the case's visibility);
* inserting, updating and deleting is for heads only (``md_head``; intake and mediators lose the
  grants), on a case of their center or a center below it (``md_current_center_ids()``), never a
  center above: a township head does not grade the county's cases, even one assigned down to the
  township; a row names the head who set it (``set_by_id`` = the connected account).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0036'
down_revision: str | None = '0035'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A case of the connected head's center or of a center below it (a subquery per statement).
GRADABLE = ("EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id"
            " AND c.center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[])))")
SET_BY_ME = "set_by_id = (SELECT md_current_user_id())"
CASE_POLICIES = ("md_case_insert", "md_case_update", "md_case_delete")
GRADE_POLICIES = ("md_grade_insert", "md_grade_update", "md_grade_delete")


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in CASE_POLICIES:
        _run(f"DROP POLICY IF EXISTS {policy} ON risk_grade")
    _run("REVOKE INSERT, UPDATE, DELETE ON risk_grade FROM md_intake, md_mediator")
    _run(f"CREATE POLICY md_grade_insert ON risk_grade FOR INSERT TO md_head WITH CHECK ({GRADABLE} AND {SET_BY_ME})")
    _run(f"CREATE POLICY md_grade_update ON risk_grade FOR UPDATE TO md_head USING ({GRADABLE}) "
         f"WITH CHECK ({GRADABLE} AND {SET_BY_ME})")
    _run(f"CREATE POLICY md_grade_delete ON risk_grade FOR DELETE TO md_head USING ({GRADABLE})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in GRADE_POLICIES:
        _run(f"DROP POLICY IF EXISTS {policy} ON risk_grade")
    _run("GRANT INSERT, UPDATE, DELETE ON risk_grade TO md_intake, md_mediator")
    _run("SELECT md_secure_case_table('risk_grade')")
