"""The monthly risk briefing (issue 23 item 4, docs/briefing.md).

A small county — its center, two townships and a village below the first — with cases received on
both sides of the month's, the month before's and the 90-day window's boundaries, with villages,
grids, addresses, parties (ID numbers, names and phones), flags, clocks, cards and 12345 orders
drawn from small pools so that they repeat. Every figure equals a recount in plain Python over the
rows, on SQLite and PostgreSQL; the case list opened from each figure holds exactly the cases
counted; a township head's briefing holds its township and village only; the grades follow the
stated rules; the head's grade is stored with its reason, audited, and shown beside the proposed
grade, never in its place.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from mediation_desk.db import Database, migrate_to
from mediation_desk.documents import briefing as document
from mediation_desk.documents.briefing import case_rows
from mediation_desk.models import (
    AuditEntry,
    CaseState,
    Center,
    CenterLevel,
    DisputeCase,
    DisputeType,
    HotlineOrder,
    Party,
    PartyRole,
    RiskGrade,
    RiskLevel,
    Role,
)
from mediation_desk.models.clock import StageCard
from mediation_desk.models.enums import ClockColour, ClockStage
from mediation_desk.readmodels.briefing import (
    TITLE,
    Briefing,
    BriefingGrades,
    BriefingOverview,
    BriefingRepeats,
    BriefingSpots,
    Count,
    Reason,
    SpotKind,
    proposed_grade,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import auth, briefing, caselist
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, NotFound, PermissionDenied
from mediation_desk.services.workflow import FINAL_STATES, OPEN_STATES

from ..composition import check_pdf, page_lines
from ..documents.conftest import compact, pdf_text
from ..documents.pdfcheck import assert_fonts_embedded, dark_pixels, render
from .helpers import actor_named as _actor
from .helpers import query_plan, statements_run

SYSTEM = Actor.system("test")
PASSWORD = "Passw0rd!"
MONTH = "2026-11"
TODAY = date(2026, 12, 3)
#: Moments around the boundaries: the window starts on 2 September (90 days ending 30 November).
MOMENTS = (
    datetime(2026, 9, 1, 23, 59, 59), datetime(2026, 9, 2, 0, 0), datetime(2026, 9, 20, 9, 0),
    datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 31, 23, 59, 59), datetime(2026, 11, 1, 0, 0),
    datetime(2026, 11, 15, 12, 0), datetime(2026, 11, 30, 23, 59, 59), datetime(2026, 12, 1, 0, 0),
)
PEOPLE = (0, 3, 12, 49, 50, 100, 101, 600)
VILLAGES = ("", "东村", "西村")
GRIDS = ("", "一网格", "二网格")
ADDRESSES = ("", "东村3组12号", "东村 3组12号", "西村五组", "镇北街8号")
IDS = ("", "", "620702199001011234", "620702198502023456", "62070219700303789x")
NAMES = (("张三", "13800001111"), ("李四", "13900002222"), ("王五", ""))
STATES = (CaseState.IN_MEDIATION, CaseState.IN_MEDIATION, CaseState.CLOSED, CaseState.REJECTED)


@dataclass
class Spec:
    id: int
    center_id: int
    type_id: int
    received_at: datetime
    village: str
    grid: str
    address: str
    people: int
    group: bool
    criminal: bool
    petition: bool
    major: bool
    state: CaseState
    due_on: date | None
    parties: list[tuple[str, str, str]] = field(default_factory=list)  # (id_number, name, phone)
    cards_on: list[date] = field(default_factory=list)
    hotline_at: datetime | None = None


@dataclass(frozen=True)
class World:
    db: Database
    centers: dict[str, int]
    specs: list[Spec]
    county_head: Actor
    ta_head: Actor


@pytest.fixture
def world(db: Database) -> Iterator[World]:
    rng = random.Random(23_4)
    specs: list[Spec] = []
    with db.write() as session:
        county = session.scalar(select(Center.id).where(Center.parent_id.is_(None)))
        assert county is not None
        ta = Center(name="甲镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=county, prefix="甲镇调")
        tb = Center(name="乙镇综治中心", level=CenterLevel.TOWNSHIP, parent_id=county, prefix="乙镇调")
        session.add_all([ta, tb])
        session.flush()
        village = Center(name="甲镇东村调委会", level=CenterLevel.VILLAGE, parent_id=ta.id, prefix="东村调")
        session.add(village)
        session.flush()
        ids = {"county": county, "ta": ta.id, "tb": tb.id, "village": village.id}
        types = session.scalars(select(DisputeType.id).order_by(DisputeType.id)).all()[:3]
        seq = 0
        for key, center_id in ids.items():
            for _ in range(30):
                seq += 1
                state = rng.choice(STATES)
                case = DisputeCase(
                    center_id=center_id, number=f"（2026）测{key}字第{seq:04d}号", year=2026, seq=seq,
                    title=f"测试纠纷{seq}", dispute_type_id=rng.choice(types), state=state,
                    received_at=rng.choice(MOMENTS), village=rng.choice(VILLAGES), grid=rng.choice(GRIDS),
                    address=rng.choice(ADDRESSES), people_involved=rng.choice(PEOPLE),
                    is_group_dispute=rng.random() < 0.4, may_turn_criminal=rng.random() < 0.2,
                    may_group_petition=rng.random() < 0.15, is_major=rng.random() < 0.15,
                    clock_due_on=rng.choice((None, date(2026, 11, 20), TODAY, date(2026, 12, 2))),
                    clock_stage=ClockStage.MEDIATION)
                session.add(case)
                session.flush()
                spec = Spec(case.id, center_id, case.dispute_type_id, case.received_at, case.village, case.grid,
                            case.address, case.people_involved, case.is_group_dispute, case.may_turn_criminal,
                            case.may_group_petition, case.is_major, state, case.clock_due_on)
                for n in range(rng.choice((0, 1, 2))):
                    name, phone = rng.choice(NAMES)
                    id_number = rng.choice(IDS)
                    session.add(Party(case_id=case.id, seq=n, role=PartyRole.APPLICANT, name=name, phone=phone,
                                      id_number=id_number))
                    spec.parties.append((id_number, name, phone))
                for colour, day in ((ClockColour.YELLOW, rng.choice((None, date(2026, 10, 31), date(2026, 11, 1)))),
                                    (ClockColour.RED, rng.choice((None, date(2026, 11, 30), date(2026, 12, 1))))):
                    if day is not None:
                        session.add(StageCard(case_id=case.id, stage=ClockStage.MEDIATION, colour=colour,
                                              given_on=day, due_on=day))
                        spec.cards_on.append(day)
                if rng.random() < 0.3:
                    spec.hotline_at = rng.choice(MOMENTS)
                    session.add(HotlineOrder(case_id=case.id, order_no=f"GD{seq:05d}", type_code="01",
                                             received_at=spec.hotline_at))
                specs.append(spec)
        for username, role, center_id in (("county_head", Role.HEAD, county), ("ta_head", Role.HEAD, ta.id),
                                          ("ta_clerk", Role.INTAKE, ta.id)):
            auth.create_user(session, SYSTEM, username=username, display_name=username, role=role,
                             password=PASSWORD, must_change_password=False, center_id=center_id)
    yield World(db, ids, specs, _actor(db, "county_head"), _actor(db, "ta_head"))


# --------------------------------------------------------------------------- the plain recount


def _in(moment: datetime, start: date, end: date) -> bool:
    return start <= moment.date() <= end


NOV = (date(2026, 11, 1), date(2026, 11, 30))
OCT = (date(2026, 10, 1), date(2026, 10, 31))
WINDOW = (date(2026, 9, 2), date(2026, 11, 30))
OPEN = {CaseState.IN_MEDIATION}


def _listed(db: Database, actor: Actor, flt: CaseFilter) -> set[int]:
    query = caselist.CaseQuery(filter=flt)
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, 2000, total=total)
    assert len(rows) == total
    return {r.id for r in rows}


def _check(db: Database, actor: Actor, count: Count, expected: set[int]) -> None:
    assert count.value == len(expected)
    assert _listed(db, actor, count.filter) == expected


def _repeat_parties(specs: list[Spec]) -> dict[tuple[str, ...], set[int]]:
    found: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for s in specs:
        if not _in(s.received_at, *WINDOW):
            continue
        for id_number, name, phone in s.parties:
            if id_number:
                found[("id", id_number.upper())].add(s.id)
            elif name and phone:
                found[("name", name, phone)].add(s.id)
    return {k: v for k, v in found.items() if len(v) >= 2}


def _repeat_places(specs: list[Spec]) -> list[set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for s in specs:
        if _in(s.received_at, *WINDOW) and s.address:
            found[s.address.replace(" ", "")].add(s.id)
    return [v for v in found.values() if len(v) >= 2]


def _load(world: World, actor: Actor, month: str = MONTH) -> Briefing:
    with world.db.read() as session:
        return briefing.load(session, actor, month, today=TODAY)


# --------------------------------------------------------------------------- tests


def test_every_figure_equals_the_recount_and_lists_exactly_its_cases(world: World) -> None:
    db, head, specs = world.db, world.county_head, world.specs
    # Cases carded twice in the month (counted once), closed flagged cases of the month and of
    # before (the month's in, the others out), overdue cases of every center.
    assert any(sum(NOV[0] <= d <= NOV[1] for d in s.cards_on) > 1 for s in specs)
    assert {_in(s.received_at, *NOV) for s in specs if s.criminal and s.state not in OPEN} == {True, False}
    assert {s.center_id for s in specs if s.state in OPEN and s.due_on is not None and s.due_on < TODAY} == \
        set(world.centers.values())
    got = _load(world, head)
    assert (got.month, got.window_start) == (MONTH, date(2026, 9, 2))
    this = [s for s in specs if _in(s.received_at, *NOV)]
    last = [s for s in specs if _in(s.received_at, *OCT)]
    _check(db, head, got.received, {s.id for s in this})
    _check(db, head, got.received_last, {s.id for s in last})

    # Hot spots: by center, type, village and grid, this month and last, with the change.
    keys: dict[SpotKind, Callable[[Spec], object]] = {
        SpotKind.CENTER: lambda s: s.center_id, SpotKind.TYPE: lambda s: s.type_id,
        SpotKind.VILLAGE: lambda s: (s.center_id, s.village) if s.village else None,
        SpotKind.GRID: lambda s: (s.center_id, s.village, s.grid) if s.grid else None}
    for kind, key in keys.items():
        expected = {k for k in map(key, this + last) if k is not None}
        spots = got.spots_of(kind)
        assert len(spots) == len(expected), kind
        seen = set()
        for spot in spots:
            ids_this = _listed(db, head, spot.this.filter)
            ids_last = _listed(db, head, spot.last.filter)
            members = {key(s) for s in specs if s.id in ids_this | ids_last}
            assert len(members) == 1 and None not in members, (kind, spot.name)
            k = members.pop()
            seen.add(k)
            assert ids_this == {s.id for s in this if key(s) == k}
            assert ids_last == {s.id for s in last if key(s) == k}
            assert (spot.this.value, spot.last.value) == (len(ids_this), len(ids_last))
            assert spot.change == spot.this.value - spot.last.value
        assert seen == expected

    # Repeat parties and places within the 90 days, across the window's first day.
    parties = _repeat_parties(specs)
    assert sorted(len(v) for v in parties.values()) == sorted(r.cases.value for r in got.repeat_parties)
    assert {frozenset(v) for v in parties.values()} == {frozenset(_listed(db, head, r.cases.filter))
                                                        for r in got.repeat_parties}
    places = _repeat_places(specs)
    assert {frozenset(v) for v in places} == {frozenset(_listed(db, head, r.cases.filter))
                                              for r in got.repeat_places}
    assert all(r.cases.value == len(r.numbers) for r in got.repeat_parties + got.repeat_places)

    # Group disputes by people band, 可能民转刑, overdue, carded, 12345.
    _check_first_page(db, head, got, specs)
    assert [name for name, _this, _last in got.hotline.rates] == ["响应率", "解决率", "满意率"]


def _check_first_page(db: Database, actor: Actor, got: Briefing, specs: list[Spec]) -> None:
    """The first page's numbers (but the months', checked apart) equal the recount of ``specs``
    (the actor's cases) and the rows the case list shows for each number's filter — a condition
    (a figure of the statistics over the actor's centers), not a list of ids."""
    this = [s for s in specs if _in(s.received_at, *NOV)]
    groups = [s for s in this if s.group and s.state is not CaseState.REJECTED]
    bands = [(None, 49), (50, 100), (101, 500), (501, None)]
    assert [label for label, _count in got.group_bands] == ["50人以下", "50–100人", "101–500人", "500人以上"]
    for (least, most), (_label, count) in zip(bands, got.group_bands, strict=True):
        _check(db, actor, count, {s.id for s in groups if (least is None or s.people >= least)
                                  and (most is None or s.people <= most)})
    _check(db, actor, got.criminal, {s.id for s in specs if s.criminal
                                     and (_in(s.received_at, *NOV) or s.state in OPEN)})
    _check(db, actor, got.overdue, {s.id for s in specs if s.state in OPEN and s.due_on is not None
                                    and s.due_on < TODAY})
    _check(db, actor, got.carded, {s.id for s in specs if any(NOV[0] <= d <= NOV[1] for d in s.cards_on)})
    _check(db, actor, got.hotline.this, {s.id for s in specs if s.hotline_at and _in(s.hotline_at, *NOV)})
    _check(db, actor, got.hotline.last, {s.id for s in specs if s.hotline_at and _in(s.hotline_at, *OCT)})
    counts = [got.received, got.received_last, *(c for _l, c in got.group_bands), got.criminal, got.overdue,
              got.carded, got.hotline.this, got.hotline.last]
    assert all(c.filter.case_ids is None and c.filter.statistic is not None for c in counts)
    # Counted apart from the graded list's read of the sections, they agree with it.
    listed = {r: sum(1 for c in got.cases if r in c.reasons) for r in Reason}
    assert (got.overdue.value, got.carded.value) == (listed[Reason.OVERDUE], listed[Reason.CARDED])


def test_the_grades_follow_the_stated_rules(world: World) -> None:
    got = _load(world, world.county_head)
    specs = {s.id: s for s in world.specs}
    party_cases: dict[int, int] = defaultdict(int)
    for members in _repeat_parties(world.specs).values():
        for i in members:
            party_cases[i] = max(party_cases[i], len(members))
    place_cases = {i for v in _repeat_places(world.specs) for i in v}
    overdue = {s.id for s in world.specs if s.state in OPEN and s.due_on is not None and s.due_on < TODAY}
    carded = {s.id for s in world.specs if any(NOV[0] <= d <= NOV[1] for d in s.cards_on)}
    criminal = {s.id for s in world.specs if s.criminal and (_in(s.received_at, *NOV) or s.state in OPEN)}
    groups = {s.id for s in world.specs if _in(s.received_at, *NOV) and s.group and s.state is not CaseState.REJECTED}
    own_rule = {s.id for s in world.specs if _in(s.received_at, *NOV)
                and (s.people >= 50 or s.criminal or s.petition or s.major)}
    expected = set(party_cases) | place_cases | overdue | carded | criminal | groups | own_rule
    assert {c.case_id for c in got.cases} == expected
    for case in got.cases:
        s = specs[case.case_id]
        grade = (RiskLevel.RED if s.criminal or s.people > 100
                 else RiskLevel.ORANGE if s.people >= 50 or party_cases.get(s.id, 0) >= 3 or s.petition or s.major
                 else RiskLevel.YELLOW if (s.group and s.state is not CaseState.REJECTED) or s.id in place_cases
                 or party_cases.get(s.id, 0) == 2
                 else RiskLevel.BLUE)
        assert case.proposed is grade, (case.number, case.reason_text)
        assert case.adjusted is None and case.grade is grade
        assert case.reasons, case.number
    assert set(got.grade_counts().values()) != {0}
    assert proposed_grade({Reason.OVERDUE, Reason.GROUP}) is RiskLevel.YELLOW
    assert proposed_grade(set()) is RiskLevel.BLUE
    # Red first, then orange, yellow, blue.
    order = [c.grade for c in got.cases]
    assert order == sorted(order, key=[RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE].index)


def test_a_months_case_is_listed_for_a_rule_of_its_own_alone(world: World) -> None:
    """A case received in the month that no section lists (no address, no party, no clock, no card,
    not flagged 可能民转刑) is listed for its own rule alone — ≥ 50 people, 可能引发群体性上访, 重大, a
    group dispute not refused — and not for a refused group dispute or 49 people; a case of the
    month before is listed in that month's briefing, not this one's. The same as set_grade's read of
    the one case (both are read apart from the sections' statement: the month's by the hot spots')."""
    made: dict[str, int] = {}
    with world.db.write() as session:
        for seq, (key, people, flags, state, received) in enumerate((
                ("people_50", 50, {}, CaseState.IN_MEDIATION, datetime(2026, 11, 1, 0, 0)),
                ("people_600_refused_group", 600, {"is_group_dispute": True}, CaseState.REJECTED,
                 datetime(2026, 11, 30, 23, 59, 59)),
                ("group", 3, {"is_group_dispute": True}, CaseState.IN_MEDIATION, datetime(2026, 11, 15, 12, 0)),
                ("refused_group", 3, {"is_group_dispute": True}, CaseState.REJECTED, datetime(2026, 11, 15, 12, 0)),
                ("petition", 3, {"may_group_petition": True}, CaseState.CLOSED, datetime(2026, 11, 15, 12, 0)),
                ("major", 0, {"is_major": True}, CaseState.CLOSED, datetime(2026, 11, 15, 12, 0)),
                ("people_49", 49, {}, CaseState.IN_MEDIATION, datetime(2026, 11, 15, 12, 0)),
                ("october", 50, {}, CaseState.IN_MEDIATION, datetime(2026, 10, 31, 23, 59, 59)),
                ("december", 50, {}, CaseState.IN_MEDIATION, datetime(2026, 12, 1, 0, 0)))):
            case = DisputeCase(center_id=world.centers["tb"], number=f"（2026）测规则字第{seq:04d}号", year=2026,
                               seq=900 + seq, title=key, dispute_type_id=world.specs[0].type_id, state=state,
                               received_at=received, people_involved=people, **flags)
            session.add(case)
            session.flush()
            made[key] = case.id
    listed = {
        MONTH: {"people_50": (RiskLevel.ORANGE, (Reason.PEOPLE_50,)),
                "people_600_refused_group": (RiskLevel.RED, (Reason.PEOPLE_OVER_100,)),
                "group": (RiskLevel.YELLOW, (Reason.GROUP,)), "petition": (RiskLevel.ORANGE, (Reason.PETITION,)),
                "major": (RiskLevel.ORANGE, (Reason.MAJOR,))},
        "2026-10": {"october": (RiskLevel.ORANGE, (Reason.PEOPLE_50,))}}
    for month, expected in listed.items():
        got = {c.case_id: c for c in _load(world, world.county_head, month).cases}
        assert {key: (got[i].proposed, got[i].reasons) for key, i in made.items() if i in got} == expected, month
        with world.db.read() as session:
            for i in made.values():
                assert briefing._one_graded(session, world.county_head, i, month, TODAY) == got.get(i), (month, i)


def test_the_repeat_window_is_90_days_ending_on_the_months_last_day(world: World) -> None:
    with world.db.write() as session:
        base = dict(dispute_type_id=world.specs[0].type_id, title="窗口", state=CaseState.IN_MEDIATION,
                    year=2026, center_id=world.centers["tb"])
        for seq, at in enumerate((datetime(2026, 9, 1, 23, 59, 59), datetime(2026, 9, 2, 0, 0),
                                  datetime(2026, 11, 30, 23, 59, 59), datetime(2026, 12, 1)), 900):
            case = DisputeCase(number=f"窗口{seq}", seq=seq, received_at=at, **base)
            session.add(case)
            session.flush()
            session.add(Party(case_id=case.id, seq=0, role=PartyRole.APPLICANT, name="赵六", phone="",
                              id_number="620702196006066666"))
    got = _load(world, world.county_head)
    six = [r for r in got.repeat_parties if "赵六" in r.label]
    assert len(six) == 1
    assert six[0].numbers == ("窗口901", "窗口902")
    assert "620*" in six[0].label and "6666" in six[0].label and "620702196006066666" not in six[0].label
    # October's window (3 August … 31 October) holds the first two.
    october = _load(world, world.county_head, "2026-10")
    assert [r.numbers for r in october.repeat_parties if "赵六" in r.label] == [("窗口900", "窗口901")]


def test_a_township_head_reads_its_township_and_village_only(world: World) -> None:
    got = _load(world, world.ta_head)
    mine = {world.centers["ta"], world.centers["village"]}
    assert {s.name for s in got.spots_of(SpotKind.CENTER)} <= {"甲镇综治中心", "甲镇东村调委会"}
    specs = {s.id: s for s in world.specs}
    assert all(specs[c.case_id].center_id in mine for c in got.cases)
    assert _listed(world.db, world.ta_head, got.received.filter) == {
        s.id for s in world.specs if s.center_id in mine and _in(s.received_at, *NOV)}
    # Its first page: its own cases, each number opening exactly them.
    _check_first_page(world.db, world.ta_head, got, [s for s in world.specs if s.center_id in mine])
    assert got.center_name == "甲镇综治中心"
    clerk = _actor(world.db, "ta_clerk")
    with world.db.read() as session, pytest.raises(PermissionDenied):
        briefing.load(session, clerk, MONTH, today=TODAY)
    with world.db.read() as session, pytest.raises(InvalidInput):
        briefing.load(session, world.county_head, "2026-13", today=TODAY)


def test_the_parts_come_first_page_first_and_make_the_whole_briefing(world: World) -> None:
    """``parts`` yields load's briefing in four parts in the order of the tab's pages — the first
    page, the hot spots, the repeats, the graded list — each equal to load's, for the county head
    and a township head, a head's grade included; the first page is made without grouping the
    window's repeats or the month's spots, and each later part without reading what only the parts
    after it need (the hot spots before the repeats' keys, the repeats before the sections' cases)."""
    with world.db.write() as session:
        first = _load(world, world.county_head).cases[0]
        other = RiskLevel.BLUE if first.proposed is not RiskLevel.BLUE else RiskLevel.RED
        briefing.set_grade(session, world.county_head, first.case_id, MONTH, other, "会商后调整", today=TODAY)
    for actor in (world.county_head, world.ta_head):
        for month in (MONTH, "2026-10"):
            whole = _load(world, actor, month)
            with world.db.read() as session:
                made = list(briefing.parts(session, actor, month, today=TODAY))
            assert [type(p) for p in made] == [BriefingOverview, BriefingSpots, BriefingRepeats, BriefingGrades]
            overview, spots, repeats, grades = whole.parts()  # in the order of the pages
            assert made == [overview, spots, repeats, grades]
            assert Briefing.made_of(reversed(made)) == whole
            assert Briefing.made_of(made).graded_ids == whole.graded_ids
            assert Briefing.made_of(made).adjusted_count == whole.adjusted_count == (
                1 if actor is world.county_head and month == MONTH else 0)
            # The first page's counts are the hot spots' (read apart, from the index alone).
            by_center = whole.spots_of(SpotKind.CENTER)
            assert whole.received.value == sum(s.this.value for s in by_center)
            assert whole.received_last.value == sum(s.last.value for s in by_center)
            assert (repeats.window_start, repeats.window_end) == (whole.window_start, whole.period_end)

    # The first page alone: the sections, the 12345 orders and the two counts, nothing grouped.
    first_page = _load(world, world.county_head).parts()[0]
    with world.db.read() as session, statements_run(world.db) as statements:
        steps = briefing.parts(session, world.county_head, MONTH, today=TODAY)
        assert next(steps) == first_page
        steps.close()
    assert statements and not [s for s, _p in statements if "repeat_key" in s or "place_key" in s
                                or "group_concat" in s or "string_agg" in s or "risk_grade" in s]
    # Counted, not read: no case's columns, no section's ids, no order's case.
    assert not [s for s, _p in statements if "dispute_case.title" in s or s.startswith("SELECT dispute_case.id")
                or " UNION " in s or s.startswith("SELECT hotline_order.case_id")]
    # The hot spots before any repeat key is grouped or a section's case read; the repeats before
    # the sections' cases.
    with world.db.read() as session, statements_run(world.db) as statements:
        steps = briefing.parts(session, world.county_head, MONTH, today=TODAY)
        for _part in range(2):
            next(steps)
        assert [s for s, _p in statements if "group_concat" in s or "string_agg" in s]
        assert not [s for s, _p in statements if "repeat_key" in s or "place_key" in s or " UNION " in s]
        next(steps)
        assert [s for s, _p in statements if "repeat_key" in s] and [s for s, _p in statements if "place_key" in s]
        assert not [s for s, _p in statements if " UNION " in s or "risk_grade" in s]
        steps.close()
    # Refusals come with the first part.
    with world.db.read() as session, pytest.raises(PermissionDenied):
        next(briefing.parts(session, _actor(world.db, "ta_clerk"), MONTH, today=TODAY))
    with world.db.read() as session, pytest.raises(InvalidInput):
        next(briefing.parts(session, world.county_head, "2026-13", today=TODAY))
    with pytest.raises(ValueError):
        Briefing.of(overview, spots, repeats, BriefingGrades("2026-09", grades.cases, grades.by_grade, 0))


def test_the_heads_grade_is_stored_audited_and_shown_beside_the_proposed(world: World) -> None:
    head = world.county_head
    got = _load(world, head)
    specs = {s.id: s for s in world.specs}
    target = next(c for c in got.cases if specs[c.case_id].center_id == world.centers["county"]
                  and c.proposed is not RiskLevel.RED)
    with world.db.write() as session, pytest.raises(InvalidInput) as raised:
        briefing.set_grade(session, head, target.case_id, MONTH, RiskLevel.RED, "  ", today=TODAY)
    assert raised.value.field == "reason"
    with world.db.write() as session:
        shown = briefing.set_grade(session, head, target.case_id, MONTH, RiskLevel.RED, "当事人扬言报复，需重点盯防",
                                   today=TODAY)
    assert (shown.proposed, shown.adjusted, shown.grade) == (target.proposed, RiskLevel.RED, RiskLevel.RED)
    assert shown.adjust_reason == "当事人扬言报复，需重点盯防" and shown.adjusted_by == "county_head"
    assert shown.grade_text == f"{target.proposed.label}→红"
    again = _load(world, head)
    assert next(c for c in again.cases if c.case_id == target.case_id) == shown
    assert again.cases[0].grade is RiskLevel.RED
    with world.db.read() as session:
        row = session.scalars(select(RiskGrade)).one()
        assert (row.month, row.proposed, row.grade) == (MONTH, target.proposed, RiskLevel.RED)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "briefing.grade")).one()
        assert entry.entity_id == target.case_id
        assert "当事人扬言报复" in str(entry.detail) and "红" in str(entry.detail)
    # The next month's briefing does not carry it; setting the proposed grade again removes it.
    assert all(c.adjusted is None for c in _load(world, head, "2026-12").cases)
    with world.db.write() as session:
        back = briefing.set_grade(session, head, target.case_id, MONTH, target.proposed, "复核后恢复建议等级",
                                  today=TODAY)
    assert back.adjusted is None
    with world.db.read() as session:
        assert session.scalars(select(RiskGrade)).all() == []
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "briefing.grade")).all()) == 2
    # The grade is the meeting's judgement: the county head grades a township's case the briefing
    # lists too; a township head never grades a case of the county's own center.
    township_case = next((c for c in got.cases if c.center_name == "乙镇综治中心" and c.proposed is not RiskLevel.RED),
                         None)
    assert township_case is not None
    with world.db.write() as session:
        lifted = briefing.set_grade(session, head, township_case.case_id, MONTH, RiskLevel.RED, "跨镇联动，提级研判",
                                    today=TODAY)
    assert (lifted.proposed, lifted.adjusted) == (township_case.proposed, RiskLevel.RED)
    with world.db.write() as session, pytest.raises(NotFound):
        briefing.set_grade(session, world.ta_head, target.case_id, MONTH, RiskLevel.BLUE, "理由", today=TODAY)
    unlisted = next(s for s in world.specs if s.center_id == world.centers["county"]
                    and s.id not in {c.case_id for c in got.cases})
    with world.db.write() as session, pytest.raises(InvalidInput):
        briefing.set_grade(session, head, unlisted.id, MONTH, RiskLevel.RED, "理由", today=TODAY)
    with world.db.write() as session, pytest.raises(PermissionDenied):
        briefing.set_grade(session, _actor(world.db, "ta_clerk"), target.case_id, MONTH, RiskLevel.RED, "理由",
                           today=TODAY)


