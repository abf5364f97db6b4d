"""The printed reports: the 年度指标 reports of issue 5 (:mod:`.printouts`: a
:class:`Printout` per report, :func:`write_printout` for its PDF), the 报表 menu (:mod:`.menu`)
and printing the list on screen (:mod:`.list_print`).

The names of :mod:`.printouts` are re-exported here, loaded on first use: the main window
imports this package for its menu at start, and the reports' modules (QtCharts, the page
layout, the quota services) are needed only when a report is built.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from landbank.ui.reports.html_parts import Audience
    from landbank.ui.reports.printouts import (
        Printout,
        catalogue_printout,
        projects_printout,
        quota_printout,
        region_printout,
        write_printout,
    )

_LAZY = {
    "Audience": "landbank.ui.reports.html_parts",
    "Printout": "landbank.ui.reports.printouts",
    "catalogue_printout": "landbank.ui.reports.printouts",
    "projects_printout": "landbank.ui.reports.printouts",
    "quota_printout": "landbank.ui.reports.printouts",
    "region_printout": "landbank.ui.reports.printouts",
    "write_printout": "landbank.ui.reports.printouts",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Audience",
    "Printout",
    "catalogue_printout",
    "projects_printout",
    "quota_printout",
    "region_printout",
    "write_printout",
]
