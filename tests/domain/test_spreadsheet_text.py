"""The one rule for text a spreadsheet must not take for a formula, and the clipboard's
apostrophe that guards it (added on copy, taken off on paste)."""

from __future__ import annotations

import pytest

from landbank.domain.spreadsheet_text import guard_pasted, reads_as_formula, unguard_pasted

# What a clerk (or a hostile ledger) may have put in a text field.
HOSTILE = (
    '=HYPERLINK("http://evil.example/","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",  # a tab in front, trimmed by the paste
    "\r=1+1",
    "\n=1+1",
    "\tabc",  # OWASP: a leading tab or CR is guarded whatever follows
    "＝1+1",  # full-width signs, which Excel and WPS may fold into half-width ones
    "＋1+1",
    "－1+1",
    "＠SUM(1,2)",
    " =1+1",  # trimmed spaces: ASCII, full-width, no-break
    "\u3000=1+1",
    "\xa0+1",
    "\u200b=1+1",  # zero-width space, invisible in the cell
    "\ufeff@SUM(1,2)",  # a byte order mark from a UTF-8 file
    "\x01=1+1",  # a control character the .xlsx export drops
    "-",
)

BENIGN = (
    "",
    "   ",
    "辉县市产业集聚区",
    "工业大道 东侧",
    "120.5",
    "3-2",
    "a=b",
    "第一行\n=1+1",  # a formula on a later line: the cell starts with text
    "'abc",
    "−3.5",  # U+2212 MINUS SIGN: not a sign Excel reads
    "（=1+1）",
    "“=1+1”",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_reads_as_a_formula_and_is_guarded(text: str) -> None:
    assert reads_as_formula(text)
    guarded = guard_pasted(text)
    assert guarded == "'" + text
    assert unguard_pasted(guarded) == text


@pytest.mark.parametrize("text", BENIGN)
def test_other_text_is_left_alone(text: str) -> None:
    assert not reads_as_formula(text)
    assert guard_pasted(text) == text
    assert unguard_pasted(text) == text


@pytest.mark.parametrize(
    "text", ["'=1+1", "''=1+1", "' =1+1", "'＠x", "'", "''", "'abc", "''abc", "'-3.5"]
)
def test_text_a_clerk_began_with_apostrophes_comes_back_whole(text: str) -> None:
    assert unguard_pasted(guard_pasted(text)) == text
    # Guarded exactly when what follows the apostrophes reads as a formula: a paste of the
    # guarded cell into a spreadsheet never starts with a formula sign.
    assert (guard_pasted(text) != text) == reads_as_formula(text.lstrip("'"))


def test_unguard_only_takes_off_the_guard_it_would_have_added() -> None:
    assert unguard_pasted("'=1+1") == "=1+1"
    assert unguard_pasted("'\t=1+1") == "\t=1+1"
    assert unguard_pasted("'abc") == "'abc"  # an apostrophe a clerk typed stays
    assert unguard_pasted("'") == "'"
