"""Word lists behind the demo city (新乡市): regions, parks, townships, roads, names.

Plain data, kept apart from :mod:`landbank.services.demo.city` so the generator stays readable.
Place names are real 新乡 counties and districts; companies, people and phone numbers are
invented.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "新乡市"
PHONE_AREA_CODE = "0373"


@dataclass(frozen=True)
class ParkSpec:
    name: str
    industries: tuple[str, ...]  # the park's leading industries (目标产业)


@dataclass(frozen=True)
class RegionSpec:
    name: str
    kind: str  # RegionKind value: 县 or 区
    prefix: str  # code prefix of parcels and factories: HX2026-012, HX-CF-003
    admin_code: str  # 行政区划代码, the head of 电子监管号 and 统一社会信用代码
    doc_short: str  # 收储文号: 辉政土〔2025〕12号
    owner: str  # 城投/产投 company owning government-built factories
    leaders: tuple[str, ...]  # 包联领导
    townships: tuple[str, ...]
    parks: tuple[ParkSpec, ...]
    parcels: int
    factories: int
    projects: int
    # How busy the demo year was: weights this year's reserves and factory completions up or
    # down, so the 年度指标 view shows regions ahead, on track and behind.
    this_year: float = 1.0


INDUSTRIES: tuple[str, ...] = (
    "装备制造",
    "新能源电池",
    "食品加工",
    "生物医药",
    "新材料",
    "电子信息",
    "纺织服装",
    "现代物流",
)

REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec(
        "辉县市",
        "县",
        "HX",
        "410782",
        "辉政土",
        "辉县市城市建设投资有限公司",
        ("李卫东 副市长", "赵明辉 市委常委"),
        ("孟庄镇", "百泉镇", "胡桥街道", "常村镇", "峪河镇", "吴村镇"),
        (
            ParkSpec("辉县市产业集聚区", ("装备制造", "新材料", "现代物流")),
            ParkSpec("辉县市孟庄产业园", ("食品加工", "纺织服装")),
            ParkSpec("辉县市装备制造产业园", ("装备制造", "电子信息")),
        ),
        parcels=50,
        factories=30,
        projects=14,
        this_year=4.0,
    ),
    RegionSpec(
        "获嘉县",
        "县",
        "HJ",
        "410724",
        "获政土",
        "获嘉县产业投资集团有限公司",
        ("孙志强 副县长", "周建华 县委常委"),
        ("亢村镇", "照镜镇", "史庄镇", "太山镇", "位庄乡", "中和镇"),
        (
            ParkSpec("获嘉县先进制造业开发区", ("装备制造", "新材料", "电子信息")),
            ParkSpec("获嘉县亢村循环经济产业园", ("新材料", "现代物流")),
        ),
        parcels=42,
        factories=26,
        projects=12,
        this_year=2.0,
    ),
    RegionSpec(
        "原阳县",
        "县",
        "YY",
        "410725",
        "原政土",
        "原阳县城乡发展投资有限公司",
        ("王海涛 副县长", "刘晓峰 县委常委"),
        ("原武镇", "师寨镇", "太平镇", "阳阿乡", "福宁集镇", "齐街镇"),
        (
            ParkSpec("原阳县食品产业园", ("食品加工", "现代物流")),
            ParkSpec("原阳县先进制造业开发区", ("装备制造", "生物医药", "纺织服装")),
        ),
        parcels=42,
        factories=24,
        projects=12,
        this_year=6.0,
    ),
    RegionSpec(
        "红旗区",
        "区",
        "HQ",
        "410702",
        "红政土",
        "新乡市红旗区国有资产经营有限公司",
        ("陈立新 副区长", "马俊杰 区委常委"),
        ("洪门镇", "关堤乡", "小店镇", "西街街道"),
        (
            ParkSpec("红旗区经济技术开发区", ("生物医药", "电子信息", "装备制造")),
            ParkSpec("红旗区洪门新能源电池产业园", ("新能源电池", "新材料")),
        ),
        parcels=34,
        factories=22,
        projects=12,
        this_year=1.5,
    ),
    RegionSpec(
        "牧野区",
        "区",
        "MY",
        "410711",
        "牧政土",
        "新乡市牧野区城市发展有限公司",
        ("郭宏伟 副区长", "黄永平 区委常委"),
        ("王村镇", "牧野乡", "东干道街道", "荣校路街道"),
        (ParkSpec("牧野区化工园区", ("新材料", "新能源电池", "生物医药")),),
        parcels=32,
        factories=18,
        projects=10,
        this_year=3.0,
    ),
)

ROADS: tuple[str, ...] = (
    "南环路",
    "北环路",
    "人民路",
    "工业大道",
    "经三路",
    "经七路",
    "纬二路",
    "纬五路",
    "创业大道",
    "兴业路",
    "科技大道",
    "长江路",
    "黄河大道",
    "新一路",
    "规划一路",
    "规划三路",
)
SIDES: tuple[str, ...] = ("北侧", "南侧", "东侧", "西侧")
CORNERS: tuple[str, ...] = ("东北角", "西北角", "东南角", "西南角")
BOUNDARY_OTHERS: tuple[str, ...] = ("空地", "农田", "现状企业", "规划道路", "排水渠", "村庄")

LAND_SOURCES: tuple[str, ...] = (
    "新增建设用地",
    "存量建设用地",
    "低效用地再开发",
    "城乡建设用地增减挂钩",
)
ACQUISITION_WEIGHTS: tuple[tuple[str, int], ...] = (("征收", 6), ("收回", 3), ("收购", 1))

# Company names: place + brand + business + form.
# Place of registration → 行政区划代码 used in the 统一社会信用代码.
COMPANY_PLACES: dict[str, str] = {
    "河南": "410000",
    "新乡": "410700",
    "郑州": "410100",
    "深圳": "440300",
    "上海": "310115",
    "江苏": "320000",
    "浙江": "330000",
    "宁波": "330200",
    "山东": "370000",
    "广东": "440000",
    "天津": "120000",
    "湖北": "420000",
}
BRAND_CHARS: str = "鑫华恒瑞盛泰宏博远达兴源德润丰嘉科诚卓越豫新创旭正隆"
BUSINESS_WORDS: dict[str, tuple[str, ...]] = {
    "装备制造": ("重工机械", "智能装备", "起重设备", "精密机械"),
    "新能源电池": ("新能源科技", "锂电材料", "储能科技", "电池科技"),
    "食品加工": ("食品", "农业科技", "餐饮供应链", "面业"),
    "生物医药": ("生物医药", "制药", "医疗器械", "生物科技"),
    "新材料": ("新材料", "高分子材料", "化工科技", "复合材料"),
    "电子信息": ("电子科技", "光电科技", "智能科技", "半导体"),
    "纺织服装": ("纺织", "服饰", "针织", "家纺"),
    "现代物流": ("物流", "供应链管理", "冷链物流", "仓储服务"),
}
COMPANY_FORMS: tuple[str, ...] = (
    "有限公司",
    "有限公司",
    "有限公司",
    "股份有限公司",
    "集团有限公司",
)

# Project name templates per industry; {n} is a capacity figure.
PROJECT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "装备制造": (
        "年产 {n}00 台（套）智能起重装备项目",
        "高端矿山机械生产基地项目",
        "年产 {n} 万套汽车零部件项目",
        "智能农机装备制造项目",
    ),
    "新能源电池": (
        "年产 {n} 万吨新能源电池正极材料项目",
        "年产 {n}GWh 储能电池项目",
        "年产 {n} 万吨锂电池电解液项目",
        "动力电池回收利用项目",
    ),
    "食品加工": (
        "年产 {n} 万吨速冻食品项目",
        "中央厨房及预制菜产业园项目",
        "年产 {n} 万吨优质面制品项目",
        "年产 {n} 万吨休闲食品项目",
    ),
    "生物医药": (
        "生物医药产业园项目",
        "年产 {n}00 吨原料药项目",
        "医用耗材生产基地项目",
        "年产 {n} 亿支疫苗及生物制品项目",
    ),
    "新材料": (
        "年产 {n} 万吨高性能纤维项目",
        "年产 {n} 万吨可降解材料项目",
        "年产 {n} 万吨特种涂料项目",
        "碳纤维复合材料生产项目",
    ),
    "电子信息": (
        "电子元器件生产基地项目",
        "年产 {n} 万片显示模组项目",
        "智能传感器研发生产项目",
        "年产 {n} 万台智能终端项目",
    ),
    "纺织服装": (
        "年产 {n} 万米高档面料项目",
        "智能服装生产线项目",
        "年产 {n} 万件针织服装项目",
    ),
    "现代物流": (
        "冷链物流园项目",
        "智慧物流港项目",
        "农产品仓储配送中心项目",
    ),
}
PROJECT_SOURCES: tuple[str, ...] = (
    "市级招商资源推介",
    "以商招商",
    "驻外招商小分队",
    "产业链招商",
    "中国·河南招商投资洽谈会",
    "豫商大会",
    "委托招商",
    "网络招商",
)
PROBLEMS: tuple[str, ...] = (
    "项目用地指标尚未落实，需市级统筹调剂。",
    "环评审批进行中，预计两个月内取得批复。",
    "电力增容需协调供电公司，双路供电方案待定。",
    "企业资金到位缓慢，需加强跟踪督导。",
    "地块征迁存在遗留问题，影响交地进度。",
    "天然气管网尚未接入，需协调燃气公司。",
    "企业对厂房层高、承重有特殊要求，现有厂房需改造。",
)

IDLE_REASONS: tuple[str, ...] = (
    "产业定位与招商方向不匹配",
    "配套设施尚不完善",
    "原承租企业经营困难退租",
    "招商对接中，意向企业尚在考察",
    "租金高于周边同类厂房",
    "层高、承重不满足意向企业需求",
)
FIRE_RATINGS: tuple[str, ...] = ("丙类二级", "丙类一级", "丁类二级", "戊类二级")
COLUMN_SPACINGS_SINGLE: tuple[str, ...] = ("12m×24m", "18m×24m", "9m×24m", "12m×30m")
COLUMN_SPACINGS_MULTI: tuple[str, ...] = ("8m×8m", "8m×9m", "9m×9m", "7.5m×8m")
ENVIRONMENTS: tuple[str, ...] = (
    "可承接一般工业项目，不接受涉重金属排放项目",
    "园区污水处理厂已接入，可承接轻污染项目",
    "仅限无污染组装、仓储类项目",
    "已完成区域环评，可承接同类产业项目",
)
POWER_STEPS: tuple[int, ...] = (315, 400, 630, 800, 1000, 1250, 1600, 2000, 2500)

SURNAMES: str = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田"
GIVEN_NAMES: tuple[str, ...] = (
    "建国",
    "志强",
    "秀英",
    "海燕",
    "卫国",
    "红梅",
    "俊峰",
    "丽娟",
    "国庆",
    "晓东",
    "玉兰",
    "振华",
    "静",
    "磊",
    "伟",
    "敏",
)

CHINESE_NUMERALS: str = "一二三四五六七八九十"
