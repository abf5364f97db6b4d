"""The 招商手册 (issue 5) as parts: every 净地 parcel still 可供 and every factory with idle
space, from :func:`landbank.services.quota.catalogue.catalogue`, grouped by region.

Two audiences (:class:`Audience`): the investor's version shows the facts of each site, its
conditions and whom to call; the internal version adds how long each has waited (已等待 /
已闲置 天) and whether it is 意向锁定 for a project.

Each site is one small headerless table (a *block*, :func:`html_parts.block`): the PDF writer
keeps it on one page, with its map excerpt and first photo under it (:class:`SiteDossier`,
gathered by :mod:`landbank.ui.reports.catalogue_dossier`). A site missing some of what a 推介
needs (:mod:`landbank.domain.completeness`) is left out, or listed with “资料不全：缺…” under it,
as the clerk chooses (``omit_incomplete``). Every figure carries its unit (亩, m², 万元, 元/m²/月, 万元/亩, kVA,
kN/m², m, t, 天) in the format of :func:`landbank.domain.units.format_quantity`; a fact the
ledger does not hold prints “—” (price and rent: “面议”).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby

from landbank.domain.enums import ParcelReadiness, RecordKind
from landbank.domain.units import format_number
from landbank.services.identity import BureauIdentity
from landbank.services.quota.catalogue import Catalogue, CatalogueFactory, CatalogueParcel
from landbank.ui.reports.html_parts import (
    GAP,
    HEAD_BG,
    Audience,
    Block,
    Cell,
    Part,
    Row,
    Table,
    Wrap,
    block,
    cell,
    chinese_ordinal,
    day,
    heading,
    note,
    para,
    q,
    qu,
    row,
    signature,
    table,
    title,
)
from landbank.ui.reports.picture_row import PictureRef, pictures_html

CATALOGUE_UNIT = "单位：面积 亩、m²；价格 万元；租金 元/m²/月；准入门槛 万元/亩"
NONE = "—"
_LABEL_BG = "#f3f5f9"
_COLUMNS = 6  # label, value × 3
_LABEL_WIDTH = 11.0  # percent of the page width, for each label column
_VALUE_WIDTH = (100.0 - 3 * _LABEL_WIDTH) / 3
_WIDTHS = (_LABEL_WIDTH, _VALUE_WIDTH) * 3

Fact = tuple[str, str]  # label, value
SiteKey = tuple[RecordKind, int]
_MISSING_FG = "#b71c1c"


@dataclass(frozen=True)
class SiteDossier:
    """What the 招商手册 prints about a site beside its facts: what it misses for a 推介, and
    its pictures (map excerpt, first photo)."""

    missing: tuple[str, ...] = ()
    pictures: tuple[PictureRef, ...] = ()

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)


def missing_line(missing: Sequence[str]) -> str:
    """“资料不全：缺四至、照片”."""
    return "资料不全：缺" + "、".join(missing)
WIDE_FACTS = frozenset({"县区·园区", "坐落", "准入门槛"})


def catalogue_title(place: str = "全市", audience: Audience = Audience.INVESTOR) -> str:
    text = f"{place or '全市'}招商手册：净地与闲置标准厂房"
    return text if audience is Audience.INVESTOR else text + "（内部）"


def _or_none(value: str | None) -> str:
    text = (value or "").strip()
    return text or NONE


def _with_unit(value: float | None, unit: str) -> str:
    return NONE if value is None else qu(value, unit)


def _yes_no(value: bool | None, yes: str = "有", no: str = "无") -> str:
    return NONE if value is None else (yes if value else no)


def _place(region: str, park: str) -> str:
    return f"{region}·{park}" if park else region


def _waiting(days: int | None, since_label: str, since: str, reserved: bool) -> str:
    text = NONE if days is None else f"{days} 天"
    if since:
        text += f"（{since_label}{since}）"
    if reserved:
        text += "；已意向锁定"
    return text


def _entry(tag: str, code: str, name: str | None, lines: Sequence[Sequence[Fact]],
           missing: Sequence[str] = ()) -> Table:  # fmt: skip
    """One site as a block: a shaded line with its kind, code and name, then its facts in a
    grid of six columns (label, value) × 3: in a line of two facts the one of
    :data:`WIDE_FACTS` spans three columns; the last value of a line spans what is left."""
    head = f"【{tag}】{code}" + (f"　{name}" if name else "")
    rows = [row([cell(head, bg=HEAD_BG, bold=True, colspan=_COLUMNS)])]
    for facts in lines:
        cells: list[Cell] = []
        used = 0
        for i, (label, value) in enumerate(facts):
            span = 3 if len(facts) == 2 and label in WIDE_FACTS else 1
            if i == len(facts) - 1:
                span = _COLUMNS - used - 1
            cells.append(_label(label))
            cells.append(cell(value, colspan=span))
            used += 1 + span
        rows.append(row(cells))
    if missing:  # marked, under the site's facts
        line = missing_line(missing)
        rows.append(row([cell(line, fg=_MISSING_FG, bold=True, colspan=_COLUMNS, wrap=Wrap.TEXT)]))
    return block(rows, widths=_WIDTHS)


def _label(text: str) -> Cell:
    return cell(text, bg=_LABEL_BG, wrap=Wrap.NONE)


def _thresholds(p: CatalogueParcel) -> str:
    parts = []
    if p.min_investment_intensity_wan_per_mu is not None:
        parts.append(f"投资强度 ≥ {qu(p.min_investment_intensity_wan_per_mu, '万元/亩')}")
    if p.min_tax_per_mu_wan is not None:
        parts.append(f"亩均税收 ≥ {qu(p.min_tax_per_mu_wan, '万元/亩')}")
    return "；".join(parts) or NONE


def _planning(p: CatalogueParcel) -> str:
    parts = []
    if p.far_min is not None or p.far_max is not None:
        low = format_number(p.far_min) if p.far_min is not None else ""
        high = format_number(p.far_max) if p.far_max is not None else ""
        parts.append(f"容积率 {low}–{high}" if low and high else f"容积率 {low or high}")
    if p.height_limit_m is not None:
        parts.append(f"限高 {qu(p.height_limit_m, 'm')}")
    return "，".join(parts) or NONE


def area_text(p: CatalogueParcel) -> str:
    """“65.74 亩（净用地 58.29 亩）”."""
    text = qu(p.area_mu, "亩")
    if p.net_area_mu is not None and abs(p.net_area_mu - p.area_mu) > 1e-9:
        text += f"（净用地 {qu(p.net_area_mu, '亩')}）"
    return text


def parcel_entry(p: CatalogueParcel, audience: Audience = Audience.INVESTOR,
                 missing: Sequence[str] = ()) -> Table:  # fmt: skip
    readiness = ParcelReadiness.NET_LAND.value.replace("(", "（").replace(")", "）")
    price = _with_unit(p.price_wan, "万元") if p.price_wan else "面议"
    contacts: list[Fact] = [("联系人", _or_none(p.contact_person)),
                            ("电话", _or_none(p.contact_phone))]  # fmt: skip
    if audience is Audience.INTERNAL:
        contacts.append(("已等待", _waiting(p.days_waiting, "自 ", day(p.ready_since), p.reserved)))
    lines: list[list[Fact]] = [
        [("县区·园区", _place(p.region, p.park)), ("整理程度", readiness)],
        [("坐落", _or_none(p.location)), ("规划用途", _or_none(p.planned_use))],
        [("面积", area_text(p)), ("出让价格", price), ("目标产业", _or_none(p.target_industry))],
        [("规划条件", _planning(p)), ("准入门槛", _thresholds(p))],
        contacts,
    ]
    return _entry("净地", p.code, p.name, lines, missing)


def _power(f: CatalogueFactory) -> str:
    if f.power_kva is None:
        return NONE if f.dual_power is None else _yes_no(f.dual_power, "双路供电", "单路供电")
    text = qu(f.power_kva, "kVA")
    if f.dual_power is not None:
        text += "，" + _yes_no(f.dual_power, "双路供电", "单路供电")
    return text


def factory_entry(f: CatalogueFactory, audience: Audience = Audience.INVESTOR,
                  missing: Sequence[str] = ()) -> Table:  # fmt: skip
    floors = f"（{f.floors} 层）" if f.floors else ""
    rent = _with_unit(f.rent_yuan_m2_month, "元/m²/月") if f.rent_yuan_m2_month else "面议"
    price = _with_unit(f.price_wan, "万元") if f.price_wan else "面议"
    lines: list[list[Fact]] = [
        [("县区·园区", _place(f.region, f.park)), ("状态", f.status)],
        [("建筑面积", f"{qu(f.floor_area_m2, 'm²')}{floors}"),
         ("闲置面积", qu(f.idle_area_m2, "m²")), ("租金", rent)],
        [("层高", _with_unit(f.ceiling_height_m, "m")),
         ("楼面承重", _with_unit(f.floor_load_kn_m2, "kN/m²")), ("柱距", _or_none(f.column_spacing))],
        [("电力", _power(f)), ("行车", _with_unit(f.crane_t, "t") if f.crane_t else "无"),
         ("卸货平台", _yes_no(f.loading_dock))],
        [("消防等级", _or_none(f.fire_rating)), ("售价", price),
         ("产业方向", _or_none(f.target_industry))],
        [("环保条件", _or_none(f.environment))],
        [("联系人", _or_none(f.contact_person)), ("电话", _or_none(f.contact_phone))],
    ]  # fmt: skip
    if audience is Audience.INTERNAL:
        lines[-1].append(("已闲置", _waiting(f.days_idle, "自 ", day(f.idle_since), f.reserved)))
    return _entry("厂房", f.code, f.name, lines, missing)


_OVERVIEW_HEADERS = ("县区", "净地（宗）", "净地面积（亩）", "闲置厂房（栋）", "可租售面积（m²）")


def _overview(cat: Catalogue, regions: Sequence[str]) -> Table:
    rows = []
    for region in regions:
        parcels = [p for p in cat.parcels if p.region == region]
        factories = [f for f in cat.factories if f.region == region]
        rows.append(_overview_row(region, parcels, factories))
    rows.append(_overview_row("合计", cat.parcels, cat.factories, total=True))
    return table(_OVERVIEW_HEADERS, rows)


def _overview_row(
    name: str,
    parcels: Sequence[CatalogueParcel],
    factories: Sequence[CatalogueFactory],
    *,
    total: bool = False,
) -> Row:
    return row(
        [
            cell(name, bold=total),
            cell(str(len(parcels)), right=True),
            cell(q(sum(p.area_mu for p in parcels), "亩"), right=True),
            cell(str(len(factories)), right=True),
            cell(q(sum(f.idle_area_m2 for f in factories), "m²"), right=True),
        ],
        total=total,
    )


def catalogue_summary(cat: Catalogue) -> str:
    return (
        f"可供净地 {len(cat.parcels)} 宗，共 {qu(cat.land_mu, '亩')}；"
        f"闲置标准厂房 {len(cat.factories)} 栋，可租售 {qu(cat.idle_m2, 'm²')}"
    )


def listed(cat: Catalogue, dossiers: Mapping[SiteKey, SiteDossier],
           omit_incomplete: bool) -> tuple[Catalogue, int]:  # fmt: skip
    """The catalogue as printed: without its incomplete sites when they are left out; and how
    many were left out."""
    if not omit_incomplete:
        return cat, 0

    def complete(kind: RecordKind, record_id: int) -> bool:
        return not dossiers.get((kind, record_id), SiteDossier()).incomplete

    parcels = tuple(p for p in cat.parcels if complete(RecordKind.PARCEL, p.id))
    factories = tuple(f for f in cat.factories if complete(RecordKind.FACTORY, f.id))
    left_out = len(cat.parcels) + len(cat.factories) - len(parcels) - len(factories)
    return replace(cat, parcels=parcels, factories=factories), left_out


def _site(entry: Table, dossier: SiteDossier) -> list[Part]:
    """A site's block, its pictures (on the same page) and the gap after it."""
    parts: list[Part] = [entry]
    if dossier.pictures:
        parts.append(Block(pictures_html(dossier.pictures), keep_with_previous=True))
    parts.append(GAP)
    return parts


