import pytest

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, ProjectStage
from landbank.domain.ladders import (
    FACTORY_STATUS_LADDER,
    PARCEL_STATUS_LADDER,
    PROJECT_STAGE_LADDER,
    READINESS_LADDER,
    TransitionError,
)


def test_readiness_moves_one_rung_forward() -> None:
    READINESS_LADDER.check(ParcelReadiness.PLANNED, ParcelReadiness.RESERVED_RAW)
    READINESS_LADDER.check(ParcelReadiness.SEVEN_CONNECTIONS, ParcelReadiness.NET_LAND)


def test_readiness_refuses_a_skip_and_names_the_skipped_rungs() -> None:
    with pytest.raises(TransitionError) as err:
        READINESS_LADDER.check(ParcelReadiness.PLANNED, ParcelReadiness.NET_LAND)
    message = str(err.value)
    assert "拟收储" in message
    assert "净地(可供)" in message
    assert "已收储(毛地)" in message  # the first rung that was skipped


def test_a_step_back_is_allowed_to_correct_a_mistake() -> None:
    READINESS_LADDER.check(ParcelReadiness.NET_LAND, ParcelReadiness.PLANNED)
    PARCEL_STATUS_LADDER.check(ParcelStatus.RESERVED, ParcelStatus.AVAILABLE)


def test_new_record_may_start_on_any_rung() -> None:
    PARCEL_STATUS_LADDER.check(None, ParcelStatus.SUPPLIED)


def test_commercial_ladder_shortcuts_and_forbidden_jumps() -> None:
    PARCEL_STATUS_LADDER.check(ParcelStatus.AVAILABLE, ParcelStatus.LISTED)
    PARCEL_STATUS_LADDER.check(ParcelStatus.AVAILABLE, ParcelStatus.SUPPLIED)  # 划拨
    with pytest.raises(TransitionError, match="已交地"):
        PARCEL_STATUS_LADDER.check(ParcelStatus.AVAILABLE, ParcelStatus.STARTED)


def test_unknown_state_is_refused() -> None:
    with pytest.raises(TransitionError, match="不是有效的状态"):
        PARCEL_STATUS_LADDER.check(ParcelStatus.AVAILABLE, "已卖掉")


def test_factory_under_construction_must_be_built_first() -> None:
    with pytest.raises(TransitionError):
        FACTORY_STATUS_LADDER.check(FactoryStatus.UNDER_CONSTRUCTION, FactoryStatus.OCCUPIED)
    FACTORY_STATUS_LADDER.check(FactoryStatus.BUILT, FactoryStatus.OCCUPIED)
    FACTORY_STATUS_LADDER.check(FactoryStatus.OCCUPIED, FactoryStatus.IDLE)  # tenant left


def test_project_can_terminate_from_any_stage_and_then_stays_terminated() -> None:
    PROJECT_STAGE_LADDER.check(ProjectStage.NEGOTIATING, ProjectStage.TERMINATED)
    with pytest.raises(TransitionError, match="终止"):
        PROJECT_STAGE_LADDER.check(ProjectStage.TERMINATED, ProjectStage.SIGNED)
    with pytest.raises(TransitionError):
        PROJECT_STAGE_LADDER.check(ProjectStage.LEAD, ProjectStage.STARTED)


def test_allowed_from_lists_reachable_states_in_order() -> None:
    allowed = READINESS_LADDER.allowed_from(ParcelReadiness.CLEARED)
    assert allowed == [
        ParcelReadiness.PLANNED,
        ParcelReadiness.RESERVED_RAW,
        ParcelReadiness.CLEARED,
        ParcelReadiness.THREE_CONNECTIONS,
    ]
    assert PROJECT_STAGE_LADDER.allowed_from(ProjectStage.TERMINATED) == [ProjectStage.TERMINATED]


def test_default_quota_targets_by_region_kind() -> None:
    from landbank.domain.quota.targets import default_targets

    assert default_targets("县").land_mu == 2000
    assert default_targets("县").factory_m2 == 120_000
    assert default_targets("区").land_mu == 1200
    assert default_targets("区").factory_m2 == 60_000
