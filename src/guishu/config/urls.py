"""URL routes: the pages live in guishu.web, the REST API in guishu.api."""

from django.urls import include, path

handler404 = "guishu.config.handlers.not_found"

urlpatterns = [
    path("api/v1/", include("guishu.api.urls")),
    path("", include("guishu.web.urls")),
]
