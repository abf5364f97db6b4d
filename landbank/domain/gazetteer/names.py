"""How county-level divisions, cities and provinces are named short: 辉县市 → 辉县,
长阳土家族自治县 → 长阳, 新乡市 → 新乡, 广西壮族自治区 → 广西 — the names clerks write, which
:class:`landbank.domain.gazetteer.Gazetteer` recognises beside the full ones."""

from __future__ import annotations

from functools import cache

# The 55 minorities and 汉, without the trailing 族 (autonomous names drop it at times:
# 塔什库尔干塔吉克自治县, 木垒哈萨克自治县).
_ETHNIC_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_ETHNIC_GROUPS = _ETHNIC_NAMES.split()
# Longest first; one-character names only with 族 (白, 水, 京 end ordinary names too).
_ETHNIC_FORMS = tuple(
    sorted(
        [group + "族" for group in _ETHNIC_GROUPS]
        + [group for group in _ETHNIC_GROUPS if len(group) > 1],
        key=len,
        reverse=True,
    )
)
_COUNTY_SUFFIXES = ("自治县", "自治旗", "特区", "新区", "矿区", "县", "市", "区", "旗")
_CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
_PROVINCE_SUFFIXES = ("自治区", "省", "市")
_SPECIAL_SHORT = {"神农架林区": "神农架"}  # 林区 is its kind; 万柏林区, 碑林区 keep their 林
MIN_SHORT = 2


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """(base, suffix) for the first suffix that leaves at least two characters."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT:
            return name[: -len(suffix)], suffix
    return name, ""


def _strip_ethnic(base: str) -> str:
    """长阳土家族 → 长阳, 积石山保安族东乡族撒拉族 → 积石山, 鄂温克族 → 鄂温克."""
    changed = True
    while changed:
        changed = False
        for form in _ETHNIC_FORMS:
            if base.endswith(form) and len(base) - len(form) >= MIN_SHORT:
                base = base[: -len(form)]
                changed = True
                break
    if base.endswith("族") and len(base) > MIN_SHORT:
        base = base[:-1]
    return base


@cache
def short_county_name(name: str) -> str:
    """辉县市 → 辉县, 长阳土家族自治县 → 长阳, 管城回族区 → 管城; never under two characters."""
    if name in _SPECIAL_SHORT:
        return _SPECIAL_SHORT[name]
    base, suffix = _strip_suffix(name, _COUNTY_SUFFIXES)
    if suffix.startswith("自治") or base.endswith("族"):
        base = _strip_ethnic(base)
    return base


@cache
def short_city_name(name: str) -> str:
    """新乡市 → 新乡, 恩施土家族苗族自治州 → 恩施, 大兴安岭地区 → 大兴安岭, 河南省 → 河南,
    广西壮族自治区 → 广西."""
    base, suffix = _strip_suffix(name, _CITY_SUFFIXES)
    if not suffix:
        base, suffix = _strip_suffix(name, _PROVINCE_SUFFIXES)
    if suffix.startswith("自治") or base.endswith("族"):
        base = _strip_ethnic(base)
    return base
