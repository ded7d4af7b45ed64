from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "guishu.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from guishu.api import signals  # noqa: F401  (connects the receivers)
