"""The papers a township issues carry the township's name (issue 21, docs/centers.md "The papers a
center issues"): a county case assigned down (交办) to 梁家墩 and mediated there prints
梁家墩's center and committee in the agreement's header, body and seal line; a county case mediated
at the county still prints the county's. Read back with pypdf line by line with positions, one page
rendered by poppler; on both backends (the crossings run on both)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.models import Center
from mediation_desk.services import cases, crossings, dossier

from ..composition import Line, page_lines
from ..services.helpers import actor_named as _actor
from ..services.helpers import new_case_input
from .conftest import compact, pdf_text
from .helpers import sign_agreement, start_mediation
from .pdfcheck import assert_fonts_embedded, dark_pixels, render

pytestmark = pytest.mark.story_day("2026-10-09T10:00")

TODAY = datetime(2026, 9, 25, 10, 0)
COUNTY = "张掖市甘州区矛盾纠纷调处中心"
LJD = "甘州区梁家墩镇综治中心"


@pytest.fixture
def county(db: Database) -> Database:
    with db.write() as session:
        demo.seed(session, 4, today=TODAY, township_cases=2)
    return db


def _agreement_pdf(db: Database, *, down_to_township: bool) -> bytes:
    """A county case registered by the county's clerk, mediated to a signed agreement by the
    county's mediator or, assigned down, by 梁家墩's; the agreement as its mediator prints it."""
    clerk, head = _actor(db, "clerk"), _actor(db, "head")
    with db.write() as session:
        case_id = cases.register_case(session, clerk, new_case_input(db, received_at=TODAY))
        if down_to_township:
            ljd = session.scalars(select(Center.id).where(Center.prefix == "甘州梁家墩调")).one()
            crossings.assign(session, head, case_id, to_center_id=ljd, working_days=5,
                             reason="请梁家墩镇就地调处", today=date(2026, 9, 28))
    prefix = "ljd_" if down_to_township else ""
    clerk, mediator = _actor(db, f"{prefix}clerk"), _actor(db, f"{prefix}mediator")
    with db.write() as session:
        start_mediation(session, clerk, mediator, case_id)
        sign_agreement(session, mediator, case_id)
    with db.read() as session:
        return dossier.render_document(session, mediator, case_id, "agreement")


def _seal_line(pdf: bytes) -> tuple[Line, list[Line]]:
    """The committee's seal line ("…人民调解委员会（盖章）") and the lines of its page."""
    found = [(line, page) for page in page_lines(pdf) for line in page
             if line.text.endswith("（盖章）") and "人民调解委员会" in line.text]
    assert len(found) == 1, [line.text for line, _page in found]
    return found[0]


@pytest.mark.parametrize("down_to_township", [True, False], ids=["assigned-down", "county"])
def test_the_agreement_names_the_center_that_mediated_it(county: Database, down_to_township: bool) -> None:
    pdf = _agreement_pdf(county, down_to_township=down_to_township)
    issuing, other = (LJD, COUNTY) if down_to_township else (COUNTY, LJD)
    committee = "甘州区梁家墩镇人民调解委员会" if down_to_township else f"{COUNTY}人民调解委员会"

    # The header: the title, then the case's number (the county's: the case stays the county's);
    # the document's author (its PDF header) is the issuing center.
    header = page_lines(pdf)[0][:2]
    assert [line.text for line in header] == ["人民调解协议书", "编号：（2026）甘矛调字第0005号"]
    assert header[0].size > header[1].size and header[0].y > header[1].y
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.author == issuing
    # The seal line at the foot: the committee's name and where its seal goes, below the mediator's
    # and recorder's signatures, right of the middle, the date under it.
    seal, page = _seal_line(pdf)
    assert compact(seal.text) == compact(f"{committee}（盖章）")
    signatures = next(line for line in page if line.text == "人民调解员")
    assert seal.y < signatures.y and seal.x0 > 595 / 4
    assert any(line.text == "2026年10月8日" and 0 < seal.y - line.y < 40 for line in page)
    # The body: the copy the committee keeps, the seal that makes it binding; nowhere the other center.
    text = compact(pdf_text(pdf))
    assert f"{compact(committee)}留存一份" in text
    assert f"加盖{compact(committee)}印章后生效" in text
    assert compact(other) not in text
    assert assert_fonts_embedded(pdf)
    assert dark_pixels(render(pdf, dpi=60, first=2, last=2)[0]) > 2000
