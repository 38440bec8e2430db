"""Harvest source settings, described once.

Each harvester's settings are a frozen dataclass parsed once from the source's
JSON config (``parse``). The config keys it reads are listed once, as
``Setting`` entries beside the dataclass: the harvester refuses any other key
(a misspelt guard setting must not be silently ignored), the reference
(docs/harvest-sources.md, ``ckan satudata harvest settings``) is generated
from them, and tests/harvesters/test_settings.py checks that the parser reads
every one (each example changes the parsed settings).

The fetch settings every harvester shares (timeout, retries, backoff,
allow_private_addresses) are parsed here, into a ``net.FetchPolicy``; so is
the rule binding a harvest secret to the OPD that owns the source
(``check_secret_env``).
Pure Python: no CKAN import.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ckanext.satudata import net
from ckanext.satudata.harvesters.messages import N_, Message, Translate, message, untranslated


class HarvestConfigError(ValueError):
    """A source configuration problem, naming the setting (``key``, the
    config's top-level key; None when no one setting is at fault).

    The reason is a ``Message`` (an English msgid marked ``N_`` and its
    parameters): ``str()`` is its English rendering (logs, ckanext-harvest's
    validate_config), ``render(tk._)`` the user's language (the source form
    and the API's validation error, harvesters/form.py; harvest reports)."""

    def __init__(self, reason: Message, *, key: str | None) -> None:
        super().__init__(reason.render())
        self.message = reason
        self.key = key

    def render(self, translate: Translate = untranslated) -> str:
        return self.message.render(translate)


# The refusals validate_config met while a source is saved (harvesters/form.py
# save): ckanext-harvest keeps only the English text of the error it is given
# (logic/validators.py), the form and the API say the refusal itself.
_refusals: contextvars.ContextVar[list[HarvestConfigError] | None] = contextvars.ContextVar(
    "satudata_harvest_refusals", default=None
)


@contextlib.contextmanager
def noting_refusals() -> Iterator[list[HarvestConfigError]]:
    """Within: the refusals ``note_refusal`` is told of, in order."""
    noted: list[HarvestConfigError] = []
    token = _refusals.set(noted)
    try:
        yield noted
    finally:
        _refusals.reset(token)


def note_refusal(error: HarvestConfigError) -> None:
    noted = _refusals.get()
    if noted is not None:
        noted.append(error)


# The msgid of a required setting left empty (the form says "fill it in").
MISSING_SETTING = N_("missing required setting(s): {keys}")


def _top_key(setting: str) -> str:
    """The config key of a setting's name ("auth.token_env" -> "auth")."""
    return setting.partition(".")[0]


# How the harvest source form (harvesters/form.py) shows a setting:
# text, a whole number, a number, a checkbox, one choice out of a list,
# several choices, an object of fixed keys (``parts``, each a sub-field),
# "name = value" lines (an object of free keys), the owner OPD, or JSON.
FieldKind = Literal[
    "text", "integer", "number", "boolean", "choice", "choices", "parts", "pairs",
    "organization", "json",
]  # fmt: skip
# (value, label) pairs; a label marked ``N_`` is translated where it is shown,
# any other (a region's or a standard's name) is shown as it is.
Choices = Callable[[], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Field:
    """The form field of a setting: what the form shows and turns back into
    the setting's JSON value (harvesters/form.py)."""

    kind: FieldKind = "json"
    choices: Choices | None = None
    parts: tuple[str, ...] = ()  # kind "parts": the object's keys
    part_kind: FieldKind = "text"  # kind "parts": each key's field
    placeholder: str = ""


@dataclass(frozen=True)
class Setting:
    """One key of a source config: what it does, and an example value that
    differs from its default (documentation and the parser test); its label
    and form field (the source form, harvesters/form.py). ``doc`` and
    ``label`` are English msgids marked ``N_``: the form shows them
    translated, the reference (``describe``) in English."""

    key: str
    doc: str
    example: Any
    privileged: bool = False  # only a sysadmin may set it (permissions.check_privileged_settings)
    label: str = ""
    form: Field = Field()


# The one name, in every harvester's config, of the setting that lets a
# source reach loopback, private or link-local addresses (sysadmins only).
PRIVATE_ADDRESSES_KEY = "allow_private_addresses"

FETCH_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "timeout",
        N_("Seconds to wait for the server on each request (default 30)."),
        10,
        label=N_("Timeout (seconds)"),
        form=Field("number", placeholder="30"),
    ),
    Setting(
        "retries",
        N_("Further attempts after a 5xx answer or a timeout (default: the harvester's)."),
        5,
        label=N_("Retries"),
        form=Field("integer"),
    ),
    Setting(
        "backoff",
        N_("Seconds before the first retry, doubling after each (default: the harvester's)."),
        0.25,
        label=N_("Wait before a retry (seconds)"),
        form=Field("number"),
    ),
    Setting(
        PRIVATE_ADDRESSES_KEY,
        N_(
            "Loopback, private and link-local hosts are refused unless true (local tests, the "
            'demo), or a list of "host:port" exempted (one intranet server; other hosts and '
            "redirects elsewhere stay refused)."
        ),
        ["10.1.2.3:80"],
        privileged=True,
        label=N_("Private addresses allowed"),
        form=Field("json", placeholder='["10.1.2.3:80"]'),
    ),
)


