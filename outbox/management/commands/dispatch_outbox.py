"""Send every queued e-mail in this process (make run without Redis, cron, or by hand)."""

from django.core.management.base import BaseCommand

from outbox.services import outbox_dispatch


class Command(BaseCommand):
    help = "Send the outbox's queued e-mails (safe to run any number of times: each leaves once)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Hand each send to Celery instead of sending here.")

    def handle(self, *args, queue=False, **options):
        result = outbox_dispatch(enqueue=queue)
        self.stdout.write("Outbox: {reaped} recovered, {due} due, {queued} queued, {sent} sent.".format(**result))
