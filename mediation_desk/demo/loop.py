"""The demo's citizens-and-county loop: 12345 orders, the counter's 好差评, the risk briefing's
stories and the crossings between the county and its townships (docs/demo.md).

Everything here happens after the year of cases is in place, on a random stream of its own (so the
cases of a seed stay exactly what they were), relative to the demo's clock, and, where a service
takes the step, through that service as the person who would take it:

- 12345 orders: the cases that came by phone or online (the hotline's two ways in) are hotline orders. Their rows are
  written in bulk beside the cases (as ``import-cases`` writes them), with the times of 签收 and
  首次联系 of the orders received before the current month; the current month's orders (up to
  :data:`ORDERS_WORKED_PER_CENTER` a center) are signed for and contacted through
  ``services.hotline`` by the clerk, but for each center's newest (left to sign for on the desk)
  and the one before it (signed for, its first contact still to record).
- 好差评: cases registered at the counter in the last complete month and the current one are rated
  through ``services.ratings`` (at most :data:`RATINGS_PER_MONTH` a month and center, so a
  million-case demo stays quick).
- The briefing's stories, registered through ``services.cases``: one applicant who comes back three
  times within 90 days about the same place, a group dispute of over 50 people in each of the two
  months, one of over 100, and a case flagged 可能民转刑. Cards (黄牌/红牌) are given by
  ``services.cards`` on the last day of the last month and today.
- Crossings (with townships): 上报 from a township, 交办 down with deadlines that show red, yellow
  and green, a 回退 with its reason, and a 联办 with one township's 反馈 and one still awaited.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation_desk.models import (
    BadRatingReason,
    CaseState,
    Center,
    DisputeCase,
    DisputeType,
    Gender,
    HotlineOrder,
    IdDocumentType,
    PartyKind,
    PartyRole,
    RatingChannel,
    RatingLevel,
    RiskLevel,
    Role,
    SourceChannel,
    User,
)
from mediation_desk.services import auth, cards, cases, crossings, hotline, ratings
from mediation_desk.services.actor import Actor
from mediation_desk.services.calendar import WorkingCalendar
from mediation_desk.services.numbering import numbering_center

#: The cases :func:`seed_stories` registers for the risk briefing.
STORY_CASES = 6
#: The most orders of the current month a center's clerk signs for and contacts through the service
#: (a million-case demo has thousands; the rest carry the same times written in bulk).
ORDERS_WORKED_PER_CENTER = 120
#: The most counter ratings the demo records a month and center through the service.
RATINGS_PER_MONTH = 150
#: The hotline's own type codes (热线类型编码) by the center's dispute type; others take the last.
HOTLINE_TYPE_CODES = {
    "劳动争议": "040101", "拖欠农民工工资": "040102", "物业": "070301", "消费": "060201", "邻里": "090101",
    "婚姻家庭": "090201", "房屋宅基地": "070101", "山林土地": "020101", "环境污染": "050101",
    "道路交通事故": "080201", "医疗": "100101",
}
OTHER_TYPE_CODE = "990000"
#: The channels a 12345 order arrives by (``import-cases`` registers the hotline's rows as 来电).
_HOTLINE_CHANNELS = (SourceChannel.PHONE, SourceChannel.ONLINE)
_CROSSABLE = frozenset({CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.IN_MEDIATION})

_LEVELS = list(RatingLevel)
_LEVEL_WEIGHTS = (58, 26, 9, 5, 2)
_CHANNELS = (RatingChannel.SCREEN, RatingChannel.PAPER, RatingChannel.PHONE)
_CHANNEL_WEIGHTS = (75, 15, 10)
_BAD_REASONS = (BadRatingReason.WAITING, BadRatingReason.PROCEDURE, BadRatingReason.EXPLANATION)


@dataclass(frozen=True)
class LoopSummary:
    orders: int
    orders_worked: int
    ratings: int
    stories: int
    cards: int
    crossings: int


def month_start(day: date) -> date:
    return day.replace(day=1)


def last_month_start(day: date) -> date:
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def _actor(session: Session, center_id: int, role: Role) -> Actor | None:
    user = session.scalar(select(User).where(User.center_id == center_id, User.role == role, User.active.is_(True))
                          .order_by(User.id).limit(1))
    return None if user is None else auth.actor_for(session, user)


def seed_loop(session: Session, rng: random.Random, moment: datetime) -> LoopSummary:
    """Add the loop to a demo whose cases are in place (see the module)."""
    orders, worked = seed_hotline(session, rng, moment)
    rated = seed_ratings(session, rng, moment)
    stories = seed_stories(session, rng, moment)
    given = seed_cards(session, moment)
    crossed = seed_crossings(session, moment)
    return LoopSummary(orders, worked, rated, stories, given, crossed)


# --- 12345 --------------------------------------------------------------------------------------


def seed_hotline(session: Session, rng: random.Random, moment: datetime) -> tuple[int, int]:
    """The orders (bulk, as an import writes them) and the current month's 签收/联系 (service)."""
    from mediation_desk.demo import bulk_insert

    this_month = datetime.combine(month_start(moment.date()), time())
    type_names = dict(session.execute(select(DisputeType.id, DisputeType.name)).all())
    found = session.execute(
        select(DisputeCase.id, DisputeCase.received_at, DisputeCase.dispute_type_id, DisputeCase.center_id)
        .where(DisputeCase.source_channel.in_(_HOTLINE_CHANNELS)).order_by(DisputeCase.id)).all()
    rows: list[dict[str, Any]] = []
    current: list[tuple[int, datetime, int]] = []
    quota: dict[int, int] = {}
    for case_id, received, type_id, center_id in found:
        signed = contacted = None
        sign_gap = timedelta(minutes=rng.randrange(20, 60 * 20))
        late = rng.random() < 0.08  # a few first contacts miss the 2 working days
        contact_gap = timedelta(hours=rng.randrange(60, 130) if late else rng.randrange(1, 30))
        if received >= this_month and quota.get(center_id, 0) < ORDERS_WORKED_PER_CENTER:
            quota[center_id] = quota.get(center_id, 0) + 1
            current.append((case_id, received, center_id))  # worked below, through the service
        elif received + sign_gap <= moment - timedelta(hours=2):
            # Past orders (and, beyond the quota, the current month's), as the desk recorded them.
            signed = received + sign_gap
            contacted = signed + contact_gap if signed + contact_gap <= moment - timedelta(hours=1) else None
        rows.append(dict(
            case_id=case_id, order_no=f"ZY12345-{received:%Y%m%d}-{case_id:07d}",
            type_code=HOTLINE_TYPE_CODES.get(type_names.get(type_id, ""), OTHER_TYPE_CODE), received_at=received,
            signed_at=signed, contacted_at=contacted, contact_note="已电话联系来电群众，了解诉求" if contacted else "",
            created_at=received, updated_at=contacted or signed or received))
    bulk_insert(session, HotlineOrder, rows)
    clerks: dict[int, Actor | None] = {}
    worked = 0
    # The newest order of each center waits for 签收 on the desk, the one before it for 首次联系.
    newest: dict[int, list[int]] = {}
    for case_id, _received, center_id in current:
        newest.setdefault(center_id, []).append(case_id)
    for case_id, received, center_id in current:
        waiting = newest[center_id][-2:]
        if case_id == waiting[-1]:
            continue
        if center_id not in clerks:
            clerks[center_id] = _actor(session, center_id, Role.INTAKE)
        clerk = clerks[center_id]
        signed_at = min(received + timedelta(minutes=rng.randrange(20, 60 * 6)), moment)
        contact_at = min(signed_at + timedelta(hours=rng.randrange(1, 30)), moment)
        if clerk is None:
            continue
        hotline.sign_for(session, clerk, case_id, at=signed_at)
        worked += 1
        if case_id != waiting[0]:
            hotline.record_contact(session, clerk, case_id, at=contact_at, note="已电话联系来电群众，了解诉求")
    return len(rows), worked


