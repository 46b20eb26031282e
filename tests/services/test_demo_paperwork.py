"""The demo center's paperwork: every stage is there, every closed case passes the closure gate,
successes carry signed agreements with real terms, a few files in review are left incomplete."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from mediation_desk import cli, demo
from mediation_desk.db import Database
from mediation_desk.models import (
    Agreement,
    AgreementKind,
    Attachment,
    AttachmentKind,
    CaseEvent,
    CaseState,
    ConfirmationResult,
    DisputeCase,
    FileBlob,
    InvestigationRecord,
    JudicialConfirmation,
    MediationRecord,
    Party,
)
from mediation_desk.services import agreements, cases, dossier
from mediation_desk.services.actor import Actor
from mediation_desk.services.workflow import Action

from .helpers import BACKENDS, seeded_demo

CASES = 300


@pytest.fixture(params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo center in the test's own database, on each backend: a copy of the one seeded once a
    worker and backend (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, CASES) as db:
        yield db


@pytest.fixture
def demo_center(demo_db: Database) -> Database:
    """The same, for the tests that only read it."""
    return demo_db


def outcomes(db: Database) -> dict[int, CaseState | None]:
    system = Actor.system("test")
    with db.read() as session:
        ids = session.scalars(select(DisputeCase.id).order_by(DisputeCase.id)).all()
        return {i: dossier.outcome(cases.case_detail(session, system, i)) for i in ids}


def test_every_stage_and_every_closed_case_passes_the_gate(demo_center: Database) -> None:
    with demo_center.read() as session:
        states = dict(session.execute(select(DisputeCase.id, DisputeCase.state)).all())
        assert set(states.values()) == set(CaseState)
        closed = [i for i, s in states.items() if s is CaseState.CLOSED]
        assert len(closed) > CASES // 2
        failing = {i: dossier.completeness(session, i) for i in closed}
        assert not {i: m for i, m in failing.items() if m}
        review = {i: dossier.completeness(session, i) for i, s in states.items() if s is CaseState.CLOSURE_REVIEW}
        incomplete = {i: m for i, m in review.items() if m}
        # A few files wait in review incomplete, so the head sees the gate refuse; most are complete.
        assert 1 <= len(incomplete) < len(review)
        for case_id, missing in incomplete.items():
            note = session.scalars(select(CaseEvent.note).where(
                CaseEvent.case_id == case_id, CaseEvent.action == Action.SUBMIT_FOR_REVIEW.value)).one()
            assert note == "提交时卷宗尚缺：" + "；".join(str(m) for m in missing) + "。"
        # One identity picture for the whole center, however many scans point to it.
        assert session.scalar(select(func.count()).select_from(FileBlob)) == 1
        scans = session.scalar(select(func.count()).select_from(Attachment)
                               .where(Attachment.kind == AttachmentKind.IDENTITY))
        assert scans and scans > CASES
        assert (session.scalar(select(func.count()).select_from(InvestigationRecord)) or 0) > CASES // 2


def test_successes_carry_signed_agreements_with_terms(demo_center: Database) -> None:
    ended = outcomes(demo_center)
    succeeded = [i for i, o in ended.items() if o is CaseState.SUCCEEDED]
    failed = [i for i, o in ended.items() if o is CaseState.FAILED]
    assert len(succeeded) > CASES // 3 and failed
    kinds = set()
    with demo_center.read() as session:
        complete = [i for i in succeeded if not dossier.completeness(session, i)]
        # Only the files deliberately left incomplete in review lack anything.
        assert {session.get_one(DisputeCase, i).state for i in set(succeeded) - set(complete)} <= {
            CaseState.CLOSURE_REVIEW}
        for case_id in complete:
            signed = [a for a in agreements.agreements_of(session, case_id) if a.signed]
            assert len(signed) == 1, case_id
            agreement = signed[0]
            kinds.add(agreement.kind)
            assert agreement.effective_on == agreement.signed_on
            assert agreement.facts and agreement.disputed_matters and agreement.responsibilities
            party_ids = set(session.scalars(select(Party.id).where(Party.case_id == case_id)))
            assert agreement.copies == len(party_ids) + 1
            assert agreement.terms
            for term in agreement.terms:
                assert term.obligor_party_id in party_ids and term.obligor and term.content
                assert agreement.signed_on is not None and term.due_on > agreement.signed_on
                if term.amount is not None:
                    assert term.amount > 0 and term.amount_text.startswith("人民币") and "元整" in term.amount_text
                    assert term.amount % 100 == 0
        amount = session.scalar(select(DisputeCase.amount_involved).where(DisputeCase.id.in_(complete),
                                                                       DisputeCase.amount_involved.is_not(None)))
        assert amount is not None
        for case_id in failed:
            if dossier.completeness(session, case_id):
                assert session.get_one(DisputeCase, case_id).state is CaseState.CLOSURE_REVIEW
                continue
            why = session.scalars(select(MediationRecord).where(MediationRecord.case_id == case_id,
                                                                MediationRecord.agreement_reached.is_(False))).all()
            assert why and all(r.notice_given for r in why)
            assert any("原因" in r.outcome or "撤回" in r.outcome for r in why)
        results = set(session.scalars(select(JudicialConfirmation.result)))
        assert results == {ConfirmationResult.PENDING, ConfirmationResult.CONFIRMED}
        for confirmation in session.scalars(select(JudicialConfirmation)):
            effective = session.get_one(Agreement, confirmation.agreement_id).effective_on
            assert effective is not None and confirmation.applied_on is not None
            assert effective <= confirmation.applied_on <= datetime.now().date()
            assert (confirmation.decided_on is not None) is (confirmation.result is ConfirmationResult.CONFIRMED)
    assert kinds == {AgreementKind.WRITTEN, AgreementKind.ORAL}


def test_doc_agreement_prints_a_demo_case(demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with demo_db.read() as session:
        number, case_id = session.execute(
            select(DisputeCase.number, DisputeCase.id).join(Agreement, Agreement.case_id == DisputeCase.id)
            .where(DisputeCase.state == CaseState.CLOSED, Agreement.kind == AgreementKind.WRITTEN,
                   DisputeCase.amount_involved.is_not(None))
            .order_by(DisputeCase.id.desc()).limit(1)).one()
        agreement = agreements.agreements_of(session, case_id)[0]
    out = tmp_path / "agreement.pdf"
    url = demo_db.url.render_as_string(hide_password=False)
    login = ["--as", "head", "--password-stdin"]  # the command signs in (issue 17): the demo's head
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{demo.DEMO_PASSWORD}\n" * 2))
    assert cli.main(["--database", url, "doc", "agreement", number, "--out", str(out), *login]) == 0
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    flat = "".join(text.split())
    assert "人民调解协议书" in flat and number in flat
    for term in agreement.terms:
        assert term.obligor in flat
        if term.amount is not None:
            assert term.amount_text in flat
    dossier_out = tmp_path / "dossier.pdf"
    assert cli.main(["--database", url, "doc", "dossier", number, "--out", str(dossier_out), *login]) == 0
    assert "卷宗缺少" not in "".join(p.extract_text() for p in PdfReader(dossier_out).pages[:1])


def test_demo_paperwork_is_deterministic(tmp_path: Path, sqlite_template: Path) -> None:
    from ..conftest import _sqlite_copy

    today = datetime(2026, 6, 1, 12, 0)
    dumps = []
    for name in ("a", "b"):
        db = _sqlite_copy(sqlite_template, tmp_path / f"{name}.sqlite3")
        with db.write() as session:
            demo.seed(session, 60, today=today)
        with db.read() as session:
            dumps.append([session.execute(select(*columns)).all() for columns in (
                MediationRecord.__table__.c, InvestigationRecord.__table__.c, Agreement.__table__.c,
                JudicialConfirmation.__table__.c, (Attachment.party_id, Attachment.sha256, Attachment.filename))])
        db.dispose()
    assert dumps[0] == dumps[1]


def test_a_county_sized_demo_builds_its_scattered_indexes_at_the_end(db: Database,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk path (as for 1,000,000 cases, here from 120) drops the name, ID-number and phone
    indexes for the load and builds them again: the schema is whole afterwards and they are used."""
    from sqlalchemy import inspect

    from mediation_desk.services import search

    from .test_db import _assert_schema_matches_models

    monkeypatch.setattr(search, "BULK_ROWS", 100)
    with db.write() as session:
        demo.seed(session, 120, seed_value=3)
    _assert_schema_matches_models(db)
    names = {ix["name"] for ix in inspect(db.writer).get_indexes("party")}
    assert {"ix_party_name", "ix_party_id_number", "ix_party_phone"} <= names
    with db.read() as session:
        party = session.scalars(select(Party).where(Party.id_number != "").limit(1)).one()
        assert party.case_id in {h.case_id for h in search.search(session, Actor.system(), party.id_number)}
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 120


