"""each center's own mediation rooms: ``mediation_room.center_id``

Rooms (0024) were county-wide: a township's mediator booking a session was offered the county's
rooms, and the township's session notice printed the township's address and then a county room.
A room now belongs to one center; a case's sessions are booked in the rooms of the center
handling it (``coalesce(handling_center_id, center_id)``, docs/sessions.md "Rooms").

Which center an existing room belongs to, from the data:

1. a room a packet kept for another center's sessions (``exchange.crossing_work``: inactive,
   named "<room>（<center>）", its location that center's name) → that center;
2. else the center of the account that first saved it (the audit's ``room.save``);
3. else the county center (the database's first center without a parent): the rooms were the
   county's before there were townships.

The room's name is unique within its center (two townships may each have a 第一调解室).

On PostgreSQL:

* ``mediation_room`` gets row-level security. Read: the rooms of the centers the account reads
  (``md_current_center_ids()``: its own; a head's and an administrator's, those below too), and —
  for the case groups — any room holding a session the account reads (a county case's session
  seen by the township that reported it up names its county room). Written (insert, update,
  delete) by a head or an administrator of the room's own center only — but for the inactive
  room a packet's import keeps for a session of a center below (``exchange.crossing_work``: the
  county's head applying a township's answer), inserted for that center.
* ``md_session_room`` (a trigger on ``mediation_session``, BEFORE INSERT OR UPDATE OF room_id):
  for a connection of a center, a session's room is one of the center handling its case; refused
  with SQLSTATE 42501 otherwise (a county head cannot book a township's room for a county case by
  SQL). A session moved to another time in the room it already holds is not checked (the room
  was the handler's when it was booked); the owner and the desk role (no center) are not checked.

The mediator's calendar file (.ics) names the center handling each session; its event UIDs were
built from the session id and the database's center name. The sessions that exist now keep those
UIDs (this migration writes the last session id to ``center_setting`` ``ics_legacy_uids_until``);
later sessions are named by their ``uid`` (0039), unique across centers and databases.

SQLite: the column (the services apply the same rules).

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0047'
down_revision: str | None = '0046'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: services.sessions.LEGACY_UIDS_KEY (a migration does not import the services).
LEGACY_UIDS_KEY = "ics_legacy_uids_until"
CASE_GROUPS = "md_intake, md_mediator, md_head"
ROOM_WRITERS = "md_admin, md_head"
#: Asked once per query (a scalar subquery), as 0032 made every policy ask it.
OWN_CENTER = "center_id = (SELECT md_current_center_id())"
CENTERS_READ = "center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))"
#: A room holding a session the caller reads (mediation_session's own policies decide which).
HOLDS_A_SESSION_READ = "EXISTS (SELECT 1 FROM mediation_session s WHERE s.room_id = mediation_room.id)"

ROOM_CHECK = r"""
CREATE FUNCTION md_session_room_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
DECLARE
  handler integer;
  room_center integer;
  number text;
