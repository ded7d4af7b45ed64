"""The request id, the access log line, and the slow-request count."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from guishu.config.logging import request_id
from guishu.ops.counters import ops_count_add
from guishu.ops.models import OpsCount
from guishu.ops.probes import PROBES

access_log = logging.getLogger("guishu.request")

HEADER = "X-Request-ID"
# What a proxy's or client's id may look like to be kept: UUIDs, hex, and the usual tokens.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def sane_request_id(value: str | None) -> str | None:
    return value if value and SANE_ID.fullmatch(value) else None


class RequestIdMiddleware:
    """Gives each request an id: the incoming X-Request-ID when it looks like one (so a proxy's
    id follows the request through), else a new one. The id is in the response's
    X-Request-ID header and on every log record written while the request is served.

    After the response, one access log line (method, path without the query string, status,
    duration, user id) and, past GUISHU_SLOW_REQUEST_MS, a warning and one more in the hour's
    slow-request count for the route.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = sane_request_id(request.headers.get(HEADER)) or uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        # Not reset after the response: Django logs 4xx and 5xx answers ("django.request")
        # after the middleware has returned, and they need the id too. The next request
        # served on this thread sets its own.
        request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = rid
        self._record(request, response, (time.perf_counter() - started) * 1000)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse, ms: float) -> None:
        match = request.resolver_match
        route = (match.url_name or match.view_name) if match else ""
        if request.path in PROBES:
            route = request.path.lstrip("/")
        # Only a user already loaded: reading it now could query a database that is down.
        user = getattr(request, "_cached_user", None)
        fields = {
            "method": request.method,
            "path": request.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(ms, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
        }
        level = logging.DEBUG if request.path in PROBES else logging.INFO  # every few seconds
        line = "%s %s %s %.0fms"
        access_log.log(
            level, line, request.method, request.path, response.status_code, ms, extra=fields
        )
        if ms >= settings.GUISHU_SLOW_REQUEST_MS:
            access_log.warning(
                "slow request: " + line,
                request.method,
                request.path,
                response.status_code,
                ms,
                extra=fields,
            )
            ops_count_add(metric=OpsCount.Metric.SLOW_REQUEST, key=route or "-")
