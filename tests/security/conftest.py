"""Helpers for the hardening tests: logging in through the real login page."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

PASSWORD = "pw-for-tests-1"  # what tests.factories.make_user gives everyone
LOGIN = reverse("login")


def log_in(
    client: Client, username: str, password: str = PASSWORD, *, address: str = "203.0.113.7"
) -> Any:
    """Posts the login form as a browser at `address` would."""
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response: Any) -> bool:
    """The login form redirects on success and answers 200 with errors otherwise."""
    return response.status_code == 302 and response["Location"] == reverse("home")


def form_errors(response: Any) -> list[str]:
    return [str(error) for error in response.context["form"].non_field_errors()]


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages under test are compared in English: the browser asks for English, and
    lazily translated messages are read in English too."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")
