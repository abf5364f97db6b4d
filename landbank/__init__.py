"""landbank — 收储地块、标准厂房、招商项目与年度指标台账."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("landbank")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
