"""Backups off the GUI thread, and the daily backup when the app opens and closes.

:class:`BackupJob` runs one backup or restore (:mod:`landbank.services.backup.backups`) on
landbank's backup thread pool; its progress, result or failure (the reason, in Chinese) come
back by queued signal, so no widget is touched from the worker thread (the pattern of
:mod:`landbank.ui.importing.worker`).

:func:`backup_on_open` (after the main window shows): what a killed backup or export left is
removed and, when the ledger has no daily backup of today, one is made in the background; the
status bar says how it went. :func:`backup_on_close` (after the event loop ends): waits for a
backup still running, then makes the day's backup when the app stayed open past midnight.
Both are cheap when today's backup exists (a look at the backup folder's names).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal

from landbank.services.backup.backups import daily_backup, daily_backup_due
from landbank.services.backup.leftovers import remove_leftovers
from landbank.services.errors import describe_error
from landbank.store.backup import BackupError, Progress

if TYPE_CHECKING:
    from landbank.ui.context import AppContext
    from landbank.ui.main_window import MainWindow

log = logging.getLogger(__name__)

_pool: QThreadPool | None = None


def backup_pool() -> QThreadPool:
    """One backup at a time, on a thread of its own."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def _tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


class JobSignals(QObject):
    """Emitted from the worker thread; connect GUI slots with a queued connection."""

    progress = Signal(int, int)  # pages copied, pages in all
    finished = Signal(object)  # what the work returned
    failed = Signal(str)  # the reason, in Chinese


class BackupJob:
    """``work(progress)`` on the backup pool. Keep a reference until ``finished`` or ``failed``
    arrives."""

    def __init__(self, work: Callable[[Progress], object], parent: QObject | None = None) -> None:
        self._work = work
        self.signals = JobSignals(parent)
        self.running = False

    def connect(
        self,
        on_finished: Callable[[object], None],
        on_failed: Callable[[str], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self.signals.finished.connect(on_finished, queued)
        self.signals.failed.connect(on_failed, queued)
        if on_progress is not None:
            self.signals.progress.connect(on_progress, queued)

    def start(self) -> None:
        self.running = True
        backup_pool().start(self._run)

    def _run(self) -> None:  # on the worker thread: no widgets here
        try:
            result = self._work(self.signals.progress.emit)
        except BackupError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # reported to the clerk, never lost in the thread
            log.exception("backup job failed")
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(result)
        finally:
            self.running = False


def _url(ctx: AppContext) -> str:
    return ctx.engine.url.render_as_string(hide_password=False)


def backup_on_open(window: MainWindow) -> BackupJob:
    """Tidy leftovers and make today's backup if due, in the background; the status bar tells
    the clerk. Returns the job (already started)."""
    url = _url(window.ctx)

    def work(progress: Progress) -> object:
        remove_leftovers(url)
        return daily_backup(url, progress=progress)

    job = BackupJob(work, window)

    def finished(path: object) -> None:
        if path is not None:
            window.show_message(_tr("已自动备份台账（每日备份）"), 2)

    def failed(reason: str) -> None:
        window.show_message(_tr("自动备份失败：{reason}").format(reason=reason), 5)

    job.connect(finished, failed)
    job.start()
    return job


def backup_on_close(ctx: AppContext) -> None:
    """After the window closed: wait for a backup still running; make the day's backup when
    none exists yet (the app was open past midnight). Failures go to the log."""
    backup_pool().waitForDone()
    url = _url(ctx)
    if not daily_backup_due(url):
        return
    try:
        daily_backup(url)
    except BackupError as exc:
        log.warning("daily backup at close failed: %s", exc)
