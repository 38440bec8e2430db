"""The gate in front of every action that stores text, files or DataStore rows
(besides the dataset actions, which dataset.py wraps with the validation of
their resources): each is chained here through validation/service.py, so a
NIK/KK number is refused before anything is written, with a field-level
error in the user's language.

tests/logic/test_gate_coverage.py enumerates CKAN's registered actions at run
time: an action that can store content is either chained here (or in
dataset.py), routed through one that is, or listed there, with a reason, as
storing none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Action, ChainedAction, Context, DataDict

from ckanext.satudata import contexts
from ckanext.satudata.validation import datastore, inspection, service

# Marks our chained functions, so the coverage test can find the gate in an
# action's chain.
GATE_MARK = "satudata_gate"

# Actions whose data dict may carry text people read (descriptions, titles,
# profiles, view settings, translations, site texts …).
TEXT_ACTIONS = (
    "group_create",
    "group_update",
    "organization_create",
    "organization_update",
    "user_create",
    "user_update",
    "user_invite",
    "resource_view_create",
    "resource_view_update",
    "harvest_source_create",
    "harvest_source_update",
    "tag_create",
    "vocabulary_create",
    "vocabulary_update",
    "package_relationship_create",
    "package_relationship_update",
    "term_translation_update",
    "term_translation_update_many",
    "config_option_update",
    "task_status_update",
    "task_status_update_many",
    "file_rename",
)


# Actions of other extensions (not CKAN core): CKAN exempts those from its
# auth audit, but a chain keeps only our function's attributes, so ours says
# it too (the extension's action still checks its auth itself).
EXTENSION_ACTIONS = frozenset(
    {"harvest_source_create", "harvest_source_update", "datastore_create", "datastore_upsert"}
)


def marked(function: ChainedAction) -> ChainedAction:
    """A chained action of the gate (GATE_MARK, and chained for CKAN)."""
    setattr(function, GATE_MARK, True)
    if function.__name__ in EXTENSION_ACTIONS:
        setattr(function, "auth_audit_exempt", True)  # noqa: B010 (CKAN's attribute)
    return tk.chained_action(function)


def calls_the_gate(function: Action) -> Action:
    """Marks an action of ours that puts what it stores through the gate itself
    (validation/service.py), for the coverage test. (Ours cannot be chained
    here: CKAN chains only onto an action another plugin or core defines.)"""
    setattr(function, GATE_MARK, True)
    return function


def _text_gate(name: str) -> ChainedAction:
    def gated(original: Action, context: Context, data_dict: DataDict) -> Any:
        service.refuse_personal_text(data_dict)
        return original(context, data_dict)

    gated.__name__ = name
    gated.__doc__ = f"{name}, its texts through the personal-data gate."
    return marked(gated)


def _file_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """file_create: the file through the gate (like a resource upload), its
    name and other texts through the text gate."""
    service.refuse_personal_text(data_dict)
    upload = data_dict.get("upload")
    uploaded = service.upload_of(data_dict)
    if uploaded is not None:
        declared = inspection.declared_format(str(data_dict.get("name") or uploaded.filename), None)
        service.refuse_if_needed(service.inspect_upload(uploaded, declared, None), "upload")
    elif isinstance(upload, bytes | str) and upload:
        content = upload.encode("utf-8") if isinstance(upload, str) else upload
        declared = inspection.declared_format(str(data_dict.get("name") or ""), None)
        service.refuse_if_needed(service.inspect_bytes(content, declared, None), "upload")
    return original(context, data_dict)


def _datastore_write(original: Action, context: Context, data_dict: DataDict) -> Any:
    """datastore_create / datastore_upsert called directly (an editor's API
    call): fields and records through the guard. The portal's own load passes
    rows that already passed the gate with the file (datastore.CHECKED_FLAG)."""
    if not contexts.flag(context, datastore.CHECKED_FLAG):
        problems = service.records_errors(data_dict.get("fields"), data_dict.get("records"))
        if problems:
            raise tk.ValidationError({"records": problems})
        service.refuse_personal_text(
            {key: value for key, value in data_dict.items() if key not in ("records", "fields")}
        )
    return original(context, data_dict)


def _named(name: str, function: Callable[[Action, Context, DataDict], Any]) -> ChainedAction:
    def gated(original: Action, context: Context, data_dict: DataDict) -> Any:
        return function(original, context, data_dict)

    gated.__name__ = name
    gated.__doc__ = function.__doc__
    return marked(gated)


def actions() -> dict[str, ChainedAction]:
    """The gate's chained actions, by name."""
    found = {name: _text_gate(name) for name in TEXT_ACTIONS}
    found["file_create"] = _named("file_create", _file_create)
    found["datastore_create"] = _named("datastore_create", _datastore_write)
    found["datastore_upsert"] = _named("datastore_upsert", _datastore_write)
    return found
