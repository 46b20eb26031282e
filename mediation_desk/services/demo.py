"""A believable demo center, generated offline: the people, the teams and a year of cases.

The center is modelled on 甘州区 in 张掖市 (seeds/002). Cases follow the real workflow: each
one's state is reached through the transitions a center would have made, with timeline events
at plausible dates, and its number is issued in the order cases were received.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from ..models import (
    Base,
    CaseEvent,
    CaseState,
    Department,
    DisputeCase,
    DisputeType,
    Diversion,
    DiversionBody,
    EventKind,
    Gender,
    IdDocumentType,
    Mediator,
    MediatorKind,
    Party,
    PartyKind,
    PartyRole,
    Performance,
    PresenceMode,
    ReturnVisit,
    RiskLevel,
    Role,
    Satisfaction,
    SourceChannel,
    Team,
    TeamMember,
    User,
    now,
)
from . import audit, auth, center, clocks, reference
from .actor import Actor
from .numbering import format_case_number, reserve_through
from .workflow import TRANSITIONS, Action

DEMO_PASSWORD = "Demo@2026"
DEMO_USERS = (
    ("clerk", "王晓燕", Role.INTAKE),
    ("mediator", "李建国", Role.MEDIATOR),
    ("head", "陈志强", Role.HEAD),
    ("admin", "赵磊", Role.ADMIN),
)

DEPARTMENTS = (
    ("区信访局", PresenceMode.RESIDENT), ("区委政法委", PresenceMode.RESIDENT), ("区司法局", PresenceMode.RESIDENT),
    ("区人力资源和社会保障局", PresenceMode.RESIDENT), ("区住房和城乡建设局", PresenceMode.ROTATING),
    ("区市场监督管理局", PresenceMode.ROTATING), ("区自然资源局", PresenceMode.ROTATING),
    ("区民政局", PresenceMode.ROTATING), ("区综合执法局", PresenceMode.ON_CALL),
    ("公安甘州分局", PresenceMode.ON_CALL), ("区人民法院", PresenceMode.ROTATING),
    ("中国人民财产保险甘州支公司", PresenceMode.ON_CALL), ("甘肃正道律师事务所", PresenceMode.ROTATING),
)

TEAMS = (
    ("农林水牧调解团队", ("山林土地", "房屋宅基地", "征地拆迁", "环境污染", "生产经营")),
    ("城建物业调解团队", ("物业", "合同", "消费", "消防", "邻里")),
    ("劳资社保调解团队", ("劳动争议", "拖欠农民工工资")),
    ("婚姻家庭调解团队", ("婚姻家庭",)),
    ("医疗交通综合调解团队", ("医疗", "道路交通事故", "损害赔偿", "其他")),
)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟"
    "汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "皇甫", "慕容")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海燕春梅金凤东亮辉鹏飞雪琴云玲德福宝山林"
RARE_GIVEN = ("堃", "喆", "昇", "䶮", "𠮷", "珺", "燚", "犇")
ETHNICITIES = ("汉族",) * 18 + ("回族", "裕固族", "藏族", "蒙古族")
OCCUPATIONS = ("农民", "个体工商户", "务工人员", "退休职工", "教师", "司机", "公司职员", "无业", "厨师", "建筑工人")
TOWNS = ("梁家墩镇", "上秦镇", "大满镇", "沙井镇", "乌江镇", "甘浚镇", "新墩镇", "党寨镇", "碱滩镇", "三闸镇", "明永镇")
STREETS = ("东街街道", "南街街道", "西街街道", "北街街道", "火车站街道", "新墩街道")
VILLAGES = ("一村", "二村", "三村", "四村", "五社区", "六社区", "古城村", "五里墩村", "刘家庄村", "西洞村")
COMPANIES = (
    "张掖市金源物业服务有限公司", "甘州区宏达建筑工程有限公司", "张掖市绿洲农业发展有限公司",
    "甘州区鑫盛商贸有限责任公司", "张掖市祁连劳务派遣有限公司", "甘州区恒通汽车运输有限公司",
)
MEDIATOR_NAMES = (
    "李建国", "马玉兰", "张国栋", "刘桂英", "周志刚", "杨丽华", "何永福", "冯秀兰", "韩德胜", "许春梅",
    "宋长海", "郭淑珍", "孙立新", "罗建华", "谢文斌", "唐玉梅", "高振山", "董金花", "魏守仁", "田桂珍",
    "胡德明", "赵凤英", "程国庆", "曹振华", "彭玉林",
)

TITLES: dict[str, tuple[str, ...]] = {
    "婚姻家庭": ("离婚后子女抚养费纠纷", "赡养老人费用分担纠纷", "婚前彩礼返还纠纷", "家庭财产分割纠纷"),
    "邻里": ("相邻通行纠纷", "排水引发邻里纠纷", "噪音扰民纠纷", "院墙界址纠纷"),
    "房屋宅基地": ("宅基地界址纠纷", "房屋买卖过户纠纷", "房屋租赁押金纠纷", "老宅继承分割纠纷"),
    "合同": ("买卖合同货款纠纷", "装修合同质量纠纷", "借款合同还款纠纷", "农资购销合同纠纷"),
    "生产经营": ("合伙经营分红纠纷", "养殖场承包经营纠纷", "门店转让纠纷"),
    "损害赔偿": ("牲畜毁损庄稼赔偿纠纷", "人身损害赔偿纠纷", "财产损害赔偿纠纷"),
    "山林土地": ("土地承包经营权纠纷", "林地界址纠纷", "土地流转租金纠纷", "灌溉用水纠纷"),
    "征地拆迁": ("征地补偿款分配纠纷", "拆迁安置面积纠纷"),
    "环境污染": ("养殖异味污染纠纷", "粉尘污染纠纷"),
    "劳动争议": ("解除劳动合同经济补偿纠纷", "工伤待遇纠纷", "未签劳动合同双倍工资纠纷"),
    "拖欠农民工工资": ("建筑工地拖欠工资纠纷", "劳务班组拖欠工资纠纷", "农忙季节工工资纠纷"),
    "消费": ("家电质量退换纠纷", "预付卡退费纠纷", "二手车买卖纠纷"),
    "医疗": ("诊疗过程医疗损害纠纷", "医疗费用争议"),
    "道路交通事故": ("交通事故损害赔偿纠纷", "电动车碰撞赔偿纠纷"),
    "物业": ("物业服务费纠纷", "小区停车位纠纷", "电梯维修费用分摊纠纷"),
    "消防": ("消防通道占用纠纷",),
    "其他": ("公共设施使用纠纷", "宠物伤人纠纷"),
}

# 620702 is 甘州区; the two others are neighbouring counties of 张掖.
REGION_CODES = ("620702", "620702", "620702", "620721", "620723")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 3, 6, 1, 2, 1, 1, 2, 3, 4, 10, 10)
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def resident_id(rng: random.Random, birth: date, gender: Gender) -> str:
    """A syntactically valid 18-digit resident ID (GB 11643) that belongs to nobody real."""
    order = rng.randrange(0, 500) * 2 + (1 if gender is Gender.MALE else 0)
    body = f"{rng.choice(REGION_CODES)}{birth:%Y%m%d}{order:03d}"
    total = sum(int(d) * w for d, w in zip(body, _CHECK_WEIGHTS, strict=True))
    return body + _CHECK_CHARS[total % 11]


def person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
    pool = GIVEN
    first = rng.choice(RARE_GIVEN) if rng.random() < 0.03 else rng.choice(pool)
    return surname + (first if rng.random() < 0.3 else first + rng.choice(pool))


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}"


# The transitions that lead from 登记 to each state, as a center would take them.
_PATHS: dict[CaseState, tuple[tuple[Action, ...], ...]] = {
    CaseState.REGISTERED: ((),),
    CaseState.REJECTED: ((Action.REJECT,),),
    CaseState.ACCEPTED: ((Action.ACCEPT,),),
    CaseState.DIVERTED: ((Action.ACCEPT, Action.DIVERT),),
    CaseState.ASSIGNED: ((Action.ACCEPT, Action.ASSIGN),),
    CaseState.IN_MEDIATION: ((Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION),),
    CaseState.SUCCEEDED: ((Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED),),
    CaseState.FAILED: ((Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL),),
    CaseState.TRANSFERRED: ((Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL, Action.TRANSFER),),
    CaseState.WITHDRAWN: ((Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.WITHDRAW),),
    CaseState.CLOSURE_REVIEW: (
        (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED, Action.SUBMIT_FOR_REVIEW),
        (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL, Action.TRANSFER,
         Action.SUBMIT_FOR_REVIEW),
    ),
    CaseState.CLOSED: (
        (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED, Action.SUBMIT_FOR_REVIEW,
         Action.APPROVE_CLOSURE),
        (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL, Action.TRANSFER,
         Action.SUBMIT_FOR_REVIEW, Action.APPROVE_CLOSURE),
        (Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.WITHDRAW, Action.SUBMIT_FOR_REVIEW,
         Action.APPROVE_CLOSURE),
        (Action.ACCEPT, Action.DIVERT, Action.SUBMIT_FOR_REVIEW, Action.APPROVE_CLOSURE),
    ),
}
# Visits and the 12345 hotline bring most disputes; the rest come by the other channels.
_CHANNEL_WEIGHTS = (40, 18, 3, 8, 12, 5, 4, 4, 3, 3)
# Disputes where the respondent is usually an employer or a company.
_EMPLOYER_OR_COMPANY_TYPES = frozenset({"劳动争议", "拖欠农民工工资", "物业", "消费"})
# About two in three mediations succeed (the seeds' center reports 62.77 %).
_CLOSED_PATH_WEIGHTS = (64, 20, 8, 8)

_NOTES: dict[Action, tuple[str, ...]] = {
    Action.REJECT: ("不属于人民调解受理范围，已告知当事人向有关部门反映", "已进入诉讼程序，告知当事人等待法院处理"),
    Action.DIVERT: ("分流至属地村调委会调解", "分流至区人民法院诉前调解", "转区信访局依法处理"),
    Action.FAIL: ("双方对赔偿数额分歧较大，未能达成协议", "被申请人拒绝继续调解", "双方对事实认定意见不一"),
    Action.WITHDRAW: ("双方自行和解，申请人撤回调解申请", "申请人撤回申请"),
    Action.TRANSFER: ("移送区人民法院立案庭，走诉讼绿色通道", "转区人社局劳动保障监察大队处理"),
}


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    teams: int
    mediators: int
    users: int
    cases: int


def _pick_state(rng: random.Random, age_days: int) -> CaseState:
    if age_days > 75:
        return rng.choices((CaseState.CLOSED, CaseState.CLOSURE_REVIEW, CaseState.REJECTED, CaseState.IN_MEDIATION),
                           (88, 4, 3, 5))[0]
    if age_days > 30:
        return rng.choices(
            (CaseState.CLOSED, CaseState.CLOSURE_REVIEW, CaseState.IN_MEDIATION, CaseState.SUCCEEDED,
             CaseState.FAILED, CaseState.TRANSFERRED, CaseState.WITHDRAWN, CaseState.DIVERTED),
            (45, 10, 20, 8, 5, 5, 3, 4),
        )[0]
    return rng.choices(
        (CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION,
         CaseState.SUCCEEDED, CaseState.FAILED, CaseState.REJECTED, CaseState.CLOSURE_REVIEW),
        (8, 10, 15, 40, 12, 5, 3, 7),
    )[0]


def seed_organisation(session: Session, actor: Actor, rng: random.Random) -> tuple[int, int, int, int]:
    """Departments, teams, mediators, one account per role and the center's settings."""
    reference.ensure_dispute_types(session)
    center.set_setting(session, "center_name", "张掖市甘州区矛盾纠纷调处中心")
    center.set_setting(session, "case_number_prefix", "甘矛调")
    center.set_setting(session, "is_demo", "1")
    center.set_setting(session, "center_address", "张掖市甘州区县府街 88 号便民服务大厅一楼")
    center.set_setting(session, "center_phone", "0936-8212345")
    departments = [
        Department(name=name, presence=mode, contact_person=person_name(rng), contact_phone=mobile(rng),
                   rota="每周一、三、五上午" if mode is PresenceMode.ROTATING else "")
        for name, mode in DEPARTMENTS
    ]
    session.add_all(departments)
    session.flush()
    mediators = []
    for i, name in enumerate(MEDIATOR_NAMES):
        volunteer = i % 3 == 2
        mediators.append(
            Mediator(
                name=name,
                kind=MediatorKind.VOLUNTEER if volunteer else MediatorKind.STATIONED,
                department_id=None if volunteer else departments[i % len(departments)].id,
                phone=mobile(rng),
                specialties="退休干部，熟悉农村事务" if volunteer else "",
            )
        )
    session.add_all(mediators)
    session.flush()
    types = {t.name: t for t in session.scalars(select(DisputeType))}
    for index, (team_name, type_names) in enumerate(TEAMS):
        members = mediators[index * 5:(index + 1) * 5]
        team = Team(name=team_name, lead_mediator_id=members[0].id, dispute_types=[types[n] for n in type_names])
        team.members = [TeamMember(mediator_id=m.id, joined_on=date(2024, 1, 2)) for m in members]
        session.add(team)
    session.flush()
    for username, display_name, role in DEMO_USERS:
        mediator_id = mediators[0].id if role is Role.MEDIATOR else None
        auth.create_user(session, actor, username=username, display_name=display_name, role=role,
                         password=DEMO_PASSWORD, mediator_id=mediator_id, must_change_password=False)
    return len(departments), len(TEAMS), len(mediators), len(DEMO_USERS)


