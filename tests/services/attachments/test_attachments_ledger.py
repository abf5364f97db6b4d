"""A county's files travel with its ledger (issue 15 part 5: “attachments surviving
export/import of the database”): ``server import-ledger`` copies them onto the city's
records (by the records' uuids, at the city's ids and county), a second import copies none,
a file added since to a record the city holds unchanged is copied alone; ``server
export-ledger`` writes them into the county's new SQLite ledger, bytes equal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from landbank.cli.app import main
from landbank.domain.enums import RecordKind
from landbank.services.attachments.service import attach, attachment_data, list_attachments
from landbank.services.server.ledger_transfer import import_ledger
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel, Park, Region
from tests.server_helpers import CityServer, city_server
from tests.services.attachments.files import pdf, png
from tests.services.county_ledger import make_county_ledger

pytestmark = pytest.mark.postgres


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, Engine]]:
    with city_server(postgres_url) as server:
        engine = open_database(postgres_url)
        yield server, engine
        engine.dispose()


def _find(engine: Engine, model: type[LandParcel] | type[Park], column: str, value: str) -> tuple[int, int]:
    with read_session(engine) as s:
        row = s.execute(
            select(col(model.id), col(model.region_id)).where(getattr(model, column) == value)
        ).one()
    return int(row[0]), int(row[1])


def _add(path: Path, kind: RecordKind, record_id: int, data: bytes, name: str) -> None:
    engine = open_database(f"sqlite:///{path}")
    try:
        with write_session(engine) as s:
            attach(s, kind, record_id, (data, name), user="王县")
    finally:
        engine.dispose()


def test_files_go_into_the_city_and_back_out(
    city: tuple[CityServer, Engine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger)
    local = open_database(f"sqlite:///{ledger}")
    parcel, _ = _find(local, LandParcel, "code", "YJ2026-002")
    with read_session(local) as s:
        park = int(s.execute(select(col(Park.id)).order_by(col(Park.id))).scalars().first() or 0)
        park_name = s.get(Park, park).name  # type: ignore[union-attr]
    local.dispose()
    _add(ledger, RecordKind.PARCEL, parcel, png(30, 20), "现场.png")
    _add(ledger, RecordKind.PARCEL, parcel, pdf(), "红线图.pdf")
    _add(ledger, RecordKind.PARK, park, png(10, 10, (0, 90, 0)), "园区大门.png")

    dry = import_ledger(ledger, server.url, dry_run=True)
    assert (dry.attachments, dry.attachments_same) == (3, 0)
    report = import_ledger(ledger, server.url)
    assert report.written
    assert report.attachments == 3
    city_parcel, city_region = _find(engine, LandParcel, "code", "YJ2026-002")
    city_park = _find(engine, Park, "name", park_name)[0]
    with read_session(engine) as s:
        files = list_attachments(s, RecordKind.PARCEL, city_parcel)
        assert [(f.file_name, f.category) for f in files] == [("现场.png", "照片"), ("红线图.pdf", "红线图")]
        assert attachment_data(s, files[0].id) == png(30, 20)
        assert attachment_data(s, files[1].id) == pdf()
        gate = list_attachments(s, RecordKind.PARK, city_park)
        assert attachment_data(s, gate[0].id) == png(10, 10, (0, 90, 0))
        from landbank.store.models import Attachment

        regions = set(s.execute(select(col(Attachment.region_id))).scalars())
        assert regions == {city_region}
        assert s.get(Region, city_region).name.startswith("延津")  # type: ignore[union-attr]

    again = import_ledger(ledger, server.url)
    assert (again.attachments, again.attachments_same) == (0, 3)
    _add(ledger, RecordKind.PARCEL, parcel, png(31, 20), "西侧.png")  # the parcel unchanged
    third = import_ledger(ledger, server.url)
    assert (third.attachments, third.attachments_same) == (1, 3)
    with read_session(engine) as s:
        assert [f.file_name for f in list_attachments(s, RecordKind.PARCEL, city_parcel)] == [
            "现场.png", "红线图.pdf", "西侧.png"
        ]  # fmt: skip

    out = tmp_path / "延津-导出.sqlite3"
    capsys.readouterr()
    assert main(["server", "export-ledger", "--db", server.url, "--region", "延津县", str(out)]) == 0
    assert "附件 4 个" in capsys.readouterr().out
    back = open_database(f"sqlite:///{out}")
    try:
        with read_session(back) as s:  # ids kept by the export
            files = list_attachments(s, RecordKind.PARCEL, city_parcel)
            assert [attachment_data(s, f.id) for f in files] == [png(30, 20), pdf(), png(31, 20)]
            assert len(list_attachments(s, RecordKind.PARK, city_park)) == 1
    finally:
        back.dispose()
