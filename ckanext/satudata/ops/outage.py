"""A request that meets an outage before any action can refuse it cleanly
(PostgreSQL gone while CKAN looks up the user, Solr gone under a search
page) gets HTTP 503 with what happened, in the user's language: JSON for the
Action API, a small self-contained page otherwise (the site's templates
would query the database again). Registered on the Flask app by the plugin
(IMiddleware)."""

from __future__ import annotations

import logging
from typing import Any

import redis
import redis.exceptions
import sqlalchemy.exc
from ckan.lib.search.common import SolrConnectionError
from ckan.plugins import toolkit as tk
from flask import Flask, jsonify, make_response, render_template, request

from ckanext.satudata import faults

log = logging.getLogger(__name__)

OUTAGES: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    SolrConnectionError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def _is_api() -> bool:
    parts = request.path.strip("/").split("/")
    return "api" in parts[:2]


def unavailable(err: Exception) -> Any:
    fault = faults.classify(err) or faults.Fault(faults.Service.DATABASE, str(err))
    log.error("request %s refused: %s", request.path, fault.report(), exc_info=err)
    message = fault.user_message()
    if _is_api():
        body = {
            "success": False,
            "error": {"__type": "Service Unavailable", "message": message},
        }
        response = jsonify(body)
    else:
        response = make_response(
            render_template(
                "satudata/outage.html", message=message, title=tk._("Service unavailable")
            )
        )
    response.status_code = 503
    response.headers["Retry-After"] = "60"
    return response


def register(app: Flask) -> None:
    for outage in OUTAGES:
        app.register_error_handler(outage, unavailable)
