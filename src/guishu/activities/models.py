"""Touchpoints with customers, and the orders and payments they lead to."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    """A dated touchpoint (跟进) by a person: channel, duration, outcome, contacts involved.

    `customer_initiated` matters in disputes: a customer reaching out shows whom they choose.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")
        MEETING = "meeting", _("Meeting")
        CATALOG_SENT = "catalog_sent", _("Catalog sent")
        QUOTE = "quote", _("Quote")
        SAMPLE = "sample", _("Sample")
        FACTORY_VISIT = "factory_visit", _("Factory visit")
        INVITATION_ACCEPTED = "invitation", _("Invitation accepted")
        ORDER_INTENT = "order_intent", _("Order intent")
        COMPLAINT = "complaint", _("Complaint")
        SERVICE = "service", _("Service")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        WECHAT = "wechat", _("WeChat")
        WHATSAPP = "whatsapp", _("WhatsApp")
        VIDEO = "video", _("Video call")
        PLATFORM = "platform", _("B2B platform")
        OTHER = "other", _("Other")

    # Both are the first column of a covering index below, which serves their lookups too.
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="activities", db_index=False
    )
    by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        related_name="activities",
        verbose_name=_("by"),
        db_index=False,
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.OTHER
    )
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    customer_initiated = models.BooleanField(_("customer initiated"), default=False)
    contacts = models.ManyToManyField(
        "customers.Contact", blank=True, related_name="activities", verbose_name=_("contacts")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # A customer's timeline, newest first; it also carries who and how, so the
            # reports group a period per customer from the index alone, in customer order
            # (docs/reports.md).
            models.Index(
                fields=["customer", "-occurred_at", "by", "channel"],
                name="activity_customer_cover",
            ),
            # One person's (or a team's) activities in a period, for the reports' scopes.
            models.Index(
                fields=["by", "occurred_at", "customer", "channel"], name="activity_by_cover"
            ),
            # The reports read a period's activities by who, whom and how, from the index
            # alone (docs/reports.md).
            models.Index(
                fields=["occurred_at", "customer", "by", "channel"], name="activity_occurred_cover"
            ),
        ]
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class Order(models.Model):
    """A deal (成交): money is Decimal with its currency, credited to the owner at the time."""

    class Status(models.TextChoices):
        WON = "won", _("Won")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="orders")
    number = models.CharField(_("order number"), max_length=50)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    ordered_at = models.DateTimeField(_("ordered at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WON
    )
    credited_to = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="orders", verbose_name=_("credited to")
    )
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")

    class CustomerStatus(models.TextChoices):
        NEW = "new", _("New customer")
        EXISTING = "existing", _("Existing customer")

    # New when no earlier won order exists for the customer; fixed when the order is recorded.
    customer_status = models.CharField(
        _("customer"), max_length=8, choices=CustomerStatus.choices, default=CustomerStatus.NEW
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["ordered_at"], name="order_ordered_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "number"], name="order_number_unique_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.amount} {self.currency}"


class Collection(models.Model):
    """A payment received (回款) against an order."""

    order = models.ForeignKey(Order, models.PROTECT, related_name="collections")
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.received_at:%Y-%m-%d}"


class OrderCredit(models.Model):
    """Who an order is credited to, and how much: the owner and the collaborators by the
    shares in force on the order's date. A snapshot written with the order, never recomputed;
    collections against the order are credited by the same shares."""

    order = models.ForeignKey(Order, models.PROTECT, related_name="credits")
    user = models.ForeignKey("accounts.User", models.PROTECT, related_name="order_credits")
    role = models.CharField(_("role"), max_length=20)
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order credit")
        verbose_name_plural = _("order credits")
        constraints = [
            models.UniqueConstraint(fields=["order", "user"], name="one_credit_per_order_and_user")
        ]
        indexes = [models.Index(fields=["user", "order"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.share}% of order {self.order_id}"
