"""Pages of the year's Daftar Data (Indonesian paths; English under /en):

- /jadwal-rilis[/<tahun>]: the public release schedule (what will be
  released when, what is late);
- /daftar-data[/<tahun>]: the public list with filters (OPD, topic, Data
  Prioritas, state) and its downloads (/daftar-data/<tahun>/unduh/...);
- /daftar-data/item/<id>: one item, its datasets; linking by hand (the
  item's OPD, the walidata) and editing (the walidata);
- /daftar-data/dataset-baru: a producer uploads their OPD's inventory file
  (read in memory, never stored) and starts a dataset from one of its rows;
- /daftar-data/<tahun>/papan: the walidata board (progress per OPD, the
  overdue list, the import); /daftar-data/<tahun>/papan/<opd>: an OPD's board.

Every page checks the auth function of what it shows (logic/auth/planning.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Context
from flask import Blueprint, Response, request

from ckanext.satudata import contexts
from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.logic import roles
from ckanext.satudata.model import daftar_data, daftar_data_link
from ckanext.satudata.planning import exporting, importing, progress, service, starting
from ckanext.satudata.validation import reader

planning = Blueprint("satudata_planning", __name__)

# Query parameters of the filters -> what the service filters on.
YES, NO = "ya", "tidak"


def _user() -> str | None:
    return contexts.current_user().get("user") or None


def _context() -> Context:
    return contexts.current_user()


def _today() -> datetime.date:
    return datetime.date.today()


def _require(auth: str, data_dict: dict[str, Any] | None = None) -> None:
    try:
        tk.check_access(auth, _context(), data_dict or {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to see this page"))


def _may(auth: str, data_dict: dict[str, Any] | None = None) -> bool:
    try:
        tk.check_access(auth, _context(), data_dict or {})
    except tk.NotAuthorized:
        return False
    return True


def _year_or_404(tahun: int) -> int:
    if tahun not in daftar_data.years():
        tk.abort(404, tk._("There is no Daftar Data for {year}").format(year=tahun))
    return tahun


def _filters() -> dict[str, Any]:
    """The filters of the query string, as given (for the form) and as applied."""
    opd = request.args.get("opd") or ""
    topik = request.args.get("topik") or ""
    prioritas = request.args.get("prioritas") or ""
    state = request.args.get("status") or ""
    organization = service.organization(opd) if opd else None
    return {
        "given": {"opd": opd, "topik": topik, "prioritas": prioritas, "status": state},
        # An unknown OPD matches no item (rather than every item).
        "organization_id": organization.id if organization else (opd or None),
        "topik": topik or None,
        "prioritas": {YES: True, NO: False}.get(prioritas),
        "state": state if state in progress.STATES else None,
    }


def _filtered_views(tahun: int, filters: dict[str, Any]) -> list[service.ItemView]:
    return service.year_views(
        tahun,
        _user(),
        _today(),
        organization_id=filters["organization_id"],
        topik=filters["topik"],
        prioritas=filters["prioritas"],
        state=filters["state"],
    )


def _common(tahun: int) -> dict[str, Any]:
    """What every planning page shows: the years, labels, the choices of the
    filters and which boards the user may open."""
    organizations = service.organizations_of_year(tahun)
    producer_of = set(roles.producer_organizations(_user()))
    return {
        "tahun": tahun,
        "years": sorted(daftar_data.years()),
        "state_labels": service.state_labels(),
        "deadline_labels": service.deadline_labels(),
        "states": progress.STATES,
        "organizations": organizations,
        "topics": service.topic_choices(),
        "may_see_walidata_board": _may("satudata_daftar_data_board"),
        "my_boards": [o for o in organizations if o.id in producer_of],
        "date_label": service.date_label,
        "month_label": service.month_label,
        "vocabulary_label": _vocabulary_label,
    }


def _vocabulary_label(vocabulary: str, value: str | None) -> str:
    return tk.h.satudata_vocabulary_label(vocabulary, value)


def _default_year_or_none() -> int | None:
    return service.default_year(_today())


# --- public pages -----------------------------------------------------------------


@planning.route("/jadwal-rilis")
def jadwal_rilis_index() -> Any:
    tahun = _default_year_or_none()
    if tahun is None:
        return tk.render("satudata/planning/no_plan.html", {"page": "jadwal"})
    return tk.redirect_to("satudata_planning.jadwal_rilis", tahun=tahun)


@planning.route("/jadwal-rilis/<int:tahun>")
def jadwal_rilis(tahun: int) -> Any:
    _require("satudata_jadwal_rilis", {"tahun": tahun})
    _year_or_404(tahun)
    filters = _filters()
    views = _filtered_views(tahun, filters)
    all_views = service.year_views(tahun, _user(), _today())
    return tk.render(
        "satudata/planning/jadwal_rilis.html",
        {
            **_common(tahun),
            "filters": filters["given"],
            "schedule": service.schedule(views),
            "count": len(views),
            "totals": service.summary(all_views)["kabupaten"],
        },
    )


@planning.route("/daftar-data")
def daftar_data_index() -> Any:
    tahun = _default_year_or_none()
    if tahun is None:
        return tk.render(
            "satudata/planning/no_plan.html",
            {"page": "daftar", "may_import": _may("satudata_daftar_data_import", {})},
        )
    return tk.redirect_to("satudata_planning.daftar_data_year", tahun=tahun)


@planning.route("/daftar-data/<int:tahun>")
def daftar_data_year(tahun: int) -> Any:
    _require("satudata_daftar_data_list", {"tahun": tahun})
    _year_or_404(tahun)
    filters = _filters()
    views = _filtered_views(tahun, filters)
    return tk.render(
        "satudata/planning/daftar_data.html",
        {
            **_common(tahun),
            "filters": filters["given"],
            "views": views,
            "totals": service.summary(views)["kabupaten"],
        },
    )


@planning.route("/daftar-data/<int:tahun>/unduh/<list_name>.<file_format>")
def download(tahun: int, list_name: str, file_format: str) -> Any:
    _require("satudata_daftar_data_export", {"tahun": tahun})
    _year_or_404(tahun)
    if list_name not in exporting.LISTS or file_format not in exporting.FORMATS:
        return tk.abort(404, tk._("File not found"))
    views = service.year_views(tahun, _user(), _today())
    found = exporting.export(list_name, file_format, tahun, views)
    return Response(
        found.content,
        content_type=found.content_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


# --- one item ---------------------------------------------------------------------


def _item_or_404(item_id: str) -> daftar_data.PlanItem:
    item = daftar_data.get(item_id)
    if item is None:
        tk.abort(404, tk._("Daftar Data item not found"))
    assert item is not None
    return item


def _linkable_datasets(organization_id: str, linked: set[str]) -> list[dict[str, Any]]:
    """The OPD's datasets the user may read and that are not linked yet."""
    found = tk.get_action("package_search")(
        _context(),
        {
            "fq": f'owner_org:"{organization_id}"',
            "rows": 1000,
            "sort": "title_string asc",
            "include_private": True,
            "fl": "id,name,title",
        },
    )["results"]
    return [dataset for dataset in found if dataset["id"] not in linked]


