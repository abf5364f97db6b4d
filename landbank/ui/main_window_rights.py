"""The main window follows the login's rights (issue 14 item 5): on a city server a county
clerk sees the whole city, but 编辑/删除 of another county's records, and every write of a
viewer, are disabled with the reason in the tooltip and the status bar; the title names who
is logged in. The rights come from :mod:`landbank.services.server.rights`; the server
enforces the same rules whatever the app offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from landbank.services.importing import IMPORT_KINDS

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow


def selection_refusal(window: MainWindow) -> str | None:
    """Why the login may not change the selected records of the current list (the first
    refused one's reason), or None."""
    rights = window.ctx.rights
    if not rights.on_server:
        return None
    view = window.current_view()
    names = view.model.names.regions
    for row in view.selected_rows():
        reason = rights.can_write(view.kind, view.model.row_dict(row), names)
        if reason:
            return reason
    return None


def _allow(action: QAction, enabled: bool, reason: str | None) -> None:
    """Enable ``action``, or disable it saying why (tooltip, status tip)."""
    action.setEnabled(enabled and not reason)
    text = action.text().replace("&", "").rstrip("…")
    action.setToolTip(f"{text}：{reason}" if reason else text)
    action.setStatusTip(reason or "")


def follow_rights(window: MainWindow, rows: int) -> None:
    """Enable the write actions the login may use on the current list and selection; shows
    the reason in the status bar when the selection is another county's."""
    rights = window.ctx.rights
    kind = window.current_kind()
    create = rights.can_create(kind)
    selected = selection_refusal(window) if rows else None
    _allow(window.new_action, True, create)
    _allow(window.paste_action, True, create)
    _allow(window.edit_action, rows >= 1, selected)
    _allow(window.delete_action, rows >= 1, selected)
    _allow(window.import_action, kind in IMPORT_KINDS, rights.can_write_any())
    if selected and selected != window.shown_refusal:
        window.show_message(selected)
    window.shown_refusal = selected
    # 用户与权限: only on a city server; others than its administrator see their own account
    # there and may change their own password only.
    window.users_action.setVisible(rights.on_server)
    window.users_action.setToolTip(
        "管理全市账户" if rights.manages_accounts else "查看本人账户、修改本人密码（管理账户须市级管理员）"
    )


def window_title(window: MainWindow, app_name: str) -> str:
    """“李四（辉县市）@ host/db — 收储地块与标准厂房台账” on a city server; the ledger file's
    name on a single PC."""
    rights = window.ctx.rights
    url = window.ctx.engine.url
    if not rights.on_server:
        return ""
    where = f"{url.host or 'localhost'}/{url.database}"
    return f"{rights.who}@ {where} — {app_name}"
