"""The counties and parks an import's rows name: the sheet's county for rows naming none,
counties found or created, parks created under their county.

:class:`RowPlaces` serves :class:`~landbank.services.importing.writer.ImportWriter`: the
writer hands it each sheet's preview and title, and each chunk's parsed columns; it answers
with region ids in place of the names and records what it created in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind, RegionKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.validation import FieldError
from landbank.services.importing import landchina
from landbank.services.importing.defaults import DefaultsTally
from landbank.services.importing.preview import ImportPreview
from landbank.services.importing.record_batch import RecordBatch
from landbank.services.importing.regions import CITY_LEADS, RegionResolver
from landbank.services.importing.report import ImportReport
from landbank.services.records.saving import ValidationFailed, create_record
from landbank.store.models import Region

# Reports a problem of the file: (row, column header, value, reason).
Problem = Callable[[int, str, str, str], None]


class RowPlaces:
    """The counties and parks of the rows, for one import."""

    def __init__(
        self,
        session: Session,
        kind: RecordKind,
        report: ImportReport,
        batch: RecordBatch,
        *,
        user: str,
        source: str,
        resolver: RegionResolver,
        region: str | None,
    ) -> None:
        self.session = session
        self.kind = kind
        self.report = report
        self.batch = batch
        self.user = user
        self.source = source
        self.resolver = resolver
        self.region_option = region
        self.regions: dict[str, int] = {
            name: region_id
            for region_id, name in session.execute(select(col(Region.id), col(Region.name))).all()
        }
        self.default: landchina.RegionRef | None = None
        self.reason = ""
        # (row, text, what, county name) of a sheet county not resolved yet.
        self._pending: tuple[int, str, str, str] | None = None

    # ------------------------------------------------------------ the sheet's county

    def begin_sheet(self, preview: ImportPreview, title: Sequence[str]) -> None:
        """The county of the sheet's rows that name none: the clerk's, the title's, or for
        projects the city's own leads. Resolved when a row needs it (a title naming a county
        the ledger lacks is no problem while every row names its own)."""
        self._pending = None
        self.default, self.reason = None, ""
        if self.region_option:
            self._pending = (preview.header_row, self.region_option, "指定的县区", self.region_option)
            self.reason = "按指定的县区"
            return
        for number, text in enumerate(title, start=1):
            county = self.resolver.gazetteer.find_in_title(text, city=self.resolver.city)
            if county is not None:
                self._pending = (number, text, "标题中的县区", county.name)
                self.reason = f"取自标题“{text}”"
                return
        if self.kind is RecordKind.PROJECT:
            known = self.resolver.known.get(CITY_LEADS)
            self.default = known or landchina.RegionRef(CITY_LEADS, RegionKind.CITY, self.resolver.city)
            self.reason = "文件未写承办县区：市级项目线索，待分配到县区"

    def fill_sheet_county(
        self, regions: list[Any], tally: DefaultsTally, problem: Problem
    ) -> None:
        """Rows naming no county get the sheet's (resolved on first need, its problem
        reported once), counted among the defaults."""
        blanks = [i for i, v in enumerate(regions) if v is None]
        if not blanks:
            return
        if self.default is None and self._pending is not None:
            number, text, what, name = self._pending
            self._pending = None
            try:
                self.default = self.resolver.ref(name)
            except FieldError as exc:
                problem(number, "", text, f"{what}：{exc}")
        default = self.default
        if default is not None:
            for i in blanks:
                regions[i] = default
            tally.add("region_id", default.name, self.reason, len(blanks))

    # ------------------------------------------------------------ counties

    def resolve_regions(self, columns: dict[str, list[Any]], specs: Mapping[str, FieldSpec]) -> None:
        """Regions named by the rows → ids, unknown ones created in the order the rows name
        them (before the rows are checked)."""
        for key, column in columns.items():
            if specs[key].type is not FieldType.REGION:
                continue
            ids: dict[int, int] = {}
            for ref in column:
                if isinstance(ref, landchina.RegionRef) and id(ref) not in ids:
                    ids[id(ref)] = self.region_id(ref)
            if ids:
                columns[key] = [ids.get(id(ref), ref) for ref in column]

    def region_id(self, ref: landchina.RegionRef) -> int:
        """The id of the county ``ref`` names, created when the ledger lacks it (after the
        records queued so far are written)."""
        found = self.regions.get(ref.name)
        if found is not None:
            return found
        self.batch.write()
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

    def short_name(self, region_id: int) -> str:
        """The county's everyday short name (辉县市 → 辉县), for generated codes."""
        name = next((n for n, i in self.regions.items() if i == region_id), "")
        matches = self.resolver.gazetteer.by_name(name)
        if len(matches) == 1:
            return matches[0].short
        return name.removesuffix("市").removesuffix("县").removesuffix("区") or name

    # ------------------------------------------------------------ parks

    def ensure_parks(self, columns: dict[str, list[Any]]) -> None:
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
