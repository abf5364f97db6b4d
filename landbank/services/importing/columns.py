"""Which row of a sheet is the header, and which field each column holds.

Header cells are matched by the field catalogue (key, label, "label(unit)" — so landbank's
own exports and templates import back) and by the synonyms of real ledgers kept in
``resources/import_synonyms.json`` (宗地编号/地块编号/编号 → 地块编号, 面积(公顷) → 收储面积
with 公顷 converting the numbers below it …). Clipboard paste uses the same matching.

A header named twice (中国土地市场网 exports have "土地用途" twice, the second being the
detailed use) is handled deliberately: the later column holds the field, the earlier one is
listed in :attr:`ColumnMap.duplicates` and not imported.

A mapping the clerk confirmed (the GUI lets them change any column) is remembered per record
kind and header row, in ``import_mappings.json`` in the settings folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec, field_map
from landbank.domain.units import Quantity, UnitError, normalise_text, parse_number
from landbank.domain.validation import FieldError
from landbank.resource_files import IMPORT_SYNONYMS, read_text
from landbank.services.importing.spreadsheet import Cell
from landbank.settings import config_dir

MAPPINGS_FILE = "import_mappings.json"
HEADER_SCAN_ROWS = 30  # the header is looked for among the first rows of a sheet
_HEADER_WITH_UNIT = re.compile(r"^(.+?)\((.+)\)$")


def normal_header(text: object) -> str:
    """NFKC (full-width brackets to half-width), no spaces or line breaks, no "*" of a required
    column, no trailing colon."""
    if text is None:
        return ""
    return normalise_text(str(text)).lstrip("*").rstrip(":：")


@cache
def synonyms() -> dict[RecordKind, dict[str, str]]:
    """Normalised header → field key, per record kind."""
    raw = json.loads(read_text(*IMPORT_SYNONYMS))
    result: dict[RecordKind, dict[str, str]] = {}
    for kind in (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT):
        keys = field_map(kind)
        table: dict[str, str] = {}
        for key, words in raw.get(kind.value, {}).items():
            if key not in keys:
                raise ValueError(f"{IMPORT_SYNONYMS[-1]}: unknown field {kind.value}.{key}")
            for word in words:
                table.setdefault(normal_header(word), key)
        result[kind] = table
    return result


def match_header(kind: RecordKind, cell: object) -> tuple[FieldSpec, str | None] | None:
    """The field a header cell names and the unit word it gives, if any.

    Accepts the key, the label, the label with unit and the synonyms, in full- or half-width
    brackets: "收储面积", "收储面积(亩)", "面积（公顷）", "宗地编号", "area_mu". Raises
    :class:`FieldError` when the label is known but its unit does not fit ("收储面积(m²)").
    """
    text = normal_header(cell)
    if not text:
        return None
    specs = field_map(kind)
    aliases = synonyms().get(kind, {})
    for spec in FIELDS[kind]:
        if text in (spec.key, normal_header(spec.label), normal_header(spec.header)):
            return spec, None
    if text in aliases:
        return specs[aliases[text]], None
    m = _HEADER_WITH_UNIT.match(text)
    if not m:
        return None
    label, unit = m[1], m[2]
    for spec in FIELDS[kind]:
        if label != normal_header(spec.label) and aliases.get(label) != spec.key:
            continue
        return spec, header_unit(spec, unit)
    return None


def header_unit(spec: FieldSpec, unit: str) -> str | None:
    """The unit word of a header that converts the numbers below it, or ``None``."""
    if spec.quantity is Quantity.PLAIN:
        return None  # 层高(米), 电力容量(KVA): no conversion
    try:
        parse_number("1" + unit, spec.quantity)
    except UnitError:
        raise FieldError(f"单位“{unit}”不适用于“{spec.label}”（应为 {spec.unit}）") from None
    return unit


# ---------------------------------------------------------------- the header row


def _row_score(kind: RecordKind, row: Sequence[Cell]) -> int:
    keys: set[str] = set()
    for cell in row:
        if not isinstance(cell, str):
            continue
        try:
            found = match_header(kind, cell)
        except FieldError:
            found = None
        if found is not None:
            keys.add(found[0].key)
    return len(keys)


def find_header_row(kind: RecordKind, rows: Sequence[Sequence[Cell]]) -> int | None:
    """The 0-based index of the row naming the most fields (at least two), among the first
    rows; title rows, merged banners and blank rows above it are passed over."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _row_score(kind, row)
        if score > best_score:
            best, best_score = index, score
    return best


def _score(kind: RecordKind, texts: Sequence[str]) -> int:
    return _row_score(kind, list(texts))


