"""The harvest source form: each of our harvesters' settings as form fields.

The fields are generated from the harvester's ``Setting`` entries (their
label, help and ``Field``, harvesters/settings.py): no second description of
a setting exists. The form writes the same JSON config a source saved through
the API holds, and the harvester's ``validate_config`` checks it as always.

- Field names are ``cfg.<source type>.<key>`` (``.<part>`` for an object's
  keys): the new-source form holds a section per harvester type.
- ``satudata_form`` marks a post of the form; a sysadmin may tick
  ``satudata_form_json`` to save the JSON text (``config``) instead.
- Settings only a sysadmin may set (``Setting.privileged``) are not shown to
  others, and a non-sysadmin's save keeps the values already stored
  (permissions.keeping lets validate_config accept them unchanged).
- A value the form cannot read, and a setting the harvester refuses, is an
  error at its field (``cfg.<type>.<key>``) in the user's language: the
  harvester's ``HarvestConfigError`` names the setting (``key``) and carries
  its reason as a message (harvesters/settings.py); an API write gets the
  same reason in the request's language as its ``config`` error.

The package actions call ``save`` for every write of a harvest source
(logic/action/dataset.py), so API updates keep stored privileged values too.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckan import model
from ckan.plugins import PluginImplementations
from ckan.plugins import toolkit as tk
from ckanext.harvest.interfaces import IHarvester
from ckanext.harvest.model import HarvestSource

from ckanext.satudata.harvesters import permissions
from ckanext.satudata.harvesters.settings import (
    MISSING_SETTING,
    FieldKind,
    HarvestConfigError,
    Setting,
    noting_refusals,
)

MARKER = "satudata_form"
JSON_MARKER = "satudata_form_json"
PREFIX = "cfg."
# ckanext-harvest's wording of a refused config (logic/validators.py).
_REFUSED_PREFIX = "Error parsing the configuration options: "
_saving: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "satudata_harvest_form", default=False
)


class _Missing:
    """A field left empty: the setting is not written (its default applies)."""


MISSING = _Missing()


@dataclass
class FormField:
    """What the template renders for one setting (or one part of it)."""

    name: str
    key: str
    kind: FieldKind
    label: str
    help: str = ""
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    parts: list[FormField] = field(default_factory=list)
    placeholder: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class Section:
    source_type: str
    title: str
    fields: list[FormField]
    errors: list[str]


def our_harvesters() -> dict[str, Any]:
    """source type -> harvester plugin, for the harvesters with Setting entries."""
    found: dict[str, Any] = {}
    for harvester in PluginImplementations(IHarvester):
        info = harvester.info() if getattr(harvester, "SETTINGS", None) else None
        if info:
            found[str(info["name"])] = harvester
    return found


def field_name(source_type: str, key: str, part: str | None = None) -> str:
    return f"{PREFIX}{source_type}.{key}" + (f".{part}" if part else "")


def editor_is_privileged() -> bool:
    """Whether the form shows (and saves) the settings only a sysadmin may set."""
    return permissions.editor_is_privileged()


def _stored_config(text: object) -> dict[str, Any]:
    try:
        config = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


# --- values to and from the form ----------------------------------------------


def _shown(kind: FieldKind, value: Any) -> Any:
    """A stored setting's value as its field shows it."""
    if value is None:
        return [] if kind == "choices" else ""
    if kind == "boolean":
        return value is True
    if kind == "choices":
        return [str(v) for v in value] if isinstance(value, list) else []
    if kind == "pairs" and isinstance(value, Mapping):
        return "\n".join(
            f"{k} = {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
            for k, v in value.items()
        )
    if kind in ("json", "pairs"):
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value)


def _read(
    kind: FieldKind, raw: Any, choices: Sequence[tuple[str, str]] = ()
) -> tuple[Any, str | None]:
    """(the setting's value or MISSING, an error in the user's language)."""
    if kind == "choices":
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw]) if v]
        if not values:
            return MISSING, None
        known = {value for value, _ in choices}
        if not set(values) <= known:
            return MISSING, tk._("Choose among the options shown")
        return values, None
    text = str(raw).strip() if raw is not None else ""
    if kind == "boolean":
        return (True, None) if text.lower() in ("on", "true", "1", "yes") else (MISSING, None)
    if not text:
        return MISSING, None
    if kind == "integer":
        # Digits, or grouped by thousands the Indonesian way (20.971.520).
        if not re.fullmatch(r"-?(\d+|\d{1,3}(\.\d{3})+)", text):
            return MISSING, tk._("Enter a whole number, e.g. 2000")
        return int(text.replace(".", "")), None
    if kind == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return MISSING, tk._("Enter a number, e.g. 0.5")
        return (int(number) if number.is_integer() and "." not in text else number), None
    if kind in ("choice", "organization"):
        if choices and text not in {value for value, _ in choices}:
            return MISSING, tk._("Choose one of the options shown")
        return text, None
    if kind == "pairs":
        pairs: dict[str, Any] = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition("=")
            if not sep or not name.strip():
                return MISSING, tk._('Write one "name = value" per line')
            value = value.strip()
            if value[:1] in ("[", "{"):
                try:
                    value = json.loads(value)
                except ValueError:
                    return MISSING, tk._("Not valid JSON: {error}").format(error=value)
            pairs[name.strip()] = value
        return pairs or MISSING, None
    if kind == "json":
        try:
            return json.loads(text), None
        except ValueError as err:
            return MISSING, tk._("Not valid JSON: {error}").format(error=err)
    return text, None


