"""Collisions: attempts to register, claim or work a customer that someone else owns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Collision(models.Model):
    """A refused attempt on another rep's customer, kept as evidence for a dispute.

    `submitted` keeps everything the rep entered, so nothing typed is lost when a registration
    is refused; `reasons` lists the matching signals behind it (guishu.matching reasons as
    JSON). A contact overlap is an early warning: a rep logged a touchpoint with someone whose
    contact details belong to another rep's customer.
    """

    class Action(models.TextChoices):
        REGISTER = "register", _("registration")
        CLAIM = "claim", _("claim")
        FOLLOW_UP = "follow_up", _("follow-up")
        CONTACT_OVERLAP = "contact_overlap", _("contact details of another rep's customer")
        EDIT = "edit", _("edit")

    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="collisions")
    attempted_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="collisions")
    owner = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    owner_since = models.DateTimeField()
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField()
    reasons = models.JSONField(default=list)
    trace = models.JSONField(default=list)
    submitted = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("collision")
        verbose_name_plural = _("collisions")
        indexes = [models.Index(fields=["customer", "at"]), models.Index(fields=["owner", "at"])]

    def __str__(self) -> str:
        return f"{self.attempted_by} -> {self.customer} (owned by {self.owner})"
