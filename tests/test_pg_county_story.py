"""A county and two townships on one PostgreSQL server (issue 21): one case reported up, routed to a
county team, assigned down, returned, assigned down again, routed to a township team, mediated to a
signed agreement, answered with a 反馈 and closed by the county — every step taken through the
services by the person whose job it is, signed in as their own login role; after each step, SQL run
directly as each other role tries to read and change the case (docs/crossings.md “Who works on the
case”, migration 0037).

The rule tried: while center X handles the case, X's clerk or head routes it to one of X's teams and
that team's mediators work it; the other township sees nothing; the county head reads but does not
write while the case is handled below; the previous team's mediator and a mediator of another team
do not write. A session clash with another center's session says only that the party is busy.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import AgreementKind, PartyRole, Role
from mediation_desk.services import (
    agreements,
    assignment,
    auth,
    cases,
    crossings,
    dossier,
    records,
    search,
    sessions,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, NotFound, PermissionDenied
from mediation_desk.services.workflow import Action

from . import pgserver
from .idcard_gen import id_number
from .services.helpers import complete_paperwork, new_case_input
from .test_pg_centers import _changes_nothing, _refused
from .test_pg_roles import PASSWORD, Center, module_database

pytestmark = pytest.mark.postgresql

Person = Callable[[str], tuple[Database, Actor]]
#: Everyone of the story: the county's clerk, head, the mediator of team 1 and one of team 2;
#: 梁家墩 (the township that reports up) and 党寨 (the one the county assigns to).
EVERYONE = ("clerk", "head", "mediator", "mediator2", "ljd_clerk", "ljd_head", "ljd_mediator",
            "dz_clerk", "dz_head", "dz_mediator")


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    def seed(session: Session) -> None:
        demo.seed(session, 4, township_cases=2)
        # A second county mediator, on the county's second team (not the case's).
        other = session.execute(text(
            "SELECT m.mediator_id FROM team_member m JOIN team t ON t.id = m.team_id"
            " WHERE t.center_id = 1 AND t.id <> (SELECT min(id) FROM team WHERE center_id = 1)"
            " ORDER BY t.id, m.mediator_id LIMIT 1")).scalar_one()
        auth.create_user(session, Actor.system("test"), username="mediator2", display_name="县第二团队调解员",
                         role=Role.MEDIATOR, password=PASSWORD, mediator_id=int(other),
                         must_change_password=False)

    with module_database(pg_server, pg_template, "md_county_story", seed) as made:
        yield made


@pytest.fixture
def person(center: Center) -> Iterator[Person]:
    """Sign in through the services as ``username``: a desk's Database reopened as their role."""
    opened: dict[str, tuple[Database, Actor]] = {}

    def sign_in(username: str) -> tuple[Database, Actor]:
        if username not in opened:
            db = Database(make_url(center.url).set(username=center.desk_role))
            opened[username] = (db, auth.login(db, username, PASSWORD))
        return opened[username]

    yield sign_in
    for db, _actor in opened.values():
        db.dispose()


@pytest.fixture
def sql(center: Center) -> Iterator[dict[str, Connection]]:
    """A connection as each person's own login role."""
    engines = {u: center.engine(center.login_role(u), PASSWORD) for u in EVERYONE}
    connections = {u: e.connect() for u, e in engines.items()}
    yield connections
    for conn in connections.values():
        conn.close()
    for engine in engines.values():
        engine.dispose()


@dataclass(frozen=True)
class Org:
    county: int
    ljd: int
    dz: int
    county_team: int
    ljd_team: int
    dz_team: int
    mediator: int
    ljd_mediator: int
    dz_mediator: int


