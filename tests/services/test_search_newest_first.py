"""SQLite's newest-first ranking of one word (``search._newest_first``): every page equals the
whole ranking of every hit, filtered to what the actor may see, for each role of a demo with two
townships, for words from the demo's own texts, numbers and names and for hostile input."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase
from mediation_desk.services import auth, search
from mediation_desk.services.actor import Actor

from .. import pgserver
from ..conftest import pg_clone

TODAY = datetime(2026, 11, 30, 10, 0)
pytestmark = pytest.mark.story_day("2026-11-30T10:00")
USERS = ("head", "clerk", "mediator", "ljd_head", "ljd_clerk", "ljd_mediator")


@pytest.fixture(scope="module")
def township_demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """1,200 county cases and two townships of 150 (their orders, crossings and cards too)."""
    path = tmp_path_factory.mktemp("newest-first") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with time_machine.travel(TODAY, tick=False), db.write() as session:
        demo.seed(session, 1200, seed_value=11, township_cases=150, loop=True)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def actors(township_demo: Database) -> dict[str, Actor]:
    return {user: auth.login(township_demo, user, demo.DEMO_PASSWORD, at=TODAY) for user in USERS}


@pytest.fixture(scope="module")
def words(township_demo: Database) -> list[str]:
    """Words as people type them: names whole and begun, pieces of titles and facts, numbers,
    sequence parts and the last digits of phones, and the word in most organisations' names."""
    rng = random.Random(5)
    with township_demo.read() as session:
        names = session.execute(text("SELECT name FROM party ORDER BY id")).scalars().all()
        titles = session.execute(text("SELECT title FROM dispute_case ORDER BY id")).scalars().all()
        facts = session.execute(text("SELECT facts FROM dispute_case WHERE facts != '' ORDER BY id")).scalars().all()
        numbers = session.execute(text("SELECT number, seq FROM dispute_case ORDER BY id")).all()
        phones = session.execute(text("SELECT phone FROM party WHERE phone IS NOT NULL ORDER BY id")).scalars().all()
    pool = ["张掖市", "王", "张", "纠纷", "宅基地", "2026", "%", "_", '"', "*", "甘州区", "公司", "88", "1"]
    for _ in range(6):  # (10 cost the suite ~40 s more and caught nothing the six did not)
        name = rng.choice(names)
        pool += [name, name[:1], name[:2]]
        for source in (rng.choice(titles), rng.choice(facts)):
            start = rng.randrange(max(len(source) - 2, 1))
            pool.append(source[start:start + rng.choice((2, 3, 4))])
        number, seq = rng.choice(numbers)
        pool += [number, str(seq)]
        pool.append(rng.choice(phones)[-rng.choice((4, 5, 6)):])
    return [w for w in dict.fromkeys(pool) if search.words_of(w) == (w,)]


#: The whole rankings worked out, by database, word and person: the demos are only read, and a
#: whole ranking depends on none of the settings the tests change (the windows, the few, the FTS5
#: readings), so each is worked out once for all the tests that compare pages with it.
_WHOLE: dict[tuple[str, str, str | None], list[tuple[int, int]]] = {}


def _everything(session: Session, word: str, actor: Actor | None) -> list[tuple[int, int]]:
    """The whole ranking: every hit of every source, joined to its case, filtered, sorted."""
    key = (str(session.get_bind().engine.url), word, None if actor is None else actor.username)
    if key not in _WHOLE:
        hits = search._Builder(session).hits((word,))
        stmt: Select[Any] = select(hits.c.case_id, hits.c.rank)
        if actor is not None:
            stmt = stmt.join(DisputeCase, DisputeCase.id == hits.c.case_id).where(*search._visible(actor))
        _WHOLE[key] = [(int(r[0]), int(r[1]))
                       for r in session.execute(stmt.order_by(hits.c.rank, hits.c.case_id.desc()))]
    return _WHOLE[key]


