"""The case screens' pages (services.pages): the rights on each are decided by the case's team id,
and agree with what the writes behind them allow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from mediation_desk.db import Database
from mediation_desk.documents import kinds
from mediation_desk.models import CaseState, Role, Team, now
from mediation_desk.services import cases, clocks, pages, records, termination, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied

from .helpers import make_team, make_user, new_case_input

TEAM_NAME = "城建物业调解团队"


@dataclass(frozen=True)
class Desk:
    db: Database
    clerk: Actor
    head: Actor
    #: A mediator of the case's team.
    ours: Actor
    #: A mediator of another team.
    other: Actor
    team_id: int
    other_team_id: int
    #: A case of ``team_id`` in mediation.
    case_id: int


def _open_case(db: Database, clerk: Actor, head: Actor, mediator: Actor, team_id: int, *,
               lead_mediator_id: int | None = None) -> int:
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db))
        workflow.transition(session, clerk, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id, lead_mediator_id=lead_mediator_id)
        workflow.transition(session, mediator, case_id, workflow.Action.START_MEDIATION)
    return case_id


@pytest.fixture
def desk(db: Database) -> Desk:
    team_id, mediator_id = make_team(db, TEAM_NAME, "李建国")
    other_team_id, other_mediator_id = make_team(db, "婚姻家庭调解团队", "王芳")
    clerk = make_user(db, "clerk", Role.INTAKE)
    head = make_user(db, "head", Role.HEAD)
    ours = make_user(db, "ours", Role.MEDIATOR, mediator_id=mediator_id)
    other = make_user(db, "other", Role.MEDIATOR, mediator_id=other_mediator_id)
    case_id = _open_case(db, clerk, head, ours, team_id)
    return Desk(db, clerk, head, ours, other, team_id, other_team_id, case_id)


def _rights(db: Database, actor: Actor, case_id: int) -> dict[str, bool]:
    with db.read() as session:
        case = pages.case_page(session, actor, case_id, now().date())
        records_page = pages.records_page(session, actor, case_id)
        agreement = pages.agreement_page(session, actor, case_id)
    return {"extend": case.may_extend, "records": records_page.may_write, "agreement": agreement.may_write}


def _record() -> records.MediationRecordInput:
    return records.MediationRecordInput(
        held_at=now() - timedelta(hours=1), place="中心第一调解室", subject="相邻通行纠纷", mediators="王芳",
        recorder="王芳", participants="", parties_present="张三、李四", notice_given=True,
        statements="申请人称……被申请人称……", verification="", outcome="继续调解", agreement_reached=False)


def test_the_case_team_the_head_and_the_clerk_each_get_their_rights(desk: Desk) -> None:
    with desk.db.read() as session:
        detail = pages.case_page(session, desk.head, desk.case_id, now().date()).detail
    assert detail.team == TEAM_NAME and detail.team_id == desk.team_id
    assert _rights(desk.db, desk.ours, desk.case_id) == {"extend": True, "records": True, "agreement": True}
    assert _rights(desk.db, desk.head, desk.case_id) == {"extend": True, "records": True, "agreement": True}
    assert _rights(desk.db, desk.clerk, desk.case_id) == {"extend": False, "records": False, "agreement": False}


def test_a_mediator_of_another_team_gets_no_page_of_the_case(desk: Desk) -> None:
    for read in (lambda s: pages.case_page(s, desk.other, desk.case_id, now().date()),
                 lambda s: pages.records_page(s, desk.other, desk.case_id),
                 lambda s: pages.agreement_page(s, desk.other, desk.case_id),
                 lambda s: pages.transfer_page(s, desk.other, desk.case_id),
                 lambda s: pages.documents_page(s, desk.other, desk.case_id)):
        with pytest.raises(PermissionDenied, match="不属于您所在的调解团队"), desk.db.read() as session:
            read(session)


def test_rights_follow_the_team_id_when_another_team_takes_the_old_name(desk: Desk) -> None:
    """Team names are unique at any moment, but not over time: the case's team is renamed and a new
    team is given its old name. The new team's mediator gets nothing, the case's team keeps all."""
    with desk.db.write() as session:
        team = session.get(Team, desk.team_id)
        assert team is not None
        team.name = "城建物业调解一组"
    newcomer_team_id, newcomer_mediator_id = make_team(desk.db, TEAM_NAME, "赵磊")
    newcomer = make_user(desk.db, "newcomer", Role.MEDIATOR, mediator_id=newcomer_mediator_id)
    assert newcomer.team_ids == frozenset({newcomer_team_id})
    ours = make_user(desk.db, "ours2", Role.MEDIATOR, mediator_id=_mediator_of(desk.db, desk.team_id))
    with desk.db.read() as session:
        detail = pages.records_page(session, ours, desk.case_id).detail
    assert (detail.team, detail.team_id) == ("城建物业调解一组", desk.team_id)
    assert _rights(desk.db, ours, desk.case_id) == {"extend": True, "records": True, "agreement": True}
    with pytest.raises(PermissionDenied), desk.db.read() as session:
        pages.agreement_page(session, newcomer, desk.case_id)


def _mediator_of(db: Database, team_id: int) -> int:
    with db.read() as session:
        team = session.get(Team, team_id)
        assert team is not None and team.lead_mediator_id is not None
        return team.lead_mediator_id


def test_a_lead_from_another_team_writes_the_casework_but_does_not_extend(desk: Desk) -> None:
    """The flags say what the writes allow: records and agreement let the case's lead mediator in
    (``permissions.on_team``), an extension only the case's team (``clocks.extend``)."""
    case_id = _open_case(desk.db, desk.clerk, desk.head, desk.ours, desk.team_id,
                         lead_mediator_id=desk.other.mediator_id)
    assert _rights(desk.db, desk.other, case_id) == {"extend": False, "records": True, "agreement": True}
    with desk.db.write() as session:
        records.add_mediation_record(session, desk.other, case_id, _record())
    with pytest.raises(PermissionDenied, match="延期"), desk.db.write() as session:
        clocks.extend(session, desk.other, case_id, days=5, reason="当事人外出务工")


