"""Opportunities as the viewer may see them: their own, their team trees' for a manager,
everyone's for directors and admins."""

from django.db.models import QuerySet

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.pipeline.models import Opportunity


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    manages = managed_user_ids(user)
    opportunities = Opportunity.objects.select_related("stage", "owner", "customer")
    if manages is None:
        return opportunities
    return opportunities.filter(owner_id__in=set(manages) | {user.pk})
