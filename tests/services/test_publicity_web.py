"""The monthly public web page from the services: only an approved month, its snapshot exactly as
approved (not recomputed), the center's feedback contacts, audited; and the leak checks of the
PDF (no ID number, phone, address or full name of a party) over hypothesis-made parties whose
names and addresses hold HTML's special characters and look-alike digits."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mediation_desk import settings as center_settings
from mediation_desk.db import Database
from mediation_desk.documents import publicpage
from mediation_desk.models import (
    AuditEntry,
    DisputeCase,
    DisputeType,
    Party,
    PartyKind,
    PartyRole,
    PublicitySnapshot,
    Role,
    User,
)
from mediation_desk.readmodels.publicity import Feedback
from mediation_desk.services import auth, cases, center, publicity, validation, workflow
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from ..webcheck import page_text
from .helpers import PASSWORD, make_user
from .test_publicity import IDS, PHONES, build_sample


def test_only_an_approved_month_makes_a_page_and_it_is_the_snapshot(db: Database) -> None:
    sample = build_sample(db)
    with db.write() as session, pytest.raises(NotFound) as refused:
        publicity.public_page(session, sample.head, sample.month)
    assert "尚未审核，不能生成公示网页" in refused.value.message
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session, pytest.raises(PermissionDenied, match="公示网页"):
        publicity.public_page(session, clerk, sample.month)
    with db.write() as session:
        approval = publicity.approve(session, sample.head, sample.month)
        center.put(session, center_settings.CENTER_ADDRESS, "县府街 88 号")
        center.put(session, center_settings.CENTER_PHONE, "0936-8212345")
        center.put(session, center_settings.PUBLICITY_FEEDBACK_EMAIL, "gzmtzx@example.cn")
    with db.write() as session:
        first = publicity.public_page(session, sample.head, sample.month)
        approved = publicity.snapshot(session, sample.month)
    assert approved is not None and first.listing.rows == approved.rows and first.listing.approval == approval
    assert first.feedback == Feedback("县府街 88 号", "0936-8212345", "gzmtzx@example.cn")
    before = publicpage.render_files(first)

    # A party renamed after the approval: the page keeps what was approved (and says it changed).
    with db.write() as session:
        party = session.scalars(select(Party).where(Party.case_id == sample.ids["compound"],
                                                    Party.role == PartyRole.APPLICANT)).one()
        party.name = "上官娜娜"
    with db.write() as session:
        again = publicity.public_page(session, sample.head, sample.month)
    assert publicpage.render_files(again) == before and "上官某" not in before[publicpage.INDEX].decode()
    assert [c.case_id for c in again.listing.changes] == [sample.ids["compound"]]

    # The administrator reads no case: the snapshot alone.
    admin = make_user(db, "admin", Role.ADMIN)
    with db.write() as session:
        by_admin = publicity.public_page(session, admin, sample.month)
    assert by_admin.listing.rows == first.listing.rows and by_admin.listing.changes == ()

    with db.write() as session:
        snap = session.scalars(select(PublicitySnapshot)).one()
        rows = [dict(r) for r in snap.rows]
        rows[0]["applicants"] = "欧阳娜娜"
        snap.rows = rows
    with db.write() as session, pytest.raises(Conflict, match="不予生成网页"):
        publicity.public_page(session, sample.head, sample.month)
    with db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("publicity.web%"))).all()
    assert actions.count("publicity.web") == 3 and actions.count("publicity.web_refused") == 1


def test_the_page_reveals_no_numbers_addresses_or_given_names(db: Database) -> None:
    """The sample of the PDF's leak test, through the web page."""
    sample = build_sample(db)
    with db.write() as session:
        publicity.approve(session, sample.head, sample.month)
    with db.write() as session:
        page = publicity.public_page(session, sample.head, sample.month)
        parties = session.execute(select(Party.name, Party.kind)).all()
    html = publicpage.render_html(page)
    text = unicodedata.normalize("NFKC", page_text(html).everything)
    flat = "".join(text.split())
    digits = re.sub(r"\D", "", text)
    for secret in (*IDS, *PHONES):
        core = re.sub(r"\D", "", secret)
        assert core not in digits and core[-8:] not in digits, secret
    assert "86000" not in digits and "梁家墩" not in flat and "县府街1号" not in flat
    for name, kind in parties:
        if kind is PartyKind.PERSON:
            assert name not in flat, name
    for shown in ("欧阳某", "司马某", "阿某", "刘某甲", "刘某乙", "𠮷某", "䶮某", publicity.WITHHELD):
        assert unicodedata.normalize("NFKC", shown) in flat, shown


