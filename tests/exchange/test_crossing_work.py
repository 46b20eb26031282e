"""Offline townships (issue 21 item 3): the case's work travels with the crossing packets (schema
version 2, docs/crossings.md "The work") and 联办 travels too. Real SQLite desks (a township's own
file and the county's), the county also on PostgreSQL: what one center did while it handled the
case — records, a session, an agreement and its term, files, the ending, a visit, the state — is
there at the other after the answer's packet is imported; replays change nothing; a packet that
would overwrite a change made after the step it answers, and crafted packets, are refused."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from mediation_desk.db import Database
from mediation_desk.exchange import crossing_work
from mediation_desk.exchange.crossing import export_crossing, import_crossing, record_crossing, verify_crossing
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.models import (
    Agreement,
    AgreementKind,
    AgreementTerm,
    Attachment,
    AttachmentKind,
    CaseCrossing,
    CaseEvent,
    CaseState,
    Center,
    CrossingKind,
    DisputeCase,
    FileBlob,
    InvestigationRecord,
    MediationRecord,
    MediationRoom,
    MediationSession,
    Party,
    Performance,
    ReturnVisit,
    Satisfaction,
    SessionParty,
    Team,
    Termination,
    UndisputedFacts,
)
from mediation_desk.services import (
    agreements,
    attachments,
    cases,
    crossings,
    permissions,
    records,
    sessions,
    termination,
    workflow,
)
from mediation_desk.services.actor import Actor

from ..conftest import login_as
from ..services.helpers import new_case_input
from .test_crossing_packets import PDF, TODAY, _desk

UP = "44444444-4444-4444-8444-444444444444"
BACK = "55555555-5555-4555-8555-555555555555"
AGAIN = "66666666-6666-4666-8666-666666666666"
DOWN = "77777777-7777-4777-8777-777777777777"
DONE = "88888888-8888-4888-8888-888888888888"
CO = "99999999-9999-4999-8999-999999999999"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
WORK_TABLES = (DisputeCase, Party, CaseCrossing, Attachment, FileBlob, CaseEvent, InvestigationRecord,
               MediationRecord, MediationSession, SessionParty, Agreement, AgreementTerm, Termination,
               UndisputedFacts, ReturnVisit, MediationRoom)


@pytest.fixture
def desks(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Database, Database]]:
    township = _desk(sqlite_template, tmp_path / "township.sqlite3")
    county = _desk(sqlite_template, tmp_path / "county.sqlite3")
    yield township, county
    township.dispose()
    county.dispose()


def _counts(db: Database) -> tuple[int, ...]:
    """Every row the work touches (and the audit of cases)."""
    with db.read() as session:
        rows = [session.scalar(select(func.count()).select_from(t)) or 0 for t in WORK_TABLES]
        return (*rows, session.scalar(select(func.count()).select_from(CaseCrossing).where(
            CaseCrossing.closed_at.is_not(None))) or 0)


def _case_id(db: Database, number: str) -> int:
    with db.read() as session:
        found = session.scalar(select(DisputeCase.id).where(DisputeCase.number == number))
        assert found is not None
        return found


def _center(db: Database, prefix: str) -> int:
    with db.read() as session:
        found = session.scalar(select(Center.id).where(Center.prefix == prefix))
        assert found is not None
        return found


def _into_mediation(db: Database, case_id: int, clerk: Actor, mediator: Actor) -> None:
    """受理, 分派 to the mediator's own team with them leading, 开始调解."""
    with db.write() as session:
        team = session.scalar(select(Team.id).where(Team.lead_mediator_id == mediator.mediator_id))
        assert team is not None
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, clerk, case_id, team_id=team, lead_mediator_id=mediator.mediator_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)


def _uids(db: Database, model: type[Any], case_id: int) -> set[str]:
    with db.read() as session:
        return {u for u in session.scalars(select(model.uid).where(model.case_id == case_id))}


