"""search grams in one expression (PostgreSQL)

Migration 0008's ``search_grams(text)`` made a text's grams by a query of its own
(``generate_series`` over its positions, ``array_agg(DISTINCT …)``): PostgreSQL starts an executor
for every call, and every case written calls it four times (the GIN indexes over the grams of the
title, the facts and each party's name) — ~60 µs of the server's time a case on an idle machine,
much of a batch import's.

The same grams are now cut by built-in string functions in one expression: ``regexp_replace``
marks every two characters from the first and from the second character on, ``string_to_array``
splits there, and a slice cuts off the last, shorter piece; the ASCII punctuation marks are what
is left after deleting every run of other characters. Being one expression, PostgreSQL inlines
the function wherever it is called, the index expressions included (about five times faster).
A text holding the separator itself (U+001F, which nobody types) takes the old way, kept as
``search_grams_by_rows``.

The result may now hold a gram twice and in another order: a GIN index keeps each key once and
the search only asks ``@>``, so the indexes hold the same keys as before and stay valid without
a rebuild. The function is no longer declared STRICT (a STRICT SQL function is not inlined when
its body calls non-strict functions); a NULL text still gives NULL.
``tests/services/test_search_grams_expression.py`` compares it with the old one on hostile texts.

The gram counts of migration 0010 (cases per two- or three-character gram of the title and the
facts) are kept by statement-level triggers that called ``search_text_grams`` once per row.
``search_text_gram_list(title, facts)`` is the same grams cut the same way (repeats possible,
inlined; ``search_text_grams`` itself, the sorted distinct array, is unchanged); the triggers now
count, over the statement's rows at once, the distinct cases holding each gram
(``count(DISTINCT id) … GROUP BY gram``) — the same counts, about half the server's time of a
batch import's chunk. ``tests/services/test_case_import_bulk.py`` compares the counts with a
recount by ``search_text_grams``.

SQLite: nothing (FTS5 there).

Revision ID: 0031
Revises: 0027
Create Date: 2026-12-05 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0031'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PUNCT = "!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~"
#: Every run of characters that are not ASCII punctuation (what 0008's strpos test keeps).
_NOT_PUNCT = r"[^\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+"
_SEPARATOR = r"E'\x1f'"


def _pieces(s: str, n: int, skip: int) -> str:
    """The ``n``-character substrings of ``s`` that begin at characters ``skip + 1``,
    ``skip + 1 + n`` …: every ``n`` characters marked by the separator, split there, the last
    shorter piece (or the empty one after the last separator) cut off by the slice."""
    source = f"substr({s}, {skip + 1})" if skip else s
    return (f"(string_to_array(regexp_replace({source}, '{'.' * n}', E'\\\\&\\x1f', 'g'), {_SEPARATOR}))"
            f"[1:(char_length({s}) - {skip}) / {n}]")


def _punctuation(s: str) -> str:
    return f"string_to_array(regexp_replace({s}, '{_NOT_PUNCT}', '', 'g'), NULL)"


def _grams(s: str) -> str:
    return f"{_pieces(s, 2, 0)} || {_pieces(s, 2, 1)} || {_punctuation(s)}"


SEARCH_GRAMS = f"""
CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(t, {_SEPARATOR}) > 0 THEN search_grams_by_rows(t)
              ELSE {_grams('lower(t)')} END
