"""The page code: what each printed page's QR code says, and reading it back."""

from __future__ import annotations

import pytest

from mediation_desk.documents import kinds
from mediation_desk.documents.pagecode import (
    PAGE_CODE_FORMAT,
    PAGE_CODE_PREFIX,
    PageCode,
    document_ref,
    parse_page_code,
    qr_version,
)
from mediation_desk.services.dossier import DOCUMENT_KINDS as CLI_KINDS


def test_payload_format() -> None:
    code = PageCode("（2026）甘矛调字第0007号", "agreement", 12, 2)
    assert code.payload == "MD1|（2026）甘矛调字第0007号|agreement:12|2"
    assert code.document_ref == document_ref("agreement", 12) == "agreement:12"
    assert PAGE_CODE_FORMAT.startswith("MD1|") and PAGE_CODE_PREFIX == kinds.PAGE_CODE_PREFIX == "MD1"


@pytest.mark.parametrize("number", ["（2026）甘矛调字第0007号", "A|B|C", "（2026）X调字第1号 ", "|"])
def test_round_trip_whatever_the_case_number(number: str) -> None:
    for kind in kinds.TITLES:
        code = PageCode(number, kind, 7, 3)
        assert parse_page_code(code.payload) == code


@pytest.mark.parametrize("text", [
    "", "hello", "（2026）甘矛调字第0007号", "MD1", "MD1|x", "MD1|x|agreement:1", "MD2|x|agreement:1|1",
    "MD1|x|agreement:1|0", "MD1|x|agreement:a|1", "MD1|x|minutes:1|1", "MD1||agreement:1|1", "MD1|x|agreement1|1",
    "MD1|x|agreement:１|1", "MD1|x|agreement:1|-1",
])
def test_anything_else_is_not_a_page_code(text: str) -> None:
    assert parse_page_code(text) is None


def test_every_cli_kind_is_a_kind_with_a_chinese_title() -> None:
    """One table names every kind (documents.kinds); a page of any kind read back is named by its
    paper's title, never its kind ("undisputed-facts")."""
    assert set(CLI_KINDS) <= set(kinds.TITLES)
    assert len(set(kinds.TITLES.values())) == len(kinds.TITLES)
    for kind, title in kinds.TITLES.items():
        assert title and not any(c.isascii() and c.isalpha() for c in title), kind
    assert set(kinds.SIGNED_PAPER) | kinds.NOT_SIGNED_PAPER == set(kinds.TITLES)
    assert {"dossier", "attachment"} == kinds.NOT_SIGNED_PAPER


@pytest.mark.parametrize(("text", "found"), [
    ("人民调解协议书第1–2页，扫描回收 agreement:12", ("agreement", "12")),
    ("session-notice:5", ("session-notice", "5")),  # not "notice:5"
    ("confirmation-application:3", ("confirmation-application", "3")),  # not "application:3"
    ("无争议事实确认书 undisputed-facts:9", ("undisputed-facts", "9")),
    ("transfer-letter:4 transfer-summary:4", ("transfer-letter", "4")),
    ("dossier:1 attachment:2", None),  # never signed paper
    ("xnotice:5", None),
    ("notice：5", None),
])
def test_a_reference_in_a_note_is_found_whole(text: str, found: tuple[str, str] | None) -> None:
    match = kinds.REF_IN_TEXT.search(text)
    assert (match.groups() if match else None) == found


@pytest.mark.parametrize(("text", "parsed"), [
    ("agreement:12", ("agreement", 12)), (" undisputed-facts:3 ", ("undisputed-facts", 3)),
    ("minutes:1", None), ("agreement:", None), ("agreement:１", None), ("agreement:-1", None), ("", None),
    ("agreement:" + "9" * 40, None), ("agreement", None),
])
def test_parse_ref(text: str, parsed: tuple[str, int] | None) -> None:
    assert kinds.parse_ref(text) == parsed


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


def printed_kinds() -> dict[str, list[str]]:
    """Every kind a document module writes into a page code (``FormInfo("kind", …)``,
    ``PageCode(number, "kind", …)``), with where."""
    import ast
    from pathlib import Path

    import mediation_desk.documents as package

    found: dict[str, list[str]] = {}
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        if path.stem == "pagecode":  # the format itself: its parser makes codes of any kind read
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = {"FormInfo": 0, "PageCode": 1}.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            where = f"{path.name}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, []).append(where)
            elif not (isinstance(arg, ast.Attribute) and arg.attr == "kind"):  # render_form passes info.kind on
                found.setdefault(f"<not a literal: {ast.unparse(arg)}>", []).append(where)
    return found


def test_what_each_printed_document_s_page_code_names_is_in_the_table() -> None:
    printed = printed_kinds()
    assert {"agreement", "undisputed-facts", "transfer-letter", "session-notice", "dossier"} <= set(printed)
    assert set(printed) <= set(kinds.TITLES), {k: v for k, v in printed.items() if k not in kinds.TITLES}
    # …and every kind of the table is printed: the receipt carries the bare case number instead
    # (documents.receipt; services.scanback reads it as the receipt's stub).
    assert set(kinds.TITLES) - set(printed) == {"receipt"}
