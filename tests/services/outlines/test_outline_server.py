"""On a city server: a county clerk's outline for another county's parcel is refused in the
report (the server would refuse the write too); its own county's is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from landbank.services.outlines.importer import import_outlines
from landbank.services.outlines.report import NEW, REFUSED
from landbank.services.server.roles import Scope
from landbank.store.engine import read_session, write_session
from landbank.store.models import LandParcel
from tests.city_seed import seed_two_counties
from tests.server_helpers import city_server
from tests.services.outlines.files import jzd_text, rectangle, write_jzd


@pytest.mark.postgres
def test_a_county_clerk_imports_its_own_county_only(postgres_url: str, tmp_path: Path) -> None:
    with city_server(postgres_url) as server:
        ids = seed_two_counties(postgres_url)
        engine = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
        text = jzd_text([("HX-1", "", [rectangle()]), ("HJ-1", "", [rectangle(3921000)])])
        path = write_jzd(tmp_path / "红线.txt", text)
        with write_session(engine) as s:
            report = import_outlines(s, path, user="李四")
        assert [r.status for r in report.rows] == [NEW, REFUSED]
        assert report.rows[1].reason == "您的账号（辉县市）只能修改辉县市的记录；此记录属于获嘉县"
        assert not report.written
        only_own = write_jzd(tmp_path / "本县.txt", jzd_text([("HX-1", "", [rectangle()])]))
        with write_session(engine) as s:
            assert import_outlines(s, only_own, user="李四").written
        with read_session(engine) as s:
            own = s.get(LandParcel, ids["hx.parcel"])
            other = s.get(LandParcel, ids["hj.parcel"])
            assert own is not None
            assert own.outline_area_mu == pytest.approx(90.0)
            assert other is not None
            assert other.outline_geojson is None
