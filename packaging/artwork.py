"""The executable's icon and the Windows version resource, made at build time.

The icon is drawn by Qt from the SVG the app ships (``resources/icons/landbank.svg``): a PNG
for Linux and a Windows ``.ico`` holding the sizes Explorer, the taskbar and the desktop ask
for (16 to 256 pixels). Qt's own ``ico`` image plugin writes a single image per file, so the
``.ico`` is put together here: a 6-byte header, one 16-byte entry per size and the PNG of each
size (PNG inside ICO: Windows Vista and later).

The version resource is the text PyInstaller's ``version=`` option reads (a ``VSVersionInfo``
expression): company, Chinese product name, file and product version from
``landbank.__version__`` — what Explorer shows under 属性 → 详细信息.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PRODUCT_NAME = "收储地块与标准厂房台账"
COMPANY = "landbank"
DESCRIPTION = "收储地块、标准厂房、招商项目与年度指标台账"
COPYRIGHT = "MIT License"


def render_png(svg: bytes, size: int) -> bytes:
    """``svg`` drawn as a square PNG of ``size`` pixels (transparent background)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:  # a QApplication: whoever comes next can use it
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png._app = QApplication([sys.argv[0] if sys.argv else "build"])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("the icon is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("Qt could not write the PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: Iterable[tuple[int, bytes]]) -> bytes:
    """An ICO file of the given (size, PNG) images."""
    images = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(png for _, png in images)


def write_icons(
    svg_path: Path, folder: Path, sizes: Sequence[int] = ICO_SIZES
) -> tuple[Path, Path]:
    """``landbank.ico`` and ``landbank.png`` (256 pixels) in ``folder``, drawn from the SVG."""
    svg = svg_path.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    pngs = [(size, render_png(svg, size)) for size in sizes]
    ico = folder / "landbank.ico"
    ico.write_bytes(ico_bytes(pngs))
    png = folder / "landbank.png"
    png.write_bytes(dict(pngs).get(256) or render_png(svg, 256))
    return ico, png


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers of a Windows file version: ``0.1.0`` → (0, 1, 0, 0); a local or
    development suffix (``0.2.0.dev3+g1234``) is dropped."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+", 1)[0].split(".dev", 1)[0])]
    numbers = [*numbers, 0, 0, 0, 0][:4]
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_resource(version: str, *, internal_name: str, original_filename: str) -> str:
    """The text of PyInstaller's version file (``EXE(version=…)``) for one executable."""
    nums = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": internal_name,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": original_filename,
        "ProductName": PRODUCT_NAME,
        "ProductVersion": version,
    }
    string_structs = ",\n          ".join(
        f"StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    # 0x0804 Chinese (PRC), code page 1200 (Unicode).
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={nums!r},
    prodvers={nums!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404b0',
        [
          {string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
