"""A believable demo center, generated offline: the people, the teams and a year of cases.

The center is modelled on 甘州区 in 张掖市 (seeds/002). Cases follow the real workflow: each
one's state is reached through the transitions a center would have made, with timeline events
at plausible dates, and its number is issued in the order cases were received.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Index, exists, func, insert, select, text, update
from sqlalchemy.orm import Session

from mediation_desk import settings
from mediation_desk.demo.places import COMPANY_ADDRESSES, Places
from mediation_desk.models import (
    Agreement,
    AgreementKind,
    AgreementTerm,
    Attachment,
    AttachmentKind,
    Base,
    CaseEvent,
    CaseMediator,
    CaseState,
    Center,
    CenterLevel,
    ConfirmationResult,
    Department,
    DisputeCase,
    DisputeType,
    Diversion,
    DiversionBody,
    EventKind,
    FileBlob,
    Gender,
    IdDocumentType,
    InvestigationRecord,
    JudicialConfirmation,
    MediationRecord,
    MediationRoom,
    Mediator,
    MediatorKind,
    MediatorRole,
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
    Transfer,
    TransferStatus,
    TransferTarget,
    User,
    VisitMethod,
    now,
)
from mediation_desk.models.keys import with_keys
from mediation_desk.readmodels.statistics import ON_TIME_DAYS
from mediation_desk.services import audit, auth, center, clocks, reference, search, stat_months
from mediation_desk.services.actor import Actor
from mediation_desk.services.numbering import center_prefix, format_case_number, numbering_center, reserve_through
from mediation_desk.services.setup import DEMO_PASSWORD as DEMO_PASSWORD
from mediation_desk.services.setup import DEMO_USERS as DEMO_USERS
from mediation_desk.services.workflow import TRANSITIONS, Action

#: The demo's townships (name, case-number prefix, account code, team, mediators): 乡镇综治中心
#: below the county center, each numbering its own cases (（2026）甘州梁家墩调字第0001号).
TOWNSHIPS = (
    ("甘州区梁家墩镇综治中心", "甘州梁家墩调", "ljd", "梁家墩镇人民调解委员会", ("马德林", "王桂兰", "孙国华")),
    ("甘州区党寨镇综治中心", "甘州党寨调", "dz", "党寨镇人民调解委员会", ("刘志忠", "张玉梅", "何永福")),
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
_SOURCE_CHANNELS = list(SourceChannel)
_RISK_LEVELS = list(RiskLevel)
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
    #: The townships below the county center and their cases (``seed(township_cases=…)``).
    townships: int = 0
    township_cases: int = 0
    #: The 12345 orders, ratings, briefing stories, cards and crossings added after the cases
    #: (:mod:`mediation_desk.demo.loop`); None without ``seed(loop=True)``.
    loop: Any = None


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


#: The demo center's mediation rooms: name, capacity, where.
DEMO_ROOMS = (("第一调解室", 8, "一楼东侧"), ("第二调解室", 6, "一楼西侧"), ("联合调解室", 20, "二楼"))
#: Each township center's rooms (a 综治中心's building is smaller).
TOWNSHIP_ROOMS = (("调解室", 6, "综治中心一楼"), ("群众说事室", 10, "综治中心二楼"))


def seed_organisation(session: Session, actor: Actor, rng: random.Random) -> tuple[int, int, int, int]:
    """Departments, teams, mediators, one account per role and the center's settings."""
    reference.ensure_dispute_types(session)
    center.put(session, settings.CENTER_NAME, "张掖市甘州区矛盾纠纷调处中心")
    center.put(session, settings.CASE_NUMBER_PREFIX, "甘矛调")
    center.put(session, settings.IS_DEMO, True)
    center.put(session, settings.CENTER_ADDRESS, "张掖市甘州区县府街 88 号便民服务大厅一楼")
    center.put(session, settings.CENTER_PHONE, "0936-8212345")
    # What the agreements and the judicial-confirmation applications print (services.dossier).
    center.put(session, settings.COMMITTEE_NAME, COMMITTEE)
    center.put(session, settings.BASIC_COURT, COURT)
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
    # The center's mediation rooms (调解室), for the sessions calendar.
    session.add_all([MediationRoom(name=name, capacity=capacity, location=where, active=True)
                     for name, capacity, where in DEMO_ROOMS])
    for username, display_name, role in DEMO_USERS:
        mediator_id = mediators[0].id if role is Role.MEDIATOR else None
        auth.create_user(session, actor, username=username, display_name=display_name, role=role,
                         password=DEMO_PASSWORD, mediator_id=mediator_id, must_change_password=False)
    return len(departments), len(TEAMS), len(mediators), len(DEMO_USERS)


