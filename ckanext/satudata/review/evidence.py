"""The SDI checks the walidata decides with, on one page: each file's
validation report, the data standard, the region codes, freshness, and how
complete the required and recommended metadata are. Each check says ok
(True), a problem (False) or nothing to check (None), and why; every one
calls the module that owns the rule."""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.satudata.catalog import freshness, stats
from ckanext.satudata.i18n import current_lang
from ckanext.satudata.model import region
from ckanext.satudata.standards import registry

# Metadata the national SDI schema asks for beyond the required fields.
RECOMMENDED = (
    "subtopik", "tag_string", "standar_data", "id_sds", "ukuran", "periode", "tahun_akhir",
    "author_email", "maintainer_email", "sumber", "license_id", "klasifikasi", "konsep",
    "metode_perhitungan", "interpretasi",
)  # fmt: skip
GOOD_FRESHNESS = (freshness.CURRENT, freshness.DUE_SOON, freshness.UNSCHEDULED)


def _filled(version: dict[str, Any], name: str) -> bool:
    value = version.get("tags") if name == "tag_string" else version.get(name)
    if name == "tag_string" and not value:
        value = version.get("tag_string")
    return value not in (None, "", [], "[]")


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            parsed = json.loads(value) if value.startswith("[") else [value]
        except json.JSONDecodeError:
            parsed = [value]
        return [str(code) for code in parsed]
    return [str(code) for code in value or []]


def _check(key: str, label: str, ok: bool | None, detail: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "ok": ok, "detail": detail, **extra}


def checks(
    version: dict[str, Any], reports: dict[str, dict[str, Any] | None]
) -> list[dict[str, Any]]:
    lang = current_lang()
    found = []

    tables = {rid: report for rid, report in reports.items() if report is not None}
    failed = [rid for rid, report in tables.items() if report.get("status") != "success"]
    names = {r.get("id"): r.get("name") or r.get("id") for r in version.get("resources") or []}
    if not tables:
        detail = tk._("No file has a validation report")
    elif failed:
        detail = tk._("Not valid: {names}").format(
            names=", ".join(str(names.get(r, r)) for r in failed)
        )
    else:
        detail = tk._("{count} file(s) valid").format(count=len(tables))
    found.append(
        _check("validation", tk._("Validation report"), (not failed) if tables else None, detail)
    )

    standard = version.get("standar_data")
    if standard:
        known = registry.is_known(standard)
        found.append(
            _check(
                "standard",
                tk._("Data standard"),
                known,
                standard if known else tk._("Unknown data standard {name}").format(name=standard),
            )
        )
    else:
        found.append(
            _check("standard", tk._("Data standard"), None, tk._("No data standard named"))
        )

    codes = _codes(version.get("kode_wilayah"))
    unknown = [code for code in codes if not region.is_known(code)]
    region_names = region.names_of(codes)
    found.append(
        _check(
            "regions",
            tk._("Region codes"),
            bool(codes) and not unknown,
            tk._("Unknown codes: {codes}").format(codes=", ".join(unknown))
            if unknown
            else ", ".join(f"{region_names.get(c, c)} ({c})" for c in codes) or tk._("None"),
        )
    )

    fresh = freshness.of_dataset(version)
    found.append(
        _check(
            "freshness",
            tk._("Freshness"),
            fresh.state in GOOD_FRESHNESS,
            stats.freshness_labels().get(fresh.state, fresh.state),
            state=fresh.state,
        )
    )

    schema = scheming_get_dataset_schema("dataset") or {}
    labels = {
        f["field_name"]: stats.field_label(f.get("label", f["field_name"]), lang)
        for f in schema.get("dataset_fields", [])
    }
    required = [f["field_name"] for f in schema.get("dataset_fields", []) if f.get("required")]
    missing_required = [labels[name] for name in required if not _filled(version, name)]
    found.append(
        _check(
            "required",
            tk._("Required metadata"),
            not missing_required,
            tk._("Missing: {fields}").format(fields=", ".join(missing_required))
            if missing_required
            else tk._("{count} of {count} filled in").format(count=len(required)),
        )
    )
    missing_recommended = [labels.get(n, n) for n in RECOMMENDED if not _filled(version, n)]
    filled = len(RECOMMENDED) - len(missing_recommended)
    found.append(
        _check(
            "recommended",
            tk._("Recommended metadata"),
            not missing_recommended,
            tk._("{filled} of {total} filled in").format(filled=filled, total=len(RECOMMENDED))
            + (
                "; " + tk._("missing: {fields}").format(fields=", ".join(missing_recommended))
                if missing_recommended
                else ""
            ),
            percent=round(100 * filled / len(RECOMMENDED)),
        )
    )
    return found