def _organizations(stored: str | None) -> list[tuple[str, str]]:
    """The OPDs the user may publish in, by name and title (the stored one
    too, which a sysadmin may have set)."""
    user = tk.current_user.name if tk.current_user else ""
    orgs = tk.get_action("organization_list_for_user")(
        {"user": user}, {"id": user, "permission": "create_dataset"}
    )
    choices = [(org["name"], org.get("title") or org["name"]) for org in orgs]
    if stored and stored not in {value for value, _ in choices}:
        group = model.Group.get(stored)
        choices.append((stored, group.title if group is not None and group.title else stored))
    return choices


def _choices(setting: Setting, stored: Any) -> list[tuple[str, str]]:
    if setting.form.kind == "organization":
        return _organizations(stored if isinstance(stored, str) else None)
    if setting.form.choices is None:
        return []
    choices = [(value, tk._(label)) for value, label in setting.form.choices()]
    known = {value for value, _ in choices}
    if setting.form.kind == "choice" and isinstance(stored, str) and stored and stored not in known:
        choices.append((stored, stored))
    return choices


def _visible(settings: Sequence[Setting], sysadmin: bool) -> Iterator[Setting]:
    return (s for s in settings if sysadmin or not s.privileged)


# --- the form ------------------------------------------------------------------


def sections(data: Mapping[str, Any], errors: Mapping[str, Any]) -> list[Section]:
    """A section of fields per harvester type, filled from a post being
    shown again (``MARKER``) or from the source's stored config."""
    posted = bool(data.get(MARKER))
    sysadmin = editor_is_privileged()
    result = []
    for source_type, harvester in our_harvesters().items():
        stored = (
            _stored_config(data.get("config")) if data.get("source_type") == source_type else {}
        )
        fields = []
        for setting in _visible(harvester.SETTINGS, sysadmin):
            form = setting.form
            name = field_name(source_type, setting.key)
            shown = FormField(
                name=name,
                key=setting.key,
                kind=form.kind,
                label=tk._(setting.label) if setting.label else setting.key,
                help=tk._(setting.doc),
                placeholder=form.placeholder,
                choices=_choices(setting, stored.get(setting.key)),
                errors=list(errors.get(name) or []),
            )
            if form.kind == "parts":
                value = stored.get(setting.key)
                value = value if isinstance(value, Mapping) else {}
                for part in form.parts:
                    part_name = field_name(source_type, setting.key, part)
                    shown.parts.append(
                        FormField(
                            name=part_name,
                            key=part,
                            kind=form.part_kind,
                            label=part,
                            placeholder=form.placeholder,
                            value=data.get(part_name, "")
                            if posted
                            else _shown(form.part_kind, value.get(part)),
                            errors=list(errors.get(part_name) or []),
                        )
                    )
            elif posted:
                raw = data.get(name, [] if form.kind == "choices" else "")
                if form.kind == "choices" and not isinstance(raw, list):
                    raw = [raw]
                shown.value = (bool(raw) and raw != "") if form.kind == "boolean" else raw
            else:
                shown.value = _shown(form.kind, stored.get(setting.key))
            fields.append(shown)
        result.append(
            Section(
                source_type=source_type,
                title=harvester.info()["title"],
                fields=fields,
                errors=list(errors.get(field_name(source_type, "")[:-1]) or []),
            )
        )
    return result


def error_labels(data: Mapping[str, Any]) -> dict[str, str]:
    """field name -> label, for the form's error summary."""
    source_type = str(data.get("source_type"))
    harvester = our_harvesters().get(source_type)
    if harvester is None:
        return {}
    labels = {field_name(source_type, s.key): tk._(s.label) for s in harvester.SETTINGS}
    for setting in harvester.SETTINGS:
        for part in setting.form.parts:
            labels[field_name(source_type, setting.key, part)] = f"{tk._(setting.label)}: {part}"
    labels[field_name(source_type, "")[:-1]] = tk._("Configuration")
    return labels


