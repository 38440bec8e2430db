"""Template helpers (blanket-registered: every name in __all__)."""

from __future__ import annotations

from typing import Any

from ckanext.satudata import vocabularies

__all__ = ["satudata_choices", "satudata_vocabulary_label"]


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
