"""Case-based subsidies (以案定补, services/subsidies.py): rule versions by month, tiers, the file
gate, duplicates, registered mediators, caps, splits, issued months printed identically later,
and the statement read back from its PDF and XLSX."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information
from sqlalchemy import delete, func, select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents import subsidies as subsidy_doc
from mediation_desk.models import (
    Attachment,
    AttachmentKind,
    AuditEntry,
    CaseMediator,
    CenterLevel,
    DisputeCase,
    Mediator,
    MediatorKind,
    MediatorRole,
    Role,
    TeamMember,
)
from mediation_desk.readmodels.amounts import to_capitals
from mediation_desk.readmodels.subsidies import MonthStatement, SubsidyLine
from mediation_desk.services import center, centers, subsidies
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .. import composition
from ..composition import check_pdf
from ..documents.conftest import compact, pdf_text
from ..documents.pdfcheck import assert_fonts_embedded
from .helpers import make_team, make_user
from .settled import Settled, close, settle

pytestmark = pytest.mark.story_day("2026-12-01T10:00")


def form(**changes: str) -> dict[str, str]:
    """The rules form: township 50 / 200 / 400, difficult from 5 people, major a group dispute."""
    values = subsidies.rules_form(subsidies.DEFAULT_RULES)
    values.update({"amount.township.general": "50", "amount.township.difficult": "200",
                   "amount.township.major": "400", "difficult.people_at_least": "5",
                   "difficult.amount_at_least": "", "difficult.sessions_at_least": "", "major.people_at_least": "",
                   "major.amount_at_least": "", "major.group_dispute": "1", "major.may_turn_criminal": ""})
    values.update(changes)
    return values


@dataclass
class World:
    db: Database
    head: Actor
    admin: Actor
    mediator: Actor  # 李建国
    cowork: Actor  # 王芳
    lead: int
    co: int
    third: int
    retired: int
    numbers: dict[str, str]


def _case(world: World, team_id: int, day: str, title: str, **facts: object) -> Settled:
    with time_machine.travel(datetime.fromisoformat(day), tick=False):
        made = settle(world.db, world.head, world.head, world.mediator, team_id, title=title)
        with world.db.write() as session:
            case = session.get(DisputeCase, made.case_id)
            assert case is not None
            for key, value in facts.items():
                setattr(case, key, value)
        close(made)
    with world.db.read() as session:
        world.numbers[title] = session.scalars(select(DisputeCase.number).where(
            DisputeCase.id == made.case_id)).one()
    return made


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    target = tmp_path_factory.mktemp("subsidies") / "cases.sqlite3"
    shutil.copyfile(sqlite_template, target)
    db = Database(f"sqlite:///{target}")
    team_id, lead = make_team(db)
    with db.write() as session:
        people = [Mediator(name=name, kind=MediatorKind.VOLUNTEER, active=active)
                  for name, active in (("王芳", True), ("周敏", True), ("孙丽", True))]
        session.add_all(people)
        session.flush()
        co, third, retired = (m.id for m in people)
        session.add_all(TeamMember(team_id=team_id, mediator_id=m) for m in (co, third, retired))
        session.get(Mediator, lead).kind = MediatorKind.VOLUNTEER  # type: ignore[union-attr]
        center.put(session, settings.SUBSIDY_LEVEL, "township")
    head = make_user(db, "head", Role.HEAD)
    admin = make_user(db, "admin", Role.ADMIN)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=lead)
    cowork = make_user(db, "wangfang", Role.MEDIATOR, mediator_id=co)
    world = World(db, head, admin, mediator, cowork, lead, co, third, retired, {})
    with db.write() as session:
        subsidies.save_rules(session, admin, "2026-01", form(), rule_note="2026年标准")
        # From July: higher amounts, at most 300 yuan per mediator a month.
        subsidies.save_rules(session, admin, "2026-07", form(**{
            "amount.township.general": "60", "amount.township.difficult": "250", "amount.township.major": "500",
            "monthly_cap": "300"}), rule_note="下半年标准")
        # September: one paid case per mediator, at most 55 yuan a case.
        subsidies.save_rules(session, admin, "2026-09", form(**{
            "amount.township.general": "60", "amount.township.difficult": "250", "amount.township.major": "500",
            "monthly_case_cap": "1", "case_cap": "55"}))

    _case(world, team_id, "2026-03-10T15:00", "三月通行纠纷", lead_mediator_id=lead)
    _case(world, team_id, "2026-08-03T15:00", "八月一般纠纷", lead_mediator_id=lead)
    three = _case(world, team_id, "2026-08-05T15:00", "八月疑难纠纷", lead_mediator_id=lead, people_involved=8)
    first = world.numbers["三月通行纠纷"]
    with db.read() as session:
        first_id = session.scalars(select(DisputeCase.id).where(DisputeCase.number == first)).one()
    _case(world, team_id, "2026-08-06T15:00", "八月重复来访", lead_mediator_id=lead, repeat_of_id=first_id)
    incomplete = _case(world, team_id, "2026-08-07T15:00", "八月卷宗不全", lead_mediator_id=lead)
    _case(world, team_id, "2026-08-08T15:00", "八月停用调解员", lead_mediator_id=retired)
    _case(world, team_id, "2026-08-10T15:00", "八月群体纠纷", lead_mediator_id=lead, is_group_dispute=True)
    _case(world, team_id, "2026-08-11T15:00", "八月超限纠纷", lead_mediator_id=lead)
    _case(world, team_id, "2026-09-02T15:00", "九月第一件", lead_mediator_id=lead)
    _case(world, team_id, "2026-09-03T15:00", "九月第二件", lead_mediator_id=lead)
    with db.write() as session:
        # Three mediators share the difficult case (250 yuan does not divide by three).
        session.add_all(CaseMediator(case_id=three.case_id, mediator_id=m, role=role) for m, role in (
            (lead, MediatorRole.LEAD), (co, MediatorRole.CO), (third, MediatorRole.CO)))
        # A file closed complete whose respondent's identity scan was later removed.
        parties = sorted(session.scalars(select(Attachment).where(
            Attachment.case_id == incomplete.case_id, Attachment.kind == AttachmentKind.IDENTITY)),
            key=lambda a: a.id)
        session.execute(delete(Attachment).where(Attachment.id == parties[1].id))
        session.get(Mediator, retired).active = False  # type: ignore[union-attr]
    yield world
    db.dispose()


def _compute(world: World, month: str) -> MonthStatement:
    with world.db.read() as session:
        return subsidies.compute(session, world.head, month)


def _lines(statement: MonthStatement, name: str) -> dict[str, SubsidyLine]:
    mediator = next(m for m in statement.mediators if m.name == name)
    return {line.title: line for line in mediator.lines}


def test_each_month_is_computed_under_the_rules_in_force_that_month(world: World) -> None:
    march = _compute(world, "2026-03")
    august = _compute(world, "2026-08")
    assert (march.rule_month, august.rule_month) == ("2026-01", "2026-07")
    assert _lines(march, "李建国")["三月通行纠纷"].amount_fen == 5000
    general = _lines(august, "李建国")["八月一般纠纷"]
    assert (general.tier, general.amount_fen, general.refusal) == ("general", 6000, "")
    assert "一般案件60.00元" in august.rule_lines[0] and "一般案件50.00元" in march.rule_lines[0]
    # A month still running prints as a draft and is not issued.
    with world.db.write() as session:
        running = subsidies.statement_for_print(session, world.head, "2026-03", today=date(2026, 3, 20))
        assert running.draft and subsidies.issued(session, world.head, "2026-03") is None
    # A month before any rules is refused, naming the month.
    with world.db.read() as session, pytest.raises(NotFound, match="2025-12"):
        subsidies.compute(session, world.head, "2025-12")


def test_a_split_between_mediators_loses_no_fen(world: World) -> None:
    august = _compute(world, "2026-08")
    shares = [_lines(august, name)["八月疑难纠纷"] for name in ("李建国", "王芳", "周敏")]
    assert [s.amount_fen for s in shares] == [8334, 8333, 8333]
    assert sum(s.amount_fen for s in shares) == 25000
    assert shares[0].tier == "difficult" and "涉及8人（≥5人）" in shares[0].why and shares[0].share == "3人平分"


def test_the_lead_takes_its_percentage_and_the_rest_is_shared_exactly() -> None:
    rules = subsidies.Rules(amounts={}, split="lead", lead_percent=60)
    assert subsidies._split(20001, 3, True, rules) == [12000, 4001, 4000]
    assert subsidies._split(20001, 3, False, rules) == [6667, 6667, 6667]


def test_a_repeat_visit_of_a_dispute_already_paid_counts_once(world: World) -> None:
    line = _lines(_compute(world, "2026-08"), "李建国")["八月重复来访"]
    assert line.amount_fen == 0
    assert f"与案件 {world.numbers['三月通行纠纷']} 为同一纠纷" in line.refusal and "只计一次" in line.refusal


def test_an_incomplete_file_is_refused_naming_what_is_missing(world: World) -> None:
    line = _lines(_compute(world, "2026-08"), "李建国")["八月卷宗不全"]
    assert line.amount_fen == 0
    assert line.refusal == "卷宗不完整：当事人身份证明：缺少李四的身份证明"


def test_an_inactive_mediator_is_not_paid(world: World) -> None:
    line = _lines(_compute(world, "2026-08"), "孙丽")["八月停用调解员"]
    assert line.amount_fen == 0 and "未在册" in line.refusal


def test_the_monthly_cap_pays_what_is_left_then_refuses(world: World) -> None:
    mine = _lines(_compute(world, "2026-08"), "李建国")
    # 60.00 + 83.34 paid before; the major case (500) gets what is left of 300.
    major = mine["八月群体纠纷"]
    assert (major.tier, major.why) == ("major", "群体性纠纷")
    assert major.amount_fen == 30000 - 6000 - 8334
    assert "核减" in major.refusal
    last = mine["八月超限纠纷"]
    assert last.amount_fen == 0 and last.refusal == "本月已达每人补贴上限（300.00元）"
    assert sum(line.amount_fen for line in mine.values()) == 30000


def test_the_cases_cap_and_the_per_case_cap(world: World) -> None:
    mine = _lines(_compute(world, "2026-09"), "李建国")
    first, second = mine["九月第一件"], mine["九月第二件"]
    assert (first.amount_fen, first.why) == (5500, "按每案上限55.00元")
    assert second.amount_fen == 0 and second.refusal == "本月已达每人补贴案件数上限（1件）"


def test_the_rules_form_names_bad_input_in_chinese(world: World) -> None:
    with world.db.write() as session:
        for changes, field, message in (
                ({"amount.village.general": "五十"}, "amount.village.general",
                 "村（社区）一般案件的补贴金额“五十”不是金额"),
                ({"amount.township.major": "100"}, "amount.township.difficult", "一般 ≤ 疑难复杂 ≤ 重大"),
                ({"difficult.people_at_least": "2.5"}, "difficult.people_at_least", "应为整数"),
                ({"major.dispute_types": "邻里、外星"}, "major.dispute_types", "“外星”不是已有的纠纷类型"),
                ({"monthly_cap": "-1"}, "monthly_cap", "不能为负数"),
                ({"amount.county.general": "1.234"}, "amount.county.general", "最多到分")):
            with pytest.raises(InvalidInput, match=message) as caught:
                subsidies.save_rules(session, world.admin, "2027-01", form(**changes))
            assert caught.value.field == field
        with pytest.raises(PermissionDenied):
            subsidies.save_rules(session, world.head, "2027-01", form())
        with pytest.raises(Conflict):  # the July version exists: a change needs the version loaded
            subsidies.save_rules(session, world.admin, "2026-07", form())
        session.rollback()


def test_a_printed_month_prints_identically_after_a_case_is_edited(world: World, tmp_path: Path) -> None:
    with world.db.read() as session:
        audited = session.scalar(select(func.max(AuditEntry.id))) or 0
    with world.db.write() as session:
        first = subsidies.statement_for_print(session, world.head, "2026-08", today=date(2026, 9, 5))
        pdf = subsidy_doc.render_pdf(first)
        xlsx = subsidy_doc.render_xlsx(first)
    assert not first.draft and first.sha256
    with world.db.write() as session:
        case = session.scalars(select(DisputeCase).where(DisputeCase.title == "八月一般纠纷")).one()
        case.people_involved = 40
        case.title = "八月一般纠纷（已更正）"
        session.get(Mediator, world.co).active = False  # type: ignore[union-attr]
    # Computed now, the month would differ …
    now_computed = _compute(world, "2026-08")
    assert "八月一般纠纷（已更正）" in _lines(now_computed, "李建国")
    # … but printed again it is what was issued, to the byte.
    with world.db.write() as session:
        again = subsidies.statement_for_print(session, world.head, "2026-08", today=date(2026, 12, 1))
    assert subsidy_doc.render_pdf(again) == pdf
    assert subsidy_doc.render_xlsx(again) == xlsx
    with world.db.read() as session:  # both prints, and the one issue, are in the audit log
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "subsidy_statement", AuditEntry.id > audited)).all()
    assert sorted(actions) == ["subsidy.issue", "subsidy.print", "subsidy.print"]
    # The rules it was issued under can no longer change.
    with world.db.write() as session:
        july = next(v for v in subsidies.rule_versions(session) if v.effective_month == "2026-07")
        assert july.issued_months == ("2026-08",)
        with pytest.raises(InvalidInput, match="已用于已出具的 2026-08 结算"):
            subsidies.save_rules(session, world.admin, "2026-07", form(), version=july.version)
        session.rollback()
    # A mediator sees their own part only; the administrator the totals, no cases.
    with world.db.read() as session:
        own = subsidies.issued(session, world.cowork, "2026-08")
        summary = subsidies.issued_summary(session, world.admin, "2026-08")
        with pytest.raises(PermissionDenied):
            subsidies.issued(session, world.admin, "2026-08")
    assert own is not None and [m.name for m in own.mediators] == ["王芳"]
    assert summary is not None and sum(t[4] for t in summary.totals) == first.total_fen


def test_the_statement_pdf_and_xlsx_carry_the_computed_totals(world: World) -> None:
    statement = _compute(world, "2026-08")
    pdf = subsidy_doc.render_pdf(statement)
    text = compact(pdf_text(pdf))
    total = statement.total_fen
    assert total == sum(line.amount_fen for m in statement.mediators for line in m.lines)
    assert compact(f"合计金额（大写）：人民币{to_capitals(Decimal(total) / 100)}") in text
    assert f"¥{total / 100:,.2f}" in text
    for mediator in statement.mediators:
        assert compact(f"补贴金额（大写）：人民币{to_capitals(Decimal(mediator.total_fen) / 100)}") in text
    assert "八月卷宗不全" in text and compact("缺少李四的身份证明") in text
    assert "草稿" in text  # computed, not issued
    assert check_pdf(pdf, "subsidy") == []
    assert_fonts_embedded(pdf)
    book = load_workbook(io.BytesIO(subsidy_doc.render_xlsx(statement)))
    rows = list(book["汇总"].iter_rows(values_only=True))
    totals = next(r for r in rows if r[0] == "合计")
    assert isinstance(totals[5], (int, float)) and Decimal(str(totals[5])) == Decimal(total) / 100
    details = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(r[6])) for r in details) == Decimal(total) / 100
    # The summary's 合计 line, cell after cell, and each mediator's line.
    rows = subsidy_doc.summary_rows(subsidy_doc.summary_totals(statement))
    assert rows[-1][-1] == f"{total / 100:,.2f}" and compact("".join(rows[-1])) in text
    for row in rows[:-1]:
        assert compact("".join(row)) in text


# --------------------------------------------------------------------------- 大写


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def test_every_case_number_prints_whole_on_one_line(world: World) -> None:
    """A statement's 案号 columns (paid and refused) fit a six-digit and a township's number, the
    room taken from the columns that wrap anyway."""
    statement = _compute(world, "2026-08")
    numbers = composition.SAMPLE_NUMBERS
    printed: dict[str, int] = {}
    mediators = []
    for mediator in statement.mediators:
        lines = []
        for line in mediator.lines:
            number = numbers[sum(printed.values()) % len(numbers)]
            printed[number] = printed.get(number, 0) + 1
            lines.append(replace(line, case_number=number))
        mediators.append(replace(mediator, lines=tuple(lines)))
    assert set(printed) == set(numbers)
    assert any(m.paid for m in mediators) and any(m.refused for m in mediators)
    pages = composition.page_lines(subsidy_doc.render_pdf(replace(statement, mediators=tuple(mediators))))
    for number, times in printed.items():
        assert composition.number_count(pages, number) == times, number
        assert composition.broken_numbers(pages, [number]) == []


def reference_capitals(fen: int) -> str:
    """An independent reference: every digit written with its unit, then the textbook reductions
    (零仟/零佰/零拾 → 零, runs of 零 → one, 零 before 亿/万/元 dropped, 亿万 → 亿)."""
    yuan_value, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    units = "元拾佰仟万拾佰仟亿拾佰仟"
    digits = str(yuan_value)
    spoken = "".join(_DIGITS[int(d)] + units[len(digits) - 1 - i] for i, d in enumerate(digits))
    spoken = re.sub("零[仟佰拾]", "零", spoken)
    spoken = re.sub("零+", "零", spoken)
    for before, after in (("零亿", "亿"), ("零万", "万"), ("亿万", "亿"), ("零元", "元")):
        spoken = spoken.replace(before, after)
    integer = "" if yuan_value == 0 else spoken
    if not jiao and not fen_digit:
        return (integer or "零元") + "整"
    out = integer
    if jiao:
        out += ("零" if yuan_value and yuan_value % 10 == 0 else "") + _DIGITS[jiao] + "角"
    if fen_digit:
        out += ("零" if yuan_value and not jiao else "") + _DIGITS[fen_digit] + "分"
    return out


@pytest.mark.parametrize(("fen", "expected"), [
    (0, "零元整"), (5000, "伍拾元整"), (1000, "壹拾元整"), (8334, "捌拾叁元叁角肆分"), (10005, "壹佰元零伍分"),
    (168032, "壹仟陆佰捌拾元零叁角贰分"), (10700053, "壹拾万柒仟元零伍角叁分"), (50, "伍角"),
    (100000000, "壹佰万元整"), (1000100, "壹万零壹元整"),
])
def test_the_reference_agrees_with_known_amounts(fen: int, expected: str) -> None:
    assert reference_capitals(fen) == expected
    assert to_capitals(Decimal(fen) / 100) == expected


@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_capitals_agree_with_the_reference(fen: int) -> None:
    assert to_capitals(Decimal(fen) / 100) == reference_capitals(fen)
    assert subsidy_doc.capitals(fen) == "人民币" + reference_capitals(fen)


def test_each_center_pays_and_issues_its_own(world: World) -> None:
    """A township center's statement holds its own closed cases at its own level and is issued
    for it alone: the county center's month stays unissued, its figures unchanged."""
    with world.db.write() as session:
        root = centers.root_id(session)
        assert root is not None
        town = centers.create_center(session, Actor.system("test"), centers.CenterInput(
            "甘州区碱滩镇综治中心", CenterLevel.TOWNSHIP, root, "甘州碱滩调"))
    town_head = replace(world.head, center_id=town.id, center_ids=frozenset({town.id}))
    county_march = _compute(world, "2026-03")
    with world.db.read() as session:
        town_march = subsidies.compute(session, town_head, "2026-03")
    assert town_march.level == "township" and town_march.total_fen == 0
    assert all(not m.lines for m in town_march.mediators)
    assert county_march.total_fen > 0
    with world.db.write() as session:
        subsidies.issue(session, town_head, "2026-10", at=datetime(2026, 11, 2, 9, 0))
    with world.db.read() as session:
        assert subsidies.issued(session, town_head, "2026-10") is not None
        assert subsidies.issued(session, world.head, "2026-10") is None
        assert subsidies.will_issue(session, world.head, "2026-10", today=date(2026, 12, 1))
    assert _compute(world, "2026-03") == county_march
