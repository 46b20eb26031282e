"""Scanners: one small protocol, and a backend per platform.

- ``SaneScanner`` — Linux (and BSD, macOS with SANE) through python-sane. Tested against SANE's
  built-in ``test`` device.
- ``WiaScanner`` — Windows Image Acquisition through pywin32's COM client.
- ``TwainScanner`` — TWAIN data sources on Windows through pytwain (module ``twain``), for the
  older scanners that ship only a TWAIN driver.

The Windows backends are written against their documented APIs and are guarded by
``sys.platform == "win32"``; they cannot run on the Linux test machines, so they stay small.

A scan runs on a worker thread. It reports ``Progress`` as lines arrive (SANE) or pages finish
(WIA, TWAIN) and checks ``cancelled()`` as often as the driver allows; a cancel stops the device
and raises ``Cancelled``, and no page of a cancelled batch is returned.

The watched scan-to-folder of networked copiers is ``folder.FolderWatcher``: it delivers files,
not pages, so it is not a ``Scanner``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar, Protocol

from PIL import Image

from ..models.enums import LabelledEnum
from .errors import Cancelled, ScanFailed, ScannerUnavailable
from .pages import A4_MM, MM_PER_INCH, Page
from .progress import CancelCheck, ProgressCallback, report, stop_if_cancelled

_CANCELLED = "已取消扫描，本次扫描的页面未保留。"


class ColourMode(LabelledEnum):
    COLOUR = "colour", "彩色"
    GRAY = "gray", "灰度"
    #: Black and white (1 bit): the smallest files for typed text, unreadable for photos.
    LINEART = "lineart", "黑白"


class PaperSource(LabelledEnum):
    FLATBED = "flatbed", "平板"
    FEEDER = "feeder", "自动送纸器"


@dataclass(frozen=True)
class ScanSettings:
    #: 200 dpi grey keeps ID cards and handwriting legible at ~300 KB a page; 300 for fine print.
    dpi: int = 200
    mode: ColourMode = ColourMode.GRAY
    source: PaperSource = PaperSource.FLATBED
    #: Pages to scan. From a flatbed each is one pass (the dialog asks for the next sheet between
    #: calls, normally with pages=1); from a feeder None means "until it is empty".
    pages: int | None = 1
    #: Scan area in millimetres from the top-left corner, clipped to what the device can reach.
    area_mm: tuple[float, float] | None = A4_MM
    jpeg_quality: int = 85
    #: Device-specific options by SANE name (``{"test_picture": "Color pattern"}``); SANE only.
    extra_options: Mapping[str, str | int | float | bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 50 <= self.dpi <= 1200:
            raise ValueError("dpi must be between 50 and 1200")
        if self.pages is not None and self.pages < 1:
            raise ValueError("pages must be at least 1")
        if self.pages is None and self.source is PaperSource.FLATBED:
            raise ValueError("a flatbed scans a known number of pages")


@dataclass(frozen=True)
class ScannerDevice:
    #: What ``Scanner.scan`` takes: a SANE name ("epson2:libusb:001:004"), a WIA DeviceID, a
    #: TWAIN product name.
    id: str
    vendor: str
    model: str
    #: "flatbed scanner", "virtual device" … as the driver says.
    kind: str
    backend: str

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.vendor, self.model) if part and part != "Noname") or self.id


class Scanner(Protocol):
    #: "sane", "wia" or "twain".
    backend: str

    def devices(self) -> list[ScannerDevice]:
        """The scanners this backend can reach now (may take seconds: network scanners answer
        slowly, so call it from a worker)."""
        ...

    def scan(self, device_id: str, settings: ScanSettings | None = None, *,
             progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> list[Page]:
        """Scan ``settings.pages`` pages (or a feeder's whole stack) and return them in order.

        Raises ``ScanFailed`` with the device's problem in Chinese, or ``Cancelled``.
        """
        ...

    def close(self) -> None: ...


def available_scanners() -> list[Scanner]:
    """The backends that work on this machine, most capable first (WIA before TWAIN on Windows)."""
    candidates: list[Callable[[], Scanner]] = (
        [WiaScanner, TwainScanner] if sys.platform == "win32" else [SaneScanner]
    )
    found: list[Scanner] = []
    for make in candidates:
        try:
            found.append(make())
        except ScannerUnavailable:
            continue
    return found


def default_scanner() -> Scanner:
    """The first working backend, or ``ScannerUnavailable`` saying what to install."""
    found = available_scanners()
    if found:
        return found[0]
    if sys.platform == "win32":
        raise ScannerUnavailable("未找到可用的扫描支持：请安装扫描仪的 WIA 或 TWAIN 驱动程序。")
    return SaneScanner()  # raises ScannerUnavailable with what to install


# --------------------------------------------------------------------------- SANE

SANE_INSTALL_HINT = (
    "请安装 SANE 扫描支持：在 Debian/Ubuntu 上运行 sudo apt-get install sane-utils libsane1 libsane-dev "
    "gcc python3-dev，然后在本程序的 Python 环境中运行 pip install python-sane。"
)


class _SaneRuntime:
    """python-sane, initialised once per process.

    SANE is not promised to be thread-safe: every call into it holds ``lock``, so listing devices
    waits while a scan runs instead of corrupting it. The module is imported at run time because
    it is optional (Linux only) and a missing library must become a message, not an ImportError
    at start-up.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._module: ModuleType | None = None

    def load(self) -> ModuleType:
        with self.lock:
            if self._module is None:
                try:
                    module = importlib.import_module("sane")
                except ImportError as exc:
                    raise ScannerUnavailable(f"未安装 SANE 扫描支持（{exc}）。{SANE_INSTALL_HINT}") from None
                try:
                    module.init()
                except Exception as exc:
                    raise ScannerUnavailable(
                        f"SANE 扫描支持初始化失败（{_explain_sane(exc)}）。{SANE_INSTALL_HINT}"
                    ) from None
                self._module = module
            return self._module

    def shutdown(self) -> None:
        with self.lock:
            if self._module is not None:
                self._module.exit()
                self._module = None


_SANE = _SaneRuntime()

# sane_strstatus() texts (not translated by libsane) and what to tell the clerk.
_SANE_STATUS = {
    "Device busy": "扫描仪正忙（可能正被其他程序使用），请稍后再试",
    "Document feeder jammed": "送纸器卡纸，请取出卡住的纸张后重新扫描",
    "Document feeder out of documents": "送纸器中没有纸，请放入要扫描的文件",
    "Scanner cover is open": "扫描仪盖板没有盖好",
    "Error during device I/O": "与扫描仪通信出错，请检查连接线和电源",
    "Out of memory": "内存不足",
    "Access to resource has been denied": "没有使用该扫描仪的权限（Linux 上请把用户加入 scanner 组）",
    "Lamp not ready, please retry": "扫描仪灯管尚未预热好，请稍后重试",
    "Scanner mechanism locked for transport": "扫描仪的运输锁没有打开",
    "Invalid argument": "扫描仪不存在或已断开",
    "Operation not supported": "扫描仪不支持该操作",
    "Operation was canceled": "扫描已取消",
}
_NO_DOCS = "Document feeder out of documents"


def _explain_sane(error: BaseException) -> str:
    text = str(error).strip()
    return _SANE_STATUS.get(text, text or type(error).__name__)


def shutdown_sane() -> None:
    """End SANE for this process (at application exit; tests use it to re-read the config)."""
    _SANE.shutdown()


_MODE_NAMES = {
    ColourMode.COLOUR: ("color", "colour", "24bit color", "color24", "rgb"),
    ColourMode.GRAY: ("gray", "grey", "grayscale", "greyscale", "gray256", "8bit gray"),
    ColourMode.LINEART: ("lineart", "binary", "black & white", "black and white", "bw", "monochrome"),
}
_FEEDER_WORDS = ("adf", "feeder", "automatic document")


class SaneScanner:
    """Scanners reached through SANE. ``SANE_CONFIG_DIR`` chooses the configuration (tests point
    it at a folder whose ``dll.conf`` enables only the ``test`` backend)."""

    backend = "sane"

    def __init__(self) -> None:
        _SANE.load()  # fail here, with what to install, rather than at the first scan

    @property
    def _sane(self) -> ModuleType:
        # Looked up on each use, so a scanner object outlives ``shutdown_sane()`` and a re-init.
        return _SANE.load()

    def devices(self) -> list[ScannerDevice]:
        with _SANE.lock:
            try:
                found = self._sane.get_devices()
            except Exception as exc:
                raise ScanFailed(f"无法列出扫描仪：{_explain_sane(exc)}。") from None
        return [ScannerDevice(str(name), str(vendor), str(model), str(kind), self.backend)
                for name, vendor, model, kind in found]

    def scan(self, device_id: str, settings: ScanSettings | None = None, *,
             progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> list[Page]:
        settings = settings or ScanSettings()
        stop_if_cancelled(cancelled, _CANCELLED)
        with _SANE.lock:
            try:
                device = self._sane.open(device_id)
            except Exception as exc:
                raise ScanFailed(f"无法打开扫描仪“{device_id}”：{_explain_sane(exc)}。") from None
            try:
                dpi = _configure_sane(device, device_id, settings)
                return _sane_pages(device, device_id, settings, dpi, progress, cancelled)
            finally:
                device.close()

    def close(self) -> None:
        """Nothing to release between scans: each scan opens and closes its device."""


def _sane_option(device: Any, name: str) -> Any | None:
    option = device.opt.get(name)
    if option is None or not option.is_active() or not option.is_settable():
        return None
    return option


def _set_sane(device: Any, device_id: str, name: str, value: object) -> None:
    try:
        setattr(device, name, value)
    except Exception as exc:
        raise ScanFailed(f"扫描仪“{device_id}”不接受设置 {name} = {value!r}：{_explain_sane(exc)}。") from None


def _configure_sane(device: Any, device_id: str, settings: ScanSettings) -> float:
    """Apply the settings the device has; returns the resolution it will really scan at."""
    source = _sane_option(device, "source")
    if source is not None and isinstance(source.constraint, list):
        choices = [str(c) for c in source.constraint]
        feeders = [c for c in choices if any(w in c.lower() for w in _FEEDER_WORDS)]
        flatbeds = [c for c in choices if c not in feeders]
        if settings.source is PaperSource.FEEDER:
            if not feeders:
                raise ScanFailed(f"扫描仪“{device_id}”没有自动送纸器，请选择平板扫描。")
            _set_sane(device, device_id, "source", feeders[0])
        elif flatbeds:
            _set_sane(device, device_id, "source", flatbeds[0])
    elif settings.source is PaperSource.FEEDER:
        raise ScanFailed(f"扫描仪“{device_id}”没有自动送纸器，请选择平板扫描。")

    lineart_by_depth = False
    mode = _sane_option(device, "mode")
    if mode is not None and isinstance(mode.constraint, list):
        choices = [str(c) for c in mode.constraint]
        wanted = _MODE_NAMES[settings.mode]
        match = next((c for c in choices if c.lower() in wanted), None)
        if match is None and settings.mode is ColourMode.LINEART:
            # Many devices (the test one too) have no line-art mode: grey at 1 bit is the same.
            match = next((c for c in choices if c.lower() in _MODE_NAMES[ColourMode.GRAY]), None)
            lineart_by_depth = True
        if match is None:
            raise ScanFailed(f"扫描仪“{device_id}”不支持“{settings.mode.label}”模式。")
        _set_sane(device, device_id, "mode", match)
    depth = _sane_option(device, "depth")
    if depth is not None and isinstance(depth.constraint, list):
        want_depth = 1 if lineart_by_depth else 8
        if want_depth in depth.constraint:
            _set_sane(device, device_id, "depth", want_depth)

    resolution = _sane_option(device, "resolution")
    if resolution is not None:
        value = _nearest(resolution.constraint, settings.dpi)
        _set_sane(device, device_id, "resolution", value)

    if settings.area_mm is not None:
        _set_area(device, device_id, settings.area_mm)

    for name, extra in settings.extra_options.items():
        if _sane_option(device, name) is None:
            raise ScanFailed(f"扫描仪“{device_id}”没有可设置的选项 {name}。")
        _set_sane(device, device_id, name, extra)

    try:
        actual = float(device.resolution)
    except Exception:  # a device without a resolution option scans at what it says it does
        actual = float(settings.dpi)
    return actual


_SANE_UNIT_MM = 3


def _set_area(device: Any, device_id: str, area_mm: tuple[float, float]) -> None:
    width, height = area_mm
    for name, wanted in (("tl_x", 0.0), ("tl_y", 0.0), ("br_x", width), ("br_y", height)):
        option = _sane_option(device, name)
        if option is None or option.unit != _SANE_UNIT_MM:
            continue
        constraint = option.constraint
        if isinstance(constraint, tuple) and len(constraint) == 3:
            wanted = max(float(constraint[0]), min(float(constraint[1]), wanted))  # noqa: PLW2901 - clipped in place
        _set_sane(device, device_id, name, wanted)


def _nearest(constraint: Any, wanted: int) -> int | float:
    """The allowed value closest to ``wanted``: a (min, max, step) range or a list of values."""
    if isinstance(constraint, tuple) and len(constraint) == 3:
        low, high, step = constraint
        value = max(low, min(high, wanted))
        if step:
            value = low + round((value - low) / step) * step
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(constraint, list) and constraint:
        return min(constraint, key=lambda c: abs(float(c) - wanted))  # type: ignore[no-any-return]
    return wanted


def _sane_pages(device: Any, device_id: str, settings: ScanSettings, dpi: float,
                progress: ProgressCallback | None, cancelled: CancelCheck | None) -> list[Page]:
    feeder = settings.source is PaperSource.FEEDER
    wanted = settings.pages
    unit = 1000  # progress steps per page
    total = wanted * unit if wanted else 0
    pages: list[Page] = []
    cancel_requested = False
    last_step = -unit

    def on_line(line: int, lines: int) -> None:
        # Called by python-sane after every line. Raising here would crash python-sane 2.9.2
        # (it Py_DECREFs the NULL result), so a cancel asks the device to stop instead: the next
        # read returns SANE_STATUS_CANCELLED and snap() raises.
        nonlocal cancel_requested, last_step
        if cancelled is not None and not cancel_requested and cancelled():
            cancel_requested = True
            device.cancel()
        if lines > 0:
            step = len(pages) * unit + min(unit, line * unit // lines)
            if step - last_step >= unit // 100:  # every 1 %: a signal per line would flood the GUI
                last_step = step
                report(progress, step, total, f"正在扫描第 {len(pages) + 1} 页")

    try:
        while wanted is None or len(pages) < wanted:
            stop_if_cancelled(cancelled, _CANCELLED)
            number = len(pages) + 1
            last_step = (number - 1) * unit
            report(progress, last_step, total, f"正在扫描第 {number} 页")
            try:
                device.start()
            except Exception as exc:
                if feeder and str(exc).strip() == _NO_DOCS and (pages or wanted is None):
                    break  # the stack is done
                raise ScanFailed(f"扫描仪“{device_id}”无法开始扫描第 {number} 页：{_explain_sane(exc)}。") from None
            try:
                image = device.snap(no_cancel=feeder, progress=on_line)
            except Exception as exc:
                if cancel_requested:
                    raise Cancelled(_CANCELLED) from None
                raise ScanFailed(f"扫描第 {number} 页时出错：{_explain_sane(exc)}。") from None
            if cancel_requested:
                raise Cancelled(_CANCELLED)
            pages.append(_page_from_scan(image, settings, dpi, f"{device_id} 第 {number} 页"))
    finally:
        # Ends a feeder batch (snap with no_cancel leaves it open) and is harmless otherwise.
        with contextlib.suppress(Exception):  # the device may already be gone; closing follows
            device.cancel()
    report(progress, total or len(pages) * unit, total or len(pages) * unit, f"扫描完成，共 {len(pages)} 页")
    return pages


def _page_from_scan(image: Image.Image, settings: ScanSettings, dpi: float, source: str) -> Page:
    if settings.mode is ColourMode.LINEART and image.mode != "1":
        # 1-bit scans arrive as 0/255 grey; a fixed threshold (not dithering) keeps text crisp.
        image = image.convert("L").point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    return Page.from_image(image, dpi, source=source, jpeg_quality=settings.jpeg_quality)


# --------------------------------------------------------------------------- Windows

def _windows_only(what: str) -> ScannerUnavailable:
    return ScannerUnavailable(f"{what}只能在 Windows 上使用。")


def _optional(module: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ScannerUnavailable(
            f"未安装 {package}，无法使用扫描仪。请在本程序的 Python 环境中运行 pip install {package}。"
        ) from None


def _pixels_for(area_mm: tuple[float, float] | None, dpi: int) -> tuple[int, int] | None:
    if area_mm is None:
        return None
    return round(area_mm[0] / MM_PER_INCH * dpi), round(area_mm[1] / MM_PER_INCH * dpi)


class WiaScanner:
    """Windows Image Acquisition (WIA 2.0) through the WIA Automation Layer and pywin32.

    Windows only, and not run by the test suite (there is no WIA on Linux). Written against the
    Automation Layer reference: ``WIA.DeviceManager.DeviceInfos`` → ``DeviceInfo.Connect()`` →
    ``Device.Items(1)`` → ``Item.Transfer(FormatID)`` returning an ``ImageFile`` whose
    ``FileData.BinaryData`` holds the PNG. Properties are set by ID: 6146 current intent
    (1 colour, 2 grey, 4 text), 6147/6148 resolution, 6149–6152 scan area in pixels, and on the
    device 3088 document handling (1 feeder, 2 flatbed). An empty feeder answers
    WIA_ERROR_PAPER_EMPTY (0x80210003). WIA is COM: each worker thread initialises COM first.
    """

    backend = "wia"
    FORMAT_PNG = "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}"
    SCANNER_DEVICE_TYPE = 1
    PAPER_EMPTY = 0x80210003
    _INTENT: ClassVar[Mapping[ColourMode, int]] = {ColourMode.COLOUR: 1, ColourMode.GRAY: 2,
                                                    ColourMode.LINEART: 4}
    _client: ModuleType
    _pythoncom: ModuleType

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise _windows_only("WIA 扫描")
        self._client = _optional("win32com.client", "pywin32")
        self._pythoncom = _optional("pythoncom", "pywin32")

    def devices(self) -> list[ScannerDevice]:
        self._pythoncom.CoInitialize()
        try:
            manager = self._client.Dispatch("WIA.DeviceManager")
            found = []
            for info in manager.DeviceInfos:
                if info.Type != self.SCANNER_DEVICE_TYPE:
                    continue
                props = {p.Name: p.Value for p in info.Properties}
                found.append(ScannerDevice(str(info.DeviceID), str(props.get("Manufacturer", "")),
                                           str(props.get("Name", "")), "WIA", self.backend))
            return found
        finally:
            self._pythoncom.CoUninitialize()

    def scan(self, device_id: str, settings: ScanSettings | None = None, *,
             progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> list[Page]:
        settings = settings or ScanSettings()
        self._pythoncom.CoInitialize()
        try:
            manager = self._client.Dispatch("WIA.DeviceManager")
            info = next((i for i in manager.DeviceInfos if str(i.DeviceID) == device_id), None)
            if info is None:
                raise ScanFailed(f"找不到扫描仪“{device_id}”，请检查连接和电源。")
            device = info.Connect()
            feeder = settings.source is PaperSource.FEEDER
            _wia_set(device.Properties, 3088, 1 if feeder else 2)
            item = device.Items(1)
            _wia_set(item.Properties, 6146, self._INTENT[settings.mode])
            _wia_set(item.Properties, 6147, settings.dpi)
            _wia_set(item.Properties, 6148, settings.dpi)
            extent = _pixels_for(settings.area_mm, settings.dpi)
            if extent is not None:
                _wia_set(item.Properties, 6149, 0)
                _wia_set(item.Properties, 6150, 0)
                _wia_set(item.Properties, 6151, extent[0])
                _wia_set(item.Properties, 6152, extent[1])
            pages: list[Page] = []
            wanted = settings.pages
            while wanted is None or len(pages) < wanted:
                stop_if_cancelled(cancelled, _CANCELLED)
                report(progress, len(pages), wanted or 0, f"正在扫描第 {len(pages) + 1} 页")
                try:
                    image_file = item.Transfer(self.FORMAT_PNG)
                except Exception as exc:
                    if feeder and _com_code(exc) == self.PAPER_EMPTY and (pages or wanted is None):
                        break
                    raise ScanFailed(f"扫描第 {len(pages) + 1} 页时出错：{exc}") from None
                data = bytes(image_file.FileData.BinaryData)
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
                    pages.append(_page_from_scan(image, settings, float(settings.dpi),
                                                 f"{device_id} 第 {len(pages) + 1} 页"))
            stop_if_cancelled(cancelled, _CANCELLED)
            return pages
        finally:
            self._pythoncom.CoUninitialize()

    def close(self) -> None:
        """Each call connects anew; nothing stays open."""


def _wia_set(properties: Any, property_id: int, value: object) -> None:
    """Set a WIA property by ID if the device has it (drivers omit what they cannot do)."""
    for prop in properties:
        if int(prop.PropertyID) == property_id:
            prop.Value = value
            return


def _com_code(error: BaseException) -> int:
    """The HRESULT in a pywintypes.com_error (the WIA code sits in its excepinfo when the call
    failed inside the automation layer)."""
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    code = args[0] if args else 0
    if len(args) > 2 and args[2] and len(args[2]) > 5 and args[2][5]:
        code = args[2][5]
    return int(code) & 0xFFFFFFFF


class TwainScanner:
    """TWAIN data sources through pytwain (``import twain``), for scanners with only a TWAIN driver.

    Windows only, and not run by the test suite. Written against pytwain 2.x:
    ``SourceManager(parent_window)`` → ``source_list`` → ``open_source(name)`` →
    ``set_capability(ICAP_PIXELTYPE / ICAP_XRESOLUTION / CAP_FEEDERENABLED / CAP_XFERCOUNT …)`` →
    ``acquire_natively(after=callback, show_ui=False)``, where each image arrives as a DIB that is
    saved as BMP and read back. TWAIN drivers post messages to a window: pass the main window's
    handle (``int(window.winId())``). pytwain runs the message loop on the calling thread, so the
    worker that scans must also be the one that created this object.
    """

    backend = "twain"
    _twain: ModuleType
    _parent: int

    def __init__(self, parent_window: int = 0) -> None:
        if sys.platform != "win32":
            raise _windows_only("TWAIN 扫描")
        self._twain = _optional("twain", "pytwain")
        self._parent = parent_window

    def devices(self) -> list[ScannerDevice]:
        with self._twain.SourceManager(self._parent) as manager:
            return [ScannerDevice(str(name), "", str(name), "TWAIN", self.backend) for name in manager.source_list]

    def scan(self, device_id: str, settings: ScanSettings | None = None, *,
             progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None) -> list[Page]:
        settings = settings or ScanSettings()
        twain = self._twain
        pixel_type = {ColourMode.COLOUR: twain.TWPT_RGB, ColourMode.GRAY: twain.TWPT_GRAY,
                      ColourMode.LINEART: twain.TWPT_BW}[settings.mode]
        feeder = settings.source is PaperSource.FEEDER
        pages: list[Page] = []
        state = {"cancelled": False}
        with tempfile.TemporaryDirectory(prefix="mediation-desk-twain-") as folder:

            def after(image: Any, more: int) -> None:
                path = Path(folder) / f"{len(pages) + 1}.bmp"
                image.save(str(path))
                image.close()
                with Image.open(path, formats=["BMP"]) as bitmap:
                    bitmap.load()
                    pages.append(_page_from_scan(bitmap, settings, float(settings.dpi),
                                                 f"{device_id} 第 {len(pages) + 1} 页"))
                report(progress, len(pages), settings.pages or 0, f"已扫描 {len(pages)} 页")
                if cancelled is not None and cancelled():
                    state["cancelled"] = True
                    raise twain.exceptions.CancelAll
                if settings.pages is not None and len(pages) >= settings.pages and more:
                    raise twain.exceptions.CancelAll

            with twain.SourceManager(self._parent) as manager:
                if device_id not in manager.source_list:
                    raise ScanFailed(f"找不到 TWAIN 扫描仪“{device_id}”，请检查驱动程序和连接。")
                source = manager.open_source(device_id)
                try:
                    source.set_capability(twain.ICAP_PIXELTYPE, twain.TWTY_UINT16, pixel_type)
                    source.set_capability(twain.ICAP_XRESOLUTION, twain.TWTY_FIX32, float(settings.dpi))
                    source.set_capability(twain.ICAP_YRESOLUTION, twain.TWTY_FIX32, float(settings.dpi))
                    try:
                        source.set_capability(twain.CAP_FEEDERENABLED, twain.TWTY_BOOL, feeder)
                        source.set_capability(twain.CAP_XFERCOUNT, twain.TWTY_INT16,
                                              settings.pages if settings.pages else -1)
                    except Exception:
                        if feeder:
                            raise ScanFailed(f"扫描仪“{device_id}”没有自动送纸器，请选择平板扫描。") from None
                    report(progress, 0, settings.pages or 0, "正在扫描")
                    source.acquire_natively(after=after, show_ui=False, modal=False)
                except twain.exceptions.DSTransferCancelled:
                    state["cancelled"] = True
                except ScanFailed:
                    raise
                except Exception as exc:
                    raise ScanFailed(f"扫描仪“{device_id}”出错：{type(exc).__name__} {exc}") from None
                finally:
                    source.close()
        if state["cancelled"]:
            raise Cancelled(_CANCELLED)
        return pages

    def close(self) -> None:
        """Each scan opens and closes its source manager."""