# --- 好差评 ---------------------------------------------------------------------------------------


def seed_ratings(session: Session, rng: random.Random, moment: datetime) -> int:
    """Ratings of the registrations of the last complete month and the current one."""
    start = datetime.combine(last_month_start(moment.date()), time())
    found = session.execute(
        select(DisputeCase.id, DisputeCase.received_at, DisputeCase.center_id)
        .where(DisputeCase.received_at >= start, DisputeCase.registered_by_id.is_not(None))
        .order_by(DisputeCase.received_at, DisputeCase.id)).all()
    recorders: dict[int, Actor | None] = {}
    per_month: dict[tuple[int, int, int], int] = {}
    made = 0
    for case_id, received, center_id in found:
        if rng.random() < 0.2:  # not every citizen rates
            continue
        key = (center_id, received.year, received.month)
        if per_month.get(key, 0) >= RATINGS_PER_MONTH:
            continue
        at = received + timedelta(minutes=rng.randrange(3, 15))
        if at > moment:
            continue
        if center_id not in recorders:
            recorders[center_id] = _actor(session, center_id, Role.INTAKE)
        clerk = recorders[center_id]
        if clerk is None:
            continue
        level = rng.choices(_LEVELS, _LEVEL_WEIGHTS)[0]
        channel = rng.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0]
        bad = level in (RatingLevel.UNSATISFIED, RatingLevel.VERY_UNSATISFIED)
        reasons = [rng.choice(_BAD_REASONS)] if bad else []
        ratings.record(session, clerk, case_id, level, channel=channel, reasons=reasons,
                       comment="排队时间较长，希望增加窗口" if bad and rng.random() < 0.5 else "", at=at)
        per_month[key] = per_month.get(key, 0) + 1
        made += 1
    return made


