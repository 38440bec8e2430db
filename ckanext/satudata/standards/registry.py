"""Registry of data standards: frictionless Table Schemas shipped in
``standards/tables/<name>.json``. The file stem is the value of the scheming
field ``standar_data``. Pure Python: no CKAN import."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from frictionless import Schema

from ckanext.satudata.reference import vocabularies

TABLES_DIR = "standards/tables"
# Non-standard field property marking a Kemendagri region-code column.
REGION_CODE_PROPERTY = "regionCode"


class UnknownStandardError(KeyError):
    def __str__(self) -> str:
        return f"unknown data standard {self.args[0]!r}"


@functools.cache
def _descriptors() -> dict[str, dict[str, Any]]:
    folder = resources.files("ckanext.satudata").joinpath(TABLES_DIR)
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found[entry.name.removesuffix(".json")] = json.loads(entry.read_text("utf-8"))
    return dict(sorted(found.items()))


def list_standards() -> list[tuple[str, str, str]]:
    """(name, Indonesian title, English title) of every shipped standard."""
    return [
        (name, d.get("title", name), d.get("title_en", d.get("title", name)))
        for name, d in _descriptors().items()
    ]


def standard_descriptor(name: str) -> dict[str, Any]:
    try:
        return json.loads(json.dumps(_descriptors()[name]))  # a private deep copy
    except KeyError:
        raise UnknownStandardError(name) from None


def load_standard(name: str) -> Schema:
    """A fresh frictionless Schema for ``name`` (callers may adapt it)."""
    return Schema.from_descriptor(standard_descriptor(name))


def region_code_fields(schema: Schema) -> list[str]:
    return [
        field.name for field in schema.fields if field.to_descriptor().get(REGION_CODE_PROPERTY)
    ]


def names() -> list[str]:
    """Names of the shipped data standards."""
    return list(_descriptors())


def is_known(name: str | None) -> bool:
    return bool(name) and name in _descriptors()


def standard_of(pkg_dict: dict[str, Any], resource: dict[str, Any] | None = None) -> str:
    """Name of the data standard that applies (the resource's overrides the dataset's)."""
    return str((resource or {}).get("standar_data") or pkg_dict.get("standar_data") or "")


# Non-standard property: the sums a standard defines, each a column that is
# the total of others ("sums": [{"total": "jumlah", "parts": [...]}]).
SUMS_PROPERTY = "sums"


def sum_rules(name: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """(total column, part columns) of every sum the standard ``name`` defines."""
    if not is_known(name):
        return []
    return [
        (str(rule["total"]), tuple(str(p) for p in rule["parts"]))
        for rule in _descriptors()[str(name)].get(SUMS_PROPERTY) or []
    ]


def dataset_fields(name: str) -> dict[str, str]:
    """What a new dataset following the standard ``name`` starts with in the
    dataset form (its title, definition and unit, and the standard itself);
    never a choice the steward must make, such as the classification."""
    descriptor = standard_descriptor(name)
    fields = {"standar_data": name}
    for key, field in (("title", "title"), ("description", "notes"), ("unit", "satuan")):
        if descriptor.get(key):
            fields[field] = str(descriptor[key])
    if fields.get("satuan") not in vocabularies.values("unit"):
        fields.pop("satuan", None)
    return fields
