"""The small QR code on every printed page: which case, which document, which page.

A page that comes back from the parties signed, stamped or fingerprinted is scanned, and the
scan-back code reads this code to file the page to the right case and document without typing.
The payload is plain UTF-8 text::

    MD1|<case number>|<document kind>:<document id>|<page>

    MD1|（2026）甘矛调字第0007号|agreement:12|2

* ``MD1`` — this format, version 1 (a later format gets a new prefix; readers keep this one);
* the case number exactly as printed (it may hold any character but a line break, ``|`` too:
  the fields after it are split off from the right);
* the document: a kind of :data:`.kinds.TITLES` (the one table of kinds and their titles) and
  the id of its row (the record, the agreement, the undisputed-facts statement, the mediation
  session, the return visit, the attachment; the case itself for the forms made from the case
  alone — registration, application, notice, transfer letter and summary, 卷宗情况说明 — and for
  the dossier's own pages);
* the page, counted from 1 within that document.

It is written in byte mode with an ECI 26 (UTF-8) header, at error-correction level M, so a
reader does not guess the charset of the Chinese characters and a fold or a stamp over a corner
still reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import kinds
from .fonts import FONT_NAME

#: The first field of every payload: the format and its version.
PAGE_CODE_PREFIX = kinds.PAGE_CODE_PREFIX
#: The payload, for documentation and for messages.
PAGE_CODE_FORMAT = "MD1|<case number>|<document kind>:<document id>|<page>"

#: The printed side of the code. At 17 mm a payload of ~80 bytes (QR version 5, 37 modules plus
#: the quiet zone) has modules of 0.4 mm: 2.4 pixels on a 150 dpi scan, 3.2 at 200 dpi.
PAGE_CODE_SIZE = 17 * mm


@dataclass(frozen=True)
class PageCode:
    """What one page's QR code says."""

    case_number: str
    kind: str
    document_id: int
    page: int

    def __post_init__(self) -> None:
        if self.kind not in kinds.TITLES:
            raise ValueError(f"unknown document kind {self.kind!r}")
        if self.page < 1 or self.document_id < 0:
            raise ValueError("pages count from 1 and ids are not negative")
        if "\n" in self.case_number or "\r" in self.case_number:
            raise ValueError("a case number is one line")

    @property
    def payload(self) -> str:
        return f"{PAGE_CODE_PREFIX}|{self.case_number}|{self.kind}:{self.document_id}|{self.page}"

    @property
    def document_ref(self) -> str:
        """``kind:id``, the document's reference (as a scanned, signed copy's note carries it)."""
        return document_ref(self.kind, self.document_id)


def document_ref(kind: str, document_id: int) -> str:
    """The reference of a document, ``agreement:12``: the middle field of its pages' codes."""
    return kinds.ref(kind, document_id)


def parse_page_code(text: str) -> PageCode | None:
    """The page code in a decoded QR text, or None when the text is not one of ours (another
    program's code, a damaged or truncated read). Never raises."""
    text = text.strip()
    head, sep, rest = text.partition("|")
    if head != PAGE_CODE_PREFIX or not sep:
        return None
    parts = rest.rsplit("|", 2)
    if len(parts) != 3:
        return None
    case_number, ref, page = parts
    kind, sep, document_id = ref.partition(":")
    if not sep or not case_number or not document_id.isascii() or not document_id.isdigit():
        return None
    if not page.isascii() or not page.isdigit():
        return None
    try:
        return PageCode(case_number, kind, int(document_id), int(page))
    except ValueError:
        return None


@lru_cache(maxsize=64)
def qr_version(payload_bytes: int) -> int:
    """The smallest QR version (level M) holding an ECI header and ``payload_bytes`` bytes.

    reportlab's own choice leaves the ECI designator's 8 bits out of the count and then fails
    with "code length overflow" on a payload that just fits.
    """
    for version in range(1, 41):
        blocks = qrencoder.QRRSBlock.getRSBlocks(version, qrencoder.QRErrorCorrectLevel.M)
        capacity = sum(block.dataCount for block in blocks) * 8
        count_bits = 8 if version < 10 else 16
        needed = (4 + 8) + (4 + count_bits + 8 * payload_bytes)
        if needed <= capacity:
            return version
    raise ValueError(f"a page code of {payload_bytes} bytes does not fit a QR code")


#: The mask pattern of every page code. A reader decodes any of the eight; reportlab's encoder
#: picks the "best" by scoring all eight in pure Python, which cost 15 ms a page — more than the
#: rest of a page. Every page code of every document is decoded back in the tests.
MASK_PATTERN = 0


@lru_cache(maxsize=256)
def qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of the QR code of ``payload``, row by row."""
    qr = qrencoder.QRCode(qr_version(len(payload.encode("utf-8"))), qrencoder.QRErrorCorrectLevel.M)
    qr.addData(qrencoder.QRECI(26))
    qr.addData(qrencoder.QR8bitByte(payload))
    qr.makeImpl(False, MASK_PATTERN)
    count = qr.getModuleCount()
    return tuple(tuple(bool(qr.isDark(row, col)) for col in range(count)) for row in range(count))


def qr_drawing(payload: str, size: float = PAGE_CODE_SIZE) -> Drawing:
    """A QR code of ``payload`` as a reportlab Drawing (for flowables and the receipt's way)."""
    value = [qrencoder.QRECI(26), qrencoder.QR8bitByte(payload)]
    widget = QrCodeWidget(value, barWidth=size, barHeight=size, barLevel="M", barBorder=2,
                          qrVersion=qr_version(len(payload.encode("utf-8"))))
    drawing = Drawing(size, size)
    # The renderer selects a font when it opens a drawing (Helvetica unless told otherwise); the
    # code has no text, and an unembedded Helvetica must not reach the PDF.
    drawing.initialFontName = FONT_NAME
    drawing.add(widget)
    return drawing


#: Light modules around the code (the quiet zone), in modules.
QUIET_ZONE = 2


def draw_page_code(canvas: Canvas, code: PageCode, x: float, y: float, size: float = PAGE_CODE_SIZE) -> None:
    """Draw ``code`` with its lower left corner at (x, y), on a white ground (the quiet zone
    must stay white when it is stamped over a scanned page).

    The modules are one filled path of horizontal runs, drawn straight on the canvas: going
    through reportlab's widget and shape tree cost 25 ms a code.
    """
    modules = qr_modules(code.payload)
    count = len(modules)
    unit = size / (count + 2 * QUIET_ZONE)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, cells in enumerate(modules):
        top = y + size - (QUIET_ZONE + row + 1) * unit
        col = 0
        while col < count:
            if cells[col]:
                start = col
                while col < count and cells[col]:
                    col += 1
                path.rect(x + (QUIET_ZONE + start) * unit, top, (col - start) * unit, unit)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
