"""The risk briefing lists its cases in the case list's number order (docs/briefing.md).

A head reads the graded list (风险分级清单) beside the case list sorted by 案号: within a grade the
cases come as the case list orders numbers — by (year, seq, id), not by the number's text, where
（2026）甘州调字第10000号 sorts before 第9999号 and a township's prefix (甘州甲镇调) sorts apart from the
county's. Checked on SQLite and PostgreSQL for the whole list, the tab's first part (the first 蓝
cases: SQLite walks the index of (year, seq, id)), after the head adjusts grades, and for the
repeat parties' and places' case numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.documents.briefing import case_rows
from mediation_desk.models import (
    CaseState,
    Center,
    CenterLevel,
    DisputeCase,
    DisputeType,
    Party,
    PartyRole,
    RiskLevel,
    Role,
)
from mediation_desk.models.enums import ClockStage
from mediation_desk.readmodels.briefing import Briefing, BriefingGrades, GradedCase
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, briefing, caselist
from mediation_desk.services.actor import Actor

from .helpers import actor_named as _actor
from .helpers import query_plan, statements_run

SYSTEM = Actor.system("test")
PASSWORD = "Passw0rd!"
MONTH = "2026-11"
TODAY = date(2026, 12, 3)
#: Received long before the month and its 90-day window: listed for its section alone.
LONG_AGO = datetime(2025, 3, 1, 9, 0)
IN_WINDOW = datetime(2026, 10, 12, 9, 0)

#: (center, year, seq) of the 蓝 cases (overdue alone), in the order they are registered (their ids):
#: neither the ids' order nor the numbers' text order is the case list's.
BLUE = (("county", 2026, 10000), ("county", 2026, 9999), ("ta", 2026, 1000), ("county", 2026, 1000),
        ("county", 2026, 998), ("county", 2025, 10000), ("county", 2025, 9999), ("ta", 2025, 5000),
        ("county", 2026, 12), ("county", 2025, 9000), ("ta", 2026, 10001))
#: The 红 cases (可能民转刑, open).
RED = (("county", 2026, 20000), ("county", 2026, 9998), ("ta", 2025, 10002), ("county", 2025, 1001),
       ("county", 2025, 10003))
#: One party's (and one address's) cases in the window: 橙 for the party in 3 cases.
REPEATED = (("county", 2026, 30000), ("county", 2026, 29999), ("ta", 2026, 998))
PREFIXES = {"county": "甘州调", "ta": "甘州甲镇调"}


def number(center: str, year: int, seq: int) -> str:
    return f"（{year}）{PREFIXES[center]}字第{seq:04d}号"


@dataclass(frozen=True)
class County:
    db: Database
    head: Actor
    ta_head: Actor
    ids: dict[str, int]  # number → case id


@pytest.fixture
def county(db: Database) -> Iterator[County]:
    ids: dict[str, int] = {}
    with db.write() as session:
        root = session.scalar(select(Center.id).where(Center.parent_id.is_(None)))
        assert root is not None
        ta = Center(name="甲镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=root, prefix=PREFIXES["ta"])
        session.add(ta)
        session.flush()
        centers = {"county": root, "ta": ta.id}
        type_id = session.scalars(select(DisputeType.id).order_by(DisputeType.id)).first()
        assert type_id is not None

        def add(key: tuple[str, int, int], **fields: object) -> DisputeCase:
            center, year, seq = key
            case = DisputeCase(center_id=centers[center], number=number(*key), year=year, seq=seq,
                               title=f"排序纠纷{seq}", dispute_type_id=type_id, state=CaseState.IN_MEDIATION,
                               clock_stage=ClockStage.MEDIATION, **fields)
            session.add(case)
            session.flush()
            ids[case.number] = case.id
            return case

        for key in BLUE:
            add(key, received_at=LONG_AGO, clock_due_on=date(2026, 11, 20))
        for key in RED:
            add(key, received_at=LONG_AGO, may_turn_criminal=True)
        for key in REPEATED:
            case = add(key, received_at=IN_WINDOW, address="甲镇北街8号")
            session.add(Party(case_id=case.id, seq=0, role=PartyRole.APPLICANT, name="赵六", phone="",
                              id_number="620702196006066666"))
        for username, center_id in (("county_head", root), ("ta_head", ta.id)):
            auth.create_user(session, SYSTEM, username=username, display_name=username, role=Role.HEAD,
                             password=PASSWORD, must_change_password=False, center_id=center_id)
    yield County(db, _actor(db, "county_head"), _actor(db, "ta_head"), ids)


def _load(county: County, actor: Actor) -> Briefing:
    with county.db.read() as session:
        return briefing.load(session, actor, MONTH, today=TODAY)


def _case_list_order(county: County, actor: Actor, ids: set[int]) -> list[int]:
    """The cases ``ids`` as the case list sorted by 案号 (ascending) shows them."""
    query = caselist.CaseQuery(filter=CaseFilter(case_ids=frozenset(ids)), sort=caselist.SortKey.NUMBER,
                               descending=False)
    with county.db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, 1000, total=total)
    assert len(rows) == total == len(ids)
    return [r.id for r in rows]


def _check_case_list_order(county: County, actor: Actor, cases: Sequence[GradedCase]) -> None:
    """Within each grade the list's cases come in the case list's order."""
    for grade in RiskLevel:
        listed = [c.case_id for c in cases if c.grade is grade]
        assert listed == _case_list_order(county, actor, set(listed)), grade


def _numbers(cases: Sequence[GradedCase], grade: RiskLevel) -> list[str]:
    return [c.number for c in cases if c.grade is grade]


def test_the_graded_list_orders_a_grade_by_year_and_seq_as_the_case_list(county: County) -> None:
    got = _load(county, county.head)
    blue = _numbers(got.cases, RiskLevel.BLUE)
    # By year, then seq (the centers interleaved), then id: 9999 before 10000, 0998 before 1000.
    assert blue == [number(*k) for k in (("ta", 2025, 5000), ("county", 2025, 9000), ("county", 2025, 9999),
                                         ("county", 2025, 10000), ("county", 2026, 12), ("county", 2026, 998),
                                         ("ta", 2026, 1000), ("county", 2026, 1000), ("county", 2026, 9999),
                                         ("county", 2026, 10000), ("ta", 2026, 10001))]
    assert _numbers(got.cases, RiskLevel.RED) == [number(*k) for k in (
        ("county", 2025, 1001), ("ta", 2025, 10002), ("county", 2025, 10003), ("county", 2026, 9998),
        ("county", 2026, 20000))]
    assert _numbers(got.cases, RiskLevel.ORANGE) == [number(*k) for k in (
        ("ta", 2026, 998), ("county", 2026, 29999), ("county", 2026, 30000))]
    _check_case_list_order(county, county.head, got.cases)
    # The PDF's list is the list's order.
    assert [row[0] for row in case_rows(got)] == [c.number for c in got.cases]
    township = _load(county, county.ta_head)
    assert _numbers(township.cases, RiskLevel.BLUE) == [number(*k) for k in (
        ("ta", 2025, 5000), ("ta", 2026, 1000), ("ta", 2026, 10001))]
    _check_case_list_order(county, county.ta_head, township.cases)


def _parts(county: County, actor: Actor) -> list[BriefingGrades]:
    with county.db.read() as session:
        made = list(briefing.parts(session, actor, MONTH, today=TODAY))
    return [p for p in made if isinstance(p, BriefingGrades)]


def test_the_first_part_holds_the_first_blue_cases_by_year_and_seq(county: County,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The tab's first part: every case above 蓝 and the first 蓝 ones in the case list's order, the
    whole list's first rows; after the head raises two 蓝 cases to 红 and lowers a 红 one to 蓝,
    each sits at its number's place in its new grade, in both parts."""
    monkeypatch.setattr(briefing, "FIRST_BLUE", 2)
    monkeypatch.setattr(briefing, "STEPS_FROM", 1)
    sqlite = county.db.writer.dialect.name == "sqlite"

    def check(first_blue: list[str]) -> Briefing:
        whole = _load(county, county.head)
        grades = _parts(county, county.head)
        assert len(grades) == 2 and not grades[0].complete and grades[1].complete
        assert grades[1].cases == whole.cases
        shown = tuple(grades[0].cases)
        assert shown == tuple(whole.cases)[:len(shown)]
        assert _numbers(shown, RiskLevel.BLUE) == first_blue
        _check_case_list_order(county, county.head, shown)
        _check_case_list_order(county, county.head, whole.cases)
        # A township head: on SQLite whole at once (the index holds every center's), on a server in parts.
        township = _load(county, county.ta_head)
        parts = _parts(county, county.ta_head)
        assert len(parts) == (1 if sqlite else 2) and parts[-1].cases == township.cases
        if not sqlite:
            assert tuple(parts[0].cases) == tuple(township.cases)[:len(parts[0].cases)]
            assert _numbers(parts[0].cases, RiskLevel.BLUE) == [number("ta", 2025, 5000), number("ta", 2026, 1000)]
        return whole

    check([number("ta", 2025, 5000), number("county", 2025, 9000)])
    with county.db.write() as session:
        for key in (("county", 2026, 10000), ("county", 2026, 9999)):
            briefing.set_grade(session, county.head, county.ids[number(*key)], MONTH, RiskLevel.RED, "会商后上调",
                               today=TODAY)
        briefing.set_grade(session, county.head, county.ids[number("county", 2025, 1001)], MONTH, RiskLevel.BLUE,
                           "会商后下调", today=TODAY)
    whole = check([number("county", 2025, 1001), number("ta", 2025, 5000)])
    assert _numbers(whole.cases, RiskLevel.RED) == [number(*k) for k in (
        ("ta", 2025, 10002), ("county", 2025, 10003), ("county", 2026, 9998), ("county", 2026, 9999),
        ("county", 2026, 10000), ("county", 2026, 20000))]
    assert _numbers(whole.cases, RiskLevel.BLUE)[:4] == [number(*k) for k in (
        ("county", 2025, 1001), ("ta", 2025, 5000), ("county", 2025, 9000), ("county", 2025, 9999))]
    # set_grade's case is the listed one.
    listed = {c.case_id: c for c in whole.cases}
    with county.db.read() as session:
        for key in (("county", 2026, 9999), ("county", 2025, 1001), ("ta", 2026, 998)):
            case_id = county.ids[number(*key)]
            assert briefing._one_graded(session, county.head, case_id, MONTH, TODAY) == listed[case_id]


