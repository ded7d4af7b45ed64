"""Pages of the reports area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.web import views_reports

urlpatterns: list[URLPattern] = [
    path("", views_reports.report_index, name="report-index"),
    path("<slug:name>/", views_reports.report_page, name="report-page"),
]
