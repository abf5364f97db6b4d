"""What the CLI's commands share: the user-error exception, opening the database, and turning
--region / --status / --sort into filter values with a Chinese message when they are wrong.

Light to import (the standard library and landbank's enums): every command's parser is built
from it, so SQLAlchemy, the store and the services are imported by the functions that use them,
when a command runs."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
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


def whole_number(text: str, low: int, high: int, what: str = "数") -> int:
    """``text`` as a whole number from ``low`` to ``high`` (ASCII or full-width digits);
    raises ``argparse.ArgumentTypeError`` with the Chinese reason otherwise — a number SQL or
    a slice could not hold never gets further."""
    digits = text.strip()
    sign = -1 if digits[:1] in ("-", "－") else 1
    digits = digits.lstrip("-－+＋")
    value = sign * int(digits) if digits.isdecimal() and len(digits) <= 18 else None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是有效的{what}（应为 {low}–{high} 之间的整数）"
        )
    return value


def year_argument(text: str) -> int:
    """--year: a calendar year, so SQL never sees a number it cannot hold."""
    return whole_number(text, 1900, 2200, "年度")


def limit_argument(text: str) -> int:
    """--limit: how many rows, 0 for all (at most :data:`~landbank.domain.horizon.MAX_ROWS`)."""
    from landbank.domain.horizon import MAX_ROWS

    return whole_number(text, 0, MAX_ROWS, "条数")


def count_argument(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        return whole_number(text, low, high, what)

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


def text_argument(what: str, max_length: int | None = None) -> Callable[[str], str]:
    """An argparse ``type=`` for one line of text: no control characters (a pasted line
    break, a NUL), at most ``max_length`` characters (the window's field allows as many);
    empty is allowed (it clears the value)."""

    def parse(text: str) -> str:
        if any(unicodedata.category(c) == "Cc" for c in text):
            raise argparse.ArgumentTypeError(f"{what}不能含有换行、制表符等控制字符")
        if max_length is not None and len(text.strip()) > max_length:
            raise argparse.ArgumentTypeError(f"{what}不能超过 {max_length} 个字")
        return text

    parse.__name__ = what
    return parse


def day_argument(text: str) -> date:
    """A day (--today, --as-of, --until): written as a clerk writes it (2026-03-15,
    2026/3/15, 2026年3月15日) and within the horizon of :mod:`landbank.domain.horizon`
    around today (a deadline is checked again against the command's own day)."""
    from landbank.domain.horizon import OutOfHorizon, check_day
    from landbank.domain.validation import FieldError, parse_date

    try:
        return check_day(parse_date(text), date.today())
    except (FieldError, OutOfHorizon) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def db_argument(text: str) -> str:
    """--db: not empty (an empty value would silently mean the default ledger)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("不能为空：请给出 SQLite 数据库文件的路径或 postgresql:// 地址")
    return text.strip()


def output_file(text: str, suffix: str, what: str = "文件") -> Path:
    """A file a command is to write: ends in ``suffix``, in a folder that exists and can be
    written, not itself a folder; raises :class:`CliError` naming what is wrong."""
    path = Path(text).expanduser()
    if not text.strip() or path.suffix.lower() != suffix:
        raise CliError(f"{what}应以 {suffix} 结尾：“{text}”")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"文件夹不存在：{folder}（{what} {path.name} 无法保存）")
    if not os.access(folder, os.W_OK):
        raise CliError(f"没有写入该文件夹的权限：{folder}")
    if path.is_dir():
        raise CliError(f"“{path}”是一个文件夹")
    if path.exists() and not os.access(path, os.W_OK):
        raise CliError(f"无法写入 {path}：文件是只读的，或正被其他程序打开")
    return path


def report_failure(exc: Exception) -> int:
    """What ``landbank`` prints for an error no command turned into a message itself: the
    database busy past the busy timeout, read-only, or gone (:func:`describe_error`; exit 2),
    a file that cannot be written (exit 2), anything else as an internal error (exit 1) —
    never a traceback, unless ``LANDBANK_DEBUG`` is set."""
    if os.environ.get("LANDBANK_DEBUG"):
        raise exc
    from landbank.store.engine import is_database_busy, is_database_readonly

    code = 2
    if is_database_busy(exc) or is_database_readonly(exc) or _is_database_error(exc):
        from landbank.services.errors import describe_error

        message = describe_error(exc)
    elif isinstance(exc, OSError):
        where = f"：{exc.filename}" if exc.filename else ""
        message = f"无法读写文件{where}（{exc.strerror or exc}）"
    else:
        code = 1
        message = (
            f"内部错误，操作未完成（{type(exc).__name__}：{exc}）。"
            "请把这条信息告诉维护人员；设置环境变量 LANDBANK_DEBUG=1 再运行可看到详细信息。"
        )
    print(f"landbank：{message}", file=sys.stderr)
    return code


def _is_database_error(exc: Exception) -> bool:
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError)


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
    engine = open_with_password(url, open_database)
    tidy_leftovers(url)
    return engine


def open_with_password(url: str, opener: Callable[[str], Engine]) -> Engine:
    """``opener(url)``; when a city server wants a password that neither the address nor
    PGPASSWORD/pgpass gives, ask for it without echo on a terminal (never kept), else say
    where to put it (issue 14)."""
    import getpass

    from sqlalchemy.engine import make_url

    from landbank.services.server.credentials import (
        NO_PASSWORD_CLI,
        asks_for_password,
        login_of,
        with_login,
    )
    from landbank.store.engine import DatabaseError

    try:
        return opener(url)
    except DatabaseError as exc:
        if not asks_for_password(url, exc) or make_url(url).password:
            raise
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise CliError(f"{exc}\n{NO_PASSWORD_CLI}") from None
    login = login_of(url)
    for _attempt in range(3):
        password = getpass.getpass(f"{login} 的密码：")
        if not password:
            break
        try:
            return opener(with_login(url, login, password))
        except DatabaseError as exc:
            if not asks_for_password(url, exc):
                raise
            print("密码不正确。", file=sys.stderr)
    raise CliError("没有输入正确的密码，未连接数据库")


def tidy_leftovers(url: str | None) -> None:
    """Remove what a killed backup or export left behind (temporary files of landbank's own
    names, untouched for two minutes: :mod:`landbank.services.backup.leftovers`); every
    command that opens the ledger calls it."""
    from landbank.services.backup.leftovers import remove_leftovers

    remove_leftovers(url)


def region_id_by_name(session: Session, name: str | None) -> int | None:
    """The id of the ledger's county ``name`` gives — its full name, or a short one the
    gazetteer knows (辉县 = 辉县市, as :func:`county_by_name` reads it); ``None`` for none.
    Raises :class:`CliError` naming the ledger's counties."""
    if name is None:
        return None
    from landbank.store.queries import load_names

    names = load_names(session).regions
    for region_id, region_name in names.items():
        if region_name == name.strip():
            return region_id
    if name.strip():
        try:
            return county_by_name(session, name)[0]
        except CliError:
            pass
    known = "、".join(name for _, name in sorted(names.items())) or "无"
    raise CliError(f"没有名为“{name}”的县区（已有：{known}）")


def county_by_name(session: Session, text: str) -> tuple[int, str]:
    """The id and name of the ledger's county ``text`` names, by its full or short name (辉县 =
    辉县市, through the gazetteer as the ledger import reads a 县区 cell); raises
    :class:`CliError` with the reason."""
    from sqlmodel import col, select

    from landbank.domain.validation import FieldError
    from landbank.services.importing.regions import RegionResolver
    from landbank.store.models import Region

    try:
        name = RegionResolver(session).ref(text).name
    except FieldError as exc:
        raise CliError(f"县区“{text}”：{exc}") from None
    region_id = session.execute(select(col(Region.id)).where(col(Region.name) == name)).scalar()
    if region_id is None:
        raise CliError(f"县区“{name}”尚未在台账中")
    return int(region_id), name


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
