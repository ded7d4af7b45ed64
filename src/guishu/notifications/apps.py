from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "guishu.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from guishu.notifications import signals  # noqa: F401  (connects the receivers)
