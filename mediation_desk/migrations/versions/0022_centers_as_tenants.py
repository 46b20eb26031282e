"""centers as tenants: one county database holds several centers (docs/centers.md)

* ``center``: the county center, township centers (乡镇综治中心/调解委员会) and village committees
  (村调委会), each with its name, level, parent and case-number prefix. The center this database
  served until now becomes the county center, named and numbered from its settings
  (``center_name``, ``case_number_prefix``).
* ``center_id`` (NOT NULL, every existing row given the county center) on ``dispute_case``,
  ``team`` (names unique per center), ``mediator``, ``app_user``, ``publicity_snapshot`` (each
  center approves its own board) and ``case_number_sequence``
  (numbers run per center and year: its primary key becomes ``(center_id, year)``, and the
  case's ``(year, seq)`` is unique per center); ``ix_dispute_case_center_received`` for a
  center's list. Stationed departments stay the county's (they serve every level).
* The monthly figures (``stat_*_month``, migration 0021) get a ``center_id`` dimension: dropped,
  made again with it and recounted, with their triggers.
* PostgreSQL: row-level security by center, through SECURITY DEFINER functions —

  - ``md_current_center_id()``: the center of this connection's account;
  - ``md_current_center_ids()``: the centers whose cases it may read — its own, and for a head or
    an administrator every center below it;
  - ``md_case_writable(case_id, center_id)``: whether it may write the case — today the cases of
    its own center; issue 21 item 2 adds the cases reported up to it here, and only here;
  - ``md_secure_case_table(table)``: (owner only) gives a table of case content (a ``case_id``
    column) the four policies every such table has: SELECT through the case's visibility,
    INSERT/UPDATE/DELETE only where ``md_case_writable`` holds. A later migration adding such a
    table calls it.

  ``dispute_case``'s policies become: read (intake, head) where ``center_id = ANY
  (md_current_center_ids())``; insert, update and delete where ``md_case_writable`` holds (an
  update of a case one may only read fails with a row-level security error, a delete of it
  deletes nothing); a mediator's team policy also requires their center. Accounts, teams,
  mediators and centers are written by the administrator (and the head for teams and mediators)
  of the centers they may read only. The administrator's counting functions (migration 0018) take
  the centers to count and count no center the administrator may not read.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 12:00:00
"""

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

from mediation_desk.migrations import stat_months_0021
from mediation_desk.migrations import stat_months_0022 as stat_months
from mediation_desk.settings import CASE_NUMBER_PREFIX, CENTER_NAME

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"
ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"
DEFAULT_NAME = "县矛盾纠纷调处中心"
DEFAULT_PREFIX = "矛调"

CASE_VISIBLE = "team_id = ANY (md_current_team_ids()) OR lead_mediator_id = md_current_mediator_id()"
CENTER_READ = "center_id = ANY (md_current_center_ids())"
CHILD_VISIBLE = "EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)"
CHILD_WRITABLE = "EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))"
TERM_VISIBLE = "EXISTS (SELECT 1 FROM agreement a WHERE a.id = agreement_id)"
TERM_WRITABLE = ("EXISTS (SELECT 1 FROM agreement a JOIN dispute_case c ON c.id = a.case_id "
                 "WHERE a.id = agreement_id AND md_case_writable(c.id, c.center_id))")