def _org(center: Center) -> Org:
    with center.db.read() as session:
        prefix = {str(p): int(i) for p, i in session.execute(text("SELECT prefix, id FROM center"))}
        ids = prefix["甘矛调"], prefix["甘州梁家墩调"], prefix["甘州党寨调"]
        teams = [int(session.execute(text("SELECT min(id) FROM team WHERE center_id = :c"), {"c": c}).scalar_one())
                 for c in ids]
        people = {str(u): int(m) for u, m in session.execute(text(
            "SELECT username, mediator_id FROM app_user WHERE mediator_id IS NOT NULL"))}
    return Org(county=ids[0], ljd=ids[1], dz=ids[2], county_team=teams[0], ljd_team=teams[1], dz_team=teams[2],
               mediator=people["mediator"], ljd_mediator=people["ljd_mediator"], dz_mediator=people["dz_mediator"])


# --- what a role may do, asked with SQL as that role ---------------------------------------------

UPDATE = "UPDATE dispute_case SET title = title || '' WHERE id = :i"
ADD_EVENT = "INSERT INTO case_event (case_id, at, kind, action, note) VALUES (:i, localtimestamp, 'note', '', '越权')"
ADD_RECORD = ("INSERT INTO investigation_record (case_id, held_at, place, investigators, recorder, interviewee,"
              " interviewee_relation, content, signed, version, created_at, updated_at)"
              " VALUES (:i, localtimestamp, '某地', '某人', '某人', '某人', '申请人', '越权', false, 1,"
              " localtimestamp, localtimestamp)")


def _sees(conn: Connection, case_id: int) -> bool:
    found = bool(conn.scalar(text("SELECT count(*) FROM dispute_case WHERE id = :i"), {"i": case_id}) == 1)
    parties = conn.scalar(text("SELECT count(*) FROM party WHERE case_id = :i"), {"i": case_id})
    conn.rollback()
    assert bool(parties) == found  # a case's content is seen exactly when the case is
    return found


def writes(conn: Connection, case_id: int) -> None:
    """The role changes the case and adds to its content (rolled back)."""
    assert _sees(conn, case_id)
    assert conn.execute(text(UPDATE), {"i": case_id}).rowcount == 1
    conn.execute(text(ADD_EVENT), {"i": case_id})
    conn.rollback()


def reads_only(conn: Connection, case_id: int) -> None:
    """The role reads the case, and its UPDATE and INSERTs are refused by the server."""
    assert _sees(conn, case_id)
    _refused(conn, UPDATE, i=case_id)
    _refused(conn, ADD_EVENT, i=case_id)


def nothing(conn: Connection, case_id: int) -> None:
    """The role sees nothing of the case: no row; its UPDATE touches none, its INSERTs are refused."""
    assert not _sees(conn, case_id)
    _changes_nothing(conn, UPDATE, i=case_id)
    _refused(conn, ADD_EVENT, i=case_id)


def no_write(conn: Connection, case_id: int) -> None:
    """The role may or may not read the case, but changes nothing of it."""
    if _sees(conn, case_id):
        reads_only(conn, case_id)
    else:
        nothing(conn, case_id)


def _interview(place: str) -> records.InvestigationInput:
    return records.InvestigationInput(held_at=datetime(2026, 11, 2, 9, 30), place=place, investigators="调查人",
                                      recorder="记录人", interviewee="张三", interviewee_relation="申请人",
                                      content="询问纠纷经过")


