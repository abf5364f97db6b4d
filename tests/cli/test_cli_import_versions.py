"""The next version of a ledger shows what changed (issue 10).

A township sends its ledger again: one parcel's area changed, one status changed (毛地 →
净地), one new row, one row dropped. ``--dry-run --on-duplicate update`` lists what would be
created, updated (each field with its label, old and new value as displayed) and left
unchanged, and what the ledger holds of the file's county and township that the file no
longer lists (never deleted). Applying writes exactly that, with the file's name as the
source in each record's history; a third run finds everything unchanged. The same for a
district's factory ledger (scoped to the park). Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from landbank.cli import main
from landbank.store.migrate import open_database
from tests.services.ledger_corpus import (
    FACTORY_FILES,
    FACTORY_SHEET,
    TOWNSHIP_FILES,
    TOWNSHIP_SHEET,
    factory_ledger_version,
    neighbour_park_factories,
    neighbour_township_ledger,
    township_ledger_version,
)


def run_json(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    out = captured.out.strip()
    assert out.startswith("{"), (
        f"landbank {' '.join(argv)}: no JSON report (exit {code}); "
        f"stderr: {captured.err.strip()[-600:]!r}"
    )
    return code, json.loads(out)


def imported(
    capsys: pytest.CaptureFixture[str], what: str, path: Path, db: str, *options: str
) -> dict[str, Any]:
    code, report = run_json(capsys, ["import", what, str(path), "--db", db, *options])
    errors = report.get("errors") or []
    assert code == 0, f"{path.name}: exit {code}, {len(errors)} errors: {errors[:5]}"
    return report


def records(capsys: pytest.CaptureFixture[str], db: str, what: str) -> dict[str, dict[str, Any]]:
    """Every record of ``what``, by code."""
    code, data = run_json(capsys, ["list", what, "--db", db, "--limit", "0"])
    assert code == 0, data
    return {r["code"]: r for r in data["records"]}


def changed_fields(change: dict[str, Any]) -> dict[str, tuple[str, Any, Any]]:
    return {f["field"]: (f["label"], f["old"], f["new"]) for f in change.get("fields") or []}


def by_code(changes: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in changes}


# ---------------------------------------------------------------- a township's parcels


def test_next_version_of_a_township_ledger(
    any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = any_db_url
    open_database(db, upgrade=True).dispose()  # a city server is set up before clerks import
    imported(capsys, "parcels", neighbour_township_ledger(tmp_path), db)
    first = imported(capsys, "parcels", township_ledger_version(tmp_path, 1), db)
    assert first["counts"]["created"] == 6
    v2 = township_ledger_version(tmp_path, 2)
    before = records(capsys, db, "parcels")
    assert len(before) == 8

    # The dry run lists the changes and writes nothing.
    code, dry = run_json(
        capsys, ["import", "parcels", str(v2), "--db", db, "--dry-run", "--on-duplicate", "update"]
    )
    assert code == 0, dry.get("errors")
    assert (dry["dry_run"], dry["written"], dry["on_duplicate"]) == (True, False, "update")
    counts = dry["counts"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (1, 2, 3)
    changes = dry["changes"]
    assert [(c["code"], c["sheet"], c["row"]) for c in changes["created"]] == [
        ("MZ2025-07", TOWNSHIP_SHEET, 9)
    ]
    updated = by_code(changes["updated"])
    assert sorted(updated) == ["MZ2025-01", "MZ2025-02"]
    assert (updated["MZ2025-01"]["sheet"], updated["MZ2025-01"]["row"]) == (TOWNSHIP_SHEET, 4)
    assert changed_fields(updated["MZ2025-01"]) == {"area_mu": ("收储面积", "66.75", "70")}
    assert changed_fields(updated["MZ2025-02"]) == {
        "readiness": ("整理程度", "已收储(毛地)", "净地(可供)")
    }
    assert changes["unchanged"] == 3
    # Of 辉县市 and 孟庄镇 (the file gives the township): 百泉镇's parcels are not missing.
    assert [(m["code"], m["id"]) for m in changes["missing"]] == [
        ("MZ2025-05", before["MZ2025-05"]["id"])
    ]
    assert records(capsys, db, "parcels") == before

    # Applying writes exactly that; the dropped parcel stays.
    applied = imported(capsys, "parcels", v2, db, "--on-duplicate", "update")
    assert applied["written"] is True
    assert (applied["counts"]["created"], applied["counts"]["updated"]) == (1, 2)
    assert [m["code"] for m in applied["changes"]["missing"]] == ["MZ2025-05"]
    after = records(capsys, db, "parcels")
    assert sorted(after) == sorted([*before, "MZ2025-07"])
    assert after["MZ2025-01"]["area_mu"] == pytest.approx(70)
    assert (after["MZ2025-02"]["readiness"], after["MZ2025-02"]["status"]) == ("净地(可供)", "可供")
    assert after["MZ2025-07"]["area_mu"] == pytest.approx(45.2)
    for key in ("MZ2025-03", "MZ2025-04", "MZ2025-05", "MZ2025-06", "BQ2025-01"):
        assert after[key] == before[key], key
    assert after["MZ2025-01"]["version"] > before["MZ2025-01"]["version"]

    # The history names the file as the source of the change.
    code, shown = run_json(capsys, ["show", "parcel", "MZ2025-01", "--db", db, "--history", "20"])
    assert code == 0
    source = f"导入:{TOWNSHIP_FILES[2]}"
    area_changes = [
        h for h in shown["history"] if h["action"] == "update" and h["source"] == source
    ]
    assert area_changes, shown["history"]
    assert (area_changes[0]["old_value"], area_changes[0]["new_value"]) == ("66.75", "70")
    assert any(h["source"] == f"导入:{TOWNSHIP_FILES[1]}" for h in shown["history"])

    # A third run: everything unchanged, nothing written again.
    third = imported(capsys, "parcels", v2, db, "--on-duplicate", "update")
    counts = third["counts"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 0, 6)
    assert (third["changes"]["created"], third["changes"]["updated"]) == ([], [])
    assert third["changes"]["unchanged"] == 6
    assert [m["code"] for m in third["changes"]["missing"]] == ["MZ2025-05"]
    assert records(capsys, db, "parcels") == after


# ---------------------------------------------------------------- a district's factories


def test_next_version_of_a_factory_ledger(
    any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = any_db_url
    open_database(db, upgrade=True).dispose()  # a city server is set up before clerks import
    imported(capsys, "factories", neighbour_park_factories(tmp_path), db)
    first = imported(capsys, "factories", factory_ledger_version(tmp_path, 1), db)
    assert first["counts"]["created"] == 5
    v2 = factory_ledger_version(tmp_path, 2)
    before = records(capsys, db, "factories")
    assert len(before) == 6

    code, dry = run_json(
        capsys,
        ["import", "factories", str(v2), "--db", db, "--dry-run", "--on-duplicate", "update"],
    )
    assert code == 0, dry.get("errors")
    assert (dry["dry_run"], dry["written"]) == (True, False)
    counts = dry["counts"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (1, 2, 2)
    changes = dry["changes"]
    assert [(c["code"], c["sheet"], c["row"]) for c in changes["created"]] == [
        ("HQ-CF-06", FACTORY_SHEET, 8)
    ]
    updated = by_code(changes["updated"])
    assert sorted(updated) == ["HQ-CF-01", "HQ-CF-04"]
    assert changed_fields(updated["HQ-CF-01"]) == {"floor_area_m2": ("建筑面积", "7200", "7500")}
    assert changed_fields(updated["HQ-CF-04"]) == {"status": ("状态", "已建成", "已入驻")}
    assert changes["unchanged"] == 2
    # Of 红旗区 and 红旗区经济技术开发区 (every row names it): the battery park's is not missing.
    assert [m["code"] for m in changes["missing"]] == ["HQ-CF-05"]
    assert records(capsys, db, "factories") == before

    applied = imported(capsys, "factories", v2, db, "--on-duplicate", "update")
    assert applied["written"] is True
    after = records(capsys, db, "factories")
    assert sorted(after) == sorted([*before, "HQ-CF-06"])
    assert after["HQ-CF-01"]["floor_area_m2"] == pytest.approx(7500)
    assert after["HQ-CF-04"]["status"] == "已入驻"
    assert after["HQ-CF-06"]["status"] == "在建"
    for key in ("HQ-CF-02", "HQ-CF-03", "HQ-CF-05", "HQ-DC-01"):
        assert after[key] == before[key], key

    code, shown = run_json(capsys, ["show", "factory", "HQ-CF-04", "--db", db, "--history", "20"])
    assert code == 0
    assert any(
        h["action"] == "update" and h["source"] == f"导入:{FACTORY_FILES[2]}"
        and (h["old_value"], h["new_value"]) == ("已建成", "已入驻")
        for h in shown["history"]
    ), shown["history"]

    third = imported(capsys, "factories", v2, db, "--on-duplicate", "update")
    counts = third["counts"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 0, 5)
    assert [m["code"] for m in third["changes"]["missing"]] == ["HQ-CF-05"]
    assert records(capsys, db, "factories") == after
