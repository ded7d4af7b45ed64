"""What the pages remember for a person: their saved views of the customer list."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A named set of customer-list filters ("A customers ending protection"), one person's
    own: nobody else sees or uses it. `params` holds the list's query parameters as typed
    (search, filters, sort), never customer ids, so a view always lists what is true now."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=60)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def query(self) -> str:
        """The view's filters as the list's query string."""
        return urlencode(self.params)
