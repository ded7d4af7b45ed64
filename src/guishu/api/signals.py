"""Disabling a user revokes their API tokens (their sessions end in guishu.accounts)."""

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from guishu.api.models import ApiToken


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def revoke_tokens_of_disabled_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_active:
        ApiToken.objects.filter(user=instance, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
