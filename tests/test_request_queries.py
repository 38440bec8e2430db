"""What a page or API call asks of the database, counted (never timed): the
costs the portal benchmark (bench/bench_portal.py) found above plain CKAN's
must not come back. A dataset's validation statuses are read in one query
for all its resources; the DataTables preview reads its table's DataStore
dictionary once."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from action_support import actions
from ckan.tests.helpers import call_action
from sqlalchemy.engine import Engine

from ckanext.satudata.model import validation_report

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

RESOURCES = 4


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sa.event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(Engine, "before_cursor_execute", record)


@pytest.fixture
def dataset(sysadmin: dict, sdi_dataset: Callable[..., dict]) -> dict:
    """A dataset of RESOURCES tables, all but the last with a stored report."""
    resources = [
        {"name": f"tabel-{n}", "url": f"https://data.paserkab.go.id/t{n}.csv", "format": "CSV"}
        for n in range(RESOURCES)
    ]
    context = {"user": sysadmin["name"], "satudata_validation_done": True}
    created = call_action("package_create", context=context, **sdi_dataset(resources=resources))
    for n, resource in enumerate(created["resources"][:-1]):
        validation_report.save(
            resource["id"], created["id"], status="failure" if n else "success", source="url"
        )
    from ckan import model

    model.Session.commit()
    return created


def _report_queries(seen: list[str]) -> int:
    return sum("satudata_validation_report" in statement for statement in seen)


@pytest.mark.parametrize("use_cache", [True, False])
def test_package_show_reads_the_reports_of_all_resources_in_one_query(
    dataset: dict, use_cache: bool
) -> None:
    with statements() as seen:
        shown = call_action("package_show", context={"use_cache": use_cache}, id=dataset["name"])
    assert _report_queries(seen) == 1
    statuses = [resource.get("validation_status") for resource in shown["resources"]]
    assert statuses == ["success", "failure", "failure", None]
    assert all(r.get("validation_timestamp") for r in shown["resources"][:-1])
    assert "validation_timestamp" not in shown["resources"][-1]


def test_resource_show_and_the_resource_page_read_the_reports_once(app: Any, dataset: dict) -> None:
    resource = dataset["resources"][1]
    with statements() as seen:
        shown = call_action("resource_show", id=resource["id"])
    assert _report_queries(seen) == 1
    assert shown["validation_status"] == "failure"
    with statements() as seen:
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}")
    assert page.status_code == 200
    # The page shows the dataset (by name) and the resource (resource_show's
    # package_show by id): the request reads the reports once for both.
    assert _report_queries(seen) == 1


def test_the_datatables_preview_reads_the_datastore_dictionary_once(
    app: Any, sysadmin: dict, dataset: dict
) -> None:
    resource = dataset["resources"][0]
    call_action(
        "datastore_create",
        context={"user": sysadmin["name"]},
        resource_id=resource["id"],
        force=True,
        fields=[{"id": "kecamatan", "type": "text"}, {"id": "jumlah", "type": "int"}],
        records=[{"kecamatan": "Tanah Grogot", "jumlah": 71234}],
    )
    view = call_action(
        "resource_view_create",
        context={"user": sysadmin["name"]},
        resource_id=resource["id"],
        view_type="datatables_view",
        title="Tabel",
    )
    with actions() as called:
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/view/{view['id']}")
    assert page.status_code == 200
    assert called.count("datastore_info") == 1
    body = page.get_data(as_text=True)
    # Both readers got the dictionary: the table's columns and our measure columns.
    assert "kecamatan" in body and 'id="satudata-measure-columns">["jumlah"]' in body


def test_a_report_stored_during_the_request_is_shown_by_its_next_package_show(
    app: Any, dataset: dict
) -> None:
    from ckanext.satudata.validation import reports

    resource = dataset["resources"][1]
    with app.flask_app.test_request_context():
        first = call_action("package_show", id=dataset["name"])
        assert first["resources"][1]["validation_status"] == "failure"
        with statements() as seen:
            call_action("package_show", id=dataset["id"])
        assert _report_queries(seen) == 0  # kept for the request, under id and name
        reports.save_pending(resource["id"], dataset["id"], source="url", standard=None)
        again = call_action("package_show", id=dataset["name"])
    assert again["resources"][1]["validation_status"] == "pending"


def _calls_of(function_name: str, run: Callable[[], Any]) -> tuple[int, Any]:
    """How many times a function of that name ran during ``run`` (counted by
    cProfile, nothing replaced), and what ``run`` returned."""
    profile = cProfile.Profile()
    result = profile.runcall(run)
    function = pstats.Stats(profile).get_stats_profile().func_profiles.get(function_name)
    # ncalls reads "total/primitive" for a recursive function
    return (int(function.ncalls.split("/")[0]) if function else 0), result


def test_the_dataset_page_shows_its_organization_after_one_organization_show(
    app: Any, dataset: dict
) -> None:
    """CKAN renders the sidebar twice (once to see whether it is empty);
    templates/page.html renders it once, so the OPD is looked up once."""
    with actions() as called:
        page = app.get(f"/dataset/{dataset['name']}")
    assert page.status_code == 200
    assert called.count("organization_show") == 1
    assert called.count("group_follower_count") == 1
    body = page.get_data(as_text=True)
    assert body.count('<aside class="secondary col-md-3">') == 1
    assert 'class="row wrapper no-nav"' not in body  # a sidebar: not the full-width layout
    organization = call_action("organization_show", id=dataset["owner_org"])
    assert organization["title"] in body


def test_the_search_page_renders_its_facets_once(app: Any, dataset: dict) -> None:
    """The facets (package/snippets/search_facets.html, which looks the page's
    URL up once per rendering) are rendered once, not twice as by CKAN's
    page.html; they are all shown, with their items."""
    looked_up, page = _calls_of("satudata_page_url", lambda: app.get("/dataset/"))
    assert page.status_code == 200
    assert looked_up == 1
    body = page.get_data(as_text=True)
    assert body.count('id="search-facets"') == 1
    for title in ("Topik", "Jadwal Pemutakhiran", "Kode Wilayah (Kemendagri)", "Klasifikasi Data"):
        assert title in body
    assert 'href="/dataset/?accessRights=terbuka"' in body