def test_set_grade_reads_one_case_as_the_whole_briefing_lists_it(world: World) -> None:
    """set_grade checks the case from its own rows and a few narrowed reads (not the whole
    briefing, in the write lane): for every case, head and month, the same listing and the
    same grade as :func:`briefing.load`, an adjusted grade included."""
    head = world.county_head
    target = _load(world, head).cases[0]
    other = RiskLevel.BLUE if target.proposed is not RiskLevel.BLUE else RiskLevel.RED
    with world.db.write() as session:
        briefing.set_grade(session, head, target.case_id, MONTH, other, "会商后调整", today=TODAY)
    ids = [s.id for s in world.specs] + [max(s.id for s in world.specs) + 1]
    seen = 0
    for reader in (head, world.ta_head):
        for month in ("2026-10", MONTH, "2026-12"):
            whole = {c.case_id: c for c in _load(world, reader, month).cases}
            with world.db.read() as session:
                for case_id in ids:
                    assert briefing._one_graded(session, reader, case_id, month, TODAY) == whole.get(case_id)
            seen += len(whole)
    assert seen > 20
    assert any({Reason.REPEAT_PARTY, Reason.PARTY_3} & set(c.reasons) for c in _load(world, head).cases)
    assert any(Reason.REPEAT_PLACE in c.reasons for c in _load(world, head).cases)


