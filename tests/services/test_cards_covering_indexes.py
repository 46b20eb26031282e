"""Migrations 0048 and 0057: the desk's card check (``cards.due_cards``) and the department scores of
a month (督办与考核, ``cards.department_scores``) read ``ix_dispute_case_clock``,
``ix_dispute_case_lead_span``, ``ix_dispute_case_mediated`` and ``ix_stage_card_given`` alone, never
the case rows; and give what they gave before them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.sql.compiler import SQLCompiler

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.services import cards

from ..conftest import login_as
from .helpers import query_plan, statements_run

TODAY = datetime(2026, 11, 20, 17, 0)
USERS = ("head", "ljd_head", "mediator", "clerk")
DAYS = (date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 10))
MONTHS = ("2026-09", "2026-10", "2026-11")


def _seeded(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 260, seed_value=11, today=TODAY, township_cases=60)
    head = login_as(db, "head")
    with db.write() as session:  # cards given on an earlier day, so that the scores count some
        assert cards.check(session, head, date(2026, 11, 10)).given


def _answers(db: Database) -> dict[tuple[str, str, Any], Any]:
    found: dict[tuple[str, str, Any], Any] = {}
    for user in USERS:
        actor = login_as(db, user)
        with db.read() as session:
            for day in DAYS:
                found[("due", user, day)] = cards.due_cards(session, actor, day)
            if user.endswith("head"):
                for month in MONTHS:
                    found[("scores", user, month)] = cards.department_scores(session, actor, month)
    return found


def test_0048_and_0057_give_the_same_cards_and_scores_as_the_indexes_before(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(db)
    now = _answers(db)
    assert any(due.case_ids for key, due in now.items() if key[0] == "due")
    # The county head's months count cases (a township's head counts only the township's, here led
    # by volunteers of no department: tests/services/test_township_scores.py makes them count).
    assert all(any(score.cases for score in scores) for key, scores in now.items() if key[:2] == ("scores", "head"))
    assert any(any(score.red for score in scores) for key, scores in now.items() if key[0] == "scores")
    with monkeypatch.context() as patched:
        # The indexes the statements name (INDEXED BY) are not there before: the hints off, in
        # engines of their own (an engine keeps the statements it compiled).
        patched.setattr(SQLiteCompiler, "get_from_hint_text", SQLCompiler.get_from_hint_text)
        for revision in ("0054", "0047"):
            migrate_to(db, revision)
            columns = {ix["name"]: ix["column_names"] for ix in inspect(db.writer).get_indexes("dispute_case")}
            assert "ix_dispute_case_lead_span" not in columns
            assert "closed_at" not in columns.get("ix_dispute_case_mediated", [])
            old = Database(db.url, create=False)
            try:
                assert _answers(old) == now, revision
            finally:
                old.dispose()
        assert columns["ix_dispute_case_clock"] == ["clock_warn_on", "clock_due_on"]
    migrate_to(db, "head")
    assert _answers(db) == now


def test_the_card_check_and_the_scores_read_only_their_indexes(sqlite_db: Database) -> None:
    _seeded(sqlite_db)
    with sqlite_db.write() as session:
        session.execute(text("ANALYZE"))
    sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
    plans: dict[str, list[str]] = {}
    for user in USERS:
        actor = login_as(sqlite_db, user)
        with sqlite_db.read() as session:
            with statements_run(sqlite_db) as statements:
                cards.due_cards(session, actor, DAYS[1])
                if user.endswith("head"):
                    cards.department_scores(session, actor, "2026-11")
            plans.update({f"{user}: {statement}": query_plan(session, statement, parameters)
                          for statement, parameters in statements
                          if "dispute_case" in statement or "stage_card" in statement})
    walks = [(statement, step) for statement, plan in plans.items() for step in plan
             if step.startswith(("SEARCH dispute_case ", "SCAN dispute_case", "SEARCH stage_card ", "SCAN stage_card",
                                 "SEARCH scored_case ", "SCAN scored_case"))]
    assert walks
    for statement, step in walks:
        if "(rowid=?)" in step or "sqlite_autoindex_stage_card_1" in step:
            continue  # a key look-up: the cards a case already has
        if step.startswith("SEARCH stage_card USING INDEX ix_stage_card_case") and "(case_id=?" in step:
            continue  # the scores' few requests of a month: whether the case was carded too
        assert "USING COVERING INDEX" in step, (statement, step)
    used = " ".join(step for _statement, step in walks)
    for index in ("ix_dispute_case_clock", "ix_dispute_case_lead_span", "ix_dispute_case_mediated",
                  "ix_stage_card_given"):
        assert f"COVERING INDEX {index} " in used, used
