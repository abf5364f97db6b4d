"""Errors as the clerk reads them: Chinese, saying what to do, never SQL or a driver's English."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from landbank.services import errors
from landbank.services.errors import describe_error
from landbank.services.records.saving import DeleteRefused
from landbank.store.engine import SQLITE_BUSY_SNAPSHOT


def _wrapped(cls: type[OperationalError] | type[IntegrityError], orig: Exception) -> Exception:
    return cls("UPDATE parcel SET area_mu=? WHERE id=?", (1.0, 2), orig)


def test_busy_integrity_and_lost_connection() -> None:
    # SQLITE_BUSY_SNAPSHOT: someone committed since this transaction read — anything, not
    # necessarily this record: the database was busy, never “changed by another clerk”.
    stale = sqlite3.OperationalError("database is locked")
    stale.sqlite_errorcode = SQLITE_BUSY_SNAPSHOT  # type: ignore[attr-defined]
    assert describe_error(_wrapped(OperationalError, stale)) == errors.BUSY
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5  # type: ignore[attr-defined]  # SQLITE_BUSY, past the busy timeout
    assert describe_error(_wrapped(OperationalError, locked)) == errors.BUSY
    assert errors.BUSY.startswith("数据库正忙：其他用户正在写入，请稍后再试")
    assert "修改" not in errors.BUSY
    assert describe_error(_wrapped(OperationalError, sqlite3.OperationalError("database is locked"))) == errors.BUSY
    assert describe_error(_wrapped(IntegrityError, sqlite3.IntegrityError("UNIQUE constraint failed: parcel.code"))) == errors.INTEGRITY
    lost = Exception('connection failed: connection to server at "10.0.0.5", port 5432 failed: timeout expired')
    assert describe_error(_wrapped(OperationalError, lost)) == errors.DISCONNECTED


@pytest.mark.parametrize("exc", [DeleteRefused("“辉县市”下还有 3 个地块，不能删除。")])
def test_messages_written_for_the_clerk_pass_through(exc: Exception) -> None:
    assert describe_error(exc) == str(exc)


def test_no_sql_in_any_message() -> None:
    message = describe_error(_wrapped(OperationalError, sqlite3.OperationalError("disk I/O error")))
    assert "UPDATE" not in message
    assert message.startswith("数据库出错，操作未执行")
