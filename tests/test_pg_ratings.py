"""The counter's 好差评 on PostgreSQL with row-level security: a township clerk signed in as their
own login role records the rating of their registration; another township neither reads it nor
writes one for that case (md_secure_case_table); the county head's figures count the townships
below it, the township head only its own (docs/ratings.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.services import ratings

from . import pgserver
from .test_pg_centers import _refused
from .test_pg_crossings import Person, _register, as_role, person  # noqa: F401  (fixtures)
from .test_pg_roles import Center, Connect, module_database

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    """The demo county with its two townships, in a database of this module's own."""
    with module_database(pg_server, pg_template, "md_ratings_county",
                         lambda s: demo.seed(s, 4, township_cases=2)) as made:
        yield made


def test_a_rating_is_written_where_the_case_is_and_read_by_those_who_read_it(
        center: Center, as_role: Connect, person: Person) -> None:  # noqa: F811
    case_id = _register(person, "ljd_clerk")
    db, clerk = person("ljd_clerk")
    with db.write() as session:
        rated = ratings.record(session, clerk, case_id, "unsatisfied", channel="screen", reasons=["waiting"])
    assert rated.clerk_id == clerk.user_id
    with as_role("dz_clerk") as dz, as_role("ljd_head") as ljd:
        assert dz.scalar(text("SELECT count(*) FROM service_rating WHERE case_id = :i"), {"i": case_id}) == 0
        dz.rollback()
        _refused(dz, "INSERT INTO service_rating (case_id, center_id, rating, reasons, comment, channel, rated_at)"
                     " SELECT :i, id, 'satisfied', '[]', '', 'paper', localtimestamp FROM center LIMIT 1", i=case_id)
        assert ljd.scalar(text("SELECT count(*) FROM service_rating WHERE case_id = :i"), {"i": case_id}) == 1
        ljd.rollback()
    day = rated.rated_at.date()  # the day it was given, whatever the clock says by now
    month = (date(day.year, day.month, 1), day)
    for username, expected in (("head", 1), ("ljd_head", 1), ("dz_head", 0)):
        head_db, head = person(username)
        with head_db.read() as session:
            figures = ratings.figures(session, head, *month)
        assert figures is not None and (figures.total.rated, figures.total.bad) == (expected, expected), username
