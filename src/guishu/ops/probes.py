"""`/healthz` and `/readyz`, answered by a middleware ahead of everything else.

Load balancers and orchestrators probe a process by its address, over plain HTTP, without a
session: through the normal stack the probe would meet the host check (ALLOWED_HOSTS), the
HTTPS redirect and the login redirect. Answering here, before those run, keeps each of them
strict for real traffic. The answers are JSON, never cached, and hold one word per check:
no error text, version or host name (see guishu.ops.health).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from guishu.ops.health import failed, readiness

PROBES = ("/healthz", "/readyz")


def healthz() -> JsonResponse:
    """Liveness: the process answers. Touches no database."""
    return JsonResponse({"status": "ok"})


def readyz() -> JsonResponse:
    """Readiness: 200 when the database answers, migrations are applied and a worker beat
    recently; 503 naming what failed otherwise."""
    checks = readiness()
    problems = failed(checks)
    body = {"status": "unavailable" if problems else "ok", "checks": checks, "failed": problems}
    return JsonResponse(body, status=503 if problems else 200)


class ProbeMiddleware:
    """Answers GET and HEAD on the probe paths; everything else passes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PROBES:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response: HttpResponse = JsonResponse({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            response = healthz() if request.path == "/healthz" else readyz()
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
