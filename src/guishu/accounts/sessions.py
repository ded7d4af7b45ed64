"""Sessions tied to their users: recorded at log-in with a fixed end, ended together when the
user is disabled or deleted."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session

from guishu.accounts.models import User, UserSession

security_log = logging.getLogger("guishu.security")

# When the session was last used, as a POSIX timestamp (see guishu.accounts.middleware).
LAST_SEEN_KEY = "guishu_last_seen"


def session_track(*, session: SessionBase, user: User, now: datetime) -> None:
    """Called as `user` logs in: records the session as theirs, and fixes when it ends.

    The end is set as a date rather than an age, so using the session does not push it back:
    whatever the activity, a log-in lasts at most SESSION_COOKIE_AGE.
    """
    if session.session_key is None:
        # login() leaves no key when it had to flush another user's session; the row must
        # exist before a UserSession can point at it.
        session.save()
    session.set_expiry(now + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    session[LAST_SEEN_KEY] = int(now.timestamp())
    UserSession.objects.update_or_create(
        session_id=session.session_key, defaults={"user": user, "created_at": now}
    )


def user_sessions_end(*, user_id: int) -> int:
    """Ends every session of the user: one DELETE on the sessions their rows point at (the
    database cascades to the rows). Returns how many sessions ended."""
    ended, _by_model = Session.objects.filter(owner__user_id=user_id).delete()
    if ended:
        security_log.info("ended %d session(s) of user %s", ended, user_id)
    return ended
