"""The case list's counts in parts (services.caselist.count_in_parts) under the server's row-level
security: run as each person's own login role, the same number as the plain count of the cases
they see (tests/services/test_case_counts.py has the mixed county and the filters)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.services import caselist

from . import pgserver
from .services.test_case_counts import USERS, filters, mix, plain_count
from .test_pg_roles import Center, module_database

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    def seed(session: Session) -> None:
        demo.seed(session, 60, township_cases=6)
        mix(session)

    with module_database(pg_server, pg_template, "md_case_counts", seed) as made:
        yield made


@pytest.mark.parametrize("small", [20_000, 20, 1])
def test_each_persons_count_in_parts_is_what_their_login_role_counts(center: Center, small: int,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caselist, "SMALL_SIDE", small)
    for username in USERS:
        actor = center.actor(username)
        with center.as_role(username) as session:
            for name, flt in filters(session, actor).items():
                stmt = caselist.count_in_parts(session, actor, flt)
                assert stmt is not None
                assert session.scalar(stmt) == plain_count(session, actor, flt), (username, name, small)
