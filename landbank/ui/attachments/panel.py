"""The 附件 tab of a record's dialog: the record's photos and documents as thumbnails, with
添加… (a file dialog, or files dropped on the tab), 打开 (a copy in a temporary folder opened
with the system's program), 另存为…, 删除 (after a confirmation) and the category new files
are filed under (自动 guesses it: :func:`landbank.services.attachments.filetypes.guess_category`).

Each change is its own write, audited, whatever the dialog's 保存/取消 does. A file refused
(type, size, a duplicate) is named with the reason in a message box; the others are added.
Read-only, with the reason shown, when the login may not change the record (another
county's record, a viewer: :mod:`landbank.services.server.rights`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.attachments.filetypes import CATEGORIES, format_size
from landbank.services.attachments.service import (
    AttachmentError,
    AttachmentInfo,
    attach,
    attachment_data,
    list_attachments,
    read_file,
    remove,
    save_copy,
)
from landbank.services.errors import describe_error
from landbank.services.records.saving import RecordError
from landbank.store.models import TABLES, as_utc
from landbank.ui.attachments.thumbnails import THUMB, icon_for, is_cached
from landbank.ui.context import AppContext

FILE_FILTER = "照片和文档 (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)"
AUTO = "自动"


class AttachmentsPanel(QWidget):
    """A record's attachments (see the module doc)."""

    changed = Signal()  # a file added or removed

    def __init__(
        self, ctx: AppContext, kind: RecordKind, record_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._kind, self._record_id = ctx, kind, record_id
        self.files: list[AttachmentInfo] = []
        self._temp: Path | None = None
        self.refusal = self._refusal()

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("新文件归为："), self))
        self.category = QComboBox(self)
        self.category.addItem(self.tr("自动判断"), AUTO)
        for name in CATEGORIES:
            self.category.addItem(self.tr(name), name)
        self.category.setToolTip(
            self.tr("自动：图片归为照片，文件名含“红线”“规划”“环评”的归入相应类别，其余归为其他")
        )
        bar.addWidget(self.category)
        self.add_button = QPushButton(self.tr("添加…"), self)
        self.open_button = QPushButton(self.tr("打开"), self)
        self.save_button = QPushButton(self.tr("另存为…"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.list = QListWidget(self)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 56, THUMB + 84))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setDragEnabled(False)
        self.list.setAcceptDrops(False)
        self.list.viewport().setAcceptDrops(False)
        layout.addWidget(self.list, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.add_button.clicked.connect(self._choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self._choose_target)
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.setAcceptDrops(self.refusal is None)
        if self.refusal:
            for widget in (self.add_button, self.remove_button, self.category):
                widget.setEnabled(False)
                widget.setToolTip(self.refusal)
        self.reload()

    # ------------------------------------------------------------------ reading

    def _refusal(self) -> str | None:
        try:
            with self._ctx.session() as session:
                record = session.get(TABLES[self._kind], self._record_id)
                region_id = getattr(record, "region_id", None)
                names = {}
                if region_id is not None:
                    from landbank.store.queries import load_names

                    names = dict(load_names(session).regions)
        except SQLAlchemyError as exc:
            return describe_error(exc)
        return self._ctx.rights.can_write(self._kind, {"region_id": region_id}, names)

    def reload(self) -> None:
        """Read the record's attachments again and show them."""
        self.list.clear()
        try:
            with self._ctx.session() as session:
                self.files = list_attachments(session, self._kind, self._record_id)
                for info in self.files:
                    data: bytes | None = None  # a document's icon needs no bytes
                    if info.is_image:  # nor does a photo whose thumbnail is cached
                        cached = is_cached(info.sha256)
                        data = b"" if cached else attachment_data(session, info.id)
                    self.list.addItem(self._item(info, data))
        except (SQLAlchemyError, RecordError) as exc:
            self.files = []
            self.status.setText(self.tr("无法读取附件：{0}").format(describe_error(exc)))
            self._update_buttons()
            return
        self._show_status()
        self._update_buttons()

    def _item(self, info: AttachmentInfo, data: bytes | None) -> QListWidgetItem:
        icon = icon_for(info.file_name, info.media_type, info.sha256, data)
        item = QListWidgetItem(
            icon, f"{self.tr(info.category)}\n{info.file_name}\n{info.size_text}"
        )
        when = as_utc(info.created_at).astimezone().strftime("%Y-%m-%d %H:%M")
        tip = self.tr("{0}：{1}\n大小：{2}\n添加：{3}，{4}").format(
            self.tr(info.category), info.file_name, info.size_text, info.created_by, when
        )
        if info.notes:
            tip += "\n" + self.tr("说明：{0}").format(info.notes)
        item.setToolTip(tip)
        item.setData(Qt.ItemDataRole.UserRole, info.id)
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        return item

    def _show_status(self) -> None:
        if self.refusal:
            text = self.tr("只能查看附件：{0}").format(self.refusal)
        elif not self.files:
            text = self.tr(
                "还没有附件。点“添加…”选择照片、红线图、规划条件或环评文件，或把文件拖到这里。"
            )
        else:
            total = format_size(sum(f.size_bytes for f in self.files))
            text = self.tr("共 {0} 个附件，{1}。可把文件拖到这里添加；双击打开。").format(
                len(self.files), total
            )
        self.status.setText(text)

    def selected(self) -> AttachmentInfo | None:
        row = self.list.currentRow()
        items = self.list.selectedItems()
        if not items or not 0 <= row < len(self.files):
            return None
        return self.files[row]

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and self.refusal is None)

    # ------------------------------------------------------------------ adding

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("添加附件"), "", self.tr(FILE_FILTER))
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> int:
        """Attach ``paths`` (each in its own write); the refused ones are named with their
        reason in one message box. Returns how many were added."""
        if self.refusal:
            QMessageBox.warning(self, self.tr("不能添加附件"), self.refusal)
            return 0
        chosen = self.category.currentData()
        category = None if chosen == AUTO else str(chosen)
        added, refused = 0, []
        for path in paths:
            try:
                data = read_file(path)
                with self._ctx.write_session() as session:
                    attach(session, self._kind, self._record_id, (data, path.name),
                           user=self._ctx.user, category=category)  # fmt: skip
                added += 1
            except (RecordError, SQLAlchemyError) as exc:
                refused.append(describe_error(exc))
        if added:
            self.reload()
            self.list.setCurrentRow(len(self.files) - 1)
            self.changed.emit()
        if refused:
            head = self.tr("{0} 个文件未添加：").format(len(refused))
            QMessageBox.warning(self, self.tr("附件未添加"), head + "\n\n" + "\n\n".join(refused))
        return added

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._offer(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._offer(event)

    def _offer(self, event: QDragMoveEvent) -> None:
        if self.refusal is None and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_files(event.mimeData().urls())
        if self.refusal is None and files:
            event.acceptProposedAction()
            self.add_files(files)
        else:
            event.ignore()

    # ------------------------------------------------------------------ the chosen file

    def _data(self, info: AttachmentInfo) -> bytes | None:
        try:
            with self._ctx.session() as session:
                return attachment_data(session, info.id)
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("无法读取附件"), describe_error(exc))
            self.reload()
            return None

    def open_selected(self) -> Path | None:
        """Write the chosen file to a temporary folder and open it with the system's program;
        returns the copy's path."""
        info = self.selected()
        if info is None:
            return None
        data = self._data(info)
        if data is None:
            return None
        if self._temp is None:
            self._temp = Path(tempfile.mkdtemp(prefix="landbank-附件-"))
        copy = self._temp / f"{info.id}-{info.file_name}"
        try:
            copy.write_bytes(data)
        except OSError as exc:
            QMessageBox.warning(
                self, self.tr("无法打开"), self.tr("无法写入临时文件：{0}").format(exc)
            )
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
            QMessageBox.information(
                self, self.tr("无法打开"),
                self.tr("系统中没有可以打开“{0}”的程序；可用“另存为…”保存后再打开。").format(info.file_name),
            )  # fmt: skip
        return copy

    def _choose_target(self) -> None:
        info = self.selected()
        if info is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("附件另存为"), info.file_name)
        if name:
            self.save_selected(Path(name))

    def save_selected(self, target: Path) -> bool:
        info = self.selected()
        if info is None:
            return False
        try:
            with self._ctx.session() as session:
                save_copy(session, info.id, target)
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("另存失败"), describe_error(exc))
            return False
        self.status.setText(self.tr("已把“{0}”保存到 {1}").format(info.file_name, target))
        return True

    def remove_selected(self, *, confirm: bool = True) -> bool:
        info = self.selected()
        if info is None or self.refusal:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除附件"),
                self.tr("删除附件“{0}”（{1}，{2}）？删除后可在修改记录中看到，但文件本身不能恢复。").format(
                    info.file_name, self.tr(info.category), info.size_text),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            with self._ctx.write_session() as session:
                remove(session, info.id, user=self._ctx.user)
        except (AttachmentError, RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("删除失败"), describe_error(exc))
            self.reload()
            return False
        self.reload()
        self.changed.emit()
        return True


def _local_files(urls: list[QUrl]) -> list[Path]:
    return [
        Path(u.toLocalFile()) for u in urls if u.isLocalFile() and Path(u.toLocalFile()).is_file()
    ]
