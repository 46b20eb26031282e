"""Each center's own address, phone and committee on its papers (docs/centers.md, "The papers a
center issues"; migration 0042): a 梁家墩 case's 调解通知书, 受理回执 and 协议书, read back from the
PDF with positions, print 梁家墩's address, phone and committee as its head kept them, never the
county's; the county's papers are unchanged; a township that kept nothing prints a line to fill in
by hand, not the county's address. Refusals name the field and change nothing. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation_desk import demo, settings
from mediation_desk.db import Database
from mediation_desk.documents.base import WRITE_IN
from mediation_desk.models import (
    AuditEntry,
    Center,
    CenterFeedback,
    MediationRoom,
)
from mediation_desk.readmodels.center import CenterProfile
from mediation_desk.services import cases, center, dossier, printing, sessions
from mediation_desk.services.errors import InvalidInput, PermissionDenied

from ..composition import Line, page_lines
from ..services.helpers import BACKENDS, new_case_input, seeded_demo
from ..services.helpers import actor_named as _actor
from .conftest import compact, pdf_text
from .helpers import sign_agreement, start_mediation
from .pdfcheck import assert_fonts_embedded, dark_pixels, render, uncovered

pytestmark = pytest.mark.story_day("2026-10-09T10:00")

TODAY = datetime(2026, 9, 25, 10, 0)
LJD_ADDRESS = "甘州区梁家墩镇政府院内一楼"
LJD_PHONE = "0936-8561234"
LJD_COMMITTEE = "梁家墩镇人民调解委员会"
COUNTY_ADDRESS = "张掖市甘州区县府街 88 号便民服务大厅一楼"  # the demo's settings
COUNTY_PHONE = "0936-8212345"


@pytest.fixture(params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The demo county (its center and two townships, a few cases each), on each backend: the
    test's own copy of the one seeded once a worker (helpers.seeded_demo)."""
    with seeded_demo(request, tmp_path, 4, today=TODAY, township_cases=2) as db:
        yield db


def _keep_ljd_profile(db: Database) -> None:
    with db.write() as session:
        kept = center.set_profile(session, _actor(db, "ljd_head"),
                                  CenterProfile(f" {LJD_ADDRESS} ", LJD_PHONE, LJD_COMMITTEE))
    assert kept == CenterProfile(LJD_ADDRESS, LJD_PHONE, LJD_COMMITTEE)


def _papers(db: Database, prefix: str) -> tuple[bytes, bytes, bytes]:
    """A case of the center of the accounts ``<prefix>clerk`` / ``mediator`` / ``head``: registered,
    a session scheduled, mediated to a signed agreement. Its notice, slip and agreement."""
    clerk, mediator, head = (_actor(db, f"{prefix}{role}") for role in ("clerk", "mediator", "head"))
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db, received_at=TODAY))
        start_mediation(session, clerk, mediator, case_id)
        # The center's own room (migration 0047: a case's sessions are held in its handler's rooms).
        room = session.scalars(select(MediationRoom.id).where(MediationRoom.center_id == clerk.center_id)
                               .order_by(MediationRoom.id)).first()
        detail = cases.case_detail(session, mediator, case_id)
        info = sessions.schedule(session, head, case_id, sessions.SessionInput(
            room_id=room, starts_at=datetime(2026, 10, 12, 9), ends_at=datetime(2026, 10, 12, 11),
            mediator_ids=[mediator.mediator_id or 0], party_ids=[p.id for p in detail.parties]), confirmed=True)
    with db.read() as session:
        notice = printing.session_notices(session, head, info.id, issued_on=date(2026, 10, 9))
        receipt = dossier.render_document(session, clerk, case_id, "receipt")
    with db.write() as session:
        sign_agreement(session, mediator, case_id)
    with db.read() as session:
        agreement = dossier.render_document(session, mediator, case_id, "agreement")
    return notice, receipt, agreement


def _line(pdf: bytes, starts: str) -> tuple[Line, list[Line]]:
    """The one line starting with ``starts`` on the first page, and that page's lines."""
    page = page_lines(pdf)[0]
    found = [line for line in page if compact(line.text).startswith(starts)]
    assert len(found) == 1, [line.text for line in page]
    return found[0], page


def _seal(pdf: bytes) -> str:
    found = [compact(line.text) for page in page_lines(pdf) for line in page
             if line.text.endswith("（盖章）") and "委员会" in line.text]
    assert found
    return found[0]