@planning.route("/daftar-data/item/<item_id>")
def item_page(item_id: str, errors: dict[str, list[str]] | None = None) -> Any:
    _require("satudata_daftar_data_show", {"id": item_id})
    item = _item_or_404(item_id)
    [view] = service.views_of([item], _user(), _today())
    may_link = _may("satudata_daftar_data_link", {"id": item.id})
    linked = {dataset.id for dataset in view.datasets}
    return tk.render(
        "satudata/planning/item.html",
        {
            **_common(item.tahun),
            "view": view,
            "attributes": _attribute_rows(view),
            "link_sources": _link_source_labels(),
            "may_link": may_link,
            "may_edit": _may("satudata_daftar_data_update", {"id": item.id}),
            "may_start": _may("package_create", {"owner_org": item.organization_id}),
            "linkable": _linkable_datasets(item.organization_id, linked) if may_link else [],
            "errors": errors or {},
        },
    )


@planning.route("/daftar-data/item/<item_id>/dataset-baru")
def start_dataset(item_id: str) -> Any:
    """The dataset form, filled in from the item (planning/starting.py), for
    a user who may create a dataset in the item's OPD."""
    _require("satudata_daftar_data_show", {"id": item_id})
    item = _item_or_404(item_id)
    try:
        tk.check_access("package_create", _context(), {"owner_org": item.organization_id})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to create a dataset for this OPD"))
    return tk.redirect_to("dataset.new", **starting.dataset_fields(item.as_dict()))


