"""Departments, teams and mediators: every rule of the organisation screens, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mediation_desk.db import Database
from mediation_desk.models import (
    AuditEntry,
    Department,
    Mediator,
    MediatorKind,
    PresenceMode,
    Role,
    Team,
    TeamMember,
    now,
)
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import caselist, cases, organisation, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.caselist import CaseQuery
from mediation_desk.services.errors import Conflict, InvalidInput, PermissionDenied
from mediation_desk.services.organisation import (
    DepartmentInfo,
    DepartmentInput,
    MediatorInfo,
    MediatorInput,
    Saved,
    TeamInfo,
    TeamInput,
)

from .helpers import dispute_type_id, make_user, register

R = PresenceMode


@dataclass
class World:
    db: Database
    admin: Actor
    head: Actor
    clerk: Actor

    def write(self, fn: Callable[..., Any], *args: Any, actor: Actor | None = None, **kwargs: Any) -> Any:
        with self.db.write() as session:
            return fn(session, actor or self.admin, *args, **kwargs)

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with self.db.read() as session:
            return fn(session, self.clerk, *args, **kwargs)

    def department(self, name: str = "区司法局", presence: PresenceMode = R.RESIDENT, **kw: str) -> DepartmentInfo:
        saved: Saved[DepartmentInfo] = self.write(organisation.create_department,
                                                  DepartmentInput(name=name, presence=presence, **kw))
        return saved.item

    def mediator(self, name: str, department_id: int | None = None, **kw: Any) -> MediatorInfo:
        kind = MediatorKind.STATIONED if department_id is not None else MediatorKind.VOLUNTEER
        saved: Saved[MediatorInfo] = self.write(organisation.create_mediator,
                                                MediatorInput(name=name, kind=kind, department_id=department_id, **kw))
        return saved.item

    def team(self, name: str, types: list[str], members: list[MediatorInfo], lead: MediatorInfo) -> TeamInfo:
        saved: Saved[TeamInfo] = self.write(organisation.create_team, TeamInput(
            name=name, dispute_type_ids=[dispute_type_id(self.db, t) for t in types],
            member_ids=[m.id for m in members], lead_mediator_id=lead.id))
        return saved.item

    def mediator_now(self, mediator_id: int) -> MediatorInfo:
        info: MediatorInfo = self.read(organisation.mediator_info, mediator_id)
        return info

    def team_now(self, team_id: int) -> TeamInfo:
        info: TeamInfo = self.read(organisation.team_info, team_id)
        return info

    def department_now(self, department_id: int) -> DepartmentInfo:
        info: DepartmentInfo = self.read(organisation.department_info, department_id)
        return info


@pytest.fixture
def world(db: Database, admin: Actor) -> World:
    return World(db, admin, make_user(db, "head", Role.HEAD), make_user(db, "clerk", Role.INTAKE))


def invalid(world: World, field: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Call a write expecting InvalidInput on ``field``; returns its message."""
    with pytest.raises(InvalidInput) as caught, world.db.write() as session:
        fn(session, world.admin, *args, **kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value.message


def audit_actions(db: Database, entity: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry.action).where(AuditEntry.entity == entity)
                                    .order_by(AuditEntry.id)))


# --------------------------------------------------------------------------- permissions


def test_every_role_reads_only_admin_and_head_change(world: World) -> None:
    world.department("区信访局")
    mediator_user = make_user(world.db, "mediator", Role.MEDIATOR)
    for actor in (world.clerk, mediator_user, world.head, world.admin):
        with world.db.read() as session:
            org = organisation.load_organisation(session, actor)
        assert [d.name for d in org.departments] == ["区信访局"]
        assert org.can_edit is (actor.role in (Role.ADMIN, Role.HEAD))
    for actor in (world.clerk, mediator_user):
        with pytest.raises(PermissionDenied, match="只有系统管理员和中心主任可以修改"), world.db.write() as session:
            organisation.create_department(session, actor, DepartmentInput(name="区民政局"))
        with pytest.raises(PermissionDenied), world.db.write() as session:
            organisation.create_mediator(session, actor, MediatorInput(name="王五", kind=MediatorKind.VOLUNTEER))
    saved = world.write(organisation.create_department, DepartmentInput(name="区民政局"), actor=world.head)
    assert saved.item.name == "区民政局"
    assert organisation.can_manage(world.head) and not organisation.can_manage(world.clerk)


