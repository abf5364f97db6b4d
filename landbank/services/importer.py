"""Import parcels, factories or projects from a ledger file: all rows or none.

``iter_import`` is a generator: it yields :class:`Progress` as it goes and returns the
:class:`ImportReport` (``StopIteration.value``; the GUI runs it in a worker and shows a
progress dialog, the CLI prints a bar). ``import_records`` runs it to the end, passing each
progress to an optional callback that may return ``False`` to cancel.

Rows are handled in chunks of 2,000 (progress is yielded before each), column by column: one
parser per column, run once per distinct cell (ledgers repeat their values), then
:meth:`RecordBatch.check <landbank.services.record_batch.RecordBatch.check>` checks the new
records as ``create_record`` would (each field once per distinct value, references once per
distinct name) and the rows that pass are queued and written together through the database
driver with their audit entries. Any other row — a cell that does not parse, a check that
fails, a key already in the ledger or earlier in the file — goes the way of one record, in its
place in the file: the same parsing, then ``RecordBatch.add`` or
``create_record``/``update_record`` under the duplicate policy (validation, references,
duplicates and audit as in the GUI; audit source "导入:<file name>"), so its errors and what
is saved are exactly those of a row-by-row import. Everything happens inside one SAVEPOINT: a
row error, a duplicate under policy "stop", a dry run, an exception or a cancel rolls the
savepoint back and the database is exactly as before. Otherwise the savepoint is released and
the caller commits (functions flush, callers commit).

Duplicates (地块编号 per region or 电子监管号; 厂房编号 per region; 统一社会信用代码) follow the
policy: "stop" refuses the import naming each duplicate row, "skip" leaves the stored record,
"update" saves the row's non-empty cells over it (an empty cell never clears a stored value).

Regions the file names that are not yet known are created (kind from the name: …区 district,
…县/…市 county; in the order the rows name them, before the rows of their chunk are written)
and listed in the report. Parks and projects must exist.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.ledger_words import (
    factory_status,
    is_blank,
    parcel_ladders,
    parse_ledger_date,
    parse_ledger_number,
    project_stage,
)
from landbank.domain.validation import MAX_INT, FieldError, coerce
from landbank.services import landchina
from landbank.services.collector import collector_paused
from landbank.services.columns import ColumnMap
from landbank.services.errors import describe_error
from landbank.services.import_preview import ImportPreview, preview_import, row_values
from landbank.services.import_report import ImportProblem, ImportReport, Progress
from landbank.services.record_batch import RecordBatch
from landbank.services.records import ValidationFailed, create_record, update_record
from landbank.services.sheet_layout import DataRow
from landbank.services.spreadsheet import Cell, cell_text
from landbank.store.bulk import bulk_writes, deferred_indexes
from landbank.store.models import TABLES, RecordBase, Region

__all__ = [
    "DuplicatePolicy",
    "ImportCancelled",
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
WRITE_EVERY = CHUNK  # new records queued one by one are written at least this often
MAX_ERRORS = 5000  # beyond this the report stops listing (the import is refused anyway)
_NUMERIC = frozenset({bool, int, float})
_MISSING = object()

# The columns that identify a record already in the ledger (the duplicate policy applies).
DUPLICATE_KEYS: dict[RecordKind, tuple[tuple[str, ...], ...]] = {
    RecordKind.PARCEL: (("code", "region_id"), ("supervision_no",)),
    RecordKind.FACTORY: (("code", "region_id"),),
    RecordKind.PROJECT: (("credit_code",),),
}


class ImportCancelled(Exception):
    """Thrown into :func:`iter_import` (``gen.throw``) to cancel: it rolls back and returns."""


def import_records(
    session: Session,
    kind: RecordKind,
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    on_duplicate: DuplicatePolicy = "stop",
    dry_run: bool = False,
    user: str,
    all_land_uses: bool = False,
    mapping: Sequence[str | None] | None = None,
    progress: Callable[[Progress], bool | None] | None = None,
) -> ImportReport:
    """Run :func:`iter_import` to the end. ``progress`` returning ``False`` cancels (the
    report then says so and nothing is written). Raises :class:`SpreadsheetError` when the
    file cannot be read."""
    steps = iter_import(
        session,
        kind,
        path,
        sheet=sheet,
        header_row=header_row,
        on_duplicate=on_duplicate,
        dry_run=dry_run,
        user=user,
        all_land_uses=all_land_uses,
        mapping=mapping,
    )
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
    sheet: str | None = None,
    header_row: int | None = None,
    on_duplicate: DuplicatePolicy = "stop",
    dry_run: bool = False,
    user: str,
    all_land_uses: bool = False,
    mapping: Sequence[str | None] | None = None,
) -> Generator[Progress, None, ImportReport]:
    """Yield progress while importing; return the report (see the module doc).

    ``header_row`` is the row number as Excel shows it (found automatically when ``None``);
    ``mapping`` a field key (or ``None``) per column, overriding the automatic and the
    remembered mapping. Raises :class:`SpreadsheetError` when the file cannot be read.
    """
    if on_duplicate not in ("stop", "update", "skip"):
        raise ValueError(f"unknown duplicate policy {on_duplicate!r}")
    path = Path(path)
    try:
        yield Progress(0, 0, f"正在读取“{path.name}”……")
    except ImportCancelled:
        return ImportReport(
            kind=kind, file=path.name, dry_run=dry_run, on_duplicate=on_duplicate, cancelled=True
        )
    preview = preview_import(kind, path, sheet=sheet, header_row=header_row, mapping=mapping)
    columns, layout, rows = preview.columns, preview.layout, preview.rows
    # Columns the 中国土地市场网 rules read are imported even when not mapped.
    landchina_read = {preview.headers[i] for i in layout.read_columns()} if layout else set()
    report = ImportReport(
        kind=kind,
        file=path.name,
        sheet=preview.sheet,
        header_row=preview.header_row,
        dry_run=dry_run,
        on_duplicate=on_duplicate,
        header=preview.header,
        ignored_columns=[
            h for h in columns.ignored if not layout or h not in landchina_read
        ],
        duplicate_columns=columns.duplicates,
        profile=preview.profile,
        data_rows=list(rows),  # DataRow is (number, cells)
    )
    specs = field_map(kind)
    report.columns = {c.header: specs[c.key].label for c in columns.columns if c.key}
    for header, reason in columns.errors:
        report.errors.append(ImportProblem(preview.sheet, preview.header_row, header, "", reason))
    writer = _Writer(session, kind, report, columns, layout, user, f"导入:{path.name}")
    savepoint = session.begin_nested()
    finished = False
    try:
        # A column the import looks records up by alone keeps its index while it inserts (keys
        # of several columns are unique constraints, whose indexes always stay).
        lookups = {keys[0] for keys in DUPLICATE_KEYS[kind] if len(keys) == 1}
        with bulk_writes(session), deferred_indexes(session, TABLES[kind], len(rows), keep=lookups):
            for start in range(0, len(rows), CHUNK):
                yield Progress(start, len(rows), f"正在导入第 {start + 1}/{len(rows)} 行……")
                chunk = rows[start : start + CHUNK]
                with collector_paused():  # (not across a yield: the caller's time is its own)
                    whole = writer.import_rows(chunk, on_duplicate=on_duplicate, all_land_uses=all_land_uses)
                if not whole:
                    break  # MAX_ERRORS: the import is refused anyway
            writer.write()
        yield Progress(len(rows), len(rows), "正在核对……")
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


class _Writer:
    """Turns rows into values and saves them; keeps the counts and errors of the report."""

    def __init__(
        self,
        session: Session,
        kind: RecordKind,
        report: ImportReport,
        columns: ColumnMap,
        layout: landchina.LandchinaLayout | None,
        user: str,
        source: str,
    ) -> None:
        self.session = session
        self.kind = kind
        self.report = report
        self.columns = columns
        self.layout = layout
        self.user = user
        self.source = source
        self.specs = field_map(kind)
        self.by_key = columns.by_key()
        self.regions: dict[str, int] = {
            name: region_id
            for region_id, name in session.execute(select(col(Region.id), col(Region.name))).all()
        }
        # New records are checked column by column and inserted together; any other row goes
        # the way of one record (its errors, the duplicate policy).
        self.batch = RecordBatch(session, kind, user=user, source=source)
        # Per field (and the numeric type of its cells): cell → parsed value; cells refused.
        self._parsed: dict[tuple[str, type | None], dict[Any, Any]] = {}
        self._refused: dict[tuple[str, type | None], set[Any]] = {}
        self._ladders: dict[tuple[Any, Any], Any] = {}  # (readiness, status) or None: refused
        self._misses: dict[str, tuple[int, int]] = {}  # per field: cells parsed, cells new
        self._unique: set[str] = set()  # fields whose cells hardly repeat (codes): no cache

    def write(self) -> None:
        """Insert the new records checked so far (before anything else is written)."""
        self.batch.write()

    # ------------------------------------------------------------ many rows, column by column

    def import_rows(self, rows: Sequence[DataRow], *, on_duplicate: str, all_land_uses: bool) -> bool:
        """Import ``rows`` (in file order); ``False`` when the errors reached MAX_ERRORS."""
        if self.layout is not None and not all_land_uses:
            layout = self.layout
            kept = [i for i, row in enumerate(rows) if landchina.is_industrial(layout, row.cells)]
        else:
            kept = list(range(len(rows)))
        picked = [rows[i].cells for i in kept]
        raw, bad = self._raw_columns(picked)
        values = self._parse_columns(raw, bad)
        good = [j for j in range(len(picked)) if j not in bad] if bad else None
        given = {
            key: column if good is None else [column[j] for j in good]
            for key, column in values.items()
        }
        self._resolve_regions(given)
        checked = self.batch.check(given, len(picked) - len(bad))
        if len(kept) == len(rows) and not bad and all(checked.ok):  # the usual chunk
            self.report.rows += len(rows)
            self.report.created += len(rows)
            self.batch.queue(checked, range(len(rows)))
            self.write()
            return True
        run: list[int] = []  # rows of ``checked`` passed, waiting to be queued in order
        done = 0  # rows of the chunk handled
        g = 0  # in ``checked``
        for j, index in enumerate(kept):
            self.report.skipped_other_uses += index - done  # rows of other uses before this one
            done = index + 1
            self.report.rows += 1
            if j in bad:
                self.batch.queue(checked, run)
                run = []
                self._import_one(rows[index], on_duplicate)
            else:
                if checked.ok[g]:
                    run.append(g)
                    self.report.created += 1
                else:
                    self.batch.queue(checked, run)
                    run = []
                    row_raw = {key: column[j] for key, column in raw.items()}
                    row_values = {key: column[j] for key, column in values.items()}
                    self._save(rows[index], row_raw, row_values, on_duplicate)
                g += 1
            if len(self.report.errors) >= MAX_ERRORS:
                self.batch.queue(checked, run)
                return False
        self.report.skipped_other_uses += len(rows) - done
        self.batch.queue(checked, run)
        self.write()
        return True

    def _raw_columns(self, rows: Sequence[list[Cell]]) -> tuple[dict[str, Sequence[Any]], set[int]]:
        """The cells of each mapped field (then those a 中国土地市场网 file gives, see
        :func:`landchina.adapt_row`); rows whose cells cannot be adapted are the bad ones."""
        raw: dict[str, Sequence[Any]] = {}
        widths = set(map(len, rows))
        if len(widths) == 1:  # every row as wide (Excel): transposed at once
            transposed = list(zip(*rows, strict=True))
            for key, column in self.by_key.items():
                raw[key] = transposed[column.index] if column.index < len(transposed) else (None,) * len(rows)
        else:
            for key, column in self.by_key.items():
                i = column.index
                raw[key] = [cells[i] if i < len(cells) else None for cells in rows]
        bad: set[int] = set()
        if self.layout is None:
            return raw, bad
        adapted: list[dict[str, object]] = []
        for j, cells in enumerate(rows):
            try:
                adapted.append(landchina.adapt_row(self.layout, cells))
            except FieldError:
                adapted.append({})
                bad.add(j)
        keys = dict.fromkeys(k for values in adapted for k in values)
        for key in keys:
            base = raw.get(key) or [None] * len(rows)
            raw[key] = [values.get(key, cell) for values, cell in zip(adapted, base, strict=True)]
        return raw, bad

    def _parse_columns(self, raw: dict[str, Sequence[Any]], bad: set[int]) -> dict[str, list[Any]]:
        """Each column through :meth:`_coerce`, once per distinct cell; rows with a cell that
        does not parse are added to ``bad``."""
        values: dict[str, list[Any]] = {}
        ladders = self.kind is RecordKind.PARCEL and ("readiness" in raw or "status" in raw)
        for key, cells in raw.items():
            if ladders and key in ("readiness", "status"):
                continue  # both decided together below, as _values does
            values[key] = self._parse_column(self.specs[key], cells, bad)
        if ladders:
            count = len(next(iter(raw.values())))
            pairs = list(
                zip(
                    raw.get("readiness") or [None] * count,
                    raw.get("status") or [None] * count,
                    strict=True,
                )
            )
            numeric = bool(
                (set(map(type, raw.get("readiness") or ())) | set(map(type, raw.get("status") or ())))
                & _NUMERIC
            )
            cache = self._ladders if not numeric else {}  # True == 1 == 1.0: not shared
            readiness: list[str | None] = []
            status: list[str | None] = []
            for j, pair in enumerate(pairs):
                found = cache.get(pair, _MISSING)
                if found is _MISSING:
                    try:
                        found = parcel_ladders(_text_or_none(pair[0]), _text_or_none(pair[1]))
                    except FieldError:
                        found = None  # _values gives the reason
                    cache[pair] = found
                if found is None:
                    bad.add(j)
                    readiness.append(None)
                    status.append(None)
                else:
                    readiness.append(found[0])
                    status.append(found[1])
            values["readiness"], values["status"] = readiness, status
        return values

    def parser(self, spec: FieldSpec) -> Callable[[object], Any]:
        """:meth:`_coerce` for one field, chosen once per column: a one-line text (most
        columns of a ledger, and the codes, each different) the short way, the same result."""
        column = self.by_key.get(spec.key)
        if spec.type is FieldType.FLOAT and (column is None or not column.unit):
            # A number cell under a header without a unit is itself (as parse_ledger_number).
            return lambda cell: cell if type(cell) is float else self._coerce(spec, cell)
        if spec.type is not FieldType.TEXT:
            return lambda cell: self._coerce(spec, cell)

        def text(cell: object) -> Any:
            if type(cell) is str:
                if len(cell) > 4 and cell.isascii() and " " not in cell and cell.isprintable():
                    return cell  # no whitespace at all (codes): nothing to squeeze, not blank
                return None if is_blank(cell) else (" ".join(cell.split()) or None)
            return self._coerce(spec, cell)

        return text

    def _parse_column(self, spec: FieldSpec, cells: Sequence[Any], bad: set[int]) -> list[Any]:
        """:meth:`_coerce` of each cell (``None`` where it refuses one; the row joins ``bad``),
        once per distinct cell while the column repeats itself."""
        coerce = self.parser(spec)
        numeric = set(map(type, cells)) & _NUMERIC  # (not of set(cells): 1 == 1.0 == True)
        if len(numeric) > 1 or spec.key in self._unique:
            # True == 1 == 1.0 cannot share a cache; a column of codes gains nothing by one.
            out: list[Any] = []
            for j, cell in enumerate(cells):
                try:
                    out.append(coerce(cell))
                except FieldError:
                    out.append(None)
                    bad.add(j)
            return out
        kind_of_number = next(iter(numeric), None)
        cache = self._parsed.setdefault((spec.key, kind_of_number), {None: None})
        refused = self._refused.setdefault((spec.key, kind_of_number), set())
        missing = set(cells).difference(cache)
        for cell in missing:
            try:
                cache[cell] = coerce(cell)
            except FieldError:
                cache[cell] = None
                refused.add(cell)
        out = list(map(cache.__getitem__, cells))
        if refused:
            bad.update(j for j, cell in enumerate(cells) if cell in refused)
        seen, new = self._misses.get(spec.key, (0, 0))
        seen, new = seen + len(cells), new + len(missing)
        self._misses[spec.key] = (seen, new)
        if seen >= 2 * CHUNK and new > 0.9 * seen:  # nearly every cell new: stop caching
            self._unique.add(spec.key)
            self._parsed.pop((spec.key, kind_of_number), None)
            self._refused.pop((spec.key, kind_of_number), None)
        return out

    def _resolve_regions(self, columns: dict[str, list[Any]]) -> None:
        """Regions named by the rows → ids, unknown ones created in the order the rows name
        them (as :meth:`_save` does, before checking the row)."""
        for key, column in columns.items():
            if self.specs[key].type is not FieldType.REGION:
                continue
            # One RegionRef per distinct cell (the parse cache): told apart by identity, which
            # is cheaper than hashing a dataclass on every row.
            ids: dict[int, int] = {}
            for ref in column:
                if isinstance(ref, landchina.RegionRef) and id(ref) not in ids:
                    ids[id(ref)] = self._region_id(ref)
            if ids:
                columns[key] = [ids.get(id(ref), ref) for ref in column]

    # ------------------------------------------------------------ one row

    def _import_one(self, row: DataRow, on_duplicate: str) -> None:
        """One row the way of a single record (its cells parsed and reported one by one)."""
        try:
            raw = row_values(self.by_key, self.layout, row.cells)
        except FieldError as exc:
            self._problem(row, "", "", str(exc))
            return
        values, errors = self._values(row, raw)
        if errors:
            return
        self._save(row, raw, values, on_duplicate)

    def _header(self, key: str) -> str:
        column = self.by_key.get(key)
        return column.header if column is not None else self.specs[key].header

    def _problem(self, row: DataRow, column: str, value: str, reason: str) -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(ImportProblem(self.report.sheet, row.number, column, value, reason))

    def _values(self, row: DataRow, raw: dict[str, object]) -> tuple[dict[str, Any], bool]:
        values: dict[str, Any] = {}
        failed = False
        for key, cell in raw.items():
            spec = self.specs[key]
            try:
                values[key] = self._coerce(spec, cell)
            except FieldError as exc:
                shown = cell_text(cell)
                self._problem(row, self._header(key), shown, str(exc).removeprefix(f"“{shown}”"))
                failed = True
        if self.kind is RecordKind.PARCEL and ("readiness" in raw or "status" in raw):
            try:
                values["readiness"], values["status"] = parcel_ladders(
                    _text_or_none(raw.get("readiness")), _text_or_none(raw.get("status"))
                )
            except FieldError as exc:
                key = "status" if "status" in raw else "readiness"
                self._problem(row, self._header(key), cell_text(raw.get(key)), str(exc))
                failed = True
        return values, failed

    def _coerce(self, spec: FieldSpec, cell: object) -> Any:
        if isinstance(cell, landchina.RegionRef):
            return cell
        if is_blank(cell):
            return None
        column = self.by_key.get(spec.key)
        unit = column.unit if column is not None else None
        match spec.type:
            case FieldType.FLOAT | FieldType.INT:
                value = parse_ledger_number(cell, spec.quantity, unit)
                if spec.type is FieldType.INT and value is not None:
                    if value != int(value) or abs(value) > MAX_INT:
                        raise FieldError("应为整数")
                    return int(value)
                return value
            case FieldType.DATE:
                return parse_ledger_date(cell)
            case FieldType.REGION:
                return landchina.region_ref(cell_text(cell))
            case FieldType.CHOICE if spec.key in ("readiness", "status") and self.kind is RecordKind.PARCEL:
                return cell_text(cell)  # both ladders decided together (parcel_ladders)
            case FieldType.CHOICE if spec.key == "status" and self.kind is RecordKind.FACTORY:
                return factory_status(cell_text(cell))
            case FieldType.CHOICE if spec.key == "stage":
                return project_stage(cell_text(cell))
            case FieldType.BOOL if not isinstance(cell, bool):
                return coerce(spec, cell_text(cell))  # 1.0 from Excel is "1"
            case FieldType.TEXT | FieldType.LONG_TEXT | FieldType.PARK | FieldType.PROJECT:
                return coerce(spec, cell_text(cell) if not isinstance(cell, str) else cell)
        return coerce(spec, cell)

    # ------------------------------------------------------------ regions and duplicates

    def _region_id(self, ref: landchina.RegionRef) -> int:
        found = self.regions.get(ref.name)
        if found is not None:
            return found
        self.write()
        region = create_record(
            self.session,
            RecordKind.REGION,
            {"name": ref.name, "kind": ref.kind.value, "city": ref.city},
            user=self.user,
            source=self.source,
        )
        assert region.id is not None
        self.regions[ref.name] = region.id
        self.report.new_regions.append(ref.name)
        return region.id

    def _existing(self, values: dict[str, Any]) -> RecordBase | None:
        table = TABLES[self.kind]
        for keys in DUPLICATE_KEYS[self.kind]:
            if any(values.get(k) in (None, "") for k in keys):
                continue
            stmt = select(table).where(*(getattr(table, k) == values[k] for k in keys))
            found: RecordBase | None = self.session.execute(stmt.limit(1)).scalars().first()
            if found is not None:
                return found
        return None

    def _duplicate_key(self, values: dict[str, Any], existing: RecordBase) -> str:
        """The field by which ``existing`` duplicates ``values`` (地块编号, 电子监管号 …)."""
        for keys in DUPLICATE_KEYS[self.kind]:
            if all(values.get(k) not in (None, "") and getattr(existing, k) == values[k] for k in keys):
                return keys[0]
        return DUPLICATE_KEYS[self.kind][0][0]

    # ------------------------------------------------------------ saving

    def _save(self, row: DataRow, raw: dict[str, object], values: dict[str, Any], policy: str) -> None:
        for key, value in list(values.items()):
            if isinstance(value, landchina.RegionRef):
                values[key] = self._region_id(value)
        given = {k: v for k, v in values.items() if v is not None}
        try:
            if not self.batch.known(given):
                self.batch.add(given)
                self.report.created += 1
                if self.batch.pending >= WRITE_EVERY:
                    self.write()
                return
            self.write()
            existing = self._existing(given)
            if existing is None:
                create_record(self.session, self.kind, given, user=self.user, source=self.source)
                self.batch.remember(given)
                self.report.created += 1
                return
            if policy == "skip":
                self.report.skipped_duplicates += 1
                return
            if policy == "stop":
                key = self._duplicate_key(given, existing)
                scope = "本县区" if "region_id" in DUPLICATE_KEYS[self.kind][0] and key == "code" else ""
                self._problem(
                    row,
                    self._header(key),
                    str(given[key]),
                    f"{scope}已有{self.specs[key].label}相同的{self.kind.label}"
                    "（重复；可选择“更新”或“跳过”重复记录）",
                )
                return
            assert existing.id is not None
            before = existing.version
            updated = update_record(
                self.session,
                self.kind,
                existing.id,
                given,
                expected_version=before,
                user=self.user,
                source=self.source,
            )
            self.batch.remember(given)
            if updated.version != before:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        except ValidationFailed as exc:
            for key, reason in exc.errors.by_field.items():
                header = self._header(key) if key in self.specs else key
                cell = raw.get(key)
                shown = cell.name if isinstance(cell, landchina.RegionRef) else cell_text(cell)
                self._problem(row, header, shown, reason.removeprefix(f"“{shown}”"))
        except IntegrityError as exc:
            self._problem(row, "", "", describe_error(exc))
            raise


def _text_or_none(value: object) -> str | None:
    return None if is_blank(value) else cell_text(value)
