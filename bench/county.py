"""A whole county on one PostgreSQL server, with row-level security on (issue 21 item 6).

Budgets: 20 centers × 50,000 cases; a township user's first rows of the case list ≤ 300 ms, a
search ≤ 100 ms, the county head's month dashboard across all centers ≤ 300 ms; the replication
lag from a county write to the city's row, median and worst over 1,000 writes, ≤ 2 s.

    .venv/bin/python bench/county.py [--centers 20] [--cases-per-center 50000] [--repeat 7]
                                     [--writes 1000] [--no-lag] [--explain]

What it does, in a throwaway PostgreSQL cluster on loopback (started as tests/pgserver.py does,
``wal_level=logical`` so that it can publish to a city):

1. Migrates to the head revision and makes the county through the services, as its administrator
   would: the county center's organisation and accounts (the demo's), then ``--centers`` − 1
   township centers and village committees (a quarter villages, each below a township) with
   ``centers.create_center``, a mediator and a team each (``organisation``), and three accounts
   each (受理员, 调解员, 中心主任) with ``auth.create_user`` — so every account has its real login
   role in its group (md_intake / md_mediator / md_head).
2. Fills every center with ``--cases-per-center`` cases set-wise (one ``INSERT … SELECT`` over
   ``generate_series`` per center and table, as the table owner with the triggers off and the
   secondary indexes dropped, rebuilt after): three years of cases, two parties each (names
   drawn from common surnames and given names, 15 % companies), facts from a dozen templates
   with amounts, ending transitions (调解成功/不成/撤回/分流/不予受理) for the cases that ended,
   return visits for a third of the successes, open cases with running clocks (some overdue),
   per-center numbering (and its sequence rows). Then the project's own rebuilds make everything
   derived consistent: ``search.rebuild_index`` (the gram counts), ``stat_months.recount`` (the
   monthly figures), the city report tables' fill (``city.county_statements``), and ANALYZE.
3. Measures, each connected as the real login role (``Database.connect_as``) and signed in with
   ``auth.login`` — the server's policies apply — every figure ``--repeat`` times (median and
   worst, each run in a new session as the app's task lanes do), alternating with a floor (a
   ``SELECT 1`` in a new session of the same role):
   the first rows of the case list (``caselist.fetch_window(…, 0, 50, total=None)``, what the
   list reads before its count) for a township's clerk and head, and its count; the list's search
   (best match first, the first rows) for a two-character word, a two-character name and a
   three-character name, as the township clerk; the county head's dashboard of the last month
   across all centers (``statistics.figures`` for a whole month) and narrowed to one township.
   ``--explain``: EXPLAIN (ANALYZE, BUFFERS) of the slowest statements of every figure over budget.
4. The lag (unless ``--no-lag``): a second cluster as the city (``city.init_city``, subscribed to
   the county as docs/deployment.md says, the county's code published by its administrator with
   ``city.publish``); after the first copy, ``--writes`` writes one after the other through the
   services as a township clerk's own role — half registrations, half refusals (不予受理) of the
   case just registered — and the time from each commit to the first poll of the city that sees
   it (polls every 0.5 ms); median, p95 and worst.

Prints ``uptime`` before and after (the machine's load).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

if TYPE_CHECKING:
    from mediation_desk.db import Database
    from mediation_desk.services.actor import Actor
    from tests.pgserver import PgServer

#: The day the data ends (the dashboard's month is the one it ends, its "today" the day after).
DATA_END = date(2026, 11, 30)
TODAY = DATA_END + timedelta(days=1)
YEARS = 3
BUDGET_FIRST_ROWS = 300.0
BUDGET_SEARCH = 100.0
BUDGET_DASHBOARD = 300.0
BUDGET_LAG = 2000.0
CODE = "620702"
PASSWORD = "County@2026"

#: Townships of 甘州区 (the names only; every figure here is made up).
TOWNS = ("梁家墩", "党寨", "上秦", "大满", "沙井", "乌江", "甘浚", "新墩", "小满", "三闸", "长安", "碱滩",
         "靖安", "龙渠", "安阳", "花寨", "明永", "平山湖", "西洞", "石岗墩", "廿里堡", "火车站", "北街", "东街")
VILLAGES = ("清凉寺", "南闸", "太平", "宣威", "周家庄", "刘家沟", "高家庄", "沙河", "红沙窝", "马家湾")

SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
            "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
            "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "欧阳",
            "司马", "祁", "俞")
GIVEN = ("伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "兰", "霞", "平", "刚", "桂", "华", "红", "建", "国", "玉", "文", "德", "忠", "海", "燕", "林", "福",
         "永", "志", "春", "梅", "荣", "生", "斌", "宏", "辉", "鹏", "凤", "琴", "云", "成", "宝", "新", "喜", "珍")
COMPANIES = ("甘州区宏达建筑工程有限公司", "张掖市绿源农业开发有限公司", "甘州区惠民超市", "张掖市安居物业服务有限公司",
             "甘州区顺通运输有限责任公司", "张掖市金穗种业有限公司")
KINDS = ("相邻", "宅基地", "拖欠工资", "婚姻家庭", "损害赔偿", "房屋租赁", "山林土地", "物业", "道路交通事故",
         "消费", "合同", "房屋")
FACTS = (
    "申请人与被申请人因宅基地界址发生争议，双方各执一词。",
    "申请人在被申请人承包的工地务工，被拖欠工资{amount}元，多次催要未果。",
    "双方系邻居，因院前通道堆放杂物发生争执。",
    "申请人与被申请人婚后感情不和，就子女抚养和共同财产分割产生纠纷。",
    "被申请人饲养的牛羊进入申请人承包地，毁坏玉米约{mu}亩。",
    "申请人租住被申请人房屋，因押金{amount}元退还问题发生纠纷。",
    "双方因灌溉用水先后顺序发生争执，影响春播。",
    "申请人所在小区物业服务不到位，拒交物业费，物业公司起诉前申请调解。",
    "申请人驾驶电动车与被申请人的三轮车相撞，就医疗费{amount}元赔偿协商未果。",
    "申请人在被申请人经营的超市购买过期食品，要求十倍赔偿。",
    "双方因土地流转合同到期后的地上附着物补偿发生争议。",
    "被申请人装修时破坏承重墙，导致申请人房屋墙体开裂。",
)
CHANNELS = ("visit", "visit", "visit", "phone", "phone", "letter", "online", "grid_report", "grid_report",
            "police_transfer", "court_delegated", "petition_transfer")


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _array(values: tuple[str, ...]) -> str:
    """A SQL text[] literal of ``values`` (ours: no quotes inside)."""
    return "(ARRAY[" + ", ".join(f"'{v}'" for v in values) + "])"


# --------------------------------------------------------------------------- the county's centers


@dataclass
class Place:
    """One center of the county and what the bench needs of it."""

    id: int
    name: str
    level: str
    prefix: str
    parent: int | None
    #: username by role value ("intake", "mediator", "head")
    accounts: dict[str, str] = field(default_factory=dict)
    team_ids: list[int] = field(default_factory=list)


def layout(centers: int) -> list[tuple[str, str, str, int | None]]:
    """(name, level, prefix, index of the parent) of the centers below the county: a quarter of
    them village committees, village i below township i."""
    below = centers - 1
    villages = below // 4
    townships = below - villages
    rows: list[tuple[str, str, str, int | None]] = []
    for i in range(townships):
        town = TOWNS[i % len(TOWNS)] + ("" if i < len(TOWNS) else str(i // len(TOWNS) + 1))
        rows.append((f"甘州区{town}镇综治中心", "township", f"甘州{town}调", None))
    for i in range(villages):
        town = rows[i][2][2:-1]
        village = VILLAGES[i % len(VILLAGES)]
        rows.append((f"{town}镇{village}村调委会", "village", f"{town}{village}村调", i))
    return rows


def make_county(owner: Database, centers: int) -> list[Place]:
    """The county center (the demo's organisation and accounts) and the centers below it, each with
    a mediator, a team and three accounts, through the services as the administrator."""
    from sqlalchemy import select, text

    from mediation_desk import demo
    from mediation_desk.models import CenterLevel, DisputeType, MediatorKind, Role, Team
    from mediation_desk.services import auth, organisation
    from mediation_desk.services import centers as center_service
    from mediation_desk.services.actor import Actor

    with owner.write() as session:
        demo.seed_organisation(session, Actor.system("bench"), random.Random(1))
    admin = auth.login(owner, "admin", demo.DEMO_PASSWORD)
    places: list[Place] = []
    with owner.write() as session:
        county = center_service.root_id(session)
        assert county is not None
        prefix = session.scalar(text("SELECT prefix FROM center WHERE id = :id"), {"id": county})
        place = Place(county, "甘州区矛盾纠纷调处中心", "county", str(prefix), None,
                      {"intake": "clerk", "mediator": "mediator", "head": "head"})
        place.team_ids = list(session.scalars(select(Team.id).where(Team.center_id == county)))
        places.append(place)
        type_ids = list(session.scalars(select(DisputeType.id)))
        for n, (name, level, prefix, parent) in enumerate(layout(centers), start=1):
            parent_id = county if parent is None else places[parent + 1].id
            info = center_service.create_center(session, admin, center_service.CenterInput(
                name=name, level=CenterLevel(level), parent_id=parent_id, prefix=prefix))
            place = Place(info.id, name, level, prefix, parent_id)
            person = demo.person_name(random.Random(n))
            mediator = organisation.create_mediator(session, admin, organisation.MediatorInput(
                name=person, kind=MediatorKind.VOLUNTEER, phone="13909360000", center_id=info.id)).item
            team = organisation.create_team(session, admin, organisation.TeamInput(
                name=f"{name[:-4] if level == 'township' else name[:-3]}人民调解委员会", dispute_type_ids=type_ids,
                member_ids=[mediator.id], lead_mediator_id=mediator.id, center_id=info.id)).item
            place.team_ids = [team.id]
            for role, label in ((Role.INTAKE, "受理员"), (Role.MEDIATOR, ""), (Role.HEAD, "主任")):
                username = f"c{n:02d}_{role.value}"
                auth.create_user(session, admin, username=username, display_name=label or person, role=role,
                                 password=PASSWORD, mediator_id=mediator.id if role is Role.MEDIATOR else None,
                                 must_change_password=False, center_id=info.id)
                place.accounts[role.value] = username
            places.append(place)
    return places


# --------------------------------------------------------------------------- the fill

_FILL = """
CREATE TEMP TABLE fill ON COMMIT DROP AS
WITH s AS (
  SELECT g, :base + g AS id,
         abs(hashint4(:base + g)) AS h, abs(hashint4(:base + g + 7919)) AS h2, abs(hashint4(:base + g + 104729)) AS h3,
         CAST(:start AS timestamp) + (CAST(:span AS double precision) * (g - 1) / :n) * interval '1 second' AS received
    FROM generate_series(1, :n) AS g
), t AS (
  SELECT s.*, CAST(extract(year FROM received) AS integer) AS yr,
         CAST(:end_day AS date) - CAST(received AS date) AS age,
         h % 100 AS u, (h / 100) % 100 AS v, h2 % 12 AS k,
         {surnames}[1 + h2 / 12 % {n_surnames}] || {given}[1 + h3 % {n_given}]
           || CASE WHEN h3 / {n_given} % 10 < 7 THEN {given}[1 + h3 / 97 % {n_given}] ELSE '' END AS applicant
    FROM s
), e AS (
  SELECT t.*,
         (age <= 30 AND v < 80) OR (age > 30 AND age <= 120 AND v < 25) AS open,
         received + (least(2 + v % 40, greatest(age - 1, 0)) * interval '1 day') + interval '2 hours' AS end_at
    FROM t
)
SELECT id, g, h, h2, h3, received, yr, age, u, v, k, applicant, end_at,
       row_number() OVER (PARTITION BY yr ORDER BY g) AS seq,
       CASE WHEN open THEN NULL WHEN u < 60 THEN 'succeed' WHEN u < 75 THEN 'fail' WHEN u < 80 THEN 'reject'
            WHEN u < 90 THEN 'divert' WHEN u < 95 THEN 'withdraw' END AS ending,
       CASE WHEN open THEN (ARRAY['registered', 'accepted', 'assigned', 'in_mediation', 'in_mediation'])[1 + u % 5]
            WHEN u < 75 THEN 'closed' WHEN u < 80 THEN 'rejected' WHEN u < 90 THEN 'diverted'
            WHEN u < 95 THEN 'closed' ELSE 'transferred' END AS state
  FROM e
"""

_CASES = """
INSERT INTO dispute_case (id, number, year, seq, title, state, dispute_type_id, source_channel, risk_level,
  is_group_dispute, may_turn_criminal, people_involved, amount_involved, address, village, grid, facts, requests,
  received_at, accepted_at, closed_at, team_id, lead_mediator_id, registered_by_id, origin, version, created_at,
  updated_at, is_consultation, clock_stage, clock_warn_on, clock_due_on, center_id)
SELECT id, '（' || yr || '）' || :prefix || '字第'
           || lpad(CAST(seq AS text), greatest(4, length(CAST(seq AS text))), '0') || '号', yr, seq,
       applicant || '等' || {kinds}[1 + k] || '纠纷', state, (CAST(:types AS integer[]))[1 + h3 % :n_types],
       {channels}[1 + h / 7 % {n_channels}], CASE WHEN h % 10 = 0 THEN 'yellow' ELSE 'blue' END,
       h % 50 = 0, h % 37 = 0, CASE WHEN h % 50 = 0 THEN 5 + h % 40 ELSE 2 END,
       CASE WHEN k IN (1, 5, 8) THEN CAST(500 + h2 % 89500 AS numeric) END,
       '张掖市甘州区', '', '',
       replace(replace({facts}[1 + k], '{{amount}}', CAST(500 + h2 % 89500 AS text)),
               '{{mu}}', CAST(1 + h % 8 AS text)),
       CAST('[]' AS json), received,
       CASE WHEN state NOT IN ('registered', 'rejected') THEN received + interval '1 hour' END,
       CASE WHEN state = 'closed' THEN end_at + interval '1 day' END,
       CASE WHEN state IN ('assigned', 'in_mediation', 'closed', 'transferred')
            THEN (CAST(:teams AS integer[]))[1 + h % :n_teams] END,
       NULL, NULL, NULL, 1, received, CASE WHEN ending IS NULL THEN received ELSE end_at END, false,
       CASE WHEN state = 'registered' THEN 'acceptance' WHEN ending IS NULL AND state <> 'transferred'
            THEN 'mediation' END,
       CASE WHEN state = 'registered' THEN CAST(received AS date) + 2 WHEN ending IS NULL AND state <> 'transferred'
            THEN CAST(received AS date) + 25 END,
       CASE WHEN state = 'registered' THEN CAST(received AS date) + 3 WHEN ending IS NULL AND state <> 'transferred'
            THEN CAST(received AS date) + 30 END,
       :center
  FROM fill
"""

_PARTIES = """
INSERT INTO party (case_id, seq, role, kind, name, gender, ethnicity, birth_date, id_type, id_number, occupation,
  work_unit, address, phone, legal_representative, credit_code, is_minor, agent_name, agent_phone, agent_authority,
  created_at, updated_at)
SELECT id, p.seq, p.role, p.kind, p.name, NULL, '汉族', NULL,
       CASE WHEN p.kind = 'person' AND p.x % 10 < 6 THEN 'resident_id' END,
       CASE WHEN p.kind = 'person' AND p.x % 10 < 6
            THEN '6207' || lpad(CAST(1 + p.x % 29 AS text), 2, '0') || CAST(1940 + p.x % 65 AS text)
                 || lpad(CAST(1 + p.x % 12 AS text), 2, '0') || lpad(CAST(1 + p.x % 28 AS text), 2, '0')
                 || lpad(CAST(p.x % 1000 AS text), 3, '0') || substr('0123456789X', 1 + p.x % 11, 1)
            ELSE '' END,
       '', '', '',
       CASE WHEN p.x % 10 < 7 THEN '1' || (ARRAY['3', '5', '8', '9'])[1 + p.x % 4]
                                  || lpad(CAST(p.x % 1000000000 AS text), 9, '0') ELSE '' END,
       '', '', false, '', '', '', received, received
  FROM fill, LATERAL (VALUES
    (0, 'applicant', 'person', applicant, h),
    (1, 'respondent', CASE WHEN h2 % 100 < 15 THEN 'legal_person' ELSE 'person' END,
     CASE WHEN h2 % 100 < 15 THEN {companies}[1 + h3 % {n_companies}]
          ELSE {surnames}[1 + h3 % {n_surnames}] || {given}[1 + h / 13 % {n_given}]
               || CASE WHEN h3 / 7 % 10 < 7 THEN {given}[1 + h2 / 11 % {n_given}] ELSE '' END END, h3)
  ) AS p (seq, role, kind, name, x)
"""

_ENDINGS = """
INSERT INTO case_event (case_id, at, user_id, kind, action, from_state, to_state, note)
SELECT id, end_at, NULL, 'transition', ending,
       CASE WHEN ending IN ('reject', 'divert') THEN 'registered' ELSE 'in_mediation' END,
       CASE ending WHEN 'succeed' THEN 'succeeded' WHEN 'fail' THEN 'failed' WHEN 'withdraw' THEN 'withdrawn'
                   WHEN 'reject' THEN 'rejected' ELSE 'diverted' END, ''
  FROM fill WHERE ending IS NOT NULL
"""

_VISITS = """
INSERT INTO return_visit (case_id, visited_on, visitor, parties_visited, performance, satisfaction, notes, version,
  created_at, updated_at, method, reopened, lawsuit, lawsuit_result, hidden_risks)
SELECT id, CAST(end_at AS date) + 15, '回访员', '申请人', NULL,
       CASE WHEN h2 % 10 < 7 THEN 'satisfied' WHEN h2 % 10 < 9 THEN 'fairly' ELSE 'unsatisfied' END, '', 1,
       end_at + interval '15 days', end_at + interval '15 days', NULL, false, '', '', ''
  FROM fill WHERE ending = 'succeed' AND h % 3 = 0 AND CAST(end_at AS date) + 15 <= CAST(:end_day AS date)
"""


def _sql(template: str) -> str:
    return template.format(
        surnames=_array(SURNAMES), n_surnames=len(SURNAMES), given=_array(GIVEN), n_given=len(GIVEN),
        kinds=_array(KINDS), facts=_array(FACTS), channels=_array(CHANNELS), n_channels=len(CHANNELS),
        companies=_array(COMPANIES), n_companies=len(COMPANIES))


_TABLES = ("dispute_case", "party", "case_event", "return_visit")


def fill(url: str, places: list[Place], per_center: int) -> None:
    """Every center's cases, set-wise, then the project's rebuilds of what is derived from them."""
    import psycopg
    from sqlalchemy import select

    from mediation_desk.db import Database
    from mediation_desk.models import DisputeType
    from mediation_desk.services import city, search, stat_months

    db = Database(url)
    with db.read() as session:
        type_ids = list(session.scalars(select(DisputeType.id).order_by(DisputeType.id)))
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    started = time.perf_counter()
    with psycopg.connect(plain, autocommit=True) as conn:
        # The secondary indexes are built once after the load (what a bulk loader does); the unique
        # ones stay and check the numbering as it goes in.
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%s) "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'", (list(_TABLES),)).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("SET session_replication_role = replica")  # no trigger: the rebuilds below count
        conn.execute("SET work_mem = '256MB'")
        base = int(conn.execute("SELECT coalesce(max(id), 0) FROM dispute_case").fetchone()[0])  # type: ignore[index]
        start = datetime.combine(DATA_END, datetime.min.time()) - timedelta(days=365 * YEARS) + timedelta(days=1)
        span = (datetime.combine(DATA_END, datetime.min.time()) + timedelta(hours=18) - start).total_seconds()
        for place in places:
            t0 = time.perf_counter()
            params = {"base": base, "n": per_center, "start": start, "span": span, "end_day": DATA_END,
                      "prefix": place.prefix, "types": type_ids, "n_types": len(type_ids), "teams": place.team_ids,
                      "n_teams": len(place.team_ids), "center": place.id}
            with conn.transaction():
                for template in (_FILL, _CASES, _PARTIES, _ENDINGS, _VISITS):
                    sql = _sql(template)
                    conn.execute(_named(sql), {k: v for k, v in params.items() if f":{k}" in sql})
            base += per_center
            print(f"  {place.name}: {per_center:,} cases in {time.perf_counter() - t0:.1f} s", flush=True)
        conn.execute("INSERT INTO case_number_sequence (center_id, year, last_value) "
                     "SELECT center_id, year, max(seq) FROM dispute_case GROUP BY center_id, year "
                     "ON CONFLICT (center_id, year) DO UPDATE SET last_value = excluded.last_value")
        for table in _TABLES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM {table}))")
        loaded = time.perf_counter() - started
        t0 = time.perf_counter()
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            conn.execute(definition)
        built = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.write() as session:
        search.rebuild_index(session)  # the gram counts (migration 0010)
        stat_months.recount(session)  # the monthly figures (migration 0021)
        for statement in city.county_statements():  # the city report tables' fill (migration 0023)
            if statement.startswith("INSERT INTO city_"):
                session.connection().execution_options(no_parameters=True).exec_driver_sql(statement)
    rebuilt = time.perf_counter() - t0
    db.dispose()
    t0 = time.perf_counter()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        counts = conn.execute("SELECT (SELECT count(*) FROM dispute_case), (SELECT count(*) FROM party), "
                              "(SELECT count(*) FROM case_event), (SELECT count(*) FROM return_visit), "
                              "pg_database_size(current_database())").fetchone()
    assert counts is not None
    print(f"filled: {counts[0]:,} cases, {counts[1]:,} parties, {counts[2]:,} endings, {counts[3]:,} return "
          f"visits in {loaded:.0f} s (set-wise INSERT … SELECT generate_series per center as the table owner, "
          f"triggers off); secondary indexes built in {built:.0f} s; gram counts, monthly figures and city "
          f"tables rebuilt by the project's functions in {rebuilt:.0f} s; VACUUM ANALYZE "
          f"{time.perf_counter() - t0:.0f} s; database {counts[4] / 2**20:,.0f} MiB", flush=True)


def _named(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (and a literal % doubled)."""
    import re

    sql = sql.replace("%", "%%")
    return re.sub(r"(?<![:\w]):([a-z_]+)\b", r"%(\1)s", sql)


# --------------------------------------------------------------------------- measuring


@dataclass
class Figure:
    label: str
    budget: float | None
    times: list[float]
    floors: list[float]
    note: str = ""
    statements: list[tuple[float, str, Any]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def worst(self) -> float:
        return max(self.times)

    @property
    def over(self) -> bool:
        return self.budget is not None and self.median > self.budget

    def line(self) -> str:
        budget = "" if self.budget is None else (
            f"budget ≤ {self.budget:.0f} ms: {'OVER' if self.over else 'within'}"
            + ("" if self.worst <= self.budget else " (worst over)"))
        floor = statistics.median(self.floors)
        return (f"{self.label:<58} median {self.median:7.1f} ms  worst {self.worst:7.1f} ms  "
                f"({self.median / floor:5.1f}× floor)  {budget}{'  ' + self.note if self.note else ''}")


class Signed:
    """A Database connected as one account's own login role, and the account signed in on it."""

    def __init__(self, url: str, username: str, password: str) -> None:
        from sqlalchemy import text

        from mediation_desk.db import Database
        from mediation_desk.services import auth

        self.username = username
        self.db = Database(url)
        with self.db.read() as session:
            self.role = str(session.scalar(text("SELECT db_role FROM app_user WHERE username = :u"),
                                           {"u": username}))
        self.db.connect_as(self.role, password)
        self.actor: Actor = auth.login(self.db, username, password)
        self.captured: list[tuple[float, str, Any]] | None = None
        from sqlalchemy import event

        engine = self.db.reader

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            conn.info["bench_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            if self.captured is not None:
                self.captured.append((time.perf_counter() - conn.info["bench_started"], statement, parameters))

    def dispose(self) -> None:
        self.db.dispose()


def measure(who: Signed, label: str, budget: float | None, work: Callable[[Any], Any], repeat: int,
            describe: Callable[[Any], str] | None = None) -> Figure:
    """``work(session)`` ``repeat`` times in a new read session each (after one warm-up run),
    alternating with the floor: ``SELECT 1`` in a new session of the same role."""
    from sqlalchemy import text

    def floor() -> float:
        t0 = time.perf_counter()
        with who.db.read() as session:
            session.execute(text("SELECT 1")).scalar()
        return (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    with who.db.read() as session:
        result = work(session)
    warm_up = (time.perf_counter() - t0) * 1000
    figure = Figure(label, budget, [], [], describe(result) if describe else "")
    if budget is not None and warm_up > 20 * budget:
        repeat = 2  # far over budget: two runs say as much as seven
        figure.note += f" [only {repeat} runs: far over budget]"
    for n in range(repeat):
        for first in ((True, False) if n % 2 == 0 else (False, True)):
            if first:
                t0 = time.perf_counter()
                with who.db.read() as session:
                    work(session)
                figure.times.append((time.perf_counter() - t0) * 1000)
            else:
                figure.floors.append(floor())
    who.captured = []
    with who.db.read() as session:
        work(session)
    figure.statements, who.captured = who.captured, None
    print(figure.line(), flush=True)
    return figure


def explain(who: Signed, figure: Figure, count: int = 2) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest statements of one run of ``figure``, as its role."""
    print(f"\n--- EXPLAIN of {figure.label} ({who.username}, role {who.role}): its {count} slowest statements")
    for seconds, statement, parameters in sorted(figure.statements, key=lambda s: -s[0])[:count]:
        print(f"[{seconds * 1000:.1f} ms] {statement}\n  parameters: {parameters}")
        raw = who.db.reader.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            for (line,) in cursor.fetchall():
                print("  " + line)
            cursor.close()
            raw.rollback()
        finally:
            raw.close()


def pick_words(url: str, township: Place) -> tuple[str, str, str]:
    """A two-character name, a three-character name (the commonest of the township's applicants)
    and a two-character word of the facts."""
    from sqlalchemy import text

    from mediation_desk.db import Database

    db = Database(url)
    with db.read() as session:
        rows = session.execute(text(
            "SELECT p.name, count(*) FROM party p JOIN dispute_case c ON c.id = p.case_id "
            "WHERE c.center_id = :c AND p.kind = 'person' AND p.id % 7 = 0 GROUP BY p.name "
            "ORDER BY count(*) DESC, p.name"), {"c": township.id}).all()
    db.dispose()
    two = next(name for name, _ in rows if len(name) == 2)
    three = next(name for name, _ in rows if len(name) == 3)
    return two, three, "工资"


def measure_all(url: str, places: list[Place], repeat: int, *, explain_over: bool = False,
                explain_all: bool = False) -> list[Figure]:
    from mediation_desk.readmodels.caselist import CaseFilter
    from mediation_desk.services import caselist
    from mediation_desk.services import statistics as stats
    from mediation_desk.services.caselist import CaseQuery, SortKey

    township = next(p for p in places if p.level == "township")
    villages = [p for p in places if p.parent == township.id]
    county = places[0]
    clerk = Signed(url, township.accounts["intake"], PASSWORD)
    head = Signed(url, township.accounts["head"], PASSWORD)
    chief = Signed(url, county.accounts["head"], "Demo@2026")
    signed = {"clerk": clerk, "head": head, "chief": chief}
    print(f"\nmeasured as: {township.name} 受理员 {clerk.username} (role {clerk.role}, reads "
          f"{len(clerk.actor.center_ids or {clerk.actor.center_id})} center), its 中心主任 {head.username} "
          f"(reads {len(head.actor.center_ids)} centers: its own and {len(villages)} village(s) below), "
          f"the county's 中心主任 {chief.username} (reads {len(chief.actor.center_ids)} centers); "
          f"median and worst of {repeat} runs, each in a new session; floor: SELECT 1 in a new session\n")
    first_rows = CaseQuery()  # the list's opening query: newest received first
    figures: list[tuple[str, Figure]] = []

    def window(query: CaseQuery, actor: Actor) -> Callable[[Any], Any]:
        return lambda session: caselist.fetch_window(session, actor, query, 0, 50, total=None)

    rows = lambda result: f"({len(result)} rows)"  # noqa: E731
    figures.append(("clerk", measure(clerk, "township clerk: case list, first rows", BUDGET_FIRST_ROWS,
                                     window(first_rows, clerk.actor), repeat, rows)))
    figures.append(("head", measure(head, "township head: case list, first rows", BUDGET_FIRST_ROWS,
                                    window(first_rows, head.actor), repeat, rows)))
    figures.append(("clerk", measure(clerk, "township clerk: case list, its count", None,
                                     lambda s: caselist.count_cases(s, clerk.actor, first_rows), repeat,
                                     lambda n: f"({n:,} cases)")))
    two, three, word = pick_words(url, township)
    for what, q in (("two-character word", word), ("two-character name", two), ("three-character name", three)):
        query = CaseQuery(filter=CaseFilter(text=q), sort=SortKey.RELEVANCE)
        figures.append(("clerk", measure(clerk, f"township clerk: search {what} “{q}”, first rows", BUDGET_SEARCH,
                                         window(query, clerk.actor), repeat, rows)))
    month_start, month_end = stats.month_period(f"{DATA_END:%Y-%m}")

    def dashboard(center_id: int | None) -> Callable[[Any], Any]:
        return lambda session: stats.figures(session, chief.actor, month_start, month_end, today=TODAY,
                                             center_id=center_id)

    received = lambda f: f"(收案 {f.received.count:,}, 办结 {f.ended.count:,}, 超期 {f.overdue.count:,})"  # noqa: E731
    figures.append(("chief", measure(chief, f"county head: dashboard {DATA_END:%Y-%m}, all {len(places)} centers",
                                     BUDGET_DASHBOARD, dashboard(None), repeat, received)))
    figures.append(("chief", measure(chief, f"county head: dashboard {DATA_END:%Y-%m}, one township",
                                     BUDGET_DASHBOARD, dashboard(township.id), repeat, received)))
    over = [(who, f) for who, f in figures if f.over or explain_all]
    if explain_over or explain_all:
        for who, figure in over:
            explain(signed[who], figure)
    elif over:
        print("(over budget: run with --explain for the plans of their slowest statements)")
    for who_ in signed.values():
        who_.dispose()
    return [f for _, f in figures]


# --------------------------------------------------------------------------- the lag


def lag(county: PgServer, url: str, places: list[Place], writes: int) -> None:
    from sqlalchemy import create_engine, text

    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.models import PartyRole
    from mediation_desk.services import auth, cases, city, workflow
    from tests import pgserver

    township = next(p for p in places if p.level == "township")
    owner = Database(url)
    with owner.write() as session:
        session.execute(text(f"CREATE ROLE city_sync LOGIN REPLICATION IN ROLE {city.READER_ROLE}"))
    administrator = auth.login(owner, "admin", demo.DEMO_PASSWORD)
    with owner.write() as session:
        published = city.publish(session, administrator, CODE, "甘州区")
    with owner.read() as session:
        type_id = int(session.scalar(text("SELECT id FROM dispute_type ORDER BY id LIMIT 1")) or 1)
    owner.dispose()
    city_server = pgserver.start()
    city_engine = create_engine(city_server.url_for("postgres"), isolation_level="AUTOCOMMIT")
    clerk: Signed | None = None
    try:
        with city_engine.connect() as conn:
            conn.execute(text("CREATE DATABASE city"))
        city_engine.dispose()
        city_engine = create_engine(city_server.url_for("city"), isolation_level="AUTOCOMMIT")
        started = time.monotonic()
        with city_engine.connect() as conn:
            city.init_city(conn)
            city.subscribe(conn, CODE, f"host=127.0.0.1 port={county.port} dbname=county user=city_sync")
        poll = city_engine.connect()
        while poll.execute(text("SELECT count(*) FROM city_case")).scalar() != published.cases:
            if time.monotonic() - started > 1800:
                raise RuntimeError("the city's first copy did not arrive within 30 minutes")
            time.sleep(0.5)
        print(f"\ncity: first copy of {published.cases:,} cases, {published.endings:,} endings, "
              f"{published.visits:,} visits in {time.monotonic() - started:.0f} s")

        def wait(sql: str, params: dict[str, object]) -> float:
            begin = time.perf_counter()
            while poll.execute(text(sql), params).first() is None:
                if time.perf_counter() - begin > 60:
                    raise RuntimeError(f"no row at the city within 60 s: {sql} {params}")
                time.sleep(0.0005)
            return time.perf_counter() - begin

        clerk = Signed(url, township.accounts["intake"], PASSWORD)
        lags: list[float] = []
        floors: list[float] = []
        last_case = 0
        for n in range(writes):
            if n % 2 == 0:
                data = cases.CaseInput(title="相邻通行纠纷", dispute_type_id=type_id, parties=[
                    cases.PartyInput(role=PartyRole.APPLICANT, name="张三"),
                    cases.PartyInput(role=PartyRole.RESPONDENT, name="李四")],
                    facts="通道争执。", requests=["恢复通行"])
                with clerk.db.write() as session:
                    last_case = cases.register_case(session, clerk.actor, data)
                lags.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id",
                                 {"c": CODE, "id": last_case}))
            else:
                with clerk.db.write() as session:
                    workflow.transition(session, clerk.actor, last_case, workflow.Action.REJECT, note="不属于受理范围")
                lags.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id "
                                 "AND state = 'rejected'", {"c": CODE, "id": last_case}))
            floors.append(wait("SELECT 1 FROM city_case WHERE county_code = :c AND case_id = :id",
                               {"c": CODE, "id": last_case}))
        poll.close()
        ordered = sorted(lags)
        median, worst = statistics.median(lags) * 1000, max(lags) * 1000
        p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000
        print(f"lag county commit -> city row over {len(lags)} writes as {clerk.username} (role {clerk.role}; half "
              f"registrations, half refusals): median {median:.1f} ms, p95 {p95:.1f} ms, worst {worst:.1f} ms "
              f"(budget ≤ {BUDGET_LAG:.0f} ms: {'within' if worst <= BUDGET_LAG else 'OVER'}); "
              f"floor (a poll of a row already there) median {statistics.median(floors) * 1000:.2f} ms")
    finally:
        if clerk is not None:
            clerk.dispose()
        try:
            with city_engine.connect() as conn:
                conn.exec_driver_sql(f"DROP SUBSCRIPTION IF EXISTS {city.subscription_name(CODE)}")
        except Exception as error:  # the clusters go anyway
            print("could not drop the subscription:", error)
        city_engine.dispose()
        city_server.stop()


# --------------------------------------------------------------------------- main


@contextmanager
def cheap_hashing() -> Iterator[None]:
    """The accounts' password hashes made cheaply (setting up sixty accounts, not measured)."""
    from argon2 import PasswordHasher

    from mediation_desk.services import auth

    previous = auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    try:
        yield
    finally:
        auth.use_hasher(previous)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, default=20, help="centers in the county, its own included (≥ 2)")
    parser.add_argument("--cases-per-center", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each timing (median and worst)")
    parser.add_argument("--writes", type=int, default=1000, help="writes timed to the city")
    parser.add_argument("--no-lag", action="store_true", help="skip the city and the replication lag")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) what is over budget")
    parser.add_argument("--explain-all", action="store_true", help="EXPLAIN every figure, over budget or not")
    args = parser.parse_args()
    if args.centers < 2:
        parser.error("--centers must be at least 2 (the county and one township)")

    from sqlalchemy import create_engine, text
    from timing import use_memory_keyring  # bench/ is not a package: the script's folder is on the path

    from mediation_desk.db import Database, upgrade
    from tests import pgserver

    if pgserver.find_bin_dir() is None:
        print("PostgreSQL server binaries not found (apt-get install postgresql).")
        return 1
    use_memory_keyring()
    print("before:", _uptime(), flush=True)
    server = pgserver.start(settings={"wal_level": "logical", "max_replication_slots": "4", "max_wal_senders": "4",
                                      "shared_buffers": "512MB"})
    try:
        with create_engine(server.url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("CREATE DATABASE county"))
        url = server.url_for("county")
        owner = Database(url)
        upgrade(owner)
        t0 = time.perf_counter()
        with cheap_hashing():
            places = make_county(owner, args.centers)
        owner.dispose()
        levels = {lv: sum(1 for p in places if p.level == lv) for lv in ("county", "township", "village")}
        print(f"county made through the services in {time.perf_counter() - t0:.1f} s: {len(places)} centers "
              f"({levels['county']} county, {levels['township']} townships, {levels['village']} villages), "
              f"accounts with their own login roles", flush=True)
        fill(url, places, args.cases_per_center)
        measure_all(url, places, args.repeat, explain_over=args.explain, explain_all=args.explain_all)
        if not args.no_lag:
            lag(server, url, places, args.writes)
    finally:
        server.stop()
    print("after: ", _uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
