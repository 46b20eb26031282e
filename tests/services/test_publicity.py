"""The monthly publicity list: what is listed, how names are masked, approval snapshots, changes
after approval, and the printed PDF read back."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents.publicity import render_publicity
from mediation_desk.models import (
    AuditEntry,
    CaseEvent,
    CaseState,
    DisputeCase,
    DisputeType,
    EventKind,
    Party,
    PartyKind,
    PartyRole,
    PublicitySnapshot,
    Role,
    now,
)
from mediation_desk.readmodels.publicity import ACCEPTED, CLOSED, Month, PublicityRow
from mediation_desk.services import cases, center, publicity, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .helpers import make_team, make_user

P = cases.PartyInput
A, R = PartyRole.APPLICANT, PartyRole.RESPONDENT

#: Every ID number and phone of the sample (none may be printed, in any part).
IDS = ("110105199003071239", "62070219851204561X", "620702201501015671", "110105197001011110")
PHONES = ("13812345678", "13987654321", "0936-8212345", "15109361234")


@dataclass
class Sample:
    head: Actor
    month: Month
    ids: dict[str, int]


def _case(session: object, actor: Actor, title: str, type_name: str, parties: list[cases.PartyInput]) -> int:
    type_id = session.scalars(select(DisputeType.id).where(DisputeType.name == type_name)).one()  # type: ignore[attr-defined]
    return cases.register_case(session, actor, cases.CaseInput(  # type: ignore[arg-type]
        title=title, dispute_type_id=type_id, parties=parties, address="甘州区梁家墩镇五号村三社 18 号",
        facts="双方因赔偿款 86000 元发生争执。", requests=["赔偿 86000 元"]))


def _close(db: Database, head: Actor, case_id: int, team_id: int, outcome: workflow.Action) -> None:
    with db.write() as session:
        workflow.transition(session, head, case_id, workflow.Action.ACCEPT)
        cases.assign_case(session, head, case_id, team_id=team_id)
        workflow.transition(session, head, case_id, workflow.Action.START_MEDIATION)
        workflow.transition(session, head, case_id, outcome, note="双方自愿")
        workflow.transition(session, head, case_id, workflow.Action.SUBMIT_FOR_REVIEW)
        # Approving the closure needs a complete dossier (scans, records, a signed agreement),
        # which is not what this test is about: the approval is written as the workflow writes it.
        case = session.get(DisputeCase, case_id)
        assert case is not None
        moment = now()
        session.add(CaseEvent(case_id=case_id, at=moment, user_id=head.user_id, kind=EventKind.TRANSITION,
                              action=str(workflow.Action.APPROVE_CLOSURE), from_state=case.state,
                              to_state=CaseState.CLOSED))
        case.state, case.closed_at = CaseState.CLOSED, moment


def build_sample(db: Database) -> Sample:
    head = make_user(db, "head", Role.HEAD)
    team_id, _mediator = make_team(db)
    specs = {
        # compound surnames, a dotted name, an organisation, a rare character in a surname
        "compound": ("邻里", [P(A, "欧阳娜娜", id_number=IDS[0], phone=PHONES[0]),
                              P(R, "司马光明", phone=PHONES[1], address="县府街 1 号")]),
        "dotted": ("合同", [P(A, "阿卜杜·热合曼", id_type=None),
                            P(R, "张掖市宏达建筑工程有限公司", kind=PartyKind.LEGAL_PERSON,
                              phone=PHONES[2])]),
        "same_surname": ("损害赔偿", [P(A, "刘德华"), P(R, "刘晓庆"), P(PartyRole.THIRD_PARTY, "𠮷星辰")]),
        "rare": ("邻里", [P(A, "䶮飞龙", phone=PHONES[3]), P(R, "王诗雨")]),
        "family": ("婚姻家庭", [P(A, "赵丽颖", id_number=IDS[3]), P(R, "冯绍峰")]),
        "minor": ("损害赔偿", [P(A, "孙小明", is_minor=True, id_number=IDS[2], agent_name="孙大伟"),
                              P(R, "钱多多", id_number=IDS[1])]),
    }
    ids: dict[str, int] = {}
    with db.write() as session:
        for key, (type_name, parties) in specs.items():
            ids[key] = _case(session, head, f"{parties[0].name}与{parties[1].name}纠纷", type_name, parties)
    for key in ("compound", "dotted", "rare", "family", "minor"):
        with db.write() as session:
            workflow.transition(session, head, ids[key], workflow.Action.ACCEPT)
    _close(db, head, ids["same_surname"], team_id, workflow.Action.SUCCEED)
    with db.write() as session:
        # Registered only: not accepted, so not on the list.
        ids["registered"] = _case(session, head, "未受理", "邻里", [P(A, "周杰伦"), P(R, "林俊杰")])
    today = now()
    return Sample(head, Month(today.year, today.month), ids)


def _by_case(rows: list[PublicityRow]) -> dict[int, list[PublicityRow]]:
    found: dict[int, list[PublicityRow]] = {}
    for row in rows:
        found.setdefault(row.case_id, []).append(row)
    return found


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_rows_list_accepted_and_closed_cases_with_names_masked(db: Database) -> None:
    sample = build_sample(db)
    with db.read() as session:
        rows = publicity.publicity_rows(session, sample.month)
    by_case = _by_case(rows)
    ids = sample.ids
    assert ids["registered"] not in by_case
    # The case accepted and closed this month is in both parts; the others only among the accepted.
    assert [r.section for r in by_case[ids["same_surname"]]] == [ACCEPTED, CLOSED]
    assert all(len(by_case[ids[k]]) == 1 for k in ("compound", "dotted", "rare", "family", "minor"))
    order = [ACCEPTED, CLOSED]
    assert [r.section for r in rows] == sorted((r.section for r in rows), key=order.index)

    compound = by_case[ids["compound"]][0]
    assert (compound.applicants, compound.respondents) == ("欧阳某", "司马某")
    assert compound.status == "已受理" and compound.closed_on == "" and compound.team == "—"
    assert compound.dispute_type == "邻里" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", compound.accepted_on)
    dotted = by_case[ids["dotted"]][0]
    assert (dotted.applicants, dotted.respondents) == ("阿某", "张掖市宏达建筑工程有限公司")
    closed = by_case[ids["same_surname"]][1]
    assert (closed.applicants, closed.respondents) == ("刘某甲", "刘某乙；第三人：𠮷某")
    assert closed.status == "调解成功" and closed.team == "城建物业调解团队" and closed.closed_on
    assert by_case[ids["rare"]][0].applicants == "䶮某"
    for key in ("family", "minor"):
        row = by_case[ids[key]][0]
        assert (row.applicants, row.respondents) == (publicity.WITHHELD, publicity.WITHHELD)


def test_name_style_comes_from_the_center_setting(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        center.put(session, settings.PUBLICITY_NAME_STYLE, "某某")
    with db.read() as session:
        rows = _by_case(publicity.publicity_rows(session, sample.month))
    assert rows[sample.ids["compound"]][0].applicants == "欧阳某某"
    assert rows[sample.ids["same_surname"]][0].applicants == "刘某某甲"


def test_month_is_validated_with_a_chinese_message(db: Database) -> None:
    assert publicity.parse_month("2026年9月") == Month(2026, 9)
    assert publicity.parse_month(" 2026/10 ").key == "2026-10"
    for bad in ("2026-13", "十月", "2026-1-1", "", "1999-05"):
        with pytest.raises(InvalidInput) as caught:
            publicity.parse_month(bad)
        assert caught.value.field == "month" and "月" in caught.value.message


def test_only_the_head_approves(db: Database) -> None:
    sample = build_sample(db)
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session, pytest.raises(PermissionDenied):
        publicity.approve(session, clerk, sample.month)
    with db.write() as session, pytest.raises(PermissionDenied):
        publicity.printable(session, clerk, sample.month)


def test_the_administrator_prints_only_the_approved_list(db: Database) -> None:
    """The same on SQLite and on a server: the preview is built from the parties' names (refused to
    the administrator, who reads no case content); the approved, masked snapshot prints, without the
    head's "changed since approval" check, which reads the cases."""
    sample = build_sample(db)
    admin = make_user(db, "admin", Role.ADMIN)
    with db.write() as session, pytest.raises(PermissionDenied) as refused:
        publicity.printable(session, admin, sample.month)
    assert "尚未审核" in str(refused.value) and "系统管理员只能打印中心主任审核过的名单" in str(refused.value)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.write() as session:
        printed = publicity.printable(session, admin, sample.month)
        heads = publicity.printable(session, sample.head, sample.month)
    assert printed.approval is not None and printed.rows == heads.rows and printed.changes == ()


