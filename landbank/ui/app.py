"""Start the GUI: the QApplication (names, a CJK font, translations), the database, the window.

Two entry points for the CLI: :func:`run_gui` opens the ledger in a window and runs the event
loop; :func:`render_screenshot` renders the main window offscreen into a PNG (documentation,
tests), without reading or writing the clerk's window layout.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    Qt,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from landbank.domain.enums import RecordKind
from landbank.resource_files import APP_ICON, TRANSLATIONS, resource, resource_dir
from landbank.settings import APP_NAME, Settings, data_dir
from landbank.store.engine import DatabaseError, database_url
from landbank.store.migrate import open_database
from landbank.store.queries import count_records
from landbank.ui.context import AppContext
from landbank.ui.fonts import choose_cjk_font, shipped_family
from landbank.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ORGANIZATION = "landbank"
DISPLAY_NAME = "收储地块与标准厂房台账"
SCREENSHOT_VIEWS = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
    "quotas": RecordKind.QUOTA,
}
SCREENSHOT_MAP = "map"  # the 地图 tab


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def _install_translations(app: QCoreApplication) -> None:
    """The app's own .qm for the user's language if there is one (the source text is Chinese),
    and Qt's own (OK/Cancel, Yes/No …) in the same language — Chinese by default."""
    locale = QLocale.system()
    own = QTranslator(app)
    language = "zh_CN"
    folder = resource_dir(*TRANSLATIONS)  # none yet: the source text is the Chinese
    if folder is not None and own.load(locale, "landbank", "_", str(folder)):
        app.installTranslator(own)
        language = locale.name()
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)


def app_icon() -> QIcon:
    """The app's icon (``resources/icons/landbank.svg``) for its windows and the taskbar; the
    Windows executable carries the same drawing (packaging/build.py), but Qt would show
    Windows' generic icon on the window without this. Empty when the file is missing."""
    node = resource(*APP_ICON)
    return QIcon(str(node)) if isinstance(node, Path) and node.is_file() else QIcon()


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, set up once: names (QSettings), font (the system's CJK font, else the
    one landbank ships: :mod:`landbank.ui.fonts`), translations."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else None
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv)
    if getattr(app, "_landbank_ready", False):
        return app
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    QGuiApplication.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    shipped_family()  # registered at start: printouts always use it, the screen when needed
    family = choose_cjk_font()
    if family is not None:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)
    _install_translations(app)
    app._landbank_ready = True  # type: ignore[attr-defined]
    return app


def _is_empty(ctx: AppContext) -> bool:
    with ctx.session() as session:
        return count_records(session, RecordKind.REGION) == 0


def fill_demo(ctx: AppContext) -> str:
    """Create the demo city (with a busy cursor); returns what was created."""
    from landbank.services.demo.city import create_demo_city

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()
    try:
        with ctx.write_session() as session:
            summary = create_demo_city(session, year=date.today().year)
    finally:
        QApplication.restoreOverrideCursor()
    return summary.describe()


def _open(db: str | None, *, demo: bool, ask: bool = False) -> AppContext:
    """The ledger; with ``ask``, a city server's password is asked for when needed."""
    settings = Settings.load()
    if demo and db is None:
        db = str(data_dir() / "demo.sqlite3")
    url = database_url(db, settings)
    if ask:
        from landbank.ui.password_dialog import open_asking_password

        return AppContext(open_asking_password(url), settings)
    return AppContext(open_database(url), settings)


def run_gui(db: str | None = None, *, demo: bool = False) -> int:
    """Open the ledger in the main window and run until it closes; returns the exit code."""
    app = create_application()
    try:
        ctx = _open(db, demo=demo, ask=True)
    except DatabaseError as exc:
        QMessageBox.critical(None, _tr("无法打开数据库"), str(exc))
        return 2
    try:
        if _is_empty(ctx):
            wanted = demo or (
                QMessageBox.question(
                    None,
                    _tr("空数据库"),
                    _tr("数据库为空。是否载入演示数据（一个示例城市：3 个县、2 个区）？"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                == QMessageBox.StandardButton.Yes
            )
            if wanted:
                try:
                    fill_demo(ctx)
                except Exception as exc:  # the clerk still gets an (empty) ledger to work in
                    QMessageBox.warning(None, _tr("演示数据"), _tr("载入演示数据失败：") + str(exc))
        window = MainWindow(ctx)
        window.show()
        from landbank.ui.backup_jobs import backup_on_close, backup_on_open
        from landbank.ui.identity_form import ask_identity_once

        backup_on_open(window)  # leftovers tidied, today's backup if none yet (in the background)
        ask_identity_once(ctx, window)
        code = int(app.exec())
        backup_on_close(ctx)
        return code
    finally:
        ctx.engine.dispose()


def _quiet_qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        log.error("Qt: %s", message)
    else:
        log.debug("Qt: %s", message)


def render_screenshot(
    db: str | None,
    out: Path,
    view: str = "parcels",
    size: tuple[int, int] = (1400, 860),
) -> None:
    """Render the main window on ``view`` into a PNG at ``out``, offscreen.

    Raises :class:`DatabaseError` when the database cannot be opened, ``KeyError`` for an
    unknown view, ``OSError`` when the PNG cannot be written.
    """
    kind = None if view == SCREENSHOT_MAP else SCREENSHOT_VIEWS[view]
    create_application([sys.argv[0] if sys.argv else APP_NAME])
    # Offscreen, Qt says in English what the platform cannot do (“This plugin does not
    # support propagateSizeHints()”): nothing the clerk can act on. Only real failures are
    # passed on, to the log.
    qInstallMessageHandler(_quiet_qt_messages)
    ctx = _open(db, demo=False)
    try:
        window = MainWindow(ctx, remember_state=False)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        if kind is None:
            window.tabs.setCurrentIndex(window.map_link.index)
        else:
            window.show_kind(kind)
        window.show()
        if kind is None:
            window.map_link.settle()  # read, fitted and labelled now, not after a timer
        else:
            window.current_view().select_first()  # the detail pane shows a record
        QApplication.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            raise OSError(f"无法写入 {out}")
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    finally:
        ctx.engine.dispose()
