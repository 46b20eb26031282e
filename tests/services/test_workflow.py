"""Every allowed and every refused transition of the case state machine, on both databases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, CaseEvent, CaseState, DisputeCase, EventKind, Role
from mediation_desk.services import audit, cases, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from mediation_desk.services.workflow import TRANSITIONS, Action

from .helpers import BACKENDS, complete_paperwork, make_team, make_user, module_database, register

S = CaseState

# The one path through the machine that reaches each state (used to put a case into it).
PATH_TO: dict[CaseState, list[Action]] = {
    S.REGISTERED: [],
    S.REJECTED: [Action.REJECT],
    S.ACCEPTED: [Action.ACCEPT],
    S.DIVERTED: [Action.ACCEPT, Action.DIVERT],
    S.ASSIGNED: [Action.ACCEPT, Action.ASSIGN],
    S.IN_MEDIATION: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION],
    S.SUCCEEDED: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED],
    S.FAILED: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL],
    S.TRANSFERRED: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.FAIL, Action.TRANSFER],
    S.WITHDRAWN: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.WITHDRAW],
    S.CLOSURE_REVIEW: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED,
                       Action.SUBMIT_FOR_REVIEW],
    S.CLOSED: [Action.ACCEPT, Action.ASSIGN, Action.START_MEDIATION, Action.SUCCEED,
               Action.SUBMIT_FOR_REVIEW, Action.APPROVE_CLOSURE],
}

# The complete table of DESIGN.md §2: (from, action) → to. Anything else is refused.
EXPECTED = {
    (S.REGISTERED, Action.ACCEPT): S.ACCEPTED,
    (S.REGISTERED, Action.REJECT): S.REJECTED,
    (S.ACCEPTED, Action.DIVERT): S.DIVERTED,
    (S.ACCEPTED, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.START_MEDIATION): S.IN_MEDIATION,
    (S.ASSIGNED, Action.WITHDRAW): S.WITHDRAWN,
    (S.IN_MEDIATION, Action.SUCCEED): S.SUCCEEDED,
    (S.IN_MEDIATION, Action.FAIL): S.FAILED,
    (S.IN_MEDIATION, Action.WITHDRAW): S.WITHDRAWN,
    (S.FAILED, Action.TRANSFER): S.TRANSFERRED,
    (S.SUCCEEDED, Action.SUBMIT_FOR_REVIEW): S.CLOSURE_REVIEW,
    (S.FAILED, Action.SUBMIT_FOR_REVIEW): S.CLOSURE_REVIEW,
    (S.TRANSFERRED, Action.SUBMIT_FOR_REVIEW): S.CLOSURE_REVIEW,
    (S.WITHDRAWN, Action.SUBMIT_FOR_REVIEW): S.CLOSURE_REVIEW,
    (S.DIVERTED, Action.SUBMIT_FOR_REVIEW): S.CLOSURE_REVIEW,
    (S.CLOSURE_REVIEW, Action.APPROVE_CLOSURE): S.CLOSED,
    (S.CLOSURE_REVIEW, Action.SEND_BACK): S.IN_MEDIATION,
    (S.CLOSED, Action.REOPEN): S.IN_MEDIATION,
}


def test_transition_table_is_the_designed_one() -> None:
    table = {(source, t.action): t.target for t in TRANSITIONS.values() for source in t.sources}
    assert table == EXPECTED


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.team_id, mediator_id = make_team(db)
        self.clerk = make_user(db, "clerk", Role.INTAKE)
        self.head = make_user(db, "head", Role.HEAD)
        self.mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)

    def case_in(self, state: CaseState) -> int:
        case_id = register(self.db, self.clerk)
        for action in PATH_TO[state]:
            if action is Action.SUBMIT_FOR_REVIEW:
                # The file goes up complete, so the head's approval passes the closure gate.
                complete_paperwork(self.db, self.head, case_id)
            self.act(case_id, action)
        assert self.state(case_id) is state
        return case_id

    def act(self, case_id: int, action: Action, actor: Actor | None = None, note: str = "理由") -> None:
        with self.db.write() as session:
            if action is Action.ASSIGN:
                cases.assign_case(session, actor or self.head, case_id, team_id=self.team_id)
            else:
                workflow.transition(session, actor or self.head, case_id, action, note=note)

    def state(self, case_id: int) -> CaseState:
        with self.db.read() as session:
            return session.get_one(DisputeCase, case_id).state


@pytest.fixture
def world(db: Database) -> World:
    return World(db)


@pytest.mark.parametrize(("source", "action"), sorted(EXPECTED, key=str))
def test_allowed_transition_moves_and_is_recorded(world: World, source: CaseState, action: Action) -> None:
    case_id = world.case_in(source)
    with world.db.read() as session:
        events_before = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    world.act(case_id, action, note="按规定办理")
    assert world.state(case_id) is EXPECTED[(source, action)]
    with world.db.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                .order_by(CaseEvent.id.desc())).first()
        assert event is not None
        target = EXPECTED[(source, action)]
        assert (event.kind, event.from_state, event.to_state) == (EventKind.TRANSITION, source, target)
        assert event.user_id == world.head.user_id
        assert event.action == action.value
        events_after = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        assert events_after == (events_before or 0) + 1
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == f"case.{action.value}" and entry.entity_id == case_id
        assert entry.detail["from"] == source.value and entry.username == "head"
        assert (session.scalar(select(func.count()).select_from(AuditEntry)) or 0) > (audit_before or 0)
        assert audit.verify_chain(session).intact


REFUSED = sorted(
    ((state, action) for state, action in itertools.product(CaseState, Action) if (state, action) not in EXPECTED),
    key=str,
)


@pytest.fixture(scope="module", params=BACKENDS)
def refusing(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, dict[CaseState, int]]]:
    """One world per backend for the refusals, and its case in each state made when first asked
    for: a refused action changes nothing (each test checks that it did not), so the 138 refusals
    share them instead of each making its world and walking a case to its state."""
    with module_database(request, tmp_path_factory, "refusals") as db:
        yield World(db), {}


@pytest.mark.parametrize(("source", "action"), REFUSED)
def test_refused_transition_names_the_state_and_changes_nothing(refusing: tuple[World, dict[CaseState, int]],
                                                                 source: CaseState, action: Action) -> None:
    world, made = refusing
    if source not in made:
        made[source] = world.case_in(source)
    case_id = made[source]
    with world.db.read() as session:
        events_before = session.scalar(select(func.count()).select_from(CaseEvent))
    with pytest.raises(TransitionNotAllowed) as refused:
        world.act(case_id, action)
    assert f"当前状态为“{source.label}”" in str(refused.value)
    assert TRANSITIONS[action].label in str(refused.value)
    assert world.state(case_id) is source
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == events_before


@pytest.mark.parametrize("action", [a for a in Action if TRANSITIONS[a].note_required])
def test_required_reason_must_be_given(world: World, action: Action) -> None:
    source = next(s for (s, a) in EXPECTED if a is action)
    case_id = world.case_in(source)
    with pytest.raises(InvalidInput) as missing:
        world.act(case_id, action, note="   ")
    assert missing.value.field == "note"
    assert TRANSITIONS[action].note_prompt in str(missing.value)
    assert world.state(case_id) is source


def test_roles_are_checked_by_the_service(world: World) -> None:
    case_id = world.case_in(S.REGISTERED)
    with pytest.raises(PermissionDenied, match="调解员"):
        world.act(case_id, Action.ACCEPT, actor=world.mediator)
    world.act(case_id, Action.ACCEPT, actor=world.clerk)
    review = world.case_in(S.CLOSURE_REVIEW)
    with pytest.raises(PermissionDenied, match="受理员"):
        world.act(review, Action.APPROVE_CLOSURE, actor=world.clerk)
    admin = Actor.system()
    with pytest.raises(PermissionDenied):
        world.act(review, Action.APPROVE_CLOSURE, actor=admin)


def test_mediator_acts_only_on_own_team_cases(world: World, db: Database) -> None:
    case_id = world.case_in(S.ASSIGNED)
    world.act(case_id, Action.START_MEDIATION, actor=world.mediator)
    other_team, _ = make_team(db, name="劳资社保调解团队", mediator_name="马玉兰")
    other = world.case_in(S.ACCEPTED)
    with db.write() as session:
        cases.assign_case(session, world.head, other, team_id=other_team)
    with pytest.raises(PermissionDenied, match="不属于您所在的调解团队"):
        world.act(other, Action.START_MEDIATION, actor=world.mediator)
    assert world.state(other) is S.ASSIGNED


def test_allowed_actions_offer_exactly_what_the_role_may_do(world: World) -> None:
    registered = world.case_in(S.REGISTERED)
    with world.db.read() as session:
        case = session.get_one(DisputeCase, registered)
        assert [t.action for t in workflow.allowed_actions(world.clerk, case)] == [Action.ACCEPT, Action.REJECT]
        assert workflow.allowed_actions(world.mediator, case) == []
    review = world.case_in(S.CLOSURE_REVIEW)
    with world.db.read() as session:
        case = session.get_one(DisputeCase, review)
        assert [t.action for t in workflow.allowed_actions(world.head, case)] == [
            Action.APPROVE_CLOSURE, Action.SEND_BACK]
        assert workflow.allowed_actions(world.mediator, case) == []


def test_assign_needs_a_team(world: World) -> None:
    case_id = world.case_in(S.ACCEPTED)
    with pytest.raises(InvalidInput, match="调解团队"), world.db.write() as session:
        workflow.transition(session, world.head, case_id, Action.ASSIGN)
    assert world.state(case_id) is S.ACCEPTED


def test_stale_version_is_a_conflict_not_an_overwrite(world: World) -> None:
    case_id = world.case_in(S.REGISTERED)
    with world.db.read() as session:
        version = session.get_one(DisputeCase, case_id).version
    world.act(case_id, Action.ACCEPT, actor=world.clerk)
    with pytest.raises(Conflict, match="已被他人修改"), world.db.write() as session:
        workflow.transition(session, world.head, case_id, Action.REJECT, note="x", expected_version=version)
    assert world.state(case_id) is S.ACCEPTED


def test_closing_and_reopening_set_dates(world: World) -> None:
    case_id = world.case_in(S.CLOSED)
    with world.db.read() as session:
        case = session.get_one(DisputeCase, case_id)
        assert case.closed_at is not None and case.accepted_at is not None
    world.act(case_id, Action.REOPEN, note="回访发现未履行")
    with world.db.read() as session:
        assert session.get_one(DisputeCase, case_id).closed_at is None
