"""No wrong glyph, ever: every character is drawn with a font that has it (rare ones with the
fallback font), what no font has prints as its code point, and hostile user text never breaks a
layout or turns into markup."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.platypus import Flowable

from mediation_desk.db import Database
from mediation_desk.documents import agreement as agreement_doc
from mediation_desk.documents import application, base, confirmation, fonts, forms, notice, records
from mediation_desk.models import AgreementKind
from mediation_desk.services import agreements, cases
from mediation_desk.services import records as record_service
from mediation_desk.services.dossier import issuer

from . import casefile
from .casefile import ON_STORY_DAY
from .conftest import compact, pdf_text
from .pdfcheck import assert_fonts_embedded, dark_pixels, drawn_characters, render, uncovered

pytestmark = ON_STORY_DAY

#: Names with characters beyond the common set: CJK Extension A (䶮), B (𠮷, 𪚥), C (𪜀), D (𫝀),
#: E (𫠠), F (𬺰), and the compatibility supplement (U+2F800), next to common name characters
#: that old fonts lack (堃, 喆).
RARE_NAMES = ("吉𠮷", "欧阳䶮", "王堃", "李喆", "张𪚥", "赵𪜀", "钱𫝀", "孙𫠠", "周𬺰", "吴\U0002F800")
BEYOND_THE_SERIF = set("𪚥𪜀𫝀𫠠𬺰\U0002F800")


def _pdf(story: list[Flowable]) -> bytes:
    from datetime import datetime

    info = base.DocumentInfo(title="字形", author="测试", created=datetime(2026, 1, 1))
    return base.build_pdf(story, info, page_numbers=False)


def _sample_pdf(text: str, size: float = 12) -> bytes:
    styles = base.make_styles(size, font=fonts.register_serif())
    return _pdf([base.Heading(text, size * 1.5), base.paragraph(text, styles.body)])


# --------------------------------------------------------------------------- rare names


def test_rare_names_are_drawn_by_fonts_that_have_every_character() -> None:
    text = " ".join(RARE_NAMES)
    pdf = _sample_pdf(text)
    # The text layer reads back exactly, twice (title and body), characters outside the BMP too.
    assert compact(pdf_text(pdf)) == compact(text) * 2
    assert uncovered(pdf) == []
    drawn = drawn_characters(pdf)
    by_char: dict[str, set[str]] = {}
    for char, font in drawn:
        by_char.setdefault(char, set()).add(font)
    for char in BEYOND_THE_SERIF:
        # Neither Noto face has it: the fallback draws it, in the title and in the body.
        assert by_char[char] == {fonts.FALLBACK_NAME}, char
    assert by_char["𠮷"] == {fonts.FONT_NAME, fonts.SERIF_NAME}  # title (sans) and body (Song)
    assert by_char["䶮"] == {fonts.FONT_NAME, fonts.SERIF_NAME}
    assert by_char["堃"] == by_char["喆"] == {fonts.FONT_NAME, fonts.SERIF_NAME}
    used = assert_fonts_embedded(pdf)
    assert used == {fonts.FONT_NAME, fonts.SERIF_NAME, fonts.FALLBACK_NAME}


def _glyph_image(char: str, font: str) -> Image.Image:
    """``char`` drawn large with ``font`` itself (no fallback), as pixels."""
    from reportlab.pdfgen.canvas import Canvas

    fonts.register_serif()
    fonts.register_fallback()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(120, 120), invariant=1, initialFontName=fonts.FONT_NAME)
    canvas.setFont(font, 90)
    canvas.drawString(12, 25, char)
    canvas.showPage()
    canvas.save()
    return render(buffer.getvalue(), 72)[0]


def test_every_rare_character_renders_as_a_real_glyph_not_a_box() -> None:
    # What a font draws for a character it lacks (glyph 0, .notdef): the box this test looks for.
    notdef = _glyph_image("\u9ff0", fonts.SERIF_NAME)
    for char in "".join(RARE_NAMES).replace(" ", ""):
        font = next(name for name in fonts.fallback_chain(fonts.SERIF_NAME) if fonts.has_glyph(name, char))
        image = _glyph_image(char, font)
        assert dark_pixels(image) > 300, char  # ink
        assert ImageChops.difference(image, notdef).getbbox() is not None, char  # not the box
    # 𠮷 has a glyph of its own, not 吉's.
    assert ImageChops.difference(_glyph_image("𠮷", fonts.SERIF_NAME),
                                 _glyph_image("吉", fonts.SERIF_NAME)).getbbox() is not None


def test_a_character_no_font_has_prints_as_its_code_point() -> None:
    # U+9FF0 (Unicode 13) and Extension G (U+30000) are newer than every shipped font.
    name = "王\u9ff0\U00030000"
    assert fonts.unprintable_characters(name) == "\u9ff0\U00030000"
    pdf = _sample_pdf(name)
    assert compact(pdf_text(pdf)) == "王〔U+9FF0〕〔U+30000〕" * 2
    assert uncovered(pdf) == []


def test_font_runs_wrap_only_what_the_main_font_lacks() -> None:
    assert fonts.font_runs("张三", fonts.SERIF_NAME) == [(fonts.SERIF_NAME, "张三")]
    assert fonts.font_runs("张𪚥三", fonts.SERIF_NAME) == [
        (fonts.SERIF_NAME, "张"), (fonts.FALLBACK_NAME, "𪚥"), (fonts.SERIF_NAME, "三")]
    markup = base.escape("J&C<𪚥>", fonts.SERIF_NAME)
    assert markup == f'J&amp;C&lt;<font name="{fonts.FALLBACK_NAME}">𪚥</font>&gt;'


# --------------------------------------------------------------------------- hostile input

HOSTILE = ("J&C <b>粗</b> <font size=80>大</font> &amp; \x00\x07\x1b\u202eevil\u202c \u2066x\u2069 "
           "😀👨\u200d👩\u200d👧 🇨🇳 \ufeff")
LONG_NAME = "欧阳" + "娜" * 2998
#: How many times :data:`HOSTILE` fills a long field (a session's statements, an agreement's facts
#: and terms): enough that each runs over pages, so its paragraphs split at page ends (where
#: reportlab would raise LayoutError). Each page end lays the paragraph out again, so the cost grows
#: with the square of its pages: only the investigation's content is longer than a body may print
#: (``forms.MAX_BODY_TEXT``), to be cut with a note.
LONG = 100
BODY = 500


@pytest.fixture(scope="module")
def case(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[casefile.Built]:
    path = tmp_path_factory.mktemp("glyphs") / "cases.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield casefile.build(db, with_attachments=False)
    db.dispose()


def _hostile_documents(case: casefile.Built) -> dict[str, bytes]:
    with case.db.read() as session:
        detail = cases.case_detail(session, case.mediator, case.case_id)
        the = issuer(session)
        signed = agreements.agreements_of(session, case.case_id)[-1]
        found = record_service.records_of(session, case.case_id)
    investigation = next(r for r in found if r.kind == "investigation")
    mediation = next(r for r in found if r.kind == "mediation")
    parties = list(detail.parties)
    parties[0] = replace(parties[0], name=LONG_NAME, address=HOSTILE * 40, occupation=HOSTILE)
    parties[1] = replace(parties[1], name=f"吉𠮷{HOSTILE}", agent_name=HOSTILE)
    parties[2] = replace(parties[2], name="A" * 3000, legal_representative=HOSTILE)
    hostile = replace(detail, parties=tuple(parties), title=HOSTILE * 10, facts=(HOSTILE + "\n") * 300,
                      requests=(HOSTILE, "x" * 5000, LONG_NAME), dispute_type=HOSTILE)
    the = replace(the, center_name=f"<b>中心</b>&{HOSTILE}", committee_name="")
    investigation = replace(investigation, values={**investigation.values, "interviewee": LONG_NAME,
                                                   "content": HOSTILE * BODY, "place": HOSTILE})
    mediation = replace(mediation, values={**mediation.values, "statements": HOSTILE * LONG,
                                           "participants": LONG_NAME, "mediators": HOSTILE})
    terms = tuple(replace(t, content=HOSTILE * LONG, obligor=LONG_NAME, place=HOSTILE) for t in signed.terms)
    agreement = replace(signed, terms=terms, facts=HOSTILE * LONG, number=HOSTILE)
    return {
        "registration": application.render_registration(hostile, the),
        "application": application.render_application(hostile, the),
        "notice": notice.render_notice(hostile, the, None),
        "investigation": records.render_investigation(hostile, the, investigation),
        "mediation-record": records.render_mediation_record(hostile, the, mediation),
        "agreement": agreement_doc.render_agreement(hostile, the, agreement, mediators=HOSTILE, recorder=LONG_NAME),
        "oral-agreement": agreement_doc.render_oral_agreement(hostile, the,
                                                              replace(agreement, kind=AgreementKind.ORAL),
                                                              registrar=HOSTILE),
        "confirmation-application": confirmation.render_confirmation_application(hostile, the, agreement,
                                                                                 court=HOSTILE),
    }


@pytest.fixture(scope="module")
def hostile_pdfs(case: casefile.Built) -> dict[str, bytes]:
    return _hostile_documents(case)


@pytest.mark.parametrize("kind", ["registration", "application", "notice", "investigation", "mediation-record",
                                  "agreement", "oral-agreement", "confirmation-application"])
def test_hostile_text_prints_as_written_and_breaks_nothing(hostile_pdfs: dict[str, bytes], kind: str) -> None:
    pdf = hostile_pdfs[kind]
    text = pdf_text(pdf)
    flat = compact(text)
    # Markup is text: printed as typed, never obeyed.
    assert "J&C<b>粗</b><fontsize=80>大</font>&amp;" in flat
    # Control, bidi and zero-width characters, and emoji (no font has them), are left out.
    for gone in ("\x00", "\x07", "\x1b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200d", "\ufeff", "😀", "🇨"):
        assert gone not in text, repr(gone)
    assert "evil" in flat
    assert uncovered(pdf) == []
    assert_fonts_embedded(pdf)


def test_a_3000_character_name_is_cut_with_a_note(hostile_pdfs: dict[str, bytes]) -> None:
    for kind in ("registration", "agreement", "confirmation-application"):
        flat = compact(pdf_text(hostile_pdfs[kind]))
        assert "欧阳" + "娜" * 58 + "…（全文3000字，此处从略）" in flat, kind
        assert "娜" * 100 not in flat, kind
    # In a narrow box of the application form it is cut too, and the form still lays out.
    assert "全文3000字" in compact(pdf_text(hostile_pdfs["application"]))


def test_a_body_longer_than_a_document_prints_is_cut_with_a_note(hostile_pdfs: dict[str, bytes]) -> None:
    assert len(base.clean(HOSTILE * BODY)) > forms.MAX_BODY_TEXT
    flat = compact(pdf_text(hostile_pdfs["investigation"]))
    assert f"…（全文{len(base.clean(HOSTILE * BODY))}字，此处从略）" in flat


def test_hostile_documents_are_still_a_few_pages(hostile_pdfs: dict[str, bytes]) -> None:
    # 300 lines of facts take pages, but no cell ever outgrows one: reportlab would have raised
    # LayoutError, and nothing runs away.
    for kind, pdf in hostile_pdfs.items():
        assert 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 40, kind


def test_documents_built_in_parallel_are_identical(case: casefile.Built) -> None:
    with case.db.read() as session:
        detail = cases.case_detail(session, case.mediator, case.case_id)
        the = issuer(session)
        signed = agreements.agreements_of(session, case.case_id)[-1]
    first = agreement_doc.render_agreement(detail, the, signed)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: agreement_doc.render_agreement(detail, the, signed), range(8)))
    assert all(result == first for result in results)


def test_describe_party_leaves_blank_details_out(case: casefile.Built) -> None:
    with case.db.read() as session:
        detail = cases.case_detail(session, case.mediator, case.case_id)
    bare = replace(detail.parties[0], gender=None, ethnicity="", birth_date=None, occupation="", work_unit="",
                   id_number="", address="", phone="", agent_name="")
    assert forms.describe_party(bare, detail.received_at.date()) == "申请人：欧阳䶮。"