def config_from_form(
    source_type: str, data: Mapping[str, Any], stored: Mapping[str, Any], sysadmin: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The config the form's fields describe, and the errors at its fields."""
    harvester = our_harvesters()[source_type]
    config: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for setting in harvester.SETTINGS:
        key, form = setting.key, setting.form
        if setting.privileged and not sysadmin:
            if key in stored:
                config[key] = stored[key]
            continue
        name = field_name(source_type, key)
        if form.kind == "parts":
            parts: dict[str, Any] = {}
            for part in form.parts:
                part_name = field_name(source_type, key, part)
                value, error = _read(form.part_kind, data.get(part_name))
                if error:
                    errors[part_name] = [error]
                elif value is not MISSING:
                    parts[part] = value
            if parts:
                config[key] = parts
            continue
        choices = _choices(setting, stored.get(key)) if form.kind != "json" else []
        value, error = _read(form.kind, data.get(name), choices)
        if error:
            errors[name] = [error]
        elif value is not MISSING:
            config[key] = value
    return config, errors


def _noted(message: object, refusals: Sequence[HarvestConfigError]) -> HarvestConfigError | None:
    """The refusal ckanext-harvest's message (its English text) reports."""
    text = str(message)
    return next((r for r in reversed(refusals) if str(r) and str(r) in text), None)


def _refused_at_field(
    error: tk.ValidationError, source_type: str, refusals: Sequence[HarvestConfigError]
) -> tk.ValidationError:
    """The harvester's refusal of the config, in the user's language at the
    field of the setting it names (the section's error when it names none)."""
    messages = error.error_dict.get("config")
    if not isinstance(messages, list) or not messages:
        return error
    harvester = our_harvesters()[source_type]
    shown = {s.key for s in _visible(harvester.SETTINGS, editor_is_privileged())}
    section = field_name(source_type, "")[:-1]
    moved: dict[str, Any] = {k: v for k, v in error.error_dict.items() if k != "config"}
    for message in messages:
        refusal = _noted(message, refusals)
        if refusal is None:  # not one of our settings' checks: its own words
            target = section
            text = str(message).removeprefix(_REFUSED_PREFIX)
        else:
            target = field_name(source_type, refusal.key) if refusal.key in shown else section
            if refusal.message.msgid == MISSING_SETTING and refusal.key in shown:
                text = tk._("Fill in this setting (see its help).")
            else:
                text = refusal.render(tk._)
        moved.setdefault(target, []).append(text)
    return tk.ValidationError(moved)


def _refused_in_words(
    error: tk.ValidationError, refusals: Sequence[HarvestConfigError]
) -> tk.ValidationError:
    """An API write's refusal of the config in the request's language (the
    refusal names its setting), instead of ckanext-harvest's English text."""
    messages = error.error_dict.get("config")
    if not isinstance(messages, list) or not refusals:
        return error
    said = []
    for message in messages:
        refusal = _noted(message, refusals)
        said.append(refusal.render(tk._) if refusal is not None else message)
    return tk.ValidationError({**error.error_dict, "config": said})


# --- saving --------------------------------------------------------------------


def applies(data_dict: Mapping[str, Any]) -> bool:
    """Whether a package write is one of a harvest source, not yet prepared."""
    if _saving.get():
        return False
    return data_dict.get("type") == "harvest" or "source_type" in data_dict


def save(data_dict: dict[str, Any], call: Callable[[dict[str, Any]], Any], *, update: bool) -> Any:
    """``call`` (the package action) with the config the form describes; a
    non-sysadmin's update keeps the stored privileged settings."""
    token = _saving.set(True)
    try:
        stored: dict[str, Any] = {}
        if update:
            package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
            if package is not None and package.type == "harvest":
                source = HarvestSource.get(package.id)
                stored = _stored_config(source.config if source is not None else None)
        source_type = str(data_dict.get("source_type") or "")
        form_post = bool(data_dict.get(MARKER)) and source_type in our_harvesters()
        prepared = {
            k: v
            for k, v in data_dict.items()
            if not k.startswith(PREFIX) and k not in (MARKER, JSON_MARKER)
        }
        sysadmin = editor_is_privileged()
        if form_post and not (sysadmin and data_dict.get(JSON_MARKER)):
            config, errors = config_from_form(source_type, data_dict, stored, sysadmin)
            if errors:
                raise tk.ValidationError(dict(errors))
            prepared["config"] = json.dumps(config, ensure_ascii=False) if config else ""
        with permissions.keeping(stored), noting_refusals() as refusals:
            try:
                return call(prepared)
            except tk.ValidationError as err:
                if form_post:
                    raise _refused_at_field(err, source_type, refusals) from None
                raise _refused_in_words(err, refusals) from None
    finally:
        _saving.reset(token)
