# The Reminder model moves to the top-layer reminders app (reminders/migrations/0001_initial.py
# takes over its state and renames the table). Nothing changes in the database here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_reviews_targets_reintegration"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Reminder")],
            database_operations=[],
        ),
    ]
