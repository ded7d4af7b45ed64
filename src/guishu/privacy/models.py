"""Data-subject requests (PIPL / GDPR) about one contact, and the retention runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PrivacyRequest(models.Model):
    """A contact's request to see (export) or erase what the company holds about them, with
    the date it must be answered by (PIPL: 15 days; GUISHU_PRIVACY_DUE_DAYS) and an audit of
    what was done. It names the contact by id and by `subject`, a label holding no personal
    data, so it stays meaningful after the contact is erased."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("privacy request status", "Open")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")

    contact = models.ForeignKey(
        "customers.Contact",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
        verbose_name=_("contact"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    subject = models.CharField(_("subject"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("due on"))
    note = models.TextField(_("note"), blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    handled_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    audit = models.JSONField(
        default=list,
        help_text="What was done, when and by whom: actions and counts, never the data itself.",
    )

    class Meta:
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} due {self.due_on}"


class RetentionRun(models.Model):
    """One run of the retention rule: activity notes and outcomes recorded before `cutoff`
    were blanked (`blanked` activities). The audit of a rule that deletes text daily."""

    ran_at = models.DateTimeField()
    cutoff = models.DateTimeField()
    days = models.PositiveIntegerField()
    blanked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"retention {self.ran_at:%Y-%m-%d}: {self.blanked} blanked"
