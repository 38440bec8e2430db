"""The reference of every harvest source setting (docs/harvest-sources.md),
generated from the settings' own descriptions (``ckan satudata harvest
settings`` prints it; a test keeps the committed file equal)."""

from __future__ import annotations

from ckanext.satudata.harvesters import dukcapil, spreadsheet
from ckanext.satudata.harvesters.dukcapil.settings import DukcapilSettings
from ckanext.satudata.harvesters.settings import describe
from ckanext.satudata.harvesters.spreadsheet.settings import SpreadsheetSettings

INTRO = """# Harvest source settings

A harvest source's configuration is a JSON object; every key is optional
unless its harvester says otherwise, and an unknown key is refused (a
misspelt guard setting must not be silently ignored). Secrets never go into
a configuration (its editors can read it): name an environment variable of
the harvest worker instead, one of the OPD that owns the source:
`SATUDATA_HARVEST_<OPD>_<NAME>`, where `<OPD>` is the owner organization's
name in upper case with every other character as `_` and `<NAME>` is one
word (Disdukcapil's token: `SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN`). Any
other variable, another OPD's included, is refused when the source is saved
and when it runs.

The harvest source form (`/harvest/new`, a source's edit page) shows each
setting as a field with its label, choices and help, in the portal's
language, and writes this JSON; sysadmins also get the JSON itself. Settings
marked *Sysadmins only* are not shown to others, and a producer's save keeps
the values a sysadmin stored.

Generated from the harvesters' settings (`ckan satudata harvest settings`).
"""


def reference() -> str:
    return "\n".join(
        [
            INTRO,
            describe(
                f"OPD spreadsheets (`{spreadsheet.SOURCE_TYPE}`)", SpreadsheetSettings.SETTINGS
            ),
            describe(
                f"Dukcapil population feed (`{dukcapil.SOURCE_TYPE}`)", DukcapilSettings.SETTINGS
            ),
        ]
    )
