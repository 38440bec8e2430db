"""Portal Pelita v1.3 over HTTP, as Kemendagri calls it:

- ``GET /api/pelita/v1.3/dataset`` (list) and ``/api/pelita/v1.3/dataset/<id>``
  (detail with columns and rows), answering the contract's JSON envelope
  (the actions satudata_pelita_dataset_list / _show do the work);
- ``GET /api/pelita/v1.3/openapi.json``: the contract as OpenAPI 3.1.

With ``ckanext.satudata.pelita.token`` set, every call needs
``Authorization: Bearer <token>``."""

from __future__ import annotations

import functools
import hmac
import json
from importlib import resources
from typing import Any

import yaml
from ckan.plugins import toolkit as tk
from flask import Blueprint, Response, request

from ckanext.satudata import config
from ckanext.satudata.interop import pelita

BASE = f"/api/pelita/v{pelita.VERSION}"
OPENAPI_FILE = "interop/data/pelita-openapi.yaml"

pelita_api = Blueprint("satudata_pelita", __name__)


def _json(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        mimetype="application/json",
        headers={"Access-Control-Allow-Origin": "*", **headers},
    )


def _refused(status: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    body = pelita.error_body(message)
    if errors:
        body["errors"] = errors
    headers = {"WWW-Authenticate": 'Bearer realm="pelita"'} if status == 401 else {}
    return _json(body, status, **headers)


def _authorized() -> bool:
    token = config.pelita_token()
    if not token:
        return True
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip(), token)


def _call(action: str, data: dict[str, Any]) -> Response:
    if not _authorized():
        return _refused(401, tk._("A valid Bearer token is required"))
    try:
        result = tk.get_action(action)({}, data)
    except tk.ValidationError as error:
        errors: dict[str, Any] = dict(error.error_dict)
        message = "; ".join(
            str(m)
            for messages in errors.values()
            for m in (messages if isinstance(messages, list) else [messages])
        )
        return _refused(400, message, errors)
    except tk.ObjectNotFound as error:
        return _refused(404, str(error.message or tk._("Dataset not found")))
    except tk.NotAuthorized:
        return _refused(403, tk._("Not authorized"))
    return _json(pelita.envelope(result["data"], result["meta"], result.get("message")))


@pelita_api.route(f"{BASE}/dataset")
def dataset_list() -> Response:
    return _call("satudata_pelita_dataset_list", request.args.to_dict())


@pelita_api.route(f"{BASE}/dataset/<dataset_id>")
def dataset_show(dataset_id: str) -> Response:
    return _call("satudata_pelita_dataset_show", {**request.args.to_dict(), "id": dataset_id})


@functools.cache
def _openapi_document() -> dict[str, Any]:
    text = resources.files("ckanext.satudata").joinpath(OPENAPI_FILE).read_text("utf-8")
    return yaml.safe_load(text)


def openapi_document(site_url: str) -> dict[str, Any]:
    """The contract as OpenAPI 3.1, its server being this portal."""
    document = dict(_openapi_document())
    document["servers"] = [{"url": site_url.rstrip("/") + BASE}]
    return document


@pelita_api.route(f"{BASE}/openapi.json")
def openapi() -> Response:
    return _json(openapi_document(tk.config.get("ckan.site_url")))