def test_set_grade_refuses_a_long_reason_a_bad_month_and_an_unknown_case(world: World) -> None:
    head = world.county_head
    target = _load(world, head).cases[0]
    for case_id, month, reason, wrong in ((target.case_id, MONTH, "理" * 501, "reason"),
                                          (target.case_id, "2026-13", "理由", "month")):
        with world.db.write() as session, pytest.raises(InvalidInput) as raised:
            briefing.set_grade(session, head, case_id, month, RiskLevel.RED, reason, today=TODAY)
        assert raised.value.field == wrong
    with world.db.write() as session, pytest.raises(NotFound):
        briefing.set_grade(session, head, max(s.id for s in world.specs) + 1, MONTH, RiskLevel.RED, "理由",
                           today=TODAY)
    unlisted = next(s for s in world.specs if s.center_id == world.centers["county"]
                    and s.id not in {c.case_id for c in _load(world, head).cases})
    with world.db.write() as session, pytest.raises(InvalidInput) as raised:
        briefing.set_grade(session, head, unlisted.id, MONTH, RiskLevel.RED, "理由", today=TODAY)
    assert raised.value.field == "case_id" and "不在2026年11月的研判清单中" in raised.value.message
    with world.db.read() as session:
        assert session.scalars(select(RiskGrade)).all() == []
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "briefing.grade")).all() == []


