"""A task that fails, for counting failures (module-level, as the tasks API requires)."""

from django.tasks import task


@task()
def always_fails() -> None:
    raise RuntimeError("this task fails on purpose")