def _township_reports_up(township: Database) -> tuple[int, str]:
    """A township case in mediation, with an investigation record and a scan, reported up on its
    own desk."""
    clerk, head = login_as(township, "ljd_clerk"), login_as(township, "ljd_head")
    case_input = new_case_input(township, received_at=TODAY)
    with township.write() as session:
        case_id = cases.register_case(session, clerk, case_input)
        number = cases.case_detail(session, clerk, case_id).number
    _into_mediation(township, case_id, clerk, login_as(township, "ljd_mediator"))
    with township.write() as session:
        records.add_investigation(session, head, case_id, records.InvestigationInput(
            held_at=TODAY, place="梁家墩镇综治中心", investigators="马德林", recorder="王桂兰", interviewee="张三",
            interviewee_relation="申请人", content="镇上先了解了情况：通行道路被堵。"))
        scan = attachments.add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE,
                                        filename="现场照片.pdf", content=PDF)
        crossings.report_up(session, head, case_id, reason="涉及县直部门，本镇无法调处", materials=[scan.id], uid=UP)
    return case_id, number


def _county_works(county: Database, case_id: int) -> None:
    """The county's head mediates: an investigation, a session with the parties, a photo, an
    agreement with one term (the respondent owes the applicant 800 元)."""
    mediator, helper = login_as(county, "head"), login_as(county, "mediator")
    with county.write() as session:
        parties = {p.name: p.id for p in cases.case_detail(session, mediator, case_id).parties}
        records.add_investigation(session, mediator, case_id, records.InvestigationInput(
            held_at=TODAY + timedelta(days=1), place="县中心", investigators="王主任", recorder="刘",
            interviewee="李四", interviewee_relation="被申请人", content="县中心调查：李四承认堆放杂物。"))
        room = session.scalar(select(MediationRoom.id).where(MediationRoom.active).order_by(MediationRoom.id))
        assert room is not None and helper.mediator_id is not None
        sessions.schedule(session, mediator, case_id, sessions.SessionInput(
            room_id=room, starts_at=TODAY + timedelta(days=3, hours=-1), ends_at=TODAY + timedelta(days=3, hours=1),
            mediator_ids=[helper.mediator_id], party_ids=[parties["张三"], parties["李四"]],
            invited=[("王村长", "村干部")], bring="身份证"), confirmed=True)
        attachments.add_document(session, mediator, case_id, kind=AttachmentKind.EVIDENCE, filename="县中心照片.png",
                                 content=PNG, note="县中心拍摄")
        drafted = agreements.draft(session, mediator, case_id)
        agreements.save(session, mediator, drafted.id, agreements.AgreementInput(
            kind=AgreementKind.WRITTEN, facts="通行道路被堵", disputed_matters="清理杂物",
            responsibilities="李四清理", copies=3, terms=[agreements.TermInput(
                obligor_party_id=parties["李四"], obligee_party_id=parties["张三"], content="清理杂物并赔偿",
                due_on=date(2026, 10, 30), amount=Decimal("800.00"))]), expected_version=drafted.version)


