"""Who a request comes from, as rate limits count it."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import request


def client_key() -> str:
    """The client address that limits count against. An IPv6 address is taken by its /64: one
    household or phone is given a whole /64 and can use any address in it, so counting single
    addresses would give it some 18 quintillion fresh budgets."""
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return address


def is_cross_site() -> bool:
    """True when the browser says the request was started by another site (a form or script there).

    The session cookie is SameSite=Lax, so such a POST arrives without it: anything the answer puts
    in a session would replace the person's own cookie and log them out. Browsers that know SameSite
    send ``Sec-Fetch-Site`` or ``Origin`` with a POST; one without either is from a browser that
    also sent the cookie, so nothing would be replaced."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "cross-site"
    origin = request.headers.get("Origin")
    if not origin:
        return False
    return origin == "null" or urlsplit(origin).netloc != request.host
