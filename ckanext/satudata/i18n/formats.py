"""How figures and dates are written in each UI language: ``309.667``,
``12,5%``, ``1 Desember 2026`` in Indonesian; ``309,667``, ``12.5%``,
``December 1, 2026`` in English.

Everything comes from Babel's CLDR data, so the server's tables, the charts
drawn in the browser (Vega's d3-format and d3-time-format locales, built here
from the same CLDR data: d3 ships no Indonesian locale) and the images drawn on
the server (vl-convert) agree digit for digit.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

# Languages the portal offers (ckan.locales_offered); anything else is written as the default.
FORMAT_LANGS = ("id", "en")
_DEFAULT = "id"
MISSING = "\u2013"  # an en dash: no figure


def _lang(lang: str | None) -> str:
    return lang if lang in FORMAT_LANGS else _DEFAULT


def number(value: float | int | None, lang: str | None, decimals: int | None = None) -> str:
    """``309667`` -> ``309.667`` (id) / ``309,667`` (en); ``None`` -> an en dash."""
    if value is None:
        return MISSING
    if decimals is None:
        pattern = "#,##0" if float(value).is_integer() else "#,##0.###"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_lang(lang))


def percent(share: float | None, lang: str | None, decimals: int = 1) -> str:
    """A share (0.125) as ``12,5%`` (id) / ``12.5%`` (en)."""
    if share is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(share, format=pattern, locale=_lang(lang))


def date_long(value: dt.date | str | None, lang: str | None) -> str:
    """``2026-12-01`` -> ``1 Desember 2026`` (id) / ``December 1, 2026`` (en)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, format="long", locale=_lang(lang))


@functools.cache
def d3_format_locale(lang: str | None) -> dict[str, Any]:
    """The d3-format locale of ``lang`` (Vega's ``formatLocale``)."""
    code = _lang(lang)
    currency = ["Rp", ""] if code == "id" else ["$", ""]
    return {
        "decimal": get_decimal_symbol(code),
        "thousands": get_group_symbol(code),
        "grouping": [3],
        "currency": currency,
    }


@functools.cache
def d3_time_format_locale(lang: str | None) -> dict[str, Any]:
    """The d3-time-format locale of ``lang`` (Vega's ``timeFormatLocale``)."""
    locale = Locale.parse(_lang(lang))
    months = locale.months["format"]
    days = locale.days["format"]
    # CLDR counts weekdays from Monday (0); d3 from Sunday.
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "dateTime": "%A, %e %B %Y %X" if locale.language == "id" else "%A, %B %e, %Y %X",
        "date": "%d/%m/%Y" if locale.language == "id" else "%m/%d/%Y",
        "time": "%H.%M.%S" if locale.language == "id" else "%I:%M:%S %p",
        "periods": ["AM", "PM"],
        "days": [days["wide"][i] for i in sunday_first],
        "shortDays": [days["abbreviated"][i] for i in sunday_first],
        "months": [months["wide"][i] for i in range(1, 13)],
        "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
    }
