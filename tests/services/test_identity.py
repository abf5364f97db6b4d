"""The bureau's identity (issue 11): the ledger's city and bureau, the clerk's compiler and
phone, and what the ledger knows when they were never set."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.identity import (
    identity_asked,
    ledger_identity,
    save_ledger_identity,
)
from landbank.services.records.saving import create_record
from landbank.settings import Settings


def test_a_ledger_never_asked_names_the_city_its_counties_name(engine: Engine) -> None:
    with Session(engine) as s:
        assert not identity_asked(s)
        assert ledger_identity(s, Settings(user_name="王芳")).place == "全市"
        for name in ("辉县市", "获嘉县"):
            create_record(s, RecordKind.REGION, {"name": name, "kind": "县", "city": "新乡市"}, user="t")
        known = ledger_identity(s, Settings(user_name="王芳"))
        assert (known.city, known.bureau, known.compiler) == ("新乡市", "新乡市商务局", "王芳")
        assert known.signature(date(2026, 12, 4)) == "新乡市商务局　2026年12月4日"


def test_saved_identity_wins_and_is_kept_with_the_ledger(engine: Engine) -> None:
    settings = Settings(user_name="王芳", compiler="李娜", phone="0373-1234567")
    with Session(engine) as s:
        save_ledger_identity(s, city=" 新乡市 ", bureau="新乡市商务局投资促进科", user="王芳")
        s.commit()
    with Session(engine) as s:
        assert identity_asked(s)
        known = ledger_identity(s, settings)
    assert (known.city, known.bureau) == ("新乡市", "新乡市商务局投资促进科")
    assert known.compiled_by() == (
        "制表单位：新乡市商务局投资促进科　制表人：李娜　联系电话：0373-1234567"
    )


def test_names_too_long_are_refused(engine: Engine) -> None:
    with Session(engine) as s, pytest.raises(ValueError, match="不能超过"):
        save_ledger_identity(s, city="市" * 51, bureau="", user="t")