def generate_cases(session: Session, count: int, *, rng: random.Random, today: datetime | None = None,
                   chunk: int = 5000, progress: Callable[[int, int], None] | None = None,
                   center_id: int | None = None) -> int:
    """Insert ``count`` cases received over the last 12 months, with parties and timelines, into
    ``center_id`` (None: the county center), handled by its teams and numbered with its prefix."""
    if count <= 0:
        return 0
    cid = numbering_center(session, center_id)
    # A county-sized demo indexes its text for search once at the end, not row by row.
    bulk = count >= search.BULK_ROWS
    if bulk:
        search.suspend_index(session)
        stat_months.suspend(session)  # counted once at the end, not row by row
        scattered = _suspend_scattered_indexes(session)
    moment = today or now()
    types = {t.name: t.id for t in session.scalars(select(DisputeType))}
    teams = list(session.scalars(select(Team).where(Team.center_id == cid).order_by(Team.id)))
    team_for_type = {types[n]: t for t, (_, names) in zip(teams, TEAMS, strict=False) for n in names}
    members = {t.id: [m.mediator_id for m in t.members] for t in teams}
    users = dict(session.execute(select(User.role, User.id).where(User.center_id == cid).order_by(User.id)).all())
    mediator_names = dict(session.execute(select(Mediator.id, Mediator.name)).all())
    team_names = {t.id: [mediator_names[m] for m in members[t.id]] for t in teams}
    prefix = center_prefix(session, cid)
    type_ids = list(types.values())
    type_names = {tid: name for name, tid in types.items()}
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
    seen: set[CaseState] = set()
    for year in {r.year for r in received}:
        seq_by_year[year] = _issued(session, year, cid)

    cases: list[dict[str, Any]] = []
    parties: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    diversions: list[dict[str, Any]] = []
    transfers: list[dict[str, Any]] = []
    # Its own random stream, derived from (not drawn from) the cases' one: the cases, parties and
    # timelines stay exactly those of the same seed without paperwork.
    paper = Paperwork(session, random.Random(hash(rng.getstate()[1])), users, mediator_names, moment, count,
                      township=center_id is not None)
    # Addresses and the mediators on each case likewise, on a stream of their own.
    places = Places(random.Random(hash(rng.getstate()[1]) ^ 0x9E3779B9), count,
                    session.info.setdefault("demo.households", {}))
    crew: list[dict[str, Any]] = []
    # Which mediations end after the 30-day line, and how late: a stream of its own as well.
    lateness = random.Random(hash(rng.getstate()[1]) ^ 0x7F4A7C15)
    # A township center's disputes happen in its township (甘州区梁家墩镇综治中心: 梁家墩镇).
    center_name = session.scalar(select(Center.name).where(Center.id == cid)) or ""
    home_town = next((t for t in TOWNS if t in center_name), None)

    def flush() -> None:
        if cases:
            # Plain rows in bulk: the ORM's per-object bookkeeping would cost 5x here.
            bulk_insert(session, DisputeCase, cases)
            bulk_insert(session, Party, parties)
            bulk_insert(session, CaseEvent, events)
            bulk_insert(session, ReturnVisit, visits)
            bulk_insert(session, Diversion, diversions)
            bulk_insert(session, Transfer, transfers)
            bulk_insert(session, CaseMediator, crew)
            paper.flush()
        for rows in (cases, parties, events, visits, diversions, transfers, crew):
            rows.clear()

    for n, at in enumerate(received):
        year = at.year
        seq_by_year[year] += 1
        seq = seq_by_year[year]
        type_id = rng.choices(type_ids, type_weights)[0]
        type_name = type_names[type_id]
        state = _pick_state(rng, (moment - at).days)
        # Every stage is shown: the newest cases take the states no earlier case reached.
        unseen = [s for s in _PATHS if s not in seen]
        if state in seen and unseen and len(unseen) >= count - n:
            state = unseen[0]
        seen.add(state)
        paths = _PATHS[state]
        path = paths[0] if len(paths) == 1 else rng.choices(paths, _CLOSED_PATH_WEIGHTS[: len(paths)])[0]
        team = team_for_type.get(type_id) or teams[-1]
        assigned = Action.ASSIGN in path
        lead = rng.choice(members[team.id]) if assigned else None
        case_id = next_case_id
        next_case_id += 1
        town = home_town or rng.choice(TOWNS + STREETS)
        if home_town:
            rng.choice(TOWNS + STREETS)  # drawn as before, so the demo's random stream stays the same
        rng.choice(VILLAGES)  # likewise: the village is now the town's own (demo/places.py)
        spot = places.hot_spot(type_name) if home_town is None else None
        if spot is not None:
            town, village, address = spot
        else:
            village = places.village(town)
            address = places.household(town, village)  # the applicant's home, where it happened
        group = rng.random() < 0.04
        amount = (Decimal(rng.randrange(5, 2000)) * 100) if type_name not in ("邻里", "消防") else None

        # Timeline: one step every few days, never in the future.
        at_step = at
        # Drawn for every case, whatever its path, so the stream stays in step with the cases.
        late_days = _late_days(lateness)
        plain_step = at
        timeline = [dict(case_id=case_id, at=at, user_id=users.get(Role.INTAKE), kind=EventKind.REGISTERED,
                         action="", from_state=None, to_state=CaseState.REGISTERED,
                         note="")]  # 来源：the channel, once drawn below
        current = CaseState.REGISTERED
        accepted_at = closed_at = None
        stamps: dict[Action, datetime] = {}
        for action in path:
            rule = TRANSITIONS[action]
            gap = timedelta(hours=rng.randrange(2, 24 * (6 if action is Action.SUCCEED else 3)))
            # Recent cases stop short of "now" by a few hours, as a real day's work would.
            cap = moment - timedelta(minutes=rng.randrange(5, 240))
            taken = _next_step(at_step, gap, cap, moment)
            # Where the step would be had the mediation ended on time (the visit below asks).
            plain_step = _next_step(plain_step, gap, cap, moment)
            if late_days and action in _MEDIATION_ENDINGS and accepted_at is not None:
                # A mediation that ran past the month: it ends ``late_days`` calendar days after
                # acceptance, if that moment has come (a younger case ends on time).
                late_at = accepted_at + timedelta(days=late_days)
                if taken < late_at <= cap:
                    taken = late_at
            at_step = taken
            role = next(iter(sorted(rule.roles, key=list(Role).index)))
            note = rng.choice(_NOTES[action]) if action in _NOTES else ""
            if action is Action.ASSIGN:
                note = f"分派至{team.name}"
            elif action is Action.FAIL and amount is None and "数额" in note:
                note = _FAIL_WITHOUT_AMOUNT  # nothing to pay: the parties disagree on what to do
            elif action is Action.TRANSFER:
                # To the body the dispute belongs to: wages to the labour inspectors, the rest to court.
                note = _transfer_target(type_name)[2]
            timeline.append(dict(case_id=case_id, at=at_step, user_id=users.get(role), kind=EventKind.TRANSITION,
                                 action=str(action), from_state=current, to_state=rule.target, note=note))
            stamps[action] = at_step
            current = rule.target
            if rule.target is CaseState.ACCEPTED:
                accepted_at = at_step
            if rule.target in (CaseState.CLOSED, CaseState.REJECTED):
                closed_at = at_step
            if action is Action.DIVERT:
                diversions.append(_diversion(rng, case_id, at_step, users.get(Role.INTAKE), village, type_name))
                timeline[-1]["note"] = diversions[-1]["reason"]
            if action is Action.TRANSFER:
                transfers.append(_transfer(case_id, at_step, users.get(Role.MEDIATOR), type_name, amount,
                                           fail_note=next(str(e["note"]) for e in timeline
                                                          if e["action"] == Action.FAIL.value)))
            if action is Action.SUBMIT_FOR_REVIEW and diversions and diversions[-1]["case_id"] == case_id:
                # The body reported back before the case could go to review.
                diversions[-1]["feedback"] = rng.choice(_DIVERSION_FEEDBACK)
                diversions[-1]["feedback_at"] = max(at_step - timedelta(hours=rng.randrange(1, 48)),
                                                    diversions[-1]["sent_at"])
        assert current is state
        crew_from = len(crew)
        if lead is not None:
            _crew(crew, timeline, places.rng, case_id, lead, members[team.id], mediator_names, stamps[Action.ASSIGN])
        # Who mediates it, as the paperwork names them: the lead and the co-mediator if it has one.
        case_crew = [mediator_names[c["mediator_id"]] for c in crew[crew_from:]]
        # Most closed mediations have had their first return visit by now.
        if state is CaseState.CLOSED and closed_at is not None and Action.ASSIGN in path and rng.random() < 0.97:
            after = timedelta(days=rng.randrange(3, 25))
            visited_on = closed_at.date() + after
            # Drawn when the case closed on time would have had its visit by now, kept when this
            # one has: a late case's visit may not have come yet, and the stream stays the same.
            if plain_step.date() + after <= moment.date():
                visit = _visit(rng, case_id, visited_on, closed_at, success=Action.SUCCEED in path,
                               visitor=mediator_names.get(lead or -1, ""),
                               transferred=transfers[-1] if Action.TRANSFER in path else None)
                if visited_on <= moment.date():
                    visits.append(visit)

        cases.append(dict(
            id=case_id, center_id=cid, number=format_case_number(year, prefix, seq), year=year, seq=seq,
            title=f"{village}{rng.choice(TITLES.get(type_name, TITLES['其他']))}", state=state,
            dispute_type_id=type_id, source_channel=rng.choices(_SOURCE_CHANNELS, _CHANNEL_WEIGHTS)[0],
            risk_level=rng.choices(_RISK_LEVELS, (2, 5, 18, 75))[0], is_group_dispute=group,
            may_turn_criminal=rng.random() < 0.02,
            people_involved=rng.randrange(8, 60) if group else rng.randrange(2, 5),
            amount_involved=amount, address=address, village=village,
            grid=f"{town}第{rng.randrange(1, 9)}网格",
            facts=_facts(type_name, amount, case_id, disputed_facts=any(
                e["action"] == Action.FAIL.value and "事实" in str(e["note"]) for e in timeline)),
            requests=_requests(type_name, amount), received_at=at, accepted_at=accepted_at, closed_at=closed_at,
            team_id=team.id if assigned else None, lead_mediator_id=lead, registered_by_id=users.get(Role.INTAKE),
            version=1, created_at=at, updated_at=at_step,
        ))
        # The flags of the table by level (migration 0029), from what was drawn (no draw of their
        # own, so the demo's other cases stay as they were): a red risk is a major dispute, a
        # group of thirty or more might have gone to petition.
        drawn = cases[-1]
        # The registration names the channel it came by, as services.cases.register_case writes it.
        timeline[0]["note"] = f"来源：{drawn['source_channel'].label}"
        drawn["is_major"] = drawn["risk_level"] is RiskLevel.RED
        drawn["may_group_petition"] = bool(group) and int(drawn["people_involved"]) >= 30
        first_party = len(parties)
        n_respondents = 1 + (rng.random() < 0.15)
        for i, party_role in enumerate([PartyRole.APPLICANT] + [PartyRole.RESPONDENT] * n_respondents
                                       + ([PartyRole.THIRD_PARTY] if rng.random() < 0.05 else [])):
            organisation = (
                party_role is PartyRole.RESPONDENT and type_name in _EMPLOYER_OR_COMPANY_TYPES and rng.random() < 0.7
            )
            home = address if i == 0 and spot is None else places.household(town, village)
            parties.append(_party(rng, next_party_id, case_id, i, party_role, organisation, home, at))
            next_party_id += 1
        if visits and visits[-1]["case_id"] == case_id:
            # The visit names the people visited.
            visits[-1]["parties_visited"] = "、".join(p["name"] for p in parties[first_party:])
        # The paperwork adds its records to the timeline, in the order of their dates.
        paper.add(n, cases[-1], parties[first_party:], timeline, stamps, type_name, team_names[team.id], case_crew)
        events.extend(timeline)
        if len(cases) >= chunk:
            flush()
            if progress:
                progress(n + 1, count)
    flush()
    paper.finish()
    _advance_id_sequences(session, (DisputeCase.__tablename__, Party.__tablename__, CaseEvent.__tablename__,
                                    Agreement.__tablename__))
    for year, seq in seq_by_year.items():
        reserve_through(session, year, seq, cid)
    if bulk:
        _restore_indexes(session, scattered)
        search.rebuild_index(session)
        stat_months.resume(session)
        _analyze(session)
    if progress:
        progress(count, count)
    return count


