"""Cells written into files people open in a spreadsheet program (CSV, TSV,
XLSX exports and copies), made safe against formula injection (OWASP "CSV
injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe, which Excel and LibreOffice
read as "this is text". Stored data stay exact; only what is written out for
download is neutralised. Numbers are never touched (a negative number is a
number, not a formula). Pure Python: no CKAN import."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text, when it could run as a formula."""
    return "'" + value if is_formula_like(value) else value


def neutralise_row(row: Sequence[Any]) -> list[Any]:
    return [neutralise(value) for value in row]


def neutralise_rows(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    return (neutralise_row(row) for row in rows)
