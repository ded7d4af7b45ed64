"""Page permission rows of the settings area (gathered by tests/web/test_permissions.py).

They follow the API's rules (tests/api/test_permissions.py): everyone reads policies, teams,
territory rules, their colleagues and the pools they may claim from; admins change the
company's policy and any team's, managers their own teams'; managers, directors and admins
run the what-if (a manager for their own teams); only admins manage users, teams, pools and
notification channels; admins write any territory rule and a manager those naming only their
own people (another manager's rule answers 404 to a change). A role that may not act gets 403.

Writes are posted with incomplete data where several people may act, so each person meets
the same row: the form answers 200 with its messages; the success paths are tested in
tests/web/test_settings_pages.py and test_settings_admin.py.
"""

from typing import Any

from guishu.notifications.models import Channel
from guishu.pipeline.services import stages_ensure_default
from guishu.pools.models import Pool
from guishu.territories.rules import territory_rule_create
from tests.factories import make_user
from tests.web.matrix import NOT_FOUND, OK, TO_LOGIN, Row, everyone, to

FORBIDDEN = 403


def only(expected: Any, *people: str, others: Any = FORBIDDEN) -> dict[str, Any]:
    """`expected` for `people`, `others` for everyone else signed in."""
    return {**everyone(others), **dict.fromkeys(people, expected)}


def subjects(cast, wendy) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    open_pool = Pool.objects.create(name="Settings open pool")
    west_pool = Pool.objects.create(name="Settings West pool", priority=50)
    west_pool.eligible_teams.set([cast.west])
    east_rule = territory_rule_create(
        user=cast.carol, data={"name": "Settings East rule", "reps": [cast.alice.pk]}
    )
    shared_rule = territory_rule_create(
        user=cast.admin,
        data={"name": "Settings shared rule", "reps": [cast.alice.pk, cast.dave.pk]},
    )
    channel = Channel.objects.create(
        name="Settings East group",
        platform=Channel.Platform.DINGTALK,
        url="https://oapi.dingtalk.com/robot/send?access_token=abc",
        team=cast.east,
    )
    leaver = make_user("zoe", team=cast.east, display_name="Zoe")
    return {
        "settings_east": {"team_id": cast.east.pk},
        "settings_no_team": {"team_id": 999_999},
        "settings_alice": {"user_id": cast.alice.pk},
        "settings_leaver": {"user_id": leaver.pk},
        "settings_open_pool": {"pool_id": open_pool.pk},
        "settings_west_pool": {"pool_id": west_pool.pk},
        "settings_east_rule": {"rule_id": east_rule.pk},
        "settings_shared_rule": {"rule_id": shared_rule.pk},
        "settings_channel": {"channel_id": channel.pk},
        # The seeded stages (a data migration) are gone after a transactional test's flush.
        "settings_stage": {"stage_id": stages_ensure_default()[0].pk},
    }


ROWS = [
    Row("settings-index", everyone(OK)),
    # Policies: everyone reads; the editor saves for those who may change the scope.
    Row("settings-policy", everyone(OK)),
    Row("settings-policy", only(OK, "admin"), method="post"),
    Row("settings-policy-team", everyone(OK), subject="settings_east"),
    Row("settings-policy-team", everyone(NOT_FOUND), subject="settings_no_team"),
    Row("settings-policy-team", only(OK, "carol", "admin"), method="post", subject="settings_east"),
    Row("settings-policy-preview", only(OK, "diana", "admin"), method="post"),
    Row(
        "settings-policy-team-preview",
        only(OK, "carol", "diana", "admin"),
        method="post",
        subject="settings_east",
    ),
    # Users: everyone lists the colleagues the API lists them; only admins manage users.
    Row("settings-users", everyone(OK)),
    Row("settings-user-create", only(OK, "admin")),
    Row("settings-user-create", only(OK, "admin"), method="post"),
    Row("settings-user", only(OK, "admin"), subject="settings_alice"),
    Row("settings-user", only(OK, "admin"), method="post", subject="settings_alice"),
    Row(
        "settings-user-deactivate",
        only(to("settings-users"), "admin"),
        method="post",
        subject="settings_leaver",
    ),
    # Teams: everyone reads the tree; only admins create and change teams.
    Row("settings-teams", everyone(OK)),
    Row("settings-team-create", only(OK, "admin")),
    Row("settings-team-create", only(OK, "admin"), method="post"),
    Row("settings-team", everyone(OK), subject="settings_east"),
    Row("settings-team", only(OK, "admin"), method="post", subject="settings_east"),
    # Pools: the pools one may claim from (admins all); only admins write.
    Row("settings-stages", everyone(OK)),
    Row("settings-stage-create", only(OK, "admin")),
    Row("settings-stage-create", only(OK, "admin"), method="post"),
    Row("settings-stage", everyone(OK), subject="settings_stage"),
    Row("settings-stage", only(OK, "admin"), method="post", subject="settings_stage"),
    Row("settings-pools", everyone(OK)),
    Row("settings-pool-create", only(OK, "admin")),
    Row("settings-pool-create", only(OK, "admin"), method="post"),
    Row("settings-pool", everyone(OK), subject="settings_open_pool"),
    Row(
        "settings-pool",
        only(OK, "dave", "wendy", "diana", "admin", others=NOT_FOUND),
        subject="settings_west_pool",
    ),
    Row("settings-pool", only(OK, "admin"), method="post", subject="settings_open_pool"),
    # Territory rules: everyone reads; admins and managers write (a manager their own).
    Row("settings-territories", everyone(OK)),
    Row("settings-territory-create", only(OK, "carol", "wendy", "admin")),
    Row("settings-territory-create", only(OK, "carol", "wendy", "admin"), method="post"),
    Row("settings-territory", everyone(OK), subject="settings_east_rule"),
    Row(
        "settings-territory",
        {**only(OK, "carol", "admin"), "wendy": NOT_FOUND, "anonymous": TO_LOGIN},
        method="post",
        subject="settings_east_rule",
        data={"name": "Settings East rule", "priority": "7", "method": "round_robin"},
    ),
    Row(
        "settings-territory-delete",
        {
            **only(to("settings-territories"), "admin"),
            "carol": NOT_FOUND,
            "wendy": NOT_FOUND,
            "anonymous": TO_LOGIN,
        },
        method="post",
        subject="settings_shared_rule",
    ),
    # Notification channels: administrators only.
    Row("settings-channels", only(OK, "admin")),
    Row("settings-channel-create", only(OK, "admin")),
    Row("settings-channel-create", only(OK, "admin"), method="post"),
    Row("settings-channel", only(OK, "admin"), subject="settings_channel"),
    Row("settings-channel", only(OK, "admin"), method="post", subject="settings_channel"),
    Row(
        "settings-channel-delete",
        only(to("settings-channels"), "admin"),
        method="post",
        subject="settings_channel",
    ),
]