def test_a_township_case_prints_the_township_address_phone_and_committee(county: Database) -> None:
    _keep_ljd_profile(county)
    notice, receipt, agreement = _papers(county, "ljd_")

    # The notice: the place is 梁家墩's address then the room, the phone 梁家墩's, both below the
    # time and above the seal, which is 梁家墩's own committee's.
    place, _page = _line(notice, "调解地点：")
    assert compact(place.text) == f"调解地点：{compact(LJD_ADDRESS)}综治中心一楼调解室"  # 梁家墩's own room
    phone, _page = _line(notice, "联系电话：")
    assert compact(phone.text) == f"联系电话：{LJD_PHONE}"
    when, _page = _line(notice, "调解时间：")
    assert when.y > place.y > phone.y and place.x0 == pytest.approx(phone.x0, abs=1)
    assert _seal(notice) == f"{LJD_COMMITTEE}（盖章）"
    # The slip: 梁家墩's name, address and phone on its contact line.
    text = compact(pdf_text(receipt))
    assert compact(f"地址：{LJD_ADDRESS}；电话：{LJD_PHONE}") in text
    assert "甘州区梁家墩镇综治中心" in text
    # The agreement: the committee kept by the head, in the body and on the seal line.
    assert _seal(agreement) == f"{LJD_COMMITTEE}（盖章）"
    body = compact(pdf_text(agreement))
    assert f"{LJD_COMMITTEE}留存一份" in body and f"加盖{LJD_COMMITTEE}印章后生效" in body
    # Nowhere the county's address, phone or committee.
    for pdf in (notice, receipt, agreement):
        whole = compact(pdf_text(pdf))
        assert compact(COUNTY_ADDRESS) not in whole and COUNTY_PHONE not in whole
        assert compact(demo.COMMITTEE) not in whole and "甘州区梁家墩镇人民调解委员会" not in whole
        assert_fonts_embedded(pdf)
        assert uncovered(pdf) == []
    assert dark_pixels(render(notice, dpi=60, first=1, last=1)[0]) > 2000


def test_the_county_papers_are_unchanged_by_a_township_profile(county: Database) -> None:
    _keep_ljd_profile(county)
    notice, receipt, agreement = _papers(county, "")
    place, _page = _line(notice, "调解地点：")
    assert compact(place.text).startswith(f"调解地点：{compact(COUNTY_ADDRESS)}")
    assert compact(_line(notice, "联系电话：")[0].text) == f"联系电话：{COUNTY_PHONE}"
    assert compact(f"地址：{COUNTY_ADDRESS}；电话：{COUNTY_PHONE}") in compact(pdf_text(receipt))
    assert _seal(agreement) == f"{compact(demo.COMMITTEE)}（盖章）"
    for pdf in (notice, receipt, agreement):
        whole = compact(pdf_text(pdf))
        assert compact(LJD_ADDRESS) not in whole and LJD_PHONE not in whole and LJD_COMMITTEE not in whole


def test_a_township_that_kept_nothing_prints_a_line_to_fill_not_the_county_s(county: Database) -> None:
    notice, receipt, agreement = _papers(county, "dz_")
    place, _page = _line(notice, "调解地点：")
    assert compact(place.text).startswith(f"调解地点：{WRITE_IN}")
    assert compact(_line(notice, "联系电话：")[0].text) == f"联系电话：{WRITE_IN}"
    assert f"地址：{WRITE_IN}；电话：{WRITE_IN}" in compact(pdf_text(receipt))
    # The committee as before: named by the center's place.
    assert _seal(agreement) == "甘州区党寨镇人民调解委员会（盖章）"
    for pdf in (notice, receipt):
        whole = compact(pdf_text(pdf))
        assert compact(COUNTY_ADDRESS) not in whole and COUNTY_PHONE not in whole
    # The line to write on is drawn (fullwidth low lines are in the embedded font).
    assert uncovered(notice) == [] and uncovered(receipt) == []