# --------------------------------------------------------------------------- departments


def test_department_names_are_required_and_unique(world: World) -> None:
    assert invalid(world, "name", organisation.create_department, DepartmentInput(name="  ")) == "请填写部门名称。"
    world.department("区司法局")
    message = invalid(world, "name", organisation.create_department, DepartmentInput(name=" 区司法局 "))
    assert message == "已有名为“区司法局”的进驻部门，请换一个名称。"
    long_name = "局" * 81
    assert "最长 80 个字符" in invalid(world, "name", organisation.create_department, DepartmentInput(name=long_name))


def test_a_duplicate_of_an_inactive_department_says_where_to_find_it(world: World) -> None:
    old = world.department("区物价局")
    world.write(organisation.deactivate_department, old.id)
    message = invalid(world, "name", organisation.create_department, DepartmentInput(name="区物价局"))
    assert "已停用" in message and "显示已停用" in message


def test_each_presence_mode_and_what_it_needs(world: World) -> None:
    resident = world.department("区信访局", R.RESIDENT)
    assert resident.presence is R.RESIDENT and resident.active and resident.contact_phone == ""

    message = invalid(world, "rota", organisation.create_department,
                      DepartmentInput(name="区住房和城乡建设局", presence=R.ROTATING))
    assert message.startswith("轮驻部门须填写轮驻安排")
    rotating = world.department("区住房和城乡建设局", R.ROTATING, rota="每周一、三、五上午")
    assert rotating.rota == "每周一、三、五上午"

    on_call = DepartmentInput(name="公安甘州分局", presence=R.ON_CALL)
    assert invalid(world, "contact_person", organisation.create_department, on_call).startswith(
        "随叫随驻部门须填写联系人")
    on_call = DepartmentInput(name="公安甘州分局", presence=R.ON_CALL, contact_person="刘警官")
    assert invalid(world, "contact_phone", organisation.create_department, on_call) == (
        "随叫随驻部门须填写联系人的电话。")
    on_call = DepartmentInput(name="公安甘州分局", presence=R.ON_CALL, contact_person="刘警官", contact_phone="12345")
    assert invalid(world, "contact_phone", organisation.create_department, on_call) == (
        "手机号码应为 11 位，现在是 5 位。")
    saved = world.department("公安甘州分局", R.ON_CALL, contact_person="刘警官", contact_phone="0936 8212345")
    assert saved.contact_phone == "0936-8212345"  # cleaned by the shared phone check
    mobile = world.department("区综合执法局", R.ON_CALL, contact_person="马队", contact_phone="138 0000 1234")
    assert mobile.contact_phone == "13800001234"
    # A resident department's phone is optional, but checked when given.
    assert invalid(world, "contact_phone", organisation.create_department,
                   DepartmentInput(name="区民政局", contact_phone="8212345")) == "固定电话请加区号，如 0936-8212345。"
    assert audit_actions(world.db, "department") == ["create_department"] * 4


def test_update_department_checks_the_mode_it_changes_to(world: World) -> None:
    department = world.department("区民政局")
    change = DepartmentInput(name="区民政局", presence=R.ROTATING)
    invalid(world, "rota", organisation.update_department, department.id, change,
            expected_version=department.version)
    saved = world.write(organisation.update_department, department.id,
                        DepartmentInput(name="区民政局", presence=R.ROTATING, rota="每周二全天"),
                        expected_version=department.version)
    assert saved.item.presence is R.ROTATING and saved.item.version == department.version + 1
    with world.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update_department")).one()
        assert entry.detail == {"presence": ["resident", "rotating"], "rota": ["", "每周二全天"]}


