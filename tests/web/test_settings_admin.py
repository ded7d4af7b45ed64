"""The admin settings pages: users, teams, pools, territory rules and notification channels,
each following the API's rules."""

import pytest
from django.test import Client
from django.urls import reverse

from guishu.accounts.models import Team, User
from guishu.notifications.models import Channel
from guishu.pipeline.models import Stage
from guishu.pipeline.services import stages_ensure_default
from guishu.pools.models import Pool
from guishu.territories.models import TerritoryRule
from guishu.territories.rules import territory_rule_create

pytestmark = pytest.mark.db_facing

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=secret-token-1234"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


# --- users ----------------------------------------------------------------------------------


def test_an_admin_creates_a_user_with_a_validated_password(cast):
    client = client_for(cast.admin)
    weak = client.post(
        reverse("settings-user-create"), {"username": "erin", "role": "rep", "password": "123"}
    )
    assert weak.status_code == 200 and not User.objects.filter(username="erin").exists()
    assert "This password is too short" in weak.content.decode()
    response = client.post(
        reverse("settings-user-create"),
        {
            "username": "erin",
            "display_name": "Erin",
            "role": "rep",
            "team": cast.east.pk,
            "password": "a-long-enough-pass-29",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    erin = User.objects.get(username="erin")
    assert erin.team == cast.east and erin.check_password("a-long-enough-pass-29")


def test_a_new_user_needs_a_password(cast):
    page = client_for(cast.admin).post(
        reverse("settings-user-create"), {"username": "erin", "role": "rep"}
    )
    assert "A new user needs a password." in page.content.decode()


def test_an_admin_moves_a_user_to_another_team_and_role_keeping_the_password(cast):
    client_for(cast.admin).post(
        reverse("settings-user", args=[cast.alice.pk]),
        {
            "username": "alice",
            "display_name": "Alice",
            "role": "manager",
            "team": cast.west.pk,
            "is_active": "on",
        },
    )
    cast.alice.refresh_from_db()
    assert (cast.alice.role, cast.alice.team) == ("manager", cast.west)
    assert cast.alice.check_password("pw-for-tests-1")


def test_deactivating_a_user_ends_their_sessions(cast):
    bob = client_for(cast.bob)
    assert bob.get(reverse("settings-index")).status_code == 200
    client_for(cast.admin).post(reverse("settings-user-deactivate", args=[cast.bob.pk]))
    cast.bob.refresh_from_db()
    assert not cast.bob.is_active
    assert bob.get(reverse("settings-index")).status_code == 302  # signed out


def test_an_admin_cannot_deactivate_themselves(cast):
    client_for(cast.admin).post(reverse("settings-user-deactivate", args=[cast.admin.pk]))
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_each_role_lists_the_colleagues_the_api_lists(cast, wendy):
    def names(user) -> set[str]:  # type: ignore[no-untyped-def]
        page = client_for(user).get(reverse("settings-users")).content.decode()
        return {n for n in ("Alice", "Bob", "Carol", "Dave", "Wendy", "Diana") if n in page}

    assert names(cast.alice) == {"Alice", "Bob", "Carol"}
    assert names(cast.carol) == {"Alice", "Bob", "Carol"}
    assert names(wendy) == {"Dave", "Wendy"}
    assert names(cast.diana) == {"Alice", "Bob", "Carol", "Dave", "Wendy", "Diana"}
    assert "New user" not in client_for(cast.diana).get(reverse("settings-users")).content.decode()


# --- teams ----------------------------------------------------------------------------------


def test_an_admin_builds_the_team_tree(cast):
    client = client_for(cast.admin)
    client.post(reverse("settings-team-create"), {"name": "East North", "parent": cast.east.pk})
    north = Team.objects.get(name="East North")
    assert north.parent == cast.east
    client.post(
        reverse("settings-team", args=[cast.west.pk]),
        {"name": "West", "manager": cast.dave.pk},
    )
    cast.west.refresh_from_db()
    assert cast.west.manager == cast.dave
    page = client.get(reverse("settings-teams")).content.decode()
    tree = page[page.index('class="team-tree"') :]
    assert tree.index(">East<") < tree.index(">East North<") < tree.index(">West<")


def test_a_team_cannot_sit_below_itself(cast):
    north = Team.objects.create(name="East North", parent=cast.east)
    page = client_for(cast.admin).post(
        reverse("settings-team", args=[cast.east.pk]), {"name": "East", "parent": north.pk}
    )
    assert "A team cannot sit below itself." in page.content.decode()
    cast.east.refresh_from_db()
    assert cast.east.parent is None


def test_others_read_a_team_without_a_form_to_change_it(cast):
    page = client_for(cast.carol).get(reverse("settings-team", args=[cast.east.pk]))
    assert "Read only" in page.content.decode()


# --- pools ----------------------------------------------------------------------------------


def test_an_admin_creates_a_pool_with_its_rules(cast):
    response = client_for(cast.admin).post(
        reverse("settings-pool-create"),
        {
            "name": "Germany A",
            "priority": "10",
            "active": "on",
            "levels": ["A"],
            "countries": "de, at",
            "eligible_teams": [cast.east.pk],
        },
    )
    assert response.status_code == 302
    pool = Pool.objects.get(name="Germany A")
    assert pool.levels == ["A"] and pool.countries == ["DE", "AT"]
    assert list(pool.eligible_teams.all()) == [cast.east]


def test_wrong_country_codes_are_refused(cast):
    page = client_for(cast.admin).post(
        reverse("settings-pool-create"), {"name": "Bad", "priority": "10", "countries": "Germany"}
    )
    assert "Give two-letter ISO country codes" in page.content.decode()
    assert not Pool.objects.exists()


def test_a_rep_sees_only_the_pools_they_may_claim_from(cast):
    Pool.objects.create(name="Open pool")
    west = Pool.objects.create(name="West pool")
    west.eligible_teams.set([cast.west])
    page = client_for(cast.alice).get(reverse("settings-pools")).content.decode()
    assert "Open pool" in page and "West pool" not in page
    assert "Open pool" in client_for(cast.dave).get(reverse("settings-pools")).content.decode()


# --- territory rules ------------------------------------------------------------------------


def test_a_manager_writes_rules_for_their_own_people_only(cast, wendy):
    client = client_for(cast.carol)
    page = client.get(reverse("settings-territory-create")).content.decode()
    assert "Alice" in page and "Dave" not in page  # only Carol's people to choose from
    response = client.post(
        reverse("settings-territory-create"),
        {
            "name": "Bavaria",
            "priority": "5",
            "method": "round_robin",
            "active": "on",
            "countries": "DE",
            "regions": "Bayern",
            "reps": [cast.alice.pk],
        },
    )
    assert response.status_code == 302
    rule = TerritoryRule.objects.get(name="Bavaria")
    assert rule.countries == ["DE"] and list(rule.reps.all()) == [cast.alice]
    # Wendy reads Carol's rule, and it does not exist for her to change.
    wendys = client_for(wendy)
    assert "Read only" in wendys.get(reverse("settings-territory", args=[rule.pk])).content.decode()
    assert wendys.post(reverse("settings-territory-delete", args=[rule.pk])).status_code == 404


def test_naming_someone_outside_ones_teams_is_refused(cast, wendy):
    page = client_for(cast.carol).post(
        reverse("settings-territory-create"),
        {"name": "West", "priority": "5", "method": "round_robin", "reps": [cast.dave.pk]},
    )
    assert page.status_code == 200
    assert not TerritoryRule.objects.exists()


def test_a_manager_changes_and_deletes_their_rule(cast):
    rule = territory_rule_create(user=cast.carol, data={"name": "East", "reps": [cast.alice.pk]})
    client = client_for(cast.carol)
    client.post(
        reverse("settings-territory", args=[rule.pk]),
        {"name": "East coast", "priority": "3", "method": "load_balanced", "reps": [cast.bob.pk]},
    )
    rule.refresh_from_db()
    assert (rule.name, rule.priority, rule.method) == ("East coast", 3, "load_balanced")
    assert not rule.active  # the box was left unticked
    assert [p.pk for p in rule.reps.all()] == [cast.bob.pk]
    client.post(reverse("settings-territory-delete", args=[rule.pk]))
    assert not TerritoryRule.objects.exists()


def test_the_rules_are_listed_in_the_order_they_are_tried(cast):
    territory_rule_create(
        user=cast.admin, data={"name": "Later", "priority": 20, "reps": [cast.alice.pk]}
    )
    territory_rule_create(
        user=cast.admin, data={"name": "First", "priority": 1, "reps": [cast.dave.pk]}
    )
    page = client_for(cast.alice).get(reverse("settings-territories")).content.decode()
    assert page.index("First") < page.index("Later")
    assert "New rule" not in page


# --- notification channels ------------------------------------------------------------------


def test_an_admin_adds_a_channel_whose_address_is_never_shown_again(cast):
    client = client_for(cast.admin)
    response = client.post(
        reverse("settings-channel-create"),
        {
            "name": "East group",
            "platform": "dingtalk",
            "url": DINGTALK,
            "secret": "SECabc",
            "team": cast.east.pk,
            "language": "zh-hans",
            "is_active": "on",
            "kinds": ["reclaimed", "claimed"],
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.url, channel.secret, channel.kinds) == (
        DINGTALK,
        "SECabc",
        ["claimed", "reclaimed"],
    )
    for url in (reverse("settings-channels"), reverse("settings-channel", args=[channel.pk])):
        page = client.get(url).content.decode()
        assert "secret-token" not in page and "SECabc" not in page


def test_editing_a_channel_with_empty_boxes_keeps_its_credentials(cast):
    channel = Channel.objects.create(
        name="East", platform="dingtalk", url=DINGTALK, secret="SECabc", team=cast.east
    )
    client_for(cast.admin).post(
        reverse("settings-channel", args=[channel.pk]),
        {"name": "East group", "platform": "dingtalk", "language": "en", "is_active": "on"},
    )
    channel.refresh_from_db()
    assert (channel.name, channel.url, channel.secret) == ("East group", DINGTALK, "SECabc")


def test_a_channel_address_must_belong_to_its_platform(cast):
    page = client_for(cast.admin).post(
        reverse("settings-channel-create"),
        {"name": "X", "platform": "feishu", "url": DINGTALK, "language": "en"},
    )
    assert "This is not a webhook address of the chosen platform." in page.content.decode()
    assert not Channel.objects.exists()


def test_wecom_bots_take_no_secret(cast):
    page = client_for(cast.admin).post(
        reverse("settings-channel-create"),
        {
            "name": "X",
            "platform": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "s",
            "language": "en",
        },
    )
    assert "WeCom group bots are not signed" in page.content.decode()


def test_an_admin_deletes_a_channel(cast):
    channel = Channel.objects.create(name="East", platform="dingtalk", url=DINGTALK)
    client_for(cast.admin).post(reverse("settings-channel-delete", args=[channel.pk]))
    assert not Channel.objects.exists()


# --- query budgets --------------------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "route", ["settings-territories", "settings-pools", "settings-users", "settings-teams"]
)
def test_lists_cost_the_same_queries_for_one_row_or_many(cast, route):
    # For pools, an admin: a manager's eligible pools cost queries per pool and team in
    # guishu.pools.routing.eligible_pool_ids, the API's rule, which these pages reuse.
    client = client_for(cast.admin if route == "settings-pools" else cast.carol)

    def grow(n: int) -> None:
        for i in range(n):
            team = Team.objects.create(name=f"Team {route} {i}", parent=cast.east)
            territory_rule_create(
                user=cast.admin,
                data={"name": f"Rule {i}", "reps": [cast.alice.pk], "teams": [team.pk]},
            )
            pool = Pool.objects.create(name=f"Pool {i}", priority=i)
            pool.eligible_teams.set([cast.east, team])
            pool.from_teams.set([team])
            User.objects.create_user(username=f"u{route}{i}", team=team, role="rep")

    grow(1)
    few = queries_for(client, reverse(route))
    for i in range(1, 6):
        team = Team.objects.create(name=f"More {route} {i}", parent=cast.east)
        territory_rule_create(
            user=cast.admin, data={"name": f"More {i}", "reps": [cast.bob.pk], "teams": [team.pk]}
        )
        pool = Pool.objects.create(name=f"More pool {i}", priority=10 + i)
        pool.eligible_teams.set([cast.east])
        User.objects.create_user(username=f"more{route}{i}", team=team, role="rep")
    assert queries_for(client, reverse(route)) == few


def test_an_admin_adds_a_stage_and_retires_one_and_a_rep_only_reads_them(client, cast):
    first = stages_ensure_default()[0]
    client.force_login(cast.admin)
    created = client.post(
        reverse("settings-stage-create"),
        {
            "name_zh": "合同",
            "name_en": "Contract",
            "position": 9,
            "win_probability": 90,
            "required_kinds": ["visit", "quote"],
            "active": "on",
        },
    )
    assert created.status_code == 302
    contract = Stage.objects.get(name_en="Contract")
    assert contract.required_kinds == ["quote", "visit"] and contract.win_probability == 90
    too_likely = client.post(
        reverse("settings-stage", args=[contract.pk]),
        {"name_zh": "合同", "name_en": "Contract", "position": 9, "win_probability": 101},
    )
    assert too_likely.status_code == 200 and Stage.objects.get(pk=contract.pk).active
    retired = client.post(
        reverse("settings-stage", args=[first.pk]),
        {
            "name_zh": first.name_zh,
            "name_en": first.name_en,
            "position": first.position,
            "win_probability": first.win_probability,
        },
    )
    assert retired.status_code == 302 and not Stage.objects.get(pk=first.pk).active
    client.force_login(cast.alice)
    page = client.get(reverse("settings-stages")).content.decode()
    assert "合同 · Contract" in page and reverse("settings-stage-create") not in page
    refused = client.post(
        reverse("settings-stage", args=[contract.pk]),
        {"name_zh": "x", "name_en": "x", "position": 9, "win_probability": 5},
    )
    assert refused.status_code == 403 and Stage.objects.get(pk=contract.pk).name_en == "Contract"
