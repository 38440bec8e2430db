"""Change detection of the spreadsheet harvester.

A row's dataset is current when the fingerprint of the data file (its hash),
the inventory row and the settings that shape it equals the one its current
harvest object carries (``base.HASH_KEY``). The object also keeps the data
file's hash and the HTTP validators (ETag, Last-Modified) it came with, so
gather can confirm an otherwise unchanged row with one conditional request
(``confirm_unchanged``) instead of a download.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ckanext.harvest.model import HarvestObject

from ckanext.satudata import net
from ckanext.satudata.harvesters.base import HASH_KEY, PublishedRecord, set_object_extra
from ckanext.satudata.harvesters.spreadsheet.settings import SpreadsheetSettings

# Harvest object extras beside base.HASH_KEY: the data file's hash and the
# validators of the response it came in (for the next gather's check).
FILE_HASH_KEY = "file_hash"
ETAG_KEY, LAST_MODIFIED_KEY = "etag", "last_modified"
# Concurrent requests of gather's change check: hides the latency of one
# request at a time without loading an OPD's (often small) file server.
CHECK_WORKERS = 4


def fingerprint(file_hash: str, content: Mapping[str, Any], settings: SpreadsheetSettings) -> str:
    """Content hash of a row's dataset: it depends on the data file, the
    inventory row and the settings that shape it; any of them changing means
    an update."""
    shaped_by = {
        "file": file_hash,
        "cells": content["cells"],
        "organization": content["organization"],
        "standar_data": settings.standar_data,
        "defaults": dict(settings.defaults),
    }
    return hashlib.sha256(json.dumps(shaped_by, sort_keys=True).encode()).hexdigest()


def stored_validators(record: PublishedRecord) -> net.Validators:
    return net.Validators(record.extra(ETAG_KEY), record.extra(LAST_MODIFIED_KEY))


def validator_extras(validators: net.Validators) -> dict[str, str]:
    extras = {ETAG_KEY: validators.etag, LAST_MODIFIED_KEY: validators.last_modified}
    return {key: value for key, value in extras.items() if value}


def store_validators(harvest_object: HarvestObject, validators: net.Validators) -> None:
    """Set the object's validator extras to ``validators`` (dropping stale ones)."""
    wanted = validator_extras(validators)
    for extra in list(harvest_object.extras):
        if extra.key in (ETAG_KEY, LAST_MODIFIED_KEY) and extra.key not in wanted:
            harvest_object.extras.remove(extra)
    for key, value in wanted.items():
        set_object_extra(harvest_object, key, value)


def remember_file(harvest_object: HarvestObject, fetched: net.FetchResult) -> None:
    """Keep the data file's hash and validators on ``harvest_object``."""
    set_object_extra(harvest_object, FILE_HASH_KEY, fetched.sha256)
    store_validators(harvest_object, fetched.validators)


def confirm_unchanged(
    contents: Mapping[str, Mapping[str, Any]],
    records: Mapping[str, PublishedRecord],
    settings: SpreadsheetSettings,
) -> dict[str, dict[str, str]]:
    """{guid: extras of its "not modified" object} of the rows whose
    published dataset the file server confirms is current.

    Only rows with the same cells and settings as their live dataset are
    asked about; an answer that is not a clear "same file" (an error, a
    late answer, a different file) leaves the row to the fetch stage.
    """
    candidates: dict[str, tuple[PublishedRecord, str]] = {}
    for guid, content in contents.items():
        record = records.get(guid)
        if record is None or not record.live or content["errors"] or not content["url"]:
            continue
        file_hash = record.extra(FILE_HASH_KEY)
        if file_hash is None or record.extra(HASH_KEY) != fingerprint(file_hash, content, settings):
            continue
        candidates[guid] = (record, file_hash)
    if not candidates:
        return {}
    policy = settings.policy
    answers = net.fetch_all(
        (
            (guid, contents[guid]["url"], stored_validators(record).request_headers())
            for guid, (record, _) in candidates.items()
        ),
        policy,
        workers=CHECK_WORKERS,
        budget=2 * policy.timeout,
    )
    confirmed = {}
    for guid, answer in answers.items():
        record, file_hash = candidates[guid]
        if isinstance(answer, net.FetchError):
            continue  # the fetch stage tries again, and reports what fails
        if answer.not_modified:
            # A 304 may leave out validators it does not change.
            old, new = stored_validators(record), answer.validators
            validators = net.Validators(
                new.etag or old.etag, new.last_modified or old.last_modified
            )
        elif answer.sha256 == file_hash:
            validators = answer.validators
        else:
            continue  # changed: downloaded and imported by the fetch stage
        store_validators(record.harvest_object, validators)
        confirmed[guid] = {
            HASH_KEY: record.extra(HASH_KEY) or "",
            FILE_HASH_KEY: file_hash,
            **validator_extras(validators),
        }
    return confirmed