def generate_cases(session: Session, count: int, *, rng: random.Random, today: datetime | None = None,
                   chunk: int = 5000, progress: Callable[[int, int], None] | None = None) -> int:
    """Insert ``count`` cases received over the last 12 months, with parties and timelines."""
    if count <= 0:
        return 0
    moment = today or now()
    types = {t.name: t.id for t in session.scalars(select(DisputeType))}
    teams = list(session.scalars(select(Team).order_by(Team.id)))
    team_for_type = {types[n]: t for t, (_, names) in zip(teams, TEAMS, strict=False) for n in names}
    members = {t.id: [m.mediator_id for m in t.members] for t in teams}
    users = dict(session.execute(select(User.role, User.id)).all())
    prefix = center.get_setting(session, "case_number_prefix")
    type_ids = list(types.values())
    type_weights = [12 if n in ("邻里", "婚姻家庭", "拖欠农民工工资", "物业") else 4 for n in types]

    start = moment - timedelta(days=365)
    span = int((moment - start).total_seconds())
    # Working hours of a counter: 8:30-12:00 and 14:30-18:00.
    received = sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(count))
    received = [_counter_hours(r, rng, moment) for r in received]
    received.sort()

    next_case_id = (session.scalar(select(func.max(DisputeCase.id))) or 0) + 1
    next_party_id = (session.scalar(select(func.max(Party.id))) or 0) + 1
    seq_by_year: dict[int, int] = {}
    for year in {r.year for r in received}:
        seq_by_year[year] = _issued(session, year)

    cases: list[dict[str, Any]] = []
    parties: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    diversions: list[dict[str, Any]] = []

    def flush() -> None:
        if cases:
            # Core inserts of plain rows: the ORM's per-object bookkeeping would cost 5x here.
            tables = Base.metadata.tables
            session.execute(insert(tables[DisputeCase.__tablename__]), cases)
            session.execute(insert(tables[Party.__tablename__]), parties)
            session.execute(insert(tables[CaseEvent.__tablename__]), events)
            if visits:
                session.execute(insert(tables[ReturnVisit.__tablename__]), visits)
            if diversions:
                session.execute(insert(tables[Diversion.__tablename__]), diversions)
        for rows in (cases, parties, events, visits, diversions):
            rows.clear()

    for n, at in enumerate(received):
        year = at.year
        seq_by_year[year] += 1
        seq = seq_by_year[year]
        type_id = rng.choices(type_ids, type_weights)[0]
        type_name = next(name for name, tid in types.items() if tid == type_id)
        state = _pick_state(rng, (moment - at).days)
        paths = _PATHS[state]
        path = paths[0] if len(paths) == 1 else rng.choices(paths, _CLOSED_PATH_WEIGHTS[: len(paths)])[0]
        team = team_for_type.get(type_id) or teams[-1]
        assigned = Action.ASSIGN in path
        lead = rng.choice(members[team.id]) if assigned else None
        case_id = next_case_id
        next_case_id += 1
        town = rng.choice(TOWNS + STREETS)
        village = rng.choice(VILLAGES)
        group = rng.random() < 0.04
        amount = (Decimal(rng.randrange(5, 2000)) * 100) if type_name not in ("邻里", "消防") else None

        # Timeline: one step every few days, never in the future.
        at_step = at
        timeline = [dict(case_id=case_id, at=at, user_id=users.get(Role.INTAKE), kind=EventKind.REGISTERED,
                         action="", from_state=None, to_state=CaseState.REGISTERED,
                         note=f"来源：{SourceChannel.VISIT.label}")]
        current = CaseState.REGISTERED
        accepted_at = closed_at = None
        for action in path:
            rule = TRANSITIONS[action]
            gap = timedelta(hours=rng.randrange(2, 24 * (6 if action is Action.SUCCEED else 3)))
            # Recent cases stop short of "now" by a few hours, as a real day's work would.
            cap = moment - timedelta(minutes=rng.randrange(5, 240))
            at_step = max(min(at_step + gap, cap), at_step)
            role = next(iter(sorted(rule.roles, key=list(Role).index)))
            note = rng.choice(_NOTES[action]) if action in _NOTES else ""
            if action is Action.ASSIGN:
                note = f"分派至{team.name}"
            timeline.append(dict(case_id=case_id, at=at_step, user_id=users.get(role), kind=EventKind.TRANSITION,
                                 action=str(action), from_state=current, to_state=rule.target, note=note))
            current = rule.target
            if rule.target is CaseState.ACCEPTED:
                accepted_at = at_step
            if rule.target in (CaseState.CLOSED, CaseState.REJECTED):
                closed_at = at_step
            if action is Action.DIVERT:
                diversions.append(_diversion(rng, case_id, at_step, users.get(Role.INTAKE), village))
            if action is Action.SUBMIT_FOR_REVIEW and diversions and diversions[-1]["case_id"] == case_id:
                # The body reported back before the case could go to review.
                diversions[-1]["feedback"] = rng.choice(_DIVERSION_FEEDBACK)
                diversions[-1]["feedback_at"] = max(at_step - timedelta(hours=rng.randrange(1, 48)),
                                                    diversions[-1]["sent_at"])
        assert current is state
        # Most closed mediations have had their first return visit by now.
        if state is CaseState.CLOSED and closed_at is not None and Action.ASSIGN in path and rng.random() < 0.97:
            visited_on = closed_at.date() + timedelta(days=rng.randrange(3, 25))
            if visited_on <= moment.date():
                visits.append(_visit(rng, case_id, visited_on, closed_at, success=Action.SUCCEED in path))

        cases.append(dict(
            id=case_id, number=format_case_number(year, prefix, seq), year=year, seq=seq,
            title=f"{village}{rng.choice(TITLES.get(type_name, TITLES['其他']))}", state=state,
            dispute_type_id=type_id, source_channel=rng.choices(list(SourceChannel), _CHANNEL_WEIGHTS)[0],
            risk_level=rng.choices(list(RiskLevel), (2, 5, 18, 75))[0], is_group_dispute=group,
            may_turn_criminal=rng.random() < 0.02,
            people_involved=rng.randrange(8, 60) if group else rng.randrange(2, 5),
            amount_involved=amount, address=f"张掖市甘州区{town}{village}", village=village,
            grid=f"{town}第{rng.randrange(1, 9)}网格", facts=_facts(type_name, amount),
            requests=_requests(type_name, amount), received_at=at, accepted_at=accepted_at, closed_at=closed_at,
            team_id=team.id if assigned else None, lead_mediator_id=lead, registered_by_id=users.get(Role.INTAKE),
            version=1, created_at=at, updated_at=at_step,
        ))
        events.extend(timeline)
        n_respondents = 1 + (rng.random() < 0.15)
        for i, party_role in enumerate([PartyRole.APPLICANT] + [PartyRole.RESPONDENT] * n_respondents
                                       + ([PartyRole.THIRD_PARTY] if rng.random() < 0.05 else [])):
            organisation = (
                party_role is PartyRole.RESPONDENT and type_name in _EMPLOYER_OR_COMPANY_TYPES and rng.random() < 0.7
            )
            parties.append(_party(rng, next_party_id, case_id, i, party_role, organisation, town, village, at))
            next_party_id += 1
        if len(cases) >= chunk:
            flush()
            if progress:
                progress(n + 1, count)
    flush()
    _advance_id_sequences(session, (DisputeCase.__tablename__, Party.__tablename__, CaseEvent.__tablename__))
    for year, seq in seq_by_year.items():
        reserve_through(session, year, seq)
    if progress:
        progress(count, count)
    return count


