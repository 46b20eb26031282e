"""The cases carded per center and month (migration 0058, services/carded_months.py) are kept exact
by the triggers in the writing transaction: after cards given by the card check (a card already
given refused by its unique key), through the ORM and by raw SQL, cards moved to another day or
case, deleted, cases moved to another center and back, and cases deleted (their cards by the
cascade), the table equals a recount from the cards, and the briefing's 亮牌 number equals the cases
its filter lists — the county head's and a township head's — on SQLite and PostgreSQL. Each trigger
is needed: with any one dropped, its write leaves the table unequal to the recount. An upgrade
fills the table from the cards already there."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import Center, CenterLevel, ClockColour, ClockStage, DisputeCase
from mediation_desk.models.clock import StageCard
from mediation_desk.services import briefing, carded_months, cards, statistics

NOV = (date(2026, 11, 1), date(2026, 11, 30))
OCT = (date(2026, 10, 1), date(2026, 10, 31))


def _seed(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 24, seed_value=5, today=datetime(2026, 12, 3, 17, 0), township_cases=4)
        session.execute(delete(StageCard))  # whatever the demo gave: the tests give their own


def _case_ids(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(DisputeCase.id).order_by(DisputeCase.center_id.desc(), DisputeCase.id)))


def _card(case_id: int, day: date, stage: ClockStage = ClockStage.MEDIATION,
          colour: ClockColour = ClockColour.YELLOW) -> dict[str, Any]:
    return {"case_id": case_id, "stage": stage, "colour": colour, "given_on": day, "due_on": day,
            "team_id": None, "department_id": None}


def _centers(db: Database) -> tuple[frozenset[int], frozenset[int]]:
    """Every center, and a township's alone."""
    with db.read() as session:
        every = frozenset(session.scalars(select(Center.id)))
        township = session.scalar(select(Center.id).where(Center.level == CenterLevel.TOWNSHIP).order_by(Center.id))
    assert township is not None
    return every, frozenset({township})


def _check(db: Database) -> dict[tuple[Any, ...], int]:
    """The kept table equals the recount; the 亮牌 number of each month equals the cases its
    filter lists, over every center and over a township."""
    with db.write() as session:
        kept = carded_months.kept(session)
        assert kept == carded_months.recounted(session)
    with db.read() as session:
        for ids in _centers(db):
            for start, end in (NOV, OCT):
                number = briefing._carded(session, ids, start, end)
                assert number.filter.statistic is not None and number.filter.center_ids == ids
                listed = session.execute(select(func.count()).select_from(DisputeCase).where(
                    DisputeCase.center_id.in_(sorted(ids)), statistics.condition(number.filter.statistic))).scalar()
                assert number.value == listed, (ids, start)
    return kept


def test_the_carded_counts_equal_a_recount_after_every_kind_of_write(db: Database) -> None:
    _seed(db)
    ids = _case_ids(db)  # a township's cases first
    a, b, c, d, e = ids[:5]
    assert _check(db) == {}
    with db.write() as session:  # the card check's insert, two cards of a case in one month
        got = cards._insert_new(session, [_card(a, date(2026, 11, 3)), _card(b, date(2026, 11, 4)),
                                          _card(b, date(2026, 11, 20), colour=ClockColour.RED),
                                          _card(c, date(2026, 10, 31))])
    assert len(got) == 4
    kept = _check(db)
    assert sum(kept.values()) == 3
    with db.write() as session:  # given again by another desk's check: refused, nothing counted
        assert cards._insert_new(session, [_card(b, date(2026, 11, 21))]) == []
        assert cards._insert_new(session, [_card(a, date(2026, 11, 25), stage=ClockStage.ACCEPTANCE)]) != []
    assert _check(db) == kept
    with db.write() as session:  # through the ORM, and by raw SQL several at once
        session.add(StageCard(case_id=d, stage=ClockStage.MEDIATION, colour=ClockColour.RED,
                              given_on=date(2026, 11, 30), due_on=date(2026, 11, 30)))
        session.flush()
        session.execute(text("INSERT INTO stage_card (case_id, stage, colour, given_on, due_on, created_at) "
                             "VALUES (:c, 'mediation', 'yellow', :d, :d, :d), "
                             "(:c, 'acceptance', 'yellow', :e, :e, :e)"),
                        {"c": e, "d": date(2026, 11, 1), "e": date(2026, 12, 1)})
    _check(db)
    with db.write() as session:  # moved: within its month, to another month, to another case
        first_b = session.scalar(select(StageCard.id).where(StageCard.case_id == b).order_by(StageCard.id).limit(1))
        session.execute(update(StageCard).where(StageCard.id == first_b).values(given_on=date(2026, 11, 9)))
    _check(db)
    with db.write() as session:
        session.execute(update(StageCard).where(StageCard.id == first_b).values(given_on=date(2026, 10, 9)))
    _check(db)
    with db.write() as session:
        card_c = session.scalar(select(StageCard.id).where(StageCard.case_id == c))
        session.execute(update(StageCard).where(StageCard.id == card_c).values(
            case_id=a, given_on=date(2026, 11, 2), stage=ClockStage.RETURN_VISIT))
    _check(db)
    with db.write() as session:  # every card of a month moved at once
        session.execute(update(StageCard).where(StageCard.given_on >= NOV[0], StageCard.given_on <= NOV[1])
                        .values(given_on=func.coalesce(StageCard.due_on, StageCard.given_on)))
        session.execute(update(StageCard).where(StageCard.case_id == a).values(given_on=date(2026, 10, 15)))
    _check(db)
    with db.write() as session:  # deleted: one of a case's cards of the month, then its last
        last_a = session.scalar(select(StageCard.id).where(StageCard.case_id == a).order_by(StageCard.id.desc()))
        session.execute(delete(StageCard).where(StageCard.id == last_a))
    _check(db)
    with db.write() as session:
        session.execute(delete(StageCard).where(StageCard.case_id == a))
    _check(db)
    with db.write() as session:  # cases moved to another center together (numbered apart), one moved back
        other = Center(name="测试乡镇中心", level=CenterLevel.TOWNSHIP, parent_id=None, prefix="CS")
        session.add(other)
        session.flush()
        home = session.scalar(select(DisputeCase.center_id).where(DisputeCase.id == d))
        session.execute(update(DisputeCase).where(DisputeCase.id.in_((b, d, e)))
                        .values(center_id=other.id, seq=DisputeCase.seq + 10000))
    _check(db)
    with db.write() as session:
        session.execute(update(DisputeCase).where(DisputeCase.id == d).values(center_id=home,
                                                                               seq=DisputeCase.seq - 10000))
    _check(db)
    with db.write() as session:  # a case deleted: its cards go by the cascade
        session.execute(delete(DisputeCase).where(DisputeCase.id == b))
        assert not session.scalar(select(func.count()).select_from(StageCard).where(StageCard.case_id == b))
    kept = _check(db)
    assert kept and all(n > 0 for n in kept.values())


