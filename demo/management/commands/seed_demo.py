"""Create fictional schools, staff, pupils, providers and cases at every stage. Idempotent."""

from __future__ import annotations

import importlib
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from apcase.demo import DEMO_USERS, DemoContext

# Each app contributes its demo records, in dependency order.
DEMO_STEPS = [
    "apcase.demo",
    "pupils.demo",
    "audits.demo",
    "placements.demo",
    "outbox.demo",
    "reviews.demo",
    "provider_portal.demo",
    "reminders.demo",
]


class Command(BaseCommand):
    help = "Create or refresh the demo data. Every demo user gets the same password."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo user (made up and printed if omitted).")

    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(12)
        ctx = DemoContext(password=password)
        # The demo's notifications stay in the app: nobody should be e-mailed about fictional pupils.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for step in DEMO_STEPS:
                importlib.import_module(step).seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ as any of:")
        for username, _first, _last, job_title, _role in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {job_title}")
        self.stdout.write("  riverside  SENDCo at the second school (sees none of Oakfield's records)")
        self.stdout.write("  trustlead  trust-wide SENDCo (sees both schools; the trust's view at /trust/)")
        self.stdout.write("  provider   Jo Whitfield at Littleton Green: the provider portal (both schools' pupils)")
        self.stdout.write("  laofficer  the local authority's AP officer (/la/: placements the schools notified)")
        self.stdout.write("  admin      superuser for the back office (/admin/)")
        self.stdout.write(f"Password for all of them: {password}")