def test_the_agreement_is_written_only_in_mediation_and_records_only_until_the_case_is_finished(desk: Desk) -> None:
    with desk.db.write() as session:
        accepted = cases.register_case(session, desk.clerk, new_case_input(desk.db))
        workflow.transition(session, desk.clerk, accepted, workflow.Action.ACCEPT)
        rejected = cases.register_case(session, desk.clerk, new_case_input(desk.db))
        workflow.transition(session, desk.clerk, rejected, workflow.Action.REJECT, note="不属于人民调解受理范围")
    assert _rights(desk.db, desk.head, accepted) == {"extend": True, "records": True, "agreement": False}
    with desk.db.read() as session:
        assert cases.case_detail(session, desk.head, rejected).state is CaseState.REJECTED
        assert not pages.records_page(session, desk.head, rejected).may_write


def test_the_transfer_page_says_what_may_be_done_in_each_state(desk: Desk) -> None:
    with desk.db.read() as session:
        page = pages.transfer_page(session, desk.ours, desk.case_id)
    assert (page.state, page.may_end, page.may_write_facts, page.may_export) == (
        CaseState.IN_MEDIATION, True, True, False)
    with desk.db.write() as session:
        termination.terminate(session, desk.ours, desk.case_id, reason="双方分歧过大，调解不成")
        termination.save_undisputed_facts(session, desk.ours, desk.case_id, facts="双方对通道归属无争议")
    with desk.db.read() as session:
        page = pages.transfer_page(session, desk.ours, desk.case_id)
    assert page.termination is not None and page.facts is not None
    assert (page.state, page.may_end, page.may_write_facts, page.may_export) == (CaseState.FAILED, False, True, True)


def test_the_documents_page_says_what_applies_and_why_the_rest_does_not(desk: Desk) -> None:
    with desk.db.read() as session:
        page = pages.documents_page(session, desk.ours, desk.case_id)
        number = cases.case_detail(session, desk.ours, desk.case_id).number
    assert page.case_id == desk.case_id and page.number == number
    kinds = {row.kind: row for row in page.rows}
    assert kinds["registration"].applies and not kinds["registration"].reason
    assert not kinds["agreement"].applies and kinds["agreement"].reason
    assert kinds[pages.DOSSIER].applies


