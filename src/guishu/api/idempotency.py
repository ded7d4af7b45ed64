"""`Idempotency-Key`: a retried request gets the first answer instead of acting twice.

The key is claimed before the work starts, in its own committed row, so two copies of one
request racing each other cannot both act: the second finds the claim and is told the first
is still in progress (409), or, once it has finished, gets its answer replayed. A key reused
for a different request (another body or path) is refused (422) rather than answered with
someone else's reply. Refusals and invalid input are answers too and are replayed; a server
error releases the key, so the request may be retried with it.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from guishu.api.common import viewer
from guishu.api.errors import Problem, problem_response
from guishu.api.models import IdempotentResponse

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEPT_FOR = timedelta(hours=24)
IN_PROGRESS = 0  # the status of a claimed key whose request has not finished

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID): a retry with the same key gets the first "
    "answer instead of acting twice. Kept for 24 hours.",
)


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(endpoint: str, request: Request, act: Callable[[], Response]) -> Response:
    """Runs `act` once per (user, key, endpoint); without the header it simply runs it."""
    key = request.headers.get(HEADER)
    if key is None:
        return act()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid_idempotency_key",
            title=_("Invalid Idempotency-Key."),
            detail=_("Send 1 to 255 characters, such as a UUID."),
        )
    fingerprint = _fingerprint(request)
    IdempotentResponse.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    try:
        with transaction.atomic():
            claim = IdempotentResponse.objects.create(
                user=viewer(request),
                key=key,
                endpoint=endpoint,
                fingerprint=fingerprint,
                status=IN_PROGRESS,
                body={},
            )
    except IntegrityError:
        return _replay(viewer(request), key, endpoint, fingerprint)
    try:
        response = act()
    except APIException as refused:
        # A refusal or invalid input is the answer to this request: keep it, so a retry
        # neither acts nor records a second collision.
        answer = problem_response(refused, {"request": request})
        assert answer is not None  # nosec B101 # every APIException has a problem answer
        response = answer
    except BaseException:
        claim.delete()
        raise
    if response.status_code >= 500:
        claim.delete()
        return response
    claim.status = response.status_code
    # As the client received it (dates as ISO strings), so the replay is byte-for-byte equal.
    claim.body = json.loads(JSONRenderer().render(response.data))
    claim.save(update_fields=["status", "body"])
    return response


def _replay(user: Any, key: str, endpoint: str, fingerprint: str) -> Response:
    earlier = IdempotentResponse.objects.get(user=user, key=key, endpoint=endpoint)
    if earlier.fingerprint != fingerprint:
        raise Problem(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            code="idempotency_key_reused",
            title=_("This Idempotency-Key was used for a different request."),
            detail=_("Use a new key for a new request."),
        )
    if earlier.status == IN_PROGRESS:
        raise Problem(
            status_code=status.HTTP_409_CONFLICT,
            code="idempotency_key_in_progress",
            title=_("A request with this Idempotency-Key is still in progress."),
            detail=_("Retry in a moment to get its answer."),
        )
    content_type = "application/problem+json" if earlier.status >= 400 else None
    response = Response(earlier.body, status=earlier.status, content_type=content_type)
    response["Idempotent-Replayed"] = "true"
    return response
