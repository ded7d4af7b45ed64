"""Site-wide error handlers: the API answers problems, the pages answer pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from guishu.api.errors import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown /api/ path is a 404 problem like any other the API answers."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    body = {
        "type": PROBLEM_TYPE + "not_found",
        "title": _("Not found."),
        "status": 404,
        "code": "not_found",
        "detail": _("No such endpoint."),
        "instance": request.get_full_path(),
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
