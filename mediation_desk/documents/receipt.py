"""The intake receipt (受理回执) the window hands to the citizen.

Paper: one A4 sheet cut in two along a dashed line. The upper half (210 × 148.5 mm, the size
of an A5 sheet on its side) is the receipt the citizen takes away; the lower half is its stub
(存根), which the citizen signs and the center files in the case dossier as proof the receipt
was given. A4 because every window has an A4 printer and no A5 tray: an A5 PDF sent to an A4
printer is either scaled up to a poster-sized slip or printed in a corner, depending on the
driver. Both halves carry the case number as a QR code, so the signed stub can be scanned and
filed to the right case without typing.

The slip leaves the building, so ID numbers are printed as the first 6 and last 4 characters
and phone numbers as the first 3 and last 4 (DESIGN.md, masking conventions); nothing else
personal (address, birth date) is printed at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..models.enums import IdDocumentType, PartyKind, PartyRole
from ..readmodels.masking import mask_id_number, mask_phone
from . import base
from .fonts import FONT_NAME, missing_characters

if TYPE_CHECKING:
    from ..readmodels.cases import CaseDetail

#: The sheet and its halves' margins. Left and right are equal so the centred titles sit in
#: the middle of the paper; 20 mm leaves room to bind the stub into the dossier.
SHEET = base.PageSetup(A4[0], A4[1], top=14 * mm, bottom=10 * mm, left=20 * mm, right=20 * mm)
HALF_HEIGHT = A4[1] / 2
CUT_GAP = 10 * mm
QR_SIZE = 24 * mm

#: How many parties of one role the slip names before it says "等 N 人".
MAX_PARTIES_PER_ROLE = 3
#: A name longer than this is cut with a note (a company's full name fits easily).
MAX_NAME_CHARS = 40
#: Title, next step and contact are cut with a note past this: two to three lines on the slip.
MAX_FIELD_CHARS = 120
MAX_FIELD_LINES = 3
#: The center's name as a heading and by the seal; the longest real ones are about 20.
MAX_CENTER_NAME_CHARS = 30


# --------------------------------------------------------------------------- masking


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ReceiptParty:
    """A party as the receipt names them. ``id_number`` and ``phone`` are given in full and
    printed masked."""

    role: PartyRole
    name: str
    kind: PartyKind = PartyKind.PERSON
    id_type: IdDocumentType | None = None
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ReceiptData:
    """Everything the receipt prints, as plain values."""

    center_name: str
    case_number: str
    received_at: datetime
    dispute_type: str
    title: str
    parties: tuple[ReceiptParty, ...]
    #: What happens next, in the center's words ("中心将在 3 个工作日内联系您……").
    next_step: str
    center_address: str = ""
    center_phone: str = ""
    #: The clerk at the window; blank leaves the line to sign by hand.
    clerk: str = ""
    #: The date by the seal and the PDF's creation date; defaults to ``received_at`` so a
    #: reprint of the same case is the same document, byte for byte.
    issued_at: datetime | None = None

    @classmethod
    def from_case(cls, detail: CaseDetail, center_name: str, center_address: str, center_phone: str,
                  next_step: str, *, clerk: str = "", issued_at: datetime | None = None) -> ReceiptData:
        """The receipt of a registered case (``services.cases.case_detail``)."""
        return cls(
            center_name=center_name,
            case_number=detail.number,
            received_at=detail.received_at,
            dispute_type=detail.dispute_type,
            title=detail.title,
            parties=tuple(
                # Only people carry an identity number here; an organisation is known by its name.
                ReceiptParty(role=p.role, name=p.name, kind=p.kind, id_type=p.id_type,
                             id_number=p.id_number if p.kind is PartyKind.PERSON else "", phone=p.phone)
                for p in detail.parties
            ),
            next_step=next_step,
            center_address=center_address,
            center_phone=center_phone,
            clerk=clerk,
            issued_at=issued_at,
        )

    @property
    def issue_time(self) -> datetime:
        return self.issued_at or self.received_at

    def texts(self) -> list[str]:
        """Every piece of text the receipt prints from this data (for coverage checks)."""
        texts = [self.center_name, self.case_number, self.dispute_type, self.title, self.next_step,
                 self.center_address, self.center_phone, self.clerk]
        texts += [p.name for p in self.parties]
        return texts

    def missing_characters(self) -> str:
        """Characters of this receipt the font cannot print; warn the clerk before printing."""
        return missing_characters("".join(self.texts()))


# --------------------------------------------------------------------------- layout


def _date(moment: datetime) -> str:
    # GB/T 9704 writes dates in full with Arabic numerals and no leading zeros.
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _date_time(moment: datetime) -> str:
    return f"{_date(moment)} {moment:%H:%M}"


def _party_line(party: ReceiptParty) -> str:
    name = base.clip(party.name, MAX_NAME_CHARS)
    details: list[str] = []
    if party.kind is not PartyKind.PERSON:
        details.append(party.kind.label)
    if party.id_number:
        kind = party.id_type or IdDocumentType.RESIDENT_ID
        label = "身份证号" if kind is IdDocumentType.RESIDENT_ID else f"{kind.label}号码"
        details.append(f"{label} {mask_id_number(party.id_number)}")
    if party.phone:
        details.append(f"电话 {mask_phone(party.phone)}")
    return f"{name}（{'，'.join(details)}）" if details else name


def _parties_text(parties: Sequence[ReceiptParty]) -> str:
    lines = [_party_line(p) for p in parties[:MAX_PARTIES_PER_ROLE]]
    if len(parties) > MAX_PARTIES_PER_ROLE:
        lines.append(f"等 {len(parties)} 人（全部名单见案卷）")
    return "\n".join(lines)


def _qr(case_number: str) -> Drawing:
    # ECI 26 declares the bytes UTF-8; without it a reader guesses the charset of the Chinese
    # characters in the number and may show mojibake. Level M survives a smudge or a fold.
    value = [qrencoder.QRECI(26), qrencoder.QR8bitByte(case_number)]
    widget = QrCodeWidget(value, barWidth=QR_SIZE, barHeight=QR_SIZE, barLevel="M", barBorder=2)
    drawing = Drawing(QR_SIZE, QR_SIZE)
    # The renderer opens each drawing with a font selected (Helvetica unless told otherwise),
    # which would add an unembedded font to the PDF although the QR code has no text.
    drawing.initialFontName = FONT_NAME
    drawing.add(widget)
    return drawing


@dataclass(frozen=True)
class _Styles:
    doc: base.Styles
    note: ParagraphStyle
    tag: ParagraphStyle
    sign: ParagraphStyle
    sign_centre: ParagraphStyle


def _styles() -> _Styles:
    doc = base.make_styles(body_size=base.ZIHAO["小四"])
    sign = ParagraphStyle("sign", parent=doc.cell, leading=base.ZIHAO["五号"] * 1.6)
    return _Styles(
        doc=doc,
        note=ParagraphStyle("note", parent=doc.cell, spaceBefore=5),
        tag=ParagraphStyle("tag", parent=doc.small, alignment=TA_RIGHT),
        sign=sign,
        sign_centre=ParagraphStyle("sign_centre", parent=sign, alignment=TA_CENTER),
    )


def _text_width(text: str, style: ParagraphStyle) -> float:
    return float(stringWidth(text, style.fontName, style.fontSize))


def _plain_table(rows: list[list[object]], widths: list[float], extra: Sequence[tuple[object, ...]] = (),
                 valign: str = "MIDDLE") -> Table:
    """A table used only to place things side by side: no rules, no padding."""
    return Table(rows, colWidths=widths, hAlign="LEFT", style=TableStyle([
        # Empty cells are drawn in a font as well; reportlab's default would add Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *extra,
    ]))


def _masthead(data: ReceiptData, title: str, width: float, copy_tag: str, styles: _Styles) -> list[Flowable]:
    """Center name and title centred on the sheet, the QR code at the right, then the number."""
    headings = [
        base.Heading(data.center_name, base.ZIHAO["三号"], weight=0.025, space_after=2,
                     max_chars=MAX_CENTER_NAME_CHARS),
        base.Heading(title, base.ZIHAO["二号"], letter_spacing=base.ZIHAO["二号"] * 0.35),
    ]
    # An empty column as wide as the QR code keeps the titles on the sheet's centre line.
    top = _plain_table([["", headings, _qr(data.case_number)]], [QR_SIZE, width - 2 * QR_SIZE, QR_SIZE])
    number = _plain_table(
        [[Paragraph(f"案件编号：{base.escape(data.case_number)}", styles.doc.cell),
          Paragraph(base.escape(copy_tag), styles.tag)]],
        [width * 0.65, width * 0.35],
        extra=[("BOTTOMPADDING", (0, 0), (-1, -1), 3)],
        valign="BOTTOM",
    )
    return [top, number]


def _party_fields(data: ReceiptData) -> list[base.Field]:
    fields = []
    for role in PartyRole:
        of_role = [p for p in data.parties if p.role is role]
        if of_role:
            # Names are cut one by one in _party_line; the cell must not cut the list again,
            # or the "等 N 人" line would be lost.
            fields.append(base.Field(role.label, _parties_text(of_role), wide=True, max_chars=100_000,
                                     max_lines=MAX_PARTIES_PER_ROLE + 1))
    return fields


def _fields_table(fields: list[base.Field], width: float, styles: _Styles) -> Table:
    return base.key_value_table(fields, width=width, styles=styles.doc, label_width=20 * mm, pairs_per_row=2,
                                max_chars=MAX_FIELD_CHARS, max_lines=MAX_FIELD_LINES)


_NBSP = "\u00a0"


def _write_on(cell: tuple[int, int]) -> tuple[object, ...]:
    """A rule under ``cell`` to write on (the signature lines)."""
    return ("LINEBELOW", cell, cell, 0.6, colors.black)


def _clerk(data: ReceiptData, styles: _Styles) -> Paragraph | str:
    # Printed on the line when known; the clerk still signs beside it.
    return base.paragraph(base.clip(data.clerk, 8, note=False), styles.sign_centre) if data.clerk.strip() else ""


def _receipt_half(data: ReceiptData, width: float, styles: _Styles) -> list[Flowable]:
    # The registering center's own address and phone; one it has not kept is a line to write on
    # (docs/centers.md "The papers a center issues"): never another center's.
    address, phone = data.center_address.strip() or base.WRITE_IN, data.center_phone.strip() or base.WRITE_IN
    contact = f"地址：{address}；电话：{phone}"
    fields = [
        base.Field("登记时间", _date_time(data.received_at)),
        base.Field("纠纷类型", base.clip(data.dispute_type, 16, note=False)),
        base.Field("纠纷事项", data.title, wide=True),
        *_party_fields(data),
        base.Field("后续安排", data.next_step, wide=True),
    ]
    fields.append(base.Field("联系方式", contact, wide=True))
    # The seal (a 42 mm circle) is stamped across the center's name and the date, 落款 style;
    # the column is as wide as the name so the date centres under it.
    signer = f"{base.clip(data.center_name, MAX_CENTER_NAME_CHARS, note=False)}（盖章）"
    seal_width = min(_text_width(signer, styles.sign) + 4 * mm, width - 70 * mm)
    seal = [base.paragraph(signer, styles.sign_centre), base.paragraph(_date(data.issue_time), styles.sign_centre)]
    label = _text_width("经办人：", styles.sign) + 1 * mm
    signatures = _plain_table(
        [[Paragraph("经办人：", styles.sign), _clerk(data, styles), "", seal]],
        [label, 36 * mm, width - label - 36 * mm - seal_width, seal_width],
        extra=[_write_on((1, 0))],
        valign="BOTTOM",
    )
    return [
        *_masthead(data, "受理回执", width, "回执联 · 交当事人收执", styles),
        _fields_table(fields, width, styles),
        base.paragraph("您反映的纠纷已登记。请妥善保管本回执；查询办理进度或补充材料时，请出示本回执或告知案件编号。",
                       styles.note),
        Spacer(0, 14),
        signatures,
    ]


def _stub_half(data: ReceiptData, width: float, styles: _Styles) -> list[Flowable]:
    fields = [
        base.Field("登记时间", _date_time(data.received_at)),
        base.Field("纠纷类型", base.clip(data.dispute_type, 16, note=False)),
        base.Field("纠纷事项", data.title, wide=True),
        *_party_fields(data),
    ]
    # No-break spaces hold the room to write the date in: a Paragraph collapses plain spaces.
    blank_date = f"{_NBSP * 14}年{_NBSP * 8}月{_NBSP * 8}日"
    label = _text_width("当事人签收：", styles.sign) + 1 * mm
    date_label = _text_width("签收日期：", styles.sign) + 1 * mm
    signatures = _plain_table(
        [[Paragraph("当事人签收：", styles.sign), "", "", Paragraph("签收日期：", styles.sign),
          Paragraph(blank_date, styles.sign)],
         [Paragraph("经办人：", styles.sign), _clerk(data, styles), "", "", ""]],
        [label, 36 * mm, width - label - 36 * mm - date_label - 45 * mm, date_label, 45 * mm],
        extra=[_write_on((1, 0)), _write_on((1, 1)), ("TOPPADDING", (0, 1), (-1, 1), 10)],
        valign="BOTTOM",
    )
    return [
        *_masthead(data, "受理回执存根", width, "存根联 · 中心留存归卷", styles),
        _fields_table(fields, width, styles),
        base.paragraph("上述纠纷已登记，受理回执已交当事人收执。", styles.note),
        Spacer(0, 14),
        signatures,
    ]


def _cut_line(canvas: Canvas, doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#808080"))
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(8 * mm, HALF_HEIGHT, A4[0] - 8 * mm, HALF_HEIGHT)
    label = "✂ 沿此线剪开"
    size = base.ZIHAO["小五"]
    label_width = canvas.stringWidth(label, FONT_NAME, size) + 4 * mm
    canvas.setFillColor(colors.white)
    canvas.rect((A4[0] - label_width) / 2, HALF_HEIGHT - size, label_width, 2 * size, stroke=0, fill=1)
    canvas.setFillColor(colors.HexColor("#606060"))
    canvas.setFont(FONT_NAME, size)
    canvas.drawCentredString(A4[0] / 2, HALF_HEIGHT - size * 0.35, label)
    canvas.restoreState()


def render_receipt(data: ReceiptData) -> bytes:
    """The receipt and its stub on one A4 sheet, as PDF bytes (same data, same bytes)."""
    styles = _styles()
    width = SHEET.frame_width
    # Each half keeps the sheet's margin at its outer edge and CUT_GAP at the cut, so a slightly
    # crooked cut never touches text.
    upper_height = HALF_HEIGHT - SHEET.top - CUT_GAP
    lower_height = HALF_HEIGHT - CUT_GAP - SHEET.bottom
    upper = Frame(SHEET.left, HALF_HEIGHT + CUT_GAP, width, upper_height, id="receipt",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    lower = Frame(SHEET.left, SHEET.bottom, width, lower_height, id="stub",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    # Whatever the data, each half stays one half: content that would not fit is scaled down
    # (never split onto a second sheet, never a LayoutError).
    story = [
        KeepInFrame(width, upper_height, _receipt_half(data, width, styles), mode="shrink"),
        FrameBreak(),
        KeepInFrame(width, lower_height, _stub_half(data, width, styles), mode="shrink"),
    ]
    info = base.DocumentInfo(
        title=f"受理回执 {data.case_number}",
        author=data.center_name,
        created=data.issue_time,
        subject=base.clip(data.title, 100),
        keywords=("受理回执", data.case_number),
    )
    return base.build_pdf(story, info, page=SHEET, page_numbers=False, frames=[upper, lower], decorate=_cut_line)


def write_receipt(data: ReceiptData, path: str | Path) -> Path:
    """Render the receipt into ``path`` (written whole or not at all); returns the path."""
    from ..files import write_atomically

    target = Path(path)
    pdf = render_receipt(data)
    # A uniquely named sibling, then a rename: a reader (the PDF viewer opening the previous
    # print) never sees half a file, and two prints of one case at once cannot interleave.
    return write_atomically(target, pdf)
