"""The real file: 3,677 land-supply records from 中国土地市场网 (January 2017), imported as
parcels without editing it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.importing import landchina
from landbank.services.importing.importer import import_records
from landbank.services.importing.landchina import code_from_link, detect
from landbank.services.importing.spreadsheet import read_workbook
from landbank.store.models import AuditEntry, LandParcel, Region
from tests.conftest import LANDCHINA_SAMPLE as SAMPLE
from tests.conftest import require_sample

USER = "测试员"



@pytest.fixture(autouse=True)
def _sample_present() -> None:
    require_sample(SAMPLE)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s


def _parcel(session: Session, guid: str) -> LandParcel:
    code = code_from_link(f"recorderguid={guid}")
    assert code is not None
    return session.execute(select(LandParcel).where(LandParcel.code == code)).scalars().one()


def _count(session: Session, table: type) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_the_layout_is_recognised() -> None:
    rows = read_workbook(SAMPLE).sheet().rows
    layout = detect(["" if c is None else str(c) for c in rows[0]])
    assert layout is not None
    assert (layout.use_detail, layout.use_summary, layout.county) == (13, 6, 2)
    assert code_from_link("…&recorderguid=6a01efd9-37f9-4f48-849d-d13491e1f557") == "LC-6a01efd937f94f48"
    assert code_from_link("no guid here") is None


def test_industrial_rows_become_supplied_parcels(session: Session) -> None:
    started = time.perf_counter()
    report = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER)
    elapsed = time.perf_counter() - started
    assert report.errors == [], report.describe()
    session.commit()
    assert report.profile
    assert (report.created, report.rows, report.skipped_other_uses) == (773, 773, 2904)
    assert _count(session, LandParcel) == 773
    assert elapsed < 20, f"import took {elapsed:.1f} s"

    statuses = {tuple(r) for r in session.execute(select(LandParcel.readiness, LandParcel.status))}
    assert statuses == {("净地(可供)", "已出让/划拨")}
    assert set(session.execute(select(LandParcel.planned_use)).scalars()) == {"工业用地"}

    row446 = _parcel(session, "d9036c6f-1ca9-4775-b1e3-47ecca3feac8")
    assert row446.area_mu == pytest.approx(18.124952 * 15)  # 面积(公顷) → 亩
    assert (row446.name, row446.holder) == ("工业", "重庆市量劲科技有限公司")  # 项目名称 as published
    assert row446.target_industry == "通讯设备、计算机及其他电子设备制造业"
    assert row446.price_wan == pytest.approx(2564.2985)
    assert (row446.agreed_handover_date, row446.agreed_start_date, row446.agreed_completion_date) == (
        date(2017, 1, 31),
        date(2017, 8, 31),
        date(2019, 8, 31),
    )
    # The column headed 上限 holds the lower bound.
    assert (row446.far_min, row446.far_max) == (0.8, 1.5)
    assert row446.notes is not None
    assert "合同签订日期：2017-01-05" in row446.notes
    assert row446.land_source == "新增建设用地(来自存量库)"  # 土地来源 15.63 of 18.12 公顷

    assert _parcel(session, "c29c514a-9dcf-4bec-8f87-347b49860f9e").far_max is None  # 0.00: no limit

    # 行政区 empty: the city of 地区 ("甘肃省,嘉峪关市").
    row92 = _parcel(session, "d627207b-2a6d-4b6e-96d5-f2cdde33aa1a")
    region = session.get(Region, row92.region_id)
    assert region is not None
    assert (region.name, region.kind) == ("嘉峪关市", "市")
    assert "嘉峪关市" in report.new_regions
    assert (row92.far_min, row92.far_max) == (None, 1.0)

    # The one typo (竣工 2010 before 开工 2018) is kept in 备注 rather than refusing the file.
    typo = _parcel(session, "b86e5970-f73f-41f5-ac17-7aaf2fb3fd26")
    assert typo.agreed_completion_date is None
    assert typo.notes is not None
    assert "2010-04-02" in typo.notes

    sources = set(session.execute(select(AuditEntry.source)).scalars())
    assert sources == {"导入:landchina_supply_2017-01.xls"}

    # Re-importing the same file finds every record again.
    again = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER, on_duplicate="skip")
    assert (again.created, again.skipped_duplicates, again.ok) == (0, 773, True)
    updated = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER, on_duplicate="update")
    assert (updated.updated, updated.unchanged) == (0, 773)
    stop = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER)
    assert len(stop.errors) == 773
    assert not stop.written
    session.commit()
    assert _count(session, LandParcel) == 773


@pytest.mark.slow
def test_every_land_use_when_asked(session: Session) -> None:
    report = import_records(
        session, RecordKind.PARCEL, SAMPLE, user=USER, all_land_uses=True, dry_run=True
    )
    assert report.errors == [], report.describe()
    assert (report.created, report.skipped_other_uses) == (3677, 0)
    session.commit()
    assert _count(session, LandParcel) == 0


def test_the_preview_shows_the_region_the_import_uses(session: Session) -> None:
    """Rows with no 行政区 take the city of 地区 ("新疆建设兵团,农十四师"): the preview reads
    them as the import does, instead of showing the empty 行政区."""
    from landbank.services.importing.preview import preview_import, preview_table

    preview = preview_import(RecordKind.PARCEL, SAMPLE)
    assert preview.layout is not None
    county = preview.layout.county
    table = preview_table(preview, limit=20, all_land_uses=True)
    region, code = table.keys.index("region_id"), table.keys.index("code")
    assert "region_id" not in table.derived  # 行政区 is mapped to 县区
    assert "code" in table.derived  # from 链接
    lacking = [
        (number, texts)
        for (number, texts), row in zip(table.rows, preview.rows, strict=False)
        if row.cells[county] is None or not str(row.cells[county]).strip()
    ]
    assert [number for number, _texts in lacking] == [7, 8]
    assert all(texts[region] == "农十四师" for _number, texts in lacking)
    assert table.rows[0][1][region] == "德令哈市"  # 行政区 given

    # The clerk's （不导入） on 行政区 does not lose the region the file's rules give.
    keys = [None if c.key == "region_id" else c.key for c in preview.columns.columns]
    unmapped = preview_table(preview, keys, limit=20, all_land_uses=True)
    assert "region_id" in unmapped.derived
    assert unmapped.rows[0][1][unmapped.keys.index("region_id")] == "德令哈市"
    assert unmapped.rows[5][1][unmapped.keys.index("region_id")] == "农十四师"

    # What the import makes of those rows, under the same mapping: the same regions.
    report = import_records(
        session, RecordKind.PARCEL, SAMPLE, user=USER, all_land_uses=True, mapping=keys
    )
    assert report.ok, report.describe()
    for number, texts in (table.rows[0], table.rows[6]):  # rows 2 and 8
        parcel = session.execute(
            select(LandParcel).where(LandParcel.code == texts[code])
        ).scalars().one()
        found = session.get(Region, parcel.region_id)
        assert found is not None
        assert found.name == texts[region], number
    # Columns those rules read are not "not imported", though no field is chosen for them.
    assert "序号" in report.ignored_columns
    assert not {"行政区", "地区", "链接", "总面积", "土地用途"} & set(report.ignored_columns)


def test_the_preview_shows_the_industrial_rows_the_import_takes(session: Session) -> None:
    """Unless the clerk chooses every land use, the preview shows the 工业用地 rows only and
    counts the others, as the import skips them."""
    from landbank.services.importing.preview import preview_import, preview_table

    preview = preview_import(RecordKind.PARCEL, SAMPLE)
    assert preview.layout is not None
    table = preview_table(preview, limit=20)
    everything = preview_table(preview, limit=20, all_land_uses=True)
    report = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER, dry_run=True)
    assert (table.total, table.other_uses) == (report.rows, report.skipped_other_uses)
    assert table.total + table.other_uses == everything.total == len(preview.rows)
    assert everything.other_uses == 0
    by_number = {row.number: row for row in preview.rows}
    uses = [landchina.land_use(preview.layout, by_number[n].cells) for n, _texts in table.rows]
    assert len(uses) == 20
    assert set(uses) == {landchina.INDUSTRIAL_USE}
    assert [n for n, _ in table.rows] != [n for n, _ in everything.rows]
    # 面积(公顷) shows in 亩, as the import stores it.
    area = table.keys.index("area_mu")
    hectares = next(c.index for c in preview.columns.columns if c.key == "area_mu")
    for number, texts in table.rows:
        assert texts[area] == f"{float(by_number[number].cells[hectares]) * 15:.15g}"
    session.rollback()
    imported = import_records(session, RecordKind.PARCEL, SAMPLE, user=USER)
    first = session.execute(select(LandParcel).where(LandParcel.code == table.rows[0][1][table.keys.index("code")])).scalars().one()
    assert imported.written
    assert f"{first.area_mu:.15g}" == table.rows[0][1][area]
