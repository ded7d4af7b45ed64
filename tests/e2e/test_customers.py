"""The customer pages in a real browser: register, collide, log a follow-up, search by pinyin
initials, and see what needs me on the home page; and the same app on a phone."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "北京字节跳动科技有限公司"


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_register_collide_follow_up_search_and_home(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    login(cast.alice)
    page.goto("/")
    assert page.locator("#reclaims").is_visible() and page.locator("#notifications").is_visible()
    # The customers' dates and the forecast chart arrive once the page has shown.
    page.locator("#forecast #reclaim-forecast svg").first.wait_for()
    page.locator("#overdue-by-cadence .muted").first.wait_for()
    shot("home-empty")

    # Alice registers a Chinese company; the check runs as she types and finds nobody.
    page.goto("/customers/register/")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_phones").fill("+86 138 0013 8000")
    page.locator("#matches .matches").wait_for()
    shot("register-typed")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    message = page.locator(".message.success").inner_text()
    assert NAME in message and re.search(r"\d{4}-\d{2}-\d{2}", message)  # protected until
    shot("registered-with-protection-date")

    # A follow-up from the timeline's quick entry, without leaving the page.
    page.locator("#id_outcome").fill("约好下周报价")
    page.locator(".quick-entry button[type=submit]").click()
    page.locator("#timeline .message.success").wait_for()
    assert "约好下周报价" in page.locator("#timeline-list").inner_text()
    shot("follow-up-logged")

    # "/" jumps to the search box from anywhere; pinyin initials find the customer.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "global-q"
    page.keyboard.type("zjtd")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/\?q=zjtd"))
    assert NAME in page.locator("#customer-table").inner_text()
    shot("search-pinyin-initials")
    log_out(page)

    # Bob registers the same company in traditional characters with the phone typed
    # differently: the live check says it is the same customer, owned by Alice.
    login(cast.bob)
    page.goto("/customers/register/")
    page.locator("#id_name").fill("字節跳動(北京)科技")
    page.locator("#id_phones").fill("138-0013-8000")
    page.locator("#matches .match-same").wait_for()
    panel = page.locator("#matches").inner_text()
    assert "Alice" in panel and "同一客户" in panel
    shot("collision-while-typing")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message.error[role=alert]").is_visible()
    shot("collision-refused")
    log_out(page)

    # Alice's home shows the collision on her customer, and her notifications.
    login(cast.alice)
    page.goto("/")
    assert "Bob" in page.locator("#conflicts").inner_text()
    shot("owner-home-collision")
    log_out(page)

    # Carol, their manager, finds the collision on her home page.
    login(cast.carol)
    page.goto("/")
    conflicts = page.locator("#conflicts").inner_text()
    assert "Bob" in conflicts and "字节跳动" in conflicts
    shot("manager-home-collision")


def test_on_a_phone_the_menu_opens_and_the_list_reads_as_cards(
    page, login, shot, cast, allow_flush
):  # type: ignore[no-untyped-def]
    from tests.factories import register

    register(cast.alice, "Acme Tools", level="A")
    page.set_viewport_size({"width": 390, "height": 844})
    login(cast.alice)
    page.goto("/")
    nav = page.locator("#main-nav")
    assert not nav.is_visible()
    page.locator(".nav-toggle").click()
    assert nav.is_visible()
    assert page.locator(".nav-toggle").get_attribute("aria-expanded") == "true"
    shot("phone-menu-open")
    page.goto("/customers/")
    assert page.locator("#customer-table").get_by_text("Acme Tools").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    shot("phone-customer-list")
    page.locator("#id_level").select_option("A")
    page.wait_for_url(re.compile(r"level=A"))
    assert page.locator("#customer-table").get_by_text("Acme Tools").is_visible()
    shot("phone-filtered")
