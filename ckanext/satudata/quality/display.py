"""Stored scores as the API and the pages show them, in the reader's
language: each dimension with its label, weight and rule; each deduction's
cause and fix (messages.py) with the link to the form field or resource
that fixes it; the summary of an OPD and of the portal."""

from __future__ import annotations

import functools
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text

from ckanext.satudata import config
from ckanext.satudata.charts import service as charts
from ckanext.satudata.charts import spec
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import quality_score
from ckanext.satudata.quality import messages, rules
from ckanext.satudata.reference import vocabularies


@functools.cache
def _field_labels() -> dict[str, Any]:
    schema = scheming_get_dataset_schema("dataset") or {}
    return {f["field_name"]: f.get("label", f["field_name"]) for f in schema["dataset_fields"]}


def field_label(name: str) -> str:
    label = _field_labels().get(name)
    return scheming_language_text(label, prefer_lang=current_lang()) if label else name


def _level_label(value: str) -> str:
    return vocabularies.label("region_level", value, current_lang())


def dimensions(stored: dict[str, Any]) -> list[dict[str, Any]]:
    weights = config.quality_weights()
    return [
        {
            "name": name,
            "label": tk._(messages.DIMENSION_LABELS[name]),
            "description": tk._(messages.DIMENSION_DESCRIPTIONS[name]),
            "score": stored.get(name),
            "weight": weights.get(name, 0),
        }
        for name in rules.DIMENSIONS
    ]


def dimensions_chart(dims: list[dict[str, Any]]) -> dict[str, Any]:
    """The Vega-Lite spec of a bar per dimension (0-100); a dimension that
    does not apply has no bar (the table beside the chart says so)."""
    scored = [(d["label"], d["score"]) for d in dims if d["score"] is not None]
    names = [d["label"] for d in dims]
    return _score_chart(names, scored, tk._("Dimension"), tk._("Score per dimension"))


def ranking_chart(organizations: list[dict[str, Any]]) -> dict[str, Any]:
    """The Vega-Lite spec of the OPD ranking: each OPD's mean score, best first."""
    scored = [(o["title"], o["score"]) for o in organizations if o.get("title")]
    names = [name for name, _ in scored]
    return _score_chart(names, scored, tk._("Agency (OPD)"), tk._("Score per agency (OPD)"))


def _score_chart(
    names: list[str], scored: list[tuple[str, float]], axis: str, title: str
) -> dict[str, Any]:
    """Horizontal bars of scores out of 100, drawn as the portal's other
    charts are (charts/spec.py: the language's d3 locale, its colours)."""
    data = spec.ChartData(
        chart_type="bar",
        categories=tuple(names),
        series=(),
        values=tuple((name, "", float(score)) for name, score in scored),
        x_title=axis,
        y_title=tk._("Score"),
        title=title,
        horizontal=True,
        maximum=100.0,
    )
    return charts.vega_lite(data, current_lang())


def _link(dataset_name: str, deduction: dict[str, Any]) -> str | None:
    if deduction.get("resource_id"):
        return tk.h.url_for("resource.read", id=dataset_name, resource_id=deduction["resource_id"])
    if deduction.get("field") == "resources":
        return tk.h.url_for("dataset.resources", id=dataset_name)
    if deduction.get("field"):
        return tk.h.url_for("dataset.edit", id=dataset_name) + f"#field-{deduction['field']}"
    return None


def deductions(dataset_name: str, stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for deduction in stored:
        cause, fix = messages.describe(deduction, tk._, field_label, _level_label)
        label = messages.DIMENSION_LABELS[deduction["dimension"]]
        found.append(
            {
                **deduction,
                "dimension_label": tk._(label),
                "cause": cause,
                "fix": fix,
                "link": _link(dataset_name, deduction),
            }
        )
    return found


def of_dataset(pkg: dict[str, Any], row: quality_score.QualityScore) -> dict[str, Any]:
    stored = row.as_dict()
    return {
        "id": pkg["id"],
        "name": pkg["name"],
        "score": stored["score"],
        "grade": stored["grade"],
        "dimensions": dimensions(stored["dimensions"]),
        "deductions": deductions(pkg["name"], stored["deductions"]),
        "computed": stored["computed"],
        "rules": {"grades": [{"grade": g, "minimum": m} for m, g in rules.GRADES]},
    }


def _organizations(ids: list[str | None]) -> dict[str, model.Group]:
    found = model.Session.query(model.Group).filter(model.Group.id.in_([i for i in ids if i]))
    return {group.id: group for group in found}


def summary(include_private: bool, organization_id: str | None = None) -> dict[str, Any]:
    """The portal's score (every visible dataset alike) and each OPD's, best first."""
    weights = config.quality_weights()
    per_opd = quality_score.by_organization(include_private)
    groups = _organizations([o["organization_id"] for o in per_opd])
    organizations = []
    for rank, opd in enumerate(per_opd, start=1):
        group = groups.get(opd["organization_id"] or "")
        organizations.append(
            {
                **opd,
                "rank": rank,
                "name": group.name if group else None,
                "title": group.display_name if group else None,
                "grade": rules.grade_of(opd["score"]),
            }
        )
    total = sum(o["datasets"] for o in organizations)
    portal: dict[str, Any] = {"datasets": total, "score": None, "grade": None}
    if total:
        score = sum(o["score"] * o["datasets"] for o in organizations) / total
        grades: dict[str, int] = {}
        for opd in organizations:
            for grade, count in opd["grades"].items():
                grades[grade] = grades.get(grade, 0) + count
        portal.update(score=round(score, 1), grade=rules.grade_of(score), grades=grades)
        portal["dimensions"] = {name: _mean(organizations, name) for name in rules.DIMENSIONS}
    result: dict[str, Any] = {
        "portal": portal,
        "organizations": organizations,
        "weights": weights,
        "include_private": include_private,
    }
    if organization_id:
        result["organizations"] = [
            o for o in organizations if o["organization_id"] == organization_id
        ]
        result["datasets"] = [
            {"id": pkg.id, "name": pkg.name, "title": pkg.title, "score": round(row.score, 1),
             "grade": row.grade, "dimensions": row.dimensions}
            for row, pkg in quality_score.rows(include_private, organization_id)
        ]  # fmt: skip
    return result


def _mean(organizations: list[dict[str, Any]], name: str) -> float | None:
    """A dimension's mean over the datasets it applies to (weighted by OPD size)."""
    pairs = [(o["dimensions"][name], o["datasets"]) for o in organizations]
    scored = [(m, n) for m, n in pairs if m is not None]
    total = sum(n for _, n in scored)
    return round(sum(m * n for m, n in scored) / total, 1) if total else None
