"""``landbank match / reserve / release`` on the demo city: text, JSON, exit codes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from landbank.cli import main

TODAY = ["--today", "2026-11-24"]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def picked(demo_db: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """An open project of the demo city needing floor space, the best single building for it
    and another open project (the demo's names come from its generator: look them up)."""
    data = _json(capsys, ["--db", demo_db, "list", "projects", "--limit", "0", "--json",
                          "--status", "线索,在谈,签约,拟开工"])  # fmt: skip
    wanting = [r for r in data["records"] if r["req_factory_m2"]]
    for record in wanting:
        found = _json(capsys, ["--db", demo_db, "match", "--project", str(record["id"]),
                               "--json", "--top", "20", *TODAY])  # fmt: skip
        singles = [c for c in found["candidates"] if not c["combination"]]
        if singles:
            other = next(r for r in data["records"] if r["id"] != record["id"])
            return {"project": record["name"], "project_id": str(record["id"]),
                    "site": singles[0]["sites"][0]["code"], "other": str(other["id"]),
                    "other_name": other["name"]}  # fmt: skip
    raise AssertionError("the demo city has no open project with a fitting building")


def test_match_project_json_lists_candidates_with_criteria(
    demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, ["--db", demo_db, "match", "--project", picked["project_id"], "--top", "3", "--json", *TODAY])
    assert data["project"]["name"] == picked["project"]
    assert data["quota"]["land_target_mu"] > 0
    assert data["quota"]["year"] == 2026
    assert 1 <= len(data["candidates"]) <= 3
    assert len(data["candidates"]) == min(3, data["fitting"]) or any(
        c["combination"] for c in data["candidates"]
    )
    first = data["candidates"][0]
    assert first["rank"] == 1
    assert first["label"] in ("优先推荐", "可以考虑", "勉强")
    # Best first: by label (a site of another industry is at best 可以考虑), then by score.
    order = ["优先推荐", "可以考虑", "勉强"]
    keys = [(order.index(c["label"]), -c["score"]) for c in data["candidates"]]
    assert keys == sorted(keys)
    for candidate in data["candidates"]:
        assert all(not (c["hard"] and c["passed"] is False) for c in candidate["criteria"])
        assert {"area", "timing"} <= {c["key"] for c in candidate["criteria"]}
        assert all("available_floor_area_m2" in s for s in candidate["sites"])
    assert sum(data["rejected"].values()) + data["fitting"] == data["considered"]


def test_match_text_and_site_direction(
    demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--db", demo_db, "match", "--project", picked["project"], "--top", "2", *TODAY]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"项目：{picked['project']}\n共比对 ")
    assert "得分" in out
    assert "✓" in out
    data = _json(capsys, ["--db", demo_db, "match", "--site", picked["site"], "--json", *TODAY])
    assert data["site"]["code"] == picked["site"]
    assert picked["project"] in [p["project"]["name"] for p in data["projects"]]
    assert all(p["score"] > 0 for p in data["projects"])


def test_reserve_refuse_release(
    demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", demo_db]
    project, site = picked["project"], picked["site"]
    capsys.readouterr()
    assert main([*db, "reserve", "--project", picked["project_id"], "--site", site, "--until", "2027-01-31", *TODAY]) == 0
    out = capsys.readouterr().out
    assert f"已为项目“{project}”意向锁定 {site}" in out
    assert "至 2027-01-31" in out
    assert main([*db, "reserve", "--project", picked["other"], "--site", site, *TODAY]) == 2
    err = capsys.readouterr().err
    assert f"已为项目“{project}”意向锁定（至 2027-01-31），不能再为“{picked['other_name']}”锁定" in err
    data = _json(capsys, [*db, "show", "factory", site, "--json"])
    assert data["reserved_project"] == project
    assert data["reserved_until"] == "2027-01-31"
    assert main([*db, "release", "--site", site]) == 0
    assert "已解除" in capsys.readouterr().out
    assert main([*db, "release", "--site", site]) == 2
    assert "没有意向锁定" in capsys.readouterr().err


def test_release_expired(demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", demo_db]
    site = picked["site"]
    assert main([*db, "reserve", "--project", picked["project_id"], "--site", site, "--until", "2026-12-01", *TODAY]) == 0
    capsys.readouterr()
    assert main([*db, "release", "--expired", "--today", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    assert site in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["match", "--project", "不存在的项目"], "没有名为“不存在的项目”的项目"),
        (["match", "--site", "NO-1"], "没有编号为“NO-1”的地块或厂房"),
        (["reserve", "--project", "PROJECT", "--site", "SITE", "--until", "2020-01-01"], "早于今天"),
        (["reserve", "--project", "PROJECT", "--site", "SITE", "--until", "明天"], "不是有效的日期"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    demo_db: str,
    picked: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    argv = [{"PROJECT": picked["project_id"], "SITE": picked["site"]}.get(a, a) for a in argv]
    capsys.readouterr()
    assert main(["--db", demo_db, *argv]) == 2
    assert message in capsys.readouterr().err


def test_text_output_explains_its_marks(
    demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["--project", picked["project_id"]], ["--site", picked["site"]]):
        capsys.readouterr()
        assert main(["--db", demo_db, "match", *argv, "--top", "2", *TODAY]) == 0
        out = capsys.readouterr().out
        assert "图例：✓ 满足　△ 部分满足　✗ 不满足　— 无法判断（场地未登记该项）" in out
        assert "结论：75 分及以上优先推荐（目标产业不符或标准地需补充的除外）" in out
        assert "△ 需补充（项目缺少数据，不列为优先推荐）　○ 承诺" in out
        assert "厂房不按标准地判断" in out


def test_the_demo_textile_parcel_is_no_first_choice_for_food_or_logistics(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: one 15 亩 纺织服装 parcel was 优先推荐 for a food and a logistics project alike
    (its 准入门槛 judged on their 11 亩 need). Now judged on its 15 亩 (issue 16: as its
    标准地 override, a hard constraint), and never 优先推荐 for a project of another industry."""
    parcels = _json(capsys, ["--db", demo_db, "list", "parcels", "--limit", "0", "--json"])
    [textile] = [
        p for p in parcels["records"]
        if p["target_industry"] == "纺织服装" and p["area_mu"] == 15.0 and p["status"] == "可供"
    ]  # fmt: skip
    data = _json(capsys, ["--db", demo_db, "match", "--site", textile["code"], "--json", *TODAY])
    for p in data["projects"]:
        criteria = {c["key"]: c for c in p["criteria"]}
        if criteria["industry"]["mark"] == "✗":
            assert p["label"] != "优先推荐", p["project"]["name"]
    # Its own 准入门槛 (200 / 30 万元/亩) are its 标准地 override, judged on its 15 亩: the food
    # and the logistics project (370 and 390 万元 of tax: 24.67 and 26.00 万元/亩) are refused.
    assert data["rejected"]["未达标准地指标"] >= 2
    projects = _json(capsys, ["--db", demo_db, "list", "projects", "--limit", "0", "--json"])
    for industry in ("食品加工", "现代物流"):
        [project] = [
            r for r in projects["records"] if r["industry"] == industry and r["req_land_mu"] == 11.0
        ]
        found = _json(capsys, ["--db", demo_db, "match", "--project", str(project["id"]),
                               "--json", "--top", "50", *TODAY])  # fmt: skip
        offered = {s["code"] for c in found["candidates"] for s in c["sites"]}
        assert textile["code"] not in offered
        assert found["rejected"]["未达标准地指标"] >= 1


def test_a_second_site_for_a_project_needs_also(
    demo_db: str, picked: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", demo_db]
    found = _json(capsys, [*db, "match", "--project", picked["project_id"], "--json", "--top",
                           "20", *TODAY])  # fmt: skip
    singles = [c["sites"][0]["code"] for c in found["candidates"] if not c["combination"]]
    first, second = picked["site"], next(code for code in singles if code != picked["site"])
    reserve = [*db, "reserve", "--project", picked["project_id"], "--until", "2027-01-31", *TODAY]
    assert main([*reserve, "--site", first]) == 0
    capsys.readouterr()
    assert main([*reserve, "--site", second]) == 2
    err = capsys.readouterr().err
    assert f"项目“{picked['project']}”已意向锁定 {first}（至 2027-01-31）" in err
    assert f"再锁定 {second} 须先确认" in err
    assert "请加 --also" in err
    assert main([*reserve, "--site", second, "--also"]) == 0
    assert f"意向锁定 {second}" in capsys.readouterr().out
