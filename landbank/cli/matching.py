"""``landbank match``, ``landbank reserve`` and ``landbank release`` from the shell.

``match --project ID_OR_NAME`` ranks sites for a project; ``match --site CODE`` ranks the open
projects that could take a site. JSON (``--json``) lists each candidate with its score, label
and per-criterion results (key, label, hard, passed, score, reason); a parcel also carries
``standard``: the verdict of its 标准地 indicators for the project (符合/不符/需补充) and every
check (indicator, status, mark, requirement, figure, reason, source; null for a building, which
标准地 does not judge). Exit codes: 0 done, 2 bad
input or a refused reservation (nothing written).

``landbank.cli`` imports this module to add the commands: matching (NumPy), the services and
SQLAlchemy are imported when a command runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    DB_HELP,
    CliError,
    count_argument,
    day_argument,
    db_argument,
    open_engine,
    print_json,
    region_id_by_name,
)
from landbank.store.engine import read_session, write_session

if TYPE_CHECKING:
    from sqlmodel import Session

    from landbank.domain.matching import Candidate, CriterionResult, MatchResult
    from landbank.domain.site_facts import Site


def add_match_parsers(subparsers: Any) -> None:
    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = subparsers.add_parser(
            name, help=help_text, description=description
        )
        p.add_argument(
            "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
        )
        return p

    p = command(
        "match",
        "为项目匹配地块/厂房，或为地块/厂房匹配项目",
        "精准匹配：--project 列出适合项目的地块和厂房（含同园区多栋厂房组合）；"
        "--site 列出可能入驻该地块或厂房的在谈项目。每个候选给出得分、结论和逐项理由。",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--project", metavar="项目", help="项目名称或 ID")
    which.add_argument("--site", metavar="编号", help="地块编号或厂房编号")
    p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")
    p.add_argument(
        "--top", type=count_argument(1, 1000, "个数"), default=10, metavar="N",
        help="列出前 N 个（默认 10）",
    )  # fmt: skip
    p.add_argument("--today", type=day_argument, default=None, help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command(
        "reserve",
        "为项目意向锁定地块或厂房",
        "把地块或厂房意向锁定给项目（地块状态改为“意向锁定”）；已为其他项目锁定且未过期的不能锁定；"
        "项目已锁定其他场地时，须加 --also 才再锁定一处。",
    )
    p.add_argument("--project", metavar="项目", required=True, help="项目名称或 ID")
    p.add_argument(
        "--site", metavar="编号", required=True, action="append",
        help="地块或厂房编号；多栋厂房组合时可重复给出",
    )  # fmt: skip
    p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")
    p.add_argument("--until", type=day_argument, metavar="日期", help="锁定截止日期（默认 90 天后）")
    p.add_argument(
        "--also", action="store_true", help="项目已意向锁定其他地块或厂房时，仍再锁定这一处"
    )
    p.add_argument("--today", type=day_argument, default=None, help=argparse.SUPPRESS)

    p = command(
        "release", "解除意向锁定", "解除地块或厂房的意向锁定（地块恢复为“可供”）。"
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--site", metavar="编号", help="地块或厂房编号")
    which.add_argument("--project", metavar="项目", help="解除为该项目锁定的全部地块和厂房")
    which.add_argument("--expired", action="store_true", help="解除所有已过期的锁定")
    p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")
    p.add_argument("--today", type=day_argument, default=None, help=argparse.SUPPRESS)


def _user(session: Session) -> str:
    from landbank.services.server.identity import audit_user

    return audit_user(session)


# ------------------------------------------------------------------ output


def _criterion_json(c: CriterionResult) -> dict[str, Any]:
    return {
        "key": c.key,
        "label": c.label,
        "hard": c.hard,
        "passed": c.passed,
        "mark": c.mark,
        "score": None if c.score is None else round(c.score, 3),
        "weight": c.weight,
        "reason": c.reason,
    }


def _standard_json(c: Candidate) -> dict[str, Any] | None:
    """The parcel's 标准地 indicators for the project; None for a building."""
    if not c.checks:
        return None
    return {
        "verdict": c.standard_verdict.value if c.standard_verdict else None,
        "checks": [
            {
                "indicator": x.indicator.key,
                "label": x.label,
                "status": x.status.value,
                "mark": x.mark,
                "requirement": x.requirement,
                "unit": x.indicator.unit,
                "figure": None if x.figure is None else round(x.figure, 4),
                "reason": x.reason,
                "source": x.source,
            }
            for x in c.checks
        ],
    }


