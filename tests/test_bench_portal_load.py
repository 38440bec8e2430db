"""The portal benchmark's bulk loader (bench/portal/load.py) writes datasets
straight into CKAN's tables: a loaded dataset must show as one made by
package_create, be found once indexed, and the datasets the mix visits
carry a stored quality score, as a portal's datasets do."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.satudata.model import quality_score

# The benchmarks are not installed: appended, so the installed ckanext stays first.
sys.path.append(str(Path(__file__).resolve().parents[1]))
from bench.portal import catalog, load

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# What differs between two writes of the same content: ids and stamps, the
# freshness (it counts from the write's date: the loader's are in the past),
# and the DataStore table the loader made for the first resource.
WRITE_STAMPS = frozenset({"id", "name", "metadata_created", "metadata_modified", "revision_id"})
RESOURCE_STAMPS = frozenset(
    {"id", "package_id", "created", "metadata_modified", "last_modified", "datastore_active"}
)


def _comparable(shown: dict[str, Any]) -> dict[str, Any]:
    kept = {
        k: v
        for k, v in shown.items()
        if k not in WRITE_STAMPS and not k.startswith(("quality", "freshness"))
    }
    kept["resources"] = [
        {k: v for k, v in r.items() if k not in RESOURCE_STAMPS and not k.startswith("validation")}
        for r in shown["resources"]
    ]
    kept.pop("organization", None)
    kept.pop("creator_user_id", None)
    return kept


@pytest.fixture
def loaded() -> list[catalog.Dataset]:
    datasets = list(catalog.datasets(catalog.DATASTORE_EVERY + 1))
    load.load_datasets(datasets, load.load_groups())
    load.load_datastore(datasets)
    search.rebuild()
    return datasets


def test_a_loaded_dataset_shows_as_package_create_makes_it(
    loaded: list[catalog.Dataset], sysadmin: dict
) -> None:
    public = next(d for d in loaded if not d.private)
    made = public.as_create_dict()
    made.update(id=None, name=f"{public.name}-api")
    for resource in made["resources"]:
        resource.pop("id")
    created = call_action("package_create", context={"user": sysadmin["name"]}, **made)

    assert _comparable(call_action("package_show", id=public.name)) == _comparable(
        call_action("package_show", id=created["id"])
    )
    assert call_action("package_search", q=f'name:"{public.name}"')["count"] == 1


def test_the_visited_datasets_are_scored_and_no_other(loaded: list[catalog.Dataset]) -> None:
    visited = load.sample(loaded, size=2)
    names = set(visited["datasets"]) | {name for name, *_ in visited["previews"]}

    assert load.score_visited(visited) == len(names)

    scored = {d.name for d in loaded if quality_score.get(d.id) is not None}
    assert scored == names
