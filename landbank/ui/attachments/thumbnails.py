"""Thumbnails of attachments: a photo scaled down while it is decoded (a 12-megapixel JPEG is
read at the thumbnail's size, not in full), a drawn page with its type (PDF, DOC, XLS) for a
document. Kept in a small cache by the file's SHA-256, so reopening a record's dialog does not
decode its photos again."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QImageReader, QPainter, QPen, QPixmap

THUMB = 128  # pixels, the longer side
CACHE_SIZE = 200

_cache: OrderedDict[str, QImage] = OrderedDict()

_DOCUMENT_COLOURS = {"PDF": "#c62828", "DOC": "#1565c0", "DOCX": "#1565c0", "XLS": "#2e7d32",
                     "XLSX": "#2e7d32"}  # fmt: skip


def is_cached(sha256: str, size: int = THUMB) -> bool:
    return f"{sha256}:{size}" in _cache


def photo_thumbnail(sha256: str, data: bytes, size: int = THUMB) -> QImage | None:
    """The picture ``data`` scaled to fit ``size`` × ``size`` (None when it cannot be read)."""
    key = f"{sha256}:{size}"
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone's photo taken upright shows upright
    full = reader.size()
    if full.isValid() and (full.width() > size or full.height() > size):
        reader.setScaledSize(full.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return None
    if image.width() > size or image.height() > size:  # a reader that ignores setScaledSize
        image = image.scaled(
            size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    _cache[key] = image
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return image


def document_icon(label: str, size: int = THUMB) -> QPixmap:
    """A page with a folded corner and ``label`` (PDF, DOCX …) on a coloured band."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    width, height = size * 0.62, size * 0.82
    left, top = (size - width) / 2, (size - height) / 2
    fold = width * 0.28
    page = [
        QPointF(left, top), QPointF(left + width - fold, top), QPointF(left + width, top + fold),
        QPointF(left + width, top + height), QPointF(left, top + height),
    ]  # fmt: skip
    painter.setPen(QPen(QColor("#9e9e9e"), 1.5))
    painter.setBrush(QColor("#fafafa"))
    painter.drawPolygon(page)
    painter.setBrush(QColor("#e0e0e0"))
    painter.drawPolygon(
        [QPointF(left + width - fold, top), QPointF(left + width - fold, top + fold),
         QPointF(left + width, top + fold)]
    )  # fmt: skip
    band = QRectF(left - width * 0.08, top + height * 0.52, width * 0.9, height * 0.22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(_DOCUMENT_COLOURS.get(label, "#616161")))
    painter.drawRoundedRect(band, 3, 3)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, int(band.height() * 0.6)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, label)
    painter.setPen(QPen(QColor("#bdbdbd"), 1))
    for i in range(3):
        y = top + height * (0.2 + 0.09 * i)
        painter.drawLine(QPointF(left + width * 0.15, y), QPointF(left + width * 0.7, y))
    painter.end()
    return pixmap


def icon_for(file_name: str, media_type: str, sha256: str, data: bytes | None) -> QIcon:
    """A photo's thumbnail, else a document's page (also for a picture that cannot be read)."""
    if data is not None and media_type.startswith("image/"):
        image = photo_thumbnail(sha256, data)
        if image is not None:
            return QIcon(QPixmap.fromImage(_framed(image)))
    suffix = file_name.rsplit(".", 1)[-1].upper() if "." in file_name else "?"
    return QIcon(document_icon(suffix[:4]))


def _framed(image: QImage) -> QImage:
    """The thumbnail centred on a square (so the icons line up)."""
    canvas = QImage(QSize(THUMB, THUMB), QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    x, y = (THUMB - image.width()) // 2, (THUMB - image.height()) // 2
    painter.drawImage(x, y, image)
    painter.setPen(QPen(QColor("#bdbdbd"), 1))
    painter.drawRect(x, y, image.width() - 1, image.height() - 1)
    painter.end()
    return canvas


def clear_cache() -> None:
    _cache.clear()
