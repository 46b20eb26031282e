"""The table by level on PostgreSQL as each head's own login role (issue 21 item 4).

The demo county (its center, two townships 梁家墩 and 党寨) on a database of its own; the table is
counted through a session on the head's login role, so the server's row-level security decides
what is counted (the case rows, and the monthly counts' rows the table sums: migration 0040): a
township head's table holds its township alone, and even asked to count every center the server
gives it none of the others' cases; the county head's figures equal the owner's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.readmodels.levels import COLUMNS, RowKind, Span
from mediation_desk.services import levels

from . import pgserver
from .test_pg_roles import Center, module_database

pytestmark = pytest.mark.postgresql

MONTH = "2026-11"


@pytest.fixture(scope="module")
def county(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    with module_database(pg_server, pg_template, "md_levels_county",
                         lambda s: demo.seed(s, 60, township_cases=12)) as made:
        yield made


def _ids(county: Center) -> dict[str, int]:
    with county.db.read() as session:
        rows = {str(p): int(i) for p, i in session.execute(text("SELECT prefix, id FROM center"))}
    return {"county": rows["甘矛调"], "ljd": rows["甘州梁家墩调"], "dz": rows["甘州党寨调"]}


def test_a_township_heads_table_is_its_township_alone_by_the_servers_rules(county: Center) -> None:
    ids, actor = _ids(county), county.actor("ljd_head")
    with county.as_role("ljd_head") as session:
        table = levels.load(session, actor, MONTH)
        assert [(r.kind, r.center_id) for r in table.rows] == [
            (RowKind.CENTER, ids["ljd"]), (RowKind.SUBTOTAL, None), (RowKind.TOTAL, None)]
        # Asked to count every center, the server hands this role the township's cases only.
        counted = levels.count_by_center(session, date(2026, 1, 1), date(2026, 12, 31), set(ids.values()))
        assert set(counted) == {ids["ljd"]}
        # Both ways of counting: the monthly counts' rows (migration 0040's policy) and the case rows.
        assert levels.count_from_rows(session, date(2026, 1, 1), date(2026, 12, 31), set(ids.values())) == counted
        for name in ("stat_received_month", "stat_ending_month", "stat_visit_month"):
            assert set(session.scalars(text(f"SELECT DISTINCT center_id FROM {name}"))) <= {ids["ljd"]}, name
    with county.db.read() as owner:
        everything = levels.count_by_center(owner, date(2026, 1, 1), date(2026, 12, 31), set(ids.values()))
    assert set(everything) == set(ids.values())  # there were others' cases to hide
    assert counted[ids["ljd"]] == everything[ids["ljd"]]


def test_the_county_heads_table_as_its_role_equals_the_owners_count(county: Center) -> None:
    ids, actor = _ids(county), county.actor("head")
    with county.as_role("head") as session:
        as_head = levels.load(session, actor, MONTH)
    with county.db.read() as owner:
        as_owner = levels.load(owner, actor, MONTH)
    assert {r.center_id for r in as_head.rows if r.kind is RowKind.CENTER} == set(ids.values())
    assert [(r.name, r.month, r.year) for r in as_head.rows] == [(r.name, r.month, r.year) for r in as_owner.rows]
    assert as_head.total.value(Span.YEAR, COLUMNS[0]) > 0