def _pages_equal(session: Session, word: str, actor: Actor, everything: list[tuple[int, int]], *,
                 unrestricted: bool = True) -> None:
    """The actor's pages and count equal the whole ranking's; with ``unrestricted``, also the pages
    of no one's visibility (the same for every actor: a loop over actors asks it once per word)."""
    where = search._visible(actor)
    for offset, limit in ((0, 50), (0, 1), (50, 50), (3, 7), (max(len(everything) - 2, 0), 5), (len(everything), 3)):
        page = search.ranked_case_ids(session, word, offset=offset, limit=limit, where=where, actor=actor)
        assert page == everything[offset:offset + limit], (actor.username, word, offset, limit)
    assert search.count_hits(session, word, where=where, actor=actor) == len(everything), (actor.username, word)
    if not unrestricted:
        return
    whole = _everything(session, word, None)
    for offset, limit in ((0, 50), (7, 13), (max(len(whole) - 1, 0), 4)):
        assert search.ranked_case_ids(session, word, offset=offset, limit=limit) == \
            whole[offset:offset + limit], (word, offset, limit)


@pytest.mark.parametrize("first_window", [9, 70])  # 9 grows through three windows, 70 caught the mutant
def test_pages_of_the_demos_words_equal_the_whole_ranking_for_every_role(
        township_demo: Database, actors: dict[str, Actor], words: list[str], first_window: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "FIRST_WINDOW", first_window)  # windows of 1, 8, 64 … cases: each exit taken
    found_by_window = 0
    # Every word through the window that caught the mutant, every other word through the growing
    # ones (each word costs every actor's whole ranking: ~0.4 s).
    chosen = words if first_window == 70 else words[::2]
    with township_demo.read() as session:
        newest = int(session.scalar(select(DisputeCase.id).order_by(DisputeCase.id.desc()).limit(1)) or 0)
        for word in chosen:
            for n, actor in enumerate(actors.values()):
                everything = _everything(session, word, actor)
                _pages_equal(session, word, actor, everything, unrestricted=n == 0)
                where = search._restricting(search._visible(actor))
                if any(search._newest_first(session, word, end, where) is not None for end in (1, 50)):
                    found_by_window += 1
    if first_window * search.LAST_WINDOW_SHARE <= newest:
        assert found_by_window > 0  # the windows answered some pages (not only the fallback)


