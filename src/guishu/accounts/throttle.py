"""Log-in throttling: failed log-ins are counted per username and per client address, and too
many within a window lock that username or address for a while.

The rule, with the defaults from settings: 5 failures for one username within 15 minutes lock
the username for 15 minutes; 30 failures from one address within 15 minutes lock the address.
A locked log-in is refused before the password is checked, so a locked account cannot be
probed any further. A successful log-in clears the username's count but not the address's:
otherwise an attacker holding one valid account could reset their address's count at will.

Usernames are counted whether or not such a user exists, so a lock tells nobody which
usernames are real.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from guishu.accounts.client_address import throttle_key
from guishu.accounts.models import LoginThrottle

security_log = logging.getLogger("guishu.security")

USERNAME_KEY_LENGTH = LoginThrottle._meta.get_field("key").max_length or 150


@dataclass(frozen=True)
class LoginAttempt:
    """Who tried to log in, and from where (None when the address is unknown)."""

    username: str
    address: str | None

    def counted_under(self) -> list[tuple[str, str]]:
        """(scope, key) for every count this attempt belongs to."""
        keys = [(LoginThrottle.Scope.USERNAME.value, self.username[:USERNAME_KEY_LENGTH])]
        if self.address is not None:
            keys.append((LoginThrottle.Scope.ADDRESS.value, throttle_key(self.address)))
        return keys


def _window() -> timedelta:
    return timedelta(minutes=settings.GUISHU_LOGIN_WINDOW_MINUTES)


def _lockout() -> timedelta:
    return timedelta(minutes=settings.GUISHU_LOGIN_LOCKOUT_MINUTES)


def _limit(scope: str) -> int:
    if scope == LoginThrottle.Scope.USERNAME:
        return int(settings.GUISHU_LOGIN_USERNAME_FAILURES)
    return int(settings.GUISHU_LOGIN_ADDRESS_FAILURES)


def login_locked_until(*, attempt: LoginAttempt, now: datetime) -> datetime | None:
    """Until when this attempt is refused unheard: the later of the username's and the
    address's locks, or None when neither is locked."""
    matches = Q()
    for scope, key in attempt.counted_under():
        matches |= Q(scope=scope, key=key)
    locked = LoginThrottle.objects.filter(matches, locked_until__gt=now)
    until: datetime | None = locked.aggregate(until=Max("locked_until"))["until"]
    return until


def _count_failure(scope: str, key: str, now: datetime) -> datetime | None:
    """Adds one failure to a count; returns the lock's end if this failure set one."""
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        scope=scope, key=key, defaults={"window_started_at": now, "stale_after": now}
    )
    if row.window_started_at + _window() <= now:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    locked_now = None
    if row.failures >= _limit(scope):
        # The count starts afresh behind the lock: after it, the full allowance again.
        locked_now = row.locked_until = now + _lockout()
        row.failures, row.window_started_at = 0, now
    row.stale_after = max(row.window_started_at + _window(), row.locked_until or now)
    row.save(update_fields=["failures", "window_started_at", "locked_until", "stale_after"])
    return locked_now


def login_failure_record(*, attempt: LoginAttempt, now: datetime) -> datetime | None:
    """Counts a failed log-in against its username and its address; returns the end of the
    lock this failure set off, if it did."""
    security_log.warning(
        "login failed: username %r from %s", attempt.username, attempt.address or "unknown"
    )
    locked_until = None
    with transaction.atomic():
        # Pruning here keeps the table to roughly one window of traffic, even under a flood of
        # made-up usernames, without a separate clean-up job.
        LoginThrottle.objects.filter(stale_after__lt=now).delete()
        for scope, key in attempt.counted_under():
            until = _count_failure(scope, key, now)
            if until is not None:
                locked_until = until
                security_log.warning("login locked: %s %r until %s", scope, key, until.isoformat())
    return locked_until


def login_success_record(*, attempt: LoginAttempt) -> None:
    """A successful log-in clears the username's failures (not the address's; see above)."""
    LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.USERNAME, key=attempt.username[:USERNAME_KEY_LENGTH]
    ).delete()
