"""A county's 标准地 table and 亩均效益 scheme travel with its ledger: ``server import-ledger``
copies them to the city's county and park ids with their history (a second import adds
nothing; a city row of the same key with other values, or another scheme, refuses it all),
``server export-ledger`` carries them back out so the new ledger judges and rates the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from landbank.cli.app import main
from landbank.domain.enums import RecordKind
from landbank.domain.land_life.efficiency import Measure
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.demo.city import create_demo_city
from landbank.services.efficiency.scheme import scheme_for, set_scheme
from landbank.services.records.saving import create_record
from landbank.services.server.ledger_export import export_ledger
from landbank.services.server.ledger_transfer import import_ledger
from landbank.services.standards.rows import standard_for
from landbank.services.standards.saving import StandardInput, create_standard
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from landbank.store.models import (
    AuditEntry,
    EfficiencyScheme,
    LandParcel,
    LandStandard,
    Park,
    Region,
)
from tests.server_helpers import CityServer, city_server
from tests.services.county_ledger import make_county_ledger

pytestmark = pytest.mark.postgres

CLUSTER, FOOD = "延津产业集聚区", "延津食品产业园"
ROWS = (  # park, industry, values
    (CLUSTER, "食品加工", {Indicator.INVESTMENT_INTENSITY: Threshold(low=260.0),
                           Indicator.TAX_PER_MU: Threshold(low=16.0)}),
    (FOOD, "新材料", {Indicator.FLOOR_AREA_RATIO: Threshold(low=1.2, high=2.5),
                      Indicator.TAX_PER_MU: Threshold(low=22.0)}),
)  # fmt: skip


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, Engine]]:
    """The demo city (its own 标准地 table) with 延津县 listed but empty."""
    with city_server(postgres_url) as server:
        engine = open_database(postgres_url)
        with write_session(engine) as s:
            create_demo_city(s, year=2026)
            create_record(s, RecordKind.REGION, {"name": "延津县", "kind": "县"}, user="市管理员")
        yield server, engine
        engine.dispose()


def _ids(s: Session, county: str) -> tuple[int, dict[str, int]]:
    region = s.execute(select(col(Region.id)).where(col(Region.name) == county)).scalar_one()
    parks = s.execute(
        select(col(Park.name), col(Park.id)).where(col(Park.region_id) == region)
    ).all()
    return int(region), {str(n): int(i) for n, i in parks}


def _add_rows(s: Session, county: str, rows: tuple[tuple[str, str, dict[Indicator, Threshold]], ...],
              user: str) -> None:  # fmt: skip
    region, parks = _ids(s, county)
    for park, industry, values in rows:
        given = StandardInput(region, parks[park], industry, values)
        create_standard(s, given, user=user)


def _county_ledger(path: Path) -> None:
    """The county's ledger with its two rows, its own scheme and a city default of its own."""
    make_county_ledger(path)
    engine = open_database(f"sqlite:///{path}")
    try:
        with write_session(engine) as s:
            _add_rows(s, "延津", ROWS, user="王县")
            region, _parks = _ids(s, "延津")
            set_scheme(s, region, "淮安2024", user="王县", base_multiple=1.5)
            set_scheme(s, None, "黄岩", user="王县", base_multiple=3.0)
    finally:
        engine.dispose()


