"""The files landbank ships: the county gazetteer, the import synonyms, the CJK font, the guide
(使用说明) and translations.

They live in the repository's ``resources/`` folder, which is installed as the package
``landbank.resources`` (``setup.py``; the files are ``[tool.setuptools.package-data]`` in
``pyproject.toml``), so a wheel, an editable install and a frozen build all find them through
:mod:`importlib.resources`. Every reader goes through here, never through a path relative to a
module (``Path(__file__).parents[…]`` finds nothing once landbank is installed). No Qt here.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "landbank.resources"

COUNTIES = ("gazetteer", "counties.tsv")
IMPORT_SYNONYMS = ("import_synonyms.json",)
CJK_FONT = ("fonts", "LandbankSansSC-Regular.ttf")
GUIDE = ("使用说明.md",)
APP_ICON = ("icons", "landbank.svg")
TRANSLATIONS = ("translations",)


class MissingResource(OSError):
    """A shipped file is not there: a broken install."""

    def __init__(self, parts: tuple[str, ...]) -> None:
        name = "/".join(parts)
        super().__init__(f"找不到程序文件 resources/{name}，安装不完整，请重新安装本软件。")
        self.name = name


def resource(*parts: str) -> Traversable:
    """The shipped file or folder ``resources/<parts…>`` (it may not exist)."""
    node = files(PACKAGE)
    for part in parts:
        node = node / part
    return node


def read_bytes(*parts: str) -> bytes:
    """The bytes of ``resources/<parts…>``; :class:`MissingResource` when it is not there."""
    try:
        return resource(*parts).read_bytes()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise MissingResource(parts) from exc


def read_text(*parts: str) -> str:
    """The text (UTF-8) of ``resources/<parts…>``; :class:`MissingResource` when it is not
    there."""
    return read_bytes(*parts).decode("utf-8")


def resource_dir(*parts: str) -> Path | None:
    """``resources/<parts…>`` as a folder on disk, for readers that want a folder (Qt's
    translator); ``None`` when it does not exist or the package is not on disk (a zip)."""
    node = resource(*parts)
    if isinstance(node, Path) and node.is_dir():
        return node
    return None
