"""Template helpers (blanket-registered: every name in __all__). Each adds
the UI language to a function of the module that owns the concept."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.catalog import choices, freshness, stats
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.reference import vocabularies

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


def satudata_search_datasets(**search: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = stats.search(**search)["results"]
    return results


def satudata_metadata_groups(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    return stats.metadata_groups(pkg_dict, current_lang())


def satudata_standard_of(pkg_dict: dict[str, Any], resource: dict[str, Any] | None = None) -> str:
    """Name of the data standard that applies (the resource's overrides the dataset's)."""
    return str((resource or {}).get("standar_data") or pkg_dict.get("standar_data") or "")