def test_someone_else_saved_first_is_a_conflict_not_an_overwrite(world: World) -> None:
    department = world.department("区民政局")
    world.write(organisation.update_department, department.id, DepartmentInput(name="区民政局（社会救助）"),
                expected_version=department.version)
    with pytest.raises(Conflict) as caught, world.db.write() as session:
        organisation.update_department(session, world.head, department.id, DepartmentInput(name="区民政局二"),
                                       expected_version=department.version)
    assert caught.value.message.startswith("进驻部门“区民政局（社会救助）”已被他人修改并保存")
    assert "请重新载入后再修改" in caught.value.message
    assert world.department_now(department.id).name == "区民政局（社会救助）"
    with pytest.raises(Conflict), world.db.write() as session:
        organisation.deactivate_department(session, world.admin, department.id, expected_version=department.version)
    assert world.department_now(department.id).active


def test_a_race_lost_between_reading_and_writing_is_a_conflict(world: World) -> None:
    """The version matched when checked, but another desk's UPDATE landed before ours."""
    department = world.department("区民政局")
    with pytest.raises(Conflict, match="已被他人修改"), world.db.write() as session:
        session.get(Department, department.id)  # the row as this desk read it
        session.connection().execute(text("UPDATE department SET version = version + 1 WHERE id = :id"),
                                     {"id": department.id})
        organisation.update_department(session, world.admin, department.id, DepartmentInput(name="区民政局二"),
                                       expected_version=department.version)
    assert world.department_now(department.id).name == "区民政局"


def test_a_department_with_active_staff_cannot_be_deactivated(world: World) -> None:
    department = world.department("区人社局")
    staff = world.mediator("周志刚", department.id)
    message = invalid(world, "active", organisation.deactivate_department, department.id)
    assert message == ("“区人社局”还有 1 名在岗的常驻调解员：周志刚。请先把他们改到其他部门或停用，再停用该部门。")
    assert world.department_now(department.id).mediator_names == ("周志刚",)
    world.write(organisation.deactivate_mediator, staff.id)
    saved = world.write(organisation.deactivate_department, department.id)
    assert not saved.item.active and saved.item.mediator_names == ()
    with world.db.read() as session:
        assert session.get_one(Department, department.id).name == "区人社局"  # kept, only inactive
        assert session.get_one(Mediator, staff.id).department_id == department.id
    # A stationed mediator cannot be put in the inactive department, nor come back into it.
    invalid(world, "department", organisation.create_mediator,
            MediatorInput(name="新人", kind=MediatorKind.STATIONED, department_id=department.id))
    message = invalid(world, "department", organisation.reactivate_mediator, staff.id)
    assert "所属部门“区人社局”已停用" in message
    world.write(organisation.reactivate_department, department.id)
    assert world.write(organisation.reactivate_mediator, staff.id).item.active
    assert audit_actions(world.db, "department") == ["create_department", "deactivate_department",
                                                     "reactivate_department"]


def test_listing_hides_inactive_rows_on_request(world: World) -> None:
    world.department("区司法局")
    gone = world.department("区物价局")
    world.write(organisation.deactivate_department, gone.id)
    assert [d.name for d in world.read(organisation.list_departments)] == ["区司法局", "区物价局"]
    assert [d.name for d in world.read(organisation.list_departments, include_inactive=False)] == ["区司法局"]


# --------------------------------------------------------------------------- mediators


