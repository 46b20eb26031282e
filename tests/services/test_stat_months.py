"""The dashboard's monthly counts (migration 0021, services/stat_months.py) are kept exact by the
triggers in the writing transaction: after registrations, acceptances, endings, re-openings, edits
of what the figures group by, deletions, an import and the demo, the tables equal a full recount,
and the figures of whole months summed from them equal the figures counted from the rows — on
SQLite and PostgreSQL. An upgrade fills them from the rows already there."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import Performance, Role, Satisfaction, VisitMethod
from mediation_desk.readmodels.statistics import ON_TIME_DAYS, Outcome
from mediation_desk.services import case_import, cases, levels, stat_months, statistics, visits, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.visits import VisitInput

from .helpers import new_case_input
from .settled import close, settled_case

HEAD = Actor(user_id=None, username="head", display_name="主任", role=Role.HEAD)


def _check(db: Database) -> None:
    with db.write() as session:
        kept = stat_months.kept(session)
        assert kept == stat_months.recounted(session)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _same_figures(db: Database, start: date, end: date, today: date) -> statistics._Counted:
    """The counts of a run of whole months from the tables equal the counts from the rows."""
    assert statistics.whole_months(start, end)
    with db.read() as session:
        summed = statistics._counts_from_months(session, start, end, today, hidden=False)
        counted = statistics._counts_from_rows(session, start, end, today)
    for name in ("by_type", "by_source", "by_team", "by_month", "outcomes", "type_outcomes", "source_outcomes"):
        assert {k: v for k, v in getattr(summed, name).items() if v} == \
            {k: v for k, v in getattr(counted, name).items() if v}, name
    for name in ("amount_cases", "group_cases", "on_time", "prevented", "visited", "satisfied", "overdue"):
        assert getattr(summed, name) == getattr(counted, name), name
    assert summed.amount_total == round(counted.amount_total, 2)
    return summed


def _visit(day: date, satisfaction: Satisfaction, performance: Performance = Performance.PERFORMED) -> VisitInput:
    return VisitInput(visited_on=day, visitor="李建国", parties_visited="张三、李四", method=VisitMethod.PHONE,
                      performance=performance, satisfaction=satisfaction,
                      notes="" if satisfaction is not Satisfaction.UNSATISFIED else "被申请人至今未拆除堆放物")


def test_the_monthly_counts_equal_a_recount_after_every_kind_of_write(
        db: Database, test_clock: time_machine.Traveller, tmp_path: Path) -> None:
    assert ON_TIME_DAYS == stat_months.ON_TIME_DAYS and tuple(o.value for o in Outcome) == stat_months.ENDING_ACTIONS
    first_month = date.today()
    s = settled_case(db)  # registered, accepted, assigned, mediated to a signed agreement: 调解成功
    _check(db)
    close(s)
    _check(db)
    with db.write() as session:  # two visits, one finding the agreement unkept
        visits.plan_after_closure(session, s.case_id)
        visits.record_visit(session, s.mediator, s.case_id, _visit(date.today(), Satisfaction.FAIRLY))
        unkept = visits.record_visit(session, s.mediator, s.case_id, _visit(
            date.today(), Satisfaction.UNSATISFIED, Performance.NOT_PERFORMED))
    _check(db)
    with db.write() as session:
        visits.reopen_from_visit(session, s.head, unkept.id, "协议未履行，组织双方重新调解")
    _check(db)
    # The next month: the re-opened case is mediated to an agreement again, and visited again.
    test_clock.move_to(datetime.combine(_month_end(first_month) + timedelta(days=3), datetime.min.time())
                       + timedelta(hours=10))
    second_month = date.today()
    with db.write() as session:
        workflow.transition(session, s.mediator, s.case_id, workflow.Action.SUCCEED, note="重新达成一致")
    _check(db)
    close(s)
    with db.write() as session:
        visits.plan_after_closure(session, s.case_id)
        visits.record_visit(session, s.mediator, s.case_id, _visit(date.today(), Satisfaction.SATISFIED))
    _check(db)

    # More cases: one refused, one accepted and withdrawn, one left open with an amount.
    with db.write() as session:
        refused = cases.register_case(session, s.clerk, new_case_input(db, title="土地承包纠纷"))
        workflow.transition(session, s.clerk, refused, workflow.Action.REJECT, note="不属于受理范围")
        withdrawn = cases.register_case(session, s.clerk, new_case_input(db, title="买卖合同纠纷"))
        workflow.transition(session, s.clerk, withdrawn, workflow.Action.ACCEPT)
        team_id = session.scalar(text("SELECT team_id FROM dispute_case WHERE id = :id"), {"id": s.case_id})
        cases.assign_case(session, s.head, withdrawn, team_id=team_id)
        workflow.transition(session, s.head, withdrawn, workflow.Action.WITHDRAW, note="申请人撤回")
        still_open = cases.register_case(session, s.clerk, new_case_input(db, title="劳务费纠纷"))
    _check(db)

    # What the figures group by, changed behind the services' back (Core, many rows at once).
    with db.write() as session:
        session.execute(text("UPDATE dispute_case SET source_channel = 'phone', is_group_dispute = :t, "
                             "amount_involved = 1234.56, may_turn_criminal = :t WHERE id IN (:a, :b)"),
                        {"a": s.case_id, "b": withdrawn, "t": True})
        session.execute(text("UPDATE dispute_case SET team_id = NULL, accepted_at = :at WHERE id = :id"),
                        {"at": datetime.now() - timedelta(days=ON_TIME_DAYS + 5), "id": s.case_id})
        session.execute(text("UPDATE dispute_case SET received_at = :at WHERE id = :id"),
                        {"at": datetime.combine(first_month, datetime.min.time()), "id": still_open})
    _check(db)
    with db.write() as session:  # an ending moved to the month before, a satisfaction corrected
        session.execute(text("UPDATE case_event SET at = :at WHERE case_id = :id AND action = 'withdraw'"),
                        {"at": datetime.combine(first_month, datetime.min.time()), "id": withdrawn})
        session.execute(text("UPDATE return_visit SET satisfaction = 'unsatisfied' WHERE case_id = :id "
                             "AND satisfaction = 'satisfied'"), {"id": s.case_id})
    _check(db)
    for month_start, month_end in ((_month_start(first_month), _month_end(first_month)),
                                   (_month_start(second_month), _month_end(second_month)),
                                   (_month_start(first_month), _month_end(second_month))):
        _same_figures(db, month_start, month_end, date.today())
    both = _same_figures(db, _month_start(first_month), _month_end(second_month), date.today())
    assert both.outcomes[Outcome.SUCCEEDED] == 1  # one case, two endings: counted once, by its last
    assert both.visited == 1 and both.satisfied == 0  # the re-opened case's last visit, corrected

    # Deletions: one ending event, one visit, then whole cases (their timelines cascade).
    with db.write() as session:
        session.execute(text("DELETE FROM case_event WHERE id = (SELECT max(id) FROM case_event WHERE case_id = :id "
                             "AND action = 'succeed')"), {"id": s.case_id})
        session.execute(text("DELETE FROM return_visit WHERE id = :id"), {"id": unkept.id})
    _check(db)
    _same_figures(db, _month_start(first_month), _month_end(second_month), date.today())
    with db.write() as session:
        session.execute(text("DELETE FROM dispute_case WHERE id IN (:a, :b)"), {"a": refused, "b": withdrawn})
    _check(db)

    # A batch import (many rows in one statement).
    path = tmp_path / "tickets.csv"
    path.write_text("来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请事项,申请人,被申请人\n" + "".join(
        f"B{i},12345,{date.today():%Y-%m-%d} 09:30,拖欠农民工工资,工地欠薪纠纷{i},请求支付工资,马{i}一,某建筑公司\n"
        for i in range(4)), encoding="utf-8")
    with db.write() as session:
        report = case_import.import_records(session, Actor.system("test"), case_import.read_records(path))
    assert report.imported == 4
    _check(db)
    # A batch import's own path on SQLite: the cases counted once at the end, not row by row.
    with db.write() as session:
        paused = stat_months.pause_case_counting(session)
        first = cases.register_case(session, s.clerk, new_case_input(db, title="物业费纠纷"))
        last = cases.register_case(session, s.clerk, new_case_input(db, title="噪音纠纷"))
        if paused:
            stat_months.count_new_cases(session, first, last)
    assert paused == (db.writer.dialect.name == "sqlite")
    _check(db)
    with db.write() as session:  # and row by row again after it
        cases.register_case(session, s.clerk, new_case_input(db, title="借款纠纷"))
    _check(db)
    summed = _same_figures(db, _month_start(first_month), _month_end(second_month), date.today())
    assert summed.by_source and sum(summed.by_type.values()) >= 5


def test_the_demo_is_counted_and_an_upgrade_fills_the_counts(db: Database) -> None:
    """Seeded on the schema before migration 0021, then upgraded: the tables hold the recount; the
    demo seeded on the current schema (row by row, triggers on) is counted as it goes."""
    # Seeded by today's models (a later migration adds columns they read, such as the time limits'
    # department of 0025), then taken back to 0020, which drops the counts, and upgraded again.
    with db.write() as session:
        demo.seed(session, 120, seed_value=7, today=datetime(2026, 11, 20, 17, 0))
    migrate_to(db, "0020")
    migrate_to(db, "head")
    with db.read() as session:
        kept = stat_months.kept(session)
    assert sum(n for n, *_ in kept["stat_received_month"].values()) == 120
    assert kept["stat_ending_month"] and kept["stat_visit_month"]
    _check(db)
    with db.write() as session:
        demo.generate_cases(session, 40, rng=random.Random(8), today=datetime(2026, 11, 20, 17, 0))
    _check(db)
    _same_figures(db, date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 20))
    _same_figures(db, date(2026, 7, 1), date(2026, 9, 30), date(2026, 11, 20))
    # Migration 0040 taken back (its columns dropped, 0022's triggers back) and forward again: the
    # recount fills the columns, and the table by level's sums equal its count from the rows.
    migrate_to(db, "0039")
    with db.read() as session:
        columns = ("SELECT column_name FROM information_schema.columns WHERE table_name = 'stat_received_month'"
                   if db.writer.dialect.name == "postgresql"
                   else "SELECT name FROM pragma_table_info('stat_received_month')")
        assert "major_cases" not in set(session.scalars(text(columns)))
    with db.write() as session:
        demo.generate_cases(session, 20, rng=random.Random(9), today=datetime(2026, 11, 20, 17, 0))
    migrate_to(db, "head")
    _check(db)
    with db.read() as session:
        ids = set(session.scalars(text("SELECT id FROM center")))
        for start, end in ((date(2026, 1, 1), date(2026, 11, 30)), (date(2026, 11, 1), date(2026, 11, 30))):
            summed = levels.count_from_months(session, start, end, ids)
            assert summed == levels.count_from_rows(session, start, end, ids)
            assert summed and all(any(row) for row in summed.values())
