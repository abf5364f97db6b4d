"""Who keeps the ledger and who prints from it: the city and the bureau (kept with the ledger,
the same for every clerk of a shared one) and the compiler and phone (the clerk's own, in the
settings file). Report titles, 落款, 制表单位/制表人/电话, export titles and 推介单 use them.

A ledger that never had them set falls back on what it knows: the city all its counties say
they belong to, and that city's 商务局.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.services.records.audit_log import add_setting_entry
from landbank.settings import Settings
from landbank.store.models import LedgerInfo, Region, utc_now

MAX_CITY = 50
MAX_BUREAU = 100


@dataclass(frozen=True)
class BureauIdentity:
    city: str = ""  # 新乡市
    bureau: str = ""  # 新乡市商务局
    compiler: str = ""  # 制表人
    phone: str = ""

    @property
    def place(self) -> str:
        """The city as a title names it ("新乡市"), "全市" when unknown."""
        return self.city or "全市"

    def signature(self, when: date) -> str:
        """The 落款: the bureau and the date, as a report handed to a meeting ends."""
        day = f"{when.year}年{when.month}月{when.day}日"
        return f"{self.bureau}　{day}" if self.bureau else day

    def compiled_by(self) -> str:
        """制表单位、制表人、电话, those known."""
        parts = []
        if self.bureau:
            parts.append(f"制表单位：{self.bureau}")
        if self.compiler:
            parts.append(f"制表人：{self.compiler}")
        if self.phone:
            parts.append(f"联系电话：{self.phone}")
        return "　".join(parts)


def common_city(session: Session) -> str:
    """The city every county of the ledger says it belongs to, or "" when they differ or none
    is set."""
    cities = {c for c in session.execute(select(col(Region.city))).scalars() if c}
    return cities.pop() if len(cities) == 1 else ""


def ledger_identity(session: Session, settings: Settings | None = None) -> BureauIdentity:
    """The identity to print with: the ledger's city and bureau (or what the ledger knows),
    the clerk's compiler name and phone."""
    settings = settings or Settings.load()
    info = session.get(LedgerInfo, 1)
    city = (info.city if info is not None else "") or common_city(session)
    bureau = (info.bureau if info is not None else "") or (f"{city}商务局" if city else "")
    return BureauIdentity(
        city=city,
        bureau=bureau,
        compiler=settings.compiler.strip() or settings.effective_user,
        phone=settings.phone.strip(),
    )


def identity_asked(session: Session) -> bool:
    """Whether the ledger was ever given its city and bureau (a new ledger asks once)."""
    return session.get(LedgerInfo, 1) is not None


def save_ledger_identity(
    session: Session, *, city: str, bureau: str, user: str, source: str = "界面"
) -> None:
    """Keep the ledger's city and bureau (flushes; the caller commits), audited as a change of
    a shared setting from ``source``. Raises ValueError with a Chinese reason for a name too
    long."""
    city, bureau = " ".join(city.split()), " ".join(bureau.split())
    if len(city) > MAX_CITY:
        raise ValueError(f"城市名称不能超过 {MAX_CITY} 个字")
    if len(bureau) > MAX_BUREAU:
        raise ValueError(f"单位名称不能超过 {MAX_BUREAU} 个字")
    info = session.get(LedgerInfo, 1)
    if info is None:
        info = LedgerInfo(id=1)
        session.add(info)
    for label, old, new in (("城市", info.city, city), ("单位", info.bureau, bureau)):
        add_setting_entry(
            session,
            "台账的城市与单位",
            field=label,
            old=old or None,
            new=new or None,
            user=user,
            source=source,
        )
    info.city, info.bureau = city, bureau
    info.updated_at, info.updated_by = utc_now(), user[:100]
    session.flush()
