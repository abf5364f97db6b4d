"""Checks of an import's rows that no single record makes: a record the ledger already holds
(found by its keys), a record the file names twice (which row did the clerk mean?) and values
possible but worth a second look."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.importing import landchina
from landbank.services.importing.report import ImportProblem
from landbank.services.importing.sheet_layout import DataRow
from landbank.store.models import TABLES, RecordBase

# The columns that identify a record already in the ledger (the duplicate policy applies, and
# a file naming one twice is refused). A project list rarely has credit codes: its projects
# are known by name within their county.
DUPLICATE_KEYS: dict[RecordKind, tuple[tuple[str, ...], ...]] = {
    RecordKind.PARCEL: (("code", "region_id"), ("supervision_no",)),
    RecordKind.FACTORY: (("code", "region_id"),),
    RecordKind.PROJECT: (("credit_code",), ("name", "region_id")),
}


def existing_record(session: Session, kind: RecordKind, values: Mapping[str, Any]) -> RecordBase | None:
    """The record of the ledger ``values`` names by one of its :data:`DUPLICATE_KEYS`."""
    table = TABLES[kind]
    for keys in DUPLICATE_KEYS[kind]:
        if any(values.get(k) in (None, "") for k in keys):
            continue
        stmt = select(table).where(*(getattr(table, k) == values[k] for k in keys))
        found: RecordBase | None = session.execute(stmt.limit(1)).scalars().first()
        if found is not None:
            return found
    return None


def duplicate_key(kind: RecordKind, values: Mapping[str, Any], existing: RecordBase) -> str:
    """The field by which ``existing`` duplicates ``values`` (地块编号, 电子监管号 …)."""
    for keys in DUPLICATE_KEYS[kind]:
        if all(values.get(k) not in (None, "") and getattr(existing, k) == values[k] for k in keys):
            return keys[0]
    return DUPLICATE_KEYS[kind][0][0]


# Possible, but worth a second look: (field, lowest plausible, highest plausible).
PLAUSIBLE: dict[RecordKind, tuple[tuple[str, float, float], ...]] = {
    RecordKind.PARCEL: (("area_mu", 0.01, 10_000.0), ("net_area_mu", 0.01, 10_000.0)),
    RecordKind.FACTORY: (("floor_area_m2", 1.0, 1_000_000.0),),
    RecordKind.PROJECT: (("total_investment_wan", 0.01, 10_000_000.0),),
}


def repeated_in_file(
    kind: RecordKind,
    given: Mapping[str, list[Any]],
    rows: Sequence[DataRow],
    sheet: str,
    seen: dict[tuple[Any, ...], tuple[str, int]],
    header: Callable[[str], str],
) -> tuple[set[int], list[ImportProblem]]:
    """Rows naming a record an earlier row of the file named (``seen``: key → (sheet, row),
    kept across chunks and sheets): refused, both rows meaning one record, whatever the
    duplicate policy. Returns the rows refused and their problems."""
    refused: set[int] = set()
    problems: list[ImportProblem] = []
    specs = field_map(kind)
    for keys in DUPLICATE_KEYS[kind]:
        columns = [given.get(k) for k in keys]
        if columns[0] is None:
            continue
        parts = [c if c is not None else [None] * len(rows) for c in columns]
        refs = any(issubclass(t, landchina.RegionRef) for c in parts for t in set(map(type, c)))
        for g, key in enumerate(zip(*parts, strict=True)):
            if key[0] in (None, "") or (refs and any(isinstance(k, landchina.RegionRef) for k in key)):
                continue
            slot = (keys, *key)
            first = seen.get(slot)
            if first is None:
                seen[slot] = (sheet, rows[g].number)
                continue
            refused.add(g)
            where = f"第 {first[1]} 行" if first[0] == sheet else f"工作表“{first[0]}”第 {first[1]} 行"
            label = specs[keys[0]].label
            problems.append(
                ImportProblem(
                    sheet,
                    rows[g].number,
                    header(keys[0]),
                    str(key[0]),
                    f"与{where}的{label}相同：同一文件中同一{kind.label}出现两次",
                )
            )
    return refused, problems


def implausible(
    kind: RecordKind,
    given: Mapping[str, list[Any]],
    rows: Sequence[DataRow],
    sheet: str,
    header: Callable[[str], str],
) -> list[ImportProblem]:
    """Warnings for values outside :data:`PLAUSIBLE` (negative ones are the checks' to refuse)."""
    specs = field_map(kind)
    warnings: list[ImportProblem] = []
    for key, low, high in PLAUSIBLE.get(kind, ()):
        column = given.get(key)
        if column is None:
            continue
        spec = specs[key]
        for g, value in enumerate(column):
            if value is None or low <= value <= high or value < 0:
                continue
            reason = (
                f"{spec.label}为 {value:g} {spec.unit}，请核对"
                if value < low
                else f"{spec.label} {value:,.2f} {spec.unit} 异常大，请核对单位和数值"
            )
            warnings.append(ImportProblem(sheet, rows[g].number, header(key), f"{value:g}", reason))
    return warnings
