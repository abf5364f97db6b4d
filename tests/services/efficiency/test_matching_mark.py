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
        assert not any(
            "D类" in n for n in match_project(s, other.id, date(2026, 3, 1)).result.notes
        )
    engine.dispose()
    capsys.readouterr()
    assert main(["match", "--project", "新厂项目", "--db", str(path)]) == 0
    assert MARK in capsys.readouterr().out
    assert main(["match", "--project", "新厂项目", "--db", str(path), "--json"]) == 0
    assert MARK in json.loads(capsys.readouterr().out)["notes"]


def test_the_mark_on_the_projects_ranked_for_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Matching by site (which project for this parcel?): the project whose investor holds the
    D firm carries the mark — in the service's report, the rows the dialog shows (their
    reasons pane), ``landbank match --site`` text and JSON; the other project none."""
    from landbank.services.matching.export import project_rows
    from landbank.services.matching.sites import match_site
    from landbank.ui.matching.reasons import detail_html

    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    ids = make_ledger(engine)
    with write_session(engine) as s:
        site = create_record(
            s, RecordKind.PARCEL,
            {"code": "HX-NEW", "region_id": ids["辉县市"], "readiness": "净地(可供)",
             "area_mu": 30.0, "status": "可供"},
            user=USER,
        )  # fmt: skip
        for name, investor in (("新厂项目", D_FIRM), ("别的项目", "企业01"), ("又一项目", D_FIRM)):
            create_record(
                s, RecordKind.PROJECT,
                {"name": name, "stage": "在谈", "region_id": ids["辉县市"], "investor": investor,
                 "req_land_mu": 20.0},
                user=USER,
            )  # fmt: skip
    assert site.id is not None
    with read_session(engine) as s:
        report = match_site(s, RecordKind.PARCEL, site.id, date(2026, 3, 1))
    engine.dispose()
    names = {m.requirements.project_id: m.requirements.project_name for m in report.projects}
    assert sorted(names.values()) == ["别的项目", "又一项目", "新厂项目"]
    marked = {names[pid]: marks for pid, marks in report.marks.items()}
    assert marked == {"新厂项目": (MARK,), "又一项目": (MARK,)}
    rows = {row.subject: row for row in project_rows(report, {ids["辉县市"]: "辉县市"})}
    assert rows["新厂项目"].notes == (MARK,)
    assert rows["别的项目"].notes == ()
    assert MARK in detail_html(rows["新厂项目"], sites_direction=False)
    assert "D类" not in detail_html(rows["别的项目"], sites_direction=False)
    capsys.readouterr()
    assert main(["match", "--site", "HX-NEW", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count(f"注意：{MARK}") == 2
    block = out[out.index("别的项目") :]
    block = block[: block.index("\n", block.index("\n") + 1)]
    assert "D类" not in block  # the line after 别的项目 is its first criterion, not a mark
    assert main(["match", "--site", "HX-NEW", "--db", str(path), "--json"]) == 0
    notes = {
        p["project"]["name"]: p["notes"] for p in json.loads(capsys.readouterr().out)["projects"]
    }
    assert notes == {"新厂项目": [MARK], "别的项目": [], "又一项目": [MARK]}
