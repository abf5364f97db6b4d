"""``landbank outline import FILE`` and ``landbank outline export -o FILE``: parcel outlines
(红线) in and out from the shell (issue 15; the rules are :mod:`landbank.services.outlines`).

Import exit codes as ``landbank import``: 0 when the file was imported (or a dry run found no
errors), 2 when an outline was refused (nothing written), the file or an option cannot be
used, or the database cannot be opened; the report goes to stdout (JSON with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from landbank.cli.common import DB_HELP, CliError, db_argument, open_engine, output_file
from landbank.domain.enums import RecordKind

OUTLINE_KINDS = {
    "parcel": RecordKind.PARCEL,
    "factory": RecordKind.FACTORY,
    "park": RecordKind.PARK,
}
EXPORT_KINDS = {"parcel": RecordKind.PARCEL, "park": RecordKind.PARK}
EXPORT_SUFFIXES = (".geojson", ".json", ".txt")


def add_outline_parsers(subparsers: Any) -> None:
    """Add ``outline import`` and ``outline export`` to the ``landbank`` command."""
    outline = subparsers.add_parser(
        "outline",
        help="导入、导出地块红线（界址点坐标、GeoJSON、Shapefile）",
        description="地块红线：从界址点坐标文件、GeoJSON 或 Shapefile 导入，按地块编号匹配；导出为 GeoJSON 或界址点坐标文件。",
    )
    outline.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    commands = outline.add_subparsers(dest="outline_command", title="红线命令", required=True)
    p = commands.add_parser(
        "import",
        help="导入红线文件",
        description=(
            "读取界址点坐标文件（.txt，GBK 或 UTF-8）、GeoJSON（经纬度）或 Shapefile（.shp/.dbf/.prj），"
            "按地块编号（或名称、指定的属性）匹配台账记录；有任何错误时不写入。"
        ),
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    p.add_argument("file", metavar="文件", help="红线文件：界址点 .txt、.geojson/.json 或 .shp")
    p.add_argument(
        "--kind", choices=list(OUTLINE_KINDS), default="parcel",
        help="parcel 地块红线（默认）、factory 厂房位置（点）、park 园区红线",
    )  # fmt: skip
    p.add_argument(
        "--key",
        choices=("code", "name"),
        default="code",
        help="按 code 编号（默认）或 name 名称匹配",
    )
    p.add_argument(
        "--key-field", metavar="属性名", help="用文件中的这个属性匹配（GeoJSON/Shapefile，如 DKBH）"
    )
    p.add_argument("--county", metavar="县区", help="只在这个县区中查找（可用简称）")
    p.add_argument(
        "--on-existing", choices=("keep", "replace"), default="keep",
        help="记录已有红线时：keep 保留（默认）、replace 替换",
    )  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="试导入：只报告，不写入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    e = commands.add_parser(
        "export",
        help="导出红线",
        description="把台账中的红线导出为 GeoJSON（经纬度）或界址点坐标文件（2000国家大地坐标系 3°带，Y 带带号）。",
    )
    e.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    e.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="文件",
        help="导出文件：.geojson、.json 或 .txt（界址点）",
    )
    e.add_argument(
        "--kind",
        choices=list(EXPORT_KINDS),
        default="parcel",
        help="parcel 地块（默认）或 park 园区",
    )
    e.add_argument("--county", metavar="县区", help="只导出这个县区的红线")
    e.add_argument("--codes", metavar="编号", help="只导出这些编号（园区为名称），用逗号分隔")
    e.add_argument(
        "--encoding", choices=("gbk", "utf-8"), default="gbk", help="界址点文件的编码（默认 gbk）"
    )
    e.add_argument("--json", action="store_true", help="以 JSON 输出结果")


def run_outline(args: argparse.Namespace) -> int:
    """Run ``landbank outline …``; returns the exit code."""
    if args.outline_command == "import":
        return _run_import(args)
    return _run_export(args)


def _run_import(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from landbank.services.errors import describe_error
    from landbank.services.outlines.importer import OutlineOptionError, import_outlines
    from landbank.services.outlines.reading import OutlineFileError, read_outline_file
    from landbank.services.records.saving import RecordError
    from landbank.services.server.identity import audit_user
    from landbank.store.engine import DatabaseError, read_session, write_session

    try:
        source = read_outline_file(Path(args.file))  # before the ledger opens: a bad file says so
        engine = open_engine(args, must_exist=True)
    except (OutlineFileError, CliError, DatabaseError) as exc:
        return _fail(args, str(exc))
    try:
        opened = read_session if args.dry_run else write_session
        with opened(engine) as session:
            report = import_outlines(
                session,
                source.path,
                source=source,
                kind=OUTLINE_KINDS[args.kind],
                key=args.key,
                key_field=args.key_field,
                county=args.county,
                on_existing=args.on_existing,
                dry_run=args.dry_run,
                user=audit_user(session),
            )
    except (OutlineFileError, OutlineOptionError, RecordError) as exc:
        return _fail(args, str(exc))
    except (SQLAlchemyError, DatabaseError) as exc:
        return _fail(args, describe_error(exc))
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.describe())
    return 0 if report.ok else 2


def _run_export(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from landbank.services.errors import describe_error
    from landbank.services.outlines.exporting import OutlineExportError, export_outlines
    from landbank.store.engine import DatabaseError, read_session

    suffix = Path(args.output).suffix.lower()
    try:
        if suffix not in EXPORT_SUFFIXES:
            raise CliError(f"-o 导出文件应以 .geojson、.json 或 .txt 结尾：“{args.output}”")
        path = output_file(args.output, suffix, "-o 导出文件")
        engine = open_engine(args, must_exist=True)
    except (CliError, DatabaseError) as exc:
        return _fail(args, str(exc))
    codes = [c for c in re.split(r"[,，、\s]+", args.codes or "") if c]
    try:
        with read_session(engine) as session:
            result = export_outlines(
                session,
                path,
                kind=EXPORT_KINDS[args.kind],
                county=args.county,
                codes=codes,
                encoding=args.encoding,
            )
    except OutlineExportError as exc:
        return _fail(args, str(exc))
    except OSError as exc:
        return _fail(args, f"无法写入 {path}：{exc.strerror or exc}")
    except (SQLAlchemyError, DatabaseError) as exc:
        return _fail(args, describe_error(exc))
    finally:
        engine.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": True,
                    "file": str(result.path),
                    "count": result.count,
                    "skipped": result.skipped,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"已导出 {result.count} 个红线到 {result.path}")
        for line in result.skipped:
            print(f"未导出：{line}")
    return 0


def _fail(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": message}, ensure_ascii=False, indent=2))
    print(f"landbank：{message}", file=sys.stderr)
    return 2