_DIVERSION_FEEDBACK = (
    "已由村调委会调解成功，双方签订口头协议", "法院诉前调解已结案", "已按信访程序答复当事人",
    "职能部门已依法处理并答复",
)


def _diversion(rng: random.Random, case_id: int, at: datetime, user_id: int | None, village: str) -> dict[str, Any]:
    body = rng.choices(list(DiversionBody), (60, 20, 10, 10))[0]
    names = {DiversionBody.VILLAGE_COMMITTEE: f"{village}人民调解委员会",
             DiversionBody.COURT_PRE_LITIGATION: "甘州区人民法院诉前调解中心",
             DiversionBody.PETITION_OFFICE: "甘州区信访局", DiversionBody.DEPARTMENT: "甘州区人力资源和社会保障局"}
    return dict(case_id=case_id, body=body, body_name=names[body], reason=rng.choice(_NOTES[Action.DIVERT]),
                sent_at=at, sent_by_id=user_id, feedback="", feedback_at=None, version=1, created_at=at,
                updated_at=at)


def _visit(rng: random.Random, case_id: int, visited_on: date, closed_at: datetime, *,
           success: bool) -> dict[str, Any]:
    performance = rng.choices(list(Performance), (85, 10, 5))[0] if success else None
    satisfaction = rng.choices(list(Satisfaction), (80, 17, 3))[0]
    notes = "协议已履行完毕，双方关系缓和，无新的矛盾隐患。" if performance is Performance.PERFORMED else (
        "回访了解当事人近况，已告知可依法维护自身权益。" if not success else "协议尚在履行中，已督促义务人按期履行。")
    at = datetime.combine(visited_on, closed_at.time())
    return dict(case_id=case_id, visited_on=visited_on, visitor="中心回访组", parties_visited="申请人、被申请人",
                performance=performance, satisfaction=satisfaction, notes=notes, version=1, created_at=at,
                updated_at=at)


