"""Cells written into files people open in a spreadsheet program (CSV, TSV,
XLSX exports and copies), made safe against formula injection (OWASP "CSV
injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe, which Excel and LibreOffice
read as "this is text". Stored data stay exact; only what is written out for
download is neutralised. Numbers are never touched (a negative number is a
number, not a formula), nor is text that is only a number ("-5", "+12,5",
"-1.5e3": what a CSV cell of a number column looks like), which a
spreadsheet reads as that number, nor a lone "-" (Indonesian tables' "none"),
which cannot form a formula. Callers switch it with the option
``ckanext.satudata.exports.neutralise_formulas`` (config.py). Pure Python:
no CKAN import."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number written as text (sign, digits with "." or "," separators,
# exponent), or a lone dash.
_HARMLESS_TEXT = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?|-")


def is_formula_like(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and _HARMLESS_TEXT.fullmatch(value) is None
    )


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text, when it could run as a formula."""
    return "'" + value if is_formula_like(value) else value


def neutralise_row(row: Sequence[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def neutralise_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    return (neutralise_row(row) for row in rows)
