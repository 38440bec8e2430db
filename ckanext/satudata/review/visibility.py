"""Who sees a dataset, in CKAN's permission layer (IPermissionLabels): the
labels package_show's auth, package_search, the DataStore, downloads, DCAT
and the activity streams all check.

- A dataset is public (label ``public``) only while it is published and of
  an open classification (states.is_public); its ``private`` flag says the
  same, for the parts of CKAN that read the flag (package_list, autocomplete,
  counts): workflow.visibility_fields keeps the two in step.
- Otherwise the members of its OPD see it (CKAN's ``member-<org>``), and so
  do the walidata and walidata pendukung (``satudata-walidata``): they review
  every OPD's data.
- Other dataset types (harvest sources) keep CKAN's default labels, and so
  does every dataset while the workflow is off (workflow.enabled).
"""

from __future__ import annotations

from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.satudata.logic import roles
from ckanext.satudata.review import states, workflow

REVIEWER_LABEL = "satudata-walidata"
SDI_TYPE = "dataset"

_default = DefaultPermissionLabels()


def dataset_labels(package: model.Package) -> list[str]:
    if package.type != SDI_TYPE or not workflow.enabled():
        return _default.get_dataset_labels(package)
    extras = package.extras or {}
    if (
        package.state == "active"
        and not package.private
        and states.is_public(extras.get("status_data"), extras.get("accessRights"))
    ):
        return ["public"]
    labels = [
        label
        for label in _default.get_dataset_labels(package)
        if label != "public"  # a private flag out of step never opens a dataset
    ]
    if not labels and package.owner_org:
        labels = [f"member-{package.owner_org}"]
    return [*labels, REVIEWER_LABEL]


def user_labels(user: model.User | None) -> list[str]:
    labels = _default.get_user_dataset_labels(user)  # type: ignore[arg-type]
    if user is None or user.is_anonymous:
        return labels
    if roles.is_walidata(user.name) or roles.is_walidata_pendukung(user.name):
        labels.append(REVIEWER_LABEL)
    return labels
