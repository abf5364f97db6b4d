"""The status words of real ledgers (净地, 毛地, 已出让, 划拨, 闲置, 在建 …) mapped onto the
ladders of :mod:`landbank.domain.enums`: a parcel's readiness and supply status, a factory's
status, a project's stage — down to a project's stage read from a free-text 进展情况.

Pure functions for the importer (no I/O). Numbers, dates, regions and blank cells as ledgers
write them: :mod:`landbank.domain.ledger_words`. What a cell says beyond the word read (a note
in brackets, a sentence) is for the importer to keep in 备注: see :func:`word_remark` and
:func:`project_stage_from_text`.
"""

from __future__ import annotations

import re
from typing import TypeVar

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, ProjectStage
from landbank.domain.ledger_words import _NOTE, _word, is_blank
from landbank.domain.validation import FieldError

_R = ParcelReadiness
_S = ParcelStatus
# Word → (readiness, status) it implies; None leaves the other ladder to the other column.
# One 状态 column often holds words of both ladders, so every word is looked up in one table.
_PARCEL_WORDS: dict[str, tuple[ParcelReadiness | None, ParcelStatus | None]] = {
    # 拟收储: not yet the bureau's. Expropriation under way or its papers being approved
    # (报批, 组卷报批: the 征收 file goes to the province) is still before 收储.
    "拟收储": (_R.PLANNED, None),
    "计划收储": (_R.PLANNED, None),
    "待收储": (_R.PLANNED, None),
    "征收中": (_R.PLANNED, None),
    "正在征收": (_R.PLANNED, None),
    "报批中": (_R.PLANNED, None),
    "组卷报批": (_R.PLANNED, None),
    # 已收储(毛地): the bureau holds it, not cleared yet — including while demolition runs.
    "已收储": (_R.RESERVED_RAW, None),
    "收储": (_R.RESERVED_RAW, None),
    "毛地": (_R.RESERVED_RAW, None),
    "已收储(毛地)": (_R.RESERVED_RAW, None),
    "储备": (_R.RESERVED_RAW, None),
    "已储备": (_R.RESERVED_RAW, None),
    "已征收": (_R.RESERVED_RAW, None),
    "已完成征收": (_R.RESERVED_RAW, None),
    "正在拆迁": (_R.RESERVED_RAW, None),
    "拆迁中": (_R.RESERVED_RAW, None),
    "征拆中": (_R.RESERVED_RAW, None),
    # 征拆完成: cleared; levelling the site (场地平整) is the work after it, before 三通一平.
    "征拆完成": (_R.CLEARED, None),
    "已征拆": (_R.CLEARED, None),
    "拆迁完成": (_R.CLEARED, None),
    "场地平整": (_R.CLEARED, None),
    "平整中": (_R.CLEARED, None),
    "三通一平": (_R.THREE_CONNECTIONS, None),
    "五通一平": (_R.FIVE_CONNECTIONS, None),
    "七通一平": (_R.SEVEN_CONNECTIONS, None),
    "净地": (_R.NET_LAND, None),
    "净地(可供)": (_R.NET_LAND, None),
    # 可供: offered, no taker yet.
    "可供": (None, _S.AVAILABLE),
    "可供应": (None, _S.AVAILABLE),
    "待供": (None, _S.AVAILABLE),
    "待供应": (None, _S.AVAILABLE),
    "可出让": (None, _S.AVAILABLE),
    "待出让": (None, _S.AVAILABLE),
    "待挂牌": (None, _S.AVAILABLE),
    "意向锁定": (None, _S.RESERVED),
    "意向": (None, _S.RESERVED),
    "锁定": (None, _S.RESERVED),
    # 已挂牌: the 招拍挂 procedure is running (its 公告 is published); 净地 by law.
    "已挂牌": (_R.NET_LAND, _S.LISTED),
    "挂牌": (_R.NET_LAND, _S.LISTED),
    "挂牌中": (_R.NET_LAND, _S.LISTED),
    "招拍挂中": (_R.NET_LAND, _S.LISTED),
    "正在招拍挂": (_R.NET_LAND, _S.LISTED),
    "公告中": (_R.NET_LAND, _S.LISTED),
    "已公告": (_R.NET_LAND, _S.LISTED),
    # 已出让/划拨: a holder has it (a sale closed, a contract signed, an allocation made).
    "已出让/划拨": (_R.NET_LAND, _S.SUPPLIED),
    "已出让": (_R.NET_LAND, _S.SUPPLIED),
    "出让": (_R.NET_LAND, _S.SUPPLIED),
    "已划拨": (_R.NET_LAND, _S.SUPPLIED),
    "划拨": (_R.NET_LAND, _S.SUPPLIED),
    "已供地": (_R.NET_LAND, _S.SUPPLIED),
    "已供应": (_R.NET_LAND, _S.SUPPLIED),
    "已成交": (_R.NET_LAND, _S.SUPPLIED),
    "已摘牌": (_R.NET_LAND, _S.SUPPLIED),
    "已签合同": (_R.NET_LAND, _S.SUPPLIED),
    "挂牌出让": (_R.NET_LAND, _S.SUPPLIED),
    "拍卖出让": (_R.NET_LAND, _S.SUPPLIED),
    "招标出让": (_R.NET_LAND, _S.SUPPLIED),
    "协议出让": (_R.NET_LAND, _S.SUPPLIED),
    "租赁": (_R.NET_LAND, _S.SUPPLIED),
    # 闲置土地 is supplied land whose project has not started (闲置土地处置办法).
    "闲置": (_R.NET_LAND, _S.SUPPLIED),
    # 已交地: the holder has been given the site.
    "已交地": (_R.NET_LAND, _S.HANDED_OVER),
    "交地": (_R.NET_LAND, _S.HANDED_OVER),
    "已交付": (_R.NET_LAND, _S.HANDED_OVER),
    "已移交": (_R.NET_LAND, _S.HANDED_OVER),
    # 已开工: the holder's project is being built.
    "已开工": (_R.NET_LAND, _S.STARTED),
    "开工": (_R.NET_LAND, _S.STARTED),
    "在建": (_R.NET_LAND, _S.STARTED),
    "建设中": (_R.NET_LAND, _S.STARTED),
    # 已竣工投产: built and producing.
    "已竣工投产": (_R.NET_LAND, _S.IN_PRODUCTION),
    "已竣工": (_R.NET_LAND, _S.IN_PRODUCTION),
    "竣工": (_R.NET_LAND, _S.IN_PRODUCTION),
    "已投产": (_R.NET_LAND, _S.IN_PRODUCTION),
    "投产": (_R.NET_LAND, _S.IN_PRODUCTION),
    "投产运营": (_R.NET_LAND, _S.IN_PRODUCTION),
}
_FACTORY_WORDS: dict[str, FactoryStatus] = {
    "在建": FactoryStatus.UNDER_CONSTRUCTION,
    "建设中": FactoryStatus.UNDER_CONSTRUCTION,
    "施工中": FactoryStatus.UNDER_CONSTRUCTION,
    # 已建成: built, its use not told.
    "已建成": FactoryStatus.BUILT,
    "建成": FactoryStatus.BUILT,
    "已竣工": FactoryStatus.BUILT,
    "竣工": FactoryStatus.BUILT,
    # 闲置: built and empty, whether or not it is on offer (使用情况 of 标准厂房 ledgers).
    "闲置": FactoryStatus.IDLE,
    "空置": FactoryStatus.IDLE,
    "待租": FactoryStatus.IDLE,
    "招租中": FactoryStatus.IDLE,
    "未出租": FactoryStatus.IDLE,
    "待售": FactoryStatus.IDLE,
    "未使用": FactoryStatus.IDLE,
    # 部分入驻: some of it in use.
    "部分入驻": FactoryStatus.PARTLY_OCCUPIED,
    "部分入住": FactoryStatus.PARTLY_OCCUPIED,  # the homophone clerks type for 入驻
    "部分出租": FactoryStatus.PARTLY_OCCUPIED,
    "部分使用": FactoryStatus.PARTLY_OCCUPIED,
    "部分闲置": FactoryStatus.PARTLY_OCCUPIED,
    # 已入驻: in use, rented, sold or used by its owner.
    "已入驻": FactoryStatus.OCCUPIED,
    "入驻": FactoryStatus.OCCUPIED,
    "已入住": FactoryStatus.OCCUPIED,
    "已满租": FactoryStatus.OCCUPIED,
    "满租": FactoryStatus.OCCUPIED,
    "已租": FactoryStatus.OCCUPIED,
    "已出租": FactoryStatus.OCCUPIED,
    "已售": FactoryStatus.OCCUPIED,
    "已售出": FactoryStatus.OCCUPIED,
    "自用": FactoryStatus.OCCUPIED,
    "已使用": FactoryStatus.OCCUPIED,
}
_PROJECT_WORDS: dict[str, ProjectStage] = {
    "线索": ProjectStage.LEAD,
    "信息": ProjectStage.LEAD,
    "在谈": ProjectStage.NEGOTIATING,
    "洽谈": ProjectStage.NEGOTIATING,
    "洽谈中": ProjectStage.NEGOTIATING,
    "在洽谈": ProjectStage.NEGOTIATING,
    "签约": ProjectStage.SIGNED,
    "已签约": ProjectStage.SIGNED,
    "拟开工": ProjectStage.ABOUT_TO_START,
    "待开工": ProjectStage.ABOUT_TO_START,
    "开工": ProjectStage.STARTED,
    "已开工": ProjectStage.STARTED,
    "在建": ProjectStage.STARTED,
    "竣工投产": ProjectStage.IN_PRODUCTION,
    "已竣工投产": ProjectStage.IN_PRODUCTION,
    "竣工": ProjectStage.IN_PRODUCTION,
    "已竣工": ProjectStage.IN_PRODUCTION,
    "投产": ProjectStage.IN_PRODUCTION,
    "已投产": ProjectStage.IN_PRODUCTION,
    "终止": ProjectStage.TERMINATED,
    "中止": ProjectStage.TERMINATED,
    "已终止": ProjectStage.TERMINATED,
    "取消": ProjectStage.TERMINATED,
}
_READINESS_WORDS = "、".join(r.value for r in ParcelReadiness)
_STATUS_WORDS = "、".join(s.value for s in ParcelStatus)
_FACTORY_STATUS_WORDS = "、".join(s.value for s in FactoryStatus)
_STAGE_WORDS = "、".join(s.value for s in ProjectStage)


