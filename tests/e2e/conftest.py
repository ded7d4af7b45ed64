"""End-to-end tests: Debian's chromium, driven headless by Playwright, against the app served
by pytest-django's live server (a real HTTP server on a thread, on the test database).

Every test gets `shot(name)`, which saves a full-page screenshot under artifacts/e2e/<test>/;
CI keeps that folder. The browser is found on PATH (scripts/ensure-chromium installs it);
Playwright never downloads one.

Every browser test lives here, in tests/e2e: re-exporting these fixtures from another folder's
conftest starts a second session-wide Playwright, which its sync API refuses.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own database calls (the
# fixtures that build the world) are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
PASSWORD = "pw-for-tests-1"  # tests.factories.make_user's

pytestmark = pytest.mark.e2e


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("chromium is not installed: run scripts/ensure-chromium (make test does)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) in Chinese, as most of our users see it; a failing
    test leaves a screenshot of where it stopped."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        save(page, request, "failed")
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def save(page, request: pytest.FixtureRequest, name: str) -> Path:  # type: ignore[no-untyped-def]
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shot(page, request: pytest.FixtureRequest) -> Callable[[str], Path]:  # type: ignore[no-untyped-def]
    """shot("registered") saves the page as it is now; numbered in the order taken."""
    taken = [0]

    def take(name: str) -> Path:
        taken[0] += 1
        return save(page, request, f"{taken[0]:02d}-{name}")

    return take


@pytest.fixture
def login(page):  # type: ignore[no-untyped-def]
    """login(user) signs in through the login form, as a person would."""

    def sign_in(user) -> None:  # type: ignore[no-untyped-def]
        page.goto("/login/")
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("section.login button[type=submit]").click()
        page.wait_for_url(lambda url: "/login/" not in url)

    return sign_in