def test_the_demo_has_punctuation_a_search_must_take_literally(demo_center: Database) -> None:
    """Shares in per cent, masked names and ASCII quotes are in some demo facts, so a search for
    %, * or " shows it finds those characters and nothing else."""
    from mediation_desk.services import search

    system = Actor.system("test")
    with demo_center.read() as session:
        texts = dict(session.execute(select(DisputeCase.id, DisputeCase.title + " " + DisputeCase.facts)).all())
        names = session.execute(select(Party.case_id, Party.name)).all()
        for mark in ("%", "*", '"', "%与", "王*"):
            expected = {i for i, t in texts.items() if mark in t} | {c for c, n in names if mark in n}
            assert expected, mark
            assert search.count(session, system, mark) == len(expected), mark
            found = {h.case_id for h in search.search(session, system, mark, limit=len(expected) + 5)}
            assert found == expected, mark


def test_the_demo_sends_disputes_where_they_belong_and_names_who_was_visited(demo_center: Database) -> None:
    """Every 已移送 case has its transfer record, to the body its dispute belongs to (wages to the
    labour inspectors, the rest to court, with claims a court can docket); diversions go to a body
    that fits the dispute; facts agree with why mediation failed; visits name people."""
    from mediation_desk.models import (
        DisputeType,
        Diversion,
        DiversionBody,
        ReturnVisit,
        Transfer,
        TransferStatus,
        TransferTarget,
    )

    with demo_center.read() as session:
        types = dict(session.execute(select(DisputeCase.id, DisputeType.name)
                                     .join(DisputeType, DisputeType.id == DisputeCase.dispute_type_id)).all())
        transferred = set(session.scalars(select(CaseEvent.case_id).where(
            CaseEvent.action == Action.TRANSFER.value)))
        assert transferred
        rows = session.scalars(select(Transfer)).all()
        assert {t.case_id for t in rows} == transferred and len(rows) == len(transferred)
        for row in rows:
            wages = types[row.case_id] in ("劳动争议", "拖欠农民工工资")
            assert row.status is TransferStatus.SENT and row.sent_at is not None
            assert row.target is (TransferTarget.DEPARTMENT if wages else TransferTarget.COURT)
            note = session.scalars(select(CaseEvent.note).where(
                CaseEvent.case_id == row.case_id, CaseEvent.action == Action.TRANSFER.value)).one()
            assert ("人社局" in note) == wages
            if row.target is TransferTarget.COURT:
                assert row.claims.startswith("判令被申请人") and "调解" not in row.claims
        for diversion in session.scalars(select(Diversion)):
            kind = types[diversion.case_id]
            if kind in ("劳动争议", "拖欠农民工工资"):
                assert diversion.body is DiversionBody.DEPARTMENT
            elif kind in ("邻里", "婚姻家庭", "山林土地", "房屋宅基地"):
                assert diversion.body is DiversionBody.VILLAGE_COMMITTEE
            note = session.scalars(select(CaseEvent.note).where(
                CaseEvent.case_id == diversion.case_id, CaseEvent.action == Action.DIVERT.value)).one()
            assert note == diversion.reason
        failures = session.execute(select(CaseEvent.case_id, CaseEvent.note, DisputeCase.facts,
                                          DisputeCase.amount_involved)
                                   .join(DisputeCase, DisputeCase.id == CaseEvent.case_id)
                                   .where(CaseEvent.action == Action.FAIL.value)).all()
        assert failures
        for _case_id, note, facts, amount in failures:
            assert ("事实" in note) == ("各执一词" in facts) and ("无重大分歧" in facts) != ("事实" in note)
            assert amount is not None or "数额" not in note
        party_names = {(p.case_id, p.name) for p in session.scalars(select(Party))}
        visits = session.scalars(select(ReturnVisit)).all()
        assert visits
        for visit in visits:
            assert visit.visitor != "中心回访组" and visit.method is not None
            assert all((visit.case_id, name) in party_names for name in visit.parties_visited.split("、"))