def test_place_keys_and_masks() -> None:
    assert briefing.place_key("东村 3组，12号") == briefing.place_key("东村3组12号")
    assert briefing.mask_id("620702199001011234") == "620***********1234"
    assert briefing.window(date(2026, 11, 30)) == (date(2026, 9, 2), date(2026, 11, 30))
    assert briefing.previous_month(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert timedelta(days=89) == date(2026, 11, 30) - date(2026, 9, 2)


# --------------------------------------------------------------------------- the paper for the meeting


def test_the_pdf_carries_the_header_the_sections_and_the_adjusted_grade_with_its_reason(
        world: World) -> None:
    head = world.county_head
    specs = {s.id: s for s in world.specs}
    got = _load(world, head)
    target = next(c for c in got.cases if specs[c.case_id].center_id == world.centers["county"]
                  and c.proposed is not RiskLevel.RED)
    with world.db.write() as session:
        briefing.set_grade(session, head, target.case_id, MONTH, RiskLevel.RED, "当事人扬言报复需重点盯防", today=TODAY)
    got = _load(world, head)
    pdf = document.render_pdf(got)
    assert check_pdf(pdf, "briefing") == []
    assert_fonts_embedded(pdf)
    text = compact(pdf_text(pdf))
    for expected in (TITLE, "（2026年11月）", f"填报单位：{got.center_name}", "研判期：2026年11月1日至11月30日",
                     "重复统计窗口：2026年9月2日至11月30日（90日）", "一、总体情况", "二、热点分布", "按村（社区）",
                     "按网格", "三、重复当事人", "四、重复地点", "五、群体性纠纷", "六、12345热线诉求", "响应率",
                     "七、风险分级清单", "当事人扬言报复需重点盯防（county_head）", "分级规则", "红色：标记可能民转刑",
                     "制表：county_head"):
        assert compact(expected) in text, expected
    assert "620702199001011234" not in text  # ID numbers are masked
    # Each listed case on its own row: its number, then on the same baseline its grades — the
    # adjusted case shows the proposed grade and the head's grade side by side.
    rows = [(page, line) for page in page_lines(pdf) for line in page
            if len(line.text) > 8 and compact(target.number).startswith(compact(line.text))]
    assert len(rows) == 1
    page, row = rows[0]
    words = [other.text for other in sorted(page, key=lambda other: other.x0) if abs(other.y - row.y) < 1]
    assert target.proposed.label in words and "红" in words
    assert words.index(target.proposed.label) < words.index("红")
    # The chart is drawn (poppler renders the page; the bars are coloured).
    first_page = render(pdf, 100, first=1, last=1)[0]
    assert dark_pixels(first_page) > 1000
    assert len(case_rows(got)) == len(got.cases)


def test_the_criminal_cases_are_read_through_their_index_not_a_scan_of_every_case(sqlite_db: Database) -> None:
    """可能民转刑 had no index: the briefing read the whole case table for it (3.9 s for the county
    head on the 1M demo). Migration 0041's partial index of the flagged cases answers it."""
    from sqlalchemy import text

    from mediation_desk import demo

    with sqlite_db.write() as session:
        demo.seed(session, 80, today=datetime(2026, 12, 3, 17, 0), township_cases=10)
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    head = _actor(sqlite_db, "head")
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            briefing.load(session, head, MONTH, today=TODAY)
        # The first page's count and the graded list's read of the cases.
        flagged = [(s, p) for s, p in statements if "may_turn_criminal IS 1" in s and "dispute_case.state IN" in s]
        assert len(flagged) == 3, [s for s, _p in statements]  # the open, the ended of the month; the list
        plans = [query_plan(session, *one) for one in flagged]
    for plan in plans:
        assert any("INDEX ix_dispute_case_criminal" in step for step in plan), plan
        assert not any(step.startswith("SCAN dispute_case") for step in plan), plan


@pytest.mark.parametrize("username", ["head", "ljd_head"])
def test_the_repeats_and_the_months_are_grouped_from_indexes(sqlite_db: Database, username: str) -> None:
    """The window's repeat parties and places are grouped by the kept keys (migration 0045) from
    covering indexes, and the months' hot spots from the month's ids in (center_id, received_at,
    id): no statement of the briefing scans the case or party table (a township head's month was
    read through the index by type, every center's cases, on the 1M demo)."""
    from sqlalchemy import event, text

    from mediation_desk import demo

    with sqlite_db.write() as session:
        demo.seed(session, 80, today=datetime(2026, 12, 3, 17, 0), township_cases=10)
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()
    actor = _actor(sqlite_db, username)
    statements: list[tuple[str, object]] = []

    def seen(_conn: object, _cursor: object, statement: str, parameters: object, *_: object) -> None:
        statements.append((statement, parameters))

    engine = sqlite_db.reader
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with sqlite_db.read() as session:
            briefing.load(session, actor, MONTH, today=TODAY)
            plans = [(statement, [row[3] for row in session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)])  # type: ignore[arg-type]
                for statement, parameters in statements if statement.lstrip().upper().startswith("SELECT")]
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    def plan_of(*words: str) -> list[str]:
        found = [plan for statement, plan in plans if all(word in statement for word in words)]
        assert len(found) == 1, (words, plans)
        return found[0]

    assert any("COVERING INDEX ix_party_case_repeat_key" in step
               for step in plan_of("GROUP BY party.repeat_key")), plans
    assert any("COVERING INDEX ix_dispute_case_place_window" in step
               for step in plan_of("GROUP BY dispute_case.place_key")), plans
    month = [plan for statement, plan in plans if "group_concat" in statement]
    assert len(month) == 2 and all(
        any("COVERING INDEX ix_dispute_case_center_received" in step for step in plan) for plan in month), month
    for statement, plan in plans:
        if "repeat_key" in statement or "place_key" in statement or "group_concat" in statement:
            assert not any(step.startswith(("SCAN dispute_case", "SCAN party")) for step in plan), (statement, plan)


