"""Read a file for the wizard's first pages, and run an import (or its dry run), on a worker
thread; results come back by queued signal.

:class:`PreviewJob` builds the :class:`~landbank.services.importing.preview.ImportPreview` (reading
a large file takes seconds): reading cannot be interrupted, so Cancel abandons the job — the
page stops waiting for it and its late result is dropped.

:class:`ImportJob`'s worker function opens its own database session (sessions are never shared
across threads), runs :func:`landbank.services.importing.importer.import_records` and emits the report.
Cancel sets an event the progress callback reads; the importer then rolls back and reports
``cancelled``.

Neither touches a widget: the page connects its own slots with ``Qt.QueuedConnection``.
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
from landbank.services.importing.importer import DuplicatePolicy, ImportOptionError, import_records
from landbank.services.importing.preview import ImportPreview, preview_import
from landbank.services.importing.report import ImportReport, Progress
from landbank.services.importing.spreadsheet import SpreadsheetError, Workbook
from landbank.services.records.saving import WriteRefused
from landbank.store.engine import write_session

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
    sheets: tuple[str, ...] = ()  # more than one: these sheets of one layout, in one run
    defaults: tuple[tuple[str, str], ...] = ()  # (field key, text) the clerk gave
    region: str | None = None
    create_regions: bool = False


class _Cancellable:
    """A job the GUI thread can cancel; the worker thread asks :attr:`cancelled`."""

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


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
    with write_session(engine) as session:
        several = len(options.sheets) > 1
        return import_records(
            session,
            options.kind,
            options.path,
            sheet=None if several else options.sheet,
            sheets=list(options.sheets) if several else None,
            defaults=dict(options.defaults),
            region=options.region,
            create_regions=options.create_regions,
            header_row=None if several else options.header_row,
            on_duplicate=options.on_duplicate,
            dry_run=dry_run,
            user=user,
            all_land_uses=options.all_land_uses,
            mapping=list(options.mapping),
            progress=progress,
        )


class ImportJob(_Cancellable):
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
        super().__init__()
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
        except (SpreadsheetError, ImportOptionError, WriteRefused) as exc:  # (rights: why not)
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # reported to the clerk, never lost in the thread
            log.exception("import of %s failed", self.options.path)
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(report)
        finally:
            self.running = False


# ------------------------------------------------------------------ reading for the preview


@dataclass(frozen=True)
class PreviewRequest:
    """What to preview: ``book`` is the file already read (another sheet or header row)."""

    kind: RecordKind
    path: Path
    sheet: str | None = None
    header_row: int | None = None
    book: Workbook | None = None


class PreviewSignals(QObject):
    """Emitted once from the worker thread; connect GUI slots with a queued connection."""

    finished = Signal(object)  # ImportPreview, or None when cancelled before it started
    failed = Signal(str)  # the reason, in Chinese


def build_preview(request: PreviewRequest) -> ImportPreview:
    """The worker function: read the file (unless already read) and find sheet, header and
    columns."""
    return preview_import(
        request.kind,
        request.path,
        sheet=request.sheet,
        header_row=request.header_row,
        book=request.book,
    )


class PreviewJob(_Cancellable):
    """One run of :func:`build_preview` on ``pool``; exactly one signal ends it. :meth:`cancel`
    (GUI thread) skips a job still waiting for its thread; a running one ends on its own and
    its result is ignored by the page."""

    def __init__(self, request: PreviewRequest, parent: QObject | None = None) -> None:
        self.request = request
        self.signals = PreviewSignals(parent)
        super().__init__()

    def connect(
        self, on_finished: Callable[[object], None], on_failed: Callable[[str], None]
    ) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self.signals.finished.connect(on_finished, queued)
        self.signals.failed.connect(on_failed, queued)

    def start(self, pool: QThreadPool) -> None:
        pool.start(self._work)

    def _work(self) -> None:  # on the worker thread: no widgets here
        if self._cancel.is_set():
            self.signals.finished.emit(None)
            return
        try:
            preview = build_preview(self.request)
        except SpreadsheetError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # reported to the clerk, never lost in the thread
            log.exception("reading %s failed", self.request.path)
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(preview)
