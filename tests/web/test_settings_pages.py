"""The settings pages: the policy editor (form from the setting definitions, per-field
messages, what-if before saving, versions with their differences) and who may change what."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guishu.domain.policy_values import BY_INDUSTRY
from guishu.policies.models import PolicyVersion
from guishu.policies.services import policy_version_save
from guishu.policies.store import values_in_force
from tests.factories import register

pytestmark = pytest.mark.db_facing


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def form_of(values: dict) -> dict[str, object]:  # type: ignore[type-arg]
    """The editor's fields as a browser posts them, from complete values."""
    data: dict[str, object] = {"shown": list(values)}
    for name, value in values.items():
        if name in BY_INDUSTRY:
            data[name] = "\n".join(f"{k} = {v}" for k, v in value.items())
            continue
        if name == "valid_follow_up_kinds":
            data[name] = list(value)
        elif name == "holidays":
            data[name] = "\n".join(f"{h['first']} {h['last']} {h.get('name', '')}" for h in value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dict):
            for key, item in value.items():
                data[f"{name}.{key}"] = str(item)
        elif name in ("protection_days", "no_deal_reclaim_days", "follow_up_reclaim_days"):
            for level in "ABC":
                data[f"{name}.{level}"] = str(value)
        else:
            data[name] = str(value)
    return data


def editor_form(team_id: int | None = None, **changes: object) -> dict[str, object]:
    values, _ = values_in_force(team_id=team_id)
    data = form_of(values)
    data.update(changes)
    return data


@pytest.fixture
def stale(cast):
    """Alice's customer registered 40 days ago: kept by the 60-day follow-up rule (level C),
    reclaimed by a 30-day one."""
    return register(cast.alice, "Ostwind Ventile GmbH", now=timezone.now() - timedelta(days=40))


def test_the_editor_shows_every_setting_with_the_value_in_force(cast):
    page = client_for(cast.admin).get(reverse("settings-policy")).content.decode()
    assert 'name="follow_up_reclaim_days.C" value="60"' in page
    assert 'name="daily_claim_limit" id="id_daily_claim_limit"' in page
    assert 'name="split_templates.co_seller" value="30"' in page
    assert 'name="valid_follow_up_kinds" value="call" checked' in page
    assert "Save as a new version" in page


def test_saving_creates_a_version_with_who_when_why_and_the_difference(cast):
    client = client_for(cast.admin)
    data = editor_form(**{"daily_claim_limit": "8", "note": "quieter month"})
    response = client.post(reverse("settings-policy"), data, follow=True)
    version = PolicyVersion.objects.get()
    assert (version.team, version.number, version.created_by) == (None, 1, cast.admin)
    assert version.values["daily_claim_limit"] == 8 and version.note == "quieter month"
    page = response.content.decode()
    assert "Saved as version 1" in page
    assert "quieter month" in page
    assert "<del>10</del> → <ins>8</ins>" in page


def test_each_wrong_value_gets_its_message_and_nothing_is_saved(cast):
    data = editor_form(**{"daily_claim_limit": "5000", "protection_days.A": "abc"})
    page = client_for(cast.admin).post(reverse("settings-policy"), data).content.decode()
    assert "Give a whole number from 0 to 1000." in page
    assert "Give a whole number from 1 to 365." in page
    assert not PolicyVersion.objects.exists()


def test_saving_without_a_change_is_refused(cast):
    page = client_for(cast.admin).post(reverse("settings-policy"), editor_form()).content.decode()
    assert "Change at least one setting." in page
    assert not PolicyVersion.objects.exists()


def test_a_past_effective_date_is_refused(cast):
    data = editor_form(**{"max_held": "150", "effective_from": "2020-01-01T09:00"})
    page = client_for(cast.admin).post(reverse("settings-policy"), data).content.decode()
    assert "A policy cannot take effect in the past." in page
    assert not PolicyVersion.objects.exists()


