"""The idle timeout: a session unused for GUISHU_SESSION_IDLE_MINUTES is logged out."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from guishu.accounts.sessions import LAST_SEEN_KEY

security_log = logging.getLogger("guishu.security")

# Noting every request would turn every page view into a session write; noting at most once a
# minute keeps the timeout accurate to a minute at a fraction of the writes.
LAST_SEEN_RESOLUTION_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Logs out a session idle for longer than the limit; any request renews it.

    It runs before LoginRequiredMiddleware, which then sends the now anonymous visitor to log
    in, with a message saying why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(timezone.now().timestamp())
        last_seen = request.session.get(LAST_SEEN_KEY)
        minutes = settings.GUISHU_SESSION_IDLE_MINUTES
        if isinstance(last_seen, int) and now - last_seen > minutes * 60:
            security_log.info("idle session logged out: user %s", request.user.pk)
            logout(request)
            messages.info(
                request,
                ngettext(
                    "You were logged out after %(minutes)d minute without activity.",
                    "You were logged out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        elif not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session[LAST_SEEN_KEY] = now