def test_report_up_then_the_county_works_and_returns_the_case_with_its_work(
        desks: tuple[Database, Database], tmp_path: Path) -> None:
    township, county = desks
    local_id, number = _township_reports_up(township)
    up = export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip")
    assert up.attachments == 1 and up.materials == 1
    arrived = import_crossing(county, login_as(county, "clerk"), up.path)
    assert arrived.created_case and "调查记录 1 项" in arrived.message
    copy_id = _case_id(county, number)
    # The township's record came with its identity, and the scan once (material and attachment).
    assert _uids(county, InvestigationRecord, copy_id) == _uids(township, InvestigationRecord, local_id)
    assert _uids(county, Attachment, copy_id) == _uids(township, Attachment, local_id)

    _county_works(county, copy_id)
    county_head = login_as(county, "head")
    with county.write() as session:
        crossings.return_case(session, county_head, copy_id, reason="属本镇管辖，请继续调处", uid=BACK)
    back = export_crossing(county, login_as(county, "head"), BACK, out=tmp_path / "back.zip")
    assert back.attachments == 2
    before = _counts(township)
    answered = import_crossing(township, login_as(township, "ljd_clerk"), back.path)
    assert answered.work_added and not answered.replayed
    for said in ("调查记录 1 项", "调解会 1 项", "调解协议 1 项", "协议条款 1 项", "附件 1 项"):
        assert said in answered.work_added, answered.work_added
    assert "带来的办理情况：新增" in answered.message

    # The township sees the county's records, session, agreement and file, each once.
    for model in (InvestigationRecord, MediationSession, Agreement, Attachment):
        assert _uids(township, model, local_id) == _uids(county, model, copy_id), model
    with township.read() as session:
        case = session.get(DisputeCase, local_id)
        assert case is not None and case.state is CaseState.IN_MEDIATION and case.handling_center_id is None
        names = {p.id: p.name for p in session.scalars(select(Party).where(Party.case_id == local_id))}
        term = session.scalars(select(AgreementTerm).join(Agreement).where(Agreement.case_id == local_id)).one()
        assert term.obligee_party_id is not None
        assert (names[term.obligor_party_id], names[term.obligee_party_id], term.amount) == ("李四", "张三",
                                                                                              Decimal("800.00"))
        held = session.scalars(select(MediationSession).where(MediationSession.case_id == local_id)).one()
        room = session.get(MediationRoom, held.room_id)
        assert room is not None and not room.active and room.name.endswith("（张掖市甘州区矛盾纠纷调处中心）")
        assert ["王村长", "村干部"] in held.invited and held.bring == "身份证"
        assert any(role.startswith("调解员") for _name, role in held.invited)
        summoned = {names[p] for p in session.scalars(select(SessionParty.party_id).where(
            SessionParty.session_id == held.id))}
        assert summoned == {"张三", "李四"}
        photo = session.scalars(select(Attachment).where(Attachment.case_id == local_id,
                                                          Attachment.filename == "县中心照片.png")).one()
        blob = session.get(FileBlob, photo.sha256)
        assert blob is not None and bytes(blob.content) == PNG and photo.note == "县中心拍摄"
        assert photo.sha256 == hashlib.sha256(PNG).hexdigest()
        timeline = [e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == local_id))]
        assert "session.scheduled" in timeline and "agreement_draft" in timeline, timeline
    assert permissions.may_write(login_as(township, "ljd_head"), _copy(township, local_id))
    settled = _counts(township)
    assert settled != before
    for _ in range(2):
        again = import_crossing(township, login_as(township, "ljd_clerk"), back.path)
        assert again.replayed and "本次未作任何更改" in again.message
    assert _counts(township) == settled

    # The township works on (a mediation record) and reports up again: the county's copy did not
    # change meanwhile, so the packet applies, and nothing the county already has is doubled.
    head = login_as(township, "ljd_head")
    with township.write() as session:
        records.add_mediation_record(session, head, local_id, records.MediationRecordInput(
            held_at=TODAY + timedelta(days=5), place="梁家墩镇", subject="通行", mediators="马德林", recorder="王桂兰",
            participants="", parties_present="张三、李四", notice_given=True, statements="双方陈述",
            verification="", outcome="基本达成一致", agreement_reached=False))
        crossings.report_up(session, head, local_id, reason="请县中心出具协议", uid=AGAIN)
    county_before = _counts(county)
    second = import_crossing(county, login_as(county, "clerk"),
                             export_crossing(township, head, AGAIN, out=tmp_path / "again.zip").path)
    assert "调解记录 1 项" in second.work_added and "调查记录" not in second.work_added
    assert _uids(county, MediationRecord, copy_id) == _uids(township, MediationRecord, local_id)
    assert len(_uids(county, InvestigationRecord, copy_id)) == 2
    assert _counts(county)[WORK_TABLES.index(Attachment)] == county_before[WORK_TABLES.index(Attachment)]


def _copy(db: Database, case_id: int) -> DisputeCase:
    with db.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None
        session.expunge(case)
        return case