FUNCTIONS = r"""
CREATE FUNCTION md_current_center_id() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT center_id FROM app_user WHERE db_role = session_user AND active
$f$;

-- The centers whose cases this connection's account may read: its own; a head's and an
-- administrator's with every center below theirs. Empty for the owner, the desk and anyone else.
CREATE FUNCTION md_current_center_ids() RETURNS integer[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  WITH RECURSIVE me AS (
    SELECT center_id, role FROM app_user WHERE db_role = session_user AND active
  ), below(id) AS (
    SELECT center_id FROM me
    UNION
    SELECT c.id FROM center c JOIN below b ON c.parent_id = b.id
     WHERE EXISTS (SELECT 1 FROM me WHERE me.role IN ('head', 'admin'))
  )
  SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM below
$f$;

-- Whether this connection's account may write the case: a case of its own center. Issue 21
-- item 2 (up, down, back) extends this one function with the cases reported up to its center
-- (and co-handled ones); every write policy of case content goes through it.
CREATE FUNCTION md_case_writable(p_case_id integer, p_center_id integer) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT p_center_id IS NOT DISTINCT FROM md_current_center_id() AND p_center_id IS NOT NULL
$f$;

-- The four policies of a table of case content (a case_id column): read through the case's
-- visibility, write only where md_case_writable holds. Owner only (a migration's call).
CREATE FUNCTION md_secure_case_table(p_table regclass) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $f$
DECLARE
  p text;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
  FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = p_table::text
                AND policyname IN ('md_case_rows', 'md_case_insert', 'md_case_update', 'md_case_delete') LOOP
    EXECUTE format('DROP POLICY %I ON %s', p, p_table);
  END LOOP;
  EXECUTE format('CREATE POLICY md_case_rows ON %s FOR SELECT TO md_intake, md_mediator, md_head USING (%s)',
                 p_table, 'EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)');
  EXECUTE format('CREATE POLICY md_case_insert ON %s FOR INSERT TO md_intake, md_mediator, md_head WITH CHECK (%s)',
                 p_table, 'EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))');
  EXECUTE format('CREATE POLICY md_case_update ON %s FOR UPDATE TO md_intake, md_mediator, md_head USING (%s) WITH CHECK (%s)',
                 p_table, 'EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)',
                 'EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))');
  EXECUTE format('CREATE POLICY md_case_delete ON %s FOR DELETE TO md_intake, md_mediator, md_head USING (%s)',
                 p_table, 'EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id AND md_case_writable(c.id, c.center_id))');
END
$f$;
"""

FUNCTION_NAMES = ("md_current_center_id()", "md_current_center_ids()", "md_case_writable(integer, integer)",
                  "md_secure_case_table(regclass)")

_HEADER = "STABLE SECURITY DEFINER SET search_path = public, pg_temp"
#: The administrator's counting functions of migration 0018, now per center: the centers asked
#: for, among those the administrator may read (the owner, who has no account, any of them; no
#: other role may execute the functions).
_IN_CENTERS = ("c.center_id = ANY (p_centers) AND (c.center_id = ANY (md_current_center_ids())"
               " OR md_current_user_id() IS NULL)")
COUNT_FUNCTIONS = (
    f"""
CREATE FUNCTION md_stat_received(p_start date, p_end date, p_not_counted_state text, p_centers integer[])
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
   WHERE c.received_at >= p_start AND c.received_at < p_end + 1 AND {_IN_CENTERS}
   GROUP BY GROUPING SETS ((c.dispute_type_id), (c.source_channel), (c.team_id), (to_char(c.received_at, 'YYYY-MM')))
$f$""",
    f"""
CREATE FUNCTION md_stat_endings(p_start date, p_end date, p_actions text[], p_on_time_days integer,
                                p_centers integer[])
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
     AND {_IN_CENTERS}
   GROUP BY GROUPING SETS ((e.action, c.dispute_type_id), (e.action, c.source_channel),
                           (e.action, c.may_turn_criminal))
$f$""",
    f"""
CREATE FUNCTION md_stat_visits(p_start date, p_end date, p_centers integer[])
RETURNS TABLE(satisfaction text, cases bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT v.satisfaction::text, count(*)
    FROM return_visit v JOIN dispute_case c ON c.id = v.case_id
   WHERE v.id IN (SELECT max(l.id) FROM return_visit l
                   WHERE l.visited_on >= p_start AND l.visited_on <= p_end AND l.satisfaction IS NOT NULL
                   GROUP BY l.case_id)
     AND {_IN_CENTERS}
   GROUP BY v.satisfaction
$f$""",
    f"""
CREATE FUNCTION md_stat_overdue(p_today date, p_open_states text[], p_centers integer[]) RETURNS bigint
LANGUAGE sql {_HEADER} AS $f$
  SELECT count(*) FROM dispute_case c
   WHERE c.clock_due_on < p_today AND c.state = ANY (p_open_states) AND {_IN_CENTERS}
$f$""",
    f"""
CREATE FUNCTION md_open_case_counts(p_final_states text[], p_centers integer[])
RETURNS TABLE(dimension text, id integer, cases bigint)
LANGUAGE sql {_HEADER} AS $f$
  SELECT 'team', c.team_id, count(*) FROM dispute_case c
   WHERE NOT (c.state = ANY (p_final_states)) AND c.team_id IS NOT NULL AND {_IN_CENTERS} GROUP BY c.team_id
  UNION ALL
  SELECT 'lead', c.lead_mediator_id, count(*) FROM dispute_case c
   WHERE NOT (c.state = ANY (p_final_states)) AND c.lead_mediator_id IS NOT NULL AND {_IN_CENTERS}
   GROUP BY c.lead_mediator_id
$f$""",
)
COUNT_FUNCTION_NAMES = (
    "md_stat_received(date, date, text, integer[])",
    "md_stat_endings(date, date, text[], integer, integer[])",
    "md_stat_visits(date, date, integer[])",
    "md_stat_overdue(date, text[], integer[])",
    "md_open_case_counts(text[], integer[])",
)

