# The Reminder model, moved here from the reviews app (reviews/migrations/0003): this takes over
# its state on the existing table, then gives the table this app's name. Rows, indexes and
# constraints are kept; the content type follows so permissions and admin history stay attached.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reviews", model="reminder").update(app_label="reminders")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reminders", model="reminder").update(app_label="reviews")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("apcase", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0003_reminder_moves_to_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('due_on', models.DateField()),
                        ('title', models.CharField(max_length=200)),
                        ('link', models.CharField(blank=True, max_length=300)),
                        ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed (gave up)')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('last_error', models.CharField(blank=True, max_length=300)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                        ('notification', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='apcase.notification')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='apcase.school')),
                    ],
                    options={
                        'db_table': 'reviews_reminder',
                        'indexes': [models.Index(fields=['status', 'due_on'], name='reminder_status_due'), models.Index(fields=['status', 'claimed_at'], name='reminder_status_claimed')],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'content_type', 'object_id', 'due_on', 'recipient'), name='reminder_once_per_due_date')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="reminder", table=None),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
