"""What national systems read from the portal through actions: Kemendagri's
Portal Pelita list and detail calls (interop/pelita.py maps the fields; the
HTTP endpoints of the contract are in interop/views.py) and the MQA-style
metadata self-check of a dataset (interop/mqa.py scores it).

Pelita serves public data only, to anyone: what the public catalogue shows."""

from __future__ import annotations

import datetime
from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudata import contexts
from ckanext.satudata.catalog import search
from ckanext.satudata.harvesters.base import WITHDRAWN_STATUS
from ckanext.satudata.interop import assessment, pelita
from ckanext.satudata.logic import schema

__all__ = ["satudata_mqa_show", "satudata_pelita_dataset_list", "satudata_pelita_dataset_show"]


def _query_params(data_dict: DataDict, *extra: str) -> dict[str, Any]:
    """The contract's parameters: what the caller sent, without CKAN's own keys."""
    return {k: v for k, v in data_dict.items() if not k.startswith("__") and k not in extra}


def _invalid(error: pelita.PelitaError) -> tk.ValidationError:
    return tk.ValidationError({str(error.values.get("name", "query")): [error.translated(tk._)]})


@tk.side_effect_free
@tk.auth_allow_anonymous_access
def satudata_pelita_dataset_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Portal Pelita v1.3: the public datasets, 25 a page.

    :param tahun: a year the data covers (optional)
    :param kode_provinsi: Kemendagri province code, e.g. ``64`` (optional)
    :param kode_kab_kota: Kemendagri kabupaten/kota code, e.g. ``64.01`` (optional)
    :param kode_urusan: government affairs code, e.g. ``2`` (optional)
    :param kode_bidang_urusan: bidang urusan code, e.g. ``2.12`` (optional)
    :param page: page number from 1 (optional)
    :returns: ``{"meta": {page, per_page, total, total_pages}, "data": [entries]}``
    """
    tk.check_access("satudata_pelita_dataset_list", context, data_dict)
    try:
        query = pelita.parse_list_query(_query_params(data_dict))
    except pelita.PelitaError as error:
        raise _invalid(error) from None
    region = search.REGION_FACET
    filters = ["dataset_type:dataset", f"-status_data:{WITHDRAWN_STATUS}"]
    if query.tahun is not None:
        filters.append(f'vocab_tahun:"{query.tahun}"')
    if query.kode_kab_kota:
        filters.append(f'{region}:"{query.kode_kab_kota}"')
    if query.kode_provinsi:
        province = query.kode_provinsi
        filters.append(f'({region}:"{province}" OR {region}:{province}.*)')
    if query.kode_bidang_urusan:
        filters.append(f'{search.URUSAN_FIELD}:"{query.kode_bidang_urusan}"')
    if query.kode_urusan:
        filters.append(f"{search.URUSAN_FIELD}:{query.kode_urusan}.*")
    found = tk.get_action("package_search")(
        contexts.public(),
        {
            "fq": " ".join(f"+{f}" if not f.startswith("-") else f for f in filters),
            "rows": pelita.PAGE_SIZE,
            "start": pelita.offset(query.page),
            "sort": "title_string asc",
            "include_private": False,
        },
    )
    entries = [
        pelita.list_entry(dataset, search.opd_urusan(dataset.get("owner_org")), query.tahun)
        for dataset in found["results"]
    ]
    return {"meta": pelita.meta(query.page, found["count"]), "data": entries}


def _public_dataset(reference: str) -> dict[str, Any]:
    try:
        dataset = tk.get_action("package_show")(contexts.public(), {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        dataset = None
    if (
        dataset is None
        or dataset.get("private")
        or dataset.get("state") != "active"
        or dataset.get("type") != "dataset"
        or dataset.get("status_data") == WITHDRAWN_STATUS
    ):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return dataset


def _table_resource(dataset: dict[str, Any], tahun: int | None) -> dict[str, Any] | None:
    """The DataStore table the detail call reads: a table of every period (no
    year of its own: its rows are filtered by year), else the one of the asked
    year, else the newest."""
    tables = [r for r in dataset.get("resources", []) if r.get("datastore_active")]
    if not tables:
        return None

    def rank(resource: dict[str, Any]) -> tuple[int, int, str]:
        year = resource.get("tahun")
        return (
            1 if year in (None, "") else 0,
            1 if tahun is not None and str(year) == str(tahun) else 0,
            str(resource.get("created") or ""),
        )

    return max(tables, key=rank)


@tk.side_effect_free
@tk.auth_allow_anonymous_access
def satudata_pelita_dataset_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Portal Pelita v1.3: one public dataset with its column definitions and
    rows from the DataStore, 25 rows a page.

    :param id: the dataset's id or name
    :param tahun: only the rows of this year (optional)
    :param page: page of rows from 1 (optional)
    :returns: ``{"meta": {…rows…}, "data": {entry, resource_id, kolom, baris}}``
    """
    data, errors = tk.navl_validate(data_dict, schema.dataset_reference(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("satudata_pelita_dataset_show", context, data)
    try:
        tahun, page = pelita.parse_detail_query(_query_params(data_dict, "id"))
    except pelita.PelitaError as error:
        raise _invalid(error) from None
    dataset = _public_dataset(data["id"])
    entry = pelita.list_entry(dataset, search.opd_urusan(dataset.get("owner_org")), tahun)
    resource = _table_resource(dataset, tahun)
    if resource is None:
        body = {**entry, "resource_id": None, "kolom": [], "baris": []}
        return {
            "meta": pelita.meta(page, 0),
            "data": body,
            "message": tk._("This dataset has no table in the DataStore"),
        }
    datastore_search = tk.get_action("datastore_search")
    columns = [
        f
        for f in datastore_search(contexts.public(), {"resource_id": resource["id"], "limit": 0})[
            "fields"
        ]
        if f["id"] != "_id"
    ]
    query: dict[str, Any] = {
        "resource_id": resource["id"],
        "limit": pelita.PAGE_SIZE,
        "offset": pelita.offset(page),
        "sort": "_id",
    }
    if tahun is not None and any(c["id"] == "tahun" for c in columns):
        query["filters"] = {"tahun": tahun}
    rows = datastore_search(contexts.public(), query)
    body = {
        **entry,
        "resource_id": resource["id"],
        "kolom": [pelita.column(c) for c in columns],
        "baris": [{k: v for k, v in row.items() if k != "_id"} for row in rows["records"]],
    }
    return {"meta": pelita.meta(page, rows.get("total", 0)), "data": body}


@tk.side_effect_free
@tk.auth_allow_anonymous_access
def satudata_mqa_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The data.europa.eu Metadata Quality Assessment points of a dataset, as
    national harvesters would score its DCAT-AP record.

    :param id: the dataset's id or name
    :returns: ``{"score", "max", "rating", "dimensions": […], "indicators": […]}``
        where each indicator names its DCAT property, points earned and the
        points it can earn
    """
    data, errors = tk.navl_validate(data_dict, schema.dataset_reference(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("satudata_mqa_show", context, data)
    dataset = tk.get_action("package_show")(contexts.site(), {"id": data["id"]})
    return {
        "id": dataset["id"],
        "name": dataset["name"],
        "assessed": datetime.datetime.now(datetime.UTC).isoformat(),
        **assessment.assess_dataset(dataset).as_dict(),
    }
