"""How the map looks: a colour per status of each ladder (the legend lists them in ladder
order), the parks' faint backdrop, the highlight of the selected site, and the placing of code
labels so that none overlaps another."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QColor

from landbank.domain.enums import FactoryStatus, ParcelStatus, RecordKind

PARCEL_COLOURS: dict[str, str] = {
    ParcelStatus.AVAILABLE: "#2e9d4f",  # green: to be offered
    ParcelStatus.RESERVED: "#f0a30a",  # amber: held for a project
    ParcelStatus.LISTED: "#1f78b4",
    ParcelStatus.SUPPLIED: "#6a3d9a",
    ParcelStatus.HANDED_OVER: "#b15928",
    ParcelStatus.STARTED: "#8c6d31",
    ParcelStatus.IN_PRODUCTION: "#7f7f7f",  # grey: done
}
FACTORY_COLOURS: dict[str, str] = {
    FactoryStatus.UNDER_CONSTRUCTION: "#9e9e9e",
    FactoryStatus.BUILT: "#1f78b4",
    FactoryStatus.IDLE: "#2e9d4f",  # green: space to offer
    FactoryStatus.PARTLY_OCCUPIED: "#f0a30a",
    FactoryStatus.OCCUPIED: "#7f7f7f",
}
OTHER_COLOUR = "#c0392b"  # a status the ladder does not know
PARK_FILL = QColor(120, 140, 170, 28)
PARK_LINE = QColor(110, 130, 160, 150)
HIGHLIGHT = QColor("#e6004c")
OUTLINE_ALPHA = 150
NEIGHBOUR_ALPHA = 60


def _tr(text: str) -> str:
    return QCoreApplication.translate("MapStyle", text)


def status_colour(kind: RecordKind, status: str) -> QColor:
    table = PARCEL_COLOURS if kind is RecordKind.PARCEL else FACTORY_COLOURS
    return QColor(table.get(status, OTHER_COLOUR))


def fill_colour(kind: RecordKind, status: str, alpha: int = OUTLINE_ALPHA) -> QColor:
    colour = status_colour(kind, status)
    colour.setAlpha(alpha)
    return colour


def line_colour(kind: RecordKind, status: str) -> QColor:
    return status_colour(kind, status).darker(150)


def legend_sections() -> list[tuple[str, RecordKind, list[tuple[str, QColor]]]]:
    """(heading, kind, [(status, colour)]) of the legend, in ladder order."""
    return [
        (
            _tr("地块（供应状态）"),
            RecordKind.PARCEL,
            [(s, QColor(c)) for s, c in PARCEL_COLOURS.items()],
        ),
        (
            _tr("标准厂房（状态）"),
            RecordKind.FACTORY,
            [(s, QColor(c)) for s, c in FACTORY_COLOURS.items()],
        ),
    ]


class LabelPlacer:
    """Greedy placing of label boxes: a box is kept when it overlaps none kept before (a grid
    of cells keeps the test cheap for thousands of labels); at most ``limit`` are kept."""

    def __init__(self, cell: float = 64.0, limit: int = 600) -> None:
        self.cell = cell
        self.limit = limit
        self.kept = 0
        self._cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, box: QRectF) -> list[tuple[int, int]]:
        c = self.cell
        return [
            (i, j)
            for i in range(int(box.left() // c), int(box.right() // c) + 1)
            for j in range(int(box.top() // c), int(box.bottom() // c) + 1)
        ]

    def reserve(self, box: QRectF) -> None:
        """Keep ``box`` free of labels (the legend, the scale bar …); not counted."""
        for key in self._keys(box):
            self._cells.setdefault(key, []).append(box)

    def place(self, box: QRectF) -> bool:
        if self.kept >= self.limit:
            return False
        keys = self._keys(box)
        for key in keys:
            for other in self._cells.get(key, ()):
                if other.intersects(box):
                    return False
        for key in keys:
            self._cells.setdefault(key, []).append(box)
        self.kept += 1
        return True
