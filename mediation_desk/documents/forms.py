"""What the people's-mediation forms share: who issues them, type, parties, signature blocks, pages.

The forms follow the Ministry of Justice formats (人民调解文书格式, 2010; see FORMS.md): a bold
title, the number at the right, the body in a Song face (宋体, here Noto Serif CJK SC) at 小四,
blanks to write on where the parties sign, and "（盖章）" where the committee's seal goes. Every
page carries the small QR code of :mod:`pagecode` at its lower right and "第 N 页 共 M 页" at the
foot, so a signed page that comes back is filed to its case and document by scanning it.

Every value from the database is user text: it goes through :func:`base.paragraph` /
:func:`base.escape` with the paragraph's font (markup is never read, each character is drawn in
a font that has it), and through :func:`base.clip` wherever it lands in a table cell (a table
row cannot break across pages).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Spacer, Table, TableStyle

from ..models.enums import IdDocumentType, PartyKind, PartyRole
from ..readmodels import minors
from ..readmodels.center import Issuer
from . import base, layout
from .fonts import FONT_NAME, SERIF_NAME, register_serif
from .pagecode import PAGE_CODE_SIZE, PageCode, draw_page_code

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail, PartyView

#: No-break spaces hold room on a line (a Paragraph collapses plain spaces).
NBSP = "\u00a0"
#: "    年  月  日" to write a date in by hand.
BLANK_DATE = f"{NBSP * 10}年{NBSP * 6}月{NBSP * 6}日"
#: How much of one party's name a form prints before cutting it with a note.
MAX_NAME_CHARS = 60
#: A cell of a form's table: one statement or one term; the rest is in the case record.
MAX_CELL_TEXT = 1200
MAX_CELL_TEXT_LINES = 30
#: Body text (facts, statements, the course of a session) splits across pages, but one
#: paragraph of it is cut past this many characters: a pasted book is not a statement.
MAX_BODY_TEXT = 20_000


# --------------------------------------------------------------------------- dates and people


def cn_date(day: date | datetime | None) -> str:
    """``2026年3月5日`` (GB/T 9704: Arabic numerals, no leading zeros); a blank to write in
    when there is no date."""
    if day is None:
        return BLANK_DATE
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: datetime) -> str:
    return f"{cn_date(moment)}{moment.hour}时{moment.minute:02d}分"


def age_on(birth: date, on: date) -> int:
    return minors.age_on(birth, on)


def ethnicity(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith("族") or text in ("其他", "未识别民族") else f"{text}族"


def id_label(kind: IdDocumentType | None) -> str:
    if kind is None or kind is IdDocumentType.RESIDENT_ID:
        return "公民身份号码"
    return f"{kind.label}号码"


def party_name(party: PartyView) -> str:
    return base.clip(party.name, MAX_NAME_CHARS)


#: Occupations with no employer: a blank work unit of such a person is "无", of anyone else "不详".
_NO_EMPLOYER = ("农民", "务农", "无业", "退休", "个体", "自由职业", "学生", "家务")


def work_unit_or_blank(party: PartyView) -> str:
    """The work unit, or what a court's paper says when there is none on file (CPL art. 124 lists
    it for every natural person): "无" for someone with no employer, "不详" when it is not known."""
    return party.work_unit.strip() or work_unit_when_none(party.occupation)


def work_unit_when_none(occupation: str) -> str:
    """What a court's paper prints for a person with no work unit on file, by their occupation."""
    return "无" if any(word in occupation for word in _NO_EMPLOYER) else "不详"