#: Each trigger, and a write only it keeps (after a card of case 0 in November and of case 1 in
#: November and October).
_WRITES = {
    "carded_card_ai": "INSERT INTO stage_card (case_id, stage, colour, given_on, due_on, created_at) "
                      "VALUES (:c2, 'mediation', 'yellow', '2026-11-05', '2026-11-05', '2026-11-05')",
    "carded_card_ad": "DELETE FROM stage_card WHERE case_id = :c0",
    "carded_card_au": "UPDATE stage_card SET given_on = '2026-09-05' WHERE case_id = :c0",
    "carded_case_au": "UPDATE dispute_case SET center_id = :other, seq = seq + 10000 WHERE id = :c1",
    "carded_case_bd": "DELETE FROM dispute_case WHERE id = :c1",
}


@pytest.mark.parametrize("trigger", sorted(_WRITES))
def test_each_trigger_is_needed(db: Database, trigger: str) -> None:
    """Dropped, its write leaves the kept table unequal to the recount (so the test above would
    fail); kept, equal."""
    _seed(db)
    ids = _case_ids(db)
    every, _township = _centers(db)
    with db.read() as session:
        center_of_1 = session.scalar(select(DisputeCase.center_id).where(DisputeCase.id == ids[1]))
    values = {"c0": ids[0], "c1": ids[1], "c2": ids[2], "other": min(every - {center_of_1})}
    with db.write() as session:
        cards._insert_new(session, [_card(ids[0], date(2026, 11, 3)), _card(ids[1], date(2026, 11, 4)),
                                    _card(ids[1], date(2026, 10, 4), colour=ClockColour.RED)])
    _check(db)
    with db.write() as session:
        nested = session.begin_nested()
        session.execute(text(_WRITES[trigger]).bindparams(**{k: v for k, v in values.items()
                                                              if f":{k}" in _WRITES[trigger]}))
        assert carded_months.kept(session) == carded_months.recounted(session)
        nested.rollback()
        table = dict(carded_months.PG_TRIGGERS)[trigger]
        session.execute(text(f"DROP TRIGGER {trigger}" + ("" if db.is_sqlite else f" ON {table}")))
        session.execute(text(_WRITES[trigger]).bindparams(**{k: v for k, v in values.items()
                                                              if f":{k}" in _WRITES[trigger]}))
        assert carded_months.kept(session) != carded_months.recounted(session)
        session.rollback()


def test_an_upgrade_fills_the_counts_from_the_cards(db: Database) -> None:
    _seed(db)
    ids = _case_ids(db)
    with db.write() as session:
        cards._insert_new(session, [_card(i, date(2026, 11, 1 + n % 28)) for n, i in enumerate(ids[:10])]
                          + [_card(i, date(2026, 10, 2), colour=ClockColour.RED) for i in ids[:4]])
    migrate_to(db, "0057")
    with db.read() as session:
        tables = ("SELECT tablename FROM pg_tables" if not db.is_sqlite
                  else "SELECT name FROM sqlite_master WHERE type = 'table'")
        assert carded_months.TABLE not in set(session.scalars(text(tables)))
    migrate_to(db, "head")
    kept = _check(db)
    assert sum(kept.values()) == 14