#: The share of assigned cases with a co-mediator (协办) beside the lead (主办).
CO_MEDIATOR_SHARE = 0.3

#: The share of mediations (调解成功、不成、撤回) that end after the 30-calendar-day line of
#: practice (readmodels.statistics.ON_TIME_DAYS, the mediation clock's limit): a case held up by a
#: party who will not come, a valuation, a second hearing. Only a case old enough can be late, so
#: of a year's endings a little fewer are (docs/demo.md gives the figures).
LATE_SHARE = 0.06
#: A late mediation ends this many calendar days after acceptance, at least: the day after the line.
LATE_FROM_DAYS = ON_TIME_DAYS + 1
#: The mediation endings, as the on-time rate counts them.
_MEDIATION_ENDINGS = frozenset({Action.SUCCEED, Action.FAIL, Action.WITHDRAW})


def _next_step(after: datetime, gap: timedelta, cap: datetime, moment: datetime) -> datetime:
    """When a step ``gap`` after the one at ``after`` is taken, never later than ``cap`` (now,
    less a few hours)."""
    taken = min(after + gap, cap)
    if taken <= after:
        # A case of the last hours: its steps follow minutes apart, never later than now
        # (before, every step took the moment of registration). No draw: the stream stays.
        taken = after + min(timedelta(minutes=3 + int(gap.total_seconds()) // 3600 % 27), (moment - after) / 2)
    return taken


def _late_days(rng: random.Random) -> int:
    """0 for a mediation that ends on time (the demo's usual few days); else the calendar days
    from acceptance to its end: most just past the line, a few two or three months. Two draws
    either way, so the stream stays in step with the cases."""
    late = rng.random() < LATE_SHARE
    days = LATE_FROM_DAYS + min(int(rng.expovariate(1 / 12)), 60)
    return days if late else 0


def _crew(crew: list[dict[str, Any]], timeline: list[dict[str, Any]], rng: random.Random, case_id: int, lead: int,
          members: list[int], mediator_names: dict[int, str], assigned_at: datetime) -> None:
    """The case's mediators (``case_mediator``) as services.assignment.assign records them: the lead
    and, on some cases, a co-mediator — the team member the paperwork names beside the lead — with
    the timeline's note of who assists."""
    at = next(i for i, e in enumerate(timeline) if e["action"] == Action.ASSIGN.value)
    by = timeline[at]["user_id"]
    crew.append(dict(case_id=case_id, mediator_id=lead, role=MediatorRole.LEAD, assigned_at=assigned_at,
                     assigned_by_id=by))
    others = [m for m in members if m != lead]
    if others and rng.random() < CO_MEDIATOR_SHARE:
        crew.append(dict(case_id=case_id, mediator_id=others[0], role=MediatorRole.CO, assigned_at=assigned_at,
                         assigned_by_id=by))
        timeline.insert(at + 1, dict(case_id=case_id, at=assigned_at, user_id=by, kind=EventKind.NOTE,
                                     action="assignment", from_state=None, to_state=None,
                                     note=f"协办：{mediator_names[others[0]]}"))


#: Indexes whose keys arrive in no order (names, ID numbers, phones): each new row lands on a
#: random page of them. A county-sized demo builds them once at the end, sorted, instead.
_SCATTERED_INDEXES = frozenset({"ix_party_name", "ix_party_id_number", "ix_party_phone"})
#: SQLite's page cache during a bulk load, in KiB (negative: a size, not pages). The default 2 MB
#: holds nothing of a million cases' indexes: every insert then re-read and re-spilled pages of
#: the WAL, and a 1,000,000-case demo wrote 49 GB in 12 minutes without getting far.
_BULK_CACHE_KIB = 256 * 1024


def _suspend_scattered_indexes(session: Session) -> list[Index]:
    """Drop the scattered indexes (inside the load's transaction: a failed load brings them back)
    and give SQLite a large page cache for the load."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        session.execute(text(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}"))
    table = Base.metadata.tables[Party.__tablename__]
    dropped = [ix for ix in table.indexes if ix.name in _SCATTERED_INDEXES]
    for index in dropped:
        index.drop(connection)
    return dropped


#: The indexes of the desk's and the publicity list's reads, whose statistics must be exact.
DESK_INDEXES = ("ix_dispute_case_state_received", "ix_dispute_case_due_center", "ix_diversion_awaiting",
                "ix_planned_visit_open", "ix_dispute_case_first_visit", "ix_dispute_case_accepted",
                "ix_dispute_case_closed", "ix_dispute_case_due_soon", "ix_dispute_case_open_clock",
                "ix_supervision_order_open")


def _analyze(session: Session) -> None:
    """Table statistics for the query planner after a bulk load. Without them SQLite picked the
    state index (750,000 closed cases) over the due-date one for the desk's visits due at a
    million cases. SQLite samples 400 rows an index (seconds, not minutes, for gigabytes)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit = 400"))
    session.execute(text("ANALYZE"))
    if session.get_bind().dialect.name == "sqlite":
        # 400 rows show ~400 cases per state: every desk query then goes through the state index
        # (2 s instead of 50 ms at a million cases). The indexes the desk reads are read whole.
        session.execute(text("PRAGMA analysis_limit = 0"))
        # The cases' indexes all read whole (~4 s at a million): sampled, the unique index on
        # (center_id, year, seq) seemed to hold ~400 cases a center, and the list's newest-first
        # page went through it and sorted every case of the center.
        session.execute(text("ANALYZE dispute_case"))
        for name in DESK_INDEXES:
            if not name.startswith("ix_dispute_case_"):
                session.execute(text(f"ANALYZE {name}"))


#: The indexes of the cases' clocks, which ``generate_cases``'s ANALYZE saw empty (the clocks are
#: filled after it, by ``clocks.recompute_open_clocks``).
CLOCK_INDEXES = ("ix_dispute_case_first_visit", "ix_dispute_case_due_center", "ix_dispute_case_due_soon",
                 "ix_dispute_case_clock", "ix_dispute_case_open_clock")


def _analyze_clocks(session: Session) -> None:
    """The statistics of the clocks' indexes once the clocks are filled, read whole. Without them
    the million-case demo had no statistics of the first visits' partial index and a NULL due day
    on every case, and the desk's count of the visits due went through the state index (1.2-3 s)."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("ANALYZE dispute_case"))
        return
    session.execute(text("PRAGMA analysis_limit = 0"))
    for name in CLOCK_INDEXES:
        session.execute(text(f"ANALYZE {name}"))


def _restore_indexes(session: Session, dropped: list[Index]) -> None:
    connection = session.connection()
    for index in dropped:
        index.create(connection)
    if connection.dialect.name == "sqlite":
        session.execute(text("PRAGMA cache_size = -2000"))  # SQLite's default again


_DIVERSION_FEEDBACK = (
    "已由村调委会调解成功，双方签订口头协议", "法院诉前调解已结案", "已按信访程序答复当事人",
    "职能部门已依法处理并答复",
)


#: Where a dispute the center does not mediate itself belongs, by its type (diversion, 分流).
_DIVERT_BY_TYPE = {"劳动争议": DiversionBody.DEPARTMENT, "拖欠农民工工资": DiversionBody.DEPARTMENT,
                   "征地拆迁": DiversionBody.PETITION_OFFICE, "婚姻家庭": DiversionBody.VILLAGE_COMMITTEE,
                   "邻里": DiversionBody.VILLAGE_COMMITTEE, "山林土地": DiversionBody.VILLAGE_COMMITTEE,
                   "房屋宅基地": DiversionBody.VILLAGE_COMMITTEE, "损害赔偿": DiversionBody.VILLAGE_COMMITTEE}
_DIVERT_REASONS = {DiversionBody.VILLAGE_COMMITTEE: "分流至属地村调委会调解",
                   DiversionBody.COURT_PRE_LITIGATION: "分流至区人民法院诉前调解",
                   DiversionBody.PETITION_OFFICE: "转区信访局依法处理",
                   DiversionBody.DEPARTMENT: "转区人社局劳动保障监察大队依法处理"}
_FAIL_WITHOUT_AMOUNT = "双方对整改方式和期限分歧较大，未能达成协议"
_WAGE_TYPES = frozenset({"劳动争议", "拖欠农民工工资"})


def _diversion(rng: random.Random, case_id: int, at: datetime, user_id: int | None, village: str,
               type_name: str) -> dict[str, Any]:
    drawn = rng.choices(list(DiversionBody), (60, 20, 10, 10))[0]
    rng.choice(_NOTES[Action.DIVERT])  # drawn as before, so the demo's random stream stays the same
    # The body the dispute belongs to; a type with no particular body goes to the court's pre-litigation
    # mediation (or, as drawn, to the village committee).
    body = _DIVERT_BY_TYPE.get(type_name) or (
        drawn if drawn is DiversionBody.VILLAGE_COMMITTEE else DiversionBody.COURT_PRE_LITIGATION)
    names = {DiversionBody.VILLAGE_COMMITTEE: f"{village}人民调解委员会",
             DiversionBody.COURT_PRE_LITIGATION: "甘州区人民法院诉前调解中心",
             DiversionBody.PETITION_OFFICE: "甘州区信访局", DiversionBody.DEPARTMENT: "甘州区人力资源和社会保障局"}
    return dict(case_id=case_id, body=body, body_name=names[body], reason=_DIVERT_REASONS[body],
                sent_at=at, sent_by_id=user_id, feedback="", feedback_at=None, version=1, created_at=at,
                updated_at=at)


def _transfer_target(type_name: str) -> tuple[TransferTarget, str, str]:
    """(target, its name, the timeline's note) of a failed case's transfer, by the dispute's type."""
    if type_name in _WAGE_TYPES:
        return (TransferTarget.DEPARTMENT, "张掖市甘州区人力资源和社会保障局",
                "转区人社局劳动保障监察大队依法处理")
    return TransferTarget.COURT, COURT, "移送区人民法院立案庭，走诉讼绿色通道"


def _transfer(case_id: int, at: datetime, user_id: int | None, type_name: str, amount: Decimal | None, *,
              fail_note: str) -> dict[str, Any]:
    """The transfer record of a case that went 已移送: to whom, why, the claims, when it was sent."""
    target, name, _note = _transfer_target(type_name)
    claims = []
    if target is TransferTarget.COURT:
        if amount:
            what = _PAYMENTS.get(type_name, "赔偿款")
            claims.append(f"判令被申请人向申请人支付{what}人民币{amount:,.0f}元")
        else:
            claims.append(f"判令被申请人{_NO_MONEY_TERMS.get(type_name, ('履行相应义务',))[0]}")
        claims.append("本案诉讼费用由被申请人负担")
    packet = hashlib.sha256(f"demo-transfer-{case_id}".encode()).hexdigest()
    return dict(case_id=case_id, target=target, target_name=name, reason=f"调解不成：{fail_note}",
                sent_at=at, packet_sha256=packet, packet_id=f"{packet[:8]}-{packet[8:12]}-{packet[12:16]}-"
                f"{packet[16:20]}-{packet[20:32]}", claims="\n".join(claims), status=TransferStatus.SENT,
                sent_by_id=user_id, version=1, created_at=at, updated_at=at)


#: How the demo's visits are made, by case (电话 most often).
_VISIT_METHODS = (VisitMethod.PHONE, VisitMethod.PHONE, VisitMethod.VISIT, VisitMethod.MESSAGE)


def _visit(rng: random.Random, case_id: int, visited_on: date, closed_at: datetime, *,
           success: bool, visitor: str, transferred: dict[str, Any] | None = None) -> dict[str, Any]:
    performance = rng.choices(list(Performance), (85, 10, 5))[0] if success else None
    satisfaction = rng.choices(list(Satisfaction), (80, 17, 3))[0]
    notes = "协议已履行完毕，双方关系缓和，无新的矛盾隐患。" if performance is Performance.PERFORMED else (
        "回访了解当事人近况，已告知可依法维护自身权益。" if not success else "协议尚在履行中，已督促义务人按期履行。")
    lawsuit = ""
    if transferred is not None:
        lawsuit = (f"已移送{transferred['target_name']}，申请人已提起诉讼"
                   if transferred["target"] is TransferTarget.COURT else f"已转{transferred['target_name']}处理")
    risks = "义务人尚未全部履行，存在矛盾反复的可能" if performance in (Performance.PARTLY,
                                                                Performance.NOT_PERFORMED) else ""
    at = datetime.combine(visited_on, closed_at.time())
    return dict(case_id=case_id, visited_on=visited_on, visitor=visitor or "中心回访组",
                parties_visited="申请人、被申请人", method=_VISIT_METHODS[case_id % len(_VISIT_METHODS)],
                performance=performance, satisfaction=satisfaction, notes=notes, lawsuit=lawsuit,
                lawsuit_result="", hidden_risks=risks, version=1, created_at=at, updated_at=at)


def _has_keys(session: Session, table: str) -> bool:
    """Whether ``table`` has its repeat key column (migration 0045; a test may write the demo on an
    older schema before upgrading it, and the upgrade fills the keys)."""
    column = "repeat_key" if table == "party" else "place_key"
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return column in {r[1] for r in connection.exec_driver_sql(f"PRAGMA table_info({table})")}
    return connection.execute(text("SELECT 1 FROM information_schema.columns WHERE table_name = :t "
                                   "AND column_name = :c AND table_schema = current_schema()"),
                              {"t": table, "c": column}).first() is not None


def bulk_insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (all with the same keys) into the model's table.

    On SQLite the rows go to the driver's ``executemany`` directly, each value through the same
    bind processor SQLAlchemy would use (so dates and enums are stored exactly as the ORM stores
    them): the Core ``insert`` spends most of a bulk load on per-row parameter bookkeeping. Other
    databases, and a table whose omitted columns have computed defaults, take the Core insert.
    """
    if not rows:
        return
    if model.__tablename__ in ("party", "dispute_case") and _has_keys(session, model.__tablename__):
        rows = [with_keys(model.__tablename__, row) for row in rows]  # the briefing's repeat keys
    table = Base.metadata.tables[model.__tablename__]
    dialect = session.get_bind().dialect
    keys = list(rows[0])
    # A record's uid (migration 0039) is left NULL here: a packet names such a row by a uid derived
    # from where it is (exchange.crossing_work.row_uid), and a bulk load keeps its fast path.
    omitted = [c for c in table.columns if c.key not in rows[0] and c.default is not None and c.key != "uid"]
    if dialect.name != "sqlite" or any(not c.default.is_scalar for c in omitted):  # type: ignore[union-attr]
        session.execute(insert(table), rows)
        return
    columns = [table.c[k] for k in keys] + omitted
    processors = [_fast(c.type, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in columns]
    fill = tuple(c.default.arg for c in omitted)  # type: ignore[union-attr]
    fill = tuple(v if p is None else p(v) for v, p in zip(fill, processors[len(keys):], strict=True))
    plan = list(zip(keys, processors[:len(keys)], strict=True))
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    values = [tuple([row[k] if p is None else p(row[k]) for k, p in plan]) + fill for row in rows]
    session.connection().exec_driver_sql(sql, values)


_SAMPLE_MOMENT = datetime(2026, 3, 2, 9, 30, 5, 120)


def _fast(column_type: Any, processor: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """SQLite's processors for dates and times format through a ``%`` template, a good part of a
    bulk load; ``isoformat`` writes the same text in C. Used only where the result is the same."""
    if processor is None:
        return None
    day = _SAMPLE_MOMENT.date()
    if isinstance(column_type, DateTime) and processor(_SAMPLE_MOMENT) == _iso_datetime(_SAMPLE_MOMENT):
        return _iso_datetime
    if isinstance(column_type, Date) and processor(day) == _iso_date(day):
        return _iso_date
    return processor


def _iso_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


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


def _issued(session: Session, year: int, center_id: int) -> int:
    from mediation_desk.models import CaseNumberSequence

    return session.scalar(select(CaseNumberSequence.last_value).where(
        CaseNumberSequence.year == year, CaseNumberSequence.center_id == center_id)) or 0


def _counter_hours(moment: datetime, rng: random.Random, latest: datetime) -> datetime:
    minutes = rng.choice((rng.randrange(8 * 60 + 30, 12 * 60), rng.randrange(14 * 60 + 30, 18 * 60)))
    at = moment.replace(hour=minutes // 60, minute=minutes % 60, second=rng.randrange(60), microsecond=0)
    return at if at <= latest else at - timedelta(days=1)


_POSITIONS = ("执行董事", "总经理", "经理", "董事长")


def _party(rng: random.Random, party_id: int, case_id: int, seq: int, role: PartyRole, organisation: bool,
           home: str, at: datetime) -> dict[str, Any]:
    """A party; a person lives at ``home`` (demo/places.py), a company at its registered address."""
    if organisation:
        name = rng.choice(COMPANIES)
        return dict(id=party_id, case_id=case_id, seq=seq, role=role, kind=PartyKind.LEGAL_PERSON,
                    name=name, gender=None, ethnicity="", birth_date=None, id_type=None,
                    # An organisation's occupation is its legal representative's position (职务).
                    id_number="", occupation=_POSITIONS[party_id % len(_POSITIONS)], work_unit="",
                    address=COMPANY_ADDRESSES[name],
                    phone=f"0936-{rng.randrange(8200000, 8299999)}", legal_representative=person_name(rng),
                    credit_code="", is_minor=False, agent_name="", agent_phone="", agent_authority="",
                    created_at=at, updated_at=at)
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    birth = date(rng.randrange(1950, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
    return dict(id=party_id, case_id=case_id, seq=seq, role=role, kind=PartyKind.PERSON, name=person_name(rng),
                gender=gender, ethnicity=rng.choice(ETHNICITIES), birth_date=birth,
                id_type=IdDocumentType.RESIDENT_ID, id_number=resident_id(rng, birth, gender),
                occupation=rng.choice(OCCUPATIONS), work_unit="",
                address=_drawn_as_before(rng, home), phone=mobile(rng), legal_representative="", credit_code="",
                is_minor=False,
                agent_name="", agent_phone="", agent_authority="", created_at=at, updated_at=at)


def _drawn_as_before(rng: random.Random, home: str) -> str:
    """``home``, after the two draws the old address took (组, 号), so the demo's random stream stays the same."""
    rng.randrange(1, 12)
    rng.randrange(1, 80)
    return home


def _facts(type_name: str, amount: Decimal | None, case_id: int, *, disputed_facts: bool = False) -> str:
    """The facts as a clerk writes them. Some carry what real ones do and a search must take
    literally — a share in per cent, an anonymous caller's masked name, a pasted note in ASCII
    quotes — chosen by the case id so the demo's random stream stays the same."""
    money = f"涉及金额{amount:,.0f}元，" if amount else ""
    found = ("经初步了解，双方对纠纷发生的经过各执一词，争议焦点在于事实认定及责任划分。" if disputed_facts
             else "经初步了解，双方对基本事实无重大分歧，争议焦点在于责任划分及履行方式。")
    text = f"申请人与被申请人因{type_name}问题发生争议，{money}双方多次协商未果，申请人来中心请求调解。{found}"
    if amount and case_id % 29 == 0:
        share = 50 + case_id % 5 * 10
        text += f"申请人主张按{share}%与{100 - share}%的比例分担。"
    if case_id % 41 == 0:
        text += "来电人自称王*，不愿留下全名，要求对其信息保密。"
    if case_id % 53 == 0:
        text += f'申请人提供的订单备注为"加急-{case_id % 1000:03d}"。'
    return text


def _requests(type_name: str, amount: Decimal | None) -> list[str]:
    items = [f"请求依法调解双方之间的{type_name}纠纷"]
    if amount:
        items.append(f"请求被申请人支付相关款项人民币{amount:,.0f}元")
    items.append("请求明确履行期限和方式")
    return items


# --------------------------------------------------------------------------- paperwork

#: The newest this many cases carry the whole paperwork a diligent center files: an investigation
#: record, the mediation record, the timeline entries of both, judicial confirmations. Older ones
#: carry exactly what the closure gate requires (identity scans, the mediation record with the
#: notice given, the signed agreement or the record of why mediation failed) — every row costs
#: insert time, and a county-scale demo (100,000 cases) must stay quick to build.
FULL_PAPERWORK_CASES = 2000
#: One closure-review case in this many is left incomplete, so the head sees the gate refuse.
INCOMPLETE_REVIEW_EVERY = 5

COURT = "张掖市甘州区人民法院"
COMMITTEE = "张掖市甘州区矛盾纠纷调处中心人民调解委员会"
_ROOMS = ("中心第一调解室", "中心第二调解室", "中心第三调解室", "中心“老马说和”工作室")
_NO_MONEY_TERMS: dict[str, tuple[str, ...]] = {
    "邻里": ("清除堆放在通道上的杂物，恢复通行", "在院墙外侧修建排水沟，将雨水引入村排水渠",
             "晚十时后不再在院内从事产生噪音的加工作业"),
    "消防": ("清理占用消防通道的车辆和杂物，并保持通道畅通",),
}
_PAYMENTS = {"劳动争议": "经济补偿金", "拖欠农民工工资": "拖欠的劳务报酬", "婚姻家庭": "分担的抚养及赡养费用",
             "合同": "尚欠的合同款项", "房屋宅基地": "房屋补偿款", "征地拆迁": "应分配的补偿款",
             "山林土地": "土地流转租金", "物业": "维修费用", "消费": "退货款"}
_PAYMENT_METHODS = ("银行转账至权利人账户", "在调解中心当面现金支付，权利人出具收条", "通过微信转账支付")
_FAIL_ROADS = "已告知双方当事人可以依法向人民法院提起诉讼，或者向有关部门申请处理。"
_STATEMENTS = (
    "申请人称：{applicant}认为对方应当承担全部责任，请求依法处理。\n被申请人称：{respondent}承认部分事实，"
    "但认为申请人的要求过高。",
    "申请人称：纠纷已持续较长时间，多次协商未果，请求调解员主持公道。\n被申请人称：愿意协商解决，"
    "但对数额和期限有不同意见。",
)


def identity_scan() -> bytes:
    """The demo's one identity-document picture: a 320×200 PNG of a blank card (a photo box and
    grey bars for the printed lines), made with the standard library. Every demo identity
    attachment points to this one file blob, so the scans cost the database one small row each."""
    width, height = 320, 200
    paper, ink, photo, band = (238, 242, 246), (90, 104, 122), (200, 208, 218), (214, 224, 236)
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            edge = x < 3 or x >= width - 3 or y < 3 or y >= height - 3
            in_photo = 216 <= x < 296 and 40 <= y < 150
            photo_edge = in_photo and (x in (216, 295) or y in (40, 149))
            line = 24 <= x < 190 and any(top <= y < top + 7 for top in (48, 72, 96, 120, 150))
            short_line = 24 <= x < 120 and 168 <= y < 175
            colour = (ink if edge or photo_edge or line or short_line else photo if in_photo
                      else band if y < 28 else paper)
            raw.extend(colour)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


class Paperwork:
    """The records, scans, agreements and confirmations of the demo cases, as plain rows for bulk
    inserts (see :data:`FULL_PAPERWORK_CASES`). Cases in 结案 always pass the closure gate; a few
    in 结案审核 deliberately do not (:data:`INCOMPLETE_REVIEW_EVERY`)."""

    def __init__(self, session: Session, rng: random.Random, users: dict[Role, int], mediator_names: dict[int, str],
                 moment: datetime, count: int, *, township: bool = False) -> None:
        self.session, self.rng, self.moment = session, rng, moment
        #: A township center's cases are mediated in its own rooms (TOWNSHIP_ROOMS), not the county's.
        self.township = township
        self.mediator_names = mediator_names
        self.clerk, self.mediator = users.get(Role.INTAKE), users.get(Role.MEDIATOR)
        self.full_from = count - FULL_PAPERWORK_CASES
        self.scan = identity_scan()
        self.sha256 = hashlib.sha256(self.scan).hexdigest()
        self.next_agreement_id = (session.scalar(select(func.max(Agreement.id))) or 0) + 1
        self.reviews = 0
        #: Cases left incomplete in review: their submission's timeline entry gets the missing list.
        self.incomplete: list[int] = []
        self.mediation: list[dict[str, Any]] = []
        self.investigations: list[dict[str, Any]] = []
        self.attachments: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.terms: list[dict[str, Any]] = []
        self.confirmations: list[dict[str, Any]] = []
        if not session.scalar(select(exists().where(FileBlob.sha256 == self.sha256))):
            session.execute(insert(FileBlob).values(sha256=self.sha256, size=len(self.scan), content=self.scan,
                                                    crc32=zlib.crc32(self.scan)))

    def add(self, n: int, case: dict[str, Any], parties: list[dict[str, Any]], timeline: list[dict[str, Any]],
            stamps: dict[Action, datetime], type_name: str, team: list[str], crew: list[str]) -> None:
        """The paperwork of case number ``n`` (in order received), given its rows and the times of
        its transitions; adds its record entries to ``timeline``, which stays in date order."""
        state: CaseState = case["state"]
        if state in (CaseState.REGISTERED, CaseState.REJECTED):
            return
        full = n >= self.full_from
        in_review = state is CaseState.CLOSURE_REVIEW
        if in_review and full:
            self.reviews += 1
        # Among the newest cases only: these are the ones the head's review queue shows first.
        gap = in_review and full and self.reviews % INCOMPLETE_REVIEW_EVERY == 2
        # Which part is missing in an incomplete file: an identity scan, or the outcome's paper.
        skip_scan = gap and (self.reviews // INCOMPLETE_REVIEW_EVERY) % 2 == 0
        skip_outcome = gap and not skip_scan
        if gap:
            self.incomplete.append(case["id"])
        self._scans(case, parties, skip_last=skip_scan)
        start = stamps.get(Action.START_MEDIATION)
        if start is None:
            return
        lead = self.mediator_names.get(case["lead_mediator_id"], team[0] if team else "")
        # The case's own mediators (case_mediator: the lead, a co-mediator on some cases), never a
        # second team member who did not mediate it.
        mediators = "、".join(dict.fromkeys(crew)) or lead
        recorder = team[-1] if team else ""
        ended = next((stamps[a] for a in (Action.SUCCEED, Action.FAIL, Action.WITHDRAW) if a in stamps), None)
        until = ended or self.moment - timedelta(hours=1)
        if ended is None and until <= start:
            return  # mediation started within the hour: nothing on paper yet
        span = until - start  # zero when a case was settled the moment mediation began
        extra: list[dict[str, Any]] = []
        if full:
            held = self._between(start, span, 0.15, 0.45)
            respondent = next((p for p in parties if p["role"] is PartyRole.RESPONDENT), parties[-1])
            self.investigations.append(dict(
                case_id=case["id"], held_at=held, place=case["address"] or "当事人住所", investigators=mediators,
                recorder=recorder, interviewee=respondent["name"],
                interviewee_relation="被申请人" if respondent["kind"] is PartyKind.PERSON else "被申请人的法定代表人",
                content=(f"问：你对申请人反映的情况有什么意见？\n答：基本情况属实，但对责任和数额有不同看法。\n"
                         f"经现场查看并询问周边群众，纠纷发生地位于{case['address']}，争议事实与申请人陈述基本一致。"),
                signed=True, author_id=self.mediator, version=1, created_at=held, updated_at=held))
            extra.append(self._event(case["id"], held, "investigation_record", f"调查记录：询问{respondent['name']}"))
        if ended is None:
            # Still in mediation: a first session that did not settle it yet (most cases have one).
            if self.rng.random() < 0.7:
                held = self._between(start, span, 0.5, 0.95)
                self._mediation(case, parties, held, mediators, recorder, reached=False,
                                outcome="双方意见分歧较大，经调解员释法说理，双方同意冷静考虑，约定择期继续调解。")
                if full:
                    extra.append(self._event(case["id"], held, "mediation_record", "调解记录：首次调解，约定继续调解"))
        elif Action.SUCCEED in stamps:
            held = ended - min(timedelta(hours=self.rng.randrange(1, 5)), span / 2)
            self._mediation(case, parties, held, mediators, recorder, reached=True,
                            outcome="经调解，双方自愿达成协议，约定的履行内容见人民调解协议书。")
            agreement = self._agreement(case, parties, ended.date(), type_name, signed=not skip_outcome, full=full)
            if self.agreements[-1]["kind"] is AgreementKind.ORAL:
                # The record names the form the agreement took: an oral one is registered, not written.
                self.mediation[-1]["outcome"] = ("经调解，双方自愿达成口头调解协议，"
                                                 "协议内容已登记于人民调解口头协议登记表。")
            if full:
                extra.append(self._event(case["id"], held, "mediation_record", "调解记录：双方达成调解协议"))
            if agreement is not None:
                succeed = next(e for e in timeline if e["action"] == Action.SUCCEED.value)
                reached = "人民调解协议书" if agreement is AgreementKind.WRITTEN else "口头调解协议"
                succeed["note"] = f"达成{reached}，{ended:%Y年%m月%d日}生效"
                if full:
                    extra.append(self._event(case["id"], ended, "agreement_signed",
                                             f"{agreement.label}签署生效（{ended:%Y年%m月%d日}）", EventKind.DOCUMENT))
        elif not skip_outcome:
            failed = Action.FAIL in stamps
            reason = next(e["note"] for e in timeline if e["action"] in (Action.FAIL.value, Action.WITHDRAW.value))
            held = ended - min(timedelta(hours=self.rng.randrange(1, 5)), span / 2)
            outcome = (f"双方未能达成调解协议。原因：{reason}。{_FAIL_ROADS}" if failed
                       else f"调解过程中{reason}，本次调解终止。")
            self._mediation(case, parties, held, mediators, recorder, reached=False, outcome=outcome)
            if full:
                extra.append(self._event(case["id"], held, "mediation_record",
                                         "调解记录：未达成协议" if failed else "调解记录：申请人撤回申请"))
        if extra:
            timeline.extend(extra)
            timeline.sort(key=lambda e: e["at"])

    def _between(self, start: datetime, span: timedelta, low: float, high: float) -> datetime:
        # On the minute, but never before the step it follows (a record before the registration).
        return max((start + span * self.rng.uniform(low, high)).replace(second=0, microsecond=0), start)

    def _event(self, case_id: int, at: datetime, action: str, note: str,
               kind: EventKind = EventKind.RECORD) -> dict[str, Any]:
        return dict(case_id=case_id, at=at, user_id=self.mediator, kind=kind, action=action, from_state=None,
                    to_state=None, note=note)

    def _scans(self, case: dict[str, Any], parties: list[dict[str, Any]], *, skip_last: bool) -> None:
        at = case["received_at"]
        for party in parties[:-1] if skip_last else parties:
            person = party["kind"] is PartyKind.PERSON
            self.attachments.append(dict(
                case_id=case["id"], party_id=party["id"], kind=AttachmentKind.IDENTITY,
                filename=f"{'身份证' if person else '营业执照'}-{party['name']}.png", media_type="image/png",
                sha256=self.sha256, size=len(self.scan), note="演示数据：示意图，非真实证件", document_ref="",
                page=None, added_by_id=self.clerk, created_at=at, updated_at=at))

    def _place(self) -> str:
        """Where a session was held: one of the county center's rooms, or the township's own (the
        same draw either way, so the county's demo stays as it was)."""
        place = self.rng.choice(_ROOMS)
        if self.township:
            return f"综治中心{TOWNSHIP_ROOMS[_ROOMS.index(place) % len(TOWNSHIP_ROOMS)][0]}"
        return place

    def _mediation(self, case: dict[str, Any], parties: list[dict[str, Any]], held: datetime, mediators: str,
                   recorder: str, *, reached: bool, outcome: str) -> None:
        names = [p["name"] if p["kind"] is PartyKind.PERSON else f"{p['legal_representative']}（{p['name']}法定代表人）"
                 for p in parties]
        applicant = parties[0]["name"]
        respondent = next((p["name"] for p in parties if p["role"] is PartyRole.RESPONDENT), "")
        statements = self.rng.choice(_STATEMENTS).format(applicant=applicant, respondent=respondent)
        self.mediation.append(dict(
            case_id=case["id"], held_at=held, place=self._place(), subject=case["title"],
            mediators=mediators, recorder=recorder, participants="", parties_present="、".join(names),
            notice_given=True, statements=statements,
            verification="调解员向双方出示并核对了现场查看情况和双方提交的证据材料。", outcome=outcome,
            agreement_reached=reached, signed=True, author_id=self.mediator, version=1, created_at=held,
            updated_at=held))

    def _agreement(self, case: dict[str, Any], parties: list[dict[str, Any]], signed_on: date, type_name: str, *,
                   signed: bool, full: bool) -> AgreementKind | None:
        """A signed agreement with its terms (unsigned when the file is deliberately incomplete);
        returns its kind when it took effect."""
        rng = self.rng
        kind = AgreementKind.ORAL if rng.random() < 0.12 else AgreementKind.WRITTEN
        agreement_id = self.next_agreement_id
        self.next_agreement_id += 1
        applicant = parties[0]
        respondent = next((p for p in parties if p["role"] is PartyRole.RESPONDENT), parties[-1])
        amount: Decimal | None = case["amount_involved"]
        due = signed_on + timedelta(days=rng.choice((7, 10, 15, 20, 30, 45)))
        at = datetime.combine(signed_on, datetime.min.time()).replace(hour=16)
        if amount:
            # Settled for a share of the claim, in whole hundreds.
            agreed = max(Decimal(100), (amount * rng.randrange(50, 96) / 10000).quantize(Decimal(1)) * 100)
            what = _PAYMENTS.get(type_name, "赔偿款")
            terms = [dict(obligor_party_id=respondent["id"], obligee_party_id=applicant["id"],
                          content=f"支付{what}", amount=agreed, due_on=due,
                          place="张掖市甘州区矛盾纠纷调处中心", method=rng.choice(_PAYMENT_METHODS)),
                     dict(obligor_party_id=applicant["id"], obligee_party_id=None,
                          content="收到上述款项后，不再就本纠纷向对方主张其他权利", amount=None, due_on=due,
                          place="张掖市甘州区矛盾纠纷调处中心", method="向调解中心出具书面确认")]
            responsibilities = f"被申请人{respondent['name']}对纠纷的发生负主要责任，申请人负次要责任。"
        else:
            content = rng.choice(_NO_MONEY_TERMS.get(type_name, ("按双方约定履行相应义务",)))
            terms = [dict(obligor_party_id=respondent["id"], obligee_party_id=applicant["id"], content=content,
                          amount=None, due_on=due, place=case["address"], method="自行履行，调解员现场查看")]
            responsibilities = "双方对纠纷的发生均有一定责任，应本着互谅互让的原则妥善处理。"
        requests = "；".join(case["requests"] or [])
        self.agreements.append(dict(
            id=agreement_id, case_id=case["id"], kind=kind, facts=case["facts"], disputed_matters=requests,
            responsibilities=responsibilities, copies=len(parties) + 1, signed_on=signed_on if signed else None,
            effective_on=signed_on if signed else None, version=1, created_at=at, updated_at=at))
        self.terms.extend(dict(agreement_id=agreement_id, seq=i + 1, **t) for i, t in enumerate(terms))
        if not signed:
            return None
        if full and kind is AgreementKind.WRITTEN and rng.random() < 0.25:
            self._confirmation(case["id"], agreement_id, signed_on)
        return kind

    def _confirmation(self, case_id: int, agreement_id: int, effective: date) -> None:
        """司法确认: applied for within the 30 days; confirmed when the court has had the time."""
        rng = self.rng
        today = self.moment.date()
        applied = effective + timedelta(days=rng.randrange(2, 20))
        if applied > today:
            return
        accepted = applied + timedelta(days=rng.randrange(1, 4))
        decided = accepted + timedelta(days=rng.randrange(10, 16))
        done = decided <= today
        at = datetime.combine(applied, datetime.min.time()).replace(hour=10)
        self.confirmations.append(dict(
            case_id=case_id, agreement_id=agreement_id, court=COURT, applied_on=applied,
            accepted_on=accepted if accepted <= today else None,
            court_case_number=f"（{accepted.year}）甘0702民特{rng.randrange(1, 900)}号" if accepted <= today else "",
            result=ConfirmationResult.CONFIRMED if done else ConfirmationResult.PENDING,
            decided_on=decided if done else None, note="裁定调解协议有效" if done else "",
            version=1, created_at=at, updated_at=at))

    def flush(self) -> None:
        for model, rows in ((InvestigationRecord, self.investigations), (MediationRecord, self.mediation),
                            (Attachment, self.attachments), (Agreement, self.agreements),
                            (AgreementTerm, self.terms), (JudicialConfirmation, self.confirmations)):
            bulk_insert(self.session, model, rows)
            rows.clear()

    def finish(self) -> None:
        """After the last flush: the submissions of the incomplete files say what they lack, as
        the workflow writes it when a real one is submitted."""
        from mediation_desk.services import dossier

        for case_id in self.incomplete:
            missing = dossier.completeness(self.session, case_id)
            note = "提交时卷宗尚缺：" + "；".join(str(m) for m in missing) + "。"
            self.session.execute(update(CaseEvent).where(
                CaseEvent.case_id == case_id, CaseEvent.action == Action.SUBMIT_FOR_REVIEW.value).values(note=note))


def seed_townships(session: Session, actor: Actor, rng: random.Random, cases_each: int, *,
                   today: datetime | None = None) -> int:
    """Two township centers under the county center (docs/centers.md), each with its mediators, one
    team handling every type, its three accounts (``<code>_clerk``, ``<code>_mediator``,
    ``<code>_head``, the demo password) and ``cases_each`` cases numbered with its own prefix."""
    county = numbering_center(session, None)
    types = list(session.scalars(select(DisputeType).order_by(DisputeType.id)))
    made = 0
    for name, prefix, code, team_name, people in TOWNSHIPS:
        township = Center(name=name, level=CenterLevel.TOWNSHIP, parent_id=county, prefix=prefix)
        session.add(township)
        session.flush()
        mediators = [Mediator(center_id=township.id, name=person, kind=MediatorKind.VOLUNTEER, phone=mobile(rng),
                              specialties="村调委会主任，熟悉本镇情况") for person in people]
        session.add_all(mediators)
        session.flush()
        team = Team(center_id=township.id, name=team_name, lead_mediator_id=mediators[0].id, dispute_types=types)
        team.members = [TeamMember(mediator_id=m.id, joined_on=date(2024, 1, 2)) for m in mediators]
        session.add(team)
        # The township's own rooms, in its own building (its notices print them).
        session.add_all([MediationRoom(center_id=township.id, name=room, capacity=capacity, location=where,
                                       active=True) for room, capacity, where in TOWNSHIP_ROOMS])
        session.flush()
        for suffix, label, role in (("clerk", "受理员", Role.INTAKE), ("mediator", "", Role.MEDIATOR),
                                    ("head", "主任", Role.HEAD)):
            mediator = mediators[0] if role is Role.MEDIATOR else None
            auth.create_user(session, actor, username=f"{code}_{suffix}",
                             display_name=mediator.name if mediator else f"{name[3:6]}{label}", role=role,
                             password=DEMO_PASSWORD, mediator_id=mediator.id if mediator else None,
                             must_change_password=False, center_id=township.id)
        made += generate_cases(session, cases_each, rng=rng, today=today, center_id=township.id)
    return made


def seed(session: Session, cases: int, *, seed_value: int = 2026, today: datetime | None = None,
         progress: Callable[[int, int], None] | None = None, township_cases: int = 0,
         loop: bool = False) -> DemoSummary:
    """Fill an empty database with the demo center; with ``township_cases``, two townships below it
    with that many cases each (:func:`seed_townships`); with ``loop``, the 12345 orders, ratings,
    briefing stories, cards and crossings of :mod:`mediation_desk.demo.loop` on a random stream of
    their own. Refuses a database that already has users."""
    if session.scalar(select(User.id).limit(1)) is not None:
        raise ValueError("数据库中已有用户，演示数据只能写入新建的空数据库。")
    if loop and today is not None and abs(today - now()) > timedelta(hours=1):
        # The loop's steps are taken through the services, which stamp them with the clock's now.
        raise ValueError("演示的工单、评价和流转按当前时间办理，today 须为现在（测试请移动时钟）。")
    rng = random.Random(seed_value)
    actor = Actor.system("demo")
    departments, teams, mediators, users = seed_organisation(session, actor, rng)
    made = generate_cases(session, cases, rng=rng, today=today, progress=progress)
    in_townships = 0
    if township_cases > 0:
        in_townships = seed_townships(session, actor, random.Random(seed_value + 1), township_cases, today=today)
    clocks.recompute_open_clocks(session)
    if made >= search.BULK_ROWS or in_townships >= search.BULK_ROWS:
        _analyze_clocks(session)
    looped = None
    if loop:
        from mediation_desk.demo import loop as citizens_loop

        looped = citizens_loop.seed_loop(session, random.Random(seed_value + 2), today or now())
    audit.record(session, actor, "demo.seed", "center", None, {"cases": made + in_townships})
    return DemoSummary(departments, teams, mediators, users, made, len(TOWNSHIPS) if in_townships else 0,
                       in_townships, looped)
