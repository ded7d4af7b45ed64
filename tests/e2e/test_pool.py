"""The pool in the browser: a rep claims a customer and sees the day's allowance drop."""

import pytest

from guishu.ownership.services import pool_release
from tests.factories import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_rep_claims_from_the_pool_and_sees_the_allowance_drop(  # type: ignore[no-untyped-def]
    page, login, shot, cast, allow_flush
):
    for name, phone in (
        ("Hafen Logistik GmbH", "+4940555012"),
        ("Lotus Ceramics", "+8613800138000"),
    ):
        pooled = register(cast.bob, name, phones=(phone,))
        assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    login(cast.alice)
    page.locator("nav.nav a[href='/pool/']").click()
    page.wait_for_url("**/pool/")
    left = page.locator("#allowance [data-claims-left]")
    assert left.inner_text() == "10"
    assert page.locator("#allowance [data-held]").inner_text() == "0"
    shot("pool")

    row = page.locator("tr", has_text="Hafen Logistik GmbH")
    row.locator("button.claim-button").click()
    row.locator(".claim-ok").wait_for()
    assert left.inner_text() == "9"
    assert page.locator("#allowance [data-held]").inner_text() == "1"
    assert not row.locator("button.claim-button").is_visible()
    shot("claimed")

    # It is Alice's now: on her list, and gone from the pool.
    page.goto("/customers/")
    assert page.locator("table").get_by_text("Hafen Logistik GmbH").is_visible()
    page.goto("/pool/")
    assert page.locator("tr", has_text="Hafen Logistik GmbH").count() == 0
    assert page.locator("#allowance [data-claims-left]").inner_text() == "9"
    page.set_viewport_size({"width": 390, "height": 844})
    shot("pool-on-a-phone")
