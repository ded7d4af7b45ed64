"""Signing in and switching language, in the browser."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_language(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    shot("login-zh")
    login(cast.alice)
    assert page.locator(".whoami").inner_text() == cast.alice.name
    shot("signed-in-zh")
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.nav").get_by_text("My customers").is_visible()
    shot("signed-in-en")
    page.locator(".lang-switch button[value=zh-hans]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
