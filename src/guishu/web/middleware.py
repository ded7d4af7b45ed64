"""`Cache-Control: no-store` on every response that may show customer data."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Tells browsers and proxies to keep no copy of any page or API answer, so customer data
    does not linger in a shared computer's cache or reappear through the back button after
    logging out. Static files are exempt (they hold no customer data and should be cached),
    and so is the login page (Django already marks it never to be cached)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self._exempt(request.path):
            patch_cache_control(response, no_store=True)
        return response

    @staticmethod
    def _exempt(path: str) -> bool:
        return path.startswith(settings.STATIC_URL) or path == reverse("login")
