"""/api/v1/ routes of the discipline area, included by guishu.api.urls (every route needs a row in
the API permission matrix: tests/api/matrix_*.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
