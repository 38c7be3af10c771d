"""Record a provider's attendance return (CSV: UPN, Date, Session, Code, Reason).

Every row is checked first; if any is wrong, each problem is listed with its row number and
nothing is recorded. Marks are attributed to --user, who must be able to record attendance.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apcase.access import forget_roles
from apcase.models import School, User
from placements.services import AttendanceImportRefused, attendance_import


class Command(BaseCommand):
    help = "Record a provider's attendance return (CSV: UPN, Date, Session, Code, Reason): all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8; dates as dd/mm/yyyy).")
        parser.add_argument("--school", required=True, help="The school's URN.")
        parser.add_argument("--user", required=True, help="Username of the member of staff recording it.")

    def handle(self, *args, file: Path, school: str, user: str, **options):
        try:
            school_obj = School.objects.get(urn=school)
            actor = User.objects.get(username=user, is_active=True)
        except (School.DoesNotExist, User.DoesNotExist) as missing:
            raise CommandError(f"No such {'school' if isinstance(missing, School.DoesNotExist) else 'user'}.") from None
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        forget_roles(actor)
        try:
            plan = attendance_import(actor=actor, school=school_obj, content=file.read_bytes())
        except AttendanceImportRefused as refused:
            for line in refused.plan.error_lines():
                self.stderr.write(line)
            raise CommandError("Nothing was recorded: correct the rows listed and run the import again.") from None
        self.stdout.write(self.style.SUCCESS(f"{len(plan.rows)} marks recorded for {school_obj.name}."))
