"""The composition checker (tests/composition.py) run over the demo center's printed documents,
and the shared layout rules it checks (documents/layout.py).

By default a sample is printed: two cases of every state, and the demo's cases with an oral
agreement, a company, four or more parties, a rare character in a name, a minor (by the ID's
birth date only) and a five-party case made from a demo case here. ``--composition-all`` prints
every document of every demo case (300 cases, about 2,000 PDFs, in two processes).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer, Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.documents import base, forms, layout
from mediation_desk.documents.fonts import FONT_NAME, register_fonts
from mediation_desk.models import (
    Agreement,
    AgreementKind,
    CaseEvent,
    CaseState,
    DisputeCase,
    Gender,
    IdDocumentType,
    Party,
    PartyKind,
    PartyRole,
    UndisputedFacts,
)
from mediation_desk.readmodels.cases import PartyView
from mediation_desk.readmodels.center import Issuer

from . import composition
from .composition import Checked

TODAY = datetime(2026, 11, 20, 17, 0)
DEMO_CASES = 300
PER_STATE = 2


# --------------------------------------------------------------------------- the demo's documents


@dataclass(frozen=True)
class Printed:
    checked: list[Checked]
    cases: int

    def findings(self, rule: str) -> list[str]:
        return [f"{c.label}: {f}" for c in self.checked for f in c.findings
                if f.rule == rule or f.rule.startswith(rule + ":")]

    def kinds(self) -> set[str]:
        return {c.kind for c in self.checked}


#: Many parties: the signature blocks of every kind of document taller than a page's room.
CROWDS = (6, 8, 12)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _crowd(session: Session, case_id: int, count: int, moment: datetime) -> None:
    """Parties added to the case until it has ``count``: people (some with an agent), companies
    with a legal representative (and some an agent), minors known by the ID's birth date only
    (the checkbox unset) with their guardian, and a third party last."""
    have = session.scalar(select(func.count()).select_from(Party).where(Party.case_id == case_id)) or 0
    seq = session.scalar(select(func.max(Party.seq)).where(Party.case_id == case_id)) or 0
    for index in range(have, count):
        seq += 1
        role = (PartyRole.THIRD_PARTY if index == count - 1 else
                (PartyRole.APPLICANT, PartyRole.RESPONDENT)[index % 2])
        surname = _SURNAMES[(index * 7 + count) % len(_SURNAMES)]
        common = {"case_id": case_id, "seq": seq, "role": role, "created_at": moment, "updated_at": moment}
        if index % 3 == 2:
            session.add(Party(**common, kind=PartyKind.LEGAL_PERSON,
                              name=f"张掖市甘州区{surname}氏第{index + 1}建筑工程有限责任公司",
                              address="张掖市甘州区南大街100号", phone="0936-8212345", credit_code="91620702MA71234567",
                              legal_representative=f"{surname}建国", occupation="总经理",
                              agent_name=f"{surname}律师" if index % 2 else ""))
            continue
        minor = index % 4 == 3
        birth = date(TODAY.year - 13, 5, 17) if minor else date(1970 + index, 3, 3)
        gender = Gender.FEMALE if minor else Gender.MALE
        session.add(Party(**common, kind=PartyKind.PERSON, gender=gender, ethnicity="汉族", birth_date=birth,
                          name=f"{surname}小红" if minor else f"{surname}{'志国建德'[index % 4]}{'平安'[index % 2]}",
                          id_type=IdDocumentType.RESIDENT_ID,
                          id_number=demo.resident_id(random.Random(index), birth, gender),
                          occupation="学生" if minor else "农民", address="张掖市甘州区党寨镇陈寨村5组",
                          phone="" if minor else "13909361234", is_minor=False,
                          agent_name=f"{surname}大山" if minor else (f"{surname}代理" if index % 5 == 1 else "")))


def _crowded_cases(session: Session, taken: set[int]) -> list[int]:
    """For each of :data:`CROWDS`, a case with a written agreement (recently signed: it prints
    the confirmation application too), one with an oral agreement and a failed one with a signed
    statement of undisputed facts (the transfer to court), crowded to that many parties."""
    def pool(query: object) -> list[int]:
        return [c for c in dict.fromkeys(session.scalars(query)) if c not in taken]  # type: ignore[call-overload]

    written = pool(select(Agreement.case_id).where(Agreement.kind == AgreementKind.WRITTEN,
                                                   Agreement.signed_on.is_not(None))
                   .order_by(Agreement.signed_on.desc(), Agreement.case_id))
    oral = pool(select(Agreement.case_id).where(Agreement.kind == AgreementKind.ORAL, Agreement.signed_on.is_not(None))
                .order_by(Agreement.case_id))
    failed = pool(select(DisputeCase.id).where(DisputeCase.state.in_((CaseState.FAILED, CaseState.TRANSFERRED)))
                  .order_by(DisputeCase.id))
    moment = TODAY.replace(tzinfo=None)
    chosen: list[int] = []
    for number, count in enumerate(CROWDS):
        for cases in (written, oral, failed):
            if len(cases) <= number:
                continue
            case_id = cases[number]
            _crowd(session, case_id, count, moment)
            chosen.append(case_id)
            if cases is failed and session.scalar(select(UndisputedFacts.id)
                                                  .where(UndisputedFacts.case_id == case_id)) is None:
                last = session.scalar(select(func.max(CaseEvent.at)).where(CaseEvent.case_id == case_id))
                assert last is not None
                facts = "\n".join(f"{month}月份的劳务费用已经结清，金额为人民币{month}000元。" for month in range(1, 4))
                session.add(UndisputedFacts(case_id=case_id, facts=facts, disputed="赔偿数额。", signed=True,
                                            signed_on=last.date()))
    return chosen


def _special_cases(db: Database) -> list[int]:
    """Cases the rules break on first, made from demo cases: a minor known only by the ID's
    birth date, five parties with a company and rare characters, the demo's own oral,
    company, four-party and rare-name cases, and cases of many parties (:func:`_crowded_cases`)."""
    chosen: list[int] = []
    with db.write() as session:
        def first(query: object) -> int | None:
            return session.scalars(query).first()  # type: ignore[call-overload,no-any-return]

        oral = first(select(Agreement.case_id).where(Agreement.kind == AgreementKind.ORAL,
                                                     Agreement.signed_on.is_not(None)).order_by(Agreement.case_id))
        company = first(select(Party.case_id).where(Party.kind != PartyKind.PERSON).order_by(Party.case_id))
        crowded = first(select(Party.case_id).group_by(Party.case_id).having(func.count() >= 4).order_by(Party.case_id))
        rare = next((p.case_id for p in session.scalars(select(Party).order_by(Party.case_id))
                     if any(ord(c) > 0xFFFF or 0x3400 <= ord(c) <= 0x4DBF for c in p.name)), None)
        written = [case_id for case_id in session.scalars(
            select(Agreement.case_id).where(Agreement.kind == AgreementKind.WRITTEN, Agreement.signed_on.is_not(None))
            .order_by(Agreement.case_id.desc()))]
        chosen += [c for c in (oral, company, crowded, rare) if c is not None]
        # A minor by the ID's birth date only (the checkbox left unset, as the CSV import does).
        minor_case, five_case = written[0], written[1]
        child = session.scalars(select(Party).where(Party.case_id == minor_case, Party.kind == PartyKind.PERSON)
                                .order_by(Party.seq.desc())).first()
        assert child is not None
        birth = date(TODAY.year - 13, 5, 17)
        child.birth_date = birth
        child.gender = Gender.FEMALE
        child.id_type = IdDocumentType.RESIDENT_ID
        child.id_number = demo.resident_id(random.Random(7), birth, Gender.FEMALE)
        child.is_minor = False
        # Five parties: a company with a long name, rare characters, a third party.
        seq = (session.scalar(select(func.max(Party.seq)).where(Party.case_id == five_case)) or 0) + 1
        moment = TODAY.replace(tzinfo=None)
        session.add_all([
            Party(case_id=five_case, seq=seq, role=PartyRole.RESPONDENT, kind=PartyKind.LEGAL_PERSON,
                  name="张掖市甘州区𠮷祥农业机械专业合作社联合社有限责任公司", address="张掖市甘州区党寨镇陈寨村5组",
                  phone="0936-8212345", legal_representative="欧阳龘", created_at=moment, updated_at=moment),
            Party(case_id=five_case, seq=seq + 1, role=PartyRole.RESPONDENT, kind=PartyKind.PERSON, name="𡒄䶮",
                  gender=Gender.MALE, ethnicity="回族", birth_date=date(1979, 2, 3),
                  id_type=IdDocumentType.RESIDENT_ID,
                  id_number=demo.resident_id(random.Random(8), date(1979, 2, 3), Gender.MALE), occupation="个体工商户",
                  address="张掖市甘州区梁家墩镇太平堡村3组21号", phone="13909361234", created_at=moment,
                  updated_at=moment),
            Party(case_id=five_case, seq=seq + 2, role=PartyRole.THIRD_PARTY, kind=PartyKind.PERSON, name="上官𠮷艳",
                  gender=Gender.FEMALE, ethnicity="汉族", birth_date=date(1990, 8, 8),
                  id_type=IdDocumentType.RESIDENT_ID,
                  id_number=demo.resident_id(random.Random(9), date(1990, 8, 8), Gender.FEMALE), occupation="教师",
                  address="张掖市甘州区新墩镇流泉村", phone="13893612345", created_at=moment, updated_at=moment),
        ])
        chosen += [minor_case, five_case]
        # A statement of undisputed facts, signed, for a mediation that failed (with a long
        # list, so the signature grid meets a page end in some layout).
        failed = first(select(DisputeCase.id).where(DisputeCase.state.in_((CaseState.FAILED, CaseState.TRANSFERRED)))
                       .order_by(DisputeCase.id.desc()))
        assert failed is not None
        last = session.scalar(select(func.max(CaseEvent.at)).where(CaseEvent.case_id == failed))
        assert last is not None
        facts = "\n".join(f"双方确认：{n}月份的劳务费用已经结清，金额为人民币{n}000元（大写：{n}仟元整），"
                          "双方对此均无异议。" for n in range(1, 10))
        session.add(UndisputedFacts(case_id=failed, facts=facts, disputed="赔偿数额及其计算方式。", signed=True,
                                    signed_on=last.date()))
        chosen.append(failed)
        chosen += _crowded_cases(session, set(chosen))
    return chosen


@pytest.fixture(scope="module")
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            sqlite_template: Path) -> Printed:
    """Every document of the sampled cases, printed and read back (once for the module)."""
    import shutil

    path = tmp_path_factory.mktemp("composition") / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    try:
        with db.write() as session:
            demo.seed(session, DEMO_CASES, today=TODAY)
        special = _special_cases(db)
        with db.read() as session:
            by_state = composition.case_ids_by_state(session)
        if request.config.getoption("--composition-all"):
            ids = [i for state_ids in by_state.values() for i in state_ids]
        else:
            ids = [i for state_ids in by_state.values() for i in state_ids[-PER_STATE:]]
        ids = sorted(set(ids) | set(special))
    finally:
        db.dispose()
    checked = composition.sweep_pool(f"sqlite:///{path}", ids, today=TODAY.date(), workers=2)
    return Printed(checked, len(ids))


def _report(found: list[str]) -> str:
    return f"{len(found)} found:\n" + "\n".join(found[:40])


def test_the_sweep_prints_every_document_kind(printed: Printed) -> None:
    assert printed.kinds() >= {
        "registration", "application", "notice", "investigation", "mediation-record", "agreement", "oral-agreement",
        "confirmation-application", "receipt", "undisputed-facts", "return-visit", "transfer-letter",
        "transfer-summary", "dossier",
    }
    assert len(printed.checked) > 5 * printed.cases


def test_no_page_holds_only_a_signature_or_seal_block(printed: Printed) -> None:
    found = printed.findings("signature-only")
    assert not found, _report(found)


def test_every_kind_with_a_signature_block_is_printed_for_many_parties(printed: Printed) -> None:
    """The sweep above covers the crowded cases: every kind where parties sign, at every size."""
    for count in CROWDS:
        kinds = {c.kind for c in printed.checked if c.parties == count}
        assert kinds >= {"registration", "application", "notice", "mediation-record", "agreement", "oral-agreement",
                         "undisputed-facts", "transfer-summary", "dossier"}, (count, kinds)
    crowded = {c.kind for c in printed.checked if c.parties in CROWDS}
    assert {"confirmation-application", "return-visit"} <= crowded


@pytest.mark.parametrize("rule", ["line-start", "line-end"])
def test_every_line_keeps_the_rules_of_chinese_line_breaking(printed: Printed, rule: str) -> None:
    found = printed.findings(rule)
    assert not found, _report(found)


def test_a_name_in_the_dossier_title_is_never_broken(printed: Printed) -> None:
    found = printed.findings("name-broken")
    assert not found, _report(found)


def test_labels_print_on_one_line(printed: Printed) -> None:
    found = printed.findings("label-broken")
    assert not found, _report(found)


@pytest.mark.parametrize("name", [
    "未约定", "或《…》", "None", "braces", "XXX",
    "nan", "empty-value",
])
def test_no_placeholder_prints(printed: Printed, name: str) -> None:
    found = printed.findings(f"placeholder:{name}")
    assert not found, _report(found)


@pytest.mark.parametrize("rule", [
    "accepted-before-registered",
    "sealed-before-event",
    "filed-before-bound",
])
def test_dates_on_a_document_agree(printed: Printed, rule: str) -> None:
    found = printed.findings(f"date-order:{rule}")
    assert not found, _report(found)


# --------------------------------------------------------------------------- the checker can fail


def _pdf(pages: list[list[tuple[float, float, str]]], size: float = 12) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    for page in pages:
        canvas.setFont(FONT_NAME, size)
        for x, y, text in page:
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_checker_finds_a_page_of_only_a_seal_and_a_date() -> None:
    pdf = _pdf([
        [(80, 700, "经调解，双方当事人自愿达成如下协议，具体内容如下所述，各方应当遵守"), (80, 680, "执行。")],
        [(300, 700, "甘州区人民调解委员会（盖章）"), (330, 680, "2026年3月9日"), (280, 60, "第 2 页 共 2 页")],
    ])
    found = composition.check_pdf(pdf, "agreement")
    assert [f.rule for f in found] == ["signature-only"]
    assert found[0].page == 2


def test_the_checker_finds_closing_punctuation_at_a_line_start_and_an_opening_one_at_an_end() -> None:
    pdf = _pdf([[(80, 700, "金额为人民币壹万元整（"), (80, 680, "￥10000元）。"), (80, 660, "。其后文字"),
                 # A table row: a label and a value side by side are two lines.
                 (80, 640, "联系方式"), (200, 640, "）13900000000")]])
    rules = sorted(f.rule for f in composition.check_pdf(pdf, "agreement"))
    assert rules == ["line-end", "line-start", "line-start"]


def test_the_checker_finds_a_broken_label_and_placeholders() -> None:
    pdf = _pdf([[(80, 700, "职业或职"), (80, 685, "务"), (300, 700, "地点：（未约定）"), (300, 685, "职务：，None")]])
    rules = sorted(f.rule for f in composition.check_pdf(pdf, "agreement"))
    assert rules == ["label-broken", "placeholder:None", "placeholder:empty-value", "placeholder:未约定"]


def test_the_checker_finds_a_seal_dated_before_the_acceptance() -> None:
    pdf = _pdf([[(80, 700, "登记日期2026年10月3日"), (80, 680, "经当事人同意，本委员会于2026年10月4日受理。"),
                 (300, 640, "甘州区人民调解委员会（盖章）"), (320, 620, "2026年10月3日")]])
    assert [f.rule for f in composition.check_pdf(pdf, "registration")] == ["date-order:sealed-before-event"]


def test_a_page_with_text_above_the_seal_is_not_a_signature_page() -> None:
    pdf = _pdf([[(80, 700, "当事人应当按照约定履行，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"),
                 (300, 660, "甘州区人民调解委员会（盖章）"), (330, 640, "2026年3月9日")]])
    assert composition.check_pdf(pdf, "agreement") == []


# --------------------------------------------------------------------------- the layout rules


def _widths(text: str) -> list[float]:
    return [1.0] * len(text)


@pytest.mark.parametrize(("text", "width", "lines"), [
    # A full stop never starts a line: it goes down with the character before it.
    ("甲乙丙丁。戊", 4, ["甲乙丙", "丁。戊"]),
    # Two closing marks in a row go down together.
    ("甲乙丙）。戊", 4, ["甲乙", "丙）。戊"]),
    # An opening bracket never ends a line.
    ("甲乙丙（丁）", 4, ["甲乙丙", "（丁）"]),
    # A number is not cut; a number wider than a line is.
    ("甲乙620702戊", 6, ["甲乙", "620702", "戊"]),
    ("12345678", 4, ["1234", "5678"]),
    # Spaces at a break belong to neither line.
    ("ab cd ef", 5, ["ab cd", "ef"]),
    # …… and —— are never split.
    ("甲乙丙……", 4, ["甲乙", "丙……"]),
    # A case number goes whole to the next line where it fits one …
    ("甲（2026）甘州梁家墩调字第0001号", 19, ["甲", "（2026）甘州梁家墩调字第0001号"]),
    ("案号（2026）甘矛调字第0007号。", 18, ["案号", "（2026）甘矛调字第0007号。"]),
    # … else it breaks after the year's ）, never before 号 nor in the digits …
    ("（2026）甘矛调字第832083号", 17, ["（2026）", "甘矛调字第832083号"]),
    ("甲（2026）甘州梁家墩调字第0001号", 15, ["甲", "（2026）", "甘州梁家墩调字第0001号"]),
    # … and a prefix too long for a line breaks in the prefix, 第…号 whole.
    ("（2026）甘州梁家墩调字第0001号", 10, ["（2026）", "甘州梁家墩调字", "第0001号"]),
    # Numbers in a list break between them.
    ("（2026）甘矛调字第0001号、（2026）甘矛调字第0002号", 20,
     ["（2026）甘矛调字第0001号、", "（2026）甘矛调字第0002号"]),
])
def test_line_ranges_keep_the_rules(text: str, width: float, lines: list[str]) -> None:
    ranges = layout.line_ranges(text, _widths(text), width)
    assert [text[a:b] for a, b in ranges] == lines


def test_the_checker_finds_a_broken_case_number() -> None:
    number = "（2026）甘州梁家墩调字第832083号"
    pdf = _pdf([[(80, 700, "申请人于2026年11月3日申请调解（案号（2026）甘州梁家墩调字第83208"), (80, 685, "3号）。"),
                 (80, 600, number), (300, 600, "（2026）"), (300, 585, "甘州梁家墩调字第832083号")]])
    pages = composition.page_lines(pdf)
    found = composition.broken_numbers(pages, [number])
    assert [f.text for f in found] == ["（2026）甘州梁家墩调字第83208 / 3号", "（2026） / 甘州梁家墩调字第832083号"]
    assert len(composition.number_lines(pages, number)) == 1


def test_number_breaks_grade_every_place_inside_a_number() -> None:
    text = "见（2026）甘矛调字第12号。"
    grades = layout.number_breaks(text)
    start = text.index("（")
    assert min(grades) == start + 1 and max(grades) == text.index("号")
    assert grades[start + 6] == 1  # after （2026）
    assert {grades[i] for i in range(start + 7, text.index("第") + 1)} == {2}
    assert {grades[i] for i in range(text.index("第") + 1, text.index("号") + 1)} == {3}
    assert layout.number_breaks("第12号") == {} and layout.number_breaks("张三与李四纠纷") == {}


def test_column_width_fits_the_widest_number_within_its_bounds() -> None:
    register_fonts()
    numbers = ["（2026）甘矛调字第0001号", "（2026）甘州梁家墩调字第832083号"]
    widest = max(stringWidth(n, FONT_NAME, 9) for n in numbers)
    assert layout.column_width(numbers, FONT_NAME, 9, padding=6) == pytest.approx(widest + 6.5)
    assert layout.column_width(numbers, FONT_NAME, 9, padding=6, minimum=200) == 200
    assert layout.column_width(numbers, FONT_NAME, 9, padding=6, maximum=100) == 100
    assert layout.widen([10, 20, 30, 40], 1, 35, donors=(2, 3)) == pytest.approx([10, 35, 30 - 15 * 3 / 7,
                                                                                  40 - 15 * 4 / 7])
    assert layout.widen([10, 20], 1, 15, donors=(0,)) == [10, 20]


def test_a_kept_name_is_not_broken() -> None:
    register_fonts()
    size = 10.0
    title = "张三、李四与欧阳𠮷祥、王五房屋宅基地纠纷"
    width = 9.5 * size
    plain = layout.break_lines(title, width, FONT_NAME, size)
    kept = layout.break_lines(title, width, FONT_NAME, size, keep=["欧阳𠮷祥"])
    assert not any("欧阳𠮷祥" in line for line in plain)  # the case the rule is for
    assert any("欧阳𠮷祥" in line for line in kept)
    assert "".join(kept) == title


def test_every_paragraph_breaks_by_the_rules() -> None:
    register_fonts()
    style = ParagraphStyle("t", fontName=FONT_NAME, fontSize=10, leading=14, wordWrap="CJK")
    for text in ["甲" * 9 + "。乙", "甲" * 9 + "（乙）", "甲" * 8 + "）。" + "乙" * 5]:
        for markup in (text, f'{text[:3]}<font name="{FONT_NAME}">{text[3:]}</font><br/>丙'):
            para = Paragraph(markup, style)
            para.wrap(10 * 10 + 0.5, 1000)
            lines = ["".join(w.text for w in line.words) if hasattr(line, "words") else "".join(line[1])
                     for line in para.blPara.lines]
            for line in lines:
                if line:
                    assert line[0] not in layout.NO_LINE_START, lines
                    assert line[-1] not in layout.NO_LINE_END, lines


def _signed_story(filler: int) -> list[object]:
    styles = forms.form_styles()
    story: list[object] = [Paragraph("甲" * 30 * 3, styles.body) for _ in range(filler)]
    story += [Paragraph("乙方于二〇二六年十二月三十一日前一次付清。" * 3, styles.body), Spacer(0, 3),
              forms.seal_block("甘州区人民调解委员会", date(2026, 3, 9), styles, base.A4_PORTRAIT.frame_width)]
    return story


@pytest.mark.parametrize("filler", range(8, 16))
def test_a_seal_never_stands_alone_on_a_page(filler: int) -> None:
    """Whatever the length of the text above it, the seal shares its page with text."""
    info = forms.FormInfo("agreement", 1, "人民调解协议书", "（2026）甘矛调字第0001号",
                          Issuer(center_name="甘州区矛调中心", committee_name="甘州区人民调解委员会", court_name=""),
                          datetime(2026, 3, 9))
    pdf = forms.render_form(_signed_story(filler), info)
    pages = composition.page_lines(pdf)
    assert composition.signature_only_pages(pages) == []
    # The seal is on the last page, with the end of the text it seals.
    last = [line.text for line in pages[-1]]
    assert any("盖章" in text for text in last)
    assert any("付清" in text for text in last)


def test_the_seal_stays_on_the_page_where_there_is_room() -> None:
    info = forms.FormInfo("agreement", 1, "人民调解协议书", "（2026）甘矛调字第0001号",
                          Issuer(center_name="甘州区矛调中心", committee_name="甘州区人民调解委员会", court_name=""),
                          datetime(2026, 3, 9))
    pdf = forms.render_form(_signed_story(2), info)
    assert len(composition.page_lines(pdf)) == 1


def test_label_width_fits_the_longest_label() -> None:
    register_fonts()
    width = layout.label_width(["姓名", "职业或职务"], FONT_NAME, 10.5)
    assert width >= 5 * 10.5 + 8
    style = ParagraphStyle("l", fontName=FONT_NAME, fontSize=10.5, leading=14, wordWrap="CJK")
    para = Paragraph("职业或职务", style)
    para.wrap(width - 8, 100)
    assert len(para.blPara.lines) == 1


def test_the_dossier_title_keeps_each_name_on_one_line() -> None:
    from mediation_desk.documents import dossier as bind
    from mediation_desk.documents.forms import form_styles

    big = form_styles(base.ZIHAO["三号"])
    value_width = base.A4_PORTRAIT.frame_width - 44 * mm - 1
    name = "欧阳𠮷祥"
    # A title where breaking by characters alone would split the name over two lines.
    title = next(t for t in (f"{'张' * n}某、李某某与{name}、王某房屋宅基地纠纷" for n in range(1, 30))
                 if not any(name in line for line in layout.break_lines(t, value_width, big.line.fontName,
                                                                        big.line.fontSize)))
    cover = bind.DossierCover("（2026）甘矛调字第0001号", title, "李建国", date(2026, 3, 1), date(2026, 3, 9), "王晓燕",
                              date(2026, 3, 20), "永久", case_id=1)
    pdf = bind.assemble_dossier(cover, [], Issuer(center_name="甘州区矛调中心"))
    pages = composition.page_lines(pdf)
    assert composition.broken_names(pages, [name]) == []
    assert any(name in line.text for line in pages[0])


def test_the_checker_finds_a_page_of_only_the_declaration_and_its_signature() -> None:
    """The applicant's declaration is a set sentence: with the signature alone on a page, it
    has lost the requests it signs."""
    pdf = _pdf([
        [(80, 700, "申请事项："), (90, 680, "1. 请求被申请人支付拖欠的工资人民币叁万元整")],
        [(103, 725, "甘州区人民调解委员会已将人民调解的性质、原则、"),
         (79, 704, "效力和当事人在调解活动中享有的权利、承担的义务告知我（们）。我（们）自愿"),
         (79, 683, "申请甘州区人民调解委员会进行调解。"), (79, 637, "申请人（签名、盖章或按指印）："),
         (317, 617, "侯强"), (418, 586, "年      月      日")],
    ])
    assert [(f.rule, f.page) for f in composition.check_pdf(pdf, "application")] == [("signature-only", 2)]


# --------------------------------------------------------------------------- many parties


def _party(index: int, kind: PartyKind = PartyKind.PERSON, *, minor: bool = False) -> PartyView:
    organisation = kind is not PartyKind.PERSON
    name = (f"张掖市甘州区第{index}建筑工程有限责任公司" if organisation else
            f"{_SURNAMES[index % len(_SURNAMES)]}{'小红' if minor else '志平'}")
    return PartyView(id=index, role=(PartyRole.APPLICANT, PartyRole.RESPONDENT)[index % 2], kind=kind, name=name,
                     gender=None if organisation else Gender.FEMALE, ethnicity="" if organisation else "汉族",
                     birth_date=None if organisation else date(2013 if minor else 1975, 5, 17), id_type=None,
                     id_number="", occupation="", work_unit="", address="张掖市甘州区南大街100号", phone="",
                     legal_representative="王建国" if organisation else "", credit_code="",
                     agent_name="王大山" if minor else "")


def _crowd_of(count: int) -> list[PartyView]:
    """People, a company every third, a minor (with a guardian) every fourth."""
    return [_party(i, PartyKind.LEGAL_PERSON) if i % 3 == 2 else _party(i, minor=i % 4 == 3) for i in range(count)]


_ISSUER = Issuer(center_name="甘州区矛调中心", committee_name="甘州区人民调解委员会", court_name="")
_SIGNED_ON = date(2026, 3, 9)


def _render(story: list[object]) -> list[list[composition.Line]]:
    info = forms.FormInfo("agreement", 1, "人民调解协议书", "（2026）甘矛调字第0001号", _ISSUER, datetime(2026, 3, 9))
    return composition.page_lines(forms.render_form(story, info))


@pytest.mark.parametrize(("count", "filler"), [(6, 9), (8, 4), (8, 11), (12, 0), (12, 7), (12, 13)])
def test_a_grid_of_many_parties_shares_its_last_page_with_text(count: int, filler: int) -> None:
    """Persons, companies and minors with guardians: however long the text, the parties' grid,
    the mediators' boxes and the seal end the document on a page that carries text too."""
    from mediation_desk.documents import agreement

    styles = forms.form_styles()
    parties = _crowd_of(count)
    story: list[object] = [Paragraph("甲" * 90, styles.body) for _ in range(filler)]
    story += [Paragraph("乙方于二〇二六年十二月三十一日前一次付清。" * 3, styles.body), Spacer(0, 3 * mm),
              agreement.party_signature_grid(parties, styles, _SIGNED_ON), Spacer(0, 3 * mm),
              agreement.officials_grid("李建国", "王晓燕", _ISSUER.committee, _SIGNED_ON, styles, parties=count)]
    pages = _render(story)
    assert composition.signature_only_pages(pages, composition.signer_phrases(parties, _ISSUER)) == []
    last = [line.text for line in pages[-1]]
    assert any("付清" in text for text in last)
    assert any("盖章" in text for text in last)
    # The grid was not split away from the seal: no other page has a box to sign in.
    assert not any("签名" in line.text or "指印" in line.text for page in pages[:-1] for line in page)


