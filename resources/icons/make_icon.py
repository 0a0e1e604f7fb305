"""Draw the application icon: a contact card on a blue tile. Output is committed; run again
only to change the drawing:

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/make_icon.py

Writes crm-desktop.png (256 px: the window icon, Linux desktop files) and crm-desktop.ico
(16 to 256 px for Windows: Explorer, the taskbar and the installer pick the size they need).
Each size is drawn, not scaled down from 256, so small sizes stay sharp.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)  # drawn on a 256 grid whatever the size

    # The tile: a rounded square, blue, lighter at the top.
    tile = QRectF(8, 8, 240, 240)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0, QColor("#3d8bfd"))
    gradient.setColorAt(1, QColor("#1f5fbf"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(tile, 52, 52)

    # The card: white, a little wider than high.
    card = QRectF(40, 66, 176, 124)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(card, 18, 18)

    # The person on the card: head and shoulders, in the tile's blue.
    blue = QColor("#1f5fbf")
    painter.setBrush(blue)
    painter.drawEllipse(QPointF(88, 114), 20, 20)
    shoulders = QPainterPath()
    shoulders.moveTo(56, 172)
    shoulders.cubicTo(56, 140, 120, 140, 120, 172)
    shoulders.closeSubpath()
    painter.drawPath(shoulders)

    # The lines of text beside the person: the name bolder than the rest.
    painter.setBrush(QColor("#9dbcf0"))
    painter.drawRoundedRect(QRectF(136, 100, 60, 14), 7, 7)
    painter.drawRoundedRect(QRectF(136, 126, 48, 12), 6, 6)
    painter.drawRoundedRect(QRectF(136, 150, 56, 12), 6, 6)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An .ico of PNG-compressed entries (read by Windows since Vista): a header, one directory
    entry per size, then the PNGs. Qt's own ico writer stores a single size only."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in zip(sizes, images, strict=True):
        byte_size = size % 256  # 0 means 256 in an icon directory
        entries += struct.pack("<BBBBHHII", byte_size, byte_size, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def main() -> int:
    _app = QGuiApplication(sys.argv)
    (HERE / "crm-desktop.png").write_bytes(png_bytes(draw(256)))
    (HERE / "crm-desktop.ico").write_bytes(
        ico_bytes([png_bytes(draw(size)) for size in ICO_SIZES], ICO_SIZES)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