#: Tables of the organisation that belong to a center: read by everyone, written (by the
#: administrator and the head, as migration 0014 granted) only within the centers they may read.
CENTER_ORG_TABLES = ("team", "mediator")


def _run(sql: str) -> None:
    """Run SQL as written: no bind-parameter parsing and no ``%`` placeholders (``format('%I')``)."""
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def _migration(name: str) -> ModuleType:
    """An earlier migration's module (for the downgrade's functions and policies)."""
    path = next(Path(__file__).parent.glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"_md_migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _setting(bind: sa.Connection, key: str, default: str) -> str:
    value = bind.execute(sa.text("SELECT value FROM center_setting WHERE key = :k"), {"k": key}).scalar()
    return str(value).strip() if value is not None and str(value).strip() else default


def _case_tables(bind: sa.Connection) -> list[str]:
    """The tables of case content under migration 0014's child policy (a case_id column)."""
    return list(bind.execute(sa.text(
        "SELECT DISTINCT p.tablename FROM pg_policies p"
        " JOIN information_schema.columns k ON k.table_schema = 'public' AND k.table_name = p.tablename"
        "  AND k.column_name = 'case_id'"
        " WHERE p.schemaname = 'public' AND p.policyname = 'md_case_rows' AND p.tablename <> 'dispute_case'"
        " ORDER BY 1")).scalars())


def _drop_stat_months(bind: sa.Connection, module: ModuleType) -> None:
    if bind.dialect.name == "sqlite":
        for name in (*module.SQLITE_TRIGGER_NAMES, *stat_months.SQLITE_TRIGGER_NAMES):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table in module.PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in module.PG_FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for table in module.TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")


def _make_stat_months(bind: sa.Connection, module: ModuleType) -> None:
    for statement in module.CREATE_TABLES:
        op.execute(statement)
    if bind.dialect.name == "sqlite":
        for statement in module.sqlite_triggers():
            op.execute(statement)
    else:
        for statement in (*module.pg_functions(), *module.pg_triggers(), *module.PG_GRANTS):
            _run(statement)
    from sqlalchemy.orm import Session

    module.recount(Session(bind=bind))


def _rebuild_sqlite_case_table(bind: sa.Connection, body: Callable[[], None]) -> None:
    """Alembic rebuilds a SQLite table to change its constraints (copy, drop, rename), which drops
    its triggers and the partial index's predicate: both are kept aside and made again."""
    kept_indexes = bind.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dispute_case'"
        " AND sql IS NOT NULL")).all()
    kept_triggers = bind.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dispute_case'")).all()
    for name, _ in kept_indexes:
        op.execute(f'DROP INDEX "{name}"')
    for name, _ in kept_triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    body()
    for _, sql in kept_indexes:
        op.execute(sql)
    for _, sql in kept_triggers:
        op.execute(sql)


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    op.create_table(
        'center',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('level', sa.Enum('county', 'township', 'village', name='centerlevel', native_enum=False,
                                   length=32), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('prefix', sa.String(length=40), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['parent_id'], ['center.id'], name=op.f('fk_center_parent_id_center')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_center')),
        sa.UniqueConstraint('name', name=op.f('uq_center_name')),
        sa.UniqueConstraint('prefix', name=op.f('uq_center_prefix')),
    )
    op.create_index(op.f('ix_center_parent_id'), 'center', ['parent_id'], unique=False)
    stamp = "localtimestamp(0)" if pg else "datetime('now', 'localtime')"
    county = bind.execute(
        sa.text("INSERT INTO center (name, level, parent_id, prefix, active, version, created_at, updated_at)"
                f" VALUES (:name, 'county', NULL, :prefix, :yes, 1, {stamp}, {stamp}) RETURNING id"),
        {"name": _setting(bind, CENTER_NAME.key, DEFAULT_NAME)[:80],
         "prefix": _setting(bind, CASE_NUMBER_PREFIX.key, DEFAULT_PREFIX)[:40], "yes": True}).scalar_one()

    _drop_stat_months(bind, stat_months_0021)

    # The organisation, the accounts and each center's publicity board.
    for table in ("team", "mediator", "app_user", "publicity_snapshot"):
        op.add_column(table, sa.Column('center_id', sa.Integer(), nullable=True))
        bind.execute(sa.text(f"UPDATE {table} SET center_id = :c"), {"c": county})
        with op.batch_alter_table(table, schema=None) as batch:
            batch.alter_column('center_id', existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(batch.f(f'fk_{table}_center_id_center'), 'center', ['center_id'], ['id'])
            if table != "publicity_snapshot":
                batch.create_index(batch.f(f'ix_{table}_center_id'), ['center_id'], unique=False)
            if table == "team":
                batch.drop_constraint('uq_team_name', type_='unique')
                batch.create_unique_constraint('uq_team_center_name', ['center_id', 'name'])

    # Case numbers per center and year.
    op.add_column('case_number_sequence', sa.Column('center_id', sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE case_number_sequence SET center_id = :c"), {"c": county})
    with op.batch_alter_table('case_number_sequence', schema=None) as batch:
        batch.alter_column('center_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint('pk_case_number_sequence', type_='primary')
        batch.create_primary_key('pk_case_number_sequence', ['center_id', 'year'])
        batch.create_foreign_key(batch.f('fk_case_number_sequence_center_id_center'), 'center', ['center_id'],
                                 ['id'])

    # The cases.
    op.add_column('dispute_case', sa.Column('center_id', sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE dispute_case SET center_id = :c"), {"c": county})

    def constrain() -> None:
        with op.batch_alter_table('dispute_case', schema=None, recreate="auto") as batch:
            batch.alter_column('center_id', existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(batch.f('fk_dispute_case_center_id_center'), 'center', ['center_id'], ['id'])
            batch.drop_constraint('uq_dispute_case_year_seq', type_='unique')
            batch.create_unique_constraint('uq_dispute_case_center_year_seq', ['center_id', 'year', 'seq'])

    if pg:
        constrain()
    else:
        _rebuild_sqlite_case_table(bind, constrain)
    op.create_index('ix_dispute_case_center_received', 'dispute_case', ['center_id', 'received_at', 'id'],
                    unique=False)

    _make_stat_months(bind, stat_months)
    if pg:
        _secure(bind)
    if bind.dialect.name == "sqlite":
        # The rebuild dropped every statistic of dispute_case (0021's whole reads of the desk's
        # indexes among them): without them the planner took the new unique index on (center_id,
        # year, seq) for the list's newest-first page and sorted a million rows (3.7 s instead of
        # 1 ms). Read whole, the table's indexes take ~4 s at a million cases.
        op.execute("PRAGMA analysis_limit = 0")
        op.execute("ANALYZE dispute_case")
    else:
        op.execute("ANALYZE dispute_case")


def _secure(bind: sa.Connection) -> None:
    """Row-level security by center (PostgreSQL)."""
    for chunk in FUNCTIONS.split("$f$;\n"):
        if chunk.strip():
            _run(chunk.strip() + "$f$")
    for signature in FUNCTION_NAMES:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    _run(f"GRANT EXECUTE ON FUNCTION md_current_center_id(), md_current_center_ids(), "
         f"md_case_writable(integer, integer) TO {ALL_GROUPS}")

    # The cases.
    for policy in ("md_case_all", "md_case_team"):
        _run(f"DROP POLICY IF EXISTS {policy} ON dispute_case")
    _run(f"CREATE POLICY md_case_read ON dispute_case FOR SELECT TO md_intake, md_head USING ({CENTER_READ})")
    _run("CREATE POLICY md_case_insert ON dispute_case FOR INSERT TO md_intake, md_head "
         "WITH CHECK (md_case_writable(id, center_id))")
    _run(f"CREATE POLICY md_case_update ON dispute_case FOR UPDATE TO md_intake, md_head USING ({CENTER_READ}) "
         "WITH CHECK (md_case_writable(id, center_id))")
    _run("CREATE POLICY md_case_delete ON dispute_case FOR DELETE TO md_intake, md_head "
         "USING (md_case_writable(id, center_id))")
    _run(f"CREATE POLICY md_case_team ON dispute_case FOR ALL TO md_mediator USING (({CASE_VISIBLE}) AND {CENTER_READ}) "
         f"WITH CHECK (({CASE_VISIBLE}) AND md_case_writable(id, center_id))")
    # Its content: read with the case, written where the case is writable.
    for table in _case_tables(bind):
        _run(f"SELECT md_secure_case_table('{table}')")
    _run("DROP POLICY md_case_rows ON agreement_term")
    _run(f"CREATE POLICY md_case_rows ON agreement_term FOR SELECT TO {CASE_GROUPS} USING ({TERM_VISIBLE})")
    _run(f"CREATE POLICY md_case_insert ON agreement_term FOR INSERT TO {CASE_GROUPS} WITH CHECK ({TERM_WRITABLE})")
    _run(f"CREATE POLICY md_case_update ON agreement_term FOR UPDATE TO {CASE_GROUPS} USING ({TERM_VISIBLE}) "
         f"WITH CHECK ({TERM_WRITABLE})")
    _run(f"CREATE POLICY md_case_delete ON agreement_term FOR DELETE TO {CASE_GROUPS} USING ({TERM_WRITABLE})")

    # The centers, their organisation and accounts.
    _run(f"GRANT SELECT ON center TO {ALL_GROUPS}")
    _run("GRANT INSERT, UPDATE ON center TO md_admin")
    _run("ALTER TABLE center ENABLE ROW LEVEL SECURITY")
    _run(f"CREATE POLICY md_center_read ON center FOR SELECT TO {ALL_GROUPS} USING (true)")
    _run("CREATE POLICY md_center_insert ON center FOR INSERT TO md_admin "
         "WITH CHECK (parent_id = ANY (md_current_center_ids()))")
    _run("CREATE POLICY md_center_update ON center FOR UPDATE TO md_admin USING (id = ANY (md_current_center_ids())) "
         "WITH CHECK (id = ANY (md_current_center_ids()) AND (id = md_current_center_id() "
         "OR parent_id = ANY (md_current_center_ids())))")
    for table in CENTER_ORG_TABLES:
        _run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        _run(f"CREATE POLICY md_org_read ON {table} FOR SELECT TO {ALL_GROUPS} USING (true)")
        _run(f"CREATE POLICY md_org_write ON {table} FOR ALL TO md_admin, md_head USING ({CENTER_READ}) "
             f"WITH CHECK ({CENTER_READ})")
    _run(f"GRANT SELECT (center_id) ON app_user TO {ALL_GROUPS}")
    _run("GRANT INSERT (center_id), UPDATE (center_id) ON app_user TO md_admin")
    _run("DROP POLICY md_user_admin_insert ON app_user")
    _run("DROP POLICY md_user_admin ON app_user")
    _run(f"CREATE POLICY md_user_admin_insert ON app_user FOR INSERT TO md_admin "
         f"WITH CHECK (db_role IS NULL AND {CENTER_READ})")
    _run(f"CREATE POLICY md_user_admin ON app_user FOR UPDATE TO md_admin USING ({CENTER_READ}) "
         f"WITH CHECK ({CENTER_READ})")
    _run("GRANT SELECT, INSERT, UPDATE ON case_number_sequence TO md_intake, md_head")

    # The administrator's figures, per center.
    for signature in _migration("0018").FUNCTION_NAMES:
        _run(f"DROP FUNCTION IF EXISTS {signature}")
    for function in COUNT_FUNCTIONS:
        _run(function)
    for signature in COUNT_FUNCTION_NAMES:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO md_admin")


def _unsecure(bind: sa.Connection) -> None:
    m14, m18 = _migration("0014"), _migration("0018")
    for signature in COUNT_FUNCTION_NAMES:
        _run(f"DROP FUNCTION IF EXISTS {signature}")
    for function in m18._FUNCTIONS:
        _run(function)
    for signature in m18.FUNCTION_NAMES:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO md_admin")
    _run("DROP POLICY md_user_admin_insert ON app_user")
    _run("DROP POLICY md_user_admin ON app_user")
    _run("CREATE POLICY md_user_admin_insert ON app_user FOR INSERT TO md_admin WITH CHECK (db_role IS NULL)")
    _run("CREATE POLICY md_user_admin ON app_user FOR UPDATE TO md_admin USING (true) WITH CHECK (true)")
    for policy in ("md_center_read", "md_center_insert", "md_center_update"):
        _run(f"DROP POLICY {policy} ON center")
    for table in CENTER_ORG_TABLES:
        _run(f"DROP POLICY md_org_read ON {table}")
        _run(f"DROP POLICY md_org_write ON {table}")
        _run(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    case_tables = [*_case_tables(bind), "agreement_term"]
    for policy in ("md_case_read", "md_case_insert", "md_case_update", "md_case_delete", "md_case_team"):
        _run(f"DROP POLICY IF EXISTS {policy} ON dispute_case")
    _run("CREATE POLICY md_case_all ON dispute_case FOR ALL TO md_intake, md_head USING (true) WITH CHECK (true)")
    _run(f"CREATE POLICY md_case_team ON dispute_case FOR ALL TO md_mediator USING ({m14.CASE_VISIBLE}) "
         f"WITH CHECK ({m14.CASE_VISIBLE})")
    for table in case_tables:
        for policy in ("md_case_rows", "md_case_insert", "md_case_update", "md_case_delete"):
            _run(f"DROP POLICY IF EXISTS {policy} ON {table}")
        visible = TERM_VISIBLE if table == "agreement_term" else CHILD_VISIBLE
        _run(f"CREATE POLICY md_case_rows ON {table} FOR ALL TO {CASE_GROUPS} USING ({visible}) "
             f"WITH CHECK ({visible})")
    for signature in reversed(FUNCTION_NAMES):
        _run(f"DROP FUNCTION IF EXISTS {signature}")


def downgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    if pg:
        _unsecure(bind)
    _drop_stat_months(bind, stat_months)
    op.drop_index('ix_dispute_case_center_received', table_name='dispute_case')
    # Numbers were per center: the county keeps its own, the other centers' cases cannot be kept
    # in a database of one center.
    county = bind.execute(sa.text("SELECT min(id) FROM center WHERE parent_id IS NULL")).scalar()
    others = bind.execute(sa.text("SELECT count(*) FROM dispute_case WHERE center_id <> :c"), {"c": county}).scalar()
    if others:
        raise RuntimeError(f"数据库中有 {others} 件案件属于县级中心以外的中心，降级到单一中心的版本会使它们的案号冲突，"
                           "已撤销降级，数据未改变。")

    def unconstrain() -> None:
        with op.batch_alter_table('dispute_case', schema=None) as batch:
            batch.drop_constraint('uq_dispute_case_center_year_seq', type_='unique')
            batch.create_unique_constraint('uq_dispute_case_year_seq', ['year', 'seq'])
            batch.drop_constraint('fk_dispute_case_center_id_center', type_='foreignkey')
            batch.drop_column('center_id')

    if pg:
        unconstrain()
    else:
        _rebuild_sqlite_case_table(bind, unconstrain)
    bind.execute(sa.text("DELETE FROM case_number_sequence WHERE center_id <> :c"), {"c": county})
    with op.batch_alter_table('case_number_sequence', schema=None) as batch:
        batch.drop_constraint('fk_case_number_sequence_center_id_center', type_='foreignkey')
        batch.drop_constraint('pk_case_number_sequence', type_='primary')
        batch.create_primary_key('pk_case_number_sequence', ['year'])
        batch.drop_column('center_id')
    for table in ("publicity_snapshot", "app_user", "mediator", "team"):
        with op.batch_alter_table(table, schema=None) as batch:
            if table == "team":
                batch.drop_constraint('uq_team_center_name', type_='unique')
                batch.create_unique_constraint('uq_team_name', ['name'])
            if table != "publicity_snapshot":
                batch.drop_index(f'ix_{table}_center_id')
            batch.drop_constraint(f'fk_{table}_center_id_center', type_='foreignkey')
            batch.drop_column('center_id')
    _make_stat_months(bind, stat_months_0021)
    op.drop_index(op.f('ix_center_parent_id'), table_name='center')
    op.drop_table('center')
