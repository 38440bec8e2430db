"""Reading a Dukcapil release: ArcGIS REST layers or a Disdukcapil spreadsheet.

Two ArcGIS layouts (``ReleaseSource``): one map service with a layer per
region level, or one service per level, as Dukcapil's public services are
published (domain.md §5); either way the release is read as one layer URL
per level (``…/MapServer/<layer>/query``).

Everything goes through ``ckanext.satudata.net`` (address guard, byte caps,
retries with backoff on 5xx and timeouts). An ArcGIS error object with a 5xx
code sent with HTTP 200 is a server error too: the page is asked again with
the source's retries and backoff. A response that is empty, cut off, not
JSON, another ArcGIS error object, or that breaks the paging contract raises
``FeedError``: the caller then changes nothing. Pure Python: no CKAN import.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from ckanext.satudata import net
from ckanext.satudata.harvesters.messages import N_, Message, file_rejection, message
from ckanext.satudata.harvesters.settings import (
    SECRET_ENV_PREFIX,
    HarvestConfigError,
    check_secret_env,
)
from ckanext.satudata.validation import reader
from ckanext.satudata.validation.reader import Limits

# Layer ids of a map service with one layer per region level; a source config
# may override them ("layers").
DEFAULT_LAYERS = {"kabupaten": 1, "kecamatan": 2, "desa": 3}
# The layer of a service that publishes one level ("services").
SERVICE_LAYER = 0
ARCGIS_MAX_PAGE = 10_000
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
_SERVICE_URL = re.compile(r"/(MapServer|FeatureServer)(/(?P<layer>\d+))?/?$", re.IGNORECASE)


class FeedError(Exception):
    """The release could not be read completely; nothing may be changed.
    ``problem`` says why (a harvest report message); str() is English."""

    def __init__(self, problem: Message | str) -> None:
        self.problem = problem if isinstance(problem, Message) else message("{text}", text=problem)
        super().__init__(self.problem.render())


class TransientFeedError(FeedError):
    """An ArcGIS error object with a server-error code: worth asking again."""


# The query parameter of an ArcGIS token: a credential in the query string,
# which net drops on a redirect to another origin.
TOKEN_PARAM = "token"
# Auth settings naming an environment variable of the harvest worker; a source
# may name only its owner OPD's (harvesters/settings.py check_secret_env).
# Example: "auth": {"token_env": "SATUDATA_HARVEST_DISDUKCAPIL_PASER_TOKEN"}.
ENV_SETTINGS = ("token_env", "username_env", "password_env")


@dataclass(frozen=True)
class FeedAuth:
    """Credentials from the owner OPD's SATUDATA_HARVEST_<OPD>_* environment
    variables; never published."""

    token: str | None = None
    username: str | None = None
    password: str | None = None

    @staticmethod
    def env_names(config: Mapping[str, Any], owner: str | None) -> dict[str, str]:
        """{setting: variable name} of the auth settings naming environment
        variables, each one of ``owner``'s (the name of the OPD that owns the
        source; None: not known here, only the form of the names is checked).
        Raises HarvestConfigError naming the setting that is not allowed; reads
        nothing."""
        auth = config.get("auth") or {}
        if not isinstance(auth, Mapping):
            raise HarvestConfigError(message(N_("auth must be an object")), key="auth")
        for secret in ("token", "password"):
            if auth.get(secret) not in (None, ""):
                raise HarvestConfigError(
                    message(
                        N_("auth.{secret}: secrets cannot be written in the source "
                           "configuration (its editors can read it); use auth.{secret}_env "
                           "naming an environment variable {prefix}<OPD>_<NAME> of the "
                           "harvest worker"),
                        secret=secret, prefix=SECRET_ENV_PREFIX,
                    ),
                    key="auth",
                )  # fmt: skip
        unknown = set(auth) - {"username", *ENV_SETTINGS}
        if unknown:
            raise HarvestConfigError(
                message(
                    N_("auth: unknown setting(s) {unknown}"), unknown=", ".join(sorted(unknown))
                ),
                key="auth",
            )
        username = auth.get("username")
        if username is not None and not isinstance(username, str):
            raise HarvestConfigError(message(N_("auth.username must be text")), key="auth")
        return {
            key: check_secret_env(f"auth.{key}", auth[key], owner)
            for key in ENV_SETTINGS
            if auth.get(key) not in (None, "")
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any], owner: str) -> FeedAuth:
        """The credentials of a source owned by the OPD named ``owner``, read
        from its variables only; raises ValueError naming the setting."""
        names = cls.env_names(config, owner)

        def from_env(name: str) -> str | None:
            variable = names.get(f"{name}_env")
            return os.environ.get(variable) if variable else None

        username = (config.get("auth") or {}).get("username")
        return cls(from_env("token"), username or from_env("username"), from_env("password"))

    @property
    def basic(self) -> tuple[str, str] | None:
        return (self.username, self.password or "") if self.username else None


@dataclass(frozen=True)
class FeedSettings:
    where: str = "1=1"
    page_size: int = 2000
    max_pages: int = 200
    max_bytes: int = 200 * 1024 * 1024  # for the whole release (ByteBudget)
    # Timeouts, retries and the address rules of every request; the retries
    # and backoff also apply to ArcGIS server errors sent with HTTP 200.
    fetch: net.FetchPolicy = field(default_factory=lambda: net.FetchPolicy(retries=3, backoff=1.0))
    # Zip-bomb / XML checks of an XLSX release (the validation limits).
    xlsx_limits: Limits | None = None
    auth: FeedAuth = field(default_factory=FeedAuth)

    def address_rules(self) -> net.AddressRules:
        return net.AddressRules.of(self.fetch)

    def policy(self, remaining_bytes: int) -> net.FetchPolicy:
        """The fetch policy of the next request: what is left of the release's bytes."""
        return dataclasses.replace(self.fetch, max_bytes=max(1, remaining_bytes))