# --- the briefing's stories ---------------------------------------------------------------------


def _in_month(start: date, moment: datetime, fraction: float) -> datetime:
    """A working-hours moment ``fraction`` of the way through the month starting ``start``, never
    after ``moment`` (nor before the month)."""
    end = min(datetime.combine((start + timedelta(days=32)).replace(day=1), time()), moment)
    at = datetime.combine(start, time(9)) + (end - datetime.combine(start, time(9))) * fraction
    at = at.replace(second=0, microsecond=0)
    return max(min(at, moment - timedelta(minutes=30)), datetime.combine(start, time()))


def seed_stories(session: Session, rng: random.Random, moment: datetime) -> int:
    """Cases the monthly briefing must show, registered at the counter by the county's clerk."""
    from mediation_desk.demo import mobile, person_name, resident_id

    clerk = _actor(session, numbering_center(session, None), Role.INTAKE)
    if clerk is None:
        return 0
    types = dict(session.execute(select(DisputeType.name, DisputeType.id)).all())
    this, last = month_start(moment.date()), last_month_start(moment.date())
    # One applicant, one place, three visits within 90 days: a repeat party and a repeat place.
    birth = date(1968, 5, 17)
    person = dict(name=person_name(rng), id_number=resident_id(rng, birth, Gender.MALE), phone=mobile(rng))
    place = "张掖市甘州区梁家墩镇五里墩村三社 12 号"
    neighbour = dict(name=person_name(rng), id_number=resident_id(rng, date(1975, 9, 2), Gender.FEMALE),
                     phone=mobile(rng))

    def party(role: PartyRole, who: dict[str, str], gender: Gender, born: date) -> cases.PartyInput:
        return cases.PartyInput(role=role, name=who["name"], gender=gender, birth_date=born,
                                id_type=IdDocumentType.RESIDENT_ID, id_number=who["id_number"], phone=who["phone"],
                                address=place, ethnicity="汉族")

    def company(name: str) -> cases.PartyInput:
        return cases.PartyInput(role=PartyRole.RESPONDENT, name=name, kind=PartyKind.LEGAL_PERSON,
                                legal_representative=person_name(rng), phone=mobile(rng))

    stories: list[cases.CaseInput] = []
    for when, title in ((_in_month(last, moment, 0.2), "五里墩村院墙界址纠纷"),
                        (_in_month(last, moment, 0.8), "五里墩村排水引发邻里纠纷（再次反映）"),
                        (_in_month(this, moment, 0.4), "五里墩村院墙界址纠纷（第三次反映）")):
        stories.append(cases.CaseInput(
            title=title, dispute_type_id=types["邻里"], received_at=when, address=place, village="五里墩村",
            grid="梁家墩镇第3网格", risk_level=RiskLevel.YELLOW, people_involved=2,
            facts="申请人反映邻居加高院墙、改变排水方向，多次协商未果，情绪激动。",
            requests=["拆除加高部分院墙", "恢复原排水走向"],
            parties=[party(PartyRole.APPLICANT, person, Gender.MALE, birth),
                     party(PartyRole.RESPONDENT, neighbour, Gender.FEMALE, date(1975, 9, 2))]))
    for when, people, company_name in ((_in_month(last, moment, 0.5), 68, "甘州区宏达建筑工程有限公司"),
                                       (_in_month(this, moment, 0.3), 126, "张掖市祁连劳务派遣有限公司")):
        worker_birth = date(1981, 3, 9)
        worker = dict(name=person_name(rng), id_number=resident_id(rng, worker_birth, Gender.MALE), phone=mobile(rng))
        stories.append(cases.CaseInput(
            title=f"{people}名农民工集体讨薪纠纷", dispute_type_id=types["拖欠农民工工资"], received_at=when,
            address="张掖市甘州区新墩镇城儿闸村工地", village="城儿闸村", grid="新墩镇第2网格",
            risk_level=RiskLevel.RED if people >= 100 else RiskLevel.ORANGE, is_group_dispute=True,
            people_involved=people, amount_involved=None,
            facts=f"{people}名务工人员反映工程完工后工资未结清，已多次聚集讨要，有集体上访苗头。",
            requests=["结清拖欠工资"],
            parties=[party(PartyRole.APPLICANT, worker, Gender.MALE, worker_birth), company(company_name)]))
    hurt_birth = date(1990, 11, 23)
    hurt = dict(name=person_name(rng), id_number=resident_id(rng, hurt_birth, Gender.MALE), phone=mobile(rng))
    other = dict(name=person_name(rng), id_number=resident_id(rng, date(1986, 1, 30), Gender.MALE), phone=mobile(rng))
    stories.append(cases.CaseInput(
        title="土地流转租金纠纷引发肢体冲突", dispute_type_id=types["山林土地"],
        received_at=_in_month(this, moment, 0.6), address="张掖市甘州区党寨镇陈寨村", village="陈寨村",
        grid="党寨镇第5网格", risk_level=RiskLevel.ORANGE, may_turn_criminal=True, people_involved=2,
        facts="双方因土地流转租金发生争执并有推搡，一方扬言报复，存在民转刑风险。",
        requests=["支付拖欠的土地流转租金"],
        parties=[party(PartyRole.APPLICANT, hurt, Gender.MALE, hurt_birth),
                 party(PartyRole.RESPONDENT, other, Gender.MALE, date(1986, 1, 30))]))
    assert len(stories) == STORY_CASES
    for story in stories:
        cases.register_case(session, clerk, story)
    return len(stories)