def test_one_case_up_down_back_and_closed_each_center_working_it_with_its_own_people(
        center: Center, person: Person, sql: dict[str, Connection]) -> None:
    org = _org(center)

    def act(username: str, work: Callable[[Session, Actor], Any]) -> Any:
        db, actor = person(username)
        with db.write() as session:
            return work(session, actor)

    # 梁家墩 registers, routes it to its team; its mediator starts and records.
    case_id = int(act("ljd_clerk", lambda s, a: cases.register_case(s, a, new_case_input(center.db))))
    act("ljd_clerk", lambda s, a: workflow.transition(s, a, case_id, Action.ACCEPT))
    act("ljd_clerk", lambda s, a: assignment.assign(s, a, case_id, team_id=org.ljd_team,
                                                    lead_mediator_id=org.ljd_mediator))
    act("ljd_mediator", lambda s, a: workflow.transition(s, a, case_id, Action.START_MEDIATION))
    act("ljd_mediator", lambda s, a: records.add_investigation(s, a, case_id, _interview("梁家墩镇综治中心")))
    writes(sql["ljd_mediator"], case_id)
    reads_only(sql["head"], case_id)  # below the county: read-only
    for other in ("clerk", "mediator", "mediator2", "dz_clerk", "dz_head", "dz_mediator"):
        nothing(sql[other], case_id)

    # 上报: the county handles it; 梁家墩's people only read it now.
    act("ljd_head", lambda s, a: crossings.report_up(s, a, case_id, reason="涉及县直部门"))
    writes(sql["clerk"], case_id)
    writes(sql["head"], case_id)
    reads_only(sql["ljd_clerk"], case_id)
    reads_only(sql["ljd_mediator"], case_id)  # the previous team's mediator: its records are in it
    for other in ("mediator", "mediator2", "dz_clerk", "dz_head", "dz_mediator"):
        nothing(sql[other], case_id)
    # The county routes it to one of the county's teams, not to a team of the township.
    with pytest.raises(InvalidInput, match="不属于承办本案的中心"):
        act("clerk", lambda s, a: assignment.route(s, a, case_id, team_id=org.ljd_team,
                                                   lead_mediator_id=org.ljd_mediator))
    with pytest.raises(PermissionDenied):  # the township no longer routes it
        act("ljd_clerk", lambda s, a: assignment.route(s, a, case_id, team_id=org.ljd_team,
                                                       lead_mediator_id=org.ljd_mediator))
    db, _clerk = person("clerk")
    with db.read() as session:
        offered = assignment.suggest(session, case_id)
    assert offered.center_id == org.county and org.county_team in {t.team_id for t in offered.teams}
    assert org.ljd_team not in {t.team_id for t in offered.teams}
    act("clerk", lambda s, a: assignment.route(s, a, case_id, team_id=org.county_team,
                                               lead_mediator_id=org.mediator))
    act("mediator", lambda s, a: records.add_investigation(s, a, case_id, _interview("县矛调中心")))
    writes(sql["mediator"], case_id)
    no_write(sql["mediator2"], case_id)  # a county mediator of another team
    nothing(sql["mediator2"], case_id)
    nothing(sql["ljd_mediator"], case_id)  # routed away from 梁家墩's team: a mediator sees their team's cases
    with pytest.raises(NotFound):  # and through the services: the server hides it from them
        act("ljd_mediator", lambda s, a: records.add_investigation(s, a, case_id, _interview("越权")))

    # 交办 to 党寨, then 回退, then 交办 again.
    act("head", lambda s, a: crossings.assign(s, a, case_id, to_center_id=org.dz, working_days=5,
                                              reason="请党寨镇就地调处", today=date(2026, 11, 2)))
    writes(sql["dz_clerk"], case_id)
    reads_only(sql["head"], case_id)  # the county head reads while the case is handled below
    reads_only(sql["clerk"], case_id)
    reads_only(sql["mediator"], case_id)  # the previous team's mediator: no longer writes
    with pytest.raises(PermissionDenied):
        act("mediator", lambda s, a: records.add_investigation(s, a, case_id, _interview("越权")))
    nothing(sql["dz_mediator"], case_id)  # not on the case's team until 党寨 routes it
    for other in ("ljd_clerk", "ljd_head", "ljd_mediator"):
        no_write(sql[other], case_id)
    act("dz_head", lambda s, a: crossings.return_case(s, a, case_id, reason="当事人不在本镇居住"))
    writes(sql["clerk"], case_id)
    writes(sql["mediator"], case_id)
    reads_only(sql["dz_clerk"], case_id)
    act("head", lambda s, a: crossings.assign(s, a, case_id, to_center_id=org.dz, working_days=5,
                                              reason="当事人已在党寨镇落户，请就地调处", today=date(2026, 11, 4)))

    # 党寨 routes it to its own team: its mediator works it, the county's no longer reads it.
    with pytest.raises(InvalidInput, match="不属于承办本案的中心"):
        act("dz_clerk", lambda s, a: assignment.route(s, a, case_id, team_id=org.county_team,
                                                      lead_mediator_id=org.mediator))
    with pytest.raises(PermissionDenied):  # the county head cannot route it while 党寨 handles it
        act("head", lambda s, a: assignment.route(s, a, case_id, team_id=org.county_team,
                                                  lead_mediator_id=org.mediator))
    act("dz_clerk", lambda s, a: assignment.route(s, a, case_id, team_id=org.dz_team,
                                                  lead_mediator_id=org.dz_mediator))
    writes(sql["dz_mediator"], case_id)
    # 党寨 works the case but cannot hand it on, or give it to another center's team, by SQL alone.
    _refused(sql["dz_clerk"], "UPDATE dispute_case SET handling_center_id = NULL WHERE id = :i", i=case_id)
    _refused(sql["dz_clerk"], "UPDATE dispute_case SET handling_center_id = :c WHERE id = :i", c=org.ljd, i=case_id)
    _refused(sql["dz_clerk"], "UPDATE dispute_case SET team_id = :t WHERE id = :i", t=org.ljd_team, i=case_id)
    sql["dz_mediator"].execute(text(ADD_RECORD), {"i": case_id})
    sql["dz_mediator"].rollback()
    _refused(sql["mediator"], ADD_RECORD, i=case_id)
    nothing(sql["mediator"], case_id)
    nothing(sql["mediator2"], case_id)
    reads_only(sql["head"], case_id)
    for other in ("ljd_clerk", "ljd_head", "ljd_mediator"):
        no_write(sql[other], case_id)
    # The township mediator's search (the server's search functions, under their role) finds it.
    db, dz_mediator = person("dz_mediator")
    with db.read() as session:
        assert search.row_security_active(session)
        assert case_id in {h.case_id for h in search.search(session, dz_mediator, "相邻通行", limit=500)}
        detail = cases.case_detail(session, dz_mediator, case_id)
    assert {a.action for a in detail.actions} >= {Action.SUCCEED.value, Action.FAIL.value}

    # 党寨's mediator records and reaches an agreement; its PDF prints; 党寨 answers the 交办.
    with db.write() as session:
        records.add_investigation(session, dz_mediator, case_id, _interview("党寨镇综治中心"))
        respondent = next(p.id for p in detail.parties if p.role is PartyRole.RESPONDENT)
        drafted = agreements.draft(session, dz_mediator, case_id)
        saved = agreements.save(session, dz_mediator, drafted.id, agreements.AgreementInput(
            kind=AgreementKind.WRITTEN, facts="两家因院前通道发生争执。", disputed_matters="通行。",
            responsibilities="被申请人负主要责任。", copies=3,
            terms=[agreements.TermInput(respondent, "拆除院前堆放物，恢复通行", date(2026, 11, 20), place="院前通道",
                                        method="自行清理")]), expected_version=drafted.version)
        agreements.sign(session, dz_mediator, saved.id, signed_on=date(2026, 11, 6))
        complete_paperwork(session, dz_mediator, case_id)
    with db.read() as session:
        pdf = dossier.render_document(session, dz_mediator, case_id, "agreement")
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "调解协议书" in printed and "张三" in printed and "李四" in printed
    act("dz_clerk", lambda s, a: crossings.feedback(s, a, case_id, text="双方已签订调解协议"))
    reads_only(sql["dz_mediator"], case_id)  # the case is back with the county
    reads_only(sql["dz_clerk"], case_id)
    writes(sql["head"], case_id)

    # The county reviews and closes it; 梁家墩, whose number it carries, reads it closed.
    act("head", lambda s, a: workflow.transition(s, a, case_id, Action.SUBMIT_FOR_REVIEW))
    act("head", lambda s, a: workflow.transition(s, a, case_id, Action.APPROVE_CLOSURE))
    state = center.owner_scalar("SELECT state || '/' || coalesce(handling_center_id::text, '-') || '/' ||"
                                " center_id FROM dispute_case WHERE id = :i", i=case_id)
    assert state == f"closed/{org.county}/{org.ljd}"  # one identity: 梁家墩's case, closed by the county
    reads_only(sql["ljd_clerk"], case_id)
    no_write(sql["dz_mediator"], case_id)
    audited = center.owner_scalar(
        "SELECT string_agg(action, ',' ORDER BY id) FROM audit_entry WHERE entity = 'case' AND entity_id = :i"
        " AND action IN ('case.report_up', 'case.route', 'case.assign_down', 'case.return', 'case.feedback')",
        i=case_id)
    assert audited == ("case.report_up,case.route,case.assign_down,case.return,case.assign_down,case.route,"
                       "case.feedback")