def test_assign_down_then_the_township_ends_the_mediation_and_reports_back_with_its_work(
        desks: tuple[Database, Database], tmp_path: Path) -> None:
    township, county = desks
    head, clerk = login_as(county, "head"), login_as(county, "clerk")
    case_input = new_case_input(county, received_at=TODAY)
    with county.write() as session:
        case_id = cases.register_case(session, clerk, case_input)
        number = cases.case_detail(session, head, case_id).number
    _into_mediation(county, case_id, clerk, login_as(county, "mediator"))
    with county.write() as session:
        crossings.assign(session, head, case_id, working_days=5, reason="请梁家墩镇就地化解",
                         to_center_id=_center(county, "甘州梁家墩调"), uid=DOWN, today=TODAY.date())
    down = export_crossing(county, head, DOWN, out=tmp_path / "down.zip")
    assert import_crossing(township, login_as(township, "ljd_clerk"), down.path).created_case
    local_id = _case_id(township, number)

    ljd_mediator = login_as(township, "ljd_head")  # the township's head mediates the county's case
    with township.write() as session:
        records.add_investigation(session, ljd_mediator, local_id, records.InvestigationInput(
            held_at=TODAY + timedelta(days=1), place="村委会", investigators="马德林", recorder="王桂兰",
            interviewee="李四", interviewee_relation="被申请人", content="镇上调查"))
        termination.terminate(session, ljd_mediator, local_id, reason="双方分歧较大，申请人要求诉讼",
                              terminated_on=(TODAY + timedelta(days=2)).date())
        facts = termination.save_undisputed_facts(session, ljd_mediator, local_id, facts="道路被堵属实",
                                                  disputed="赔偿数额")
        termination.sign_undisputed_facts(session, ljd_mediator, local_id, signed_on=(TODAY + timedelta(days=2)).date(),
                                          expected_version=facts.version)
        # A return visit as the desk keeps it (its service asks for a closed case; the row is the same).
        session.add(ReturnVisit(case_id=local_id, visited_on=(TODAY + timedelta(days=4)).date(), visitor="马德林",
                                parties_visited="张三", performance=next(iter(Performance)),
                                satisfaction=next(iter(Satisfaction)), notes="电话回访"))
        crossings.feedback(session, ljd_mediator, local_id, text="调解不成，已终结", uid=DONE)
    done = export_crossing(township, login_as(township, "ljd_head"), DONE, out=tmp_path / "done.zip")
    answered = import_crossing(county, clerk, done.path)
    assert answered.step.kind is CrossingKind.FEEDBACK
    for said in ("调解终结 1 项", "无争议事实确认 1 项", "回访记录 1 项", "调查记录 1 项"):
        assert said in answered.work_added, answered.work_added
    with county.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None and case.state is CaseState.FAILED and case.handling_center_id is None
        ended = session.scalars(select(Termination).where(Termination.case_id == case_id)).one()
        assert ended.reason == "双方分歧较大，申请人要求诉讼"
        facts_row = session.scalars(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id)).one()
        assert facts_row.signed and facts_row.disputed == "赔偿数额"
        assert session.scalars(select(ReturnVisit.notes).where(ReturnVisit.case_id == case_id)).one() == "电话回访"
        # The ending transition is on the county's timeline: its figures count the case as ended.
        actions = set(session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case_id)))
        assert {"fail", "terminate"} <= actions, actions
    settled = _counts(county)
    for _ in range(2):
        assert import_crossing(county, clerk, done.path).replayed
    assert _counts(county) == settled


