"""Correcting a witness and an evidence's source and purpose (issue 18 item 7): the save carries the
version the form loaded, a stale one is a Conflict that changes nothing, the audit entry keeps each
changed field before and after, and a finished case refuses every change with the records' words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, AuditEntry, CaseState, DisputeCase
from mediation_desk.services import attachments, cases, evidence
from mediation_desk.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from mediation_desk.services.evidence import WitnessInput

from ..documents.casefile import ON_STORY_DAY
from ..exchange.casebuild import Failed, in_mediation, photo_jpeg

pytestmark = ON_STORY_DAY

LIU = WitnessInput(name="刘强", address="网格站", phone="13993612345", proves="2025年8月见到车库渗水")


def _entries(db: Database, action: str) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _photo(built: Failed) -> int:
    with built.db.write() as session:
        return attachments.add_document(session, built.mediator, built.case_id, kind=AttachmentKind.EVIDENCE,
                                        filename="渗水照片.jpg", content=photo_jpeg(3)).id


def test_a_witness_is_corrected_with_its_version_and_audited_before_and_after(db: Database) -> None:
    built = in_mediation(db)
    with db.write() as session:
        applicant = cases.case_detail(session, built.mediator, built.case_id).parties[0]
        added = evidence.add_witness(session, built.mediator, built.case_id, LIU)
    assert added.version == 1
    fixed = WitnessInput(name="刘 强强", address="甘州区南街街道馨园小区网格站", phone="13993612345",
                         proves=LIU.proves, party_id=applicant.id)
    with db.write() as session:
        now = evidence.edit_witness(session, built.mediator, added.id, fixed, expected_version=1,
                                    case_id=built.case_id)
    assert (now.name, now.address, now.named_by, now.version, now.seq) == (
        "刘 强强", "甘州区南街街道馨园小区网格站", applicant.name, 2, 1)
    [entry] = _entries(db, "witness.edit")
    assert entry.entity == "case" and entry.entity_id == built.case_id
    assert entry.detail["before"] == {"name": "刘强", "address": "网格站", "party_id": "调解员查明"}
    assert entry.detail["after"] == {"name": "刘 强强", "address": "甘州区南街街道馨园小区网格站",
                                     "party_id": applicant.name}
    # A form loaded before that save: refused, nothing overwritten, no entry.
    with pytest.raises(Conflict, match="刚被他人修改"), db.write() as session:
        evidence.edit_witness(session, built.mediator, added.id, LIU, expected_version=1, case_id=built.case_id)
    with db.read() as session:
        assert [(w.name, w.version) for w in evidence.witnesses_of(session, built.case_id)] == [("刘 强强", 2)]
        assert evidence.witness_last_write(session, added.id).who  # the conflict dialog names the writer
    # Saving what is already there changes nothing and logs nothing.
    with db.write() as session:
        same = evidence.edit_witness(session, built.mediator, added.id, fixed, expected_version=2)
    assert same.version == 2 and len(_entries(db, "witness.edit")) == 1
    # The field checks of adding, named under the field.
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        evidence.edit_witness(session, built.mediator, added.id,
                              WitnessInput(name="刘强", address="网格站", proves=" "), expected_version=2)
    assert refused.value.field == "proves" and refused.value.message == "请填写证人能证明的事实。"
    # The window clerk does no casework; another case's id does not reach this witness.
    with pytest.raises(PermissionDenied), db.write() as session:
        evidence.edit_witness(session, built.clerk, added.id, LIU, expected_version=2)
    with pytest.raises(NotFound), db.write() as session:
        evidence.edit_witness(session, built.mediator, added.id, LIU, expected_version=None,
                              case_id=built.case_id + 1000)
    # Removed meanwhile: the correction is a conflict (someone else's change), not a crash.
    with db.write() as session:
        evidence.remove_witness(session, built.mediator, added.id, case_id=built.case_id)
    with pytest.raises(Conflict), db.write() as session:
        evidence.edit_witness(session, built.mediator, added.id, LIU, expected_version=2, case_id=built.case_id)


def test_an_evidence_description_is_corrected_with_its_version(db: Database) -> None:
    built = in_mediation(db)
    photo = _photo(built)
    with db.read() as session:
        [item] = evidence.evidence_page(session, built.mediator, built.case_id).evidence
    assert (item.source, item.purpose, item.version) == ("", "", 0)
    with db.write() as session:
        version = evidence.describe_evidence(session, built.mediator, photo, source="申请人拍摄", purpose="证明渗水",
                                             case_id=built.case_id, expected_version=0)
    assert version == 1
    with pytest.raises(Conflict, match="刚被他人修改"), db.write() as session:
        evidence.describe_evidence(session, built.mediator, photo, source="物业提供", purpose="证明渗水",
                                   case_id=built.case_id, expected_version=0)
    with db.write() as session:
        version = evidence.describe_evidence(session, built.mediator, photo, source="申请人于2025年8月2日拍摄",
                                             purpose="证明渗水", case_id=built.case_id, expected_version=1)
    with db.read() as session:
        [item] = evidence.evidence_page(session, built.mediator, built.case_id).evidence
    assert (item.source, item.purpose, item.version, version) == ("申请人于2025年8月2日拍摄", "证明渗水", 2, 2)
    first, second = _entries(db, "evidence.describe")
    assert first.detail["before"] == {"source": "", "purpose": ""}
    assert second.detail["before"] == {"source": "申请人拍摄"}
    assert second.detail["after"] == {"source": "申请人于2025年8月2日拍摄"}
    assert second.detail["filename"] == "渗水照片.jpg"


def test_a_finished_case_refuses_every_change_with_the_records_words(db: Database) -> None:
    built = in_mediation(db)
    photo = _photo(built)
    with db.write() as session:
        added = evidence.add_witness(session, built.mediator, built.case_id, LIU)
    for state, label in ((CaseState.CLOSED, "结案"), (CaseState.REJECTED, "不予受理")):
        with db.write() as session:
            case = session.get(DisputeCase, built.case_id)
            assert case is not None
            case.state = state
        refusals: dict[str, Callable[[Session], object]] = {
            "登记证人": lambda session: evidence.add_witness(session, built.mediator, built.case_id, LIU),
            "修改证人": lambda session: evidence.edit_witness(session, built.mediator, added.id, LIU,
                                                           expected_version=1),
            "删除证人": lambda session: evidence.remove_witness(session, built.mediator, added.id),
            "修改证据的来源和证明目的": lambda session: evidence.describe_evidence(
                session, built.mediator, photo, source="申请人拍摄", purpose="证明渗水"),
        }
        for what, attempt in refusals.items():
            with pytest.raises(InvalidInput) as refused, db.write() as session:
                attempt(session)
            assert refused.value.field == "case"
            assert refused.value.message == f"案件 {built.number} 已{label}，不能再{what}。"
        with db.read() as session:
            page = evidence.evidence_page(session, built.mediator, built.case_id)
            assert [(w.name, w.version) for w in page.witnesses] == [("刘强", 1)]
            assert page.evidence[0].source == ""
        assert not page.may_write and page.read_only_reason.startswith(f"案件 {built.number} 已{label}")
    with db.read() as session:
        # Nothing was written.
        assert _entries(db, "witness.edit") == [] and _entries(db, "evidence.describe") == []
        # A user without casework sees why the tab is read-only on an open case too.
        case = session.get(DisputeCase, built.case_id)
        assert case is not None
    with db.write() as session:
        case = session.get(DisputeCase, built.case_id)
        assert case is not None
        case.state = CaseState.IN_MEDIATION
    with db.read() as session:
        page = evidence.evidence_page(session, built.clerk, built.case_id)
        assert not page.may_write and "调解员和中心主任" in page.read_only_reason
        assert evidence.evidence_page(session, built.mediator, built.case_id).may_write
