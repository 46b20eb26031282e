"""``mediation-desk --self-test``: does this installation work? For IT support and the packagers.

Each check exercises what a frozen build loads dynamically and could have left out: the database
(the desk's own, or a temporary SQLite file when there is none yet) and its migrations, the CJK
fonts (registered with reportlab and Qt, a glyph measured), the Chinese catalog (a known string
translated), the keyring backends, QtPdf and QtCharts, the image-format plugins, the SQLAlchemy
dialects and the native helpers (argon2, zxing-cpp, img2pdf, pypdf, openpyxl, chinese_calendar).

The report goes to standard output as JSON and to ``self-test-<time>.json`` in the data folder.
Exit code 0 when every check passed (``warn`` is a pass: e.g. no keychain service is running on
this machine), 1 when one failed. Runs without a display: ``QT_QPA_PLATFORM=offscreen`` is set
when there is none.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from mediation_desk import APP_NAME, __version__, paths, settings

from .files import write_atomically

OK, WARN, FAIL = "ok", "warn", "fail"
#: A string of the login dialog and its Chinese translation, to prove the catalog is read.
KNOWN_TRANSLATION = ("LoginDialog", "User name", "用户名")
#: Characters the fonts must have: common ones, and a rare one only the fallback face carries.
CJK_SAMPLE = "矛盾纠纷调处中心"


@dataclass
class Check:
    name: str
    status: str
    detail: str
    seconds: float


class CheckFailed(Exception):
    pass


class CheckWarning(Exception):
    pass


def _run(name: str, fn: Callable[[], str]) -> Check:
    started = time.perf_counter()
    try:
        detail = fn()
        status = OK
    except CheckWarning as exc:
        status, detail = WARN, str(exc)
    except Exception as exc:
        status = FAIL
        detail = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    return Check(name, status, detail, round(time.perf_counter() - started, 3))


# --------------------------------------------------------------------------- checks


def check_database(database_url: str | None) -> str:
    from sqlalchemy import func, select

    from .db import Database, check_schema, current_revision, default_url, head_revision, resolve_url, upgrade
    from .models import DisputeCase, User

    url = resolve_url(database_url)
    temporary: tempfile.TemporaryDirectory[str] | None = None
    if url == default_url() and not settings.default_database_path().exists():
        # No database yet (before the first-run wizard): prove the migrations on a scratch file.
        temporary = tempfile.TemporaryDirectory(prefix="mediation-desk-self-test-")
        scratch = Path(temporary.name) / "self-test.sqlite3"
        from sqlalchemy.engine import URL

        url = URL.create("sqlite+pysqlite", database=str(scratch))
    database = Database(url, create=temporary is not None)
    try:
        if temporary is not None:
            report = upgrade(database, backup=False)
            where = f"临时 SQLite 文件（尚无数据库），已建到结构 {report.to_revision}"
        else:
            check_schema(database)  # a database newer than this program fails here
            where = database.display_name
        current = current_revision(database)
        with database.read() as session:
            users = session.scalar(select(func.count(User.id))) or 0
            cases = session.scalar(select(func.count(DisputeCase.id))) if current else 0
        state = "最新" if current == head_revision() else f"待升级到 {head_revision()}"
        return f"{where}：结构 {current}（{state}），用户 {users} 个，案件 {cases or 0} 件"
    finally:
        database.dispose()
        if temporary is not None:
            temporary.cleanup()


def check_pdf_fonts() -> str:
    from reportlab.pdfbase import pdfmetrics

    from .documents import fonts

    names = [fonts.register_fonts(), fonts.register_serif(), fonts.register_fallback()]
    for name in names[:2]:
        missing = [c for c in CJK_SAMPLE if not fonts.has_glyph(name, c)]
        if missing:
            raise CheckFailed(f"字体 {name} 缺少字形：{''.join(missing)}")
        width = pdfmetrics.stringWidth(CJK_SAMPLE, name, 12)
        if width < len(CJK_SAMPLE) * 10:  # a full-width glyph is 12 pt wide at 12 pt
            raise CheckFailed(f"字体 {name} 的汉字宽度异常：{width:.1f}")
    rare = "䶮"  # U+4DAE, in CJK Extension A: carried by the rare-ideograph face
    if not fonts.has_glyph(fonts.FALLBACK_NAME, rare) and not fonts.has_glyph(fonts.SERIF_NAME, rare):
        raise CheckFailed(f"生僻字字体未提供“{rare}”")
    return f"reportlab：{', '.join(names)}；“{CJK_SAMPLE}”在 12 pt 下宽 {width:.1f} pt"


def check_qt_fonts() -> str:
    from PySide6.QtGui import QFont, QFontMetricsF, QRawFont
    from PySide6.QtWidgets import QApplication

    from mediation_desk.ui.common.i18n import register_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    family = register_fonts(app)
    if family is None:
        raise CheckFailed(f"Qt 未能从 {paths.fonts_dir()} 加载任何字体")
    font = QFont(family, 12)
    raw = QRawFont.fromFont(font)
    # By code point: PySide6 maps a one-character str to the QChar overload, which is wrong for
    # some ideographs. The glyph indexes must be real glyphs (0 is .notdef, the empty box).
    missing = [c for c in CJK_SAMPLE if not raw.supportsCharacter(ord(c))]
    missing += [c for c, glyph in zip(CJK_SAMPLE, raw.glyphIndexesForString(CJK_SAMPLE), strict=False) if glyph == 0]
    if missing:
        raise CheckFailed(f"Qt 字体 {family} 缺少字形：{''.join(missing)}")
    advance = QFontMetricsF(font).horizontalAdvance(CJK_SAMPLE)
    if advance <= 0:
        raise CheckFailed("Qt 测得的汉字宽度为 0")
    return f"Qt：{family}，“{CJK_SAMPLE}”宽 {advance:.1f} px"


def check_translations() -> str:
    from PySide6.QtCore import QCoreApplication

    from mediation_desk.ui.common.i18n import install_translators

    app = QCoreApplication.instance()
    assert app is not None
    translators = install_translators(app, "zh_CN")
    try:
        context, source, expected = KNOWN_TRANSLATION
        got = QCoreApplication.translate(context, source)
        if got != expected:
            folder = paths.translations_dir()
            raise CheckFailed(f"“{source}”未被翻译（得到“{got}”）；{folder} 中的 .qm：{sorted(folder.glob('*.qm'))}")
        return f"{len(translators)} 个翻译文件已加载，“{source}” → “{got}”"
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def check_keyring() -> str:
    import keyring
    from keyring.backend import get_all_keyring

    available = sorted(type(k).__module__ + "." + type(k).__name__ for k in get_all_keyring())
    if sys.platform == "win32":
        import keyring.backends.Windows
    elif sys.platform == "linux":
        import keyring.backends.SecretService  # the backend the frozen build must carry
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name or "null" in name:
        # The backends are there, but no keychain service answers (e.g. a desktop session without
        # gnome-keyring / KWallet). One desk on SQLite needs none; a server password does.
        raise CheckWarning(
            f"本机没有可用的系统钥匙串服务（{name}）：单机模式不受影响；连接中心服务器时，密码需"
            f"由 ~/.pgpass 提供，或先启动钥匙串服务（如 gnome-keyring）。可用后端：{available}"
        )
    return f"{name}（可用后端：{available}）"


def check_qt_modules() -> str:
    from PySide6.QtCharts import QChart, QPieSeries
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QImageReader
    from PySide6.QtPdf import QPdfDocument

    chart = QChart()
    series = QPieSeries()
    series.append("调解成功", 3)
    chart.addSeries(series)
    # A one-page PDF written by reportlab with the CJK font, opened and rendered by QtPdf.
    from io import BytesIO

    from reportlab.pdfgen import canvas

    from .documents import fonts

    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=(200, 100))
    pdf.setFont(fonts.register_fonts(), 14)
    pdf.drawString(20, 50, CJK_SAMPLE)
    pdf.showPage()
    pdf.save()
    data = QByteArray(out.getvalue())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() != 1:
        raise CheckFailed(f"QtPdf 无法打开测试 PDF（{document.status()}，{document.error()}）")
    image = document.render(0, QSize(200, 100))
    dark = sum(1 for x in range(0, 200, 2) for y in range(0, 100, 2) if image.pixelColor(x, y).lightness() < 128)
    if dark == 0:
        raise CheckFailed("QtPdf 渲染的测试页是空白的")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "jpeg", "tiff", "bmp"} - formats
    if missing:
        raise CheckFailed(f"缺少图像格式插件：{sorted(missing)}（已有 {sorted(formats)}）")
    return f"QtCharts、QtPdf 正常（测试页 {dark} 个深色采样点）；图像格式：{', '.join(sorted(formats))}"


def check_libraries() -> str:
    import importlib

    import argon2
    import chinese_calendar
    import pypdf
    import zxingcpp
    from sqlalchemy.dialects import registry

    # Loaded by name, as the scanning and report code do.
    img2pdf = importlib.import_module("img2pdf")
    openpyxl = importlib.import_module("openpyxl")
    hasher = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    hasher.verify(hasher.hash("自检Check1"), "自检Check1")
    holiday = chinese_calendar.is_holiday(date(2026, 10, 1))
    if not holiday:
        raise CheckFailed("节假日数据异常：2026-10-01 不是节假日")
    registry.load("sqlite.pysqlite")
    registry.load("postgresql.psycopg")
    try:
        import psycopg

        pg = f"psycopg {psycopg.__version__}（{psycopg.pq.__impl__}）"
    except ImportError as exc:
        raise CheckFailed(f"缺少 PostgreSQL 驱动 psycopg：{exc}") from exc
    from PIL import Image

    image = Image.new("L", (64, 64), 255)
    buffer_pdf = img2pdf.convert(_png_bytes(image))
    pages = len(pypdf.PdfReader(_bytes_io(buffer_pdf)).pages)
    zx = zxingcpp.read_barcodes(image)
    return (f"argon2、chinese_calendar、img2pdf+pypdf（{pages} 页）、zxing-cpp（{len(zx)} 个码）、"
            f"openpyxl {openpyxl.__version__}、{pg}")


def _png_bytes(image: object) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG")  # type: ignore[attr-defined]
    return out.getvalue()


def _bytes_io(data: bytes) -> BytesIO:
    return BytesIO(data)


# --------------------------------------------------------------------------- runner


def run(database_url: str | None = None, report_dir: Path | None = None) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform == "linux":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    checks = [
        _run("database", lambda: check_database(database_url)),
        _run("pdf_fonts", check_pdf_fonts),
        _run("qt_fonts", check_qt_fonts),
        _run("translations", check_translations),
        _run("keyring", check_keyring),
        _run("qt_modules", check_qt_modules),
        _run("libraries", check_libraries),
    ]
    passed = all(c.status != FAIL for c in checks)
    report = {
        "app": APP_NAME,
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "qt_platform": app.platformName(),
        "resources": str(paths.resources_dir()),
        "data_dir": str(settings.data_dir()),
        "time": datetime.now().isoformat(timespec="seconds"),
        "passed": passed,
        "checks": [asdict(c) for c in checks],
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    folder = report_dir or settings.data_dir()
    target = folder / f"self-test-{datetime.now():%Y%m%d-%H%M%S}.json"
    try:
        write_atomically(target, text + "\n", private=False, what="自检报告")
        report_note = f"报告已保存：{target}"
    except OSError as exc:
        report_note = f"报告未能保存到 {target}：{exc}"
    print(text)
    for check in checks:
        mark = {"ok": "通过", "warn": "提醒", "fail": "失败"}[check.status]
        print(f"[{mark}] {check.name}: {check.detail.splitlines()[0] if check.detail else ''}", file=sys.stderr)
    print(("自检通过。" if passed else "自检未通过。") + report_note, file=sys.stderr)
    return 0 if passed else 1