TRUSTED_KEY = "trusted"
# Settings every harvester shares about the walidata's review (review/workflow.py).
REVIEW_SETTINGS: tuple[Setting, ...] = (
    Setting(
        TRUSTED_KEY,
        N_(
            "true: the source's new and changed datasets are published at once, without "
            "the walidata's review (a source the walidata trusts, e.g. a national "
            "authority's feed). Default false: they wait in the review queue."
        ),
        True,
        privileged=True,
        label=N_("Trusted source (published without review)"),
        form=Field("boolean"),
    ),
)


def trusted_setting(config: Mapping[str, Any]) -> bool:
    """The ``trusted`` setting; raises HarvestConfigError unless a boolean."""
    value = config.get(TRUSTED_KEY, False)
    if not isinstance(value, bool):
        raise HarvestConfigError(
            message(N_("{key} must be true or false"), key=TRUSTED_KEY), key=TRUSTED_KEY
        )
    return value


# --- secrets -----------------------------------------------------------------
#
# A source config is readable by its OPD's editors: secrets never go into it.
# A setting names an environment variable of the harvest worker instead, and
# only one of the OPD that owns the source: SATUDATA_HARVEST_<OPD>_<NAME>,
# <OPD> the owner organization's name upper-cased with every other character
# as "_", <NAME> one word (so dinas-kesehatan's SATUDATA_HARVEST_DINAS_
# KESEHATAN_TOKEN is not a variable of an OPD named dinas).

SECRET_ENV_PREFIX = "SATUDATA_HARVEST_"
_SECRET_NAME = re.compile(r"[A-Z0-9]+")


def secret_env_key(opd: str) -> str:
    """The <OPD> part of the variable names of an OPD's secrets."""
    return re.sub(r"[^A-Z0-9]", "_", opd.upper())


def secret_env_prefix(opd: str) -> str:
    return f"{SECRET_ENV_PREFIX}{secret_env_key(opd)}_"


def secret_env_owner_key(name: str) -> str | None:
    """The <OPD> part of a well-formed secret variable name, else None."""
    rest = name.removeprefix(SECRET_ENV_PREFIX)
    key, _, secret = rest.rpartition("_")
    if rest == name or not key or not _SECRET_NAME.fullmatch(secret):
        return None
    return key if re.fullmatch(r"[A-Z0-9_]+", key) else None


def check_secret_env(setting: str, name: object, owner: str | None) -> str:
    """``name`` as a variable the setting may read for a source owned by the
    OPD named ``owner`` (None: the owner is not known here, only the form of
    the name is checked). Raises HarvestConfigError naming the setting and the
    prefix expected; never reads the variable."""
    if owner == "":
        raise HarvestConfigError(
            message(N_("{setting}: this source has no owner OPD, so it can use no secret"),
                    setting=setting),
            key=_top_key(setting),
        )  # fmt: skip
    prefix = secret_env_prefix(owner) if owner else f"{SECRET_ENV_PREFIX}<OPD>_"
    example = f"{prefix}{setting.rpartition('.')[2].removesuffix('_env').upper()}"
    if not isinstance(name, str) or secret_env_owner_key(name) is None:
        raise HarvestConfigError(
            message(
                N_("{setting}: only environment variables named {prefix}<NAME> can be used "
                   "(<NAME> one word), e.g. {example}"),
                setting=setting, prefix=prefix, example=example,
            ),
            key=_top_key(setting),
        )  # fmt: skip
    if owner is not None and secret_env_owner_key(name) != secret_env_key(owner):
        raise HarvestConfigError(
            message(
                N_("{setting}: {name} is not a secret of {owner}, the OPD that owns this "
                   "source; its secrets are named {prefix}<NAME>, e.g. {example}"),
                setting=setting, name=name, owner=owner, prefix=prefix, example=example,
            ),
            key=_top_key(setting),
        )  # fmt: skip
    return name


def known_keys(settings: Iterable[Setting]) -> frozenset[str]:
    return frozenset(setting.key for setting in settings)


