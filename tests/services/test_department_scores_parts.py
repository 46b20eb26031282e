"""督办与考核 counted in parts (``cards.department_scores``): a department's cases of a month are its
led cases open in it, plus its carded cases not among them, plus the cases it asked an extension on
that are neither. Each part is made to matter here — a mediator moved to another department, a
carded case whose lead moved, a late return visit carded after the case closed, a case accepted
after the month it was received in, requests on led, carded and other cases — and the scores of
several months must equal a recount from the rows and the drill-down's counts (``score_condition``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import (
    ClockColour,
    ClockStage,
    DisputeCase,
    ExtensionRequest,
    ExtensionStatus,
    Mediator,
    StageCard,
)
from mediation_desk.services import cards

from ..conftest import login_as

TODAY = datetime(2026, 12, 10, 17, 0)
MONTHS = ("2026-09", "2026-10", "2026-11", "2026-12")
FIGURES = ("cases", "on_time", "yellow", "red", "asked", "approved")


def _in(day: date | datetime | None, start: date, end: date) -> bool:
    return day is not None and start <= (day.date() if isinstance(day, datetime) else day) <= end


def _parts(session: Session, month: str) -> dict[int, dict[str, set[int]]]:
    """Per department, from the rows: its led cases open in the month, carded, red, yellow,
    asked and approved cases."""
    start, end = cards.month_bounds(month)
    department_of = {m.id: m.department_id for m in session.scalars(select(Mediator))}
    found: dict[int, dict[str, set[int]]] = {}

    def part(department: int | None, name: str) -> set[int]:
        assert department is not None
        return found.setdefault(department, {}).setdefault(name, set())

    for case in session.scalars(select(DisputeCase)):
        department = department_of.get(case.lead_mediator_id) if case.lead_mediator_id else None
        began = (case.accepted_at or case.received_at).date()
        if department is not None and began <= end and (case.closed_at is None or case.closed_at.date() >= start):
            part(department, "led").add(case.id)
    for card in session.scalars(select(StageCard).where(StageCard.department_id.is_not(None))):
        if _in(card.given_on, start, end):
            part(card.department_id, "carded").add(card.case_id)
            part(card.department_id, "red" if card.colour is ClockColour.RED else "yellow").add(card.case_id)
    for asked in session.scalars(select(ExtensionRequest).where(ExtensionRequest.department_id.is_not(None))):
        if _in(asked.requested_on, start, end):
            part(asked.department_id, "asked").add(asked.case_id)
            if asked.status is ExtensionStatus.APPROVED:
                part(asked.department_id, "approved").add(asked.case_id)
    return found


def _recount(parts: dict[str, set[int]]) -> tuple[int, ...]:
    led, carded, asked = parts.get("led", set()), parts.get("carded", set()), parts.get("asked", set())
    every = led | carded | asked
    red = parts.get("red", set())
    return (len(every), len(every - red), len(parts.get("yellow", set())), len(red), len(asked),
            len(parts.get("approved", set())))


def _pick(ids: Iterable[int], n: int, taken: set[int]) -> list[int]:
    chosen = [i for i in sorted(ids) if i not in taken][:n]
    assert len(chosen) == n
    taken.update(chosen)
    return chosen


def _make_every_part_matter(db: Database) -> None:
    with db.write() as session:
        mediators = list(session.scalars(select(Mediator).where(Mediator.department_id.is_not(None))
                                         .order_by(Mediator.id)))
        departments = sorted({m.department_id for m in mediators if m.department_id is not None})
        assert len(departments) >= 3
        november = [c for c in session.scalars(select(StageCard).where(
            StageCard.given_on >= date(2026, 11, 1), StageCard.given_on <= date(2026, 11, 30),
            StageCard.department_id.is_not(None)).order_by(StageCard.case_id))]
        assert len(november) >= 6
        taken: set[int] = set()
        # A carded case whose lead is now a mediator of another department: carded, no longer led.
        moved_case = session.get_one(DisputeCase, _pick({c.case_id for c in november}, 1, taken)[0])
        card_department = next(c.department_id for c in november if c.case_id == moved_case.id)
        moved_case.lead_mediator_id = next(m.id for m in mediators if m.department_id != card_department)
        # A mediator moved to another department: their led cases go with them.
        moving = next(m for m in mediators if m.department_id not in (card_department, departments[0]))
        moving.department_id = departments[0] if moving.department_id != departments[0] else departments[1]
        # A late return visit carded in November for a case closed in October (not led then).
        closed = session.scalars(select(DisputeCase).where(
            DisputeCase.closed_at >= datetime(2026, 10, 1), DisputeCase.closed_at < datetime(2026, 11, 1),
            DisputeCase.lead_mediator_id.is_not(None)).order_by(DisputeCase.id)).all()
        late = next(c for c in closed if c.id not in taken)
        taken.add(late.id)
        late_department = session.get_one(Mediator, late.lead_mediator_id).department_id
        session.add(StageCard(case_id=late.id, stage=ClockStage.RETURN_VISIT, colour=ClockColour.RED,
                              given_on=date(2026, 11, 20), due_on=date(2026, 11, 18), department_id=late_department))
        # Received in November, accepted only in December: led from December on, not in November.
        received = session.scalars(select(DisputeCase).where(
            DisputeCase.received_at >= datetime(2026, 11, 25), DisputeCase.received_at < datetime(2026, 12, 1),
            DisputeCase.lead_mediator_id.is_not(None), DisputeCase.closed_at.is_(None))
            .order_by(DisputeCase.id)).all()
        accepted_late = next(c for c in received if c.id not in taken)
        taken.add(accepted_late.id)
        accepted_late.accepted_at = datetime(2026, 12, 2, 9)
        # … and carded in November (its acceptance late): carded, not led, in November.
        accepted_department = session.get_one(Mediator, accepted_late.lead_mediator_id).department_id
        session.add(StageCard(case_id=accepted_late.id, stage=ClockStage.ACCEPTANCE, colour=ClockColour.YELLOW,
                              given_on=date(2026, 11, 30), due_on=date(2026, 12, 1),
                              department_id=accepted_department))
        # Extension requests in November: on a led case, on a carded one, and on a case of another
        # department that is neither (asked by the first department, approved).
        first = max(departments, key=lambda d: sum(1 for c in november if c.department_id == d))
        led_here = session.scalars(select(DisputeCase.id).join(Mediator, Mediator.id == DisputeCase.lead_mediator_id)
                                   .where(Mediator.department_id == first, DisputeCase.closed_at.is_(None))
                                   .order_by(DisputeCase.id)).all()
        other = session.scalars(select(DisputeCase.id).join(Mediator, Mediator.id == DisputeCase.lead_mediator_id)
                                .where(Mediator.department_id != first,
                                       DisputeCase.closed_at < datetime(2026, 9, 1)).order_by(DisputeCase.id)).all()
        carded_here = [c.case_id for c in november if c.department_id == first]
        for n, (case_id, status) in enumerate((
                (_pick(led_here, 1, taken)[0], ExtensionStatus.PENDING),
                (_pick(carded_here, 1, taken)[0], ExtensionStatus.APPROVED),
                (_pick(other, 1, taken)[0], ExtensionStatus.APPROVED),
                (_pick(other, 1, taken)[0], ExtensionStatus.REFUSED))):
            session.add(ExtensionRequest(case_id=case_id, stage=ClockStage.MEDIATION, days=10, reason="测试",
                                         department_id=first, requested_on=date(2026, 11, 3 + n),
                                         due_on=date(2026, 11, 30), status=status))
        # One on the carded case whose lead moved: carded for that department, not led, counted once.
        session.add(ExtensionRequest(case_id=moved_case.id, stage=ClockStage.MEDIATION, days=10, reason="测试",
                                     department_id=card_department, requested_on=date(2026, 11, 12),
                                     due_on=date(2026, 11, 30), status=ExtensionStatus.PENDING))
        # And one in October on the same other case: a request counts in its own month only.
        session.add(ExtensionRequest(case_id=other[0], stage=ClockStage.MEDIATION, days=5, reason="测试",
                                     department_id=first, requested_on=date(2026, 10, 30), due_on=date(2026, 11, 9),
                                     status=ExtensionStatus.APPROVED))


def test_the_scores_of_each_month_equal_a_recount_of_every_part_and_the_drill_down(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 300, seed_value=17, today=TODAY)
    head = login_as(db, "head")
    for day in (date(2026, 9, 14), date(2026, 10, 13), date(2026, 11, 10), date(2026, 12, 8)):
        with db.write() as session:  # cards given on earlier days, so that several months have some
            cards.check(session, head, day)
    _make_every_part_matter(db)
    with db.read() as session:
        parts = {month: _parts(session, month) for month in MONTHS}
        scores = {month: {s.department_id: s for s in cards.department_scores(session, head, month)}
                  for month in MONTHS}
        drill = {(month, d, figure): len(cards.score_cases(session, head, figure, d, month, limit=100_000))
                 for month in MONTHS for d in scores[month] for figure in FIGURES}
    # Every part of the count is there to be got wrong: led and carded cases, carded ones not led,
    # and requested ones neither led nor carded, in the busiest month.
    november = parts["2026-11"].values()
    assert any(p.get("led", set()) & p.get("carded", set()) for p in november)
    assert any(p.get("carded", set()) - p.get("led", set()) for p in november)
    assert any(p.get("asked", set()) - p.get("led", set()) - p.get("carded", set()) for p in november)
    assert any(p.get("approved") for p in november) and any(p.get("yellow") for p in november)
    assert sum(1 for month in MONTHS if any(p.get("carded") for p in parts[month].values())) >= 3
    for month in MONTHS:
        assert scores[month], month
        assert any(s.cases for s in scores[month].values())
        for d, score in scores[month].items():
            got = tuple(getattr(score, figure) for figure in FIGURES)
            assert got == _recount(parts[month].get(d, {})), (month, score.department)
            assert got == tuple(drill[(month, d, figure)] for figure in FIGURES), (month, score.department)
        # No department with cases of the month is left out.
        assert {d for d, p in parts[month].items() if _recount(p)[0]} <= set(scores[month])


def test_a_month_before_any_case_scores_nothing_and_a_case_open_for_months_counts_in_each(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 80, seed_value=3, today=TODAY)
    head = login_as(db, "head")
    with db.read() as session:
        first = min(session.scalars(select(DisputeCase.received_at)))
        before = (first.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        assert all(s.cases == 0 for s in cards.department_scores(session, head, before))
        still_open = session.scalars(select(DisputeCase).join(Mediator, Mediator.id == DisputeCase.lead_mediator_id)
                                     .where(DisputeCase.closed_at.is_(None), Mediator.department_id.is_not(None),
                                            DisputeCase.received_at < datetime(2026, 10, 1))
                                     .order_by(DisputeCase.id)).first()
        assert still_open is not None
        department = session.get_one(Mediator, still_open.lead_mediator_id).department_id
        assert department is not None
        for month in ("2026-10", "2026-11", "2026-12"):
            ids = {i for i, _n, _t in cards.score_cases(session, head, cards.ScoreFigure.CASES, department, month,
                                                         limit=100_000)}
            assert still_open.id in ids, month