@dataclass(frozen=True)
class ReleaseSource:
    """Where one release is read: a spreadsheet URL, or one ArcGIS layer URL
    per region level (``layers``: (level, …/MapServer/<layer>), in level order)."""

    url: str
    layers: tuple[tuple[str, str], ...] = ()

    @property
    def is_spreadsheet(self) -> bool:
        return not self.layers

    def layer_url(self, level: str) -> str | None:
        return dict(self.layers).get(level)

    def service_url(self, level: str) -> str:
        """The address that publishes ``level`` (the dataset's source link)."""
        layer = self.layer_url(level)
        if layer is None:
            return self.url
        return _SERVICE_URL.sub(lambda m: f"/{m.group(1)}", layer)


def single_service(url: str, layer_ids: Mapping[str, int]) -> ReleaseSource:
    """A release published as one map service with a layer per level (or, for a
    .xlsx/.csv URL, as a spreadsheet)."""
    if is_spreadsheet(url):
        return ReleaseSource(url)
    base = url.rstrip("/")
    return ReleaseSource(
        url, tuple((level, f"{base}/{layer_ids[level]}") for level in sorted(layer_ids, key=_order))
    )


def per_level_services(services: Mapping[str, str], base_url: str) -> ReleaseSource:
    """A release published as one service per level: {level: its MapServer or
    FeatureServer URL (layer SERVICE_LAYER) or a layer URL}; a relative URL is
    resolved against ``base_url``. Raises HarvestConfigError naming
    the level."""
    layers = []
    for level in sorted(services, key=_order):
        value = services[level]
        if not isinstance(value, str) or not value.strip():
            raise HarvestConfigError(
                message(N_("services.{level} must be the URL of an ArcGIS service"), level=level),
                key="services",
            )
        url = urljoin(base_url.rstrip("/") + "/", value.strip())
        match = _SERVICE_URL.search(url.split("?", 1)[0])
        if match is None:
            raise HarvestConfigError(
                message(
                    N_("services.{level}: {url} is not an ArcGIS service URL "
                       "(…/MapServer, …/FeatureServer or …/MapServer/<layer>)"),
                    level=level, url=url,
                ),
                key="services",
            )  # fmt: skip
        if match.group("layer") is None:
            url = f"{url.rstrip('/')}/{SERVICE_LAYER}"
        layers.append((level, url.rstrip("/")))
    return ReleaseSource(base_url, tuple(layers))


