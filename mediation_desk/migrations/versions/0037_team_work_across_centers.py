"""a case worked across centers by each center's own people: the mediators of the handling center's
team read and write a case reported up or assigned down to their center; a session clash with
another center's session says only that the person is busy (issue 21, docs/crossings.md)

The rule (docs/crossings.md “Who works on the case”): while a case is handled by center X (its own
center, or the one it was reported up or assigned down to), X's clerk or head routes it to one of
X's teams (``services.assignment``), and that team's mediators work it. The case keeps one
identity: its center, number, parties and records.

* ``md_case_team`` (``dispute_case``, for md_mediator) read a case of the mediator's team only
  when it belonged to the mediator's center, so a county mediator could not read a township's case
  reported up to the county, nor a township mediator a county case assigned down to the township.
  Its read condition now takes a case of the mediator's team (or one they lead) that their center
  reads by ``md_case_read``'s rule: of their center, handled by it, or crossed it. Writing is
  unchanged: the team **and** ``md_case_writable`` (the handling center's). So the mediators of the
  team the handling center routed it to write; the previous team's (another team, or the team of
  the center that handed the case on) do not.
* The five search functions of 0032 repeat the read policies (``_VISIBLE``): their mediator branch
  takes the same widening, so a township mediator's search finds the county case routed to them.
* ``md_session_clashes`` (0024, SECURITY DEFINER) named the clashing session's case number, room,
  times and the other case's party name whoever asked. A session of a case the caller's center does
  not read (not of its centers, not handled by them, not crossed it) now comes back masked: no
  session id, no case number, no room name, the asked time, and for a party the caller's own party
  (the one matched by record or ID number). A database connection of no center (the owner, the
  desk role) still gets everything.

* ``md_case_handover`` (a trigger on ``dispute_case``, BEFORE UPDATE OF handling_center_id,
  team_id): for a connection of a center, the handling center changes only to the center the
  case's latest 上报 / 交办 / 回退 / 反馈 went to (a step must be recorded first; the handler cannot
  hand the case to another center, or back to its own, by an UPDATE alone), and a team given to
  the case is one of the handling center's (the routing rule above). Refused with SQLSTATE 42501.
  The owner and the desk role (no center) are not checked.

SQLite: nothing (no row-level security; the services apply the same rules).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05 18:40:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = '0037'
down_revision: str | None = '0036'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A mediator's own case: one of their teams' or one they lead (0014's CASE_VISIBLE, as 0032 calls it).
ON_TEAM = ("(team_id = ANY (CAST((SELECT md_current_team_ids()) AS integer[]))"
           " OR lead_mediator_id = (SELECT md_current_mediator_id()))")
#: A case the mediator's center reads: md_case_read's rule (0022, widened by 0028).
CENTER_READS = ("(center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))"
                " OR handling_center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))"
                " OR id = ANY (CAST((SELECT md_crossed_case_ids()) AS integer[])))")
TEAM_POLICY = (f"CREATE POLICY md_case_team ON dispute_case FOR ALL TO md_mediator USING ({ON_TEAM} AND {CENTER_READS}) "
               f"WITH CHECK ({ON_TEAM} AND md_case_writable(id, center_id))")
#: As 0022 made it and 0032 rewrote it (the downgrade).
TEAM_POLICY_0032 = (
    f"CREATE POLICY md_case_team ON dispute_case FOR ALL TO md_mediator USING ({ON_TEAM}"
    " AND center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))) "
    f"WITH CHECK ({ON_TEAM} AND md_case_writable(id, center_id))")

#: 0032's search visibility for a mediator, and the widened one.
_MEDIATOR_0032 = """(c.center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))
      AND (pg_has_role(session_user, 'md_intake', 'MEMBER') OR pg_has_role(session_user, 'md_head', 'MEMBER')
           OR (pg_has_role(session_user, 'md_mediator', 'MEMBER')
               AND (c.team_id = ANY (CAST((SELECT md_current_team_ids()) AS integer[]))
                    OR c.lead_mediator_id = (SELECT md_current_mediator_id())))))"""
_MEDIATOR_0037 = """(c.center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))
      AND (pg_has_role(session_user, 'md_intake', 'MEMBER') OR pg_has_role(session_user, 'md_head', 'MEMBER')
           OR (pg_has_role(session_user, 'md_mediator', 'MEMBER')
               AND (c.team_id = ANY (CAST((SELECT md_current_team_ids()) AS integer[]))
                    OR c.lead_mediator_id = (SELECT md_current_mediator_id())))))
     OR (pg_has_role(session_user, 'md_mediator', 'MEMBER')
         AND (c.team_id = ANY (CAST((SELECT md_current_team_ids()) AS integer[]))
              OR c.lead_mediator_id = (SELECT md_current_mediator_id()))
         AND (c.handling_center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))
              OR c.id = ANY (CAST((SELECT md_crossed_case_ids()) AS integer[]))))"""

#: Whether the clashing session's case is one the caller's center reads (md_case_read's rule), or
#: the caller is of no center (the owner, the desk role).
_OURS = ("(md_current_center_id() IS NULL OR c.center_id = ANY (md_current_center_ids())"
         " OR c.handling_center_id = ANY (md_current_center_ids()) OR c.id = ANY (md_crossed_case_ids()))")

CLASH_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION md_session_clashes(p_room integer, p_starts timestamp, p_ends timestamp,
                                              p_mediators integer[], p_parties integer[], p_id_numbers text[],
                                              p_exclude integer)
RETURNS TABLE (session_id integer, kind text, subject text, case_number text, room_name text,
               starts_at timestamp, ends_at timestamp)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  WITH found AS (
    SELECT s.id, 'room' AS kind, r.name AS subject, c.number, r.name AS room_name, s.starts_at, s.ends_at,
           {_OURS} AS ours
      FROM mediation_session s JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
     WHERE s.room_id = p_room AND s.starts_at < p_ends AND s.ends_at > p_starts
       AND s.id IS DISTINCT FROM p_exclude
    UNION ALL
    SELECT s.id, 'mediator', m.name, c.number, r.name, s.starts_at, s.ends_at, {_OURS}
      FROM mediation_session s JOIN session_mediator sm ON sm.session_id = s.id JOIN mediator m ON m.id = sm.mediator_id
      JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
     WHERE sm.mediator_id = ANY(p_mediators) AND s.starts_at < p_ends AND s.ends_at > p_starts
       AND s.id IS DISTINCT FROM p_exclude
    UNION ALL
    SELECT s.id, 'party',
           CASE WHEN {_OURS} THEN p.name
                ELSE (SELECT q.name FROM party q WHERE q.id = ANY(p_parties)
                         AND (q.id = p.id OR (q.id_number <> '' AND q.id_number = p.id_number))
                       ORDER BY q.id LIMIT 1) END,
           c.number, r.name, s.starts_at, s.ends_at, {_OURS}
      FROM mediation_session s JOIN session_party sp ON sp.session_id = s.id JOIN party p ON p.id = sp.party_id
      JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
     WHERE (sp.party_id = ANY(p_parties) OR (p.id_number <> '' AND p.id_number = ANY(p_id_numbers)))
       AND s.starts_at < p_ends AND s.ends_at > p_starts AND s.id IS DISTINCT FROM p_exclude)
  SELECT CASE WHEN ours THEN id END, kind, coalesce(subject, ''),
         CASE WHEN ours THEN number ELSE '' END, CASE WHEN ours THEN room_name ELSE '' END,
         CASE WHEN ours THEN starts_at ELSE p_starts END, CASE WHEN ours THEN ends_at ELSE p_ends END
    FROM found
$f$
"""

