"""A clear answer, in the visitor's language, when a resource's stored file is
gone, instead of CKAN's HTTP 500 (its download view sends a file that is not
there):

- 410 Gone when the validation removed it because it held personal data
  (async mode deletes such a file: validation/jobs.py run_now);
- 404 Not Found when it is missing for any other reason.

The check runs before CKAN's resource download view (every endpoint of it:
one per dataset type) and only when the file is missing; who may not see the
resource still gets CKAN's own answer, so a private resource's existence is
not revealed. The resource download is the one view that serves our stored
files; CKAN 2.12's file views (/file/…, the files API, unused here) and its
uploads view (images) answer 404 for a missing file themselves.
"""

from __future__ import annotations

import os

import flask
from ckan.model import Resource
from ckan.plugins import toolkit as tk
from ckan.views import resource as resource_views

from ckanext.satudata.validation import jobs, reports

DOWNLOAD_VIEW = resource_views.download


def install(app: flask.Flask) -> None:
    # Every endpoint of CKAN's resource download view, whatever the dataset
    # type (named by module and name: the test app reloads CKAN's modules).
    endpoints = frozenset(
        endpoint
        for endpoint, view in app.view_functions.items()
        if (view.__module__, view.__name__) == (DOWNLOAD_VIEW.__module__, DOWNLOAD_VIEW.__name__)
    )

    def check_stored_file() -> None:
        if flask.request.endpoint in endpoints:
            refuse_if_gone((flask.request.view_args or {}).get("resource_id"))

    app.before_request(check_stored_file)


def refuse_if_gone(resource_id: str | None) -> None:
    """Abort with 410 or 404 when the uploaded file of a resource the current
    user may see is not in storage; otherwise do nothing (CKAN answers)."""
    resource = Resource.get(resource_id) if resource_id else None
    if resource is None or resource.url_type != "upload" or resource.state != "active":
        return
    path = jobs.stored_path({"id": resource.id, "url_type": resource.url_type})
    if path is None or os.path.exists(path):
        return
    try:
        tk.check_access("resource_show", {"user": tk.current_user.name}, {"id": resource.id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return
    if reports.removed_for_personal_data(resource.id):
        tk.abort(
            410,
            tk._(
                "This file has been removed: it contained personal data (NIK or KK numbers), "
                "which may not be published. The producing OPD has to upload it again "
                "without the personal data."
            ),
        )
    tk.abort(
        404,
        tk._(
            "The file of this resource is missing from the portal's storage. Please tell the "
            "portal's administrator (Walidata)."
        ),
    )
