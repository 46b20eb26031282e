"""On a server the subsidy tables are guarded by PostgreSQL itself (migration 0026): the rules are
organisation data (read by all, written by the administrator), an issued month's parts are read
whole by the head and by a mediator only for themselves."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from sqlalchemy import select, text

from mediation_desk.models import CaseState, DisputeCase, Role
from mediation_desk.services import subsidies

from .test_pg_roles import SYSTEM, Center, Connect, _denied, as_role, center  # noqa: F401  # fixtures

pytestmark = pytest.mark.postgresql


def test_a_mediator_reads_only_their_own_part_of_an_issued_month(center: Center, as_role: Connect) -> None:  # noqa: F811
    head = dataclasses.replace(SYSTEM, role=Role.HEAD)
    with center.db.write() as session:
        subsidies.save_rules(session, SYSTEM, "2020-01", subsidies.rules_form(subsidies.DEFAULT_RULES))
        closed = session.scalars(select(DisputeCase.closed_at).where(DisputeCase.state == CaseState.CLOSED)).all()
        month = Counter(f"{c:%Y-%m}" for c in closed if c is not None).most_common(1)[0][0]
        issued = subsidies.issue(session, head, month)
    assert len(issued.mediators) >= 2
    with center.db.read() as session:  # read back from the server's JSON: the same statement
        again = subsidies.issued(session, head, month)
    assert again == issued
    mediator_id = center.owner_scalar("SELECT mediator_id FROM app_user WHERE username = 'mediator'")
    parts = center.owner_scalar("SELECT count(*) FROM subsidy_statement_part")
    with as_role("mediator") as conn:
        seen = conn.execute(text("SELECT mediator_id FROM subsidy_statement_part")).scalars().all()
        assert set(seen) <= {mediator_id}
        assert conn.scalar(text("SELECT count(*) FROM subsidy_statement")) == 1  # the totals: no case
        assert conn.scalar(text("SELECT count(*) FROM subsidy_rule_set")) == 1
        _denied(conn, "UPDATE subsidy_rule_set SET note = 'x'")
        _denied(conn, "INSERT INTO subsidy_statement_part (statement_id, seq, content, paid_fen) "
                      "VALUES (1, 99, '{}', 1)")
    with as_role("head") as conn:
        assert conn.scalar(text("SELECT count(*) FROM subsidy_statement_part")) == parts
        _denied(conn, "UPDATE subsidy_rule_set SET note = 'x'")
    with as_role("admin") as conn:
        _denied(conn, "SELECT count(*) FROM subsidy_statement_part")
        assert conn.execute(text("UPDATE subsidy_rule_set SET note = '管理员修改'")).rowcount == 1
        conn.rollback()
