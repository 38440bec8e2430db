"""Custom frictionless checks of our data standards (the personal-data check
lives in guard.py). Pure Python: no CKAN import."""

from __future__ import annotations

from collections.abc import Iterable

import attrs
from frictionless import Check, errors
from frictionless.table.row import Row

from ckanext.satudata.reference import regions


class RegionCodeError(errors.CellError):
    type = "region-code"
    title = "Region Code"
    description = "The value is not a Kemendagri region code of the expected form or list."
    template = (
        'Region code "{cell}" in row {rowNumber} and field "{fieldName}" is not acceptable: {note}'
    )


REGION_CODE_NOTES = {
    "format": "not a Kemendagri code (PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD)",
    "undotted": "write the dotted form, e.g. 64.01.04",
    "unknown": "not in the reference list of the region",
}


@attrs.define(kw_only=True, repr=False)
class region_code(Check):
    """Kemendagri code format; membership in the shipped list for codes under
    the tenant's root (regions.check_tenant_code)."""

    type = "satudata-region-code"
    Errors = [RegionCodeError]

    field_names: list[str]

    def validate_row(self, row: Row) -> Iterable[errors.Error]:
        for name in self.field_names:
            value = row[name]
            if value is None or value == "":
                continue  # a missing value is the required constraint's job
            problem = regions.check_tenant_code(value)
            if problem:
                yield RegionCodeError.from_row(
                    row, note=REGION_CODE_NOTES[problem], field_name=name
                )