$$
"""

_TITLE, _FACTS = "lower(coalesce(title, ''))", "lower(coalesce(facts, ''))"


def _text_grams(s: str) -> str:
    return " || ".join([*(_pieces(s, n, skip) for n in (2, 3) for skip in range(n)), _punctuation(s)])


TEXT_GRAM_LIST = f"""
CREATE FUNCTION search_text_gram_list(title text, facts text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN strpos(title, {_SEPARATOR}) > 0 OR strpos(facts, {_SEPARATOR}) > 0
              THEN search_text_grams(title, facts)
              ELSE {_text_grams(_TITLE)} || {_text_grams(_FACTS)} END
$$
"""

LOCK = "8001, 1"  # migration 0010's advisory lock
#: Per gram, the cases of the statement holding it.
_COUNTED = ("SELECT g, count(DISTINCT r.id) AS n FROM {rows} AS r, "
            "unnest(search_text_gram_list(r.title, r.facts)) AS g GROUP BY g")

ADDED = f"""
CREATE OR REPLACE FUNCTION search_count_added() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  INSERT INTO search_gram_count AS c (gram, cases)
    SELECT g, n FROM ({_COUNTED.format(rows="new_rows")}) AS d ORDER BY g
  ON CONFLICT (gram) DO UPDATE SET cases = c.cases + excluded.cases;
  RETURN NULL;
END $$
"""

REMOVED = f"""
CREATE OR REPLACE FUNCTION search_count_removed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  UPDATE search_gram_count AS c SET cases = c.cases - d.n
    FROM ({_COUNTED.format(rows="old_rows")}) AS d
   WHERE c.gram = d.g;
  RETURN NULL;
END $$
"""

#: 0010's trigger bodies (SECURITY DEFINER since 0014), for the downgrade.
OLD_ADDED = f"""
CREATE OR REPLACE FUNCTION search_count_added() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  INSERT INTO search_gram_count AS c (gram, cases)
    SELECT g, count(*) FROM new_rows, unnest(search_text_grams(new_rows.title, new_rows.facts)) AS g
     GROUP BY g ORDER BY g
  ON CONFLICT (gram) DO UPDATE SET cases = c.cases + excluded.cases;
  RETURN NULL;
END $$
"""

OLD_REMOVED = f"""
CREATE OR REPLACE FUNCTION search_count_removed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  UPDATE search_gram_count AS c SET cases = c.cases - d.n
    FROM (SELECT g, count(*) AS n FROM old_rows, unnest(search_text_grams(old_rows.title, old_rows.facts)) AS g
           GROUP BY g) AS d
   WHERE c.gram = d.g;
  RETURN NULL;
END $$
"""

#: 0008's body, kept under a new name for the texts holding the separator.
OLD_SEARCH_GRAMS = f"""
CREATE FUNCTION search_grams_by_rows(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{{}}'::text[]) FROM (
    SELECT substr(s, i, 2) AS g
      FROM (SELECT lower(t) AS s) AS x, generate_series(1, char_length(x.s) - 1) AS i
    UNION ALL
    SELECT substr(s, i, 1)
      FROM (SELECT lower(t) AS s) AS x, generate_series(1, char_length(x.s)) AS i
     WHERE strpos('{_PUNCT}', substr(s, i, 1)) > 0
  ) AS grams
$$
"""


def _run(statement: str) -> None:
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(statement)


#: The GIN indexes over ``search_grams`` (migration 0008).
GRAM_INDEXES = ("ix_search_case_title", "ix_search_case_facts", "ix_search_party_name")


def _forget_cached_expressions() -> None:
    """Each session caches an index's expressions with the SQL functions in them inlined, and a
    new function body does not clear that cache (a session would go on calling what the body
    called, after the downgrade a dropped function). Setting and resetting a storage option of
    each index changes its catalog row, which tells every session to read the index again."""
    for index in GRAM_INDEXES:
        _run(f"ALTER INDEX {index} SET (fastupdate = on)")
        _run(f"ALTER INDEX {index} RESET (fastupdate)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for statement in (OLD_SEARCH_GRAMS, SEARCH_GRAMS, TEXT_GRAM_LIST, ADDED, REMOVED):
        _run(statement)
    for function in ("search_count_added()", "search_count_removed()"):  # as 0014 left them
        _run(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    _forget_cached_expressions()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for statement in (OLD_ADDED, OLD_REMOVED, "DROP FUNCTION search_text_gram_list(text, text)",
                      OLD_SEARCH_GRAMS.replace("CREATE FUNCTION search_grams_by_rows",
                                               "CREATE OR REPLACE FUNCTION search_grams"),
                      "DROP FUNCTION search_grams_by_rows(text)"):
        _run(statement)
    _forget_cached_expressions()
