"""Sessions: a new key at log-in, an idle timeout that any page view renews, a fixed end
twelve hours after log-in, and every session of a disabled user ended at once."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guishu.accounts.models import UserSession
from guishu.accounts.sessions import user_sessions_end
from guishu.api.models import ApiToken
from tests.security.conftest import log_in, logged_in

pytestmark = pytest.mark.db_facing

LIST = reverse("customer-list")


def sent_to_login(response) -> bool:  # type: ignore[no-untyped-def]
    location = urlsplit(response.get("Location", ""))
    return response.status_code == 302 and location.path == reverse("login")


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# Rotation


def test_logging_in_rotates_the_session_key(cast, client):
    client.session.save()  # an anonymous session, as a visitor might already hold
    before = session_key(client)
    assert Session.objects.filter(session_key=before).exists()

    assert logged_in(log_in(client, "alice"))

    after = session_key(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()  # the old key is dead
    assert client.get(LIST).status_code == 200


# Which sessions are whose


def test_logging_in_records_the_session_as_the_users(cast, client):
    log_in(client, "alice")
    assert list(UserSession.objects.values_list("session_id", "user_id")) == [
        (session_key(client), cast.alice.pk)
    ]


def test_logging_out_removes_the_record(cast, client):
    log_in(client, "alice")
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_a_session_that_expires_takes_its_record_along(cast, client):
    log_in(client, "alice")
    Session.objects.all().delete()  # what `clearsessions` does to expired ones
    assert not UserSession.objects.exists()


# The idle timeout


def test_an_idle_session_is_logged_out_and_sent_to_log_in(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "alice")
        key = session_key(client)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = client.get(LIST)
        assert sent_to_login(response)
        assert "next=" in response["Location"]
        assert not Session.objects.filter(session_key=key).exists()
        page = client.get(response["Location"])
    notes = [str(message) for message in page.context["messages"]]
    assert notes == ["You were logged out after 60 minutes without activity."]


def test_using_the_session_renews_the_idle_timeout(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "alice")
    for minutes in (55, 110, 165):  # each visit inside the hour the previous one opened
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(LIST).status_code == 200


def test_the_idle_limit_is_a_setting(cast, client, settings):
    assert settings.GUISHU_SESSION_IDLE_MINUTES == 60
    settings.GUISHU_SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "alice")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert sent_to_login(client.get(LIST))


# The absolute age


def test_a_session_ends_twelve_hours_after_log_in_however_busy(cast, client):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "alice")
    minutes = 0
    while minutes + 50 < 12 * 60:
        minutes += 50
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(LIST).status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert sent_to_login(client.get(LIST))


# Disabling a user


def test_disabling_a_user_ends_their_sessions_and_tokens(cast):
    browser, elsewhere, bobs = Client(), Client(), Client()
    log_in(browser, "alice")
    log_in(elsewhere, "alice", address="192.0.2.80")
    log_in(bobs, "bob")
    alices_keys = {session_key(browser), session_key(elsewhere)}
    _token, key = ApiToken.issue(user=cast.alice, name="laptop")
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get("/api/v1/tokens/").status_code == 200

    cast.alice.is_active = False
    cast.alice.save()

    assert not Session.objects.filter(session_key__in=alices_keys).exists()
    assert not UserSession.objects.filter(user=cast.alice).exists()
    assert sent_to_login(browser.get(LIST))
    assert sent_to_login(elsewhere.get(LIST))
    assert api.get("/api/v1/tokens/").status_code == 401
    assert bobs.get(LIST).status_code == 200  # nobody else is logged out


def test_ending_a_users_sessions_is_one_delete(cast):
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        log_in(Client(), "alice", address=address)
    log_in(Client(), "bob")
    with CaptureQueriesContext(connection) as queries:
        assert user_sessions_end(user_id=cast.alice.pk) == 3
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("DELETE")
    assert Session.objects.count() == 1  # Bob's


def test_deleting_a_user_ends_their_sessions(cast, client):
    log_in(client, "dave")
    key = session_key(client)
    cast.dave.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_taken_over_by_another_user_is_recorded_as_theirs(cast, client):
    """login() flushes a session that belonged to someone else, leaving it keyless for a
    moment; the new user's session must still be recorded, and the old one gone."""
    client.force_login(cast.bob)
    bobs = session_key(client)
    client.force_login(cast.alice)
    assert not Session.objects.filter(session_key=bobs).exists()
    assert list(UserSession.objects.values_list("session_id", "user_id")) == [
        (session_key(client), cast.alice.pk)
    ]
