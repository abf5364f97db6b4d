"""Matching marks a project whose 投资方 holds a D-class firm (issue 16 item 6): a note beside
the result (CLI text and JSON, the dialog's notes), never a rejection."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from landbank.cli import main
from landbank.domain.enums import RecordKind
from landbank.services.matching.sites import match_project
from landbank.services.records.saving import create_record
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from tests.services.efficiency.ledger import D_FIRM, USER, make_ledger

MARK = "投资方在获嘉县亩均效益评价为D类（2025 年，低效公司）"


def test_the_mark_in_the_notes_and_in_landbank_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    ids = make_ledger(engine)
    with write_session(engine) as s:
        flagged = create_record(
            s, RecordKind.PROJECT,
            {"name": "新厂项目", "stage": "在谈", "region_id": ids["辉县市"], "investor": D_FIRM,
             "req_land_mu": 20.0},
            user=USER,
        )  # fmt: skip
        other = create_record(
            s, RecordKind.PROJECT,
            {"name": "别的项目", "stage": "在谈", "region_id": ids["辉县市"], "investor": "企业01",
             "req_land_mu": 20.0},
            user=USER,
        )  # fmt: skip
    with read_session(engine) as s:
        assert flagged.id is not None
        assert other.id is not None
        assert MARK in match_project(s, flagged.id, date(2026, 3, 1)).result.notes
        assert not any("D类" in n for n in match_project(s, other.id, date(2026, 3, 1)).result.notes)
    engine.dispose()
    capsys.readouterr()
    assert main(["match", "--project", "新厂项目", "--db", str(path)]) == 0
    assert MARK in capsys.readouterr().out
    assert main(["match", "--project", "新厂项目", "--db", str(path), "--json"]) == 0
    assert MARK in json.loads(capsys.readouterr().out)["notes"]
