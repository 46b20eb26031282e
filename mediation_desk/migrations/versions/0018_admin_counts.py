"""the administrator's figures on a center server: counts through SECURITY DEFINER functions

The administrator (``md_admin``) has no grant and no row-level policy on any table of case content
(migration 0014): their connection cannot read a case row, not even to count it. The figures the
administrator is allowed — the center's statistics and monthly report, and the open-case load of
each team and lead mediator on the organisation screen — are counts and sums only, so the server
gives them through functions that return nothing else:

* ``md_stat_received(start, end, not_counted_state)``: cases received in the period, per dispute
  type, source channel, team and month (each dimension on its own, never crossed), with the sum
  and number of amounts involved and the group disputes;
* ``md_stat_endings(start, end, actions, on_time_days)``: each case's last ending in the period,
  per action and dispute type, action and source channel, action and "may turn criminal", with how
  many ended within ``on_time_days`` of acceptance;
* ``md_stat_visits(start, end)``: each case's last return visit with a satisfaction, per
  satisfaction;
* ``md_stat_overdue(today, open_states)``: how many open cases are past their due date;
* ``md_open_case_counts(final_states)``: open cases per team and per lead mediator.

Every function takes dates (not timestamps), returns no id, number, name, date or text of a case,
is owned by the migrating owner, runs with a fixed ``search_path``, and may be executed by
``md_admin`` alone (``PUBLIC`` has no EXECUTE): the other groups read the rows their grants and
policies show them, and a mediator must not count another team's cases through a definer's rights.

SQLite gets nothing (there the application's checks are the only wall, and the administrator's
session reads the counts directly).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Signatures, for the grants and the downgrade.
FUNCTION_NAMES = (
    "md_stat_received(date, date, text)",
    "md_stat_endings(date, date, text[], integer)",
    "md_stat_visits(date, date)",
    "md_stat_overdue(date, text[])",
    "md_open_case_counts(text[])",
)

_HEADER = "STABLE SECURITY DEFINER SET search_path = public, pg_temp"

_FUNCTIONS = (
    f"""
CREATE FUNCTION md_stat_received(p_start date, p_end date, p_not_counted_state text)
RETURNS TABLE(dimension text, bucket text, cases bigint, amount numeric, amount_cases bigint, group_cases bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT CASE WHEN grouping(c.dispute_type_id) = 0 THEN 'type'
              WHEN grouping(c.source_channel) = 0 THEN 'source'
              WHEN grouping(c.team_id) = 0 THEN 'team'
              ELSE 'month' END,
         CASE WHEN grouping(c.dispute_type_id) = 0 THEN c.dispute_type_id::text
              WHEN grouping(c.source_channel) = 0 THEN c.source_channel::text
              WHEN grouping(c.team_id) = 0 THEN c.team_id::text
              ELSE to_char(c.received_at, 'YYYY-MM') END,
         count(*), coalesce(sum(c.amount_involved), 0), count(c.amount_involved),
         sum(CASE WHEN c.is_group_dispute AND c.state <> p_not_counted_state THEN 1 ELSE 0 END)
    FROM dispute_case c
   WHERE c.received_at >= p_start AND c.received_at < p_end + 1
   GROUP BY GROUPING SETS ((c.dispute_type_id), (c.source_channel), (c.team_id), (to_char(c.received_at, 'YYYY-MM')))
$f$""",
    f"""
CREATE FUNCTION md_stat_endings(p_start date, p_end date, p_actions text[], p_on_time_days integer)
RETURNS TABLE(action text, dimension text, bucket text, cases bigint, on_time bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT e.action::text,
         CASE WHEN grouping(c.dispute_type_id) = 0 THEN 'type'
              WHEN grouping(c.source_channel) = 0 THEN 'source'
              ELSE 'criminal' END,
         CASE WHEN grouping(c.dispute_type_id) = 0 THEN c.dispute_type_id::text
              WHEN grouping(c.source_channel) = 0 THEN c.source_channel::text
              ELSE c.may_turn_criminal::text END,
         count(*),
         sum(CASE WHEN (CAST(e.at AS date) - CAST(c.accepted_at AS date)) <= p_on_time_days THEN 1 ELSE 0 END)
    FROM case_event e JOIN dispute_case c ON c.id = e.case_id
   WHERE e.id IN (SELECT max(l.id) FROM case_event l
                   WHERE l.action = ANY (p_actions) AND l.at >= p_start AND l.at < p_end + 1
                   GROUP BY l.case_id)
   GROUP BY GROUPING SETS ((e.action, c.dispute_type_id), (e.action, c.source_channel),
                           (e.action, c.may_turn_criminal))
$f$""",
    f"""
CREATE FUNCTION md_stat_visits(p_start date, p_end date)
RETURNS TABLE(satisfaction text, cases bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT v.satisfaction::text, count(*)
    FROM return_visit v
   WHERE v.id IN (SELECT max(l.id) FROM return_visit l
                   WHERE l.visited_on >= p_start AND l.visited_on <= p_end AND l.satisfaction IS NOT NULL
                   GROUP BY l.case_id)
   GROUP BY v.satisfaction
$f$""",
    f"""
CREATE FUNCTION md_stat_overdue(p_today date, p_open_states text[]) RETURNS bigint
LANGUAGE sql {_HEADER} AS $f$
  SELECT count(*) FROM dispute_case c WHERE c.clock_due_on < p_today AND c.state = ANY (p_open_states)
$f$""",
    f"""
CREATE FUNCTION md_open_case_counts(p_final_states text[])
RETURNS TABLE(dimension text, id integer, cases bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT 'team', c.team_id, count(*) FROM dispute_case c
   WHERE NOT (c.state = ANY (p_final_states)) AND c.team_id IS NOT NULL GROUP BY c.team_id
  UNION ALL
  SELECT 'lead', c.lead_mediator_id, count(*) FROM dispute_case c
   WHERE NOT (c.state = ANY (p_final_states)) AND c.lead_mediator_id IS NOT NULL GROUP BY c.lead_mediator_id
$f$""",
)


def _run(sql: str) -> None:
    """Run SQL as written: no bind-parameter parsing and no ``%`` placeholders."""
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in _FUNCTIONS:
        _run(function)
    for signature in FUNCTION_NAMES:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO md_admin")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature in reversed(FUNCTION_NAMES):
        _run(f"DROP FUNCTION IF EXISTS {signature}")
