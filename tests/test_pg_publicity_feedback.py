"""Each center's public-page feedback contacts on PostgreSQL (migration 0038, docs/publicity.md):
a township head keeps their own center's through the services as their own login role; the server
refuses them another center's row, and refuses a clerk any; every account reads them (they are
printed on a public page)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.readmodels.publicity import Feedback
from mediation_desk.services import publicity

from . import pgserver
from .test_pg_centers import _changes_nothing, _refused
from .test_pg_crossings import Person, as_role, person  # noqa: F401  (fixtures)
from .test_pg_roles import Center, Connect, module_database

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def center(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[Center]:
    """The demo county with its two townships, in a database of this module's own."""
    with module_database(pg_server, pg_template, "md_feedback_county",
                         lambda s: demo.seed(s, 4, township_cases=2)) as made:
        yield made


def test_a_head_keeps_their_own_centers_contacts_and_no_other(
        center: Center, as_role: Connect, person: Person) -> None:  # noqa: F811
    kept: dict[str, Feedback] = {}
    for username, phone in (("ljd_head", "0936-8561234"), ("dz_head", "0936-8571234")):
        db, head = person(username)
        with db.write() as session:
            kept[username] = publicity.set_feedback(session, head, Feedback(f"{username} 院内", phone, ""))
        with db.read() as session:
            assert publicity.feedback(session, head.center_id) == kept[username]
    with center.db.read() as session:
        ids: dict[str, int] = {u: c for u, c in session.execute(text("SELECT username, center_id FROM app_user"))}
    with as_role("ljd_head") as ljd, as_role("dz_clerk") as clerk:
        # Another center's row: not inserted, not changed.
        _refused(ljd, "INSERT INTO center_feedback (center_id, address, phone, email, updated_at) "
                      "VALUES (:c, '冒名', '', '', localtimestamp)", c=ids["head"])
        _changes_nothing(ljd, "UPDATE center_feedback SET phone = '110' WHERE center_id = :c", c=ids["dz_head"])
        # A clerk writes none, not even their own center's; everyone reads them all.
        _refused(clerk, "UPDATE center_feedback SET phone = '110' WHERE center_id = :c", c=ids["dz_clerk"])
        assert clerk.scalar(text("SELECT count(*) FROM center_feedback")) == 2
        clerk.rollback()
    with center.db.read() as session:
        assert publicity.feedback(session, ids["dz_head"]) == kept["dz_head"]
        assert publicity.feedback(session, None).phone == "0936-8212345"  # the county's settings


def test_a_head_keeps_their_own_centers_papers_profile_and_no_other(
        center: Center, as_role: Connect, person: Person) -> None:  # noqa: F811
    """Migration 0042: the committee name is a column of the same row, under the same policies;
    a township's papers read it as the township's own roles do."""
    from mediation_desk.readmodels.center import CenterProfile
    from mediation_desk.services import center as center_service

    db, head = person("ljd_head")
    wanted = CenterProfile("甘州区梁家墩镇政府院内", "0936-8561234", "梁家墩镇人民调解委员会")
    with db.write() as session:
        assert center_service.set_profile(session, head, wanted) == wanted
    with center.db.read() as session:
        ids: dict[str, int] = {u: c for u, c in session.execute(text("SELECT username, center_id FROM app_user"))}
    clerk_db, _clerk = person("ljd_clerk")
    with clerk_db.read() as session:  # a clerk's own role reads what its papers print
        printed = center_service.center_issuer(session, ids["ljd_clerk"])
        assert (printed.address, printed.phone, printed.committee) == (
            wanted.address, wanted.phone, wanted.committee)
    with as_role("ljd_head") as ljd, as_role("ljd_clerk") as clerk:
        _changes_nothing(ljd, "UPDATE center_feedback SET committee = '冒名人民调解委员会' WHERE center_id = :c",
                         c=ids["dz_head"])
        _refused(clerk, "UPDATE center_feedback SET committee = '冒名人民调解委员会' WHERE center_id = :c",
                 c=ids["ljd_clerk"])
    with center.db.read() as session:
        assert center_service.profile(session, ids["ljd_head"]) == wanted
        assert center_service.profile(session, ids["dz_head"]).committee == ""
