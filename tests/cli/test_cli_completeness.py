"""``landbank list parcels --incomplete / --outline-mismatch``, sorting by 资料完整度, and the
score and the missing items in ``--json`` (issue 15, parts 2 and 6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from landbank.cli import main
from landbank.store.migrate import open_database
from tests.site_dossier import seed_sites


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        seed_sites(session)
        session.commit()
    engine.dispose()
    return str(path)


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_list_flags_and_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    every = _json(capsys, ["list", "parcels", "--db", db, "--json"])
    by_code = {r["code"]: r for r in every["records"]}
    assert {code: r["completeness_pct"] for code, r in by_code.items()} == {
        "HX-FULL": 100, "HX-BARE": 11, "HX-OFF": 89,
    }  # fmt: skip
    assert by_code["HX-FULL"]["missing"] == []
    assert by_code["HX-OFF"]["missing"] == ["红线面积核对"]
    assert by_code["HX-BARE"]["missing"][:3] == ["红线", "红线面积核对", "四至"]
    assert by_code["HX-OFF"]["outline_area_mu"] == 118.6

    incomplete = _json(capsys, ["list", "parcels", "--db", db, "--incomplete", "--json"])
    assert incomplete["total"] == 2
    assert {r["code"] for r in incomplete["records"]} == {"HX-BARE", "HX-OFF"}
    mismatch = _json(capsys, ["list", "parcels", "--db", db, "--outline-mismatch", "--json"])
    assert [r["code"] for r in mismatch["records"]] == ["HX-OFF"]

    ordered = _json(
        capsys, ["list", "parcels", "--db", db, "--sort", "资料完整度", "--desc", "--json"]
    )
    assert [r["code"] for r in ordered["records"]] == ["HX-FULL", "HX-OFF", "HX-BARE"]
    factories = _json(capsys, ["list", "factories", "--db", db, "--incomplete", "--json"])
    assert factories["records"][0]["missing"] == ["照片"]
    projects = _json(capsys, ["list", "projects", "--db", db, "--json"])
    assert projects["records"] == []

    capsys.readouterr()
    assert main(["list", "parcels", "--db", db, "--outline-mismatch"]) == 0
    out = capsys.readouterr().out
    assert "HX-OFF" in out
    assert "HX-FULL" not in out
    assert "共 1 条" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["list", "projects", "--incomplete"],
            "--incomplete 只用于 list parcels 和 list factories",
        ),
        (["list", "factories", "--outline-mismatch"], "--outline-mismatch 只用于 list parcels"),
        (["list", "projects", "--sort", "资料完整度"], "只有地块和厂房可按“资料完整度”排序"),
    ],
)
def test_flags_of_the_wrong_kind_are_refused(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main([*argv, "--db", db]) == 2
    assert message in capsys.readouterr().err
