"""/api/v1/ routes. Every route needs a row in tests/api/test_permissions.py (the matrix).

The API authenticates on its own (tokens or the session) and answers 401 as a problem, so its
views are exempt from the pages' LoginRequiredMiddleware redirect.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from guishu.api import tokens

urlpatterns: list[URLPattern] = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("tokens/", tokens.TokenList.as_view(), name="api-tokens"),
    path("tokens/<int:pk>/", tokens.TokenDetail.as_view(), name="api-token"),
]

for pattern in urlpatterns:
    pattern.callback = login_not_required(pattern.callback)
