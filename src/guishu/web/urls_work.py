"""Pages of the work area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
