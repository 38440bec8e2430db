"""Typed readers of every ckanext-satudata option: the one module that reads
them (declared, with defaults and types, in config_declaration.yaml; CKAN
fills in the default and converts the type, so a reader only names the key).

tests/test_config_readers.py checks that every declared option has a reader
here and that no other module reads a ``ckanext.satudata.*`` key.
"""

from __future__ import annotations

import re
from typing import Literal, cast

from ckan.exceptions import CkanConfigurationException
from ckan.plugins import toolkit as tk

from ckanext.satudata import net
from ckanext.satudata.quality import rules as quality_rules
from ckanext.satudata.validation.reader import Limits

MB = 1024 * 1024

ValidationMode = Literal["sync", "async"]
OnFailure = Literal["reject", "store"]
VALIDATION_MODES: tuple[ValidationMode, ...] = ("sync", "async")
ON_FAILURE: tuple[OnFailure, ...] = ("reject", "store")


def _choice(key: str, allowed: tuple[str, ...]) -> str:
    value = tk.config.get(key)
    if value not in allowed:
        raise CkanConfigurationException(f"{key} = {value!r} is not one of: {', '.join(allowed)}")
    return cast(str, value)


# Portal ------------------------------------------------------------------------


def walidata() -> str:
    return str(tk.config.get("ckanext.satudata.walidata"))


def publisher_type() -> str:
    return str(tk.config.get("ckanext.satudata.publisher_type"))


def home_stats_cache_seconds() -> int:
    return int(tk.config.get("ckanext.satudata.home_stats_cache_seconds"))


def home_stats_refresh_timeout_seconds() -> int:
    return int(tk.config.get("ckanext.satudata.home_stats_refresh_timeout_seconds"))


def webassets_build_at_start() -> bool:
    return tk.asbool(tk.config.get("ckanext.satudata.webassets.build_at_start"))


def catalog_licence() -> str:
    return str(tk.config.get("ckanext.satudata.catalog_licence"))


def walidata_users() -> frozenset[str]:
    return frozenset(tk.config.get("ckanext.satudata.walidata_users"))


def walidata_pendukung_users() -> frozenset[str]:
    return frozenset(tk.config.get("ckanext.satudata.walidata_pendukung_users"))


# Review (pemeriksaan) ---------------------------------------------------------------


def review_enabled() -> bool:
    return bool(tk.config.get("ckanext.satudata.review.enabled"))


def review_sla_days() -> int:
    return int(tk.config.get("ckanext.satudata.review.sla_days"))


def review_notify() -> bool:
    return bool(tk.config.get("ckanext.satudata.review.notify"))


# Portal look ---------------------------------------------------------------------

_HEX_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _color(key: str) -> str:
    value = str(tk.config.get(key)).strip()
    if not _HEX_COLOR_RE.match(value):
        raise CkanConfigurationException(f"{key} = {value!r} is not a colour like #0A5C36")
    return value.upper()


def portal_name() -> str:
    return str(tk.config.get("ckanext.satudata.portal_name"))


def logo() -> str:
    return str(tk.config.get("ckanext.satudata.logo"))


def favicon() -> str:
    return str(tk.config.get("ckanext.satudata.favicon"))


def social_image() -> str:
    return str(tk.config.get("ckanext.satudata.social_image"))


def core_look_settings() -> dict[str, str]:
    """CKAN's own options that follow ours, so every core template (title, header
    logo, favicon, "About ...") shows the tenant: ours are the one place to set them."""
    return {"ckan.site_title": portal_name(), "ckan.site_logo": logo(), "ckan.favicon": favicon()}


def primary_color() -> str:
    return _color("ckanext.satudata.primary_color")


def secondary_color() -> str:
    return _color("ckanext.satudata.secondary_color")


def walidata_address() -> str:
    return str(tk.config.get("ckanext.satudata.walidata_address"))


def walidata_email() -> str:
    return str(tk.config.get("ckanext.satudata.walidata_email"))


def walidata_phone() -> str:
    return str(tk.config.get("ckanext.satudata.walidata_phone"))


# Population dashboard ------------------------------------------------------------


def population_organization() -> str:
    return str(tk.config.get("ckanext.satudata.population.organization"))


