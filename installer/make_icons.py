"""Render resources/icons/mediation-desk.svg to the PNG (Linux menus, window icon) and the ICO
(the Windows executable and shortcuts). Run again after changing the SVG:

    python installer/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(ICONS / "mediation-desk.svg")).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return bytes(buffer.data().data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    (ICONS / "mediation-desk.png").write_bytes(render(256))
    images = [Image.open(io.BytesIO(render(size))) for size in SIZES]
    images[-1].save(ICONS / "mediation-desk.ico", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"wrote {ICONS / 'mediation-desk.png'} and {ICONS / 'mediation-desk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
