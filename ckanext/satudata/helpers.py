"""Template helpers (blanket-registered: every name in __all__). Each adds
the UI language to a function of the module that owns the concept."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.harvest.helpers import harvest_frequencies, harvesters_info
from flask import has_request_context

from ckanext.satudata import config, contexts
from ckanext.satudata.catalog import choices, freshness, search, stats, structured_data
from ckanext.satudata.catalog import form as dataset_form
from ckanext.satudata.charts import service as chart_service
from ckanext.satudata.charts import settings as chart_settings
from ckanext.satudata.harvesters import form as harvest_form
from ckanext.satudata.harvesters import messages as harvest_messages
from ckanext.satudata.harvesters.dukcapil.mapping import QUARANTINE_FIELD, semester_of_label
from ckanext.satudata.i18n import N_, current_lang, formats
from ckanext.satudata.logic import roles
from ckanext.satudata.logic.action import quality as quality_action
from ckanext.satudata.model import pending_change
from ckanext.satudata.quality import display as quality_display
from ckanext.satudata.quality import service as quality_service
from ckanext.satudata.reference import regions, vocabularies
from ckanext.satudata.review import activity, states
from ckanext.satudata.standards import registry

__all__ = [
    "datastore_dictionary",
    "datatablesview_get_language_file_path",
    "satudata_brand",
    "satudata_choices",
    "satudata_dataset_freshness",
    "satudata_date",
    "satudata_freshness_label",
    "satudata_harvest_facet_label",
    "satudata_harvest_facet_labels",
    "satudata_harvest_form",
    "satudata_home_stats",
    "satudata_keep_form_page_action",
    "satudata_measure_columns",
    "satudata_metadata_groups",
    "satudata_number",
    "satudata_opd_summary",
    "satudata_page_url",
    "satudata_percent",
    "satudata_quality",
    "satudata_quality_chart",
    "satudata_quality_of_opd",
    "satudata_quality_sort",
    "satudata_quarantine_notes",
    "satudata_region_choices",
    "satudata_resource_reference",
    "satudata_review_action_label",
    "satudata_review_enabled",
    "satudata_review_nav",
    "satudata_review_status",
    "satudata_search_datasets",
    "satudata_social_image",
    "satudata_standard_of",
    "satudata_structured_data",
    "satudata_tenant_name",
    "satudata_view_title",
    "satudata_vocabulary_label",
]


def satudata_vocabulary_label(vocabulary: str, value: str | None) -> str:
    """Label of a vocabulary value in the current UI language."""
    return vocabularies.label(vocabulary, value, current_lang())


def satudata_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """ckanext-scheming ``choices_helper``: the choices of the vocabulary named
    by the field's ``vocabulary`` key, with labels in every UI language."""
    return choices.of_field(field)


def satudata_freshness_label(state: str | None) -> str:
    return stats.freshness_labels().get(state or "", state or "")