def test_co_handling_travels_to_two_offline_townships_and_each_reports_back(
        desks: tuple[Database, Database], tmp_path: Path, sqlite_template: Path) -> None:
    township, county = desks
    other = _desk(sqlite_template, tmp_path / "other.sqlite3")  # 党寨镇's own desk
    head, clerk = login_as(county, "head"), login_as(county, "clerk")
    case_input = new_case_input(county, received_at=TODAY)
    with county.write() as session:
        case_id = cases.register_case(session, clerk, case_input)
        number = cases.case_detail(session, head, case_id).number
        records.add_investigation(session, head, case_id, records.InvestigationInput(
            held_at=TODAY, place="县中心", investigators="王主任", recorder="刘", interviewee="张三",
            interviewee_relation="申请人", content="县中心了解情况"))
        steps = crossings.co_handle(session, head, case_id, center_ids=[
            _center(county, "甘州梁家墩调"), _center(county, "甘州党寨调")], working_days=5,
            reason="请两镇协助核实", uid=CO, today=TODAY.date())
    assert len(steps) == 2
    for step, desk, code in ((steps[0], township, "ljd"), (steps[1], other, "dz")):
        packet = export_crossing(county, head, step.uid, out=tmp_path / f"co-{code}.zip")
        assert verify_crossing(packet.path).kind is CrossingKind.CO_HANDLE
        got = import_crossing(desk, login_as(desk, f"{code}_clerk"), packet.path)
        assert got.created_case and got.step.kind is CrossingKind.CO_HANDLE and got.step.uid == step.uid
        assert "调查记录 1 项" in got.work_added
        copy = _copy(desk, _case_id(desk, number))
        # The co-handler reads the case (and the county's record); the county still writes it.
        assert not permissions.may_write(login_as(desk, f"{code}_head"), copy)
        assert len(_uids(desk, InvestigationRecord, copy.id)) == 1
        settled = _counts(desk)
        assert import_crossing(desk, login_as(desk, f"{code}_clerk"), packet.path).replayed
        assert _counts(desk) == settled
        answer = str(uuid.uuid5(uuid.NAMESPACE_URL, code))
        desk_head = login_as(desk, f"{code}_head")
        with desk.write() as session:
            crossings.feedback(session, desk_head, copy.id, text=f"{code} 已核实", uid=answer)
        back = export_crossing(desk, login_as(desk, f"{code}_head"), answer, out=tmp_path / f"fb-{code}.zip")
        assert verify_crossing(back.path).work is None  # a co-handler reports; it does not write the case
        answered = import_crossing(county, clerk, back.path)
        assert answered.step.kind is CrossingKind.FEEDBACK and not answered.work_added
        settled = _counts(county)
        assert import_crossing(county, clerk, back.path).replayed
        assert _counts(county) == settled
    with county.read() as session:
        rows = session.scalars(select(CaseCrossing).where(CaseCrossing.case_id == case_id,
                                                          CaseCrossing.kind == CrossingKind.CO_HANDLE)).all()
        assert len(rows) == 2 and all(r.closed_at is not None for r in rows)
        feedback = sorted(session.scalars(select(CaseCrossing.reason).where(
            CaseCrossing.case_id == case_id, CaseCrossing.kind == CrossingKind.FEEDBACK)))
        assert feedback == ["dz 已核实", "ljd 已核实"]
        case = session.get(DisputeCase, case_id)
        assert case is not None and case.handling_center_id is None  # the county still leads
    other.dispose()


def test_an_answer_is_refused_when_the_receivers_copy_changed_after_the_step(
        desks: tuple[Database, Database], tmp_path: Path) -> None:
    township, county = desks
    local_id, number = _township_reports_up(township)
    import_crossing(county, login_as(county, "clerk"),
                    export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path)
    copy_id = _case_id(county, number)
    head = login_as(county, "head")
    with county.write() as session:
        records.add_investigation(session, head, copy_id, records.InvestigationInput(
            held_at=TODAY, place="县中心", investigators="王主任", recorder="刘", interviewee="李四",
            interviewee_relation="被申请人", content="县中心调查"))
        crossings.return_case(session, head, copy_id, reason="退回", uid=BACK)
    back = export_crossing(county, login_as(county, "head"), BACK, out=tmp_path / "back.zip").path
    # Meanwhile the township's copy changed (only the handler may write: a change behind its back).
    with township.write() as session:
        session.execute(update(InvestigationRecord).where(InvestigationRecord.case_id == local_id)
                        .values(content="镇上后来改过的内容"))
    before = _counts(township)
    changed = f"本库中的案件 {number} 在交给“张掖市甘州区矛盾纠纷调处中心”办理之后又被修改过"
    with pytest.raises(PacketRefused, match=changed):
        import_crossing(township, login_as(township, "ljd_clerk"), back)
    assert _counts(township) == before
    with township.read() as session:
        assert session.scalar(select(CaseCrossing.id).where(CaseCrossing.uid == BACK)) is None


# --- crafted packets ------------------------------------------------------------------------------


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, Any]], None], *,
             redigest: bool = True) -> Path:
    """The packet with its manifest changed; the work's digest made to agree again (a forger's)."""
    with zipfile.ZipFile(source) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    if redigest and manifest.get("work"):
        manifest["work"]["sha256"] = crossing_work.digest(manifest["work"])
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return target