def catalogue_parts(cat: Catalogue, *, place: str, identity: BureauIdentity, printed: date,
                    audience: Audience = Audience.INVESTOR,
                    dossiers: Mapping[SiteKey, SiteDossier] | None = None,
                    omit_incomplete: bool = False) -> list[Part]:  # fmt: skip
    """The 招商手册: an overview by region, then each region's 净地 and idle factories, one
    block per site (with its pictures, and “资料不全：缺…” under an incomplete one — or, with
    ``omit_incomplete``, without the incomplete sites), and the 落款."""
    dossiers = dossiers or {}
    cat, left_out = listed(cat, dossiers, omit_incomplete)
    parts: list[Part] = [
        title(
            catalogue_title(place, audience),
            cat.as_of,
            catalogue_summary(cat),
            identity=identity,
            printed=printed,
            place=place,
            unit=CATALOGUE_UNIT,
        )
    ]
    regions = sorted({p.region for p in cat.parcels} | {f.region for f in cat.factories})
    if not regions:
        parts.append(para("目前没有可供的净地和闲置标准厂房。"))
        if left_out and audience is Audience.INTERNAL:
            parts.append(note(f"另有 {left_out} 处场地资料不全，未列入本手册。"))
        parts.append(signature(identity, printed))
        return parts
    parts.append(heading("总览"))
    parts.append(_overview(cat, regions))
    definitions = (
        "净地：整理程度为净地（可供）、商务状态为可供的收储地块；闲置厂房：已建成未入驻、闲置或"
        "部分入驻的标准厂房，面积为可租售（闲置）面积。"
    )
    if audience is Audience.INTERNAL:
        definitions += (
            "净地含意向锁定的地块。已等待：自成为净地（或收储）之日起的天数；已闲置：自闲置起始"
            "日期起的天数。"
        )
        if left_out:
            definitions += f"另有 {left_out} 处场地资料不全（缺少推介所需资料），未列入本手册。"
    parts.append(note(definitions))
    parcels = {r: list(g) for r, g in groupby(cat.parcels, key=lambda p: p.region)}
    factories = {r: list(g) for r, g in groupby(cat.factories, key=lambda f: f.region)}
    for number, region in enumerate(regions, 1):
        mine_p = parcels.get(region, [])
        mine_f = factories.get(region, [])
        parts.append(
            heading(
                f"{chinese_ordinal(number)}、{region}（净地 {len(mine_p)} 宗 "
                f"{qu(sum(p.area_mu for p in mine_p), '亩')}；闲置厂房 {len(mine_f)} 栋 "
                f"{qu(sum(f.idle_area_m2 for f in mine_f), 'm²')}）"
            )
        )
        for p in mine_p:
            dossier = dossiers.get((RecordKind.PARCEL, p.id), SiteDossier())
            parts += _site(parcel_entry(p, audience, dossier.missing), dossier)
        for f in mine_f:
            dossier = dossiers.get((RecordKind.FACTORY, f.id), SiteDossier())
            parts += _site(factory_entry(f, audience, dossier.missing), dossier)
    parts.append(signature(identity, printed))
    return parts
