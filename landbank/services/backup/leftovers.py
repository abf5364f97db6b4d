"""What a killed backup or export leaves behind, removed at the next start.

Every file landbank writes goes first to a hidden temporary name in the target's folder,
``.<name>-xxxxxxxx.<sqlite3|xlsx|pdf|zip|geojson|txt>.part`` (``tempfile.mkstemp``'s eight random characters),
and is renamed when complete; a process killed in between leaves that file (and, for a backup,
perhaps SQLite's ``-journal``/``-wal``/``-shm`` beside it). The GUI's start
and every CLI command that opens the ledger call :func:`remove_leftovers`, which deletes such
files — only names of that pattern, and only those untouched for :data:`MIN_AGE_S` (another
landbank may be writing one right now) — from

- the ledger's backup folder (``备份/``), and
- the folders exports, printed PDFs and backups to a chosen file were written to since the last
  tidying: writers note their folder with :func:`note_output_folder` *before* they create the
  temporary file, in ``output-folders.json`` in landbank's data folder, with the time; a folder
  found clean (and noted longer ago than :data:`MIN_AGE_S`) is dropped from that list, so the
  list stays short and no other folder is ever searched.

Writers of documents (exports, templates, PDFs) take that temporary name, the note and the
rename from :func:`written_when_complete`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from landbank.settings import data_dir
from landbank.store.backup import backup_folder
from landbank.store.engine import sqlite_path

log = logging.getLogger(__name__)

# The temporary file, and beside a temporary SQLite copy what SQLite may leave of its own
# (``-journal``, ``-wal``, ``-shm``: a copy killed while being made a single file).
PARTIAL_FILE = re.compile(
    r"^\..+-[a-z0-9_]{8}\.(?:sqlite3|xlsx|pdf|zip|geojson|txt)\.part(?:-journal|-wal|-shm)?$"
)
MIN_AGE_S = 120.0
MAX_FOLDERS = 50
JOURNAL_NAME = "output-folders.json"


def journal_path() -> Path:
    return data_dir() / JOURNAL_NAME


def _read_journal() -> dict[str, float]:
    """The noted folders and when each was last noted (seconds since the epoch)."""
    try:
        noted = json.loads(journal_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(noted, dict):
        return {}
    return {
        folder: float(when)
        for folder, when in noted.items()
        if isinstance(folder, str) and isinstance(when, int | float)
    }


def _write_journal(noted: dict[str, float]) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    newest = dict(sorted(noted.items(), key=lambda item: item[1], reverse=True)[:MAX_FOLDERS])
    # A name of this process and thread: the GUI notes an export while its backup thread tidies.
    temp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temp.write_text(json.dumps(newest, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def note_output_folder(folder: Path) -> None:
    """Remember that landbank is about to write a file (through a temporary name) in
    ``folder``. Never fails: an export is not stopped for want of a note."""
    try:
        noted = _read_journal()
        noted[str(Path(folder).resolve())] = time.time()
        _write_journal(noted)
    except OSError as exc:
        log.warning("cannot note the output folder %s: %s", folder, exc)


@contextmanager
def written_when_complete(target: Path, extension: str) -> Iterator[Path]:
    """A document (``extension``: ".xlsx", ".pdf") written to a temporary name beside
    ``target`` (its folder noted first, so a
    write killed midway is tidied at the next start), given the usual permissions of a
    document (not mkstemp's private 0600) and renamed to ``target`` when the block ends
    normally; removed when it does not. Raises :class:`OSError` when it cannot be created."""
    note_output_folder(target.parent)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}-", suffix=f"{extension}.part", dir=target.parent
    )
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        mask = os.umask(0o022)
        os.umask(mask)
        temp.chmod(0o666 & ~mask)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def partial_files(folder: Path) -> list[tuple[Path, float]]:
    """landbank's temporary files in ``folder`` with their last change (seconds since the
    epoch); none when the folder cannot be read."""
    found = []
    with suppress(OSError):
        for entry in os.scandir(folder):
            if PARTIAL_FILE.match(entry.name) and entry.is_file(follow_symlinks=False):
                with suppress(OSError):
                    found.append((Path(entry.path), entry.stat().st_mtime))
    return found


def remove_leftovers(
    url: str | None, *, now: float | None = None, min_age: float = MIN_AGE_S
) -> list[Path]:
    """Delete the temporary files a killed backup or export left (see the module's docstring)
    in the backup folder of the ledger ``url`` (if a SQLite file) and in the noted output
    folders. Returns what was deleted. Never fails."""
    moment = time.time() if now is None else now
    folders: list[Path] = []
    ledger = sqlite_path(url) if url else None
    if ledger is not None:
        folders.append(backup_folder(ledger))
    noted = _read_journal()
    folders += [Path(name) for name in noted]
    removed: list[Path] = []
    clean: set[str] = set()
    for folder in folders:
        young = False
        for path, changed in partial_files(folder):
            if moment - changed < min_age:
                young = True
                continue
            try:
                path.unlink()
            except OSError as exc:
                log.warning("cannot remove the leftover %s: %s", path, exc)
                young = True  # try again next time
            else:
                removed.append(path)
        if not young:
            clean.add(str(folder))
    # A folder noted just now may be about to get its temporary file: it stays on the list.
    done = {name for name, when in noted.items() if name in clean and moment - when >= min_age}
    if done:
        with suppress(OSError):
            # Read again: another landbank may have noted a folder meanwhile.
            again = _read_journal()
            _write_journal(
                {
                    name: when
                    for name, when in again.items()
                    if name not in done or when != noted[name]
                }
            )
    return removed
