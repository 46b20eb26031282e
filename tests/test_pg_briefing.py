"""The risk briefing on PostgreSQL as the head's own login role (issue 23 item 4, docs/briefing.md).

The demo county on a database of its own: the county head's briefing counted through its role
equals the owner's; a township head's holds its township alone; the head's grade of a case of its
own center is written through its role (risk_grade is case content: md_secure_case_table), and the
server refuses the county head's grade row on a township's case even when written directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import keyring
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.models import DisputeCase, RiskGrade, RiskLevel, User
from mediation_desk.readmodels.briefing import SpotKind
from mediation_desk.services import auth, briefing
from mediation_desk.services.actor import Actor

from . import pgserver
from .conftest import MemoryKeyring
from .test_pg_roles import Center, _require_group_passwords

pytestmark = pytest.mark.postgresql

MONTH = "2026-11"
TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def county(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    _require_group_passwords(pg_server)
    name = "md_briefing_county"
    admin = create_engine(pg_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    from mediation_desk.db import Database

    db = Database(pg_server.url_for(name))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with db.write() as session:
            desk = str(session.scalar(text("SELECT md_install_desk_role()")))
            demo.seed(session, 60, today=datetime(2026, 12, 3, 17, 0), township_cases=12)
    finally:
        keyring.set_keyring(previous)
    yield Center(pg_server.url_for(name), db, desk)
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _actor(county: Center, username: str) -> Actor:
    with county.db.read() as session:
        return auth.actor_for(session, session.scalars(select(User).where(User.username == username)).one())


@contextmanager
def _as_role(county: Center, username: str) -> Iterator[Session]:
    engine = county.engine(county.login_role(username))
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def test_the_briefing_through_the_heads_role_and_its_grades(county: Center) -> None:
    head = _actor(county, "head")
    with _as_role(county, "head") as session:
        as_head = briefing.load(session, head, MONTH, today=TODAY)
    with county.db.read() as owner:
        as_owner = briefing.load(owner, head, MONTH, today=TODAY)
    assert as_head == as_owner
    ljd = _actor(county, "ljd_head")
    with _as_role(county, "ljd_head") as session:
        township = briefing.load(session, ljd, MONTH, today=TODAY)
    assert {s.name for s in township.spots_of(SpotKind.CENTER)} <= {township.center_name}
    assert {c.center_name for c in township.cases} <= {township.center_name}

    own = next(c for c in as_head.cases if c.center_name == as_head.center_name and c.proposed is not RiskLevel.RED)
    with _as_role(county, "head") as session, session.begin():
        graded = briefing.set_grade(session, head, own.case_id, MONTH, RiskLevel.RED, "会商认为需提级", today=TODAY)
    assert (graded.proposed, graded.adjusted) == (own.proposed, RiskLevel.RED)
    with county.db.read() as owner:
        assert owner.scalars(select(RiskGrade.case_id)).all() == [own.case_id]
        township_case = owner.scalar(select(DisputeCase.id).where(DisputeCase.center_id != head.center_id)
                                     .order_by(DisputeCase.id).limit(1))
    with _as_role(county, "head") as session, pytest.raises(DBAPIError):
        session.add(RiskGrade(case_id=township_case, month=MONTH, proposed=RiskLevel.BLUE, grade=RiskLevel.RED,
                              reason="越权", set_by_id=head.user_id))
        session.flush()