def test_stationed_mediators_need_a_department_and_volunteers_have_none(world: World) -> None:
    department = world.department("区司法局")
    assert invalid(world, "department", organisation.create_mediator,
                   MediatorInput(name="张国栋", kind=MediatorKind.STATIONED)) == "常驻人员须选择所属的进驻部门。"
    assert invalid(world, "department", organisation.create_mediator,
                   MediatorInput(name="何永福", kind=MediatorKind.VOLUNTEER, department_id=department.id)
                   ) == "义务调解员不属于任何进驻部门，请把“所属部门”留空。"
    assert invalid(world, "name", organisation.create_mediator, MediatorInput(name="")) == "请填写调解员姓名。"
    assert "手机号码应为 11 位" in invalid(world, "phone", organisation.create_mediator, MediatorInput(
        name="张国栋", kind=MediatorKind.STATIONED, department_id=department.id, phone="139123"))

    saved = world.write(organisation.create_mediator, MediatorInput(
        name="张国栋", kind=MediatorKind.STATIONED, department_id=department.id, phone="139 1234 5678",
        specialties="土地承包", declared_relations="  张三（表兄）\n\n李四（同学） \n", address="梁家墩镇四村"))
    stationed = saved.item
    assert (stationed.kind, stationed.department_name, stationed.phone) == (
        MediatorKind.STATIONED, "区司法局", "13912345678")
    assert stationed.declared_relations == "张三（表兄）\n李四（同学）"  # one relation per line, blanks dropped
    assert saved.notes == ("“张国栋”还没有加入任何调解团队，请在“调解团队”中把其加入相应团队。",)
    volunteer = world.mediator("何永福", specialties="退休干部，熟悉农村事务")
    assert volunteer.kind is MediatorKind.VOLUNTEER and volunteer.department_id is None
    assert volunteer.department_name == ""


def test_a_second_mediator_of_the_same_name_is_told_how_to_tell_them_apart(world: World) -> None:
    department = world.department("区司法局")
    first = world.mediator("张伟", department.id)
    message = invalid(world, "name", organisation.create_mediator,
                      MediatorInput(name="张伟", kind=MediatorKind.VOLUNTEER))
    assert message == "已有同名调解员“张伟”（区司法局）。如确是另一个人，请在姓名后注明以便区分，如“张伟（大满镇）”。"
    world.mediator("张伟（大满镇）")
    # Saving the first one again under its own name is not a duplicate.
    saved = world.write(organisation.update_mediator, first.id, MediatorInput(
        name="张伟", kind=MediatorKind.STATIONED, department_id=department.id, phone="13912345678"),
        expected_version=first.version)
    assert saved.item.phone == "13912345678" and saved.item.version == first.version + 1


def test_a_mediator_turning_volunteer_drops_the_department(world: World) -> None:
    department = world.department("区司法局")
    mediator = world.mediator("宋长海", department.id)
    change = MediatorInput(name="宋长海", kind=MediatorKind.VOLUNTEER, department_id=department.id)
    invalid(world, "department", organisation.update_mediator, mediator.id, change, expected_version=mediator.version)
    saved = world.write(organisation.update_mediator, mediator.id,
                        MediatorInput(name="宋长海", kind=MediatorKind.VOLUNTEER, specialties="退休法官"),
                        expected_version=mediator.version)
    assert saved.item.kind is MediatorKind.VOLUNTEER and saved.item.department_id is None
    with pytest.raises(Conflict, match="调解员“宋长海”已被他人修改"), world.db.write() as session:
        organisation.update_mediator(session, world.admin, mediator.id, change, expected_version=mediator.version)


# --------------------------------------------------------------------------- teams


@pytest.fixture
def staffed(world: World) -> tuple[World, list[MediatorInfo]]:
    department = world.department("区司法局")
    people = [world.mediator(n, department.id) for n in ("李建国", "马玉兰")] + [world.mediator("韩德胜")]
    return world, people


def test_create_a_team_with_types_members_and_a_lead(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, han) = staffed
    team = world.team("城建物业调解团队", ["物业", "邻里"], [ma, li, han], lead=li)
    assert team.name == "城建物业调解团队" and team.active
    assert team.dispute_types == ("邻里", "物业")  # in the order of the dispute type list
    assert (team.lead_mediator_id, team.lead_name) == (li.id, "李建国")
    assert team.member_names == ("李建国", "马玉兰", "韩德胜")  # the lead first
    assert team.open_cases == 0
    assert world.mediator_now(ma.id).team_names == ("城建物业调解团队",)
    assert world.mediator_now(li.id).leads_teams == ("城建物业调解团队",)
    with world.db.read() as session:
        joined = session.scalars(select(TeamMember.joined_on).where(TeamMember.team_id == team.id)).all()
    assert set(joined) == {now().date()}
    assert audit_actions(world.db, "team") == ["create_team"]


