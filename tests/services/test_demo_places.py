"""The demo looks like a real county's (demo/places.py): addresses of households that rarely come
up twice, a few places where disputes gather; the mediators of each case in ``case_mediator`` as
the assignment service writes them; registrations that name the channel they came by; timelines
dated at each step."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.demo import places
from mediation_desk.models import (
    CaseEvent,
    CaseMediator,
    Center,
    DisputeCase,
    EventKind,
    MediatorRole,
    Party,
    PartyKind,
    SourceChannel,
    TeamMember,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import briefing, caselist, stat_months
from mediation_desk.services.workflow import Action

from ..conftest import login_as
from .helpers import BACKENDS, module_demo

CASES = 1500
TODAY = datetime(2026, 12, 3, 17, 0)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo seeded once per backend: its tests read it (and sign in, which changes nothing
    they look at)."""
    # On PostgreSQL a few hundred: a 1,500-row insert there outlasts the connection's
    # tcp_user_timeout (20 s) on a loaded machine, and the suite's other PG demos are smaller still.
    cases = CASES if request.param == "sqlite" else 200
    with module_demo(request, tmp_path_factory, "places", cases, today=TODAY, township_cases=40) as db:
        yield db


def test_addresses_are_households_of_the_county_and_rarely_repeat(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(select(DisputeCase.address, DisputeCase.village, DisputeCase.center_id)).all()
        people = session.scalars(select(Party.address).where(Party.kind == PartyKind.PERSON)).all()
        companies = session.execute(select(Party.name, Party.address).where(Party.kind == PartyKind.LEGAL_PERSON)).all()
        townships = dict(session.execute(select(Center.id, Center.name).where(Center.parent_id.is_not(None))).all())
    addresses = [a for a, _, _ in rows]
    assert all(a.startswith(places.COUNTY) and a != places.COUNTY for a in addresses + list(people))
    spots = {s[2] for s in places.HOT_SPOTS}
    homes = Counter(a for a in addresses if a not in spots)
    # Each village hands out its households in a drawn order: none twice before all have come up.
    assert homes and max(homes.values()) == 1, homes.most_common(3)
    assert max(Counter(people).values()) == 1, Counter(people).most_common(3)
    assert len(set(addresses)) > 0.98 * len(addresses)
    # Each case's village belongs to its address, and is a town's village or a street's community.
    known = {v for vs in places.VILLAGES_OF.values() for v in vs} | {
        c for cs in places.COMMUNITIES_OF.values() for c, _ in cs}
    assert all(v in known and (v in a or "路" in a or "街" in a) for a, v, _ in rows)
    # Rural homes: 社 and door number; in town: an estate's flat or a shop front.
    assert any("社" in a and a.endswith("号") for a in people)
    assert any(a.endswith("室") and "单元" in a for a in people)
    # A company is where it is registered, whatever the case.
    assert companies and all(places.COMPANY_ADDRESSES[name] == address for name, address in companies)
    # A township's cases happen in the township.
    in_townships = [(townships[c], a) for a, _, c in rows if c in townships]
    assert len(in_townships) == 80
    assert all(a.startswith(places.COUNTY + name[3:name.index("镇") + 1]) for name, a in in_townships)


def test_the_hot_spots_are_the_repeat_places_of_a_large_demo(sqlite_db: Database) -> None:
    """At 15,000 cases (the bulk load path) the briefing's repeat places are a handful, most of them
    the places where disputes gather, instead of every village of the county (SQLite only: the
    demo's rows are the same on PostgreSQL, the other tests here check it)."""
    db = sqlite_db
    with db.write() as session:
        demo.seed(session, 15_000, today=TODAY)
        got = Counter(session.scalars(select(DisputeCase.address)))
    head = login_as(db, "head")
    with db.read() as session:
        month = briefing.load(session, head, "2026-11", today=TODAY.date())
    labels = [r.label for r in month.repeat_places]
    assert labels, "the hot spots gather cases"
    at_spots = [label for label in labels if label in {s[2] for s in places.HOT_SPOTS}]
    assert at_spots and len(labels) < 40, labels
    assert sum(got[s[2]] for s in places.HOT_SPOTS) >= 30
    # Spelled as the loop's story place: one place for the briefing.
    story = briefing.place_key("张掖市甘州区梁家墩镇五里墩村三社 12 号")
    assert story in {briefing.place_key(s[2]) for s in places.HOT_SPOTS}


def test_case_mediator_holds_the_lead_and_sometimes_a_co_mediator(demo_db: Database) -> None:
    with demo_db.read() as session:
        leads = dict(session.execute(select(DisputeCase.id, DisputeCase.lead_mediator_id)
                                     .where(DisputeCase.lead_mediator_id.is_not(None))).all())
        teams = dict(session.execute(select(DisputeCase.id, DisputeCase.team_id)).all())
        members: dict[int, set[int]] = {}
        for team_id, mediator_id in session.execute(select(TeamMember.team_id, TeamMember.mediator_id)):
            members.setdefault(team_id, set()).add(mediator_id)
        crew = session.execute(select(CaseMediator.case_id, CaseMediator.mediator_id, CaseMediator.role,
                                      CaseMediator.assigned_at)).all()
        assigned = dict(session.execute(select(CaseEvent.case_id, CaseEvent.at)
                                        .where(CaseEvent.action == Action.ASSIGN.value)).all())
        head = login_as(demo_db, "head")
        notes = dict(session.execute(select(CaseEvent.case_id, CaseEvent.note)
                                     .where(CaseEvent.kind == EventKind.NOTE, CaseEvent.action == "assignment")).all())
        lead_rows = {c: m for c, m, r, _ in crew if r is MediatorRole.LEAD}
        co_rows = {c: m for c, m, r, _ in crew if r is MediatorRole.CO}
        assert lead_rows == leads
        assert all(at == assigned[c] for c, _, _, at in crew)
        assert 0.15 * len(leads) < len(co_rows) < 0.45 * len(leads)
        assert all(c in leads and m != leads[c] and m in members[teams[c] or -1] for c, m in co_rows.items())
        assert set(notes) == set(co_rows)
        # A mediator's "my cases" counts those they lead and those they assist with.
        co = next(iter(co_rows.values()))
        mine = {c for c, m in leads.items() if m == co} | {c for c, m in co_rows.items() if m == co}
        query = caselist.CaseQuery(filter=CaseFilter(mediator_id=co))
        assert caselist.count_cases(session, head, query) == len(mine) > len({c for c, m in leads.items() if m == co})


def test_registrations_name_their_channel_and_steps_are_dated_when_taken(demo_db: Database) -> None:
    with demo_db.read() as session:
        cases = {c.id: c for c in session.scalars(select(DisputeCase))}
        events = session.scalars(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.id)).all()
    with demo_db.write() as session:
        assert stat_months.kept(session) == stat_months.recounted(session)
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    channels: Counter[SourceChannel] = Counter()
    for case_id, timeline in by_case.items():
        case = cases[case_id]
        registered = timeline[0]
        assert registered.kind is EventKind.REGISTERED and registered.at == case.received_at
        assert registered.note == f"来源：{case.source_channel.label}"
        channels[case.source_channel] += 1
        times = [e.at for e in timeline]
        assert times == sorted(times), case.number
        steps = [e for e in timeline if e.kind is EventKind.TRANSITION]
        if case.accepted_at is not None:
            assert next(e.at for e in steps if e.action == Action.ACCEPT.value) == case.accepted_at
        if case.closed_at is not None:
            assert steps[-1].at == case.closed_at
        # Dated at the step, not at entry: each step after the one before (the newest cases' too,
        # minutes apart), none after now, and an older case's steps spread over days.
        stamps = [registered.at] + [e.at for e in steps]
        assert all(a < b for a, b in itertools.pairwise(stamps)) and stamps[-1] <= TODAY, case.number
        if len(steps) >= 4 and (TODAY - case.received_at).days > 7:
            assert steps[-1].at.date() > case.received_at.date(), case.number
    assert len(channels) >= 5


def test_the_same_seed_gives_the_same_places_and_mediators(tmp_path: Path, sqlite_template: Path,
                                                           sqlite_db: Database) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "again.sqlite3")
    other = Database(f"sqlite:///{tmp_path / 'again.sqlite3'}")

    def drawn(database: Database) -> tuple[list[str], list[tuple[int, int, MediatorRole]]]:
        with database.write() as session:
            demo.seed(session, 300, today=TODAY)
        with database.read() as session:
            return (list(session.scalars(select(Party.address).order_by(Party.id))),
                    [(r[0], r[1], r[2]) for r in session.execute(select(CaseMediator.case_id, CaseMediator.mediator_id,
                                                              CaseMediator.role).order_by(CaseMediator.id))])

    assert drawn(sqlite_db) == drawn(other)
