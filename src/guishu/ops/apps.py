from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "guishu.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from guishu.ops import signals  # noqa: F401  (connects the receivers)
