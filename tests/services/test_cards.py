"""Cards, not reminders (issue 22 item 2): a stage that passes yellow or red earns its card on the day
the clock turns, once; the most specific limit wins; an approved extension moves the due date and
spares the red card, a refused one does not; a department's monthly score is a recount of its
cases. Every day is handed to the check (the clock moved), never read from the machine."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from mediation_desk import cli
from mediation_desk.db import Database
from mediation_desk.models import (
    AuditEntry,
    CaseEvent,
    ClockColour,
    ClockStage,
    DisputeCase,
    ExtensionStatus,
    StageCard,
)
from mediation_desk.services import auth, cards, clocks, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .cardcenter import Center, build_center, in_mediation, register_on
from .helpers import BACKENDS, PASSWORD, dispute_type_id, seeded_world

SYSTEM = Actor.system("test")


@pytest.fixture(params=BACKENDS)
def center(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Center]:
    """The center with its two teams, departments and four accounts, on each backend: the test's
    own copy of the one built once a worker (helpers.seeded_world)."""
    with seeded_world(request, tmp_path, "cardcenter.build_center", build_center) as seeded:
        yield dataclasses.replace(seeded.made, db=seeded.db)


def _check(c: Center, day: date, actor: Actor | None = None) -> list[tuple[int, ClockColour]]:
    with c.db.write() as session:
        result = cards.check(session, actor or c.head, day)
    return [(card.case_id, card.colour) for card in result.given]


def _cards(c: Center, case_id: int) -> list[tuple[ClockStage, ClockColour, date]]:
    with c.db.read() as session:
        rows = session.scalars(select(StageCard).where(StageCard.case_id == case_id).order_by(StageCard.id))
        return [(r.stage, r.colour, r.given_on) for r in rows]


def test_an_untouched_case_gets_yellow_then_red_on_the_days_the_clock_turns_across_the_holiday(
        center: Center) -> None:
    # Received on Friday 2026-02-13, just before the Spring Festival: its three working days to be
    # accepted are Sat 2/14 (make-up day), Tue 2/24 and Wed 2/25; yellow on 2/24, red from 2/26.
    case_id = register_on(center, datetime(2026, 2, 13, 10, 0))
    for day in (date(2026, 2, 13), date(2026, 2, 20), date(2026, 2, 23)):
        assert _check(center, day) == []
    assert _check(center, date(2026, 2, 24)) == [(case_id, ClockColour.YELLOW)]
    assert _check(center, date(2026, 2, 25)) == []
    assert _check(center, date(2026, 2, 26)) == [(case_id, ClockColour.RED)]
    assert _cards(center, case_id) == [(ClockStage.ACCEPTANCE, ClockColour.YELLOW, date(2026, 2, 24)),
                                       (ClockStage.ACCEPTANCE, ClockColour.RED, date(2026, 2, 26))]
    with center.db.read() as session:
        infos = cards.cards(session, center.head, case_id=case_id)
        notes = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id,
                                                             CaseEvent.action.like("card_%"))).all()
    # Not yet assigned: addressed to the intake window, on the clerk's desk and the head's.
    assert [i.label for i in infos] == ["红牌督办", "黄牌督办"] and infos[0].addressed_to == "受理窗口"
    assert len(notes) == 2 and "红牌督办" in notes[1]
    with center.db.read() as session:
        assert len(cards.cards(session, center.clerk)) == 2
        assert cards.cards(session, center.mediator) == []


def test_cards_due_says_beforehand_whether_the_check_would_give_a_card(center: Center) -> None:
    """The desk asks on a read first and takes the write lane only when a card is due."""
    case_id = register_on(center, datetime(2026, 2, 13, 10, 0))

    def due(day: date, actor: Actor | None = None) -> bool:
        with center.db.read() as session:
            return cards.cards_due(session, actor or center.head, day)

    for day, expected in ((date(2026, 2, 23), []), (date(2026, 2, 24), [(case_id, ClockColour.YELLOW)]),
                          (date(2026, 2, 25), []), (date(2026, 2, 26), [(case_id, ClockColour.RED)])):
        assert due(day) is bool(expected), day
        assert _check(center, day) == expected
        assert not due(day), day  # given: nothing more that day


def test_checked_twice_or_by_several_desks_a_card_is_given_once(center: Center) -> None:
    case_id = register_on(center, datetime(2026, 2, 13, 10, 0))
    assert _check(center, date(2026, 3, 2)) == [(case_id, ClockColour.YELLOW), (case_id, ClockColour.RED)]
    assert _check(center, date(2026, 3, 2)) == []
    assert _check(center, date(2026, 3, 3), center.clerk) == []
    assert len(_cards(center, case_id)) == 2


def _card_events(c: Center) -> int:
    with c.db.read() as session:
        return session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action.like("card_%"))) or 0


def test_the_walk_is_read_first_and_the_write_reads_again_only_the_cases_found(center: Center) -> None:
    """The desk walks the clocks on a read (``due_cards``) and writes later (``give``): what changed
    in between is read again, case by case, in the write transaction."""
    moved_on, extended, given_elsewhere, still_due = (register_on(center, datetime(2026, 2, 13, 10, 0))
                                                      for _ in range(4))
    later = register_on(center, datetime(2026, 2, 16, 10, 0))  # yellow only from 2/25
    day = date(2026, 2, 24)
    with center.db.read() as session:
        due = cards.due_cards(session, center.head, day)
        assert cards.due_cards(session, center.other, day).case_ids == ()  # no case of their teams
    assert (due.day, due.case_ids) == (day, (moved_on, extended, given_elsewhere, still_due))
    with center.db.write() as session:
        # Accepted meanwhile: its acceptance stage stopped, its mediation clock is far from yellow.
        workflow.transition(session, center.clerk, moved_on, workflow.Action.ACCEPT)
        case = session.get_one(DisputeCase, moved_on)
        case.accepted_at = datetime(2026, 2, 23, 9, 0)
        clocks.refresh_clock(session, case)
        # Given days meanwhile: yellow moves past the day.
        clocks.extend(session, center.head, extended, days=5, reason="当事人住院")
        # Another desk gave this one's card meanwhile.
        assert [(g.case_id, g.colour) for g in cards.give(session, center.clerk, cards.DueCards(
            day, (given_elsewhere,))).given] == [(given_elsewhere, ClockColour.YELLOW)]
    with center.db.write() as session:
        result = cards.give(session, center.head, due)
    assert [(g.case_id, g.colour, g.stage, g.due_on, g.number != "") for g in result.given] == [
        (still_due, ClockColour.YELLOW, ClockStage.ACCEPTANCE, date(2026, 2, 25), True)]
    assert _cards(center, moved_on) == _cards(center, extended) == _cards(center, later) == []
    assert len(_cards(center, given_elsewhere)) == 1 and _card_events(center) == 2
    # Nothing stale is given from a list read on another day, nor a case the actor does not see.
    with center.db.write() as session:
        assert cards.give(session, center.other, cards.DueCards(date(2026, 3, 2), (later,))).given == ()
    assert _cards(center, later) == []


def test_the_write_reads_each_case_found_by_its_key_not_the_walk(sqlite_db: Database) -> None:
    """The point of reading first: inside the write transaction (SQLite's write lock) the cases
    found are looked up by their keys, never the range of every running clock."""
    c = build_center(sqlite_db)
    with sqlite_db.read() as session:
        stmt = cards._still_due(cards._due_condition(c.head, date(2026, 2, 24)), [3, 1, 2])
        sql = str(stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
        plan = [str(row[3]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    assert "SEARCH dispute_case USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    assert not [line for line in plan if "ix_dispute_case_clock" in line or line.startswith("SCAN dispute_case")]


def test_two_desks_that_read_before_either_wrote_give_each_card_once(db: Database) -> None:
    """Two desks opening at once, each with its own connection to one database (a SQLite file or a
    server): both walk the clocks before either writes, then both write at the same moment."""
    c = build_center(db)
    case_ids = [register_on(c, datetime(2026, 2, 13, 10, 0)) for _ in range(12)]
    second = Database(db.url)
    day = date(2026, 3, 2)  # yellow and red for each
    try:
        desks = (db, second)
        found: list[cards.DueCards] = []
        for desk_db in desks:
            with desk_db.read() as session:
                found.append(cards.due_cards(session, c.head, day))
        assert found[0] == found[1] and (found[0].day, found[0].case_ids) == (day, tuple(case_ids))
        start = threading.Barrier(2)
        given: dict[int, list[tuple[int, ClockColour]]] = {}
        errors: list[BaseException] = []

        def desk(index: int) -> None:
            try:
                start.wait(timeout=30)
                with desks[index].write() as session:
                    given[index] = [(g.case_id, g.colour) for g in cards.give(session, c.head, found[index]).given]
            except BaseException as error:  # the assertion below names it
                errors.append(error)

        threads = [threading.Thread(target=desk, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == [] and sorted(given) == [0, 1]
        every = sorted(given[0] + given[1])
        assert every == sorted((i, colour) for i in case_ids for colour in (ClockColour.YELLOW, ClockColour.RED))
        assert [] in (given[0], given[1])  # one desk gave them all, in its one transaction
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(StageCard)) == 24
        assert _card_events(c) == 24
    finally:
        second.dispose()


def test_the_most_specific_limit_wins(center: Center) -> None:
    neighbours = dispute_type_id(center.db)
    family = dispute_type_id(center.db, "婚姻家庭")
    with center.db.write() as session:
        for department, dispute_type, days in ((None, None, 20), (None, neighbours, 15),
                                               (center.department_id, None, 10),
                                               (center.department_id, neighbours, 5)):
            clocks.set_limit(session, center.head, ClockStage.MEDIATION, days=days, working_days=True,
                             yellow_days=2, dispute_type_id=dispute_type, department_id=department)
    with center.db.read() as session:
        def limit_days(department: int | None, dispute_type: int | None) -> int:
            return clocks.limit_for(session, ClockStage.MEDIATION, dispute_type, department).days
        assert limit_days(center.department_id, neighbours) == 5
        assert limit_days(center.department_id, family) == 10
        assert limit_days(center.other_department_id, neighbours) == 15
        assert limit_days(center.other_department_id, family) == 20
        assert limit_days(None, None) == 20
        rules = cards.limit_rules(session)
    # The case (邻里, led by the 派出所 mediator) runs on the department + type rule: 5 working days
    # from Tuesday 2026-03-03 is Tuesday 3/10.
    case_id = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 3, 9))
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 10)
    # Removing that rule falls back on the department's own: 10 working days, due Tuesday 3/17.
    rule = next(r for r in rules if r.department_id == center.department_id and r.dispute_type_id == neighbours)
    assert rule.id is not None and rule.scope == "派出所、邻里"
    with center.db.write() as session:
        cards.remove_limit(session, center.head, rule.id)
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 17)


def _short_mediation_limit(c: Center) -> None:
    """The 派出所's cases: 5 working days of mediation, yellow when 2 remain."""
    with c.db.write() as session:
        clocks.set_limit(session, c.head, ClockStage.MEDIATION, days=5, working_days=True, yellow_days=2,
                         department_id=c.department_id)


def test_an_approved_extension_moves_the_due_date_and_spares_the_red_card(center: Center) -> None:
    _short_mediation_limit(center)
    # Accepted Monday 2026-03-02: due Monday 3/9, yellow from Thursday 3/5.
    case_id = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    assert _check(center, date(2026, 3, 4)) == []
    assert _check(center, date(2026, 3, 5)) == [(case_id, ClockColour.YELLOW)]
    with pytest.raises(PermissionDenied), center.db.write() as session:
        cards.request_extension(session, center.other, case_id, days=3, reason="当事人外出务工")
    with pytest.raises(InvalidInput, match="延期理由"), center.db.write() as session:
        cards.request_extension(session, center.mediator, case_id, days=3, reason="  ")
    with center.db.write() as session:
        asked = cards.request_extension(session, center.mediator, case_id, days=3, reason="当事人外出务工，下周返回",
                                        at=date(2026, 3, 5))
    assert (asked.status, asked.due_on, asked.department, asked.team) == (
        ExtensionStatus.PENDING, date(2026, 3, 9), "派出所", "城建物业调解团队")
    with pytest.raises(InvalidInput, match="待审批"), center.db.write() as session:
        cards.request_extension(session, center.mediator, case_id, days=2, reason="再延两天")
    with pytest.raises(PermissionDenied), center.db.write() as session:
        cards.decide(session, center.mediator, asked.id, approve=True)
    with center.db.write() as session:
        approved = cards.decide(session, center.head, asked.id, approve=True, at=date(2026, 3, 6))
    # Three working days after Monday 3/9: Thursday 3/12.
    assert (approved.status, approved.new_due_on) == (ExtensionStatus.APPROVED, date(2026, 3, 12))
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 12)
    with pytest.raises(InvalidInput, match="已处理"), center.db.write() as session:
        cards.decide(session, center.head, asked.id, approve=False, note="重复审批")
    # The old red day passes without a card; the yellow one stays in the record.
    assert _check(center, date(2026, 3, 10)) == []
    assert _check(center, date(2026, 3, 12)) == []
    assert _check(center, date(2026, 3, 13)) == [(case_id, ClockColour.RED)]
    assert [colour for _s, colour, _d in _cards(center, case_id)] == [ClockColour.YELLOW, ClockColour.RED]


