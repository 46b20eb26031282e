"""Who saved a record or an agreement last, and when: the name the conflict dialog shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import update

from mediation_desk.db import Database
from mediation_desk.models import AgreementKind, MediationRecord, Role
from mediation_desk.services import agreements, records
from mediation_desk.services.actor import Actor
from mediation_desk.services.agreements import AgreementInput, TermInput

from .helpers import make_user
from .test_agreements import _record, _terms, in_mediation  # noqa: F401 - the fixture is used by name


def test_the_last_writer_of_a_record_is_the_last_to_save_it(
        in_mediation: tuple[Database, Actor, Actor, int]) -> None:  # noqa: F811
    db, mediator, _clerk, case_id = in_mediation
    head = make_user(db, "head2", Role.HEAD)
    with db.write() as session:
        added = records.add_mediation_record(session, mediator, case_id, _record())
        other = records.add_mediation_record(session, mediator, case_id, _record())
    with db.read() as session:
        first = records.last_write(session, "mediation", added.id)
    assert first.who == "mediator" and first.at is not None

    with db.write() as session:
        changed = records.update_record(session, head, "mediation", added.id,
                                        replace(_record(), statements="主任补充：双方各让一步。"),
                                        expected_version=added.version)
    with db.read() as session:
        last = records.last_write(session, "mediation", added.id)
        untouched = records.last_write(session, "mediation", other.id)
        row = session.get(MediationRecord, added.id)
        assert row is not None
        saved_at = row.updated_at
    assert last.who == "head2" and changed.version == added.version + 1
    assert last.at is not None and last.at >= saved_at
    assert untouched.who == "mediator"  # the other record's entries are not this one's

    # A write that left no audit entry (a repair by hand): the writer is unknown, the time is the row's.
    later = saved_at + timedelta(days=365)  # not replace(year=…): 29 February has no next year
    with db.write() as session:
        session.execute(update(MediationRecord).where(MediationRecord.id == added.id).values(
            statements="改", version=MediationRecord.version + 1, updated_at=later))
    with db.read() as session:
        unknown = records.last_write(session, "mediation", added.id)
    assert unknown.who == "" and unknown.at == later


def test_the_last_writer_of_an_agreement(in_mediation: tuple[Database, Actor, Actor, int]) -> None:  # noqa: F811
    db, mediator, _clerk, case_id = in_mediation
    head = make_user(db, "head2", Role.HEAD)
    _applicant, respondent = _terms(db, case_id)
    with db.write() as session:
        drafted = agreements.draft(session, mediator, case_id)
    with db.read() as session:
        written = agreements.last_write(session, drafted.id)
    assert written.who == "mediator" and written.at is not None
    data = AgreementInput(AgreementKind.WRITTEN, "事实", "争议", "被申请人负主要责任", 3,
                          [TermInput(respondent, "拆除堆放物", date.today() + timedelta(days=10))])
    with db.write() as session:
        agreements.save(session, head, drafted.id, data, expected_version=drafted.version)
    with db.read() as session:
        saved = agreements.last_write(session, drafted.id)
    assert saved.who == "head2" and saved.at is not None and saved.at >= written.at
