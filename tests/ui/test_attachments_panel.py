"""The record dialog's 附件 tab (issue 15 part 5): thumbnails of photos (JPEG and PNG made
with Qt), a page icon for a PDF (written with QPdfWriter), files added by the file dialog's
path list and by dropping them, refusals named in one message box, open / save a copy /
remove, the 资料完整度 line counting the photo, a park's box, and read-only for a viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDropEvent,
    QFont,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.attachments import filetypes
from landbank.services.attachments.service import attachment_data, list_attachments
from landbank.services.server.rights import Rights
from landbank.ui.attachments.panel import AttachmentsPanel
from landbank.ui.attachments.thumbnails import clear_cache
from landbank.ui.context import AppContext
from landbank.ui.records.dialog import RecordDialog
from tests.ui.conftest import Ledger


def _photo(path: Path, colour: str, size: tuple[int, int] = (1600, 1200)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#87ceeb"))
    painter = QPainter(image)
    painter.fillRect(QRect(0, size[1] * 2 // 3, size[0], size[1] // 3), QColor(colour))
    painter.setBrush(QColor("#fdd835"))
    painter.drawEllipse(QPoint(size[0] // 5, size[1] // 4), size[0] // 12, size[0] // 12)
    painter.end()
    assert image.save(str(path))
    return path


def _pdf(path: Path) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.setFont(QFont("WenQuanYi Micro Hei", 24))
    painter.drawText(QPointF(800, 1200), "QS-001 红线图")
    painter.drawRect(QRect(1200, 2000, 5000, 4000))
    painter.end()
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    clear_cache()
    too_big = tmp_path / "航拍原图.jpg"
    with too_big.open("wb") as f:
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(filetypes.MAX_FILE_BYTES + 1)
    disguised = tmp_path / "伪装.jpg"
    disguised.write_bytes(b"PK\x03\x04" + bytes(40))
    return {
        "east": _photo(tmp_path / "东侧现场.jpg", "#6d8b3a"),
        "west": _photo(tmp_path / "西侧道路.png", "#8d6e63", (900, 1400)),
        "pdf": _pdf(tmp_path / "QS-001红线图.pdf"),
        "big": too_big,
        "fake": disguised,
    }


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []

    def box(_parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        said.append((title, text))
        return QMessageBox.StandardButton.Yes

    for name in ("warning", "question", "information"):
        monkeypatch.setattr(QMessageBox, name, box)
    return said


def _panel(ctx: AppContext, qtbot: QtBot, ledger: Ledger) -> tuple[RecordDialog, AttachmentsPanel]:
    dialog = RecordDialog(ctx, RecordKind.PARCEL, ledger.parcels["QS-001"])
    qtbot.addWidget(dialog)
    assert dialog.attachments is not None
    assert dialog.tabs is not None
    return dialog, dialog.attachments


def test_thumbnails_add_refuse_open_save_remove(
    ctx: AppContext, qtbot: QtBot, small_ledger: Ledger, files: dict[str, Path],
    boxes: list[tuple[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    dialog, panel = _panel(ctx, qtbot, small_ledger)
    tabs = dialog.tabs
    assert tabs is not None
    assert tabs.tabText(tabs.count() - 1) == "附件"
    assert dialog.completeness is not None
    assert "照片" in dialog.completeness.missing
    assert "还没有附件" in panel.status.text()
    assert not panel.open_button.isEnabled()

    added = panel.add_files(
        [files["east"], files["big"], files["pdf"], files["fake"], files["west"]]
    )

    assert added == 3
    assert len(boxes) == 1  # one box names every refused file and why
    title, text = boxes[0]
    assert title == "附件未添加"
    assert "2 个文件未添加" in text
    assert "“航拍原图.jpg”有 20.0 MB，超过单个附件 20.0 MB 的上限" in text
    assert "“伪装.jpg”的扩展名是 .jpg，但内容不是JPEG 图片" in text
    assert tabs.tabText(tabs.count() - 1) == "附件（3）"
    assert [panel.list.item(i).text().split("\n")[:2] for i in range(panel.list.count())] == [
        ["照片", "东侧现场.jpg"], ["红线图", "QS-001红线图.pdf"], ["照片", "西侧道路.png"]
    ]  # fmt: skip
    for i in range(3):
        icon = panel.list.item(i).icon()
        assert not icon.isNull()
        assert max(icon.availableSizes()[0].width(), icon.availableSizes()[0].height()) <= 128
    photo = panel.list.item(0).icon().pixmap(128, 128).toImage()
    assert photo.pixelColor(64, 110).green() > photo.pixelColor(64, 110).blue()  # the green field
    assert dialog.completeness is not None  # the photo now counts in 资料完整度
    assert "照片" not in dialog.completeness.missing

    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    panel.list.setCurrentRow(1)
    copy = panel.open_selected()
    assert copy is not None
    assert opened == [QUrl.fromLocalFile(str(copy))]
    assert copy.read_bytes() == files["pdf"].read_bytes()
    assert panel.save_selected(tmp_path / "另存" / "x.pdf") is False  # no such folder
    assert "文件夹不存在" in boxes[-1][1]
    target = tmp_path / "红线图副本.pdf"
    assert panel.save_selected(target)
    assert target.read_bytes() == files["pdf"].read_bytes()

    panel.list.setCurrentRow(0)
    assert panel.remove_selected()
    assert boxes[-1][0] == "删除附件"
    assert "东侧现场.jpg" in boxes[-1][1]
    with ctx.session() as s:
        left = list_attachments(s, RecordKind.PARCEL, small_ledger.parcels["QS-001"])
        assert [f.file_name for f in left] == ["QS-001红线图.pdf", "西侧道路.png"]
        assert attachment_data(s, left[1].id) == files["west"].read_bytes()
    assert tabs.tabText(tabs.count() - 1) == "附件（2）"


def test_files_dropped_on_the_tab_are_added_with_the_chosen_category(
    ctx: AppContext, qtbot: QtBot, small_ledger: Ledger, files: dict[str, Path]
) -> None:
    _dialog, panel = _panel(ctx, qtbot, small_ledger)
    panel.category.setCurrentIndex(panel.category.findData("规划条件"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["pdf"]))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    panel.dropEvent(event)
    assert event.isAccepted()
    with ctx.session() as s:
        found = list_attachments(s, RecordKind.PARCEL, small_ledger.parcels["QS-001"])
    assert [(f.category, f.file_name) for f in found] == [("规划条件", "QS-001红线图.pdf")]


def test_a_viewer_sees_the_files_but_cannot_change_them(
    ctx: AppContext, qtbot: QtBot, small_ledger: Ledger, files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _dialog, panel = _panel(ctx, qtbot, small_ledger)
    panel.add_files([files["east"]])
    monkeypatch.setattr(AppContext, "rights", property(lambda self: Rights("kan", "看", "viewer")))
    _viewer_dialog, viewer = _panel(ctx, qtbot, small_ledger)
    assert viewer.list.count() == 1
    assert not viewer.add_button.isEnabled()
    assert "只能查看" in viewer.add_button.toolTip()
    assert "只能查看附件" in viewer.status.text()
    viewer.list.setCurrentRow(0)
    assert viewer.save_button.isEnabled()
    assert not viewer.remove_button.isEnabled()
    assert not viewer.acceptDrops()


def test_a_park_holds_files_in_a_box_and_a_new_record_none(
    ctx: AppContext, qtbot: QtBot, small_ledger: Ledger, files: dict[str, Path], tmp_path: Path
) -> None:
    dialog = RecordDialog(ctx, RecordKind.PARK, small_ledger.parks["青山经开区"])
    qtbot.addWidget(dialog)
    assert dialog.attachments is not None
    dialog.attachments.add_files([files["west"]])
    assert dialog.attachments.list.count() == 1
    new = RecordDialog(ctx, RecordKind.PARCEL)
    qtbot.addWidget(new)
    assert new.attachments is None


def test_ctrl_z_after_a_delete_brings_the_files_back_with_the_records(
    ctx: AppContext, qtbot: QtBot, small_ledger: Ledger, files: dict[str, Path],
    boxes: list[tuple[str, str]],
) -> None:  # fmt: skip
    from PySide6.QtCore import QItemSelectionModel
    from sqlalchemy import select
    from sqlmodel import col

    from landbank.store.models import LandParcel
    from landbank.ui.main_window import MainWindow

    for code, path in (("BJ-001", files["east"]), ("BJ-002", files["pdf"])):
        dialog = RecordDialog(ctx, RecordKind.PARCEL, small_ledger.parcels[code])
        qtbot.addWidget(dialog)
        assert dialog.attachments is not None
        assert dialog.attachments.add_files([path]) == 1
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    view = window.current_view()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(view.model.rowCount()):
        if view.model.row_dict(row)["code"] in ("BJ-001", "BJ-002"):
            view.table.selectionModel().setCurrentIndex(view.model.index(row, 0), flags)
    window.delete_action.trigger()
    window.undo_action.trigger()
    with ctx.session() as s:
        found = {}
        for code in ("BJ-001", "BJ-002"):
            parcel = s.execute(select(LandParcel).where(col(LandParcel.code) == code)).scalar_one()
            assert parcel.id != small_ledger.parcels[code]  # the undo makes a new record
            found[code] = [
                (f.file_name, f.record_id)
                for f in list_attachments(s, RecordKind.PARCEL, parcel.id or 0)
            ]
            assert found[code][0][1] == parcel.id
    assert [f[0] for f in found["BJ-001"]] == ["东侧现场.jpg"]
    assert [f[0] for f in found["BJ-002"]] == ["QS-001红线图.pdf"]
