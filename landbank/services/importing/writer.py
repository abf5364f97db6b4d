"""Rows of a ledger file → records: defaults filled, counties and parks found or created, every
problem of a row reported, and what changes in the ledger listed (see :mod:`importer`).

:class:`ImportWriter` takes the rows of one sheet after another. Per chunk of rows it parses
the cells column by column (:class:`~landbank.services.importing.parse.ColumnParser`), gives the
rows that name no county the file's county (the clerk's ``--region``, the county in the title
rows, or for projects the city's own leads), fills the declared defaults
(:mod:`import_defaults`), creates the parks the file names, refuses a key given twice in the
file, notes implausible values, and checks the new records together
(:meth:`RecordBatch.check`): those that pass are written together; any other row — a cell that
does not parse, a check that fails, a record already in the ledger — goes the way of one record
(its problems all reported at once, or the duplicate policy applied).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind, RegionKind
from landbank.domain.fields import FIELDS, FieldType, field_map
from landbank.domain.validation import FieldError, validate_record
from landbank.services.errors import describe_error
from landbank.services.importing import landchina
from landbank.services.importing.changes import (
    RecordChange,
    Scope,
    field_changes,
    record_code,
    scope_column,
)
from landbank.services.importing.defaults import CodeMaker, DefaultsTally, RowDefaults
from landbank.services.importing.parse import ColumnParser
from landbank.services.importing.preview import ImportPreview
from landbank.services.importing.record_batch import RecordBatch
from landbank.services.importing.regions import CITY_LEADS, RegionResolver
from landbank.services.importing.report import ImportProblem, ImportReport
from landbank.services.importing.row_checks import DUPLICATE_KEYS, implausible, repeated_in_file
from landbank.services.importing.sheet_layout import DataRow
from landbank.services.importing.spreadsheet import cell_text
from landbank.services.records.saving import (
    ValidationFailed,
    create_record,
    record_values,
    resolve_references,
    update_record,
)
from landbank.store.models import TABLES, Project, RecordBase, Region

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
        self.region_option = region
        self.regions: dict[str, int] = {
            name: region_id
            for region_id, name in session.execute(select(col(Region.id), col(Region.name))).all()
        }
        self.batch = RecordBatch(session, kind, user=user, source=source)
        self.tally = DefaultsTally(kind)
        self.defaults = RowDefaults(
            kind,
            self.tally,
            CodeMaker(session, kind),
            overrides=overrides,
            short_name=partial(_short_name, self.regions, resolver),  # not a method: no cycle
            today=today,
        )
        self.parser: ColumnParser | None = None
        self.sheet = ""
        self.by_key: dict[str, Any] = {}
        self.region_default: landchina.RegionRef | None = None
        self.region_reason = ""
        # (row, text, what, county name) of a sheet county not resolved yet.
        self._region_pending: tuple[int, str, str, str] | None = None
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
        self.region_default, self.region_reason = self._sheet_region(preview, title)

    def _sheet_region(
        self, preview: ImportPreview, title: Sequence[str]
    ) -> tuple[landchina.RegionRef | None, str]:
        """The county of the sheet's rows that name none: the clerk's, the title's, or for
        projects the city's own leads. Resolved when a row needs it (a title naming a county
        the ledger lacks is no problem while every row names its own)."""
        self._region_pending = None
        if self.region_option:
            self._region_pending = (preview.header_row, self.region_option, "指定的县区", self.region_option)
            return None, "按指定的县区"
        for number, text in enumerate(title, start=1):
            county = self.resolver.gazetteer.find_in_title(text, city=self.resolver.city)
            if county is not None:
                self._region_pending = (number, text, "标题中的县区", county.name)
                return None, f"取自标题“{text}”"
        if self.kind is RecordKind.PROJECT:
            known = self.resolver.known.get(CITY_LEADS)
            ref = known or landchina.RegionRef(CITY_LEADS, RegionKind.CITY, self.resolver.city)
            return ref, "文件未写承办县区：市级项目线索，待分配到县区"
        return None, ""

    def _sheet_default(self) -> landchina.RegionRef | None:
        """The sheet's county, resolved on first need (its problem reported once)."""
        if self.region_default is None and self._region_pending is not None:
            number, text, what, name = self._region_pending
            self._region_pending = None
            try:
                self.region_default = self.resolver.ref(name)
            except FieldError as exc:
                self._problem(number, "", text, f"{what}：{exc}")
        return self.region_default

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
        for g in refused:
            checked.ok[g] = False
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
                    self._created_code(row, codes[g] if codes else None, names[g] if names else None)
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
        blanks = [i for i, v in enumerate(regions) if v is None]
        default = self._sheet_default() if blanks else None
        if default is not None:
            for i in blanks:
                regions[i] = default
            self.tally.add("region_id", default.name, self.region_reason, len(blanks))
        self._resolve_regions(given)
        self.defaults.fill(given, raw, count, sheet=self.sheet)
        self._keep_remarks(given, raw, count)
        self._ensure_parks(given)

    def _resolve_regions(self, columns: dict[str, list[Any]]) -> None:
        """Regions named by the rows → ids, unknown ones created in the order the rows name
        them (before the rows are checked)."""
        for key, column in columns.items():
            if self.specs[key].type is not FieldType.REGION:
                continue
            ids: dict[int, int] = {}
            for ref in column:
                if isinstance(ref, landchina.RegionRef) and id(ref) not in ids:
                    ids[id(ref)] = self._region_id(ref)
            if ids:
                columns[key] = [ids.get(id(ref), ref) for ref in column]

    def _keep_remarks(self, given: dict[str, list[Any]], raw: Mapping[str, Sequence[Any]], count: int) -> None:
        parser = self.parser
        assert parser is not None
        fields = [
            k
            for k in parser.remark_fields()
            if k in raw
            and (
                len(set(map(type, raw[k])) & {bool, int, float}) > 1  # 1 == 1.0 == True
                or any(parser.remark(k, cell) for cell in set(raw[k]))
            )
        ]
        if not fields:
            return
        notes = given.setdefault("notes", [None] * count)
        for i in range(count):
            said = []
            for key in fields:
                remark = parser.remark(key, raw[key][i])
                if remark:
                    said.append(f"{self._header(key)}：{remark}")
            if said:
                notes[i] = "；".join([*([notes[i]] if notes[i] else []), *said])

    def _ensure_parks(self, columns: dict[str, list[Any]]) -> None:
        """Parks the rows name and the ledger lacks: created under the row's county."""
        for park_key, region_key in (("park_id", "region_id"), ("preferred_park_id", "preferred_region_id")):
            parks, regions = columns.get(park_key), columns.get(region_key)
            if not parks or not regions:
                continue
            asked: set[tuple[str, int]] = set()
            for name, region_id in zip(parks, regions, strict=True):
                if isinstance(name, str) and isinstance(region_id, int):
                    asked.add((name, region_id))
            for name, region_id in sorted(asked, key=lambda pair: (pair[1], pair[0])):
                if self.batch.lookup.park_ids(name, region_id):
                    continue  # registered (parks are named per county: each has its 高新区)
                try:
                    create_record(
                        self.session,
                        RecordKind.PARK,
                        {"name": name, "region_id": region_id},
                        user=self.user,
                        source=self.source,
                    )
                except ValidationFailed:
                    continue  # (a name too long …): the rows say why
                self.batch.lookup.reload()
                region = self.batch.lookup.region_name(region_id) or ""
                self.report.new_parks.append((name, region))

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
        contradictions), so the clerk sees them all in one run."""
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
                values[key] = self._region_id(value)
        given = {k: v for k, v in values.items() if v is not None}
        try:
            existing = self._existing(given) if self._maybe_known(given) else None
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
                key = self._duplicate_key(given, existing)
                scope = "本县区" if key in ("code", "name") else ""
                self._problem(
                    row.number,
                    self._header(key),
                    str(given[key]),
                    f"{scope}已有{self.specs[key].label}相同的{self.kind.label}"
                    f"（重复）{self.report.wording.on_duplicate}",
                )
                return
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
        self.report.changes.updated.append(
            RecordChange(
                record_code(self.kind, after),
                _label(record_code(self.kind, after), self._name(after)),
                self.sheet,
                row.number,
                field_changes(self.session, self.kind, before, after),
            )
        )

    def _created(self, row: DataRow, values: Mapping[str, Any]) -> None:
        self._created_code(row, record_code(self.kind, values), self._name(values))

    def _created_code(self, row: DataRow, code: Any, name: Any) -> None:
        """A record the import creates, in the change list (the rows of a chunk give their
        code and name straight from the checked columns)."""
        self.report.created += 1
        code = str(code or "")
        self.report.changes.created.append(
            RecordChange(code, _label(code, name), self.sheet, row.number)
        )

    def _name(self, values: Mapping[str, Any]) -> Any:
        """The name a factory's label adds to its code (others are known by their code)."""
        return values.get("name") if self.kind is RecordKind.FACTORY else None

    def _shown_cell(self, row: DataRow, key: str) -> str:
        column = self.by_key.get(key)
        if column is None or column.index >= len(row.cells):
            return ""
        return cell_text(row.cells[column.index])

    # ------------------------------------------------------------ regions and duplicates

    def write(self) -> None:
        """Insert the new records checked so far (before anything else is written)."""
        self.batch.write()

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
        self.resolver.known[ref.name] = ref
        self.report.new_regions.append(ref.name)
        return region.id

    def _maybe_known(self, values: Mapping[str, Any]) -> bool:
        if self.batch.known(values):
            return True
        if self.kind is RecordKind.PROJECT:
            return (values.get("name"), values.get("region_id")) in self._ledger_keys
        return False

    def _existing(self, values: dict[str, Any]) -> RecordBase | None:
        self.write()
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


def _short_name(regions: Mapping[str, int], resolver: RegionResolver, region_id: int) -> str:
    name = next((n for n, i in regions.items() if i == region_id), "")
    matches = resolver.gazetteer.by_name(name)
    if len(matches) == 1:
        return matches[0].short
    return name.removesuffix("市").removesuffix("县").removesuffix("区") or name


def _label(code: str, name: Any) -> str:
    """A record as the change lists name it: its code, a factory's with its name when that
    says more ("1# 一号车间")."""
    return f"{code} {name}" if name and name != code else code
