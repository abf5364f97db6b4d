"""What a match returns: the labels (优先推荐, 可以考虑, 勉强) and their thresholds, the
criteria with their marks, the candidates, the results of both directions, and the legend.

Every mark has a meaning (:data:`MARK_LEGEND`, :func:`legend_lines`, shown wherever marks are):
✓ met, △ partly met, ✗ not met, — cannot be judged (the site lacks the figure); a soft
criterion is ✓ from 80 %, △ from 50 %, else ✗. The 标准地指标 criterion of a parcel has marks
of its own (:data:`STANDARD_LEGEND`): ✗ 不符 (rejected), △ 需补充 (the project lacks a figure:
at most 可以考虑), ○ 承诺 (a planning indicator the project commits to in its design).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from landbank.domain.enums import RecordKind
from landbank.domain.matching.table import BoolArray, FloatArray, IntArray
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.standards.checks import IndicatorCheck, Verdict, verdict

STRONG_SCORE = 75.0
CLOSE_CALL_SCORE = 55.0
INDUSTRY_MISMATCH = 0.5  # an 产业 value below this (another industry) caps the label
PARTLY_MET = 0.5  # a soft criterion under this is ✗, from it △
FULLY_MET = 0.8  # … and from this ✓


class MatchLabel(StrEnum):
    STRONG = "优先推荐"
    CLOSE_CALL = "可以考虑"
    WEAK = "勉强"


_LABEL_ORDER = {MatchLabel.STRONG: 0, MatchLabel.CLOSE_CALL: 1, MatchLabel.WEAK: 2}


def label_for(
    score: float, *, industry_mismatch: bool = False, incomplete: bool = False
) -> MatchLabel:
    """The label of a score; a site of another industry than the project's, or a parcel whose
    标准地 needs a figure the project lacks (△ 需补充), is at best 可以考虑."""
    if score >= STRONG_SCORE and not industry_mismatch and not incomplete:
        return MatchLabel.STRONG
    if score >= CLOSE_CALL_SCORE:
        return MatchLabel.CLOSE_CALL
    return MatchLabel.WEAK


def _label_order(
    scores: FloatArray, industry: FloatArray, incomplete: BoolArray | None = None
) -> IntArray:
    """:func:`label_for` of many (rounded) scores at once, as its rank in ``_LABEL_ORDER``;
    ``industry`` NaN where it is not judged; ``incomplete``: 标准地 △ 需补充."""
    mismatch = industry < INDUSTRY_MISMATCH  # NaN: False
    if incomplete is not None:
        mismatch = mismatch | incomplete
    strong = (scores >= STRONG_SCORE) & ~mismatch
    order: IntArray = np.where(strong, 0, np.where(scores >= CLOSE_CALL_SCORE, 1, 2))
    return order


# What the marks mean, in the order they are explained.
MARK_LEGEND: tuple[tuple[str, str], ...] = (
    ("✓", "满足"),
    ("△", "部分满足"),
    ("✗", "不满足"),
    ("—", "无法判断（场地未登记该项）"),
)
INDUSTRY_CAP_REASON = "产业不符，结论最高为“可以考虑”"
# The marks of the 标准地指标 criterion (a parcel judged by the standard that applies to it).
STANDARD_LEGEND: tuple[tuple[str, str], ...] = (
    ("✓", "各项指标达标"),
    ("✗", "不符，不予推荐"),
    ("△", "需补充（项目缺少数据，不列为优先推荐）"),
    ("○", "承诺（规划指标，由项目在设计中承诺）"),
)


def legend_lines(*, blank: bool = False) -> tuple[str, str, str]:
    """The legend of the marks, of the 标准地 marks and of the labels, one line each;
    ``blank`` adds the empty cell of a table (a criterion that does not apply to that
    candidate)."""
    marks = "　".join(f"{mark} {meaning}" for mark, meaning in MARK_LEGEND)
    if blank:
        marks += "　空白 不涉及"
    scored = (
        f"评分项 ✓ ≥ {FULLY_MET:.0%}，△ {PARTLY_MET:.0%}–{FULLY_MET:.0%}，✗ < {PARTLY_MET:.0%}"
    )
    standard = "　".join(f"{mark} {meaning}" for mark, meaning in STANDARD_LEGEND)
    standard = (
        f"标准地指标（仅地块；按项目产业取所在县区、园区的标准，地块自身门槛优先）：{standard}；"
        "厂房不按标准地判断"
    )
    labels = (
        f"结论：{STRONG_SCORE:g} 分及以上{MatchLabel.STRONG.value}（目标产业不符或标准地需补充的"
        f"除外），{CLOSE_CALL_SCORE:g} 分及以上{MatchLabel.CLOSE_CALL.value}，"
        f"其余{MatchLabel.WEAK.value}"
    )
    return f"图例：{marks}；{scored}", standard, labels


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    hard: bool
    passed: bool | None  # None: no requirement or no data — does not count
    score: float | None  # soft criteria: 0–1
    weight: float
    reason: str
    status_mark: str = ""  # set by a criterion with marks of its own (标准地: ✓ ✗ △ ○)

    @property
    def mark(self) -> str:
        """✓ met, ✗ not met (hard) or poor (soft, under 0.5), △ partly, — not assessed
        (:data:`MARK_LEGEND`); the 标准地 criterion's own mark (:data:`STANDARD_LEGEND`)."""
        if self.status_mark:
            return self.status_mark
        if self.passed is None:
            return "—"
        if not self.passed:
            return "✗"
        if self.score is not None and self.score < FULLY_MET:
            return "△" if self.score >= PARTLY_MET else "✗"
        return "✓"


@dataclass(frozen=True)
class Candidate:
    sites: tuple[Site, ...]  # one site, or several buildings of one park
    score: float  # 0–100
    label: MatchLabel
    criteria: tuple[CriterionResult, ...]
    # A parcel's 标准地 indicators for this project (none for a building).
    checks: tuple[IndicatorCheck, ...] = ()

    @property
    def standard_verdict(self) -> Verdict | None:
        """符合 / 不符 / 需补充 of the 标准地 indicators; None when none applies."""
        return verdict(self.checks) if self.checks else None

    @property
    def is_combination(self) -> bool:
        return len(self.sites) > 1

    @property
    def kind(self) -> RecordKind:
        return self.sites[0].kind

    @property
    def area(self) -> float:
        return sum(s.area for s in self.sites)

    @property
    def title(self) -> str:
        if not self.is_combination:
            return self.sites[0].title
        return f"{self.sites[0].park_name}组合：" + "＋".join(s.code for s in self.sites)

    def criterion(self, key: str) -> CriterionResult:
        return next(c for c in self.criteria if c.key == key)

    @property
    def hard_failures(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.hard and c.passed is False]


@dataclass(frozen=True)
class MatchResult:
    requirements: Requirements
    candidates: tuple[Candidate, ...]
    considered: int  # sites of the wanted kinds looked at
    fitting: int  # sites passing every hard constraint (before the top-N cut)
    rejected: dict[str, int] = field(default_factory=dict)  # REJECTION_LABELS → count
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectMatch:
    """One project as a taker of a given site (the site → projects direction)."""

    requirements: Requirements
    candidate: Candidate  # the site's criteria against this project

    @property
    def fits(self) -> bool:
        return not self.candidate.hard_failures