def test_a_party_busy_in_another_centers_session_is_only_said_to_be_busy(
        center: Center, person: Person, sql: dict[str, Connection]) -> None:
    number = id_number("620702", date(1979, 3, 8), 17)
    db, clerk = person("clerk")
    data = new_case_input(center.db, applicant="赵大山", respondent="钱二")
    data.parties[0].id_number = number
    with db.write() as session:
        county_case = cases.register_case(session, clerk, data)
        workflow.transition(session, clerk, county_case, Action.ACCEPT)
        rooms = [r.id for r in sessions.list_rooms(session, active_only=True)]
        parties = [p.id for p in cases.case_detail(session, clerk, county_case).parties]
    org = _org(center)
    at = datetime(2026, 11, 9, 9, 0), datetime(2026, 11, 9, 11, 0)
    with db.write() as session:
        sessions.schedule(session, clerk, county_case, sessions.SessionInput(
            room_id=rooms[0], starts_at=at[0], ends_at=at[1], mediator_ids=[org.mediator], party_ids=parties),
            confirmed=True)

    # 党寨 registers the same person (another spelling) in a case of its own, same morning.
    dz_db, dz_clerk = person("dz_clerk")
    data = new_case_input(center.db, applicant="赵大杉", respondent="孙三")
    data.parties[0].id_number = number
    with dz_db.write() as session:
        dz_case = cases.register_case(session, dz_clerk, data)
        workflow.transition(session, dz_clerk, dz_case, Action.ACCEPT)
        dz_parties = [p.id for p in cases.case_detail(session, dz_clerk, dz_case).parties]
    county_number = str(center.owner_scalar("SELECT number FROM dispute_case WHERE id = :i", i=county_case))
    room_name = str(center.owner_scalar("SELECT name FROM mediation_room WHERE id = :i", i=rooms[0]))
    # 党寨 books its own room (a case's sessions are held in its handling center's rooms, 0047).
    dz_room = int(str(center.owner_scalar("SELECT min(id) FROM mediation_room WHERE center_id = :c", c=org.dz)))
    with pytest.raises(sessions.DoubleBooked) as caught, dz_db.write() as session:
        sessions.schedule(session, dz_clerk, dz_case, sessions.SessionInput(
            room_id=dz_room, starts_at=datetime(2026, 11, 9, 10, 0), ends_at=datetime(2026, 11, 9, 12, 0),
            mediator_ids=[org.dz_mediator], party_ids=dz_parties), confirmed=True)
    message = caught.value.message
    assert caught.value.field == "party_ids"
    assert "当事人赵大杉在该时段" in message and "已有其他安排" in message
    for secret in (county_number, room_name, "赵大山", "钱二", "09:00", "11:00"):
        assert secret not in message, (secret, message)
    assert [(c.kind, c.session_id, c.case_number, c.room_name) for c in caught.value.clashes] == [
        ("party", None, "", "")]

    # Asked directly with SQL as 党寨's clerk, the server's function masks it the same way …
    dz = sql["dz_clerk"]
    rows = dz.execute(text(
        "SELECT session_id, kind, subject, case_number, room_name, starts_at FROM md_session_clashes("
        ":room, :s, :e, CAST(:m AS integer[]), CAST(:p AS integer[]), CAST(:n AS text[]), NULL)"),
        {"room": dz_room, "s": datetime(2026, 11, 9, 10, 0), "e": datetime(2026, 11, 9, 12, 0),
         "m": [], "p": dz_parties, "n": [number]}).all()
    dz.rollback()
    assert [tuple(r) for r in rows] == [(None, "party", "赵大杉", "", "", datetime(2026, 11, 9, 10, 0))]
    # … while the county's own clerk, scheduling another county case, is told which session it is.
    data = new_case_input(center.db, applicant="赵大山", respondent="周四")
    data.parties[0].id_number = number
    with db.write() as session:
        second = cases.register_case(session, clerk, data)
        workflow.transition(session, clerk, second, Action.ACCEPT)
        second_parties = [p.id for p in cases.case_detail(session, clerk, second).parties]
    with pytest.raises(sessions.DoubleBooked) as own, db.write() as session:
        sessions.schedule(session, clerk, second, sessions.SessionInput(
            room_id=rooms[1], starts_at=datetime(2026, 11, 9, 10, 0), ends_at=datetime(2026, 11, 9, 12, 0),
            mediator_ids=[org.mediator], party_ids=second_parties), confirmed=True)
    assert county_number in own.value.message and room_name in own.value.message


