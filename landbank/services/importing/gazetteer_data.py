"""The gazetteer of China's county-level divisions, read once from ``resources/gazetteer``
(shipped with landbank: :mod:`landbank.resource_files`).

The table (``counties.tsv``, 民政部 list) and how to regenerate it are described in
``resources/gazetteer/README.md``.
"""

from __future__ import annotations

from functools import cache

from landbank.domain.gazetteer.lookup import Gazetteer
from landbank.domain.gazetteer.table import parse_counties_tsv
from landbank.resource_files import COUNTIES, read_text


@cache
def gazetteer() -> Gazetteer:
    """Every county-level division of China, indexed; read on first use, then shared."""
    return Gazetteer(parse_counties_tsv(read_text(*COUNTIES)))
