"""landbank — 收储地块、标准厂房、招商项目与年度指标台账.

``landbank.__version__`` is read from the installed package's metadata when first asked for
(``importlib.metadata`` costs ~30 ms, which every command paid at start before)."""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("landbank")
        except PackageNotFoundError:  # running from a source tree that was never installed
            found = "0.0.0+source"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module 'landbank' has no attribute {name!r}")
