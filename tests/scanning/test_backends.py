"""Scanners: SANE's built-in ``test`` device end to end, and the guards of the other backends."""

from __future__ import annotations

import importlib
import io
import re
import sys
import time
from types import ModuleType

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import AttachmentKind, FileBlob, Role
from mediation_desk.scanning import backends
from mediation_desk.scanning.assemble import document_pdf
from mediation_desk.scanning.backends import (
    ColourMode,
    PaperSource,
    SaneScanner,
    ScanSettings,
    TwainScanner,
    WiaScanner,
)
from mediation_desk.scanning.errors import Cancelled, ScanFailed, ScannerUnavailable
from mediation_desk.scanning.pages import PageFormat, ScannedDocument
from mediation_desk.scanning.progress import Progress
from mediation_desk.services import attachments

from ..services.helpers import make_user, register

# The test device reaches 200 × 200 mm, so an A4 request is clipped to that square.
TEST_AREA_MM = 200.0


def pixels(mm: float, dpi: float) -> int:
    return round(mm / 25.4 * dpi)


# --------------------------------------------------------------------------- SANE test device


def test_test_devices_are_listed(sane_scanner: SaneScanner) -> None:
    devices = sane_scanner.devices()
    assert [d.id for d in devices] == ["test:0", "test:1"]
    assert devices[0].backend == "sane" and devices[0].kind == "virtual device"
    assert devices[0].label == "frontend-tester"


def test_available_scanners_finds_sane(sane_config_dir: object) -> None:
    found = backends.available_scanners()
    assert [s.backend for s in found] == ["sane"]
    assert backends.default_scanner().backend == "sane"


def test_flatbed_scans_the_requested_pages_at_the_requested_resolution(sane_scanner: SaneScanner) -> None:
    seen: list[Progress] = []
    started = time.perf_counter()
    pages = sane_scanner.scan("test:0", ScanSettings(dpi=100, mode=ColourMode.GRAY, pages=2), progress=seen.append)
    assert time.perf_counter() - started < 10
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert page.format is PageFormat.JPEG
        assert page.dpi == (100.0, 100.0)
        assert (page.width, page.height) == (pixels(TEST_AREA_MM, 100), pixels(TEST_AREA_MM, 100))
        assert page.size_mm == pytest.approx((TEST_AREA_MM, TEST_AREA_MM), abs=0.5)
        assert page.source == f"test:0 第 {number} 页"
        with Image.open(io.BytesIO(page.data)) as image:
            assert image.mode == "L"
    # Progress climbs through both pages and ends complete, in a handful of reports (not per line).
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == seen[-1].total == 2000
    assert any("第 2 页" in p.text for p in seen)
    assert len(seen) < 300


def test_colour_pattern_scans_in_colour(sane_scanner: SaneScanner) -> None:
    settings = ScanSettings(dpi=75, mode=ColourMode.COLOUR, extra_options={"test_picture": "Color pattern"})
    [page] = sane_scanner.scan("test:0", settings)
    with Image.open(io.BytesIO(page.data)) as image:
        assert image.mode == "RGB"
        assert len(image.convert("RGB").getcolors(1 << 24) or []) > 10


def test_black_and_white_is_one_bit_png_even_without_a_lineart_mode(sane_scanner: SaneScanner) -> None:
    settings = ScanSettings(dpi=150, mode=ColourMode.LINEART, extra_options={"test_picture": "Grid"})
    [page] = sane_scanner.scan("test:0", settings)
    assert page.format is PageFormat.PNG
    with Image.open(io.BytesIO(page.data)) as image:
        assert image.mode == "1"
        assert {colour for _, colour in image.convert("L").getcolors() or []} == {0, 255}


def test_feeder_scans_until_empty_or_the_count(sane_scanner: SaneScanner) -> None:
    # The test device's feeder holds ten sheets.
    stack = sane_scanner.scan("test:0", ScanSettings(dpi=50, source=PaperSource.FEEDER, pages=None))
    assert len(stack) == 10
    three = sane_scanner.scan("test:0", ScanSettings(dpi=50, source=PaperSource.FEEDER, pages=3))
    assert len(three) == 3


def test_cancel_stops_the_scan_and_leaves_the_device_usable(sane_scanner: SaneScanner) -> None:
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 100  # part-way through the first page's lines

    with pytest.raises(Cancelled, match="已取消扫描"):
        sane_scanner.scan("test:0", ScanSettings(dpi=300, pages=2), cancelled=cancelled)
    assert asked > 100
    assert len(sane_scanner.scan("test:0", ScanSettings(dpi=50))) == 1


def test_cancel_before_start_scans_nothing(sane_scanner: SaneScanner) -> None:
    with pytest.raises(Cancelled):
        sane_scanner.scan("test:0", ScanSettings(dpi=50), cancelled=lambda: True)


