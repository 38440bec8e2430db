"""The dataset form's pages (ckanext-scheming's ``start_form_page`` in
schemas/dataset.yaml): which page a field is on, and which page a form post
saves. The form saves a draft page by page; ``logic/validators.py
satudata_required`` lets a field of a later page stay empty in that draft.
Pure Python: no CKAN import."""

from __future__ import annotations

from typing import Any

# Context flag set by the package actions (logic/action/dataset.py) on a form
# post that saves a draft: the number of the page posted (1-based).
FORM_PAGE_FLAG = "satudata_form_page"
# The hidden input scheming's form prints with the page number.
PHASE_KEY = "_ckan_phase"


def page_of_field(schema: dict[str, Any], field_name: str) -> int:
    """The 1-based form page of a dataset field (1 without pages)."""
    page = 0
    for field in schema.get("dataset_fields", []):
        if page == 0 or "start_form_page" in field:
            page += 1
        if field.get("field_name") == field_name:
            return page
    return 1


def posted_page(data_dict: dict[str, Any]) -> int | None:
    """The page a form post saves as a draft, or None when the write is not
    such a post (an API call, the final activation, an edit of a dataset)."""
    if data_dict.get("state") != "draft":
        return None
    phase = data_dict.get(PHASE_KEY)
    if isinstance(phase, str) and phase.isdigit() and int(phase) > 0:
        return int(phase)
    return None
