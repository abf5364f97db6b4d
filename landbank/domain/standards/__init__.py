"""标准地 (issue 16): the indicator table, the standard that applies to a site, and a project
judged by it. :mod:`.indicators` (the indicators, bounds, national floors), :mod:`.table` (rows,
resolution per indicator, the parcel's override, the table's checks), :mod:`.checks` (a project
on a parcel: 通过 / 不符 / 需补充 / 承诺), :mod:`.headers` (the table as a spreadsheet: headers
and cells).
"""

from landbank.domain.standards.checks import (
    CheckStatus,
    IndicatorCheck,
    ProjectFigures,
    Verdict,
    check_project_on_parcel,
    parcel_condition_notes,
    project_figures,
    rejection_reason,
    verdict,
)
from landbank.domain.standards.indicators import (
    NATIONAL_DEFAULTS,
    BoundKind,
    Indicator,
    Side,
    Threshold,
)
from landbank.domain.standards.table import (
    ResolvedIndicator,
    Standard,
    StandardRow,
    applicable_standard,
    parcel_override,
    validate_rows,
    with_parcel_override,
)

__all__ = [
    "NATIONAL_DEFAULTS",
    "BoundKind",
    "CheckStatus",
    "Indicator",
    "IndicatorCheck",
    "ProjectFigures",
    "ResolvedIndicator",
    "Side",
    "Standard",
    "StandardRow",
    "Threshold",
    "Verdict",
    "applicable_standard",
    "check_project_on_parcel",
    "parcel_condition_notes",
    "parcel_override",
    "project_figures",
    "rejection_reason",
    "validate_rows",
    "verdict",
    "with_parcel_override",
]
