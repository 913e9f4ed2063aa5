"""Where a webhook may point, and the one HTTP POST of a delivery attempt.

A receiver's URL is http or https, and its host must not resolve to a loopback, private,
link-local or otherwise non-public address (a webhook must not reach into the network the
server sits in) unless settings.WEBHOOK_ALLOW_PRIVATE_URLS, as tests and local set-ups
have. The check runs when the URL is saved and again at every attempt, and the POST
connects to the very address that was checked (a DNS answer that changes between the check
and the connection cannot redirect it), never following redirects.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError

SCHEMES = ("http", "https")
# What is kept of a receiver's answer for last_error.
ANSWER_CHARS = 500


class UnsafeURL(ValueError):
    """The URL is not one a webhook may call."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeURL("Only http and https URLs are allowed.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    return parts.hostname


def url_resolve(url: str) -> tuple[str, list[str]]:
    """(host, the addresses to connect to) of an http(s) URL; UnsafeURL when the scheme is
    another, the host is missing or does not resolve, or (unless private URLs are allowed)
    any of its addresses is not public."""
    host = _host(url)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise UnsafeURL(f"The host {host} does not resolve.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.WEBHOOK_ALLOW_PRIVATE_URLS and not all(map(_is_public, addresses)):
        raise UnsafeURL(
            f"The host {host} resolves to a loopback, private or reserved address; "
            "webhooks call public addresses only."
        )
    return host, addresses


def webhook_url_validate(url: str) -> None:
    """The model field's validator (400 on `url` in the API, a form error in the admin).
    Where private URLs are allowed the host is not looked up: it is checked at each send."""
    try:
        if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
            _host(url)
        else:
            url_resolve(url)
    except UnsafeURL as exc:
        raise ValidationError(str(exc), code="unsafe_url") from exc


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (refused, timed out, unsafe)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST `body` to `url` once: no redirect followed, no retry, `timeout` seconds for the
    connection and for each read."""
    try:
        host, addresses = url_resolve(url)
    except UnsafeURL as exc:
        return Answer(None, f"Refused: {exc}")
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    name = f"[{host}]" if ":" in host else host
    host_header = name if port == (443 if https else 80) else f"{name}:{port}"
    options = {"server_hostname": host, "assert_hostname": host} if https else {}
    pool_class = HTTPSConnectionPool if https else HTTPConnectionPool
    # The checked address, not the name: a second DNS answer is never used.
    pool = pool_class(
        addresses[0], port, timeout=Timeout(connect=timeout, read=timeout), retries=False, **options
    )
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
        )
        try:
            text = response.read(ANSWER_CHARS, decode_content=False).decode(errors="replace")
        finally:
            response.release_conn()
    except (HTTPError, OSError) as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        pool.close()
    if 200 <= response.status < 300:
        return Answer(response.status)
    return Answer(response.status, f"HTTP {response.status}: {text}".strip())