HANDOVER_FUNCTION = r"""
CREATE FUNCTION md_case_handover_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
DECLARE
  me integer := md_current_center_id();
  handler integer := coalesce(NEW.handling_center_id, NEW.center_id);
  latest integer;
  team_center integer;
BEGIN
  IF me IS NULL THEN
    RETURN NEW;  -- the owner, the desk role: maintenance
  END IF;
  IF NEW.handling_center_id IS DISTINCT FROM OLD.handling_center_id THEN
    SELECT x.to_center_id INTO latest FROM case_crossing x
     WHERE x.case_id = NEW.id AND x.kind IN ('report_up', 'assign_down', 'return', 'feedback')
     ORDER BY x.id DESC LIMIT 1;
    IF latest IS DISTINCT FROM handler THEN
      RAISE EXCEPTION '案件 % 只能通过上报、交办、回退或反馈交给其他中心承办。', NEW.number
        USING ERRCODE = '42501';
    END IF;
  END IF;
  IF NEW.team_id IS NOT NULL AND NEW.team_id IS DISTINCT FROM OLD.team_id THEN
    SELECT t.center_id INTO team_center FROM team t WHERE t.id = NEW.team_id;
    IF team_center IS DISTINCT FROM handler THEN
      RAISE EXCEPTION '调解团队不属于承办案件 % 的中心。', NEW.number USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$f$"""
HANDOVER_TRIGGER = ("CREATE TRIGGER md_case_handover BEFORE UPDATE OF handling_center_id, team_id ON dispute_case "
                    "FOR EACH ROW EXECUTE FUNCTION md_case_handover_check()")

_HEADER = "RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"


def _migration(name: str) -> ModuleType:
    """An earlier migration's module (its search functions, its clash function)."""
    path = next(Path(__file__).parent.glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"_md_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def _search_functions(old: str, new: str) -> None:
    m32 = _migration("0032")
    for signature, body in m32.SEARCH_FUNCTIONS:
        assert old in body, signature  # 0032's visibility, as this migration expects it
        _run(f"CREATE OR REPLACE FUNCTION {signature} {_HEADER} AS $f$ {body.replace(old, new)} $f$")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _run("DROP POLICY md_case_team ON dispute_case")
    _run(TEAM_POLICY)
    _search_functions(_MEDIATOR_0032, _MEDIATOR_0037)
    _run(CLASH_FUNCTION)
    _run(HANDOVER_FUNCTION)
    _run("REVOKE ALL ON FUNCTION md_case_handover_check() FROM PUBLIC")
    _run(HANDOVER_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _run("DROP TRIGGER IF EXISTS md_case_handover ON dispute_case")
    _run("DROP FUNCTION IF EXISTS md_case_handover_check()")
    _run("DROP POLICY md_case_team ON dispute_case")
    _run(TEAM_POLICY_0032)
    m32 = _migration("0032")
    for signature, body in m32.SEARCH_FUNCTIONS:
        _run(f"CREATE OR REPLACE FUNCTION {signature} {_HEADER} AS $f$ {body} $f$")
    _run(_migration("0024").CLASH_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