def test_approval_keeps_a_snapshot_whose_hash_is_stable(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        approval = publicity.approve(session, sample.head, sample.month)
    with db.read() as session:
        kept = publicity.snapshot(session, sample.month)
        rows = publicity.publicity_rows(session, sample.month)
        assert publicity.changed_since_approval(session, sample.month) == []
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "publicity.approve")).one()
    assert kept is not None and kept.intact
    assert kept.approval.approved_by == "head" and kept.approval.sha256 == approval.sha256
    assert list(kept.rows) == rows
    assert approval.sha256 == publicity.rows_digest(rows) == publicity.rows_digest(list(kept.rows))
    assert entry.detail["sha256"] == approval.sha256 and entry.detail["month"] == sample.month.key
    assert approval.case_count == 6


def test_a_case_edited_after_approval_is_flagged_and_the_snapshot_still_prints(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.write() as session:
        first = publicity.printable(session, sample.head, sample.month)
    before = render_publicity(first)
    with db.write() as session:
        # A name corrected (the masked form stays 欧阳某: the head still re-approves), and a new case accepted.
        party = session.scalars(select(Party).where(Party.case_id == sample.ids["compound"], Party.role == A)).one()
        party.name = "欧阳娜"
        workflow.transition(session, sample.head, sample.ids["registered"], workflow.Action.ACCEPT)
    with db.read() as session:
        changes = publicity.changed_since_approval(session, sample.month)
        view = publicity.overview(session, sample.month)
    assert {(c.case_id, c.change) for c in changes} == {(sample.ids["compound"], "changed"),
                                                        (sample.ids["registered"], "added")}
    assert view.changed_case_ids == {sample.ids["compound"], sample.ids["registered"]}
    with db.write() as session:
        again = publicity.printable(session, sample.head, sample.month)
    assert again.rows == first.rows and {c.case_id for c in again.changes} == view.changed_case_ids
    assert render_publicity(again) == before  # reprint: the same bytes
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.read() as session:
        assert publicity.changed_since_approval(session, sample.month) == []
        prints = session.scalars(select(AuditEntry).where(AuditEntry.action == "publicity.print")).all()
    assert len(prints) == 2


def test_the_list_read_page_by_page_is_the_whole_list(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The section paints the first rows and reads the rest page by page (a county's month lists
    tens of thousands of cases): the pages make exactly the whole overview, changes included."""
    sample = build_sample(db)
    monkeypatch.setattr(publicity, "FIRST_ROWS", 2)
    monkeypatch.setattr(publicity, "PAGE_ROWS", 2)

    def paged() -> tuple[list[PublicityRow], set[tuple[int, str]]]:
        with db.read() as session:
            first = publicity.first_page(session, sample.month)
            rows, changes = list(first.first.rows), {(c.case_id, c.change) for c in first.first.changes}
            while len(rows) < first.listed.total:
                page = publicity.rows_page(session, first.listed, len(rows), approved=first.approved)
                assert page.offset == len(rows) and 0 < len(page.rows) <= 2
                rows += page.rows
                changes |= {(c.case_id, c.change) for c in page.changes}
        return rows, changes

    with db.read() as session:
        whole = publicity.overview(session, sample.month)
    rows, changes = paged()
    assert len(whole.rows) > 4 and rows == list(whole.rows) and changes == set()
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
        party = session.scalars(select(Party).where(Party.case_id == sample.ids["compound"], Party.role == A)).one()
        party.name = "欧阳娜"
        workflow.transition(session, sample.head, sample.ids["registered"], workflow.Action.ACCEPT)
    with db.read() as session:
        whole = publicity.overview(session, sample.month)
    rows, changes = paged()
    assert rows == list(whole.rows) and changes == {(c.case_id, c.change) for c in whole.changes} != set()



def test_a_listing_tells_the_parts_of_each_case_it_lists() -> None:
    """Asked case by case (the listing keeps no list per case): both parts for a case accepted and
    closed in the month, in the list's order; none for a case it does not list."""
    listed = publicity.Listing(Month(2026, 10), accepted=(5, 7, 9), closed=(7, 3))
    assert listed.sections_of(7) == [ACCEPTED, CLOSED]
    assert listed.sections_of(5) == [ACCEPTED] and listed.sections_of(3) == [CLOSED]
    assert listed.sections_of(4) == [] and listed.total == 5
    assert listed.entries(2, 2) == [(9, ACCEPTED), (7, CLOSED)]

def test_a_reopened_case_leaves_the_closed_part(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.write() as session:
        workflow.transition(session, sample.head, sample.ids["same_surname"], workflow.Action.REOPEN, note="当事人反悔")
    with db.read() as session:
        changes = publicity.changed_since_approval(session, sample.month)
        rows = _by_case(publicity.publicity_rows(session, sample.month))
    assert [c.change for c in changes] == ["changed"]
    assert [r.section for r in rows[sample.ids["same_surname"]]] == [ACCEPTED]


def test_a_tampered_snapshot_is_refused(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.write() as session:
        snap = session.scalars(select(PublicitySnapshot)).one()
        rows = [dict(r) for r in snap.rows]
        rows[0]["applicants"] = "欧阳娜娜"
        snap.rows = rows
    with db.write() as session, pytest.raises(Conflict, match="校验值不符"):
        publicity.printable(session, sample.head, sample.month)
    with db.read() as session:
        kept = publicity.snapshot(session, sample.month)
    assert kept is not None and not kept.intact


def test_unapproved_month_prints_a_preview_unless_approved_only(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session, pytest.raises(NotFound, match="尚未审核"):
        publicity.printable(session, sample.head, sample.month, approved_only=True)
    with db.write() as session:
        preview = publicity.printable(session, sample.head, sample.month)
    assert preview.approval is None
    text = pdf_text(render_publicity(preview))
    assert "未审核" in text


def test_the_printed_list_reveals_no_numbers_and_no_given_names(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
        data = publicity.printable(session, sample.head, sample.month)
        parties = session.execute(select(Party.name, Party.kind)).all()
        titles = session.scalars(select(DisputeCase.title)).all()
    pdf = render_publicity(data)
    text = pdf_text(pdf)
    flat = "".join(text.split())
    digits = re.sub(r"\D", "", text)
    for secret in (*IDS, *PHONES):
        core = re.sub(r"\D", "", secret)
        assert core not in digits, secret
        assert core[-8:] not in digits, secret
    assert "86000" not in digits and "86,000" not in text
    assert "梁家墩" not in flat and "县府街1号" not in flat
    for name, kind in parties:
        if kind is not PartyKind.PERSON:
            continue
        given = name[2:] if name[:2] in ("欧阳", "司马") else name.split("·")[0][1:] if "·" in name else name[1:]
        assert given not in flat, name
        assert name not in flat, name
    for title in titles:
        assert title not in flat
    for shown in ("欧阳某", "司马某", "阿某", "刘某甲", "刘某乙", "𠮷某", "䶮某", "张掖市宏达建筑工程有限公司",
                  publicity.WITHHELD):
        assert shown in flat, shown
    assert "案件受理及办结情况公示" in flat and "第1页共1页" in flat
    assert "负责人（签字）" in flat and "（公章）" in flat


def test_on_sqlite_a_month_is_listed_from_its_two_indexes_alone(sqlite_db: Database) -> None:
    """The month's cases accepted in it and closed in it, each center its own: read from the two
    days' indexes, which hold the center and the state, never a case row (with the 1M demo's
    statistics too). At a million cases the rows looked up for the center were 0.9-2.4 s of the
    list's first rows. The listing is the month's cases, in order."""
    from sqlalchemy import text

    from mediation_desk import demo

    from .helpers import million_statistics, query_plan, statements_run

    with sqlite_db.write() as session:
        demo.seed(session, 150, seed_value=7, township_cases=8, today=datetime(2026, 11, 20, 10, 0))
    with sqlite_db.read() as session:
        centers = [int(i) for i in session.scalars(select(DisputeCase.center_id).distinct())]
        months = sorted({(d.year, d.month) for d in session.scalars(
            select(DisputeCase.accepted_at).where(DisputeCase.accepted_at.is_not(None))) if d is not None})
    assert len(centers) > 1 and months
    for statistics in ("analysed", "million"):
        with sqlite_db.write() as session:
            session.execute(text("ANALYZE"))
            if statistics == "million":
                million_statistics(session)
        sqlite_db.dispose()  # the planner reads the statistics when a connection loads the schema
        listed_any = 0
        for center_id in centers:
            for year, number in months[-3:]:
                month = Month(year, number, center_id=center_id)
                with sqlite_db.read() as session:
                    with statements_run(sqlite_db) as statements:
                        listed = publicity.listing(session, month)
                    cases_read = session.execute(
                        select(DisputeCase.id, DisputeCase.accepted_at, DisputeCase.closed_at, DisputeCase.state)
                        .where(DisputeCase.center_id == center_id)).all()
                    accepted = sorted((a, i) for i, a, _c, _s in cases_read
                                      if a is not None and month.start <= a < month.end)
                    closed = sorted((c, i) for i, _a, c, s in cases_read
                                    if c is not None and s == CaseState.CLOSED and month.start <= c < month.end)
                    assert list(listed.accepted) == [i for _a, i in accepted], (statistics, month)
                    assert list(listed.closed) == [i for _c, i in closed], (statistics, month)
                    listed_any += len(accepted) + len(closed)
                    read = [(s, p) for s, p in statements if s.lstrip().startswith("SELECT")]
                    assert len(read) == 2, statements
                    for statement, parameters in read:
                        plan = [step for step in query_plan(session, statement, parameters) if "dispute_case" in step]
                        assert len(plan) == 1 and "USING COVERING INDEX ix_dispute_case_" in plan[0], (statistics, plan)
        assert listed_any
