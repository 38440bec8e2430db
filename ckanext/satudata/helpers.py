"""Template helpers (registered by blanket: every name in __all__)."""

from __future__ import annotations

from ckanext.satudata import vocabularies

__all__ = ["satudata_vocabulary_label"]


def satudata_vocabulary_label(vocabulary: str, value: str | None) -> str:
    """Label of a vocabulary value in the current UI language."""
    from ckan.lib.i18n import get_lang

    return vocabularies.label(vocabulary, value, get_lang())
