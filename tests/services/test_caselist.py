"""The case list's windows: every way of reaching a row gives the same row, filters and sorts
are those asked for, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import CaseState
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, caselist, search
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery, SortKey

from .helpers import BACKENDS, million_statistics, module_demo

ACTOR = Actor.system("test")


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A demo center of 150 cases per backend, seeded once: the tests here only read it."""
    with module_demo(request, tmp_path_factory, "caselist", 150, seed_value=7) as db:
        yield db


def _all_ids(db: Database, query: CaseQuery, window: int, *, keyset: bool) -> list[int]:
    with db.read() as session:
        total = caselist.count_cases(session, ACTOR, query)
        ids: list[int] = []
        after = None
        for offset in range(0, total, window):
            rows = caselist.fetch_window(session, ACTOR, query, offset, window, total=total,
                                         after=after if keyset else None)
            ids.extend(r.id for r in rows)
            after = rows[-1].sort_key if rows else None
        return ids


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_offset_keyset_and_from_the_end_windows_agree(demo_db: Database, sort: SortKey, descending: bool) -> None:
    query = CaseQuery(sort=sort, descending=descending)
    by_offset = _all_ids(demo_db, query, 17, keyset=False)
    by_keyset = _all_ids(demo_db, query, 17, keyset=True)
    assert len(by_offset) == 150 == len(set(by_offset))
    assert by_keyset == by_offset
    with demo_db.read() as session:
        tail = caselist.fetch_window(session, ACTOR, query, 140, 50, total=150)
    assert [r.id for r in tail] == by_offset[140:]


@pytest.mark.parametrize(("text", "sort"),
                         [("纠纷", SortKey.RELEVANCE), ("纠纷", SortKey.NUMBER), (None, SortKey.RECEIVED)])
def test_a_first_read_of_a_screen_and_the_rest_after_it_are_the_first_window(
        demo_db: Database, text: str | None, sort: SortKey) -> None:
    """A new query's screen read whole and the cases below it by id (their columns read after it)
    give the rows of the whole first window, in its order."""
    query = CaseQuery(filter=CaseFilter(text=text), sort=sort, descending=False)
    with demo_db.read() as session:
        whole = caselist.fetch_window(session, ACTOR, query, 0, 50, total=None)
        shown, rest = caselist.fetch_first(session, ACTOR, query, 50, 12)
        assert rest is not None  # the demo's newest 4,000 cases are all its cases: no window
        later = caselist.rows_of(session, rest)
        few, none = caselist.fetch_first(session, ACTOR, query, 5, 12)
    assert len(whole) == 50 and len(shown) == 12
    assert [case_id for case_id, _key in rest] == [row.id for row in whole[12:]]
    assert shown + later == whole
    assert few == whole[:5] and none == []


