"""Which address a log-in is counted under, with and without trusted proxies in front."""

import pytest
from django.test import RequestFactory

from guishu.accounts.client_address import client_address, throttle_key


def request(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/login/", **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.GUISHU_TRUSTED_PROXY_COUNT = 0
    assert client_address(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.GUISHU_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real one.
    forged = request("10.0.0.2", "1.2.3.4, 203.0.113.5")
    assert client_address(forged) == "203.0.113.5"


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.GUISHU_TRUSTED_PROXY_COUNT = 2
    assert client_address(request("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"


def test_a_short_or_garbled_header_falls_back_to_the_connection(settings):
    settings.GUISHU_TRUSTED_PROXY_COUNT = 2
    assert client_address(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    settings.GUISHU_TRUSTED_PROXY_COUNT = 1
    assert client_address(request("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_a_request_without_any_usable_address_counts_under_none(settings):
    settings.GUISHU_TRUSTED_PROXY_COUNT = 0
    assert client_address(request("")) is None


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_ipv6_is_counted_per_slash_64_and_mapped_ipv4_as_ipv4(address: str, key: str):
    assert throttle_key(address) == key
