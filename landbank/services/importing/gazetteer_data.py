"""The gazetteer of China's county-level divisions, read once from ``resources/gazetteer``.

The table (``counties.tsv``, 民政部 list) and how to regenerate it are described in
``resources/gazetteer/README.md``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from landbank.domain.gazetteer.lookup import Gazetteer
from landbank.domain.gazetteer.table import parse_counties_tsv

COUNTIES_PATH = Path(__file__).resolve().parents[3] / "resources" / "gazetteer" / "counties.tsv"


@cache
def gazetteer() -> Gazetteer:
    """Every county-level division of China, indexed; read on first use, then shared."""
    return Gazetteer(parse_counties_tsv(COUNTIES_PATH.read_text(encoding="utf-8")))
