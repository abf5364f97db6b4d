"""``landbank list``, ``show`` and ``demo``: the records of the ledger from the shell."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    CliError,
    count_argument,
    filter_from_args,
    limit_argument,
    open_engine,
    parse_sort,
    parse_statuses,
    print_json,
    region_id_by_name,
    year_argument,
)
from landbank.domain.enums import RecordKind
from landbank.domain.horizon import MAX_ENTRIES
from landbank.settings import Settings
from landbank.store.engine import database_url, describe_url

if TYPE_CHECKING:
    from sqlmodel import Session

    from landbank.store.models import AuditEntry
    from landbank.store.queries import SortOrder, Summary

LIST_KINDS: dict[str, RecordKind] = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
    "regions": RecordKind.REGION,
    "parks": RecordKind.PARK,
    "quotas": RecordKind.QUOTA,
}
SHOW_KINDS: dict[str, RecordKind] = {
    "parcel": RecordKind.PARCEL,
    "factory": RecordKind.FACTORY,
    "project": RecordKind.PROJECT,
}
ACTIONS = {"create": "新建", "update": "修改", "delete": "删除"}


def add_records_parsers(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    """The list, show and demo commands (``command`` adds one with its --db)."""
    p = command("list", "列出记录", "列出记录。")
    p.add_argument(
        "what",
        choices=list(LIST_KINDS),
        help="parcels 地块、factories 厂房、projects 项目、regions 县区、parks 园区、quotas 年度指标"
        "（标准地指标表：landbank list standards，同 landbank standards list）",
    )
    p.add_argument("--region", metavar="县区", help="只列出该县区的记录")
    p.add_argument("--status", metavar="状态", help="只列出该状态（阶段）的记录，多个用逗号分隔")
    p.add_argument("--search", metavar="文字", help="按编号、名称、坐落等搜索")
    p.add_argument("--year", type=year_argument, metavar="年度", help="年度指标的年度")
    p.add_argument(
        "--sort", metavar="字段", help="排序字段：中文名称或英文键，如 收储面积、area_mu、总投资"
    )
    p.add_argument("--desc", action="store_true", help="降序排列")
    p.add_argument(
        "--limit",
        type=limit_argument,
        default=100,
        metavar="N",
        help="最多列出 N 条（0 为全部，默认 100）",
    )
    p.add_argument(
        "--incomplete",
        action="store_true",
        help="只列出资料不全（缺少推介所需资料）的地块或厂房",
    )
    p.add_argument(
        "--outline-mismatch",
        action="store_true",
        help="只列出红线面积不符（与收储面积相差超过 1 %%）的地块",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("show", "显示一条记录", "显示一条记录的全部内容和最近的修改。")
    p.add_argument("what", choices=list(SHOW_KINDS), help="parcel 地块、factory 厂房、project 项目")
    p.add_argument("key", metavar="编号或名称", help="地块编号、厂房编号、项目名称，或记录 ID")
    p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")
    p.add_argument(
        "--history",
        type=count_argument(1, MAX_ENTRIES, "修改条数"),
        default=5,
        metavar="N",
        help="显示最近 N 条修改（默认 5）",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("demo", "生成演示数据库", "在新的（空）数据库中生成演示数据（新乡市）。")
    p.add_argument(
        "--year", type=year_argument, default=date.today().year, metavar="年度", help="演示年度（默认今年）"
    )
    p.add_argument(
        "--seed", type=count_argument(0, 2**31 - 1, "种子"), default=7, help=argparse.SUPPRESS
    )


# ---------------------------------------------------------------- list


def run_list(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.records.listing import format_table, record_to_json
    from landbank.store.queries import fetch_page, load_names, summarise

    kind = LIST_KINDS[args.what]
    statuses = parse_statuses(kind, args.what, args.status)
    if args.region is not None and kind is RecordKind.REGION:
        raise CliError("列出县区时不能用 --region 筛选")
    if args.year is not None and kind is not RecordKind.QUOTA:
        raise CliError("--year 只用于 list quotas")
    _check_site_flags(kind, args)
    sort = _site_sort(kind, args) or parse_sort(kind, args.sort, descending=args.desc)
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            flt = replace(
                filter_from_args(session, args, statuses, year=args.year),
                incomplete=args.incomplete,
                outline_mismatch=args.outline_mismatch,
            )
            summary = summarise(session, kind, flt)
            total = summary.count
            limit = args.limit or max(total, 1)
            rows = fetch_page(session, kind, flt, sort, limit=limit)
            names = load_names(session)
            if args.json:
                records = [record_to_json(kind, row, names) for row in rows]
                _add_completeness(kind, rows, records)
                print_json({"kind": args.what, "total": total, "records": records})
                return 0
            print(format_table(kind, rows, names))
            print(_footer(kind, summary, len(rows)))
    finally:
        engine.dispose()
    return 0


def _check_site_flags(kind: RecordKind, args: argparse.Namespace) -> None:
    from landbank.domain.completeness import applies_to

    if args.incomplete and not applies_to(kind):
        raise CliError("--incomplete 只用于 list parcels 和 list factories")
    if args.outline_mismatch and kind is not RecordKind.PARCEL:
        raise CliError("--outline-mismatch 只用于 list parcels")


def _site_sort(kind: RecordKind, args: argparse.Namespace) -> SortOrder | None:
    """Sorting by 资料完整度 (a computed column, not a field of the catalogue)."""
    from landbank.domain.completeness import COMPLETENESS_KEY, COMPLETENESS_LABEL, applies_to
    from landbank.store.queries import SortOrder

    key = (args.sort or "").strip()
    if key not in (COMPLETENESS_KEY, COMPLETENESS_LABEL):
        return None
    if not applies_to(kind):
        raise CliError(f"只有地块和厂房可按“{key}”排序")
    return SortOrder(COMPLETENESS_KEY, descending=args.desc)


def _add_completeness(
    kind: RecordKind, rows: list[dict[str, Any]], records: list[dict[str, Any]]
) -> None:
    """A site's ``completeness_pct`` and the items it misses (``missing``), in each record."""
    from landbank.domain.completeness import COMPLETENESS_KEY, MISSING_KEY, applies_to

    if not applies_to(kind):
        return
    for row, record in zip(rows, records, strict=True):
        record[COMPLETENESS_KEY] = row.get(COMPLETENESS_KEY)
        record["missing"] = list(row.get(MISSING_KEY) or ())


