"""/api/v1/ routes of the ops area, included by guishu.api.urls (every route needs a row in
the API permission matrix: tests/api/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.api import ops, privacy

urlpatterns: list[URLPattern] = [
    path("ops/health/", ops.OpsHealth.as_view(), name="api-ops-health"),
    path("privacy/requests/", privacy.PrivacyRequestList.as_view(), name="api-privacy-requests"),
    path(
        "privacy/requests/<id:request_id>/",
        privacy.PrivacyRequestDetail.as_view(),
        name="api-privacy-request",
    ),
    path(
        "privacy/requests/<id:request_id>/export/",
        privacy.PrivacyExport.as_view(),
        name="api-privacy-export",
    ),
    path(
        "privacy/requests/<id:request_id>/erase/",
        privacy.PrivacyErase.as_view(),
        name="api-privacy-erase",
    ),
]
