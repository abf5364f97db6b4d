"""What the record dialog starts a new record with: the clerk's own county, the first step of
each status, this year for a quota, and a quota's default targets for the chosen region's
kind (landbank.domain.quota.targets)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
    RegionKind,
)
from landbank.domain.quota.targets import default_targets
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.references import References


def quota_targets(region_kind: str | None) -> tuple[float, float] | None:
    """The default yearly targets of a region kind (landbank.domain.quota.targets); ``None`` when the
    kind has none (the city itself)."""
    if region_kind not in {k.value for k in RegionKind}:
        return None
    targets = default_targets(region_kind)
    return (targets.land_mu, targets.factory_m2) if targets.land_mu else None


_ALL_DEFAULT_TARGETS = frozenset(
    t for kind in RegionKind for t in (quota_targets(kind.value) or ())
)


def new_record_values(
    kind: RecordKind,
    refs: References,
    default_region: str,
    fields: Collection[str],
    given: Mapping[str, Any],
) -> dict[str, Any]:
    """The values a new ``kind`` record starts with, ``given`` first; ``fields`` are the ones
    the form shows."""
    values: dict[str, Any] = {}
    region_id = refs.region_id(default_region)
    if region_id is not None and "region_id" in fields:
        values["region_id"] = region_id
    match kind:
        case RecordKind.PARCEL:
            values["readiness"] = ParcelReadiness.PLANNED.value
            values["status"] = ParcelStatus.AVAILABLE.value
        case RecordKind.FACTORY:
            values["status"] = FactoryStatus.BUILT.value
        case RecordKind.PROJECT:
            values["stage"] = ProjectStage.LEAD.value
        case RecordKind.QUOTA:
            values["year"] = date.today().year
    values.update(given)
    if kind is RecordKind.QUOTA:
        targets = quota_targets(refs.region_kinds.get(values.get("region_id", -1)))
        if targets:
            values.setdefault("land_target_mu", targets[0])
            values.setdefault("factory_target_m2", targets[1])
    return values


def fill_quota_targets(editors: Mapping[str, FieldEditor], refs: References) -> None:
    """Put the chosen region's default targets into a new quota's target fields, unless the
    clerk typed a target of their own."""
    region_id = editors["region_id"].value()
    targets = quota_targets(refs.region_kinds.get(region_id))
    if targets is None:
        return
    for key, target in zip(("land_target_mu", "factory_target_m2"), targets, strict=True):
        editor = editors[key]
        if editor.problem() is not None:
            continue
        # Replace an empty target or one that is still another kind's default.
        if editor.value() in (None, *_ALL_DEFAULT_TARGETS):
            editor.set_value(target)