def test_a_refused_extension_leaves_the_due_date_and_the_red_card_comes(center: Center) -> None:
    _short_mediation_limit(center)
    case_id = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    with center.db.write() as session:
        asked = cards.request_extension(session, center.mediator, case_id, days=3, reason="需要再次调查")
    with pytest.raises(InvalidInput, match="理由"), center.db.write() as session:
        cards.decide(session, center.head, asked.id, approve=False, note=" ")
    with center.db.write() as session:
        refused = cards.decide(session, center.head, asked.id, approve=False, note="调查已充分，请按期调结")
    assert (refused.status, refused.decision_note, refused.new_due_on) == (
        ExtensionStatus.REFUSED, "调查已充分，请按期调结", None)
    with center.db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 9)
        assert cards.requests(session, center.head) == []
        assert [r.status for r in cards.requests(session, center.head, pending_only=False)] == [
            ExtensionStatus.REFUSED]
    assert _check(center, date(2026, 3, 10)) == [(case_id, ClockColour.YELLOW), (case_id, ClockColour.RED)]


def test_the_department_score_equals_a_recount_and_each_figure_drills_down(center: Center) -> None:
    _short_mediation_limit(center)
    late = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    extended = in_mediation(center, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    fresh = in_mediation(center, datetime(2026, 3, 16, 9), datetime(2026, 3, 16, 9))
    assert _check(center, date(2026, 3, 5)) == [(late, ClockColour.YELLOW), (extended, ClockColour.YELLOW)]
    with center.db.write() as session:
        asked = cards.request_extension(session, center.mediator, extended, days=20, reason="鉴定未出",
                                        at=date(2026, 3, 6))
        cards.decide(session, center.head, asked.id, approve=True, at=date(2026, 3, 6))
    assert _check(center, date(2026, 3, 10)) == [(late, ClockColour.RED)]
    with center.db.write() as session:
        cards.request_extension(session, center.mediator, fresh, days=1, reason="当事人住院", at=date(2026, 3, 20))
    assert _check(center, date(2026, 3, 24)) == [(fresh, ClockColour.YELLOW), (fresh, ClockColour.RED)]
    with center.db.read() as session:
        scores = {s.department: s for s in cards.department_scores(session, center.head, "2026-03")}
        police = scores["派出所"]
        # The recount, from the rows themselves.
        card_rows = session.execute(select(StageCard.case_id, StageCard.colour, StageCard.given_on,
                                           StageCard.department_id)).all()
        red = {i for i, colour, day, dept in card_rows
               if colour is ClockColour.RED and dept == center.department_id and day.month == 3}
        yellow = {i for i, colour, day, dept in card_rows
                  if colour is ClockColour.YELLOW and dept == center.department_id and day.month == 3}
        led = set(session.scalars(select(DisputeCase.id).where(
            DisputeCase.lead_mediator_id == center.mediator.mediator_id)))
        requested = [r for r in cards.requests(session, center.head, pending_only=False)
                     if r.requested_on.month == 3 and r.department == "派出所"]
        drill = {figure: [i for i, _n, _t in cards.score_cases(session, center.head, figure, center.department_id,
                                                                 "2026-03")]
                 for figure in cards.SCORE_TITLES}
        with pytest.raises(PermissionDenied):
            cards.department_scores(session, center.mediator, "2026-03")
        with pytest.raises(InvalidInput, match="月份"):
            cards.department_scores(session, center.head, "三月")
    assert red == {late, fresh} and yellow == {late, extended, fresh}
    assert (police.cases, police.on_time, police.yellow, police.red) == (
        len(led), len(led - red), len(yellow), len(red))
    approved = {r.case_id for r in requested if r.status is ExtensionStatus.APPROVED}
    assert (police.asked, police.approved) == (len({r.case_id for r in requested}), len(approved))
    assert (police.asked, police.approved) == (2, 1) and police.on_time_rate == "33.3%"
    assert scores["人社局"].cases == 0 and scores["人社局"].on_time_rate == "—"
    assert drill[cards.ScoreFigure.RED] == sorted(red) and drill[cards.ScoreFigure.ON_TIME] == [extended]
    assert drill[cards.ScoreFigure.APPROVED] == [extended] and len(drill[cards.ScoreFigure.CASES]) == police.cases
    # The drill-down (SQL) holds exactly the cases each figure counts.
    figures = {cards.ScoreFigure.CASES: police.cases, cards.ScoreFigure.ON_TIME: police.on_time,
               cards.ScoreFigure.YELLOW: police.yellow, cards.ScoreFigure.RED: police.red,
               cards.ScoreFigure.ASKED: police.asked, cards.ScoreFigure.APPROVED: police.approved}
    assert {figure: len(drill[figure]) for figure in figures} == figures
    # Nothing for April yet.
    with center.db.read() as session:
        april = next(s for s in cards.department_scores(session, center.head, "2026-04") if s.department == "派出所")
    assert (april.yellow, april.red, april.asked) == (0, 0, 0) and april.cases == 3


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgresql
def test_two_sessions_checking_at_once_give_one_card_without_an_error(pg_database_url: str) -> None:
    db = Database(pg_database_url)
    try:
        c = build_center(db)
        case_id = register_on(c, datetime(2026, 2, 13, 10, 0))
        outcome: dict[str, object] = {}

        def second_desk() -> None:
            try:
                with db.write() as session:
                    outcome["given"] = cards.check(session, c.head, date(2026, 2, 24)).given
            except Exception as error:  # the assertion below names it
                outcome["error"] = error

        with db.write() as first:
            assert len(cards.check(first, c.head, date(2026, 2, 24)).given) == 1
            other = threading.Thread(target=second_desk)
            other.start()
            # The second desk's insert waits on the first's uncommitted card (its unique key).
            with db.read() as watcher:
                for _ in range(2000):
                    waiting = watcher.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"))
                    watcher.rollback()
                    if waiting or not other.is_alive():
                        break
                    threading.Event().wait(0.01)
            assert waiting == 1
        other.join()
        assert outcome == {"given": ()}
        assert _cards(c, case_id) == [(ClockStage.ACCEPTANCE, ClockColour.YELLOW, date(2026, 2, 24))]
    finally:
        db.dispose()


@pytest.fixture
def desk(pg_database_url: str) -> Iterator[tuple[Center, Database]]:
    owner = Database(pg_database_url)
    c = build_center(owner)
    with owner.write() as session:
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
    desk_db = Database(make_url(pg_database_url).set(username=desk_role))
    yield c, desk_db
    desk_db.dispose()
    owner.dispose()


@pytest.mark.postgresql
def test_a_mediator_of_another_team_does_not_see_the_card(desk: tuple[Center, Database]) -> None:
    c, desk_db = desk
    case_id = in_mediation(c, datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9))
    with c.db.write() as session:
        cards.check(session, c.head, date(2026, 4, 30))
        cards.request_extension(session, c.mediator, case_id, days=2, reason="需要补充材料")
    assert len(_cards(c, case_id)) == 2
    other = auth.login(desk_db, "other", PASSWORD)
    with desk_db.read() as session:
        assert session.scalar(select(func.count()).select_from(StageCard)) == 0
        assert session.scalar(text("SELECT count(*) FROM extension_request")) == 0
        assert cards.cards(session, other) == []
    # The other team's check gives nothing on a case it cannot see.
    with desk_db.write() as session:
        assert cards.check(session, other, date(2026, 5, 6)).given == ()
    mediator = auth.login(desk_db, "mediator", PASSWORD)
    with desk_db.read() as session:
        assert [i.colour for i in cards.cards(session, mediator)] == [ClockColour.RED, ClockColour.YELLOW]
        assert len(cards.requests(session, mediator)) == 1
    # The case's own mediator may give the cards of their cases from their desk (a new stage's).
    with desk_db.write() as session:
        assert cards.check(session, mediator, date(2026, 5, 6)).given == ()
    # Asking and deciding work through each person's own login role and its grants.
    other_case = in_mediation(c, datetime(2026, 4, 1, 9), datetime(2026, 4, 1, 9))
    with desk_db.write() as session:
        asked = cards.request_extension(session, mediator, other_case, days=2, reason="等待鉴定结论")
    head = auth.login(desk_db, "head", PASSWORD)
    with desk_db.write() as session:
        assert cards.decide(session, head, asked.id, approve=True).status is ExtensionStatus.APPROVED
        given = cards.check(session, head, date(2026, 4, 30)).given
    # 30 calendar days from 4/1, and 2 more: due 5/3, yellow from 4/26.
    assert [(g.case_id, g.colour) for g in given] == [(other_case, ClockColour.YELLOW)]