_T = TypeVar("_T")


class ParcelWordError(FieldError):
    """A parcel status word that is not known; ``field`` is the ladder it was given for
    ("readiness" or "status"), so a report can name that column."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _before_note(table: dict[str, _T], text: str) -> _T | None:
    """For a word the table does not hold: the entry of the word before a note in brackets
    ("已供地（2025年8月）", "净地(待挂牌)") when that word is known."""
    note = _NOTE.fullmatch(_word(text))
    return table.get(note[1]) if note else None


def word_remark(text: str | None) -> str | None:
    """The cell's text when a status word came with a note in brackets ("已供地（2025年8月）"),
    for 备注; ``None`` for a word alone or an empty cell."""
    if text is None or is_blank(text):
        return None
    word = _word(text)
    if word in _PARCEL_WORDS or word in _FACTORY_WORDS or word in _PROJECT_WORDS:
        return None
    return text.strip() if _NOTE.fullmatch(word) else None


def parcel_ladders(
    readiness_text: str | None, status_text: str | None
) -> tuple[str | None, str | None]:
    """(readiness, status) from the words of a 整理程度 and a 状态 column (either may hold
    either kind of word: ledgers often have one "状态" column saying 净地 or 已出让).

    Supplied land is 净地: the store requires 净地(可供) from 已挂牌 on (净地出让), and a
    status given without readiness implies it. An unknown word raises
    :class:`ParcelWordError` listing the words of the ladder its column is for.
    """
    readiness: ParcelReadiness | None = None
    status: ParcelStatus | None = None
    for text, field in ((readiness_text, "readiness"), (status_text, "status")):
        if text is None or is_blank(text):
            continue
        found = _PARCEL_WORDS.get(_word(text)) or _before_note(_PARCEL_WORDS, text)
        if found is None:
            if field == "readiness":
                reason = f"“{text}”不是可识别的整理程度（可用：{_READINESS_WORDS}）"
            else:
                reason = f"“{text}”不是可识别的供应状态（可用：{_STATUS_WORDS}）"
            raise ParcelWordError(reason, field)
        r, s = found
        if s is None:
            readiness = r  # a readiness word: what the clerk wrote stands
        else:
            status = s
    if status is not None and readiness is None:
        readiness = ParcelReadiness.NET_LAND
    if readiness is not None and status is None:
        status = ParcelStatus.AVAILABLE
    return (
        readiness.value if readiness is not None else None,
        status.value if status is not None else None,
    )


def factory_status(text: str) -> str:
    """A factory's status from the words of a 状态/使用情况 column (空置, 待租 → 闲置, 部分出租 →
    部分入驻, 已出租, 已售, 自用 → 已入驻 …); a note in brackets after a known word is passed
    over."""
    found = _FACTORY_WORDS.get(_word(text)) or _before_note(_FACTORY_WORDS, text)
    if found is None:
        raise FieldError(f"“{text}”不是可识别的厂房状态（可用：{_FACTORY_STATUS_WORDS}）")
    return found.value


def project_stage(text: str) -> str:
    """The stage a stage word names (洽谈中 → 在谈, 已投产 → 竣工投产; a note in brackets after
    it is passed over). A sentence: :func:`project_stage_from_text`."""
    found = _PROJECT_WORDS.get(_word(text)) or _before_note(_PROJECT_WORDS, text)
    if found is None:
        raise FieldError(f"“{text}”不是可识别的项目阶段（可用：{_STAGE_WORDS}）")
    return found.value


# ---------------------------------------------------------------- a project's stage from a sentence

_P = ProjectStage
# The phrases that tell each stage, strongest first: a sentence naming several is at the
# furthest stage it names (项目终止 ends everything; "已签约，正在办理供地手续" is 签约).
_STAGE_PHRASES: tuple[tuple[ProjectStage, tuple[str, ...]], ...] = (
    # Given up: by the bureau, the investor (放弃, 撤资, 退出) or lost to another place (流失).
    # 暂停/搁置 are not: the project may resume.
    (_P.TERMINATED, ("终止", "中止", "取消", "放弃", "撤资", "退出", "不再推进", "流失")),
    (_P.IN_PRODUCTION, ("竣工", "投产", "投用", "运营", "试生产", "达产")),
    (
        _P.STARTED,
        (
            "开工",
            "动工",
            "在建",
            "建设中",
            "正在建设",
            "施工中",
            "正在施工",
            "进场施工",
            "开始施工",
            "主体施工",
            "基础施工",
            "封顶",
            "设备安装",
            "设备调试",
        ),
    ),
    (_P.ABOUT_TO_START, ("拟开工", "待开工", "即将开工", "准备开工", "开工前", "开工准备")),
    (_P.SIGNED, ("签约", "签订", "签署")),
    # 客商考察 is 在谈: a named investor visiting the site is already engaged with the
    # county (a 线索 is a piece of information nobody has acted on yet); 考察 comes with or
    # after the first talks in 招商 practice, and the visit is reported as such.
    (
        _P.NEGOTIATING,
        (
            "在谈",
            "洽谈",
            "谈判",
            "商谈",
            "磋商",
            "意向",
            "考察",
            "对接中",
            "正在对接",
            "深入对接",
            "多次对接",
            "跟进",
        ),
    ),
    (_P.LEAD, ("线索", "项目信息", "信息线索", "前期对接", "初步对接", "初步接触", "接洽", "对接")),
)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ALL_PHRASES = _alternation([w for _, words in _STAGE_PHRASES for w in words])
_STAGE_PATTERNS = tuple(
    (stage, re.compile(_alternation(list(words)))) for stage, words in _STAGE_PHRASES
)
# A phrase said not to have happened: "尚未签约", "未按期开工", "没有开工" (up to three
# characters between, never across a clause or an 已).
_NEGATED = re.compile(
    r"(?:尚未|还未|暂未|仍未|并未|均未|未能|未|没有|没|无法|不能|不会)[^，,；;。！!？?、已]{0,3}?"
    f"(?:{_ALL_PHRASES})"
)
# A clause about the future: "拟于明年开工", "预计年底竣工投产", "计划签约" — up to the clause's end.
_FUTURE = re.compile(
    r"(?:拟|计划|预计|准备|即将|争取|力争|有望|将于|将在|待)[^，,；;。！!？?、已]*"
)
_FUTURE_START = re.compile("开工|动工|开建")
_FUTURE_SIGN = re.compile("签约|签订|签署")


def project_stage_from_text(text: str) -> tuple[str, bool]:
    """(stage, exact) from a project list's 进展情况: ``exact`` is True when the text is a
    stage word itself (洽谈中, 已签约 …), False when the stage was read from a sentence or a
    word with a note in brackets (then the importer keeps the text in 备注).

    "已签约，正在办理供地手续" → 签约; "多轮洽谈，意向较强" → 在谈; "已开工建设，主体封顶" → 开工;
    "项目终止（企业战略调整）" → 终止; "拟于明年开工" → 拟开工; "前期对接" → 线索. The
    furthest stage named wins (终止 > 竣工投产 > 开工 > 拟开工 > 签约 > 在谈 > 线索), but not
    one said not to have happened ("已签约，尚未开工" → 签约) or planned ("预计年底投产" does
    not count as 竣工投产; a planned start is 拟开工, a planned signing 在谈). Text naming no
    stage raises :class:`FieldError` listing the stages.
    """
    word = _word(text)
    exact = _PROJECT_WORDS.get(word)
    if exact is not None:
        return exact.value, True
    found: set[ProjectStage] = set()

    def future(m: re.Match[str]) -> str:
        clause = m[0]
        start, sign = _FUTURE_START.search(clause), _FUTURE_SIGN.search(clause)
        if start and (not sign or start.start() < sign.start()):
            found.add(_P.ABOUT_TO_START)
        elif sign:
            found.add(_P.NEGOTIATING)
        return "|"

    rest = _NEGATED.sub("|", _FUTURE.sub(future, word))
    for stage, pattern in _STAGE_PATTERNS:
        if stage in found or pattern.search(rest):
            return stage.value, False
    raise FieldError(f"“{text}”不是可识别的项目阶段（可用：{_STAGE_WORDS}）")
