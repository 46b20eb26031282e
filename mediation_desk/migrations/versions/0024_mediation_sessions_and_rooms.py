"""mediation rooms and sessions

* ``mediation_room``: the center's rooms (调解室), set up by the head or the administrator —
  organisation data, read by every group;
* ``mediation_session``: a session (调解会) of a case in a room, from ``starts_at`` to ``ends_at``,
  with what the parties should bring and the invited participants (names with their role);
* ``session_mediator``, ``session_party``: who mediates, which parties are summoned.

The three session tables hold a ``case_id``: on a server they are case content like any other
(migration 0014) — the case groups read a row through its case, a mediator only those of their
teams' cases. The clash check must see every session of the room, mediator or person whatever
the case, so it runs through ``md_session_clashes`` (SECURITY DEFINER), which returns only what
the refusal names: the case number, the room and the times.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"
ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"
SESSION_TABLES = ("mediation_session", "session_mediator", "session_party")

#: Every session overlapping [starts, ends) that shares the room, a mediator, a party record or a
#: party's ID number with the one being scheduled (``exclude``: the session being edited).
CLASH_FUNCTION = r"""
CREATE FUNCTION md_session_clashes(p_room integer, p_starts timestamp, p_ends timestamp,
                                   p_mediators integer[], p_parties integer[], p_id_numbers text[],
                                   p_exclude integer)
RETURNS TABLE (session_id integer, kind text, subject text, case_number text, room_name text,
               starts_at timestamp, ends_at timestamp)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT s.id, 'room', r.name, c.number, r.name, s.starts_at, s.ends_at
    FROM mediation_session s JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
   WHERE s.room_id = p_room AND s.starts_at < p_ends AND s.ends_at > p_starts
     AND s.id IS DISTINCT FROM p_exclude
  UNION ALL
  SELECT s.id, 'mediator', m.name, c.number, r.name, s.starts_at, s.ends_at
    FROM mediation_session s JOIN session_mediator sm ON sm.session_id = s.id JOIN mediator m ON m.id = sm.mediator_id
    JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
   WHERE sm.mediator_id = ANY(p_mediators) AND s.starts_at < p_ends AND s.ends_at > p_starts
     AND s.id IS DISTINCT FROM p_exclude
  UNION ALL
  SELECT s.id, 'party', p.name, c.number, r.name, s.starts_at, s.ends_at
    FROM mediation_session s JOIN session_party sp ON sp.session_id = s.id JOIN party p ON p.id = sp.party_id
    JOIN mediation_room r ON r.id = s.room_id JOIN dispute_case c ON c.id = s.case_id
   WHERE (sp.party_id = ANY(p_parties) OR (p.id_number <> '' AND p.id_number = ANY(p_id_numbers)))
     AND s.starts_at < p_ends AND s.ends_at > p_starts AND s.id IS DISTINCT FROM p_exclude
$f$
"""


def upgrade() -> None:
    op.create_table(
        'mediation_room',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('location', sa.String(length=120), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_room')),
        sa.UniqueConstraint('name', name=op.f('uq_mediation_room_name')),
    )
    op.create_table(
        'mediation_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('bring', sa.Text(), nullable=False),
        sa.Column('invited', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'],
                                name=op.f('fk_mediation_session_case_id_dispute_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['room_id'], ['mediation_room.id'],
                                name=op.f('fk_mediation_session_room_id_mediation_room')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'],
                                name=op.f('fk_mediation_session_created_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_session')),
    )
    op.create_index(op.f('ix_mediation_session_case_id'), 'mediation_session', ['case_id'])
    op.create_index('ix_mediation_session_room_time', 'mediation_session', ['room_id', 'starts_at', 'ends_at'])
    op.create_index('ix_mediation_session_time', 'mediation_session', ['starts_at', 'ends_at'])
    for table, other, column in (("session_mediator", "mediator", "mediator_id"),
                                 ("session_party", "party", "party_id")):
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('session_id', sa.Integer(), nullable=False),
            sa.Column('case_id', sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['session_id'], ['mediation_session.id'],
                                    name=op.f(f'fk_{table}_session_id_mediation_session'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'],
                                    name=op.f(f'fk_{table}_case_id_dispute_case'), ondelete='CASCADE'),
            sa.ForeignKeyConstraint([column], [f'{other}.id'], name=op.f(f'fk_{table}_{column}_{other}'),
                                    ondelete='CASCADE' if other == "party" else None),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        )
        for indexed in ("session_id", "case_id", column):
            op.create_index(op.f(f'ix_{table}_{indexed}'), table, [indexed])
    if op.get_bind().dialect.name == "postgresql":
        bind = op.get_bind()
        # The rooms: organisation data (ORG_TABLES of migration 0014).
        op.execute(f"GRANT SELECT ON mediation_room TO {ALL_GROUPS}")
        op.execute("GRANT INSERT, UPDATE, DELETE ON mediation_room TO md_admin, md_head")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE mediation_room_id_seq TO md_admin, md_head")
        # The sessions: case content, written by whoever schedules (the clerk, the case's mediators, the head).
        for table in SESSION_TABLES:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {CASE_GROUPS}")
            op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {CASE_GROUPS}")
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            # Read through the case's visibility, written only where the case is writable
            # (migration 0022: a head reads the centers below but does not write their cases).
            op.execute(f"SELECT md_secure_case_table('{table}')")
        bind.execution_options(no_parameters=True).exec_driver_sql(CLASH_FUNCTION)
        op.execute("REVOKE ALL ON FUNCTION md_session_clashes(integer, timestamp, timestamp, integer[], integer[], "
                   "text[], integer) FROM PUBLIC")
        op.execute("GRANT EXECUTE ON FUNCTION md_session_clashes(integer, timestamp, timestamp, integer[], "
                   f"integer[], text[], integer) TO {CASE_GROUPS}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION md_session_clashes(integer, timestamp, timestamp, integer[], integer[], text[], "
                   "integer)")
    op.drop_table('session_party')
    op.drop_table('session_mediator')
    op.drop_table('mediation_session')
    op.drop_table('mediation_room')
