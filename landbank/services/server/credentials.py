"""A clerk's password for a city server, never stored in plain text on the PC (issue 14 item 2).

libpq finds a password by itself in ``PGPASSWORD`` or the clerk's pgpass file; when neither
has one and the server asks, the app asks the clerk (:mod:`landbank.ui.password_dialog`,
``getpass`` on the command line) and keeps it in memory for the session only. It may be
remembered in the operating system's credential store (Windows Credential Manager, macOS
Keychain, the Secret Service on Linux) through the ``keyring`` package — only when that
package is installed and has a usable backend; landbank does not require it, and without it
the clerk is simply asked at each start.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy.engine import URL, make_url

from landbank.store.engine import DatabaseError

SERVICE = "landbank"
ASKS_FOR_PASSWORD = (
    "no password supplied",
    "password authentication failed",
    "password is required",
)
NO_PASSWORD_CLI = (
    "服务器要求密码：在终端中运行时会询问密码；脚本中请用环境变量 PGPASSWORD，或把密码写入本人的"
    " PostgreSQL 密码文件（Windows：%APPDATA%\\postgresql\\pgpass.conf；Linux：~/.pgpass），"
    "不要写进数据库地址"
)


def _parsed(url: str) -> URL | None:
    try:
        parsed = make_url(url)
    except Exception:
        return None
    return parsed if parsed.get_backend_name() == "postgresql" else None


def asks_for_password(url: str, exc: BaseException) -> bool:
    """Whether opening ``url`` failed because the server wants a password (none given, or
    a wrong one) — for a PostgreSQL address only."""
    if _parsed(url) is None:
        return False
    seen: BaseException | None = exc
    while seen is not None:
        text = str(getattr(seen, "orig", None) or seen).lower()
        if any(words in text for words in ASKS_FOR_PASSWORD):
            return True
        seen = seen.__cause__
    return False


def with_login(url: str, login: str, password: str) -> str:
    """``url`` with this login and password (in memory only: never saved in the settings)."""
    parsed = _parsed(url)
    if parsed is None:
        raise DatabaseError(f"“{url}”不是 PostgreSQL 地址")
    changed = parsed.set(username=login or parsed.username, password=password or None)
    return changed.render_as_string(hide_password=False)


def password_in_address(url: str) -> bool:
    """Whether a PostgreSQL address holds a password (which the settings would keep in plain
    text)."""
    parsed = _parsed(url) if "://" in url else None
    return bool(parsed is not None and parsed.password)


def login_of(url: str) -> str:
    parsed = _parsed(url)
    return str(parsed.username or "") if parsed is not None else ""


def _account(url: str, login: str) -> str:
    parsed = _parsed(url)
    assert parsed is not None
    return f"{login}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def _keyring() -> Any | None:
    """The keyring module when installed with a usable backend (not the fail or null one)."""
    try:
        import keyring  # type: ignore[import-not-found]  # optional: not a dependency

        backend = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception:
        return None
    return keyring if priority > 0 else None  # the fail (0) and null (-1) backends


def can_remember() -> bool:
    """Whether a password can be kept in the OS credential store on this PC."""
    return _keyring() is not None


def remembered(url: str, login: str) -> str | None:
    store = _keyring()
    if store is None or _parsed(url) is None or not login:
        return None
    try:
        found = store.get_password(SERVICE, _account(url, login))
    except Exception:
        return None
    return str(found) if found else None


def remember(url: str, login: str, password: str) -> bool:
    """Keep the password in the OS credential store; False when there is none."""
    store = _keyring()
    if store is None:
        return False
    try:
        store.set_password(SERVICE, _account(url, login), password)
    except Exception:
        return False
    return True


def forget(url: str, login: str) -> None:
    store = _keyring()
    if store is not None:
        with contextlib.suppress(Exception):
            store.delete_password(SERVICE, _account(url, login))
