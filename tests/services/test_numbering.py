"""Case numbers: format, sequence per year, never reused, distinct under concurrent desks."""

from __future__ import annotations

import multiprocessing
import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, Role
from mediation_desk.services import center, workflow
from mediation_desk.services.numbering import NUMBER_PATTERN, format_case_number

from .helpers import make_user, register


def test_format_matches_the_center_convention() -> None:
    assert format_case_number(2026, "甘矛调", 1) == "（2026）甘矛调字第0001号"
    assert format_case_number(2026, "甘矛调", 12345) == "（2026）甘矛调字第12345号"
    match = NUMBER_PATTERN.match("（2026）甘矛调字第0007号")
    assert match is not None and match["prefix"] == "甘矛调" and int(match["seq"]) == 7


def test_sequence_runs_per_year_with_configured_prefix(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        center.put(session, settings.CASE_NUMBER_PREFIX, "甘矛调")
    first = register(db, clerk, received_at=datetime(2025, 12, 31, 16, 0))
    second = register(db, clerk, received_at=datetime(2026, 1, 2, 9, 0))
    third = register(db, clerk, received_at=datetime(2026, 1, 2, 9, 5))
    with db.read() as session:
        numbers = [session.get_one(DisputeCase, i).number for i in (first, second, third)]
    assert numbers == ["（2025）甘矛调字第0001号", "（2026）甘矛调字第0001号", "（2026）甘矛调字第0002号"]


def test_numbers_are_never_reused_after_a_rolled_back_registration(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    register(db, clerk, received_at=datetime(2026, 3, 1, 9, 0))
    with pytest.raises(RuntimeError), db.write() as session:
        from mediation_desk.services import cases

        from .helpers import new_case_input

        cases.register_case(session, clerk, new_case_input(db, received_at=datetime(2026, 3, 1, 9, 1)))
        raise RuntimeError("the clerk's PC lost power")
    later = register(db, clerk, received_at=datetime(2026, 3, 1, 9, 2))
    with db.read() as session:
        seqs = sorted(session.scalars(select(DisputeCase.seq).where(DisputeCase.year == 2026)))
        assert session.get_one(DisputeCase, later).seq == seqs[-1]
    assert len(seqs) == len(set(seqs)) == 2


def test_rejected_cases_keep_their_numbers(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    case_id = register(db, clerk, received_at=datetime(2026, 4, 1, 9, 0))
    with db.write() as session:
        workflow.transition(session, clerk, case_id, workflow.Action.REJECT, note="不属于受理范围")
    newer = register(db, clerk, received_at=datetime(2026, 4, 1, 9, 30))
    with db.read() as session:
        assert session.get_one(DisputeCase, newer).seq == session.get_one(DisputeCase, case_id).seq + 1


def _register_many(url: str, count: int, username: str, queue: multiprocessing.Queue,  # type: ignore[type-arg]
                   start: Any) -> None:
    # A separate process: a second desk with its own engine and its own writer connection.
    from argon2 import PasswordHasher

    from mediation_desk.services import auth

    try:
        auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        db = Database(url)
        actor = auth.login(db, username, "Passw0rd!")
        # Both desks signed in (a new interpreter's imports take seconds, more on a loaded
        # machine) before either registers: every registration of one runs beside the other's.
        start.wait(timeout=300)
        ids = [register(db, actor, received_at=datetime(2026, 5, 6, 10, 0)) for _ in range(count)]
        db.dispose()
        queue.put(ids)
    except BaseException as exc:  # the parent reports it instead of waiting for a result
        queue.put(f"{type(exc).__name__}: {exc}")
        raise


#: Registrations per desk: both desks run at once from the first (a barrier), so a few hundred
#: interleave as many commits as the thousands would.
EACH = 150


@pytest.mark.slow
def test_two_processes_registering_at_once_get_distinct_numbers(db: Database) -> None:
    make_user(db, "desk1", Role.INTAKE)
    make_user(db, "desk2", Role.INTAKE)
    url = db.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start = ctx.Barrier(2)
    desks = [ctx.Process(target=_register_many, args=(url, EACH, name, queue, start)) for name in ("desk1", "desk2")]
    for p in desks:
        p.start()
    results = [queue.get(timeout=300) for _ in desks]
    assert all(isinstance(r, list) for r in results), results
    for p in desks:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sum(len(r) for r in results) == 2 * EACH
    with db.read() as session:
        rows = session.execute(select(DisputeCase.number, DisputeCase.seq).where(DisputeCase.year == 2026)).all()
    numbers = {r.number for r in rows}
    assert len(rows) == len(numbers) == 2 * EACH
    assert sorted(r.seq for r in rows) == list(range(1, 2 * EACH + 1))
    assert all(re.fullmatch(r"（2026）.+字第\d{4}号", n) for n in numbers)
