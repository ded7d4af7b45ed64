"""Who is asking: every page but the login page is behind LoginRequiredMiddleware, so a view
always has a signed-in user."""

from django.http import HttpRequest

from guishu.accounts.models import User


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a page request."""
    user = request.user
    assert isinstance(user, User)  # nosec B101 - LoginRequiredMiddleware keeps anonymous users out
    return user
