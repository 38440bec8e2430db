"""The schema.org JSON-LD of a dataset page (ckanext-dcat's
``structured_data`` plugin), serialised once per version of the dataset.

ckanext-dcat builds it on every view of the page: an RDF graph of the
dataset through its profiles, serialised to JSON-LD, parsed and dumped
again (tens of milliseconds: the dataset page's largest cost over plain
CKAN in the portal benchmark). What it serialises is the dataset dict the
page shows (organization included) and the site's configuration, so the
result is kept per process under a digest of that dict, the profiles and
the UI language: the same dict gives the same text, any change to the
dataset (or to what the page shows of it) gives a new digest."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

# Versions kept per process (a few kilobytes each).
KEPT = 1024

_serialised: OrderedDict[str, str] = OrderedDict()


def _digest(dataset: dict[str, Any], profiles: Any, lang: str) -> str:
    text = json.dumps([dataset, profiles, lang], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def of_dataset(
    dataset: dict[str, Any], serialise: Callable[..., str], lang: str, profiles: Any = None
) -> str:
    """``serialise(dataset, profiles)`` (ckanext-dcat's ``structured_data``
    helper), or what it returned for the same dataset dict before."""
    key = _digest(dataset, profiles, lang)
    found = _serialised.get(key)
    if found is None:
        found = serialise(dataset, profiles)
        _serialised[key] = found
        if len(_serialised) > KEPT:
            _serialised.popitem(last=False)
    else:
        _serialised.move_to_end(key)
    return found


def forget() -> None:
    _serialised.clear()