def satudata_dataset_freshness(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """State, label, last update and due date of a dataset, for templates."""
    result = freshness.of_dataset(pkg_dict)
    return {
        "state": result.state,
        "label": satudata_freshness_label(result.state),
        # ISO strings: what h.render_datetime formats
        "last_update": result.last_update.isoformat() if result.last_update else None,
        "due": result.due.isoformat() if result.due else None,
    }


def satudata_home_stats() -> dict[str, Any]:
    return stats.home_stats()


def satudata_opd_summary(org_name: str) -> dict[str, Any]:
    return stats.opd_summary(org_name)


def satudata_quality(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's quality breakdown (for a dataset not scored yet, computed
    and not stored: a page view never writes)."""
    row, _ = quality_service.current(pkg_dict.get("id") or "")
    return quality_display.of_dataset(pkg_dict, row) if row is not None else None


def satudata_quality_chart(
    dimensions: list[dict[str, Any]] | None = None,
    organizations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec of a quality chart: a bar per dimension, or the
    OPD ranking (quality/display.py)."""
    if organizations is not None:
        return quality_display.ranking_chart(organizations)
    return quality_display.dimensions_chart(dimensions or [])


def satudata_page_url() -> str:
    """The current page's URL without its query string, as CKAN's
    add_url_param and remove_url_param build it (url_for of the current
    endpoint with the view's arguments) for each link they make: built once
    and handed to them as ``alternative_url`` by the search facets."""
    blueprint, view = tk.get_endpoint()
    controller = getattr(tk.g, "controller", blueprint)
    action = getattr(tk.g, "action", view)
    return tk.h.url_for(f"{controller}.{action}", **(tk.request.view_args or {}))


def satudata_quality_sort() -> str:
    """The search page's sort by data quality (catalog/search.py)."""
    return search.QUALITY_SORT


def satudata_quality_of_opd(organization_id: str) -> dict[str, Any] | None:
    """An OPD's quality and rank (private datasets counted for the walidata)."""
    user = contexts.current_user().get("user") or None
    summary = quality_display.summary(quality_action.sees_private(user), organization_id)
    if not summary["organizations"]:
        return None
    datasets = sorted(summary["datasets"], key=lambda d: d["score"])
    return {
        **summary["organizations"][0],
        "of": len(quality_display.summary(quality_action.sees_private(user))["organizations"]),
        "weakest": datasets[:5],
    }


def satudata_search_datasets(**search: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = stats.search(**search)["results"]
    return results


def satudata_metadata_groups(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return stats.metadata_groups(pkg_dict, current_lang())


def satudata_keep_form_page_action() -> str:
    """A page of the dataset form shown again after a refused value posts to
    itself. (CKAN's EditView, which scheming's create pages use for that,
    points every draft's form at ``dataset.new``, as for CKAN's own one-page
    drafts: the corrected page was then posted as a new dataset.) Returns ''."""
    endpoint = (tk.request.endpoint or "") if has_request_context() else ""
    if endpoint.endswith(".scheming_new_page"):
        tk.g.form_action = ""
    return ""


def satudata_region_choices(current: Any) -> list[dict[str, Any]]:
    """The region-code field's option groups, labelled in the UI language:
    [{"label", "options": [{"value", "text", "selected"}]}]."""
    tenant = regions.tenant_regions()
    labels = {
        "district": tk._("Districts"),
        "other": tk._("Other codes"),
    }
    groups = []
    for kind, parent, entries in dataset_form.region_groups(current):
        if kind == "regency":
            label = vocabularies.label("region_level", tenant[entries[0][0]].level, current_lang())
        elif kind == "village":
            label = tk._("Villages of {district}").format(district=tenant[parent].name)
        else:
            label = labels[kind]
        options = [
            {"value": code, "text": name if kind == "other" else f"{name} ({code})", "selected": on}
            for code, name, on in entries
        ]
        groups.append({"label": label, "options": options})
    return groups


def satudata_standard_of(pkg_dict: dict[str, Any], resource: dict[str, Any] | None = None) -> str:
    """Name of the data standard that applies (the resource's overrides the dataset's)."""
    return registry.standard_of(pkg_dict, resource)


def satudata_review_action_label(action: str) -> str:
    return activity.action_label(action)


def satudata_review_enabled() -> bool:
    """Whether the walidata's review decides a dataset's status and visibility."""
    return config.review_enabled()


def satudata_review_nav() -> list[dict[str, str]]:
    """The review pages the current user has: the queue, their datasets."""
    name = str(contexts.current_user().get("user") or "")
    links: list[dict[str, str]] = []
    if not config.review_enabled():
        return links
    if roles.is_walidata(name) or roles.is_walidata_pendukung(name):
        links.append({"url": tk.url_for("satudata_review.dashboard"), "label": tk._("Review")})
    if roles.producer_organizations(name):
        links.append({"url": tk.url_for("satudata_review.mine"), "label": tk._("My datasets")})
    return links


def satudata_review_status(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's review status for its page, for those who see its
    review (None for everyone else)."""
    if pkg_dict.get("type") != "dataset" or not config.review_enabled():
        return None
    try:
        tk.check_access("satudata_review_show", contexts.current_user(), {"id": pkg_dict["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    package = model.Package.get(pkg_dict["id"])
    status = states.status_of(pkg_dict.get("status_data"))
    change = pending_change.get(package.id) if package is not None else None
    lang = current_lang()
    return {
        "status": status,
        "label": states.label(status, lang),
        "public": states.is_public(status, pkg_dict.get("accessRights")),
        "revision_state": change.state if change is not None else None,
        "revision_label": states.label(change.state, lang) if change is not None else None,
        "url": tk.url_for("satudata_review.read", id=pkg_dict["name"]),
    }


def satudata_number(value: float | int | None, decimals: int | None = None) -> str:
    """A figure in the UI language: ``309.667`` (id), ``309,667`` (en)."""
    return formats.number(value, current_lang(), decimals)


def satudata_percent(share: float | None, decimals: int = 1) -> str:
    """A share (0.125) in the UI language: ``12,5%`` (id), ``12.5%`` (en)."""
    return formats.percent(share, current_lang(), decimals)


def satudata_date(value: Any) -> str:
    """A date in the UI language: ``1 Desember 2026`` (id), ``December 1, 2026`` (en)."""
    return formats.date_long(value, current_lang())


def satudata_resource_reference(resource: dict[str, Any]) -> str:
    """When a resource's figures stand: a DKB semester's reference date, else
    its period label ("" when it has none)."""
    period = resource.get("periode_data") or ""
    semester = semester_of_label(period) if period else None
    if semester is not None:
        return f"{satudata_date(semester.reference_date)} ({period})"
    return str(period)


def satudata_brand() -> dict[str, str]:
    """The portal's look: name, logo, favicon, colours, the Walidata's contact."""
    return {
        "name": config.portal_name(),
        "logo": config.logo(),
        "favicon": config.favicon(),
        "social_image": config.social_image(),
        "primary_color": config.primary_color(),
        "secondary_color": config.secondary_color(),
        "walidata": config.walidata(),
        "address": config.walidata_address(),
        "email": config.walidata_email(),
        "phone": config.walidata_phone(),
    }


def satudata_social_image(pkg_dict: dict[str, Any]) -> str:
    """Absolute URL of a dataset's social preview image: its first chart as
    PNG (drawn on the server), else the portal's card."""
    tables = [r["id"] for r in pkg_dict.get("resources") or [] if r.get("datastore_active")]
    view_id = chart_service.first_chart_view_id(tables)
    if view_id:
        return tk.h.url_for(
            "satudata_charts.chart_file", view_id=view_id, kind="png", qualified=True
        )
    return tk.h.url_for_static_or_external(config.social_image(), qualified=True)


def satudata_tenant_name() -> str:
    """The tenant's region, e.g. "Kabupaten Paser"."""
    return regions.tenant_regions()[regions.tenant_root()].name


# DataTables' Indonesian strings with Indonesian number separators (the file
# datatables_view ships groups thousands with an apostrophe). Chained: needs
# the datatables_view plugin, which every configuration of ours loads.
DATATABLES_LANGUAGE_FILES = {"id": "/satudata/datatables/id.json"}


@tk.chained_helper
def datatablesview_get_language_file_path(next_helper: Any, lang: str) -> str:
    if lang in DATATABLES_LANGUAGE_FILES:
        return tk.h.url_for_static(DATATABLES_LANGUAGE_FILES[lang])
    return next_helper(lang)


@tk.chained_helper
def datastore_dictionary(
    next_helper: Any, resource_id: str, include_columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """A DataStore table's columns, read once per request: the DataTables
    preview asks twice (its own columns, and our measure columns' formats in
    templates/datatables/datatables_view.html), each a datastore_info."""
    if not has_request_context():
        return next_helper(resource_id, include_columns)
    read: dict[Any, list[dict[str, Any]]] = tk.g.setdefault("satudata_datastore_dictionaries", {})
    key = (resource_id, tuple(include_columns) if include_columns is not None else None)
    if key not in read:
        read[key] = next_helper(resource_id, include_columns)
    return list(read[key])


def satudata_structured_data(pkg: dict[str, Any], profiles: Any = None) -> str:
    """ckanext-dcat's schema.org JSON-LD of the dataset page, serialised once
    per version of the dataset (catalog/structured_data.py)."""
    return structured_data.of_dataset(pkg, tk.h.structured_data, current_lang(), profiles)


def satudata_measure_columns(fields: list[dict[str, Any]]) -> list[str]:
    """Columns of a DataStore table that count something (figures to format)."""
    return chart_settings.measure_fields(fields)


# Titles CKAN stores for the default views (written in the language of
# whoever created them, often a background job): shown in the UI language.
DEFAULT_VIEW_TITLES = {"Table": N_("Table"), "Chart": N_("Chart"), "Grafik": N_("Chart")}


def satudata_view_title(view: dict[str, Any]) -> str:
    title = str(view.get("title") or "")
    return tk._(DEFAULT_VIEW_TITLES[title]) if title in DEFAULT_VIEW_TITLES else title


def satudata_quarantine_notes(pkg_dict: dict[str, Any]) -> list[dict[str, str]]:
    """The records a Dukcapil source's quarantine policy left out of each
    semester's table (resource field catatan_karantina), in the UI language:
    [{"period", "resource_id", "text"}], newest semester first as listed."""
    notes = []
    for resource in pkg_dict.get("resources") or []:
        stored = resource.get(QUARANTINE_FIELD)
        if stored:
            notes.append(
                {
                    "period": str(resource.get("periode_data") or resource.get("name") or ""),
                    "resource_id": str(resource.get("id") or ""),
                    "text": harvest_messages.render_stored(stored, tk._, current_lang()),
                }
            )
    return notes


def satudata_harvest_form(
    data: dict[str, Any] | None, errors: dict[str, Any] | None
) -> dict[str, Any]:
    """The harvest source form's sections (a section of fields per harvester
    type, harvesters/form.py), whether the JSON view is offered (sysadmins),
    and the labels of its error summary."""
    data, errors = data or {}, errors or {}
    return {
        "sections": harvest_form.sections(data, errors),
        "json_view": harvest_form.editor_is_privileged(),
        "labels": harvest_form.error_labels(data),
        "marker": harvest_form.MARKER,
        "json_marker": harvest_form.JSON_MARKER,
    }


def satudata_harvest_facet_labels() -> dict[str, dict[str, str]]:
    """facet -> value -> label of the harvest search's facets (source types
    by their harvester's title, frequencies as the source form names them)."""
    return {
        "source_type": {info["name"]: info["title"] for info in harvesters_info()},
        "frequency": {f["value"]: f["text"] for f in harvest_frequencies()},
    }


def satudata_harvest_facet_label(item: dict[str, Any]) -> str:
    """A harvest search facet item's label (facet_list.html's label_function)."""
    labels = satudata_harvest_facet_labels()
    for values in labels.values():
        if item.get("name") in values:
            return values[item["name"]]
    return str(item.get("display_name") or item.get("name") or "")
