"""Personal API tokens, and the answers kept for Idempotency-Key replays."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "gs_"  # noqa: S105  # nosec B105 # a label, not a secret


def token_digest(key: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough: no dictionary to guard
    against, and lookups stay one indexed equality."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token. Only its digest is stored; the key is shown once, when created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, so a user can tell their tokens apart in a list.
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: object, name: str, expires_at: object = None) -> tuple["ApiToken", str]:
        """Creates a token and returns it with its key, which is never available again."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=token_digest(key),
            prefix=key[: len(TOKEN_PREFIX) + 6],
            expires_at=expires_at,
        )
        return token, key

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotentResponse(models.Model):
    """The first answer to a request that carried an Idempotency-Key, replayed on a retry.

    The key is scoped to the user and the endpoint; the request fingerprint catches a key
    reused for a different request, which is refused rather than answered with a stale reply.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "endpoint"], name="one_response_per_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
