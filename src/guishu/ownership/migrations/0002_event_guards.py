"""Makes ownership events append-only in the database itself (UPDATE and DELETE refused)."""

from django.db import migrations


def install(apps, schema_editor):
    from guishu.ownership.db_guards import install_event_guards

    install_event_guards(schema_editor.connection)


def remove(apps, schema_editor):
    from guishu.ownership.db_guards import remove_event_guards

    remove_event_guards(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ownership", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
