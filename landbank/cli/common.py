"""What the CLI's commands share: the user-error exception, opening the database, and turning
--region / --status / --sort into filter values with a Chinese message when they are wrong.

Light to import (the standard library and landbank's enums): every command's parser is built
from it, so SQLAlchemy, the store and the services are imported by the functions that use them,
when a command runs."""

from __future__ import annotations

import argparse
import json
import re
from typing import TYPE_CHECKING, Any

from landbank.domain.enums import FactoryStatus, ParcelStatus, ProjectStage, RecordKind

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from landbank.store.queries import RecordFilter, SortOrder

DB_HELP = "数据库：SQLite 文件路径或 postgresql://用户@主机/库名（默认：设置中选定的数据库）"
STATUS_ENUMS = {
    RecordKind.PARCEL: ParcelStatus,
    RecordKind.FACTORY: FactoryStatus,
    RecordKind.PROJECT: ProjectStage,
}


class CliError(Exception):
    """Bad input: the message goes to stderr and the exit code is ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def year_argument(text: str) -> int:
    """--year: a calendar year, so SQL never sees a number it cannot hold."""
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2200:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度（1900–2200）")
    return int(text)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def open_engine(args: argparse.Namespace, *, must_exist: bool) -> Engine:
    """The database of ``--db`` (or the settings); a read-only command never creates a file."""
    from landbank.settings import Settings
    from landbank.store.engine import database_url, sqlite_path
    from landbank.store.migrate import open_database

    url = database_url(getattr(args, "db", None), Settings.load())
    path = sqlite_path(url)
    if must_exist and path is not None and not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    engine = open_database(url)
    tidy_leftovers(url)
    return engine


def tidy_leftovers(url: str) -> None:
    """Remove what a killed backup or export left behind (temporary files of landbank's own
    names, untouched for two minutes: :mod:`landbank.services.backup.leftovers`); every
    command that opens the ledger calls it."""
    from landbank.services.backup.leftovers import remove_leftovers

    remove_leftovers(url)


def region_id_by_name(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    from landbank.store.queries import load_names

    names = load_names(session).regions
    for region_id, region_name in names.items():
        if region_name == name.strip():
            return region_id
    known = "、".join(name for _, name in sorted(names.items())) or "无"
    raise CliError(f"没有名为“{name}”的县区（已有：{known}）")


def parse_statuses(kind: RecordKind, what: str, text: str | None) -> tuple[str, ...]:
    if text is None:
        return ()
    enum = STATUS_ENUMS.get(kind)
    if enum is None:
        raise CliError(f"{what} 没有状态，不能用 --status 筛选")
    allowed = [member.value for member in enum]
    chosen = tuple(s.strip() for s in re.split(r"[,，、]", text) if s.strip())
    for status in chosen:
        if status not in allowed:
            from landbank.domain.fields import field_map
            from landbank.store.queries import STATUS_COLUMN

            label = field_map(kind)[STATUS_COLUMN[kind]].label
            raise CliError(f"“{status}”不是有效的{label}（可选：{'、'.join(allowed)}）")
    return chosen


def parse_sort(kind: RecordKind, key: str | None, *, descending: bool) -> SortOrder:
    from landbank.domain.fields import field_by_label, field_map
    from landbank.store.queries import SortOrder

    key = (key or "id").strip()
    if key in ("id", "ID", "编号ID"):
        return SortOrder("id", descending=descending)
    spec = field_by_label(kind, key) or field_by_label(kind, key.replace("（", "(").replace("）", ")"))
    if spec is None:
        labels = "、".join(s.label for s in field_map(kind).values())
        raise CliError(f"不能按“{key}”排序（可用字段：{labels}；也可用英文键，如 area_mu）")
    return SortOrder(spec.key, descending=descending)


def filter_from_args(
    session: Session, args: argparse.Namespace, statuses: tuple[str, ...], *, year: int | None = None
) -> RecordFilter:
    """The filter of --region, --search and --status (already checked by parse_statuses)."""
    from landbank.store.queries import RecordFilter

    region_id = region_id_by_name(session, args.region)
    return RecordFilter(
        search=args.search or "",
        region_ids=(region_id,) if region_id is not None else (),
        statuses=statuses,
        year=year,
    )
