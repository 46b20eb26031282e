"""search gram counts

PostgreSQL only: how many cases hold each short string in their title or facts, so the number of
cases a common word finds is read, not counted. A GIN index tells which rows may hold a word, but
counting them still visits every one of those rows on the heap: for a word in a sixth of a
million cases that is ~30,000 pages, 130–370 ms on two cores, however warm the cache. Here the
count is one primary-key lookup.

``search_text_grams(title, facts)``: the distinct lower-cased substrings of two and three
characters of the title and of the facts (never across the two), plus their single ASCII
punctuation marks — every word of one to three characters the search looks for in the text is
one of them. ``search_gram_count(gram, cases)``: the number of cases whose title or facts hold the
gram. Triggers keep it exact in the same transaction as the case row: a statement-level trigger
for inserts and deletes (one grouped upsert however many rows: imports and COPY), a row-level one
for a changed title or facts. Every change first takes one transaction-level advisory lock, so two
desks' writes update the shared counters one after the other and can never deadlock on them.

SQLite needs none of this: FTS5 counts from its own index (services/search.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 08:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: pg_advisory_xact_lock(LOCK_CLASS, 1) serialises the counters' maintenance (see above).
LOCK = "8001, 1"
_PUNCT = "!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~"

TEXT_GRAMS = f"""
CREATE FUNCTION search_text_grams(title text, facts text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{{}}'::text[]) FROM (
    SELECT substr(s, i, n) AS g
      FROM unnest(ARRAY[lower(coalesce(title, '')), lower(coalesce(facts, ''))]) AS s,
           generate_series(2, 3) AS n,
           generate_series(1, char_length(s) - n + 1) AS i
    UNION ALL
    SELECT substr(s, i, 1)
      FROM unnest(ARRAY[lower(coalesce(title, '')), lower(coalesce(facts, ''))]) AS s,
           generate_series(1, char_length(s)) AS i
     WHERE strpos('{_PUNCT}', substr(s, i, 1)) > 0
  ) AS grams
$$
"""

ADDED = f"""
CREATE FUNCTION search_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  INSERT INTO search_gram_count AS c (gram, cases)
    SELECT g, count(*) FROM new_rows, unnest(search_text_grams(new_rows.title, new_rows.facts)) AS g
     GROUP BY g ORDER BY g
  ON CONFLICT (gram) DO UPDATE SET cases = c.cases + excluded.cases;
  RETURN NULL;
END $$
"""

REMOVED = f"""
CREATE FUNCTION search_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  UPDATE search_gram_count AS c SET cases = c.cases - d.n
    FROM (SELECT g, count(*) AS n FROM old_rows, unnest(search_text_grams(old_rows.title, old_rows.facts)) AS g
           GROUP BY g) AS d
   WHERE c.gram = d.g;
  RETURN NULL;
END $$
"""

CHANGED = f"""
CREATE FUNCTION search_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before text[] := search_text_grams(OLD.title, OLD.facts);
  after text[] := search_text_grams(NEW.title, NEW.facts);
BEGIN
  PERFORM pg_advisory_xact_lock({LOCK});
  INSERT INTO search_gram_count AS c (gram, cases)
    SELECT g, d FROM (SELECT g, 1 AS d FROM unnest(after) AS g WHERE NOT g = ANY(before)
                      UNION ALL
                      SELECT g, -1 FROM unnest(before) AS g WHERE NOT g = ANY(after)) AS delta
     ORDER BY g
  ON CONFLICT (gram) DO UPDATE SET cases = c.cases + excluded.cases;
  RETURN NULL;
END $$
"""

TRIGGERS = (
    "CREATE TRIGGER search_count_ai AFTER INSERT ON dispute_case REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_count_added()",
    "CREATE TRIGGER search_count_ad AFTER DELETE ON dispute_case REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_count_removed()",
    "CREATE TRIGGER search_count_au AFTER UPDATE OF title, facts ON dispute_case FOR EACH ROW "
    "WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.facts IS DISTINCT FROM NEW.facts) "
    "EXECUTE FUNCTION search_count_changed()",
)

#: What services.search.rebuild_index runs too: every case counted once per gram it holds.
RECOUNT = ("INSERT INTO search_gram_count (gram, cases) SELECT g, count(*) FROM dispute_case, "
           "unnest(search_text_grams(title, facts)) AS g GROUP BY g")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(TEXT_GRAMS)
    op.execute("CREATE TABLE search_gram_count (gram text PRIMARY KEY, cases integer NOT NULL)")
    for statement in (ADDED, REMOVED, CHANGED, *TRIGGERS, RECOUNT):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name in ("search_count_ai", "search_count_ad", "search_count_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON dispute_case")
    for name in ("search_count_added", "search_count_removed", "search_count_changed"):
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP TABLE IF EXISTS search_gram_count")
    op.execute("DROP FUNCTION IF EXISTS search_text_grams(text, text)")
