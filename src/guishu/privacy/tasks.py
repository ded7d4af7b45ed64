"""Background work of the privacy area: the daily retention run (guishu.ops.schedule)."""

from typing import Any

from django.tasks import task

from guishu.privacy.retention import activity_text_retention_run


@task()
def privacy_retention_task() -> dict[str, Any]:
    run = activity_text_retention_run()
    return {"blanked": run.blanked if run else 0, "off": run is None}