def _footer(kind: RecordKind, summary: Summary, shown: int) -> str:
    from landbank.domain.fields import field_map
    from landbank.domain.units import format_number

    total = summary.count
    text = f"共 {total} 条"
    if shown < total:
        text += f"，显示前 {shown} 条（用 --limit 调整）"
    specs = field_map(kind)
    sums = [
        f"{specs[key].label} {format_number(value)} {specs[key].unit}".rstrip()
        for key, value in summary.sums.items()
    ]
    if sums and total:
        text += "；合计 " + "，".join(sums)
    return text


# ---------------------------------------------------------------- show


def run_show(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.cli.land_life import land_life_json, land_life_lines
    from landbank.services.records.history import history
    from landbank.services.records.listing import format_fields, record_to_json
    from landbank.services.records.saving import record_values
    from landbank.store.queries import load_names

    kind = SHOW_KINDS[args.what]
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            region_id = region_id_by_name(session, args.region)
            record = _find(session, kind, args.key.strip(), region_id)
            assert record.id is not None
            row = {**record_values(kind, record), "id": record.id}
            row.update(uuid=record.uuid, version=record.version)
            names = load_names(session)
            entries = history(session, kind, record.id)[-args.history :]
            if args.json:
                data = record_to_json(kind, row, names)
                data["history"] = [_history_json(kind, e) for e in entries]
                if kind is RecordKind.PARCEL:
                    data["land_life"] = land_life_json(session, record.id)
                print_json(data)
                return 0
            region = names.regions.get(row["region_id"], "")
            title = getattr(record, "code", None) or getattr(record, "name", "")
            print(f"{kind.label} {title}（{region}，ID {record.id}，版本 {record.version}）")
            print("\n".join("  " + line for line in format_fields(kind, row, names)))
            if kind is RecordKind.PARCEL and (lines := land_life_lines(session, record.id)):
                print("\n" + "\n".join(lines))  # 土地利用状况 of a supplied parcel
            if entries:
                print("\n最近的修改：")
                for entry in entries:
                    print("  " + _history_line(kind, entry))
    finally:
        engine.dispose()
    return 0


def _find(session: Session, kind: RecordKind, key: str, region_id: int | None) -> Any:
    from sqlalchemy import select
    from sqlmodel import col

    from landbank.domain.validation import MAX_INT
    from landbank.store.models import TABLES, Factory, LandParcel, Project
    from landbank.store.queries import load_names

    table: Any = {RecordKind.PARCEL: LandParcel, RecordKind.FACTORY: Factory}.get(kind, Project)
    column = col(table.name) if kind is RecordKind.PROJECT else col(table.code)
    stmt = select(table).where(column == key)
    if region_id is not None:
        stmt = stmt.where(col(table.region_id) == region_id)
    found = list(session.execute(stmt.order_by(col(table.id))).scalars())
    if not found and key.isdecimal() and len(key) <= 10 and int(key) <= MAX_INT:
        record = session.get(TABLES[kind], int(key))
        if record is not None and (region_id is None or record.region_id == region_id):  # type: ignore[attr-defined]
            return record
    if len(found) == 1:
        return found[0]
    what = {RecordKind.PARCEL: "地块编号", RecordKind.FACTORY: "厂房编号"}.get(kind, "项目名称")
    if len(found) > 1:
        regions = load_names(session).regions
        where = "、".join(f"{regions.get(r.region_id, '?')}（ID {r.id}）" for r in found)
        raise CliError(
            f"{what}为“{key}”的{kind.label}不止一个：{where}。请用 --region 指定县区，或改用 ID"
        )
    hint = ""
    similar = list(session.execute(select(column).where(column.contains(key)).limit(5)).scalars())
    if similar:
        hint = f"（相近的：{'、'.join(similar)}）"
    if kind is RecordKind.PROJECT:
        raise CliError(f"没有名为“{key}”的项目{hint}")
    raise CliError(f"没有{what}为“{key}”的{kind.label}{hint}")


def _history_line(kind: RecordKind, entry: AuditEntry) -> str:
    from landbank.services.records.history import field_label
    from landbank.store.models import as_utc

    when = as_utc(entry.at).astimezone().strftime("%Y-%m-%d %H:%M")
    action = ACTIONS.get(entry.action, entry.action)
    if entry.action == "update":
        action += f"“{field_label(kind, entry.field)}”：{entry.old_value or '空'} → {entry.new_value or '空'}"
    source = f"（{entry.source}）" if entry.source and entry.source != "界面" else ""
    return f"{when}  {entry.user}  {action}{source}"


def _history_json(kind: RecordKind, entry: AuditEntry) -> dict[str, Any]:
    from landbank.store.models import as_utc

    return {
        "at": as_utc(entry.at).isoformat(),
        "user": entry.user,
        "action": entry.action,
        "field": entry.field,
        "old_value": entry.old_value,
        "new_value": entry.new_value,
        "source": entry.source,
    }


# ---------------------------------------------------------------- demo


def run_demo(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.demo.city import create_demo_city
    from landbank.store.engine import for_writing
    from landbank.store.migrate import open_database
    from landbank.store.models import TABLES
    from landbank.store.queries import count_records

    if not args.db:
        raise CliError("请用 --db 指定演示数据库文件，例如：landbank demo --db 演示.sqlite3")
    if not 2000 <= args.year <= 2100:
        raise CliError("--year 应在 2000–2100 之间")
    url = database_url(args.db, Settings.load())
    engine = open_database(url, create=True)  # an empty server gets the schema, never an upgrade
    try:
        with Session(for_writing(engine)) as session:
            held = [f"{n} 条{kind.label}" for kind in TABLES if (n := count_records(session, kind))]
            if held:
                raise CliError(
                    f"数据库 {describe_url(url)} 中已有记录（{'、'.join(held)}），"
                    "演示数据只写入空数据库。请另选一个文件。"
                )
            started = time.perf_counter()
            summary = create_demo_city(session, year=args.year, seed=args.seed)
            session.commit()
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    print(
        f"已在 {describe_url(url)} 生成{args.year}年演示数据：{summary.describe()}（用时 {elapsed:.1f} 秒）"
    )
    return 0
