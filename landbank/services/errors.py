"""What a clerk reads when saving, deleting or pasting fails: one place that turns errors into
Chinese sentences saying what happened and what to do — never SQL text or a driver's English."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from landbank.services.records.saving import RecordError
from landbank.store.engine import DatabaseError, is_database_busy, is_database_readonly

# Busy: another clerk's write held the lock past the busy timeout (or, outside a write
# transaction, SQLite refused the lock upgrade). Not a conflict: nothing says another clerk
# changed *this* record — that is ConflictError, from the version check, with what changed.
BUSY = "数据库正忙：其他用户正在写入，请稍后再试（本次操作未执行）。"
# Read-only: the ledger file, or its folder (WAL keeps two files beside the ledger), cannot
# be written by this user — a copy from a CD or a shared folder opened read-only.
READONLY = (
    "台账文件是只读的（或它所在的文件夹不能写入），无法保存修改（本次操作未执行）。"
    "请检查文件和文件夹的权限，或把台账复制到可以写入的文件夹。"
)
DISCONNECTED = "与数据库的连接中断，操作未执行。请检查网络或数据库服务器后重试。"
# A city server refused the write (issue 14): a grant or a row-level security policy.
NOT_ALLOWED = (
    "本账户没有权限做这项修改，操作未执行：县区账户只能新增、修改、删除本县区的记录，"
    "县区名单和全市默认指标由市级账户维护，只读账户不能修改。"
)
INTEGRITY = "数据与已有记录冲突（重复的编号或已不存在的引用），操作未执行。请刷新后核对。"


def _driver_detail(exc: DBAPIError) -> str:
    text = str(exc.orig).strip() if exc.orig is not None else ""
    return text.splitlines()[0] if text else ""


def describe_error(exc: BaseException) -> str:
    """A message for the clerk; the database stays as it was (the caller rolled back)."""
    if isinstance(exc, RecordError | DatabaseError):
        return str(exc)  # already written for the clerk
    if isinstance(exc, DBAPIError):
        detail = _driver_detail(exc).lower()
        if is_database_readonly(exc):
            return READONLY
        if is_database_busy(exc) or "locked" in detail or "busy" in detail:
            return BUSY
        if isinstance(exc, IntegrityError):
            return INTEGRITY
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            return NOT_ALLOWED
        if exc.connection_invalidated or any(
            word in detail for word in ("connection", "server closed", "timeout", "timed out")
        ):
            return DISCONNECTED
        return f"数据库出错，操作未执行（{_driver_detail(exc)}）"
    if isinstance(exc, SQLAlchemyError):
        return "数据库出错，操作未执行。"
    return f"发生意外错误，操作未执行：{exc}"
