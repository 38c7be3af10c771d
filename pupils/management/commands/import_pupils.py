"""Import pupils from an MIS CSV export into one school: every row, or none if any row is wrong."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apcase.models import School, User
from pupils.imports import ImportPlan, plan_import
from pupils.services import ImportRefused, pupils_import


class Command(BaseCommand):
    help = (
        "Import pupils from a CSV export (columns as on /pupils/import/). Nothing is applied if any row has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--school", required=True, metavar="URN", help="The school's six-digit URN.")
        parser.add_argument("--user", help="Username recorded in the change history (default: none, shown as System).")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change without saving.")

    def handle(self, *args, file: Path, school: str, user: str | None, dry_run: bool, **options):
        try:
            target = School.objects.get(urn=school)
        except School.DoesNotExist:
            raise CommandError(f"No school has the URN {school}.") from None
        actor = User.objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"No user is called {user}.")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            plan = (
                plan_import(school=target, content=content)
                if dry_run
                else pupils_import(actor=actor, school=target, content=content)
            )
        except ImportRefused as refused:
            plan = refused.plan
        self._report(plan, applied=not dry_run)
        if plan.has_errors:
            raise CommandError("Nothing was imported: fix the rows above and run the command again.")

    def _report(self, plan: ImportPlan, *, applied: bool) -> None:
        for message in plan.file_errors:
            self.stderr.write(message)
        for row in plan.error_rows:
            for error in row.errors:
                self.stderr.write(f"Row {row.number} ({row.upn or 'no UPN'}): {error}")
        if plan.has_errors:
            return
        if plan.changes_nothing:
            self.stdout.write("Nothing changed: every pupil in the file already matches.")
            return
        counts = plan.counts
        verb = "Imported" if applied else "Would import"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {counts['create']} added, {counts['update']} updated, {counts['unchanged']} unchanged."
            )
        )
