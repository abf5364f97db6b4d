"""setuptools' package list, which ``pyproject.toml`` cannot express: landbank's own packages
(found), and the repository's ``resources/`` folder installed as ``landbank.resources`` with its
subfolders (its data files are ``[tool.setuptools.package-data]`` in ``pyproject.toml``; the
scripts that rebuild them, ``build_*.py``, stay out of the wheel). Everything else about the
project is in ``pyproject.toml``."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"
RESOURCE_PACKAGES = [
    f"landbank.resources.{folder.name}"
    for folder in sorted(RESOURCES.iterdir())
    if folder.is_dir() and folder.name.isidentifier() and not folder.name.startswith("_")
]


class BuildPy(build_py):  # type: ignore[misc]
    """Leaves out the resources' build scripts: only their data is shipped."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules: list[tuple[str, str, str]] = super().find_package_modules(package, package_dir)
        if package.startswith("landbank.resources"):
            return [m for m in modules if not m[1].startswith("build_")]
        return modules


setup(
    packages=[
        *find_packages(include=["landbank", "landbank.*"]),
        "landbank.resources",
        *RESOURCE_PACKAGES,
    ],
    package_dir={"landbank.resources": "resources"},
    cmdclass={"build_py": BuildPy},
)
