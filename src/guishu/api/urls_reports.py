"""/api/v1/ routes of the reports area (and the sales pipeline), included by guishu.api.urls
(every route needs a row in the API permission matrix: tests/api/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.api import pipeline, reports

urlpatterns: list[URLPattern] = [
    path("reports/", reports.ReportList.as_view(), name="api-reports"),
    # Any segment reaches the view (404 there, or 401 first), never the site-wide 404.
    path("reports/<str:name>/", reports.ReportDetail.as_view(), name="api-report"),
    path(
        "reports/<str:name>.<str:file_format>",
        reports.ReportExport.as_view(),
        name="api-report-export",
    ),
    path("pipeline/stages/", pipeline.StageList.as_view(), name="api-pipeline-stages"),
    path(
        "customers/<id:customer_id>/opportunities/",
        pipeline.CustomerOpportunities.as_view(),
        name="api-customer-opportunities",
    ),
    path(
        "opportunities/<id:opportunity_id>/advance/",
        pipeline.OpportunityAdvance.as_view(),
        name="api-opportunity-advance",
    ),
    path(
        "opportunities/<id:opportunity_id>/close/",
        pipeline.OpportunityClose.as_view(),
        name="api-opportunity-close",
    ),
]