def population_cache_seconds() -> int:
    return int(tk.config.get("ckanext.satudata.population.cache_seconds"))


# Interoperability --------------------------------------------------------------


def pelita_token() -> str:
    """The Bearer token Portal Pelita callers must send; empty: the API is open."""
    return str(tk.config.get("ckanext.satudata.pelita.token") or "")


# Validation --------------------------------------------------------------------


def validation_mode() -> ValidationMode:
    return cast(ValidationMode, _choice("ckanext.satudata.validation.mode", VALIDATION_MODES))


def validation_on_failure() -> OnFailure:
    return cast(OnFailure, _choice("ckanext.satudata.validation.on_failure", ON_FAILURE))


def validation_formats() -> frozenset[str]:
    """Table kinds (told by content) validated as tables."""
    return frozenset(
        value.lower() for value in tk.config.get("ckanext.satudata.validation.formats")
    )


def validation_unchecked_kinds() -> frozenset[str]:
    """Content kinds nothing can read that may still be stored."""
    return frozenset(
        value.lower() for value in tk.config.get("ckanext.satudata.validation.unchecked_kinds")
    )


def validation_limits() -> Limits:
    return Limits(
        max_bytes=int(tk.config.get("ckanext.satudata.validation.max_size_mb")) * MB,
        max_uncompressed_bytes=int(tk.config.get("ckanext.satudata.validation.max_uncompressed_mb"))
        * MB,
        max_compression_ratio=int(
            tk.config.get("ckanext.satudata.validation.max_compression_ratio")
        ),
        max_zip_entries=int(tk.config.get("ckanext.satudata.validation.max_zip_entries")),
        max_rows=int(tk.config.get("ckanext.satudata.validation.max_rows")),
        max_columns=int(tk.config.get("ckanext.satudata.validation.max_columns")),
    )


def validation_fetch_policy() -> net.FetchPolicy:
    """How URL resources are fetched for validation and the DataStore load."""
    return net.FetchPolicy(
        timeout=float(tk.config.get("ckanext.satudata.validation.url_timeout")),
        max_bytes=validation_limits().max_bytes,
        allow_private=bool(tk.config.get("ckanext.satudata.validation.url_allow_private")),
    )


def validation_queue() -> str:
    return str(tk.config.get("ckanext.satudata.validation.queue"))


# Downloads ---------------------------------------------------------------------


def neutralise_formulas() -> bool:
    """Whether exports.py neutralises formula-like cells of spreadsheet downloads."""
    return tk.asbool(tk.config.get("ckanext.satudata.exports.neutralise_formulas"))


def xlsx_max_cells() -> int:
    return int(tk.config.get("ckanext.satudata.exports.xlsx_max_cells"))


def quality_weights() -> dict[str, float]:
    """{dimension: weight} of the quality score (quality/rules.py)."""
    key = "ckanext.satudata.quality.weights"
    try:
        return quality_rules.parse_weights(str(tk.config.get(key)))
    except ValueError as err:
        raise CkanConfigurationException(f"{key}: {err}") from None


# Recovery from infrastructure faults (ops/) ------------------------------------


def recovery_attempts() -> int:
    return max(1, int(tk.config.get("ckanext.satudata.recovery.attempts")))


def recovery_backoff_seconds() -> int:
    return max(0, int(tk.config.get("ckanext.satudata.recovery.backoff_seconds")))


def recovery_backoff_max_seconds() -> int:
    return max(1, int(tk.config.get("ckanext.satudata.recovery.backoff_max_seconds")))


def recovery_lease_seconds() -> int:
    return max(3, int(tk.config.get("ckanext.satudata.recovery.lease_seconds")))


def recovery_grace_seconds() -> int:
    return max(0, int(tk.config.get("ckanext.satudata.recovery.grace_seconds")))


def recovery_poll_seconds() -> int:
    return max(1, int(tk.config.get("ckanext.satudata.recovery.poll_seconds")))


def check() -> None:
    """Refuse to start with a setting no reader accepts (IConfigurable)."""
    quality_weights()
    validation_mode()
    validation_on_failure()
    primary_color()
    secondary_color()
