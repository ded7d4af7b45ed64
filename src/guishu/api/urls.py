"""/api/v1/ routes. Every route needs a row in tests/api/test_permissions.py (the matrix).

The API authenticates on its own (tokens or the session) and answers 401 as a problem, so its
views are exempt from the pages' LoginRequiredMiddleware redirect.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from guishu.api import collisions, contacts, customers, ownership, people, policy, records, tokens

urlpatterns: list[URLPattern] = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", people.Me.as_view(), name="api-me"),
    path("tokens/", tokens.TokenList.as_view(), name="api-tokens"),
    path("tokens/<int:pk>/", tokens.TokenDetail.as_view(), name="api-token"),
    path("users/", people.UserList.as_view(), name="api-users"),
    path("users/<int:user_id>/", people.UserDetail.as_view(), name="api-user"),
    path("teams/", people.TeamList.as_view(), name="api-teams"),
    path("teams/<int:team_id>/", people.TeamDetail.as_view(), name="api-team"),
    path("policy/", policy.PolicyInForce.as_view(), name="api-policy"),
    path("lookup/", customers.Lookup.as_view(), name="api-lookup"),
    path("registrations/", ownership.Registration.as_view(), name="api-register"),
    path("registrations/check/", ownership.Precheck.as_view(), name="api-precheck"),
    path("customers/", customers.CustomerList.as_view(), name="api-customers"),
    path("customers/<int:customer_id>/", customers.CustomerDetail.as_view(), name="api-customer"),
    path(
        "customers/<int:customer_id>/ownership/",
        ownership.OwnershipExplain.as_view(),
        name="api-customer-ownership",
    ),
    path("customers/<int:customer_id>/claim/", ownership.Claim.as_view(), name="api-claim"),
    path("customers/<int:customer_id>/release/", ownership.Release.as_view(), name="api-release"),
    path(
        "customers/<int:customer_id>/transfer/", ownership.Transfer.as_view(), name="api-transfer"
    ),
    path("customers/<int:customer_id>/assign/", ownership.Assign.as_view(), name="api-assign"),
    path("customers/<int:customer_id>/lock/", ownership.Lock.as_view(), name="api-lock"),
    path("customers/<int:customer_id>/unlock/", ownership.Unlock.as_view(), name="api-unlock"),
    path("customers/<int:customer_id>/reveal/", contacts.Reveal.as_view(), name="api-reveal"),
    path(
        "customers/<int:customer_id>/contacts/",
        contacts.ContactList.as_view(),
        name="api-contacts",
    ),
    path(
        "customers/<int:customer_id>/contacts/<int:contact_id>/",
        contacts.ContactDetail.as_view(),
        name="api-contact",
    ),
    path(
        "customers/<int:customer_id>/activities/",
        records.ActivityList.as_view(),
        name="api-activities",
    ),
    path("customers/<int:customer_id>/orders/", records.OrderList.as_view(), name="api-orders"),
    path(
        "orders/<int:order_id>/collections/",
        records.CollectionList.as_view(),
        name="api-collections",
    ),
    path("collisions/", collisions.CollisionList.as_view(), name="api-collisions"),
    path(
        "collisions/<int:collision_id>/",
        collisions.CollisionDetail.as_view(),
        name="api-collision",
    ),
]

for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
