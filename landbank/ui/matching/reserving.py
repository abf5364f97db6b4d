"""The matching dialog's reservations: 意向锁定 of the selected candidates for a project (asking
until when, and first whether a project that holds a site is to get another) and releasing
them, through landbank.services.matching.reservations."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QMessageBox,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.site_facts import Site
from landbank.services.matching.export import (
    MatchRow,
)
from landbank.services.matching.reservations import (
    DEFAULT_RESERVATION_DAYS,
    ReservationRefused,
    held_elsewhere,
    held_text,
    release_site,
    reserve_sites,
)
from landbank.services.matching.sites import site_of
from landbank.services.records.saving import RecordError
from landbank.ui.matching.form import (
    ask_reservation_until,
)

if TYPE_CHECKING:
    from landbank.ui.matching.dialog import MatchDialog


class CandidateReservations:
    """Reserve and release a :class:`MatchDialog`'s candidates."""

    def __init__(self, dialog: MatchDialog) -> None:
        self.dialog = dialog


    def _project_of(self, row: MatchRow) -> tuple[int, str]:
        if self.dialog.sites_direction:
            return self.dialog.record_id, self.dialog.project_name
        assert row.project_id is not None
        return row.project_id, row.project_name

    def refusal(self, row: MatchRow) -> str | None:
        """Why this login may not reserve or release ``row``'s sites (another county's, or
        a viewer: issue 14), or None."""
        rights = self.dialog.ctx.rights
        for site in row.sites:
            names = {site.region_id: site.region_name} if site.region_name else None
            reason = rights.can_write(site.kind, {"region_id": site.region_id}, names)
            if reason:
                return reason
        return None

    def held_sites(self, row: MatchRow) -> list[Site]:
        """The sites of ``row`` reserved for the project in question."""
        project_id, _name = self._project_of(row)
        return [s for s in row.sites if s.reserved_project_id == project_id]

    def reserve(self) -> None:
        row = self.dialog.current()
        if row is None or len(self.dialog.selected_rows()) != 1:
            self.dialog.show_status(self.dialog.tr("请选中一个候选再锁定"), error=True)
            return
        if refused := self.refusal(row):
            self.dialog.show_status(refused, error=True)
            return
        project_id, project_name = self._project_of(row)
        targets = [(s.kind, s.id) for s in row.sites]
        try:
            with self.dialog.ctx.session() as session:
                held = held_elsewhere(session, project_id, targets, self.dialog.today)
        except (RecordError, SQLAlchemyError) as exc:
            self.dialog._refused(self.dialog.tr("无法意向锁定"), exc)
            return
        if held and not self._second_lock_confirmed(project_name, held, row.sites):
            return
        titles = "、".join(s.title for s in row.sites)
        text = self.dialog.tr("为项目“{p}”意向锁定：{sites}").format(p=project_name, sites=titles)
        if row.is_combination:
            text += "\n" + self.dialog.tr("（组合中的 {n} 栋厂房一并锁定）").format(n=len(row.sites))
        default = self.dialog.today + timedelta(days=DEFAULT_RESERVATION_DAYS)
        until = ask_reservation_until(self.dialog, text, default, self.dialog.today)
        if until is None:
            return
        try:
            with self.dialog.ctx.write_session() as session:
                outcome = reserve_sites(
                    session,
                    project_id,
                    targets,
                    today=self.dialog.today,
                    until=until,
                    user=self.dialog.ctx.user,
                    also=bool(held),
                )
        except (RecordError, SQLAlchemyError) as exc:
            self.dialog._refused(self.dialog.tr("无法意向锁定"), exc)
            return
        self.dialog.changed_kinds.update(s.kind for s in row.sites)
        self.dialog.forget_ledger()
        self.dialog.rematch()
        self.dialog.show_status(
            "；".join([outcome.summary, *outcome.warnings]), warn=bool(outcome.warnings)
        )

    def _second_lock_confirmed(
        self, project_name: str, held: list[Site], sites: tuple[Site, ...]
    ) -> bool:
        """Ask before a project holding a site is given another (No by default)."""
        answer = QMessageBox.question(
            self.dialog,
            self.dialog.tr("再锁定一处"),
            self.dialog.tr("项目“{p}”已意向锁定 {held}，仍要再锁定 {sites} 吗？").format(
                p=project_name,
                held="、".join(held_text(s) for s in held),
                sites="、".join(s.code for s in sites),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def release(self) -> None:
        row = self.dialog.current()
        if row is None:
            return
        if refused := self.refusal(row):
            self.dialog.show_status(refused, error=True)
            return
        project_id, project_name = self._project_of(row)
        held = self.held_sites(row)
        if not held:
            self.dialog.show_status(
                self.dialog.tr("所选候选没有为项目“{p}”意向锁定").format(p=project_name), error=True
            )
            return
        titles = "、".join(s.title for s in held)
        answer = QMessageBox.question(
            self.dialog,
            self.dialog.tr("解除锁定"),
            self.dialog.tr("确定解除 {sites} 为项目“{p}”的意向锁定吗？").format(
                sites=titles, p=project_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        summaries = []
        try:
            with self.dialog.ctx.write_session() as session:
                for site in held:
                    now = site_of(session, site.kind, site.id)
                    if now.reserved_project_id != project_id:  # changed meanwhile
                        raise ReservationRefused(
                            self.dialog.tr(
                                "{s} 已不再为项目“{p}”锁定（可能已被他人修改），请刷新后核对"
                            ).format(s=site.title, p=project_name)
                        )
                    outcome = release_site(session, site.kind, site.id, user=self.dialog.ctx.user)
                    summaries.append(outcome.summary)
        except (RecordError, SQLAlchemyError) as exc:
            self.dialog._refused(self.dialog.tr("无法解除锁定"), exc)
            return
        self.dialog.changed_kinds.update(s.kind for s in held)
        self.dialog.forget_ledger()
        self.dialog.rematch()
        self.dialog.show_status("；".join(summaries))
