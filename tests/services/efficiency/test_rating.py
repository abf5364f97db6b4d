"""亩均效益评价 through the services (issue 16 item 6): the county's firms of a year scored by
its scheme with base values from its previous year × the multiple, classes A/B/C/D/T, a fixed
base, the city's default and a county's own scheme, and the D-class investors for matching."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from landbank.domain.land_life.efficiency import Measure
from landbank.services.efficiency.rating import d_class_flags, evaluate, evaluate_county, flag_for
from landbank.services.efficiency.scheme import set_scheme
from landbank.store.engine import read_session, write_session
from tests.services.efficiency.ledger import D_FIRM, USER, make_ledger


@pytest.fixture
def ledger(any_engine: Engine) -> tuple[Engine, dict[str, int]]:
    return any_engine, make_ledger(any_engine)


def test_classes_by_the_previous_year_average(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    with read_session(engine) as s:
        hj = evaluate_county(s, ids["获嘉县"], 2025)
    assert hj.scheme.preset == "黄岩"  # nothing stored: the 黄岩 preset
    assert hj.bases[Measure.TAX_PER_MU] == pytest.approx(10.0)  # Σ1,100 万元 ÷ Σ110 亩 in 2024
    classes = [(f.rating.firm.firm, f.rating.cls.value) for f in hj.firms]
    assert classes[0] == ("企业01", "A")
    assert classes[-2] == (D_FIRM, "D")
    assert classes[-1] == ("新投产公司", "T")
    assert hj.counts() == {"A": 2, "B": 5, "C": 3, "D": 1, "T": 1}
    best = hj.firms[0].rating
    assert best.score is not None
    assert best.score.score == pytest.approx(110.0 / 10.0 * 30.0)  # 亩均税收 110 ÷ base 10 × 30
    assert "2026-06-02 起参评" in hj.firms[-1].rating.reason
    assert any("亩均增加值：2024 年无企业报送" in note for note in hj.notes)
    with read_session(engine) as s:
        (hx,) = evaluate(s, 2025, [ids["辉县市"]])
    assert [f.rating.cls.value for f in hx.firms] == ["B"]  # alone: a B, not a D


def test_the_county_scheme_and_the_city_default(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    with write_session(engine) as s:
        set_scheme(s, None, "淮安", user=USER)  # the city's default: 淮安 2024, base × 2
        set_scheme(
            s, ids["获嘉县"], "黄岩", user=USER,
            weights={Measure.TAX_PER_MU: 60.0, Measure.VALUE_ADDED_PER_MU: 0.0,
                     Measure.VALUE_ADDED_PER_ENERGY: 0.0, Measure.VALUE_ADDED_PER_EMISSION: 0.0,
                     Measure.LABOUR_PRODUCTIVITY: 0.0, Measure.RD_SHARE: 0.0,
                     Measure.SALES_PER_MU: 40.0},
            fixed_bases={Measure.TAX_PER_MU: 20.0},
        )  # fmt: skip
    with read_session(engine) as s:
        hj = evaluate_county(s, ids["获嘉县"], 2025)
        hx = evaluate_county(s, ids["辉县市"], 2025)
    assert hj.scheme.source == "获嘉县"
    assert dict(hj.scheme.scheme.weights) == {Measure.TAX_PER_MU: 60.0, Measure.SALES_PER_MU: 40.0}
    assert hj.bases[Measure.TAX_PER_MU] == pytest.approx(20.0)  # fixed
    assert hj.bases[Measure.SALES_PER_MU] == pytest.approx(100.0)  # 2024: Σ11,000 ÷ Σ110 亩, × 1
    best = hj.firms[0].rating.score
    assert best is not None
    assert best.score == pytest.approx(110 / 20 * 60 + 1100 / 100 * 40)
    assert hx.scheme.source == "全市默认"
    assert hx.scheme.preset == "淮安2024"
    assert hx.scheme.scheme.base_multiple == 2.0


def test_d_class_investors_for_matching(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, _ids = ledger
    with read_session(engine) as s:
        flags = d_class_flags(s)
    assert [(f.investor, f.county, f.year) for f in flags] == [(D_FIRM, "获嘉县", 2025)]
    assert flag_for(flags, D_FIRM, None) == ["投资方在获嘉县亩均效益评价为D类（2025 年，低效公司）"]
    assert flag_for(flags, "企业01", None) == []
    assert flag_for(flags, None, None) == []


def test_a_projects_investor_marks(ledger: tuple[Engine, dict[str, int]]) -> None:
    from landbank.domain.enums import RecordKind
    from landbank.services.efficiency.rating import investor_marks
    from landbank.services.records.saving import create_record
    from landbank.store.models import LandParcel

    engine, ids = ledger
    with read_session(engine) as s:
        assert investor_marks(s, D_FIRM, None) == [
            "投资方在获嘉县亩均效益评价为D类（2025 年，低效公司）"
        ]
        assert investor_marks(s, "企业01", None) == []
        assert investor_marks(s, "无关公司", "91410700MA00000000") == []
        assert investor_marks(s, None, None) == []
    with write_session(engine) as s:  # the D firm's parcel reserved for a project with a code
        project = create_record(
            s, RecordKind.PROJECT,
            {"name": "扩建项目", "stage": "在谈", "region_id": ids["获嘉县"],
             "investor": "低效集团", "credit_code": "91410700MA45ABCD1X"},
            user=USER,
        )  # fmt: skip
        parcel = s.get(LandParcel, ids[D_FIRM])
        assert parcel is not None
        parcel.reserved_project_id = project.id  # as a reservation would (not audited here)
        s.add(parcel)
    with read_session(engine) as s:
        by_code = investor_marks(s, "另一个名字", "91410700ma45abcd1x")
    assert by_code == ["投资方在获嘉县亩均效益评价为D类（2025 年，低效公司）"]