def test_the_repeats_list_their_case_numbers_in_the_case_lists_order(county: County) -> None:
    got = _load(county, county.head)
    expected = tuple(number(*k) for k in (("ta", 2026, 998), ("county", 2026, 29999), ("county", 2026, 30000)))
    assert [r.numbers for r in got.repeat_parties] == [expected]
    assert [r.numbers for r in got.repeat_places] == [expected]


def test_the_first_blue_cases_are_found_by_walking_the_number_index(sqlite_db: Database) -> None:
    """SQLite over every case walks ``ix_dispute_case_number`` (year, seq, id, …) from the index
    alone, in its order: no table row read, no temporary B-tree for the order."""
    with sqlite_db.write() as session:
        type_id = session.scalars(select(DisputeType.id)).first()
        root = session.scalar(select(Center.id).where(Center.parent_id.is_(None)))
        for seq in (10000, 9999, 998, 1000):
            session.add(DisputeCase(center_id=root, number=number("county", 2026, seq), year=2026, seq=seq,
                                    title="走索引", dispute_type_id=type_id, state=CaseState.IN_MEDIATION,
                                    received_at=LONG_AGO))
    with sqlite_db.read() as session:
        ids = {n: i for i, n in session.execute(select(DisputeCase.id, DisputeCase.number))}
        blue = {ids[number("county", 2026, s)]: 1 for s in (10000, 9999, 1000)}
        with statements_run(sqlite_db) as statements:
            found = briefing._first_by_number(session, blue, 2, True)
        assert found == [ids[number("county", 2026, 1000)], ids[number("county", 2026, 9999)]]
        (statement, parameters), = statements
        plan = query_plan(session, statement, parameters)
    assert plan == ["SCAN dispute_case USING COVERING INDEX ix_dispute_case_number"], plan
