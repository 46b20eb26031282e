"""The intake receipt (受理回执): content, masking, fonts, rendering, QR code, determinism."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from mediation_desk import settings
from mediation_desk.db import Database
from mediation_desk.documents import receipt
from mediation_desk.documents.receipt import ReceiptData, ReceiptParty
from mediation_desk.models import IdDocumentType, PartyKind, PartyRole, Role, SourceChannel
from mediation_desk.readmodels.masking import mask_id_number, mask_phone
from mediation_desk.services import cases, center

from ..services.helpers import dispute_type_id, make_user
from .conftest import compact, pdf_text, require_tool

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
CENTER = "张掖市甘州区矛盾纠纷调处中心"
ADDRESS = "甘州区县府街 88 号便民服务大厅一楼"
CENTER_PHONE = "0936-8212345"
NEXT_STEP = "中心将在 3 个工作日内联系您，告知调解时间和地点。"
RECEIVED = datetime(2026, 11, 20, 9, 30)


def _data() -> ReceiptData:
    return ReceiptData(
        center_name=CENTER,
        case_number="（2026）甘矛调字第0007号",
        received_at=RECEIVED,
        dispute_type="合同",
        title="J&C <b> 装修款结算纠纷",
        parties=(
            ReceiptParty(PartyRole.APPLICANT, "张𠮷", id_type=IdDocumentType.RESIDENT_ID, id_number=ID_NUMBER,
                         phone=PHONE),
            ReceiptParty(PartyRole.APPLICANT, "王䶮"),
            ReceiptParty(PartyRole.RESPONDENT, "甘州区J&C装饰工程有限公司", kind=PartyKind.LEGAL_PERSON,
                         phone="0936-8219999"),
            ReceiptParty(PartyRole.THIRD_PARTY, "李堃喆"),
        ),
        next_step=NEXT_STEP,
        center_address=ADDRESS,
        center_phone=CENTER_PHONE,
        clerk="赵敏",
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return receipt.render_receipt(_data())


@pytest.fixture
def rendered_png(pdf: bytes, tmp_path: Path) -> Path:
    tool = require_tool("pdftoppm")
    source = tmp_path / "receipt.pdf"
    source.write_bytes(pdf)
    subprocess.run([tool, "-r", "100", "-png", "-singlefile", str(source), str(tmp_path / "receipt")], check=True)
    return tmp_path / "receipt.png"


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(("number", "masked"), [
    ("110105194912310021", "110105********0021"),
    ("11010519491231002X", "110105********002X"),
    ("110105491231002", "110105*****1002"),  # a 15-digit ID of the first generation
    ("E12345678", "E1*****78"),
    ("H1234567890", "H1*******90"),
    ("110105********0021", "110105********0021"),  # masking twice changes nothing
    ("", ""),
])
def test_id_numbers_keep_only_their_ends(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"),
    ("0086-13812345678", "138****5678"),
    ("0936-8212345", "0936-***2345"),  # a landline keeps its area code
    ("0936-8212345转123", "0936-***2345转123"),
    ("8212345", "***2345"),
    ("138****5678", "138****5678"),
    ("", ""),
])
def test_phones_keep_3_and_4_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


# --------------------------------------------------------------------------- content


def test_every_field_comes_back_from_the_pdf_exactly(pdf: bytes) -> None:
    text = pdf_text(pdf)
    flat = compact(text)
    expected = [
        CENTER, "受理回执", "受理回执存根", "（2026）甘矛调字第0007号", "2026年11月20日09:30", "合同",
        "J&C<b>装修款结算纠纷", "申请人", "张𠮷（身份证号110105********002X，电话138****5678）", "王䶮",
        "被申请人", "甘州区J&C装饰工程有限公司（法人，电话0936-***9999）", "第三人", "李堃喆",
        compact(NEXT_STEP), compact(f"地址：{ADDRESS}；电话：{CENTER_PHONE}"), "经办人：", "赵敏",
        f"{CENTER}（盖章）", "2026年11月20日", "当事人签收：", "签收日期：",
    ]
    for piece in expected:
        assert piece in flat, piece
    # Both halves carry the case and its parties.
    assert flat.count("张𠮷") == 2
    assert flat.count("（2026）甘矛调字第0007号") == 2
    # The title's markup is text, not formatting: exactly as typed, spaces included.
    assert "J&C <b> 装修款结算纠纷" in text


def test_full_id_numbers_and_phones_never_leave_the_building(pdf: bytes) -> None:
    text = compact(pdf_text(pdf))
    meta = str(PdfReader(io.BytesIO(pdf)).metadata)
    for secret in (ID_NUMBER, PHONE, "8219999", "19491231"):
        assert secret not in text
        assert secret not in meta


def test_metadata(pdf: bytes) -> None:
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.creator) == ("受理回执 （2026）甘矛调字第0007号", CENTER, "矛调工作台")
    assert meta.creation_date_raw == "D:20261120093000+08'00'"


def test_one_a4_sheet(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_a_blank_clerk_leaves_the_line_to_sign() -> None:
    text = compact(pdf_text(receipt.render_receipt(replace(_data(), clerk=""))))
    assert "经办人：" in text
    assert "赵敏" not in text


def test_the_issue_date_defaults_to_registration_and_can_be_given() -> None:
    later = receipt.render_receipt(replace(_data(), issued_at=datetime(2026, 12, 1, 15, 0)))
    text = compact(pdf_text(later))
    assert f"{CENTER}（盖章）2026年12月1日" in text
    assert "2026年11月20日09:30" in text  # registration time unchanged


# --------------------------------------------------------------------------- fonts and pixels


def test_only_our_font_embedded_as_a_subset(pdf: bytes, tmp_path: Path) -> None:
    tool = require_tool("pdffonts")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = lines[2:]  # after the header and its rule
    assert len(fonts) == 1, lines
    name, *_rest = fonts[0].split()
    columns = fonts[0].split()
    assert name.endswith("+NotoSansCJKsc-Regular")
    assert columns[-5:-2] == ["yes", "yes", "yes"]  # emb, sub, uni


def test_the_page_renders_with_ink_in_both_halves(rendered_png: Path) -> None:
    image = Image.open(rendered_png).convert("L")
    assert image.size == (827, 1170)  # A4 at 100 dpi
    width, height = image.size

    def dark(top: int, bottom: int) -> int:
        return sum(1 for value in image.crop((0, top, width, bottom)).tobytes() if value < 128)

    upper, lower = dark(0, height // 2 - 20), dark(height // 2 + 20, height)
    # Measured 27,907 (upper) and 21,900 (lower) dark pixels. With every text run left out the
    # rules and QR codes alone give 9,707 and 8,345; a blank page gives none.
    assert upper > 18000
    assert lower > 15000
    # Nothing drawn in the outer 5 mm of the sheet, where printers cannot print.
    edge = 20
    assert dark(0, edge) == 0
    assert dark(height - edge, height) == 0


def test_the_qr_codes_carry_the_case_number(rendered_png: Path) -> None:
    try:
        import zxingcpp
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("zxing-cpp is not installed; it is in the project's test extras")
        pytest.skip("zxing-cpp not installed (pip install zxing-cpp)")
    found = zxingcpp.read_barcodes(Image.open(rendered_png))
    assert [(code.format, code.text) for code in found] == [
        (zxingcpp.BarcodeFormat.QRCode, "（2026）甘矛调字第0007号")] * 2


# --------------------------------------------------------------------------- robustness


def test_same_input_same_bytes(pdf: bytes) -> None:
    assert receipt.render_receipt(_data()) == pdf


def test_same_bytes_in_another_process(pdf: bytes) -> None:
    """Nothing process-specific (addresses, hash seeds, clocks) reaches the file."""
    code = (
        "import hashlib, sys\n"
        "from tests.documents.test_receipt import _data\n"
        "from mediation_desk.documents.receipt import render_receipt\n"
        "print(hashlib.sha256(render_receipt(_data())).hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                            env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert result.stdout.strip() == hashlib.sha256(pdf).hexdigest()


def test_receipts_rendered_in_parallel_are_identical(pdf: bytes) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: receipt.render_receipt(_data()), range(8)))
    assert all(result == pdf for result in results)


def test_a_3000_character_name_is_cut_with_a_note() -> None:
    name = "欧阳" + "娜" * 2998
    data = replace(_data(), parties=(ReceiptParty(PartyRole.APPLICANT, name, phone=PHONE),
                                     ReceiptParty(PartyRole.RESPONDENT, "A" * 3000, kind=PartyKind.ORGANISATION)))
    pdf = receipt.render_receipt(data)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = compact(pdf_text(pdf))
    assert "欧阳" + "娜" * 38 + "…（全文3000字，此处从略）（电话138****5678）" in text
    assert "A" * 40 + "…（全文3000字，此处从略）（非法人组织）" in text


def test_everything_oversized_still_fits_one_sheet() -> None:
    many = tuple(ReceiptParty(PartyRole.APPLICANT, f"村民{i}", id_number=ID_NUMBER) for i in range(30))
    data = replace(_data(), center_name="某" * 500, dispute_type="纠纷" * 100, title="<font size=80>大</font>" * 200,
                   parties=many, next_step="下一步\n" * 300, center_address="地址" * 1000, clerk="经办" * 100)
    pdf = receipt.render_receipt(data)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = compact(pdf_text(pdf))
    assert "村民2（" in text
    assert "村民3（" not in text
    assert "等30人（全部名单见案卷）" in text


def test_missing_characters_are_reported_before_printing() -> None:
    assert _data().missing_characters() == ""
    data = replace(_data(), parties=(ReceiptParty(PartyRole.APPLICANT, "王\u9ff0"),), clerk="李\u4db6")
    assert sorted(data.missing_characters()) == ["\u4db6", "\u9ff0"]


def test_write_receipt_writes_the_file_whole(tmp_path: Path, pdf: bytes) -> None:
    target = tmp_path / "回执.pdf"
    assert receipt.write_receipt(_data(), target) == target
    assert target.read_bytes() == pdf
    assert [p.name for p in tmp_path.iterdir()] == ["回执.pdf"]


# --------------------------------------------------------------------------- from a registered case


def test_from_a_registered_case(db: Database) -> None:
    clerk = make_user(db, "window", Role.INTAKE)
    with db.write() as session:
        case_id = cases.register_case(session, clerk, cases.CaseInput(
            title="J&C <b> 装修款结算纠纷",
            dispute_type_id=dispute_type_id(db, "合同"),
            source_channel=SourceChannel.VISIT,
            received_at=RECEIVED,
            parties=[
                cases.PartyInput(role=PartyRole.APPLICANT, name="张𠮷", id_number=ID_NUMBER, phone=PHONE),
                cases.PartyInput(role=PartyRole.APPLICANT, name="王䶮"),
                cases.PartyInput(role=PartyRole.RESPONDENT, name="甘州区J&C装饰工程有限公司",
                                 kind=PartyKind.LEGAL_PERSON),
                cases.PartyInput(role=PartyRole.THIRD_PARTY, name="李堃喆"),
            ],
        ))
    with db.read() as session:
        detail = cases.case_detail(session, clerk, case_id)
        center_name = center.get(session, settings.CENTER_NAME)
    data = ReceiptData.from_case(detail, center_name, ADDRESS, CENTER_PHONE, NEXT_STEP, clerk="window")
    assert data.case_number == detail.number
    assert data.received_at == RECEIVED
    assert data.issue_time == RECEIVED
    assert data.dispute_type == "合同"
    assert [(p.role, p.name) for p in data.parties] == [
        (PartyRole.APPLICANT, "张𠮷"), (PartyRole.APPLICANT, "王䶮"),
        (PartyRole.RESPONDENT, "甘州区J&C装饰工程有限公司"), (PartyRole.THIRD_PARTY, "李堃喆"),
    ]
    text = compact(pdf_text(receipt.render_receipt(data)))
    for piece in (center_name, compact(detail.number), "张𠮷（身份证号110105********002X，电话138****5678）",
                  "王䶮", "甘州区J&C装饰工程有限公司（法人）", "李堃喆", "J&C<b>装修款结算纠纷"):
        assert piece in text, piece
    assert ID_NUMBER not in text
