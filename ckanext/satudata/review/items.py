"""What the walidata reviews, item by item: each filled-in metadata field,
each resource, and each file's validation report (keys ``field:<name>``,
``resource:<id>``, ``validation:<id>``), and what changed since the last
review (``changes``)."""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.satudata.catalog import stats
from ckanext.satudata.i18n import current_lang

# Fields the review does not judge: identity and what the workflow sets.
NOT_REVIEWED = frozenset({"name", "owner_org", "status_data"})
# What tells a resource's file apart from its next one.
RESOURCE_FIELDS = ("name", "description", "format", "url", "standar_data", "periode_data", "tahun")
FILE_FIELDS = ("hash", "size", "last_modified")


def _fields() -> list[dict[str, Any]]:
    schema = scheming_get_dataset_schema("dataset") or {}
    return [f for f in schema.get("dataset_fields", []) if f["field_name"] not in NOT_REVIEWED]


def _comparable(value: Any) -> Any:
    if value in (None, "", [], {}):
        return None
    if isinstance(value, str) and value.startswith("["):
        try:
            return _comparable(json.loads(value))
        except json.JSONDecodeError:
            return value
    if isinstance(value, list):
        return [
            item.get("name") if isinstance(item, dict) and "name" in item else item
            for item in value
        ]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _field_value(version: dict[str, Any], name: str) -> Any:
    if name == "tag_string":
        return _comparable(version.get("tags")) or _comparable(version.get("tag_string"))
    return _comparable(version.get(name))


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """{"fields": {name: (old, new)}, "resources": {id: "added" | "removed" |
    "changed" | "file"}} between two versions; everything is new without
    ``before``."""
    if before is None:
        return {"fields": {}, "resources": {}, "first": True}
    fields = {}
    for field in _fields():
        name = field["field_name"]
        old, new = _field_value(before, name), _field_value(after, name)
        if old != new:
            fields[name] = (old, new)
    old_resources = {r.get("id"): r for r in before.get("resources") or []}
    new_resources = {r.get("id"): r for r in after.get("resources") or []}
    resources: dict[str, str] = {}
    for resource_id, resource in new_resources.items():
        previous = old_resources.get(resource_id)
        if previous is None:
            resources[resource_id] = "added"
        elif any(_comparable(previous.get(k)) != _comparable(resource.get(k)) for k in FILE_FIELDS):
            resources[resource_id] = "file"
        elif any(
            _comparable(previous.get(k)) != _comparable(resource.get(k)) for k in RESOURCE_FIELDS
        ):
            resources[resource_id] = "changed"
    for resource_id in old_resources.keys() - new_resources.keys():
        resources[resource_id] = "removed"
    return {"fields": fields, "resources": resources, "first": False}


def _text(field: dict[str, Any], value: Any, lang: str) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(stats.display_value(field, value, lang).get("text") or "")


def review_items(
    version: dict[str, Any],
    diff: dict[str, Any],
    reports: dict[str, dict[str, Any] | None],
) -> list[dict[str, Any]]:
    """Every item of ``version`` the walidata marks, with its value and
    whether it changed since the last review. ``reports``: {resource id: its
    validation report (or the pending file's validation), None when none}."""
    lang = current_lang()
    found: list[dict[str, Any]] = []
    for field in _fields():
        name = field["field_name"]
        raw = version.get("tags") if name == "tag_string" else version.get(name)
        if name == "tag_string" and isinstance(raw, list):
            raw = [t.get("name") for t in raw if isinstance(t, dict)]
        value = raw if not (isinstance(raw, str) and raw.startswith("[")) else _comparable(raw)
        if value in (None, "", []) and not field.get("required"):
            continue
        old = diff["fields"].get(name)
        found.append(
            {
                "key": f"field:{name}",
                "kind": "field",
                "label": stats.field_label(field.get("label", name), lang),
                "value": _text(field, value, lang)
                if name != "kode_wilayah"
                else _text(field, value if isinstance(value, list) else [value], lang),
                "missing": value in (None, "", []),
                "changed": old is not None,
                "before": (", ".join(map(str, old[0])) if isinstance(old[0], list) else old[0])
                if old is not None and old[0] is not None
                else None,
            }
        )
    for resource in version.get("resources") or []:
        resource_id = resource.get("id")
        change = diff["resources"].get(resource_id)
        name = resource.get("name") or resource.get("url") or resource_id
        found.append(
            {
                "key": f"resource:{resource_id}",
                "kind": "resource",
                "label": tk._("Resource: {name}").format(name=name),
                "value": " · ".join(
                    str(part)
                    for part in (resource.get("format"), resource.get("periode_data"))
                    if part
                ),
                "resource": resource,
                "changed": change is not None,
                "change": change,
            }
        )
        report = reports.get(str(resource_id))
        if report is not None:
            found.append(
                {
                    "key": f"validation:{resource_id}",
                    "kind": "validation",
                    "label": tk._("Validation report: {name}").format(name=name),
                    "value": report.get("status"),
                    "report": report,
                    "changed": change in ("added", "file"),
                }
            )
    removed = [rid for rid, change in diff["resources"].items() if change == "removed"]
    for resource_id in removed:
        found.append(
            {
                "key": f"resource:{resource_id}",
                "kind": "resource",
                "label": tk._("Resource removed"),
                "value": resource_id,
                "changed": True,
                "change": "removed",
            }
        )
    return found
