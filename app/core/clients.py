"""Who a request comes from, as rate limits count it."""
from __future__ import annotations

import ipaddress

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
