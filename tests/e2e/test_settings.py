"""The policy editor in the browser: an admin changes a value, previews what it would do,
saves it and finds the version in the history; a manager may change only their team's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.policies.models import PolicyVersion
from tests.factories import register

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_previews_a_policy_change_then_saves_it(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    register(cast.alice, "Ostwind Ventile GmbH", now=timezone.now() - timedelta(days=40))
    login(cast.admin)
    page.locator("nav.nav a[href='/settings/']").click()
    page.wait_for_url("**/settings/")
    shot("settings-index")
    page.locator(".settings-index a[href='/settings/policy/']").click()
    page.wait_for_url("**/settings/policy/")
    follow_up_c = page.locator("input[name='follow_up_reclaim_days.C']")
    assert follow_up_c.input_value() == "60"
    shot("policy-editor")

    follow_up_c.fill("30")
    page.locator("#what-if").click()
    result = page.locator("#preview-result")
    result.wait_for()
    assert "Ostwind Ventile GmbH" in result.inner_text()
    page.locator("#policy-what-if svg").first.wait_for()  # the chart, drawn after the swap
    assert not PolicyVersion.objects.exists(), "a preview saves nothing"
    page.locator("#preview").scroll_into_view_if_needed()
    shot("what-if-preview")

    page.locator("#id_note").fill("Level C customers need more attention")
    page.locator("#save").click()
    page.wait_for_load_state()
    history = page.locator("#history")
    history.wait_for()
    assert "v1" in history.inner_text()
    assert "Level C customers need more attention" in history.inner_text()
    version = PolicyVersion.objects.get()
    assert version.values["follow_up_reclaim_days"] == {"A": 15, "B": 30, "C": 30}
    assert version.created_by == cast.admin
    assert page.locator("input[name='follow_up_reclaim_days.C']").input_value() == "30"
    shot("saved-with-history")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot("policy-editor-phone")


def test_a_manager_may_change_only_their_teams_policy(page, login, shot, cast, wendy, allow_flush):  # type: ignore[no-untyped-def]
    login(cast.carol)
    page.goto("/settings/policy/")
    assert page.locator("#read-only").is_visible()
    assert page.locator("#save").count() == 0
    scopes = page.locator(".scopes li")
    editable = [
        scopes.nth(i).locator("a").inner_text()
        for i in range(scopes.count())
        if scopes.nth(i).locator(".tag-good").count()
    ]
    assert editable == ["East"]
    shot("company-read-only")

    page.locator(".scopes a", has_text="West").click()
    page.wait_for_url(f"**/settings/policy/{cast.west.pk}/")
    assert page.locator("#read-only").is_visible()
    shot("west-read-only")

    page.locator(".scopes a", has_text="East").click()
    page.wait_for_url(f"**/settings/policy/{cast.east.pk}/")
    assert page.locator("#save").is_visible()
    page.locator("input[name='daily_claim_limit']").fill("4")
    page.locator("#save").click()
    page.wait_for_load_state()
    assert "v1" in page.locator("#history").inner_text()
    version = PolicyVersion.objects.get()
    assert (version.team, version.values) == (cast.east, {"daily_claim_limit": 4})
    shot("east-saved")


def test_an_admin_manages_territories_and_channels(page, login, shot, cast, allow_flush):  # type: ignore[no-untyped-def]
    from guishu.notifications.models import Channel
    from guishu.territories.models import TerritoryRule

    login(cast.admin)
    page.goto("/settings/territories/")
    page.locator("a[href='/settings/territories/new/']").click()
    page.locator("#id_name").fill("Bavaria")
    page.locator("#id_priority").fill("5")
    page.locator("#id_countries").fill("DE")
    page.locator("#id_regions").fill("Bayern")
    page.locator("#id_reps").select_option([str(cast.alice.pk)])
    shot("territory-form")
    page.locator("button.primary").click()
    page.wait_for_url("**/settings/territories/")
    assert "Bavaria" in page.locator("table").inner_text()
    assert TerritoryRule.objects.get().countries == ["DE"]
    shot("territories")

    page.goto("/settings/channels/new/")
    page.locator("#id_name").fill("East group")
    page.locator("#id_platform").select_option("dingtalk")
    page.locator("#id_url").fill("https://oapi.dingtalk.com/robot/send?access_token=abc")
    page.locator("#id_team").select_option(str(cast.east.pk))
    page.locator("button.primary").click()
    page.wait_for_url("**/settings/channels/")
    assert "access_token" not in page.content()
    assert Channel.objects.get().team == cast.east
    shot("channels")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/settings/users/")
    shot("users-phone")