@planning.route("/daftar-data/dataset-baru", methods=["GET", "POST"])
def start_from_inventory() -> Any:
    """Upload an inventory file and list its rows, each a link to the dataset
    form filled in from it (importing.start_rows, starting.dataset_fields).
    The file is read in memory and nothing is stored: the links carry the
    row's fields, so choosing a row needs no second upload."""
    try:
        tk.check_access("package_create", _context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to create a dataset"))
    errors: list[str] = []
    rows: list[dict[str, Any]] | None = None
    sheet = filename = ""
    if request.method == "POST":
        upload = request.files.get("upload")
        if upload is None or not upload.filename:
            errors = [tk._("Choose your inventory file (XLSX or CSV)")]
        else:
            filename = upload.filename
            # One byte over the reader's size limit is enough for it to refuse.
            content = upload.stream.read(reader.Limits().max_bytes + 1)
            try:
                sheet, found = importing.start_rows(content)
            except importing.ImportRefused as err:
                errors = err.problems
            else:
                opds: dict[str, tuple[str, bool]] = {}  # each OPD looked up once, not per row
                rows = [_start_row(row, opds) for row in found]
    return tk.render(
        "satudata/planning/start_from_inventory.html",
        {"errors": errors, "rows": rows, "sheet": sheet, "filename": filename},
    )


def _start_row(row: importing.StartRow, opds: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    """What the page shows of a row, and the form's address if the user may
    start a dataset for the row's OPD (no OPD named: the form offers theirs).
    ``opds``: OPD id -> its title and whether the user may, filled as read."""
    organization_id = row.item.get("organization_id")
    title, may = "", True
    if organization_id:
        if organization_id not in opds:
            opds[organization_id] = (
                tk.h.get_organization(organization_id).get("title", ""),
                _may("package_create", {"owner_org": organization_id}),
            )
        title, may = opds[organization_id]
    return {
        "number": row.number,
        "item": row.item,
        "organization": title,
        "problems": row.problems,
        "url": tk.h.url_for("dataset.new", **starting.dataset_fields(row.item))
        if may and not row.problems
        else None,
    }


def _link_source_labels() -> dict[str, str]:
    return {
        daftar_data_link.HARVEST: tk._("linked by the harvest"),
        daftar_data_link.ID_DDD: tk._("linked by its ID DDD"),
        daftar_data_link.MANUAL: tk._("linked by hand"),
    }


def _attribute_rows(view: service.ItemView) -> list[tuple[str, str]]:
    """The item's Daftar Data Daerah attributes that have a value, as (label, text)."""
    item = view.item
    typed = {
        "jenis_data": _vocabulary_label("data_type", item.jenis) if item.jenis else "",
        "klasifikasi_data": (
            _vocabulary_label("classification", item.klasifikasi) if item.klasifikasi else ""
        ),
        "definisi": item.definisi or "",
        "satuan": _vocabulary_label("unit", item.satuan) if item.satuan else "",
        "klasifikasi_penyajian": item.klasifikasi_penyajian or "",
        "jadwal_pemutakhiran": (
            _vocabulary_label("frequency", item.jadwal_pemutakhiran)
            if item.jadwal_pemutakhiran
            else ""
        ),
        "topik": _vocabulary_label("topic", item.topik) if item.topik else "",
        "subtopik": item.subtopik or "",
        "standar_data": item.standar_data or "",
        "kriteria_prioritas": item.kriteria_prioritas or "",
    }
    rows = []
    for column in inventory.COLUMNS:
        if column.key in ("id_ddd", "nama_data", "produsen_data", "data_prioritas", "jadwal_rilis"):
            continue  # in the page's heading
        text = typed.get(column.key, (item.attributes or {}).get(column.key, ""))
        if text:
            rows.append((column.label, str(text)))
    return rows


def _messages(err: tk.ValidationError) -> dict[str, list[str]]:
    """A ValidationError's messages per field (each field holds a list)."""
    found: dict[str, list[str]] = {}
    for key, value in (err.error_dict or {}).items():
        found[key] = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    return found


def _action_or_errors(action: str, data_dict: dict[str, Any]) -> dict[str, list[str]] | None:
    try:
        tk.get_action(action)(_context(), data_dict)
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to see this page"))
    except tk.ObjectNotFound as err:
        return {"package_id": [str(err.message or tk._("Dataset not found"))]}
    except tk.ValidationError as err:
        return _messages(err)
    return None


def _change_link(item_id: str, action: str, done: str) -> Any:
    """Link or unlink the posted dataset; the item page again, with the
    action's errors at the field or the ``done`` message."""
    item = _item_or_404(item_id)
    errors = _action_or_errors(
        action, {"id": item.id, "package_id": request.form.get("package_id", "")}
    )
    if errors:
        return item_page(item.id, errors)
    tk.h.flash_success(done)
    return tk.redirect_to("satudata_planning.item_page", item_id=item.id)


@planning.route("/daftar-data/item/<item_id>/tautan", methods=["POST"])
def link(item_id: str) -> Any:
    return _change_link(
        item_id, "satudata_daftar_data_link", tk._("The dataset is linked to this item")
    )


@planning.route("/daftar-data/item/<item_id>/lepas", methods=["POST"])
def unlink(item_id: str) -> Any:
    return _change_link(item_id, "satudata_daftar_data_unlink", tk._("The link is removed"))


@planning.route("/daftar-data/item/<item_id>/ubah", methods=["POST"])
def update(item_id: str) -> Any:
    item = _item_or_404(item_id)
    errors = _action_or_errors(
        "satudata_daftar_data_update",
        {
            "id": item.id,
            "jadwal_rilis": request.form.get("jadwal_rilis", ""),
            "prioritas": request.form.get("prioritas") == "on",
            "kriteria_prioritas": request.form.get("kriteria_prioritas", ""),
        },
    )
    if errors:
        return item_page(item.id, errors)
    tk.h.flash_success(tk._("The item is saved"))
    return tk.redirect_to("satudata_planning.item_page", item_id=item.id)


# --- boards -----------------------------------------------------------------------


@planning.route("/daftar-data/papan")
def board_index() -> Any:
    _require("satudata_daftar_data_board", {})
    tahun = _default_year_or_none() or _today().year
    return tk.redirect_to("satudata_planning.walidata_board", tahun=tahun)


@planning.route("/daftar-data/<int:tahun>/papan")
def walidata_board(
    tahun: int, import_errors: list[str] | None = None, import_year: int | None = None
) -> Any:
    _require("satudata_daftar_data_board", {})
    views = service.year_views(tahun, _user(), _today())
    return tk.render(
        "satudata/planning/board_walidata.html",
        {
            **_common(tahun),
            "has_plan": tahun in daftar_data.years(),
            "summary": service.summary(views),
            "overdue": service.overdue(views),
            "may_import": _may("satudata_daftar_data_import", {}),
            "import_errors": import_errors or [],
            "import_year": import_year or tahun,
        },
    )


@planning.route("/daftar-data/<int:tahun>/papan/<organization>")
def opd_board(tahun: int, organization: str) -> Any:
    found = service.organization(organization)
    if found is None:
        return tk.abort(404, tk._("Organization not found"))
    _require("satudata_daftar_data_board", {"organization": found.id})
    _year_or_404(tahun)
    views = service.year_views(tahun, _user(), _today(), organization_id=found.id)
    summary = service.summary(views)
    return tk.render(
        "satudata/planning/board_opd.html",
        {
            **_common(tahun),
            "organization": found,
            "views": views,
            "totals": summary["kabupaten"],
            "overdue": service.overdue(views),
            "may_link": _may("satudata_daftar_data_link", {"id": views[0].item.id})
            if views
            else False,
        },
    )


@planning.route("/daftar-data/impor", methods=["POST"])
def import_plan() -> Any:
    _require("satudata_daftar_data_import", {})
    year_text = request.form.get("tahun", "")
    tahun = int(year_text) if year_text.isdigit() else _today().year
    upload = request.files.get("upload")
    if upload is None or not upload.filename:
        return walidata_board(tahun, [tk._("Choose the Daftar Data file to import")], tahun)
    try:
        result = tk.get_action("satudata_daftar_data_import")(
            _context(), {"tahun": tahun, "upload": upload}
        )
    except tk.ValidationError as err:
        problems = [m for messages in _messages(err).values() for m in messages]
        return walidata_board(tahun, problems, tahun)
    tk.h.flash_success(
        tk._(
            "Daftar Data {year} imported: {items} items ({created} new, {updated} updated, "
            "{removed} removed), {linked} datasets linked by their ID DDD"
        ).format(year=tahun, **{k: v for k, v in result.items() if k != "tahun"})
    )
    return tk.redirect_to("satudata_planning.walidata_board", tahun=tahun)