def describe_party(party: PartyView, on: date, *, label: str | None = None, full_id: bool = True,
                   work_unit_always: bool = False) -> str:
    """One party the way judicial documents list them: role, name, then the details in order.

    A person: sex, ethnicity, birth date and age on ``on``, occupation, work unit, ID number,
    address, phone. An organisation: credit code, seat, phone, then its legal representative.
    Blank details are left out; the agent, when there is one, follows on its own line.
    """
    role = label if label is not None else party.role.label
    details: list[str] = []
    if party.kind is PartyKind.PERSON:
        if party.gender is not None:
            details.append(party.gender.label)
        if party.ethnicity.strip():
            details.append(ethnicity(party.ethnicity))
        if party.birth_date is not None:
            details.append(f"{cn_date(party.birth_date)}出生（{age_on(party.birth_date, on)}岁）")
        if party.occupation.strip():
            details.append(party.occupation.strip())
        if party.work_unit.strip() or work_unit_always:
            details.append(f"工作单位：{work_unit_or_blank(party)}")
        if party.id_number.strip() and full_id:
            details.append(f"{id_label(party.id_type)}：{party.id_number.strip()}")
        if party.address.strip():
            details.append(f"住{party.address.strip()}")
    else:
        details.append(party.kind.label)
        if party.credit_code.strip():
            details.append(f"统一社会信用代码：{party.credit_code.strip()}")
        if party.address.strip():
            details.append(f"住所地：{party.address.strip()}")
    if party.phone.strip():
        details.append(f"联系电话：{party.phone.strip()}")
    text = f"{role}：{party_name(party)}" + (f"，{'，'.join(details)}" if details else "") + "。"
    if party.kind is not PartyKind.PERSON:
        representative = party.legal_representative.strip() or NBSP * 12
        text += (f"\n法定代表人（负责人）：{base.clip(representative, MAX_NAME_CHARS)}，"
                 f"职务：{representative_position(party)}。")
    if party.minor_on(on):
        # A minor acts through the guardian (民法典 arts. 23, 27): the 法定代理人, never a 委托代理人.
        guardian = party.agent_name.strip() or NBSP * 12
        text += f"\n法定代理人：{base.clip(guardian, MAX_NAME_CHARS)}。"
    elif party.agent_name.strip():
        text += f"\n委托代理人：{base.clip(party.agent_name, MAX_NAME_CHARS)}。"
    return text


def guardian_line(party: PartyView) -> str:
    """Under a minor's signature rule: ``周某某的法定代理人周某``."""
    return f"{base.clip(party.name, MAX_NAME_CHARS)}的法定代理人{base.clip(party.agent_name.strip(), MAX_NAME_CHARS)}"


def signers(parties: Sequence[PartyView], on: date) -> list[str]:
    """The names to sign for ``parties`` on ``on``: each party, and after a minor its guardian."""
    names: list[str] = []
    for party in parties:
        names.append(party.name)
        if party.minor_on(on):
            names.append(guardian_line(party))
    return names


def representative_position(party: PartyView) -> str:
    """An organisation's legal representative's position (职务; kept in the party's occupation),
    "不详" when it was not registered: a blank would read as forgotten."""
    return base.clip(party.occupation.strip(), 40) or "不详"


def names_of(parties: Sequence[PartyView], role: PartyRole | None = None, sep: str = "、") -> str:
    chosen = [p for p in parties if role is None or p.role is role]
    return sep.join(party_name(p) for p in chosen)


def all_parties(count: int) -> str:
    """"双方当事人" for two parties, "各方当事人" for more (or an unknown number)."""
    return "双方当事人" if count == 2 else "各方当事人"


_DIGITS = "〇一二三四五六七八九"


def cn_count(number: int) -> str:
    """A count in Chinese numerals, as "一式三份" writes it: 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三."""
    if number < 0 or number >= 100:
        return str(number)
    tens, units = divmod(number, 10)
    if tens == 0:
        return _DIGITS[units]
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[units] if units else "")


#: How many parties one cell of a form's table lists (a table row cannot break across pages).
PARTIES_PER_CELL = 4


def party_chunks(parties: Sequence[PartyView]) -> list[list[PartyView]]:
    """``parties`` in runs of :data:`PARTIES_PER_CELL`, one table row each; one empty run for
    none (the row is still printed)."""
    return [list(parties[i:i + PARTIES_PER_CELL]) for i in range(0, len(parties), PARTIES_PER_CELL)] or [[]]


def ordered_parties(detail: CaseDetail) -> list[PartyView]:
    """Applicants, then respondents, then third parties; registration order within a role."""
    order = list(PartyRole)
    return sorted(detail.parties, key=lambda p: order.index(p.role))


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class FormStyles:
    doc: base.Styles
    #: Running text: indented first line.
    body: ParagraphStyle
    #: A line of the form: "时间：……"; hanging so a wrapped value lines up under itself.
    line: ParagraphStyle
    #: A section's heading inside the body: "纠纷简要情况：".
    section: ParagraphStyle
    #: A numbered item: "1. ……", hanging indent.
    item: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    label: ParagraphStyle
    sign: ParagraphStyle
    sign_right: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle


