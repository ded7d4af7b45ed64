"""URL routes: the pages live in guishu.web."""

from django.urls import include, path

urlpatterns = [
    path("", include("guishu.web.urls")),
]
