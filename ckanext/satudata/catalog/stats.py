"""What the home, dataset and OPD pages summarise: counts, freshest and most
overdue datasets, an OPD's health, and the SDI metadata grouped for display.

Everything goes through CKAN actions (package_search, organization_list …) so
visibility rules (private datasets, OPD membership) stay CKAN's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from typing import Any, cast

import flask
import redis
import redis.exceptions
from ckan import model
from ckan.plugins import toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.satudata import config, contexts, leases
from ckanext.satudata.catalog import freshness
from ckanext.satudata.model import region
from ckanext.satudata.reference import vocabularies

log = logging.getLogger(__name__)

# Validation statuses (resource field validation_status, set by the validation
# engine) that mean the file conforms / does not conform to its standard.
VALID_STATUSES = frozenset({"success"})
INVALID_STATUSES = frozenset({"failure", "error"})
ATTENTION_LIMIT = 10

# Fields the dataset page shows elsewhere (heading, description, tags, OPD).
_NOT_IN_METADATA_TABLE = frozenset({"title", "name", "notes", "tag_string", "owner_org"})


def freshness_labels() -> dict[str, str]:
    return {
        freshness.CURRENT: tk._("Current"),
        freshness.DUE_SOON: tk._("Update due soon"),
        freshness.OVERDUE: tk._("Overdue"),
        freshness.UNSCHEDULED: tk._("No fixed schedule"),
        freshness.NO_DATA: tk._("No data yet"),
    }


def search(**data_dict: Any) -> dict[str, Any]:
    return tk.get_action("package_search")({}, data_dict)


# The home page's figures are shared by every web process through Redis: JSON
# {"computed_at": time.time(), "stats": {...}} under _home_key(). A copy older
# than the TTL is still served while one process (the holder of the lock
# REFRESH_LEASE, leases.take: SET NX with expiry) recomputes it in a background
# thread, so no visitor waits for the three searches and the OPD and topic
# lists; only a cold start (no copy at all) computes inline, once for all.
REDIS_TIMEOUT_SECONDS = 2.0
# A copy nobody asked for in a day is dropped (a renamed or retired site).
SHARED_COPY_SECONDS = 24 * 60 * 60
# How often a process waiting for another's cold-start computation looks again.
COLD_START_POLL_SECONDS = 0.05
# The lease (leases.py) of the one process computing the figures.
REFRESH_LEASE = ("home_stats", "refresh")

# When Redis cannot be reached: (time.monotonic() of computing, the figures)
# of this process, as before the figures were shared.
_home_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_redis_clients: dict[str, redis.Redis] = {}
_refreshers: list[threading.Thread] = []


def clear_home_cache() -> None:
    """Forgets this process's state (as a newly started web worker has none);
    the copy in Redis stays (``forget_shared_home_stats``)."""
    wait_for_home_refresh()
    _home_cache.clear()
    _redis_clients.clear()


def forget_shared_home_stats() -> None:
    """Drops the shared copy and the refresh lock (tests; a site reloaded)."""
    try:
        _redis().delete(_home_key(), leases.key(*REFRESH_LEASE))
    except redis.exceptions.RedisError as err:
        log.warning("could not drop the shared home figures: %s", err)


def wait_for_home_refresh(timeout: float = 30.0) -> None:
    """Waits for this process's background refreshes to end (tests, shutdown)."""
    while _refreshers:
        _refreshers.pop().join(timeout)


def _home_key(suffix: str = "") -> str:
    return f"satudata:{tk.config.get('ckan.site_id')}:home_stats{suffix}"


def _redis() -> redis.Redis:
    """A client with short timeouts: a hung Redis must not hang the home page."""
    url = str(tk.config.get("ckan.redis.url"))
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
    return client


def _resource_count() -> int:
    return (
        model.Session.query(model.Resource)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(
            model.Resource.state == "active",
            model.Package.state == "active",
            model.Package.private.is_(False),
            model.Package.type == "dataset",
        )
        .count()
    )


def home_stats() -> dict[str, Any]:
    """The home page's figures, as an anonymous visitor sees them (the same
    for everyone, so one copy serves all), recomputed at most once every
    ``ckanext.satudata.home_stats_cache_seconds`` for all web processes
    together (three searches, the OPD and topic lists with an
    organization_show each, and a count would otherwise run on every visit).
    Redis unreachable: each process keeps its own copy for that time."""
    ttl = config.home_stats_cache_seconds()
    if not ttl:
        return _public_home_stats()
    try:
        return _shared_home_stats(_redis(), ttl)
    except redis.exceptions.RedisError as err:
        log.warning("home figures: Redis unreachable (%s); computed in this process", err)
        return _process_home_stats(ttl)


