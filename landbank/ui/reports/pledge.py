"""The 标准地指标承诺书 as an A4 page (issue 16 item 3): what
:mod:`landbank.services.standards.pledge` says, laid out as the other reports are (parts
broken into pages by :mod:`.report_pdf`, painted with the shipped font).

Title and the ledger's city and bureau; the note of a pledge that cannot be signed as it stands
(an indicator 不符, or a figure 需补充); the parcel (编号, 坐落, 面积, 县区/园区) and the project
(名称, 投资方, 统一社会信用代码, 产业); the indicators that apply (requirement, the project's
figure on this parcel with its arithmetic, 来源, 结果); the commitments; the signature lines
(承诺单位（盖章）, 法定代表人（签字）, 日期) and the witness (县区商务局/园区管委会).
"""

from __future__ import annotations

import os
from html import escape

from landbank.domain.standards.checks import CheckStatus
from landbank.services.standards.pledge import PLEDGE_TITLE, Pledge, area_text
from landbank.ui.reports.html_parts import (
    Block,
    Cell,
    Part,
    Row,
    Wrap,
    block,
    cell,
    heading,
    note,
    row,
    table,
)
from landbank.ui.reports.printouts import Printout, write_printout

_STATUS_COLOURS = {
    CheckStatus.PASSED: "#1a7f37",
    CheckStatus.FAILED: "#c62828",
    CheckStatus.MISSING: "#b26a00",
    CheckStatus.COMMITMENT: "#333333",
}
COMMITMENTS = (
    "本单位已知悉上述地块适用的标准地控制指标，承诺项目建设和运营达到表列各项指标，并同意将其"
    "载入国有建设用地使用权出让合同（或投资协议）。",
    "容积率、建筑系数、绿地率、行政办公及生活服务设施用地比例等规划指标，按上述要求进行设计和"
    "建设，以规划条件和竣工验收为准。",
    "项目竣工验收及达产后，接受县区商务局、园区管委会等部门对各项指标的复核，如实提供投资、"
    "产值、税收、能耗等数据。",
    "未达到承诺指标的，按合同约定承担违约责任，包括但不限于限期整改、支付违约金或按约定调整"
    "相关政策。",
)


def pledge_title(pledge: Pledge) -> str:
    return f"{pledge.project_name}·{pledge.parcel_code} {PLEDGE_TITLE}"


def _heading_block(pledge: Pledge) -> Block:
    identity = pledge.identity
    lines = [f'<h2 align="center" style="margin-bottom:2px">{escape(PLEDGE_TITLE)}</h2>']
    bureau = identity.bureau
    issuer = bureau if bureau and bureau.startswith(identity.city) else "　".join(
        p for p in (identity.city, bureau) if p
    )
    if issuer:
        lines.append(f'<p align="center" style="margin-top:0">{escape(issuer)}</p>')
    return Block("".join(lines))


def _facts(pledge: Pledge) -> list[Part]:
    def label(text: str) -> Cell:
        return cell(text, bg="#f2f4f7")

    rows = [
        row([label("地块编号"), cell(pledge.parcel_code), label("面积"),
             cell(area_text(pledge.area_mu), right=True)]),
        row([label("坐落"), cell(pledge.location or pledge.parcel_name or "—", colspan=3)]),
        row([label("县区/园区"), cell(pledge.place or "—", colspan=3)]),
        row([label("项目名称"), cell(pledge.project_name, colspan=3)]),
        row([label("投资方"), cell(pledge.investor or "—"), label("产业"),
             cell(pledge.industry or "—")]),
        row([label("统一社会信用代码"), cell(pledge.credit_code or "—", colspan=3)]),
    ]
    return [heading("一、地块与项目"), block(rows, widths=(18, 42, 12, 28))]


def _indicator_rows(pledge: Pledge) -> list[Row]:
    rows = []
    for n, line in enumerate(pledge.lines, 1):
        colour = _STATUS_COLOURS[line.status]
        rows.append(
            row(
                [
                    cell(str(n), right=True),
                    cell(line.label),
                    cell(line.requirement, wrap=Wrap.NONE),
                    cell(line.committed),
                    cell(line.source),
                    cell(f"{line.mark} {line.status.value}", fg=colour, bold=True, center=True),
                ]
            )
        )
    return rows


def pledge_parts(pledge: Pledge) -> list[Part]:
    parts: list[Part] = [_heading_block(pledge)]
    warning = pledge.warning()
    if warning:
        parts.append(Block(f'<p style="color:#c62828"><b>{escape(warning)}</b></p>'))
    parts.extend(_facts(pledge))
    parts.append(heading("二、适用的标准地指标及本项目在该地块的承诺值"))
    if pledge.lines:
        headers = ("序号", "指标", "要求", "本项目承诺值（按地块面积计算）", "来源", "结果")
        parts.append(table(headers, _indicator_rows(pledge), widths=(6, 20, 14, 31, 19, 10)))
    else:
        parts.append(Block("<p>该地块无适用的标准地指标。</p>"))
    parts.append(
        note(
            "按地块面积计算：投资强度 = 总投资 ÷ 地块面积，亩均税收 = 预计年税收 ÷ 地块面积，"
            "亩均产出 = 预计年产值 ÷ 地块面积；来源为指标所依据的标准（县区·园区·产业、"
            "地块自身的规划条件或国家标准）。"
        )
    )
    parts.append(heading("三、承诺事项"))
    parts.extend(Block(f"<p>{n}. {escape(text)}</p>") for n, text in enumerate(COMMITMENTS, 1))
    parts.append(_signatures(pledge))
    return parts


def _signatures(pledge: Pledge) -> Block:
    county = f"{pledge.county}商务局" if pledge.county else "县区商务局"
    park = f"{pledge.park}管委会" if pledge.park else "园区管委会"
    witness = f"见证单位：{county}／{park}（盖章）"
    line = "_" * 16
    day = "日期：&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;年&nbsp;&nbsp;&nbsp;&nbsp;月&nbsp;&nbsp;&nbsp;&nbsp;日"
    return Block(
        '<table width="100%" cellspacing="0" cellpadding="5" style="margin-top:10px">'
        f"<tr><td width='50%'>承诺单位（盖章）：{line}</td><td>{escape(witness)}</td></tr>"
        f"<tr><td>法定代表人（签字）：{line}</td><td>经办人（签字）：{line}</td></tr>"
        f"<tr><td>{day}</td><td>{day}</td></tr>"
        "</table>"
        f'<p align="right" style="font-size:8pt; color:#666">打印日期：'
        f"{pledge.printed.isoformat()}</p>",
        keep_with_previous=True,
    )


def pledge_printout(pledge: Pledge) -> Printout:
    return Printout(tuple(pledge_parts(pledge)), pledge_title(pledge))


def write_pledge(path: str | os.PathLike[str], pledge: Pledge) -> int:
    """The pledge as an A4 PDF at ``path``; returns its pages. Raises :class:`OSError`."""
    return write_printout(path, pledge_printout(pledge))


__all__ = ["COMMITMENTS", "pledge_parts", "pledge_printout", "pledge_title", "write_pledge"]
