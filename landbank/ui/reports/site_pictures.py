"""A site's two pictures on paper — its map excerpt (:func:`landbank.ui.map.excerpt
.site_map_image`) and its first 照片 (:func:`landbank.services.attachments.service.first_photo`)
— for the 推介单 and the 招商手册.

Both sit side by side under the site's facts, each in a box of ``box`` CSS pixels (1/96 inch):
the map is drawn to the box, the photo scaled into it with its aspect kept (a JPEG is decoded
at the reduced size directly, so a 12-megapixel phone photo costs little). A site with neither
prints nothing — no empty frame, no gap; one with only one prints that one. The images are
made at :data:`DETAIL` times the box (sharp on paper, small in memory: a 招商手册 of 200 sites
holds about 130 MB of pictures while it is laid out).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.attachments.service import first_photo
from landbank.ui.map.excerpt import site_map_image
from landbank.ui.reports.picture_row import MAP_CAPTION, PHOTO_CAPTION, PictureRef, pictures_html

_ROTATE_90 = QImageIOHandler.Transformation.TransformationRotate90
DETAIL = 1.6  # image pixels per CSS pixel of the box
BOX = (300, 188)  # CSS pixels: about 79 × 50 mm each, two side by side in the page's width


@dataclass(frozen=True)
class Picture:
    """One picture as the page shows it: its image and the size it takes (CSS pixels)."""

    image: QImage
    width: int
    height: int


@dataclass(frozen=True)
class SitePictures:
    map: Picture | None
    photo: Picture | None

    def __bool__(self) -> bool:
        return self.map is not None or self.photo is not None


def _fit(size: QSize, box: tuple[int, int]) -> tuple[int, int]:
    """``size`` scaled into ``box`` with its aspect kept (never zero)."""
    width, height = max(1, size.width()), max(1, size.height())
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def photo_picture(data: bytes, box: tuple[int, int] = BOX) -> Picture | None:
    """The photo's bytes as a picture fitting ``box``; None when they are no readable image."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone's portrait photo stands upright
    size = reader.size()
    if not size.isValid():
        return None
    turned = bool(reader.transformation() & _ROTATE_90)
    if turned:
        size = size.transposed()  # the size once turned upright
    shown = _fit(size, box)
    pixels = QSize(round(shown[0] * DETAIL), round(shown[1] * DETAIL))
    if pixels.width() < size.width():  # decode smaller, never larger than the photo
        reader.setScaledSize(pixels.transposed() if turned else pixels)
    image = reader.read()
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    return Picture(image, *shown)


def site_pictures(
    session: Session, kind: RecordKind, record_id: int, box: tuple[int, int] = BOX
) -> SitePictures:
    """The map excerpt and the first photo of a site (either may be missing)."""
    width, height = round(box[0] * DETAIL), round(box[1] * DETAIL)
    drawn = site_map_image(session, kind, record_id, width, height)
    map_picture = None
    if drawn is not None and not drawn.isNull():
        map_picture = Picture(drawn.convertToFormat(QImage.Format.Format_RGB888), *box)
    photo = first_photo(session, kind, record_id)
    photo_pic = photo_picture(photo.data, box) if photo is not None else None
    return SitePictures(map_picture, photo_pic)


def data_uri(image: QImage, *, photo: bool) -> str:
    """The image inline (a 推介单 is one HTML text): JPEG for a photo, PNG for a map."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    kind = "JPEG" if photo else "PNG"
    image.save(buffer, kind, 85 if photo else -1)  # type: ignore[call-overload]
    encoded = base64.b64encode(bytes(data.data())).decode("ascii")
    return f"data:image/{kind.lower()};base64,{encoded}"


def inline_pictures_html(pictures: SitePictures) -> str:
    """Both pictures with their images inline (the 推介单)."""
    sources: list[PictureRef] = []
    if pictures.map is not None:
        p = pictures.map
        sources.append(PictureRef(data_uri(p.image, photo=False), p.width, p.height, MAP_CAPTION))
    if pictures.photo is not None:
        p = pictures.photo
        sources.append(PictureRef(data_uri(p.image, photo=True), p.width, p.height, PHOTO_CAPTION))
    return pictures_html(sources)


__all__ = [
    "BOX",
    "Picture",
    "SitePictures",
    "inline_pictures_html",
    "photo_picture",
    "site_pictures",
]
