"""One rule for every CSV the project writes (page downloads and the command line): a text cell that a
spreadsheet would run as a formula gets a leading quote, so it opens as the text it is.

Spreadsheets start a formula at = + - @, and also when those signs follow what they trim or do not show:
spaces, tabs, line breaks, zero-width and other format characters (U+200B, U+200C, U+200D, U+FEFF, U+2060).
Some read the full-width and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣) and the minus sign (−) as the ASCII ones.
A cell that starts with a tab or a line break is quoted whatever follows: some readers split or trim there.

No pandas or dashboard import: the command line uses this without loading the web app.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

FORMULA_SIGNS = frozenset("=+-@＝＋－＠﹦﹢﹣−")
BREAKS = ("\t", "\r", "\n")
# Every start a cell may not keep as is, for callers that check a written file.
FORMULA_START = (*sorted(FORMULA_SIGNS), *BREAKS)
QUOTE = "'"


def invisible(char: str) -> bool:
    """Characters a spreadsheet trims or shows as nothing: whitespace, control and format characters."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def runs_as_formula(text: str) -> bool:
    if text.startswith(BREAKS):
        return True
    for char in text:
        if not invisible(char):
            return char in FORMULA_SIGNS
    return False


def neutralise(value):
    """The value to write in a CSV cell: text that could run as a formula gets a leading quote; anything
    else (numbers, dates, None, safe text) is returned unchanged."""
    if isinstance(value, str) and runs_as_formula(value):
        return QUOTE + value
    return value


def neutralise_all(values: Iterable) -> list:
    """A header or a row, cell by cell."""
    return [neutralise(v) for v in values]
