"""Run the reminder dispatcher once, in this process (the demo without Redis, cron, or by hand)."""

from django.core.management.base import BaseCommand

from reminders.services import reminders_dispatch


class Command(BaseCommand):
    help = "Find reminders that are due and send them (safe to run any number of times)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Hand each send to Celery instead of sending here.")

    def handle(self, *args, queue=False, **options):
        result = reminders_dispatch(enqueue=queue)
        self.stdout.write(
            "Reminders: {created} new, {reaped} recovered, {due} due, {queued} queued, {sent} sent.".format(**result)
        )
