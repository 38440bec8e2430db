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