# --------------------------------------------------------------------------- hypothesis parties

#: Characters only a person's given name holds: none of them may ever reach the page.
GIVEN_ONLY = "龘靐齉爨韛饕"
#: Characters only an address holds.
ADDRESS_ONLY = "衢巷弄堡隩"
SPECIAL = ["<", ">", "&", '"', "'", "&amp;", "&#x3C;", "<script>", "</td>", "０", "１", "８", "〇", "O", "l", "٣", "²"]
SURNAMES = ["王", "李", "张", "欧阳", "司马", "<", "&", '"', "'"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _given() -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(GIVEN_ONLY), st.lists(st.sampled_from([*SPECIAL, *GIVEN_ONLY]), max_size=4)) \
        .map(lambda t: t[0] + "".join(t[1]))


def _address() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from([*SPECIAL, *ADDRESS_ONLY, "1号", "１８号"]), min_size=1, max_size=6) \
        .map(lambda parts: "甘州区" + "".join(parts) + ADDRESS_ONLY[0])


@st.composite
def _id_number(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)))
    body = f"620702{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    number = body + validation.resident_id_check_char(body)
    return number.translate(FULL_WIDTH) if draw(st.booleans()) else number  # typed in full-width digits


@st.composite
def _phone(draw: st.DrawFn) -> str:
    number = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
    return number.translate(FULL_WIDTH) if draw(st.booleans()) else number


@st.composite
def _party(draw: st.DrawFn, role: PartyRole) -> cases.PartyInput:
    if draw(st.integers(0, 4)) == 0:
        name = draw(st.lists(st.sampled_from([*SPECIAL, "公司", "合作社", "厂"]), min_size=1, max_size=5)
                    .map(lambda parts: "甘州" + "".join(parts) + "有限公司"))
        return cases.PartyInput(role=role, name=name, kind=PartyKind.LEGAL_PERSON, phone=draw(_phone()),
                                address=draw(_address()))
    return cases.PartyInput(role=role, name=draw(st.sampled_from(SURNAMES)) + draw(_given()),
                            id_number=draw(_id_number()), phone=draw(_phone()), address=draw(_address()))


PARTIES = st.tuples(_party(PartyRole.APPLICANT), st.lists(_party(PartyRole.RESPONDENT), min_size=1, max_size=2))
LEAKS = settings(max_examples=15, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@LEAKS
@given(parties=PARTIES, case_address=_address())
def test_no_party_detail_reaches_the_page_whatever_the_names(db: Database,
                                                             parties: tuple[cases.PartyInput, list[cases.PartyInput]],
                                                             case_address: str) -> None:
    head = _head(db)  # the database lives on from one example to the next
    applicant, respondents = parties
    with db.write() as session:
        type_id = session.scalars(select(DisputeType.id).where(DisputeType.name == "邻里")).one()
        case_id = cases.register_case(session, head, cases.CaseInput(
            title=f"{applicant.name}与{respondents[0].name}纠纷", dispute_type_id=type_id,
            parties=[applicant, *respondents], address=case_address))
        workflow.transition(session, head, case_id, workflow.Action.ACCEPT)
    listed = publicity.for_actor(publicity.parse_month(_month_of(db, case_id)), head)
    with db.write() as session:
        publicity.approve(session, head, listed)
    with db.write() as session:
        page = publicity.public_page(session, head, listed)
        stored = session.execute(select(Party.name, Party.kind, Party.id_number, Party.phone, Party.address)).all()
    html = publicpage.render_html(page)
    read = page_text(html)
    # No party's text ever becomes markup.
    assert set(read.tags) <= {"html", "head", "meta", "title", "style", "body", "div", "header", "h1", "p", "main",
                              "section", "h2", "dl", "dt", "dd", "table", "thead", "tr", "th", "tbody", "td", "ol",
                              "li", "address", "footer", "a"}
    text = unicodedata.normalize("NFKC", read.everything)
    flat = "".join(text.split())
    digits = re.sub(r"\D", "", text)
    assert not set(GIVEN_ONLY) & set(text) and not set(ADDRESS_ONLY) & set(text)
    for name, kind, id_number, phone, address in stored:
        for secret in (id_number, phone):
            core = re.sub(r"\D", "", unicodedata.normalize("NFKC", secret or ""))
            if core:
                assert core not in digits and core[-8:] not in digits, secret
        if address:
            assert unicodedata.normalize("NFKC", address) not in text
        if kind is PartyKind.PERSON:
            assert "".join(unicodedata.normalize("NFKC", name).split()) not in flat, name
        else:  # an organisation keeps its name: shown exactly, as text
            assert name in read.texts or any(name in cell for cell in read.texts), name


def _head(db: Database) -> Actor:
    with db.read() as session:
        known = session.scalar(select(User.id).where(User.username == "head"))
    return make_user(db, "head", Role.HEAD) if known is None else auth.login(db, "head", PASSWORD)


def _month_of(db: Database, case_id: int) -> str:
    with db.read() as session:
        accepted = session.scalar(select(DisputeCase.accepted_at).where(DisputeCase.id == case_id))
    assert accepted is not None
    return f"{accepted:%Y-%m}"


def test_feedback_contacts_are_checked_kept_and_audited(db: Database) -> None:
    head = make_user(db, "head", Role.HEAD)
    clerk = make_user(db, "clerk", Role.INTAKE)
    with db.write() as session, pytest.raises(PermissionDenied, match="反馈方式"):
        publicity.set_feedback(session, clerk, Feedback("县府街 88 号", "", ""))
    for bad, field in ((Feedback("", "", "gzmtzx@例子.cn"), "email"), (Feedback("", "电话<12345>", ""), "phone"),
                       (Feedback("街" * 201, "", ""), "address")):
        with db.write() as session, pytest.raises(InvalidInput) as refused:
            publicity.set_feedback(session, head, bad)
        assert refused.value.field == field and re.search(r"[\u4e00-\u9fff]", refused.value.message)
    with db.write() as session:
        kept = publicity.set_feedback(session, head, Feedback(" 县府街 88 号 ", "0936-8212345 转 8", "a.b@example.cn"))
    with db.read() as session:
        assert publicity.feedback(session) == kept == Feedback("县府街 88 号", "0936-8212345 转 8", "a.b@example.cn")
        assert center.get(session, center_settings.CENTER_PHONE) == "0936-8212345 转 8"  # the receipt's too
        details = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "set_setting")).all()
    assert sorted(d["key"] for d in details) == ["center_address", "center_phone", "publicity_feedback_email"]