@pytest.mark.parametrize("username", ["head", "ljd_head"])
def test_the_first_page_is_counted_from_indexes(sqlite_db: Database, username: str) -> None:
    """The first page is counts the database makes from indexes, no table scanned: over every
    center (the county head) 可能民转刑 from ``ix_dispute_case_criminal``, overdue from the partial
    index of the open cases, the months' received and the month's carded cases from their kept
    counts (no card read), the month's group disputes through the dashboard's index of the month
    and the 12345 orders from theirs; a township head's likewise."""
    from sqlalchemy import text

    from mediation_desk import demo

    with sqlite_db.write() as session:
        demo.seed(session, 80, today=datetime(2026, 12, 3, 17, 0), township_cases=10)
        # Cards of the month, some cases carded twice, on the townships' cases and the county's.
        cards = ((ClockColour.YELLOW, date(2026, 11, 10)), (ClockColour.RED, date(2026, 11, 20)))
        for n, case_id in enumerate(session.scalars(select(DisputeCase.id).order_by(DisputeCase.center_id.desc(),
                                                                                  DisputeCase.id).limit(12))):
            for colour, day in cards[:1 + n % 2]:
                session.add(StageCard(case_id=case_id, stage=ClockStage.MEDIATION, colour=colour, given_on=day,
                                      due_on=day))
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()
    actor = _actor(sqlite_db, username)
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            first = next(briefing.parts(session, actor, MONTH, today=TODAY))
        plans = [(statement, query_plan(session, statement, parameters)) for statement, parameters in statements
                 if statement.lstrip().upper().startswith(("SELECT", "WITH"))]
        whole = briefing.load(session, actor, MONTH, today=TODAY)
    assert first == whole.parts()[0] and first.overdue.value and first.carded.value

    def plan_of(*words: str) -> list[str]:
        found = [plan for statement, plan in plans if all(word in statement for word in words)]
        assert len(found) == 1, (words, list(plans))
        return found[0]

    for statement, plan in plans:
        assert not any(step.startswith(("SCAN dispute_case", "SCAN stage_card", "SCAN hotline_order"))
                       for step in plan), (statement, plan)
    criminal = [plan for statement, plan in plans if "may_turn_criminal IS 1" in statement]
    assert criminal and all(any("ix_dispute_case_criminal" in step for step in plan) for plan in criminal), criminal
    # Overdue from the partial index of the open cases: its open states are overdue_condition's.
    assert any("COVERING INDEX ix_dispute_case_open_clock" in step for step in plan_of("clock_due_on <"))
    assert set(CaseState) == OPEN_STATES | FINAL_STATES and not OPEN_STATES & FINAL_STATES
    # The months' cases received, as the triggers keep them.
    assert len([statement for statement, _plan in plans if "FROM stat_received_month" in statement]) == 2
    # The month's carded cases, as the triggers keep them (tests/services/test_carded_months.py).
    assert len([statement for statement, _plan in plans if "FROM stat_carded_month" in statement]) == 1
    assert not any("stage_card" in statement for statement, _plan in plans), plans
    hotline = [plan for statement, plan in plans if "count(*)" in statement and "FROM hotline_order" in statement]
    assert len(hotline) == 2 and all(any("COVERING INDEX ix_hotline_order_received" in step for step in plan)
                                     for plan in hotline), hotline
    # The open flagged cases, and the month's ended ones as ranges of days per center and final
    # state, from the flagged cases' index alone (migration 0059).
    assert len(criminal) == 2 and all(any("COVERING INDEX ix_dispute_case_criminal" in step for step in plan)
                                      for plan in criminal), criminal
    assert any("COVERING INDEX ix_dispute_case_criminal (center_id=? AND state=? AND received_at>? AND "
               "received_at<?)" in step for step in plan_of("may_turn_criminal IS 1", "received_at >=")), criminal
    if username == "head":
        # Every center: the month's group disputes from their own index alone.
        assert any("COVERING INDEX ix_dispute_case_group_people (received_at>? AND received_at<?)" in step
                   for step in plan_of("is_group_dispute IS 1"))


