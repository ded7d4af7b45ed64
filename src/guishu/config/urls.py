"""URL routes: the pages live in guishu.web, the REST API in guishu.api."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("guishu.api.urls")),
    path("", include("guishu.web.urls")),
]