def test_the_command_line_checks_on_the_day_it_is_given_and_lists_the_cards(
        sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    c = build_center(sqlite_db)
    case_id = register_on(c, datetime(2026, 2, 13, 10, 0))
    url = str(sqlite_db.url)
    login = ["--as", "head", "--password-stdin"]

    def run(*args: str) -> str:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
        assert cli.main(["--database", url, "cards", *args, *login]) == 0
        return capsys.readouterr().out

    assert "新给予 0 张" in run("check", "--date", "2026-02-23")
    given = run("check", "--date", "2026-02-24")
    assert "新给予 1 张" in given and "黄牌督办" in given and "受理审查" in given
    assert "新给予 0 张" in run("check", "--date", "2026-02-24")
    listed = json.loads(run("list", "--json"))
    assert [(card["card"], card["given_on"]) for card in listed] == [("黄牌督办", "2026-02-24")]
    assert _cards(c, case_id) == [(ClockStage.ACCEPTANCE, ClockColour.YELLOW, date(2026, 2, 24))]


def test_the_command_line_writes_a_day_of_many_cards_in_parts(
        sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    c = build_center(sqlite_db)
    case_ids = [register_on(c, datetime(2026, 2, 13, 10, 0)) for _ in range(5)]
    monkeypatch.setattr(cards, "GIVE_CASES", 2)
    monkeypatch.setattr(cards, "GIVE_PAUSE", 0.0)
    with c.db.read() as session:
        due = cards.due_cards(session, c.head, date(2026, 2, 24))
    assert [part.case_ids for part in due.parts()] == [tuple(case_ids[:2]), tuple(case_ids[2:4]), (case_ids[4],)]
    assert {part.day for part in due.parts()} == {date(2026, 2, 24)} and cards.DueCards(due.day, ()).parts() == []
    # On a server one write: its transaction locks only the new cards' rows.
    assert cards.DueCards(due.day, due.case_ids, one_write=True).parts() == [
        cards.DueCards(due.day, due.case_ids, one_write=True)]
    assert not due.one_write
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    assert cli.main(["--database", str(sqlite_db.url), "cards", "check", "--date", "2026-02-24", "--json",
                     "--as", "head", "--password-stdin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [card["card"] for card in out["given"]] == ["黄牌督办"] * 5
    assert [card["id"] for card in out["given"]] == sorted(card["id"] for card in out["given"])
    assert sorted(case_id for case_id in case_ids for _ in _cards(c, case_id)) == case_ids and _card_events(c) == 5


def test_a_first_check_over_many_late_cases_gives_each_card_once_under_one_audit_entry(center: Center) -> None:
    """After the upgrade, the first check meets every case already late: its cards go in batches
    and share one audit entry naming them by id; each case's timeline still says so."""
    case_ids = [register_on(center, datetime(2026, 2, 2, 9, 0)) for _ in range(30)]
    with center.db.read() as session:
        entries_before = session.scalar(select(func.count()).select_from(AuditEntry))
    given = _check(center, date(2026, 3, 2))
    assert len(given) == 60 and {case_id for case_id, _colour in given} == set(case_ids)
    assert _check(center, date(2026, 3, 3)) == []
    with center.db.read() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[entries_before:]
        events = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.action.like("card_%")))
        card_ids = set(session.scalars(select(StageCard.id)))
    assert [e.action for e in entries] == ["card.give"] and entries[0].detail["cards"] == 60
    named = {i for first, last in entries[0].detail["card_ids"] for i in range(first, last + 1)}
    assert named == card_ids and events == 60
