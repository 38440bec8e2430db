"""Choices of the schemas' vocabulary fields, with labels in every UI
language: what scheming's ``choices_helper`` (helpers.satudata_choices), the
schema API (logic/action/dataset.py) and the facet labels (search.py) show.
Pure Python: no CKAN import."""

from __future__ import annotations

from typing import Any

from ckanext.satudata.reference import vocabularies
from ckanext.satudata.standards import registry


def of_vocabulary(name: str) -> list[dict[str, Any]]:
    """[{"value", "label": {lang: text}}] of a vocabulary (plus "description"
    {lang: text} where the vocabulary file explains a term, shown in the
    dataset form); ``data_standard`` lists the shipped data standards,
    ``subtopic`` every topic's sub-topics."""
    if name == "data_standard":
        return [
            {"value": standard, "label": {"id": title_id, "en": title_en}}
            for standard, title_id, title_en in registry.list_standards()
        ]
    if name == "subtopic":
        return [{"value": sub.value, "label": sub.labels} for sub in vocabularies.subtopics()]
    return [_choice(t) for t in vocabularies.terms(name)]


def _choice(term: vocabularies.Term) -> dict[str, Any]:
    choice: dict[str, Any] = {"value": term.value, "label": term.labels}
    if isinstance(term.extra.get("description"), dict):
        choice["description"] = term.extra["description"]
    return choice


def of_field(field: dict[str, Any]) -> list[dict[str, Any]]:
    """The choices of a schema field naming a ``vocabulary``."""
    return of_vocabulary(field["vocabulary"])


def label(name: str, value: str, lang: str) -> str:
    """A value's label in ``lang`` (the value itself when it is not a choice)."""
    for choice in of_vocabulary(name):
        if choice["value"] == value:
            labels = choice["label"]
            return str(labels.get(lang) or labels.get(vocabularies.DEFAULT_LANG) or value)
    return value
