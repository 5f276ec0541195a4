"""Rate limits count a client by its address, and an IPv6 client by the /64 it was given."""
import pytest

from app.core.clients import client_key


@pytest.mark.parametrize("address, key", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
])
def test_addresses_in_one_ipv6_64_share_one_key(app, address, key):
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert client_key() == key
