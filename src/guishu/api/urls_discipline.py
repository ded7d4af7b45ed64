"""/api/v1/ routes of the discipline area, included by guishu.api.urls (every route needs a row in
the API permission matrix: tests/api/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.api import complaints, discipline, plans_time

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
    path("complaints/", complaints.ComplaintList.as_view(), name="api-complaints"),
    path(
        "complaints/loyalty/",
        complaints.ComplaintLoyalty.as_view(),
        name="api-complaint-loyalty",
    ),
    path(
        "complaints/<id:complaint_id>/", complaints.ComplaintDetail.as_view(), name="api-complaint"
    ),
    path(
        "complaints/<id:complaint_id>/resolve/",
        complaints.ComplaintResolve.as_view(),
        name="api-complaint-resolve",
    ),
    path("plans/<id:rep_id>/", plans_time.PlanView.as_view(), name="api-plan-week"),
    path(
        "plans/<id:rep_id>/generate/", plans_time.PlanGenerate.as_view(), name="api-plan-generate"
    ),
    path("time/entries/", plans_time.TimeEntryList.as_view(), name="api-time-entries"),
    path("time/accounting/", plans_time.TimeAccounting.as_view(), name="api-time-accounting"),
]
