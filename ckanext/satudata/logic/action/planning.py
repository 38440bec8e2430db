"""The year's Daftar Data through the Action API (planning/): read by
everyone; imported and edited by the walidata; an OPD's producer links and
unlinks datasets to its own items."""

from __future__ import annotations

import base64
import datetime
from typing import Any, cast

from ckan import model
from ckan.logic import validate
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudata import config
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.logic import roles, schema
from ckanext.satudata.logic.action.gate import calls_the_gate
from ckanext.satudata.model import daftar_data, daftar_data_link
from ckanext.satudata.model.daftar_data import PlanItem
from ckanext.satudata.planning import exporting, importing, service
from ckanext.satudata.validation import reader
from ckanext.satudata.validation import service as gate_service

__all__ = [
    "satudata_daftar_data_export",
    "satudata_daftar_data_import",
    "satudata_daftar_data_link",
    "satudata_daftar_data_list",
    "satudata_daftar_data_progress",
    "satudata_daftar_data_show",
    "satudata_daftar_data_unlink",
    "satudata_daftar_data_update",
    "satudata_jadwal_rilis",
]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a kabupaten's list is a few hundred rows


def _today() -> datetime.date:
    return datetime.date.today()


def _user(context: Context) -> str | None:
    return context.get("user") or None


def _year(data_dict: DataDict) -> int:
    """The requested plan year, or the default one; ObjectNotFound without any plan."""
    tahun = data_dict.get("tahun") or service.default_year(_today())
    if tahun is None:
        raise tk.ObjectNotFound(tk._("No Daftar Data has been imported yet"))
    return int(tahun)


def _item(item_id: str) -> PlanItem:
    item = daftar_data.get(item_id)
    if item is None:
        raise tk.ObjectNotFound(tk._("Daftar Data item not found"))
    return item


def _organization_id(id_or_name: str | None) -> str | None:
    if not id_or_name:
        return None
    found = service.organization(id_or_name)
    if found is None:
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return found.id


def _year_views(
    context: Context, data_dict: DataDict, tahun: int, *, by_state: bool = True
) -> list[service.ItemView]:
    """The year's items the caller may see, filtered as the read actions'
    common parameters ask (organization, topik, prioritas and, unless
    ``by_state`` is off, state)."""
    return service.year_views(
        tahun,
        _user(context),
        _today(),
        organization_id=_organization_id(data_dict.get("organization")),
        topik=data_dict.get("topik"),
        prioritas=data_dict.get("prioritas"),
        state=data_dict.get("state") if by_state else None,
    )


