"""Template helpers (blanket-registered: every name in __all__). Each adds
the UI language to a function of the module that owns the concept."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata import contexts
from ckanext.satudata.catalog import choices, freshness, stats
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.logic import roles
from ckanext.satudata.model import pending_change
from ckanext.satudata.reference import vocabularies
from ckanext.satudata.review import activity, states

__all__ = [
    "satudata_choices",
    "satudata_dataset_freshness",
    "satudata_freshness_label",
    "satudata_home_stats",
    "satudata_metadata_groups",
    "satudata_opd_summary",
    "satudata_review_action_label",
    "satudata_review_nav",
    "satudata_review_status",
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


def satudata_review_action_label(action: str) -> str:
    return activity.action_label(action)


def satudata_review_nav() -> list[dict[str, str]]:
    """The review pages the current user has: the queue, their datasets."""
    name = contexts.current_user()["user"]
    links = []
    if roles.is_walidata(name) or roles.is_walidata_pendukung(name):
        links.append({"url": tk.url_for("satudata_review.dashboard"), "label": tk._("Review")})
    if roles.producer_organizations(name):
        links.append({"url": tk.url_for("satudata_review.mine"), "label": tk._("My datasets")})
    return links


def satudata_review_status(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's review status for its page, for those who see its
    review (None for everyone else)."""
    if pkg_dict.get("type") != "dataset":
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
