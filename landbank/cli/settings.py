"""``landbank settings``: the bureau's identity printed on reports — the ledger's city and
bureau (kept with the ledger) and the clerk's compiler and phone (the settings file) — shown,
or changed with the options given."""

from __future__ import annotations

import argparse
from typing import Any

from landbank.cli.common import (
    DB_HELP,
    CliError,
    db_argument,
    open_engine,
    print_json,
    text_argument,
)


def add_settings_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "settings",
        help="本局信息：城市、单位名称、制表人、联系电话",
        description=(
            "显示或修改报表标题、落款和推介单使用的本局信息。城市和单位名称随台账保存；"
            "制表人和联系电话保存在本机设置中。不带选项时只显示。"
        ),
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    p.add_argument("--city", type=text_argument("城市"), metavar="城市", help="如：新乡市")
    p.add_argument(
        "--bureau", type=text_argument("单位名称"), metavar="单位名称", help="如：新乡市商务局"
    )
    p.add_argument(
        "--compiler",
        type=text_argument("制表人", 50),
        metavar="制表人",
        help="报表上的制表人（默认为用户名）",
    )
    p.add_argument(
        "--phone", type=text_argument("联系电话", 50), metavar="电话", help="报表上的联系电话"
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run_settings(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.identity import ledger_identity, save_ledger_identity
    from landbank.services.server.identity import audit_user
    from landbank.settings import Settings
    from landbank.store.engine import for_writing

    settings = Settings.load()
    changing_ledger = args.city is not None or args.bureau is not None
    engine = open_engine(args, must_exist=not changing_ledger)
    try:
        with Session(for_writing(engine) if changing_ledger else engine) as session:
            if args.compiler is not None or args.phone is not None:
                if args.compiler is not None:
                    settings.compiler = args.compiler.strip()
                if args.phone is not None:
                    settings.phone = args.phone.strip()
                settings.save()
            if changing_ledger:
                known = ledger_identity(session, settings)
                try:
                    save_ledger_identity(
                        session,
                        city=known.city if args.city is None else args.city,
                        bureau=known.bureau if args.bureau is None else args.bureau,
                        user=audit_user(session, settings),
                    )
                except ValueError as exc:
                    raise CliError(str(exc)) from None
                session.commit()
            identity = ledger_identity(session, settings)
    finally:
        engine.dispose()
    if args.json:
        print_json(
            {
                "city": identity.city,
                "bureau": identity.bureau,
                "compiler": identity.compiler,
                "phone": identity.phone,
            }
        )
    else:
        print(f"城市：{identity.city or '（未设置）'}")
        print(f"单位名称：{identity.bureau or '（未设置）'}")
        print(f"制表人：{identity.compiler}")
        print(f"联系电话：{identity.phone or '（未设置）'}")
    return 0