def test_few_parties_sign_a_row_each_and_many_several_to_a_row() -> None:
    from mediation_desk.documents import agreement

    styles = forms.form_styles()
    few = agreement.party_signature_grid(_crowd_of(4), styles, _SIGNED_ON)
    many = agreement.party_signature_grid(_crowd_of(8), styles, _SIGNED_ON)
    assert isinstance(few, Table) and isinstance(many, Table)
    assert len(few._cellvalues[0]) == 4  # 当事人 签名 指印 盖章, as before
    assert len(many._cellvalues[0]) == 6  # two to a row
    assert len(many._cellvalues) < len(few._cellvalues) + 4


@pytest.mark.parametrize("filler", [3, 8, 12])
def test_many_signers_on_lines_share_their_page_with_text(filler: int) -> None:
    """The rules to sign on (a mediation record of fourteen signers and the seal)."""
    styles = forms.form_styles()
    parties = _crowd_of(12)
    names = forms.signers(parties, _SIGNED_ON)
    story: list[object] = [Paragraph("甲" * 90, styles.body) for _ in range(filler)]
    story += [Paragraph("经调解，当事人自愿达成调解协议，协议内容以人民调解协议书为准。" * 2, styles.body),
              Spacer(0, 3 * mm),
              forms.signature_block([("当事人（签名、盖章或按指印）", names),
                                     ("人民调解员（签名）", ["李建国", "马兰"]), ("记录人（签名）", ["王晓燕"])],
                                    styles, base.A4_PORTRAIT.frame_width),
              Spacer(0, 2 * mm), forms.seal_block(_ISSUER.committee, _SIGNED_ON, styles, base.A4_PORTRAIT.frame_width)]
    pages = _render(story)
    assert composition.signature_only_pages(pages, composition.signer_phrases(parties, _ISSUER)) == []
    assert any("为准" in line.text for line in pages[-1])


