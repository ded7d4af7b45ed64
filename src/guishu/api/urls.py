"""/api/v1/ routes. Every route needs a row in tests/api/test_permissions.py (the matrix).

The API authenticates on its own (tokens or the session) and answers 401 as a problem, so its
views are exempt from the pages' LoginRequiredMiddleware redirect.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from guishu.api import (
    collaborators,
    collisions,
    contacts,
    customers,
    disputes,
    exports,
    handovers,
    imports,
    matches,
    notifications,
    ownership,
    people,
    policies,
    pools,
    records,
    registration,
    review,
    territories,
    tokens,
    violations,
)


class ObjectIdConverter:
    """An object's id in a path. Any segment matches, and one that is not a number names no
    object (0), so `/customers/abc/` gets the API's problem 404 (or 401), exactly like an id
    that does not exist, instead of falling through to the site's HTML 404 page."""

    regex = "[^/]+"

    def to_python(self, value: str) -> int:
        return int(value) if value.isascii() and value.isdigit() else 0

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(ObjectIdConverter, "id")

urlpatterns: list[URLPattern] = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", people.Me.as_view(), name="api-me"),
    path("tokens/", tokens.TokenList.as_view(), name="api-tokens"),
    path("tokens/<id:pk>/", tokens.TokenDetail.as_view(), name="api-token"),
    path("users/", people.UserList.as_view(), name="api-users"),
    path("users/<id:user_id>/", people.UserDetail.as_view(), name="api-user"),
    path("teams/", people.TeamList.as_view(), name="api-teams"),
    path("teams/<id:team_id>/", people.TeamDetail.as_view(), name="api-team"),
    path("policy/", policies.PolicyInForce.as_view(), name="api-policy"),
    path("policy/versions/", policies.PolicyVersionList.as_view(), name="api-policy-versions"),
    path("policy/simulate/", policies.PolicySimulate.as_view(), name="api-policy-simulate"),
    path("lookup/", matches.Lookup.as_view(), name="api-lookup"),
    path("registrations/", registration.Registration.as_view(), name="api-register"),
    path("registrations/check/", registration.Precheck.as_view(), name="api-precheck"),
    path("customers/", customers.CustomerList.as_view(), name="api-customers"),
    path("customers/<id:customer_id>/", customers.CustomerDetail.as_view(), name="api-customer"),
    path(
        "customers/<id:customer_id>/ownership/",
        ownership.OwnershipExplain.as_view(),
        name="api-customer-ownership",
    ),
    path("customers/<id:customer_id>/claim/", ownership.Claim.as_view(), name="api-claim"),
    path("customers/<id:customer_id>/release/", ownership.Release.as_view(), name="api-release"),
    path("customers/<id:customer_id>/transfer/", ownership.Transfer.as_view(), name="api-transfer"),
    path("customers/<id:customer_id>/assign/", ownership.Assign.as_view(), name="api-assign"),
    path("customers/<id:customer_id>/lock/", ownership.Lock.as_view(), name="api-lock"),
    path("customers/<id:customer_id>/unlock/", ownership.Unlock.as_view(), name="api-unlock"),
    path(
        "customers/<id:customer_id>/extend-protection/",
        ownership.ExtendProtection.as_view(),
        name="api-extend-protection",
    ),
    path("pools/", pools.PoolList.as_view(), name="api-pools"),
    path("pools/<id:pool_id>/", pools.PoolDetail.as_view(), name="api-pool"),
    path("customers/<id:customer_id>/reveal/", contacts.Reveal.as_view(), name="api-reveal"),
    path(
        "customers/<id:customer_id>/contacts/",
        contacts.ContactList.as_view(),
        name="api-contacts",
    ),
    path(
        "customers/<id:customer_id>/contacts/<id:contact_id>/",
        contacts.ContactDetail.as_view(),
        name="api-contact",
    ),
    path(
        "customers/<id:customer_id>/activities/",
        records.ActivityList.as_view(),
        name="api-activities",
    ),
    path("customers/<id:customer_id>/orders/", records.OrderList.as_view(), name="api-orders"),
    path(
        "orders/<id:order_id>/collections/",
        records.CollectionList.as_view(),
        name="api-collections",
    ),
    path(
        "customers/<id:customer_id>/collaborators/",
        collaborators.CollaboratorList.as_view(),
        name="api-collaborators",
    ),
    path(
        "customers/<id:customer_id>/collaborators/<id:collaboration_id>/",
        collaborators.CollaboratorDetail.as_view(),
        name="api-collaborator",
    ),
    path("imports/", imports.ImportList.as_view(), name="api-imports"),
    path("imports/<id:job_id>/", imports.ImportDetail.as_view(), name="api-import"),
    path(
        "imports/<id:job_id>/preview/", imports.ImportPreview.as_view(), name="api-import-preview"
    ),
    path("imports/<id:job_id>/commit/", imports.ImportCommit.as_view(), name="api-import-commit"),
    path("disputes/", disputes.DisputeList.as_view(), name="api-disputes"),
    path("disputes/<id:dispute_id>/", disputes.DisputeDetail.as_view(), name="api-dispute"),
    path(
        "disputes/<id:dispute_id>/statement/",
        disputes.DisputeStatementView.as_view(),
        name="api-dispute-statement",
    ),
    path(
        "disputes/<id:dispute_id>/decision/",
        disputes.DisputeDecide.as_view(),
        name="api-dispute-decide",
    ),
    path(
        "disputes/<id:dispute_id>/customer-answer/",
        disputes.DisputeAnswer.as_view(),
        name="api-dispute-answer",
    ),
    path(
        "disputes/<id:dispute_id>/appeal/",
        disputes.DisputeAppeal.as_view(),
        name="api-dispute-appeal",
    ),
    path(
        "disputes/<id:dispute_id>/appeal-decision/",
        disputes.DisputeAppealDecide.as_view(),
        name="api-dispute-appeal-decide",
    ),
    path(
        "disputes/<id:dispute_id>/withdraw/",
        disputes.DisputeWithdraw.as_view(),
        name="api-dispute-withdraw",
    ),
    path("handovers/", handovers.HandoverList.as_view(), name="api-handovers"),
    path("handovers/<id:plan_id>/", handovers.HandoverDetail.as_view(), name="api-handover"),
    path(
        "handovers/<id:plan_id>/items/<id:item_id>/",
        handovers.HandoverItemDetail.as_view(),
        name="api-handover-item",
    ),
    path(
        "handovers/<id:plan_id>/check/",
        handovers.HandoverCheckView.as_view(),
        name="api-handover-check",
    ),
    path(
        "handovers/<id:plan_id>/execute/",
        handovers.HandoverExecute.as_view(),
        name="api-handover-execute",
    ),
    path(
        "handovers/<id:plan_id>/cancel/",
        handovers.HandoverCancel.as_view(),
        name="api-handover-cancel",
    ),
    path("collisions/", collisions.CollisionList.as_view(), name="api-collisions"),
    path(
        "collisions/<id:collision_id>/",
        collisions.CollisionDetail.as_view(),
        name="api-collision",
    ),
    path("violations/", violations.ViolationList.as_view(), name="api-violations"),
    path(
        "violations/<id:violation_id>/",
        violations.ViolationDetail.as_view(),
        name="api-violation",
    ),
    path(
        "violations/<id:violation_id>/review/",
        violations.ViolationReview.as_view(),
        name="api-violation-review",
    ),
    path("conflict-review/", review.ConflictReviewView.as_view(), name="api-conflict-review"),
    path("territories/", territories.TerritoryList.as_view(), name="api-territories"),
    # Before the rule's own route, whose id converter would take "assign" (as no rule).
    path(
        "territories/assign/",
        territories.TerritoryAssign.as_view(),
        name="api-territory-assign",
    ),
    path(
        "territories/<id:rule_id>/",
        territories.TerritoryDetail.as_view(),
        name="api-territory",
    ),
    path(
        "reports/hoarding/",
        territories.HoardingReport.as_view(),
        name="api-report-hoarding",
    ),
    path("notifications/", notifications.NotificationList.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        notifications.NotificationsReadAll.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/<id:notification_id>/read/",
        notifications.NotificationRead.as_view(),
        name="api-notification-read",
    ),
    path(
        "notification-channels/",
        notifications.ChannelList.as_view(),
        name="api-notification-channels",
    ),
    path(
        "notification-channels/<id:channel_id>/",
        notifications.ChannelDetail.as_view(),
        name="api-notification-channel",
    ),
    path(
        "notification-deliveries/",
        notifications.DeliveryList.as_view(),
        name="api-notification-deliveries",
    ),
    # Downloads: /exports/customers.xlsx, .csv; any other suffix answers the API's 404.
    path(
        "exports/customers.<str:file_format>",
        exports.CustomerExport.as_view(),
        name="api-export-customers",
    ),
    path(
        "exports/customers/<id:customer_id>/activities.<str:file_format>",
        exports.ActivityExport.as_view(),
        name="api-export-activities",
    ),
    path(
        "exports/customers/<id:customer_id>/orders.<str:file_format>",
        exports.OrderExport.as_view(),
        name="api-export-orders",
    ),
    path(
        "exports/collisions.<str:file_format>",
        exports.CollisionExport.as_view(),
        name="api-export-collisions",
    ),
    path(
        "exports/disputes.<str:file_format>",
        exports.DisputeExport.as_view(),
        name="api-export-disputes",
    ),
]

# Areas kept in modules of their own; imported here, after the `id` converter is registered.
from guishu.api import urls_discipline, urls_ops, urls_reports  # noqa: E402

urlpatterns += urls_discipline.urlpatterns + urls_ops.urlpatterns + urls_reports.urlpatterns

for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
