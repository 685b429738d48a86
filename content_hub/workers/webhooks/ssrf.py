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
rebinding). :class:`GuardedClient` therefore resolves every name itself
(:class:`GuardedResolver`), checks every address, and connects to the
checked address, with the original name kept for the ``Host`` header, TLS
SNI and certificate checks, so no second lookup can switch the destination.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> addresses``: the system's by default, injected by tests."""
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


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


class GuardedResolver(AbstractResolver):
    """aiohttp's name lookup, through the guard: the connector connects to
    the addresses returned here, all of them checked, and only to those, so
    no second lookup can switch the destination. The URL's name stays the
    ``Host`` header, the TLS server name and the key of the connection pool
    (a connection made for one name is never reused for another that shares
    its address)."""

    def __init__(self, resolver: Resolver, *, allow_private: bool) -> None:
        self.resolver = resolver
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            addresses = await safe_addresses(
                host, port, self.resolver, allow_private=self.allow_private
            )
        except Refused as exc:  # the connector reports an OSError's strerror
            raise OSError(errno.EACCES, f"refused: {exc}") from exc
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class GuardedClient:
    """Posts to webhook receivers through the guard (an aiohttp session:
    about eight times the sends per second of httpx on one core).

    Every new connection resolves its name through :class:`GuardedResolver`
    (no DNS cache); an address in the URL itself (which aiohttp connects to
    without a lookup) is checked here before the request. Redirects are
    not followed; at most ``concurrency`` connections, ``per_host`` to one
    host; ``timeout`` bounds each request.
    """

    def __init__(
        self,
        resolver: Resolver = system_resolver,
        *,
        allow_private: bool = False,
        allow_http: bool = False,
        concurrency: int = 64,
        per_host: int = 8,
        timeout: float = 5.0,
    ) -> None:
        self.resolver = resolver
        self.allow_private = allow_private
        self.allow_http = allow_http
        self.concurrency = concurrency
        self.per_host = per_host
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GuardedClient:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.resolver, allow_private=self.allow_private),
            use_dns_cache=False,
            limit=self.concurrency,
            limit_per_host=self.per_host,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(
        self, url: str, body: bytes, headers: dict[str, str], *, read: int
    ) -> tuple[int, bytes]:
        """``(status, at most read bytes of the response body)``;
        :class:`Refused` for a destination the guard does not allow,
        ``aiohttp.ClientError`` or ``TimeoutError`` when sending fails."""
        if self._session is None:
            raise RuntimeError("GuardedClient is used outside `async with`")
        _, host, port = check_url(url, allow_http=self.allow_http)
        if _is_address(host):  # aiohttp connects to it without asking the resolver
            await safe_addresses(
                host, port, self.resolver, allow_private=self.allow_private
            )
        async with self._session.post(
            url, data=body, headers=headers, allow_redirects=False
        ) as response:
            head = bytearray()
            while len(head) < read:
                chunk = await response.content.read(read - len(head))
                if not chunk:
                    break
                head += chunk
            return response.status, bytes(head)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
