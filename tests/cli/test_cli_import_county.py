"""`landbank import` as a county clerk on a city server: another county's rows are printed as
row errors, exit 2, nothing written; a viewer is refused before the file is read (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from landbank.cli import main
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine
from landbank.store.models import LandParcel
from tests.city_seed import seed_two_counties
from tests.server_helpers import city_server
from tests.services.messy_ledgers import write_csv

pytestmark = pytest.mark.postgres

ROWS = [
    ["地块编号", "县区", "收储面积(亩)", "状态"],
    ["HX-2", "辉县市", "10", "净地"],
    ["HJ-2", "获嘉", "12", "净地"],
    ["HX-3", "辉县", "8", "毛地"],
]


def _codes(url: str) -> set[str]:
    admin = make_engine(url)
    try:
        with Session(admin) as s:
            return {str(c) for c in s.execute(select(col(LandParcel.code))).scalars()}
    finally:
        admin.dispose()


def test_a_county_clerks_import_prints_the_other_countys_rows_and_exits_2(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "台账.csv", ROWS, encoding="gbk")
    with city_server(postgres_url) as server:
        seed_two_counties(postgres_url)
        login = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
        before = _codes(server.url)
        assert main(["--db", server.login_url(login), "import", "parcels", str(path)]) == 2
        out = capsys.readouterr().out
        assert "导入未执行" in out
        assert "第 3 行「县区」“获嘉县”：您的账号（辉县市）只能导入辉县市的记录" in out
        assert "第 2 行" not in out
        assert "第 4 行" not in out
        assert _codes(server.url) == before

        viewer = server.add_login("ro", Scope.VIEWER)
        assert main(["--db", server.login_url(viewer), "import", "parcels", str(path)]) == 2
        captured = capsys.readouterr()
        assert "只能查看，不能导入台账" in captured.out + captured.err
        assert "Traceback" not in captured.out + captured.err
        assert _codes(server.url) == before


def test_a_county_clerks_project_list_naming_no_county_exits_2_with_the_reason(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows naming no county go to the city's leads (市级（待分配）), a county the city has
    not set up and a county clerk may not add: refused with the reason, not an internal error."""
    rows = [["项目名称", "拟用地(亩)", "阶段"], ["甲项目", "10", "在谈"]]
    path = write_csv(tmp_path / "项目.csv", rows, encoding="gbk")
    with city_server(postgres_url) as server:
        seed_two_counties(postgres_url)
        login = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
        assert main(["--db", server.login_url(login), "import", "projects", str(path)]) == 2
        captured = capsys.readouterr()
        said = captured.out + captured.err
        assert "市级（待分配）" in said
        assert "您的账号（辉县市）不能修改县区名单" in said
        assert "内部错误" not in said
        argv = ["--db", server.login_url(login), "import", "projects", str(path), "--region", "辉县"]
        assert main(argv) == 0
