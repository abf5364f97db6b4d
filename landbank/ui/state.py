"""Window layout remembered between sessions: geometry, dock/toolbar state, table headers,
splitters and the open tab — a small typed wrapper over :class:`QSettings`.

The layout lives in an INI file beside ``settings.json`` (``landbank.settings.config_dir()``),
so ``LANDBANK_CONFIG_DIR`` moves both, tests stay away from the clerk's files, and Windows
keeps it out of the registry. Header states are stored with the column keys they were saved
for: after an update adds or removes a field, the stale state is ignored, never misapplied.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings

from landbank.settings import config_dir

STATE_FILE = "window-state.ini"


class UiState:
    def __init__(self, settings: QSettings | None = None) -> None:
        if settings is None:
            path = config_dir() / STATE_FILE
            path.parent.mkdir(parents=True, exist_ok=True)
            settings = QSettings(str(path), QSettings.Format.IniFormat)
        self._settings = settings

    @property
    def settings(self) -> QSettings:
        return self._settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes | bytearray) and value:
            return QByteArray(bytes(value))
        return None

    # -------------------------------------------------------------- main window

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_window_geometry(self, data: QByteArray) -> None:
        self._settings.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, data: QByteArray) -> None:
        self._settings.setValue("window/state", data)

    def current_tab(self) -> str:
        return str(self._settings.value("window/tab", "") or "")

    def set_current_tab(self, name: str) -> None:
        self._settings.setValue("window/tab", name)

    # -------------------------------------------------------------- tables and splitters

    def header_state(self, name: str, keys: Sequence[str]) -> QByteArray | None:
        """The saved header of table ``name`` if it was saved for exactly these columns."""
        saved_keys = self._settings.value(f"header/{name}/keys", "")
        if saved_keys != ",".join(keys):
            return None
        return self._bytes(f"header/{name}/state")

    def set_header_state(self, name: str, keys: Sequence[str], data: QByteArray) -> None:
        self._settings.setValue(f"header/{name}/keys", ",".join(keys))
        self._settings.setValue(f"header/{name}/state", data)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitter/{name}")

    def set_splitter_state(self, name: str, data: QByteArray) -> None:
        self._settings.setValue(f"splitter/{name}", data)

    def sync(self) -> None:
        self._settings.sync()
