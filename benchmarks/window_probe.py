"""Run in a fresh process by bench_tables.py and bench_startup.py: the ``landbank`` command
itself starts the GUI on a big ledger (``landbank --db DB``: the CLI, Qt, the database, the
main window), and this probe stands in for the event loop — when the command would enter
``QApplication.exec()``, the probe lets the window paint, prints ``shown`` (the parent times
process start → this line), then times what a clerk waits for and prints one JSON line
(``--no-measure``: nothing more, the command ends as when the window is closed).

    python -m benchmarks.window_probe DB_PATH_OR_URL [--no-measure]
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def measure(app: object) -> dict[str, object]:
    """Filter, search and sort on the parcel list of the window on screen (best of 5 each)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from landbank.store.queries import RecordFilter
    from landbank.ui.main_window import MainWindow
    from landbank.ui.records.table_model import RecordTableModel

    assert isinstance(app, QApplication)
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    model = next(m for m in window.findChildren(RecordTableModel) if m.kind.value == "parcel")
    rows_shown = model.rowCount()
    total_rows = model.total

    def timed(action: object) -> float:
        best = float("inf")
        for _ in range(5):
            model.set_filter(RecordFilter())
            app.processEvents()
            t0 = time.perf_counter()
            action()  # type: ignore[operator]
            app.processEvents()
            best = min(best, (time.perf_counter() - t0) * 1000)
        return round(best, 1)

    region_filter = RecordFilter(region_ids=(1,), statuses=("可供",), area_min=50.0)
    filter_ms = timed(lambda: model.set_filter(region_filter))
    filtered_rows = model.total
    search_ms = timed(lambda: model.set_filter(RecordFilter(search="孟庄")))
    searched_rows = model.total
    area_col = model.column_of("area_mu")
    region_col = model.column_of("region_id")

    def sort_by(column: int) -> None:
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)

    sort_area_ms = round(timed(lambda: sort_by(area_col)) / 2, 1)
    sort_region_ms = round(timed(lambda: sort_by(region_col)) / 2, 1)
    model.sort(-1)
    return {
        "rows_on_first_page": rows_shown,
        "total_rows": total_rows,
        "filter_ms": filter_ms,
        "filtered_rows": filtered_rows,
        "search_ms": search_ms,
        "searched_rows": searched_rows,
        "sort_area_ms": sort_area_ms,
        "sort_region_ms": sort_region_ms,
    }


def main(db_path: str, *, measuring: bool) -> int:
    from PySide6.QtWidgets import QApplication

    def shown(app: QApplication) -> int:
        in_process_ms = _ms(START)
        app.processEvents()  # the window paints its first page
        shown_ms = _ms(START)
        print("shown", flush=True)
        if measuring:
            figures = {"in_process_to_exec_ms": in_process_ms, "in_process_to_shown_ms": shown_ms}
            figures.update(measure(app))
            figures["peak_rss_mb"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1  # KiB on Linux
            )
            print(json.dumps(figures), flush=True)
        for widget in app.topLevelWidgets():
            widget.close()  # the window keeps its layout, as when the clerk closes it
        return 0

    QApplication.exec = shown  # type: ignore[method-assign,assignment]
    from landbank.cli import main as landbank

    sys.argv = ["landbank", "--db", db_path]
    return landbank()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], measuring="--no-measure" not in sys.argv[2:]))
