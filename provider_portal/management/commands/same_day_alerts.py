"""Run the same-day cut-off check once, in this process (the demo without Redis, cron, or by hand)."""

from django.core.management.base import BaseCommand

from provider_portal.services import same_day_alerts_for_unmarked


class Command(BaseCommand):
    help = "Alert the school about pupils expected at a portal provider this morning and not marked by its cut-off."

    def handle(self, *args, **options):
        self.stdout.write(f"Same-day alerts raised: {same_day_alerts_for_unmarked()}.")
