"""The CKAN side of the MQA self-check (interop/mqa.py): a dataset's DCAT-AP
record as the catalogue serves it, and whether its URLs answer: our own
stored files are looked up in storage, other URLs are fetched (the guarded
client, with the validation's fetch policy)."""

from __future__ import annotations

import os
from typing import Any

from ckan.lib import uploader
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import resource_uri

from ckanext.satudata import config, net
from ckanext.satudata.interop import mqa

# A URL check must not hold an API call for long.
CHECK_TIMEOUT = 10.0


def _stored_file_exists(resource: dict[str, Any]) -> bool:
    path = uploader.get_resource_uploader(resource).get_path(resource["id"])
    return bool(path) and os.path.isfile(path)


def _answers(url: str) -> bool:
    policy = config.validation_fetch_policy()
    policy = net.FetchPolicy(timeout=CHECK_TIMEOUT, max_bytes=1, allow_private=policy.allow_private)
    try:
        net.fetch(url, policy)
    except net.ResponseTooLargeError:
        return True  # it answered with content: all the check needs
    except net.FetchError:
        return False
    return True


def reachability(dataset: dict[str, Any]) -> mqa.Reachable:
    """Whether a URL of ``dataset``'s record answers (our uploads: in storage)."""
    uploads = {
        url: resource
        for resource in dataset.get("resources", [])
        if resource.get("url_type") == "upload"
        for url in (resource.get("url"), resource_uri(resource))
        if url
    }
    seen: dict[str, bool] = {}

    def reachable(url: str) -> bool | None:
        if url not in seen:
            upload = uploads.get(url)
            seen[url] = _stored_file_exists(upload) if upload is not None else _answers(url)
        return seen[url]

    return reachable


def assess_dataset(dataset: dict[str, Any]) -> mqa.Assessment:
    """The MQA points of ``dataset`` (a package_show dict) as the catalogue
    exports it (the configured DCAT profiles)."""
    serializer = RDFSerializer()
    dataset_ref = serializer.graph_from_dataset(dataset)
    return mqa.assess(serializer.g, reachability(dataset), dataset_ref)
