"""Harvest source settings are described once: every key a harvester accepts
is a Setting whose example the parser reads (it changes the parsed
settings), nothing else is accepted, and docs/harvest-sources.md is the
generated reference."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from ckanext.satudata.harvesters import docs
from ckanext.satudata.harvesters.dukcapil.harvester import DukcapilHarvester
from ckanext.satudata.harvesters.dukcapil.settings import DukcapilSettings
from ckanext.satudata.harvesters.settings import HarvestConfigError, known_keys, load_config
from ckanext.satudata.harvesters.spreadsheet.harvester import SpreadsheetHarvester
from ckanext.satudata.harvesters.spreadsheet.settings import SpreadsheetSettings

ROOT = Path(__file__).resolve().parents[2]
SOURCE_URL = "https://dukcapil.example/arcgis/rest/services/DKB_2024_S1/MapServer"
Parser = Callable[[Mapping[str, Any]], object]

HARVESTERS: dict[str, tuple[Any, Parser, dict[str, Any]]] = {
    "spreadsheet": (SpreadsheetSettings, SpreadsheetSettings.parse, {}),
    "dukcapil": (
        DukcapilSettings,
        lambda config: DukcapilSettings.parse(config, SOURCE_URL, owner="disdukcapil-paser"),
        {"semester": "2024-S1"},
    ),
}


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("harvester", sorted(HARVESTERS))
def test_every_described_setting_is_read(harvester: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_class, parse, base = HARVESTERS[harvester]
    # The example auth names this variable; its value is what the setting reads.
    monkeypatch.setenv("SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN", "rahasia")
    default = parse(base)
    unread = []
    for setting in settings_class.SETTINGS:
        config = {**base, setting.key: setting.example}
        if setting.key == "releases":
            config.pop("semester")
        if parse(config) == default:
            unread.append(setting.key)
    assert not unread, f"described but not read by the parser: {unread}"


@pytest.mark.parametrize(
    ("harvester", "settings_class"),
    [(SpreadsheetHarvester, SpreadsheetSettings), (DukcapilHarvester, DukcapilSettings)],
)
def test_only_described_settings_are_accepted(harvester: Any, settings_class: Any) -> None:
    assert harvester.SETTINGS is settings_class.SETTINGS
    known = known_keys(settings_class.SETTINGS)
    assert len(known) == len(settings_class.SETTINGS)  # each key described once
    with pytest.raises(HarvestConfigError, match="unknown setting"):
        load_config('{"timout": 5}', known=known)


@pytest.mark.usefixtures("with_plugins")
def test_the_committed_reference_is_generated() -> None:
    committed = (ROOT / "docs" / "harvest-sources.md").read_text("utf-8")
    assert committed == docs.reference(), (
        "run: ckan satudata harvest settings > docs/harvest-sources.md"
    )


REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    ("spreadsheet", {"timeout": -1}, "timeout", "timeout must be a number above 0, not -1"),
    ("spreadsheet", {"retries": 1.5}, "retries", "retries must be a whole number, 0 or more"),
    ("spreadsheet", {"max_shrink": 2}, "max_shrink", "max_shrink must be a share between 0 and 1"),
    ("spreadsheet", {"column_mapping": "x"}, "column_mapping",
     'column_mapping must be an object {"header": "column key"}'),
    ("spreadsheet", {"allow_private_addresses": ["10.1.2.3"]}, "allow_private_addresses",
     'allow_private_addresses: a list must hold "host:port" entries'),
    ("dukcapil", {"semester": "2024-S3"}, "semester", "semester '2024-S3' is not of the form"),
    ("dukcapil", {"semester": "2024-S1", "levels": ["provinsi"]}, "levels",
     "levels must be a list out of kabupaten, kecamatan, desa"),
    ("dukcapil", {"semester": "2024-S1", "page_size": 0}, "page_size",
     "page_size must be a whole number above 0, not 0"),
    ("dukcapil", {"semester": "2024-S1", "timeout": "lama"}, "timeout",
     "timeout must be a number above 0, not 'lama'"),
    ("dukcapil", {"semester": "2024-S1", "auth": {"token": "s3cret"}}, "auth",
     "auth.token: secrets cannot be written"),
    ("dukcapil", {"semester": "2024-S1", "services": {"provinsi": "x/MapServer"}}, "services",
     "services: unknown level(s) provinsi"),
    ("dukcapil", {}, "semester", "missing required setting(s): semester"),
]  # fmt: skip


@pytest.mark.parametrize(("harvester", "config", "key", "english"), REFUSALS)
def test_a_refusal_names_its_setting(
    harvester: str, config: dict[str, Any], key: str, english: str
) -> None:
    """The form shows a refusal at the field of ``key`` (harvesters/form.py);
    str() stays the English text logs and ckanext-harvest show."""
    settings_class, parse, _ = HARVESTERS[harvester]
    with pytest.raises(HarvestConfigError) as caught:
        parse(config)
    assert caught.value.key == key
    assert key in known_keys(settings_class.SETTINGS)
    assert str(caught.value).startswith(english)
    assert caught.value.render() == str(caught.value)