def _process_home_stats(ttl: int) -> dict[str, Any]:
    cached = _home_cache.get("home")
    if cached is not None and time.monotonic() - cached[0] < ttl:
        return cached[1]
    figures = _public_home_stats()
    _home_cache["home"] = (time.monotonic(), figures)
    return figures


def _read_shared(connection: redis.Redis) -> tuple[float, dict[str, Any]] | None:
    raw = cast("bytes | None", connection.get(_home_key()))
    if raw is None:
        return None
    stored = json.loads(raw)
    return float(stored["computed_at"]), stored["stats"]


def _compute_for_sharing() -> dict[str, Any]:
    started = time.monotonic()
    figures = _public_home_stats()
    log.info("home page figures computed in %.2f s", time.monotonic() - started)
    return figures


def _store_shared(connection: redis.Redis, figures: dict[str, Any]) -> None:
    payload = json.dumps({"computed_at": time.time(), "stats": figures}, default=str)
    connection.set(_home_key(), payload, ex=SHARED_COPY_SECONDS)


def _take_lock(connection: redis.Redis) -> str | None:
    return leases.take(connection, *REFRESH_LEASE, config.home_stats_refresh_timeout_seconds())


def _release_lock(connection: redis.Redis, token: str) -> None:
    leases.give_back(connection, *REFRESH_LEASE, token)


def _shared_home_stats(connection: redis.Redis, ttl: int) -> dict[str, Any]:
    stored = _read_shared(connection)
    if stored is None:
        return _cold_start(connection)
    computed_at, figures = stored
    if time.time() - computed_at >= ttl:
        token = _take_lock(connection)
        if token is not None:
            _refresh_in_background(connection, token)
    return figures


def _cold_start(connection: redis.Redis) -> dict[str, Any]:
    """No copy yet: one process computes it while the others wait for it."""
    token = _take_lock(connection)
    if token is not None:
        try:
            figures = _compute_for_sharing()
            _store_shared(connection, figures)
        finally:
            _release_lock(connection, token)  # the waiting visits compute if this failed
        return figures
    deadline = time.monotonic() + config.home_stats_refresh_timeout_seconds()
    while time.monotonic() < deadline:
        time.sleep(COLD_START_POLL_SECONDS)
        stored = _read_shared(connection)
        if stored is not None:
            return stored[1]
        if not leases.held(connection, *REFRESH_LEASE):
            break  # its holder failed: this visit computes them itself
    return _public_home_stats()


def _refresh_in_background(connection: redis.Redis, token: str) -> None:
    app = flask.current_app._get_current_object() if flask.has_app_context() else None  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=_refresh, args=(app, connection, token), name="satudata home figures", daemon=True
    )
    # Only the running ones are kept (tests wait for them); a web process
    # starts one a TTL for as long as it lives.
    _refreshers[:] = [t for t in _refreshers if t.is_alive()]
    _refreshers.append(thread)
    thread.start()


def _refresh(app: flask.Flask | None, connection: redis.Redis, token: str) -> None:
    try:
        with app.test_request_context() if app is not None else contextlib.nullcontext():
            figures = _compute_for_sharing()
        _store_shared(connection, figures)
        _release_lock(connection, token)
    except Exception:
        # The older copy is served on; the lock lapses after
        # home_stats_refresh_timeout_seconds and a later visit tries again
        # (not every visit while Solr or the database is down).
        log.exception("could not refresh the home page's figures")
    finally:
        model.Session.remove()  # this thread's database session


def _public_home_stats() -> dict[str, Any]:
    def public_search(**data_dict: Any) -> dict[str, Any]:
        return tk.get_action("package_search")(contexts.public(), data_dict)

    latest = public_search(rows=1, sort="metadata_modified desc")
    organizations = tk.get_action("organization_list")(
        contexts.public(), {"all_fields": True, "sort": "package_count desc"}
    )
    topics = tk.get_action("group_list")(
        contexts.public(), {"all_fields": True, "sort": "title asc"}
    )
    return {
        "datasets": latest["count"],
        "opds": len(organizations),
        "resources": _resource_count(),
        "last_update": latest["results"][0]["metadata_modified"] if latest["results"] else None,
        "freshest": public_search(
            rows=5, fq="freshness_last_update:[* TO *]", sort="freshness_last_update desc"
        )["results"],
        "overdue": public_search(rows=5, fq="freshness:overdue", sort="freshness_due asc")[
            "results"
        ],
        "organizations": organizations,
        "topics": topics,
    }