_LEVEL_ORDER = ("provinsi", "kabupaten", "kecamatan", "desa")


def _order(level: str) -> int:
    return _LEVEL_ORDER.index(level) if level in _LEVEL_ORDER else len(_LEVEL_ORDER)


def where_for_root(root: str) -> str:
    """ArcGIS ``where`` selecting the regions under a dotted code (64.01)."""
    parts = root.split(".")
    keys = ("no_prop", "no_kab", "no_kec", "no_kel")
    return " AND ".join(f"{key}={int(part)}" for key, part in zip(keys, parts, strict=False))


def is_spreadsheet(url: str) -> bool:
    path = url.split("?", 1)[0].lower()
    return path.endswith(SPREADSHEET_SUFFIXES)


class ByteBudget:
    """The hard cap on bytes read for one release, across all its requests."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def remaining(self, url: str) -> int:
        left = self.limit - self.used
        if left <= 0:
            raise FeedError(
                message(
                    N_("{url}: release exceeds the limit of {limit} bytes"),
                    url=url,
                    limit=self.limit,
                )
            )
        return left

    def spend(self, size: int) -> None:
        self.used += size


def parse_page(content: bytes, url: str) -> tuple[list[dict[str, Any]], bool]:
    """(attribute dicts, exceededTransferLimit) of one ArcGIS query response;
    raises TransientFeedError for an ArcGIS error object with a 5xx code."""
    if not content.strip():
        raise FeedError(message(N_("{url}: empty response"), url=url))
    try:
        payload = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise FeedError(
            message(N_("{url}: malformed or truncated JSON ({detail})"), url=url, detail=str(err))
        ) from None
    if not isinstance(payload, dict):
        raise FeedError(message(N_("{url}: response is not a JSON object"), url=url))
    if "error" in payload:
        error = payload["error"] if isinstance(payload["error"], dict) else {}
        code = error.get("code", "?")
        problem = message(
            N_("{url}: ArcGIS error {code}: {detail}"),
            url=url,
            code=code,
            detail=str(error.get("message", "")),
        )
        if isinstance(code, int) and 500 <= code <= 599:
            raise TransientFeedError(problem)
        raise FeedError(problem)
    features = payload.get("features")
    if not isinstance(features, list):
        raise FeedError(message(N_("{url}: response has no 'features' list"), url=url))
    records = []
    for feature in features:
        attributes = feature.get("attributes") if isinstance(feature, dict) else None
        if not isinstance(attributes, dict):
            raise FeedError(message(N_("{url}: a feature has no 'attributes' object"), url=url))
        records.append(attributes)
    return records, bool(payload.get("exceededTransferLimit", False))


def _fetch_error(err: net.FetchError) -> FeedError:
    # net's reason is a technical detail (an HTTP status, a timeout) shown as it is.
    return FeedError(message(N_("{url}: {reason}"), url=err.url, reason=err.reason))


def _read_page(
    url: str,
    params: Mapping[str, Any],
    label: str,
    settings: FeedSettings,
    budget: ByteBudget,
    session: net.GuardedSession | None,
) -> tuple[list[dict[str, Any]], bool]:
    """One page, asked again (the source's retries, backoff doubling) while the
    server answers with an ArcGIS server error; net.fetch retries HTTP 5xx and
    timeouts itself."""
    attempt = 0
    while True:
        try:
            result = net.fetch(
                url,
                settings.policy(budget.remaining(url)),
                params=params,
                auth=settings.auth.basic,
                session=session,
                secret_params=(TOKEN_PARAM,),
            )
        except net.ResponseTooLargeError as err:
            raise FeedError(
                message(
                    N_("{error} (release byte cap {limit})"),
                    error=_fetch_error(err).problem,
                    limit=budget.limit,
                )
            ) from None
        except net.FetchError as err:
            raise _fetch_error(err) from None
        budget.spend(len(result.content))
        try:
            return parse_page(result.content, label)
        except TransientFeedError as err:
            if attempt >= settings.fetch.retries:
                raise TransientFeedError(
                    message(
                        N_("{error} (still after {attempts} attempt(s))"),
                        error=err.problem,
                        attempts=attempt + 1,
                    )
                ) from None
            time.sleep(settings.fetch.backoff * (2**attempt))
            attempt += 1


def arcgis_layer_pages(
    layer_url: str,
    settings: FeedSettings,
    budget: ByteBudget,
    session: net.GuardedSession | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Pages of one layer (…/MapServer/<layer>), following resultOffset until
    exceededTransferLimit is false."""
    url = f"{layer_url.rstrip('/')}/query"
    page_size = min(settings.page_size, ARCGIS_MAX_PAGE)
    offset = 0
    for _page in range(settings.max_pages):
        params: dict[str, Any] = {
            "where": settings.where,
            "outFields": "*",
            "returnGeometry": "false",
            "orderByFields": "objectid",
            "f": "json",
            "resultOffset": offset,
            "resultRecordCount": page_size,
        }
        if settings.auth.token:
            params[TOKEN_PARAM] = settings.auth.token
        label = f"{url} (offset {offset})"
        records, more = _read_page(url, params, label, settings, budget, session)
        if not records and (offset == 0 or more):
            # An empty first page, or an empty page that claims more: never
            # read as "the region has no population".
            raise FeedError(message(N_("{url}: empty response"), url=label))
        yield records
        if not more:
            return
        offset += len(records)
    raise FeedError(
        message(
            N_("{url}: more than {pages} pages; stopped (page cap)"),
            url=url,
            pages=settings.max_pages,
        )
    )


_HEADER_ALIASES = {
    "laki_laki": "pria",
    "lakilaki": "pria",
    "l": "pria",
    "perempuan": "wanita",
    "p": "wanita",
    "jumlah": "jumlah_penduduk",
    "total": "jumlah_penduduk",
    "katolik": "katholik",
    "buddha": "budha",
    "kode": "kode_wilayah",
    "nama": "nama_wilayah",
}


def _header(name: object) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")
    return _HEADER_ALIASES.get(key, key)


def _cell(value: Any) -> Any:
    # calamine returns numbers as float; keep integral numbers integral.
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**15:
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def parse_spreadsheet(
    content: bytes, url: str, limits: Limits | None = None
) -> list[dict[str, Any]]:
    """Rows of a Disdukcapil semester spreadsheet (XLSX first sheet, or CSV),
    read by the validation reader (an XLSX file's container checked first)."""
    try:
        grid = reader.read_grids(content, limits)[0].rows
    except reader.FileRejected as err:
        raise FeedError(
            message(N_("{url}: {reason}"), url=url, reason=file_rejection(err))
        ) from None
    rows = [row for row in grid if any(str(cell).strip() for cell in row if cell is not None)]
    if len(rows) < 2:
        raise FeedError(message(N_("{url}: spreadsheet has no data rows"), url=url))
    header = [_header(name) for name in rows[0]]
    named = [name for name in header if name]
    if len(set(named)) != len(named):
        raise FeedError(message(N_("{url}: duplicate column names in the header row"), url=url))
    records = []
    for row in rows[1:]:
        record = {name: _cell(value) for name, value in zip(header, row, strict=False) if name}
        # The header's cells that the row does not reach are missing, not zero.
        records.append(record)
    return records


def spreadsheet_records(
    url: str,
    settings: FeedSettings,
    budget: ByteBudget,
    session: net.GuardedSession | None = None,
) -> list[dict[str, Any]]:
    try:
        result = net.fetch(
            url,
            settings.policy(budget.remaining(url)),
            auth=settings.auth.basic,
            session=session,
            secret_params=(TOKEN_PARAM,),
        )
    except net.FetchError as err:
        raise _fetch_error(err) from None
    budget.spend(len(result.content))
    return parse_spreadsheet(result.content, url, settings.xlsx_limits)
