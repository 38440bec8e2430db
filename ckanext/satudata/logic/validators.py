"""Validators of the SDI schemas (blanket-registered: every name in __all__).

Messages are English msgids wrapped in ``_()``; the Indonesian catalog
translates them, so API errors come in the request's language.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.satudata import config, contexts
from ckanext.satudata.catalog import form as forms
from ckanext.satudata.harvesters.spreadsheet import inventory
from ckanext.satudata.model import region
from ckanext.satudata.reference import regions, vocabularies, years

_ = tk._
Invalid = tk.Invalid
missing = tk.missing

__all__ = [
    "satudata_classification",
    "satudata_default_author",
    "satudata_default_publisher_type",
    "satudata_default_walidata",
    "satudata_one_of_view_or_resource",
    "satudata_opd_code",
    "satudata_period_fits_frequency",
    "satudata_phone",
    "satudata_region_codes",
    "satudata_release_date",
    "satudata_required",
    "satudata_subtopic_in_topic",
    "satudata_topic_group_name",
    "satudata_year",
    "satudata_year_not_before_start",
]

OPD_CODE_RE = re.compile(r"^\d+(\.\d+){1,9}$")
PHONE_RE = re.compile(r"^\+?[\d\s().-]{6,20}$")
_FALSE = {False, "false", "False", "0"}


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == ""


def _sibling(data: dict[Any, Any], key: tuple[Any, ...], name: str) -> Any:
    """Value of another field at the same level as ``key``."""
    return data.get((*key[:-1], name))


def satudata_required(field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A required field (scheming's ``scheming_validator`` protocol: built per
    field). The dataset form saves a draft page by page (ckanext-scheming's
    form pages): a field on a page the steward has not reached yet may still
    be empty in that draft (forms.FORM_PAGE_FLAG); anywhere else, and as soon
    as the dataset leaves the draft state, an empty value is refused."""
    page = forms.page_of_field(schema, field["field_name"])

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        if not (_empty(value) or value == []):
            return
        posted = contexts.flag(context, forms.FORM_PAGE_FLAG)
        if posted is not None and page > posted:
            data.pop(key, None)
            raise tk.StopOnError
        errors[key].append(_("Missing value"))
        raise tk.StopOnError

    return validator


satudata_required.is_a_scheming_validator = True  # pyright: ignore[reportFunctionMemberAccess]


def satudata_year(value: Any, context: Context) -> Any:
    if _empty(value):
        return value
    try:
        year = int(str(value).strip())
    except ValueError:
        raise Invalid(_("Must be a year such as 2024, not {value!r}").format(value=value)) from None
    if not years.is_data_year(year):
        raise Invalid(
            _("Year must be between {first} and {last}").format(
                first=years.FIRST_YEAR, last=years.last_year()
            )
        )
    return year


def satudata_release_date(value: Any, context: Context) -> Any:
    """A planned release date (Jadwal Rilis) written as the inventory reader
    reads it (31/03/2025, 2025-03-31, Maret 2025) -> datetime.date; empty -> None."""
    if isinstance(value, datetime.date):
        return value
    if _empty(value):
        return None
    try:
        return inventory.parse_release_date(str(value))
    except ValueError:
        raise Invalid(
            _("Must be a date such as 31/03/2025 or Maret 2025, not {value!r}").format(value=value)
        ) from None


