"""The scale bar: the roundest length (1, 2 or 5 × 10ⁿ metres) that fits the space given, and
how it is written (“500 m”, “2 km”)."""

from __future__ import annotations

import math
from dataclasses import dataclass

STEPS = (1.0, 2.0, 5.0)


@dataclass(frozen=True)
class ScaleBar:
    metres: float  # the length the bar stands for
    pixels: float  # its length on the screen or the page

    @property
    def label(self) -> str:
        return format_distance(self.metres)


def format_distance(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km"
    return f"{metres:g} m"


def round_length(limit_m: float) -> float:
    """The largest 1/2/5 × 10ⁿ metres not over ``limit_m`` (at least 1 m)."""
    if not math.isfinite(limit_m) or limit_m <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(limit_m))
    best = power
    for step in STEPS:
        if step * power <= limit_m * (1 + 1e-9):
            best = step * power
    return best


def scale_bar(pixels_per_metre: float, max_pixels: float) -> ScaleBar | None:
    """The bar for a map drawn at ``pixels_per_metre``, at most ``max_pixels`` long; None when
    the scale is unknown."""
    if not math.isfinite(pixels_per_metre) or pixels_per_metre <= 0 or max_pixels <= 0:
        return None
    metres = round_length(max_pixels / pixels_per_metre)
    return ScaleBar(metres, metres * pixels_per_metre)


def representative_fraction(pixels_per_metre: float, dots_per_inch: float) -> int:
    """The scale as 1:N on paper (N rounded to two significant digits), for a printout."""
    metres_per_dot = 1 / pixels_per_metre
    paper_metres_per_dot = 0.0254 / dots_per_inch
    n = metres_per_dot / paper_metres_per_dot
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, math.floor(math.log10(n)) - 1)
    return int(round(n / 10**digits) * 10**digits)
