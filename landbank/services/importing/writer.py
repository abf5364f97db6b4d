"""Rows of a ledger file → records: defaults filled, counties and parks found or created, every
problem of a row reported, and what changes in the ledger listed (see :mod:`importer`).

:class:`ImportWriter` takes the rows of one sheet after another. Per chunk of rows it parses the
cells column by column (:class:`~landbank.services.importing.parse.ColumnParser`), gives rows
naming no county the file's county (:mod:`places`), fills the declared defaults, creates the
parks the file names, refuses a key given twice in the file or another county's row for a county
clerk (:mod:`county_rights`), notes implausible values, and checks the new records together
(:meth:`RecordBatch.check`): those that pass are written together; any other row goes the way of
one record (its problems all reported at once, or the duplicate policy applied).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_map
from landbank.domain.validation import FieldError, validate_record
from landbank.services.errors import describe_error
from landbank.services.importing import landchina
from landbank.services.importing.changes import Scope, record_code, scope_column
from landbank.services.importing.county_rights import CountyGuard
from landbank.services.importing.defaults import CodeMaker, DefaultsTally, RowDefaults
from landbank.services.importing.parse import ColumnParser
from landbank.services.importing.places import RowPlaces
from landbank.services.importing.preview import ImportPreview
from landbank.services.importing.record_batch import RecordBatch
from landbank.services.importing.regions import RegionResolver
from landbank.services.importing.report import ImportProblem, ImportReport
from landbank.services.importing.row_checks import (
    duplicate_key,
    existing_record,
    implausible,
    repeated_in_file,
)
from landbank.services.importing.sheet_layout import DataRow
from landbank.services.importing.spreadsheet import cell_text
from landbank.services.records.checks import resolve_references
from landbank.services.records.saving import ValidationFailed, record_values, update_record
from landbank.store.models import Project, RecordBase

MAX_ERRORS = 5000  # beyond this the report stops listing (the import is refused anyway)
WRITE_EVERY = 2000  # new records queued one by one are written at least this often

class ImportWriter:
    """Turns rows into records and keeps the counts, lists and problems of the report."""

    def __init__(
        self,
        session: Session,
        kind: RecordKind,
        report: ImportReport,
        *,
        user: str,
        source: str,
        resolver: RegionResolver,
        overrides: Mapping[str, Any],
        region: str | None,
        on_duplicate: str,
        today: date,
    ) -> None:
        self.session = session
        self.kind = kind
        self.report = report
        self.user = user
        self.source = source
        self.resolver = resolver
        self.on_duplicate = on_duplicate
        self.specs = field_map(kind)
        self.batch = RecordBatch(session, kind, user=user, source=source)
        self.places = RowPlaces(
            session, kind, report, self.batch, user=user, source=source, resolver=resolver, region=region
        )
        self.guard = CountyGuard(session, kind, self.places.regions, self._problem, self._header)
        self.tally = DefaultsTally(kind)
        self.defaults = RowDefaults(
            kind,
            self.tally,
            CodeMaker(session, kind),
            overrides=overrides,
            short_name=self.places.short_name,
            today=today,
        )
        self.parser: ColumnParser | None = None
        self.sheet = ""
        self.by_key: dict[str, Any] = {}
        self.layout: landchina.LandchinaLayout | None = None
        self.scope = Scope()
        self.matched: set[int] = set()
        self._in_file: dict[tuple[Any, ...], tuple[str, int]] = {}
        # Keys the ledger holds that are not unique in the database (a project's name in its
        # county): such a row is never new, whatever RecordBatch knows.
        self._ledger_keys: set[tuple[Any, ...]] = set()
        if kind is RecordKind.PROJECT:
            self._ledger_keys = {
                (name, region_id)
                for name, region_id in session.execute(
                    select(col(Project.name), col(Project.region_id))
                )
            }

    # ------------------------------------------------------------ sheets

    def begin_sheet(self, preview: ImportPreview, title: Sequence[str]) -> None:
        """The next sheet: its columns, its county (for rows naming none)."""
        columns = preview.columns.by_key()
        self.sheet = preview.sheet
        self.by_key = dict(columns)
        self.layout = preview.layout
        if self.parser is None:
            self.parser = ColumnParser(self.kind, columns, preview.layout, self.resolver)
        else:
            self.parser.use_sheet(columns, preview.layout)
        self.places.begin_sheet(preview, title)

    # ------------------------------------------------------------ many rows

    def import_rows(self, rows: Sequence[DataRow], *, all_land_uses: bool) -> bool:
        """Import ``rows`` (in file order); ``False`` when the errors reached MAX_ERRORS."""
        parser = self.parser
        assert parser is not None, "begin_sheet first"
        kept = self._kept(rows, all_land_uses)
        picked = [rows[i].cells for i in kept]
        raw, bad = parser.raw_columns(picked)
        values = parser.parse_columns(raw, bad)
        raw_good: Mapping[str, Sequence[Any]]
        if bad:
            good = [j for j in range(len(picked)) if j not in bad]
            given = {key: [column[j] for j in good] for key, column in values.items()}
            raw_good = {key: [column[j] for j in good] for key, column in raw.items()}
            good_rows = [rows[kept[j]] for j in good]
        else:  # the usual chunk: every row parsed, the columns as they are
            given, raw_good = values, raw
            good_rows = [rows[k] for k in kept]
        count = len(good_rows)
        self._prepare(given, raw_good, count)
        refused = self._repeated_in_file(given, good_rows)
        self.report.warnings.extend(
            implausible(self.kind, given, good_rows, self.sheet, self._header)
        )
        checked = self.batch.check(given, count)
        for g in refused | self.guard.others(checked.columns["region_id"]):
            checked.ok[g] = False  # (another county's row: reported by _save)
        if self._ledger_keys:
            for g, key in enumerate(zip(given.get("name") or [None] * count,
                                        checked.columns["region_id"], strict=True)):
                if key in self._ledger_keys:
                    checked.ok[g] = False
        part = scope_column(self.kind)
        for region_id, piece in zip(
            checked.columns["region_id"],
            checked.columns[part] if part else [None] * count,
            strict=True,
        ):
            self.scope.add(region_id, piece)
        self.report.rows += len(kept)
        run: list[int] = []  # rows of ``checked`` passed, waiting to be queued in order
        codes = checked.columns.get("name" if self.kind is RecordKind.PROJECT else "code")
        names = checked.columns.get("name") if self.kind is RecordKind.FACTORY else None
        add_created, sheet = self.report.changes.add_created, self.sheet
        g = 0
        for j in range(len(picked)):
            row = rows[kept[j]]
            if j in bad:
                self.batch.queue(checked, run)
                run = []
                self._import_one(row)
            else:
                if g in refused:
                    pass  # reported: a key the file gives twice
                elif checked.ok[g]:
                    run.append(g)
                    self.report.created += 1
                    add_created(codes[g] if codes else None, names[g] if names else None, sheet, row.number)
                else:
                    self.batch.queue(checked, run)
                    run = []
                    self._save(row, {k: v[g] for k, v in given.items()})
                g += 1
            if len(self.report.errors) >= MAX_ERRORS:
                self.batch.queue(checked, run)
                return False
        self.batch.queue(checked, run)
        self.write()
        return True

    def _kept(self, rows: Sequence[DataRow], all_land_uses: bool) -> list[int]:
        """The rows this import takes: of a 中国土地市场网 file the industrial ones (unless
        every use is asked for) placed in the ledger's city."""
        layout = self.layout
        if layout is None:
            return list(range(len(rows)))
        kept = []
        for i, row in enumerate(rows):
            if not all_land_uses and not landchina.is_industrial(layout, row.cells):
                self.report.skipped_other_uses += 1
                continue
            place = landchina.row_region(layout, row.cells)
            if place is not None and self.resolver.outside_city(place):
                self.report.skipped_outside_city += 1
                continue
            kept.append(i)
        return kept

    def _prepare(self, given: dict[str, list[Any]], raw: Mapping[str, Sequence[Any]], count: int) -> None:
        """What every row goes through after parsing: its county, the defaults, remarks kept
        in 备注, parks created."""
        regions = given.setdefault("region_id", [None] * count)
        self.places.fill_sheet_county(regions, self.tally, self._problem)
        self.places.resolve_regions(given, self.specs)
        self.defaults.fill(given, raw, count, sheet=self.sheet)
        parser = self.parser
        assert parser is not None
        parser.remarks_into_notes(given, raw, count, self._header)
        self.places.ensure_parks(given)

    def _repeated_in_file(self, given: Mapping[str, list[Any]], rows: Sequence[DataRow]) -> set[int]:
        """Rows naming a record an earlier row of the file named (see
        :func:`row_checks.repeated_in_file`), each reported."""
        refused, problems = repeated_in_file(
            self.kind, given, rows, self.sheet, self._in_file, self._header
        )
        for problem in problems:
            self._problem(problem.row, problem.column, problem.value, problem.reason)
        return refused

    # ------------------------------------------------------------ one row

    def _import_one(self, row: DataRow) -> None:
        """A row with a cell that does not parse: every problem of the row reported."""
        parser = self.parser
        assert parser is not None
        try:
            raw, values, failed = parser.row_values(row.cells)
        except FieldError as exc:
            self._problem(row.number, "", "", str(exc))
            return
        for key, reason in failed.items():
            self._problem(row.number, self._header(key), _shown(raw.get(key)), reason)
        columns = {key: [value] for key, value in values.items()}
        # A row refused anyway lists no defaults (its other checks still run on them).
        tally = self.tally
        if failed:
            self.tally = self.defaults.tally = DefaultsTally(self.kind)
        try:
            self._prepare(columns, {k: [v] for k, v in raw.items()}, 1)
        except FieldError as exc:
            self._problem(row.number, "", "", str(exc))
            return
        finally:
            self.tally = self.defaults.tally = tally
        given = {key: column[0] for key, column in columns.items()}
        if failed:
            self._other_problems(row, given, raw, set(failed))
            return
        if self._repeated_in_file({k: [v] for k, v in given.items()}, [row]):
            return
        self._save(row, given)

    def _other_problems(
        self, row: DataRow, given: Mapping[str, Any], raw: Mapping[str, object], failed: set[str]
    ) -> None:
        """The checks a row with refused cells fails besides (required, ranges, references,
        contradictions, another county's row), so the clerk sees them all in one run."""
        self.guard.refused(row.number, given.get("region_id"))
        data = {spec.key: None for spec in FIELDS[self.kind] if not spec.read_only}
        data.update({k: v for k, v in given.items() if k in data and not isinstance(v, landchina.RegionRef)})
        resolved, ref_errors = resolve_references(self.session, self.kind, data, self.batch.lookup)
        errors = {**ref_errors, **validate_record(self.kind, resolved).by_field}
        for key, reason in errors.items():
            if key in failed or (key in ("readiness", "status") and failed & {"readiness", "status"}):
                continue
            self._problem(row.number, self._header(key), _shown(raw.get(key)), reason)

    def _save(self, row: DataRow, values: dict[str, Any]) -> None:
        for key, value in list(values.items()):
            if isinstance(value, landchina.RegionRef):
                values[key] = self.places.region_id(value)
        given = {k: v for k, v in values.items() if v is not None}
        if self.guard.refused(row.number, given.get("region_id")):
            return
        try:
            existing = None
            if self._maybe_known(given):
                self.write()
                existing = existing_record(self.session, self.kind, given)
            if existing is None:
                self.batch.add(given)
                self._created(row, given)
                if self.batch.pending >= WRITE_EVERY:
                    self.write()
                return
            assert existing.id is not None
            self.matched.add(existing.id)
            if self.on_duplicate == "skip":
                self.report.skipped_duplicates += 1
                return
            if self.on_duplicate == "stop":
                key = duplicate_key(self.kind, given, existing)
                scope = "本县区" if key in ("code", "name") else ""
                self._problem(
                    row.number,
                    self._header(key),
                    str(given[key]),
                    f"{scope}已有{self.specs[key].label}相同的{self.kind.label}"
                    f"（重复）{self.report.wording.on_duplicate}",
                )
                return
            if not self.guard.refused(row.number, getattr(existing, "region_id", None)):
                self._update(row, existing, given)
        except ValidationFailed as exc:
            for key, reason in exc.errors.by_field.items():
                header = self._header(key) if key in self.specs else key
                shown = self._shown_cell(row, key)
                self._problem(row.number, header, shown, reason.removeprefix(f"“{shown}”"))
        except IntegrityError as exc:
            self._problem(row.number, "", "", describe_error(exc))
            raise

    def _update(self, row: DataRow, existing: RecordBase, given: dict[str, Any]) -> None:
        assert existing.id is not None
        self.write()
        before = record_values(self.kind, existing)
        version = existing.version
        updated = update_record(
            self.session,
            self.kind,
            existing.id,
            given,
            expected_version=version,
            user=self.user,
            source=self.source,
            ladder_skips=True,
        )
        self.batch.remember(given)
        if updated.version == version:
            self.report.unchanged += 1
            self.report.changes.unchanged += 1
            return
        self.report.updated += 1
        after = record_values(self.kind, updated)
        self.report.changes.add_updated(self.session, self.kind, before, after, self.sheet, row.number)

    def _created(self, row: DataRow, values: Mapping[str, Any]) -> None:
        self._created_code(row, record_code(self.kind, values), self._name(values))

    def _created_code(self, row: DataRow, code: Any, name: Any) -> None:
        """A record the import creates, in the change list (:meth:`import_rows` adds the rows
        of a chunk itself, their code and name straight from the checked columns)."""
        self.report.created += 1
        self.report.changes.add_created(code, name, self.sheet, row.number)

    def _name(self, values: Mapping[str, Any]) -> Any:
        """The name a factory's label adds to its code (others are known by their code)."""
        return values.get("name") if self.kind is RecordKind.FACTORY else None

    def _shown_cell(self, row: DataRow, key: str) -> str:
        column = self.by_key.get(key)
        if column is None or column.index >= len(row.cells):
            return ""
        return cell_text(row.cells[column.index])

    # ------------------------------------------------------------ writing and duplicates

    def write(self) -> None:
        """Insert the new records checked so far (before anything else is written)."""
        self.batch.write()

    def _maybe_known(self, values: Mapping[str, Any]) -> bool:
        if self.batch.known(values):
            return True
        if self.kind is RecordKind.PROJECT:
            return (values.get("name"), values.get("region_id")) in self._ledger_keys
        return False

    # ------------------------------------------------------------ reporting

    def _header(self, key: str) -> str:
        column = self.by_key.get(key)
        return column.header if column is not None else self.specs[key].header

    def _problem(self, row: int, column: str, value: str, reason: str) -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(ImportProblem(self.sheet, row, column, value, reason))

    def finish(self) -> None:
        """The defaults applied, the counties recognised, after the last sheet."""
        self.write()
        self.report.defaults = self.tally.applied()
        self.report.recognised_regions = dict(self.resolver.recognised)
        # In the file's order (a key given twice is found before its row is reached).
        order = {sheet.name: i for i, sheet in enumerate(self.report.sheets)}
        for problems in (self.report.errors, self.report.warnings):
            problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))


def _shown(cell: object) -> str:
    """A cell as the clerk wrote it (a region a 中国土地市场网 row derives, by its name)."""
    return cell.name if isinstance(cell, landchina.RegionRef) else cell_text(cell)
