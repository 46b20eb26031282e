"""search indexes

What services.search needs to find a case by a party's name, an ID number or phone (exact or by
its last digits), the case number, or a word of the title or facts, at a county's scale.

SQLite: two contentless FTS5 tables with the ``trigram`` tokenizer — one over each case's title
and facts (rowid = case id), one over each party's name, ID number and phone (rowid = party id) —
kept in step by triggers, so every write (ORM, bulk Core inserts, imports) indexes itself. Every
indexed value ends in two U+001F characters: the trigram ``4␟␟`` then marks "ends here", which
turns "last 4–6 digits" into a phrase, and every one- or two-character string in the text starts
some indexed trigram, which is how search finds 张伟 through the vocabulary (fts5vocab) although
the trigram tokenizer itself returns nothing for queries under three characters.

PostgreSQL: an IMMUTABLE function ``search_grams(text)`` (the distinct lower-cased bigrams of a
text, plus its ASCII punctuation marks) with GIN indexes over it on the title, facts and party
names; B-tree indexes on the last four characters of ID numbers and phones and a
``text_pattern_ops`` index for name prefixes. pg_trgm is not used: it extracts no trigram from a
two-character ``LIKE '%张伟%'`` and falls back to scanning its whole index.

All objects are named ``search_…``/``ix_search_…``; the schema comparison ignores them (see
``services.search.include_in_schema_compare``). A later migration that rebuilds ``dispute_case`` or
``party`` on SQLite (batch mode: copy, drop, rename) drops their triggers with the old table and
must create them again: call ``sqlite_triggers()`` from this module and ``search.rebuild_index``.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 06:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

END = "char(31, 31)"

_CASE_VALUES = "coalesce({r}.title, '') || " + END + ", coalesce({r}.facts, '') || " + END
_PARTY_VALUES = ("coalesce({r}.name, '') || " + END + ", coalesce({r}.id_number, '') || " + END
                 + ", coalesce({r}.phone, '') || " + END)


def sqlite_triggers() -> list[str]:
    case_new, case_old = _CASE_VALUES.format(r="new"), _CASE_VALUES.format(r="old")
    party_new, party_old = _PARTY_VALUES.format(r="new"), _PARTY_VALUES.format(r="old")
    case_ins = f"INSERT INTO search_case_fts(rowid, title, facts) VALUES (new.id, {case_new});"
    case_del = (f"INSERT INTO search_case_fts(search_case_fts, rowid, title, facts) "
                f"VALUES ('delete', old.id, {case_old});")
    party_ins = f"INSERT INTO search_party_fts(rowid, name, id_number, phone) VALUES (new.id, {party_new});"
    party_del = (f"INSERT INTO search_party_fts(search_party_fts, rowid, name, id_number, phone) "
                 f"VALUES ('delete', old.id, {party_old});")
    return [
        f"CREATE TRIGGER search_case_ai AFTER INSERT ON dispute_case BEGIN {case_ins} END",
        f"CREATE TRIGGER search_case_ad AFTER DELETE ON dispute_case BEGIN {case_del} END",
        f"CREATE TRIGGER search_case_au AFTER UPDATE OF id, title, facts ON dispute_case "
        f"BEGIN {case_del} {case_ins} END",
        f"CREATE TRIGGER search_party_ai AFTER INSERT ON party BEGIN {party_ins} END",
        f"CREATE TRIGGER search_party_ad AFTER DELETE ON party BEGIN {party_del} END",
        f"CREATE TRIGGER search_party_au AFTER UPDATE OF id, name, id_number, phone ON party "
        f"BEGIN {party_del} {party_ins} END",
    ]


def _sqlite_upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE search_case_fts USING fts5(title, facts, content='', tokenize='trigram')")
    op.execute("CREATE VIRTUAL TABLE search_case_vocab USING fts5vocab(search_case_fts, 'row')")
    op.execute("CREATE VIRTUAL TABLE search_party_fts USING fts5(name, id_number, phone, content='', "
               "tokenize='trigram')")
    op.execute("CREATE VIRTUAL TABLE search_party_vocab USING fts5vocab(search_party_fts, 'row')")
    op.execute(f"INSERT INTO search_case_fts(rowid, title, facts) SELECT id, {_CASE_VALUES.format(r='dispute_case')} "
               "FROM dispute_case")
    op.execute(f"INSERT INTO search_party_fts(rowid, name, id_number, phone) "
               f"SELECT id, {_PARTY_VALUES.format(r='party')} FROM party")
    for statement in sqlite_triggers():
        op.execute(statement)


_PUNCT = "!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~"

PG_GRAMS = f"""
CREATE FUNCTION search_grams(t text) RETURNS text[]
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


def _postgresql_upgrade() -> None:
    op.execute(PG_GRAMS)
    op.execute("CREATE INDEX ix_search_case_title ON dispute_case USING gin (search_grams(title))")
    op.execute("CREATE INDEX ix_search_case_facts ON dispute_case USING gin (search_grams(facts))")
    op.execute("CREATE INDEX ix_search_party_name ON party USING gin (search_grams(name))")
    op.execute("CREATE INDEX ix_search_party_name_prefix ON party (name text_pattern_ops)")
    op.execute("CREATE INDEX ix_search_party_id_tail ON party (right(id_number, 4))")
    op.execute("CREATE INDEX ix_search_party_phone_tail ON party (right(phone, 4))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_case_ai", "search_case_ad", "search_case_au",
                     "search_party_ai", "search_party_ad", "search_party_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in ("search_case_vocab", "search_party_vocab", "search_case_fts", "search_party_fts"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    else:
        for name in ("ix_search_case_title", "ix_search_case_facts", "ix_search_party_name",
                     "ix_search_party_name_prefix", "ix_search_party_id_tail", "ix_search_party_phone_tail"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP FUNCTION IF EXISTS search_grams(text)")
