"""Log-in throttling through the real login page: failures are counted per username and per
client address in the database, a lock refuses even the right password without checking it,
and a success clears the username's count."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from guishu.accounts.models import LoginThrottle, User
from tests.security.conftest import form_errors, log_in, logged_in

pytestmark = pytest.mark.db_facing

LOCK_MESSAGE = "Too many failed log-in attempts"


def fail(client: Client, username: str, times: int, *, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong-password", address=address)
        assert not logged_in(response)


def test_the_limits_are_settings_with_the_documented_defaults():
    assert settings.GUISHU_LOGIN_USERNAME_FAILURES == 5
    assert settings.GUISHU_LOGIN_ADDRESS_FAILURES == 30
    assert settings.GUISHU_LOGIN_WINDOW_MINUTES == 15
    assert settings.GUISHU_LOGIN_LOCKOUT_MINUTES == 15


def test_a_wrong_password_gets_the_ordinary_error_until_the_limit(cast, client):
    fail(client, "alice", 3)
    response = log_in(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert not any(LOCK_MESSAGE in error for error in form_errors(response))
    assert log_in(client, "alice").status_code == 302


def test_five_failures_lock_the_username_even_against_the_right_password(cast, client):
    fail(client, "alice", 4)
    fifth = log_in(client, "alice", "wrong-password")
    assert any(LOCK_MESSAGE in error for error in form_errors(fifth))

    response = log_in(client, "alice", address="192.0.2.1")  # right password, other address
    assert not logged_in(response)
    assert form_errors(response) == [
        "Too many failed log-in attempts. Please try again in 15 minutes."
    ]
    # Another user from the same address is not affected.
    assert logged_in(log_in(Client(), "bob"))


def test_a_locked_login_does_not_check_the_password(cast, client, monkeypatch):
    fail(client, "alice", 5)
    checked: list[str] = []
    original = User.check_password

    def spy(self: User, raw_password: str) -> bool:
        checked.append(self.username)
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", spy)
    log_in(client, "alice")
    assert checked == []
    log_in(client, "bob")
    assert checked == ["bob"]  # the spy does see unlocked log-ins


def test_the_lock_lifts_after_the_lockout_period(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, "alice", 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert form_errors(log_in(client, "alice")) == [
            "Too many failed log-in attempts. Please try again in 1 minute."
        ]
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert logged_in(log_in(client, "alice"))


def test_failures_spread_wider_than_the_window_do_not_lock(cast, client):
    start = timezone.now()
    for step in range(8):
        with time_machine.travel(start + timedelta(minutes=4 * step), tick=False):
            fail(client, "alice", 1)
    assert logged_in(log_in(client, "alice"))


def test_a_success_clears_the_usernames_count(cast, client):
    fail(client, "alice", 4)
    assert logged_in(log_in(Client(), "alice"))
    fail(client, "alice", 4)  # four more would have been nine in a row
    assert logged_in(log_in(Client(), "alice"))


def test_unknown_usernames_are_locked_like_real_ones(db, client):
    """A lock must not tell an attacker which usernames exist."""
    fail(client, "nobody-by-this-name", 5)
    assert any(LOCK_MESSAGE in e for e in form_errors(log_in(client, "nobody-by-this-name")))


def test_thirty_failures_from_one_address_lock_the_address(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(30):  # spread over usernames, so no username reaches its own limit
        fail(client, f"guess-{n % 10}", 1, address="198.51.100.20")
    refused = log_in(client, "alice", address="198.51.100.20")
    assert not logged_in(refused)
    assert any(LOCK_MESSAGE in error for error in form_errors(refused))
    # Alice herself, from her own address, is not locked out.
    assert logged_in(log_in(Client(), "alice", address="192.0.2.44"))


def test_a_success_does_not_clear_the_addresss_count(cast):
    """Otherwise one valid account would let an attacker reset their address at will."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(29):
        fail(client, f"guess-{n % 10}", 1, address="198.51.100.20")
    assert logged_in(log_in(Client(), "alice", address="198.51.100.20"))
    fail(Client(), "guess-x", 1, address="198.51.100.20")
    assert not logged_in(log_in(Client(), "bob", address="198.51.100.20"))


def test_ipv6_clients_are_counted_per_slash_64(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(30):
        fail(client, f"guess-{n % 10}", 1, address=f"2001:db8:1:2::{n + 1:x}")
    assert not logged_in(log_in(Client(), "alice", address="2001:db8:1:2::ffff"))
    assert logged_in(log_in(Client(), "alice", address="2001:db8:1:3::1"))


def test_counts_live_in_the_database(cast, client):
    """Every web process sees the same counts: they are rows, not process memory."""
    fail(client, "alice", 2, address="198.51.100.9")
    rows = {(row.scope, row.key): row.failures for row in LoginThrottle.objects.all()}
    assert rows == {("username", "alice"): 2, ("address", "198.51.100.9"): 2}


def test_stale_counts_are_pruned_as_new_failures_arrive(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, "alice", 1, address="198.51.100.9")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        fail(client, "bob", 1, address="198.51.100.10")
    assert set(LoginThrottle.objects.values_list("key", flat=True)) == {"bob", "198.51.100.10"}


def test_failures_and_lockouts_are_logged(cast, client, caplog):
    caplog.set_level(logging.INFO, logger="guishu.security")
    fail(client, "alice", 5, address="198.51.100.9")
    log_in(client, "alice", address="198.51.100.9")
    messages = [r.getMessage() for r in caplog.records if r.name == "guishu.security"]
    assert sum("login failed: username 'alice' from 198.51.100.9" in m for m in messages) == 5
    assert any(m.startswith("login locked: username 'alice' until ") for m in messages)
    assert any("login refused while locked: username 'alice'" in m for m in messages)
    assert not any("pw-for-tests-1" in m or "wrong-password" in m for m in messages)