def test_the_checker_finds_a_page_of_only_grid_rows() -> None:
    """Rows of the parties' grid whose long names break over their boxes are signature lines."""
    parties = [_party(2, PartyKind.LEGAL_PERSON), _party(3, minor=True)]
    pdf = _pdf([
        [(80, 700, "经调解，双方当事人自愿达成如下协议，具体内容如下所述，各方应当遵守"), (80, 680, "执行。")],
        [(80, 700, "当事人"), (200, 700, "签名"), (300, 700, "指印或盖章"),
         (80, 670, "申请人：张掖市甘州区第"), (80, 655, "2建筑工程有限责任公司"), (200, 650, "法定代表人（负"),
         (200, 638, "责人）或委托代"), (200, 626, "理人签名"), (300, 640, "（单位盖"), (300, 628, "章）"),
         (80, 600, "刘小红的法定代理"), (80, 585, "人：王大山"), (300, 580, "（按指印）"),
         (300, 500, "甘州区人民调解委员会（盖章）"), (330, 480, "2026年3月9日")],
    ])
    assert parties[1].name == "刘小红"
    signers = composition.signer_phrases(parties, _ISSUER)
    assert [(f.rule, f.page) for f in composition.check_pdf(pdf, "agreement", signers=signers)] == \
        [("signature-only", 2)]
    # Without knowing who signs, the broken names would read as text.
    assert composition.check_pdf(pdf, "agreement") == []
