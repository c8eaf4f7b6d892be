"""Fetching a partner hub's feed safely: one deadline for the whole request, and redirect rules.

`casehub sync` (federation.py) calls `fetch` for each hub. A partner's server is
not trusted: it may trickle bytes to hold the run, redirect to the cloud metadata
address (169.254.169.254) or to a private network, or send more than we will
keep. `fetch` gives every socket wait only the time left before the deadline,
follows at most five redirects that stay on http(s), never go from https to
http and never reach link-local, multicast, reserved or unspecified addresses
(nor private ones from a public hub), and caps the size. It raises only
`FetchError`, with a message fit for the sync report.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import time
from urllib.parse import urljoin, urlsplit

from ..core.findings import CasehubError

TIMEOUT_SECONDS = 30
MAX_FEED_BYTES = 20 * 1024 * 1024
_SHOWN = re.compile(r"[^\x20-\x7e\u00a0-\u200a\u2010-\u2027\u2030-\u205f]")  # what a report may echo


class FetchError(CasehubError):
    """A hub's feed could not be fetched."""


def printable(value) -> str:
    """A partner's text with anything a terminal or report could misread replaced by '?'."""
    return _SHOWN.sub("?", str(value))


def shown(value, limit: int = 60) -> str:
    """A partner's text as a report may print it: no control characters, and short."""
    text = printable(value)
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


MAX_REDIRECTS = 5


def _address_problem(host: str, port: int, first: bool, first_global: bool) -> str | None:
    """Why a host may not be fetched from (None if it may): the checks against server-side request
    forgery. No address that is link-local (169.254.169.254, the cloud metadata service), multicast,
    reserved or unspecified, ever; and a redirect from a public address may not lead to a private one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        return f"the hub's address {shown(host)} could not be looked up ({shown(error)})"
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_link_local or address.is_multicast or address.is_reserved or address.is_unspecified:
            return f"{shown(host)} is at {address}, an address a feed may not come from"
        if not first and first_global and not address.is_global:
            return f"the feed redirects from a public address to a private one ({shown(host)})"
    return None


def _is_global(host: str, port: int) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global
                   for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    except (OSError, UnicodeError, ValueError):
        return False


def fetch(url: str, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_FEED_BYTES) -> bytes:
    """The bytes at an http(s) address, within a time limit for the whole request and a size cap;
    raises FetchError.

    The deadline covers connecting, every redirect and every read, however slowly a server
    trickles bytes: each socket wait is given only the time that is left. Redirects (at most
    five) stay on http(s), never go from https to http, and never reach link-local, multicast or
    reserved addresses, nor private ones from a public hub."""
    deadline = time.monotonic() + timeout

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"the feed took longer than {timeout:g} seconds")
        return remaining

    first_global = None
    for hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{shown(url)} is not an http(s) address")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{shown(url)} is not an http(s) address") from None
        if first_global is None:
            first_global = _is_global(parts.hostname, port)
        problem = _address_problem(parts.hostname, port, hop == 0, first_global)
        if problem:
            raise FetchError(problem)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname, port, timeout=left())
        sock = response = None
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers={"Accept": "application/json", "User-Agent": "casehub-sync"})
            sock = connection.sock  # kept: the connection lets go of it when the response will close it
            sock.settimeout(left())
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location") or ""
                following = urljoin(url, location)
                if parts.scheme == "https" and urlsplit(following).scheme != "https":
                    raise FetchError(f"the feed redirects from https to a less safe address ({shown(following)})")
                if urlsplit(following).scheme not in ("http", "https"):
                    raise FetchError(f"the feed redirects to a non-web address ({shown(following)})")
                url = following
                continue
            if response.status != 200:
                raise FetchError(f"the hub answered {response.status} {shown(response.reason)}")
            chunks, size = [], 0
            while True:
                sock.settimeout(left())
                chunk = response.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"the feed is over the limit of {limit:,} bytes")
            left()
            return b"".join(chunks)
        except TimeoutError:
            raise FetchError(f"the feed took longer than {timeout:g} seconds") from None
        except ConnectionRefusedError:
            raise FetchError("the hub could not be reached (connection refused)") from None
        except (OSError, ValueError, http.client.HTTPException) as error:
            raise FetchError(f"the feed could not be read ({type(error).__name__}: {shown(error)})") from None
        finally:
            if response is not None:
                response.close()
            if sock is not None:
                sock.close()
            connection.close()
    raise FetchError(f"the feed redirects more than {MAX_REDIRECTS} times")


