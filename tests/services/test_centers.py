"""Centers as tenants through the services (issue 21 item 1, docs/centers.md): on an SQLite desk
file the services apply what the server's row-level security applies on PostgreSQL.

The demo county — its center and two townships (梁家墩, 党寨), seeded once for the module — is
copied for each test. A township's clerk registers into their township with its own numbers; lists,
search, the case page, the desk and the figures show each person their own center's cases; the
county head reads the townships' cases (one township at a time if they choose) and changes none;
the monthly figures per center equal a recount. The migration's upgrade and downgrade keep a
populated database's rows (both backends).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from mediation_desk import demo, settings
from mediation_desk.db import Database, current_revision, head_revision, migrate_to
from mediation_desk.models import Center, CenterLevel, DisputeCase, Role, Team
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import (
    auth,
    caselist,
    cases,
    center,
    centers,
    intake,
    organisation,
    pages,
    publicity,
    search,
    stat_months,
    statistics,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .helpers import actor_named as _actor
from .helpers import new_case_input

TODAY = datetime(2026, 11, 20, 17, 0)


@pytest.fixture(scope="module")
def county_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("county") / "county.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, 40, today=TODAY, township_cases=8)
    db.dispose()
    return path


@pytest.fixture
def county(county_file: Path, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "county.sqlite3"
    shutil.copyfile(county_file, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


def _ids(db: Database) -> dict[str, int]:
    with db.read() as session:
        by_prefix = {p: i for p, i in session.execute(select(Center.prefix, Center.id))}
    return {"county": by_prefix["甘矛调"], "ljd": by_prefix["甘州梁家墩调"], "dz": by_prefix["甘州党寨调"]}


def _listed(db: Database, actor: Actor, flt: CaseFilter | None = None) -> list[int]:
    query = caselist.CaseQuery(filter=flt or CaseFilter())
    with db.read() as session:
        total = caselist.count_cases(session, actor, query)
        rows = caselist.fetch_window(session, actor, query, 0, 1000, total=total)
    assert len(rows) == total
    return [r.id for r in rows]


def _centers_of(db: Database, ids: list[int]) -> set[int]:
    with db.read() as session:
        return set(session.scalars(select(DisputeCase.center_id).where(DisputeCase.id.in_(ids))))


def _a_case(db: Database, center_id: int) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.min(DisputeCase.id)).where(DisputeCase.center_id == center_id)) or 0)


def test_the_demo_county_has_three_centers_and_each_numbers_its_own_cases(county: Database) -> None:
    with county.read() as session:
        listed = centers.list_centers(session)
        numbers = session.execute(select(Center.prefix, func.count(), func.min(DisputeCase.seq))
                                  .join(DisputeCase, DisputeCase.center_id == Center.id).group_by(Center.prefix)).all()
    assert [(c.level, c.depth) for c in listed] == [(CenterLevel.COUNTY, 0), (CenterLevel.TOWNSHIP, 1),
                                                    (CenterLevel.TOWNSHIP, 1)]
    assert listed[0].name == "张掖市甘州区矛盾纠纷调处中心" and listed[1].parent_name == listed[0].name
    assert {p: (n, first) for p, n, first in numbers} == {
        "甘矛调": (40, 1), "甘州梁家墩调": (8, 1), "甘州党寨调": (8, 1)}


def test_registration_stamps_the_clerks_center_and_takes_its_next_number(county: Database) -> None:
    ids = _ids(county)
    ljd_clerk, clerk = _actor(county, "ljd_clerk"), _actor(county, "clerk")
    received = datetime(2026, 11, 20, 9, 0)
    with county.write() as session:
        last = session.scalar(select(func.max(DisputeCase.seq)).where(
            DisputeCase.center_id == ids["ljd"], DisputeCase.year == 2026))
        township_case = cases.register_case(session, ljd_clerk, new_case_input(county, received_at=received))
        county_case = cases.register_case(session, clerk, new_case_input(county, received_at=received))
    with county.read() as session:
        t = session.get(DisputeCase, township_case)
        c = session.get(DisputeCase, county_case)
        assert t is not None and c is not None
        assert (t.center_id, t.seq, t.number) == (ids["ljd"], (last or 0) + 1,
                                                  f"（2026）甘州梁家墩调字第{(last or 0) + 1:04d}号")
        assert c.center_id == ids["county"] and c.number.startswith("（2026）甘矛调字第")


def test_lists_search_and_the_case_page_show_each_person_their_centers_cases(county: Database) -> None:
    ids = _ids(county)
    assert _centers_of(county, _listed(county, _actor(county, "ljd_clerk"))) == {ids["ljd"]}
    assert _centers_of(county, _listed(county, _actor(county, "clerk"))) == {ids["county"]}
    assert _centers_of(county, _listed(county, _actor(county, "dz_mediator"))) <= {ids["dz"]}
    head = _actor(county, "head")
    assert _centers_of(county, _listed(county, head)) == set(ids.values())
    # The county head looks at one township at a time if they choose; a township head cannot look up.
    assert _centers_of(county, _listed(county, head, CaseFilter(center_id=ids["dz"]))) == {ids["dz"]}
    assert _listed(county, _actor(county, "ljd_head"), CaseFilter(center_id=ids["county"])) == []

    dz_case = _a_case(county, ids["dz"])
    with county.read() as session:
        title = session.get(DisputeCase, dz_case).title  # type: ignore[union-attr]
        found = {h.case_id for h in search.search(session, _actor(county, "ljd_clerk"), title)}
        assert dz_case not in found
        assert dz_case in {h.case_id for h in search.search(session, _actor(county, "dz_clerk"), title)}
        with pytest.raises(PermissionDenied, match="属于其他中心"):
            cases.case_detail(session, _actor(county, "ljd_clerk"), dz_case)
        assert "甘州党寨调字第" in cases.case_detail(session, head, dz_case).number


def test_the_county_head_reads_a_township_case_and_changes_nothing(county: Database) -> None:
    ids = _ids(county)
    head, ljd_head = _actor(county, "head"), _actor(county, "ljd_head")
    with county.read() as session:
        case = session.scalars(select(DisputeCase).where(DisputeCase.center_id == ids["ljd"],
                                                         DisputeCase.state == "registered")).first()
        assert case is not None
        assert workflow.allowed_actions(head, case) == []
        assert workflow.allowed_actions(ljd_head, case) != []
        assert not pages.case_page(session, head, case.id, TODAY.date()).may_extend
        assert not pages.records_page(session, head, case.id).may_write
        assert pages.case_page(session, ljd_head, case.id, TODAY.date()).may_extend
    with county.write() as session, pytest.raises(PermissionDenied, match="只能查看"):
        workflow.transition(session, head, case.id, workflow.Action.ACCEPT)
    with county.write() as session:  # the township's own head may
        workflow.transition(session, ljd_head, case.id, workflow.Action.ACCEPT)


def test_the_desk_lists_only_the_own_centers_work(county: Database) -> None:
    ids = _ids(county)
    with county.read() as session:
        due = pages.desk_page(session, _actor(county, "head"), TODAY.date()).due or ()
        township = pages.desk_page(session, _actor(county, "ljd_head"), TODAY.date()).due or ()
    assert _centers_of(county, [d.case_id for d in due]) <= {ids["county"]}
    assert _centers_of(county, [d.case_id for d in township]) <= {ids["ljd"]}


def test_the_figures_count_the_readers_centers_and_each_center_on_its_own(county: Database) -> None:
    ids = _ids(county)
    start, end = date(2025, 12, 1), date(2026, 11, 30)  # whole months: summed from the monthly tables
    with county.read() as session:
        per_center = {k: int(session.scalar(select(func.count()).select_from(DisputeCase).where(
            DisputeCase.center_id == v, DisputeCase.received_at >= datetime(2025, 12, 1),
            DisputeCase.received_at < datetime(2026, 12, 1))) or 0) for k, v in ids.items()}
        head = _actor(county, "head")
        assert statistics.figures(session, head, start, end, today=TODAY.date()).received.count == \
            sum(per_center.values())
        for key, cid in ids.items():
            one = statistics.figures(session, head, start, end, today=TODAY.date(), center_id=cid)
            assert one.received.count == per_center[key], key
            assert one.received.filter.center_id == cid  # its drill-down lists that center's cases only
        ljd = statistics.figures(session, _actor(county, "ljd_head"), start, end, today=TODAY.date())
        assert ljd.received.count == per_center["ljd"]
        with pytest.raises(PermissionDenied):
            statistics.figures(session, _actor(county, "ljd_head"), start, end, center_id=ids["county"])


def test_the_monthly_figures_per_center_equal_a_recount_after_township_writes(county: Database) -> None:
    ids = _ids(county)
    ljd_clerk, ljd_head = _actor(county, "ljd_clerk"), _actor(county, "ljd_head")
    with county.write() as session:
        for n in range(3):
            case_id = cases.register_case(session, ljd_clerk, new_case_input(
                county, title=f"宅基地纠纷{n}", received_at=datetime(2026, 10, 3 + n, 10, 0)))
            if n == 0:
                workflow.transition(session, ljd_head, case_id, workflow.Action.REJECT, note="不属于受理范围")
            else:
                workflow.transition(session, ljd_head, case_id, workflow.Action.ACCEPT)
        # A case moved between centers (what a later correction may do) moves its counts with it.
        moved = _a_case(county, ids["dz"])
        session.execute(text("UPDATE dispute_case SET center_id = :c, seq = seq + 9000 WHERE id = :i"),
                        {"c": ids["ljd"], "i": moved})
    with county.write() as session:
        assert stat_months.kept(session) == stat_months.recounted(session)
        demo.generate_cases(session, 5, rng=random.Random(3), today=TODAY, center_id=ids["dz"])
        assert stat_months.kept(session) == stat_months.recounted(session)
        session.execute(text("DELETE FROM dispute_case WHERE id = :i"), {"i": moved})
        assert stat_months.kept(session) == stat_months.recounted(session)
    start, end = date(2025, 12, 1), date(2026, 11, 30)
    with county.read() as session:
        for cid in ids.values():
            summed = statistics._counts_from_months(session, start, end, TODAY.date(), hidden=False,
                                                    centers={cid})
            counted = statistics._counts_from_rows(session, start, end, TODAY.date(), {cid})
            for name in ("by_type", "by_source", "by_team", "outcomes"):
                assert {k: v for k, v in getattr(summed, name).items() if v} == \
                    {k: v for k, v in getattr(counted, name).items() if v}, (cid, name)
            assert (summed.visited, summed.satisfied) == (counted.visited, counted.satisfied)


def test_organisation_and_accounts_are_of_the_editors_centers(county: Database) -> None:
    ids = _ids(county)
    with county.read() as session:
        ljd_teams = organisation.load_organisation(session, _actor(county, "ljd_head")).teams
        all_teams = organisation.load_organisation(session, _actor(county, "head")).teams
    assert {t.center_id for t in ljd_teams} == {ids["ljd"]}
    assert {t.center_id for t in all_teams} == set(ids.values())
    with county.write() as session:
        saved = organisation.create_mediator(session, _actor(county, "ljd_head"),
                                             organisation.MediatorInput(name="赵村长", kind="volunteer"))  # type: ignore[arg-type]
        assert saved.item.center_id == ids["ljd"]
        team = session.scalars(select(Team).where(Team.center_id == ids["county"])).first()
        assert team is not None
        with pytest.raises(PermissionDenied):
            organisation.update_team(session, _actor(county, "ljd_head"), team.id,
                                     organisation.TeamInput(name="改名", dispute_type_ids=[1]),
                                     expected_version=team.version)
        admin = _actor(county, "admin")
        info = auth.create_user(session, admin, username="ljd_clerk2", display_name="梁家墩受理员二",
                                role=Role.INTAKE, password="Demo@2026x", center_id=ids["ljd"])
        assert info.center_id == ids["ljd"]
        with pytest.raises(InvalidInput, match="另一个中心"):
            auth.create_user(session, admin, username="bad", display_name="错配", role=Role.MEDIATOR,
                             password="Demo@2026x", center_id=ids["dz"], mediator_id=saved.item.id)


def test_centers_are_added_and_edited_by_the_administrator_with_their_rules(county: Database) -> None:
    ids = _ids(county)
    admin = _actor(county, "admin")
    with county.write() as session:
        village = centers.create_center(session, admin, centers.CenterInput(
            "梁家墩镇六闸村人民调解委员会", CenterLevel.VILLAGE, ids["ljd"], "甘州梁家墩六闸调"))
        assert (village.parent_id, village.depth) == (ids["ljd"], 2)
        for data, field in (
            (centers.CenterInput("", CenterLevel.VILLAGE, ids["ljd"], "甘州某调"), "name"),
            (centers.CenterInput("某村", CenterLevel.VILLAGE, ids["ljd"], "甘矛调"), "prefix"),
            (centers.CenterInput("某村", CenterLevel.VILLAGE, ids["county"], "甘州某调"), "parent"),
            (centers.CenterInput("某镇", CenterLevel.TOWNSHIP, None, "甘州某调"), "parent"),
            (centers.CenterInput("某县", CenterLevel.COUNTY, None, "甘州某调"), "level"),
            (centers.CenterInput("某村", CenterLevel.VILLAGE, ids["ljd"], "甘州（某）调"), "prefix"),
        ):
            with pytest.raises(InvalidInput) as caught:
                centers.create_center(session, admin, data)
            assert caught.value.field == field, data
        with pytest.raises(PermissionDenied):
            centers.create_center(session, _actor(county, "head"), centers.CenterInput(
                "某村", CenterLevel.VILLAGE, ids["ljd"], "甘州某调"))
        # The county center's name and prefix are the center settings, both ways.
        root = centers.center_info(session, ids["county"])
        centers.update_center(session, admin, ids["county"], centers.CenterInput(
            "张掖市甘州区社会治理中心", CenterLevel.COUNTY, None, "甘治调"), expected_version=root.version)
        assert center.get(session, settings.CENTER_NAME) == "张掖市甘州区社会治理中心"
        assert center.get(session, settings.CASE_NUMBER_PREFIX) == "甘治调"
        center.put(session, settings.CASE_NUMBER_PREFIX, "甘矛调")
        assert centers.center_info(session, ids["county"]).prefix == "甘矛调"
        new = cases.register_case(session, _actor(county, "clerk"), new_case_input(county))
        assert session.get(DisputeCase, new).number.startswith("（")  # type: ignore[union-attr]
        assert "甘矛调字第" in session.get(DisputeCase, new).number  # type: ignore[union-attr]


def test_the_migration_keeps_a_populated_database_down_and_up(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 40, today=TODAY)
    with db.read() as session:
        before = session.execute(text("SELECT id, number, title FROM dispute_case ORDER BY id")).all()
        users = session.execute(text("SELECT username, role FROM app_user ORDER BY id")).all()
    migrate_to(db, "0021")
    assert current_revision(db) == "0021"
    with db.read() as session:
        assert session.execute(text("SELECT id, number, title FROM dispute_case ORDER BY id")).all() == before
        assert "center_id" not in {c["name"] for c in inspect(session.connection()).get_columns("dispute_case")}
        kept = session.execute(text("SELECT sum(cases) FROM stat_received_month")).scalar()
        assert kept == 40
    migrate_to(db, "head")
    with db.write() as session:
        assert session.execute(text("SELECT id, number, title FROM dispute_case ORDER BY id")).all() == before
        assert session.execute(text("SELECT username, role FROM app_user ORDER BY id")).all() == users
        county = session.scalars(select(Center)).one()
        assert (county.name, county.prefix, county.level) == ("张掖市甘州区矛盾纠纷调处中心", "甘矛调",
                                                              CenterLevel.COUNTY)
        for table in ("dispute_case", "team", "mediator", "app_user", "case_number_sequence"):
            assert session.scalar(text(f"SELECT count(*) FROM {table} WHERE center_id <> :c"),
                                  {"c": county.id}) == 0, table
        assert stat_months.kept(session) == stat_months.recounted(session)
        if db.is_sqlite:
            # The rebuild dropped the table's statistics: every index is analysed again (without
            # them the planner sorted a million cases for the list's first page).
            indexes = {row[1] for row in session.execute(text("PRAGMA index_list(dispute_case)")) if not row[4]}
            analysed = set(session.scalars(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'dispute_case'")))
            assert indexes <= analysed, indexes - analysed
        # The search index and the counting triggers survived the table's rebuild.
        clerk = _actor(db, "clerk")
        new = cases.register_case(session, clerk, new_case_input(db, title="迁移后登记的宅基地纠纷"))
        assert new in {h.case_id for h in search.search(session, clerk, "迁移后登记")}
        assert stat_months.kept(session) == stat_months.recounted(session)
    # A database holding a township's cases cannot go back to one center.
    with db.write() as session:
        demo.seed_townships(session, Actor.system("test"), random.Random(1), 2, today=TODAY)
    with pytest.raises(Exception, match="县级中心以外"):
        migrate_to(db, "0021")
    # Refused by 0022's downgrade: the migrations after it may have gone down already, 0022 stays.
    assert current_revision(db) in {head_revision(), "0022"}


def test_a_repeat_visit_is_found_within_the_center_only(county: Database) -> None:
    dz_clerk, ljd_clerk = _actor(county, "dz_clerk"), _actor(county, "ljd_clerk")
    base = new_case_input(county, applicant="王五", received_at=datetime(2026, 11, 20, 9, 0))
    data = replace(base, parties=[replace(base.parties[0], phone="13912345678"), *base.parties[1:]])
    with county.write() as session:
        first = cases.register_case(session, dz_clerk, data)
        elsewhere = cases.register_case(session, ljd_clerk, data)
        again = cases.register_case(session, dz_clerk, data)
    with county.read() as session:
        assert session.get(DisputeCase, elsewhere).repeat_of_id is None  # type: ignore[union-attr]
        assert session.get(DisputeCase, again).repeat_of_id == first  # type: ignore[union-attr]
        assert [c.case_id for c in intake.person_cases(session, name="王五", phone="13912345678",
                                                       centers={_ids(county)["ljd"]})] == [elsewhere]


def test_each_center_publishes_and_approves_its_own_board(county: Database) -> None:
    ids = _ids(county)
    head, ljd_head = _actor(county, "head"), _actor(county, "ljd_head")
    with county.read() as session:  # a month in which the township accepted a case
        accepted = session.scalar(select(func.min(DisputeCase.accepted_at)).where(DisputeCase.center_id == ids["ljd"]))
        assert accepted is not None
        month = publicity.parse_month(f"{accepted:%Y-%m}")
        county_rows = publicity.publicity_rows(session, publicity.for_actor(month, head))
        township_rows = publicity.publicity_rows(session, publicity.for_actor(month, ljd_head))
    numbers = {r.number for r in county_rows} | {r.number for r in township_rows}
    assert all("甘矛调字" in r.number for r in county_rows)
    assert township_rows and all("甘州梁家墩调字" in r.number for r in township_rows)
    with county.write() as session:
        publicity.approve(session, ljd_head, month)
        assert publicity.snapshot(session, publicity.for_actor(month, ljd_head)) is not None
        assert publicity.snapshot(session, publicity.for_actor(month, head)) is None  # the county's is not approved
        printed = publicity.printable(session, ljd_head, month)
    assert printed.center_name == "甘州区梁家墩镇综治中心" and printed.approval is not None
    assert {r.number for r in printed.rows} == {r.number for r in township_rows} and numbers
