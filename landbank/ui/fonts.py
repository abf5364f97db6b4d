"""The fonts: the CJK font landbank ships, the one the screen uses, the one printouts use.

landbank ships “Landbank Sans SC” (``resources/fonts``: a subset of Noto Sans CJK SC, OFL — GB
2312, the county gazetteer and the symbols the app prints; ``resources/fonts/README.md``). It
is registered with Qt once, from the package's bytes (so a wheel or a frozen build finds it).

* The screen prefers a CJK font of the system (:data:`CJK_FONTS`, the clerk's usual look) and
  falls back to the shipped one when there is none, so no machine shows boxes.
* Printouts and PDFs always put the shipped font first (:func:`print_families`): a report has
  Chinese text on every machine, looks the same wherever it is made, and breaks its pages the
  same way. A character the subset lacks (a rare hanzi of a name) is drawn by the families
  after it.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from landbank.resource_files import CJK_FONT, read_bytes

log = logging.getLogger(__name__)

SHIPPED_FAMILY = "Landbank Sans SC"
# Windows first, then macOS, then the Linux fonts (fonts-wqy-microhei / fonts-noto-cjk).
CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimSun",
)

_registered: list[str] = []  # the shipped family, once registered


def shipped_family() -> str | None:
    """Register the shipped CJK font with Qt (once; needs a QGuiApplication) and return its
    family, or ``None`` (logged) when it cannot be read or Qt refuses it."""
    if _registered:
        return _registered[0]
    try:
        data = read_bytes(*CJK_FONT)
    except OSError as exc:
        log.warning("%s", exc)
        return None
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("Qt 无法载入随程序提供的中文字体 %s", "/".join(CJK_FONT))
        return None
    _registered.append(families[0])
    return families[0]


def system_cjk_font() -> str | None:
    """The first installed font family of :data:`CJK_FONTS`, or ``None``."""
    families = set(QFontDatabase.families())
    return next((name for name in CJK_FONTS if name in families), None)


def choose_cjk_font() -> str | None:
    """The screen's CJK family: the system's (:func:`system_cjk_font`), else the shipped one."""
    return system_cjk_font() or shipped_family()


def print_families() -> list[str]:
    """The families of every printout, in order: the shipped font, then the application's
    (the system's CJK font and Qt's default), for a character the subset lacks."""
    shipped = shipped_family()
    rest = [f for f in QGuiApplication.font().families() if f != shipped]
    return [shipped, *rest] if shipped else rest


def print_font(points: float) -> QFont:
    """A printout's font at ``points``."""
    font = QFont(QGuiApplication.font())
    font.setFamilies(print_families())
    font.setPointSizeF(points)
    return font