def form_styles(body_size: float = base.ZIHAO["小四"]) -> FormStyles:
    doc = base.make_styles(body_size, font=register_serif())
    lead = round(body_size * 1.75, 1)  # forms are written on: a little more air than a report
    body = ParagraphStyle("form_body", parent=doc.body, leading=lead, spaceAfter=2)
    line = ParagraphStyle("form_line", parent=doc.body, leading=lead, firstLineIndent=0, spaceAfter=1)
    section = ParagraphStyle("form_section", parent=line, spaceBefore=body_size * 0.4, fontName=FONT_NAME,
                             keepWithNext=1)
    item = ParagraphStyle("form_item", parent=line, leftIndent=body_size * 2, firstLineIndent=-body_size * 1.2)
    cell = ParagraphStyle("form_cell", parent=doc.cell, leading=round(doc.cell.fontSize * 1.5, 1))
    return FormStyles(
        doc=doc,
        body=body,
        line=line,
        section=section,
        item=item,
        cell=cell,
        cell_centre=ParagraphStyle("form_cell_centre", parent=cell, alignment=TA_CENTER),
        label=ParagraphStyle("form_label", parent=cell, alignment=TA_CENTER),
        sign=ParagraphStyle("form_sign", parent=line, alignment=TA_LEFT),
        sign_right=ParagraphStyle("form_sign_right", parent=line, alignment=TA_RIGHT),
        small=ParagraphStyle("form_small", parent=doc.small, fontName=doc.body.fontName,
                             leading=round(doc.small.fontSize * 1.5, 1)),
        right=ParagraphStyle("form_right", parent=line, alignment=TA_RIGHT),
        centre=ParagraphStyle("form_centre", parent=line, alignment=TA_CENTER),
    )


# --------------------------------------------------------------------------- pieces


def title(text: str, *, size: float = base.ZIHAO["二号"], space_after: float = 4 * mm) -> base.Heading:
    """The form's title: sans, drawn bold, letter-spaced when short (公文 habit)."""
    spacing = size * 0.3 if len(text) <= 8 else size * 0.08
    return base.Heading(text, size, letter_spacing=spacing, weight=0.035, space_after=space_after)


def number_line(number: str, styles: FormStyles, label: str = "编号") -> Paragraph:
    return Paragraph(f"{label}：{base.escape(number, styles.right.fontName)}", styles.right)


def text(value: str, style: ParagraphStyle, max_chars: int = MAX_BODY_TEXT) -> Paragraph:
    """A paragraph of user text (escaped, clipped only past ``max_chars``)."""
    return base.paragraph(base.clip(value, max_chars), style)


def labelled(label: str, value: str, styles: FormStyles, *, max_chars: int = MAX_BODY_TEXT) -> Paragraph:
    """``标签：值`` as one line of the form; the label is ours, the value user text."""
    font = styles.line.fontName
    return Paragraph(f"{base.escape(label, font)}：{base.escape(base.clip(value, max_chars), font)}", styles.line)


def paragraphs(value: str, style: ParagraphStyle, *, empty: str = "（无）") -> list[Flowable]:
    """User text of several paragraphs (one per line break), each a splittable Paragraph."""
    value = base.clip(value, MAX_BODY_TEXT)
    lines = [line.strip() for line in base.clean(value).split("\n") if line.strip()]
    if not lines:
        return [base.paragraph(empty, style)]
    return [base.paragraph(line, style) for line in lines]


def numbered(items: Sequence[str], styles: FormStyles) -> list[Flowable]:
    """``1. …`` ``2. …``; the numbers are ours."""
    font = styles.item.fontName
    return [Paragraph(f"{index}.{NBSP}{base.escape(base.clip(item, MAX_BODY_TEXT), font)}", styles.item)
            for index, item in enumerate(items, start=1)]


def section(label: str, styles: FormStyles) -> Paragraph:
    return Paragraph(f"{base.escape(label, styles.section.fontName)}：", styles.section)


def plain_table(rows: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = (),
                valign: str = "BOTTOM", padding: float = 0) -> Table:
    """A table that only places things side by side: no rules."""
    return Table(rows, colWidths=list(widths), hAlign="LEFT", style=TableStyle([
        # Empty cells are drawn in a font too; reportlab's default would add Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), SERIF_NAME),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *extra,
    ]))


