"""Render resources/icons/optimizer-lab.svg to the PNG sizes desktops ask for, plus .ico and .icns.

Run offscreen once after editing the SVG; the outputs are committed so that installing
never needs Qt's SVG plugin or Pillow at build time:

    QT_QPA_PLATFORM=offscreen python resources/packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "icons"
SVG = ICONS / "optimizer-lab.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"optimizer-lab-{size}.png"


def render_pngs() -> list[Path]:
    """Rasterise the SVG with Qt, the same renderer the app uses, so the icon looks alike everywhere."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot parse {SVG}")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size))):
            raise SystemExit(f"cannot write {png_path(size)}")
        written.append(png_path(size))
    return written


def write_ico_icns() -> list[Path]:
    """Windows wants one .ico with several sizes; macOS an .icns. Pillow writes both from the PNGs."""
    from PIL import Image

    big = Image.open(png_path(256)).convert("RGBA")
    ico = ICONS / "optimizer-lab.ico"
    big.save(ico, format="ICO", sizes=[(s, s) for s in (16, 32, 48, 64, 128, 256)])
    icns = ICONS / "optimizer-lab.icns"
    Image.open(png_path(512)).convert("RGBA").save(icns, format="ICNS")
    return [ico, icns]


if __name__ == "__main__":
    for path in [*render_pngs(), *write_ico_icns()]:
        print(f"{path.relative_to(ICONS.parents[1])}  {path.stat().st_size} bytes")
