"""Revealing a masked contact detail, where the policy masks it: logged, and capped per day.

Only pooled customers are ever masked for someone allowed to see them (when the policy hides
pool contacts until a claim); another rep's customer is not revealable at all.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.customers.models import Contact, Customer, Identifier, Reveal
from guishu.ownership.locking import lock_users
from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import contact_details_hidden, customer_for_viewer

CONTACT_FIELDS = ("phone", "email", "wechat")


class RevealLimitReached(PermissionDenied):
    def __init__(self, limit: int, retry_at: datetime) -> None:
        super().__init__(
            _("You have revealed %(limit)d values today, the most allowed.") % {"limit": limit}
        )
        self.limit = limit
        self.retry_at = retry_at


def _day_bounds(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """The company-local calendar day around `now`: its first moment and the next day's."""
    today = now.astimezone(ZoneInfo(tz)).date()
    start = datetime.combine(today, time.min, tzinfo=ZoneInfo(tz))
    return start, datetime.combine(today + timedelta(days=1), time.min, tzinfo=ZoneInfo(tz))


@transaction.atomic(durable=True)
def masked_value_reveal(
    *,
    user: User,
    customer_id: int,
    identifier_id: int | None = None,
    contact_id: int | None = None,
    field: str = "",
    now: datetime | None = None,
) -> str:
    """The value of one identifier, or of one contact's phone/email/WeChat, for a customer
    whose details are masked for `user`. Raises Customer.DoesNotExist when the customer is
    not visible, PermissionDenied when nothing is masked, RevealLimitReached over the cap."""
    now = now or timezone.now()
    policy = policy_in_force()
    customer = customer_for_viewer(user, customer_id)
    if customer is None:
        raise Customer.DoesNotExist(_("No such customer."))
    if not contact_details_hidden(customer, policy):
        raise PermissionDenied(_("Nothing is masked on this customer for you."))
    if (identifier_id is None) == (contact_id is None):
        raise ValidationError(_("Name one identifier or one contact."))
    value: str
    if identifier_id is not None:
        identifier = Identifier.objects.filter(pk=identifier_id, customer=customer).first()
        if identifier is None:
            raise ValidationError({"identifier": _("No such identifier on this customer.")})
        value, field = identifier.value, identifier.kind
    else:
        assert contact_id is not None  # exactly one of the two was named
        contact = Contact.objects.filter(pk=contact_id, customer=customer).first()
        if contact is None:
            raise ValidationError({"contact": _("No such contact on this customer.")})
        if field not in CONTACT_FIELDS:
            raise ValidationError({"field": _("Choose phone, email or wechat.")})
        value = getattr(contact, field)
    lock_users([user.pk])  # two tabs revealing at once count one after the other
    start, tomorrow = _day_bounds(now, policy.timezone)
    if Reveal.objects.filter(user=user, at__gte=start).count() >= policy.reveals_per_day:
        raise RevealLimitReached(policy.reveals_per_day, tomorrow)
    Reveal.objects.create(
        user=user,
        customer=customer,
        identifier_id=identifier_id,
        contact_id=contact_id,
        field=field,
        at=now,
    )
    return value