@pytest.mark.parametrize("text", ["纠纷", "调解"])
def test_a_first_screen_ranked_alone_and_the_rest_ranked_after_it_are_the_first_window(
        demo_db: Database, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search whose newest cases hold its first screen but not its first window (windows of 4
    cases here) reads that screen alone; the rest of the window is ranked and read after it —
    the rows of the whole first window, in its order — and is not given when the ranking no
    longer begins with the screen's cases (one changed meanwhile)."""
    monkeypatch.setattr(search, "FIRST_WINDOW", 4)
    query = CaseQuery(filter=CaseFilter(text=text), sort=SortKey.RELEVANCE, descending=False)
    with demo_db.read() as session:
        whole = caselist.fetch_window(session, ACTOR, query, 0, 50, total=None)
        shown, rest = caselist.fetch_first(session, ACTOR, query, 50, 3)
        assert rest is None or session.get_bind().dialect.name != "sqlite"  # windows: SQLite's alone
        later = (caselist.fetch_rest(session, ACTOR, query, 50, [row.id for row in shown]) if rest is None
                 else caselist.rows_of(session, rest))
        moved = caselist.fetch_rest(session, ACTOR, query, 50, [row.id for row in reversed(shown)])
    assert len(whole) > 3 and len(shown) == 3
    assert later is not None and shown + later == whole
    assert moved is None


def test_rows_are_in_the_requested_order(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = caselist.fetch_window(session, ACTOR, CaseQuery(sort=SortKey.RECEIVED), 0, 150, total=150)
        assert [r.received_at for r in rows] == sorted((r.received_at for r in rows), reverse=True)
        rows = caselist.fetch_window(session, ACTOR, CaseQuery(sort=SortKey.NUMBER, descending=False), 0, 150,
                                     total=150)
        keys = [(r.received_at.year, int(r.number.split("第")[1].rstrip("号"))) for r in rows]
        assert keys == sorted(keys)


@pytest.mark.parametrize("descending", [False, True])
def test_state_sorts_in_the_workflow_order(demo_db: Database, descending: bool) -> None:
    """登记 → 受理 → … → 结案, not the English values' alphabet (accepted, assigned, closed …),
    the same on SQLite and PostgreSQL, through keyset windows as through one."""
    query = CaseQuery(sort=SortKey.STATE, descending=descending)
    with demo_db.read() as session:
        rows = caselist.fetch_window(session, ACTOR, query, 0, 150, total=150)
    ranks = [list(CaseState).index(r.state) for r in rows]
    assert ranks == sorted(ranks, reverse=descending)
    assert len(set(ranks)) > 3  # the demo center has cases in many states
    assert _all_ids(demo_db, query, 17, keyset=True) == [r.id for r in rows]


def test_filters_select_what_they_say(demo_db: Database) -> None:
    with demo_db.read() as session:
        everything = caselist.fetch_window(session, ACTOR, CaseQuery(), 0, 200, total=150)
    some_type = everything[0].dispute_type
    some_team = next(r.team for r in everything if r.team)
    start = date.today() - timedelta(days=60)
    end = date.today() - timedelta(days=10)
    cases_by = {
        "state": CaseFilter(states=frozenset({CaseState.CLOSED, CaseState.IN_MEDIATION})),
        "type": CaseFilter(dispute_type_id=_type_id(demo_db, some_type)),
        "team": CaseFilter(team_ids=frozenset({_team_id(demo_db, some_team)})),
        "dates": CaseFilter(received_from=start, received_to=end),
    }
    expected = {
        "state": [r.id for r in everything if r.state in (CaseState.CLOSED, CaseState.IN_MEDIATION)],
        "type": [r.id for r in everything if r.dispute_type == some_type],
        "team": [r.id for r in everything if r.team == some_team],
        "dates": [r.id for r in everything if start <= r.received_at.date() <= end],
    }
    for name, flt in cases_by.items():
        query = CaseQuery(filter=flt)
        with demo_db.read() as session:
            total = caselist.count_cases(session, ACTOR, query)
            got = [r.id for r in caselist.fetch_window(session, ACTOR, query, 0, 200, total=total)]
        assert got == expected[name], name
        assert 0 < total < 150, name


def test_row_position_finds_a_case(demo_db: Database) -> None:
    query = CaseQuery()
    ids = _all_ids(demo_db, query, 50, keyset=False)
    with demo_db.read() as session:
        for position in (0, 37, 149):
            assert caselist.row_position(session, ACTOR, query, ids[position]) == position


def test_windows_outside_the_list_are_empty(demo_db: Database) -> None:
    with demo_db.read() as session:
        assert caselist.fetch_window(session, ACTOR, CaseQuery(), 150, 10, total=150) == []
        assert caselist.fetch_window(session, ACTOR, CaseQuery(), 0, 0, total=150) == []


def _type_id(db: Database, name: str) -> int:
    from mediation_desk.services import reference

    with db.read() as session:
        return next(c.id for c in reference.dispute_types(session) if c.name == name)


def _team_id(db: Database, name: str) -> int:
    from mediation_desk.services import reference

    with db.read() as session:
        return next(c.id for c in reference.teams(session) if c.name == name)


def test_rows_carry_their_clock(demo_db: Database) -> None:
    from mediation_desk.models import ClockColour

    with demo_db.read() as session:
        rows = caselist.fetch_window(session, ACTOR, CaseQuery(), 0, 150, total=150)
    running = [r for r in rows if r.clock_due_on is not None]
    assert running and all(r.clock_stage is not None for r in running)
    row = running[0]
    assert row.clock_warn_on is not None and row.clock_due_on is not None
    assert row.clock_colour(row.clock_due_on + timedelta(days=1)) is ClockColour.RED
    assert row.clock_colour(row.clock_warn_on) is ClockColour.YELLOW
    assert all(r.clock_colour(date.today()) is None for r in rows if r.clock_due_on is None)


def test_a_page_of_rows_is_looked_up_by_its_ids_without_the_cases_statistics(sqlite_db: Database) -> None:
    """After SQLite rebuilds dispute_case (migration 0022) its statistics are gone while the small
    tables keep theirs: a join of the page's cases to their types then started from the types and
    walked each type's cases through ix_dispute_case_type_received (~100 ms for 50 rows of a
    million). The page's rows are looked up by primary key whatever the statistics say."""
    from sqlalchemy import text

    from .helpers import query_plan, statements_run

    with sqlite_db.write() as session:
        demo.seed(session, 60, seed_value=7)
        session.execute(text("ANALYZE"))
        session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = 'dispute_case'"))
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            rows = caselist.fetch_window(session, ACTOR, CaseQuery(), 0, 50, total=None)
        assert len(rows) == 50 and all(r.dispute_type for r in rows)
        page = [(s, p) for s, p in statements if "dispute_case.title" in s]
        assert len(page) == 1
        plan = query_plan(session, *page[0])
    assert any("dispute_case USING INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any(step.startswith("SCAN") for step in plan), plan


def test_the_count_of_a_head_who_reads_every_center_comes_from_an_index_and_agrees(sqlite_db: Database) -> None:
    """A county head reads every center: their list's count is the filter's alone, from the index
    it leads (the visibility condition sent it to the rows: 0.5–3.4 s at a million cases). The
    others' counts (in parts: tests/services/test_case_counts.py) agree with the rows too."""
    with sqlite_db.write() as session:
        demo.seed(session, 150, seed_value=7, township_cases=8, today=datetime(2026, 11, 20, 10, 0))
    some_type, some_team = _type_id(sqlite_db, "邻里"), _team_id(sqlite_db, "城建物业调解团队")
    filters = {
        "all": CaseFilter(), "state": CaseFilter(states=frozenset({CaseState.CLOSED, CaseState.IN_MEDIATION})),
        "type": CaseFilter(dispute_type_id=some_type), "team": CaseFilter(team_ids=frozenset({some_team})),
        "dates": CaseFilter(received_from=date(2026, 9, 1), received_to=date(2026, 10, 31)),
        "state and type": CaseFilter(states=frozenset({CaseState.CLOSED}), dispute_type_id=some_type),
    }
    counted: dict[str, dict[str, int]] = {}
    for username in ("head", "clerk", "ljd_head", "mediator"):
        actor = auth.login(sqlite_db, username, demo.DEMO_PASSWORD)
        with sqlite_db.read() as session:
            for name, flt in filters.items():
                query = CaseQuery(filter=flt)
                total = caselist.count_cases(session, actor, query)
                rows = caselist.fetch_window(session, actor, query, 0, 500, total=None)
                assert total == len(rows), (username, name)
                counted.setdefault(username, {})[name] = total
                stmt = caselist.count_in_parts(session, actor, flt)
                assert stmt is not None
                if username == "head" and name != "state and type":
                    sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
                    plan = " / ".join(str(r[3]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
                    assert "USING COVERING INDEX" in plan and "case_crossing" not in plan, (name, plan)
    # The head sees the townships' cases too; the clerk and the township head fewer.
    with sqlite_db.read() as session:
        every = session.scalar(text("SELECT count(*) FROM dispute_case"))
    assert counted["head"]["all"] == every and counted["clerk"]["all"] < every
    assert 0 < counted["ljd_head"]["all"] < every
    assert all(0 < counted["head"][name] < every for name in filters if name != "all")


@pytest.mark.parametrize("statistics", ["analysed", "million"])
def test_on_sqlite_a_list_of_a_state_in_another_order_tests_each_case_in_the_index(
        sqlite_db: Database, statistics: str) -> None:
    """待审核结案 (or a state chosen in 案件) sorted by team, type, number or last change walks that
    sort's index: each case's state and centers are tested there, its row never read for it (the
    head's 待审核结案 by team first walked the 106,541 cases without a team, reading each row: 11 s
    at a million cases; a window in its middle read 500,000 rows). The windows are the list's rows
    in that order, for a county head, a clerk and a township head."""
    from .helpers import query_plan, statements_run

    with sqlite_db.write() as session:
        demo.seed(session, 150, seed_value=7, township_cases=8, today=datetime(2026, 11, 20, 10, 0))
        session.execute(text("ANALYZE"))
        if statistics == "million":
            million_statistics(session)
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    states = frozenset({CaseState.CLOSED})
    walked = 0
    for username in ("head", "clerk", "ljd_head"):
        actor = auth.login(sqlite_db, username, demo.DEMO_PASSWORD)
        with sqlite_db.read() as session:
            everything = caselist.fetch_window(session, actor, CaseQuery(filter=CaseFilter()), 0, 500, total=None)
            wanted = {r.id for r in everything if r.state in states}
            for sort in (SortKey.TEAM, SortKey.DISPUTE_TYPE, SortKey.NUMBER, SortKey.UPDATED):
                for descending in (False, True):
                    query = CaseQuery(filter=CaseFilter(states=states), sort=sort, descending=descending)
                    total = caselist.count_cases(session, actor, query)
                    assert total == len(wanted) > 0, (username, sort)
                    with statements_run(sqlite_db) as statements:
                        middle = caselist.fetch_window(session, actor, query, total // 3, 7, total=total)
                    whole = caselist.fetch_window(session, actor, query, 0, total, total=None)
                    assert {r.id for r in whole} == wanted and [r.id for r in middle] == [
                        r.id for r in whole[total // 3:total // 3 + 7]], (username, sort, descending)
                    window = [(s, p) for s, p in statements if "ORDER BY" in s and "LIMIT" in s]
                    assert len(window) == 1, statements
                    plan = [step for step in query_plan(session, *window[0]) if "dispute_case" in step]
                    if username == "ljd_head":
                        continue  # a township's few cases are read by their ids (no index walked)
                    # The sort's index walked and each case tested in it, or the state's (or the
                    # person's centers') cases found by an index and sorted, as the planner weighs
                    # them; never a sort's index walked reading the rows of cases of every state.
                    scans = [step for step in plan if step.startswith("SCAN")]
                    assert all("USING COVERING INDEX" in step for step in scans), (username, sort, plan)
                    walked += bool(scans)
    assert walked, "no sort's index walked: the test shows nothing"
