"""Status ladders and the transitions they allow (DOMAIN.md, Records).

A ladder moves one rung forward, may step back (a clerk corrects a mistake, a reservation is
released), and may not skip rungs forward: 拟收储 straight to 净地, or 可供 straight to 已出让,
is refused with a reason that names both states and the rung that was skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, ProjectStage


class TransitionError(ValueError):
    """A status change the ladder does not allow; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class Ladder:
    name: str  # Chinese name of the ladder, used in messages
    rungs: tuple[str, ...]
    # Extra forward jumps allowed besides the next rung (from, to).
    shortcuts: frozenset[tuple[str, str]] = frozenset()
    # States reachable from any state, and states that end the ladder.
    escapes: frozenset[str] = frozenset()
    terminal: frozenset[str] = frozenset()

    def check(self, old: str | None, new: str, *, skips: bool = False) -> None:
        """Raise :class:`TransitionError` when ``old`` → ``new`` is not allowed. With
        ``skips`` a forward jump over rungs is allowed too: the next version of a township's
        ledger reports where a parcel is now, a month later (an edit moves one rung)."""
        if new not in self.rungs and new not in self.escapes:
            raise TransitionError(f"{self.name}“{new}”不是有效的状态")
        if old is None or old == new:
            return
        if old in self.terminal:
            raise TransitionError(f"{self.name}已为“{old}”，不能再改为“{new}”")
        if new in self.escapes:
            return
        if old in self.escapes:
            raise TransitionError(f"{self.name}“{old}”不能改为“{new}”")
        i, j = self.rungs.index(old), self.rungs.index(new)
        if j <= i + 1 or (old, new) in self.shortcuts or skips:
            return
        skipped = "、".join(self.rungs[i + 1 : j])
        raise TransitionError(f"{self.name}不能从“{old}”直接变为“{new}”：须先经过“{skipped}”")

    def allowed_from(self, old: str | None) -> list[str]:
        """Every state ``old`` may move to (including staying), in ladder order."""
        result = []
        for state in (*self.rungs, *sorted(self.escapes)):
            try:
                self.check(old, state)
            except TransitionError:
                continue
            result.append(state)
        return result


READINESS_LADDER = Ladder("整理程度", tuple(ParcelReadiness))
PARCEL_STATUS_LADDER = Ladder(
    "供应状态",
    tuple(ParcelStatus),
    # A parcel may be listed (挂牌) without a prior intention lock, and 划拨 needs no listing.
    shortcuts=frozenset(
        {
            (ParcelStatus.AVAILABLE.value, ParcelStatus.LISTED.value),
            (ParcelStatus.AVAILABLE.value, ParcelStatus.SUPPLIED.value),
            (ParcelStatus.RESERVED.value, ParcelStatus.SUPPLIED.value),
        }
    ),
)
FACTORY_STATUS_LADDER = Ladder(
    "厂房状态",
    tuple(FactoryStatus),
    # Occupancy moves freely among 已建成/闲置/部分入驻/已入驻 once the building stands;
    # only 在建 must pass through 已建成 first (no forward skip from 在建).
    shortcuts=frozenset(
        (a.value, b.value)
        for a in (FactoryStatus.BUILT, FactoryStatus.IDLE, FactoryStatus.PARTLY_OCCUPIED)
        for b in (FactoryStatus.IDLE, FactoryStatus.PARTLY_OCCUPIED, FactoryStatus.OCCUPIED)
    ),
)
PROJECT_STAGE_LADDER = Ladder(
    "项目阶段",
    tuple(s for s in ProjectStage if s is not ProjectStage.TERMINATED),
    escapes=frozenset({ProjectStage.TERMINATED.value}),
    terminal=frozenset({ProjectStage.TERMINATED.value}),
)


def ladder_for(enum_type: type[StrEnum]) -> Ladder:
    return {
        ParcelReadiness: READINESS_LADDER,
        ParcelStatus: PARCEL_STATUS_LADDER,
        FactoryStatus: FACTORY_STATUS_LADDER,
        ProjectStage: PROJECT_STAGE_LADDER,
    }[enum_type]