def test_team_rules(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, han) = staffed
    types = [dispute_type_id(world.db, "物业")]
    create = organisation.create_team
    assert invalid(world, "name", create, TeamInput(name="", dispute_type_ids=types)) == "请填写团队名称。"
    assert invalid(world, "dispute_types", create, TeamInput(name="甲", member_ids=[li.id], lead_mediator_id=li.id)
                   ) == "请至少选择一种本团队承办的纠纷类型。"
    assert invalid(world, "lead", create, TeamInput(name="甲", dispute_type_ids=types, member_ids=[li.id])
                   ).startswith("请指定团队负责人")
    message = invalid(world, "lead", create, TeamInput(name="甲", dispute_type_ids=types, member_ids=[ma.id],
                                                       lead_mediator_id=li.id))
    assert message == "团队负责人必须是本团队的成员：请先把“李建国”勾选为成员，或另选负责人。"
    world.write(organisation.deactivate_mediator, han.id)
    message = invalid(world, "members", create, TeamInput(name="甲", dispute_type_ids=types,
                                                          member_ids=[li.id, han.id], lead_mediator_id=li.id))
    assert message == "调解员“韩德胜”已停用，不能加入团队。请先启用，或取消勾选。"
    message = invalid(world, "lead", create, TeamInput(name="甲", dispute_type_ids=types, member_ids=[li.id],
                                                       lead_mediator_id=han.id))
    assert message.startswith("“韩德胜”已停用，不能担任团队负责人")
    world.team("甲", ["物业"], [li], lead=li)
    message = invalid(world, "name", create, TeamInput(name="甲", dispute_type_ids=types, member_ids=[ma.id],
                                                       lead_mediator_id=ma.id))
    assert message == "已有名为“甲”的调解团队，请换一个名称。"


def test_a_type_may_be_handled_by_several_teams_but_uncovered_types_are_noted(
        staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, _han) = staffed
    first = world.team("城建物业调解团队", ["物业", "消防"], [li], lead=li)
    second = world.team("综合调解团队", ["物业", "邻里"], [ma], lead=ma)
    with world.db.read() as session:
        uncovered = organisation.uncovered_dispute_types(session)
    assert "物业" not in uncovered and "消防" not in uncovered and "婚姻家庭" in uncovered
    # Taking 物业 from one team leaves it with the other: nothing to say.
    saved = world.write(organisation.update_team, first.id, TeamInput(
        name=first.name, dispute_type_ids=[dispute_type_id(world.db, "消防")], member_ids=[li.id],
        lead_mediator_id=li.id), expected_version=first.version)
    assert saved.notes == ()
    # Taking 消防 from its only team leaves it with none.
    saved = world.write(organisation.update_team, first.id, TeamInput(
        name=first.name, dispute_type_ids=[dispute_type_id(world.db, "邻里")], member_ids=[li.id],
        lead_mediator_id=li.id), expected_version=saved.item.version)
    assert saved.notes == ("纠纷类型“消防”现在没有在岗的调解团队承办，这类案件分派时将无团队可选。"
                           "请把它交给某个团队（一个类型可以由几个团队承办）。",)
    # Deactivating the only team of 物业 notes it; 邻里 is still handled by the first team.
    saved = world.write(organisation.deactivate_team, second.id)
    assert not saved.item.active
    assert len(saved.notes) == 1 and "“物业”" in saved.notes[0] and "邻里" not in saved.notes[0]
    with world.db.read() as session:
        org = organisation.load_organisation(session, world.clerk)
    assert "物业" in org.uncovered_types and "消防" in org.uncovered_types and "邻里" not in org.uncovered_types


