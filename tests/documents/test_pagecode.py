"""The page code: what each printed page's QR code says, and reading it back."""

from __future__ import annotations

import pytest

from mediation_desk.documents.pagecode import (
    DOCUMENT_KINDS,
    PAGE_CODE_FORMAT,
    PageCode,
    document_ref,
    parse_page_code,
    qr_version,
)
from mediation_desk.services.dossier import DOCUMENT_KINDS as CLI_KINDS
from mediation_desk.services.dossier import DOCUMENT_TITLES


def test_payload_format() -> None:
    code = PageCode("（2026）甘矛调字第0007号", "agreement", 12, 2)
    assert code.payload == "MD1|（2026）甘矛调字第0007号|agreement:12|2"
    assert code.document_ref == document_ref("agreement", 12) == "agreement:12"
    assert PAGE_CODE_FORMAT.startswith("MD1|")


@pytest.mark.parametrize("number", ["（2026）甘矛调字第0007号", "A|B|C", "（2026）X调字第1号 ", "|"])
def test_round_trip_whatever_the_case_number(number: str) -> None:
    for kind in DOCUMENT_KINDS:
        code = PageCode(number, kind, 7, 3)
        assert parse_page_code(code.payload) == code


@pytest.mark.parametrize("text", [
    "", "hello", "（2026）甘矛调字第0007号", "MD1", "MD1|x", "MD1|x|agreement:1", "MD2|x|agreement:1|1",
    "MD1|x|agreement:1|0", "MD1|x|agreement:a|1", "MD1|x|minutes:1|1", "MD1||agreement:1|1", "MD1|x|agreement1|1",
    "MD1|x|agreement:１|1", "MD1|x|agreement:1|-1",
])
def test_anything_else_is_not_a_page_code(text: str) -> None:
    assert parse_page_code(text) is None


def test_every_cli_kind_is_a_page_code_kind_with_the_same_title() -> None:
    assert set(CLI_KINDS) <= set(DOCUMENT_KINDS)
    assert {kind: DOCUMENT_KINDS[kind] for kind in CLI_KINDS} == DOCUMENT_TITLES


def test_every_page_code_kind_has_its_chinese_title_where_scanned_pages_come_back() -> None:
    """A page of any kind read back is named by its paper's title, never its kind ("undisputed-facts")."""
    from mediation_desk.services import scanback

    assert set(scanback.TITLES) == set(DOCUMENT_KINDS)
    for kind, title in scanback.TITLES.items():
        assert title and not any(c.isascii() and c.isalpha() for c in title), kind


def test_bad_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        PageCode("x", "minutes", 1, 1)
    with pytest.raises(ValueError, match="pages count from 1"):
        PageCode("x", "agreement", 1, 0)
    with pytest.raises(ValueError, match="one line"):
        PageCode("a\nb", "agreement", 1, 1)


@pytest.mark.parametrize("size", [20, 60, 61, 62, 83, 84, 150])
def test_the_qr_version_is_the_smallest_that_holds_the_charset_header_and_the_payload(size: int) -> None:
    # reportlab's own pick leaves the ECI designator out and overflows on a payload that just fits.
    from reportlab.graphics.barcode import qrencoder

    def fits(version: int) -> bool:
        qr = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(qrencoder.QRECI(26))
        qr.addData(qrencoder.QR8bitByte("x" * size))
        try:
            qr.make()
        except Exception:  # reportlab raises a bare Exception("code length overflow …")
            return False
        return True

    version = qr_version(size)
    assert fits(version)
    assert version == 1 or not fits(version - 1)