def test_the_documents_page_reads_the_case_once_and_says_what_each_kind_alone_says(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """It read the case again for each of the ten kinds (a third of the tab's time at a million
    cases); what applies, and why not, is what rendering each kind on its own says."""
    from mediation_desk.services import dossier

    read = cases.case_detail
    calls: list[int] = []

    def counted(session: object, actor: Actor, case_id: int) -> object:
        calls.append(case_id)
        return read(session, actor, case_id)  # type: ignore[arg-type]

    monkeypatch.setattr(cases, "case_detail", counted)
    with desk.db.read() as session:
        page = pages.documents_page(session, desk.ours, desk.case_id)
    assert calls == [desk.case_id]
    monkeypatch.setattr(cases, "case_detail", read)
    with desk.db.read() as session:
        for row in page.rows:
            if row.kind == pages.DOSSIER:
                continue
            try:
                alone = dossier.render_document(session, desk.ours, desk.case_id, row.kind)
            except dossier.DocumentNotApplicable as exc:
                assert (row.applies, row.reason) == (False, exc.message), row.kind
            else:
                assert row.applies and alone.startswith(b"%PDF"), row.kind


# ---- the documents page on a case holding every kind, and on a bare one


def _every_kind_case(db: Database) -> tuple[Actor, int]:
    from .settled import settled_case, with_every_document

    s = settled_case(db, signed_days_ago=2)
    with_every_document(s)
    return s.mediator, s.case_id


def _bare_case(db: Database) -> tuple[Actor, int]:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session:
        return clerk, cases.register_case(session, clerk, new_case_input(db))


def _rendered_alone(db: Database, actor: Actor, case_id: int) -> dict[str, str]:
    """What rendering each kind on its own says: "" (it made a PDF), else its refusal."""
    from mediation_desk.services import dossier

    said: dict[str, str] = {}
    with db.read() as session:
        for kind in dossier.DOCUMENT_KINDS:
            try:
                assert dossier.render_document(session, actor, case_id, kind).startswith(b"%PDF"), kind
            except dossier.DocumentNotApplicable as exc:
                said[kind] = exc.message
            else:
                said[kind] = ""
    return said


@pytest.mark.parametrize("make", [_every_kind_case, _bare_case], ids=["every-kind", "bare"])
def test_the_documents_page_lists_from_the_data_what_rendering_each_kind_said(
        db: Database, make: Callable[[Database], tuple[Actor, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The list is decided from the case's data: no PDF is made for it (every kind was rendered to
    find out), and it says exactly what rendering each kind says; each row's title is the Chinese
    title of its paper, never the kind's name."""
    from reportlab.pdfgen.canvas import Canvas

    from mediation_desk.services import dossier

    actor, case_id = make(db)
    said = _rendered_alone(db, actor, case_id)
    if make is _every_kind_case:
        assert all(reason == "" for reason in said.values()), said
    else:
        assert {k for k, reason in said.items() if reason} == {
            "investigation", "mediation-record", "agreement", "oral-agreement", "confirmation-application",
            "return-visit"}

    made: list[object] = []
    saved = Canvas.save

    def counted(canvas: Canvas) -> None:
        made.append(canvas)
        saved(canvas)

    monkeypatch.setattr(Canvas, "save", counted)
    with db.read() as session:
        page = pages.documents_page(session, actor, case_id)
    assert made == [], "listing the documents laid out a PDF"
    assert [row.kind for row in page.rows] == list(dossier.DOCUMENT_KINDS)
    assert {row.kind: row.reason for row in page.rows} == said
    for row in page.rows:
        assert row.title == kinds.TITLES[row.kind]
        assert row.title.isprintable() and not any(c.isascii() for c in row.title), row
    # The check above can fail: a PDF made while listing is counted.
    with db.read() as session:
        dossier.render_document(session, actor, case_id, "registration")
    assert len(made) == 1
