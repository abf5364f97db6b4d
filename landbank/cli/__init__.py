"""The ``landbank`` command: the GUI by default, headless subcommands for scripts.

One module per command group — ``records`` (list, show, demo), ``importing``, ``exporting``,
``matching`` (match, reserve, release), ``quota`` (quota, quota-defaults), ``reports``,
``settings`` — beside ``common`` (the shared argument and output helpers) and ``app`` (the
parser, the entry point and the GUI launch). Only the GUI launch loads PySide6.
"""

from landbank.cli.app import main
from landbank.cli.gui import parse_size

__all__ = ["main", "parse_size"]
