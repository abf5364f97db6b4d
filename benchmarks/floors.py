"""The floors the cold-start benchmarks compare against: the least a fresh Python process
doing the same kind of thing takes on this machine, with nothing of landbank loaded.

    python benchmarks/floors.py window     # a bare QTableView of 200 rows shown; prints "shown"
    python benchmarks/floors.py pdf OUT    # a two-page QTextDocument printed to an A4 PDF

(Run as a script, not ``-m``: the floor imports nothing but Qt.) The floor of a command that
prints a line is ``python -c "print(...)"``, the interpreter alone.
"""

from __future__ import annotations

import os
import sys


def window() -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(200, 12)
    for row in range(200):
        for column in range(12):
            model.setItem(row, column, QStandardItem(f"孟庄镇{row}号地块 {column}"))
    view = QTableView()
    view.setModel(model)
    view.resize(1400, 860)
    view.show()
    app.processEvents()
    print("shown", flush=True)


def pdf(out: str) -> None:
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    rows = "".join(
        f"<tr><td>{i}</td><td>示范县{i}</td><td>{i * 37.5:,.2f}</td><td>{i % 100}%</td></tr>"
        for i in range(1, 71)
    )
    document = QTextDocument()
    document.setHtml(f"<h1>年度指标进度通报</h1><table border='1'>{rows}</table>")
    writer = QPdfWriter(out)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    document.print_(writer)
    pages = document.pageCount()
    del writer
    app.quit()
    print(f"pages {pages}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1] == "window":
        window()
    elif sys.argv[1] == "pdf":
        pdf(sys.argv[2])
    else:
        raise SystemExit(f"unknown floor {sys.argv[1]}")