def test_the_sections_cases_are_read_once_through_their_indexes(sqlite_db: Database) -> None:
    """可能民转刑, overdue and carded are read in one statement, each case once with its section
    flags: the union of each section's ids from its own index, the rows by id (on the 1M demo
    80,000 overdue cases, nearly all carded too, were read twice). The month's cases a rule of their
    own lists are named by the hot spots' read of the month's rows, not read a second time."""
    from sqlalchemy import text

    from mediation_desk import demo

    with sqlite_db.write() as session:
        demo.seed(session, 80, today=datetime(2026, 12, 3, 17, 0), township_cases=10)
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()
    head = _actor(sqlite_db, "head")
    with sqlite_db.read() as session:
        with statements_run(sqlite_db) as statements:
            got = briefing.load(session, head, MONTH, today=TODAY)
        sections = [(s, p) for s, p in statements if " UNION " in s]
        assert len(sections) == 1, [s for s, _p in statements]
        plan = query_plan(session, *sections[0])
    for index in ("ix_dispute_case_criminal", "ix_dispute_case_due_center", "ix_stage_card_given"):
        assert any(index in step for step in plan), (index, plan)
    assert not any(step.startswith("SCAN") for step in plan), plan
    assert not any("received_at>?" in step for step in plan), plan  # not the month's cases
    months = [s for s, _p in statements if "group_concat" in s]
    assert len(months) == 2 and "people_involved >=" in months[0] and "people_involved >=" not in months[1]
    assert got.overdue.value and len(got.cases) >= got.overdue.value


