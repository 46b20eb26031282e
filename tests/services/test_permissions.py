"""Permissions in the services (docs/permissions.md): each service called directly as each role.

One table of calls; each row names the roles allowed to make it. An allowed call must succeed;
every other role must get ``PermissionDenied`` with a Chinese message. ``mediator_a`` is on the
case's team, ``mediator_b`` on another team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, DisputeCase, DiversionBody, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import (
    agreements,
    assignment,
    attachments,
    audit,
    auth,
    backup,
    calendar,
    case_import,
    caselist,
    cases,
    confirmation,
    diversion,
    dossier,
    organisation,
    printing,
    publicity,
    records,
    retention,
    scanback,
    statistics,
    supervision,
    termination,
    visits,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied
from mediation_desk.services.permissions import is_system
from tests.services.helpers import make_team, make_user, new_case_input

ROLES = ("intake", "mediator_a", "mediator_b", "head", "admin")
CASE_READERS = {"intake", "mediator_a", "head"}
CASEWORKERS = {"mediator_a", "head"}
WINDOW = {"intake", "head"}


@dataclass
class World:
    db: Database
    actors: dict[str, Actor]
    case_id: int
    number: str
    team_a: int
    team_b: int
    mediator_a: int
    tmp: Path


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    team_a, mediator_a = make_team(db, "城建物业调解团队", "李建国")
    team_b, mediator_b = make_team(db, "婚姻家庭调解团队", "王秀兰")
    actors = {
        "intake": make_user(db, "clerk", Role.INTAKE),
        "mediator_a": make_user(db, "med_a", Role.MEDIATOR, mediator_a),
        "mediator_b": make_user(db, "med_b", Role.MEDIATOR, mediator_b),
        "head": make_user(db, "head", Role.HEAD),
        "admin": make_user(db, "admin", Role.ADMIN),
    }
    case_id = _case_in_mediation(db, actors, team_a, mediator_a)
    with db.read() as session:
        number = session.get_one(DisputeCase, case_id).number
    return World(db, actors, case_id, number, team_a, team_b, mediator_a, tmp_path)


def _case_in_mediation(db: Database, actors: dict[str, Actor], team_id: int, mediator_id: int) -> int:
    with db.write() as session:
        case_id = cases.register_case(session, actors["intake"], new_case_input(db))
        workflow.transition(session, actors["intake"], case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, actors["intake"], case_id, team_id=team_id, lead_mediator_id=mediator_id)
        workflow.transition(session, actors["mediator_a"], case_id, workflow.Action.START_MEDIATION)
    return case_id


def _new_registered(w: World, session: Session) -> int:
    return cases.register_case(session, Actor.system("test"), new_case_input(w.db, title="新登记的纠纷"))


def _assigned_new(w: World, s: Session) -> int:
    case_id = _new_registered(w, s)
    workflow.transition(s, w.actors["head"], case_id, workflow.Action.ACCEPT)
    cases.assign_case(s, w.actors["head"], case_id, team_id=w.team_a, lead_mediator_id=w.mediator_a)
    return case_id


def _assign_new(w: World, s: Session, a: Actor) -> None:
    case_id = _new_registered(w, s)
    workflow.transition(s, w.actors["head"], case_id, workflow.Action.ACCEPT)
    assignment.assign(s, a, case_id, team_id=w.team_a, lead_mediator_id=w.mediator_a)


def _divert_new(w: World, s: Session, a: Actor) -> None:
    case_id = _new_registered(w, s)
    workflow.transition(s, w.actors["head"], case_id, workflow.Action.ACCEPT)
    diversion.divert(s, a, case_id, body=DiversionBody.VILLAGE_COMMITTEE, body_name="东关村人民调解委员会",
                     reason="邻里小事，由村调委会就地化解。")


Call = Callable[[World, Session, Actor], Any]


@dataclass(frozen=True)
class Row:
    name: str
    call: Call
    allowed: frozenset[str]


def row(name: str, allowed: set[str], call: Call) -> Row:
    return Row(name, call, frozenset(allowed))


TODAY = date.today()
HELD = datetime.now().replace(microsecond=0) - timedelta(hours=1)

TABLE: list[Row] = [
    # --- cases and the case list
    row("cases.register_case", WINDOW, lambda w, s, a: cases.register_case(s, a, new_case_input(w.db))),
    row("cases.case_detail", CASE_READERS, lambda w, s, a: cases.case_detail(s, a, w.case_id)),
    row("cases.case_detail_by_number", CASE_READERS, lambda w, s, a: cases.case_detail_by_number(s, a, w.number)),
    row("caselist.count_cases", {"intake", "mediator_a", "mediator_b", "head"},
        lambda w, s, a: caselist.count_cases(s, a, caselist.CaseQuery())),
    row("caselist.fetch_window", {"intake", "mediator_a", "mediator_b", "head"},
        lambda w, s, a: caselist.fetch_window(s, a, caselist.CaseQuery(), 0, 10, total=10)),
    # --- the window's workflow
    row("workflow.accept", WINDOW,
        lambda w, s, a: workflow.transition(s, a, _new_registered(w, s), workflow.Action.ACCEPT)),
    row("workflow.start_mediation(another team's case)", {"mediator_a", "head"},
        lambda w, s, a: workflow.transition(s, a, _assigned_new(w, s), workflow.Action.START_MEDIATION)),
    row("assignment.assign", WINDOW, _assign_new),
    row("diversion.divert", WINDOW, _divert_new),
    row("case_import.import_records", WINDOW, lambda w, s, a: case_import.import_records(s, a, [])),
    # --- casework
    row("records.add_investigation", CASEWORKERS, lambda w, s, a: records.add_investigation(
        s, a, w.case_id, records.InvestigationInput(HELD, "中心调查室", "李建国", "王晓燕", "张三", "申请人",
                                                    "了解了纠纷经过。"))),
    row("agreements.draft", CASEWORKERS, lambda w, s, a: agreements.draft(s, a, w.case_id)),
    row("termination.save_undisputed_facts", CASEWORKERS,
        lambda w, s, a: termination.save_undisputed_facts(s, a, w.case_id, facts="双方确认通道宽两米。")),
    row("confirmation.confirmation_page", CASE_READERS,
        lambda w, s, a: confirmation.confirmation_page(s, a, w.case_id)),
    row("visits.visits_page", CASE_READERS, lambda w, s, a: visits.visits_page(s, a, w.case_id)),
    row("supervision.issue", {"head"}, lambda w, s, a: supervision.issue(
        s, a, w.case_id, instruction="请于一周内办结。", due_on=TODAY + timedelta(days=7))),
    # --- papers
    row("attachments.add_document", CASE_READERS, lambda w, s, a: attachments.add_document(
        s, a, w.case_id, kind=AttachmentKind.EVIDENCE, filename="现场照片.bin", content=b"\x00evidence")),
    row("attachments.list_attachments", CASE_READERS, lambda w, s, a: attachments.list_attachments(s, a, w.case_id)),
    row("scanback.case_documents", CASE_READERS, lambda w, s, a: scanback.case_documents(s, a, w.number)),
    row("printing.record_output", CASE_READERS, lambda w, s, a: printing.record_output(
        s, a, w.case_id, "registration", output="print", pages=1, target="打印机")),
    row("dossier.render_document", CASE_READERS,
        lambda w, s, a: dossier.render_document(s, a, w.case_id, "registration")),
    # --- the head's and the administrator's desks
    row("publicity.approve", {"head"}, lambda w, s, a: publicity.approve(s, a, publicity.last_month())),
    row("statistics.figures", {"head", "admin"},
        lambda w, s, a: statistics.figures(s, a, TODAY.replace(day=1), TODAY)),
    row("audit.list_entries", {"head", "admin"}, lambda w, s, a: audit.list_entries(s, a)),
    # Issue 17: the retention list names cases about to lose their content: the head's alone.
    row("retention.archive_expired(dry run)", {"head"},
        lambda w, s, a: retention.archive_expired(s, a, date.today(), w.tmp / "archive", dry_run=True)),
    row("auth.list_users", {"admin"}, lambda w, s, a: auth.list_users(s, a)),
    row("calendar.set_entry", {"admin"}, lambda w, s, a: calendar.set_entry(
        s, a, date(TODAY.year, 12, 31), is_workday=False, name="测试")),
    row("organisation.create_department", {"admin", "head"}, lambda w, s, a: organisation.create_department(
        s, a, organisation.DepartmentInput(name=f"测试部门{a.username}"))),
    row("organisation.list_teams", set(ROLES), lambda w, s, a: organisation.list_teams(s, a)),
]


def test_every_role_against_every_service(world: World) -> None:
    wrong: list[str] = []
    for entry in TABLE:
        for role in ROLES:
            actor = world.actors[role]
            try:
                with world.db.write() as session:
                    entry.call(world, session, actor)
            except PermissionDenied as refused:
                if role in entry.allowed:
                    wrong.append(f"{entry.name} 应允许 {role}，却被拒绝：{refused}")
                elif not any("\u4e00" <= ch <= "\u9fff" for ch in str(refused)):
                    wrong.append(f"{entry.name} 拒绝 {role} 的说明不是中文：{refused}")
            except Exception as error:  # an allowed call must succeed
                wrong.append(f"{entry.name} 以 {role} 调用出错：{type(error).__name__}: {error}")
            else:
                if role not in entry.allowed:
                    wrong.append(f"{entry.name} 应拒绝 {role}，却执行成功")
    assert wrong == []


def test_a_mediator_sees_only_their_teams_cases(world: World) -> None:
    db, actors = world.db, world.actors
    with db.write() as session:  # a second case, on team B
        other = cases.register_case(session, actors["intake"], new_case_input(db, title="婚姻家庭纠纷"))
        workflow.transition(session, actors["intake"], other, workflow.Action.ACCEPT)
        cases.assign_case(session, actors["intake"], other, team_id=world.team_b)
    query = caselist.CaseQuery()
    with db.read() as session:
        seen = {
            role: {r.id for r in caselist.fetch_window(session, actors[role], query, 0, 50,
                                                         total=caselist.count_cases(session, actors[role], query))}
            for role in ("intake", "mediator_a", "mediator_b", "head")
        }
        assert caselist.row_position(session, actors["mediator_b"], query, world.case_id) is None
        assert caselist.row_position(session, actors["head"], query, world.case_id) == 1  # after the newer
        assert caselist.row_position(session, actors["mediator_a"], query, world.case_id) == 0
        with pytest.raises(PermissionDenied, match="不属于您所在的调解团队"):
            cases.case_detail(session, actors["mediator_b"], world.case_id)
        with pytest.raises(PermissionDenied, match="系统管理员"):
            caselist.count_cases(session, actors["admin"], query)
    assert seen["intake"] == seen["head"] == {world.case_id, other}
    assert seen["mediator_a"] == {world.case_id}
    assert seen["mediator_b"] == {other}
    # A filter the mediator sets never widens what they see.
    wide = caselist.CaseQuery(CaseFilter(team_ids=frozenset({world.team_a, world.team_b})))
    with db.read() as session:
        assert caselist.count_cases(session, actors["mediator_b"], wide) == 1


def test_a_mediator_of_another_team_is_refused_every_casework_write(world: World) -> None:
    outsider = world.actors["mediator_b"]
    for entry in TABLE:
        if "mediator_a" in entry.allowed and "mediator_b" not in entry.allowed:
            with pytest.raises(PermissionDenied, match="不属于您所在的调解团队"), world.db.write() as session:
                entry.call(world, session, outsider)


def test_backups_are_the_administrators(world: World) -> None:
    if not world.db.is_sqlite:
        pytest.skip("the server export is tested in test_backup")
    for role in ("intake", "mediator_a", "head"):
        with pytest.raises(PermissionDenied, match="备份数据库"):
            backup.backup_now(world.db, world.actors[role], world.tmp)
    assert backup.backup_now(world.db, world.actors["admin"], world.tmp).exists()


def test_the_system_actor_is_not_a_login() -> None:
    assert is_system(Actor.system("cli"))
    assert not is_system(Actor(user_id=1, username="admin", display_name="管理员", role=Role.ADMIN))
