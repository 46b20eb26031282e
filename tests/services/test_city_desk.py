"""A single desk (SQLite) publishes nothing to a city: the report tables of migration 0023 exist
there and stay empty, and setting a county code is refused with the reason."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mediation_desk.db import Database
from mediation_desk.models import Role
from mediation_desk.services import city
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from .helpers import make_user, register


def test_a_desk_on_sqlite_keeps_no_report_rows_and_refuses_to_publish(sqlite_db: Database) -> None:
    clerk = make_user(sqlite_db, "clerk", Role.INTAKE)
    administrator = make_user(sqlite_db, "admin", Role.ADMIN)
    register(sqlite_db, clerk)
    with sqlite_db.read() as session:
        assert [session.scalar(text(f"SELECT count(*) FROM {t}")) for t in city.REPORT_TABLES] == [0, 0, 0, 0]
    with sqlite_db.write() as session, pytest.raises(InvalidInput, match="需要中心服务器"):
        city.publish(session, administrator, "620702", "甘州区")
    with sqlite_db.write() as session, pytest.raises(PermissionDenied, match="只有系统管理员"):
        city.publish(session, clerk, "620702", "甘州区")


@pytest.mark.parametrize("code", ["6", "6207 02", "甘州", "620702;DROP", "x" * 21])
def test_a_county_code_is_letters_digits_or_underscore(code: str) -> None:
    with pytest.raises(InvalidInput, match="区县代码"):
        city.check_code(code)
    assert city.check_code(" 620702 ") == "620702"
    assert city.subscription_name("GZ_01") == "md_city_gz_01"
