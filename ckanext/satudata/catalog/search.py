"""SDI fields in the search index and as facets.

The browse facets are listed once, in ``FACETS``; their titles are the field
labels of the dataset schema, and facet items are shown with vocabulary labels
and region names in the UI language.

Time-dependent index fields (freshness) go stale as days pass without a
change to the dataset: ``refresh_freshness`` re-indexes what changed (daily,
``ckan satudata freshness refresh``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib.search import commit, rebuild
from ckan.lib.search.common import make_connection
from ckan.plugins import toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text

from ckanext.satudata.catalog import choices, freshness, reindex, stats
from ckanext.satudata.i18n import N_, current_lang
from ckanext.satudata.interop import pelita
from ckanext.satudata.model import quality_score, region
from ckanext.satudata.reference import regions, vocabularies


@dataclass(frozen=True)
class Facet:
    index_field: str  # Solr field (`vocab_*` are multi-valued strings in CKAN's schema)
    schema_field: str | None  # dataset schema field whose label titles the facet
    vocabulary: str | None = None
    title: str | None = None  # English msgid (N_), for facets that are not schema fields


# The dataset's bidang urusan (interop/pelita.py bidang_urusan): Portal Pelita's filter.
URUSAN_FIELD = "vocab_urusan"
# Region codes with their ancestors; items named by model/region.py.
REGION_FACET = "vocab_kode_wilayah"
# The stored quality score (quality/service.py): the grade as a facet, the
# score as a sortable text (the schema's catch-all string field; zero-padded
# so that text order is number order: sort=quality_score desc).
QUALITY_GRADE_FIELD = "quality_grade"
QUALITY_SCORE_FIELD = "quality_score"
# The search page's "Data quality" order (package/snippets/search_results.html):
# best first; datasets not scored yet last (the string type sorts missing last).
QUALITY_SORT = f"{QUALITY_SCORE_FIELD} desc, metadata_modified desc"
# Order is the order on the search page, after CKAN's own organization facet.
FACETS: tuple[Facet, ...] = (
    Facet("theme", "theme", "topic"),
    Facet("accrualPeriodicity", "accrualPeriodicity", "frequency"),
    Facet(REGION_FACET, "kode_wilayah"),
    Facet("vocab_tahun", None, title=N_("Years covered")),
    Facet("accessRights", "accessRights", "classification"),
    Facet("standar_data", "standar_data", "data_standard"),
    Facet("jenis", "jenis", "data_type"),
    Facet("freshness", "freshness", title=N_("Freshness")),
    Facet(QUALITY_GRADE_FIELD, None, title=N_("Quality grade")),
)
_BY_INDEX_FIELD = {f.index_field: f for f in FACETS}


def _loads_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.startswith("["):
        return json.loads(value)
    return [value] if value else []


def _with_ancestors(codes: Iterable[str]) -> list[str]:
    """A dataset about a desa is also found under its kecamatan and kabupaten.
    Provinces are only indexed when named: every regional dataset is in one."""
    found: list[str] = []
    for code in codes:
        current: str | None = code
        while current is not None and current not in found:
            found.append(current)
            current = regions.parent_code(current)
            if current is not None and "." not in current:
                break
    return found


def _years(start: Any, end: Any) -> list[str]:
    if not start:
        return []
    last = int(end) if end else datetime.date.today().year
    return [str(year) for year in range(int(start), last + 1)]


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """IPackageController.before_dataset_index: multi-valued SDI fields."""
    codes = _loads_list(pkg_dict.pop("kode_wilayah", None))
    if codes:
        pkg_dict[REGION_FACET] = _with_ancestors(codes)
    years = _years(pkg_dict.get("tahun_mulai"), pkg_dict.get("tahun_akhir"))
    if years:
        pkg_dict["vocab_tahun"] = years
    bidang = pelita.bidang_urusan(pkg_dict.get("subtopik"), opd_urusan(pkg_dict.get("owner_org")))
    if bidang:
        pkg_dict[URUSAN_FIELD] = [bidang]
    # The indexed state goes stale as days pass without a change to the dataset:
    # `ckan satudata freshness refresh` (daily, refresh_freshness) re-indexes
    # what changed; package_show computes it afresh on every call.
    if pkg_dict.get("type") == "dataset":  # not harvest sources
        validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
        pkg_dict.update(freshness.of_dataset(validated).as_api_fields())
        pkg_dict.update(quality_fields(pkg_dict.get("id")))
    return pkg_dict


def quality_fields(package_id: str | None) -> dict[str, str]:
    """The stored grade and score of a dataset as index fields."""
    stored = quality_score.get(package_id) if package_id else None
    if stored is None:
        return {}
    return {
        QUALITY_GRADE_FIELD: stored.grade,
        QUALITY_SCORE_FIELD: f"{round(stored.score * 10):04d}",
    }


def opd_urusan(organization_id: str | None) -> list[str]:
    """The government affairs (bidang urusan codes) an OPD handles."""
    if not organization_id:
        return []
    extras = model.Session.execute(
        sa.select(model.group_table.c.extras).where(model.group_table.c.id == organization_id)
    ).scalar()
    return [str(code) for code in _loads_list((extras or {}).get("urusan")) if code]


def add_facets(facets_dict: dict[str, Any], package_type: str = "dataset") -> dict[str, Any]:
    """IFacets: OPD first, then the SDI facets titled by the schema labels.
    Other dataset types (harvest sources) keep their own facets."""
    if package_type != "dataset":
        return facets_dict

    schema = scheming_get_dataset_schema("dataset") or {}
    labels = {
        f["field_name"]: f.get("label", f["field_name"]) for f in schema.get("dataset_fields", [])
    }
    ordered = {"organization": tk._("Data producer (agency)")}
    for facet in FACETS:
        ordered[facet.index_field] = (
            tk._(facet.title)
            if facet.title
            else scheming_language_text(labels.get(facet.schema_field, facet.schema_field))
        )
    for key, title in facets_dict.items():
        ordered.setdefault(key, title)
    return ordered


def _display_name(facet: Facet, value: str, lang: str) -> str:
    if facet.vocabulary == "data_standard":
        return choices.label("data_standard", value, lang)
    if facet.vocabulary:
        return vocabularies.label(facet.vocabulary, value, lang)
    if facet.index_field == "freshness":
        return stats.freshness_labels().get(value, value)
    return value


def label_facet_items(search_results: dict[str, Any]) -> dict[str, Any]:
    """IPackageController.after_dataset_search: readable facet item names."""
    lang = current_lang()
    for field, facet_result in (search_results.get("search_facets") or {}).items():
        facet = _BY_INDEX_FIELD.get(field)
        if facet is None:
            continue
        items = facet_result.get("items", [])
        if field == REGION_FACET:
            names = region.names_of([item["name"] for item in items])
            for item in items:
                name = names.get(item["name"])
                item["display_name"] = f"{name} ({item['name']})" if name else item["name"]
            continue
        for item in items:
            item["display_name"] = _display_name(facet, item["name"], lang)
    return search_results


# Freshness in the index -----------------------------------------------------

_PAGE = 1000


def _indexed_freshness() -> dict[str, str]:
    """{dataset id: freshness state} as the index holds them (the field is
    indexed, not stored, so one filter query per state)."""
    site = tk.config.get("ckan.site_id")
    solr = make_connection()
    indexed: dict[str, str] = {}
    for state in freshness.STATES:
        start = 0
        while True:
            found = solr.search(
                q="*:*", fq=[f'+freshness:"{state}"', f'+site_id:"{site}"', "+entity_type:package"],
                fl="id", rows=_PAGE, start=start,
            )  # fmt: skip
            indexed.update({doc["id"]: state for doc in found})
            start += _PAGE
            if start >= found.hits:
                break
    return indexed


def _freshness_now(today: datetime.date | None = None) -> dict[str, str]:
    """{dataset id: freshness state today} of every active dataset, from the
    database in one query: freshness.of_dataset's rule (the frequency and the
    newest change of an active resource), without a package_show each."""
    package, resource = model.package_table, model.resource_table
    frequency = package.c.extras["accrualPeriodicity"].astext
    newest = sa.func.max(sa.func.coalesce(resource.c.last_modified, resource.c.created))
    query = (
        sa.select(package.c.id, frequency, newest)
        .select_from(
            package.outerjoin(
                resource,
                sa.and_(resource.c.package_id == package.c.id, resource.c.state == "active"),
            )
        )
        .where(package.c.state == "active")
        .group_by(package.c.id, frequency)
    )
    return {
        package_id: freshness.evaluate(period, last.date() if last else None, today).state
        for package_id, period, last in model.Session.execute(query)
    }


def refresh_freshness() -> list[str]:
    """Re-index the datasets whose freshness changed since they were indexed
    (compared with the state computed now); returns their names."""
    indexed = _indexed_freshness()
    now = _freshness_now()
    changed = [
        package_id for package_id, state in indexed.items() if now.get(package_id, state) != state
    ]
    # One Solr commit for all (rebuild of one id would commit each), the
    # documents sent in batches.
    with reindex.batched_adds():
        rebuild(package_ids=changed, defer_commit=True, quiet=True)
    names = []
    for package_id in changed:
        package = model.Package.get(package_id)
        names.append(package.name if package else package_id)
    if changed:
        commit()
    return names
