"""Run in a fresh process by bench_tables.py: start landbank's main window on a big ledger and
time what a clerk waits for. Prints one JSON line.

    python -m benchmarks.window_probe DB_PATH_OR_URL
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


def main(db_path: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from landbank.settings import Settings
    from landbank.store.migrate import open_database
    from landbank.store.queries import RecordFilter
    from landbank.ui.context import AppContext
    from landbank.ui.main_window import MainWindow
    from landbank.ui.records.table_model import RecordTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    imported_ms = _ms(START)
    engine = open_database(db_path if "://" in db_path else f"sqlite:///{db_path}")
    window = MainWindow(AppContext(engine, Settings.load()))
    window.resize(1400, 860)
    window.show()
    app.processEvents()
    shown_ms = _ms(START)
    print("shown", flush=True)  # the parent times process start → this line

    models = [m for m in window.findChildren(RecordTableModel) if m.kind.value == "parcel"]
    model = models[0]
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
    area_col = model.column_of("area_mu")
    region_col = model.column_of("region_id")

    def sort_by(column: int) -> None:
        model.sort(column, Qt.SortOrder.AscendingOrder)
        model.sort(column, Qt.SortOrder.DescendingOrder)

    sort_area_ms = round(timed(lambda: sort_by(area_col)) / 2, 1)
    sort_region_ms = round(timed(lambda: sort_by(region_col)) / 2, 1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        json.dumps(
            {
                "imports_ms": imported_ms,
                "in_process_to_shown_ms": shown_ms,
                "rows_on_first_page": rows_shown,
                "total_rows": total_rows,
                "filter_ms": filter_ms,
                "filtered_rows": filtered_rows,
                "search_ms": search_ms,
                "sort_area_ms": sort_area_ms,
                "sort_region_ms": sort_region_ms,
                "peak_rss_mb": round(peak_mb, 1),
            }
        ),
        flush=True,
    )
    window.close()


if __name__ == "__main__":
    main(sys.argv[1])
