"""Guarded HTTP client for everything the portal fetches from outside
(harvest sources, URL resources).

Guards against server-side request forgery and resource exhaustion: only http
and https, no private, loopback, link-local or otherwise non-public address
unless the caller's policy allows it (local tests and demo feeds do), every
redirect re-checked, connect/read timeouts, a byte cap enforced while
streaming, and bounded retries with exponential backoff on 5xx and timeouts.

Credentials (basic auth, an Authorization header, the query parameters the
caller names as secrets) go only to the origin (scheme, host, port) of the
URL asked for: a redirect anywhere else drops them for the rest of the chain,
as ``requests`` does for headers when it follows redirects itself.

The address check runs when a connection is opened, on the very addresses it
connects to (``GuardedSession``): a DNS answer that changes between a check
and the connection (DNS rebinding) cannot slip through. Environment proxies
are not used, since a proxy would hide the real peer from the check.

Sessions keep connections alive, so many files from one server (a harvest)
cost one TCP connection; ``fetch_all`` fetches many URLs concurrently and
``Validators`` make conditional requests (``304 Not Modified``).
Why one module: every request the portal sends outside goes through the one
redirect loop here, where the address check, the credential rule and the
byte cap are applied together; split, a caller could take one without the
others.
Pure Python: no CKAN import.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util import connection as urllib3_connection

USER_AGENT = "ckanext-satudata (+https://github.com/satudata/ckanext-satudata)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Request headers that carry credentials; cookies of the session's own jar
# are scoped by domain already.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 30.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 0
    backoff: float = 0.5
    # Loopback and private networks: only for local tests, demo and intranet
    # sources that an administrator has explicitly allowed.
    allow_private: bool = False
    # "host:port" entries exempt from the address check (one intranet file
    # server) while every other non-public address stays refused.
    allowed_private_hosts: tuple[str, ...] = ()
    allowed_schemes: tuple[str, ...] = ("http", "https")


@dataclass(frozen=True)
class AddressRules:
    """The part of a policy that decides which peers a connection may reach."""

    allow_private: bool = False
    allowed_private_hosts: tuple[str, ...] = ()

    @classmethod
    def of(cls, policy: FetchPolicy) -> AddressRules:
        return cls(policy.allow_private, policy.allowed_private_hosts)

    def addresses(self, host: str, port: int) -> list[tuple[socket.AddressFamily, str]]:
        """(family, address) of every address ``host`` resolves to, each allowed;
        raises AddressRefused."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as err:
            raise AddressRefused(f"cannot resolve host {host!r}: {err.strerror}") from None
        except UnicodeError:  # a label IDNA cannot encode (empty, over 63 characters)
            raise AddressRefused(f"invalid host name {host!r}", blocked=True) from None
        exempt = self.allow_private or f"{host.lower()}:{port}" in self.allowed_private_hosts
        found = []
        for family, _type, _proto, _name, sockaddr in infos:
            address = str(sockaddr[0])
            # Every answer is checked, not only the one connected to: a name
            # mixing public and private answers is refused outright.
            if not exempt and not _is_public(address):
                raise AddressRefused(
                    f"host {host!r} resolves to non-public address {address}; not allowed",
                    blocked=True,
                )
            found.append((family, address))
        return found