def ruled_table(rows: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = (),
                heights: Sequence[float | None] | None = None, repeat_rows: int = 0) -> Table:
    """A form's grid: black rules, cells padded, text vertically centred."""
    return Table(rows, colWidths=list(widths), rowHeights=list(heights) if heights else None, hAlign="LEFT",
                 repeatRows=repeat_rows, style=TableStyle([
                     ("FONTNAME", (0, 0), (-1, -1), SERIF_NAME),
                     ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                     ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 4),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                     ("TOPPADDING", (0, 0), (-1, -1), 3),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                     *extra,
                 ]))


def cell(value: str, styles: FormStyles, *, max_chars: int = MAX_CELL_TEXT, max_lines: int = MAX_CELL_TEXT_LINES,
         style: ParagraphStyle | None = None) -> Paragraph:
    """User text in a table cell, cut with a note past the limits so no row outgrows a page."""
    return base.paragraph(base.clip(value, max_chars, max_lines), style or styles.cell)


def label_cell(label: str, styles: FormStyles) -> Paragraph:
    return base.paragraph(label, styles.label)


def split_names(names: str) -> list[str]:
    """``李建国、马兰`` → ``["李建国", "马兰"]``: each person signs on a line of their own."""
    parts = [part.strip() for part in re.split(r"[、，,；;]", names)]
    return [part for part in parts if part] or [names.strip()]


#: A group of more signers than this signs under its label on rows of their own, three and then
#: four to a row (:func:`signature_block`).
SIGNERS_BESIDE_LABEL_UP_TO = 4


def signature_block(groups: Sequence[tuple[str, Sequence[str]]], styles: FormStyles, width: float, *,
                    slot: float = 38 * mm, gap: float = 5 * mm) -> Flowable:
    """Who signs where: a label per group, then a rule to sign on for each person of it, the
    person's name printed small under the rule so the right person signs on the right line.

    ``groups`` are (label, names) pairs, ``("当事人（签名、盖章或按指印）", ["张三", "李四"])``; a
    group with no names gets one unnamed rule. Rules that do not fit beside the label continue
    on the next rows, under the first. A group of many signers has its label on a line of its
    own and the rules across the whole width; the block has denser forms
    (:func:`layout.signature_choices`) for where it would not fit a page with the text it signs.
    """
    many = max((len(names) for _label, names in groups), default=0) > SIGNERS_BESIDE_LABEL_UP_TO
    above3 = _signature_rows(groups, styles, width, slot=slot, gap=gap, label_above=3)
    above4 = _signature_rows(groups, styles, width, slot=slot, gap=gap, label_above=4, padding=6 * mm)
    above5 = _signature_rows(groups, styles, width, slot=slot, gap=3 * mm, label_above=5, padding=4.5 * mm)
    if many:
        return layout.signature_choices(above3, above4, above5)
    return layout.signature_choices(_signature_rows(groups, styles, width, slot=slot, gap=gap), above3, above4, above5)