def privileged_keys(settings: Iterable[Setting]) -> tuple[str, ...]:
    return tuple(setting.key for setting in settings if setting.privileged)


def load_config(
    text: str | None, *, required: Iterable[str] = (), known: Collection[str] | None = None
) -> dict[str, Any]:
    """Parse a harvest source's JSON configuration, naming what is wrong;
    ``known``: the settings there are (a misspelt one is an error, not a
    setting silently ignored)."""
    if not text or not text.strip():
        config: Any = {}
    else:
        try:
            config = json.loads(text)
        except json.JSONDecodeError as err:
            raise HarvestConfigError(
                message(
                    N_("configuration is not valid JSON (line {line}, column {column}: {error})"),
                    line=err.lineno, column=err.colno, error=err.msg,
                ),
                key=None,
            ) from None  # fmt: skip
    if not isinstance(config, dict):
        raise HarvestConfigError(message(N_("configuration must be a JSON object")), key=None)
    if known is not None:
        unknown = sorted(set(config) - set(known))
        if unknown:
            raise HarvestConfigError(
                message(
                    N_("unknown setting(s) {unknown}; known: {known}"),
                    unknown=", ".join(unknown), known=", ".join(sorted(known)),
                ),
                key=None,
            )  # fmt: skip
    missing = [key for key in required if config.get(key) in (None, "")]
    if missing:
        raise HarvestConfigError(message(MISSING_SETTING, keys=", ".join(missing)), key=missing[0])
    return config


def number_setting(
    config: Mapping[str, Any], key: str, default: float, *, whole: bool = False, zero: bool = False
) -> Any:
    """A positive (or, with ``zero``, non-negative) number setting; raises
    HarvestConfigError naming it."""
    value = config.get(key, default)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (whole and value != int(value))
        or value < 0
        or (value == 0 and not zero)
    ):
        # One msgid per case: a translation cannot assemble "a whole number" + "0 or more".
        if whole:
            msgid = (
                N_("{key} must be a whole number, 0 or more, not {value}")
                if zero
                else N_("{key} must be a whole number above 0, not {value}")
            )
        else:
            msgid = (
                N_("{key} must be a number, 0 or more, not {value}")
                if zero
                else N_("{key} must be a number above 0, not {value}")
            )
        raise HarvestConfigError(message(msgid, key=key, value=repr(value)), key=key)
    return int(value) if whole else float(value)


def private_address_setting(config: Mapping[str, Any], key: str) -> tuple[bool, tuple[str, ...]]:
    """(allow every private address, "host:port" exempted) of a setting that is
    false (default), true or a list of "host:port"; raises HarvestConfigError."""
    value = config.get(key, False)
    if isinstance(value, bool):
        return value, ()
    if isinstance(value, list):
        if not all(isinstance(h, str) and re.fullmatch(r"[^:/\s]+:\d+", h) for h in value):
            raise HarvestConfigError(
                message(N_('{key}: a list must hold "host:port" entries, e.g. "10.1.2.3:80"'),
                        key=key),
                key=key,
            )  # fmt: skip
        return False, tuple(h.lower() for h in value)
    raise HarvestConfigError(
        message(N_('{key} must be true, false or a list of "host:port"'), key=key), key=key
    )


def fetch_policy(
    config: Mapping[str, Any],
    *,
    max_bytes_key: str,
    max_bytes: int,
    retries: int = 0,
    backoff: float = 0.5,
) -> net.FetchPolicy:
    """The guarded client's policy from a source config: FETCH_SETTINGS and
    ``max_bytes_key`` bytes; raises HarvestConfigError."""
    allow_private, allowed_hosts = private_address_setting(config, PRIVATE_ADDRESSES_KEY)
    return net.FetchPolicy(
        timeout=number_setting(config, "timeout", 30.0),
        max_bytes=number_setting(config, max_bytes_key, max_bytes, whole=True),
        retries=number_setting(config, "retries", retries, whole=True, zero=True),
        backoff=number_setting(config, "backoff", backoff, zero=True),
        allow_private=allow_private,
        allowed_private_hosts=allowed_hosts,
    )


def describe(title: str, settings: Sequence[Setting]) -> str:
    """A Markdown section documenting ``settings``."""
    lines = [f"## {title}", "", "| setting | example | what it does |", "| --- | --- | --- |"]
    for setting in sorted(settings, key=lambda s: s.key):
        doc = setting.doc + (" *Sysadmins only.*" if setting.privileged else "")
        doc = doc.replace("|", r"\|")
        example = json.dumps(setting.example, ensure_ascii=False)
        lines.append(f"| `{setting.key}` | `{example}` | {doc} |")
    return "\n".join(lines) + "\n"
