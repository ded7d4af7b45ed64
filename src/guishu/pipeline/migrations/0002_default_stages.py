"""The standard stages a company starts with (editable afterwards)."""

from typing import Any

from django.db import migrations

STAGES = (
    ("线索", "Lead", 10, []),
    ("需求确认", "Qualified", 20, ["call"]),
    ("报价", "Quoted", 40, ["quote"]),
    ("样品/验厂", "Sample or factory visit", 60, ["sample"]),
    ("谈判", "Negotiation", 80, []),
)


def create_stages(apps: Any, schema_editor: Any) -> None:
    stage = apps.get_model("pipeline", "Stage")
    if not stage.objects.exists():
        stage.objects.bulk_create(
            stage(name_zh=zh, name_en=en, position=i, win_probability=p, required_kinds=kinds)
            for i, (zh, en, p, kinds) in enumerate(STAGES, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]
