"""What every page's frame (guishu/base.html) shows: the unread notifications badge."""

from collections.abc import Callable

from django.http import HttpRequest

from guishu.accounts.models import User
from guishu.notifications.selectors import inbox_of


def frame(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """`unread_notifications`: counted only when a page shows it (templates call callables),
    so partial responses that do not show the header cost no query."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"unread_notifications": lambda: inbox_of(user, unread=True).count()}