BEGIN
  IF md_current_center_id() IS NULL THEN
    RETURN NEW;  -- the owner, the desk role: maintenance
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.room_id IS NOT DISTINCT FROM OLD.room_id THEN
    RETURN NEW;
  END IF;
  SELECT coalesce(c.handling_center_id, c.center_id), c.number INTO handler, number
    FROM dispute_case c WHERE c.id = NEW.case_id;
  SELECT r.center_id INTO room_center FROM mediation_room r WHERE r.id = NEW.room_id;
  IF room_center IS DISTINCT FROM handler THEN
    RAISE EXCEPTION '调解室不属于承办案件 % 的中心。', number USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$f$"""
ROOM_TRIGGER = ("CREATE TRIGGER md_session_room BEFORE INSERT OR UPDATE OF room_id ON mediation_session "
                "FOR EACH ROW EXECUTE FUNCTION md_session_room_check()")


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def _owners(bind: sa.Connection) -> dict[int, int]:
    """room id → the center it belongs to, by the rules of the module's docstring."""
    root = bind.execute(sa.text("SELECT min(id) FROM center WHERE parent_id IS NULL")).scalar()
    centers = {str(n): int(i) for i, n in bind.execute(sa.text("SELECT id, name FROM center"))}
    first_saver: dict[int, int] = {}
    for entity_id, center_id in bind.execute(sa.text(
            "SELECT a.entity_id, u.center_id FROM audit_entry a JOIN app_user u ON u.id = a.user_id"
            " WHERE a.action = 'room.save' AND a.entity = 'room' AND a.entity_id IS NOT NULL ORDER BY a.id")):
        first_saver.setdefault(int(entity_id), int(center_id))
    owners: dict[int, int] = {}
    for room_id, name, location, active in bind.execute(
            sa.text("SELECT id, name, location, active FROM mediation_room")):
        kept_for = centers.get(str(location or ""))
        if kept_for is not None and not active and str(name).endswith(f"（{location}）"):
            owners[int(room_id)] = kept_for
        elif int(room_id) in first_saver:
            owners[int(room_id)] = first_saver[int(room_id)]
        elif root is not None:
            owners[int(room_id)] = int(root)
    return owners


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.add_column('mediation_room', sa.Column('center_id', sa.Integer(), nullable=True))
    for room_id, center_id in _owners(bind).items():
        bind.execute(sa.text("UPDATE mediation_room SET center_id = :c WHERE id = :r"), {"c": center_id, "r": room_id})
    with op.batch_alter_table('mediation_room', schema=None) as batch:
        batch.alter_column('center_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(batch.f('fk_mediation_room_center_id_center'), 'center', ['center_id'], ['id'])
        batch.create_index(batch.f('ix_mediation_room_center_id'), ['center_id'], unique=False)
        batch.drop_constraint('uq_mediation_room_name', type_='unique')
        batch.create_unique_constraint('uq_mediation_room_center_name', ['center_id', 'name'])
    # The calendar files: the sessions of before keep the event UIDs they were exported with.
    last = bind.execute(sa.text("SELECT max(id) FROM mediation_session")).scalar()
    if last is not None:
        bind.execute(sa.text("INSERT INTO center_setting (key, value) VALUES (:k, :v)"),
                     {"k": LEGACY_UIDS_KEY, "v": str(int(last))})
    if not pg:
        return
    _run("ALTER TABLE mediation_room ENABLE ROW LEVEL SECURITY")
    _run(f"CREATE POLICY md_room_read ON mediation_room FOR SELECT TO {CASE_GROUPS} "
         f"USING ({CENTERS_READ} OR {HOLDS_A_SESSION_READ})")
    # The administrator reads no session (no grant on mediation_session): their centers' rooms.
    _run(f"CREATE POLICY md_room_admin_read ON mediation_room FOR SELECT TO md_admin USING ({CENTERS_READ})")
    _run(f"CREATE POLICY md_room_insert ON mediation_room FOR INSERT TO {ROOM_WRITERS} "
         f"WITH CHECK ({OWN_CENTER} OR (NOT active AND {CENTERS_READ}))")
    _run(f"CREATE POLICY md_room_update ON mediation_room FOR UPDATE TO {ROOM_WRITERS} USING ({OWN_CENTER}) "
         f"WITH CHECK ({OWN_CENTER})")
    _run(f"CREATE POLICY md_room_delete ON mediation_room FOR DELETE TO {ROOM_WRITERS} USING ({OWN_CENTER})")
    _run(ROOM_CHECK)
    _run("REVOKE ALL ON FUNCTION md_session_room_check() FROM PUBLIC")
    _run(ROOM_TRIGGER)


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM center_setting WHERE key = :k"), {"k": LEGACY_UIDS_KEY})
    if op.get_bind().dialect.name == "postgresql":
        _run("DROP TRIGGER IF EXISTS md_session_room ON mediation_session")
        _run("DROP FUNCTION IF EXISTS md_session_room_check()")
        for policy in ("md_room_read", "md_room_admin_read", "md_room_insert", "md_room_update", "md_room_delete"):
            _run(f"DROP POLICY IF EXISTS {policy} ON mediation_room")
        _run("ALTER TABLE mediation_room DISABLE ROW LEVEL SECURITY")
    # Names were unique in the whole database before: a second center's room of a name already
    # taken gets its center's name after it, as a room kept for another center's sessions has.
    op.get_bind().execute(sa.text(
        "UPDATE mediation_room SET name = substr(name || '（' || (SELECT c.name FROM center c"
        " WHERE c.id = mediation_room.center_id) || '）', 1, 60) WHERE EXISTS (SELECT 1 FROM mediation_room o"
        " WHERE o.name = mediation_room.name AND o.id < mediation_room.id)"))
    with op.batch_alter_table('mediation_room', schema=None) as batch:
        batch.drop_constraint('uq_mediation_room_center_name', type_='unique')
        batch.drop_index(batch.f('ix_mediation_room_center_id'))
        batch.drop_constraint(batch.f('fk_mediation_room_center_id_center'), type_='foreignkey')
        batch.drop_column('center_id')
        batch.create_unique_constraint('uq_mediation_room_name', ['name'])