def _count(engine: Engine, model: type) -> int:
    with read_session(engine) as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_standards_and_scheme_go_in_and_out_with_the_county(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    _county_ledger(ledger)
    with write_session(engine) as s:  # the city's own default, which the file does not change
        set_scheme(s, None, "黄岩", user="市管理员", base_multiple=1.2)
    with read_session(engine) as s:
        city_default = scheme_for(s, None).describe()
    standards_before = _count(engine, LandStandard)

    report = import_ledger(ledger, server.url)

    assert report.written
    assert not report.clashes
    assert (report.standards, report.standards_same, report.schemes) == (2, 0, 1)
    assert report.table_lines() == ["标准地指标 2 行（跳过 0）", "亩均效益评价方法 1 个"]
    assert (
        "台账中的全市默认亩均效益评价方法与城市库不同，未导入（城市库保留自己的）" in report.notes
    )
    with read_session(engine) as s:
        region, parks = _ids(s, "延津县")
        rows = s.execute(
            select(LandStandard).where(col(LandStandard.region_id) == region)
            .order_by(col(LandStandard.id))
        ).scalars().all()  # fmt: skip
        assert [(r.park_id, r.industry) for r in rows] == [
            (parks[CLUSTER], "食品加工"), (parks[FOOD], "新材料")
        ]  # fmt: skip
        assert (rows[0].investment_intensity_min_wan_per_mu, rows[0].tax_per_mu_min_wan) == (
            260.0, 16.0)  # fmt: skip
        assert (rows[1].far_min, rows[1].far_max) == (1.2, 2.5)
        audit = s.execute(
            select(AuditEntry).where(col(AuditEntry.record_kind) == "standard",
                                     col(AuditEntry.source).startswith("导入台账 延津.sqlite3"))
        ).scalars().all()  # fmt: skip
        assert sorted(a.record_id for a in audit) == sorted(int(r.id or 0) for r in rows)
        assert {a.record_uuid for a in audit} == {r.uuid for r in rows}
        assert {a.user for a in audit} == {"王县"}
        own = scheme_for(s, region)
        assert (own.preset, own.scheme.base_multiple, own.source) == ("淮安2024", 1.5, "延津县")
        assert own.scheme.weights[Measure.TAX_PER_MU] == 45.0
        assert scheme_for(s, None).describe() == city_default  # the city keeps its default
        city_standard = standard_for(s, region, parks[FOOD], "新材料")
    assert _count(engine, LandStandard) == standards_before + 2

    counts = (_count(engine, LandStandard), _count(engine, EfficiencyScheme),
              _count(engine, AuditEntry), _count(engine, LandParcel))  # fmt: skip
    again = import_ledger(ledger, server.url)
    assert again.written
    assert not again.clashes
    assert (again.standards, again.standards_same, again.schemes, again.schemes_same) == (
        0, 2, 0, 1)  # fmt: skip
    assert not again.anything_new
    assert (_count(engine, LandStandard), _count(engine, EfficiencyScheme),
            _count(engine, AuditEntry), _count(engine, LandParcel)) == counts  # fmt: skip

    back = tmp_path / "延津-导出.sqlite3"
    exported = export_ledger(server.url, "延津", back)
    assert (exported.standards, exported.schemes) == (2, 2)  # its own and the city's default
    out = open_database(f"sqlite:///{back}")
    try:
        with read_session(out) as s:
            assert _ids(s, "延津县") == (region, parks)  # the city's ids, kept
            assert s.execute(select(func.count()).select_from(LandStandard)).scalar_one() == 2
            assert standard_for(s, region, parks[FOOD], "新材料") == city_standard
            assert scheme_for(s, region).describe() == own.describe()
            assert scheme_for(s, None).describe() == city_default
            kinds = s.execute(select(col(AuditEntry.record_kind))).scalars().all()
            assert kinds.count("standard") == 2
            assert kinds.count("efficiency") == 2  # the county's and the city's default
    finally:
        out.dispose()
    # the exported ledger goes back in as the same rows
    third = import_ledger(back, server.url)
    assert not third.clashes
    assert (third.standards, third.standards_same) == (0, 2)
    assert third.schemes_same == 1


def test_a_city_row_of_the_same_key_with_other_values_refuses_the_import(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    _county_ledger(ledger)
    with write_session(engine) as s:  # the city meanwhile set 延津县's table itself
        region, _parks = _ids(s, "延津县")
        for name in (CLUSTER, FOOD):
            create_record(s, RecordKind.PARK, {"name": name, "region_id": region}, user="市")
    with write_session(engine) as s:
        same, changed = ROWS[0], (FOOD, "新材料", {Indicator.TAX_PER_MU: Threshold(low=30.0)})
        _add_rows(s, "延津县", (same, changed), user="市")
        set_scheme(s, region, "黄岩", user="市")
    counts = (_count(engine, LandStandard), _count(engine, EfficiencyScheme),
              _count(engine, AuditEntry), _count(engine, LandParcel))  # fmt: skip

    report = import_ledger(ledger, server.url)

    assert not report.written
    assert report.standards_same == 1  # the same key, the same values
    clashes = [c for c in report.clashes if "标准地指标" in c or "亩均效益" in c]
    assert clashes == [
        "标准地指标“延津·延津食品产业园·新材料”：城市库中已有这一行，数值不同"
        "（容积率下限 城市库 未设定、台账 1.2；容积率上限 城市库 未设定、台账 2.5；"
        "亩均税收≥(万元/亩) 城市库 30、台账 22），不自动合并",
        "亩均效益评价方法（延津）：城市库中该县区已有另一种评价方法"
        "（城市库“黄岩”，台账“淮安2024”；不同之处：预设、权重、基准值倍数），不自动合并",
    ]
    assert (_count(engine, LandStandard), _count(engine, EfficiencyScheme),
            _count(engine, AuditEntry), _count(engine, LandParcel)) == counts  # fmt: skip


def test_the_commands_name_the_rows_and_the_schemes(
    city: tuple[CityServer, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _engine = city
    ledger = tmp_path / "延津.sqlite3"
    _county_ledger(ledger)

    assert main(["server", "import-ledger", str(ledger), "--db", server.url, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "标准地指标 2 行（跳过 0）；亩均效益评价方法 1 个" in out
    assert "修改记录" in out
    assert main(["server", "import-ledger", str(ledger), "--db", server.url]) == 0
    assert "已导入" in capsys.readouterr().out
    assert main(["server", "import-ledger", str(ledger), "--db", server.url]) == 0
    out = capsys.readouterr().out
    assert "标准地指标 0 行（跳过 2）；亩均效益评价方法 0 个（跳过 1）" in out
    assert "没有新增" in out

    back = tmp_path / "延津-导出.sqlite3"
    assert main(["server", "export-ledger", str(back), "--region", "延津", "--db", server.url]) == 0
    assert "标准地指标 2 行；亩均效益评价方法 1 个" in capsys.readouterr().out


def test_a_county_new_to_the_city_brings_its_rows_and_scheme(
    postgres_url: str, tmp_path: Path
) -> None:
    ledger = tmp_path / "延津.sqlite3"
    _county_ledger(ledger)
    with city_server(postgres_url) as server:
        engine = open_database(postgres_url)
        try:
            dry = import_ledger(ledger, server.url, dry_run=True)
            assert (dry.standards, dry.schemes, dry.written) == (2, 1, False)
            assert _count(engine, LandStandard) == 0
            report = import_ledger(ledger, server.url, region="延津")
            assert report.written
            assert (report.standards, report.schemes) == (2, 1)
            with read_session(engine) as s:
                region, parks = _ids(s, "延津")  # created under the file's name
                found = s.execute(
                    select(col(LandStandard.park_id), col(LandStandard.industry))
                ).all()
                assert sorted(found) == sorted(
                    [(parks[CLUSTER], "食品加工"), (parks[FOOD], "新材料")]
                )
                assert scheme_for(s, region).preset == "淮安2024"
                assert (
                    s.execute(
                        select(func.count())
                        .select_from(EfficiencyScheme)
                        .where(col(EfficiencyScheme.region_id).is_(None))
                    ).scalar_one()
                    == 0
                )  # the file's city default stays out
        finally:
            engine.dispose()