def test_unknown_device_is_named_in_the_error(sane_scanner: SaneScanner) -> None:
    with pytest.raises(ScanFailed, match=re.escape("无法打开扫描仪“epson2:net:127.0.0.1”")):
        sane_scanner.scan("epson2:net:127.0.0.1", ScanSettings(dpi=50))


def test_unknown_device_option_is_refused(sane_scanner: SaneScanner) -> None:
    with pytest.raises(ScanFailed, match="没有可设置的选项 no_such_option"):
        sane_scanner.scan("test:0", ScanSettings(dpi=50, extra_options={"no_such_option": 1}))


def test_scan_to_pdf_to_attachment(db: Database, sane_scanner: SaneScanner) -> None:
    """The counter's whole path: scan two pages, turn one, save one PDF on the case."""
    clerk = make_user(db, "clerk", Role.INTAKE)
    case_id = register(db, clerk)
    pages = sane_scanner.scan("test:0", ScanSettings(dpi=100, pages=2, extra_options={"test_picture": "Grid"}))
    document = ScannedDocument(AttachmentKind.APPLICATION, "张三", tuple(pages)).rotated(1)
    pdf = document_pdf(document)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert [p.rotation for p in reader.pages] == [0, 90]
    side = TEST_AREA_MM / 25.4 * 72
    assert float(reader.pages[0].mediabox.width) == pytest.approx(side, abs=1)

    with db.write() as session:
        info = attachments.add_document(session, clerk, case_id, kind=document.kind, filename=document.filename,
                                        content=pdf, media_type="application/pdf")
    assert info.filename == "申请书-张三.pdf" and info.kind is AttachmentKind.APPLICATION
    with db.read() as session:
        assert attachments.attachment_content(session, clerk, info.id) == pdf
        assert [a.id for a in attachments.list_attachments(session, clerk, case_id)] == [info.id]
        assert session.scalar(select(func.count()).select_from(FileBlob)) == 1


# --------------------------------------------------------------------------- without SANE


def test_missing_python_sane_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sane(name: str) -> ModuleType:
        raise ImportError(f"No module named '{name}'")

    monkeypatch.setattr(importlib, "import_module", no_sane)
    with pytest.raises(ScannerUnavailable) as caught:
        backends._SaneRuntime().load()
    message = str(caught.value)
    assert "python-sane" in message and "libsane-dev" in message and "sane-utils" in message


def test_failing_sane_init_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenSane(ModuleType):
        def init(self) -> None:
            raise RuntimeError("Out of memory")

    monkeypatch.setattr(importlib, "import_module", BrokenSane)
    with pytest.raises(ScannerUnavailable, match="初始化失败（内存不足）"):
        backends._SaneRuntime().load()


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        ScanSettings(dpi=10)
    with pytest.raises(ValueError):
        ScanSettings(pages=0)
    with pytest.raises(ValueError):
        ScanSettings(pages=None)  # a flatbed cannot scan "until empty"
    assert ScanSettings(source=PaperSource.FEEDER, pages=None).pages is None


def test_nearest_allowed_value() -> None:
    assert backends._nearest((50.0, 1200.0, 1.0), 200) == 200
    assert backends._nearest((75.0, 600.0, 25.0), 210) == 200
    assert backends._nearest((100.0, 600.0, 0.0), 50) == 100
    assert backends._nearest([75, 150, 300, 600], 200) == 150
    assert backends._nearest(None, 200) == 200


@pytest.mark.skipif(sys.platform == "win32", reason="these are the non-Windows guards")
def test_windows_backends_refuse_elsewhere() -> None:
    with pytest.raises(ScannerUnavailable, match="WIA 扫描只能在 Windows 上使用"):
        WiaScanner()
    with pytest.raises(ScannerUnavailable, match="TWAIN 扫描只能在 Windows 上使用"):
        TwainScanner()


def test_wia_helpers() -> None:
    class Prop:
        def __init__(self, property_id: int) -> None:
            self.PropertyID = property_id
            self.Value: object = None

    props = [Prop(6146), Prop(6147)]
    backends._wia_set(props, 6147, 300)
    backends._wia_set(props, 9999, 1)  # a property the driver lacks is skipped
    assert [p.Value for p in props] == [None, 300]
    paper_empty = -2145320957  # 0x80210003 as pywin32 reports it
    # A failure inside the automation layer: DISP_E_EXCEPTION, with WIA's code in the excepinfo.
    dispatch_error = Exception(-2147352567, "Exception occurred.", (0, None, None, None, 0, paper_empty), None)
    assert backends._com_code(dispatch_error) == WiaScanner.PAPER_EMPTY
    assert backends._com_code(Exception(paper_empty, "x", None, None)) == WiaScanner.PAPER_EMPTY
