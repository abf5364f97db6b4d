"""A county clerk's file import on a city server writes only its own county's records: every
row of another county is named as a row error and nothing is written (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.importing.importer import ImportOptionError, import_records
from landbank.services.records.saving import create_record
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, write_session
from landbank.store.models import LandParcel
from tests.city_seed import PARCEL, seed_two_counties
from tests.server_helpers import CityServer, city_server
from tests.services.messy_ledgers import write_csv

pytestmark = pytest.mark.postgres

HEADER = ["地块编号", "县区", "收储面积(亩)", "状态"]
MINE = "您的账号（辉县市）只能导入辉县市的记录"
# Rows 2…6 as Excel numbers them: 辉县市's (by its full and short name) and 获嘉县's.
MIXED = [
    HEADER,
    ["HX-2", "辉县市", "10", "净地"],
    ["HJ-2", "获嘉县", "12", "净地"],
    ["HX-3", "辉县", "8", "毛地"],
    ["HJ-3", "获嘉", "9", "净地"],
    ["HX-4", "辉县市", "11", "净地"],
]


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        yield server, seed_two_counties(postgres_url)


def _codes(url: str) -> set[str]:
    admin = make_engine(url)
    try:
        with Session(admin) as s:
            return {str(c) for c in s.execute(select(col(LandParcel.code))).scalars()}
    finally:
        admin.dispose()


def _import(engine: Engine, path: Path, **options: object) -> tuple[bool, list[tuple[int, str, str, str]]]:
    with Session(engine) as s:
        report = import_records(s, RecordKind.PARCEL, path, user="李四", **options)  # type: ignore[arg-type]
        s.commit()
    return report.written, [(e.row, e.column, e.value, e.reason) for e in report.errors]


def test_a_county_clerk_is_told_each_row_of_another_county_and_nothing_is_written(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, _ids = city
    clerk = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    path = write_csv(tmp_path / "混合.csv", MIXED, encoding="gbk")
    before = _codes(server.url)
    written, errors = _import(clerk, path)
    assert not written
    assert errors == [(3, "县区", "获嘉县", MINE), (5, "县区", "获嘉县", MINE)]
    assert _codes(server.url) == before

    own = write_csv(tmp_path / "本县.csv", [r for r in MIXED if r[1] != "获嘉县" and r[1] != "获嘉"], encoding="gbk")
    written, errors = _import(clerk, own)
    assert (written, errors) == (True, [])
    assert _codes(server.url) == before | {"HX-2", "HX-3", "HX-4"}


def test_the_sheets_county_of_another_county_refuses_every_row(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, _ids = city
    clerk = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    rows = [["地块编号", "收储面积(亩)", "状态"], ["A-1", "10", "净地"], ["A-2", "12", "净地"]]
    path = write_csv(tmp_path / "无县区.csv", rows, encoding="gbk")
    before = _codes(server.url)
    written, errors = _import(clerk, path, region="获嘉县")
    assert not written
    assert errors == [(2, "县区", "获嘉县", MINE), (3, "县区", "获嘉县", MINE)]
    assert _codes(server.url) == before
    assert _import(clerk, path, region="辉县")[0]
    assert _codes(server.url) == before | {"A-1", "A-2"}


def test_an_update_of_another_countys_record_is_refused(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, ids = city
    admin = make_engine(server.url)
    with write_session(admin) as s:
        create_record(
            s,
            RecordKind.PARCEL,
            {"region_id": ids["hj"], "code": "HJ-9", "supervision_no": "4107242024B00009", **PARCEL},
            user="t",
        )
    admin.dispose()
    clerk = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    rows = [[*HEADER, "电子监管号"], ["HX-9", "辉县市", "10", "净地", "4107242024B00009"]]
    path = write_csv(tmp_path / "更新.csv", rows, encoding="gbk")
    before = _codes(server.url)
    written, errors = _import(clerk, path, on_duplicate="update")
    assert not written
    assert errors == [(2, "县区", "获嘉县", MINE)]
    assert _codes(server.url) == before


def test_a_city_clerk_imports_every_county(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, _ids = city
    clerk = server.engine_as(server.add_login("sj", Scope.CITY))
    path = write_csv(tmp_path / "混合.csv", MIXED, encoding="gbk")
    before = _codes(server.url)
    assert _import(clerk, path) == (True, [])
    assert _codes(server.url) == before | {"HX-2", "HJ-2", "HX-3", "HJ-3", "HX-4"}


def test_a_viewers_import_is_refused_up_front(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, _ids = city
    viewer = server.engine_as(server.add_login("ro", Scope.VIEWER))
    path = write_csv(tmp_path / "混合.csv", MIXED, encoding="gbk")
    with pytest.raises(ImportOptionError, match="只能查看，不能导入台账"):
        _import(viewer, path)


def test_a_row_of_another_county_with_a_bad_cell_is_told_both(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, _ids = city
    clerk = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    rows = [HEADER, ["HX-2", "辉县市", "10", "净地"], ["HJ-2", "获嘉县", "很多", "净地"]]
    path = write_csv(tmp_path / "坏.csv", rows, encoding="gbk")
    before = _codes(server.url)
    written, errors = _import(clerk, path)
    assert not written
    assert [(r, c, v) for r, c, v, _ in errors] == [(3, "收储面积(亩)", "很多"), (3, "县区", "获嘉县")]
    assert errors[1][3] == MINE
    assert _codes(server.url) == before


@pytest.mark.parametrize("create", [False, True])
def test_a_county_clerk_adds_no_county(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path, create: bool
) -> None:
    server, _ids = city
    clerk = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    rows = [HEADER, ["HX-2", "辉县市", "10", "净地"], ["WH-1", "卫辉市", "9", "净地"]]
    path = write_csv(tmp_path / "新县区.csv", rows, encoding="gbk")
    before = _codes(server.url)
    written, errors = _import(clerk, path, create_regions=create)
    assert not written
    assert errors == [
        (3, "县区", "卫辉市", "县区“卫辉市”尚未在台账中。县区名单由市级账号维护，如需新增请联系市级管理员")
    ]
    assert _codes(server.url) == before
