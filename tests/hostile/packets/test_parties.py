"""Parties in a packet meet intake's checks, and are saved as intake would save them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mediation_desk.db import Database
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.exchange.importer import check_parties, import_packet, mask
from mediation_desk.models import Gender, IdDocumentType, Party
from mediation_desk.services.actor import Actor

from .craft import GOOD_FILES, good_packet, manifest, party, resident_id

TODAY = date(2026, 3, 9)


def _with_parties(*parties: dict[str, Any]) -> dict[str, Any]:
    data = manifest(GOOD_FILES)
    data["parties"] = list(parties)
    return data


def test_numbers_are_saved_cleaned_and_sex_and_birth_date_taken_from_the_id(db: Database, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["parties"][0].update(phone="１３８ ０９３６ １２３４", id_number=resident_id().lower() + " ",
                                  sex=None, birth_date=None)

    packet = tmp_path / "p.zip"
    packet.write_bytes(good_packet(change))
    result = import_packet(db, Actor.system("import"), packet)
    with db.read() as session:
        first = session.scalars(select(Party).where(Party.case_id == result.case_id).order_by(Party.seq)).first()
        assert first is not None
        assert first.phone == "13809361234"
        assert first.id_number == resident_id() and first.id_type is IdDocumentType.RESIDENT_ID
        assert first.gender is Gender.MALE and first.birth_date == date(1990, 3, 7)


def test_an_id_number_without_a_type_is_checked_as_a_resident_id() -> None:
    data = _with_parties(party(id_type=None, id_number="620702199003074510"
                               if not resident_id().endswith("0") else "620702199003074511"))
    with pytest.raises(PacketRefused, match=r"parties\[0\]\.id_number.*校验位"):
        check_parties(data, today=TODAY)


def test_a_birth_date_after_today_in_the_id_is_refused() -> None:
    data = _with_parties(party(id_number=resident_id("62070220300101451"), birth_date=None, sex=None))
    with pytest.raises(PacketRefused, match="晚于今天") as refused:
        check_parties(data, today=TODAY)
    assert not re.search(r"\d{7,}", refused.value.message)


def test_the_second_party_is_named_by_position_and_role() -> None:
    data = _with_parties(party(), party(role="respondent", name="王堃", phone="0936-12", id_number="", sex=None,
                                        birth_date=None, id_type=None))
    with pytest.raises(PacketRefused) as refused:
        check_parties(data, today=TODAY)
    message = refused.value.message
    assert "parties[1].phone" in message and "第 2 位当事人" in message and "被申请人" in message
    assert "王堃" not in message and "0936-12" not in message


@pytest.mark.parametrize(("value", "shown"), [("13809361234", "138******34"), ("12345", "*****"), ("", "")])
def test_mask(value: str, shown: str) -> None:
    assert mask(value) == shown
