"""The read side of a benchmark database: each page with the Django test client, signed in as
school 1's staff with force_login (queries of one request, then the median and p95 of repeated
requests), and the PDFs (the parent notice and the governors' report)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.db.models import Case, Count, When
from django.test import Client
from django.urls import reverse

from apcase.models import ExportJob, Role, School, User
from audits.models import ProviderOrganisation
from bench.generator.people import school_urn
from bench.timing import Timing, fetch, signed_in, timed
from placements.models import AttendanceMark, Placement
from placements.notice import notice_recipients
from pupils.models import CaseEvent, Contact, Pupil, Referral
from reports.exports import build_governors_report
from reviews.models import Measurement, ReviewMeeting

FIRST_SCHOOL = {"school__urn": school_urn(1)}
PDF_RENDERS = 30


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # the username of the school-1 member of staff who opens it
    url: str
    dashboard: bool = False  # a role's home page of figures and to-dos: the tighter targets (bench/report.py)


def pages_to_time() -> tuple[list[Page], list[str]]:
    """The pages, and a note for each one that cannot be timed on this branch."""
    pupil = Pupil.objects.filter(**FIRST_SCHOOL).annotate(steps=Count("case_events")).order_by("-steps").first()
    placement = (
        Placement.objects.filter(**FIRST_SCHOOL, status=Placement.Status.ACTIVE)
        .annotate(marks=Count("attendance_marks"))
        .order_by("-marks")
        .first()
    )
    pages = [
        Page("SENDCo dashboard", "sendco01", "/", dashboard=True),
        Page("Headteacher dashboard", "head01", "/", dashboard=True),
        Page("DSL dashboard", "dsl01", "/", dashboard=True),
        Page("Teacher dashboard", "teacher01", "/", dashboard=True),
        Page("Office dashboard", "office01", "/", dashboard=True),
        Page("Governor dashboard", "governor01", "/", dashboard=True),
        Page("Pupil list", "sendco01", reverse("pupils:list")),
        Page(f"Pupil profile ({pupil.steps} events)", "sendco01", pupil.get_absolute_url()),
        Page(
            f"Attendance grid ({placement.marks} marks)",
            "sendco01",
            reverse("placements:attendance", args=[placement.public_id]),
        ),
        Page("Placement page", "sendco01", placement.get_absolute_url()),
        Page("Approvals inbox", "head01", reverse("approvals:inbox")),
        Page("Provider directory", "dsl01", reverse("providers:list")),
        Page("Placement list", "sendco01", reverse("placements:list")),
        Page("Referral list", "sendco01", reverse("referrals:list")),
        Page("Outbox (2,000 messages)", "office01", reverse("outbox:list")),
    ]
    return pages + review_pages() + oversight_pages(), []


def oversight_pages() -> list[Page]:
    """The trust's view of its schools (the first 50) and the LA's of all of them (docs/oversight.md)."""
    return [
        Page("Trust dashboard", "trustlead01", reverse("oversight:trust"), dashboard=True),
        Page("Trust board report", "trustlead01", reverse("oversight:trust_report")),
        Page("LA view", "laofficer01", reverse("oversight:la"), dashboard=True),
        Page("LA notifications received", "laofficer01", reverse("oversight:la_notifications")),
        Page("LA provider directory", "laofficer01", reverse("oversight:la_providers")),
        Page("LA provider page", "laofficer01", reverse("oversight:la_provider", args=[_busiest_body()])),
    ]


def _busiest_body():
    """The provider body the most schools list (every school lists each generated one)."""
    body = ProviderOrganisation.objects.annotate(entries=Count("directory_entries")).order_by("-entries", "pk").first()
    assert body is not None, "seed_bench links every off-site provider to its body"
    return body.public_id


def review_pages() -> list[Page]:
    """The reviews list (to hold, and overdue) and calendar, the busiest progress page, reintegration
    plan and held review of school 1, and the governors' report (as a governor sees it)."""
    progress = (
        Placement.objects.filter(**FIRST_SCHOOL)
        .annotate(readings=Count("targets__measurements"))
        .order_by("-readings", "pk")
        .first()
    )
    returned = (
        Placement.objects.filter(**FIRST_SCHOOL, reintegration_plan__isnull=False)
        .annotate(
            versions=Count("reintegration_plan__versions", distinct=True), checks=Count("check_ins", distinct=True)
        )
        .order_by("-versions", "-checks", "pk")
        .first()
    )
    # A held formal review: the page shows its readings, actions and the series of formal reviews.
    review = (
        ReviewMeeting.objects.filter(**FIRST_SCHOOL, status=ReviewMeeting.Status.HELD)
        .annotate(
            formal=Case(When(kind=ReviewMeeting.Kind.FORMAL, then=1), default=0),
            people=Count("participants", distinct=True),
            readings=Count("measurements", distinct=True),
            agreed=Count("actions", distinct=True),
        )
        .order_by("-formal", "-people", "-readings", "-agreed", "pk")
        .first()
    )
    plan = f"{returned.versions} version{'s' if returned.versions != 1 else ''}, {returned.checks} check-ins"
    return [
        Page("Reviews list", "sendco01", reverse("reviews:list")),
        Page("Reviews list, overdue tab", "sendco01", f"{reverse('reviews:list')}?view=overdue"),
        Page("Review calendar", "sendco01", reverse("reviews:calendar")),
        Page(
            f"Review meeting ({review.get_kind_display().lower()} held: {review.people} people, "
            f"{review.readings} readings, {review.agreed} actions)",
            "sendco01",
            review.get_absolute_url(),
        ),
        Page(
            f"Progress page ({progress.readings} readings)",
            "sendco01",
            reverse("progress:page", kwargs={"public_id": progress.public_id}),
        ),
        Page(
            f"Reintegration plan ({plan})",
            "sendco01",
            reverse("reintegration:plan", kwargs={"public_id": returned.public_id}),
        ),
        Page("Governors' report", "governor01", reverse("reports:governors")),
    ]


