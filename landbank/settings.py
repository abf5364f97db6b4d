"""Application settings shared by the GUI and the CLI: user name, database, default region.

Kept as a small JSON file in the user's config folder (platformdirs), not in QSettings, so the
headless CLI reads the same database location the clerk chose in the GUI. Window geometry and
column layout are the GUI's own business and live in QSettings (landbank.ui.state).

``LANDBANK_CONFIG_DIR`` overrides the folder (tests use it to stay away from the user's files).
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

APP_NAME = "landbank"


def config_dir() -> Path:
    override = os.environ.get("LANDBANK_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("LANDBANK_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "landbank.sqlite3"


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some service accounts): still let the clerk work
        return "未命名用户"


@dataclass
class Settings:
    user_name: str = ""
    database: str = ""  # a file path or a postgresql:// URL; empty: the default file
    default_region: str = ""
    compiler: str = ""  # 制表人 printed on reports; empty: the user name
    phone: str = ""  # 联系电话 printed on reports

    @property
    def effective_user(self) -> str:
        return self.user_name.strip() or os_login()

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):  # a hand-edited file that is not an object
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in raw.items() if k in known and v is not None})

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
