"""Figures and dates in each UI language (i18n/formats.py, the helpers and the
chart locale), and the portal's look from its declared options."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.exceptions import CkanConfigurationException

from ckanext.satudata import config
from ckanext.satudata.i18n import formats


@pytest.mark.parametrize(
    ("lang", "number", "share", "date"),
    [
        ("id", "309.667", "12,5%", "1 Desember 2026"),
        ("en", "309,667", "12.5%", "December 1, 2026"),
    ],
)
def test_formats_in_both_languages(lang: str, number: str, share: str, date: str) -> None:
    assert formats.number(309_667, lang) == number
    assert formats.percent(0.125, lang) == share
    assert formats.date_long(datetime.date(2026, 12, 1), lang) == date
    assert formats.date_long("2026-12-01T08:00:00", lang) == date


def test_decimals_and_missing_figures() -> None:
    assert formats.number(12.5, "id") == "12,5"
    assert formats.number(1234.5, "id", decimals=2) == "1.234,50"
    assert formats.number(1234.5, "en", decimals=0) == "1,234"
    assert formats.number(None, "id") == formats.MISSING
    assert formats.percent(-0.0059, "id", 2) == "-0,59%"
    assert formats.number(1000, "fr") == "1.000"  # a language not offered: the default


def test_chart_locale_agrees_with_the_tables() -> None:
    """The d3 locales Vega draws with come from the same CLDR data."""
    assert formats.d3_format_locale("id")["thousands"] == "."
    assert formats.d3_format_locale("id")["decimal"] == ","
    assert formats.d3_format_locale("en")["thousands"] == ","
    time_locale = formats.d3_time_format_locale("id")
    assert time_locale["months"][11] == "Desember"
    assert time_locale["days"][0] == "Minggu"  # d3 weeks start on Sunday


@pytest.mark.ckan_config("ckanext.satudata.primary_color", "green")
def test_a_colour_that_is_not_one_is_refused() -> None:
    """At start-up (IConfigurable), before any page shows it."""
    with pytest.raises(CkanConfigurationException, match="primary_color"):
        config.check()


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_portal_looks_like_the_tenant(app: Any) -> None:
    page = app.get("/").get_data(as_text=True)
    assert "<title>Selamat datang - Satu Data Kabupaten Paser</title>" in page  # site_title
    assert '<img src="/satudata/logo-paser.svg" alt="Satu Data Kabupaten Paser"' in page
    assert 'rel="icon" href="/satudata/favicon.svg"' in page
    assert "--satudata-primary: #0A5C36" in page
    assert "Jl. Jenderal Sudirman No. 27, Tanah Grogot" in page
    assert "mailto:satudata@paserkab.go.id" in page
    assert 'property="og:image" content="http://test.ckan.net/satudata/social-card.png"' in page


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.satudata.portal_name", "Satu Data Kota Contoh")
@pytest.mark.ckan_config("ckanext.satudata.primary_color", "#123456")
def test_the_look_is_configurable(app: Any) -> None:
    page = app.get("/").get_data(as_text=True)
    assert "Satu Data Kota Contoh" in page and "--satudata-primary: #123456" in page
