"""List pupils whose retention period has ended; anonymise the ones named, once confirmed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apcase.models import School, User
from pupils.retention import pupil_anonymise, pupils_due_for_retention_review, retention_ends_on


class Command(BaseCommand):
    help = "List pupils due for retention review; with --anonymise UPN... --confirm --as USER, anonymise them."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="School URN (default: every school).")
        parser.add_argument("--anonymise", nargs="+", default=[], metavar="UPN", help="Pupils to anonymise.")
        parser.add_argument("--confirm", action="store_true", help="Really anonymise (it cannot be undone).")
        parser.add_argument("--as", dest="username", help="The person doing it, for the retention log.")

    def handle(self, *args, school=None, anonymise=(), confirm=False, username=None, **options):
        schools = School.objects.filter(urn=school) if school else School.objects.all()
        if school and not schools.exists():
            raise CommandError(f"No school has URN {school}.")
        due = pupils_due_for_retention_review(school_ids=schools.values("id"), today=timezone.localdate())
        if not anonymise:
            for pupil in due:
                self.stdout.write(
                    f"{pupil.upn}  {pupil.full_name:<30} left {pupil.leaving_date:%d/%m/%Y}, "
                    f"retention ended {retention_ends_on(pupil):%d/%m/%Y}  ({pupil.school.name})"
                )
            self.stdout.write(f"{len(due)} pupil(s) due for retention review.")
            return
        if not confirm or not username:
            raise CommandError("Anonymising cannot be undone: add --confirm and --as USERNAME.")
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user is called {username}.")
        by_upn = {pupil.upn: pupil for pupil in due}
        for upn in anonymise:
            due_pupil = by_upn.get(upn)
            if due_pupil is None:
                raise CommandError(f"{upn} is not due for retention review (or is not in these schools).")
            try:
                pupil_anonymise(pupil=due_pupil, actor=actor)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"Anonymised {upn}.")
