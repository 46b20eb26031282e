"""The counter's 好差评: validated recording (a bad rating names a reason; one per case and
channel), stored with the case and the clerk who registered it, and the month's figures per clerk
and in all against a hand count on both backends; the monthly report's block (absent in a month
without ratings)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type information
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.documents import report as report_document
from mediation_desk.models import DisputeCase, RatingChannel, RatingLevel, Role, ServiceRating
from mediation_desk.readmodels.ratings import rating_rows
from mediation_desk.services import ratings, statistics
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..documents.conftest import pdf_text
from .helpers import make_user, register

pytestmark = pytest.mark.story_day("2026-11-30T10:00")

V, S, F, U, VU = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.FAIRLY, RatingLevel.UNSATISFIED,
                  RatingLevel.VERY_UNSATISFIED)


def _case(db: Database, clerk: Actor, day: int) -> int:
    return register(db, clerk, received_at=datetime(2026, 11, day, 9, 0))


def _rate(db: Database, actor: Actor, case_id: int, level: RatingLevel, *,
          channel: RatingChannel = RatingChannel.SCREEN,
          reasons: tuple[str, ...] = (), at: datetime, comment: str = "") -> ratings.RatingFacts:
    with db.write() as session:
        return ratings.record(session, actor, case_id, level, channel=channel, reasons=reasons, at=at,
                              comment=comment)


def test_record_validates_and_stores_with_case_and_clerk(db: Database) -> None:
    clerk = make_user(db, "wang", Role.INTAKE)
    other = make_user(db, "li", Role.INTAKE)
    case_id = _case(db, clerk, 20)
    when = datetime(2026, 11, 20, 9, 30)
    with db.write() as session:
        with pytest.raises(InvalidInput) as bad:
            ratings.record(session, other, case_id, "非常不满意", channel="screen", at=when)
        assert bad.value.field == "reasons" and "至少选择一项" in str(bad.value)
        with pytest.raises(InvalidInput) as bad:
            ratings.record(session, other, case_id, "很好", channel="screen", at=when)
        assert bad.value.field == "rating" and "非常满意" in str(bad.value)
        with pytest.raises(InvalidInput) as bad:
            ratings.record(session, other, case_id, S, channel="fax", at=when)
        assert bad.value.field == "channel"
        with pytest.raises(InvalidInput) as bad:
            ratings.record(session, other, case_id, U, channel="screen", reasons=["other"], at=when)
        assert bad.value.field == "comment"
        with pytest.raises(InvalidInput) as bad:
            ratings.record(session, other, case_id, S, channel="screen", reasons=["waiting"], at=when)
        assert bad.value.field == "reasons"
    # Recorded at another clerk's desk, the rating still belongs to the clerk who registered it.
    facts = _rate(db, other, case_id, U, reasons=("waiting", "attitude", "waiting"), at=when)
    assert (facts.clerk_name, facts.rating, [r.value for r in facts.reasons]) == ("wang", U, ["waiting", "attitude"])
    with db.read() as session:
        row = session.scalars(select(ServiceRating)).one()
        number, center_id = session.execute(select(DisputeCase.number, DisputeCase.center_id)
                                            .where(DisputeCase.id == case_id)).one()
    assert (row.case_id, row.clerk_id, row.recorded_by_id, row.center_id) == (case_id, clerk.user_id,
                                                                              other.user_id, center_id)
    assert (row.rating, row.channel, row.reasons, row.rated_at) == ("unsatisfied", "screen",
                                                                   ["waiting", "attitude"], when)
    assert facts.case_number == number
    # One per case and channel: a second screen rating is refused, a paper one is taken.
    with db.write() as session, pytest.raises(InvalidInput) as twice:
        ratings.record(session, clerk, case_id, S, channel="screen", at=when)
    assert twice.value.field == "channel" and "不能重复评价" in str(twice.value) and "不满意" in str(twice.value)
    _rate(db, clerk, case_id, S, channel=RatingChannel.PAPER, at=datetime(2026, 11, 21, 10, 0))
    with db.read() as session:
        assert [(f.channel, f.rating) for f in ratings.of_case(session, clerk, case_id)] == [
            (RatingChannel.SCREEN, U), (RatingChannel.PAPER, S)]


def test_month_figures_per_clerk_against_a_hand_count(db: Database) -> None:
    wang = make_user(db, "wang", Role.INTAKE)
    zhao = make_user(db, "zhao", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    given = [  # (clerk, day, level, channel)
        (wang, 3, V, RatingChannel.SCREEN), (wang, 4, S, RatingChannel.SCREEN), (wang, 5, U, RatingChannel.SCREEN),
        (wang, 6, F, RatingChannel.PAPER), (zhao, 7, VU, RatingChannel.SCREEN), (zhao, 10, S, RatingChannel.PHONE),
    ]
    for clerk, day, level, channel in given:
        case_id = _case(db, clerk, day)
        reasons = ("procedure",) if level in ratings.BAD else ()
        _rate(db, clerk, case_id, level, channel=channel, reasons=reasons, at=datetime(2026, 11, day, 11, 0))
    # A rating at midnight on 1 November is outside 2–30 November but inside the month's report.
    _rate(db, wang, _case(db, wang, 1), VU, reasons=("attitude",), at=datetime(2026, 11, 1, 0, 0))
    with db.read() as session:
        nov = ratings.figures(session, head, date(2026, 11, 2), date(2026, 11, 30))
        with pytest.raises(PermissionDenied):
            ratings.figures(session, wang, date(2026, 11, 1), date(2026, 11, 30))
    assert nov is not None
    # By hand: wang 4 rated (V, S, U, F): 3 good of 4, 1 bad; zhao 2 (VU, S): 1 of 2, 1 bad.
    by_name = {c.name: c for c in nov.clerks}
    assert (by_name["wang"].rated, by_name["wang"].good, by_name["wang"].bad, by_name["wang"].share) == (4, 3, 1, 0.75)
    assert (by_name["zhao"].rated, by_name["zhao"].good, by_name["zhao"].bad, by_name["zhao"].share) == (2, 1, 1, 0.5)
    assert (nov.total.rated, nov.total.good, nov.total.bad) == (6, 4, 2)
    assert nov.total.by_level == {V: 1, S: 2, F: 1, U: 1, VU: 1}
    assert nov.total.share_text() == "66.7%"
    assert rating_rows(nov)[-1] == ["合计", "6", "1", "2", "1", "1", "1", "66.7%", "2"]

    with db.read() as session:
        report = statistics.load_monthly_report(session, head, "2026-11", today=date(2026, 11, 30))
        october = statistics.load_monthly_report(session, head, "2026-10", today=date(2026, 11, 30))
    assert report.ratings is not None and report.ratings.total.rated == 7
    assert october.ratings is None  # no rating in October: no empty block
    # The report prints the block: per clerk, then the total (PDF read back; Excel cells).
    text = "".join(pdf_text(report_document.render_pdf(report)).split())
    assert "窗口登记“好差评”" in text and "wang51111160.0%2" in text and "合计7" in text and "满意及以上比例" in text
    assert "好差评" not in "".join(pdf_text(report_document.render_pdf(october)).split())
    sheet = load_workbook(io.BytesIO(report_document.render_xlsx(report))).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["合计", "7", "1", "2", "1", "1", "2", "57.1%", "3"] in rows


def test_figures_counted_by_the_database_equal_a_recount_of_the_rows(db: Database) -> None:
    """The figures are counted in SQL (per clerk and level); on a seeded mix of clerks, levels,
    channels and moments (and a rating without a clerk) they equal a recount of the stored rows."""
    import random

    from mediation_desk.models import User

    rng = random.Random(20261205)
    clerks = [make_user(db, name, Role.INTAKE) for name in ("wang", "zhao", "sun")]
    head = make_user(db, "head", Role.HEAD)
    for index in range(12):
        clerk = clerks[index % 3]
        received = datetime(2026, rng.choice((9, 10, 11, 11)), rng.randint(1, 20), 0, 0)
        case_id = register(db, clerk, received_at=received)
        for channel in rng.sample(list(RatingChannel), rng.randint(1, 3)):
            level = rng.choice(list(RatingLevel))
            reasons = ("procedure",) if level in ratings.BAD else ()
            at = received + timedelta(days=rng.randint(0, 9), hours=rng.choice((0, 9, 23)))
            _rate(db, clerk, case_id, level, channel=channel, reasons=reasons, at=at)
    with db.write() as session:  # a rating whose clerk is not known (a paper form of an imported case)
        row = session.scalars(select(ServiceRating).limit(1)).one()
        row.clerk_id = None
    with db.read() as session:
        stored = [(r.clerk_id, r.rating, r.rated_at) for r in session.scalars(select(ServiceRating))]
        names = {u.id: u.display_name for u in session.scalars(select(User))}
    for start, end in ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 9, 1), date(2026, 11, 30)),
                       (date(2026, 11, 2), date(2026, 11, 15))):
        with db.read() as session:
            got = ratings.figures(session, head, start, end)
        assert got is not None
        rows = [(c, RatingLevel(r)) for c, r, at in stored if start <= at.date() <= end]
        assert rows, "the seed gives every period ratings"
        expected: dict[str, list[RatingLevel]] = {}
        for clerk_id, level in rows:
            expected.setdefault(names[clerk_id] if clerk_id else "（未记登记人）", []).append(level)
        assert [c.name for c in got.clerks] == sorted(expected)
        for figure in (*got.clerks, got.total):
            levels = [lv for _c, lv in rows] if figure is got.total else expected[figure.name]
            assert figure.rated == len(levels)
            assert figure.good == sum(1 for lv in levels if lv in ratings.GOOD)
            assert figure.bad == sum(1 for lv in levels if lv in ratings.BAD)
            assert figure.by_level == {lv: levels.count(lv) for lv in RatingLevel}
