"""Pages of the discipline area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.web import views_discipline as views

urlpatterns: list[URLPattern] = [
    path("discipline/", views.cadence_page, name="discipline-cadence"),
    path("discipline/portfolio/", views.portfolio_page, name="discipline-portfolio"),
    path(
        "discipline/customers/<int:customer_id>/",
        views.classification_page,
        name="discipline-customer",
    ),
    path("discipline/time/", views.time_page, name="discipline-time"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint-detail"),
    path("plan/", views.plan_page, name="plan-week"),
]
