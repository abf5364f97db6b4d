"""A site's pictures side by side under its facts, as HTML (no Qt: the parts of a printout are
data; the images themselves are named by ``src`` — a resource of the printout or a data URI).
See :mod:`landbank.ui.reports.site_pictures` for the images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

MAP_CAPTION = "位置示意图"
PHOTO_CAPTION = "现场照片"


@dataclass(frozen=True)
class PictureRef:
    """One picture on the page: the image's name, the size it takes (CSS pixels, 1/96 inch)
    and its caption."""

    src: str
    width: int
    height: int
    caption: str


def pictures_html(pictures: Sequence[PictureRef]) -> str:
    """The pictures side by side, centred, each with its caption below; "" for none."""
    if not pictures:
        return ""
    cells = "".join(
        '<td align="center" valign="top" style="padding:0 6px">'
        f'<img src="{escape(p.src)}" width="{p.width}" height="{p.height}"><br>'
        f'<span style="font-size:8pt; color:#555">{escape(p.caption)}</span></td>'
        for p in pictures
    )
    return (
        '<table align="center" cellspacing="0" cellpadding="2" style="margin-top:4px">'
        f"<tr>{cells}</tr></table>"
    )
