"""Language of the user interface, and message marking.

This folder also holds the Babel catalogs (``<lang>/LC_MESSAGES/*.po``,
compiled at install by setup.py) that CKAN's DefaultTranslation loads.
"""

from __future__ import annotations

from ckan.lib.i18n import get_lang

from ckanext.satudata.reference.vocabularies import DEFAULT_LANG


def current_lang() -> str:
    """The UI language of the request; the default outside a request."""
    try:
        return get_lang()
    except RuntimeError:  # outside a request (CLI, jobs)
        return DEFAULT_LANG


def N_(msgid: str) -> str:
    return msgid
