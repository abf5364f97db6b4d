"""Text that Excel or WPS must not take for a formula: one rule for every file and paste.

A clerk's text such as “=HYPERLINK(…)”, “=cmd|' /C calc'!A0”, “+1+1”, “-2+3” or “@SUM(1,2)”
is a formula to Excel and WPS when it arrives as a cell's input (typed, pasted as text, or
read from a CSV) — and “＝1+1” too where the spreadsheet folds full-width signs, and
“\\t=1+1” where a tab, a line break or a stray control character in front is trimmed. Such
text is guarded wherever landbank hands text to a spreadsheet:

- in a workbook (:mod:`landbank.services.exporting`, the matching's export, the template's
  option lists) it is written as a string, never a formula, with Excel's quote prefix, so
  editing the cell in Excel keeps it text;
- on the clipboard (“复制到 Excel/WPS”), which is plain text, it gets a leading apostrophe
  (:func:`guard_pasted`): a cell then reads “'=1+1” — text, not a formula. Pasting it back
  into landbank takes the apostrophe off again (:func:`unguard_pasted`).

Numbers are never guarded: -3.5 stored as a number goes out as the number -3.5; only text is.
"""

from __future__ import annotations

import unicodedata

# A cell starting with one of these is read as a formula (the full-width signs where the
# spreadsheet turns them into half-width ones, as Excel and WPS do under a Chinese or Japanese
# input method).
FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
# A cell starting with one of these may lose it to trimming and start with what follows.
LINE_STARTS = ("\t", "\r", "\n")
# What a guarded cell on the clipboard starts with.
PASTE_GUARD = "'"


def _trimmed(ch: str) -> bool:
    """Whitespace, control and invisible format characters (zero-width space, BOM…): what a
    spreadsheet or a paste may drop in front of a cell."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def reads_as_formula(text: str) -> bool:
    """Whether Excel or WPS could take ``text``, given as a cell's input, for a formula.

    True for text starting with = + - @ (or their full-width forms) once any leading
    whitespace and control characters are gone, and for text starting with a tab or a line
    break (as OWASP's rule for CSV files has it).
    """
    if text.startswith(LINE_STARTS):
        return True
    for ch in text:
        if not _trimmed(ch):
            return ch in FORMULA_SIGNS
    return False


def _needs_guard(text: str) -> bool:
    """Reads as a formula once the apostrophes in front are gone (so that a text a clerk
    began with an apostrophe comes back whole)."""
    return reads_as_formula(text.lstrip(PASTE_GUARD))


def guard_pasted(text: str) -> str:
    """``text`` as a clipboard cell: with a leading apostrophe when it reads as a formula."""
    return PASTE_GUARD + text if _needs_guard(text) else text


def unguard_pasted(text: str) -> str:
    """A clipboard cell back as the text :func:`guard_pasted` was given."""
    if text.startswith(PASTE_GUARD) and _needs_guard(text[1:]):
        return text[1:]
    return text