@pytest.fixture
def answered(desks: tuple[Database, Database], tmp_path: Path) -> tuple[Path, Path, str]:
    """The township's 上报 imported at the county, which worked and returned it: (the 上报 packet,
    the 回退 packet not yet imported at the township, the case number)."""
    township, county = desks
    _local_id, number = _township_reports_up(township)
    up = export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path
    import_crossing(county, login_as(county, "clerk"), up)
    copy_id = _case_id(county, number)
    head = login_as(county, "head")
    with county.write() as session:
        attachments.add_document(session, head, copy_id, kind=AttachmentKind.EVIDENCE, filename="县中心照片.png",
                                 content=PNG)
        crossings.return_case(session, head, copy_id, reason="退回", uid=BACK)
    return up, export_crossing(county, login_as(county, "head"), BACK, out=tmp_path / "back.zip").path, number


def _other_case_record(db: Database) -> str:
    """The uid of an investigation record of another case of this desk."""
    actor, clerk = login_as(db, "ljd_head"), login_as(db, "ljd_clerk")
    case_input = new_case_input(db, received_at=TODAY, title="另一起纠纷")
    with db.write() as session:
        other = cases.register_case(session, clerk, case_input)
        made = records.add_investigation(session, actor, other, records.InvestigationInput(
            held_at=TODAY, place="镇上", investigators="马德林", recorder="王桂兰", interviewee="王五",
            interviewee_relation="申请人", content="另一案件"))
        uid = session.scalar(select(InvestigationRecord.uid).where(InvestigationRecord.id == made.id))
        assert uid is not None
        return uid


