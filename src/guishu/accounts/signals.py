"""Receivers that keep each user's sessions in step with the user (connected in apps.ready).

Disabling a user also revokes their API tokens; guishu.api does that on the same signal.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.sessions import session_track, user_sessions_end


@receiver(user_logged_in)
def track_session_on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    session_track(session=request.session, user=user, now=timezone.now())


@receiver(post_save, sender=User)
def end_sessions_of_disabled_user(sender: Any, instance: User, **kwargs: Any) -> None:
    # Saving an already disabled user again costs one indexed DELETE that finds nothing.
    if not instance.is_active:
        user_sessions_end(user_id=instance.pk)


@receiver(post_delete, sender=User)
def end_sessions_of_deleted_user(sender: Any, instance: User, **kwargs: Any) -> None:
    user_sessions_end(user_id=instance.pk)