def seed_cards(session: Session, moment: datetime) -> int:
    """黄牌/红牌 given by each center's head on the last day of last month and today."""
    heads = [a for a in (_actor(session, c, Role.HEAD) for c in session.scalars(select(Center.id).order_by(Center.id)))
             if a is not None]
    given = 0
    for day in (month_start(moment.date()) - timedelta(days=1), moment.date()):
        for head in heads:
            given += len(cards.check(session, head, day).given)
    return given


# --- crossings ----------------------------------------------------------------------------------


def seed_crossings(session: Session, moment: datetime) -> int:
    """Crossings between the county center and its first two townships (none without townships)."""
    county_id = numbering_center(session, None)
    townships = list(session.scalars(select(Center.id).where(Center.parent_id == county_id).order_by(Center.id)
                                     .limit(2)))
    if len(townships) < 2:
        return 0
    county_clerk = _actor(session, county_id, Role.INTAKE)
    first, second = (_actor(session, t, Role.INTAKE) for t in townships)
    if county_clerk is None or first is None or second is None:
        return 0
    # Cases still being worked (a failed mediation goes to court, not down to a township).
    open_states = sorted(_CROSSABLE)

    def open_cases(center_id: int, count: int) -> list[int]:
        return list(session.scalars(
            select(DisputeCase.id).where(DisputeCase.center_id == center_id, DisputeCase.handling_center_id.is_(None),
                                         DisputeCase.state.in_(open_states))
            .order_by(DisputeCase.received_at.desc(), DisputeCase.id.desc()).limit(count)))

    today = moment.date()
    calendar = WorkingCalendar.load(session)
    made = 0
    county = open_cases(county_id, 6)
    # 上报: a township sends a case it cannot resolve up to the county (open, awaiting the county).
    for township, clerk in zip(townships, (first, second), strict=True):
        up = open_cases(township, 1)
        if up:
            crossings.report_up(session, clerk, up[0],
                                reason="涉及多个村组土地边界，镇级调解难以协调，申请区中心统筹调处。")
            made += 1
            break
    if len(county) < 6:
        return made
    # 交办 with deadlines shown red (overdue), yellow (its last working days) and green.
    red_from = calendar.add_working_days(today, -8)
    for case_id, working_days, given_on, who in (
            (county[0], 5, red_from, townships[0]), (county[1], 2, today, townships[0]),
            (county[2], 10, today, townships[1])):
        crossings.assign(session, county_clerk, case_id, working_days=working_days, to_center_id=who,
                         reason="请属地综治中心牵头调处，按期反馈调处结果。", today=given_on)
        made += 1
    # 回退: a township returns an assignment that is not its own ground.
    crossings.assign(session, county_clerk, county[3], working_days=10, to_center_id=townships[1],
                     reason="请属地综治中心核实情况并调处。", today=today)
    crossings.return_case(session, second, county[3],
                          reason="经核实，纠纷发生地不在本镇辖区，申请人户籍在新墩镇，请区中心另行交办。")
    made += 2
    # 联办: both townships co-handle; the first has reported back, the second not yet.
    crossings.co_handle(session, county_clerk, county[4], center_ids=townships, working_days=7,
                        reason="纠纷涉及两镇相邻村组，请两镇综治中心联合调处，各自反馈。", today=today)
    crossings.feedback(session, first, county[4],
                       text="已走访本镇涉及的 12 户村民，核实灌溉用水分配情况，建议按往年轮灌表执行。")
    made += 3
    return made


def counts(session: Session) -> dict[str, int]:
    """How many rows of each loop feature the database holds (tests and the command's summary)."""
    from mediation_desk.models import CaseCrossing, ServiceRating, StageCard

    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in (("orders", HotlineOrder), ("ratings", ServiceRating), ("crossings", CaseCrossing),
                                ("cards", StageCard))}