def test_the_graded_list_is_kept_as_plain_columns_out_of_the_collectors_sight(world: World) -> None:
    """The graded list (124,000 cases for the county head on the 1M demo) keeps nine columns of ints
    and texts: after a pass of the collector none is in its sight, and a pass examines nine objects
    however long the list (GradedCase objects were walked by every pass; rows, a tuple a case, by the
    first pass after they were made). It is still the sequence of the same GradedCase s: equal to the tuple of
    them, pickled and read back equal, each case found by its id and graded as its GradedCase."""
    import gc
    import pickle

    from mediation_desk.readmodels.briefing import GradedCases

    with world.db.write() as session:  # one adjusted grade, so the head's grade is kept too
        first = _load(world, world.county_head).cases[0]
        other = RiskLevel.BLUE if first.proposed is not RiskLevel.BLUE else RiskLevel.RED
        briefing.set_grade(session, world.county_head, first.case_id, MONTH, other, "会商后调整", today=TODAY)
    got = _load(world, world.county_head)
    cases = got.cases
    assert isinstance(cases, GradedCases) and len(cases) > 10
    made = tuple(cases)
    assert cases == made and made == cases and cases == GradedCases.of(made) and cases != made[1:]
    assert pickle.loads(pickle.dumps(got)) == got
    assert [cases.case_id(i) for i in range(len(cases))] == [c.case_id for c in made]
    assert [cases.grade(i) for i in range(len(cases))] == [c.grade for c in made]
    assert all(cases.index_of(c.case_id) == i for i, c in enumerate(made)) and cases.index_of(-1) is None
    assert cases[1:3] == made[1:3] and cases[-1] == made[-1] and cases[::-7] == made[::-7] and cases[5:2] == ()
    assert [cases[i] for i in range(-len(cases), len(cases))] == [*made, *made]
    with pytest.raises(IndexError):
        cases[len(cases)]
    assert sum(1 for c in made if c.adjusted is not None) == got.adjusted_count == 1
    assert {g: {c.case_id for c in made if c.grade is g} for g in RiskLevel} == \
        {g: set(ids) for g, ids in got.graded_ids.items()}
    del made
    gc.collect()
    # Four arrays and five texts with their ends: what a collector's pass may examine of the list
    # (besides its table of rules), the same few objects however long it is.
    held: list[object] = []
    found = [o for o in gc.get_referents(cases) if o is not cases._rules and not isinstance(o, type)]
    while found:
        held.append(thing := found.pop())
        found.extend(o for o in gc.get_referents(thing) if not isinstance(o, type))
    assert len(cases) > 10 and len(held) == 2 + 4 + 5 * 3
    empty = GradedCases((), ())
    assert len(empty) == 0 and list(empty) == [] and empty == () and empty.index_of(1) is None
    assert empty.ids_by_grade() == {g: frozenset() for g in RiskLevel} and empty.adjusted_count() == 0
    assert pickle.loads(pickle.dumps(empty)) == empty


# --------------------------------------------------------------------------- migration 0054


def test_the_carded_cases_are_the_recount(world: World) -> None:
    """The month's carded cases (a case carded twice counted once, cards on the month's first and
    last days and the days around them), for the county head and a township's: the recount's
    number, the cases the number's list shows."""
    expected = {s.id for s in world.specs if any(NOV[0] <= d <= NOV[1] for d in s.cards_on)}
    assert expected and any(sum(NOV[0] <= d <= NOV[1] for d in s.cards_on) > 1 for s in world.specs)
    for actor, specs in ((world.county_head, world.specs),
                         (world.ta_head, [s for s in world.specs
                                          if s.center_id in (world.centers["ta"], world.centers["village"])])):
        with world.db.read() as session:
            first = next(briefing.parts(session, actor, MONTH, today=TODAY))
        assert isinstance(first, BriefingOverview)
        _check(world.db, actor, first.carded, {s.id for s in specs if s.id in expected})


def test_the_12345_numbers_list_reads_the_orders_received_index(world: World) -> None:
    """The case list opened from the 12345 number: its first rows and its count are the cases of
    the month's orders (the recount), found on SQLite from the orders' index of the day received
    and case (``ix_hotline_order_received_case``), not every order read for its day."""
    with world.db.read() as session:
        first = next(briefing.parts(session, world.county_head, MONTH, today=TODAY))
    assert isinstance(first, BriefingOverview)
    expected = {s.id for s in world.specs if s.hotline_at and _in(s.hotline_at, *NOV)}
    assert first.hotline.this.value == len(expected) > 3
    query = caselist.CaseQuery(filter=first.hotline.this.filter)
    with world.db.read() as session:
        with statements_run(world.db) as statements:
            rows = caselist.fetch_window(session, world.county_head, query, 0, 3, total=None)
            total = caselist.count_cases(session, world.county_head, query)
        newest = sorted((s for s in world.specs if s.id in expected), key=lambda s: (s.received_at, s.id))[-3:]
        assert [r.id for r in rows] == [s.id for s in reversed(newest)] and total == len(expected)
        if world.db.writer.dialect.name != "sqlite":
            return
        plans = [query_plan(session, statement, parameters) for statement, parameters in statements
                 if "FROM hotline_order" in statement]
    assert len(plans) == 2, statements
    for plan in plans:
        assert any("COVERING INDEX ix_hotline_order_received_case (received_at>? AND received_at<?)" in step
                   for step in plan), plan
        assert not any(step.startswith("SCAN hotline_order") for step in plan), plan


