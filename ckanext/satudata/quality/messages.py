"""What each deduction of rules.py says: its cause and the fix, English
msgids translated in the catalog (Indonesian by default). Stored deductions
keep only the code and its parameters, so a page says them in the reader's
language. Pure Python: no CKAN import (the caller passes its gettext)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def N_(msgid: str) -> str:  # marks a msgid for extraction (make i18n)
    return msgid


DIMENSION_LABELS = {
    "metadata": N_("Metadata"),
    "conformity": N_("Conformity"),
    "completeness": N_("Completeness"),
    "uniqueness": N_("Uniqueness"),
    "consistency": N_("Consistency"),
    "timeliness": N_("Timeliness"),
}
DIMENSION_DESCRIPTIONS = {
    "metadata": N_(
        "MQA points of the dataset's DCAT-AP record (60) and the SDI fields of the form (40)."
    ),
    "conformity": N_(
        "Each table validated against a data standard (40), without errors (40), "
        "with valid region codes (20)."
    ),
    "completeness": N_(
        "No blank cells in required columns (40), every region of the dataset's level in "
        "every year (30), every year of the declared coverage (30)."
    ),
    "uniqueness": N_("No duplicate keys (where a data standard defines a key)."),
    "consistency": N_(
        "The sums a data standard defines hold, e.g. laki_laki + perempuan = jumlah."
    ),
    "timeliness": N_(
        "Updated as its schedule promises (70) and covering the last complete year (30)."
    ),
}

# code -> (cause, fix)
MESSAGES: dict[str, tuple[str, str]] = {
    "mqa-missing": (N_("The DCAT-AP record could not be assessed"), N_("check the metadata")),
    "mqa-keyword": (N_("No keywords in the DCAT-AP record"), N_("add tags")),
    "mqa-theme": (N_("No theme in the DCAT-AP record"), N_("choose a topic")),
    "mqa-spatial": (N_("No spatial coverage in the DCAT-AP record"), N_("add region codes")),
    "mqa-temporal": (N_("No temporal coverage in the DCAT-AP record"), N_("add the years covered")),
    "mqa-access_url_status": (
        N_("A resource's access URL does not answer"),
        N_("check the resource's file or link"),
    ),
    "mqa-download_url": (
        N_("A resource has no download URL"),
        N_("upload the file or give its download link"),
    ),
    "mqa-download_url_status": (
        N_("A resource's download URL does not answer"),
        N_("check the resource's file or link"),
    ),
    "mqa-format": (N_("A resource has no format"), N_("set the resource's format")),
    "mqa-media_type": (N_("A resource has no media type"), N_("set the resource's format")),
    "mqa-format_vocabulary": (
        N_("A resource's format is not a known file type"),
        N_("set the resource's format, e.g. CSV"),
    ),
    "mqa-non_proprietary": (
        N_("A resource is not in an open format"),
        N_("publish the data as CSV as well"),
    ),
    "mqa-machine_readable": (
        N_("A resource is not machine-readable"),
        N_("publish the data as CSV or XLSX"),
    ),
    "mqa-dcat_ap_compliance": (
        N_("The DCAT-AP record is not compliant"),
        N_("complete the dataset's metadata"),
    ),
    "mqa-licence": (N_("No licence"), N_("add a licence")),
    "mqa-licence_vocabulary": (
        N_("The licence is not in the EU licence vocabulary"),
        N_("choose an open licence, e.g. CC-BY"),
    ),
    "mqa-access_rights": (N_("No access rights"), N_("set the data classification")),
    "mqa-access_rights_vocabulary": (
        N_("Access rights outside the EU vocabulary"),
        N_("set the data classification"),
    ),
    "mqa-contact_point": (N_("No contact point"), N_("add the contact e-mail")),
    "mqa-publisher": (N_("No publisher"), N_("set the data producer")),
    "mqa-rights": (N_("No rights statement on the resources"), N_("add a licence")),
    "mqa-byte_size": (N_("A resource has no file size"), N_("upload the file")),
    "mqa-issued": (N_("A resource has no release date"), N_("upload the file again")),
    "mqa-modified": (N_("A resource has no modification date"), N_("upload the file again")),
    "field-required": (N_("Required field {field} is blank"), N_("fill in {field}")),
    "field-recommended": (N_("Field {field} is blank"), N_("fill in {field}")),
    "no-table": (N_("No table resource"), N_("upload the data as CSV or XLSX")),
    "no-table-validated": (N_("No table was validated"), N_("upload the data as CSV or XLSX")),
    "standard-missing": (
        N_("Data standard not set for {resource}"),
        N_("set the data standard"),
    ),
    "standard-detected": (
        N_("{resource} matches the data standard {standard}, which is not set"),
        N_("set the data standard {standard}"),
    ),
    "not-validated": (N_("{resource} has not been validated"), N_("validate the resource")),
    "validation-errors": (
        N_("{count} validation errors in {resource}"),
        N_("correct the file as its validation report says"),
    ),
    "region-codes": (
        N_("{count} invalid region codes in {resource}"),
        N_("write Kemendagri codes, e.g. 64.01.04"),
    ),
    "blank-required": (
        N_("{count} blank cells in required columns of {resource}"),
        N_("fill in the blank cells"),
    ),
    "regions-missing": (
        N_("{count} {level} missing in {year}: {regions}"),
        N_("add the rows of the missing regions"),
    ),
    "regions-missing-all": (
        N_("{count} {level} missing: {regions}"),
        N_("add the rows of the missing regions"),
    ),
    "years-missing": (
        N_("No data for {count} years of the declared coverage: {years}"),
        N_("add the data of the missing years or correct the coverage"),
    ),
    "duplicate-keys": (
        N_("{count} rows of {resource} repeat a key ({key})"),
        N_("remove or merge the duplicate rows"),
    ),
    "sum-mismatch": (
        N_("{count} rows of {resource} where {rule} does not hold"),
        N_("correct the totals"),
    ),
    "hierarchy-mismatch": (
        N_(
            "The {children} {level} of {region_name} ({region}) in {period} add up to "
            "{summed} {column}, not its {total} ({resource})"
        ),
        N_("correct the {level} figures or the total of {region_name}"),
    ),
    "hierarchy-mismatch-more": (
        N_("{count} more regions of {resource} whose figures do not add up across levels"),
        N_("correct the figures across levels"),
    ),
    "due-soon": (N_("The next update is due on {due}"), N_("upload the new data")),
    "overdue": (N_("Overdue since {due}"), N_("upload the new data")),
    "no-data": (N_("No data file yet"), N_("upload the data")),
    "coverage-behind": (
        N_("The data end in {latest}; {expected} is expected"),
        N_("add the latest data"),
    ),
}


def _param(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(
    deduction: Mapping[str, Any],
    gettext: Callable[[str], str],
    field_label: Callable[[str], str] = str,
    level_label: Callable[[str], str] = str,
) -> tuple[str, str]:
    """(cause, fix) of a stored deduction, in ``gettext``'s language;
    ``field_label`` names a form field as the form does, ``level_label`` a
    region level as the vocabulary does."""
    cause, fix = MESSAGES.get(deduction["code"], (deduction["code"], ""))
    params = {k: _param(v) for k, v in (deduction.get("params") or {}).items()}
    if "field" in params:
        params["field"] = field_label(params["field"])
    if "level" in params:
        params["level"] = level_label(params["level"]).lower()
    return gettext(cause).format(**params), gettext(fix).format(**params) if fix else ""
