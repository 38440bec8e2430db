"""Template helpers (blanket-registered: every name in __all__)."""

from __future__ import annotations

from typing import Any

from ckanext.satudata import vocabularies

__all__ = [
    "satudata_choices",
    "satudata_dataset_freshness",
    "satudata_freshness_label",
    "satudata_home_stats",
    "satudata_metadata_groups",
    "satudata_opd_summary",
    "satudata_search_datasets",
    "satudata_standard_of",
    "satudata_vocabulary_label",
]


def current_lang() -> str:
    """The UI language of the request; the default outside a request."""
    from ckan.lib.i18n import get_lang

    try:
        return get_lang()
    except RuntimeError:  # outside a request (CLI, jobs)
        return vocabularies.DEFAULT_LANG


def satudata_vocabulary_label(vocabulary: str, value: str | None) -> str:
    """Label of a vocabulary value in the current UI language."""
    return vocabularies.label(vocabulary, value, current_lang())


def _data_standard_choices() -> list[dict[str, Any]]:
    from ckanext.satudata.validation import standards

    return [
        {"value": name, "label": {"id": title_id, "en": title_en}}
        for name, title_id, title_en in standards.list_standards()
    ]


def satudata_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """ckanext-scheming ``choices_helper``: the choices of the vocabulary named
    by the field's ``vocabulary`` key, with labels in every UI language."""
    name = field["vocabulary"]
    if name == "data_standard":
        return _data_standard_choices()
    if name == "subtopic":
        return [
            {"value": sub.value, "label": sub.labels}
            for topic in vocabularies.terms("topic")
            for sub in topic.children
        ]
    return [{"value": t.value, "label": t.labels} for t in vocabularies.terms(name)]


# Freshness, home page, dataset and OPD pages. The logic lives in
# freshness.py and portal_stats.py; these wrappers only add the UI language.


def satudata_freshness_label(state: str | None) -> str:
    from ckanext.satudata.portal_stats import freshness_labels

    return freshness_labels().get(state or "", state or "")


def satudata_dataset_freshness(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """State, label, last update and due date of a dataset, for templates."""
    from ckanext.satudata import freshness

    result = freshness.of_dataset(pkg_dict)
    return {
        "state": result.state,
        "label": satudata_freshness_label(result.state),
        # ISO strings: what h.render_datetime formats
        "last_update": result.last_update.isoformat() if result.last_update else None,
        "due": result.due.isoformat() if result.due else None,
    }


def satudata_home_stats() -> dict[str, Any]:
    from ckanext.satudata import portal_stats

    return portal_stats.home_stats()


def satudata_opd_summary(org_name: str) -> dict[str, Any]:
    from ckanext.satudata import portal_stats

    return portal_stats.opd_summary(org_name)


def satudata_search_datasets(**search: Any) -> list[dict[str, Any]]:
    from ckanext.satudata import portal_stats

    return portal_stats.search(**search)["results"]


def satudata_metadata_groups(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    from ckanext.satudata import portal_stats

    return portal_stats.metadata_groups(pkg_dict, current_lang())


def satudata_standard_of(pkg_dict: dict[str, Any], resource: dict[str, Any] | None = None) -> str:
    """Name of the data standard that applies (the resource's overrides the dataset's)."""
    return (resource or {}).get("standar_data") or pkg_dict.get("standar_data") or ""