def _advance_id_sequences(session: Session, tables: tuple[str, ...]) -> None:
    """Rows were inserted with explicit ids; PostgreSQL's serial counters must move past them
    (SQLite takes max(rowid) + 1 by itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")
        )


def _issued(session: Session, year: int) -> int:
    from ..models import CaseNumberSequence

    return session.scalar(select(CaseNumberSequence.last_value).where(CaseNumberSequence.year == year)) or 0


def _counter_hours(moment: datetime, rng: random.Random, latest: datetime) -> datetime:
    minutes = rng.choice((rng.randrange(8 * 60 + 30, 12 * 60), rng.randrange(14 * 60 + 30, 18 * 60)))
    at = moment.replace(hour=minutes // 60, minute=minutes % 60, second=rng.randrange(60), microsecond=0)
    return at if at <= latest else at - timedelta(days=1)


def _party(rng: random.Random, party_id: int, case_id: int, seq: int, role: PartyRole, organisation: bool,
           town: str, village: str, at: datetime) -> dict[str, Any]:
    if organisation:
        return dict(id=party_id, case_id=case_id, seq=seq, role=role, kind=PartyKind.LEGAL_PERSON,
                    name=rng.choice(COMPANIES), gender=None, ethnicity="", birth_date=None, id_type=None,
                    id_number="", occupation="", work_unit="", address=f"张掖市甘州区{town}",
                    phone=f"0936-{rng.randrange(8200000, 8299999)}", legal_representative=person_name(rng),
                    credit_code="", is_minor=False, agent_name="", agent_phone="", agent_authority="",
                    created_at=at, updated_at=at)
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    birth = date(rng.randrange(1950, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
    return dict(id=party_id, case_id=case_id, seq=seq, role=role, kind=PartyKind.PERSON, name=person_name(rng),
                gender=gender, ethnicity=rng.choice(ETHNICITIES), birth_date=birth,
                id_type=IdDocumentType.RESIDENT_ID, id_number=resident_id(rng, birth, gender),
                occupation=rng.choice(OCCUPATIONS), work_unit="",
                address=f"张掖市甘州区{town}{village}{rng.randrange(1, 12)}组{rng.randrange(1, 80)}号",
                phone=mobile(rng), legal_representative="", credit_code="", is_minor=False,
                agent_name="", agent_phone="", agent_authority="", created_at=at, updated_at=at)


def _facts(type_name: str, amount: Decimal | None) -> str:
    money = f"涉及金额{amount:,.0f}元，" if amount else ""
    return (f"申请人与被申请人因{type_name}问题发生争议，{money}双方多次协商未果，"
            "申请人来中心请求调解。经初步了解，双方对基本事实无重大分歧，争议焦点在于责任划分及履行方式。")


def _requests(type_name: str, amount: Decimal | None) -> list[str]:
    items = [f"请求依法调解双方之间的{type_name}纠纷"]
    if amount:
        items.append(f"请求被申请人支付相关款项人民币{amount:,.0f}元")
    items.append("请求明确履行期限和方式")
    return items


def seed(session: Session, cases: int, *, seed_value: int = 2026, today: datetime | None = None,
         progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill an empty database with the demo center. Refuses a database that already has users."""
    if session.scalar(select(User.id).limit(1)) is not None:
        raise ValueError("数据库中已有用户，演示数据只能写入新建的空数据库。")
    rng = random.Random(seed_value)
    actor = Actor.system("demo")
    departments, teams, mediators, users = seed_organisation(session, actor, rng)
    made = generate_cases(session, cases, rng=rng, today=today, progress=progress)
    clocks.recompute_open_clocks(session)
    audit.record(session, actor, "demo.seed", "center", None, {"cases": made})
    return DemoSummary(departments, teams, mediators, users, made)
