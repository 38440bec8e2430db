"""Harvest report messages that can be read in the reader's language.

ckanext-harvest stores each gather and object error as one string, shown on
/harvest/… pages and returned by harvest_job_report. Ours store an English
msgid (marked ``N_``, extracted into the catalog by `make i18n`) and its
parameters, as JSON (``dumps``); logic/action/harvest_reports.py renders them through
``tk._`` when they are shown, so the portal says them in Indonesian and
under /en in English. A stored string that is not one of ours (older
reports, other harvesters) is shown as it is.

A parameter is text or a number, another ``Message``, a list of messages (one
per line), or ``Localized`` text the validation module wrote in both languages
(validation/messages.py). Text parameters are stored with every NIK/KK-like
number masked (validation/guard.py's rule): a report never quotes one, even
when a feed or a sheet put one where a region code or a count belongs.

Pure Python: no CKAN import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata.validation import guard
from ckanext.satudata.validation import messages as validation_messages
from ckanext.satudata.validation.reader import FileRejected

# The key of the JSON object that marks a stored message as ours.
MARKER = "satudata_message"
MASK = "[NIK/KK disamarkan]"
Translate = Callable[[str], str]


def N_(msgid: str) -> str:
    """Marks a msgid for extraction (`make i18n`) without translating it."""
    return msgid


def untranslated(msgid: str) -> str:
    return msgid


@dataclass(frozen=True)
class Localized:
    """Text already written in each language, e.g. {"id": …, "en": …}."""

    texts: Mapping[str, str]

    def render(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts.get("en") or next(iter(self.texts.values()), "")


@dataclass(frozen=True)
class Message:
    """An English msgid with its ``str.format`` parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = untranslated, lang: str = "en") -> str:
        values = {key: _render_param(value, translate, lang) for key, value in self.params.items()}
        try:
            return translate(self.msgid).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with other placeholders
            return self.msgid.format(**values)

    def __str__(self) -> str:
        return self.render()

    def as_json(self) -> dict[str, Any]:
        return {
            "msgid": self.msgid,
            "params": {key: _param_json(value) for key, value in self.params.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        params = data.get("params") or {}
        return cls(str(data["msgid"]), {key: _param_value(v) for key, v in params.items()})


def message(msgid: str, /, **params: Any) -> Message:
    return Message(msgid, params)


def lines(messages: Iterable[Message | str]) -> tuple[Message | str, ...]:
    """Messages shown one per line (a list parameter)."""
    return tuple(messages)


def _render_param(value: Any, translate: Translate, lang: str) -> str:
    if isinstance(value, Message):
        return value.render(translate, lang)
    if isinstance(value, Localized):
        return value.render(lang)
    if isinstance(value, list | tuple):
        return "\n".join(_render_param(item, translate, lang) for item in value)
    return str(value)


def _param_json(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, Localized):
        return {"localized": {lang: mask_personal_numbers(t) for lang, t in value.texts.items()}}
    if isinstance(value, list | tuple):
        return [_param_json(item) for item in value]
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return value
    return mask_personal_numbers(str(value))


def _param_value(data: Any) -> Any:
    if isinstance(data, dict):
        if "msgid" in data:
            return Message.from_json(data)
        if "localized" in data:
            return Localized(dict(data["localized"]))
    if isinstance(data, list):
        return tuple(_param_value(item) for item in data)
    return data


def dumps(value: Message) -> str:
    """The string stored for ``value`` (a HarvestGatherError/HarvestObjectError message)."""
    return json.dumps({MARKER: value.as_json()}, ensure_ascii=False, sort_keys=True)


def loads(stored: str) -> Message | None:
    """The message of a stored string, or None when it is plain text."""
    if not stored.startswith("{") or MARKER not in stored:
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get(MARKER), dict):
        return None
    try:
        return Message.from_json(data[MARKER])
    except (KeyError, TypeError, AttributeError):
        return None


def render_stored(stored: str | None, translate: Translate = untranslated, lang: str = "en") -> str:
    """A stored report string in the reader's language (plain text as it is)."""
    if not stored:
        return stored or ""
    found = loads(stored)
    return found.render(translate, lang) if found is not None else stored


def as_stored(value: Message | str) -> str:
    """What a harvester stores: ours as JSON, any plain text masked."""
    return dumps(value) if isinstance(value, Message) else mask_personal_numbers(value)


# A run of digits in groups (spaces, dots, dashes), or Excel's 6.40104E+15.
_NUMBER_RUN = re.compile(r"[0-9](?:[0-9 .\-]*[0-9])?|[0-9][.,][0-9]+[eE]\+?15")


def mask_personal_numbers(text: str) -> str:
    """``text`` with every number that may be a NIK/KK (guard.py's rule) masked."""
    if not guard.may_hold_nik(text):
        return text

    def masked(match: re.Match[str]) -> str:
        run = match.group()
        personal = guard.classify_cell(run) or guard.classify_text(run)
        return MASK if personal else run

    return _NUMBER_RUN.sub(masked, text)


def join_messages(parts: Sequence[Message | str]) -> Message:
    """Several messages as one, one per line."""
    return Message("{lines}", {"lines": tuple(parts)})


def file_rejection(err: FileRejected) -> Localized:
    """Why the validation reader refused a file, in the validation module's
    own two languages, with its detail."""
    id_text, en_text = validation_messages.rejection_message(err.code, err.params)
    detail = f" ({err.detail})" if err.detail else ""
    return Localized({"id": id_text + detail, "en": en_text + detail})