@pytest.mark.parametrize("first_window", [9, 70])
def test_a_first_screen_ranked_alone_is_the_rankings_first_rows(
        township_demo: Database, actors: dict[str, Actor], words: list[str], first_window: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A list's first read (``search.first_ranked``): its rows are the whole ranking's first 50, or —
    when the windows found a screen's rows sooner than a page's — its first ``screen`` exactly."""
    monkeypatch.setattr(search, "FIRST_WINDOW", first_window)
    cut_short = 0
    with township_demo.read() as session:
        for word in words[::2]:
            for actor in actors.values():
                everything = _everything(session, word, actor)
                for screen in (1, 7, 20):
                    rows, cut = search.first_ranked(session, word, limit=50, screen=screen,
                                                    where=search._visible(actor), actor=actor)
                    assert rows == (everything[:screen] if cut else everything[:50]), (word, actor.username, screen)
                    cut_short += cut
    assert cut_short > 0  # some screens were found before their page


HOSTILE = "张王李掖市甘州区纠纷有限公司1238%_\"*'-:^ ()xX０１"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.text(alphabet=st.sampled_from(HOSTILE), min_size=1, max_size=5),
       user=st.sampled_from(USERS), first_window=st.sampled_from([1, 5, 40]))
def test_hostile_and_random_words(township_demo: Database, actors: dict[str, Actor], word: str, user: str,
                                  first_window: int) -> None:
    words = search.words_of(word)
    if len(words) != 1:
        return
    saved = search.FIRST_WINDOW
    search.FIRST_WINDOW = first_window
    try:
        with township_demo.read() as session:
            _pages_equal(session, words[0], actors[user], _everything(session, words[0], actors[user]))
    finally:
        search.FIRST_WINDOW = saved


@pytest.fixture(scope="module")
def few_actors(township_demo: Database, actors: dict[str, Actor]) -> dict[str, Actor]:
    """The six roles, and county mediators whose few cases are spread over the county's years
    among the words' hits elsewhere (not the newest, where the windows would find them): one in
    no team (the cases they lead), and one in the team of the case they led first."""
    with township_demo.read() as session:
        leads = session.execute(text(
            "SELECT lead_mediator_id, min(id) AS first FROM dispute_case WHERE lead_mediator_id IS NOT NULL "
            "AND center_id = (SELECT min(id) FROM center) GROUP BY lead_mediator_id ORDER BY first")).all()
        teams = session.execute(text(
            "SELECT team_id FROM dispute_case WHERE team_id IS NOT NULL AND lead_mediator_id = :m "
            "ORDER BY id LIMIT 1"), {"m": leads[-1][0]}).scalars().all()
    county = actors["mediator"]
    loner = dataclasses.replace(county, username="loner", mediator_id=int(leads[0][0]), team_ids=frozenset())
    teamed = dataclasses.replace(county, username="teamed", mediator_id=int(leads[-1][0]),
                                 team_ids=frozenset({int(t) for t in teams}))
    return {**actors, "loner": loner, "teamed": teamed}


@pytest.mark.parametrize("lookups", [0, 10**6])
def test_pages_among_the_few_cases_one_may_see_equal_the_whole_ranking(
        township_demo: Database, few_actors: dict[str, Actor], words: list[str], lookups: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The visible-first ranking (``search._among_few``), with every person's visibility counted
    as few (the county clerk's and mediator's too; the township roles take it at the real bound
    in the test above) and mediators of few cases spread over the years: an FTS5 source read by
    rowid ranges (``lookups`` large) or by its doclist filtered (0)."""
    monkeypatch.setattr(search, "FEW_VISIBLE", 10**6)
    monkeypatch.setattr(search, "FTS_LOOKUPS", lookups)
    taken: list[int] = []
    among_few = search._among_few

    def counted(*args: Any, **kwargs: Any) -> list[tuple[int, int]]:
        taken.append(1)
        return among_few(*args, **kwargs)

    monkeypatch.setattr(search, "_among_few", counted)
    with township_demo.read() as session:
        # The head sees every center's cases: never few, so their pages are the test above's.
        assert search.few_visible_ids(session, few_actors["head"]) is None
        for n, actor in enumerate(a for user, a in few_actors.items() if user != "head"):
            for word in words[int(lookups > 0)::3]:  # each FTS5 reading takes a third of the words
                _pages_equal(session, word, actor, _everything(session, word, actor), unrestricted=n == 0)
        for user in ("ljd_head", "ljd_mediator", "loner", "teamed"):
            assert search.few_visible_ids(session, few_actors[user]) is not None, user
    assert taken


@pytest.fixture(scope="module")
def township_pg(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Database]:
    """The township demo on PostgreSQL (fewer cases: 300 county cases, two townships of 40)."""
    with pg_clone(pg_server, f"md_newest_first_{os.getpid()}", pg_template) as url:
        db = Database(url)
        with time_machine.travel(TODAY, tick=False), db.write() as session:
            demo.seed(session, 300, seed_value=11, township_cases=40, loop=True)
        yield db
        db.dispose()


@pytest.mark.postgresql
@pytest.mark.parametrize("few", [search.FEW_VISIBLE, 10**6])
def test_postgresql_pages_among_the_few_cases_equal_the_whole_ranking(
        township_pg: Database, few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL's visible-first ranking: each source kept to the few cases by ``= ANY``."""
    monkeypatch.setattr(search, "FEW_VISIBLE", few)
    actors = {user: auth.login(township_pg, user, demo.DEMO_PASSWORD, at=TODAY) for user in USERS}
    with township_pg.read() as session:
        names = session.execute(text("SELECT name FROM party ORDER BY id LIMIT 40")).scalars().all()
        numbers = session.execute(text("SELECT number FROM dispute_case ORDER BY id DESC LIMIT 3")).scalars().all()
        phones = session.execute(text("SELECT phone FROM party WHERE phone IS NOT NULL LIMIT 3")).scalars().all()
        pool = ["张掖市", "王", "纠纷", "宅基地", "2026", "%", "_", "甘州区", "公司", "88", *names[::7],
                *(n[:2] for n in names[::9]), *numbers, *(p[-4:] for p in phones)]
        words = [w for w in dict.fromkeys(pool) if search.words_of(w) == (w,)]
        for n, actor in enumerate(actors.values()):
            for word in words:
                _pages_equal(session, word, actor, _everything(session, word, actor), unrestricted=n == 0)
        for user in ("ljd_head", "ljd_mediator", "ljd_clerk"):
            assert search.few_visible_ids(session, actors[user]) is not None, user
