"""The import's column-by-column path gives exactly what checking and saving one row at a
time gives: the same checks (validate_columns = validate_record), the same parsed values, the
same records and audit entries (byte for byte), the same report."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec, FieldType
from landbank.domain.validation import MAX_INT, FieldError, validate_columns, validate_record
from landbank.services.importing import importer
from landbank.services.importing.columns import map_columns
from landbank.services.importing.importer import import_records
from landbank.services.importing.parse import ColumnParser
from landbank.services.importing.record_batch import CheckedColumns, RecordBatch
from landbank.services.importing.regions import RegionResolver
from landbank.services.records.history import history
from landbank.services.records.saving import (
    ConflictError,
    ValidationFailed,
    create_record,
    delete_record,
    record_values,
    update_record,
)
from landbank.store.models import TABLES, AuditEntry, Park, Region

USER = "测试员"
KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)


# ---------------------------------------------------------------- validate_columns


def _messy_value(spec: FieldSpec, rng: random.Random) -> Any:
    """A value of the field's type as coerce gives it: empty, at and beyond its limits."""
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.3 and spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return ""
    match spec.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            return rng.choice(["甲", "a b", "x" * spec.max_length, "x" * (spec.max_length + 1)])
        case FieldType.FLOAT | FieldType.INT:
            edges: list[float] = [0, 1, 2.5, 10, 1e6, -1]
            for limit in (spec.minimum, spec.maximum):
                if limit is not None:
                    edges += [limit, limit - 1, limit + 1]
            number = rng.choice(edges)
            if spec.type is FieldType.INT:
                return rng.choice([int(number), MAX_INT + 1, -MAX_INT - 5])
            return float(number)
        case FieldType.DATE:
            return date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
        case FieldType.BOOL:
            return rng.random() < 0.5
        case FieldType.CHOICE:
            assert spec.choices is not None
            return rng.choice([*(c.value for c in spec.choices), "不存在的状态"])
        case _:  # region, park, project: ids
            return rng.randint(1, 3)