def test_each_center_gives_its_own_feedback_contacts_on_its_page(db: Database) -> None:
    """A township's public page gave the county center's address and phone (database-wide
    settings): each center now gives its own, blank (the page says to come in person) until set."""
    from mediation_desk import demo
    from mediation_desk.models import CenterFeedback

    from ..conftest import login_as

    with db.write() as session:
        demo.seed(session, 30, township_cases=5)
    county, township, other = (login_as(db, name) for name in ("head", "ljd_head", "dz_head"))
    month = publicity.last_month()
    with db.write() as session:
        for head in (county, township, other):
            publicity.approve(session, head, month)
    with db.write() as session:
        county_page = publicity.public_page(session, county, month)
        assert county_page.feedback.phone == "0936-8212345"
        assert publicity.public_page(session, township, month).feedback.empty, "never the county's"
    ours = Feedback("甘州区梁家墩镇人民政府院内", "0936-8561234", "ljdzz@example.cn")
    with db.write() as session:
        assert publicity.set_feedback(session, township, Feedback(f" {ours.address} ", ours.phone, ours.email)) == ours
    with db.write() as session:
        assert publicity.public_page(session, township, month).feedback == ours
        assert publicity.feedback(session, township.center_id) == ours
        assert publicity.public_page(session, county, month).feedback == county_page.feedback
        assert publicity.public_page(session, other, month).feedback.empty
        # The county's settings (its intake receipt prints them) are untouched.
        assert center.get(session, center_settings.CENTER_PHONE) == "0936-8212345"
        assert session.scalars(select(CenterFeedback.center_id)).all() == [township.center_id]
        entries = session.execute(select(AuditEntry.entity_id, AuditEntry.detail)
                                  .where(AuditEntry.action == "publicity.feedback")).all()
    assert entries == [(township.center_id, {"address": ours.address, "phone": ours.phone, "email": ours.email})]
    # Saving the same contacts again writes nothing; a bad one is refused for the township too.
    with db.write() as session:
        publicity.set_feedback(session, township, ours)
    with db.write() as session, pytest.raises(InvalidInput) as refused:
        publicity.set_feedback(session, township, Feedback("", "电话<1>", ""))
    assert refused.value.field == "phone"
    with db.read() as session:
        assert len(session.scalars(select(AuditEntry.id).where(AuditEntry.action == "publicity.feedback")).all()) == 1
