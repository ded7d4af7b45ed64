from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="collision", old_name="matched_keys", new_name="reasons"),
        migrations.AlterField(
            model_name="collision",
            name="action",
            field=models.CharField(
                choices=[
                    ("register", "registration"),
                    ("claim", "claim"),
                    ("follow_up", "follow-up"),
                    ("contact_overlap", "contact details of another rep's customer"),
                    ("edit", "edit"),
                ],
                max_length=16,
            ),
        ),
    ]