def time_pages(samples: int) -> tuple[list[Timing], list[str]]:
    pages, notes = pages_to_time()
    clients = {username: signed_in(User.objects.get(username=username)) for username in {p.persona for p in pages}}
    timings = [
        timed(page.name, partial(fetch, clients[page.persona], page.url), samples, page.persona, page.dashboard)
        for page in pages
    ]
    return timings, notes


def time_baselines(samples: int) -> list[Timing]:
    """What a request costs before a page does its own work: the bare view, and the simplest page a
    signed-in user opens (the same middleware, session save and layout as every page)."""
    client = signed_in(User.objects.get(username="sendco01"))
    return [
        timed("Bare view /healthz (anonymous)", lambda: fetch(Client(), reverse("healthz")), samples),
        timed("Account page (signed in, a form and the layout)", lambda: fetch(client, reverse("account")), samples),
    ]


def time_pdfs() -> tuple[list[Timing], list[str]]:
    """The parent notice as it is rendered before issue (the draft download; issuing renders the same
    letter once more and stores it). It holds one letter per recipient, so the notice with the fewest
    recipients and the one with the most are both timed. Then school 1's governors' report for this
    term as the export job makes it (the figures, the charts and the PDF), called directly."""
    waiting = Placement.objects.filter(status=Placement.Status.APPROVED, directed_off_site=True, notice__isnull=True)
    by_letters = sorted(
        (len(notice_recipients(placement)), placement.pk, placement)
        for placement in waiting.select_related("school", "pupil")
    )
    timings = []
    for letters, _pk, placement in (by_letters[0], by_letters[-1]):
        # The school's own SENDCo, not the trust lead who holds the role trust-wide from school 1.
        sendco = User.objects.get(
            memberships__school=placement.school, memberships__role=Role.SENDCO, memberships__trust_wide=False
        )
        client, url = signed_in(sendco), f"{placement.get_absolute_url()}notice.pdf"
        name = f"Parent notice PDF, {letters} letter{'s' if letters != 1 else ''} (draft download)"
        timings.append(timed(name, partial(fetch, client, url), PDF_RENDERS))
    governor = User.objects.get(username="governor01")
    job = ExportJob(user=governor, school=School.objects.get(urn=school_urn(1)), kind="governors_report", params={})
    name = "Governors' report PDF (the export job's build_governors_report)"
    timings.append(timed(name, lambda: build_governors_report(job, lambda done, total: None), PDF_RENDERS))
    return timings, []


def data_volume() -> dict[str, int]:
    """Rows in the tables the pages read most, and in all history tables together."""
    tables = (Pupil, Contact, Referral, Placement, AttendanceMark, CaseEvent, ReviewMeeting, Measurement)
    counted = {str(model._meta.verbose_name_plural): model._default_manager.count() for model in tables}
    history = [model for model in apps.get_models() if model.__name__.startswith("Historical")]
    counted["history rows"] = sum(model._default_manager.count() for model in history)
    return counted