def _signature_rows(groups: Sequence[tuple[str, Sequence[str]]], styles: FormStyles, width: float, *,
                    slot: float, gap: float, label_above: int = 0, padding: float = 8 * mm) -> Table:
    """The rules of :func:`signature_block`: beside the labels, or (``label_above`` to a row)
    under labels on lines of their own; ``padding`` is the room above each rule to sign in."""
    label_style = styles.sign
    labels = [f"{label}：" for label, _names in groups]
    if label_above:
        per_row = label_above
        label_w = 0.0
        slot_w = (width - gap * (per_row - 1)) / per_row
    else:
        label_w = max(stringWidth(text, label_style.fontName, label_style.fontSize) for text in labels) + 2 * mm
        label_w = min(label_w, width * 0.5)
        per_row = max(1, int((width - label_w + gap) // (slot + gap)))
        slot_w = min(slot * 1.3, (width - label_w - gap * (per_row - 1)) / per_row)
    widths = [label_w]
    for index in range(per_row):
        if index:
            widths.append(gap)
        widths.append(slot_w)
    widths.append(max(width - sum(widths), 0))
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    name_style = ParagraphStyle("sign_name", parent=styles.small, alignment=TA_CENTER,
                                leading=styles.small.fontSize * 1.3)
    for (_label, names), text in zip(groups, labels, strict=True):
        people = [base.clip(name, 40, note=False) for name in names if name.strip()] or [""]
        label_para = Paragraph(base.escape(text, label_style.fontName), label_style)
        offset = 0  # slots the label takes on the first row of rules
        if label_above:
            need = stringWidth(text, label_style.fontName, label_style.fontSize)
            span = math.ceil((need + gap) / (slot_w + gap) - 1e-6)
            if len(people) <= per_row - span:
                offset = span  # few signers: the label before their rules, on the same row
            else:
                label_row: list[Any] = [label_para] + [""] * (len(widths) - 1)
                commands += [("SPAN", (0, len(rows)), (-1, len(rows))),
                             ("TOPPADDING", (0, len(rows)), (-1, len(rows)), 2 * mm)]
                rows.append(label_row)
        start = 0
        while start < len(people):
            first = start == 0
            room = per_row - (offset if first else 0)
            chunk = people[start:start + room]
            skip = offset if first else 0
            line_row: list[Any] = [label_para if first and not label_above else ""]
            name_row: list[Any] = [""]
            for index in range(per_row):
                if index:
                    line_row.append("")
                    name_row.append("")
                column = 1 + 2 * index
                person = index - skip
                if first and index == 0 and skip:
                    line_row.append(label_para)
                    name_row.append("")
                    commands.append(("SPAN", (1, len(rows)), (2 * skip - 1, len(rows))))
                elif 0 <= person < len(chunk):
                    line_row.append("")
                    name_row.append(base.paragraph(chunk[person], name_style) if chunk[person] else "")
                    commands.append(("LINEBELOW", (column, len(rows)), (column, len(rows)), 0.6, colors.black))
                else:
                    line_row.append("")
                    name_row.append("")
            line_row.append("")
            name_row.append("")
            commands.append(("TOPPADDING", (0, len(rows)), (-1, len(rows)), padding))
            if label_above:  # narrower slots: a long name takes two lines, clear of the rule
                commands.append(("TOPPADDING", (0, len(rows) + 1), (-1, len(rows) + 1), 1.5))
            rows += [line_row, name_row]
            start += room
    return plain_table(rows, widths, extra=commands)


def seal_block(committee: str, day: date | None, styles: FormStyles, width: float, *,
               seal_label: str = "（盖章）") -> Table:
    """The committee's name, "（盖章）" and the date, right-aligned: the seal is stamped across
    them (落款), and the space above is left for it."""
    name = f"{base.clip(committee, 40, note=False)}{seal_label}"
    need = stringWidth(name, styles.centre.fontName, styles.centre.fontSize) + 6 * mm
    block = min(max(need, 60 * mm), width)
    body = [
        [Spacer(0, 14 * mm)],
        [base.paragraph(name, styles.centre)],
        [base.paragraph(cn_date(day), styles.centre)],
    ]
    inner = plain_table(body, [block], valign="MIDDLE")
    return layout.signature(plain_table([["", inner]], [width - block, block]))


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class FormInfo:
    """What one printed form is, for its metadata and its pages' codes."""

    kind: str
    document_id: int
    title: str
    case_number: str
    issuer: Issuer
    #: The moment the document speaks for: its PDF creation date (so a reprint is the same bytes).
    created: datetime
    subject: str = ""


def _page_code_decoration(info: FormInfo, page: base.PageSetup) -> base.PageDecoration:
    def decorate(canvas: Canvas, doc: BaseDocTemplate) -> None:
        code = PageCode(info.case_number, info.kind, info.document_id, canvas.getPageNumber())
        # In the lower margin, flush with the text block's right edge, clear of the centred
        # page number and of the text above.
        x = page.width - page.right - PAGE_CODE_SIZE
        draw_page_code(canvas, code, x, 9 * mm)

    return decorate


def render_form(story: Sequence[Flowable], info: FormInfo, *, page: base.PageSetup = base.A4_PORTRAIT) -> bytes:
    """Lay out a form: pages numbered "第 N 页 共 M 页", a page code on each, metadata."""
    case_number = base.clean(info.case_number).replace("\n", " ")
    pdf_info = base.DocumentInfo(
        title=f"{info.title} {case_number}",
        author=info.issuer.center_name,
        created=info.created,
        subject=base.clip(info.subject, 100) if info.subject else info.title,
        keywords=(info.title, case_number, f"{info.kind}:{info.document_id}"),
    )
    fixed = FormInfo(info.kind, info.document_id, info.title, case_number, info.issuer, info.created, info.subject)
    # A signature or seal block never goes to a page of its own (layout.keep_signatures).
    kept = layout.keep_signatures(story, (page.frame_width, page.frame_height))
    return base.build_pdf(kept, pdf_info, page=page, page_numbers=True,
                          decorate=_page_code_decoration(fixed, page))


def at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
