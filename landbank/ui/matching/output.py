"""The matching dialog's output: the candidates shown (or selected) printed as 推介 sheets for
the audience the clerk chooses, saved as PDF, or exported to Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from landbank.services.matching.export import (
    MatchRow,
    write_match_workbook,
)
from landbank.services.records.saving import RecordError
from landbank.ui.export_dialog import ask_path, documents_folder
from landbank.ui.matching.sheet_facts import build_sheets
from landbank.ui.matching.sheet_painting import preview_dialog, write_pdf
from landbank.ui.printing import ask_pdf_path, safe_file_name, save_failed
from landbank.ui.reports.html_parts import Audience

if TYPE_CHECKING:
    from landbank.ui.matching.dialog import MatchDialog


class CandidateOutput:
    """Print, PDF and Excel of a :class:`MatchDialog`'s candidates."""

    def __init__(self, dialog: MatchDialog) -> None:
        self.dialog = dialog

    def output_rows(self) -> list[MatchRow]:
        """What print and export take: the selected candidates when asked, else all shown;
        in the table's order."""
        if self.dialog.only_selected.isChecked():
            return self.dialog.selected()
        return self.dialog.model.rows()

    def _subject(self) -> str:
        return (
            self.dialog.project_name
            if self.dialog.sites_direction
            else (self.dialog.site.title if self.dialog.site else "")
        )

    def sheets(self, rows: list[MatchRow], audience: Audience = Audience.INVESTOR) -> list[str]:
        """The 推介 sheets of ``rows`` for ``audience`` (the investor's: facts, conditions and
        contacts, no score nor marks), the bureau and phone at their foot."""
        with self.dialog.ctx.session() as session:
            return build_sheets(
                session,
                rows,
                today=self.dialog.today,
                audience=audience,
                region_names=self.dialog.region_names,
                park_names=self.dialog.park_names,
                settings=self.dialog.ctx.settings,
            )

    def _footer(self) -> str:
        return self.dialog.tr("项目选址推介 · {s} · 打印日期 {d}").format(
            s=self._subject(), d=self.dialog.today
        )

    def _nothing_to_output(self) -> bool:
        if self.output_rows():
            return False
        self.dialog.show_status(
            self.dialog.tr("没有可输出的候选（勾选了“只输出选中的候选”却未选中任何一行？）"),
            error=True,
        )
        return True

    def print_preview(self) -> None:
        if self._nothing_to_output():
            return
        audience = self.dialog.ask_audience()
        if audience is None:
            return
        try:
            sheets = self.sheets(self.output_rows(), audience)
        except (RecordError, SQLAlchemyError) as exc:
            self.dialog._refused(self.dialog.tr("打印"), exc)
            return
        dialog = preview_dialog(self.dialog, sheets, footer=self._footer(), title=self._subject())
        dialog.exec()
        dialog.deleteLater()

    def export_pdf(self, folder: Path | None = None) -> Path | None:
        if self._nothing_to_output():
            return None
        caption = self.dialog.tr("导出 PDF")
        name = safe_file_name(
            self.dialog.tr("项目选址推介"), self._subject(), self.dialog.today.isoformat()
        )
        audience = self.dialog.ask_audience()
        if audience is None:
            return None
        path = ask_pdf_path(self.dialog, caption, folder or documents_folder(), name + ".pdf")
        if path is None:
            return None
        rows = self.output_rows()
        try:
            sheets = self.sheets(rows, audience)
            write_pdf(path, sheets, footer=self._footer(), title=self._subject())
        except (OSError, RecordError, SQLAlchemyError) as exc:
            self._save_failed(caption, path, exc)
            return None
        self.dialog.show_status(
            self.dialog.tr("已导出 {n} 页推介到 {path}").format(n=len(rows), path=path)
        )
        return path

    def export_excel(self, folder: Path | None = None) -> Path | None:
        if self._nothing_to_output():
            return None
        caption = self.dialog.tr("导出 Excel")
        name = safe_file_name(
            self.dialog.tr("匹配结果"), self._subject(), self.dialog.today.isoformat()
        )
        path = ask_path(self.dialog, caption, folder or documents_folder(), name + ".xlsx")
        if path is None:
            return None
        rows = self.output_rows()
        if self.dialog.sites_direction:
            title = self.dialog.tr("项目选址匹配结果 — {p}（{d}）").format(
                p=self.dialog.project_name, d=self.dialog.today
            )
        else:
            title = self.dialog.tr("场地项目匹配结果 — {s}（{d}）").format(
                s=self._subject(), d=self.dialog.today
            )
        summary = self.dialog.summary
        if self.dialog.quota_label.text():
            summary += "；" + self.dialog.quota_label.text()
        try:
            write_match_workbook(
                path,
                rows,
                title=title,
                summary=summary,
                subject_header=self.dialog.tr("地块/厂房")
                if self.dialog.sites_direction
                else self.dialog.tr("项目"),
            )
        except OSError as exc:
            self._save_failed(caption, path, exc)
            return None
        self.dialog.show_status(
            self.dialog.tr("已导出 {n} 个候选到 {path}").format(n=len(rows), path=path)
        )
        return path

    def _save_failed(self, caption: str, path: Path, exc: Exception) -> None:
        self.dialog.show_status(save_failed(self.dialog, caption, path, exc), error=True)
