"""Matching and reserving on a real ledger (SQLite and PostgreSQL): statuses, refusals, audit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.matching.reservations import (
    AlreadyHolding,
    ReservationRefused,
    held_elsewhere,
    release_expired,
    release_project,
    release_site,
    reserve_sites,
)
from landbank.services.matching.sites import (
    NotFoundError,
    find_project,
    find_site,
    match_project,
    match_site,
)
from landbank.services.records.saving import create_record, get_record, update_record
from landbank.store.engine import session_scope
from landbank.store.models import AuditEntry, Factory, LandParcel

TODAY = date(2026, 11, 24)


def _add(s: Session, record_kind: RecordKind, /, **values: Any) -> int:
    record = create_record(s, record_kind, values, user="管理员")
    assert record.id is not None
    return record.id


@pytest.fixture
def city(any_engine: Engine) -> dict[str, int]:
    with session_scope(any_engine) as s:
        ids = {"region": _add(s, RecordKind.REGION, name="辉县市", kind="县")}
        ids["park"] = _add(s, RecordKind.PARK, name="孟庄园", region_id=ids["region"])
        ids["p1"] = _add(s, RecordKind.PARCEL, code="HX-1", region_id=ids["region"],
                         area_mu=105.0, readiness="净地(可供)", status="可供",
                         target_industry="装备制造")  # fmt: skip
        ids["p2"] = _add(s, RecordKind.PARCEL, code="HX-2", region_id=ids["region"],
                         area_mu=300.0, readiness="净地(可供)", status="可供")  # fmt: skip
        ids["p3"] = _add(s, RecordKind.PARCEL, code="HX-3", region_id=ids["region"],
                         area_mu=110.0, readiness="三通一平", status="可供")  # fmt: skip
        ids["f1"] = _add(s, RecordKind.FACTORY, code="F-1", name="1号厂房",
                         region_id=ids["region"], park_id=ids["park"], status="闲置",
                         floor_area_m2=6000.0, idle_area_m2=6000.0)  # fmt: skip
        ids["f2"] = _add(s, RecordKind.FACTORY, code="F-2", name="2号厂房",
                         region_id=ids["region"], park_id=ids["park"], status="闲置",
                         floor_area_m2=5000.0, idle_area_m2=5000.0)  # fmt: skip
        ids["machines"] = _add(s, RecordKind.PROJECT, name="矿山机械项目",
                               region_id=ids["region"], stage="在谈", req_land_mu=100.0,
                               industry="装备制造")  # fmt: skip
        ids["food"] = _add(s, RecordKind.PROJECT, name="休闲食品项目", region_id=ids["region"],
                           stage="签约", req_factory_m2=10_000.0)  # fmt: skip
        ids["other"] = _add(s, RecordKind.PROJECT, name="比亚迪配套项目",
                            region_id=ids["region"], stage="线索", req_land_mu=100.0)  # fmt: skip
    return ids


def test_project_to_sites_on_the_ledger(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        report = match_project(s, city["machines"], TODAY)
    result = report.result
    assert [c.sites[0].code for c in result.candidates] == ["HX-1", "HX-2"]
    assert result.rejected == {"尚未达到净地": 1}
    assert result.candidates[0].criterion("industry").reason == "产业相符：装备制造"


def test_a_floor_need_is_met_by_two_buildings(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        [combo] = match_project(s, city["food"], TODAY).result.candidates
    assert combo.title == "孟庄园组合：F-1＋F-2"


def test_site_to_projects(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        report = match_site(s, RecordKind.PARCEL, city["p1"], TODAY)
    assert [m.requirements.project_name for m in report.projects] == ["矿山机械项目", "比亚迪配套项目"]
    assert report.considered == 2


def test_reserve_moves_the_parcel_and_refuses_a_second_project(
    any_engine: Engine, city: dict[str, int]
) -> None:
    with session_scope(any_engine) as s:
        outcome = reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])],
                                today=TODAY, user="张三")  # fmt: skip
    assert outcome.until == TODAY + timedelta(days=90)
    assert outcome.warnings == []
    with session_scope(any_engine) as s:
        parcel = get_record(s, RecordKind.PARCEL, city["p1"])
        assert isinstance(parcel, LandParcel)
        assert (parcel.status, parcel.reserved_project_id) == ("意向锁定", city["machines"])
        entries = s.execute(
            select(AuditEntry.field, AuditEntry.new_value, AuditEntry.source, AuditEntry.user)
            .where(AuditEntry.record_kind == "parcel", AuditEntry.record_id == city["p1"],
                   AuditEntry.action == "update")
        ).all()  # fmt: skip
        assert {(f, v) for f, v, _, _ in entries} == {
            ("status", "意向锁定"),
            ("reserved_project_id", "矿山机械项目"),
            ("reserved_until", "2027-02-22"),
        }
        assert {(src, user) for _, _, src, user in entries} == {("意向锁定", "张三")}
    with (
        pytest.raises(ReservationRefused, match="已为项目“矿山机械项目”意向锁定（至 2027-02-22）"),
        session_scope(any_engine) as s,
    ):
        reserve_sites(s, city["other"], [(RecordKind.PARCEL, city["p1"])], today=TODAY, user="李四")
    # The matching now offers the parcel to its project only.
    with session_scope(any_engine) as s:
        others = match_project(s, city["other"], TODAY).result
        mine = match_project(s, city["machines"], TODAY).result
    assert [c.sites[0].code for c in others.candidates] == ["HX-2"]
    assert "HX-1" in [c.sites[0].code for c in mine.candidates]


def test_release_frees_the_site_and_is_audited(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY, user="张三")
    with session_scope(any_engine) as s:
        release_site(s, RecordKind.PARCEL, city["p1"], user="张三")
    with session_scope(any_engine) as s:
        parcel = get_record(s, RecordKind.PARCEL, city["p1"])
        assert isinstance(parcel, LandParcel)
        assert (parcel.status, parcel.reserved_project_id, parcel.reserved_until) == ("可供", None, None)
        sources = s.execute(
            select(AuditEntry.source).where(AuditEntry.record_kind == "parcel", AuditEntry.record_id == city["p1"],
                                            AuditEntry.field == "status")
        ).scalars().all()  # fmt: skip
        assert sources == ["意向锁定", "解除意向锁定"]
    with pytest.raises(ReservationRefused, match="没有意向锁定"), session_scope(any_engine) as s:
        release_site(s, RecordKind.PARCEL, city["p1"], user="张三")


def test_expired_reservations_are_released_or_taken_over(
    any_engine: Engine, city: dict[str, int]
) -> None:
    with session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY,
                      until=TODAY + timedelta(days=5), user="张三")  # fmt: skip
        reserve_sites(s, city["food"], [(RecordKind.FACTORY, city["f1"])], today=TODAY,
                      until=TODAY + timedelta(days=20), user="张三")  # fmt: skip
    later = TODAY + timedelta(days=6)
    # Another project may take the parcel once the reservation ran out: released first, audited.
    with session_scope(any_engine) as s:
        reserve_sites(s, city["other"], [(RecordKind.PARCEL, city["p1"])], today=later, user="李四")
        parcel = get_record(s, RecordKind.PARCEL, city["p1"])
        assert isinstance(parcel, LandParcel)
        assert parcel.reserved_project_id == city["other"]
        sources = s.execute(
            select(AuditEntry.source).where(AuditEntry.record_kind == "parcel", AuditEntry.record_id == city["p1"],
                                            AuditEntry.field == "reserved_project_id")
        ).scalars().all()  # fmt: skip
        assert sources == ["意向锁定", "意向锁定过期解除", "意向锁定"]
    with session_scope(any_engine) as s:
        freed = release_expired(s, TODAY + timedelta(days=30), user="系统")
    assert sorted(site.code for site in freed) == ["F-1"]
    with session_scope(any_engine) as s:
        factory = get_record(s, RecordKind.FACTORY, city["f1"])
        assert isinstance(factory, Factory)
        assert factory.reserved_project_id is None
        assert factory.status == "闲置"


def test_several_buildings_reserved_together_and_coverage_warned(
    any_engine: Engine, city: dict[str, int]
) -> None:
    with session_scope(any_engine) as s:
        outcome = reserve_sites(s, city["food"], [(RecordKind.FACTORY, city["f1"])],
                                today=TODAY, user="张三")  # fmt: skip
    assert outcome.warnings == ["锁定的厂房合计 6,000 m²，不足项目需求 10,000 m²"]
    with session_scope(any_engine) as s:
        outcome = reserve_sites(
            s, city["food"], [(RecordKind.FACTORY, city["f1"]), (RecordKind.FACTORY, city["f2"])],
            today=TODAY, user="张三",
        )  # fmt: skip
    assert outcome.warnings == []
    with session_scope(any_engine) as s:
        release_project(s, city["food"], user="张三")
        for key in ("f1", "f2"):
            factory = get_record(s, RecordKind.FACTORY, city[key])
            assert isinstance(factory, Factory)
            assert factory.reserved_project_id is None


def test_refusals_leave_every_site_as_it_was(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        reserve_sites(s, city["other"], [(RecordKind.FACTORY, city["f2"])], today=TODAY, user="李四")
    # Two buildings at once, the second held by another project: neither is reserved.
    with pytest.raises(ReservationRefused, match="比亚迪配套项目"), session_scope(any_engine) as s:
        reserve_sites(
            s, city["food"], [(RecordKind.FACTORY, city["f1"]), (RecordKind.FACTORY, city["f2"])],
            today=TODAY, user="张三",
        )  # fmt: skip
    with session_scope(any_engine) as s:
        factory = get_record(s, RecordKind.FACTORY, city["f1"])
        assert isinstance(factory, Factory)
        assert factory.reserved_project_id is None
        update_record(s, RecordKind.PROJECT, city["machines"], {"stage": "终止"},
                      expected_version=1, user="张三")  # fmt: skip
    with pytest.raises(ReservationRefused, match="已为“终止”"), session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p2"])], today=TODAY, user="张三")
    with pytest.raises(ReservationRefused, match="早于今天"), session_scope(any_engine) as s:
        reserve_sites(s, city["food"], [(RecordKind.FACTORY, city["f1"])], today=TODAY,
                      until=TODAY - timedelta(days=1), user="张三")  # fmt: skip


def test_a_clerk_cannot_hand_out_a_reservation_in_the_record_dialog(
    any_engine: Engine, city: dict[str, int]
) -> None:
    """Reservations are kept by the reservation service: an edit of the record ignores them."""
    with session_scope(any_engine) as s:
        update_record(s, RecordKind.PARCEL, city["p2"], {"reserved_project_id": city["food"]},
                      expected_version=1, user="张三")  # fmt: skip
        parcel = get_record(s, RecordKind.PARCEL, city["p2"])
        assert isinstance(parcel, LandParcel)
        assert parcel.reserved_project_id is None


def test_finding_projects_and_sites_by_name_and_code(any_engine: Engine, city: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        assert find_project(s, "矿山机械项目") == city["machines"]
        assert find_project(s, "食品") == city["food"]
        assert find_project(s, str(city["other"])) == city["other"]
        with pytest.raises(NotFoundError, match="对应多个项目"):
            find_project(s, "项目")
        with pytest.raises(NotFoundError, match="没有名为“电池”的项目"):
            find_project(s, "电池")
        assert find_site(s, "HX-1") == (RecordKind.PARCEL, city["p1"])
        assert find_site(s, "F-2") == (RecordKind.FACTORY, city["f2"])
        assert find_site(s, f"factory:{city['f1']}") == (RecordKind.FACTORY, city["f1"])
        with pytest.raises(NotFoundError, match="没有编号为“X-9”的地块或厂房"):
            find_site(s, "X-9")


def test_a_reserved_parcel_is_not_set_back_to_available_by_hand(
    any_engine: Engine, city: dict[str, int]
) -> None:
    """Only releasing frees a parcel: a hand edit to 可供 would leave it locked but offered."""
    from landbank.services.records.saving import ValidationFailed

    with session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY, user="张三")
    with pytest.raises(ValidationFailed, match="请先解除锁定"), session_scope(any_engine) as s:
        update_record(s, RecordKind.PARCEL, city["p1"], {"status": "可供"},
                      expected_version=2, user="李四")  # fmt: skip
    with session_scope(any_engine) as s:
        release_site(s, RecordKind.PARCEL, city["p1"], user="张三")
        parcel = get_record(s, RecordKind.PARCEL, city["p1"])
        assert isinstance(parcel, LandParcel)
        assert parcel.status == "可供"


def test_releasing_a_parcel_that_moved_on_keeps_its_status(
    any_engine: Engine, city: dict[str, int]
) -> None:
    """Reserved, then listed by hand; the lock runs out: only the reservation is cleared."""
    with session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY,
                      until=TODAY + timedelta(days=5), user="张三")  # fmt: skip
        update_record(s, RecordKind.PARCEL, city["p1"], {"status": "已挂牌"},
                      expected_version=2, user="张三")  # fmt: skip
    with session_scope(any_engine) as s:
        freed = release_expired(s, TODAY + timedelta(days=10), user="系统")
        assert [site.code for site in freed] == ["HX-1"]
        parcel = get_record(s, RecordKind.PARCEL, city["p1"])
        assert isinstance(parcel, LandParcel)
        assert (parcel.status, parcel.reserved_project_id) == ("已挂牌", None)


def test_a_lock_without_a_project_cannot_be_made_by_hand(
    any_engine: Engine, city: dict[str, int]
) -> None:
    from landbank.services.records.saving import ValidationFailed

    with pytest.raises(ValidationFailed, match="匹配窗口"), session_scope(any_engine) as s:
        update_record(s, RecordKind.PARCEL, city["p2"], {"status": "意向锁定"},
                      expected_version=1, user="李四")  # fmt: skip


def test_a_second_site_for_a_project_is_refused_unless_asked_for(
    any_engine: Engine, city: dict[str, int]
) -> None:
    """Issue 11: a project already holding a site was given a second one without a word."""
    with session_scope(any_engine) as s:
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY,
                      until=date(2027, 3, 31), user="张三")  # fmt: skip
    with (
        pytest.raises(AlreadyHolding) as refused,
        session_scope(any_engine) as s,
    ):
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p2"])], today=TODAY,
                      user="张三")  # fmt: skip
    assert str(refused.value) == (
        "项目“矿山机械项目”已意向锁定 HX-1（至 2027-03-31）；再锁定 HX-2 须先确认，本次未锁定"
    )
    assert [site.code for site in refused.value.held] == ["HX-1"]
    with session_scope(any_engine) as s:
        untouched = get_record(s, RecordKind.PARCEL, city["p2"])
        assert untouched.status == "可供"  # type: ignore[attr-defined]
        # The same site again (a lock extended) is no second lock.
        reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], today=TODAY,
                      until=date(2027, 4, 30), user="张三")  # fmt: skip
        held = held_elsewhere(s, city["machines"], [(RecordKind.PARCEL, city["p2"])], TODAY)
        assert [site.code for site in held] == ["HX-1"]
        # Asked for: both held.
        outcome = reserve_sites(s, city["machines"], [(RecordKind.PARCEL, city["p2"])],
                                today=TODAY, user="张三", also=True)  # fmt: skip
        assert outcome.until is not None
    with session_scope(any_engine) as s:
        for key in ("p1", "p2"):
            parcel = get_record(s, RecordKind.PARCEL, city[key])
            assert parcel.reserved_project_id == city["machines"]  # type: ignore[attr-defined]
        # Extending one of the two: nothing new, nothing to confirm.
        assert held_elsewhere(s, city["machines"], [(RecordKind.PARCEL, city["p1"])], TODAY) == []
    # A lock that ran out holds nothing.
    later = date(2027, 5, 1)
    with session_scope(any_engine) as s:
        assert held_elsewhere(s, city["machines"], [(RecordKind.FACTORY, city["f1"])], later) == []


def test_the_buildings_of_one_need_are_one_lock(any_engine: Engine, city: dict[str, int]) -> None:
    """A combination is reserved in one call; a building added to one held is a second lock;
    a project needing land and floor space may hold a parcel and a building."""
    with session_scope(any_engine) as s:
        reserve_sites(
            s, city["food"], [(RecordKind.FACTORY, city["f1"]), (RecordKind.FACTORY, city["f2"])],
            today=TODAY, user="张三",
        )  # fmt: skip
        release_site(s, RecordKind.FACTORY, city["f2"], user="张三")
    with pytest.raises(AlreadyHolding, match="已意向锁定 F-1"), session_scope(any_engine) as s:
        reserve_sites(s, city["food"], [(RecordKind.FACTORY, city["f2"])], today=TODAY, user="张三")
    with session_scope(any_engine) as s:
        update_record(s, RecordKind.PROJECT, city["food"], {"req_land_mu": 100.0},
                      expected_version=1, user="张三")  # fmt: skip
        reserve_sites(s, city["food"], [(RecordKind.PARCEL, city["p2"])], today=TODAY, user="张三")
        parcel = get_record(s, RecordKind.PARCEL, city["p2"])
        assert parcel.reserved_project_id == city["food"]  # type: ignore[attr-defined]
