"""Random but plausible pieces of the demo city: dates, sizes, people, companies, places,
统一社会信用代码. Deterministic for the :class:`random.Random` it is given."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from landbank.services.demo import data

T = TypeVar("T")

# GB 32100-2015: the characters of a 统一社会信用代码 and the weights of its check character.
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714: weights of the 组织机构代码 check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code_check(head: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 are ``head``."""
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(head, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


class DemoRandom:
    def __init__(self, rng: random.Random, as_of: date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.credit_codes: set[str] = set()
        self.project_names: set[str] = set()

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def day(self, start: date, end: date) -> date:
        """A random day in [start, end] (``start`` when the range is empty)."""
        end = min(end, self.as_of)
        span = (end - start).days
        return start if span <= 0 else start + timedelta(days=self.rng.randint(0, span))

    def skewed(self, median: float, sigma: float, low: float, high: float) -> float:
        """Log-normal: many small values, a few large ones, clamped to [low, high]."""
        return min(high, max(low, self.rng.lognormvariate(math.log(median), sigma)))

    def person(self) -> str:
        return self.pick(data.SURNAMES) + self.pick(data.GIVEN_NAMES)

    def phone(self) -> str:
        if self.rng.random() < 0.5:
            return f"{data.PHONE_AREA_CODE}-{self.rng.randint(2000000, 8999999)}"
        return f"1{self.pick('3589')}{self.rng.randint(0, 999999999):09d}"

    def company(self, industry: str) -> str:
        return self.company_and_place(industry)[0]

    def company_and_place(self, industry: str) -> tuple[str, str]:
        """A company name and the 行政区划代码 of where it is registered."""
        place = self.pick(sorted(data.COMPANY_PLACES))
        brand = "".join(self.rng.sample(data.BRAND_CHARS, 2))
        name = (
            place + brand + self.pick(data.BUSINESS_WORDS[industry]) + self.pick(data.COMPANY_FORMS)
        )
        return name, data.COMPANY_PLACES[place]

    def location(self, region: data.RegionSpec, township: str) -> str:
        road = self.pick(data.ROADS)
        if self.rng.random() < 0.3:
            other = self.pick([r for r in data.ROADS if r != road])
            return f"{region.name}{township}{road}与{other}交叉口{self.pick(data.CORNERS)}"
        return f"{region.name}{township}{road}{self.pick(data.SIDES)}"

    def boundaries(self) -> str:
        parts = []
        for side in "东西南北":
            other = (
                self.pick(data.ROADS)
                if self.rng.random() < 0.5
                else self.pick(data.BOUNDARY_OTHERS)
            )
            parts.append(f"{side}至{other}")
        return "，".join(parts)

    def credit_code(self, admin_code: str) -> str:
        """A well-formed 统一社会信用代码 (9 1 + 行政区划代码 + 组织机构代码 + check), unique."""
        while True:
            body = [self.rng.randint(0, 9) for _ in range(8)]
            org_check = 11 - sum(d * w for d, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
            org = "".join(map(str, body)) + {10: "X", 11: "0"}.get(org_check, str(org_check))
            head = "91" + admin_code + org
            code = head + credit_code_check(head)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def project_name(self, industry: str) -> str:
        for _ in range(50):
            template = self.pick(data.PROJECT_TEMPLATES[industry])
            name = template.format(n=self.pick((1, 2, 3, 5, 6, 8, 10, 12, 20, 30, 50)))
            for suffix in ("", "（二期）", "（三期）", "（扩建）"):
                if name + suffix not in self.project_names:
                    self.project_names.add(name + suffix)
                    return name + suffix
        # Every name of the industry is taken (a few templates have no number): later phases.
        phase = 4
        while f"{name}（{phase}期）" in self.project_names:
            phase += 1
        self.project_names.add(f"{name}（{phase}期）")
        return f"{name}（{phase}期）"