def _random_rows(kind: RecordKind, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    specs = [s for s in FIELDS[kind] if not s.read_only]
    rows = []
    for _ in range(count):
        # Mostly valid-looking rows: each field filled with a plausible value or a messy one.
        rows.append({s.key: _messy_value(s, rng) for s in specs if rng.random() < 0.8})
    return rows


def _as_columns(kind: RecordKind, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = {k for row in rows for k in row}
    return {
        s.key: [row.get(s.key) for row in rows]
        for s in FIELDS[kind]
        if s.key in keys
    }


def _assert_same_as_validate_record(kind: RecordKind, rows: list[dict[str, Any]]) -> None:
    checked = validate_columns(kind, _as_columns(kind, rows), len(rows))
    for index, row in enumerate(rows):
        expected = validate_record(kind, row).by_field
        got = checked[index].by_field if index in checked else {}
        assert list(got.items()) == list(expected.items()), (index, row)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_validate_columns_is_validate_record_on_random_rows(kind: RecordKind, seed: int) -> None:
    _assert_same_as_validate_record(kind, _random_rows(kind, 400, seed))


def test_validate_columns_is_validate_record_on_messy_parcels() -> None:
    good = {
        "code": "A-1", "region_id": 1, "area_mu": 10.0, "readiness": "净地(可供)", "status": "可供",
    }  # fmt: skip
    rows = [
        good,
        {**good, "far_min": 2.0, "far_max": 1.0},
        {**good, "far_min": 1.0, "far_max": 1.0},
        {**good, "net_area_mu": 11.0},
        {**good, "readiness": "拟收储", "status": "已出让/划拨"},
        {**good, "readiness": None, "status": "已挂牌"},
        {**good, "agreed_start_date": date(2020, 2, 1), "agreed_completion_date": date(2020, 1, 1)},
        {**good, "actual_start_date": date(2020, 2, 1), "actual_completion_date": date(2020, 1, 1)},
        {**good, "area_mu": -0.5, "far_max": 21.0},
        {**good, "code": "", "region_id": None},
        {**good, "code": "x" * 65, "notes": "备" * 2001},
        {**good, "count_year": 1989},
        {**good, "count_year": MAX_INT + 1},
        {**good, "acquisition_method": "抢占"},
        {},
    ]
    _assert_same_as_validate_record(RecordKind.PARCEL, rows)
    # A field none of the rows has: a required one is refused on every row.
    assert set(validate_columns(RecordKind.PARCEL, {"code": ["A", "B"]}, 2)) == {0, 1}


def test_validate_columns_is_validate_record_on_messy_factories_and_projects() -> None:
    factory = {"code": "F", "name": "1号", "region_id": 1, "status": "已建成", "floor_area_m2": 100.0}
    _assert_same_as_validate_record(
        RecordKind.FACTORY,
        [
            factory,
            {**factory, "idle_area_m2": 200.0},
            {**factory, "status": "在建", "idle_area_m2": 10.0},
            {**factory, "status": "闲置"},
            {**factory, "status": "闲置", "idle_area_m2": 0.0},
            {**factory, "status": "已入驻", "idle_area_m2": 1.0},
            {**factory, "floors": 0, "dual_power": True},
            # a number column holding both 1 and 1.0 and True (no cache shared between them)
            {**factory, "floors": 1, "ceiling_height_m": 1.0},
            {**factory, "floors": True, "ceiling_height_m": 1},
        ],
    )
    project = {"name": "甲", "region_id": 1, "stage": "签约"}
    _assert_same_as_validate_record(
        RecordKind.PROJECT,
        [
            project,
            {**project, "req_land_mu": 20.0, "req_land_max_mu": 10.0},
            {**project, "funds_in_place_year_wan": 5.0, "funds_in_place_wan": 1.0},
            {**project, "signed_date": date(2021, 1, 2), "agreed_start_date": date(2021, 1, 1)},
            {**project, "region_id": None, "park_id": 2},
            {**project, "credit_code": "9" * 19, "expected_jobs": -1},
        ],
    )


# ---------------------------------------------------------------- parsing cells


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        for name, kind in (("辉县市", "县"), ("红旗区", "区")):
            region = create_record(s, RecordKind.REGION, {"name": name, "kind": kind}, user=USER)
            create_record(s, RecordKind.PARK, {"name": f"{name}园区", "region_id": region.id}, user=USER)
        create_record(s, RecordKind.PARK, {"name": "共用园区", "region_id": 1}, user=USER)
        create_record(s, RecordKind.PARK, {"name": "共用园区", "region_id": 2}, user=USER)
        s.commit()
        yield s


CELLS: list[Any] = [
    None, "", " ", "-", "——", "无", "N/A", "null", "１２０", "120亩", "约 1.2万㎡", "2.5公顷", "1,234.5",
    1.0, 0.0, 2.5, -3.0, 1, 0, True, False, 1e20, 42738.0, date(2017, 1, 3),
    datetime(2017, 1, 3, 0, 0), datetime(2017, 1, 3, 8, 30), "2017/1/3", "2017年01月31日",
    "2017年1月", "2017-01-03 00:00:00", "42738", "2017/13/45", "  a  b ", "a\r\nb\rc", "\t甲\u3000乙",
    "=1+1", "净地", "已出让", "在建", "闲置", "签约", "是", "否", "√", "双路", "很多", "x" * 300,
    "辉县市", "新乡市辉县市", "征收", "鼓励", "租赁",
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_each_column_parses_as_coerce_parses_each_cell(session: Session, kind: RecordKind) -> None:
    headers = [s.header for s in FIELDS[kind] if not s.read_only] + ["收储面积(公顷)"]
    writer = ColumnParser(
        kind, map_columns(kind, headers).by_key(), None, RegionResolver(session, create=True)
    )
    for spec in FIELDS[kind]:
        if spec.read_only:
            continue

        def expected(cell: Any, spec: FieldSpec = spec) -> Any:
            try:
                return writer.coerce(spec, cell)
            except FieldError:
                return FieldError

        parse = writer._parser(spec)
        for cell in CELLS:
            try:
                got = parse(cell)
            except FieldError:
                got = FieldError
            assert (got, type(got)) == (expected(cell), type(expected(cell))), (spec.key, cell)
        # Whole columns, in chunks: repeated cells (cached), numbers of three types.
        for chunk in (CELLS, CELLS[::-1], [1.0, 1.0, 2.5], [True, True, False], [1, 1, 0]):
            bad: set[int] = set()
            got_column = writer._parse_column(spec, chunk, bad)
            for j, cell in enumerate(chunk):
                want = expected(cell)
                if want is FieldError:
                    assert j in bad, (spec.key, cell)
                else:
                    assert j not in bad, (spec.key, cell)
                    assert (got_column[j], type(got_column[j])) == (want, type(want)), (spec.key, cell)


# ---------------------------------------------------------------- RecordBatch, column by column


def _parcels() -> list[dict[str, Any]]:
    base = {
        "code": "P-0", "name": "孟庄镇1号地块", "region_id": 1, "park_id": "辉县市园区",
        "area_mu": 12.5, "readiness": "净地(可供)", "status": "已挂牌",
        "reserve_date": date(2025, 3, 1), "far_min": 1.0,
    }  # fmt: skip
    return [
        base,
        {**base, "code": "P-1", "notes": 'a "quoted" \\ back\nline\ttab \x01 ctrl 🏭 ＡＢＣ'},
        {**base, "code": "P-2", "area_mu": 0.1 + 0.2, "far_min": 1e-7, "price_wan": 123456.789012345678},
        {**base, "code": "P-3", "park_id": None, "region_id": 2, "holder": "乙公司"},
        {**base, "code": "P-4", "park_id": "共用园区", "region_id": 2, "count_year": 2024},
        {**base, "code": "P-5", "park_id": "红旗区园区"},  # a park of another region
        {**base, "code": "P-6", "park_id": "无此园区"},
        {**base, "code": "P-7", "area_mu": -1.0},
        {**base, "code": "P-8", "readiness": "拟收储"},  # 已挂牌 needs 净地
        {**base, "code": "P-0"},  # the same code again
        {**base, "code": "P-9", "region_id": 99},
        {**base, "code": "LEDGER"},  # already in the ledger
        {**base, "code": "P-10", "supervision_no": "4107001", "acquisition_method": "收购"},
        {**base, "code": "P-11", "supervision_no": "4107001"},  # 电子监管号 again
        {**base, "code": "P-12", "park_id": "共用园区", "region_id": None},
    ]


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = dict.fromkeys(k for row in rows for k in row)
    return {k: [row.get(k) for row in rows] for k in keys}


def _audit(session: Session, code: str) -> list[tuple[Any, ...]]:
    table = TABLES[RecordKind.PARCEL]
    record = session.execute(select(table).where(col(table.code) == code)).scalars().one()
    return [
        (e.user, e.action, e.record_kind, e.record_label, e.record_version, e.field, e.old_value,
         e.new_value, e.source)
        for e in history(session, RecordKind.PARCEL, record.id or 0)
    ]  # fmt: skip


def test_columns_are_checked_stored_and_audited_as_create_record_does(session: Session) -> None:
    create_record(session, RecordKind.PARCEL, {**_parcels()[0], "code": "LEDGER"}, user=USER)
    rows = _parcels()
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:a.xlsx")
    checked = batch.check(_columns(rows), len(rows))
    assert isinstance(checked, CheckedColumns)
    accepted = [i for i, ok in enumerate(checked.ok) if ok]
    assert [rows[i]["code"] for i in accepted] == ["P-0", "P-1", "P-2", "P-3", "P-4", "P-10"]
    batch.queue(checked, accepted)
    batch.write()
    # Each refused row is refused one by one too; each accepted one saves as create_record.
    savepoint = session.begin_nested()
    single = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:a.xlsx")
    for i, row in enumerate(rows):
        if i not in accepted:
            with pytest.raises(ValidationFailed):
                single.add(row)
    savepoint.rollback()
    for i in accepted:
        code = rows[i]["code"]
        batched = session.execute(select(TABLES[RecordKind.PARCEL]).where(col(TABLES[RecordKind.PARCEL].code) == code)).scalars().one()
        # The same record under other keys ("-ONE" appended), saved the way of one record.
        keys = {k: f"{rows[i][k]}-ONE" for k in ("code", "supervision_no") if rows[i].get(k)}
        one = create_record(session, RecordKind.PARCEL, {**rows[i], **keys}, user=USER, source="导入:a.xlsx")
        assert {**record_values(RecordKind.PARCEL, one), **{k: rows[i][k] for k in keys}} == record_values(
            RecordKind.PARCEL, batched
        )
        [(*first, snapshot_one, source_one)] = _audit(session, f"{code}-ONE")
        [(*second, snapshot_batch, source_batch)] = _audit(session, code)
        assert snapshot_batch == snapshot_one.replace('-ONE"', '"')  # byte for byte
        assert (first[:3], first[4:], source_one) == (second[:3], second[4:], source_batch)
        assert (first[3], second[3]) == (f"{code}-ONE", code)


def test_a_block_entry_is_each_records_own_create_entry_in_its_history(session: Session) -> None:
    """One audit entry for the block written together; each record's history shows it as a
    create entry of its own, holding its values at creation, also after later changes and
    after a delete — as if the record had been created alone."""
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:a.xlsx")
    rows = _parcels()[:3]
    batch.queue(batch.check(_columns(rows), 3), [0, 1, 2])
    batch.write()
    alone = [create_record(session, RecordKind.PARCEL, {**row, "code": f"ALONE-{i}"}, user=USER, source="导入:a.xlsx")
             for i, row in enumerate(rows)]  # fmt: skip
    table = TABLES[RecordKind.PARCEL]
    batched = list(session.execute(select(table).where(col(table.code).like("P-%")).order_by(col(table.id))).scalars())  # type: ignore[call-overload]
    [block] = session.execute(select(AuditEntry).where(col(AuditEntry.last_record_id).is_not(None))).scalars()
    assert (block.record_id, block.last_record_id, block.record_label) == (batched[0].id, batched[-1].id, "3 条地块")

    def created(record_id: int) -> AuditEntry:
        entries = history(session, RecordKind.PARCEL, record_id)
        assert entries[0].action == "create"
        return entries[0]

    def same(batched_id: int, alone_id: int, code: str) -> None:
        mine, theirs = created(batched_id), created(alone_id)
        assert mine.new_value == (theirs.new_value or "").replace(f'"ALONE-{code}"', f'"P-{code}"')
        assert (mine.record_id, mine.source, mine.user) == (batched_id, theirs.source, theirs.user)

    for i, (one, other) in enumerate(zip(batched, alone, strict=True)):
        same(one.id or 0, other.id or 0, str(i))
        assert created(one.id or 0).record_uuid == one.uuid
    # Later changes are undone: the history still shows the values the import brought.
    for record in (batched[1], alone[1]):
        update_record(session, RecordKind.PARCEL, record.id or 0, {"notes": "改过", "name": None, "area_mu": 1.5},
                      expected_version=record.version, user=USER)  # fmt: skip
    same(batched[1].id or 0, alone[1].id or 0, "1")
    assert [e.action for e in history(session, RecordKind.PARCEL, batched[1].id or 0)] == ["create", "update", "update", "update"]
    # And a deleted record's history too (from the snapshot of the delete).
    for record in (batched[2], alone[2]):
        delete_record(session, RecordKind.PARCEL, record.id or 0, expected_version=record.version, user=USER)
    same(batched[2].id or 0, alone[2].id or 0, "2")
    assert [e.action for e in history(session, RecordKind.PARCEL, batched[2].id or 0)] == ["create", "delete"]


def test_rows_queued_one_by_one_and_in_columns_keep_their_order(session: Session) -> None:
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入")
    rows = _parcels()[:4]
    checked = batch.check(_columns(rows), 4)
    batch.queue(checked, [0])
    batch.add({**rows[1], "code": "ONE"})
    batch.queue(checked, [1, 2])
    assert batch.pending == 4
    batch.write()
    table = TABLES[RecordKind.PARCEL]
    codes = list(session.execute(select(table.code).order_by(col(table.id))).scalars())  # type: ignore[call-overload]
    assert codes == ["P-0", "ONE", "P-1", "P-2"]
    ids = list(session.execute(select(table.id).order_by(col(table.id))).scalars())  # type: ignore[call-overload]
    assert [history(session, RecordKind.PARCEL, i)[0].record_label for i in ids] == codes


def test_factories_and_projects_too(session: Session) -> None:
    factory = {"code": "F-1", "name": "1号厂房", "region_id": 1, "park_id": "辉县市园区", "status": "闲置",
               "floor_area_m2": 5000.0, "idle_area_m2": 3000.0, "dual_power": True, "loading_dock": False,
               "floors": 2, "completion_date": date(2016, 5, 1)}  # fmt: skip
    project = {"name": "电机项目", "credit_code": "91410700MA000001XA", "region_id": 1, "stage": "签约",
               "preferred_region_id": 2, "preferred_park_id": "共用园区", "total_investment_wan": 15000.0,
               "expected_jobs": 300, "signed_date": date(2017, 1, 3)}  # fmt: skip
    for kind, row, keys in (
        (RecordKind.FACTORY, factory, {"code": "ONE"}),
        (RecordKind.PROJECT, project, {"name": "ONE", "credit_code": "91410700MA000002XB"}),
    ):
        batch = RecordBatch(session, kind, user=USER, source="导入:b.csv")
        checked = batch.check(_columns([row]), 1)
        assert checked.ok == [True]
        batch.queue(checked, [0])
        batch.write()
        table = TABLES[kind]
        key = next(iter(keys))
        batched = session.execute(select(table).where(getattr(table, key) == row[key])).scalars().one()
        one = create_record(session, kind, {**row, **keys}, user=USER, source="导入:b.csv")
        assert record_values(kind, batched) == {**record_values(kind, one), **{k: row[k] for k in keys}}
        [entry_batched] = history(session, kind, batched.id or 0)
        [entry_one] = history(session, kind, one.id or 0)
        want = entry_one.new_value or ""
        for k, other in keys.items():
            want = want.replace(f'"{other}"', f'"{row[k]}"')
        assert entry_batched.new_value == want  # byte for byte
        assert (entry_batched.record_label, entry_one.record_label) == (
            entry_one.record_label.replace("ONE", row[key]),
            entry_one.record_label,
        )


# ---------------------------------------------------------------- the importer: fast = one by one


HEADER = ["宗地编号", "地块名称", "县（市、区）", "园区", "面积（公顷）", "整理程度", "土地状态",
          "收储日期", "容积率下限", "容积率上限", "备注"]  # fmt: skip


def _messy_ledger_rows(errors: bool) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i in range(40):
        region = ["辉县市", "新乡市辉县市", "红旗区", "原阳县", "获嘉县"][i % 5]  # two new regions
        park = {0: "辉县市园区", 2: "红旗区园区"}.get(i % 5) if i % 3 else None
        rows.append([
            f"M-{i:03d}", f"{i % 4}号地块 ", region, park,
            [2, "１.５", "约 3 公顷", 1.25, "0.8"][i % 5],
            ["净地", "毛地", None, "五通一平"][i % 4],
            ["可供", None, "已出让", "-"][i % 4],
            ["2017/1/3", "2017年1月", 42738, date(2020, 5, 6), None][i % 5],
            [1.0, None, "1.2"][i % 3], [2.5, None, "3"][i % 3],
            ["=1+1", None, "需调整\n规划", "无"][i % 4],
        ])  # fmt: skip
    rows[31][0] = "LEDGER-1"  # a record of the ledger (新乡市辉县市 is 辉县市)
    rows[37] = [*rows[30][:2], "红旗区", *rows[30][3:]]  # the same code in another region: new
    if errors:
        rows[8] = [*rows[3][:4], 9, *rows[3][5:]]  # the same code and region again: refused
        rows[35] = [*rows[30][:4], 7, *rows[30][5:]]  # again, across a chunk boundary (of 7)
        rows[5][4] = "很多"  # not a number
        rows[9][7] = "2017/13/45"  # not a date
        rows[12][6] = "飞天"  # not a status
        rows[13][5], rows[13][6] = "拟收储", "已出让"  # 已出让 needs 净地
        rows[17][8], rows[17][9] = 3, 1  # 容积率上限 < 下限
        rows[18][3] = "红旗区园区"  # a park of another region (18 % 5 = 3: 原阳县)
        rows[19][3] = "无此园区"
        rows[20][4] = True  # a boolean, not the number 1
        rows[21][4] = -1
        rows[22][2] = None  # no region
    return rows


def _ledger_file(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def _state(session: Session) -> dict[str, Any]:
    regions = {rid: name for rid, name in session.execute(select(Region.id, Region.name))}
    parks = {pid: name for pid, name in session.execute(select(Park.id, Park.name))}
    table = TABLES[RecordKind.PARCEL]
    records = {}
    for record in session.execute(select(table)).scalars():
        values = record_values(RecordKind.PARCEL, record)
        values["region_id"] = regions.get(values["region_id"])
        values["park_id"] = parks.get(values["park_id"])
        entries = [
            (e.user, e.action, e.record_label, e.record_version, e.field, e.old_value, e.new_value, e.source)
            for e in history(session, RecordKind.PARCEL, record.id or 0)
        ]
        records[(values["code"], values["region_id"])] = (values, record.version, entries)
    region_audit = sorted(
        (e.record_label, e.new_value, e.source)
        for e in session.execute(select(AuditEntry).where(AuditEntry.record_kind == "region")).scalars()
    )
    return {"regions": sorted(regions.values()), "records": records, "region_audit": region_audit}


def _one_by_one(self: RecordBatch, columns: Any, count: int) -> CheckedColumns:
    checked = _check(self, columns, count)
    checked.ok = [False] * count  # every row the way of one record
    return checked


_check = RecordBatch.check


@pytest.mark.parametrize("policy", ["stop", "skip", "update"])
@pytest.mark.parametrize("errors", [False, True])
def test_the_column_path_imports_what_the_one_row_path_imports(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy: importer.DuplicatePolicy, errors: bool
) -> None:
    create_record(session, RecordKind.PARCEL, {"code": "LEDGER-1", "region_id": 1, "area_mu": 1.0,
                                               "readiness": "净地(可供)", "status": "可供"}, user=USER)  # fmt: skip
    session.commit()
    monkeypatch.setattr(importer, "CHUNK", 7)
    path = _ledger_file(tmp_path / "台账.xlsx", _messy_ledger_rows(errors))
    outcomes = []
    for one_by_one in (False, True):
        if one_by_one:
            monkeypatch.setattr(RecordBatch, "check", _one_by_one)
        report = import_records(
            session, RecordKind.PARCEL, path, user=USER, on_duplicate=policy, create_regions=True
        )
        state = _state(session)
        session.rollback()
        outcomes.append((report.to_json(), report.rows, state))
    (fast_report, fast_rows, fast_state), (slow_report, slow_rows, slow_state) = outcomes
    assert fast_report == slow_report
    assert fast_report["written"] or errors or policy == "stop", fast_report["errors"][:3]
    assert fast_rows == slow_rows == 40
    assert fast_state == slow_state
    if errors or policy == "stop":
        assert not fast_report["written"]
        assert fast_report["errors"]
    else:
        assert fast_report["written"]
        assert fast_report["new_regions"] == ["原阳县", "获嘉县"]
        counts = fast_report["counts"]
        if policy == "skip":
            assert (counts["created"], counts["skipped_duplicates"]) == (39, 1)
        else:
            assert (counts["created"], counts["updated"], counts["unchanged"]) == (39, 1, 0)


def test_ids_with_gaps_get_one_block_entry_per_run(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL another clerk's save can take an id between two of an import's: a block
    entry never covers a record it did not create."""
    import landbank.services.importing.record_batch as record_batch

    reserve = record_batch.reserve_ids

    def with_gaps(connection: Any, table: Any, count: int) -> list[int]:
        first = reserve(connection, table, 1)[0] + 10
        return [first, first + 1, first + 5, first + 6, first + 7][:count]

    monkeypatch.setattr(record_batch, "reserve_ids", with_gaps)
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:gaps.xlsx")
    rows = _parcels()[:5]
    rows[3], rows[4] = {**rows[3], "code": "P-3x"}, {**rows[0], "code": "P-4x", "region_id": 1, "park_id": None}
    checked = batch.check(_columns(rows), 5)
    assert checked.ok == [True] * 5
    batch.queue(checked, range(5))
    batch.write()
    blocks = session.execute(
        select(AuditEntry.record_id, AuditEntry.last_record_id, AuditEntry.record_label)
        .where(col(AuditEntry.last_record_id).is_not(None))
        .order_by(col(AuditEntry.id))
    ).all()
    first = blocks[0][0]
    assert [tuple(b) for b in blocks] == [(first, first + 1, "2 条地块"), (first + 5, first + 7, "3 条地块")]
    table = TABLES[RecordKind.PARCEL]
    ids = list(session.execute(select(table.id).order_by(col(table.id))).scalars())  # type: ignore[call-overload]
    assert ids == [first, first + 1, first + 5, first + 6, first + 7]
    for record_id in ids:
        [entry] = history(session, RecordKind.PARCEL, record_id)
        assert (entry.action, entry.record_id) == ("create", record_id)
    assert history(session, RecordKind.PARCEL, first + 2) == []  # in the gap: none of these


def test_a_block_record_gone_without_the_app_keeps_its_own_label(session: Session) -> None:
    """A record of a block removed outside the app (plain SQL): its history and the conflict
    message name it, not the block ("3 条地块")."""
    from sqlalchemy import text

    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:x.xlsx")
    rows = _parcels()[:3]
    batch.queue(batch.check(_columns(rows), 3), [0, 1, 2])
    batch.write()
    table = TABLES[RecordKind.PARCEL]
    first = min(session.execute(select(table.id)).scalars())  # type: ignore[call-overload]
    session.execute(text("DELETE FROM parcel WHERE id = :id"), {"id": first})
    [entry] = history(session, RecordKind.PARCEL, first)
    assert (entry.record_id, entry.record_label, entry.new_value) == (first, f"地块 #{first}", None)
    with pytest.raises(ConflictError) as caught:
        update_record(session, RecordKind.PARCEL, first, {"area_mu": 2.0}, expected_version=1, user=USER)
    assert "3 条地块" not in str(caught.value)
    assert f"#{first}" in str(caught.value)
