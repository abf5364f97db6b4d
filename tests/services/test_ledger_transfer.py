"""A county's own SQLite ledger joins the city's PostgreSQL ledger, and goes back out
(issue 14 item 7): ``server import-ledger`` and ``server export-ledger``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select

from landbank.cli.app import main
from landbank.domain.enums import RecordKind
from landbank.services.demo.city import create_demo_city
from landbank.services.matching.reservations import reserve_sites
from landbank.services.records.saving import create_record
from landbank.services.server.ledger_transfer import import_ledger
from landbank.services.server.roles import Scope
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from landbank.store.models import (
    TABLES,
    AnnualQuota,
    AuditEntry,
    LandParcel,
    Park,
    Project,
    Region,
)
from tests.server_helpers import CityServer, city_server
from tests.services.county_ledger import TODAY, make_county_ledger

pytestmark = pytest.mark.postgres
KINDS = (RecordKind.PARK, RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT,
         RecordKind.QUOTA)  # fmt: skip


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, Engine]]:
    """The demo city on a server set up by ``server init``, with 延津县 listed but empty."""
    with city_server(postgres_url) as server:
        engine = open_database(postgres_url)
        with write_session(engine) as s:
            create_demo_city(s, year=2026)
            create_record(s, RecordKind.REGION, {"name": "延津县", "kind": "县"}, user="市管理员")
        yield server, engine
        engine.dispose()


def _counts(engine: Engine, region: str | None = None) -> dict[str, int]:
    with read_session(engine) as s:
        counts = {}
        for kind in KINDS:
            model: Any = TABLES[kind]
            query = select(func.count()).select_from(model)
            if region is not None:
                query = query.join(Region, Region.id == model.region_id).where(
                    Region.name == region
                )
            counts[kind.value] = int(s.execute(query).scalar_one())
        counts["audit"] = int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
        return counts


def _source_counts(path: Path) -> dict[str, int]:
    engine = open_database(f"sqlite:///{path}")
    try:
        with read_session(engine) as s:
            return {
                kind.value: int(
                    s.execute(select(func.count()).select_from(TABLES[kind])).scalar_one()
                )
                for kind in KINDS
            }
    finally:
        engine.dispose()


def test_a_county_ledger_joins_the_city_with_its_references_and_history(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    ids = make_county_ledger(ledger)
    with sqlite3.connect(ledger) as local:  # a file import's one entry for parcels 3 … 7
        first, last = local.execute("SELECT min(id) + 2, min(id) + 6 FROM parcel").fetchone()
        local.execute(
            "INSERT INTO audit_log (at, user, action, record_kind, record_id, last_record_id,"
            " record_uuid, record_label, record_version, source) SELECT '2026-03-01 08:00:00',"
            " '王县', 'create', 'parcel', id, ?, uuid, '5 个地块', 1, '导入:乡镇台账.xlsx'"
            " FROM parcel WHERE id = ?",
            (last, first),
        )
    local.close()
    expected = _source_counts(ledger)
    before = _counts(engine)
    file_bytes = ledger.read_bytes()

    report = import_ledger(ledger, server.url)

    assert report.written
    assert not report.clashes
    assert ledger.read_bytes() == file_bytes  # the county's file untouched
    assert any("延津县" in note and "延津" in note for note in report.notes)  # a short name
    after = _counts(engine, "延津县")
    assert {k: after[k] for k in expected} == expected
    others = _counts(engine)
    assert {k: others[k] - before[k] for k in expected} == expected  # nothing elsewhere
    with read_session(engine) as s:
        region_id = s.execute(select(Region.id).where(Region.name == "延津县")).scalar_one()
        assert s.execute(select(func.count()).select_from(Region).where(
            Region.name == "延津")).scalar_one() == 0  # fmt: skip
        parcels = s.execute(select(LandParcel).where(LandParcel.region_id == region_id)).scalars()
        by_code = {p.code: p for p in parcels}
        reserved = by_code["YJ2026-001"]
        project = s.get(Project, reserved.reserved_project_id)
        assert project is not None
        assert project.region_id == region_id
        assert project.name == "延津项目1"
        assert reserved.status == "意向锁定"
        park_ids = {
            p.id for p in s.execute(select(Park).where(Park.region_id == region_id)).scalars()
        }
        assert {p.park_id for p in by_code.values()} - {None} == park_ids
        assert project.preferred_park_id in park_ids
        edited = by_code["YJ2026-040"]
        assert (edited.location, edited.version) == ("城关镇北", ids["edited_version"])
        history = s.execute(select(AuditEntry).where(AuditEntry.record_kind == "parcel",
                                                     AuditEntry.record_id == edited.id)).scalars()  # fmt: skip
        entries = {(e.action, e.field, e.user) for e in history}
        assert ("update", "location", "李县") in entries
        assert any(action == "create" and user == "王县" for action, _, user in entries)
        sources = s.execute(select(AuditEntry.source).where(
            AuditEntry.record_uuid == reserved.uuid)).scalars().all()  # fmt: skip
        assert sources
        assert all(src.startswith("导入台账 延津.sqlite3") for src in sources)
        assert len(sources) >= 2  # created, then reserved
    assert report.history == others["audit"] - before["audit"]
    with read_session(engine) as s:
        block = s.execute(
            select(AuditEntry).where(AuditEntry.source.contains("乡镇台账"))
        ).scalar_one()
        assert block.last_record_id is not None
        assert block.user == "王县"
        codes = s.execute(select(LandParcel.code).where(
            LandParcel.id.between(block.record_id, block.last_record_id))).scalars()  # fmt: skip
        assert sorted(codes) == [f"YJ2026-{i:03d}" for i in range(3, 8)]


def test_a_second_import_writes_nothing_and_a_dry_run_neither(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger)
    dry = import_ledger(ledger, server.url, dry_run=True)
    before = _counts(engine)
    assert not dry.written
    assert not dry.clashes
    assert dry.added[RecordKind.PARCEL] == 40
    assert _counts(engine) == _counts(engine, None)
    first = import_ledger(ledger, server.url)
    assert first.written
    assert first.added == dry.added
    assert first.history == dry.history
    after_first = _counts(engine)
    assert after_first != before

    again = import_ledger(ledger, server.url)

    assert _counts(engine) == after_first  # no record, no history twice
    assert again.total_added == 0
    assert again.history == 0
    assert again.same[RecordKind.PARCEL] == 40
    assert again.same[RecordKind.PROJECT] == 4


def test_clashes_are_reported_and_nothing_is_written(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    with read_session(engine) as s:
        hj = s.execute(select(Region.id).where(Region.name == "获嘉县")).scalar_one()
        taken = (
            s.execute(select(LandParcel.code).where(LandParcel.region_id == hj)).scalars().first()
        )
        project = s.execute(select(Project.name)).scalars().first()
    assert taken
    assert project
    ledger = tmp_path / "获嘉.sqlite3"
    make_county_ledger(
        ledger, county="获嘉", prefix="HJX", codes=(taken,), project_names=(project,)
    )
    before = _counts(engine)

    for dry_run in (True, False):
        report = import_ledger(ledger, server.url, dry_run=dry_run)
        assert not report.written
        assert any(taken in c and "已有另一条记录" in c for c in report.clashes)
        assert any(project in c and "项目名称" in c for c in report.clashes)
        assert any("2026 年度指标在城市库的本县区已有" in c for c in report.clashes)
        assert len(report.clashes) == 3
        assert "获嘉 → 城市库的“获嘉县”（名称不同，同一县区）" in report.regions
    assert _counts(engine) == before


def test_a_clash_the_checks_miss_is_refused_by_the_database_with_nothing_written(
    city: tuple[CityServer, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if a clerk saved the same code while the import ran: the unique constraint refuses
    the insert, the whole import is rolled back and the clash is told in Chinese."""
    server, engine = city
    with read_session(engine) as s:
        hj = s.execute(select(Region.id).where(Region.name == "获嘉县")).scalar_one()
        taken = (
            s.execute(select(LandParcel.code).where(LandParcel.region_id == hj)).scalars().first()
        )
    assert taken
    ledger = tmp_path / "获嘉.sqlite3"
    make_county_ledger(
        ledger, county="获嘉县", prefix="HJX", codes=(taken,), project_names=("新项目",)
    )
    from landbank.services.server import ledger_rows

    monkeypatch.setattr(ledger_rows.Keys, "clashes", lambda *args: [])
    with write_session(engine) as s:  # no quota clash either
        s.execute(delete(AnnualQuota).where(AnnualQuota.region_id == hj))
    before = _counts(engine)

    report = import_ledger(ledger, server.url)

    assert not report.written
    assert report.clashes == [
        "写入时城市库中已有相同的地块编号：可能是导入期间有人刚保存了它；请重新试运行查看冲突"
    ]
    assert _counts(engine) == before


