"""What an outline import found and did, row by row — as text for the shell, JSON, and the
dialog's table: matched (new or replacing an outline), kept, unmatched, refused, and the
outlines whose area is more than 1 % off the registered area (红线面积不符)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landbank.domain.enums import RecordKind
from landbank.domain.outlines.area import difference_pct, difference_text

NEW = "新增红线"
REPLACE = "替换原红线"
KEEP = "已有红线，保留"
SAME = "与现有红线相同"
UNMATCHED = "未匹配"
REFUSED = "错误"
WRITES = (NEW, REPLACE)
STATUS_KEYS = {
    NEW: "new",
    REPLACE: "replaced",
    KEEP: "kept",
    SAME: "same",
    UNMATCHED: "unmatched",
    REFUSED: "refused",
}
POINT_WORDS = {
    NEW: "新增坐标",
    REPLACE: "替换原坐标",
    KEEP: "已有坐标，保留",
    SAME: "与现有坐标相同",
}


@dataclass
class OutlineRow:
    number: int  # the block or feature of the file
    line: int | None
    key: str  # the file's value of the matching key
    status: str
    record_id: int | None = None
    record_label: str = ""
    region: str = ""
    registered_mu: float | None = None  # 收储面积 (parcels)
    outline_mu: float | None = None  # computed from the outline
    old_outline_mu: float | None = None  # the outline the record held
    points: int = 0
    point: tuple[float, float] | None = None  # a factory's (longitude, latitude)
    mismatch: bool = False  # 红线面积不符: over 1 % off 收储面积
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def difference_pct(self) -> float | None:
        return difference_pct(self.registered_mu, self.outline_mu)

    def status_text(self, kind: RecordKind) -> str:
        return (
            POINT_WORDS.get(self.status, self.status) if kind is RecordKind.FACTORY else self.status
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "line": self.line,
            "key": self.key,
            "status": STATUS_KEYS[self.status],
            "record_id": self.record_id,
            "record": self.record_label or None,
            "region": self.region or None,
            "registered_mu": self.registered_mu,
            "outline_mu": None if self.outline_mu is None else round(self.outline_mu, 4),
            "points": self.points,
            "area_mismatch": self.mismatch,
            "reason": self.reason or None,
            "notes": self.notes,
        }
        if self.point is not None:
            data["longitude"], data["latitude"] = self.point
        return data


@dataclass
class OutlineReport:
    file: str
    format_label: str
    kind: RecordKind
    key_label: str
    dry_run: bool
    on_existing: str
    rows: list[OutlineRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # of the file, not of one outline
    written: bool = False
    cancelled: bool = False
    key_names: list[str] = field(default_factory=list)  # the file's properties

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def mismatches(self) -> list[OutlineRow]:
        return [row for row in self.rows if row.mismatch and row.status not in (UNMATCHED, REFUSED)]

    @property
    def refused(self) -> int:
        return self.count(REFUSED) + len(self.problems)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.cancelled

    @property
    def to_write(self) -> int:
        return sum(1 for row in self.rows if row.status in WRITES)

    def describe(self) -> str:
        kind = self.kind
        what = "坐标" if kind is RecordKind.FACTORY else "红线"
        mode = "试导入（未写入）" if self.dry_run else ("已导入" if self.written else "未写入")
        lines = [
            f"{self.format_label} {self.file}：{len(self.rows)} 个{what}，按{self.key_label}匹配{kind.label}，{mode}"
        ]
        counts = [
            f"{self._word(s)} {self.count(s)}"
            for s in (NEW, REPLACE, KEEP, SAME, UNMATCHED, REFUSED)
            if self.count(s)
        ]
        lines.append("；".join(counts) or "没有可导入的内容")
        if self.kind is RecordKind.PARCEL:
            lines.append(f"红线面积与收储面积相差超过 1 %：{len(self.mismatches)} 个")
        lines.extend(f"· {note}" for note in self.notes)
        lines.extend(f"错误：{problem}" for problem in self.problems)
        for row in self.rows:
            lines.append("  " + self._row_text(row))
        if self.refused:
            lines.append(f"有 {self.refused} 处错误，没有写入任何{what}；请改正文件后再导入。")
        elif self.cancelled:
            lines.append("已取消，没有写入任何内容。")
        elif not self.dry_run and not self.written:
            lines.append(f"没有需要写入的{what}。")
        if self.count(KEEP) and self.on_existing == "keep":
            lines.append(
                f"{self.count(KEEP)} 条记录已有{what}，已保留；要替换请用 --on-existing replace。"
            )
        return "\n".join(lines)

    def _word(self, status: str) -> str:
        return POINT_WORDS.get(status, status) if self.kind is RecordKind.FACTORY else status

    def _row_text(self, row: OutlineRow) -> str:
        where = f"第 {row.number} 个" + (f"（第 {row.line} 行）" if row.line else "")
        parts = [f"{where} {row.key or '（无编号）'}：{self._word(row.status)}"]
        if row.record_label and row.status != UNMATCHED:
            parts.append(f"→ {row.region} {row.record_label}".replace("  ", " "))
        if row.outline_mu is not None:
            parts.append(f"红线 {row.outline_mu:.2f} 亩，{row.points} 点")
        if row.registered_mu is not None and row.outline_mu is not None:
            pct = row.difference_pct
            flag = "（红线面积不符）" if row.mismatch else ""
            shown = f"，相差 {difference_text(pct)}" if pct is not None else ""
            parts.append(f"收储面积 {row.registered_mu:.2f} 亩{shown}{flag}")
        if row.point is not None:
            parts.append(f"经度 {row.point[0]:.6f}，纬度 {row.point[1]:.6f}")
        if row.reason:
            parts.append(row.reason)
        parts.extend(row.notes)
        return "，".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "file": self.file,
            "format": self.format_label,
            "kind": self.kind.value,
            "key": self.key_label,
            "dry_run": self.dry_run,
            "on_existing": self.on_existing,
            "written": self.written,
            "counts": {STATUS_KEYS[s]: self.count(s) for s in STATUS_KEYS},
            "area_mismatches": len(self.mismatches),
            "notes": self.notes,
            "errors": self.problems,
            "rows": [row.to_json() for row in self.rows],
        }
