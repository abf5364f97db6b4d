"""The commands that start Qt: the GUI (``landbank`` without a command) and ``screenshot``.
The only part of the CLI that loads PySide6, and only when one of them runs."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable

from landbank.cli.common import CliError, output_file
from landbank.settings import Settings
from landbank.store.engine import database_url, sqlite_path

VIEWS = ("parcels", "factories", "projects", "quotas", "map")


def add_screenshot_parser(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    p = command("screenshot", "保存界面截图", "不显示窗口，把主界面渲染成 PNG 图片。")
    p.add_argument("out", metavar="图片.png", help="保存的文件")
    p.add_argument("--view", choices=VIEWS, default="parcels", help="显示的页面（默认 parcels）")
    p.add_argument("--size", default="1400x860", metavar="宽x高", help="窗口大小（默认 1400x860）")


def run_gui_command(args: argparse.Namespace) -> int:
    try:
        from landbank.ui.app import run_gui
    except ImportError as exc:
        raise CliError(f"无法启动图形界面：{exc}", code=1) from exc
    return run_gui(args.db, demo=args.demo)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×*]\s*(\d+)\s*", text)
    if not m or not (200 <= int(m[1]) <= 8000 and 200 <= int(m[2]) <= 8000):
        raise CliError(f"窗口大小“{text}”无效（应如 1400x860，宽高在 200–8000 之间）")
    return int(m[1]), int(m[2])


def run_screenshot(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    out = output_file(args.out, ".png", "截图文件")  # never a folder created for it
    path = sqlite_path(database_url(args.db, Settings.load()))
    if path is not None and not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    if sys.platform not in ("win32", "darwin") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from landbank.ui.app import render_screenshot
    except ImportError as exc:
        raise CliError(f"无法载入图形界面：{exc}", code=1) from exc
    try:
        render_screenshot(args.db, out, view=args.view, size=size)
    except OSError as exc:
        raise CliError(f"无法保存截图：{exc}") from exc
    print(f"已保存截图：{out}")
    return 0