class AddressRefused(Exception):
    """Raised inside a connection whose peer may not be reached (or not found)."""

    def __init__(self, reason: str, *, blocked: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.blocked = blocked


class _CheckedConnect:
    """Mixin of urllib3 connections that connect only to addresses the rules
    allow, resolved and checked here (the host name still goes to TLS for SNI
    and certificate checks)."""

    # What the urllib3 connection it is mixed into provides (host: a property there).
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def __init__(self, *args: Any, address_rules: AddressRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address_rules = address_rules

    def _host(self) -> str:
        return str(getattr(self, "host"))  # noqa: B009 (the connection's property)

    def _new_conn(self) -> socket.socket:
        error: OSError | None = None
        for _family, address in self.address_rules.addresses(self._host(), self.port):
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as err:
                raise ConnectTimeoutError(
                    self, f"Connection to {self._host()} timed out (connect timeout={self.timeout})"
                ) from err
            except OSError as err:
                error = err
        # urllib3 types the first argument as its own connection class: this is one.
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")  # type: ignore[arg-type]


class _CheckedHTTPConnection(_CheckedConnect, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnect, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection  # pyright: ignore[reportAssignmentType] (urllib3 types it by protocol)


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection  # pyright: ignore[reportAssignmentType] (as above)


class _CheckedPoolManager(PoolManager):
    def __init__(self, address_rules: AddressRules, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.address_rules = address_rules
        self.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def _new_pool(self, scheme: str, host: str, port: int, request_context: Any = None) -> Any:
        pool = super()._new_pool(scheme, host, port, request_context)
        # Not a pool key (PoolManager keys pools by a fixed set of fields):
        # every pool of this manager shares the manager's rules.
        pool.conn_kw["address_rules"] = self.address_rules
        return pool


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, address_rules: AddressRules) -> None:
        self.address_rules = address_rules
        super().__init__()

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **kw: Any
    ) -> None:
        self.poolmanager = _CheckedPoolManager(
            self.address_rules, num_pools=connections, maxsize=maxsize, block=block, **kw
        )

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        raise AddressRefused("proxies are not used by the guarded client", blocked=True)


class GuardedSession(requests.Session):
    """A requests session whose every connection passes the address check."""

    def __init__(self, rules: AddressRules) -> None:
        super().__init__()
        self.rules = rules
        self.trust_env = False  # no environment proxies (see the module docstring)
        adapter = _CheckedAdapter(rules)
        self.mount("http://", adapter)
        self.mount("https://", adapter)


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators of a response, for a later conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> Validators:
        lowered = {key.lower(): value for key, value in headers.items()}
        last_modified = lowered.get("last-modified")
        if last_modified and not _is_strong_date(last_modified, lowered.get("date")):
            last_modified = None
        return cls(lowered.get("etag"), last_modified)

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def _is_strong_date(last_modified: str, date: str | None) -> bool:
    """RFC 9110 8.8.2.2: a Last-Modified is a strong validator only when the
    response's Date is a second or more later; a file changed again within
    that second would otherwise look unmodified."""
    try:
        return (
            date is not None
            and (parsedate_to_datetime(date) - parsedate_to_datetime(last_modified)).total_seconds()
            >= 1
        )
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def not_modified(self) -> bool:
        """The answer to a conditional request: the copy the caller has is current."""
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators.of(self.headers)

    def json(self) -> Any:
        return json.loads(self.content)


class FetchError(Exception):
    """A fetch that failed; ``str()`` names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class BlockedURLError(FetchError):
    """Refused before any connection: scheme or address not allowed."""


class ResponseTooLargeError(FetchError):
    pass


class FetchTimeoutError(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(self, url: str, status: int) -> None:
        super().__init__(url, f"HTTP {status}")
        self.status = status


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port filled in from the scheme."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def same_origin(first: str, second: str) -> bool:
    """Whether two URLs have one scheme, host and port (an http to https
    upgrade is another origin too: credentials meant for one are not sent to
    the other)."""
    return origin(first) == origin(second)


def without_query_keys(url: str, keys: Iterable[str]) -> str:
    """``url`` without the query parameters named ``keys``."""
    drop = frozenset(keys)
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(key in drop for key, _ in pairs):
        return url
    kept = urlencode([(key, value) for key, value in pairs if key not in drop])
    return urlunsplit(parts._replace(query=kept))


def check_url(url: str, policy: FetchPolicy) -> None:
    """Raise BlockedURLError if ``url`` itself may not be fetched under
    ``policy`` (scheme, host, port). Its addresses are checked by the
    connection that opens (GuardedSession), on what it really connects to."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for http://h:abc/)
    except ValueError as err:  # bad port, unbalanced IPv6 brackets …
        raise BlockedURLError(url, f"invalid URL: {err}") from None
    if parts.scheme.lower() not in policy.allowed_schemes:
        raise BlockedURLError(url, f"scheme {parts.scheme or '(none)'!r} is not allowed")
    if not parts.hostname:
        raise BlockedURLError(url, "no host in URL")


def fetch(
    url: str,
    policy: FetchPolicy | None = None,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: Any = None,
    session: GuardedSession | None = None,
    secret_params: Iterable[str] = (),
) -> FetchResult:
    """GET ``url`` under ``policy``; retries 5xx and timeouts when the policy says so.

    ``auth``, credential ``headers`` and the query parameters named in
    ``secret_params`` are sent to the origin of ``url`` only (see the module
    docstring).

    ``session`` (one of ``GuardedSession(AddressRules.of(policy))``) keeps
    connections alive between calls; without one, the call has its own.
    ``headers`` may carry ``Validators.request_headers()``: a ``304`` is then
    a result (``not_modified``), not an error.
    """
    policy = policy or FetchPolicy()
    rules = AddressRules.of(policy)
    if session is not None and session.rules != rules:
        raise ValueError("the session's address rules differ from the policy's")
    own = session is None
    http = GuardedSession(rules) if own else session
    attempt = 0
    try:
        while True:
            try:
                return _fetch_once(
                    url, policy, params, headers, auth, http, frozenset(secret_params)
                )
            except (FetchTimeoutError, HTTPStatusError) as err:
                retriable = isinstance(err, FetchTimeoutError) or err.status in RETRY_STATUSES
                if not retriable or attempt >= policy.retries:
                    raise
                time.sleep(policy.backoff * (2**attempt))
                attempt += 1
    finally:
        if own:
            http.close()


def fetch_all(
    targets: Iterable[tuple[str, str, Mapping[str, str]]],
    policy: FetchPolicy,
    *,
    workers: int = 4,
    budget: float | None = None,
) -> dict[str, FetchResult | FetchError]:
    """GET many URLs concurrently: ``(key, url, headers)`` in, ``{key: result
    or the FetchError it raised}`` out.

    Each worker thread keeps its own session (connections kept alive across
    its URLs). ``budget`` seconds bound the whole call: URLs not answered by
    then are left out of the result (the caller treats them as unknown).
    """
    local = threading.local()
    sessions: list[GuardedSession] = []
    rules = AddressRules.of(policy)

    def one(url: str, headers: Mapping[str, str]) -> FetchResult | FetchError:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = GuardedSession(rules)
            sessions.append(session)
        try:
            return fetch(url, policy, headers=headers, session=session)
        except FetchError as err:
            return err

    executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="net-fetch")
    try:
        futures = {executor.submit(one, url, headers): key for key, url, headers in targets}
        done, _late = wait_for(futures, timeout=budget)
        return {futures[future]: future.result() for future in done}
    finally:
        # Late requests are abandoned, not awaited: their own timeouts end them.
        executor.shutdown(wait=False, cancel_futures=True)
        for session in sessions:
            session.close()


def _fetch_once(
    url: str,
    policy: FetchPolicy,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    auth: Any,
    http: GuardedSession,
    secret_params: frozenset[str],
) -> FetchResult:
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    current = url
    # The URL whose origin the credentials are for; None once they are dropped.
    trusted: str | None = url
    for _ in range(policy.max_redirects + 1):
        check_url(current, policy)
        try:
            response = http.get(
                current,
                params=params,
                headers=request_headers,
                auth=auth,
                timeout=policy.timeout,
                allow_redirects=False,
                stream=True,
            )
        except AddressRefused as err:
            error = BlockedURLError if err.blocked else FetchError
            raise error(current, err.reason) from None
        except requests.Timeout:
            raise FetchTimeoutError(current, f"no answer within {policy.timeout:g} s") from None
        except requests.RequestException as err:
            raise FetchError(current, f"connection failed: {err.__class__.__name__}") from None
        except ValueError as err:  # urllib3's LocationParseError: a host it cannot use
            raise BlockedURLError(current, f"invalid URL: {err}") from None
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                try:
                    current = urljoin(current, location)
                    if trusted is not None and not same_origin(trusted, current):
                        # Once the chain leaves the origin the credentials
                        # were meant for, none are sent again, even back there.
                        trusted, auth = None, None
                        request_headers = _without_credentials(request_headers)
                    if trusted is None:
                        current = without_query_keys(current, secret_params)
                except ValueError as err:
                    raise BlockedURLError(location, f"invalid redirect: {err}") from None
                params = None  # already part of the redirected URL
                continue
            if response.status_code >= 400:
                raise HTTPStatusError(current, response.status_code)
            content = _read_capped(response, current, policy)
            return FetchResult(current, response.status_code, dict(response.headers), content)
    raise FetchError(url, f"more than {policy.max_redirects} redirects")


def _without_credentials(headers: Mapping[str, str]) -> dict[str, str]:
    return {key: value for key, value in headers.items() if key.lower() not in CREDENTIAL_HEADERS}


def _read_capped(response: requests.Response, url: str, policy: FetchPolicy) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise ResponseTooLargeError(
            url, f"declared size {int(declared)} bytes exceeds the limit of {policy.max_bytes}"
        )
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + policy.timeout * 4
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > policy.max_bytes:
                raise ResponseTooLargeError(
                    url, f"response exceeds the limit of {policy.max_bytes} bytes"
                )
            if time.monotonic() > deadline:
                raise FetchTimeoutError(url, "download too slow (total time limit)")
            chunks.append(chunk)
    except requests.Timeout:
        raise FetchTimeoutError(url, f"read stalled for {policy.timeout:g} s") from None
    except requests.RequestException as err:
        raise FetchError(url, f"download failed: {err.__class__.__name__}") from None
    return b"".join(chunks)