def _site_json(site: Site) -> dict[str, Any]:
    area_key = "area_mu" if site.unit == "亩" else "available_floor_area_m2"
    return {
        "kind": site.kind.value,
        "id": site.id,
        "code": site.code,
        "name": site.name,
        "region": site.region_name,
        "park": site.park_name or None,
        area_key: site.area,
        "status": site.status,
        "reserved_for": site.reserved_project_name,
        "reserved_until": site.reserved_until.isoformat() if site.reserved_until else None,
    }


def _candidate_json(rank: int, c: Candidate) -> dict[str, Any]:
    return {
        "rank": rank,
        "title": c.title,
        "score": c.score,
        "label": c.label.value,
        "combination": c.is_combination,
        "sites": [_site_json(s) for s in c.sites],
        "criteria": [_criterion_json(x) for x in c.criteria],
        "standard": _standard_json(c),
    }


def _rejected_text(rejected: dict[str, int]) -> str:
    return "、".join(f"{reason} {n} 个" for reason, n in rejected.items()) or "无"


def _print_candidate(rank: int, c: Candidate) -> None:
    from landbank.domain.units import format_quantity

    area = format_quantity(c.area, c.sites[0].unit)
    place = c.sites[0].region_name + (f"·{c.sites[0].park_name}" if c.sites[0].park_name else "")
    print(f"{rank}. {c.title}  {place}  {area} {c.sites[0].unit}  得分 {c.score:g}  {c.label}")
    _print_criteria(c)


def _print_criteria(c: Candidate) -> None:
    """Each criterion's mark and reason; under 标准地指标 each indicator with its source."""
    for x in c.criteria:
        print(f"     {x.mark} {x.label}：{x.reason}")
        if x.key == "standard":
            for check in c.checks:
                print(f"         {check.mark} {check.label} {check.requirement}（{check.source}）")


def _print_legend() -> None:
    from landbank.domain.matching import legend_lines

    for line in legend_lines():
        print(line)


def _print_result(name: str, result: MatchResult) -> None:
    print(f"项目：{name}")
    print(
        f"共比对 {result.considered} 处，符合硬性条件 {result.fitting} 处；"
        f"排除：{_rejected_text(result.rejected)}"
    )
    for note in result.notes:
        print(note)
    for rank, c in enumerate(result.candidates, 1):
        _print_candidate(rank, c)
    if result.candidates:
        _print_legend()


# ------------------------------------------------------------------ commands


def run_match(args: argparse.Namespace) -> int:
    from landbank.services.matching.sites import NotFoundError

    today = args.today or date.today()
    engine = open_engine(args, must_exist=True)
    try:
        with read_session(engine) as s:
            if args.project is not None:
                return _match_project(s, args, today)
            return _match_site(s, args, today)
    except NotFoundError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _quota(s: Session, region_id: int | None, today: date) -> dict[str, Any] | None:
    """The region's quota position this year, shown beside the result."""
    from landbank.services.quota.report import quota_position

    progress = quota_position(s, region_id, today.year, as_of=today) if region_id else None
    if progress is None:
        return None
    return {
        "region": progress.name,
        "year": today.year,
        "land_done_mu": progress.land.done,
        "land_target_mu": progress.land.target,
        "factory_done_m2": progress.factory.done,
        "factory_target_m2": progress.factory.target,
    }


def _match_project(s: Session, args: argparse.Namespace, today: date) -> int:
    from landbank.services.matching.sites import find_project, match_project
    from landbank.services.quota.report import format_quota_line

    project_id = find_project(s, args.project)
    report = match_project(s, project_id, today, top=args.top)
    result = report.result
    req = result.requirements
    quota = _quota(s, req.preferred_region_id or req.home_region_id, today)
    if args.json:
        print_json(
            {
                "project": {"id": project_id, "name": report.project_name},
                "date": today.isoformat(),
                "quota": quota,
                "considered": result.considered,
                "fitting": result.fitting,
                "rejected": result.rejected,
                "notes": list(result.notes),
                "candidates": [_candidate_json(i, c) for i, c in enumerate(result.candidates, 1)],
            }
        )
    else:
        _print_result(report.project_name, result)
        if quota is not None:
            print(
                format_quota_line(
                    quota["region"], quota["year"], quota["land_done_mu"],
                    quota["land_target_mu"], quota["factory_done_m2"], quota["factory_target_m2"],
                )
            )  # fmt: skip
    return 0


