"""Matching a project's requirements against sites (精准匹配), with reasons.

Split by job: :mod:`.table` (the sites as NumPy columns), :mod:`.constraints` (the hard
constraints and the evaluation of a project), :mod:`.scores` (the soft criteria and their
weights), :mod:`.reasons` (the reasons behind every mark), :mod:`.combinations` (several
buildings of one park together), :mod:`.standard` (a parcel judged by its 标准地, issue 16),
:mod:`.results` (labels, marks, legend, result types) and
:mod:`.ranking` (:func:`match_sites`, :func:`match_projects`, :func:`explain`). The package
re-exports the public names, as the services, the CLI and the UI import them.
"""

from landbank.domain.matching.combinations import COMBINATION_POOL, MAX_COMBINATION
from landbank.domain.matching.constraints import HARD_LABELS, NET_LAND_LEAD, REJECTION_LABELS
from landbank.domain.matching.ranking import explain, match_projects, match_sites
from landbank.domain.matching.results import (
    CLOSE_CALL_SCORE,
    FULLY_MET,
    INDUSTRY_CAP_REASON,
    INDUSTRY_MISMATCH,
    MARK_LEGEND,
    PARTLY_MET,
    STANDARD_LEGEND,
    STRONG_SCORE,
    Candidate,
    CriterionResult,
    MatchLabel,
    MatchResult,
    ProjectMatch,
    label_for,
    legend_lines,
)
from landbank.domain.matching.scores import (
    SOFT_LABELS,
    TOO_SMALL,
    WEIGHTS,
    building_cost_measure,
    industry_fit,
)
from landbank.domain.matching.standard import (
    STANDARD_LABEL,
    STANDARD_REJECTION,
    site_checks,
    standard_reason,
)
from landbank.domain.matching.table import BoolArray, FloatArray, IntArray, SiteTable

__all__ = [
    "CLOSE_CALL_SCORE",
    "COMBINATION_POOL",
    "FULLY_MET",
    "HARD_LABELS",
    "INDUSTRY_CAP_REASON",
    "INDUSTRY_MISMATCH",
    "MARK_LEGEND",
    "MAX_COMBINATION",
    "NET_LAND_LEAD",
    "PARTLY_MET",
    "REJECTION_LABELS",
    "SOFT_LABELS",
    "STANDARD_LABEL",
    "STANDARD_LEGEND",
    "STANDARD_REJECTION",
    "STRONG_SCORE",
    "TOO_SMALL",
    "WEIGHTS",
    "BoolArray",
    "Candidate",
    "CriterionResult",
    "FloatArray",
    "IntArray",
    "MatchLabel",
    "MatchResult",
    "ProjectMatch",
    "SiteTable",
    "building_cost_measure",
    "explain",
    "industry_fit",
    "label_for",
    "legend_lines",
    "match_projects",
    "match_sites",
    "site_checks",
    "standard_reason",
]
