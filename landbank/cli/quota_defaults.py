"""``landbank quota-defaults``: the default targets per kind of region (the city's own where
set, else the policy's), set with ``--county-land`` … ``--district-factory`` (units may be
written: “1500亩”, “100公顷”, “12万平方米”) or ``--reset`` back to the policy.

:mod:`landbank.cli.quota` runs it; the services and SQLAlchemy are imported when it runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from landbank.cli.common import CliError, open_engine, print_json
from landbank.cli.quota_text import num, table
from landbank.domain.enums import RegionKind

if TYPE_CHECKING:
    from landbank.domain.units import Quantity
    from landbank.services.quota.defaults import QuotaDefaultInfo


_KINDS = {"county": RegionKind.COUNTY, "district": RegionKind.DISTRICT}


def _amount(text: str | None, quantity: Quantity, option: str) -> float | None:
    if text is None:
        return None
    from landbank.domain.units import UnitError, parse_number

    try:
        value = parse_number(text, quantity)
    except UnitError as exc:
        raise CliError(f"{option}：{exc}") from None
    if value is None or value < 0:
        raise CliError(f"{option}：应为不小于 0 的数（{quantity.value}）")
    return value


def run_defaults(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.domain.units import Quantity
    from landbank.services.quota.defaults import (
        QuotaInputError,
        quota_defaults,
        reset_quota_default,
        set_quota_default,
    )
    from landbank.services.server.identity import audit_user
    from landbank.store.engine import for_writing

    changes = {
        RegionKind.COUNTY: (
            _amount(args.county_land, Quantity.LAND, "--county-land"),
            _amount(args.county_factory, Quantity.FLOOR, "--county-factory"),
        ),
        RegionKind.DISTRICT: (
            _amount(args.district_land, Quantity.LAND, "--district-land"),
            _amount(args.district_factory, Quantity.FLOOR, "--district-factory"),
        ),
    }
    setting = any(v is not None for pair in changes.values() for v in pair)
    if setting and args.reset:
        raise CliError("--reset 不能与设定数值的选项同时使用")
    engine = open_engine(args, must_exist=True)
    try:
        with Session(for_writing(engine) if setting or args.reset else engine) as session:
            try:
                user = audit_user(session)
                if args.reset:
                    kinds = list(_KINDS.values()) if args.reset == "all" else [_KINDS[args.reset]]
                    for kind in kinds:
                        reset_quota_default(session, kind, user=user)
                for kind, (land, floor) in changes.items():
                    if land is not None or floor is not None:
                        set_quota_default(
                            session,
                            kind,
                            land_target_mu=land,
                            factory_target_m2=floor,
                            user=user,
                        )
            except QuotaInputError as exc:
                raise CliError(str(exc)) from None
            session.commit()
            infos = quota_defaults(session)
    finally:
        engine.dispose()
    if args.json:
        print_json([_default_json(i) for i in infos])
        return 0
    rows = [
        [
            i.kind.label,
            num(i.land_target_mu),
            num(i.factory_target_m2, 0),
            "本市设定" if i.city else "政策默认",
            i.updated_by or "",
            i.updated_at.astimezone().strftime("%Y-%m-%d %H:%M") if i.updated_at else "",
        ]
        for i in infos
    ]
    headers = ("县区类型", "收储目标(亩)", "标准厂房目标(m²)", "来源", "修改人", "修改时间")
    if setting or args.reset:
        print("已更新默认年度指标。")
    print(table(headers, rows, (False, True, True, False, False, False)))
    print("某县区某年单独设定的年度指标优先于以上默认值。")
    return 0


def _default_json(info: QuotaDefaultInfo) -> dict[str, Any]:
    return {
        "region_kind": info.kind.value,
        "land_target_mu": info.land_target_mu,
        "factory_target_m2": info.factory_target_m2,
        "source": "city" if info.city else "policy",
        "updated_by": info.updated_by,
        "updated_at": info.updated_at.isoformat() if info.updated_at else None,
    }
