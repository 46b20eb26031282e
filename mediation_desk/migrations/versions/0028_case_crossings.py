"""up, down, back: cases reported up, assigned down, returned and co-handled between centers

Issue 21 item 2 (docs/crossings.md).

* ``case_crossing``: one row per step — 上报 (report_up), 交办 (assign_down, with a deadline in
  working days), 回退 (return, answering the step it returns), 联办 (co_handle, one row per
  co-handling center) and 反馈 (feedback, answering a 联办 or a 交办). ``uid`` (unique) makes a
  step idempotent; ``case_number`` keeps the case's number with the step; ``materials`` names
  the case's attachments sent with it.
* ``dispute_case.handling_center_id``: the center working on the case while it is reported up or
  assigned down (NULL: its own center). The case keeps ``center_id`` and its number.
* PostgreSQL:

  - ``md_case_writable(case_id, center_id)`` — the one function every write policy of case
    content calls — now answers for the case's handling center when it has one (so after a 上报
    the county writes and the township only reads; after a 交办 the township writes; after a 回退
    its writer is back);
  - ``md_case_center(case_id)``, ``md_crossed_case_ids()`` and ``md_cohandled_case_ids()``: the
    case's center, the cases that crossed this connection's center (a step from or to it), and
    those it co-handles (SECURITY DEFINER: they read past row security);
  - ``dispute_case``'s read and update policies also let a center read the cases it handles and
    those that crossed it (a township reads a county case assigned to it, and after it returned
    it: an UPDATE must leave a row its maker still reads);
  - ``case_crossing``: read by the centers that took part (``from``/``to`` among the centers one
    reads), inserted only by the acting center (``from``) where it may write the case — or, for
    a 反馈, co-handles it — and updated (closed) by the centers that took part on the same terms.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0028'
down_revision: str | None = '0027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"
ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"

WRITABLE = r"""
CREATE OR REPLACE FUNCTION md_case_writable(p_case_id integer, p_center_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT CASE WHEN h.handling_center_id IS NULL
              THEN p_center_id IS NOT DISTINCT FROM md_current_center_id() AND p_center_id IS NOT NULL
              ELSE h.handling_center_id IS NOT DISTINCT FROM md_current_center_id()
                   AND p_center_id IS NOT DISTINCT FROM h.center_id END
    FROM (SELECT (SELECT c.handling_center_id FROM dispute_case c WHERE c.id = p_case_id) AS handling_center_id,
                 (SELECT c.center_id FROM dispute_case c WHERE c.id = p_case_id) AS center_id) h
$f$"""

WRITABLE_0022 = r"""
CREATE OR REPLACE FUNCTION md_case_writable(p_case_id integer, p_center_id integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT p_center_id IS NOT DISTINCT FROM md_current_center_id() AND p_center_id IS NOT NULL
$f$"""

HELPERS = (
    r"""
CREATE FUNCTION md_case_center(p_case_id integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT center_id FROM dispute_case WHERE id = p_case_id
$f$""",
    r"""
CREATE FUNCTION md_crossed_case_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT coalesce(array_agg(DISTINCT case_id), '{}') FROM case_crossing
   WHERE from_center_id = md_current_center_id() OR to_center_id = md_current_center_id()
$f$""",
    r"""
CREATE FUNCTION md_cohandled_case_ids() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT coalesce(array_agg(DISTINCT case_id), '{}') FROM case_crossing
   WHERE kind = 'co_handle' AND to_center_id = md_current_center_id()
$f$""",
)
HELPER_NAMES = ("md_case_center(integer)", "md_crossed_case_ids()", "md_cohandled_case_ids()")

CENTER_READ = "center_id = ANY (md_current_center_ids())"
#: A case one reads: of a center one reads, handled by one, or one that crossed one's own center
#: (reported up or assigned to it, returned by it, co-handled by it).
CASE_READ = (f"({CENTER_READ} OR handling_center_id = ANY (md_current_center_ids())"
             " OR id = ANY ((SELECT md_crossed_case_ids())::integer[]))")

TOOK_PART = "(from_center_id = ANY (md_current_center_ids()) OR to_center_id = ANY (md_current_center_ids()))"
#: Written by the acting center where it may write the case, or (its 反馈, its 联办 row closed)
#: where it co-handles the case.
CROSSING_WRITABLE = ("(md_case_writable(case_id, md_case_center(case_id))"
                     " OR case_id = ANY ((SELECT md_cohandled_case_ids())::integer[]))")


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.create_table(
        'case_crossing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('case_number', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.Enum('report_up', 'assign_down', 'return', 'co_handle', 'feedback',
                                  name='crossingkind', native_enum=False, length=32), nullable=False),
        sa.Column('from_center_id', sa.Integer(), nullable=False),
        sa.Column('to_center_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('materials', sa.Text(), nullable=False),
        sa.Column('working_days', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_by_name', sa.String(length=60), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_case_crossing_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['closed_by_id'], ['app_user.id'],
                                name=op.f('fk_case_crossing_closed_by_id_app_user')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'],
                                name=op.f('fk_case_crossing_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_case_crossing_department_id_department')),
        sa.ForeignKeyConstraint(['from_center_id'], ['center.id'],
                                name=op.f('fk_case_crossing_from_center_id_center')),
        sa.ForeignKeyConstraint(['parent_id'], ['case_crossing.id'],
                                name=op.f('fk_case_crossing_parent_id_case_crossing')),
        sa.ForeignKeyConstraint(['to_center_id'], ['center.id'], name=op.f('fk_case_crossing_to_center_id_center')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_crossing')),
        sa.UniqueConstraint('uid', name=op.f('uq_case_crossing_uid')),
    )
    with op.batch_alter_table('case_crossing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_crossing_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_crossing_from_open', ['from_center_id', 'closed_at'], unique=False)
        batch_op.create_index('ix_case_crossing_to_open', ['to_center_id', 'closed_at'], unique=False)
    if pg:
        op.add_column('dispute_case', sa.Column('handling_center_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_dispute_case_handling_center_id_center'), 'dispute_case', 'center',
                              ['handling_center_id'], ['id'])
    else:
        # SQLite adds a column with its reference in place (no rebuild of the case table).
        op.execute("ALTER TABLE dispute_case ADD COLUMN handling_center_id INTEGER"
                   " CONSTRAINT fk_dispute_case_handling_center_id_center REFERENCES center (id)")
    op.create_index(op.f('ix_dispute_case_handling_center_id'), 'dispute_case', ['handling_center_id'],
                    unique=False)
    if not pg:
        # SQLite's planner knows an index only once it is analysed (as 0022 does for the table).
        op.execute("ANALYZE ix_dispute_case_handling_center_id")
    if pg:
        _secure()


def _secure() -> None:
    _run(WRITABLE)
    for function in HELPERS:
        _run(function)
    for signature in HELPER_NAMES:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO {ALL_GROUPS}")
    # The cases one handles or co-handles are read (and, where writable, updated) too.
    for policy in ("md_case_read", "md_case_update"):
        _run(f"DROP POLICY {policy} ON dispute_case")
    _run(f"CREATE POLICY md_case_read ON dispute_case FOR SELECT TO md_intake, md_head USING {CASE_READ}")
    _run(f"CREATE POLICY md_case_update ON dispute_case FOR UPDATE TO md_intake, md_head USING {CASE_READ} "
         "WITH CHECK (md_case_writable(id, center_id))")
    # The steps: read by the centers that took part; written by the acting center.
    _run("GRANT SELECT ON case_crossing TO md_intake, md_mediator, md_head")
    _run("GRANT INSERT, UPDATE ON case_crossing TO md_intake, md_head")
    _run("GRANT USAGE, SELECT ON SEQUENCE case_crossing_id_seq TO md_intake, md_head")
    _run("ALTER TABLE case_crossing ENABLE ROW LEVEL SECURITY")
    _run(f"CREATE POLICY md_case_rows ON case_crossing FOR SELECT TO {CASE_GROUPS} USING {TOOK_PART}")
    _run(f"CREATE POLICY md_case_insert ON case_crossing FOR INSERT TO md_intake, md_head "
         f"WITH CHECK (from_center_id = md_current_center_id() AND {CROSSING_WRITABLE})")
    _run(f"CREATE POLICY md_case_update ON case_crossing FOR UPDATE TO md_intake, md_head USING {TOOK_PART} "
         f"WITH CHECK ({TOOK_PART} AND {CROSSING_WRITABLE})")


def _unsecure() -> None:
    for policy in ("md_case_rows", "md_case_insert", "md_case_update"):
        _run(f"DROP POLICY IF EXISTS {policy} ON case_crossing")
    for policy in ("md_case_read", "md_case_update"):
        _run(f"DROP POLICY {policy} ON dispute_case")
    _run(f"CREATE POLICY md_case_read ON dispute_case FOR SELECT TO md_intake, md_head USING ({CENTER_READ})")
    _run(f"CREATE POLICY md_case_update ON dispute_case FOR UPDATE TO md_intake, md_head USING ({CENTER_READ}) "
         "WITH CHECK (md_case_writable(id, center_id))")
    _run(WRITABLE_0022)
    for signature in HELPER_NAMES:
        _run(f"DROP FUNCTION IF EXISTS {signature}")


def downgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    if pg:
        _unsecure()
    op.drop_index(op.f('ix_dispute_case_handling_center_id'), table_name='dispute_case')
    if pg:
        op.drop_constraint(op.f('fk_dispute_case_handling_center_id_center'), 'dispute_case', type_='foreignkey')
    op.drop_column('dispute_case', 'handling_center_id')
    with op.batch_alter_table('case_crossing', schema=None) as batch_op:
        batch_op.drop_index('ix_case_crossing_to_open')
        batch_op.drop_index('ix_case_crossing_from_open')
        batch_op.drop_index(batch_op.f('ix_case_crossing_case_id'))
    op.drop_table('case_crossing')