def test_changing_members_ends_memberships_without_deleting_them(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, han) = staffed
    team = world.team("劳资社保调解团队", ["劳动争议"], [li, ma, han], lead=li)
    types = [dispute_type_id(world.db, "劳动争议")]
    saved = world.write(organisation.update_team, team.id, TeamInput(
        name=team.name, dispute_type_ids=types, member_ids=[li.id, han.id], lead_mediator_id=han.id),
        expected_version=team.version)
    assert saved.item.member_names == ("韩德胜", "李建国") and saved.item.lead_name == "韩德胜"
    with world.db.read() as session:
        rows = {r.mediator_id: r for r in session.scalars(select(TeamMember).where(TeamMember.team_id == team.id))}
    assert len(rows) == 3 and rows[ma.id].left_on == now().date() and rows[li.id].left_on is None
    assert world.mediator_now(ma.id).team_names == ()
    # Coming back reopens the same row (one per team and mediator).
    saved = world.write(organisation.update_team, team.id, TeamInput(
        name=team.name, dispute_type_ids=types, member_ids=[li.id, han.id, ma.id], lead_mediator_id=han.id),
        expected_version=saved.item.version)
    assert "马玉兰" in saved.item.member_names
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)) == 3
    with world.db.read() as session:
        details = [e.detail for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "update_team"))]
    assert details[0] == {"lead_mediator_id": [li.id, han.id],
                          "member_ids": [sorted([li.id, ma.id, han.id]), sorted([li.id, han.id])]}


def test_a_stale_team_form_is_a_conflict(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, _han) = staffed
    team = world.team("婚姻家庭调解团队", ["婚姻家庭"], [li, ma], lead=li)
    # Another desk takes 马玉兰 off the roster: the team's member list changed under this form.
    world.write(organisation.deactivate_mediator, ma.id)
    assert world.team_now(team.id).version == team.version + 1
    with pytest.raises(Conflict, match="调解团队“婚姻家庭调解团队”已被他人修改并保存"), world.db.write() as session:
        organisation.update_team(session, world.admin, team.id, TeamInput(
            name="婚姻家庭调解团队", dispute_type_ids=list(team.dispute_type_ids), member_ids=[li.id, ma.id],
            lead_mediator_id=li.id), expected_version=team.version)


# --------------------------------------------------------------------------- deactivating people


def test_a_team_lead_cannot_be_deactivated_until_another_lead_is_picked(
        staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, _han) = staffed
    world.team("农林水牧调解团队", ["山林土地"], [li, ma], lead=li)
    world.team("医疗交通综合调解团队", ["医疗"], [li], lead=li)
    message = invalid(world, "active", organisation.deactivate_mediator, li.id)
    assert message == ("“李建国”是“农林水牧调解团队”、“医疗交通综合调解团队”的负责人。"
                       "请先在“调解团队”中为该团队另选负责人，再停用。")
    assert world.mediator_now(li.id).active


