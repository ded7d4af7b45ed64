"""/api/v1/ routes of the discipline area, included by guishu.api.urls (every route needs a row in
the API permission matrix: tests/api/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.api import discipline

urlpatterns: list[URLPattern] = [
    path("discipline/overdue/", discipline.Overdue.as_view(), name="api-discipline-overdue"),
    path("discipline/portfolio/", discipline.Portfolio.as_view(), name="api-discipline-portfolio"),
    path(
        "customers/<id:customer_id>/classification/",
        discipline.ClassificationView.as_view(),
        name="api-classification",
    ),
    path(
        "customers/<id:customer_id>/classification/evaluate/",
        discipline.ClassificationEvaluate.as_view(),
        name="api-classification-evaluate",
    ),
    path("complaints/", discipline.ComplaintList.as_view(), name="api-complaints"),
    path(
        "complaints/loyalty/",
        discipline.ComplaintLoyalty.as_view(),
        name="api-complaint-loyalty",
    ),
    path(
        "complaints/<id:complaint_id>/", discipline.ComplaintDetail.as_view(), name="api-complaint"
    ),
    path(
        "complaints/<id:complaint_id>/resolve/",
        discipline.ComplaintResolve.as_view(),
        name="api-complaint-resolve",
    ),
    path("plans/<id:rep_id>/", discipline.PlanView.as_view(), name="api-plan-week"),
    path(
        "plans/<id:rep_id>/generate/", discipline.PlanGenerate.as_view(), name="api-plan-generate"
    ),
    path("time/entries/", discipline.TimeEntryList.as_view(), name="api-time-entries"),
    path("time/accounting/", discipline.TimeAccounting.as_view(), name="api-time-accounting"),
]