def _match_site(s: Session, args: argparse.Namespace, today: date) -> int:
    from landbank.domain.units import format_quantity
    from landbank.services.matching.sites import find_site, match_site

    kind, site_id = find_site(s, args.site, region_id_by_name(s, args.region))
    report = match_site(s, kind, site_id, today, top=args.top)
    if args.json:
        print_json(
            {
                "site": _site_json(report.site),
                "date": today.isoformat(),
                "considered": report.considered,
                "rejected": report.rejected,
                "projects": [
                    {
                        "rank": i,
                        "project": {
                            "id": m.requirements.project_id,
                            "name": m.requirements.project_name,
                        },
                        "score": m.candidate.score,
                        "label": m.candidate.label.value,
                        "criteria": [_criterion_json(x) for x in m.candidate.criteria],
                        "standard": _standard_json(m.candidate),
                        "notes": list(report.notes_of(m)),
                    }
                    for i, m in enumerate(report.projects, 1)
                ],
            }
        )
        return 0
    site = report.site
    area = format_quantity(site.area, site.unit)
    print(f"{site.kind.label}：{site.title}（{site.region_name}，{area} {site.unit}）")
    print(f"在谈项目 {report.considered} 个；排除：{_rejected_text(report.rejected)}")
    if not report.projects:
        print("没有满足全部硬性条件的项目。")
    for rank, m in enumerate(report.projects, 1):
        c = m.candidate
        print(f"{rank}. {m.requirements.project_name}  得分 {c.score:g}  {c.label}")
        for note in report.notes_of(m):
            print(f"   注意：{note}")
        _print_criteria(c)
    if report.projects:
        _print_legend()
    return 0


def run_reserve(args: argparse.Namespace) -> int:
    from landbank.services.matching.reservations import (
        AlreadyHolding,
        ReservationRefused,
        reserve_sites,
    )
    from landbank.services.matching.sites import NotFoundError, find_project, find_site
    from landbank.services.records.saving import RecordError

    today = args.today or date.today()
    engine = open_engine(args, must_exist=True)
    try:
        with write_session(engine) as s:
            project_id = find_project(s, args.project)
            region_id = region_id_by_name(s, args.region)
            sites = [find_site(s, code, region_id) for code in args.site]
            outcome = reserve_sites(
                s, project_id, sites, today=today, until=args.until, user=_user(s), also=args.also
            )
    except AlreadyHolding as exc:
        raise CliError(f"{exc}（确要再锁定一处，请加 --also）") from None
    except (NotFoundError, ReservationRefused) as exc:
        raise CliError(str(exc)) from None
    except RecordError as exc:
        raise CliError(f"未能锁定：{exc}") from None
    finally:
        engine.dispose()
    print(outcome.summary)
    for warning in outcome.warnings:
        print(f"注意：{warning}")
    return 0


def run_release(args: argparse.Namespace) -> int:
    from landbank.services.matching.reservations import (
        ReservationRefused,
        expired_reservations,
        release_expired,
        release_project,
        release_site,
    )
    from landbank.services.matching.sites import NotFoundError, find_project, find_site
    from landbank.services.records.saving import RecordError
    from landbank.services.server.rights import COUNTY, rights_of

    today = args.today or date.today()
    engine = open_engine(args, must_exist=True)
    try:
        with write_session(engine) as s:
            if args.expired:
                # A county clerk on a city server frees its own county's only (issue 14).
                rights = rights_of(engine)
                own = rights.region_id if rights.scope == COUNTY else None
                others = [x for x in expired_reservations(s, today) if own not in (None, x.region_id)]
                freed = release_expired(s, today, user=_user(s), region_id=own)
                print(f"已解除 {len(freed)} 处过期的意向锁定")
                for site in freed:
                    print(f"  {site.kind.label} {site.title}（原为“{site.reserved_project_name}”）")
                if others:
                    print(
                        f"另有 {len(others)} 处过期的意向锁定属于其他县区"
                        f"（{'、'.join(sorted({x.region_name for x in others}))}），"
                        f"您的账号（{rights.scope_label}）不能解除，由其县区或市级账号解除"
                    )
                return 0
            if args.project is not None:
                outcome = release_project(s, find_project(s, args.project), user=_user(s))
            else:
                kind, site_id = find_site(s, args.site, region_id_by_name(s, args.region))
                outcome = release_site(s, kind, site_id, user=_user(s))
    except (NotFoundError, ReservationRefused) as exc:
        raise CliError(str(exc)) from None
    except RecordError as exc:
        raise CliError(f"未能解除：{exc}") from None
    finally:
        engine.dispose()
    print(outcome.summary)
    return 0
