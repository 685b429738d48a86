"""The SSRF guard: where a webhook may be sent.

A destination is refused when its URL is not ``https`` (unless
``CONTENT_HUB_WEBHOOKS_ALLOW_HTTP``) or when its host is, or resolves to, an
address that is not public: loopback, private, shared (CGNAT), link-local
(cloud metadata at 169.254.169.254 included), multicast, reserved,
unspecified, or the IPv6 metadata address ``fd00:ec2::254`` (unless
``CONTENT_HUB_WEBHOOKS_ALLOW_PRIVATE``). IPv4-mapped IPv6 addresses are
judged by the IPv4 address they carry.

It is checked twice: when a subscription is saved (a clear 422), and at
every connection. The second check is the one that matters: a name can
resolve to a public address when it is saved and to ``127.0.0.1`` later (DNS
rebinding). :class:`PinnedTransport` therefore resolves the name itself,
checks every address, and connects to the checked address, with the
original name kept for the ``Host`` header, TLS SNI and certificate checks,
so no second lookup can switch the destination.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import httpx

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> addresses``: the system's by default, injected by tests."""
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
MAX_TRANSPORTS = 256


class Refused(Exception):
    """A destination the guard does not allow (the message says why)."""


class Unresolvable(Refused):
    """The name does not resolve (now): nothing to connect to."""


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def forbidden(address: IP) -> bool:
    """Whether ``address`` is not a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in METADATA
        or not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


def check_url(url: str, *, allow_http: bool) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a URL the hub may post to, by its syntax
    alone; :class:`Refused` otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"not a valid URL: {exc}") from None
    schemes = {"https", "http"} if allow_http else {"https"}
    if parts.scheme not in schemes:
        raise Refused(
            "the URL must be https"
            + ("" if allow_http else " (CONTENT_HUB_WEBHOOKS_ALLOW_HTTP allows http)")
            if parts.scheme in {"http", "https"}
            else "the URL must be http(s)"
        )
    if not parts.hostname:
        raise Refused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials in the URL are not allowed (use headers)")
    if parts.fragment:
        raise Refused("the URL may not have a #fragment")
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default


async def safe_addresses(
    host: str, port: int, resolver: Resolver, *, allow_private: bool
) -> list[str]:
    """Every address ``host`` stands for, all of them allowed; :class:`Refused`
    if any is not (a name with one private address among public ones is
    refused: which one a client picks is not ours to know)."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise Unresolvable(f"{host} does not resolve: {exc}") from None
    if not addresses:
        raise Unresolvable(f"{host} does not resolve")
    if not allow_private:
        for text in addresses:
            if forbidden(ipaddress.ip_address(text.split("%", 1)[0])):
                raise Refused(
                    f"{host} resolves to {text}, a loopback, private, link-local or "
                    "metadata address (CONTENT_HUB_WEBHOOKS_ALLOW_PRIVATE allows it)"
                )
    return addresses


class PinnedTransport(httpx.AsyncBaseTransport):
    """Resolve, check every address, connect to the checked one.

    The request keeps its URL's name in ``Host`` and as the TLS server name
    (SNI and certificate verification); only the connection goes to the
    pinned address. One pooled transport per host name, so a connection made
    for one name is never reused for another that shares its address; each
    keeps up to ``limits`` connections open (httpx's default keeps only 20
    alive, so 64 concurrent sends to one receiver would open and close a
    connection for most requests).
    """

    def __init__(
        self,
        resolver: Resolver = system_resolver,
        *,
        allow_private: bool = False,
        allow_http: bool = False,
        limits: httpx.Limits | None = None,
    ) -> None:
        self.resolver = resolver
        self.allow_private = allow_private
        self.allow_http = allow_http
        self.limits = limits or httpx.Limits()
        self._pools: OrderedDict[str, httpx.AsyncHTTPTransport] = OrderedDict()

    def _pool(self, host: str) -> httpx.AsyncHTTPTransport:
        pool = self._pools.pop(host, None) or httpx.AsyncHTTPTransport(
            retries=0, limits=self.limits
        )
        self._pools[host] = pool
        while len(self._pools) > MAX_TRANSPORTS:
            _, old = self._pools.popitem(last=False)
            asyncio.get_running_loop().create_task(old.aclose())
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            _, host, port = check_url(str(request.url), allow_http=self.allow_http)
            addresses = await safe_addresses(
                host, port, self.resolver, allow_private=self.allow_private
            )
        except Refused as exc:
            raise httpx.ConnectError(f"refused: {exc}", request=request) from exc
        pinned = addresses[0].split("%", 1)[0]
        request.url = request.url.copy_with(host=pinned)
        request.extensions = {**request.extensions, "sni_hostname": host}
        return await self._pool(host).handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.aclose()