def satudata_year_not_before_start(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    end, start = data.get(key), _sibling(data, key, "tahun_mulai")
    if _empty(end) or _empty(start) or errors.get(key):
        return
    try:
        if int(str(end)) < int(str(start)):
            errors[key].append(
                _("Last year {end} is before the first year {start}").format(end=end, start=start)
            )
    except (TypeError, ValueError):
        return  # satudata_year reports the malformed value


def satudata_period_fits_frequency(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    period = data.get(key)
    frequency = vocabularies.get("frequency", _sibling(data, key, "accrualPeriodicity"))
    if _empty(period) or frequency is None:
        return
    allowed = frequency.extra.get("periods", [])
    if period not in allowed:
        errors[key].append(
            _(
                "Period {period!r} does not fit the update schedule {frequency!r}; use one of: {allowed}"
            ).format(period=period, frequency=frequency.value, allowed=", ".join(allowed))
        )


def satudata_region_codes(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Normalise region codes to the dotted form; check format, membership and
    that each code is at the dataset's region level. Stored as a JSON list."""
    value = data.get(key)
    if _empty(value) or value == []:
        errors[key].append(_("Missing value"))
        return
    level = _sibling(data, key, "tingkat_wilayah")
    codes: list[str] = []
    for item in regions.code_list(value):
        try:
            code = regions.normalize_code(item)
        except regions.RegionCodeError:
            errors[key].append(
                _(
                    "{value!r} is not a Kemendagri region code (PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD)"
                ).format(value=item)
            )
            continue
        if not region.is_known(code):
            errors[key].append(
                _("Region code {code} is not in the region reference list").format(code=code)
            )
            continue
        code_level = regions.code_level(code)
        if (
            level
            and level != "nasional"
            and code_level != level
            and {code_level, level} != {"desa", "kelurahan"}
        ):
            errors[key].append(
                _(
                    "Region code {code} is a {code_level} code, but the region level is {level}"
                ).format(code=code, code_level=code_level, level=level)
            )
            continue
        if code not in codes:
            codes.append(code)
    data[key] = json.dumps(codes)


def satudata_classification(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Restricted and closed data are always private: force it, and refuse an
    explicit request to make such a dataset public."""
    term = vocabularies.get("classification", data.get(key))
    if term is None or term.extra.get("public", True):
        return
    private_key = (*key[:-1], "private")
    if data.get(private_key) in _FALSE:
        errors[key].append(
            _(
                "A dataset classified {classification!r} must stay private; it cannot be made public"
            ).format(classification=term.value)
        )
        return
    data[private_key] = True


def satudata_subtopic_in_topic(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    subtopic, topic = data.get(key), _sibling(data, key, "theme")
    if _empty(subtopic) or _empty(topic) or errors.get(key):
        return
    owner = vocabularies.topic_of_subtopic(str(subtopic))
    if owner != topic:
        errors[key].append(
            _("Sub-topic {subtopic!r} belongs to topic {owner!r}, not {topic!r}").format(
                subtopic=subtopic, owner=owner, topic=topic
            )
        )


def satudata_default_author(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Produsen Data defaults to the owning OPD's official name."""
    if not _empty(data.get(key)):
        return
    owner = _sibling(data, key, "owner_org")
    group = model.Group.get(owner) if owner and owner is not missing else None
    data[key] = group.title if group is not None else ""


def satudata_default_walidata(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    if _empty(data.get(key)):
        data[key] = config.walidata()


def satudata_default_publisher_type(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    if _empty(data.get(key)):
        data[key] = config.publisher_type()


def satudata_opd_code(value: Any, context: Context) -> Any:
    if not _empty(value) and not OPD_CODE_RE.match(str(value)):
        raise Invalid(_("OPD code must be digits separated by dots, e.g. 1.02.0.00.0.00.01.0000"))
    return value


def satudata_phone(value: Any, context: Context) -> Any:
    if not _empty(value) and not PHONE_RE.match(str(value)):
        raise Invalid(_("Not a phone number: use digits, spaces, +, ( ) and -"))
    return value


def satudata_topic_group_name(value: Any, context: Context) -> Any:
    if not _empty(value) and value not in vocabularies.values("topic"):
        raise Invalid(
            _("A topic group's URL name must be a national topic code: {codes}").format(
                codes=", ".join(vocabularies.values("topic"))
            )
        )
    return value


def satudata_one_of_view_or_resource(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A chart names its view (``view_id``) or its resource (``resource_id``)."""
    if _empty(data.get(key)) and _empty(data.get(("view_id",))):
        errors[key].append(_("Give view_id or resource_id"))
        raise tk.StopOnError
    if _empty(data.get(key)):
        data.pop(key, None)
        raise tk.StopOnError