def test_the_profile_is_kept_by_its_own_head_and_bad_input_changes_nothing(county: Database) -> None:
    head, clerk = _actor(county, "ljd_head"), _actor(county, "ljd_clerk")
    _keep_ljd_profile(county)
    refusals = [
        (CenterProfile(LJD_ADDRESS, "梁家墩镇政府", ""), "phone", "联系电话“梁家墩镇政府”不是电话号码"),
        (CenterProfile(LJD_ADDRESS, "--", ""), "phone", "不是电话号码"),
        (CenterProfile(LJD_ADDRESS, LJD_PHONE, "梁家墩镇"), "committee", "应以“委员会”结尾"),
        (CenterProfile("址" * 201, LJD_PHONE, ""), "address", "地址最长 200 个字符（现有 201 个）"),
        (CenterProfile("院内\x07", LJD_PHONE, ""), "address", "不可打印的字符"),
    ]
    for data, field, said in refusals:
        with pytest.raises(InvalidInput) as refused, county.write() as session:
            center.set_profile(session, head, data)
        assert refused.value.field == field and said in str(refused.value)
    with pytest.raises(PermissionDenied, match="只有中心主任或系统管理员"), county.write() as session:
        center.set_profile(session, clerk, CenterProfile("别处", "110", ""))
    with county.read() as session:
        ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
        assert center.profile(session, ljd) == CenterProfile(LJD_ADDRESS, LJD_PHONE, LJD_COMMITTEE)
        # The public page's mailbox is the same row's and stays; the change is audited once.
        assert session.get_one(CenterFeedback, ljd).email == ""
        logged = session.scalars(select(AuditEntry).where(AuditEntry.action == "center.profile")).all()
        assert [(e.entity_id, e.detail["committee"]) for e in logged] == [(ljd, LJD_COMMITTEE)]
        # The county's settings are untouched by a township's profile.
        assert center.get(session, settings.CENTER_ADDRESS) == COUNTY_ADDRESS
    # Saving the same again writes nothing; blank fields bring back the defaults.
    with county.write() as session:
        center.set_profile(session, head, CenterProfile(LJD_ADDRESS, LJD_PHONE, LJD_COMMITTEE))
        center.set_profile(session, head, CenterProfile())
    with county.read() as session:
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.action == "center.profile")
                              .order_by(AuditEntry.id.desc())) is not None
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "center.profile")).all()) == 2
        printed = center.center_issuer(session, ljd)
        assert (printed.address, printed.phone, printed.committee) == ("", "", "甘州区梁家墩镇人民调解委员会")


def test_the_county_head_keeps_the_county_s_profile_in_its_settings(county: Database) -> None:
    head = _actor(county, "head")
    with county.write() as session:
        center.set_profile(session, head, CenterProfile("甘州区县府街 90 号", "0936-8210000", ""))
    with county.read() as session:
        assert center.get(session, settings.CENTER_ADDRESS) == "甘州区县府街 90 号"
        assert center.get(session, settings.CENTER_PHONE) == "0936-8210000"
        assert center.get(session, settings.COMMITTEE_NAME) == ""
        assert center.issuer(session).committee == demo.COMMITTEE  # the center's name + 人民调解委员会
        assert session.scalar(select(CenterFeedback.center_id)) is None


def test_the_public_page_and_the_papers_keep_one_address_and_phone_by_one_rule(county: Database) -> None:
    """公示 › 反馈方式… and 本中心文书信息… edit the same address and phone: a bad one is refused in
    the same words by both, and what either keeps the other reads (the mailbox and the committee,
    each one's own, stay)."""
    from mediation_desk.readmodels.publicity import Feedback
    from mediation_desk.services import publicity

    head = _actor(county, "ljd_head")
    for address, phone, field, said in (("院内\x07", LJD_PHONE, "address", "地址含有不可打印的字符"),
                                        ("址" * 201, LJD_PHONE, "address", "地址最长 200 个字符（现有 201 个）"),
                                        (LJD_ADDRESS, "0936-85612ab", "phone", "联系电话“0936-85612ab”不是电话号码"),
                                        (LJD_ADDRESS, "0936-8561234" * 4, "phone", "联系电话最长 40 个字符")):
        refusals = []
        for data in (CenterProfile(address, phone, ""), Feedback(address, phone, "")):
            with pytest.raises(InvalidInput) as refused, county.write() as session:
                if isinstance(data, CenterProfile):
                    center.set_profile(session, head, data)
                else:
                    publicity.set_feedback(session, head, data)
            refusals.append((refused.value.field, refused.value.message))
        assert refusals[0] == refusals[1] and refusals[0][0] == field and said in refusals[0][1], refusals
    with county.write() as session:
        publicity.set_feedback(session, head, Feedback(f"  {LJD_ADDRESS}  ", LJD_PHONE, "ljd@example.cn"))
    with county.read() as session:
        ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
        assert center.profile(session, ljd) == CenterProfile(LJD_ADDRESS, LJD_PHONE, "")
        printed = center.center_issuer(session, ljd)
        assert (printed.address, printed.phone) == (LJD_ADDRESS, LJD_PHONE)
    with county.write() as session:
        center.set_profile(session, head, CenterProfile("甘州区梁家墩镇便民服务中心", "0936　8560000", LJD_COMMITTEE))
    with county.read() as session:
        assert publicity.feedback(session, ljd) == Feedback("甘州区梁家墩镇便民服务中心", "0936　8560000",
                                                            "ljd@example.cn")
        assert center.get(session, settings.CENTER_PHONE) == COUNTY_PHONE  # the county's untouched
        logged = session.execute(select(AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.action.in_(("publicity.feedback", "center.profile"))).order_by(AuditEntry.id)).all()
    assert [action for action, _ in logged] == ["publicity.feedback", "center.profile"]
    assert logged[1][1] == {"address": "甘州区梁家墩镇便民服务中心", "phone": "0936　8560000",
                            "committee": LJD_COMMITTEE}
