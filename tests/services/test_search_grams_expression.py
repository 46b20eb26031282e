"""Migration 0031: PostgreSQL's ``search_grams`` cut in one inlined expression gives every text the
same grams as 0008's query per row (``search_grams_by_rows``), so the GIN indexes built before
hold the same keys; a search finds through the index what a scan finds. The gram counts' list
(``search_text_gram_list``) holds the grams of ``search_text_grams``."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from mediation_desk.db import Database

pytestmark = pytest.mark.postgresql

#: Texts whose grams the regular expressions could cut wrongly: empty, one and two characters,
#: odd and even lengths, every ASCII punctuation mark, upper case and letters whose lower case
#: differs in length, tabs and line breaks, characters beyond the BMP, the separator U+001F itself,
#: regular-expression and backslash sequences, and long texts.
TEXTS = [
    "", "a", "ab", "abc", "张", "张伟", "张伟明", "AbC!!?", "İstanbul ÄÖ ß", "tab\there\nnew\r\nline",
    "[]\\^_`{|}~ ", "!\"#$%&'()*+,-./:;<=>?@", "😀😁a𠀀𠀁", "中文，标点。！", "a\x1fb", "\x1f", "\\&\\1$1.*",
    "邻居在公共通道堆放杂物，影响通行。" * 300, "ＡＢＣ１２３", " ", "  x  ",
]


def _random_texts(count: int) -> list[str]:
    rng = random.Random(31)
    alphabet = "张伟明李王甲乙AaBb0 9,.!?-_\\\t\n'\"%😀𠀀\x1f"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


@pytest.fixture
def grams_db(pg_database_url: str) -> Database:
    db = Database(pg_database_url)
    with db.write() as session:
        session.execute(text("CREATE TABLE grams_probe (id serial PRIMARY KEY, t text)"))
        session.execute(text("INSERT INTO grams_probe (t) SELECT unnest(CAST(:texts AS text[]))"),
                        {"texts": [*TEXTS, *_random_texts(400)]})
        session.execute(text("INSERT INTO grams_probe (t) VALUES (NULL)"))
        session.execute(text("INSERT INTO grams_probe (t) SELECT string_agg(chr(i), '') "
                             "FROM generate_series(1, 400) i"))
    return db


def test_the_same_grams_as_the_query_per_row(grams_db: Database) -> None:
    with grams_db.read() as session:
        rows = session.execute(text(
            "SELECT t, ARRAY(SELECT DISTINCT g FROM unnest(search_grams(t)) AS g ORDER BY g), "
            "search_grams_by_rows(t), search_grams(t) IS NULL FROM grams_probe")).all()
    assert len(rows) == len(TEXTS) + 402
    for value, fast, by_rows, is_null in rows:
        if value is None:
            assert is_null and by_rows is None
            continue
        assert fast == by_rows, value[:40]


def test_the_gram_counts_list_holds_the_grams_of_title_and_facts(grams_db: Database) -> None:
    """The triggers count each case once per distinct gram of ``search_text_gram_list``: the same
    grams as ``search_text_grams`` (what the recount uses), NULL title or facts included."""
    with grams_db.read() as session:
        rows = session.execute(text(
            "SELECT a.t, b.t, ARRAY(SELECT DISTINCT g FROM unnest(search_text_gram_list(a.t, b.t)) AS g ORDER BY g), "
            "search_text_grams(a.t, b.t) FROM grams_probe a JOIN grams_probe b ON b.id = a.id % 97 + 1")).all()
    assert len(rows) == len(TEXTS) + 402
    for title, facts, listed, distinct in rows:
        assert listed == distinct, (title or "")[:40] + " / " + (facts or "")[:40]


def test_the_function_is_inlined_into_the_index_expression(grams_db: Database) -> None:
    with grams_db.read() as session:
        plan = "\n".join(session.scalars(text("EXPLAIN VERBOSE SELECT search_grams(t) FROM grams_probe")))
    assert "regexp_replace" in plan and "search_grams(" not in plan


def test_a_search_through_the_index_finds_what_a_scan_finds(grams_db: Database) -> None:
    with grams_db.write() as session:
        session.execute(text("CREATE INDEX grams_probe_gin ON grams_probe USING gin (search_grams(t))"))
        session.execute(text("ANALYZE grams_probe"))
        words = [["张伟"], ["伟明", "张伟"], ["ab"], ["!"], ["a\x1f"], ["ｂｃ"], ["通行"], ["𠀀𠀁"], ["\\&"]]
        found = {}
        for setting in ("on", "off"):
            session.execute(text(f"SET LOCAL enable_seqscan = {setting}"))
            session.execute(text(f"SET LOCAL enable_bitmapscan = {'off' if setting == 'on' else 'on'}"))
            found[setting] = [session.scalars(text(
                "SELECT id FROM grams_probe WHERE search_grams(t) @> CAST(:w AS text[]) ORDER BY id"),
                {"w": w}).all() for w in words]
        plan = "\n".join(session.scalars(text(
            "EXPLAIN SELECT id FROM grams_probe WHERE search_grams(t) @> ARRAY['张伟']")))
    assert "grams_probe_gin" in plan
    assert found["on"] == found["off"]
    assert all(found["off"][:4]), "the probe words occur"
