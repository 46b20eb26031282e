"""The 三率 on PostgreSQL as each head's own login role (migration 0046): the kept monthly counts
``stat_hotline_month`` and the order rows are read under the server's row-level security, so a
township head counts its township alone and the county head counts what the owner counts; both
equal the recount from the rows (the code before 0046)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.readmodels.hotline import HotlineRates
from mediation_desk.services import hotline

from . import pgserver
from .services.hotline_reference import rates_from_rows
from .test_pg_roles import Center, module_database

pytestmark = pytest.mark.postgresql

TODAY = date(2026, 12, 5)
PERIODS = ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 12, 31)),
           (date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 3, 15), date(2026, 9, 20)))


def _seed(session: Session) -> None:
    """The demo county, and a 12345 order on every third case of every center (written by the
    owner, as an import would; the triggers keep the order rows' facts and the monthly counts),
    contacted 3 to 75 hours after it came in, or not at all."""
    demo.seed(session, 400, township_cases=40)
    session.execute(text(
        "INSERT INTO hotline_order (case_id, order_no, type_code, received_at, contacted_at, contact_note, "
        "created_at, updated_at) SELECT id, 'PG12345-' || id, '', received_at, "
        "CASE WHEN id % 7 <> 0 THEN received_at + (id % 6 * 12 + 3) * interval '1 hour' END, '', "
        "received_at, received_at FROM dispute_case WHERE id % 3 = 0"))


@pytest.fixture(scope="module")
def county(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with module_database(pg_server, pg_template, "md_rates_county", _seed) as made:
        yield made


def _figures(rates: HotlineRates | None) -> list[tuple[int, int]]:
    assert rates is not None
    return [(r.numerator, r.denominator) for r in rates.rates] + [(rates.late, 0)]


@pytest.mark.parametrize("username", ["head", "ljd_head"])
def test_each_heads_three_rates_as_its_role_equal_the_recount(county: Center, username: str) -> None:
    actor = county.actor(username)
    with county.db.read() as owner:
        assert owner.scalar(text("SELECT count(*) FROM hotline_order")) > 0  # there are orders to count
        expected = [_figures(rates_from_rows(owner, actor, a, b, today=TODAY)) for a, b in PERIODS]
        others = set(owner.scalars(text("SELECT DISTINCT center_id FROM stat_hotline_month"))) - actor.center_ids
    with county.as_role(username) as session:
        got = [_figures(hotline.rates(session, actor, a, b, today=TODAY)) for a, b in PERIODS]
        seen = set(session.scalars(text("SELECT DISTINCT center_id FROM stat_hotline_month")))
    assert got == expected
    assert expected[2][0] != (0, 0)  # the year has orders of this head's centers
    assert seen <= actor.center_ids  # a township head reads its own counts alone
    if username == "ljd_head":
        assert others  # there were others' counts to hide