def test_a_reservation_by_a_project_left_behind_is_released_in_the_dry_run_report_too(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    """--region 延津 of a file that also holds 封丘县: 封丘's project reserving a 延津 parcel
    stays behind (and is not in the city), so the parcel comes in released, and said so."""
    server, engine = city
    ledger = tmp_path / "两县.sqlite3"
    ids = make_county_ledger(ledger)
    local = open_database(f"sqlite:///{ledger}")
    try:
        with write_session(local) as s:
            fq = create_record(s, RecordKind.REGION, {"name": "封丘县", "kind": "县"}, user="王县")
            project = create_record(s, RecordKind.PROJECT, {"name": "封丘项目", "region_id": fq.id,
                                    "stage": "在谈", "req_land_mu": 30.0}, user="王县")  # fmt: skip
            parcel = s.execute(
                select(LandParcel).where(LandParcel.code == "YJ2026-002")
            ).scalar_one()
        with write_session(local) as s:
            reserve_sites(s, int(project.id or 0), [(RecordKind.PARCEL, int(parcel.id or 0))],
                          today=TODAY, user="王县")  # fmt: skip
    finally:
        local.dispose()
    assert ids["projects"] == 4

    dry = import_ledger(ledger, server.url, region="延津", dry_run=True)
    done = import_ledger(ledger, server.url, region="延津")

    note = "地块 YJ2026-002（延津）：意向锁定的项目不在导入范围内，城市库中也没有，已清空"
    assert note in dry.notes
    assert note in done.notes
    assert done.written
    assert done.added[RecordKind.PROJECT] == 4  # 封丘's project left behind
    with read_session(engine) as s:
        assert s.execute(select(func.count()).select_from(Region).where(
            Region.name == "封丘县")).scalar_one() == 0  # fmt: skip
        released = s.execute(select(LandParcel).where(LandParcel.code == "YJ2026-002")).scalar_one()
        assert (released.reserved_project_id, released.reserved_until) == (None, None)
        assert released.status == "可供"
        kept = s.execute(select(LandParcel).where(LandParcel.code == "YJ2026-001")).scalar_one()
        assert kept.reserved_project_id is not None


def test_the_cli_lists_clashes_and_exits_2(
    city: tuple[CityServer, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, engine = city
    with read_session(engine) as s:
        project = s.execute(select(Project.name)).scalars().first()
    assert project
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger, project_names=(project,))
    before = _counts(engine)
    assert main(["server", "import-ledger", str(ledger), "--db", server.url]) == 2
    captured = capsys.readouterr()
    assert f"项目名称“{project}”在城市库中已有另一个项目" in captured.out
    assert "有 1 处冲突，未写入任何记录" in captured.err
    assert _counts(engine) == before


def test_the_cli_imports_exports_and_list_reads_the_county_back(
    city: tuple[CityServer, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger)
    plain_url = server.url.replace("+psycopg", "")
    assert main(["server", "import-ledger", str(ledger), "--db", plain_url, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out
    assert "地块 40" in out
    assert "去掉 --dry-run" in out
    assert main(["server", "import-ledger", str(ledger), "--db", plain_url]) == 0
    assert "已导入" in capsys.readouterr().out
    assert main(["server", "import-ledger", str(ledger), "--db", plain_url]) == 0
    assert "城市库已有这份台账的全部记录，没有新增" in capsys.readouterr().out

    with write_session(engine) as s:  # 获嘉县's project reserves a 延津 parcel in the city
        hj = s.execute(select(Region.id).where(Region.name == "获嘉县")).scalar_one()
        project = create_record(s, RecordKind.PROJECT, {"name": "获嘉跨县项目", "region_id": hj,
                                "stage": "在谈", "req_land_mu": 30.0}, user="市管理员")  # fmt: skip
        parcel = s.execute(select(LandParcel).where(LandParcel.code == "YJ2026-003")).scalar_one()
        reserve_sites(s, int(project.id or 0), [(RecordKind.PARCEL, int(parcel.id or 0))],
                      today=TODAY, user="市管理员")  # fmt: skip
    back = tmp_path / "延津-导出.sqlite3"
    clerk = server.login_url(server.add_login("yj", Scope.COUNTY, "延津县", "延津甲"))
    assert main(["server", "export-ledger", str(back), "--region", "延津", "--db", clerk]) == 0
    out = capsys.readouterr().out
    assert "已导出 延津县" in out
    assert "其他县区项目的意向锁定 1 处未带出" in out
    assert main(["list", "parcels", "--db", str(back), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["records"]
    with read_session(engine) as s:
        city_codes = set(s.execute(select(LandParcel.code).join(Region).where(
            Region.name == "延津县")).scalars())  # fmt: skip
    assert {row["code"] for row in listed} == city_codes
    assert {row["region"] for row in listed} == {"延津县"}
    by_code = {row["code"]: row for row in listed}
    assert (by_code["YJ2026-003"]["status"], by_code["YJ2026-001"]["status"]) == (
        "可供",
        "意向锁定",
    )
    assert sum(1 for row in listed if row["park"]) == sum(1 for i in range(1, 41) if i % 3)
    exported = _source_counts(back)
    assert exported == {k: v for k, v in _counts(engine, "延津县").items() if k != "audit"}
    # the exported file goes back in as the same records: nothing added
    again = import_ledger(back, server.url, dry_run=True)
    assert again.total_added == 0
    assert not again.clashes

    assert main(["server", "export-ledger", str(back), "--region", "延津", "--db", plain_url]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert main(["server", "import-ledger", str(tmp_path / "无.sqlite3"), "--db", plain_url]) == 2
    assert "台账文件不存在" in capsys.readouterr().err
    not_a_ledger = tmp_path / "坏.sqlite3"
    not_a_ledger.write_bytes(b"not a database at all" * 100)
    assert main(["server", "import-ledger", str(not_a_ledger), "--db", plain_url]) == 2
    err = capsys.readouterr().err
    assert "台账" in err
    assert "Traceback" not in err
    assert (
        main(["server", "import-ledger", str(ledger), "--db", plain_url, "--region", "红旗"]) == 2
    )
    assert "台账中没有县区“红旗”" in capsys.readouterr().err
    assert main(["server", "import-ledger", str(ledger), "--db", str(ledger)]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
