"""Guarded HTTP client for everything the portal fetches from outside
(harvest sources, URL resources).

Guards against server-side request forgery and resource exhaustion: only http
and https, no private, loopback, link-local or otherwise non-public address
unless the caller's policy allows it (local tests and demo feeds do), every
redirect re-checked, connect/read timeouts, a byte cap enforced while
streaming, and bounded retries with exponential backoff on 5xx and timeouts.

The address check resolves the host before connecting; a DNS answer that
changes between check and connect is not caught (documented limitation).
Pure Python: no CKAN import.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

USER_AGENT = "ckanext-satudata (+https://github.com/satudata/ckanext-satudata)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})


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
class FetchResult:
    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def json(self) -> Any:
        import json

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


def check_url(url: str, policy: FetchPolicy) -> None:
    """Raise BlockedURLError if ``url`` may not be fetched under ``policy``."""
    try:
        parts = urlsplit(url)
        explicit_port = parts.port  # raises for http://h:abc/
    except ValueError as err:  # bad port, unbalanced IPv6 brackets …
        raise BlockedURLError(url, f"invalid URL: {err}") from None
    if parts.scheme.lower() not in policy.allowed_schemes:
        raise BlockedURLError(url, f"scheme {parts.scheme or '(none)'!r} is not allowed")
    host = parts.hostname
    if not host:
        raise BlockedURLError(url, "no host in URL")
    if policy.allow_private:
        return
    port = explicit_port or (443 if parts.scheme.lower() == "https" else 80)
    if f"{host.lower()}:{port}" in policy.allowed_private_hosts:
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as err:
        raise FetchError(url, f"cannot resolve host {host!r}: {err.strerror}") from None
    except UnicodeError:  # a label IDNA cannot encode (empty, over 63 characters)
        raise BlockedURLError(url, f"invalid host name {host!r}") from None
    for info in infos:
        address = str(info[4][0])
        if not _is_public(address):
            raise BlockedURLError(
                url, f"host {host!r} resolves to non-public address {address}; not allowed"
            )


def fetch(
    url: str,
    policy: FetchPolicy | None = None,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: Any = None,
    session: requests.Session | None = None,
) -> FetchResult:
    """GET ``url`` under ``policy``; retries 5xx and timeouts when the policy says so."""
    policy = policy or FetchPolicy()
    attempt = 0
    while True:
        try:
            return _fetch_once(url, policy, params, headers, auth, session)
        except (FetchTimeoutError, HTTPStatusError) as err:
            retriable = isinstance(err, FetchTimeoutError) or err.status in RETRY_STATUSES
            if not retriable or attempt >= policy.retries:
                raise
            time.sleep(policy.backoff * (2**attempt))
            attempt += 1


def _fetch_once(
    url: str,
    policy: FetchPolicy,
    params: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    auth: Any,
    session: requests.Session | None,
) -> FetchResult:
    http = session or requests.Session()
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    current = url
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
                except ValueError as err:
                    raise BlockedURLError(location, f"invalid redirect: {err}") from None
                params = None  # already part of the redirected URL
                continue
            if response.status_code >= 400:
                raise HTTPStatusError(current, response.status_code)
            content = _read_capped(response, current, policy)
            return FetchResult(current, response.status_code, dict(response.headers), content)
    raise FetchError(url, f"more than {policy.max_redirects} redirects")


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
