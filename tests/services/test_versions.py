"""Every edit carries the version its form was loaded with, "no row yet" (0) included: a second desk
that saved first is never overwritten or duplicated — on SQLite and on PostgreSQL, where two
transactions really run at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.models import Agreement, AgreementKind, ConfirmationResult, UndisputedFacts
from mediation_desk.services import agreements, confirmation, records, termination, versions
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict

from ..exchange.casebuild import Failed, in_mediation
from .settled import settled_case


def _facts_rows(db: Database, case_id: int) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(r.facts, r.disputed) for r in session.scalars(
            select(UndisputedFacts).where(UndisputedFacts.case_id == case_id).order_by(UndisputedFacts.id))]


def _agreement_count(db: Database, case_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Agreement.id)).where(Agreement.case_id == case_id)) or 0


def test_the_version_rule() -> None:
    versions.check(None, versions.NO_ROW, "x")  # no row, and the form saw none
    versions.check(3, 3, "x")
    versions.check(3, None, "x")  # the command line: no check
    for current, expected in ((1, versions.NO_ROW), (None, 1), (4, 3)):
        with pytest.raises(Conflict, match=r"^x$"):
            versions.check(current, expected, "x")


def test_two_desks_drafting_the_first_undisputed_facts(db: Database) -> None:
    """Both opened the tab before any draft existed; B saves first; A's save is refused, B's kept."""
    world = in_mediation(db)
    with db.read() as session:
        assert termination.undisputed_facts_of(session, world.case_id) is None  # what both forms loaded
    with db.write() as session:
        saved = termination.save_undisputed_facts(session, world.head, world.case_id, facts="乙：渗水属实。",
                                                  expected_version=versions.NO_ROW)
    assert saved.version == 1
    with pytest.raises(Conflict, match="他人已先起草了无争议事实"), db.write() as session:
        termination.save_undisputed_facts(session, world.mediator, world.case_id, facts="甲：车库渗水。",
                                          expected_version=versions.NO_ROW)
    assert _facts_rows(db, world.case_id) == [("乙：渗水属实。", "")]
    # With the version it now has read, A's edit goes through; a stale one again does not.
    with db.write() as session:
        edited = termination.save_undisputed_facts(session, world.mediator, world.case_id,
                                                   facts="乙：渗水属实。\n甲：车库渗水。",
                                                   expected_version=saved.version)
    with pytest.raises(Conflict, match="已被他人修改"), db.write() as session:
        termination.save_undisputed_facts(session, world.head, world.case_id, facts="乙",
                                          expected_version=saved.version)
    assert _facts_rows(db, world.case_id) == [(edited.facts, "")]
    # A form that saw a draft and finds none is not an insert either (the draft went away).
    other = in_mediation_second_case(db, world)
    with pytest.raises(Conflict), db.write() as session:
        termination.save_undisputed_facts(session, world.mediator, other, facts="丙", expected_version=1)


def in_mediation_second_case(db: Database, world: Failed) -> int:
    """Another case of the same team, also in mediation, with no facts drafted."""
    from mediation_desk.services import cases, workflow

    from ..documents.casefile import register

    case_id = register(db, world.clerk)
    with db.write() as session:
        detail = cases.case_detail(session, world.head, world.case_id)
        assert detail.team_id is not None
        workflow.transition(session, world.clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, world.head, case_id, team_id=detail.team_id)
        workflow.transition(session, world.mediator, case_id, workflow.Action.START_MEDIATION)
    return case_id


def test_two_desks_drafting_the_first_agreement(db: Database) -> None:
    world = in_mediation(db)
    with db.write() as session:
        theirs = agreements.draft(session, world.head, world.case_id, AgreementKind.WRITTEN, expected_count=0)
    with pytest.raises(Conflict, match="协议已由他人起草"), db.write() as session:
        agreements.draft(session, world.mediator, world.case_id, AgreementKind.ORAL, expected_count=0)
    assert _agreement_count(db, world.case_id) == 1
    with db.read() as session:
        assert [a.kind for a in agreements.agreements_of(session, world.case_id)] == [theirs.kind]
    # Seen, a second agreement is a choice, not an accident; the command line does not count.
    with db.write() as session:
        agreements.draft(session, world.mediator, world.case_id, AgreementKind.ORAL, expected_count=1)
        agreements.draft(session, world.mediator, world.case_id, AgreementKind.ORAL)
    assert _agreement_count(db, world.case_id) == 3


def test_signing_what_another_desk_changed_meanwhile_is_a_conflict(db: Database) -> None:
    world = in_mediation(db)
    with db.write() as session:
        record = records.add_mediation_record(session, world.mediator, world.case_id, records.MediationRecordInput(
            held_at=datetime(2026, 3, 2, 9, 30), place="中心第一调解室", subject="渗水", mediators="李建国",
            recorder="王晓燕", participants="", parties_present="双方", notice_given=True, statements="各执一词。",
            verification="", outcome="未达成协议。", agreement_reached=False))
    loaded = record.version
    with db.write() as session:
        data = records.MediationRecordInput(**{**record.values, "outcome": "双方同意再调解一次。"})  # type: ignore[arg-type]
        records.update_record(session, world.head, "mediation", record.id, data, expected_version=loaded)
    with pytest.raises(Conflict, match="与打开时不同"), db.write() as session:
        records.sign_record(session, world.mediator, "mediation", record.id, expected_version=loaded)
    with db.read() as session:
        [shown] = records.records_of(session, world.case_id)
    assert not shown.signed and shown.values["outcome"] == "双方同意再调解一次。"


def test_a_court_number_corrected_meanwhile_is_not_overwritten(db: Database) -> None:
    s = settled_case(db, signed_days_ago=3)
    today = date.today()
    with db.write() as session:
        applied = confirmation.record_application(session, s.mediator, s.agreement_id, applied_on=today,
                                                  court="张掖市甘州区人民法院")
    with db.write() as session:
        theirs = confirmation.record_acceptance(session, s.head, applied.id, accepted_on=today,
                                                court_case_number=f"（{today.year}）甘0702民特5号",
                                                expected_version=applied.version)
    with pytest.raises(Conflict, match="已被他人登记或更正"), db.write() as session:
        confirmation.record_acceptance(session, s.mediator, applied.id, accepted_on=today,
                                       court_case_number=f"（{today.year}）甘0702民特6号",
                                       expected_version=applied.version)
    with pytest.raises(Conflict), db.write() as session:
        confirmation.record_decision(session, s.mediator, applied.id, result=ConfirmationResult.WITHDRAWN,
                                     decided_on=today, expected_version=applied.version)
    with db.read() as session:
        window = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements[0]
    assert window.confirmation is not None
    assert window.confirmation.court_case_number == theirs.court_case_number
    assert window.confirmation.result is ConfirmationResult.PENDING


# --------------------------------------------------------------------------- really at once (PostgreSQL)


def _wait_until_blocked(url: str, thread: threading.Thread) -> bool:
    """Whether the other transaction is waiting for a lock (False: it finished without waiting)."""
    engine = create_engine(url)
    try:
        while thread.is_alive():
            with engine.connect() as conn:
                waiting = conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                           "AND datname = current_database()"))
            if waiting:
                return True
            thread.join(0.05)
        return False
    finally:
        engine.dispose()


def _save_facts(actor: Actor, case_id: int, words: str) -> Callable[[Session], object]:
    return lambda session: termination.save_undisputed_facts(session, actor, case_id, facts=words,
                                                             expected_version=versions.NO_ROW)


def _draft(actor: Actor, case_id: int, _words: str) -> Callable[[Session], object]:
    return lambda session: agreements.draft(session, actor, case_id, expected_count=0)


@pytest.mark.postgresql
@pytest.mark.parametrize("write", [_save_facts, _draft], ids=["undisputed_facts", "agreement_draft"])
def test_two_first_inserts_at_the_same_moment(pg_database_url: str,
                                              write: Callable[[Actor, int, str], Callable[[Session], object]]) -> None:
    """A's transaction has inserted and not committed when B's starts: B waits for the case's lock,
    then finds A's row and is refused — one row, A's, never two."""
    db = Database(pg_database_url)
    try:
        world = in_mediation(db)
        outcome: list[BaseException | object] = []

        def desk_b() -> None:
            try:
                with db.write() as session:
                    outcome.append(write(world.head, world.case_id, "乙")(session))
            except BaseException as error:  # the test reads it below
                outcome.append(error)

        b = threading.Thread(target=desk_b)
        with db.write() as session:
            write(world.mediator, world.case_id, "甲")(session)
            session.flush()
            b.start()
            blocked = _wait_until_blocked(pg_database_url, b)
        b.join()
        assert blocked, "the second desk did not wait for the first: both inserts ran at once"
        [result] = outcome
        assert isinstance(result, Conflict), result
        if write is _save_facts:
            assert _facts_rows(db, world.case_id) == [("甲", "")]
        else:
            assert _agreement_count(db, world.case_id) == 1
    finally:
        db.dispose()


def test_the_same_return_visit_entered_at_two_desks(db: Database) -> None:
    from mediation_desk.models import Performance, Satisfaction, VisitMethod
    from mediation_desk.services import visits

    from .settled import close

    s = settled_case(db)
    close(s)
    with db.write() as session:
        visits.plan_after_closure(session, s.case_id)

    def call(actor: Actor, notes: str) -> visits.VisitInfo:
        with db.write() as session:
            return visits.record_visit(session, actor, s.case_id, visits.VisitInput(
                date.today(), actor.display_name, "张三", VisitMethod.PHONE, Performance.PERFORMED,
                Satisfaction.SATISFIED, notes), expected_visits=0)

    call(s.head, "乙：已恢复通行")
    with pytest.raises(Conflict, match="其间已由他人登记了回访"):
        call(s.mediator, "甲：已恢复通行")
    with db.read() as session:
        page = visits.visits_page(session, s.head, s.case_id)
    assert [v.notes for v in page.visits] == ["乙：已恢复通行"]
    assert sum(1 for p in page.plans if p.done) == 1


@pytest.mark.postgresql
def test_two_desks_recording_the_court_number_at_the_same_moment(pg_database_url: str) -> None:
    """Both loaded the application at the same version; A's update holds the row when B's arrives:
    B waits, then finds the row moved on and gets a Conflict (not a StaleDataError traceback)."""
    db = Database(pg_database_url)
    try:
        s = settled_case(db, signed_days_ago=3)
        today = date.today()
        with db.write() as session:
            applied = confirmation.record_application(session, s.mediator, s.agreement_id, applied_on=today,
                                                      court="张掖市甘州区人民法院")
        outcome: list[BaseException | object] = []

        def desk_b() -> None:
            try:
                with db.write() as session:
                    outcome.append(confirmation.record_acceptance(
                        session, s.head, applied.id, accepted_on=today,
                        court_case_number=f"（{today.year}）甘0702民特6号", expected_version=applied.version))
            except BaseException as error:  # the test reads it below
                outcome.append(error)

        b = threading.Thread(target=desk_b)
        with db.write() as session:
            confirmation.record_acceptance(session, s.mediator, applied.id, accepted_on=today,
                                           court_case_number=f"（{today.year}）甘0702民特5号",
                                           expected_version=applied.version)
            b.start()
            blocked = _wait_until_blocked(pg_database_url, b)
        b.join()
        assert blocked
        [result] = outcome
        assert isinstance(result, Conflict), result
        with db.read() as session:
            [window] = confirmation.confirmation_page(session, s.head, s.case_id, today).agreements
        assert window.confirmation is not None and window.confirmation.court_case_number.endswith("民特5号")
    finally:
        db.dispose()
