"""Reading a Dukcapil release: ArcGIS REST layers or a Disdukcapil spreadsheet.

Everything goes through ``ckanext.satudata.net`` (address guard, byte caps,
retries with backoff on 5xx and timeouts). A response that is empty, cut off,
not JSON, an ArcGIS error object, or that breaks the paging contract raises
``FeedError``: the caller then changes nothing. Pure Python: no CKAN import.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckanext.satudata import net
from ckanext.satudata.harvesters.settings import SECRET_ENV_PREFIX, check_secret_env
from ckanext.satudata.validation import messages, reader
from ckanext.satudata.validation.reader import Limits

# Layer ids of Dukcapil's map services, one layer per region level; a source
# config may override them.
DEFAULT_LAYERS = {"kabupaten": 1, "kecamatan": 2, "desa": 3}
ARCGIS_MAX_PAGE = 10_000
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")


class FeedError(Exception):
    """The release could not be read completely; nothing may be changed."""


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
        Raises ValueError naming the setting that is not allowed; reads nothing."""
        auth = config.get("auth") or {}
        if not isinstance(auth, Mapping):
            raise ValueError("auth must be an object")
        for secret in ("token", "password"):
            if auth.get(secret) not in (None, ""):
                raise ValueError(
                    f"auth.{secret}: secrets cannot be written in the source configuration "
                    f"(its editors can read it); use auth.{secret}_env naming an environment "
                    f"variable {SECRET_ENV_PREFIX}<OPD>_<NAME> of the harvest worker"
                )
        unknown = set(auth) - {"username", *ENV_SETTINGS}
        if unknown:
            raise ValueError(f"auth: unknown setting(s) {', '.join(sorted(unknown))}")
        username = auth.get("username")
        if username is not None and not isinstance(username, str):
            raise ValueError("auth.username must be text")
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
    layers: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_LAYERS))
    where: str = "1=1"
    page_size: int = 2000
    max_pages: int = 200
    max_bytes: int = 200 * 1024 * 1024  # for the whole release (ByteBudget)
    # Timeouts, retries and the address rules of every request.
    fetch: net.FetchPolicy = field(default_factory=lambda: net.FetchPolicy(retries=3, backoff=1.0))
    # Zip-bomb / XML checks of an XLSX release (the validation limits).
    xlsx_limits: Limits | None = None
    auth: FeedAuth = field(default_factory=FeedAuth)

    def address_rules(self) -> net.AddressRules:
        return net.AddressRules.of(self.fetch)

    def policy(self, remaining_bytes: int) -> net.FetchPolicy:
        """The fetch policy of the next request: what is left of the release's bytes."""
        return dataclasses.replace(self.fetch, max_bytes=max(1, remaining_bytes))


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
            raise FeedError(f"{url}: release exceeds the limit of {self.limit} bytes")
        return left

    def spend(self, size: int) -> None:
        self.used += size


def parse_page(content: bytes, url: str) -> tuple[list[dict[str, Any]], bool]:
    """(attribute dicts, exceededTransferLimit) of one ArcGIS query response."""
    if not content.strip():
        raise FeedError(f"{url}: empty response")
    try:
        payload = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise FeedError(f"{url}: malformed or truncated JSON ({err})") from None
    if not isinstance(payload, dict):
        raise FeedError(f"{url}: response is not a JSON object")
    if "error" in payload:
        error = payload["error"] if isinstance(payload["error"], dict) else {}
        raise FeedError(
            f"{url}: ArcGIS error {error.get('code', '?')}: {error.get('message', '')}".rstrip()
        )
    features = payload.get("features")
    if not isinstance(features, list):
        raise FeedError(f"{url}: response has no 'features' list")
    records = []
    for feature in features:
        attributes = feature.get("attributes") if isinstance(feature, dict) else None
        if not isinstance(attributes, dict):
            raise FeedError(f"{url}: a feature has no 'attributes' object")
        records.append(attributes)
    return records, bool(payload.get("exceededTransferLimit", False))


def arcgis_layer_pages(
    service_url: str,
    layer_id: int,
    settings: FeedSettings,
    budget: ByteBudget,
    session: net.GuardedSession | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Pages of one layer, following resultOffset until exceededTransferLimit is false."""
    url = f"{service_url.rstrip('/')}/{layer_id}/query"
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
            raise FeedError(f"{err} (release byte cap {budget.limit})") from None
        except net.FetchError as err:
            raise FeedError(str(err)) from None
        budget.spend(len(result.content))
        records, more = parse_page(result.content, f"{url} (offset {offset})")
        if not records and (offset == 0 or more):
            # An empty first page, or an empty page that claims more: never
            # read as "the region has no population".
            raise FeedError(f"{url} (offset {offset}): empty response")
        yield records
        if not more:
            return
        offset += len(records)
    raise FeedError(f"{url}: more than {settings.max_pages} pages; stopped (page cap)")


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
        raise FeedError(f"{url}: {messages.rejection_text(err)}") from None
    rows = [row for row in grid if any(str(cell).strip() for cell in row if cell is not None)]
    if len(rows) < 2:
        raise FeedError(f"{url}: spreadsheet has no data rows")
    header = [_header(name) for name in rows[0]]
    named = [name for name in header if name]
    if len(set(named)) != len(named):
        raise FeedError(f"{url}: duplicate column names in the header row")
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
        raise FeedError(str(err)) from None
    budget.spend(len(result.content))
    return parse_spreadsheet(result.content, url, settings.xlsx_limits)
