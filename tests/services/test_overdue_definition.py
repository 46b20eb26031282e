"""One definition of 超期 (issue 19, minor screen defects): the desk said 超期 26 where the
statistics said 19 for the same center and day.

The cause: the desk counted every red clock in its due list, and a closed case whose first
return visit is late has a red clock too; the statistics count only cases still being handled
(``services.statistics.overdue_condition``). The desk now counts the statistics' 超期案件 with
the same predicate, lists only open cases, and leaves the late return visits to 待回访.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from mediation_desk.db import Database
from mediation_desk.models import CaseState, ClockColour, ClockStage, Role
from mediation_desk.readmodels.statistics import FORMULAS, Figure
from mediation_desk.services import clocks, pages, statistics, visits
from mediation_desk.services.workflow import OPEN_STATES

from .helpers import make_team, make_user, register
from .settled import Settled, close, settle

#: The cases are built on the story's day; the desk and the statistics are read 45 days later.
BUILT = date(2026, 3, 2)
READ = BUILT + timedelta(days=45)


@pytest.mark.story_day("2026-03-02T10:00")
def test_the_desk_and_the_statistics_count_the_same_overdue_cases(db: Database) -> None:
    team_id, mediator_id = make_team(db)
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    # Closed after mediation: its first return visit falls due 30 days later and is not made.
    visited_late: Settled = settle(db, clerk, head, mediator, team_id, title="甲乙通行纠纷")
    close(visited_late)
    # Settled, no judicial confirmation applied for: still being handled, its 30 days run out.
    unconfirmed = settle(db, clerk, head, mediator, team_id, title="丙丁通行纠纷")
    # Registered and never decided on: 3 working days to accept.
    undecided = register(db, clerk, title="戊己相邻纠纷", received_at=datetime(2026, 3, 2, 9, 0))

    with db.read() as session:
        every_red = [d for d in clocks.due_soon_or_overdue(session, head, at=READ) if d.colour is ClockColour.RED]
        desk = pages.desk_page(session, head, READ)
        own_desk = pages.desk_page(session, mediator, READ)
        figures = statistics.figures(session, head, date(2026, 4, 1), date(2026, 4, 30), today=READ)
        first_day = pages.desk_page(session, head, BUILT)
        first_day_figures = statistics.figures(session, head, BUILT, BUILT, today=BUILT)
        due_visits = visits.visits_due(session, head, READ)
        server_count = (int(session.scalar(text("SELECT md_stat_overdue(:today, :states,"
                                                " (SELECT array_agg(id) FROM center))"),
                                           {"today": READ, "states": sorted(str(s.value) for s in OPEN_STATES)}))
                        if session.get_bind().dialect.name == "postgresql" else None)

    # The two old figures differ: every red clock (the old desk) against the open cases past due.
    assert {d.case_id for d in every_red} == {visited_late.case_id, unconfirmed.case_id, undecided}
    assert figures.overdue.count == 2
    assert len(every_red) == 3

    # One definition now: the desk's count, its red rows and the statistics agree.
    assert desk.overdue == figures.overdue.count == 2
    assert desk.due is not None
    red_rows = {d.case_id for d in desk.due if d.colour is ClockColour.RED}
    assert red_rows == {unconfirmed.case_id, undecided}
    assert all(statistics.is_overdue_case(d.state, d.due_on, READ) for d in desk.due if d.colour is ClockColour.RED)
    assert desk.overdue_definition == FORMULAS[Figure.OVERDUE] and not desk.overdue_of_own_teams
    # The late first return visit is not lost: the desk's 待回访 lists it, by its own name.
    late_visits = [v for v in due_visits if v.overdue]
    assert late_visits and {v.case_id for v in late_visits} == {visited_late.case_id}
    assert visited_late.case_id not in {d.case_id for d in desk.due}

    # A mediator's desk counts the same definition over their teams' cases only, and says so.
    assert own_desk.overdue == 1 and own_desk.overdue_of_own_teams
    assert own_desk.due is not None
    assert [d.case_id for d in own_desk.due if d.colour is ClockColour.RED] == [unconfirmed.case_id]

    # On the day the cases were built nothing is overdue, on either screen.
    assert first_day.overdue == first_day_figures.overdue.count == 0

    # The administrator's path on a center server (md_stat_overdue, migration 0018) counts the same.
    if server_count is not None:
        assert server_count == figures.overdue.count

    # Clicking the figure lists exactly those cases.
    with db.read() as session:
        listed = set(session.scalars(
            text("SELECT id FROM dispute_case WHERE clock_due_on < :day AND state IN ('"
                 + "','".join(sorted(s.value for s in OPEN_STATES)) + "')"), {"day": READ}))
        states = {cid: s for cid, s in session.execute(text("SELECT id, state FROM dispute_case"))}
    assert listed == red_rows
    assert states[visited_late.case_id] == CaseState.CLOSED.value
    with db.read() as session:
        stage = session.scalar(text("SELECT clock_stage FROM dispute_case WHERE id = :id"),
                               {"id": visited_late.case_id})
    assert stage == ClockStage.RETURN_VISIT.value
