"""Controlled vocabularies: the single source of truth, one data file per
vocabulary in ``reference/data/vocabularies/<name>.yaml``. Schemas (the
``satudata_choices`` helper), validators, facets, the DCAT mapping, templates
and tests all read them through this module.

Each file holds one key, the vocabulary's name (its file name), listing
terms: ``value`` (stored, stable, lowercase), ``label`` {id, en}, and extra
keys documented in the file's comment.

Pure Python (no CKAN import) so the validation engine, harvesters and
benchmarks can use it outside a CKAN process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

DEFAULT_LANG = "id"


@dataclass(frozen=True)
class Term:
    vocabulary: str
    value: str
    labels: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)
    children: tuple[Term, ...] = ()

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return self.labels.get(lang) or self.labels[DEFAULT_LANG]


def _terms(vocabulary: str, raw_terms: list[dict[str, Any]]) -> tuple[Term, ...]:
    terms = []
    for raw in raw_terms:
        extra = {k: v for k, v in raw.items() if k not in ("value", "label", "subtopics")}
        children = _terms(f"{vocabulary}.sub", raw.get("subtopics", []))
        terms.append(Term(vocabulary, str(raw["value"]), dict(raw["label"]), extra, children))
    return tuple(terms)


VOCABULARY_DIR = "reference/data/vocabularies"


@functools.cache
def _all() -> dict[str, tuple[Term, ...]]:
    found: dict[str, tuple[Term, ...]] = {}
    folder = resources.files("ckanext.satudata").joinpath(VOCABULARY_DIR)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        name = entry.name.removesuffix(".yaml")
        content = yaml.safe_load(entry.read_text("utf-8"))
        if not isinstance(content, dict) or list(content) != [name]:
            raise ValueError(f"{VOCABULARY_DIR}/{entry.name} must hold one key, {name!r}")
        found[name] = _terms(name, content[name])
    return found


def names() -> list[str]:
    return list(_all())


def terms(vocabulary: str) -> tuple[Term, ...]:
    try:
        return _all()[vocabulary]
    except KeyError:
        raise KeyError(f"unknown vocabulary {vocabulary!r}; known: {', '.join(_all())}") from None


def values(vocabulary: str) -> list[str]:
    return [t.value for t in terms(vocabulary)]


def get(vocabulary: str, value: str | None) -> Term | None:
    """The term with this value, or None."""
    if value is None:
        return None
    for term in terms(vocabulary):
        if term.value == value:
            return term
    return None


def label(vocabulary: str, value: str | None, lang: str = DEFAULT_LANG) -> str:
    """Display label of a value; the raw value when it is not in the vocabulary."""
    term = get(vocabulary, value)
    return term.label(lang) if term else (value or "")


def subtopics(topic: str | None = None) -> tuple[Term, ...]:
    """Sub-topics of one topic, or of all topics."""
    topics = (
        terms("topic") if topic is None else tuple(t for t in terms("topic") if t.value == topic)
    )
    return tuple(child for t in topics for child in t.children)


def topic_of_subtopic(subtopic: str) -> str | None:
    for topic in terms("topic"):
        if any(child.value == subtopic for child in topic.children):
            return topic.value
    return None