def two_row_header(
    kind: RecordKind,
    top: Sequence[Cell],
    sub: Sequence[Cell],
    group_spans: Sequence[tuple[int, int]] = (),
) -> list[str] | None:
    """The headers of a header written over two rows — a group label above its parts
    ("容积率" over "下限"/"上限", "约定时间" over "交地"/"开工"/"竣工", "面积" over
    "收储面积(亩)"/"净用地面积(亩)") — or ``None`` when ``sub`` is not part of the header.

    ``group_spans`` are the (first, last) columns of blocks merged across the top row: their
    label applies to every column they cover. The combination is kept only when it names
    more fields than the top row alone.
    """
    if any(c is not None and not isinstance(c, str) for c in sub):
        return None  # numbers or dates: a data row
    top_texts, sub_texts = header_texts(top), header_texts(sub)
    width = max(len(top_texts), len(sub_texts))
    group = top_texts + [""] * (width - len(top_texts))
    sub_texts += [""] * (width - len(sub_texts))
    if not any(sub_texts):
        return None
    for first, last in group_spans:
        if first < width:
            for c in range(first, min(last, width - 1) + 1):
                group[c] = group[first]
    combined: list[str] = []
    for g, part in zip(group, sub_texts, strict=True):
        if not part:
            combined.append(g)
            continue
        options = [part]
        if g and g != part:
            options = [g + part, part + g, part]
            for suffix in ("时间", "日期"):
                if g.endswith(suffix):  # 约定时间 over 交地 → 约定交地时间
                    options.insert(0, g.removesuffix(suffix) + part + suffix)
        found = next((o for o in options if _score(kind, [o])), None)
        combined.append(found or (g + part if g and g != part else part))
    return combined if _score(kind, combined) > _score(kind, top_texts) else None


# ---------------------------------------------------------------- the columns


@dataclass(frozen=True)
class MappedColumn:
    index: int  # 0-based column of the sheet
    header: str  # as the file writes it
    key: str | None  # the field, or None: not imported
    unit: str | None = None  # a unit word from the header, converting bare numbers


@dataclass
class ColumnMap:
    columns: list[MappedColumn]
    ignored: list[str] = field(default_factory=list)  # headers naming no field or not imported
    duplicates: list[str] = field(default_factory=list)  # earlier columns of a repeated field
    errors: list[tuple[str, str]] = field(default_factory=list)  # (header, reason)

    def by_key(self) -> dict[str, MappedColumn]:
        return {c.key: c for c in self.columns if c.key is not None}

    def keys(self) -> list[str | None]:
        return [c.key for c in self.columns]


def header_texts(row: Sequence[Cell]) -> list[str]:
    """A header row's cells as text (2017.0 from Excel reads "2017"), spaces collapsed."""
    return [
        ""
        if c is None
        else str(int(c))
        if isinstance(c, float) and c.is_integer()
        else " ".join(str(c).split())
        for c in row
    ]


def map_columns(
    kind: RecordKind, headers: Sequence[str], chosen: Sequence[str | None] | None = None
) -> ColumnMap:
    """Map each header to a field. ``chosen`` (a field key or ``None`` per column, e.g. a
    mapping the clerk confirmed) overrides the automatic match column by column."""
    specs = field_map(kind)
    found: list[tuple[str | None, str | None]] = []
    result = ColumnMap([])
    for index, header in enumerate(headers):
        key: str | None = None
        unit: str | None = None
        try:
            match = match_header(kind, header)
        except FieldError as exc:
            result.errors.append((header, str(exc)))
            match = None
        if match is not None:
            key, unit = match[0].key, match[1]
        if chosen is not None and index < len(chosen) and chosen[index] != key:
            key, unit = chosen[index], None
            if key is not None:
                m = _HEADER_WITH_UNIT.match(normal_header(header))
                if m and key in specs:
                    try:
                        unit = header_unit(specs[key], m[2])
                    except FieldError:
                        unit = None
        if key is not None and (key not in specs or specs[key].read_only):
            key = None
        if key is None and header.strip():  # naming no field, or set to （不导入）
            result.ignored.append(header)
        found.append((key, unit))
    last: dict[str, int] = {}
    for index, (key, _unit) in enumerate(found):
        if key is not None:
            last[key] = index
    for index, (key, unit) in enumerate(found):
        if key is not None and last[key] != index:
            result.duplicates.append(headers[index])
            key, unit = None, None
        result.columns.append(MappedColumn(index, headers[index], key, unit))
    return result


# ---------------------------------------------------------------- remembered mappings


def headers_hash(kind: RecordKind, headers: Sequence[str]) -> str:
    text = "\x1f".join(normal_header(h) for h in headers)
    return f"{kind.value}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"


def _mappings_path() -> Path:
    return config_dir() / MAPPINGS_FILE


def _load_mappings() -> dict[str, list[str | None]]:
    try:
        raw = json.loads(_mappings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def remember_mapping(kind: RecordKind, headers: Sequence[str], keys: Sequence[str | None]) -> None:
    """Keep the mapping the clerk confirmed for files with these headers."""
    mappings = _load_mappings()
    mappings[headers_hash(kind, headers)] = list(keys)
    path = _mappings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(mappings, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def remembered_mapping(kind: RecordKind, headers: Sequence[str]) -> list[str | None] | None:
    """The mapping confirmed earlier for these headers, if any (unknown keys dropped)."""
    keys = _load_mappings().get(headers_hash(kind, headers))
    if not isinstance(keys, list) or len(keys) != len(headers):
        return None
    specs = field_map(kind)
    return [k if isinstance(k, str) and k in specs else None for k in keys]