def test_deactivating_a_mediator_keeps_their_history(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, _han) = staffed
    team = world.team("城建物业调解团队", ["物业"], [li, ma], lead=li)
    mediator_user = make_user(world.db, "ma", Role.MEDIATOR, mediator_id=ma.id)
    assert mediator_user.team_ids == frozenset({team.id})
    case_id = register(world.db, world.clerk, title="物业服务费纠纷")
    with world.db.write() as session:
        workflow.transition(session, world.clerk, case_id, workflow.Action.ACCEPT)
    with world.db.write() as session:
        cases.assign_case(session, world.clerk, case_id, team_id=team.id, lead_mediator_id=ma.id)
    assert world.team_now(team.id).open_cases == 1
    assert world.mediator_now(ma.id).open_cases == 1

    saved = world.write(organisation.deactivate_mediator, ma.id, expected_version=ma.version)
    assert not saved.item.active and saved.item.team_names == ()
    assert saved.notes == ("“马玉兰”仍是 1 件未办结案件的承办调解员，请及时安排他人接手。",
                           "其登录账户“ma”仍可登录；如需停用，请在“用户管理”中操作。")
    with world.db.read() as session:
        row = session.scalars(select(TeamMember).where(TeamMember.mediator_id == ma.id)).one()
        assert row.left_on == now().date() and row.team_id == team.id  # ended, not deleted
        assert session.get_one(Mediator, ma.id).name == "马玉兰"
    assert world.team_now(team.id).member_names == ("李建国",)
    # The case still names her: on its detail and in the case list.
    with world.db.read() as session:
        assert cases.case_detail(session, world.head, case_id).lead_mediator == "马玉兰"
        rows = caselist.fetch_window(session, world.head, CaseQuery(filter=CaseFilter()), 0, 50, total=50)
    assert next(r for r in rows if r.id == case_id).lead_mediator == "马玉兰"
    # She is listed (inactive) and no longer offered where only active people are.
    assert [m.name for m in world.read(organisation.list_mediators, include_inactive=False)] == ["李建国", "韩德胜"]
    assert world.read(organisation.list_mediators)[1].active is False
    # Deactivating again changes nothing; reactivating does not put her back in the team.
    assert world.write(organisation.deactivate_mediator, ma.id).notes == ()
    back = world.write(organisation.reactivate_mediator, ma.id)
    assert back.item.active and back.item.team_names == ()
    assert back.notes == ("“马玉兰”已恢复在岗，但不会自动回到原来的团队；如需要，请在“调解团队”中重新加入。",)
    assert audit_actions(world.db, "mediator").count("deactivate_mediator") == 1


def test_a_team_whose_lead_left_needs_a_new_lead_to_come_back(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, ma, _han) = staffed
    team = world.team("劳资社保调解团队", ["劳动争议"], [li, ma], lead=li)
    world.write(organisation.deactivate_team, team.id)
    world.write(organisation.deactivate_mediator, li.id)  # an inactive team's lead may go
    message = invalid(world, "lead", organisation.reactivate_team, team.id)
    assert message.startswith("原负责人“李建国”已停用或已离开该团队")
    current = world.team_now(team.id)
    world.write(organisation.update_team, team.id, TeamInput(
        name=team.name, dispute_type_ids=list(team.dispute_type_ids), member_ids=[ma.id], lead_mediator_id=ma.id),
        expected_version=current.version)
    saved = world.write(organisation.reactivate_team, team.id)
    assert saved.item.active and saved.item.lead_name == "马玉兰"
    assert audit_actions(world.db, "team") == ["create_team", "deactivate_team", "update_team", "reactivate_team"]


def test_deactivating_a_team_with_open_cases_says_so(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, _ma, _han) = staffed
    team = world.team("城建物业调解团队", ["物业"], [li], lead=li)
    world.team("备用团队", ["物业"], [li], lead=li)
    case_id = register(world.db, world.clerk)
    with world.db.write() as session:
        workflow.transition(session, world.clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, world.clerk, case_id, team_id=team.id)
    saved = world.write(organisation.deactivate_team, team.id, actor=world.head)
    assert saved.notes == ("该团队还有 1 件未办结的案件，仍由原团队成员办理；新案件不会再分派给它。",)
    assert saved.item.open_cases == 1 and saved.item.member_names == ("李建国",)  # members stay


def test_load_organisation_gathers_everything(staffed: tuple[World, list[MediatorInfo]]) -> None:
    world, (li, _ma, han) = staffed
    world.team("城建物业调解团队", ["物业"], [li, han], lead=li)
    with world.db.read() as session:
        org = organisation.load_organisation(session, world.clerk)
    assert [d.name for d in org.departments] == ["区司法局"]
    assert org.departments[0].mediator_names == ("李建国", "马玉兰")
    assert [m.name for m in org.mediators] == ["李建国", "马玉兰", "韩德胜"]
    assert org.mediators[2].team_names == ("城建物业调解团队",) and org.mediators[1].team_names == ()
    assert [t.name for t in org.teams] == ["城建物业调解团队"]
    assert len(org.dispute_types) == 17 and not org.can_edit
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Team)) == 1