def test_migration_0037_goes_down_to_what_0035_had_and_up_again(pg_database_url: str) -> None:
    """The downgrade puts back 0032's team policy and search functions and 0024's clash function,
    and drops the trigger; the upgrade brings them again."""
    db = Database(pg_database_url)

    def snapshot() -> tuple[Any, ...]:
        with db.read() as session:
            team = session.execute(text("SELECT qual, with_check FROM pg_policies WHERE tablename = 'dispute_case'"
                                        " AND policyname = 'md_case_team'")).one()
            bodies = session.execute(text(
                "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'md\\_search\\_%' OR proname IN"
                " ('md_session_clashes', 'md_case_handover_check') ORDER BY 1")).all()
            triggers = session.scalars(text("SELECT tgname FROM pg_trigger WHERE tgname = 'md_case_handover'")).all()
        return tuple(team), tuple(tuple(b) for b in bodies), tuple(triggers)

    try:
        migrate_to(db, "head")
        at_head = snapshot()
        assert "md_crossed_case_ids" in str(at_head[0][0]) and at_head[2] == ("md_case_handover",)
        migrate_to(db, "0035")
        at_0035 = snapshot()
        assert "md_crossed_case_ids" not in str(at_0035[0][0]) and at_0035[2] == ()
        assert "md_case_handover_check" not in {name for name, _ in at_0035[1]}
        assert all("handling_center_id" not in body or name != "md_session_clashes" for name, body in at_0035[1])
        migrate_to(db, "head")
        assert snapshot() == at_head
    finally:
        migrate_to(db, "head")
        db.dispose()


