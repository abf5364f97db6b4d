"""Records as the command line shows them: JSON for scripts, aligned text tables for people.

JSON keys are the field keys, English snake_case with the unit in the key where there is one
(``area_mu``, ``floor_area_m2``, ``total_investment_wan``); references appear by name under the
key without ``_id`` (``region_id`` → ``"region": "辉县市"``); dates are ISO strings and empty
values ``null``. Text tables use the Chinese headers with units and align columns by display
width, a CJK character taking two columns of the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES, FieldSpec, FieldType, field_map
from landbank.domain.units import format_quantity
from landbank.store.queries import Names

NUMBER_TYPES = frozenset({FieldType.INT, FieldType.FLOAT})
MAX_CELL_WIDTH = 36
ELLIPSIS = "…"


def json_key(spec: FieldSpec) -> str:
    """``region_id`` → ``region`` for references; other keys as they are."""
    return spec.key.removesuffix("_id") if spec.type in REFERENCE_TYPES else spec.key


def json_value(spec: FieldSpec, value: Any, names: Names) -> Any:
    if value is None:
        return None
    if spec.type in REFERENCE_TYPES:
        return names.label(spec.type, value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def record_to_json(kind: RecordKind, row: Mapping[str, Any], names: Names) -> dict[str, Any]:
    """One record (a row of :func:`landbank.store.queries.fetch_page`) as a JSON object."""
    result: dict[str, Any] = {
        "id": row.get("id"),
        "uuid": row.get("uuid"),
        "version": row.get("version"),
    }
    for spec in FIELDS[kind]:
        result[json_key(spec)] = json_value(spec, row.get(spec.key), names)
    return result


def cell_text(spec: FieldSpec, value: Any, names: Names) -> str:
    """A value for people: references by name, numbers with separators, 是/否, ISO dates."""
    if value is None or value == "":
        return ""
    if spec.type in REFERENCE_TYPES:
        return names.label(spec.type, value)
    if spec.type is FieldType.FLOAT:
        return format_quantity(float(value), spec.unit)  # one format per unit
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 per CJK (wide or full-width) character."""
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, marking the cut with “…”."""
    if display_width(text) <= width:
        return text
    kept, used = [], display_width(ELLIPSIS)
    for char in text:
        w = char_width(char)
        if used + w > width:
            break
        kept.append(char)
        used += w
    return "".join(kept) + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table_specs(kind: RecordKind, keys: Sequence[str] | None = None) -> list[FieldSpec]:
    """The columns of a text table: ``keys`` in order, or the visible fields of ``kind``."""
    if keys is None:
        return [spec for spec in FIELDS[kind] if spec.visible]
    specs = field_map(kind)
    return [specs[key] for key in keys]


def format_table(
    kind: RecordKind,
    rows: Sequence[Mapping[str, Any]],
    names: Names,
    *,
    keys: Sequence[str] | None = None,
    with_id: bool = True,
    max_cell_width: int = MAX_CELL_WIDTH,
) -> str:
    """An aligned text table: Chinese headers with units, numbers right-aligned, one record per
    line (line breaks inside a value become spaces, long values are cut with “…”)."""
    specs = table_specs(kind, keys)
    headers = (["ID"] if with_id else []) + [spec.header for spec in specs]
    right = ([True] if with_id else []) + [spec.type in NUMBER_TYPES for spec in specs]
    body: list[list[str]] = []
    for row in rows:
        cells = [str(row.get("id", ""))] if with_id else []
        for spec in specs:
            text = " ".join(cell_text(spec, row.get(spec.key), names).split())
            cells.append(truncate(text, max_cell_width))
        body.append(cells)
    widths = [
        max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(headers)
    ]
    lines = [_line(headers, widths, [False] * len(headers))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [_line(cells, widths, right) for cells in body]
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    return "  ".join(
        pad(c, w, right=r) for c, w, r in zip(cells, widths, right, strict=True)
    ).rstrip()


def format_fields(kind: RecordKind, row: Mapping[str, Any], names: Names) -> list[str]:
    """Every non-empty field as “label(unit): value”, labels aligned (for ``landbank show``).

    A multi-line value (notes, problems) keeps its lines, indented under the first."""
    pairs = [
        (spec.header, cell_text(spec, row.get(spec.key), names))
        for spec in FIELDS[kind]
        if cell_text(spec, row.get(spec.key), names)
    ]
    width = max((display_width(label) for label, _ in pairs), default=0)
    lines = []
    for label, value in pairs:
        first, *rest = value.splitlines() or [""]
        lines.append(f"{pad(label, width)}: {first}")
        lines += [" " * (width + 2) + more for more in rest]
    return lines
