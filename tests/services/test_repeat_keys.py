"""The risk briefing's repeat keys (migration 0045, models/keys.py) stay equal to a recompute from
the rows after every kind of write — registrations, the ORM's edits of ID numbers, names, phones
and addresses, the batch import, the demo's bulk insert, a retention purge — on SQLite and
PostgreSQL; an upgrade fills them from the rows already there."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to
from mediation_desk.models import DisputeCase, Party, PartyRole, keys
from mediation_desk.services import briefing, case_import, cases
from mediation_desk.services.errors import ServiceError
from mediation_desk.services.validation import resident_id_check_char

from .helpers import actor_named, dispute_type_id

#: Blanks (ASCII, ideographic, tab), the punctuation place keys drop, letters either case (full
#: width too, and one whose upper case is two letters), Chinese, digits.
ALPHABET = list(" \u3000\t,，.。;；:：、-—()（）abcXxßｘＡ张王李村组号路1234567890")
TEXT = st.text(alphabet=st.sampled_from(ALPHABET), max_size=14)


def _id(serial: int) -> str:
    first = f"62070219800101{serial % 1000:03d}"
    return first + resident_id_check_char(first)


Differing = dict[int, tuple[str | None, str | None]]


def _recomputed(db: Database) -> tuple[Differing, Differing]:
    """(party id → (kept, recomputed)), (case id → (kept, recomputed)) where the two differ."""
    with db.read() as session:
        parties = {i: (k, keys.party_key(n, m, p)) for i, k, n, m, p in session.execute(
            select(Party.id, Party.repeat_key, Party.id_number, Party.name, Party.phone))}
        places = {i: (k, keys.place_key(a)) for i, k, a in session.execute(
            select(DisputeCase.id, DisputeCase.place_key, DisputeCase.address))}
    return ({i: v for i, v in parties.items() if v[0] != v[1]}, {i: v for i, v in places.items() if v[0] != v[1]})


def _check(db: Database) -> None:
    assert _recomputed(db) == ({}, {})


OPS = st.lists(st.one_of(
    st.tuples(st.just("register"), TEXT, TEXT, TEXT, st.integers(0, 3)),
    st.tuples(st.just("party"), st.integers(0, 10_000), st.sampled_from(["id_number", "name", "phone"]), TEXT),
    st.tuples(st.just("address"), st.integers(0, 10_000), TEXT),
    st.tuples(st.just("import"), TEXT, TEXT, TEXT, st.integers(0, 3)),
), min_size=1, max_size=6)


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.write() as session:  # the demo's bulk insert writes the keys itself
        demo.seed(session, 24, seed_value=5, today=datetime(2026, 11, 20, 17, 0))
    _check(db)
    return db


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_the_kept_keys_equal_a_recompute_after_random_writes(seeded: Database, ops: list[tuple[Any, ...]]) -> None:
    db = seeded
    clerk = actor_named(db, "clerk")
    type_id = dispute_type_id(db)
    for op in ops:
        try:
            with db.write() as session:
                if op[0] == "register":  # through the service (its checks may refuse the text)
                    _, address, name, phone, serial = op
                    cases.register_case(session, clerk, cases.CaseInput(
                        title="相邻纠纷", dispute_type_id=type_id, facts="争执。", requests=["调解"],
                        address=address, parties=[
                            cases.PartyInput(role=PartyRole.APPLICANT, name=name or "张三", phone=phone,
                                             id_number=_id(serial) if serial else ""),
                            cases.PartyInput(role=PartyRole.RESPONDENT, name="李四", phone="13900000000")]))
                elif op[0] == "party":  # an edit of one party's field (the ORM's flush)
                    ids = session.scalars(select(Party.id).order_by(Party.id)).all()
                    party = session.get(Party, ids[op[1] % len(ids)])
                    assert party is not None
                    setattr(party, op[2], op[3])
                elif op[0] == "address":
                    ids = session.scalars(select(DisputeCase.id).order_by(DisputeCase.id)).all()
                    case = session.get(DisputeCase, ids[op[1] % len(ids)])
                    assert case is not None
                    case.address = op[2]
                else:  # the batch import (bulk inserts on both backends)
                    _, address, name, phone, serial = op
                    received = datetime.combine(date.today() - timedelta(days=2), datetime.min.time())
                    case_import.import_records(session, clerk, [(2, {
                        "source_system": "12345", "source_ref": f"K{random.getrandbits(40)}",
                        "received_at": f"{received:%Y-%m-%d %H:%M}", "dispute_type": "邻里", "title": "邻里纠纷",
                        "facts": "争执。", "requests": "请求调解", "address": address,
                        "applicant_name": name or "王五", "applicant_id_number": _id(serial) if serial else "",
                        "applicant_address": "", "applicant_phone": phone, "respondent_name": "赵六",
                        "respondent_id_number": "", "respondent_address": "", "respondent_phone": "13800000000"})])
        except ServiceError:
            pass
        _check(db)


def test_the_keys_are_what_the_briefing_compares() -> None:
    assert keys.party_key(" 62070219800101001x ", "张三", "1") == "i:62070219800101001X"
    assert keys.party_key("", " 张三 ", " 139 ") == 'n:["张三", "139"]'
    assert keys.split_party_key(keys.party_key("", "张\"三", "1") or "") == ("name", "张\"三", "1")
    assert keys.party_key(" ", "张三", "") is None and keys.party_key("", "", "139") is None
    assert keys.place_key(" 上秦镇（南湾村）二社, 29-4号 ") == "上秦镇南湾村二社294号"
    assert keys.place_key(" ，。 ") is None and briefing.place_key(" ，。 ") == ""


def test_an_upgrade_fills_the_keys_and_a_downgrade_drops_them(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 30, seed_value=3, today=datetime(2026, 11, 20, 17, 0))
    migrate_to(db, "0044")  # the columns and their indexes dropped
    with db.read() as session:
        columns = ("SELECT column_name FROM information_schema.columns WHERE table_name = 'party'"
                   if db.writer.dialect.name == "postgresql" else "SELECT name FROM pragma_table_info('party')")
        assert "repeat_key" not in set(session.scalars(text(columns)))
    migrate_to(db, "head")
    _check(db)
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM party WHERE repeat_key IS NULL")) < \
            session.scalar(text("SELECT count(*) FROM party"))
        assert session.scalar(text("SELECT count(place_key) FROM dispute_case")) > 0