def test_0054_adds_the_two_indexes_and_takes_them_away(world: World) -> None:
    """Migration 0054 up and down on both databases: the two indexes come and go, the first page the
    same with them and without."""
    from sqlalchemy import inspect

    def indexes() -> dict[str, list[str | None]]:
        found: dict[str, list[str | None]] = {}
        for table in ("stage_card", "hotline_order"):
            found.update({ix["name"] or "": ix["column_names"] for ix in inspect(world.db.writer).get_indexes(table)})
        return found

    def first_page() -> BriefingOverview:
        with world.db.read() as session:
            got = next(briefing.parts(session, world.county_head, MONTH, today=TODAY))
        assert isinstance(got, BriefingOverview)
        return got

    now = first_page()
    assert indexes()["ix_stage_card_case_given"] == ["case_id", "given_on"]
    assert indexes()["ix_hotline_order_received_case"] == ["received_at", "case_id"]
    migrate_to(world.db, "0053")
    world.db.dispose()
    assert "ix_stage_card_case_given" not in indexes() and "ix_hotline_order_received_case" not in indexes()
    assert "ix_stage_card_given" in indexes() and "ix_hotline_order_received" in indexes()
    migrate_to(world.db, "head")
    world.db.dispose()
    assert indexes()["ix_stage_card_case_given"] == ["case_id", "given_on"]
    assert indexes()["ix_hotline_order_received_case"] == ["received_at", "case_id"]
    assert first_page() == now


def test_the_graded_list_in_steps_is_the_whole_list_its_first_part_first(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tab's read yields the graded list twice: first its cases above 蓝 and the first 蓝 ones
    (every grade's ids and the adjusted count whole), then whole — equal to :func:`briefing.load`'s
    list, read the old way, case by case, the head's grades included: a 蓝 case (overdue or carded
    alone) raised, a higher case lowered to 蓝. On SQLite over a township (the number's index walks
    every case) the list comes whole at once."""
    monkeypatch.setattr(briefing, "FIRST_BLUE", 1)
    monkeypatch.setattr(briefing, "STEPS_FROM", 1)
    before = _load(world, world.county_head)
    blue = [c for c in before.cases if c.proposed is RiskLevel.BLUE]
    higher = [c for c in before.cases if c.proposed is not RiskLevel.BLUE]
    assert len(blue) >= 3 and higher
    with world.db.write() as session:
        briefing.set_grade(session, world.county_head, blue[-1].case_id, MONTH, RiskLevel.RED, "会商后上调",
                           today=TODAY)
        briefing.set_grade(session, world.county_head, higher[0].case_id, MONTH, RiskLevel.BLUE, "会商后下调",
                           today=TODAY)
    sqlite = world.db.writer.dialect.name == "sqlite"
    for actor in (world.county_head, world.ta_head):
        for month in (MONTH, "2026-10"):
            whole = _load(world, actor, month)
            with world.db.read() as session:
                made = list(briefing.parts(session, actor, month, today=TODAY))
            grades = [p for p in made if isinstance(p, BriefingGrades)]
            assert grades[-1].complete and grades[-1].cases == whole.cases
            assert grades[-1].graded_ids == whole.graded_ids
            assert grades[-1].adjusted_count == whole.adjusted_count
            assert Briefing.made_of(made) == whole
            blue_ids = whole.graded_ids[RiskLevel.BLUE]
            stepped = len(blue_ids) >= 1 and (actor is world.county_head or not sqlite)
            assert len(grades) == (2 if stepped else 1), (actor.username, month, len(blue_ids))
            if stepped:
                first = grades[0]
                assert not first.complete and first.by_grade == grades[-1].by_grade
                assert first.adjusted_count == whole.adjusted_count and first.listed == len(whole.cases)
                shown = tuple(first.cases)
                assert shown == tuple(whole.cases)[:len(shown)]
                assert len(shown) == len(whole.cases) - len(blue_ids) + 1
    listed = {c.case_id: c for c in _load(world, world.county_head).cases}
    assert listed[blue[-1].case_id].grade is RiskLevel.RED
    assert listed[higher[0].case_id].grade is RiskLevel.BLUE and listed[higher[0].case_id].adjusted is RiskLevel.BLUE


def test_the_first_part_reads_no_blue_case_beyond_its_first(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The graded list's first part tells the 蓝 cases (overdue or carded alone) from the others by the
    sections' indexes and the index of the cases a rule of their own row names (migration 0060): no
    statement before it reads the 蓝 cases' rows, and each of its id reads is an index's alone."""
    from sqlalchemy import text

    from mediation_desk import demo

    with sqlite_db.write() as session:
        demo.seed(session, 120, today=datetime(2026, 12, 3, 17, 0), township_cases=10)
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()
    monkeypatch.setattr(briefing, "FIRST_BLUE", 2)
    monkeypatch.setattr(briefing, "STEPS_FROM", 1)
    head = _actor(sqlite_db, "head")
    with sqlite_db.read() as session:
        expected = briefing.load(session, head, MONTH, today=TODAY)
        steps = briefing.parts(session, head, MONTH, today=TODAY)
        for _part in range(3):
            next(steps)
        with statements_run(sqlite_db) as statements:
            first = next(steps)
        assert isinstance(first, BriefingGrades) and not first.complete
        plans = [(s, query_plan(session, s, p)) for s, p in statements if s.lstrip().startswith("SELECT")]
        rest = list(steps)
    blue = expected.graded_ids[RiskLevel.BLUE]
    assert len(blue) > 2 and rest[-1].cases == expected.cases  # type: ignore[union-attr]
    # The 蓝 rows are read after the first part (no sections' union read); before it, its few by id.
    read = [(s, p) for s, p in statements if "dispute_case.title" in s]
    assert read and not [s for s, _p in read if " UNION " in s]
    blue_read = {v for _s, p in read for v in p if isinstance(v, int) and v in blue}
    shown = {c.case_id for c in first.cases if c.grade is RiskLevel.BLUE}
    assert shown <= blue_read and len(blue_read) < len(blue), (len(blue_read), len(blue))
    own = [plan for s, plan in plans if "is_major IS 1" in s]
    assert len(own) == 1 and any("ix_dispute_case_own_rule" in step for step in own[0]), own
    for statement, plan in plans:  # no table scanned
        assert not [step for step in plan if step in ("SCAN dispute_case", "SCAN stage_card", "SCAN party")], \
            (statement, plan)
