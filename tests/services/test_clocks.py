"""Case clocks turn yellow then red on the right days; limits, extensions and hotline 2·20."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mediation_desk.db import Database
from mediation_desk.models import ClockColour, ClockStage, DisputeCase, Role, SourceChannel
from mediation_desk.services import cases, clocks, workflow
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .helpers import make_team, make_user, new_case_input


def _register(db: Database, actor, at: datetime, *, channel: SourceChannel = SourceChannel.VISIT,  # type: ignore[no-untyped-def]
              consultation: bool = False) -> int:
    data = new_case_input(db, received_at=at)
    data.source_channel = channel
    data.is_consultation = consultation
    with db.write() as session:
        return cases.register_case(session, actor, data)


def _colour(db: Database, case_id: int, day: date) -> tuple[ClockStage, ClockColour, int]:
    with db.read() as session:
        state = clocks.case_clock(session, case_id, day)
    assert state is not None
    return state.stage, state.colour, state.remaining


def test_untouched_registration_turns_yellow_then_red(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    # Received on Friday 2026-02-13, just before the Spring Festival: three working days are
    # Sat 2/14 (make-up day), Tue 2/24 and Wed 2/25.
    case_id = _register(db, clerk, datetime(2026, 2, 13, 10, 0))
    assert _colour(db, case_id, date(2026, 2, 13)) == (ClockStage.ACCEPTANCE, ClockColour.GREEN, 3)
    assert _colour(db, case_id, date(2026, 2, 20))[1] is ClockColour.GREEN
    assert _colour(db, case_id, date(2026, 2, 24)) == (ClockStage.ACCEPTANCE, ClockColour.YELLOW, 1)
    assert _colour(db, case_id, date(2026, 2, 25)) == (ClockStage.ACCEPTANCE, ClockColour.YELLOW, 0)
    assert _colour(db, case_id, date(2026, 2, 26)) == (ClockStage.ACCEPTANCE, ClockColour.RED, -1)
    with db.read() as session:
        stored = session.get_one(DisputeCase, case_id)
        assert (stored.clock_stage, stored.clock_warn_on, stored.clock_due_on) == (
            ClockStage.ACCEPTANCE, date(2026, 2, 24), date(2026, 2, 25))


def test_acceptance_starts_the_one_month_mediation_clock(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    case_id = _register(db, clerk, datetime(2026, 9, 1, 9, 0))
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        case = session.get_one(DisputeCase, case_id)
        case.accepted_at = datetime(2026, 9, 2, 9, 0)
        clocks.refresh_clock(session, case)
    # 30 calendar days from 9/2 is 10/2; it turns yellow when 7 days or fewer remain.
    assert _colour(db, case_id, date(2026, 9, 24)) == (ClockStage.MEDIATION, ClockColour.GREEN, 8)
    assert _colour(db, case_id, date(2026, 9, 25)) == (ClockStage.MEDIATION, ClockColour.YELLOW, 7)
    assert _colour(db, case_id, date(2026, 10, 2)) == (ClockStage.MEDIATION, ClockColour.YELLOW, 0)
    assert _colour(db, case_id, date(2026, 10, 3)) == (ClockStage.MEDIATION, ClockColour.RED, -1)


@pytest.mark.parametrize(
    ("consultation", "stage", "due"),
    [(True, ClockStage.HOTLINE_CONSULTATION, date(2026, 10, 8)),
     (False, ClockStage.HOTLINE_REQUEST, date(2026, 11, 2))],
)
def test_hotline_items_run_on_2_20_working_days(db: Database, consultation: bool, stage: ClockStage,
                                                due: date) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    # A 12345 call on Tuesday 2026-09-29, the eve of the National Day holiday.
    case_id = _register(db, clerk, datetime(2026, 9, 29, 15, 0), channel=SourceChannel.PHONE,
                        consultation=consultation)
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
    with db.read() as session:
        state = clocks.case_clock(session, case_id, date(2026, 9, 29))
    assert state is not None and (state.stage, state.due_on) == (stage, due)


def test_extension_needs_a_reason_and_moves_the_due_date(db: Database) -> None:
    team_id, mediator_id = make_team(db)
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    case_id = _register(db, clerk, datetime(2026, 9, 1, 9, 0))
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
    with db.read() as session:
        before = session.get_one(DisputeCase, case_id).clock_due_on
    assert before is not None
    with pytest.raises(InvalidInput, match="延期理由"), db.write() as session:
        clocks.extend(session, mediator, case_id, days=10, reason=" ")
    with pytest.raises(PermissionDenied), db.write() as session:
        clocks.extend(session, clerk, case_id, days=10, reason="当事人住院")
    with db.write() as session:
        state = clocks.extend(session, mediator, case_id, days=10, reason="当事人住院，需延后调解")
    assert state.extended_days == 10 and (state.due_on - before).days == 10
    with db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == state.due_on


def test_limits_are_configurable_per_dispute_type_and_move_open_clocks(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    case_id = _register(db, clerk, datetime(2026, 3, 2, 9, 0))
    with db.read() as session:
        type_id = session.get_one(DisputeCase, case_id).dispute_type_id
    with db.write() as session:
        moved = clocks.set_limit(session, head, ClockStage.ACCEPTANCE, days=5, working_days=True, yellow_days=2,
                                 dispute_type_id=type_id)
    assert moved == 1
    with db.read() as session:
        assert session.get_one(DisputeCase, case_id).clock_due_on == date(2026, 3, 9)
    with pytest.raises(InvalidInput, match="黄色预警"), db.write() as session:
        clocks.set_limit(session, head, ClockStage.ACCEPTANCE, days=5, working_days=True, yellow_days=5)
    with pytest.raises(PermissionDenied), db.write() as session:
        clocks.set_limit(session, clerk, ClockStage.ACCEPTANCE, days=5, working_days=True, yellow_days=1)


def test_due_soon_and_overdue_lists_the_urgent_cases_first(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    old = _register(db, clerk, datetime(2026, 3, 2, 9, 0))
    fresh = _register(db, clerk, datetime(2026, 3, 10, 9, 0))
    with db.read() as session:
        listed = clocks.due_soon_or_overdue(session, head, at=date(2026, 3, 11))
    assert [(d.case_id, d.colour) for d in listed] == [(old, ClockColour.RED)]
    with db.read() as session:
        listed = clocks.due_soon_or_overdue(session, head, at=date(2026, 3, 12))
    assert [(d.case_id, d.colour) for d in listed] == [(old, ClockColour.RED), (fresh, ClockColour.YELLOW)]


def test_final_states_stop_the_clock(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    case_id = _register(db, clerk, datetime(2026, 3, 2, 9, 0))
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.REJECT, note="不属于受理范围")
    with db.read() as session:
        assert clocks.case_clock(session, case_id, date(2026, 3, 20)) is None
        assert session.get_one(DisputeCase, case_id).clock_due_on is None
