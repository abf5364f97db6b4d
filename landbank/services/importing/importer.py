"""Import parcels, factories or projects from a ledger file: all rows or none.

``iter_import`` is a generator: it yields :class:`Progress` as it goes and returns the
:class:`ImportReport` (``StopIteration.value``; the GUI runs it in a worker and shows a
progress dialog, the CLI prints a bar). ``import_records`` runs it to the end, passing each
progress to an optional callback that may return ``False`` to cancel.

A ledger whose meaning a clerk can read without doubt imports without editing: what the file
does not say gets a declared default that the report lists (:mod:`import_defaults`), counties
are read as clerks name them (:mod:`import_regions`), parks the file names are created, and
one workbook of several sheets of one layout imports in one run. Only what is contradictory
or impossible is refused, and then every problem of the file is reported at once (sheet, row,
column, value, reason). The rows are turned into records by :class:`ImportWriter`, in chunks
of 2,000 (progress is yielded before each), column by column.

Everything happens inside one SAVEPOINT: a row error, a duplicate under policy "stop", a dry
run, an exception or a cancel rolls the savepoint back and the database is exactly as before.
Otherwise the savepoint is released and the caller commits (functions flush, callers commit).

Duplicates (地块编号 per region or 电子监管号; 厂房编号 per region; 统一社会信用代码, or a
project's name in its county) follow the policy: "stop" refuses the import naming each
duplicate row, "skip" leaves the stored record, "update" saves the row's non-empty cells over
it (an empty cell never clears a stored value). The report lists the records created, those
updated with each changed field, the unchanged, and those of the file's counties (townships,
parks) that the ledger has and the file no longer lists — the second version of a ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldType, field_map
from landbank.domain.ledger_statuses import parcel_ladders
from landbank.domain.validation import FieldError
from landbank.services.collector import collector_paused
from landbank.services.importing.changes import ledger_high_water, missing_records
from landbank.services.importing.county_rights import import_refused, new_counties_refused
from landbank.services.importing.parse import ColumnParser
from landbank.services.importing.preview import (
    ImportPreview,
    preview_import,
    preview_sheets,
    title_lines,
)
from landbank.services.importing.regions import CreateHint, RegionResolver
from landbank.services.importing.report import (
    ImportProblem,
    ImportReport,
    Progress,
    SheetRead,
    SheetSkipped,
    Wording,
)
from landbank.services.importing.row_checks import DUPLICATE_KEYS
from landbank.services.importing.sheet_layout import NoHeaderError
from landbank.services.importing.writer import MAX_ERRORS, ImportWriter
from landbank.store.bulk import bulk_writes, deferred_indexes
from landbank.store.models import TABLES

__all__ = [
    "ALL_SHEETS",
    "DUPLICATE_KEYS",
    "DuplicatePolicy",
    "ImportCancelled",
    "ImportOptionError",
    "ImportPreview",
    "ImportProblem",
    "ImportReport",
    "Progress",
    "import_records",
    "iter_import",
    "preview_import",
]

DuplicatePolicy = Literal["stop", "update", "skip"]
CHUNK = 2000  # rows parsed, checked and written together; progress is reported per chunk
ALL_SHEETS = "all"


class ImportCancelled(Exception):
    """Thrown into :func:`iter_import` (``gen.throw``) to cancel: it rolls back and returns."""


class ImportOptionError(ValueError):
    """An option of the import that cannot be used (a default for a field that does not
    exist, a value that does not fit it); ``str()`` is the Chinese reason."""


def import_records(
    session: Session,
    kind: RecordKind,
    path: str | Path,
    *,
    user: str,
    progress: Callable[[Progress], bool | None] | None = None,
    **options: Any,
) -> ImportReport:
    """Run :func:`iter_import` to the end (``options`` as it takes them). ``progress``
    returning ``False`` cancels (the report then says so and nothing is written). Raises
    :class:`SpreadsheetError` when the file cannot be read."""
    steps = iter_import(session, kind, path, user=user, **options)
    try:
        step = next(steps)
        while True:
            if progress is not None and progress(step) is False:
                step = steps.throw(ImportCancelled())
            else:
                step = next(steps)
    except StopIteration as stop:
        report: ImportReport = stop.value
        return report


def iter_import(
    session: Session,
    kind: RecordKind,
    path: str | Path,
    *,
    user: str,
    sheet: str | None = None,
    sheets: Sequence[str] | Literal["all"] | None = None,
    header_row: int | None = None,
    on_duplicate: DuplicatePolicy = "stop",
    dry_run: bool = False,
    all_land_uses: bool = False,
    mapping: Sequence[str | None] | None = None,
    defaults: Mapping[str, str] | None = None,
    region: str | None = None,
    create_regions: bool = False,
    wording: Wording | None = None,
    today: date | None = None,
) -> Generator[Progress, None, ImportReport]:
    """Yield progress while importing; return the report (see the module doc).

    ``sheet`` names the one sheet to read (found automatically when ``None``), ``sheets``
    several — or ``"all"``: every sheet of the ledger's layout, in one run. ``header_row`` is
    the row number as Excel shows it (found automatically when ``None``); ``mapping`` a field
    key (or ``None``) per column, overriding the automatic and the remembered mapping.
    ``defaults`` are the clerk's values for what the file does not say (field key or label →
    text as in a cell); ``region`` the county of rows naming none; ``create_regions`` allows
    counties the ledger does not hold yet (its first import creates them anyway).
    ``wording`` names the interface's own choices in messages. Raises
    :class:`SpreadsheetError` when the file cannot be read, :class:`ImportOptionError` for an
    option that cannot be used.
    """
    if on_duplicate not in ("stop", "update", "skip"):
        raise ValueError(f"unknown duplicate policy {on_duplicate!r}")
    refused = import_refused(session)  # a viewer: nothing to read the file for
    if refused:
        raise ImportOptionError(refused)
    path = Path(path)
    wording = wording or Wording()
    try:
        yield Progress(0, 0, f"正在读取“{path.name}”……")
    except ImportCancelled:
        return ImportReport(
            kind=kind, file=path.name, dry_run=dry_run, on_duplicate=on_duplicate, cancelled=True
        )
    try:
        if sheets is None:
            previews = [
                preview_import(kind, path, sheet=sheet, header_row=header_row, mapping=mapping)
            ]
            skipped: list[tuple[str, str]] = []
        else:
            names = None if sheets == ALL_SHEETS else list(sheets)
            previews, skipped = preview_sheets(
                kind, path, names, header_row=header_row, mapping=mapping
            )
    except NoHeaderError as exc:
        if exc.sheet is None:
            raise  # no sheet of the file holds the ledger: the file is not one
        # A sheet the clerk named holds no ledger: refused like a row, naming the sheet.
        report = ImportReport(kind=kind, file=path.name, sheet=exc.sheet, dry_run=dry_run,
                              on_duplicate=on_duplicate, wording=wording)
        report.errors.append(ImportProblem(exc.sheet, 1, "", "", str(exc)))
        return report
    first = previews[0]
    no_new = new_counties_refused(session)  # a county clerk adds no county
    hint = CreateHint(no_new or wording.create_regions)
    resolver = RegionResolver(session, create=create_regions and not no_new, hint=hint)
    overrides, region = _overrides(kind, defaults or {}, region, resolver)
    if region:
        resolver.adopt_city(region)
    report = ImportReport(
        kind=kind,
        file=path.name,
        sheet=first.sheet,
        header_row=first.header_row,
        dry_run=dry_run,
        on_duplicate=on_duplicate,
        profile=first.profile,
        wording=wording,
        skipped_sheets=[SheetSkipped(name, reason) for name, reason in skipped],
    )
    specs = field_map(kind)
    for preview in previews:
        columns, layout = preview.columns, preview.layout
        # Columns the 中国土地市场网 rules read are imported even when not mapped.
        read = {preview.headers[i] for i in layout.read_columns()} if layout else set()
        for header in columns.ignored:
            if header not in read and header not in report.ignored_columns:
                report.ignored_columns.append(header)
        for header in columns.duplicates:
            if header not in report.duplicate_columns:
                report.duplicate_columns.append(header)
        report.columns.update({c.header: specs[c.key].label for c in columns.columns if c.key})
        report.sources.append((preview.sheet, list(preview.header), list(preview.rows)))
        report.sheets.append(SheetRead(preview.sheet, preview.header_row, len(preview.rows)))
        for header, reason in columns.errors:
            report.errors.append(ImportProblem(preview.sheet, preview.header_row, header, "", reason))
    writer = ImportWriter(
        session,
        kind,
        report,
        user=user,
        source=f"导入:{path.name}",
        resolver=resolver,
        overrides=overrides,
        region=region,
        on_duplicate=on_duplicate,
        today=today or date.today(),
    )
    high_water = ledger_high_water(session, kind)
    total = sum(len(p.rows) for p in previews)
    savepoint = session.begin_nested()
    finished = False
    try:
        # A column the import looks records up by alone keeps its index while it inserts (keys
        # of several columns are unique constraints, whose indexes always stay).
        lookups = {keys[0] for keys in DUPLICATE_KEYS[kind] if len(keys) == 1}
        with bulk_writes(session), deferred_indexes(session, TABLES[kind], total, keep=lookups):
            done = 0
            for preview in previews:
                writer.begin_sheet(preview, title_lines(preview))
                rows = preview.rows
                for start in range(0, len(rows), CHUNK):
                    yield Progress(done, total, f"正在导入第 {done + 1}/{total} 行……")
                    with collector_paused():  # (not across a yield: the caller's time is its own)
                        whole = writer.import_rows(
                            rows[start : start + CHUNK], all_land_uses=all_land_uses
                        )
                    done += len(rows[start : start + CHUNK])
                    if not whole:
                        break  # MAX_ERRORS: the import is refused anyway
                if len(report.errors) >= MAX_ERRORS:
                    break
            writer.finish()
        yield Progress(total, total, "正在核对……")
        if not report.errors:
            report.changes.missing = missing_records(
                session, kind, writer.scope, writer.matched, high_water
            )
        finished = True
    except ImportCancelled:
        report.cancelled = True
    finally:
        if finished and not report.errors and not dry_run:
            savepoint.commit()
            report.written = True
        elif savepoint.is_active:
            savepoint.rollback()
    return report


def _overrides(
    kind: RecordKind, given: Mapping[str, str], region: str | None, resolver: RegionResolver
) -> tuple[dict[str, Any], str | None]:
    """The clerk's defaults by field key, parsed as a cell would be; a default for the county
    is the same as ``region``. Raises :class:`ImportOptionError`."""
    from landbank.services.importing.columns import match_header

    specs = field_map(kind)
    parser = ColumnParser(kind, {}, None, resolver)
    values: dict[str, Any] = {}
    for name, text in given.items():
        try:
            found = match_header(kind, name)
        except FieldError:
            found = None
        spec = found[0] if found is not None else specs.get(name)
        if spec is None or spec.read_only:
            raise ImportOptionError(f"默认值“{name}={text}”：没有名为“{name}”的{kind.label}字段")
        if spec.type is FieldType.REGION and spec.key == "region_id":
            region = text
            continue
        try:
            if kind is RecordKind.PARCEL and spec.key in ("readiness", "status"):
                pair = parcel_ladders(text, None) if spec.key == "readiness" else parcel_ladders(None, text)
                value: Any = pair[0] if spec.key == "readiness" else pair[1]
            else:
                value = parser.coerce(spec, text)
        except FieldError as exc:
            raise ImportOptionError(f"默认值“{spec.label}={text}”：{exc}") from None
        if value is None:
            raise ImportOptionError(f"默认值“{spec.label}={text}”：值为空")
        values[spec.key] = value
    return values, region

