"""Response headers: the Content Security Policy, nosniff, Referrer-Policy, no framing,
`Cache-Control: no-store` on everything but static files and the login page, and cookies that
scripts cannot read and other sites cannot send."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from guishu.web.middleware import NoStoreMiddleware
from tests.factories import register
from tests.security.conftest import log_in

pytestmark = pytest.mark.db_facing


def directives(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.fixture
def alices_pages(cast, client):  # type: ignore[no-untyped-def]
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.alice)
    return {
        "list": client.get(reverse("customer-list")),
        "detail": client.get(reverse("customer-detail", kwargs={"customer_id": acme.pk})),
        "register": client.get(reverse("customer-register")),
        "missing": client.get(reverse("customer-detail", kwargs={"customer_id": 999_999})),
    }


def test_pages_carry_a_strict_content_security_policy(alices_pages):
    for name, response in alices_pages.items():
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive], name
            assert "'unsafe-eval'" not in policy[directive], name


def test_pages_without_inline_code_get_no_nonce(alices_pages):
    """A nonce is minted only when a template asks for one; the app's pages never do."""
    for name, response in alices_pages.items():
        assert "nonce-" not in response["Content-Security-Policy"], name


def test_pages_forbid_sniffing_framing_and_leaking_referrers(alices_pages, client):
    for name, response in [*alices_pages.items(), ("login", client.get(reverse("login")))]:
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name


def test_every_page_with_customer_data_is_no_store(alices_pages):
    for name, response in alices_pages.items():
        assert "no-store" in response["Cache-Control"], name


def test_every_api_response_is_no_store(cast, client):
    assert "no-store" in client.get("/api/v1/tokens/")["Cache-Control"]  # 401
    client.force_login(cast.alice)
    answer = client.get("/api/v1/tokens/")
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]


def test_redirects_to_log_in_are_no_store(db, client):
    response = client.get(reverse("customer-list"))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/static/guishu/app.css", False),
        ("/login/", False),
        ("/customers/", True),
        ("/api/v1/customers/", True),
        ("/staticky/", True),
    ],
)
def test_only_static_files_and_the_login_page_may_be_cached(path, marked):
    middleware = NoStoreMiddleware(lambda request: HttpResponse("x"))
    response = middleware(RequestFactory().get(path))
    assert ("no-store" in response.get("Cache-Control", "")) is marked


def test_cookies_are_http_only_and_same_site(cast, client):
    client.get(reverse("login"))  # sets the CSRF cookie
    response = log_in(client, "alice")
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
    language = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = language.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
