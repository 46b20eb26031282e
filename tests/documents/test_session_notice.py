"""The 调解通知书 read back from the PDF: each party's notice on its own page with every item the
law asks for, nothing cut, the composition rules kept, Chinese drawn from embedded fonts."""

from __future__ import annotations

from datetime import date

import pytest

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents.session_notice import ATTENDANCE
from mediation_desk.services import center, printing, sessions
from mediation_desk.services.errors import InvalidInput
from tests.composition import check_pdf, page_lines
from tests.services.sessions_world import STORY_DAY, SessionsWorld

from .pdfcheck import assert_fonts_embedded, qr_texts, render, uncovered

pytestmark = pytest.mark.story_day(STORY_DAY)

LONG_BRING = "房屋产权证明、土地承包经营权证及其复印件各一份（复印件请加盖村民委员会公章，并由村民小组长签字确认）"


@pytest.fixture(scope="module")
def notice(tmp_path_factory: pytest.TempPathFactory, sqlite_template: object) -> tuple[bytes, str, int]:
    import shutil
    path = tmp_path_factory.mktemp("notice") / "cases.sqlite3"
    shutil.copyfile(str(sqlite_template), path)
    db = Database(f"sqlite:///{path}")
    world = SessionsWorld(db)
    case_id = world.case()
    with db.write() as session:
        center.put(session, settings.CENTER_NAME, "张掖市甘州区矛盾纠纷调处中心")
        center.put(session, settings.CENTER_ADDRESS, "甘州区青年东街18号")
        center.put(session, settings.CENTER_PHONE, "0936-8211234")
    info = world.schedule(case_id, "2026-12-01T09:00", "2026-12-01T11:30",
                          invited=[("王福", "村干部"), ("赵明", "律师")], bring=f"{LONG_BRING}\n相邻通道的照片")
    stranger = world.party_ids(world.case(applicant="周八"))[0]
    with db.write() as session:
        pdf = printing.session_notices(session, world.head, info.id, issued_on=date(2026, 11, 30))
        with pytest.raises(InvalidInput):
            printing.session_notices(session, world.head, info.id, [stranger])
    db.dispose()
    return pdf, info.case_number, info.id


def _compact(text: str) -> str:
    return "".join(text.split())


def test_each_party_has_a_page_with_every_required_item(notice: tuple[bytes, str, int]) -> None:
    pdf, number, _session_id = notice
    pages = page_lines(pdf)
    # Each party's notice starts on a page of its own (a long list of what to bring may take a second).
    starts = [i for i, page in enumerate(pages) if page[0].text.replace(" ", "") == "调解通知书"]
    assert len(starts) == 2 and starts[0] == 0
    notices = [pages[starts[0]:starts[1]], pages[starts[1]:]]
    for notice_pages, (name, other) in zip(notices, (("张三", "李四"), ("李四", "张三")), strict=True):
        page = [line for p in notice_pages for line in p]
        lines = [line.text for line in page]
        whole = _compact("".join(lines))
        assert lines[0].replace(" ", "") == "调解通知书"
        assert f"{name}：" in lines
        assert "调解时间：2026年12月1日09:00—11:30" in whole
        assert "调解地点：甘州区青年东街18号二楼第一调解室" in whole
        assert "调解员：李建国" in whole
        assert f"其他当事人：{other}" in whole
        assert "受邀参加人：王福（村干部）、赵明（律师）" in whole
        assert "联系电话：0936-8211234" in whole
        assert _compact(number) in whole
        # What to bring: the identity document first, then the session's own list, uncut.
        assert "请携带：" in whole
        assert f"1.{_compact(sessions.ALWAYS_BRING)}" in whole
        assert f"2.{_compact(LONG_BRING)}" in whole
        assert "3.相邻通道的照片" in whole
        # The rights and the consequence of not attending, each paragraph whole.
        for paragraph in ATTENDANCE:
            assert _compact(paragraph) in whole
        assert "视为不同意调解" in whole and "第二十六条" in whole
        assert "…" not in whole  # nothing clipped
        assert "张掖市甘州区矛盾纠纷调处中心人民调解委员会（盖章）" in whole
        assert "2026年11月30日" in whole
        assert "受通知人签收（签名、盖章或按指印）：" in whole
        # Every line inside the text block's width: nothing runs off the page.
        assert all(line.x1 <= 595.3 - 20 for line in page)


def test_the_notice_keeps_the_composition_rules(notice: tuple[bytes, str, int]) -> None:
    pdf, _number, _session_id = notice
    assert check_pdf(pdf, "session-notice", names=("张三", "李四"), signers=("张三", "李四")) == []


def test_chinese_is_drawn_from_embedded_fonts_and_the_pages_are_coded(notice: tuple[bytes, str, int]) -> None:
    pdf, number, session_id = notice
    assert_fonts_embedded(pdf)
    assert uncovered(pdf) == []
    image = render(pdf, 150, first=1, last=1)[0]
    assert qr_texts(image) == [f"MD1|{number}|session-notice:{session_id}|1"]