def _first(key: str, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(manifest: dict[str, Any]) -> None:
        manifest["work"][key][0][field] = value
    return change


def test_crafted_answers_are_refused_in_chinese_and_write_nothing(
        desks: tuple[Database, Database], answered: tuple[Path, Path, str], tmp_path: Path) -> None:
    township, _county = desks
    _up, back, _number = answered
    stolen = _other_case_record(township)
    before = _counts(township)

    def unknown_parent(manifest: dict[str, Any]) -> None:
        manifest["step"]["parent_uid"] = str(uuid.uuid4())

    def other_file(manifest: dict[str, Any]) -> None:
        for item in manifest["work"]["attachments"]:
            if item["filename"] == "县中心照片.png":
                item["sha256"] = hashlib.sha256(b"another file").hexdigest()

    def ghost_party(manifest: dict[str, Any]) -> None:
        manifest["work"]["attachments"][0]["party"] = 7

    cases_ = [
        (_first("investigations", "uid", stolen), "在本库属于另一个案件"),
        (other_file, "SHA-256 或大小与文件"),
        (unknown_parent, "在本库中不存在或已答复"),
        (ghost_party, r"work\.attachments\[0\]\.party 应指向 work\.parties 中的一位当事人"),
        (_first("investigations", "held_at", "2026-13-01T00:00:00"), r"investigations\[0\]\.held_at 不是有效的时间"),
        (_first("investigations", "signed", "yes"), "应为 true 或 false"),
    ]
    for index, (change, refusal) in enumerate(cases_):
        bad = _rewrite(back, tmp_path / f"bad{index}.zip", change)
        with pytest.raises(PacketRefused, match=refusal):
            import_crossing(township, login_as(township, "ljd_clerk"), bad)
        assert _counts(township) == before, refusal
    # The work changed without its digest: refused as altered.
    def facts(manifest: dict[str, Any]) -> None:
        manifest["work"]["case"]["facts"] = "改过的事实"
    with pytest.raises(PacketRefused, match=r"work）的 SHA-256 与其内容不符"):
        import_crossing(township, login_as(township, "ljd_clerk"),
                        _rewrite(back, tmp_path / "facts.zip", facts, redigest=False))
    assert _counts(township) == before
    # The genuine packet still applies after all that.
    assert import_crossing(township, login_as(township, "ljd_clerk"), back).work_added


def test_a_version_1_packet_is_still_read(answered: tuple[Path, Path, str], tmp_path: Path,
                                          sqlite_template: Path) -> None:
    """A desk not yet upgraded writes version 1: the step and its materials, no work."""
    up, _back, number = answered

    def version_1(manifest: dict[str, Any]) -> None:
        manifest["schema_version"] = 1
        del manifest["work"]

    old = _rewrite(up, tmp_path / "v1.zip", version_1)
    read = verify_crossing(old)
    assert read.work is None and read.manifest["schema_version"] == 1
    fresh = _desk(sqlite_template, tmp_path / "fresh.sqlite3")  # a county desk that never saw the case
    got = import_crossing(fresh, login_as(fresh, "clerk"), old)
    assert got.created_case and not got.work_added and "带来的办理情况" not in got.message
    copy_id = _case_id(fresh, number)
    assert _uids(fresh, InvestigationRecord, copy_id) == set()  # version 1 carries no records
    assert len(_uids(fresh, Attachment, copy_id)) == 1  # only the step's material
    assert import_crossing(fresh, login_as(fresh, "clerk"), old).replayed
    fresh.dispose()

    def co_handle_v1(manifest: dict[str, Any]) -> None:
        version_1(manifest)
        manifest["step"]["kind"] = "co_handle"
    with pytest.raises(PacketRefused, match="联办自第 2 版起才能携带"):
        verify_crossing(_rewrite(up, tmp_path / "v1co.zip", co_handle_v1))

    def work_v1(manifest: dict[str, Any]) -> None:
        manifest["schema_version"] = 1
    with pytest.raises(PacketRefused, match="含有本版本未定义的字段“work”"):
        verify_crossing(_rewrite(up, tmp_path / "v1work.zip", work_v1))


def test_the_county_on_its_server_and_a_township_on_sqlite_exchange_the_work(
        db: Database, sqlite_template: Path, tmp_path: Path) -> None:
    """The county's database on each backend (PostgreSQL: its server, each person their own login
    role under row-level security) and the township's SQLite file: the township's record goes up,
    the county's record and file come back."""
    from mediation_desk import demo

    township = _desk(sqlite_template, tmp_path / "township.sqlite3")
    with db.write() as session:
        demo.seed(session, 2, today=TODAY, township_cases=1)
    local_id, number = _township_reports_up(township)
    up = export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path
    assert "调查记录 1 项" in import_crossing(db, login_as(db, "clerk"), up).work_added
    copy_id = _case_id(db, number)
    assert _uids(db, InvestigationRecord, copy_id) == _uids(township, InvestigationRecord, local_id)
    head = login_as(db, "head")
    with db.write() as session:
        records.add_investigation(session, head, copy_id, records.InvestigationInput(
            held_at=TODAY, place="县中心", investigators="王主任", recorder="刘", interviewee="李四",
            interviewee_relation="被申请人", content="县中心调查"))
        attachments.add_document(session, head, copy_id, kind=AttachmentKind.EVIDENCE, filename="县中心照片.png",
                                 content=PNG)
        crossings.return_case(session, head, copy_id, reason="属本镇管辖", uid=BACK)
    back = export_crossing(db, head, BACK, out=tmp_path / "back.zip").path
    got = import_crossing(township, login_as(township, "ljd_clerk"), back)
    assert "调查记录 1 项" in got.work_added and "附件 1 项" in got.work_added
    assert _uids(township, InvestigationRecord, local_id) == _uids(db, InvestigationRecord, copy_id)
    assert _uids(township, Attachment, local_id) == _uids(db, Attachment, copy_id)
    settled = _counts(township)
    assert import_crossing(township, login_as(township, "ljd_clerk"), back).replayed
    assert _counts(township) == settled
    # The township writes again and reports up: the server's copy is unchanged, the packet applies.
    ljd_head = login_as(township, "ljd_head")
    with township.write() as session:
        records.add_investigation(session, ljd_head, local_id, records.InvestigationInput(
            held_at=TODAY, place="镇上", investigators="马德林", recorder="王桂兰", interviewee="张三",
            interviewee_relation="申请人", content="镇上再次了解"))
        crossings.report_up(session, ljd_head, local_id, reason="仍需县中心协调", uid=AGAIN)
    again = export_crossing(township, ljd_head, AGAIN, out=tmp_path / "again.zip").path
    assert "调查记录 1 项" in import_crossing(db, login_as(db, "clerk"), again).work_added
    assert len(_uids(db, InvestigationRecord, copy_id)) == 3
    township.dispose()


def test_an_assignment_of_a_case_the_township_holds_carries_the_countys_work(
        desks: tuple[Database, Database], tmp_path: Path) -> None:
    """The township's case reported up, worked at the county and then assigned back down (交办 with
    a deadline): the township's copy gets the county's record with the step."""
    township, county = desks
    local_id, number = _township_reports_up(township)
    import_crossing(county, login_as(county, "clerk"),
                    export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path)
    copy_id = _case_id(county, number)
    head = login_as(county, "head")
    with county.write() as session:
        records.add_investigation(session, head, copy_id, records.InvestigationInput(
            held_at=TODAY, place="县中心", investigators="王主任", recorder="刘", interviewee="李四",
            interviewee_relation="被申请人", content="县中心调查后交镇办理"))
        crossings.assign(session, head, copy_id, working_days=5, reason="县中心已调查，请镇上调解",
                         to_center_id=_center(county, "甘州梁家墩调"), uid=DOWN, today=TODAY.date())
    down = export_crossing(county, head, DOWN, out=tmp_path / "down.zip").path
    got = import_crossing(township, login_as(township, "ljd_clerk"), down)
    assert not got.created_case and got.step.kind is CrossingKind.ASSIGN_DOWN
    assert got.work_added == "办理过程记录 1 项、调查记录 1 项", got.work_added
    assert _uids(township, InvestigationRecord, local_id) == _uids(county, InvestigationRecord, copy_id)
    assert permissions.may_write(login_as(township, "ljd_head"), _copy(township, local_id))


def test_a_record_stored_without_a_uid_travels_under_a_derived_one_and_is_not_doubled(
        desks: tuple[Database, Database], tmp_path: Path) -> None:
    """A row written without a uid (the demo's bulk load, a bench): the packet names it by a uid
    derived from the case number, its table and its id; back home it is found by that uid."""
    township, county = desks
    local_id, number = _township_reports_up(township)
    with township.write() as session:
        session.execute(update(InvestigationRecord).where(InvestigationRecord.case_id == local_id).values(uid=None))
        record_id = session.scalars(select(InvestigationRecord.id).where(
            InvestigationRecord.case_id == local_id)).one()
    derived = str(uuid.uuid5(uuid.UUID("3b0f6c0e-8d1a-4f57-9c2e-61d8a4b7e0c3"),
                             f"investigation_record/{number}/{record_id}"))
    up = export_crossing(township, login_as(township, "ljd_head"), UP, out=tmp_path / "up.zip").path
    assert [r["uid"] for r in verify_crossing(up).manifest["work"]["investigations"]] == [derived]
    import_crossing(county, login_as(county, "clerk"), up)
    copy_id = _case_id(county, number)
    assert _uids(county, InvestigationRecord, copy_id) == {derived}
    head = login_as(county, "head")
    with county.write() as session:
        crossings.return_case(session, head, copy_id, reason="退回", uid=BACK)
    back = export_crossing(county, head, BACK, out=tmp_path / "back.zip").path
    got = import_crossing(township, login_as(township, "ljd_clerk"), back)
    assert "调查记录" not in got.work_added
    assert _uids(township, InvestigationRecord, local_id) == {derived}  # the same row, now named


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


class _Undo(Exception):
    """Raised to roll an applied example back (the next example starts from the same desk)."""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_put_in_the_work_is_refused_in_chinese_or_applied_cleanly(
        desks: tuple[Database, Database], answered: tuple[Path, Path, str], tmp_path: Path,
        data: st.DataObject) -> None:
    """A forger who recomputes the digest: whatever value replaces one field of the work, the
    import refuses it in Chinese or applies it — never a traceback."""
    township, _county = desks
    _up, back, _number = answered
    with zipfile.ZipFile(back) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    paths = [p for p in _leaves(manifest["work"]) if p and p[0] not in ("sha256", "base")]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(st.one_of(
        st.none(), st.booleans(), st.integers(-2**70, 2**70), st.text(max_size=40),
        st.sampled_from(["", "2026-02-30", "2026-09-25T10:00:00", "closed", "in_mediation", "0" * 64, "-1", "1e9"]),
        st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))

    def change(m: dict[str, Any]) -> None:
        node: Any = m["work"]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    bad = _rewrite(back, tmp_path / "forged.zip", change)
    actor = login_as(township, "ljd_clerk")
    try:
        verified = verify_crossing(bad)
        with township.write() as session:
            record_crossing(session, actor, verified)
            raise _Undo
    except PacketRefused as refused:
        assert refused.message and re.search(r"[\u4e00-\u9fff]", refused.message)
    except _Undo:
        pass
