"""Which Policy is in force. The foundation has one company policy with the documented
defaults, in the company time zone; stored, versioned policies replace this function."""

from django.conf import settings

from guishu.domain import Policy


def policy_in_force() -> Policy:
    return Policy(timezone=settings.TIME_ZONE)
