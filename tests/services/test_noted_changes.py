"""Service writes note what they changed (``changes.note``); ``Database.write`` hands the notes of a
committed write to the collector of its thread, and a rolled-back write hands over nothing.

One test per family of writes, each through the real services on a real SQLite file. The Changes
each write must note are at least what the screens used to state for it at their call sites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy.orm import Session

from mediation_desk import changes, live, settings
from mediation_desk.changes import Changes
from mediation_desk.db import Database
from mediation_desk.models import (
    ClockStage,
    DisputeCase,
    DiversionBody,
    PartyRole,
    Performance,
    Role,
    Satisfaction,
    VisitMethod,
    now,
)
from mediation_desk.readmodels.agreements import AgreementInfo
from mediation_desk.readmodels.records import RecordInfo
from mediation_desk.services import (
    agreements,
    assignment,
    auth,
    calendar,
    case_import,
    cases,
    center,
    clocks,
    confirmation,
    diversion,
    organisation,
    records,
    retention,
    scanback,
    supervision,
    visits,
    workflow,
)
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput
from mediation_desk.services.scanback import ScannedPage

from ..documents import casefile
from ..documents.casefile import ON_STORY_DAY
from .helpers import PASSWORD, dispute_type_id, make_team, make_user, new_case_input, register
from .settled import close, settled_case
from .test_scanback import agreement_pdf, render_page, scanner

Action = workflow.Action


def noted_by(db: Database, work: Callable[[Session], object]) -> Changes:
    """What one committed write noted, as the task runner's write lane collects it."""
    with db.collect_changes() as collected, db.write() as session:
        work(session)
    assert collected.commits == 1
    return collected.changes


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.team_id, self.mediator_id = make_team(db)
        self.clerk = make_user(db, "clerk", Role.INTAKE)
        self.head = make_user(db, "head", Role.HEAD)
        self.mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=self.mediator_id)

    def accepted(self) -> int:
        case_id = register(self.db, self.clerk)
        with self.db.write() as session:
            workflow.transition(session, self.clerk, case_id, Action.ACCEPT)
        return case_id

    def in_mediation(self) -> int:
        case_id = self.accepted()
        with self.db.write() as session:
            cases.assign_case(session, self.head, case_id, team_id=self.team_id, lead_mediator_id=self.mediator_id)
            workflow.transition(session, self.mediator, case_id, Action.START_MEDIATION)
        return case_id


@pytest.fixture
def world(sqlite_db: Database) -> World:
    return World(sqlite_db)


# --------------------------------------------------------------------------- the mechanism


def test_a_rolled_back_write_hands_over_nothing(world: World) -> None:
    db = world.db
    with db.collect_changes() as collected:
        with pytest.raises(InvalidInput), db.write() as session:
            case_id = cases.register_case(session, world.clerk, _case_input(db))
            assert changes.noted(session) == Changes.cases(case_id, list_changed=True)
            raise InvalidInput("title", "撤销")  # the registration rolls back, its note with it
        assert collected.changes == Changes() and collected.commits == 0
        # Two committed writes inside one collector: their notes merge.
        first = register(db, world.clerk)
        with db.write() as session:
            auth.set_active(session, Actor.system("test"), "clerk", True)
    assert collected.commits == 2
    assert collected.changes == Changes.cases(first, list_changed=True) | Changes(users=True)


def test_collectors_are_per_thread_and_nest(world: World) -> None:
    db = world.db
    seen_elsewhere: list[Changes] = []

    def other_thread() -> None:
        with db.collect_changes() as mine:
            pass
        seen_elsewhere.append(mine.changes)

    with db.collect_changes() as outer:
        with db.collect_changes() as inner:
            case_id = register(db, world.clerk)
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        with db.write() as session:
            calendar.set_entry(session, Actor.system("test"), date(2031, 1, 1), is_workday=False, name="元旦")
    assert inner.changes == Changes.cases(case_id, list_changed=True)
    assert outer.changes == Changes.cases(case_id, list_changed=True) | Changes(settings=True)
    assert seen_elsewhere == [Changes()]


