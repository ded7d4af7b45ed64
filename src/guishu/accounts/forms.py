"""The log-in form, with throttling: a locked username or address is refused before its
password is looked at, and every failure is counted (see guishu.accounts.throttle)."""

import logging
import math
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from guishu.accounts.client_address import client_address
from guishu.accounts.throttle import (
    LoginAttempt,
    login_failure_record,
    login_locked_until,
    login_success_record,
)

security_log = logging.getLogger("guishu.security")


def locked_error(minutes: int) -> ValidationError:
    return ValidationError(
        ngettext(
            "Too many failed log-in attempts. Please try again in %(minutes)d minute.",
            "Too many failed log-in attempts. Please try again in %(minutes)d minutes.",
            minutes,
        ),
        code="locked",
        params={"minutes": minutes},
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, counting failures per username and per client address."""

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data  # the fields' own errors say what is missing
        address = client_address(self.request) if self.request is not None else None
        attempt = LoginAttempt(username=username, address=address)
        now = timezone.now()
        locked_until = login_locked_until(attempt=attempt, now=now)
        if locked_until is not None:
            security_log.info(
                "login refused while locked: username %r from %s",
                attempt.username,
                attempt.address or "unknown",
            )
            raise locked_error(math.ceil((locked_until - now).total_seconds() / 60))
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            locked_until = login_failure_record(attempt=attempt, now=now)
            if locked_until is not None:
                raise locked_error(math.ceil((locked_until - now).total_seconds() / 60))
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        login_success_record(attempt=attempt)
        return self.cleaned_data
