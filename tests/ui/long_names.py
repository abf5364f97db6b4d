"""A city of long names for the printed reports: the demo city with every county, park, parcel,
factory and project renamed as the longest real names run (自治县, 产业集聚区 with two
industries, parcels named by two crossing roads, projects with a capacity and a phase), and
long contacts, responsible units and problems."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlmodel import Session, col

from landbank.services.demo.city import create_demo_city
from landbank.services.identity import save_ledger_identity
from landbank.store.models import Factory, LandParcel, Park, Project, Region

LONG_CITY = "黔东南苗族侗族自治州"
LONG_BUREAU = "黔东南苗族侗族自治州商务和投资促进局"
LONG_COUNTIES = (
    "双江拉祜族佤族布朗族傣族自治县",
    "积石山保安族东乡族撒拉族自治县",
    "三江侗族自治县经济技术开发区",
    "玉龙纳西族自治县",
    "石林彝族自治县",
    "镇宁布依族苗族自治县",
)
_PARK_KINDS = (
    "现代农业与绿色食品精深加工产业园",
    "先进装备制造与新能源电池产业集聚区",
    "高新技术产业开发区生物医药与大健康产业园",
)
_TOWNS = ("勐勐", "沙河", "大文", "忙糯", "邦丙")
_ROADS = ("拉祜风情大道", "双江大道", "茶城北路", "工业园区三号路", "新能源大道")
_INDUSTRIES = ("新能源电池及储能装备制造", "生物医药与大健康", "绿色食品精深加工")


def create_long_name_city(session: Session, *, year: int, as_of: date) -> None:
    """The demo city of ``year`` with long names (flushed, not committed)."""
    create_demo_city(session, year=year, as_of=as_of)
    save_ledger_identity(session, city=LONG_CITY, bureau=LONG_BUREAU, user="测试员")
    regions = list(session.execute(select(col(Region.id)).order_by(col(Region.id))).scalars())
    names: dict[int, str] = {}
    for rid, name in zip(regions, LONG_COUNTIES, strict=False):
        names[rid] = name
        session.execute(update(Region).where(col(Region.id) == rid).values(name=name))
    parks = session.execute(select(col(Park.id), col(Park.region_id)).order_by(col(Park.id)))
    for i, (pid, rid) in enumerate(parks.all()):
        name = f"{names.get(rid, '')}{_PARK_KINDS[i % len(_PARK_KINDS)]}"[:100]
        session.execute(update(Park).where(col(Park.id) == pid).values(name=name))
    for i, pid in enumerate(session.execute(select(col(LandParcel.id))).scalars().all()):
        town, road, cross = _TOWNS[i % 5], _ROADS[i % 5], _ROADS[(i + 2) % 5]
        session.execute(
            update(LandParcel)
            .where(col(LandParcel.id) == pid)
            .values(
                name=f"{town}镇{road}与{cross}交叉口东北角第{i + 1}号工业用地地块",
                location=f"{town}镇{road}以东、{cross}以北，原{town}镇农机站及周边集体土地",
                target_industry=_INDUSTRIES[i % 3],
                contact_person="欧阳建国（招商服务中心）",
            )
        )
    for i, fid in enumerate(session.execute(select(col(Factory.id))).scalars().all()):
        session.execute(
            update(Factory)
            .where(col(Factory.id) == fid)
            .values(
                name=f"{_PARK_KINDS[i % 3]}标准化厂房二期 {i + 1}#厂房",
                environment="园区污水处理厂已接入，可承接一般工业项目，不接受涉重金属及高污染"
                "排放项目，需办理环评手续",
                target_industry=_INDUSTRIES[i % 3],
            )
        )
    projects = session.execute(select(col(Project.id), col(Project.name))).all()
    for i, (pid, name) in enumerate(projects):
        session.execute(
            update(Project)
            .where(col(Project.id) == pid)
            .values(
                name=f"年产 {10 * (i + 1)} 万吨{name}及配套循环利用产业化建设项目（一期）",
                investor=f"{LONG_CITY}新能源科技产业发展集团股份有限公司",
                responsible_unit=f"{LONG_COUNTIES[i % len(LONG_COUNTIES)]}商务和投资促进局",
                responsible_leader="欧阳建国 副县长",
                problems="用地指标尚未落实，需协调自然资源部门调整土地利用总体规划，"
                "并解决110千伏变电站配套问题。",
            )
        )
    session.flush()
