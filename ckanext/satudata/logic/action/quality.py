"""Data quality through the Action API: a dataset's stored score with its
breakdown and what to fix (quality/display.py says it in the request's
language), and the portal / OPD summary. Scores are stored and kept current
by quality/service.py; these actions only read."""

from __future__ import annotations

import base64
import datetime
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.satudata import contexts
from ckanext.satudata.logic import roles, schema
from ckanext.satudata.quality import display, exporting, service

__all__ = ["satudata_quality_export", "satudata_quality_show", "satudata_quality_summary"]


def sees_private(user: str | None) -> bool:
    """The walidata, the walidata pendukung and sysadmins see every OPD's
    private datasets in the summary; everyone else, public datasets only."""
    return roles.is_walidata(user) or roles.is_walidata_pendukung(user)


@tk.side_effect_free
@tk.auth_allow_anonymous_access
def satudata_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The quality score of a dataset: its grade, the six dimensions (0-100,
    ``None`` where a dimension does not apply) with their weights, and every
    deduction with its cause, its fix and a link to the field or resource.

    :param id: the dataset's id or name
    :returns: ``{"id", "name", "score", "grade", "dimensions": […],
        "deductions": […], "computed", "stored"}``; ``stored`` is false for
        a dataset not scored yet: its score is computed for this answer and
        not stored (a read never writes)
    """
    data, errors = tk.navl_validate(data_dict, schema.dataset_reference(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("satudata_quality_show", context, data)
    pkg = tk.get_action("package_show")(contexts.site(), {"id": data["id"]})
    row, stored = service.current(pkg["id"])  # never stores: a read
    if row is None:
        raise tk.ObjectNotFound(tk._("This dataset has no quality score"))
    return {**display.of_dataset(pkg, row), "stored": stored}


@tk.side_effect_free
@tk.auth_allow_anonymous_access
def satudata_quality_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The portal's quality and each OPD's, best first (their rank); private
    datasets count only for the walidata and walidata pendukung.

    :param organization: an OPD's id or name (optional): that OPD and its
        datasets' scores
    :returns: ``{"portal": {datasets, score, grade, grades, dimensions},
        "organizations": [{rank, name, title, datasets, score, grade,
        dimensions, grades}], "datasets": [...] (with organization)}``
    """
    data, errors = tk.navl_validate(data_dict, schema.quality_summary(), context)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("satudata_quality_summary", context, data)
    organization_id = _organization_id(data.get("organization"))
    return display.summary(sees_private(context.get("user")), organization_id)


def _organization_id(reference: str | None) -> str | None:
    if not reference:
        return None
    group = model.Group.get(reference)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ObjectNotFound(tk._("Organization not found"))
    return group.id


def evidence_file(
    context: Context, file_format: str, organization: str | None
) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the evidence export, after its auth:
    every OPD's for the walidata, an OPD's own for its producers."""
    organization_id = _organization_id(organization)
    tk.check_access("satudata_quality_export", context, {"organization": organization_id})
    # A producer exports their own OPD's datasets, private ones included.
    private = sees_private(context.get("user")) or organization_id is not None
    content_type, body = exporting.export(file_format, private, organization_id)
    filename = f"kualitas-data-{datetime.date.today().isoformat()}.{file_format}"
    return filename, content_type, body


@tk.side_effect_free
def satudata_quality_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The evidence table an EPSS assessor attaches: every dataset's score,
    grade and dimensions, each deduction's cause and fix, the OPD ranking
    (formula-looking cells neutralised). /kualitas/bukti.<format> serves the
    same file.

    :param format: ``xlsx`` (default: sheets Kualitas, Rincian, OPD) or ``csv``
    :param organization: an OPD's id or name (optional: every OPD, walidata only)
    :returns: ``filename``, ``content_type`` and ``content`` (base64)
    """
    data, errors = tk.navl_validate(data_dict, schema.quality_export(), context)
    if errors:
        raise tk.ValidationError(errors)
    filename, content_type, body = evidence_file(
        context, data.get("format") or "xlsx", data.get("organization")
    )
    return {
        "filename": filename,
        "content_type": content_type,
        "content": base64.b64encode(body).decode("ascii"),
    }