def test_the_what_if_shows_who_would_lose_customers_before_saving(cast, stale):
    data = editor_form(**{"follow_up_reclaim_days.C": "30"})
    response = client_for(cast.admin).post(
        reverse("settings-policy-preview"), data, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "Ostwind Ventile GmbH" in page and "would be reclaimed" in page
    assert "East" in page and "Alice" in page
    assert 'id="policy-what-if"' in page  # the chart
    assert not PolicyVersion.objects.exists()


def test_the_what_if_works_without_javascript_too(cast, stale):
    data = editor_form(**{"follow_up_reclaim_days.C": "30"})
    page = client_for(cast.admin).post(reverse("settings-policy-preview"), data).content.decode()
    assert "<html" in page and "would be reclaimed" in page
    assert 'name="follow_up_reclaim_days.C" value="30"' in page  # what was typed stays


def test_the_what_if_names_wrong_values_instead_of_running(cast):
    data = editor_form(**{"max_joint_share": "80"})
    page = (
        client_for(cast.admin)
        .post(reverse("settings-policy-preview"), data, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Largest collaborator share (%)" in page and "from 0 to 50" in page


def test_a_manager_sees_only_their_teams_policy_as_editable(cast, wendy):
    client = client_for(cast.carol)
    company = client.get(reverse("settings-policy")).content.decode()
    assert "Read only: you may not change this policy." in company
    assert "Save as a new version" not in company
    east = client.get(reverse("settings-policy-team", args=[cast.east.pk])).content.decode()
    assert "Save as a new version" in east
    west = client.get(reverse("settings-policy-team", args=[cast.west.pk])).content.decode()
    assert "Read only" in west
    assert client.post(reverse("settings-policy-team", args=[cast.west.pk]), {}).status_code == 403


def test_a_managers_team_version_keeps_its_earlier_overrides(cast):
    policy_version_save(user=cast.carol, team=cast.east, values={"daily_claim_limit": 4})
    data = editor_form(cast.east.pk, **{"max_held": "150"})
    client_for(cast.carol).post(reverse("settings-policy-team", args=[cast.east.pk]), data)
    latest = PolicyVersion.objects.filter(team=cast.east).order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert latest.values == {"daily_claim_limit": 4, "max_held": 150}


def test_a_team_override_can_be_reset_to_the_inherited_value(cast):
    policy_version_save(
        user=cast.carol, team=cast.east, values={"daily_claim_limit": 4, "max_held": 150}
    )
    data = editor_form(cast.east.pk, reset="daily_claim_limit")
    client_for(cast.carol).post(reverse("settings-policy-team", args=[cast.east.pk]), data)
    latest = PolicyVersion.objects.filter(team=cast.east).order_by("-number").first()
    assert latest is not None and latest.values == {"max_held": 150}


def test_a_manager_previews_only_their_teams_customers(cast, wendy, stale):
    register(cast.dave, "Westwind Pumpen AG", now=timezone.now() - timedelta(days=40))
    data = editor_form(cast.east.pk, **{"follow_up_reclaim_days.C": "30"})
    page = (
        client_for(cast.carol)
        .post(
            reverse("settings-policy-team-preview", args=[cast.east.pk]),
            data,
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "Ostwind Ventile GmbH" in page and "Westwind" not in page
    west = reverse("settings-policy-team-preview", args=[cast.west.pk])
    assert client_for(cast.carol).post(west, data).status_code == 403


def test_reps_read_the_policy_and_cannot_simulate(cast):
    client = client_for(cast.alice)
    page = client.get(reverse("settings-policy")).content.decode()
    assert "Read only" in page and "What if?" not in page
    assert client.post(reverse("settings-policy-preview"), editor_form()).status_code == 403


def test_the_settings_index_lists_what_each_role_may_open(cast):
    admin = client_for(cast.admin).get(reverse("settings-index")).content.decode()
    assert "Notification channels" in admin and "Create users" in admin
    rep = client_for(cast.alice).get(reverse("settings-index")).content.decode()
    assert "Notification channels" not in rep and "The rules in force" in rep


def test_a_by_industry_setting_takes_one_line_per_industry(cast):
    data = editor_form(**{"potential_a_amount": "* = 1,000,000\n机械 = 500000"})
    client_for(cast.admin).post(reverse("settings-policy"), data)
    version = PolicyVersion.objects.get()
    assert version.values["potential_a_amount"] == {"*": 1_000_000, "机械": 500_000}
    wrong = editor_form(**{"potential_a_amount": "机械 500000"})
    page = client_for(cast.admin).post(reverse("settings-policy"), wrong).content.decode()
    assert "One line per industry" in page


def test_a_team_changing_one_key_overrides_only_that_key(cast):
    data = editor_form(cast.east.pk, **{"split_templates.assistant": "8"})
    client_for(cast.admin).post(reverse("settings-policy-team", args=[cast.east.pk]), data)
    version = PolicyVersion.objects.get()
    assert version.values == {"split_templates": {"assistant": 8}}


def test_the_what_if_of_dropping_a_teams_override_shows_what_it_inherits(cast, stale):
    policy_version_save(
        user=cast.carol,
        team=cast.east,
        values={"follow_up_reclaim_days": 30},
        now=timezone.now() - timedelta(minutes=5),
    )
    data = editor_form(cast.east.pk, reset="follow_up_reclaim_days")
    page = (
        client_for(cast.carol)
        .post(
            reverse("settings-policy-team-preview", args=[cast.east.pk]),
            data,
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "Ostwind Ventile GmbH" in page and "would no longer be reclaimed" in page


def test_a_director_may_try_changes_but_not_save_them(cast, stale):
    client = client_for(cast.diana)
    page = client.get(reverse("settings-policy")).content.decode()
    assert "You may try changes and see what they would do, but not save them." in page
    assert "What if?" in page and "Save as a new version" not in page
    data = editor_form(**{"follow_up_reclaim_days.C": "30"})
    preview = client.post(reverse("settings-policy-preview"), data, HTTP_HX_REQUEST="true")
    assert "Ostwind Ventile GmbH" in preview.content.decode()
    assert client.post(reverse("settings-policy"), data).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_an_announced_change_is_tagged_in_the_history(cast):
    later = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = editor_form(**{"max_held": "150", "effective_from": later, "note": "next week"})
    response = client_for(cast.admin).post(reverse("settings-policy"), data, follow=True)
    page = response.content.decode()
    assert PolicyVersion.objects.get().effective_from > timezone.now()
    assert "announced" in page and "next week" in page
