"""The notification settings (settings.py, "Notifications"), read when used so that tests and
a running worker see a changed value without a restart."""

from datetime import timedelta

from django.conf import settings

# The platforms' own hosts; a webhook must point at one of them (or at a host an administrator
# added in GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS), so a channel cannot be aimed inside our network.
PLATFORM_HOSTS = {
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, f"GUISHU_NOTIFICATIONS_{name}", default))


def protection_days() -> int:
    return _setting("PROTECTION_DAYS", 3)


def digest_window() -> timedelta:
    return timedelta(minutes=_setting("DIGEST_MINUTES", 5))


def digest_max_items() -> int:
    return max(1, _setting("DIGEST_MAX_ITEMS", 20))


def webhook_per_minute() -> int:
    return max(1, _setting("WEBHOOK_PER_MINUTE", 20))


def max_attempts() -> int:
    return max(1, _setting("MAX_ATTEMPTS", 8))


def retry_cap() -> timedelta:
    return timedelta(minutes=_setting("RETRY_CAP_MINUTES", 60))


def safety_net() -> timedelta:
    return timedelta(minutes=max(1, _setting("SAFETY_NET_MINUTES", 5)))


def http_timeout() -> float:
    return float(_setting("HTTP_TIMEOUT", 10))


def extra_webhook_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS", ()))
