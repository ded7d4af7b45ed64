"""The address a request came from, as the log-in throttle counts it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# One subscriber usually gets a whole IPv6 /64; counting single addresses would let an attacker
# step to a fresh address after every lock.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request does not carry a usable one.

    Behind `GUISHU_TRUSTED_PROXY_COUNT` proxies, the address is the one the outermost trusted
    proxy saw, read from the right of X-Forwarded-For: entries further left come from the
    client and could be forged. With no trusted proxies the header is ignored entirely. When
    the header is shorter than the proxy chain or garbled, the connecting address counts.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    candidates = [remote]
    proxies = settings.GUISHU_TRUSTED_PROXY_COUNT
    if proxies > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidates.insert(0, forwarded[-proxies])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def throttle_key(address: str) -> str:
    """The key failures from `address` are counted under: the address, or its /64 for IPv6
    (an IPv4 address written the IPv6 way, ::ffff:a.b.c.d, counts as the IPv4 address)."""
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
