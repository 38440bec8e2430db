"""Action functions of ckanext-satudata (blanket-registered: every name in
__all__ becomes an action; chained actions wrap CKAN's own)."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.satudata import vocabularies
from ckanext.satudata.validation.api import satudata_validation_run, satudata_validation_show

__all__ = ["bulk_update_public", "satudata_validation_run", "satudata_validation_show"]


@tk.chained_action
def bulk_update_public(original: Any, context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """The organization page's bulk "make public" writes straight to the
    database, past the dataset validators: refuse restricted or closed data."""
    closed = {t.value for t in vocabularies.terms("classification") if not t.extra.get("public")}
    ids = data_dict.get("datasets") or []
    blocked = []
    for dataset_id in ids:
        package = model.Package.get(dataset_id)
        if package is not None and package.extras.get("accessRights") in closed:
            blocked.append(package.name)
    if blocked:
        raise tk.ValidationError(
            {
                "datasets": [
                    tk._("Restricted or closed datasets cannot be made public: {names}").format(
                        names=", ".join(blocked)
                    )
                ]
            }
        )
    return original(context, data_dict)
