"""Validation of ledger records: per field, across fields, and status ladder transitions.

Everything here works on plain values (``str``, ``float``, ``int``, ``date``, ``bool``, ids)
and returns reasons in Chinese keyed by field, so a dialog can show each reason beside its
field and a paste or an import can name the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    RecordKind,
)
from landbank.domain.fields import FIELDS, FieldSpec, FieldType
from landbank.domain.ladders import TransitionError, ladder_for
from landbank.domain.units import UnitError, normalise_text, parse_number


class FieldError(ValueError):
    """A value that does not fit its field; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class RecordErrors:
    """Reasons keyed by field key; empty when the record is valid."""

    by_field: dict[str, str]

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def describe(self, kind: RecordKind) -> str:
        labels = {spec.key: spec.label for spec in FIELDS[kind]}
        return "；".join(f"{labels.get(k, k)}：{v}" for k, v in self.by_field.items())


MAX_INT = 2**31 - 1  # the databases' INTEGER

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_TRUE_WORDS = {"是", "有", "1", "true", "yes", "y", "√", "✓", "双路"}
_FALSE_WORDS = {"否", "无", "0", "false", "no", "n", "×", "单路"}


def parse_date(text: str) -> date:
    """ "2017/1/3", "2017-01-03", "2017.1.3", "2017年01月31日" → ``date``."""
    s = normalise_text(text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise FieldError(f"“{text}”不是有效的日期（应如 2026-03-15）")


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """Turn a typed or pasted value into the field's Python value; ``None`` when empty.

    Region, park and project references stay as text (names) here: looking them up is the
    store's job. Raises :class:`FieldError` with the reason.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    match spec.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            # One newline convention, whatever Excel, Windows or Qt handed over.
            text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
            if spec.type is FieldType.TEXT:
                text = " ".join(text.split())
            return text
        case FieldType.INT:
            value = _number(spec, raw)
            if value != int(value):
                raise FieldError(f"“{raw}”应为整数")
            return int(value)
        case FieldType.FLOAT:
            return _number(spec, raw)
        case FieldType.DATE:
            if isinstance(raw, date):
                return raw
            return parse_date(str(raw))
        case FieldType.BOOL:
            if isinstance(raw, bool):
                return raw
            word = normalise_text(str(raw)).lower()
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
            raise FieldError(f"“{raw}”应为 是/否")
        case FieldType.CHOICE:
            assert spec.choices is not None
            text = normalise_text(str(raw))
            for choice in spec.choices:
                if text in (choice.value, normalise_text(choice.value)):
                    return choice.value
            allowed = "、".join(c.value for c in spec.choices)
            raise FieldError(f"“{raw}”不是可选值（可选：{allowed}）")
        case FieldType.REGION | FieldType.PARK | FieldType.PROJECT:
            return raw if isinstance(raw, int) else str(raw).strip()
    raise AssertionError(spec.type)


def _number(spec: FieldSpec, raw: Any) -> float:
    try:
        value = parse_number(raw, spec.quantity)
    except UnitError as exc:
        raise FieldError(str(exc)) from None
    assert value is not None
    return value


def check_field(spec: FieldSpec, value: Any) -> str | None:
    """The reason ``value`` does not fit ``spec``, or ``None``."""
    if value is None or value == "":
        return "必填" if spec.required else None
    if spec.type in (FieldType.INT, FieldType.FLOAT):
        unit = spec.unit
        if spec.type is FieldType.INT and abs(value) > MAX_INT:
            return "数值过大"
        if spec.minimum is not None and value < spec.minimum:
            return f"不能小于 {spec.minimum:g}{unit}"
        if spec.maximum is not None and value > spec.maximum:
            return f"不能大于 {spec.maximum:g}{unit}"
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT) and len(str(value)) > spec.max_length:
        return f"不能超过 {spec.max_length} 个字"
    choices = spec.choices
    if spec.type is FieldType.CHOICE and choices is not None and value not in {c.value for c in choices}:
        return f"“{value}”不是可选值"
    return None


def validate_record(
    kind: RecordKind,
    values: Mapping[str, Any],
    *,
    old: Mapping[str, Any] | None = None,
    ladder_skips: bool = False,
) -> RecordErrors:
    """Check every field of ``values`` and the rules that tie fields together.

    ``old`` is the record as stored before this edit; status fields are then checked against
    their ladder (a new record may start on any rung; ``ladder_skips`` lets a status jump
    forward over rungs, as a later version of an imported ledger may report).
    """
    errors: dict[str, str] = {}
    for spec in FIELDS[kind]:
        if spec.read_only:
            continue
        reason = check_field(spec, values.get(spec.key))
        if reason:
            errors[spec.key] = reason
        elif spec.ladder and old is not None and spec.choices is not None:
            try:
                ladder_for(spec.choices).check(
                    old.get(spec.key), values[spec.key], skips=ladder_skips
                )
            except TransitionError as exc:
                errors[spec.key] = str(exc)
    for key, reason in _cross_field_errors(kind, values).items():
        errors.setdefault(key, reason)
    if (
        kind is RecordKind.PARCEL
        and old is not None
        and old.get("status") != ParcelStatus.RESERVED.value
        and values.get("status") == ParcelStatus.RESERVED.value
        and values.get("reserved_project_id") is None
    ):
        # A lock names its project and runs out: it is made in the matching window (or
        # ``landbank reserve``), not by changing the status. (A ledger imported with 意向锁定
        # keeps it: the import creates the record.)
        errors.setdefault(
            "status", "意向锁定须为具体项目办理：请在匹配窗口中为项目锁定"
        )
    return RecordErrors(errors)


# 净地出让: a parcel is listed and supplied only once it is 净地.
_NEEDS_NET_LAND = frozenset(
    s.value
    for s in ParcelStatus
    if list(ParcelStatus).index(s) >= list(ParcelStatus).index(ParcelStatus.LISTED)
)


def _le(values: Mapping[str, Any], low: str, high: str) -> bool:
    a, b = values.get(low), values.get(high)
    return a is None or b is None or a <= b


_LIFE_ORDER = (  # after supply: (earlier or smaller, later or larger, why)
    ("developed_area_mu", "area_mu", "已开发面积不能大于收储面积"),
    ("actual_start_date", "production_start_date", "投产日期早于实际开工日期"),
    ("actual_start_date", "stopped_since", "停工日期早于实际开工日期"),
)


def _cross_field_errors(kind: RecordKind, v: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind is RecordKind.PARCEL:
        if not _le(v, "far_min", "far_max"):
            errors["far_max"] = f"容积率上限 {v['far_max']:g} 小于下限 {v['far_min']:g}"
        if not _le(v, "net_area_mu", "area_mu"):
            errors["net_area_mu"] = "净用地面积不能大于收储面积"
        if not _le(v, "agreed_start_date", "agreed_completion_date"):
            errors["agreed_completion_date"] = "约定竣工日期早于约定开工日期"
        if not _le(v, "actual_start_date", "actual_completion_date"):
            errors["actual_completion_date"] = "实际竣工日期早于实际开工日期"
        for low, high, reason in _LIFE_ORDER:
            if not _le(v, low, high):
                errors[low if low != "actual_start_date" else high] = reason
        status = v.get("status")
        if status in _NEEDS_NET_LAND and v.get("readiness") not in (
            None,
            ParcelReadiness.NET_LAND.value,
        ):
            errors["status"] = f"地块尚未达到净地，不能为“{status}”（净地出让）"
        if status == ParcelStatus.AVAILABLE.value and v.get("reserved_project_id") is not None:
            errors["status"] = "地块已为项目意向锁定：请先解除锁定（在匹配窗口中），再改为“可供”"
    elif kind is RecordKind.FACTORY:
        if not _le(v, "idle_area_m2", "floor_area_m2"):
            errors["idle_area_m2"] = "闲置面积不能大于建筑面积"
        status = v.get("status")
        idle = v.get("idle_area_m2") or 0
        if status == FactoryStatus.UNDER_CONSTRUCTION.value and idle > 0:
            errors["idle_area_m2"] = "在建厂房不能有闲置面积"
        if status == FactoryStatus.IDLE.value and not idle:
            errors["idle_area_m2"] = "状态为闲置时须填写闲置面积"
        if status == FactoryStatus.OCCUPIED.value and idle > 0:
            errors["idle_area_m2"] = "已入驻厂房的闲置面积应为 0"
    elif kind is RecordKind.PROJECT:
        if not _le(v, "req_land_mu", "req_land_max_mu"):
            errors["req_land_max_mu"] = (
                f"需用地上限 {v['req_land_max_mu']:g} 亩小于需用地 {v['req_land_mu']:g} 亩"
            )
        if not _le(v, "agreed_start_date", "agreed_completion_date"):
            errors["agreed_completion_date"] = "约定竣工日期早于约定开工日期"
        if not _le(v, "funds_in_place_year_wan", "funds_in_place_wan"):
            errors["funds_in_place_year_wan"] = "本年到位资金不能大于累计到位资金"
        if not _le(v, "signed_date", "agreed_start_date"):
            errors["agreed_start_date"] = "约定开工日期早于签约日期"
        if v.get("park_id") is not None and v.get("region_id") is None:
            errors["region_id"] = "必填"
    return errors


# ---------------------------------------------------------------- many new records at once


def validate_columns(
    kind: RecordKind, columns: Mapping[str, Sequence[Any]], count: int
) -> dict[int, RecordErrors]:
    """:func:`validate_record` of ``count`` new records given column by column (a field not in
    ``columns`` is empty on every row): the errors of every row that has any, by row index.

    ``result.get(i)`` equals ``validate_record(kind, row i)`` (an empty result when absent)
    for every row; a file import checks 100,000 rows this way. Each field is checked once per
    distinct value of its column (ledgers repeat their values) and each rule across fields
    only on rows where its fields are filled; the rows that fail anything are then checked
    by :func:`validate_record` itself, so their reasons and their order are its own.
    """
    flagged: set[int] = set()
    for spec in FIELDS[kind]:
        if spec.read_only:
            continue
        values = columns.get(spec.key)
        if values is None:
            if check_field(spec, None):  # a required field the file lacks: every row
                flagged.update(range(count))
            continue
        flagged.update(_field_flags(spec, values))
    flagged.update(_cross_field_flags(kind, columns))
    result: dict[int, RecordErrors] = {}
    keys = [spec.key for spec in FIELDS[kind] if not spec.read_only]
    for index in sorted(flagged):
        row = {key: columns[key][index] if key in columns else None for key in keys}
        errors = validate_record(kind, row)
        if errors:
            result[index] = errors
    return result


_NUMBERS = frozenset({bool, int, float})


def _field_flags(spec: FieldSpec, values: Sequence[Any]) -> list[int]:
    """Rows whose value :func:`check_field` refuses, checking each distinct value once."""
    types = set(map(type, values))
    if len(types & _NUMBERS) > 1:
        # bool, int and float compare equal (True == 1 == 1.0): no shared cache.
        return [i for i, v in enumerate(values) if check_field(spec, v)]
    distinct = set(values)
    if _all_fit(spec, types, distinct):
        return []
    refused = {v for v in distinct if check_field(spec, v)}
    if not refused:
        return []
    return [i for i, v in enumerate(values) if v in refused]


def _all_fit(spec: FieldSpec, types: set[type], distinct: set[Any]) -> bool:
    """Whether :func:`check_field` accepts every value, decided for the column at once in the
    common cases (texts within their length, numbers within their range, choices); ``False``
    when unsure (each value is then checked)."""
    if None in distinct:
        if spec.required:
            return False
        types = types - {type(None)}
        distinct = distinct - {None}
    if not distinct:
        return True
    if spec.type in (FieldType.REGION, FieldType.PARK, FieldType.PROJECT):
        return "" not in distinct  # ids (or names): only "required" applies
    if types == {str} and "" not in distinct:
        if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
            return max(map(len, distinct)) <= spec.max_length
        if spec.type is FieldType.CHOICE and spec.choices is not None:
            return distinct <= {c.value for c in spec.choices}
        return spec.type is FieldType.DATE
    if (types == {float} and spec.type is FieldType.FLOAT) or (
        types == {int} and spec.type is FieldType.INT
    ):
        low, high = min(distinct), max(distinct)
        if spec.type is FieldType.INT and max(abs(low), abs(high)) > MAX_INT:
            return False
        return (spec.minimum is None or low >= spec.minimum) and (
            spec.maximum is None or high <= spec.maximum
        )
    return types == {date} and spec.type is FieldType.DATE


def _cross_field_flags(kind: RecordKind, columns: Mapping[str, Sequence[Any]]) -> set[int]:
    """Rows :func:`_cross_field_errors` may refuse (the same rules, column by column)."""
    flags: set[int] = set()

    def greater(low: str, high: str) -> None:  # the rows where not _le(low, high)
        a, b = columns.get(low), columns.get(high)
        if a is not None and b is not None:
            flags.update(
                i
                for i, (x, y) in enumerate(zip(a, b, strict=True))
                if x is not None and y is not None and not x <= y
            )

    def pairs(first: str, second: str) -> Iterator[tuple[int, Any, Any]]:
        a, b = columns.get(first), columns.get(second)
        if a is None and b is None:
            return
        n = len(a if a is not None else b)  # type: ignore[arg-type]
        yield from zip(range(n), a or [None] * n, b or [None] * n, strict=True)

    if kind is RecordKind.PARCEL:
        greater("far_min", "far_max")
        greater("net_area_mu", "area_mu")
        greater("agreed_start_date", "agreed_completion_date")
        greater("actual_start_date", "actual_completion_date")
        for low, high, _reason in _LIFE_ORDER:
            greater(low, high)
        flags.update(
            i
            for i, status, readiness in pairs("status", "readiness")
            if status in _NEEDS_NET_LAND
            and readiness not in (None, ParcelReadiness.NET_LAND.value)
        )
        flags.update(
            i
            for i, status, project in pairs("status", "reserved_project_id")
            if status == ParcelStatus.AVAILABLE.value and project is not None
        )
    elif kind is RecordKind.FACTORY:
        greater("idle_area_m2", "floor_area_m2")
        for i, status, idle_area in pairs("status", "idle_area_m2"):
            idle = idle_area or 0
            if (
                (status == FactoryStatus.UNDER_CONSTRUCTION.value and idle > 0)
                or (status == FactoryStatus.IDLE.value and not idle)
                or (status == FactoryStatus.OCCUPIED.value and idle > 0)
            ):
                flags.add(i)
    elif kind is RecordKind.PROJECT:
        greater("req_land_mu", "req_land_max_mu")
        greater("agreed_start_date", "agreed_completion_date")
        greater("funds_in_place_year_wan", "funds_in_place_wan")
        greater("signed_date", "agreed_start_date")
        flags.update(
            i for i, park, region in pairs("park_id", "region_id") if park is not None and region is None
        )
    return flags
