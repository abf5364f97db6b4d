"""The outline's area: square metres to 亩, the check against the registered area (over 1 %
is 红线面积不符), and the short summary the audit log and reports show (“12 点，117.30 亩”)."""

from __future__ import annotations

M2_PER_MU = 10000.0 / 15.0  # 1 亩 = 666.67 m²
M2_PER_HECTARE = 10000.0
MU_PER_HECTARE = 15.0
OUTLINE_TOLERANCE = 0.01  # 1 % of the registered area (收储面积)


def mu_of_m2(area_m2: float) -> float:
    """Square metres in 亩."""
    return area_m2 / M2_PER_MU


def outline_area_mismatch(area_mu: float | None, outline_area_mu: float | None) -> bool:
    """Whether the outline's area (红线面积) differs from the registered area (收储面积) by
    more than 1 % of the latter; ``False`` while either is unknown (nothing to compare)."""
    if area_mu is None or outline_area_mu is None:
        return False
    return abs(outline_area_mu - area_mu) > OUTLINE_TOLERANCE * area_mu


def difference_pct(area_mu: float | None, outline_area_mu: float | None) -> float | None:
    """The outline's area against the registered one, signed, in percent of the registered
    area (``None`` when either is unknown or the registered area is zero)."""
    if area_mu is None or outline_area_mu is None or area_mu == 0:
        return None
    return (outline_area_mu - area_mu) / area_mu * 100.0


def difference_text(pct: float | None) -> str:
    """As reports show it: "+1.07 %", "-3.64 %", "0.00 %" (never "-0.00 %"); "" for None."""
    if pct is None:
        return ""
    text = f"{pct:+.2f}"
    return "0.00 %" if text in ("+0.00", "-0.00") else f"{text} %"


def header_area_disagrees(hectares: float | None, outline_area_mu: float) -> bool:
    """Whether the area a 界址点 file's header gives (公顷) is more than 1 % off the area its
    points enclose (an empty header area is no disagreement)."""
    if hectares is None or hectares <= 0:
        return False
    return abs(hectares * MU_PER_HECTARE - outline_area_mu) > OUTLINE_TOLERANCE * outline_area_mu


def outline_summary(points: int | None, area_mu: float | None) -> str:
    """“12 点，117.30 亩” (the audit log's old and new value of an outline); “无” for none."""
    if points is None or area_mu is None:
        return "无"
    return f"{points} 点，{area_mu:.2f} 亩"