def _validation_statuses(pkg_dict: dict[str, Any]) -> list[str]:
    return [
        str(resource["validation_status"])
        for resource in pkg_dict.get("resources") or []
        if resource.get("validation_status")
    ]


def opd_summary(org_name: str) -> dict[str, Any]:
    """An OPD's datasets, how many are valid and current, and what needs attention."""
    results = search(
        fq=f'organization:"{org_name}"', rows=1000, include_private=True, sort="title_string asc"
    )["results"]
    labels = freshness_labels()
    valid = current = 0
    attention: list[dict[str, Any]] = []
    for pkg in results:
        state = freshness.of_dataset(pkg).state
        statuses = _validation_statuses(pkg)
        if statuses and all(status in VALID_STATUSES for status in statuses):
            valid += 1
        if state == freshness.CURRENT:
            current += 1
        reasons = []
        if state in (freshness.OVERDUE, freshness.DUE_SOON, freshness.NO_DATA):
            reasons.append(labels[state])
        if any(status in INVALID_STATUSES for status in statuses):
            reasons.append(tk._("A file failed validation"))
        if reasons:
            attention.append({"dataset": pkg, "reasons": reasons, "state": state})
    # Overdue first: they are the promises already broken.
    order = {freshness.OVERDUE: 0, freshness.DUE_SOON: 1, freshness.NO_DATA: 2}
    attention.sort(key=lambda item: order.get(item["state"], 3))
    return {
        "total": len(results),
        "valid": valid,
        "current": current,
        "attention": attention[:ATTENTION_LIMIT],
        "attention_total": len(attention),
    }


def display_value(field: dict[str, Any], value: Any, lang: str) -> dict[str, Any]:
    """One metadata row: the shown text and an optional link."""
    vocabulary = field.get("vocabulary")
    name = field["field_name"]
    if name == "kode_wilayah":
        codes = [code for code in (value if isinstance(value, list) else [value]) if code]
        names = region.names_of(codes)
        text = ", ".join(f"{names.get(code, code)} ({code})" for code in codes)
        return {"text": text}
    if vocabulary == "data_standard":
        return {"text": value, "url": tk.url_for("satudata_standards.data_standard", name=value)}
    if vocabulary == "subtopic":
        for sub in vocabularies.subtopics():
            if sub.value == value:
                return {"text": sub.label(lang)}
        return {"text": value}
    if vocabulary:
        return {"text": vocabularies.label(vocabulary, value, lang)}
    if field.get("choices"):
        for choice in field["choices"]:
            if choice["value"] == value:
                label = choice["label"]
                return {
                    "text": label.get(lang, label.get("id")) if isinstance(label, dict) else label
                }
    if name.endswith("email"):
        return {"text": value, "url": f"mailto:{value}"}
    if name == "url":
        return {"text": value, "url": value}
    if name == "license_id":
        return {"text": value}
    return {"text": value}


def field_label(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or label.get("id") or next(iter(label.values()), "")
    return str(label)


def metadata_groups(pkg_dict: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The filled-in SDI fields, grouped like the pages of the dataset form."""
    schema = scheming_get_dataset_schema(pkg_dict.get("type") or "dataset") or {}
    groups: list[dict[str, Any]] = []
    for field in schema.get("dataset_fields", []):
        if "start_form_page" in field or not groups:
            page = field.get("start_form_page", {})
            groups.append({"title": field_label(page.get("title", ""), lang), "rows": []})
        name = field["field_name"]
        value = pkg_dict.get(name)
        if name in _NOT_IN_METADATA_TABLE or value in (None, "", []):
            continue
        if name == "license_id":
            value = pkg_dict.get("license_title") or value
        row = {
            "label": field_label(field.get("label", name), lang),
            **display_value(field, value, lang),
        }
        groups[-1]["rows"].append(row)
    return [group for group in groups if group["rows"]]
