"""county scale on PostgreSQL: the row policies ask who is connected once per query, and search
finds its candidates through the indexes (issue 21 item 6, bench/county.py)

Measured with 20 centers × 50,000 cases, connected as the accounts' own login roles (bench/county.py,
docs/performance-log.md “County on one server”), two things made row-level security slow:

1. **The policies called their functions once per row.** ``center_id = ANY (md_current_center_ids())``
   calls a STABLE SECURITY DEFINER function, which PostgreSQL can neither inline nor fold: in a
   filter it runs again for every row it checks (a recursive query over the centers each time),
   and every child table's policy (``EXISTS (SELECT 1 FROM dispute_case c …)``) pays it once per
   child row. Every policy that calls ``md_current_center_ids()``, ``md_current_center_id()``,
   ``md_current_team_ids()`` or ``md_current_mediator_id()`` without an argument is rewritten to call
   it through a scalar subquery — ``(SELECT md_current_center_ids())`` — which the planner runs once
   per query (an InitPlan) and can still use as an index condition. The rewrite reads each policy's
   expressions from the catalogue and changes only those calls, so it keeps whatever an earlier
   migration put in a policy (and wraps a call only once).
2. **A search could not use its indexes.** Under row-level security PostgreSQL evaluates a query's
   own conditions after the policies unless their operators are LEAKPROOF; ``LIKE`` and the array
   ``@>`` of the search indexes (migration 0008) are not, so the GIN and prefix indexes were
   skipped and every party row was checked through its policy (a township clerk's search of a
   name: a sequential scan of the county's two million parties). Five SECURITY DEFINER functions
   do the index lookups of a search and return the ids of the cases found **that the connected
   account may read** (the same rules as ``dispute_case``'s read policies: its centers, a
   mediator's teams or own cases); ``services/search.py`` uses them when row-level security
   applies to the connection (``row_security_active``), and still joins the hits to
   ``dispute_case`` under its policies. They return case ids only, never a row's content.

3. **The head's overdue count** (``statistics.count_overdue``, on the dashboard) ANDed a bitmap of
   the overdue cases with one of every case of the centers read (a million for the county head):
   index ``ix_dispute_case_due_center (clock_due_on, state, center_id)`` answers it alone.

4. **Every write of a case event took over a second at a million cases**: the city report tables'
   triggers (migration 0023) deleted with ``county_code = md_city_code() AND event_id IN (SELECT …
   FROM new_rows)``, which the planner ran as a walk over all the county's 900,000 endings. Their
   functions are replaced with deletes through the primary key (``services/city.py``); the
   downgrade keeps them (they do the same, faster).

SQLite: only the index (no row-level security there).

Revision ID: 0032
Revises: 0027
Create Date: 2026-12-05 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0032'
down_revision: str | None = '0031'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The argument-less functions of who is connected that policies call (migrations 0014, 0022).
CURRENT_FUNCTIONS = ("md_current_center_ids", "md_current_center_id", "md_current_team_ids", "md_current_mediator_id")

#: What a search's candidates must satisfy: a case the connected account reads (dispute_case's read
#: policies: md_case_read for md_intake/md_head, widened by 0028 to the cases their centers handle
#: or that crossed their center; md_case_team for md_mediator).
_VISIBLE = """((c.center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))
      AND (pg_has_role(session_user, 'md_intake', 'MEMBER') OR pg_has_role(session_user, 'md_head', 'MEMBER')
           OR (pg_has_role(session_user, 'md_mediator', 'MEMBER')
               AND (c.team_id = ANY (CAST((SELECT md_current_team_ids()) AS integer[]))
                    OR c.lead_mediator_id = (SELECT md_current_mediator_id())))))
     OR ((pg_has_role(session_user, 'md_intake', 'MEMBER') OR pg_has_role(session_user, 'md_head', 'MEMBER'))
         AND (c.handling_center_id = ANY (CAST((SELECT md_current_center_ids()) AS integer[]))
              OR c.id = ANY (CAST((SELECT md_crossed_case_ids()) AS integer[])))))"""

_HEADER = "RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

#: (signature, body). ``p_like`` is a LIKE pattern escaped with a backslash (services/search.py).
SEARCH_FUNCTIONS = (
    ("md_search_titles(p_grams text[], p_like text)",
     f"SELECT c.id FROM dispute_case c WHERE search_grams(c.title) @> p_grams "
     f"AND lower(c.title) LIKE p_like ESCAPE '\\' AND {_VISIBLE}"),
    ("md_search_facts(p_grams text[], p_like text)",
     f"SELECT c.id FROM dispute_case c WHERE search_grams(c.facts) @> p_grams "
     f"AND lower(c.facts) LIKE p_like ESCAPE '\\' AND {_VISIBLE}"),
    ("md_search_party_names(p_grams text[], p_like text)",
     f"SELECT p.case_id FROM party p JOIN dispute_case c ON c.id = p.case_id "
     f"WHERE search_grams(p.name) @> p_grams AND lower(p.name) LIKE p_like ESCAPE '\\' AND {_VISIBLE}"),
    # A LIKE pattern given as a parameter is no index condition (the planner takes a prefix only from
    # a constant): the names beginning with ``p_prefix`` as a range of the pattern index (byte order;
    # U+10FFFF is the last character), checked exactly.
    ("md_search_party_prefix(p_prefix text)",
     f"SELECT p.case_id FROM party p JOIN dispute_case c ON c.id = p.case_id "
     f"WHERE p.name ~>=~ p_prefix AND p.name ~<~ (p_prefix || chr(1114111)) "
     f"AND left(p.name, length(p_prefix)) = p_prefix AND {_VISIBLE}"),
    ("md_search_party_tails(p_tail text, p_like text, p_phone boolean)",
     f"SELECT p.case_id FROM party p JOIN dispute_case c ON c.id = p.case_id "
     f"WHERE ((NOT p_phone AND right(p.id_number, 4) = p_tail AND p.id_number LIKE p_like) "
     f"OR (p_phone AND right(p.phone, 4) = p_tail AND p.phone LIKE p_like)) AND {_VISIBLE}"),
)
#: The groups that search cases (permissions.CASE_ROLES).
SEARCHING_GROUPS = "md_intake, md_mediator, md_head"


def _run(sql: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def _rewrite(wrap: bool) -> None:
    """Every policy of the schema calling one of CURRENT_FUNCTIONS bare: call it through a scalar
    subquery (``wrap``), or back (the downgrade)."""
    import re

    bind = op.get_bind()
    policies = bind.exec_driver_sql(
        "SELECT pol.polname, cls.relname, pg_get_expr(pol.polqual, pol.polrelid), "
        "pg_get_expr(pol.polwithcheck, pol.polrelid) FROM pg_policy pol JOIN pg_class cls ON cls.oid = pol.polrelid "
        "JOIN pg_namespace ns ON ns.oid = cls.relnamespace WHERE ns.nspname = current_schema()").all()
    names = "|".join(CURRENT_FUNCTIONS)
    # As pg_get_expr prints them: a bare call, and one inside a scalar subquery (an array one cast
    # to integer[]: ``= ANY (subquery)`` would read the subquery as a set of rows, not an array).
    bare = re.compile(rf"(?<![\w.])({names})\(\)(?! AS )")
    wrapped = re.compile(rf"\(\s*SELECT ({names})\(\) AS \1\)::integer\[\]|\(\s*SELECT ({names})\(\) AS \2\)")

    def call(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"CAST((SELECT {name}()) AS integer[])" if name.endswith("_ids") else f"(SELECT {name}())"

    def unwrap(expression: str) -> str:
        return wrapped.sub(lambda m: f"{m.group(1) or m.group(2)}()", expression)

    def change(expression: str | None) -> str | None:
        if expression is None:
            return None
        if wrap:
            return bare.sub(call, unwrap(expression)) if bare.search(expression) else None
        return unwrap(expression) if wrapped.search(expression) else None

    for name, table, using, check in policies:
        new_using, new_check = change(using), change(check)
        if new_using is None and new_check is None:
            continue
        clauses = ""
        if new_using is not None:
            clauses += f" USING ({new_using})"
        if new_check is not None:
            clauses += f" WITH CHECK ({new_check})"
        _run(f'ALTER POLICY "{name}" ON "{table}"{clauses}')


#: The head's dashboard counts the overdue cases of the centers it reads (statistics.count_overdue):
#: with the center in the index, not ANDed with a bitmap of every case of those centers.
OVERDUE_INDEX = ("ix_dispute_case_due_center", "dispute_case", ["clock_due_on", "state", "center_id"])


#: The city report tables' trigger functions of migration 0023 that delete by the county's code
#: (services/city.py): replaced with the versions whose deletes use the primary key.
CITY_FUNCTIONS = ("city_cases_deleted", "city_endings_written", "city_endings_deleted", "city_visits_deleted",
                  "city_types_renamed")


def _city_functions() -> list[str]:
    from mediation_desk.services import city

    wanted = tuple(f"CREATE FUNCTION {name}()" for name in CITY_FUNCTIONS)
    return [statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
            for statement in city.county_statements() if statement.startswith(wanted)]


def upgrade() -> None:
    op.create_index(OVERDUE_INDEX[0], OVERDUE_INDEX[1], OVERDUE_INDEX[2], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        # SQLite's planner knows an index only once it is analysed (as 0022 does for the table).
        op.execute(f"ANALYZE {OVERDUE_INDEX[0]}")
        return
    for statement in _city_functions():
        _run(statement)
    _rewrite(True)
    for signature, body in SEARCH_FUNCTIONS:
        _run(f"CREATE FUNCTION {signature} {_HEADER} AS $f$ {body} $f$")
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO {SEARCHING_GROUPS}")


def downgrade() -> None:
    op.drop_index(OVERDUE_INDEX[0], table_name=OVERDUE_INDEX[1])
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature, _ in SEARCH_FUNCTIONS:
        _run(f"DROP FUNCTION IF EXISTS {signature}")
    _rewrite(False)