@tk.side_effect_free
@validate(schema.daftar_data_list)
def satudata_daftar_data_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The items of a year's Daftar Data with their computed progress.

    :param tahun: the plan year (optional: this year's plan, else the latest)
    :param organization: only this OPD's items (id or name; optional)
    :param topik: only this topic (vocabulary ``topic``; optional)
    :param prioritas: only Data Prioritas (true) or only the others (false)
    :param state: only items in this state: planned, collected, verified,
        published or overdue
    :returns: ``tahun``, ``years`` (every plan year), ``count``, ``items``
        (each with its attributes, ``organization``, ``progress`` and the
        linked ``datasets`` the caller may read)
    """
    tk.check_access("satudata_daftar_data_list", context, data_dict)
    tahun = _year(data_dict)
    views = _year_views(context, data_dict, tahun)
    return {
        "tahun": tahun,
        "years": daftar_data.years(),
        "count": len(views),
        "items": [view.as_dict() for view in views],
    }


@tk.side_effect_free
@validate(schema.daftar_data_item)
def satudata_daftar_data_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One Daftar Data item with its progress and linked datasets.

    :param id: the item's id
    """
    tk.check_access("satudata_daftar_data_show", context, data_dict)
    item = _item(data_dict["id"])
    [view] = service.views_of([item], _user(context), _today())
    return view.as_dict()


@tk.side_effect_free
@validate(schema.daftar_data_list)
def satudata_daftar_data_progress(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Progress of a year's plan: counts and percentages for the whole
    kabupaten and per OPD, and the overdue items (latest first).

    :param tahun: the plan year (optional)
    :param organization: one OPD only (optional)
    :param topik: / :param prioritas: as in satudata_daftar_data_list
    """
    tk.check_access("satudata_daftar_data_progress", context, data_dict)
    tahun = _year(data_dict)
    views = _year_views(context, data_dict, tahun, by_state=False)
    return {"tahun": tahun, "today": _today().isoformat(), **service.summary(views)}


@tk.side_effect_free
@validate(schema.daftar_data_list)
def satudata_jadwal_rilis(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The Jadwal Rilis of a year: what will be released when, what is late.

    :param tahun: the plan year (optional)
    :param organization: / :param topik: / :param prioritas: / :param state:
        as in satudata_daftar_data_list
    :returns: ``months`` (each ``month`` "YYYY-MM" with its ``items`` in
        date order), ``unscheduled`` (items without a release date) and
        ``overdue`` (the count)
    """
    tk.check_access("satudata_jadwal_rilis", context, data_dict)
    tahun = _year(data_dict)
    views = _year_views(context, data_dict, tahun)
    plan = service.schedule(views)
    return {
        "tahun": tahun,
        "months": [
            {"month": month, "items": [view.as_dict() for view in found]}
            for month, found in plan.months
        ],
        "unscheduled": [view.as_dict() for view in plan.unscheduled],
        "overdue": len(service.overdue(views)),
    }


@tk.side_effect_free
@validate(schema.daftar_data_export)
def satudata_daftar_data_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A year's Daftar Data Daerah or Jadwal Rilis as a file (formula-looking
    cells neutralised). The pages serve the same files for download.

    :param tahun: the plan year (optional)
    :param list: ``daftar-data`` (default: sheets Daftar Data and Ringkasan)
        or ``jadwal-rilis`` (sheet Jadwal Rilis)
    :param format: ``xlsx`` (default) or ``csv``
    :returns: ``filename``, ``content_type`` and ``content`` (base64)
    """
    tk.check_access("satudata_daftar_data_export", context, data_dict)
    tahun = _year(data_dict)
    views = service.year_views(tahun, _user(context), _today())
    found = exporting.export(data_dict["list"], data_dict["format"], tahun, views)
    return {
        "filename": found.filename,
        "content_type": found.content_type,
        "content": base64.b64encode(found.content).decode("ascii"),
    }


def _upload_bytes(upload: Any) -> bytes:
    """The content of an uploaded file (werkzeug FileStorage, as the API and
    the pages pass it) or of bytes given directly."""
    if isinstance(upload, bytes):
        content = upload
    elif hasattr(upload, "read"):
        content = upload.read(MAX_UPLOAD_BYTES + 1)
    else:
        raise tk.ValidationError(
            {"upload": [tk._("Upload the Daftar Data as an XLSX or CSV file")]}
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise tk.ValidationError(
            {"upload": [tk._("The file is larger than {size} MB").format(size=10)]}
        )
    return content


@calls_the_gate
@validate(schema.daftar_data_import)
def satudata_daftar_data_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a year's Daftar Data from the inventory template (XLSX or CSV),
    replacing that year's list; all or nothing.

    :param tahun: the plan year
    :param upload: the file (multipart upload)
    :returns: counts of ``items``, ``created``, ``updated``, ``removed`` and
        ``linked`` (datasets that already carried an item's ID DDD)
    :raises ValidationError: ``upload`` lists every problem, each naming its
        row and column, in the request's language; nothing is stored
    """
    tk.check_access("satudata_daftar_data_import", context, data_dict)
    content = _upload_bytes(data_dict["upload"])
    # The plan is published whole: no sheet of the file may hold personal data.
    try:
        scanned = gate_service.scan_grids(reader.read_grids(content, config.validation_limits()))
    except reader.FileRejected:
        scanned = None  # the import's own reader says why it cannot read the file
    if scanned is not None and scanned.personal_data:
        raise tk.ValidationError({"upload": scanned.messages(current_lang(), limit=10)})
    try:
        result = importing.import_year(content, int(data_dict["tahun"]))
    except importing.ImportRefused as err:
        raise tk.ValidationError({"upload": err.problems}) from None
    return result.as_dict()


@calls_the_gate
@validate(schema.daftar_data_update)
def satudata_daftar_data_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Edit an item of the plan: ``nama_data``, ``prioritas``,
    ``kriteria_prioritas``, ``jadwal_rilis`` (each optional; an empty
    jadwal_rilis removes the date).

    :param id: the item's id
    """
    tk.check_access("satudata_daftar_data_update", context, data_dict)
    gate_service.refuse_personal_text(data_dict)
    item = _item(data_dict["id"])
    release = data_dict.get("jadwal_rilis")
    if release is not None and release.year not in (item.tahun, item.tahun + 1):
        raise tk.ValidationError(
            {
                "jadwal_rilis": [
                    tk._("Must be in the plan year {year} or the next").format(year=item.tahun)
                ]
            }
        )
    for field in ("nama_data", "prioritas", "kriteria_prioritas", "jadwal_rilis"):
        if field in data_dict:
            setattr(item, field, data_dict[field])
    item.modified = datetime.datetime.utcnow()
    model.Session.commit()
    [view] = service.views_of([item], _user(context), _today())
    return view.as_dict()


def _dataset(package_id: str) -> model.Package:
    package = model.Package.get(package_id)
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


@validate(schema.daftar_data_link)
def satudata_daftar_data_link(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Link a dataset to an item by hand. A producer links datasets of the
    item's own OPD; the walidata any dataset.

    :param id: the item's id
    :param package_id: the dataset (id or name)
    :returns: the item with its progress
    """
    tk.check_access("satudata_daftar_data_link", context, data_dict)
    item = _item(data_dict["id"])
    package = _dataset(data_dict["package_id"])
    user = _user(context)
    if package.owner_org != item.organization_id and not roles.is_walidata(user):
        raise tk.ValidationError(
            {"package_id": [tk._("Only datasets of the item's own OPD can be linked to it")]}
        )
    if package.type != "dataset":
        raise tk.ValidationError({"package_id": [tk._("Dataset not found")]})
    daftar_data_link.add(item.id, package.id, daftar_data_link.MANUAL, user)
    model.Session.commit()
    [view] = service.views_of([item], user, _today())
    return view.as_dict()


@validate(schema.daftar_data_link)
def satudata_daftar_data_unlink(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove a dataset's link to an item (a harvested link comes back at
    the next harvest that writes the dataset, while the row keeps the ID DDD).

    :param id: the item's id
    :param package_id: the dataset (id or name)
    """
    tk.check_access("satudata_daftar_data_unlink", context, data_dict)
    item = _item(data_dict["id"])
    package = model.Package.get(data_dict["package_id"])
    package_id = package.id if package is not None else cast(str, data_dict["package_id"])
    if not daftar_data_link.remove(item.id, package_id):
        raise tk.ObjectNotFound(tk._("This dataset is not linked to the item"))
    model.Session.commit()
    [view] = service.views_of([item], _user(context), _today())
    return view.as_dict()
