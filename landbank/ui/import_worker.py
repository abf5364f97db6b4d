"""Run an import (or its dry run) on a worker thread; results come back by queued signal.

The worker function opens its own database session (sessions are never shared across
threads), runs :func:`landbank.services.importer.import_records` and emits the report. It never
touches a widget: the page connects its own slots with ``Qt.QueuedConnection``. Cancel sets an
event the progress callback reads; the importer then rolls back and reports ``cancelled``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.import_report import ImportReport, Progress
from landbank.services.importer import DuplicatePolicy, import_records
from landbank.services.spreadsheet import SpreadsheetError
from landbank.store.engine import session_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOptions:
    """Everything the wizard decided before the import runs."""

    kind: RecordKind
    path: Path
    sheet: str
    header_row: int
    mapping: tuple[str | None, ...]
    on_duplicate: DuplicatePolicy = "stop"
    all_land_uses: bool = False


class JobSignals(QObject):
    """Emitted from the worker thread; connect GUI slots with a queued connection."""

    progress = Signal(object)  # Progress
    finished = Signal(object)  # ImportReport
    failed = Signal(str)  # the reason, in Chinese


def run_import(
    engine: Engine,
    options: ImportOptions,
    *,
    dry_run: bool,
    user: str,
    progress: Callable[[Progress], bool],
) -> ImportReport:
    """The worker function: one session of its own, committed when the import kept its
    changes (a dry run, errors or a cancel have rolled them back already)."""
    with session_scope(engine) as session:
        return import_records(
            session,
            options.kind,
            options.path,
            sheet=options.sheet,
            header_row=options.header_row,
            on_duplicate=options.on_duplicate,
            dry_run=dry_run,
            user=user,
            all_land_uses=options.all_land_uses,
            mapping=list(options.mapping),
            progress=progress,
        )


class ImportJob:
    """One run of :func:`run_import` on ``pool``. Keep a reference until ``finished`` or
    ``failed`` arrives; :meth:`cancel` may be called at any time from the GUI thread."""

    def __init__(
        self,
        engine: Engine,
        options: ImportOptions,
        *,
        dry_run: bool,
        user: str,
        parent: QObject | None = None,
    ) -> None:
        self.engine = engine
        self.options = options
        self.dry_run = dry_run
        self.user = user
        self.signals = JobSignals(parent)
        self._cancel = threading.Event()
        self.running = False

    def connect(
        self,
        on_progress: Callable[[object], None],
        on_finished: Callable[[object], None],
        on_failed: Callable[[str], None],
    ) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self.signals.progress.connect(on_progress, queued)
        self.signals.finished.connect(on_finished, queued)
        self.signals.failed.connect(on_failed, queued)

    def start(self, pool: QThreadPool) -> None:
        self.running = True
        pool.start(self._work)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, step: Progress) -> bool:
        self.signals.progress.emit(step)
        return not self._cancel.is_set()

    def _work(self) -> None:  # on the worker thread: no widgets here
        try:
            report = run_import(
                self.engine,
                self.options,
                dry_run=self.dry_run,
                user=self.user,
                progress=self._progress,
            )
        except SpreadsheetError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # reported to the clerk, never lost in the thread
            log.exception("import of %s failed", self.options.path)
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(report)
        finally:
            self.running = False
