"""督办与考核 for a township's head (``cards.department_scores``, ``cards.score_cases``): the same
figures of the same departments, counted over the cases that head may see only — their township's,
those handled by it (交办) and those crossed with it — equal to a recount from the rows of the
cases ``permissions.reads_case`` lets them read, and to their drill-down; the county head's still
over every case. On SQLite nothing but the service keeps a township's head to their cases (on
PostgreSQL the server's row security does too), and the figures of the county's own cases differ.

Each side of the township's visibility is made to count: township cases led by a department's
mediator (led), carded for a department whose mediator does not lead them (carded, not led), asked
more days on by a department (neither), a county case handled by the township, a case of the other
township crossed with it — and a card on one of the other township's cases it must not count.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, text
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
from mediation_desk.services import cards, permissions
from mediation_desk.services.actor import Actor

from ..conftest import login_as
from .test_case_counts import mix
from .test_department_scores_parts import FIGURES, _parts, _recount

TODAY = datetime(2026, 12, 10, 17, 0)
MONTHS = ("2026-10", "2026-11", "2026-12")
HEADS = ("head", "ljd_head", "dz_head")


def _center(session: Session, prefix: str) -> int:
    return int(session.scalar(text("SELECT id FROM center WHERE prefix = :p"), {"p": prefix}))


def _make_the_townships_count(db: Database) -> dict[str, int]:
    """Rows that put the 梁家墩 township's cases into the departments' months; the ids of note."""
    with db.write() as session:
        ljd, dz = _center(session, "甘州梁家墩调"), _center(session, "甘州党寨调")
        stationed = list(session.scalars(select(Mediator).where(Mediator.department_id.is_not(None))
                                         .order_by(Mediator.id)))
        first, second = stationed[0], next(m for m in stationed if m.department_id != stationed[0].department_id)
        assert first.department_id is not None and second.department_id is not None

        def of(center: int) -> list[DisputeCase]:
            return list(session.scalars(select(DisputeCase).where(DisputeCase.center_id == center)
                                        .order_by(DisputeCase.id)))

        at_ljd, at_dz = of(ljd), of(dz)
        crossed_dz = session.scalar(text("SELECT case_id FROM case_crossing WHERE from_center_id = :dz AND "
                                         "to_center_id = :ljd"), {"dz": dz, "ljd": ljd})
        unseen_dz = next(c for c in at_dz if c.id != crossed_dz and c.handling_center_id is None)
        # Township cases led by a department's mediator, open in the months (accepted in September).
        led = [c for c in at_ljd if c.handling_center_id is None][:6]
        for case in led:
            case.lead_mediator_id = first.id
            case.received_at, case.accepted_at, case.closed_at = (datetime(2026, 9, 2, 9), datetime(2026, 9, 3, 9),
                                                                  None)
        led[-1].closed_at = datetime(2026, 10, 20, 9)  # led in October only
        # Carded for the second department in November, its lead the first's: carded, not led.
        session.add(StageCard(case_id=led[0].id, stage=ClockStage.MEDIATION, colour=ClockColour.RED,
                              given_on=date(2026, 11, 9), due_on=date(2026, 11, 6),
                              department_id=second.department_id))
        # The other township's case crossed with this one, carded; and one not crossed, carded too.
        for case_id, colour in ((crossed_dz, ClockColour.YELLOW), (unseen_dz.id, ClockColour.RED)):
            session.add(StageCard(case_id=case_id, stage=ClockStage.MEDIATION, colour=colour,
                                  given_on=date(2026, 11, 12), due_on=date(2026, 11, 20),
                                  department_id=first.department_id))
        # More days asked by the first department on a township case neither led nor carded.
        neither = next(c for c in at_ljd if c not in led and c.handling_center_id is None)
        neither.lead_mediator_id = None
        session.add(ExtensionRequest(case_id=neither.id, stage=ClockStage.MEDIATION, days=10, reason="测试",
                                     department_id=first.department_id, requested_on=date(2026, 11, 16),
                                     due_on=date(2026, 11, 30), status=ExtensionStatus.APPROVED))
        # A county case handled by the township (交办), led by the second department's mediator.
        handled = session.scalars(select(DisputeCase).where(DisputeCase.handling_center_id == ljd)
                                  .order_by(DisputeCase.id)).first()
        assert handled is not None
        handled.lead_mediator_id = second.id
        handled.accepted_at, handled.closed_at = datetime(2026, 10, 5, 9), None
        return {"led": led[0].id, "neither": neither.id, "handled": handled.id, "crossed": int(crossed_dz),
                "unseen": unseen_dz.id}


def _seen(session: Session, actor: Actor) -> set[int]:
    """The cases ``actor`` reads, case by case (not the services' SQL)."""
    return {case.id for case in session.scalars(select(DisputeCase))
            if permissions.reads_case(actor, case, session)}


def _only(parts: dict[int, dict[str, set[int]]], seen: set[int]) -> dict[int, dict[str, set[int]]]:
    return {d: {name: ids & seen for name, ids in named.items()} for d, named in parts.items()}


def test_a_township_heads_scores_are_those_of_the_cases_they_may_see(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 300, seed_value=17, today=TODAY, township_cases=40)
        mix(session)
    noted = _make_the_townships_count(db)
    heads = {username: login_as(db, username) for username in HEADS}
    for username in HEADS:  # each center's desk gives its own cases' cards
        for day in (date(2026, 10, 13), date(2026, 11, 10), date(2026, 12, 8)):
            with db.write() as session:
                cards.check(session, heads[username], day)
    scored: dict[str, dict[str, tuple[int, ...]]] = {}
    with db.read() as session:
        every = {month: _parts(session, month) for month in MONTHS}
        for username, actor in heads.items():
            seen = _seen(session, actor)
            assert (username == "head") == (seen == set(session.scalars(select(DisputeCase.id))))
            for month in MONTHS:
                parts = _only(every[month], seen)
                scores = {s.department_id: s for s in cards.department_scores(session, actor, month)}
                # The same departments for every head (the county's, the inactive without cases left out).
                assert set(scores) == {s.department_id for s in cards.department_scores(session, heads["head"],
                                                                                          month)}
                assert {d for d, p in parts.items() if _recount(p)[0]} <= set(scores)
                for d, score in scores.items():
                    got = tuple(getattr(score, figure) for figure in FIGURES)
                    assert got == _recount(parts.get(d, {})), (username, month, score.department)
                    for figure, n in zip(FIGURES, got, strict=True):
                        listed = {i for i, _n, _t in cards.score_cases(session, actor, figure, d, month,
                                                                       limit=100_000)}
                        assert len(listed) == n and listed <= seen, (username, month, score.department, figure)
                    scored.setdefault(username, {})[f"{month} {d}"] = got
            if username == "ljd_head":
                november = _only(every["2026-11"], seen).values()
                # Each part of the township's count holds a case: led, carded not led, asked neither.
                assert any(p.get("led", set()) & {noted["led"], noted["handled"]} for p in november)
                assert any(noted["led"] in p.get("carded", set()) - p.get("led", set()) for p in november)
                assert any(noted["neither"] in p.get("asked", set()) for p in november)
                assert any(noted["crossed"] in p.get("carded", set()) for p in november)
                assert not any(noted["unseen"] in p.get("carded", set()) for p in november)
    # The township heads' figures are their own, fewer than the county's: not the county's month.
    county = sum(sum(figures) for figures in scored["head"].values())
    for username in ("ljd_head", "dz_head"):
        township = sum(sum(figures) for figures in scored[username].values())
        assert 0 < township < county, username