def test_a_demo_record_names_the_cases_own_mediators_and_no_one_else(demo_center: Database) -> None:
    """人民调解记录 names who mediated: the case's lead and its co-mediator when it has one
    (``case_mediator``), never a second team member who did not (FORMS.md: the mediators sign)."""
    from mediation_desk.models import CaseMediator, Mediator, MediatorRole
    from tests.composition import page_lines

    with demo_center.read() as session:
        crew: dict[int, list[tuple[MediatorRole, str]]] = {}
        for case_id, role, name in session.execute(
                select(CaseMediator.case_id, CaseMediator.role, Mediator.name)
                .join(Mediator, Mediator.id == CaseMediator.mediator_id).order_by(CaseMediator.id)):
            crew.setdefault(case_id, []).append((role, name))
        records = session.execute(select(MediationRecord.case_id, MediationRecord.mediators)).all()
    assert records
    for case_id, mediators in records:
        named = sorted(crew[case_id], key=lambda m: m[0] is not MediatorRole.LEAD)
        assert mediators.split("、") == [name for _role, name in named], case_id
    alone = next(c for c, _m in records if len(crew[c]) == 1)
    paired = next(c for c, _m in records if len(crew[c]) == 2)
    # Read back with positions: under 人民调解员（签名） one rule per mediator, each named under it.
    for case_id in (alone, paired):
        with demo_center.read() as session:
            pdf = dossier.render_document(session, Actor.system("test"), case_id, "mediation-record")
        lines = [line for page in page_lines(pdf) for line in page]
        label = next(i for i, line in enumerate(lines) if line.text.startswith("人民调解员（签名）"))
        recorder = next(i for i, line in enumerate(lines) if line.text.startswith("记录人（签名）"))
        signers = " ".join(line.text for line in lines[label + 1:recorder]).split()
        assert signers == [name for _role, name in crew[case_id]], (case_id, [x.text for x in lines[label:recorder]])
        assert all(line.y < lines[label].y + 1 for line in lines[label + 1:recorder])


def test_a_townships_demo_records_were_held_in_its_own_rooms(db: Database) -> None:
    from mediation_desk.models import Center

    with db.write() as session:
        demo.seed(session, 20, township_cases=20)
    with db.read() as session:
        places = session.execute(select(Center.parent_id.is_(None), MediationRecord.place)
                                 .join(DisputeCase, DisputeCase.id == MediationRecord.case_id)
                                 .join(Center, Center.id == DisputeCase.center_id)).all()
    township_places = {f"综治中心{name}" for name, _c, _w in demo.TOWNSHIP_ROOMS}
    assert {p for county, p in places if not county} <= township_places
    assert {p for county, p in places if county}.isdisjoint(township_places)
    assert any(not county for county, _p in places)
