"""Pages of data quality (Indonesian paths; English under /en):

- /kualitas: the public overview (the portal's score, its dimensions, the
  grades, the OPDs ranked by their public datasets);
- /kualitas/opd: the walidata's ranking of OPDs (private datasets counted),
  each OPD's datasets worst first, and the evidence export;
- /kualitas/bukti.<xlsx|csv>[?organization=…]: the evidence table.

The dataset page shows its own breakdown (templates/package/read.html, the
``satudata_quality`` helper). Every page checks the auth function of what it
shows (logic/auth/quality.py)."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from flask import Blueprint, Response, request

from ckanext.satudata import contexts
from ckanext.satudata.logic.action import quality as quality_action
from ckanext.satudata.logic.action.quality import sees_private
from ckanext.satudata.quality import display, exporting

quality = Blueprint("satudata_quality", __name__)


def _user() -> str | None:
    return contexts.current_user().get("user") or None


def _may(auth: str, data_dict: dict[str, Any] | None = None) -> bool:
    try:
        tk.check_access(auth, contexts.current_user(), data_dict or {})
    except tk.NotAuthorized:
        return False
    return True


def overview() -> str:
    summary = display.summary(include_private=False)
    return tk.render(
        "satudata/quality/overview.html",
        {
            "summary": summary,
            "dimensions": display.dimensions(summary["portal"].get("dimensions") or {}),
            "may_rank": _may("satudata_quality_export"),
        },
    )


def ranking() -> str:
    if not _may("satudata_quality_export"):
        tk.abort(403, tk._("Not authorized to see this page"))
    private = sees_private(_user())
    summary = display.summary(include_private=private)
    opd = request.args.get("opd") or ""
    selected = None
    if opd:
        group = model.Group.get(opd)
        if group is None or not group.is_organization:
            tk.abort(404, tk._("Organization not found"))
        selected = display.summary(private, group.id)
        selected["title"] = group.display_name
        selected["name"] = group.name
        selected["datasets"].sort(key=lambda d: d["score"])
    return tk.render(
        "satudata/quality/ranking.html",
        {
            "summary": summary,
            "selected": selected,
            "dimensions": display.dimensions(summary["portal"].get("dimensions") or {}),
        },
    )


def evidence_export(file_format: str) -> Response:
    if file_format not in exporting.FORMATS:
        tk.abort(404)
    try:
        filename, content_type, body = quality_action.evidence_file(
            contexts.current_user(), file_format, request.args.get("organization")
        )
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Not authorized to see this page"))
    return Response(
        body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


quality.add_url_rule("/kualitas", view_func=overview)
quality.add_url_rule("/kualitas/opd", view_func=ranking)
quality.add_url_rule("/kualitas/bukti.<file_format>", view_func=evidence_export)
