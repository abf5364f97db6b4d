"""What a 推介 sheet reads from the ledger beside what matching knows: each site's record facts
(坐落, 四至, 容积率, contacts …) and the bureau with its phone for the foot, each site's map excerpt and first photo — and
:func:`build_sheets`, which reads them and builds the sheets of the candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.identity import ledger_identity
from landbank.services.matching.export import MatchRow
from landbank.services.records.saving import RecordNotFound, get_record, record_values
from landbank.settings import Settings
from landbank.store.queries import load_names
from landbank.ui.matching.sheets import SiteKey, sheet_html
from landbank.ui.records.table_model import display_text, tr_field
from landbank.ui.reports.html_parts import Audience
from landbank.ui.reports.site_pictures import inline_pictures_html, site_pictures

_CTX = "MatchPrint"

# Facts of the ledger record shown on a sheet beside what matching knows (field keys).
PRINT_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.PARCEL: (
        "location", "boundaries", "planned_use", "far_min", "far_max", "building_density_pct",
        "height_limit_m", "contact_person", "contact_phone",
    ),
    RecordKind.FACTORY: (
        "owner", "floors", "floor_area_m2", "column_spacing", "crane_t", "dual_power",
        "loading_dock", "fire_rating", "contact_person", "contact_phone",
    ),
}  # fmt: skip


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def record_facts(
    session: Session, rows: Sequence[MatchRow]
) -> dict[SiteKey, list[tuple[str, str]]]:
    """The ledger facts of every site of ``rows`` (坐落, 四至, 容积率, contacts …), with units;
    a record deleted meanwhile has none."""
    names = load_names(session)
    facts: dict[SiteKey, list[tuple[str, str]]] = {}
    for row in rows:
        for site in row.sites:
            key = (site.kind, site.id)
            if key in facts:
                continue
            try:
                values = record_values(site.kind, get_record(session, site.kind, site.id))
            except RecordNotFound:
                facts[key] = []
                continue
            specs = field_map(site.kind)
            found: list[tuple[str, str]] = []
            for field in PRINT_FIELDS[site.kind]:
                spec = specs[field]
                text = display_text(spec, values.get(field), names)
                if not text:
                    continue
                if field == "far_max" and values.get("far_min") is not None:
                    continue
                if field == "far_min":
                    top = values.get("far_max")
                    label = _tr("容积率")
                    text += f"–{display_text(specs['far_max'], top, names)}" if top else ""
                    found.append((label, text))
                    continue
                found.append((tr_field(spec.label), f"{text} {spec.unit}".strip()))
            facts[key] = found
    return facts


def build_sheets(
    session: Session,
    rows: Sequence[MatchRow],
    *,
    today: date,
    audience: Audience,
    region_names: Mapping[int, str] | None = None,
    park_names: Mapping[int, str] | None = None,
    settings: Settings | None = None,
) -> list[str]:
    """The sheets of ``rows`` for ``audience``, with the ledger's facts of each site and the
    bureau and phone at the foot (the ledger's identity, the clerk's settings)."""
    identity = ledger_identity(session, settings)
    extra = record_facts(session, rows)
    pictures = site_pictures_html(session, rows)
    return [
        sheet_html(
            row,
            today=today,
            audience=audience,
            identity=identity,
            extra_facts=extra,
            region_names=region_names,
            park_names=park_names,
            pictures=pictures,
        )
        for row in rows
    ]


def site_pictures_html(session: Session, rows: Sequence[MatchRow]) -> dict[SiteKey, str]:
    """The map excerpt and first photo of the site each sheet shows (a combination: its first
    building), as inline HTML; "" for a site with neither."""
    found: dict[SiteKey, str] = {}
    for row in rows:
        site = row.sites[0]
        key = (site.kind, site.id)
        if key not in found:
            found[key] = inline_pictures_html(site_pictures(session, site.kind, site.id))
    return found
