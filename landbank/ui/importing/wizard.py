"""The import wizard: 文件 → 工作表与表头 → 列对应 → 检查 → 导入.

Nothing is written before the last page: the file is read and previewed on a worker thread
(:func:`landbank.services.importing.preview.preview_import`, with Cancel), the clerk confirms
sheet (seeing its top rows as they are), header row
and columns (the mapping is remembered), a dry run lists every row error — any error blocks
the import, all rows or none — and the import runs on a worker thread with Cancel. The wizard
emits :attr:`ImportWizard.imported` so the main window refreshes its lists.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, QThreadPool, Signal
from PySide6.QtWidgets import QWidget, QWizard

from landbank.domain.enums import RecordKind
from landbank.services.importing import IMPORT_KINDS
from landbank.services.importing.importer import DuplicatePolicy
from landbank.services.importing.preview import ImportPreview
from landbank.services.importing.report import ImportReport
from landbank.ui.context import AppContext
from landbank.ui.importing.file_page import FilePage
from landbank.ui.importing.mapping_page import MappingPage
from landbank.ui.importing.run_pages import CheckPage, ImportPage
from landbank.ui.importing.sheet_page import SheetPage
from landbank.ui.importing.worker import ImportOptions

__all__ = ["IMPORT_KINDS", "ImportWizard"]

WIZARD_SIZE = QSize(960, 660)


class ImportWizard(QWizard):
    """Import a ledger file of ``kind`` (parcels, factories or projects)."""

    imported = Signal(object, int)  # RecordKind, records created or updated

    def __init__(self, ctx: AppContext, kind: RecordKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in IMPORT_KINDS:
            raise ValueError(f"cannot import {kind}")
        self.ctx = ctx
        self.kind = kind
        self.preview: ImportPreview | None = None
        self.mapping: tuple[str | None, ...] = ()
        self.on_duplicate: DuplicatePolicy = "stop"
        self.all_land_uses = False
        self.sheets: tuple[str, ...] = ()
        self.defaults: dict[str, str] = {}
        self.region: str | None = None
        self.create_regions = False
        self.result_report: ImportReport | None = None
        # One worker for database writes, owned here so closing can wait for it.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        # Reading the file for the preview: a read abandoned by Cancel ends on its own here.
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(1)
        self.setObjectName("ImportWizard")
        self.setWindowTitle(
            self.tr("导入 Excel 台账 — {kind}").format(
                kind=QCoreApplication.translate("kinds", kind.label)
            )
        )
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        for button, text in (
            (QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)")),
            (QWizard.WizardButton.NextButton, self.tr("下一步(&N) >")),
            (QWizard.WizardButton.FinishButton, self.tr("完成(&F)")),
            (QWizard.WizardButton.CancelButton, self.tr("关闭")),
            (QWizard.WizardButton.CommitButton, self.tr("开始导入(&I)")),
        ):
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        for page in (
            self.file_page,
            self.sheet_page,
            self.mapping_page,
            self.check_page,
            self.import_page,
        ):
            self.addPage(page)
        self.resize(WIZARD_SIZE)

    # ------------------------------------------------------------ what the pages share

    def import_options(self) -> ImportOptions:
        preview = self.preview
        assert preview is not None
        return ImportOptions(
            kind=self.kind,
            path=preview.path,
            sheet=preview.sheet,
            header_row=preview.header_row,
            mapping=self.mapping or tuple(preview.columns.keys()),
            on_duplicate=self.on_duplicate,
            all_land_uses=self.all_land_uses,
            sheets=self.sheets,
            defaults=tuple(sorted(self.defaults.items())),
            region=self.region,
            create_regions=self.create_regions,
        )

    def report_imported(self, report: ImportReport) -> None:
        self.result_report = report
        self.imported.emit(self.kind, report.created + report.updated)

    def set_path(self, path: str | Path) -> None:
        """Choose the file without the file dialog (tests, drag and drop)."""
        self.file_page.set_path(Path(path))

    # ------------------------------------------------------------ closing

    def cancel_jobs(self) -> None:
        for loader in (self.file_page.loader, self.sheet_page.loader):
            loader.cancel()
        for page in (self.check_page, self.import_page):
            page.cancel()

    def done(self, result: int) -> None:
        """Closing while a job runs cancels it and waits: nothing is left half written (a read
        under way cannot be interrupted; it is waited for too)."""
        self.cancel_jobs()
        self.pool.waitForDone()
        self.read_pool.waitForDone()
        super().done(result)