def test_a_center_notice_carries_what_the_services_noted(world: World) -> None:
    # ``live.tracked`` is what a center server's notice sends at the commit: rows and notes alike.
    with world.db.write() as session:
        changes.note(session, Changes(organisation=True))
        changes.note(session, Changes.cases(7))
        assert live.tracked(session) == Changes(case_ids=frozenset({7}), organisation=True)


def test_a_write_noting_thousands_of_cases_says_the_lists_changed(sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        for case_id in range(1, changes.MAX_NOTED_CASES + 1):
            changes.note(session, Changes.cases(case_id))
        assert len(changes.noted(session).case_ids) == changes.MAX_NOTED_CASES
        changes.note(session, Changes.cases(changes.MAX_NOTED_CASES + 1))
        changes.note(session, Changes(users=True))
        assert changes.noted(session) == Changes(case_list=True, users=True)
        changes.note(session, Changes.cases(1))  # no longer collected one by one
        assert changes.noted(session) == Changes(case_list=True, users=True)


# --------------------------------------------------------------------------- the families


def test_accounts_note_users(world: World) -> None:
    admin = Actor.system("test")

    def create(session: Session) -> None:
        auth.create_user(session, admin, username="newclerk", display_name="新窗口", role=Role.INTAKE,
                         password=PASSWORD)

    assert noted_by(world.db, create) == Changes(users=True)
    assert noted_by(world.db, lambda s: auth.set_password(s, admin, "newclerk", "Another#2026")) == Changes(users=True)
    assert noted_by(world.db, lambda s: auth.set_active(s, admin, "newclerk", False)) == Changes(users=True)


def test_organisation_writes_note_organisation(world: World) -> None:
    admin = Actor.system("test")
    data = organisation.DepartmentInput(name="区司法局")
    found: list[int] = []

    def create(session: Session) -> None:
        found.append(organisation.create_department(session, admin, data).item.id)

    assert noted_by(world.db, create) == Changes(organisation=True)
    department_id = found[0]
    assert noted_by(world.db, lambda s: organisation.deactivate_department(s, admin, department_id)) == Changes(
        organisation=True)
    # Already inactive: nothing moves, and the screens hear it all the same, as they did before.
    assert noted_by(world.db, lambda s: organisation.deactivate_department(s, admin, department_id)) == Changes(
        organisation=True)
    team = organisation.TeamInput(name="婚姻家庭调解团队", dispute_type_ids=(dispute_type_id(world.db),),
                                  member_ids=(world.mediator_id,), lead_mediator_id=world.mediator_id)
    assert noted_by(world.db, lambda s: organisation.create_team(s, admin, team)) == Changes(organisation=True)


def test_calendar_and_limits_note_settings_and_the_lists(world: World) -> None:
    admin = Actor.system("test")
    case_id = world.in_mediation()

    def holiday(session: Session) -> None:
        calendar.set_entry(session, admin, date(2031, 10, 1), is_workday=False, name="国庆节")
        clocks.recompute_open_clocks(session)

    # What the calendar screen's writes are: the holiday table, then every open clock.
    assert noted_by(world.db, holiday) == Changes(case_list=True, settings=True)
    assert noted_by(world.db, lambda s: calendar.remove_entry(s, admin, date(2031, 10, 1))) == Changes(settings=True)
    limit = noted_by(world.db, lambda s: clocks.set_limit(s, world.head, ClockStage.MEDIATION, days=30,
                                                          working_days=False, yellow_days=5))
    assert limit == Changes(case_list=True, settings=True)
    extended = noted_by(world.db, lambda s: clocks.extend(s, world.head, case_id, days=5, reason="当事人外出"))
    assert extended == Changes.cases(case_id)


def test_case_routing_notes_the_case_and_the_lists(world: World) -> None:
    db = world.db
    registered: list[int] = []
    listed = Changes.cases  # shorthand below: a case and a list change

    def register_one(session: Session) -> None:
        registered.append(cases.register_case(session, world.clerk, _case_input(db)))

    assert noted_by(db, register_one) == listed(registered[0], list_changed=True)
    case_id = registered[0]
    assert noted_by(db, lambda s: workflow.transition(s, world.clerk, case_id, Action.ACCEPT)) == listed(
        case_id, list_changed=True)
    assigned = noted_by(db, lambda s: assignment.assign(
        s, world.head, case_id, team_id=world.team_id, lead_mediator_id=world.mediator_id))
    assert assigned == listed(case_id, list_changed=True)

    diverted_id = world.accepted()
    sent: list[int] = []

    def divert(session: Session) -> None:
        sent.append(diversion.divert(session, world.clerk, diverted_id, body=DiversionBody.VILLAGE_COMMITTEE,
                                     body_name="四村调委会", reason="就近调解").id)

    assert noted_by(db, divert) == listed(diverted_id, list_changed=True)
    feedback = noted_by(db, lambda s: diversion.record_feedback(s, world.clerk, sent[0], "已调解成功"))
    assert feedback == listed(diverted_id, list_changed=True)


def test_casework_notes_its_case(world: World) -> None:
    db = world.db
    case_id = world.in_mediation()
    orders: list[int] = []

    def issue(session: Session) -> None:
        orders.append(supervision.issue(session, world.head, case_id, instruction="五日内调结", due_on=None).id)

    assert noted_by(db, issue) == Changes.cases(case_id)
    assert noted_by(db, lambda s: supervision.answer(s, world.mediator, orders[0], "已约双方面谈")) == Changes.cases(
        case_id)

    saved: list[RecordInfo] = []

    def add_record(session: Session) -> None:
        saved.append(records.add_mediation_record(session, world.mediator, case_id, _mediation_record()))

    assert noted_by(db, add_record) == Changes.cases(case_id)
    record = saved[0]
    assert noted_by(db, lambda s: records.sign_record(s, world.mediator, record.kind, record.id)) == Changes.cases(
        case_id)

    drafted: list[AgreementInfo] = []
    assert noted_by(db, lambda s: drafted.append(agreements.draft(s, world.mediator, case_id))) == Changes.cases(
        case_id)
    info = drafted[0]
    obligor = _respondent(db, world.head, case_id)
    text = agreements.AgreementInput(kind=info.kind, facts="双方因通道发生争执。", disputed_matters="通行",
                                     responsibilities="各负其责。", copies=3,
                                     terms=[agreements.TermInput(obligor, "清除堆放物", now().date() + timedelta(15),
                                                                place="院前通道", method="自行清理")])
    assert noted_by(db, lambda s: agreements.save(s, world.mediator, info.id, text,
                                                  expected_version=info.version)) == Changes.cases(case_id)
    # Signing ends the mediation: the case changes state, the lists hear it.
    assert noted_by(db, lambda s: agreements.sign(s, world.mediator, info.id, signed_on=now().date())) == (
        Changes.cases(case_id, list_changed=True))


def test_confirmation_and_return_visits_note_their_case(sqlite_db: Database) -> None:
    s = settled_case(sqlite_db)
    today = date.today()
    applied = noted_by(sqlite_db, lambda session: confirmation.record_application(
        session, s.head, s.agreement_id, applied_on=today, court="张掖市甘州区人民法院"))
    assert applied == Changes.cases(s.case_id)

    close(s)
    made: list[int] = []

    def record_visit(session: Session) -> None:
        made.append(visits.record_visit(session, s.head, s.case_id, visits.VisitInput(
            today, "陈志强", "张三", VisitMethod.PHONE, Performance.NOT_PERFORMED, Satisfaction.FAIRLY,
            "被申请人未清除堆放物")).id)

    assert noted_by(sqlite_db, record_visit) == Changes.cases(s.case_id)
    reopened = noted_by(sqlite_db, lambda session: visits.reopen_from_visit(session, s.head, made[0], "协议未履行"))
    assert reopened == Changes.cases(s.case_id, list_changed=True)


@pytest.mark.story_day("2026-11-30T10:00")
def test_a_file_import_notes_the_lists(world: World, tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请事项,申请人,申请人身份证号,申请人电话,被申请人\n"
                    "GZ002,网格,2026/11/19,邻里,排水纠纷,,吉𠮷,,0936-8212345,欧阳䶮\n", encoding="utf-8")
    report: list[case_import.ImportReport] = []
    imported = noted_by(world.db, lambda s: report.append(
        case_import.import_records(s, world.clerk, case_import.read_records(path))))
    assert report[0].imported == 1
    # Thousands of rows at a time: the lists refresh as a whole, no case is named.
    assert imported == Changes(case_list=True)
    # The same file again imports nothing and notes nothing.
    assert noted_by(world.db, lambda s: case_import.import_records(
        s, world.clerk, case_import.read_records(path))) == Changes()


def test_retention_notes_each_archived_case(sqlite_db: Database, tmp_path: Path,
                                           test_clock: time_machine.Traveller) -> None:
    settled = settled_case(sqlite_db)
    with sqlite_db.write() as session:
        center.put(session, settings.DOSSIER_RETENTION, "短期")
    close(settled)
    with sqlite_db.read() as session:
        due = session.get_one(DisputeCase, settled.case_id).retain_until
    assert due is not None
    # The job runs on the real day, by the head, after a dry run (services.retention).
    test_clock.move_to(datetime.combine(due, time(10, 0)).astimezone())
    folder = tmp_path / "archive"
    assert noted_by(sqlite_db, lambda s: retention.archive_expired(s, settled.head, due, folder, dry_run=True)) \
        == Changes()
    archived = noted_by(sqlite_db, lambda s: retention.archive_expired(s, settled.head, due, folder))
    assert archived == Changes.cases(settled.case_id, list_changed=True)


# --------------------------------------------------------------------------- helpers


def _case_input(db: Database) -> cases.CaseInput:
    return new_case_input(db)


def _mediation_record() -> records.MediationRecordInput:
    return records.MediationRecordInput(
        held_at=datetime.now() - timedelta(minutes=5), place="中心第一调解室", subject="相邻通行纠纷",
        mediators="李建国", recorder="王晓燕", participants="", parties_present="张三、李四", notice_given=True,
        statements="双方分别陈述。", verification="核对材料。", outcome="继续调解。", agreement_reached=False)


def _respondent(db: Database, actor: Actor, case_id: int) -> int:
    with db.read() as session:
        detail = cases.case_detail(session, actor, case_id)
    return next(p.id for p in detail.parties if p.role is PartyRole.RESPONDENT)


@ON_STORY_DAY
def test_scanned_back_pages_note_the_cases_they_land_on(sqlite_db: Database, tmp_path: Path) -> None:
    built = casefile.build(sqlite_db, with_attachments=False)
    page = render_page(agreement_pdf(built), 1, tmp_path)
    no_code = page.crop((0, 0, page.width, page.height - 300))  # the bottom, with the code, not scanned
    summary: list[scanback.ScanBackSummary] = []

    def scan(session: Session) -> None:
        summary.append(scanback.file_scanned_pages(session, built.clerk, [
            ScannedPage(scanner(page, seed=1), "协议-1.jpg"), ScannedPage(scanner(no_code, seed=2), "无码.jpg")],
            "文件导入"))

    assert noted_by(sqlite_db, scan) == Changes.cases(built.case_id)
    [waiting] = summary[0].unmatched
    ref = f"agreement:{built.agreement_id}"
    assert noted_by(sqlite_db, lambda s: scanback.file_unmatched(s, built.clerk, waiting.id, built.case_id, ref,
                                                                 2)) == Changes.cases(built.case_id)
