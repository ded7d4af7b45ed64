"""Pages of the settings area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import path

from guishu.web import (
    views_settings,
    views_settings_admin,
    views_settings_channels,
    views_settings_policy,
    views_settings_stages,
    views_settings_territories,
)

urlpatterns = [
    path("", views_settings.settings_index, name="settings-index"),
    path("policy/", views_settings_policy.policy_editor, name="settings-policy"),
    path("policy/preview/", views_settings_policy.policy_preview, name="settings-policy-preview"),
    path("policy/<int:team_id>/", views_settings_policy.policy_editor, name="settings-policy-team"),
    path(
        "policy/<int:team_id>/preview/",
        views_settings_policy.policy_preview,
        name="settings-policy-team-preview",
    ),
    path("users/", views_settings_admin.user_list, name="settings-users"),
    path("users/new/", views_settings_admin.user_create, name="settings-user-create"),
    path("users/<int:user_id>/", views_settings_admin.user_edit, name="settings-user"),
    path(
        "users/<int:user_id>/deactivate/",
        views_settings_admin.user_deactivate,
        name="settings-user-deactivate",
    ),
    path("teams/", views_settings_admin.team_list, name="settings-teams"),
    path("teams/new/", views_settings_admin.team_create, name="settings-team-create"),
    path("teams/<int:team_id>/", views_settings_admin.team_edit, name="settings-team"),
    path("stages/", views_settings_stages.stage_list, name="settings-stages"),
    path("stages/new/", views_settings_stages.stage_create, name="settings-stage-create"),
    path("stages/<int:stage_id>/", views_settings_stages.stage_edit, name="settings-stage"),
    path("pools/", views_settings_admin.pool_list, name="settings-pools"),
    path("pools/new/", views_settings_admin.pool_create, name="settings-pool-create"),
    path("pools/<int:pool_id>/", views_settings_admin.pool_edit, name="settings-pool"),
    path("territories/", views_settings_territories.territory_list, name="settings-territories"),
    path(
        "territories/new/",
        views_settings_territories.territory_create,
        name="settings-territory-create",
    ),
    path(
        "territories/<int:rule_id>/",
        views_settings_territories.territory_edit,
        name="settings-territory",
    ),
    path(
        "territories/<int:rule_id>/delete/",
        views_settings_territories.territory_delete,
        name="settings-territory-delete",
    ),
    path("channels/", views_settings_channels.channel_list, name="settings-channels"),
    path("channels/new/", views_settings_channels.channel_create, name="settings-channel-create"),
    path(
        "channels/<int:channel_id>/", views_settings_channels.channel_edit, name="settings-channel"
    ),
    path(
        "channels/<int:channel_id>/delete/",
        views_settings_channels.channel_delete,
        name="settings-channel-delete",
    ),
]
