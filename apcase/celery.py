"""The Celery app. Settings come from Django settings (CELERY_*); the beat schedule lives here.

Beat runs interval schedules only: wall-clock crontabs misbehave around DST changes (celery
#9653, #10107), and "what is due today" is decided from the database in Europe/London dates.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apcase.settings")

app = Celery("apcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task, in one place. Each entry re-derives its work from the database, so a
# missed or doubled beat tick loses nothing and sends nothing twice.
app.conf.beat_schedule = {
    "dispatch-reminders": {"task": "reminders.tasks.dispatch_reminders", "schedule": 5 * 60.0},
    "dispatch-outbox": {"task": "outbox.tasks.dispatch_outbox", "schedule": 5 * 60.0},
    "notification-digests": {"task": "apcase.tasks.send_notification_digests", "schedule": 15 * 60.0},
    # The provider portal's morning cut-off: each school's own time, so checked every five minutes.
    "same-day-alerts": {"task": "provider_portal.tasks.same_day_alerts", "schedule": 5 * 60.0},
}
