"""Pages of the ops area, included by guishu.web.urls (every route needs a row in the page
permission matrix: tests/web/matrix_*.py)."""

from django.urls import URLPattern, path

from guishu.web import views_ops

urlpatterns: list[URLPattern] = [
    path("", views_ops.ops_index, name="ops-index"),
    path("privacy/", views_ops.privacy_list, name="ops-privacy"),
    path("privacy/<int:request_id>/", views_ops.privacy_detail, name="ops-privacy-detail"),
    path(
        "privacy/<int:request_id>/export/",
        views_ops.privacy_export_page,
        name="ops-privacy-export",
    ),
    path("privacy/<int:request_id>/erase/", views_ops.privacy_erase_page, name="ops-privacy-erase"),
]
