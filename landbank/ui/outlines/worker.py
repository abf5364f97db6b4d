"""The outline import (or its dry run) on a worker thread: a session of its own, the report
or the reason back by queued signal; never a widget here.

The thread is Python's own (``threading.Thread``), not a QThreadPool's: pyproj keeps its
PROJ context per Python thread state, which PySide drops after each QRunnable, and the second
job on a pool thread crashed the process in ``Transformer.from_crs`` (seen in the tests).

A dry run writes nothing, so cancelling it only stops waiting (its late result is dropped).
An import checks the cancel flag between records: :class:`OutlineCancelled` rolls back the
session, and nothing is written.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.outlines.importer import (
    KeyChoice,
    OnExisting,
    OutlineCancelled,
    OutlineOptionError,
    import_outlines,
)
from landbank.services.outlines.reading import OutlineFileError
from landbank.services.outlines.report import OutlineReport
from landbank.services.records.saving import RecordError
from landbank.store.engine import read_session, write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutlineOptions:
    path: Path
    kind: RecordKind = RecordKind.PARCEL
    key: KeyChoice = "code"
    key_field: str | None = None
    county: str | None = None
    on_existing: OnExisting = "keep"


def run_outline_import(
    engine: Engine, options: OutlineOptions, *, dry_run: bool, user: str, cancelled: threading.Event
) -> OutlineReport:
    """The worker function: a dry run in a read session, an import in a write session
    (committed when the block ends normally, rolled back on a cancel or an error)."""
    opened = read_session if dry_run else write_session
    with opened(engine) as session:
        return import_outlines(
            session,
            options.path,
            kind=options.kind,
            key=options.key,
            key_field=options.key_field,
            county=options.county,
            on_existing=options.on_existing,
            dry_run=dry_run,
            user=user,
            cancelled=cancelled.is_set,
        )


class OutlineSignals(QObject):
    finished = Signal(object)  # OutlineReport
    failed = Signal(str)  # the reason, in Chinese
    cancelled = Signal()


class OutlineJob:
    """One run on a thread of its own; keep a reference until a signal arrives."""

    def __init__(
        self, engine: Engine, options: OutlineOptions, *, dry_run: bool, user: str
    ) -> None:
        self.engine = engine
        self.options = options
        self.dry_run = dry_run
        self.user = user
        self.signals = OutlineSignals()
        self._cancel = threading.Event()
        self.thread = threading.Thread(target=self.run, name="outline-import", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def wait(self) -> None:
        if self.thread.is_alive():
            self.thread.join()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:  # on the worker thread
        try:
            report = run_outline_import(
                self.engine,
                self.options,
                dry_run=self.dry_run,
                user=self.user,
                cancelled=self._cancel,
            )
        except OutlineCancelled:
            self.signals.cancelled.emit()
        except (OutlineFileError, OutlineOptionError, RecordError) as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # reported to the clerk, never lost in the thread
            log.exception("outline import of %s failed", self.options.path)
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(report)
