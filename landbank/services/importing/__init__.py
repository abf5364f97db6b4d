"""Ledger files in: reading any spreadsheet safely (``spreadsheet``, ``sheet_extent``), finding
the header and the columns (``sheet_layout``, ``columns``, ``preview``), turning rows into values
(``parse``), the defaults, counties and changes of an import (``defaults``, ``regions``,
``changes``), writing them (``writer``, ``record_batch``), the report (``report``); ``importer``
runs it all. ``landchina`` holds the rules of 中国土地市场网 files."""

from landbank.domain.enums import RecordKind

# The kinds a ledger file can be imported into (the window enables 导入 for these lists; the
# package's own modules, which load the readers, are imported only by an import).
IMPORT_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)