SESSION_IN = ("INSERT INTO mediation_session (case_id, room_id, starts_at, ends_at, bring, invited, note, version,"
              " created_at, updated_at) VALUES (:c, :r, '2026-12-01 09:00', '2026-12-01 10:00', '', '[]', '', 1,"
              " localtimestamp, localtimestamp)")
ROOM_IN = ("INSERT INTO mediation_room (center_id, name, capacity, active, location, version, created_at, updated_at)"
           " VALUES (:c, :n, 6, true, '', 1, localtimestamp, localtimestamp)")
ROOM_RENAME = "UPDATE mediation_room SET name = name || '改' WHERE id = :r"


def test_each_center_sees_sets_up_and_books_only_its_own_rooms_by_the_servers_rules(
        center: Center, person: Person, sql: dict[str, Connection]) -> None:
    """Migration 0047, tried with SQL as each login role (and once through the services)."""
    org = _org(center)
    with center.db.read() as session:
        rooms: dict[int, list[int]] = {c: [] for c in (org.county, org.ljd, org.dz)}
        for room_id, center_id in session.execute(text("SELECT id, center_id FROM mediation_room ORDER BY id")):
            rooms[int(center_id)].append(int(room_id))
    county_case = int(str(center.owner_scalar("SELECT min(id) FROM dispute_case WHERE center_id = :c"
                                              " AND handling_center_id IS NULL"
                                              " AND state IN ('accepted', 'assigned', 'in_mediation')",
                                              c=org.county)))

    def seen(username: str) -> set[int]:
        conn = sql[username]
        found = {int(i) for i in conn.scalars(text("SELECT id FROM mediation_room"))}
        conn.rollback()
        return found

    # Read: one's own center's rooms (a head's: those below too), never another township's.
    for username, own, others in (("ljd_mediator", org.ljd, (org.dz,)), ("ljd_clerk", org.ljd, (org.dz,)),
                                  ("dz_clerk", org.dz, (org.ljd,)), ("dz_head", org.dz, (org.ljd,)),
                                  ("mediator", org.county, (org.ljd, org.dz))):
        found = seen(username)
        assert set(rooms[own]) <= found, username
        assert not any(set(rooms[o]) & found for o in others), username
    assert seen("head") >= set(rooms[org.county] + rooms[org.ljd] + rooms[org.dz])

    # Book: the county head books a county case in a county room, never in a township's.
    head = sql["head"]
    head.execute(text(SESSION_IN), {"c": county_case, "r": rooms[org.county][0]})
    head.rollback()
    _refused(head, SESSION_IN, c=county_case, r=rooms[org.ljd][0])
    _refused(head, SESSION_IN, c=county_case, r=rooms[org.dz][0])
    # … nor through the services (signed in as their own role).
    db, head_actor = person("head")
    with db.read() as session:
        parties = [p.id for p in cases.case_detail(session, head_actor, county_case).parties]
    with pytest.raises(InvalidInput, match="不是承办本案的") as refused, db.write() as session:
        sessions.schedule(session, head_actor, county_case, sessions.SessionInput(
            room_id=rooms[org.ljd][0], starts_at=datetime(2026, 12, 1, 9, 0), ends_at=datetime(2026, 12, 1, 10, 0),
            mediator_ids=[org.mediator], party_ids=parties), confirmed=True)
    assert refused.value.field == "room_id"

    # Set up: a head adds and renames their own center's rooms only; a mediator none.
    ljd_head = sql["ljd_head"]
    ljd_head.execute(text(ROOM_IN), {"c": org.ljd, "n": "临时调解室"})
    assert ljd_head.execute(text(ROOM_RENAME), {"r": rooms[org.ljd][0]}).rowcount == 1
    ljd_head.rollback()
    _refused(ljd_head, ROOM_IN, c=org.county, n="临时调解室")
    _changes_nothing(ljd_head, ROOM_RENAME, r=rooms[org.county][0])
    _changes_nothing(ljd_head, ROOM_RENAME, r=rooms[org.dz][0])
    _changes_nothing(head, ROOM_RENAME, r=rooms[org.ljd][0])  # the county head: not a township's rooms
    _refused(head, ROOM_IN, c=org.ljd, n="临时调解室")
    # … but keeps the inactive room a township's answer packet brings (exchange.crossing_work).
    head.execute(text(ROOM_IN.replace("6, true", "6, false")), {"c": org.ljd, "n": "调解室（甘州区梁家墩镇综治中心）"})
    head.rollback()
    _refused(sql["ljd_head"], ROOM_IN.replace("6, true", "6, false"), c=org.dz, n="调解室（甘州区党寨镇综治中心）")
    _refused(sql["ljd_mediator"], ROOM_IN, c=org.ljd, n="临时调解室")
    with center.db.read() as session:
        names = {str(n) for n in session.scalars(text("SELECT name FROM mediation_room"))}
    assert not any(n.endswith("改") or n == "临时调解室" for n in names)
